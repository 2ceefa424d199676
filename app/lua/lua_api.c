/*
 * lua_api.c - the Lua engine behind `ttlx run`, `:lua`, `:source`, init.lua
 * and key bindings: the `ttlx` table (lauxlib style: every argument checked,
 * core errors raised as Lua errors at this edge), the sandbox, the
 * instruction budget (a count hook that checks a monotonic deadline), the
 * memory cap (a counting lua_Alloc), and the rollback of hints when a
 * top-level call fails.
 */
#include "lua/lua_api.h"

#include "sys/atomic_write.h"
#include "sys/file.h"
#include "lua/lua_convert.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <time.h>

#include "export/export.h"

/* Instructions between two looks at the clock: ~20-100 us of Lua work. */
#define BUDGET_STEP 10000

/* The small-block pool: sizes up to POOL_MAX in POOL_GRAIN steps, carved
 * from one reserved region of POOL_BYTES (committed by the kernel as it is
 * touched), so whether a block is the pool's is an address comparison. */
#define POOL_GRAIN 16
#if defined(__SANITIZE_ADDRESS__)
#define POOL_MAX 0 /* let AddressSanitizer see every Lua block */
#else
#define POOL_MAX 256
#endif
#define POOL_BYTES ((size_t)32 << 20)
typedef struct pool_block {
    struct pool_block *next;
} pool_block_t;

typedef struct reg_entry {
    ttlx_lua_binding_t pub; /* points into the owned strings below */
    char *name, *help, *source;
    int ref; /* the function, in the registry */
} reg_entry_t;

typedef struct reg_list {
    reg_entry_t *v;
    size_t n, cap;
} reg_list_t;

enum { EV_LOAD, EV_INFER, EV_COUNT };
static const char *const event_names[] = {"load", "infer", NULL};

struct ttlx_lua {
    lua_State *L;
    pool_block_t *pool_free[POOL_MAX / POOL_GRAIN + 1];
    char *pool_base, *pool_pos, *pool_end; /* NULL when there is no pool */
    bool trust;
    long budget_ms; /* < 0: unlimited */
    size_t cap_bytes, used_bytes;
    bool cap_hit;
    char cap_where[256];
    bool budget_on, expired;
    struct timespec deadline;
    int depth; /* nesting of protected top-level calls */

    void (*output)(void *ud, const char *text, size_t len);
    void *output_ud;
    ttlx_lua_host_t host;
    bool hosted;

    /* headless state */
    ttlx_module_t *mod;
    size_t func_index;
    ttlx_device_t dev;
    char *path;
    unsigned generation; /* bumped on every load */

    /* rollback of the current top-level call */
    bool dirty;
    cJSON *snapshot;
    ttlx_func_t *snap_func;
    unsigned snap_gen;
    bool dev_changed;
    ttlx_device_t dev_before;

    /* resources a Lua error could otherwise leak (longjmp): freed on the
     * next use and by ttlx_lua_free */
    ttlx_result_t *result;
    cJSON *scratch;

    reg_list_t commands, keys, events[EV_COUNT];
    const char *current_source; /* the file being run, "" otherwise */
    char **watched;
    size_t nwatched, capwatched;
    int ttlx_ref; /* the ttlx table */
    bool in_infer_event;
    bool infer_event_edited; /* the last top-level call was an "infer"
                                event whose handlers changed the hints */

    char *error;
    char error_line[512];
};

static ttlx_lua_t *engine_of(lua_State *L) {
    return *(ttlx_lua_t **)lua_getextraspace(L);
}

/* ---------------------------------------------------------------- memory */

static void note_position(lua_State *L, char *buf, size_t size) {
    lua_Debug ar;
    buf[0] = '\0';
    if (!L) return;
    for (int level = 0; level < 64 && lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) break;
        if (ar.currentline > 0) {
            snprintf(buf, size, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
}

/* Small blocks (tables, strings, closures: what a sweep churns through)
 * come from per-size free lists; Lua always tells the allocator a block's
 * size, so no header is needed. */
static bool in_pool(const ttlx_lua_t *e, const void *p) {
    return e->pool_base && (const char *)p >= e->pool_base && (const char *)p < e->pool_end;
}

static void pool_init(ttlx_lua_t *e) {
    if (POOL_MAX == 0) return;
    void *m = mmap(NULL, POOL_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return; /* plain malloc then */
    e->pool_base = e->pool_pos = m;
    e->pool_end = e->pool_base + POOL_BYTES;
}

static void pool_release(ttlx_lua_t *e) {
    if (e->pool_base) munmap(e->pool_base, POOL_BYTES);
    e->pool_base = e->pool_pos = e->pool_end = NULL;
}

static void *block_alloc(ttlx_lua_t *e, size_t size) {
    if (size <= POOL_MAX && e->pool_base) {
        size_t c = (size - 1) / POOL_GRAIN;
        pool_block_t *b = e->pool_free[c];
        if (b) {
            e->pool_free[c] = b->next;
            return b;
        }
        size_t bytes = (c + 1) * POOL_GRAIN;
        if ((size_t)(e->pool_end - e->pool_pos) >= bytes) {
            void *p = e->pool_pos;
            e->pool_pos += bytes;
            return p;
        }
    }
    return malloc(size);
}

static void block_free(ttlx_lua_t *e, void *p, size_t size) {
    if (in_pool(e, p)) {
        size_t c = (size - 1) / POOL_GRAIN;
        pool_block_t *b = p;
        b->next = e->pool_free[c];
        e->pool_free[c] = b;
    } else {
        free(p);
    }
}

/* The capped allocator: refuses growth past cap_bytes and remembers where
 * the script was, because Lua's own memory error carries no position. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    ttlx_lua_t *e = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) block_free(e, ptr, osize);
        e->used_bytes -= old;
        return NULL;
    }
    if (nsize > old && e->used_bytes - old + nsize > e->cap_bytes) {
        if (!e->cap_hit) {
            e->cap_hit = true;
            note_position(e->L, e->cap_where, sizeof e->cap_where);
        }
        return NULL;
    }
    void *p;
    if (ptr && !in_pool(e, ptr) && (old > POOL_MAX || !e->pool_base)) {
        p = realloc(ptr, nsize);
    } else if (ptr && in_pool(e, ptr) && nsize <= POOL_MAX &&
               (old - 1) / POOL_GRAIN == (nsize - 1) / POOL_GRAIN) {
        p = ptr; /* same size class */
    } else {
        p = block_alloc(e, nsize);
        if (p && ptr) {
            memcpy(p, ptr, old < nsize ? old : nsize);
            block_free(e, ptr, old);
        }
    }
    if (!p) return NULL;
    e->used_bytes = e->used_bytes - old + nsize;
    return p;
}

/* ---------------------------------------------------------------- budget */

static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    ttlx_lua_t *e = engine_of(L);
    if (!e->budget_on) return;
    if (!e->expired) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec < e->deadline.tv_sec ||
            (now.tv_sec == e->deadline.tv_sec && now.tv_nsec < e->deadline.tv_nsec)) {
            if (lua_gethookcount(L) != BUDGET_STEP)
                lua_sethook(L, budget_hook, LUA_MASKCOUNT, BUDGET_STEP);
            return;
        }
        e->expired = true;
    }
    /* From now on fail at every instruction, so a pcall in the script
     * cannot swallow the error and carry on. */
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    char msg[400];
    note_position(L, msg, 300);
    size_t n = strlen(msg);
    snprintf(msg + n, sizeof msg - n, "%sscript exceeded its instruction budget (%ld ms)",
             n ? ": " : "", e->budget_ms);
    lua_pushstring(L, msg);
    lua_error(L);
}

/* ----------------------------------------------------------------- state */

static ttlx_func_t *cur_func(ttlx_lua_t *e) {
    if (e->hosted) {
        size_t fi = 0;
        const char *path = NULL;
        ttlx_module_t *m = e->host.module(e->host.ud, &fi, &path);
        if (!m || fi >= ttlx_module_func_count(m)) return NULL;
        return ttlx_module_func(m, fi);
    }
    if (!e->mod || e->func_index >= ttlx_module_func_count(e->mod)) return NULL;
    return ttlx_module_func(e->mod, e->func_index);
}

static ttlx_module_t *cur_module(ttlx_lua_t *e, size_t *fi, const char **path) {
    if (e->hosted) {
        size_t i = 0;
        const char *p = NULL;
        ttlx_module_t *m = e->host.module(e->host.ud, &i, &p);
        if (fi) *fi = i;
        if (path) *path = p;
        return m;
    }
    if (fi) *fi = e->func_index;
    if (path) *path = e->path;
    return e->mod;
}

static const ttlx_device_t *cur_device(ttlx_lua_t *e) {
    if (e->hosted && e->host.device) {
        const ttlx_device_t *d = e->host.device(e->host.ud);
        if (d) return d;
    }
    return &e->dev;
}

static ttlx_func_t *need_func(lua_State *L, ttlx_lua_t *e) {
    ttlx_func_t *f = cur_func(e);
    if (!f)
        luaL_error(L, "no PrimFunc is loaded (give `ttlx run` a FILE, or call ttlx.load(path))");
    return f;
}

static void drop_result(ttlx_lua_t *e) {
    if (e->result) {
        ttlx_result_free(e->result);
        e->result = NULL;
    }
}

static void drop_scratch(ttlx_lua_t *e) {
    if (e->scratch) {
        cJSON_Delete(e->scratch);
        e->scratch = NULL;
    }
}

/* Records the hints before the first edit of a top-level call. */
static void note_hint_edit(lua_State *L, ttlx_lua_t *e, ttlx_func_t *f) {
    if (e->depth == 0 || e->dirty) return;
    e->snapshot = ttlx_func_hints_copy(f);
    if (!e->snapshot) luaL_error(L, "out of memory copying the hints");
    e->snap_func = f;
    e->snap_gen = e->generation;
    e->dirty = true;
}

static bool switch_device(ttlx_lua_t *e, const ttlx_device_t *dev, char *err, size_t errsize) {
    if (e->hosted && e->host.set_device) {
        if (!e->host.set_device(e->host.ud, dev, err, errsize)) return false;
        if (e->host.device) return true;
    }
    e->dev = *dev;
    return true;
}

static void note_device_change(ttlx_lua_t *e) {
    if (e->depth == 0 || e->dev_changed) return;
    e->dev_before = *cur_device(e);
    e->dev_changed = true;
}

/* ---------------------------------------------------------------- output */

static void out_text(ttlx_lua_t *e, const char *s, size_t n) {
    if (e->output)
        e->output(e->output_ud, s, n);
    else
        fwrite(s, 1, n, stdout);
}

static int l_print(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        size_t len;
        const char *s = luaL_tolstring(L, i, &len);
        (void)s;
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    out_text(e, s, len);
    return 0;
}

/* io.write in the sandbox: strings and numbers to the console. */
static int l_sandbox_write(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_checklstring(L, i, &len);
        out_text(e, s, len);
    }
    return 0;
}

/* ------------------------------------------------------------ registries */

static void reg_entry_clear(lua_State *L, reg_entry_t *r) {
    luaL_unref(L, LUA_REGISTRYINDEX, r->ref);
    free(r->name);
    free(r->help);
    free(r->source);
}

static void reg_remove(lua_State *L, reg_list_t *l, size_t i) {
    reg_entry_clear(L, &l->v[i]);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof l->v[0]);
    l->n--;
}

static void reg_drop_source(lua_State *L, reg_list_t *l, const char *source) {
    for (size_t i = l->n; i-- > 0;)
        if (!strcmp(l->v[i].source, source)) reg_remove(L, l, i);
}

static void reg_free(lua_State *L, reg_list_t *l) {
    for (size_t i = 0; i < l->n; i++)
        reg_entry_clear(L, &l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static reg_entry_t *reg_find(reg_list_t *l, const char *name) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].name, name)) return &l->v[i];
    return NULL;
}

/* Adds (or, when unique and the name exists, replaces) an entry; the
 * function is at stack index fn. Raises a Lua error on failure. */
static void reg_add(lua_State *L, reg_list_t *l, const char *name, const char *help, int fn,
                    bool unique) {
    ttlx_lua_t *e = engine_of(L);
    reg_entry_t *r = unique ? reg_find(l, name) : NULL;
    char *n = strdup(name), *h = strdup(help ? help : ""),
         *s = strdup(e->current_source ? e->current_source : "");
    if (!n || !h || !s) {
        free(n);
        free(h);
        free(s);
        luaL_error(L, "out of memory");
    }
    if (!r) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 8;
            reg_entry_t *v = realloc(l->v, cap * sizeof *v);
            if (!v) {
                free(n);
                free(h);
                free(s);
                luaL_error(L, "out of memory");
            }
            l->v = v;
            l->cap = cap;
        }
        r = &l->v[l->n++];
        r->ref = LUA_NOREF;
    } else {
        luaL_unref(L, LUA_REGISTRYINDEX, r->ref);
        r->ref = LUA_NOREF;
        free(r->name);
        free(r->help);
        free(r->source);
    }
    r->name = n;
    r->help = h;
    r->source = s;
    r->pub.name = n;
    r->pub.help = h;
    r->pub.source = s;
    lua_pushvalue(L, fn);
    r->ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* ------------------------------------------------ protected top-level run */

static int msg_handler(lua_State *L) {
    if (lua_type(L, 1) == LUA_TTABLE) {
        /* an already formatted report (a failed event handler) */
        lua_pushliteral(L, "ttlx_formatted");
        if (lua_rawget(L, 1) == LUA_TSTRING) return 1;
        lua_pop(L, 1);
    }
    int t = lua_type(L, 1);
    const char *msg = t == LUA_TSTRING || t == LUA_TNUMBER ? lua_tostring(L, 1) : NULL;
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
            msg = lua_tostring(L, -1);
        } else {
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static void set_error(ttlx_lua_t *e, const char *msg) {
    free(e->error);
    e->error = strdup(msg ? msg : "");
    size_t n = strcspn(msg ? msg : "", "\n");
    if (n >= sizeof e->error_line) n = sizeof e->error_line - 1;
    memcpy(e->error_line, msg ? msg : "", n);
    e->error_line[n] = '\0';
}

static void begin_run(ttlx_lua_t *e) {
    e->expired = false;
    e->cap_hit = false;
    e->cap_where[0] = '\0';
    e->dirty = false;
    e->snapshot = NULL;
    e->dev_changed = false;
    e->budget_on = e->budget_ms >= 0;
    if (e->budget_on) {
        clock_gettime(CLOCK_MONOTONIC, &e->deadline);
        e->deadline.tv_sec += e->budget_ms / 1000;
        e->deadline.tv_nsec += (e->budget_ms % 1000) * 1000000L;
        if (e->deadline.tv_nsec >= 1000000000L) {
            e->deadline.tv_sec++;
            e->deadline.tv_nsec -= 1000000000L;
        }
    }
    lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, BUDGET_STEP);
}

static void end_run(ttlx_lua_t *e, bool ok, const char *label) {
    e->budget_on = false;
    e->infer_event_edited = ok && e->dirty && !strcmp(label, "event infer");
    /* Between calls the host may replace the module the result borrows. */
    drop_result(e);
    lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, BUDGET_STEP);
    bool changed = e->dirty || e->dev_changed;
    if (ok) {
        if (e->dirty) {
            if (e->hosted && e->host.hints_edited && e->snap_gen == e->generation)
                e->host.hints_edited(e->host.ud, e->snapshot, label);
            else
                cJSON_Delete(e->snapshot);
        }
    } else {
        if (e->dirty) {
            ttlx_func_t *f = cur_func(e);
            if (f && f == e->snap_func && e->snap_gen == e->generation) {
                drop_result(e);
                if (!ttlx_func_set_hints(f, e->snapshot)) cJSON_Delete(e->snapshot);
            } else {
                cJSON_Delete(e->snapshot);
            }
        }
        if (e->dev_changed) {
            char err[256];
            switch_device(e, &e->dev_before, err, sizeof err);
        }
        lua_gc(e->L, LUA_GCCOLLECT);
    }
    e->snapshot = NULL;
    e->dirty = false;
    e->dev_changed = false;
    if (changed && e->hosted && e->host.redraw) e->host.redraw(e->host.ud);
}

/* Calls the function below nargs arguments on the stack, protected, with
 * a traceback. Leaves nresults results (LUA_MULTRET: all) on success,
 * nothing on failure. */
static ttlx_lua_status_t protected_call(ttlx_lua_t *e, int nargs, int nresults, const char *label) {
    lua_State *L = e->L;
    bool top = e->depth == 0;
    if (top) {
        set_error(e, "");
        begin_run(e);
    }
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msg_handler);
    lua_insert(L, base);
    e->depth++;
    int st = lua_pcall(L, nargs, nresults, base);
    e->depth--;
    lua_remove(L, base);
    bool ok = st == LUA_OK;
    if (!ok) {
        /* Build the report in C: after a memory error Lua may have no room. */
        /* The cap may have been touched and recovered from (Lua collects
         * and retries): only an error that is about memory reports it. */
        bool mem = st == LUA_ERRMEM || (e->cap_hit && lua_type(L, -1) == LUA_TSTRING &&
                                        strstr(lua_tostring(L, -1), "not enough memory"));
        if (mem) {
            char msg[512];
            double mib = (double)e->cap_bytes / (1024.0 * 1024.0);
            snprintf(msg, sizeof msg, "%s%sscript exceeded its memory cap (%g MiB)", e->cap_where,
                     e->cap_where[0] ? ": " : "", mib);
            if (top) set_error(e, msg);
        } else if (top) {
            set_error(e, lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                        : "(error object is not a string)");
        }
        lua_pop(L, 1);
    }
    if (top) {
        end_run(e, ok, label);
        if (!ok && e->cap_hit) e->cap_hit = false;
    }
    return ok ? TTLX_LUA_OK : TTLX_LUA_ERROR;
}

/* -------------------------------------------------------------- ttlx.* */

static int push_func_table(lua_State *L, ttlx_lua_t *e) {
    ttlx_func_t *f = need_func(L, e);
    size_t fi = 0;
    ttlx_module_t *m = cur_module(e, &fi, NULL);
    lua_createtable(L, 0, 8);
    lua_pushstring(L, ttlx_func_name(f));
    lua_setfield(L, -2, "name");
    lua_pushstring(L, ttlx_func_description(f));
    lua_setfield(L, -2, "description");
    size_t nb = ttlx_func_buffer_count(f);
    lua_createtable(L, (int)nb, 0);
    for (size_t i = 0; i < nb; i++) {
        ttlx_luaconv_push_buffer(L, ttlx_func_buffer(f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "buffers");
    int64_t ext[3];
    int nk = ttlx_func_kernel(f, ext);
    lua_createtable(L, nk, 0);
    for (int i = 0; i < nk; i++) {
        lua_pushinteger(L, ext[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "kernel");
    const char *dn = ttlx_func_device_name(f);
    if (dn) {
        lua_pushstring(L, dn);
        lua_setfield(L, -2, "device");
    }
    ttlx_luaconv_push_json(L, ttlx_func_attrs(f));
    lua_setfield(L, -2, "attrs");
    size_t nf = ttlx_module_func_count(m);
    lua_createtable(L, (int)nf, 0);
    for (size_t i = 0; i < nf; i++) {
        lua_pushstring(L, ttlx_func_name(ttlx_module_func(m, i)));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "functions");
    lua_pushstring(L, ttlx_module_format(m));
    lua_setfield(L, -2, "format");
    (void)fi;
    return 1;
}

static int l_func(lua_State *L) {
    lua_settop(L, 0);
    return push_func_table(L, engine_of(L));
}

static int l_buffers(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    ttlx_func_t *f = need_func(L, e);
    size_t nb = ttlx_func_buffer_count(f);
    lua_createtable(L, (int)nb, 0);
    for (size_t i = 0; i < nb; i++) {
        ttlx_luaconv_push_buffer(L, ttlx_func_buffer(f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Converts the table at idx to cJSON, kept in e->scratch while converting
 * so that a Lua error cannot leak it; returns it with ownership. */
static cJSON *table_to_json(lua_State *L, ttlx_lua_t *e, int idx, const char *what) {
    char err[300];
    drop_scratch(e);
    cJSON *j = ttlx_luaconv_to_json(L, idx, err, sizeof err);
    if (!j) luaL_error(L, "%s: %s", what, err);
    return j;
}

static int l_hint(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    ttlx_func_t *f = need_func(L, e);
    if (lua_gettop(L) < 2) {
        const cJSON *h = ttlx_func_hint(f, buf);
        if (!h)
            lua_pushnil(L);
        else
            ttlx_luaconv_push_json(L, h);
        return 1;
    }
    if (lua_isnil(L, 2)) {
        note_hint_edit(L, e, f);
        if (!ttlx_func_set_hint(f, buf, NULL)) return luaL_error(L, "ttlx.hint: out of memory");
        return 0;
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    cJSON *h = table_to_json(L, e, 2, "ttlx.hint");
    e->scratch = h; /* freed by the engine if a Lua error strikes below */
    if (!cJSON_IsObject(h)) {
        if (cJSON_GetArraySize(h) > 0)
            return luaL_argerror(L, 2, "a hint is a table with string keys (SPEC 2)");
        cJSON_Delete(h);
        h = e->scratch = cJSON_CreateObject(); /* {} */
        if (!h) return luaL_error(L, "ttlx.hint: out of memory");
    }
    note_hint_edit(L, e, f);
    e->scratch = NULL;
    if (!ttlx_func_set_hint(f, buf, h)) return luaL_error(L, "ttlx.hint: out of memory");
    return 0;
}

static int l_clear_hint(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    ttlx_func_t *f = need_func(L, e);
    note_hint_edit(L, e, f);
    if (!ttlx_func_set_hint(f, buf, NULL)) return luaL_error(L, "ttlx.clear_hint: out of memory");
    return 0;
}

/* ttlx.hints() -> {buffer = hint, ...}; ttlx.hints(tbl) replaces them all
 * (nil or {} clears). */
static int l_hints(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    ttlx_func_t *f = need_func(L, e);
    if (lua_gettop(L) < 1) {
        drop_scratch(e);
        e->scratch = ttlx_func_hints_copy(f);
        if (!e->scratch) return luaL_error(L, "ttlx.hints: out of memory");
        ttlx_luaconv_push_json(L, e->scratch);
        drop_scratch(e);
        return 1;
    }
    cJSON *all = NULL;
    if (!lua_isnil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        all = table_to_json(L, e, 1, "ttlx.hints");
        e->scratch = all;
        if (cJSON_IsArray(all) && cJSON_GetArraySize(all) > 0)
            return luaL_argerror(L, 1, "a table of buffer name = hint");
        if (cJSON_IsArray(all)) {
            cJSON_Delete(all);
            all = e->scratch = cJSON_CreateObject();
            if (!all) return luaL_error(L, "ttlx.hints: out of memory");
        }
    }
    note_hint_edit(L, e, f);
    e->scratch = NULL;
    if (!ttlx_func_set_hints(f, all)) return luaL_error(L, "ttlx.hints: out of memory");
    return 0;
}

static void push_device(lua_State *L, ttlx_lua_t *e, const ttlx_device_t *d) {
    drop_scratch(e);
    e->scratch = ttlx_device_to_json(d);
    if (!e->scratch) luaL_error(L, "out of memory");
    ttlx_luaconv_push_json(L, e->scratch);
    drop_scratch(e);
}

static int l_device(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    if (lua_gettop(L) < 1 || lua_isnil(L, 1)) {
        push_device(L, e, cur_device(e));
        return 1;
    }
    ttlx_device_t d;
    ttlx_error_t err = {0};
    char msg[600];
    if (lua_type(L, 1) == LUA_TSTRING) {
        const char *name = lua_tostring(L, 1);
        if (!ttlx_device_resolve(name, &d, &err))
            return luaL_error(L, "ttlx.device: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    } else {
        luaL_argexpected(L, lua_type(L, 1) == LUA_TTABLE, 1, "device name, file or table");
        cJSON *j = table_to_json(L, e, 1, "ttlx.device");
        e->scratch = j;
        bool ok = ttlx_device_from_json(j, &d, &err);
        drop_scratch(e);
        if (!ok)
            return luaL_error(L, "ttlx.device: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    }
    note_device_change(e);
    if (!switch_device(e, &d, msg, sizeof msg)) return luaL_error(L, "ttlx.device: %s", msg);
    push_device(L, e, cur_device(e));
    return 1;
}

static int l_devices(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    size_t n = ttlx_device_builtin_count();
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        push_device(L, e, ttlx_device_builtin(i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Infers the current function into e->result (owned by the engine). */
static const ttlx_result_t *run_infer(lua_State *L, ttlx_lua_t *e) {
    ttlx_func_t *f = need_func(L, e);
    drop_result(e);
    ttlx_error_t err = {0};
    e->result = ttlx_infer(f, cur_device(e), &err);
    if (!e->result) luaL_error(L, "ttlx.infer: %s", err.what[0] ? err.what : "out of memory");
    return e->result;
}

static void fire_handlers(lua_State *L, ttlx_lua_t *e, int ev, int arg, bool isolate);

static int l_infer(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const ttlx_result_t *r = run_infer(L, e);
    ttlx_luaconv_push_result(L, r);
    if (e->events[EV_INFER].n && !e->in_infer_event)
        fire_handlers(L, e, EV_INFER, lua_gettop(L), false);
    return 1;
}

static int l_infer_json(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const ttlx_result_t *r = run_infer(L, e);
    char *text = ttlx_output_json_text(r);
    if (!text) return luaL_error(L, "ttlx.infer_json: out of memory");
    lua_pushstring(L, text);
    ttlx_free(text);
    return 1;
}

static int l_diagnostics(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const ttlx_result_t *r = run_infer(L, e);
    ttlx_luaconv_push_diagnostics(L, r);
    return 1;
}

/* ttlx.place(buf, row, col) -> where tile (row, col) of the buffer's 2-D
 * tile view lives (0-based coordinates), or nil when out of range. */
static int l_place(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    lua_Integer row = luaL_checkinteger(L, 2), col = luaL_checkinteger(L, 3);
    ttlx_func_t *f = need_func(L, e);
    int bi = ttlx_func_find_buffer(f, buf);
    if (bi < 0) return luaL_argerror(L, 1, lua_pushfstring(L, "no buffer named '%s'", buf));
    const ttlx_result_t *r = run_infer(L, e);
    ttlx_place_t p;
    if (!ttlx_place_tile(r, (size_t)bi, row, col, &p)) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 8);
    lua_pushstring(L, p.dram ? "DRAM" : "L1");
    lua_setfield(L, -2, "memory");
    lua_pushinteger(L, p.bank);
    lua_setfield(L, -2, "bank");
    if (!p.dram) {
        lua_pushinteger(L, p.x);
        lua_setfield(L, -2, "x");
        lua_pushinteger(L, p.y);
        lua_setfield(L, -2, "y");
    }
    if (p.shard >= 0) {
        lua_pushinteger(L, p.shard);
        lua_setfield(L, -2, "shard");
        lua_pushinteger(L, p.offset);
        lua_setfield(L, -2, "offset");
    }
    lua_pushinteger(L, p.slot);
    lua_setfield(L, -2, "slot");
    lua_pushboolean(L, p.padding);
    lua_setfield(L, -2, "padding");
    return 1;
}

/* ttlx.core(x, y) -> {used=, cbs=, l1_bank=, buffers={name=bytes}} */
static int l_core(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    lua_Integer x = luaL_checkinteger(L, 1), y = luaL_checkinteger(L, 2);
    const ttlx_device_t *d = cur_device(e);
    luaL_argcheck(L, x >= 0 && x < d->grid_x, 1, "core x outside the device grid");
    luaL_argcheck(L, y >= 0 && y < d->grid_y, 2, "core y outside the device grid");
    const ttlx_result_t *r = run_infer(L, e);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, ttlx_result_core_used(r, (int)x, (int)y));
    lua_setfield(L, -2, "used");
    lua_pushinteger(L, ttlx_result_core_cb_bytes(r, (int)x, (int)y));
    lua_setfield(L, -2, "cbs");
    lua_pushinteger(L, d->l1_bank_bytes);
    lua_setfield(L, -2, "l1_bank");
    lua_newtable(L);
    size_t n = ttlx_result_buffer_count(r);
    for (size_t i = 0; i < n; i++) {
        const ttlx_layout_t *lay = ttlx_result_layout(r, i);
        if (lay->memory != TTLX_MEM_L1) continue;
        int64_t b = ttlx_result_buffer_bytes_on(r, i, (int)x, (int)y);
        if (b <= 0) continue;
        lua_pushinteger(L, b);
        lua_setfield(L, -2, lay->buf->name);
    }
    lua_setfield(L, -2, "buffers");
    return 1;
}

static void fire_load_nested(lua_State *L, ttlx_lua_t *e) {
    if (!e->events[EV_LOAD].n) return;
    push_func_table(L, e);
    fire_handlers(L, e, EV_LOAD, lua_gettop(L), false);
    lua_pop(L, 1);
}

static int l_load(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *path = luaL_checkstring(L, 1);
    char msg[700];
    if (e->hosted) {
        if (!e->host.load)
            return luaL_error(L, "ttlx.load: the explorer does not allow loading here");
        msg[0] = '\0';
        drop_result(e); /* it borrows the module the host is about to free */
        if (!e->host.load(e->host.ud, path, msg, sizeof msg))
            return luaL_error(L, "ttlx.load: %s", msg[0] ? msg : path);
        e->generation++;
    } else {
        ttlx_error_t err = {0};
        ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
        if (!m)
            return luaL_error(L, "ttlx.load: %s", ttlx_error_format(&err, path, msg, sizeof msg));
        ttlx_device_t d = e->dev;
        const char *dn = ttlx_func_device_name(ttlx_module_func(m, 0));
        if (dn && !ttlx_device_resolve(dn, &d, &err)) {
            ttlx_module_free(m);
            return luaL_error(L, "ttlx.load: %s", ttlx_error_format(&err, path, msg, sizeof msg));
        }
        char *p = strdup(path);
        if (!p) {
            ttlx_module_free(m);
            return luaL_error(L, "ttlx.load: out of memory");
        }
        ttlx_lua_set_module(e, m, 0, &d, NULL);
        e->path = p;
    }
    if (e->hosted && e->host.redraw) e->host.redraw(e->host.ud);
    fire_load_nested(L, e);
    return 0;
}

/* ttlx.new_func(tbl): a PrimFunc from a table in SPEC 1.1 form (or
 * {functions = {...}}) becomes the current module, as ttlx.load does. */
static int l_new_func(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    cJSON *doc = table_to_json(L, e, 1, "ttlx.new_func");
    ttlx_error_t err = {0};
    char msg[700];
    ttlx_module_t *m = ttlx_module_from_json(doc, &err); /* takes doc */
    if (!m)
        return luaL_error(L, "ttlx.new_func: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    if (e->hosted) {
        if (!e->host.adopt) {
            ttlx_module_free(m);
            return luaL_error(L, "ttlx.new_func: the explorer does not allow it here");
        }
        msg[0] = '\0';
        drop_result(e);
        if (!e->host.adopt(e->host.ud, m, msg, sizeof msg))
            return luaL_error(L, "ttlx.new_func: %s", msg[0] ? msg : "refused");
        e->generation++;
        if (e->host.redraw) e->host.redraw(e->host.ud);
    } else {
        ttlx_device_t d = e->dev;
        const char *dn = ttlx_func_device_name(ttlx_module_func(m, 0));
        if (dn && !ttlx_device_resolve(dn, &d, &err)) {
            ttlx_module_free(m);
            return luaL_error(L, "ttlx.new_func: %s",
                              ttlx_error_format(&err, NULL, msg, sizeof msg));
        }
        ttlx_lua_set_module(e, m, 0, &d, NULL);
    }
    fire_load_nested(L, e);
    return 0;
}

/* ttlx.select(buffer): the explorer shows this buffer (no-op headless). */
static int l_select(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    if (e->hosted && e->host.select) e->host.select(e->host.ud, buf);
    return 0;
}

/* ttlx.json(value) -> JSON text (2-space indent, stable key order). */
static int l_json(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    luaL_checkany(L, 1);
    char err[300];
    drop_scratch(e);
    e->scratch = ttlx_luaconv_to_json(L, 1, err, sizeof err);
    if (!e->scratch) return luaL_error(L, "ttlx.json: %s", err);
    char *text = ttlx_luaconv_json_text(e->scratch);
    drop_scratch(e);
    if (!text) return luaL_error(L, "ttlx.json: out of memory");
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n') n--;
    lua_pushlstring(L, text, n);
    ttlx_free(text);
    return 1;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Renders the current module in fmt and writes it to path atomically. */
static int export_with(lua_State *L, ttlx_lua_t *e, ttlx_export_format_t fmt, const char *path,
                       const char *who) {
    size_t fi = 0;
    const char *src = NULL;
    ttlx_module_t *m = cur_module(e, &fi, &src);
    ttlx_error_t err = {0};
    char msg[700];
    if (!ttlx_export_to_file(m, fi, cur_device(e), fmt, src, path, &err))
        return luaL_error(L, "%s: %s", who, ttlx_error_format(&err, NULL, msg, sizeof msg));
    return 0;
}

static int l_save(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *path = luaL_optstring(L, 1, NULL);
    need_func(L, e);
    char msg[600];
    if (e->hosted && e->host.save) {
        msg[0] = '\0';
        if (!e->host.save(e->host.ud, path, msg, sizeof msg))
            return luaL_error(L, "ttlx.save: %s", msg[0] ? msg : "failed");
        return 0;
    }
    const char *cur = NULL;
    ttlx_module_t *m = cur_module(e, NULL, &cur);
    if (!path) path = cur;
    if (!path) return luaL_error(L, "ttlx.save: no file to save to (give a path)");
    luaL_argcheck(L, strcmp(path, "-") != 0, 1, "a file path");
    bool tvm = ends_with(path, ".py") || ends_with(path, ".tvm") ||
               (!strcmp(ttlx_module_format(m), "tvmscript") && cur && !strcmp(path, cur));
    if (tvm) return export_with(L, e, TTLX_EXPORT_TVMSCRIPT, path, "ttlx.save");
    ttlx_error_t err = {0};
    if (!ttlx_export_save_json(m, cur, path, &err))
        return luaL_error(L, "ttlx.save: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    return 0;
}

static int l_export(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *path = luaL_checkstring(L, 1);
    const char *fmt = luaL_checkstring(L, 2);
    luaL_argcheck(L, strcmp(path, "-") != 0, 1, "a file path");
    need_func(L, e);
    ttlx_export_format_t f;
    if (!ttlx_export_format_parse(fmt, &f))
        return luaL_argerror(L, 2,
                             lua_pushfstring(L,
                                             "unknown format '%s' (json, python, "
                                             "tvmscript, plan, svg)",
                                             fmt));
    return export_with(L, e, f, path, "ttlx.export");
}

static int l_on(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    int ev = luaL_checkoption(L, 1, NULL, event_names);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    reg_add(L, &e->events[ev], event_names[ev], "", 2, false);
    return 0;
}

static bool valid_command_name(const char *s) {
    if (!*s || strlen(s) > 64) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.') return false;
    return true;
}

static int l_command(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    const char *help = luaL_optstring(L, 3, "");
    luaL_argcheck(L, valid_command_name(name), 1,
                  "a command name is 1-64 letters, digits, '_', '-' or '.'");
    reg_add(L, &e->commands, name, help, 2, true);
    if (e->hosted && e->host.bindings_changed) e->host.bindings_changed(e->host.ud);
    return 0;
}

static int l_bind(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    size_t len;
    const char *key = luaL_checklstring(L, 1, &len);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    const char *help = luaL_optstring(L, 3, "");
    bool ok = len > 0 && len < 32;
    for (size_t i = 0; ok && i < len; i++)
        if (isspace((unsigned char)key[i]) || iscntrl((unsigned char)key[i])) ok = false;
    luaL_argcheck(L, ok, 1, "a key is 1-31 characters without spaces: \"n\", \"C-n\", \"<F5>\"");
    reg_add(L, &e->keys, key, help, 2, true);
    if (e->hosted && e->host.bindings_changed) e->host.bindings_changed(e->host.ud);
    return 0;
}

/* The registered commands or keys as {{name=, help=, source=}, ...}. */
static void push_reg_list(lua_State *L, const reg_list_t *l) {
    lua_createtable(L, (int)l->n, 0);
    for (size_t i = 0; i < l->n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, l->v[i].name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, l->v[i].help);
        lua_setfield(L, -2, "help");
        lua_pushstring(L, l->v[i].source);
        lua_setfield(L, -2, "source");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int l_commands(lua_State *L) {
    push_reg_list(L, &engine_of(L)->commands);
    return 1;
}

static int l_keys(lua_State *L) {
    push_reg_list(L, &engine_of(L)->keys);
    return 1;
}

/* Runs the handlers of event ev with the value at index arg. Nested in a
 * script (isolate false) a failing handler raises its error there; fired by
 * the host (isolate true) every handler runs under its own pcall and the
 * first failure is raised afterwards as a formatted report. */
static void fire_handlers(lua_State *L, ttlx_lua_t *e, int ev, int arg, bool isolate) {
    reg_list_t *l = &e->events[ev];
    bool saved = e->in_infer_event;
    if (ev == EV_INFER) e->in_infer_event = true;
    /* Handlers may register or drop handlers: call a copy of the list. */
    size_t n = l->n;
    lua_pushnil(L); /* first error */
    int errslot = lua_gettop(L);
    lua_createtable(L, (int)n, 0);
    int refs = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, l->v[i].ref);
        lua_rawseti(L, refs, (lua_Integer)i + 1);
    }
    for (size_t i = 0; i < n; i++) {
        if (!isolate) {
            lua_rawgeti(L, refs, (lua_Integer)i + 1);
            lua_pushvalue(L, arg);
            lua_call(L, 1, 0);
            continue;
        }
        lua_pushcfunction(L, msg_handler);
        int h = lua_gettop(L);
        lua_rawgeti(L, refs, (lua_Integer)i + 1);
        lua_pushvalue(L, arg);
        if (lua_pcall(L, 1, 0, h) != LUA_OK) {
            if (lua_isnil(L, errslot)) {
                const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
                lua_pushfstring(L, "'%s' event handler failed: %s", event_names[ev], m);
                lua_replace(L, errslot);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        if (e->expired || e->cap_hit) break;
    }
    e->in_infer_event = saved;
    if (!lua_isnil(L, errslot)) {
        lua_createtable(L, 0, 1);
        lua_pushvalue(L, errslot);
        lua_setfield(L, -2, "ttlx_formatted");
        lua_error(L);
    }
    lua_settop(L, errslot - 1);
}

/* Protected body of ttlx_lua_fire: upvalue-free, args (engine event, result). */
static int fire_body(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    int ev = (int)lua_tointeger(L, 1);
    const ttlx_result_t *r = lua_touserdata(L, 2);
    if (ev == EV_LOAD) {
        push_func_table(L, e);
    } else {
        if (!r) r = run_infer(L, e);
        ttlx_luaconv_push_result(L, r);
    }
    fire_handlers(L, e, ev, lua_gettop(L), true);
    return 0;
}

/* ------------------------------------------------------------- sandbox */

static int l_sandbox_stub(lua_State *L) {
    return luaL_error(L, "%s is not available in the sandbox (`ttlx run --trust` lifts it)",
                      lua_tostring(L, lua_upvalueindex(1)));
}

/* __index of the sandbox's io and os tables: names what is missing. */
static int l_sandbox_index(lua_State *L) {
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    const char *key = lua_tostring(L, 2);
    lua_pushfstring(L, "%s.%s", lib, key ? key : "?");
    lua_pushcclosure(L, l_sandbox_stub, 1);
    return 1;
}

/* load() with text chunks only. */
static int l_sandbox_load(lua_State *L) {
    int n = lua_gettop(L);
    if (n >= 3 && !lua_isnil(L, 3)) {
        const char *mode = luaL_checkstring(L, 3);
        if (strchr(mode, 'b') && !strchr(mode, 't')) {
            luaL_pushfail(L);
            lua_pushliteral(L, "binary chunks are not allowed in the sandbox (text only)");
            return 2;
        }
    }
    while (lua_gettop(L) < 3)
        lua_pushnil(L);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int l_sandbox_collectgarbage(lua_State *L) {
    static const char *const allowed[] = {"collect", "count", "step", "isrunning", NULL};
    int opt = luaL_checkoption(L, 1, "collect", allowed);
    switch (opt) {
    case 1: {
        int k = lua_gc(L, LUA_GCCOUNT), b = lua_gc(L, LUA_GCCOUNTB);
        lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
        return 1;
    }
    case 2:
        lua_pushboolean(L, lua_gc(L, LUA_GCSTEP, (int)luaL_optinteger(L, 2, 0)));
        return 1;
    case 3:
        lua_pushboolean(L, lua_gc(L, LUA_GCISRUNNING));
        return 1;
    default:
        lua_gc(L, LUA_GCCOLLECT);
        lua_pushinteger(L, 0);
        return 1;
    }
}

static void set_stub(lua_State *L, int table, const char *field, const char *name) {
    lua_pushstring(L, name);
    lua_pushcclosure(L, l_sandbox_stub, 1);
    lua_setfield(L, table, field);
}

/* Lua's pattern matcher runs in C, where the instruction budget cannot stop
 * it, and backtracking over k repetition items ('*', '+', '-') can take about
 * n^k / k! steps on an n-byte subject: a dozen of them on 30 KB would run for
 * days. The sandbox refuses calls whose bound is over 10^9 steps (seconds of
 * work); --trust lifts the check with the rest of the sandbox. */
static int pattern_repetitions(const char *p, size_t len) {
    int k = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '%') {
            i++; /* an escape or a class: the next byte is not an operator */
        } else if (p[i] == '[') {
            size_t j = i + 1;
            if (j < len && p[j] == '^') j++;
            if (j < len && p[j] == ']') j++;
            while (j < len && p[j] != ']')
                j += p[j] == '%' ? 2 : 1;
            i = j;
        } else if ((p[i] == '*' || p[i] == '+' || p[i] == '-') && i > 0) {
            k++;
        }
    }
    return k;
}

/* Finalizers run with debug hooks off (Lua stops hooks during __gc), so
 * neither the budget nor anything else could stop an endless one: the
 * sandbox refuses metatables with a __gc field. Lua marks an object for
 * finalization only when __gc is there at setmetatable time, so a field
 * added later does nothing. */
static int l_sandbox_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        bool gc = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (gc)
            return luaL_error(L, "setmetatable: __gc finalizers are not available in the "
                                 "sandbox (they run where the budget cannot stop them)");
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int l_guarded_match(lua_State *L) {
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    size_t n = 0, plen = 0;
    bool plain = !strcmp(name, "find") && lua_toboolean(L, 4);
    if (!plain && lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING) {
        lua_tolstring(L, 1, &n);
        const char *p = lua_tolstring(L, 2, &plen);
        int k = pattern_repetitions(p, plen);
        double bound = 1.0;
        for (int i = 1; i <= k && bound <= 1e9; i++)
            bound *= (double)n / i;
        if (k >= 2 && bound > 1e9)
            return luaL_error(L,
                              "string.%s: a pattern with %d repetitions on a %I-byte string "
                              "could outrun the script's budget (the matcher cannot be "
                              "interrupted); the sandbox refuses it: use fewer '*', '+', '-' "
                              "or a shorter string (or --trust)",
                              name, k, (lua_Integer)n);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static void open_sandbox(lua_State *L) {
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                                    {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},
                                    {LUA_COLIBNAME, luaopen_coroutine},
                                    {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    set_stub(L, g, "dofile", "dofile");
    set_stub(L, g, "loadfile", "loadfile");
    set_stub(L, g, "require", "require");
    lua_getfield(L, g, "load");
    lua_pushcclosure(L, l_sandbox_load, 1);
    lua_setfield(L, g, "load");
    lua_pushcfunction(L, l_sandbox_collectgarbage);
    lua_setfield(L, g, "collectgarbage");
    lua_getfield(L, g, "setmetatable");
    lua_pushcclosure(L, l_sandbox_setmetatable, 1);
    lua_setfield(L, g, "setmetatable");
    lua_getfield(L, g, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    static const char *const matchers[] = {"find", "match", "gmatch", "gsub"};
    for (size_t k = 0; k < sizeof matchers / sizeof matchers[0]; k++) {
        lua_getfield(L, -1, matchers[k]);
        lua_pushstring(L, matchers[k]);
        lua_pushcclosure(L, l_guarded_match, 2);
        lua_setfield(L, -2, matchers[k]);
    }
    lua_pop(L, 1);

    /* io: write goes to the console; everything else is refused by name. */
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, l_sandbox_write);
    lua_setfield(L, -2, "write");
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "io");
    lua_pushcclosure(L, l_sandbox_index, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, g, "io");

    /* package and debug: absent, but say so by name. */
    static const char *const absent[] = {"package", "debug", NULL};
    for (const char *const *a = absent; *a; a++) {
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushstring(L, *a);
        lua_pushcclosure(L, l_sandbox_index, 1);
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, -2);
        lua_setfield(L, g, *a);
    }

    /* os: the clock and calendar only. */
    luaL_requiref(L, "ttlx.os", luaopen_os, 0);
    int full = lua_gettop(L);
    lua_createtable(L, 0, 4);
    static const char *const keep[] = {"clock", "date", "difftime", "time", NULL};
    for (const char *const *k = keep; *k; k++) {
        lua_getfield(L, full, *k);
        lua_setfield(L, -2, *k);
    }
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "os");
    lua_pushcclosure(L, l_sandbox_index, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, g, "os");
    lua_pop(L, 1); /* full os */
    /* forget the full os library kept in package.loaded by luaL_requiref */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    lua_setfield(L, -2, "ttlx.os");
    lua_pop(L, 1);
    lua_pop(L, 1); /* globals */
}

/* Helpers written in Lua: ttlx.inspect (a readable one-line view of any
 * value, keys sorted) and ttlx.tabulate (aligned text tables). */
static const char prelude[] =
    "local ttlx = ...\n"
    "local function key_lt(a, b)\n"
    "  local ta, tb = type(a), type(b)\n"
    "  if ta ~= tb then return ta < tb end\n"
    "  if ta == 'number' or ta == 'string' then return a < b end\n"
    "  return tostring(a) < tostring(b)\n"
    "end\n"
    "function ttlx.inspect(v, max)\n"
    "  max = max or 4000\n"
    "  local out, n, seen = {}, 0, {}\n"
    "  local function put(s) n = n + 1; out[n] = s end\n"
    "  local function walk(x, depth)\n"
    "    local t = type(x)\n"
    "    if t == 'string' then put((string.format('%q', x):gsub('\\\\\\n', '\\\\n')))\n"
    "    elseif t ~= 'table' then put(tostring(x))\n"
    "    elseif seen[x] then put('<cycle>')\n"
    "    elseif depth > 8 then put('{...}')\n"
    "    else\n"
    "      seen[x] = true\n"
    "      local len, first = rawlen(x), true\n"
    "      put('{')\n"
    "      for i = 1, len do\n"
    "        if not first then put(', ') end\n"
    "        first = false\n"
    "        walk(rawget(x, i), depth + 1)\n"
    "      end\n"
    "      local keys = {}\n"
    "      for k in pairs(x) do\n"
    "        if not (math.type(k) == 'integer' and k >= 1 and k <= len) then keys[#keys + 1] = k "
    "end\n"
    "      end\n"
    "      table.sort(keys, key_lt)\n"
    "      for _, k in ipairs(keys) do\n"
    "        if not first then put(', ') end\n"
    "        first = false\n"
    "        if type(k) == 'string' and k:match('^[%a_][%w_]*$') then put(k)\n"
    "        else put('['); walk(k, depth + 1); put(']') end\n"
    "        put(' = ')\n"
    "        walk(rawget(x, k), depth + 1)\n"
    "      end\n"
    "      put('}')\n"
    "      seen[x] = nil\n"
    "    end\n"
    "  end\n"
    "  walk(v, 0)\n"
    "  local s = table.concat(out)\n"
    "  if #s > max then s = s:sub(1, max) .. '...' end\n"
    "  return s\n"
    "end\n"
    "function ttlx.tabulate(header, rows)\n"
    "  local width, right = {}, {}\n"
    "  local all = {header}\n"
    "  for _, r in ipairs(rows) do all[#all + 1] = r end\n"
    "  for ri, r in ipairs(all) do\n"
    "    for i, c in ipairs(r) do\n"
    "      local s = tostring(c)\n"
    "      if #s > (width[i] or 0) then width[i] = #s end\n"
    "      if ri > 1 and type(c) == 'number' and right[i] == nil then right[i] = true end\n"
    "      if ri > 1 and type(c) ~= 'number' then right[i] = false end\n"
    "    end\n"
    "  end\n"
    "  local lines = {}\n"
    "  for ri, r in ipairs(all) do\n"
    "    local cells = {}\n"
    "    for i = 1, #width do\n"
    "      local s = tostring(r[i] == nil and '' or r[i])\n"
    "      local pad = string.rep(' ', width[i] - #s)\n"
    "      cells[i] = right[i] and pad .. s or s .. pad\n"
    "    end\n"
    "    lines[#lines + 1] = (table.concat(cells, '  '):gsub('%s+$', ''))\n"
    "    if ri == 1 then\n"
    "      local rule = {}\n"
    "      for i = 1, #width do rule[i] = string.rep('-', width[i]) end\n"
    "      lines[#lines + 1] = table.concat(rule, '  ')\n"
    "    end\n"
    "  end\n"
    "  return table.concat(lines, '\\n')\n"
    "end\n"
    "function ttlx.lesson(lesson)\n"
    "  local steps, cur = lesson.steps, 0\n"
    "  local function show(i)\n"
    "    local s = steps[i]\n"
    "    print(string.format('== %s: step %d/%d: %s ==', lesson.title, i, #steps, s.title))\n"
    "    for line in (s.text .. '\\n'):gmatch('(.-)\\n') do print(line) end\n"
    "    if s.run then s.run() end\n"
    "  end\n"
    "  local function go(i)\n"
    "    cur = math.max(1, math.min(#steps, i))\n"
    "    show(cur)\n"
    "  end\n"
    "  if lesson.setup then lesson.setup() end\n"
    "  if lesson.intro then print(lesson.intro) end\n"
    "  if ttlx.headless then\n"
    "    for i = 1, #steps do print() show(i) end\n"
    "    return\n"
    "  end\n"
    "  local nk, pk = lesson.next_key or '>', lesson.prev_key or '<'\n"
    "  ttlx.bind(nk, function() go(cur + 1) end, lesson.title .. ': next step')\n"
    "  ttlx.bind(pk, function() go(cur - 1) end, lesson.title .. ': previous step')\n"
    "  ttlx.command('lesson', function(n) go(tonumber(n) or cur) end,\n"
    "              lesson.title .. ': show step N (the current one without N)')\n"
    "  print(string.format('(%s: next step, %s: previous, :lesson N: step N)', nk, pk))\n"
    "  go(1)\n"
    "end\n";

static const luaL_Reg ttlx_funcs[] = {{"func", l_func},
                                      {"buffers", l_buffers},
                                      {"hint", l_hint},
                                      {"clear_hint", l_clear_hint},
                                      {"hints", l_hints},
                                      {"device", l_device},
                                      {"devices", l_devices},
                                      {"infer", l_infer},
                                      {"infer_json", l_infer_json},
                                      {"diagnostics", l_diagnostics},
                                      {"place", l_place},
                                      {"core", l_core},
                                      {"load", l_load},
                                      {"save", l_save},
                                      {"export", l_export},
                                      {"new_func", l_new_func},
                                      {"select", l_select},
                                      {"json", l_json},
                                      {"on", l_on},
                                      {"command", l_command},
                                      {"bind", l_bind},
                                      {"commands", l_commands},
                                      {"keys", l_keys},
                                      {NULL, NULL}};

/* Builds the globals; runs unprotected from ttlx_lua_new through
 * lua_pcall of this function. */
static int setup_state(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    if (e->trust)
        luaL_openlibs(L);
    else
        open_sandbox(L);
    lua_pushcfunction(L, l_print);
    lua_setglobal(L, "print");
    luaL_newlib(L, ttlx_funcs);
    lua_pushstring(L, TTLX_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushboolean(L, !e->hosted);
    lua_setfield(L, -2, "headless");
    lua_pushboolean(L, e->trust);
    lua_setfield(L, -2, "trusted");
    lua_pushvalue(L, -1);
    lua_setglobal(L, "ttlx");
    if (luaL_loadbufferx(L, prelude, sizeof prelude - 1, "=ttlx.prelude", "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, -2);
    lua_call(L, 1, 0);
    e->ttlx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* -------------------------------------------------------------- public */

ttlx_lua_t *ttlx_lua_new(const ttlx_lua_opts_t *opts) {
    ttlx_lua_opts_t o = {0};
    if (opts) o = *opts;
    ttlx_lua_t *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->trust = o.trust;
    e->budget_ms = o.budget_ms == 0 ? TTLX_LUA_DEFAULT_BUDGET_MS : o.budget_ms;
    e->cap_bytes = o.memory_cap_bytes ? o.memory_cap_bytes : TTLX_LUA_DEFAULT_MEMORY_CAP;
    e->output = o.output;
    e->output_ud = o.output_ud;
    if (o.host) {
        e->host = *o.host;
        e->hosted = e->host.module != NULL;
    }
    e->dev = *ttlx_device_default();
    e->current_source = "";
    e->ttlx_ref = LUA_NOREF;
    pool_init(e);
    e->L = lua_newstate(capped_alloc, e);
    if (!e->L) {
        pool_release(e);
        free(e);
        return NULL;
    }
    *(ttlx_lua_t **)lua_getextraspace(e->L) = e;
    lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, BUDGET_STEP);
    /* Sweeps make many short-lived tables (one document per evaluation):
     * the generational collector suits them best. */
    lua_gc(e->L, LUA_GCGEN, 0, 0);
    lua_pushcfunction(e->L, setup_state);
    if (lua_pcall(e->L, 0, 0, 0) != LUA_OK) {
        lua_close(e->L);
        pool_release(e);
        free(e);
        return NULL;
    }
    set_error(e, "");
    return e;
}

void ttlx_lua_free(ttlx_lua_t *eng) {
    if (!eng) return;
    drop_result(eng);
    drop_scratch(eng);
    reg_free(eng->L, &eng->commands);
    reg_free(eng->L, &eng->keys);
    for (int i = 0; i < EV_COUNT; i++)
        reg_free(eng->L, &eng->events[i]);
    lua_close(eng->L);
    pool_release(eng);
    cJSON_Delete(eng->snapshot);
    ttlx_module_free(eng->mod);
    free(eng->path);
    for (size_t i = 0; i < eng->nwatched; i++)
        free(eng->watched[i]);
    free(eng->watched);
    free(eng->error);
    free(eng);
}

void ttlx_lua_set_module(ttlx_lua_t *eng, ttlx_module_t *mod, size_t func_index,
                         const ttlx_device_t *dev, const char *path) {
    drop_result(eng);
    if (eng->mod != mod) ttlx_module_free(eng->mod);
    eng->mod = mod;
    eng->func_index = func_index;
    if (dev) {
        eng->dev = *dev;
    } else if (mod && func_index < ttlx_module_func_count(mod)) {
        const char *dn = ttlx_func_device_name(ttlx_module_func(mod, func_index));
        ttlx_device_t d;
        ttlx_error_t err = {0};
        if (dn && ttlx_device_resolve(dn, &d, &err)) eng->dev = d;
    }
    free(eng->path);
    eng->path = path ? strdup(path) : NULL;
    eng->generation++;
}

ttlx_module_t *ttlx_lua_module(const ttlx_lua_t *eng) {
    return eng->hosted ? NULL : eng->mod;
}

static int set_args_body(lua_State *L) {
    const char *script = lua_touserdata(L, 1);
    int nargs = (int)lua_tointeger(L, 2);
    char **args = lua_touserdata(L, 3);
    lua_createtable(L, nargs, 1);
    lua_pushstring(L, script ? script : "");
    lua_rawseti(L, -2, 0);
    for (int i = 0; i < nargs; i++) {
        lua_pushstring(L, args[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setglobal(L, "arg");
    return 0;
}

void ttlx_lua_set_args(ttlx_lua_t *eng, const char *script, int nargs, char **args) {
    lua_State *L = eng->L;
    lua_pushcfunction(L, set_args_body);
    lua_pushlightuserdata(L, (void *)script);
    lua_pushinteger(L, nargs);
    lua_pushlightuserdata(L, args);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) lua_pop(L, 1);
}

/* The watched list's copy of path (added when new), NULL when out of
 * memory. */
static const char *add_watched(ttlx_lua_t *e, const char *path) {
    for (size_t i = 0; i < e->nwatched; i++)
        if (!strcmp(e->watched[i], path)) return e->watched[i];
    if (e->nwatched == e->capwatched) {
        size_t cap = e->capwatched ? e->capwatched * 2 : 4;
        char **v = realloc(e->watched, cap * sizeof *v);
        if (!v) return NULL;
        e->watched = v;
        e->capwatched = cap;
    }
    char *p = strdup(path);
    if (!p) return NULL;
    e->watched[e->nwatched++] = p;
    return p;
}

ttlx_lua_status_t ttlx_lua_run_file(ttlx_lua_t *eng, const char *path) {
    lua_State *L = eng->L;
    set_error(eng, "");
    const char *saved = eng->current_source;
    /* Watch files that exist (a script with a syntax error too, so that
     * saving the fix reruns it); a rerun replaces what it registered. */
    struct stat sb;
    const char *src = stat(path, &sb) == 0 ? add_watched(eng, path) : NULL;
    if (src) {
        reg_drop_source(L, &eng->commands, src);
        reg_drop_source(L, &eng->keys, src);
        for (int i = 0; i < EV_COUNT; i++)
            reg_drop_source(L, &eng->events[i], src);
    }
    eng->current_source = src ? src : "";
    char why[600];
    if (!sys_file_check(path, why, sizeof why)) { /* a FIFO: refused, never waited on */
        set_error(eng, why);
        eng->current_source = saved;
        return TTLX_LUA_ERROR;
    }
    begin_run(eng); /* loading counts against the cap and the clock too */
    int st = luaL_loadfilex(L, path, eng->trust ? NULL : "t");
    eng->budget_on = false;
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM || eng->cap_hit) {
            lua_pop(L, 1);
            lua_pushfstring(L, "%s: script exceeded its memory cap", path);
        }
        set_error(eng, lua_tostring(L, -1));
        lua_pop(L, 1);
        eng->current_source = saved;
        eng->cap_hit = false;
        return TTLX_LUA_ERROR;
    }
    char label[300];
    snprintf(label, sizeof label, "script %s", path);
    ttlx_lua_status_t r = protected_call(eng, 0, 0, label);
    eng->current_source = saved;
    if (eng->hosted && eng->host.bindings_changed) eng->host.bindings_changed(eng->host.ud);
    return r;
}

/* The protected body of a `:lua` line: runs the chunk (argument 1) and
 * prints its results through ttlx.inspect. */
static int repl_body(lua_State *L) {
    ttlx_lua_t *e = engine_of(L);
    lua_call(L, 0, LUA_MULTRET);
    int n = lua_gettop(L);
    if (n == 0) return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->ttlx_ref);
    lua_getfield(L, -1, "inspect");
    int inspect = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        lua_pushvalue(L, inspect);
        lua_pushvalue(L, i);
        lua_call(L, 1, 1);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    out_text(e, s, len);
    return 0;
}

ttlx_lua_status_t ttlx_lua_run_string(ttlx_lua_t *eng, const char *line) {
    lua_State *L = eng->L;
    set_error(eng, "");
    const char *mode = eng->trust ? NULL : "t";
    size_t n = strlen(line);
    bool loaded = false;
    lua_pushcfunction(L, repl_body);
    char *ret = malloc(n + 8);
    if (ret) {
        memcpy(ret, "return ", 7);
        memcpy(ret + 7, line, n + 1);
        loaded = luaL_loadbufferx(L, ret, n + 7, "=lua", mode) == LUA_OK;
        free(ret);
        if (!loaded) lua_pop(L, 1);
    }
    if (!loaded && luaL_loadbufferx(L, line, n, "=lua", mode) != LUA_OK) {
        set_error(eng, lua_tostring(L, -1));
        lua_pop(L, 2);
        eng->cap_hit = false;
        return TTLX_LUA_ERROR;
    }
    const char *saved = eng->current_source;
    eng->current_source = "";
    char label[300];
    snprintf(label, sizeof label, ":lua %.280s", line);
    ttlx_lua_status_t r = protected_call(eng, 1, 0, label);
    eng->current_source = saved;
    return r;
}

int ttlx_lua_load_init(ttlx_lua_t *eng) {
    char path[4096];
    const char *env = getenv("TTLX_CONFIG");
    struct stat st;
    path[0] = '\0';
    if (env && *env) {
        if (stat(env, &st) == 0 && S_ISDIR(st.st_mode))
            snprintf(path, sizeof path, "%s/init.lua", env);
        else
            snprintf(path, sizeof path, "%s", env);
    } else if ((env = getenv("XDG_CONFIG_HOME")) && *env) {
        snprintf(path, sizeof path, "%s/ttlx/init.lua", env);
    } else if ((env = getenv("HOME")) && *env) {
        snprintf(path, sizeof path, "%s/.config/ttlx/init.lua", env);
    }
    if (!path[0] || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    return ttlx_lua_run_file(eng, path) == TTLX_LUA_OK ? 1 : -1;
}

const char *const *ttlx_lua_watched_files(const ttlx_lua_t *eng, size_t *count) {
    if (count) *count = eng->nwatched;
    return (const char *const *)eng->watched;
}

bool ttlx_lua_busy(const ttlx_lua_t *eng) {
    return eng->depth > 0;
}

bool ttlx_lua_has_handlers(const ttlx_lua_t *eng, const char *event) {
    for (int i = 0; i < EV_COUNT; i++)
        if (!strcmp(event, event_names[i])) return eng->events[i].n > 0;
    return false;
}

ttlx_lua_status_t ttlx_lua_fire(ttlx_lua_t *eng, const char *event, const ttlx_result_t *r) {
    set_error(eng, "");
    int ev = -1;
    for (int i = 0; i < EV_COUNT; i++)
        if (!strcmp(event, event_names[i])) ev = i;
    if (ev < 0) {
        set_error(eng, "unknown event");
        return TTLX_LUA_ERROR;
    }
    if (!eng->events[ev].n) return TTLX_LUA_OK;
    if (ev == EV_INFER && eng->infer_event_edited) {
        /* This inference is the rerun that the handlers' own edits caused:
         * firing again could loop forever. */
        eng->infer_event_edited = false;
        return TTLX_LUA_OK;
    }
    lua_State *L = eng->L;
    lua_pushcfunction(L, fire_body);
    lua_pushinteger(L, ev);
    lua_pushlightuserdata(L, (void *)r);
    char label[64];
    snprintf(label, sizeof label, "event %s", event);
    return protected_call(eng, 2, 0, label);
}

static ttlx_lua_status_t run_entry(ttlx_lua_t *eng, reg_list_t *l, const char *name,
                                   const char *args, const char *kind) {
    set_error(eng, "");
    reg_entry_t *r = reg_find(l, name);
    if (!r) {
        char msg[200];
        snprintf(msg, sizeof msg, "no %s '%s' is registered", kind, name);
        set_error(eng, msg);
        return TTLX_LUA_NOT_FOUND;
    }
    lua_State *L = eng->L;
    if (!lua_checkstack(L, 70)) {
        set_error(eng, "out of Lua stack");
        return TTLX_LUA_ERROR;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref);
    int nargs = 0;
    for (const char *p = args ? args : ""; *p && nargs < 64;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p) break;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        lua_pushlstring(L, s, (size_t)(p - s));
        nargs++;
    }
    char label[200];
    snprintf(label, sizeof label, "%s %s", kind, name);
    const char *saved = eng->current_source;
    /* The entry may be replaced while it runs (a key that rebinds itself):
     * take the watched list's copy of its source, which lives as long as
     * the engine. */
    eng->current_source = "";
    for (size_t i = 0; i < eng->nwatched; i++)
        if (!strcmp(eng->watched[i], r->source)) eng->current_source = eng->watched[i];
    ttlx_lua_status_t st = protected_call(eng, nargs, 0, label);
    eng->current_source = saved;
    return st;
}

ttlx_lua_status_t ttlx_lua_run_command(ttlx_lua_t *eng, const char *name, const char *args) {
    return run_entry(eng, &eng->commands, name, args, "command");
}

ttlx_lua_status_t ttlx_lua_run_key(ttlx_lua_t *eng, const char *key) {
    return run_entry(eng, &eng->keys, key, NULL, "key");
}

size_t ttlx_lua_command_count(const ttlx_lua_t *eng) {
    return eng->commands.n;
}
const ttlx_lua_binding_t *ttlx_lua_command_at(const ttlx_lua_t *eng, size_t i) {
    return i < eng->commands.n ? &eng->commands.v[i].pub : NULL;
}
size_t ttlx_lua_key_count(const ttlx_lua_t *eng) {
    return eng->keys.n;
}
const ttlx_lua_binding_t *ttlx_lua_key_at(const ttlx_lua_t *eng, size_t i) {
    return i < eng->keys.n ? &eng->keys.v[i].pub : NULL;
}

const char *ttlx_lua_error(const ttlx_lua_t *eng) {
    return eng->error ? eng->error : "";
}
const char *ttlx_lua_error_line(const ttlx_lua_t *eng) {
    return eng->error_line;
}

lua_State *ttlx_lua_state(ttlx_lua_t *eng) {
    return eng->L;
}
