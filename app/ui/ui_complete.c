/*
 * ui_complete.c - Tab completion on the ':' command line (see
 * ui_complete.h). Candidates are computed once from the line as typed
 * (u->comp_base); further Tabs cycle through them.
 */
#include "ui/ui_complete.h"
#include "export/export.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b) {
    return strcmp(a, b);
}

static void add(ui_t *u, const char *cand) {
    if (u->ncomp >= UI_COMP_MAX || strlen(cand) >= sizeof u->comp[0]) return;
    for (int i = 0; i < u->ncomp; i++)
        if (!strcmp(u->comp[i], cand)) return;
    snprintf(u->comp[u->ncomp++], sizeof u->comp[0], "%s", cand);
}

/* Paths starting with word: the entries of its directory, directories
 * with a trailing '/'. Hidden entries only when asked for with '.'. */
static void add_paths(ui_t *u, const char *word) {
    char dir[512];
    const char *slash = strrchr(word, '/');
    const char *prefix = slash ? slash + 1 : word;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - word + 1), word);
    else
        dir[0] = '\0';
    DIR *d = opendir(dir[0] ? dir : ".");
    if (!d) return;
    size_t plen = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && u->ncomp < UI_COMP_MAX) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (e->d_name[0] == '.' && prefix[0] != '.') continue;
        if (strncmp(e->d_name, prefix, plen)) continue;
        char path[1024], cand[1040];
        if (strlen(dir) + strlen(e->d_name) >= sizeof path) continue; /* too long to offer */
        snprintf(path, sizeof path, "%s%s", dir, e->d_name);
        struct stat st;
        bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        snprintf(cand, sizeof cand, "%s%s", path, is_dir ? "/" : "");
        add(u, cand);
    }
    closedir(d);
}

/* What follows the command name is a path for these commands. */
static bool takes_path(const char *name) {
    static const char *const names[] = {"e", "open", "w", "wq", "source", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return true;
    return false;
}

/* Fills u->comp from u->comp_base; *keep is how many bytes of the line
 * stay before the completed word. */
static void candidates(ui_t *u, size_t *keep, const char *(*command_name)(size_t)) {
    const char *line = u->comp_base;
    u->ncomp = 0;
    size_t k = strcspn(line, " ");
    if (!line[k]) { /* a command name */
        *keep = 0;
        for (size_t i = 0; command_name(i); i++)
            if (!strncmp(command_name(i), line, k)) add(u, command_name(i));
        return;
    }
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)(k < 31 ? k : 31), line);
    const char *arg = line + k;
    while (*arg == ' ')
        arg++;
    if (!strcmp(name, "export")) {
        size_t f = strcspn(arg, " ");
        if (!arg[f]) { /* the format */
            *keep = (size_t)(arg - line);
            char names[256];
            snprintf(names, sizeof names, "%s", export_format_names(" "));
            for (char *t = strtok(names, " "); t; t = strtok(NULL, " "))
                if (!strncmp(t, arg, f)) add(u, t);
            return;
        }
        arg += f;
        while (*arg == ' ')
            arg++;
    } else if (!takes_path(name)) {
        *keep = strlen(line);
        return;
    }
    *keep = (size_t)(arg - line);
    add_paths(u, arg);
}

static void candidates_sorted(ui_t *u, size_t *keep, const char *(*command_name)(size_t)) {
    candidates(u, keep, command_name);
    qsort(u->comp, (size_t)u->ncomp, sizeof u->comp[0], cmp_str);
}

/* The longest common prefix of the candidates. */
static size_t common_prefix(const ui_t *u) {
    if (!u->ncomp) return 0;
    size_t n = strlen(u->comp[0]);
    for (int i = 1; i < u->ncomp; i++) {
        size_t j = 0;
        while (j < n && u->comp[i][j] == u->comp[0][j])
            j++;
        n = j;
    }
    return n;
}

static void show(ui_t *u, size_t keep, const char *word, size_t len) {
    snprintf(u->cmd, sizeof u->cmd, "%.*s%.*s", (int)keep, u->comp_base, (int)len, word);
}

void ui_complete(ui_t *u, const char *(*command_name)(size_t i)) {
    size_t keep = 0;
    if (u->comp_active && u->ncomp > 1) { /* the next candidate */
        candidates_sorted(u, &keep, command_name);
        if (!u->ncomp) return;
        u->comp_at = (u->comp_at + 1) % u->ncomp;
        show(u, keep, u->comp[u->comp_at], strlen(u->comp[u->comp_at]));
        return;
    }
    snprintf(u->comp_base, sizeof u->comp_base, "%s", u->cmd);
    candidates_sorted(u, &keep, command_name);
    u->comp_active = true;
    u->comp_at = -1;
    if (!u->ncomp) {
        u->comp_active = false;
        return;
    }
    if (u->ncomp == 1) {
        show(u, keep, u->comp[0], strlen(u->comp[0]));
        /* a whole command name or file: a space to go on typing */
        size_t n = strlen(u->cmd);
        if (n && u->cmd[n - 1] != '/' && n + 1 < sizeof u->cmd) strcat(u->cmd, " ");
        u->comp_active = false;
        return;
    }
    /* several: first what they all share; Tab again cycles */
    size_t common = common_prefix(u);
    if (keep + common > strlen(u->comp_base)) {
        show(u, keep, u->comp[0], common);
        snprintf(u->comp_base, sizeof u->comp_base, "%s", u->cmd);
    }
}

const char *ui_complete_list(const ui_t *u, char *buf, size_t n) {
    size_t at = 0;
    if (n) buf[0] = '\0';
    if (!u->comp_active || u->ncomp < 2) return buf;
    for (int i = 0; i < u->ncomp && at + 1 < n; i++) {
        const char *c = u->comp[i];
        const char *slash = strrchr(c, '/');
        /* paths by their last part (a directory keeps its '/') */
        if (slash && !slash[1]) {
            const char *p = slash;
            while (p > c && p[-1] != '/')
                p--;
            c = p;
        } else if (slash)
            c = slash + 1;
        at += (size_t)snprintf(buf + at, n - at, "%s%s%s", i ? "  " : "",
                               i == u->comp_at ? "[" : "", c);
        if (i == u->comp_at && at + 1 < n) at += (size_t)snprintf(buf + at, n - at, "]");
    }
    return buf;
}
