/*
 * check_arch.c - holds the tree to ARCHITECTURE.md: reads every .c/.h under
 * core/ and app/ as text and checks, from their #include lines alone,
 *   - core/ includes nothing from app/, ncurses or Lua;
 *   - an app room includes only its own room and the rooms below it
 *     (core <- sys <- export <- lua <- ui <- cli); Lua headers only from
 *     lua and up, ncurses only from ui and up;
 *   - no include circle between files, except a header and its own .c
 *     (and its private X_internal.h);
 *   - no source file is longer than MAX_LINES.
 * Prints one line per finding and "arch: N files, N includes, N findings";
 * exit status 1 when there is a finding.
 *   check_arch SOURCE_DIR
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_FILES = 1024, MAX_EDGES = 16384, MAX_LINES = 1000 };

/* Rooms from the bottom up; a file may include its own rank or lower. */
static const char *const rooms[] = {"core", "sys", "export", "lua", "ui", "cli"};
enum { ROOM_LUA = 3, ROOM_UI = 4 };

typedef struct {
    char path[512]; /* relative to the source dir */
    char unit[512]; /* path without its extension: a header and its .c */
    int room;
} file_t;

static file_t files[MAX_FILES];
static int nfiles;
static int edge_from[MAX_EDGES], edge_to[MAX_EDGES];
static int nedges, findings;

static void finding(const char *fmt, const char *a, const char *b) {
    printf("arch: ");
    printf(fmt, a, b);
    printf("\n");
    findings++;
}

static int room_of(const char *path) {
    if (strncmp(path, "core/", 5) == 0) return 0;
    for (int r = 1; r < (int)(sizeof rooms / sizeof *rooms); r++) {
        size_t n = strlen(rooms[r]);
        if (strncmp(path, "app/", 4) == 0 && strncmp(path + 4, rooms[r], n) == 0 &&
            path[4 + n] == '/')
            return r;
    }
    return -1; /* app/ top level: CMake only */
}

static void walk(const char *root, const char *rel) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, rel);
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char sub[512], full[1536];
        snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            walk(root, sub);
            continue;
        }
        size_t n = strlen(sub);
        if (n < 3 || sub[n - 2] != '.' || (sub[n - 1] != 'c' && sub[n - 1] != 'h')) continue;
        if (nfiles == MAX_FILES) {
            finding("more than %s files%s", "1024", "");
            break;
        }
        file_t *f = &files[nfiles++];
        snprintf(f->path, sizeof f->path, "%s", sub);
        /* X_internal.h is X's private header: one unit with X.h and X.c. */
        size_t stem = n - 2;
        if (stem > 9 && strncmp(sub + stem - 9, "_internal", 9) == 0) stem -= 9;
        snprintf(f->unit, sizeof f->unit, "%.*s", (int)stem, sub);
        f->room = room_of(sub);
    }
    closedir(d);
}

static int find_file(const char *path) {
    for (int i = 0; i < nfiles; i++)
        if (strcmp(files[i].path, path) == 0) return i;
    return -1;
}

/* Where a quoted include resolves: the including file's folder, then app/,
 * then core/ (the build's include folders). -1 when generated or external. */
static int resolve(const file_t *from, const char *inc) {
    char cand[1100];
    const char *slash = strrchr(from->path, '/');
    snprintf(cand, sizeof cand, "%.*s/%s", (int)(slash - from->path), from->path, inc);
    int i = find_file(cand);
    if (i >= 0) return i;
    snprintf(cand, sizeof cand, "app/%s", inc);
    if ((i = find_file(cand)) >= 0) return i;
    snprintf(cand, sizeof cand, "core/%s", inc);
    return find_file(cand);
}

static bool is_lua_header(const char *h) {
    return strcmp(h, "lua.h") == 0 || strcmp(h, "lauxlib.h") == 0 || strcmp(h, "lualib.h") == 0 ||
           strncmp(h, "lua5", 4) == 0;
}

static bool is_curses_header(const char *h) {
    return strstr(h, "curses") != NULL || strcmp(h, "term.h") == 0;
}

static void read_file(const char *root, int fi) {
    file_t *f = &files[fi];
    char full[1536], line[4096];
    snprintf(full, sizeof full, "%s/%s", root, f->path);
    FILE *in = fopen(full, "r");
    if (!in) {
        finding("cannot read %s%s", f->path, "");
        return;
    }
    long lines = 0;
    while (fgets(line, sizeof line, in)) {
        lines++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "#include", 8) != 0) continue;
        p += 8;
        while (*p == ' ')
            p++;
        char open = *p, close = open == '"' ? '"' : '>';
        if (open != '"' && open != '<') continue;
        char *end = strchr(p + 1, close);
        if (!end) continue;
        *end = '\0';
        const char *inc = p + 1;
        if (open == '<') {
            if (is_lua_header(inc) && f->room < ROOM_LUA)
                finding("%s includes <%s>: Lua belongs to app/lua and above", f->path, inc);
            if (is_curses_header(inc) && f->room < ROOM_UI)
                finding("%s includes <%s>: ncurses belongs to app/ui and above", f->path, inc);
            continue;
        }
        int to = resolve(f, inc);
        if (to < 0) continue; /* generated (build dir) */
        if (files[to].room > f->room)
            finding("%s includes %s: a lower room includes a higher one", f->path, files[to].path);
        if (nedges < MAX_EDGES && strcmp(files[to].unit, f->unit) != 0) {
            edge_from[nedges] = fi;
            edge_to[nedges] = to;
            nedges++;
        }
    }
    fclose(in);
    if (lines > MAX_LINES) {
        char n[32];
        snprintf(n, sizeof n, "%ld", lines);
        finding("%s has %s lines (at most 1000)", f->path, n);
    }
}

/* Units: a header and its .c are one node. Depth-first search for a back
 * edge; each circle found is printed once, by the edge that closes it. */
static int unit_of[MAX_FILES], nunits;
static int state[MAX_FILES], parent[MAX_FILES];

static const char *unit_name(int u) {
    for (int i = 0; i < nfiles; i++)
        if (unit_of[i] == u) return files[i].unit;
    return "?";
}

/* The circle closed by the edge from -> to, to an ancestor of from: printed
 * in include order, "a -> b" where a includes b. */
static void print_circle(int from, int to) {
    int chain[MAX_FILES], n = 0;
    for (int u = from; n < MAX_FILES; u = parent[u]) {
        chain[n++] = u;
        if (u == to || parent[u] < 0) break;
    }
    /* In include order, starting from the smallest name, so that a circle
     * reads the same whatever order the folders are listed in. */
    int start = 0;
    for (int k = 1; k < n; k++)
        if (strcmp(unit_name(chain[k]), unit_name(chain[start])) < 0) start = k;
    char buf[4096] = "";
    size_t used = 0;
    for (int j = 0; j <= n && used < sizeof buf - 1; j++) {
        int k = ((start - j) % n + n) % n;
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", j ? " -> " : "",
                                 unit_name(chain[k]));
    }
    finding("include circle: %s%s", buf, "");
}

static void dfs(int u) {
    state[u] = 1;
    for (int e = 0; e < nedges; e++) {
        if (unit_of[edge_from[e]] != u) continue;
        int v = unit_of[edge_to[e]];
        if (state[v] == 0) {
            parent[v] = u;
            dfs(v);
        } else if (state[v] == 1) {
            print_circle(u, v);
        }
    }
    state[u] = 2;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: check_arch SOURCE_DIR\n");
        return 2;
    }
    walk(argv[1], "core");
    walk(argv[1], "app");
    if (nfiles == 0) {
        fprintf(stderr, "check_arch: no sources under %s/core or %s/app\n", argv[1], argv[1]);
        return 2;
    }
    for (int i = 0; i < nfiles; i++)
        read_file(argv[1], i);
    for (int i = 0; i < nfiles; i++) {
        unit_of[i] = -1;
        for (int j = 0; j < i; j++)
            if (strcmp(files[i].unit, files[j].unit) == 0) unit_of[i] = unit_of[j];
        if (unit_of[i] < 0) unit_of[i] = nunits++;
    }
    for (int u = 0; u < nunits; u++)
        parent[u] = -1;
    for (int u = 0; u < nunits; u++)
        if (state[u] == 0) dfs(u);
    printf("arch: %d files, %d includes, %d findings\n", nfiles, nedges, findings);
    return findings ? 1 : 0;
}
