/*
 * access.c - THE rule of which files a script may read and write. Trusted
 * (--trust): any. Untrusted: the loaded file, paths under the folder of a
 * script the engine ran, under the current folder, and the paths given on
 * the command line (a folder: anything under it). Every Lua call that
 * opens a file by name (ttlx.load, ttlx.save, ttlx.export, ttlx.device
 * with a .json file) asks access_check() first.
 *
 * Paths are compared resolved: absolute, symbolic links followed through
 * the longest prefix that exists (realpath), the rest (a file still to be
 * written) cleaned of "." and "..", so neither "../" nor a link inside an
 * allowed folder reaches out of it.
 */
#include "lua/lua_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends the components of rest to the resolved path in buf (of size
 * PATH_MAX), "." dropped and ".." taking one back; false if too long. */
static bool append_clean(char *buf, const char *rest) {
    size_t n = strlen(buf);
    while (*rest) {
        while (*rest == '/')
            rest++;
        size_t k = strcspn(rest, "/");
        if (k == 0) break;
        if (k == 1 && rest[0] == '.') {
            /* nothing */
        } else if (k == 2 && rest[0] == '.' && rest[1] == '.') {
            while (n > 1 && buf[n - 1] != '/')
                n--;
            if (n > 1) n--; /* the slash, but keep "/" */
            buf[n] = '\0';
        } else {
            if (n + 1 + k + 1 > PATH_MAX) return false;
            if (n > 1) buf[n++] = '/';
            memcpy(buf + n, rest, k);
            n += k;
            buf[n] = '\0';
        }
        rest += k;
    }
    return true;
}

/* The resolved form of path into out (PATH_MAX bytes): 0 when done, -1
 * when it cannot be resolved (too long, no current folder, links that
 * loop). A link to a missing file resolves to where it points. */
static int resolve_at(const char *path, char *out, int depth) {
    if (depth > 40) return -1;
    char abs[PATH_MAX];
    if (path[0] == '/') {
        if (strlen(path) >= sizeof abs) return -1;
        strcpy(abs, path);
    } else {
        if (!getcwd(abs, sizeof abs)) return -1;
        size_t n = strlen(abs);
        if (n + 1 + strlen(path) >= sizeof abs) return -1;
        abs[n] = '/';
        strcpy(abs + n + 1, path);
    }
    /* The longest prefix that exists, resolved; then the rest, cleaned. */
    size_t cut = strlen(abs);
    for (;;) {
        char save = abs[cut];
        abs[cut] = '\0';
        char *r = realpath(cut ? abs : "/", out);
        int why = errno;
        abs[cut] = save;
        if (r) break;
        if (why != ENOENT && why != ENOTDIR) return -1;
        /* A link whose target is missing: follow it by hand, since a write
         * would create its target. */
        struct stat st;
        char part[PATH_MAX], target[PATH_MAX], next[PATH_MAX];
        memcpy(part, abs, cut);
        part[cut] = '\0';
        if (cut && lstat(part, &st) == 0 && S_ISLNK(st.st_mode)) {
            ssize_t k = readlink(part, target, sizeof target - 1);
            if (k <= 0) return -1;
            target[k] = '\0';
            size_t dir = cut;
            while (dir > 0 && part[dir - 1] != '/')
                dir--;
            int w = target[0] == '/' ? snprintf(next, sizeof next, "%s%s", target, abs + cut)
                                     : snprintf(next, sizeof next, "%.*s%s%s", (int)dir, part,
                                                target, abs + cut);
            if (w < 0 || (size_t)w >= sizeof next) return -1;
            return resolve_at(next, out, depth + 1);
        }
        while (cut > 0 && abs[cut - 1] != '/')
            cut--;
        while (cut > 0 && abs[cut - 1] == '/')
            cut--;
    }
    return append_clean(out, abs + cut) ? 0 : -1;
}

static int resolve(const char *path, char *out) {
    return resolve_at(path, out, 0);
}

/* Whether resolved path p is the allowed entry a or lies under it (a
 * folder). */
static bool within(const char *p, const char *a, bool dir) {
    size_t n = strlen(a);
    if (strncmp(p, a, n) != 0) return false;
    if (p[n] == '\0') return true;
    return dir && (p[n] == '/' || (n == 1 && a[0] == '/'));
}

static bool is_dir(const char *resolved) {
    struct stat st;
    return stat(resolved, &st) == 0 && S_ISDIR(st.st_mode);
}

bool access_add(lua_engine_t *e, const char *path, bool folder) {
    char r[PATH_MAX];
    if (!path || !*path || resolve(path, r) != 0) return false;
    for (size_t i = 0; i < e->nallowed; i++)
        if (!strcmp(e->allowed[i].path, r)) return true;
    if (e->nallowed == e->capallowed) {
        access_entry_t *v = ttlx_grow(e->allowed, &e->capallowed, e->nallowed + 1, sizeof *v);
        if (!v) return false;
        e->allowed = v;
    }
    char *p = strdup(r);
    if (!p) return false;
    e->allowed[e->nallowed++] = (access_entry_t){p, folder || is_dir(r)};
    return true;
}

void access_free(lua_engine_t *e) {
    for (size_t i = 0; i < e->nallowed; i++)
        free(e->allowed[i].path);
    ttlx_free(e->allowed);
    e->allowed = NULL;
    e->nallowed = e->capallowed = 0;
}

void access_check(lua_State *L, lua_engine_t *e, const char *who, const char *path) {
    if (e->trust) return;
    char r[PATH_MAX], a[PATH_MAX];
    if (resolve(path, r) != 0)
        luaL_error(L, "%s: %s: the path cannot be resolved (too long, or links that loop)", who,
                   path);
    if (resolve(".", a) == 0 && within(r, a, true)) return;
    const char *loaded = NULL;
    engine_cur_module(e, NULL, &loaded);
    if (loaded && resolve(loaded, a) == 0 && within(r, a, false)) return;
    for (size_t i = 0; i < e->nallowed; i++)
        if (within(r, e->allowed[i].path, e->allowed[i].folder)) return;
    luaL_error(L,
               "%s: %s is outside the allowed paths (the loaded file, the script's folder, the "
               "current folder, paths on the command line); run with --trust to allow it",
               who, path);
}
