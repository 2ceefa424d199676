/*
 * engine.c - the engine of ttlx's Lua scripting: the capped allocator with
 * its small-block pool, the instruction budget (a count hook that checks a
 * monotonic deadline), the current state (module, function, device), the
 * protected top-level call with its traceback and the rollback of hints
 * when it fails, and the public entry points that run scripts.
 */
#include "lua/lua_internal.h"
#include "sys/file.h"

#include "ttlx_output.h"
#include "ttlx_sb.h"
#include "ttlx_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

/* Instructions between two looks at the clock: ~20-100 us of Lua work. */
#define BUDGET_STEP 10000

/* ---------------------------------------------------------------- output */

void engine_out_text(lua_engine_t *e, const char *s, size_t n) {
    if (e->output)
        e->output(e->output_ud, s, n);
    else
        fwrite(s, 1, n, stdout);
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
static bool in_pool(const lua_engine_t *e, const void *p) {
    return e->pool_base && (const char *)p >= e->pool_base && (const char *)p < e->pool_end;
}

static void pool_init(lua_engine_t *e) {
    if (POOL_MAX == 0) return;
    void *m = mmap(NULL, POOL_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return; /* plain malloc then */
    e->pool_base = e->pool_pos = m;
    e->pool_end = e->pool_base + POOL_BYTES;
}

static void pool_release(lua_engine_t *e) {
    if (e->pool_base) munmap(e->pool_base, POOL_BYTES);
    e->pool_base = e->pool_pos = e->pool_end = NULL;
}

static void *block_alloc(lua_engine_t *e, size_t size) {
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

static void block_free(lua_engine_t *e, void *p, size_t size) {
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
    lua_engine_t *e = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) block_free(e, ptr, osize);
        e->used_bytes -= old;
        return NULL;
    }
    size_t core = e->account_on && e->account.held > 0 ? (size_t)e->account.held : 0;
    if (nsize > old && e->used_bytes - old + nsize + core > e->cap_bytes) {
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

/* The account's question: may the core hold `held` net bytes more for the
 * script? Lua's garbage is collected once before saying no, as Lua does
 * for its own allocations; not when trusted, where a finalizer could run
 * the script's code in the middle of the core's work. */
static bool core_allow(void *ud, int64_t held) {
    lua_engine_t *e = ud;
    if (held <= 0 || e->used_bytes + (uint64_t)held <= e->cap_bytes) return true;
    if (e->L && e->depth > 0 && !e->trust) {
        lua_gc(e->L, LUA_GCCOLLECT);
        if (e->used_bytes + (uint64_t)held <= e->cap_bytes) return true;
    }
    e->core_refused = true;
    return false;
}

void engine_account_on(lua_engine_t *e) {
    e->account = (ttlx_alloc_account_t){.allow = core_allow, .ud = e};
    e->core_refused = false;
    if (!e->account_on) e->account_before = ttlx_alloc_account_set(&e->account);
    e->account_on = true;
}

void engine_account_off(lua_engine_t *e) {
    if (!e->account_on) return;
    ttlx_alloc_account_set(e->account_before);
    e->account_on = false;
    e->account.held = 0;
}

bool engine_memory_failed(lua_State *L, size_t fails_before) {
    return ttlx_alloc_failures() != fails_before || engine_of(L)->core_refused;
}

int engine_error_core(lua_State *L, const char *who, const char *what, size_t fails_before) {
    if (!engine_memory_failed(L, fails_before) && what && what[0])
        return luaL_error(L, "%s: %s", who, what);
    return engine_error_memory(L, who);
}

int engine_error_memory(lua_State *L, const char *who) {
    lua_engine_t *e = engine_of(L);
    if (e->core_refused) {
        e->core_refused = false;
        char mib[32];
        snprintf(mib, sizeof mib, "%g", (double)e->cap_bytes / (1024.0 * 1024.0));
        return luaL_error(L,
                          "%s: memory limit of %s MiB reached (the script's Lua values and what "
                          "ttlx builds for it count together; raise it with --lua-memory MIB)",
                          who, mib);
    }
    return luaL_error(L, "%s: out of memory", who);
}

/* ---------------------------------------------------------------- budget */

static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_engine_t *e = engine_of(L);
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
    engine_raise_budget(L, e);
}

/* The budget error, where the script is: from the hook and from the bounded
 * library functions (app/lua/bounded.c), which run in C. Does not return. */
void engine_raise_budget(lua_State *L, void *ud) {
    lua_engine_t *e = ud;
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

/* Whether the script's time is up, for the bounded library functions that
 * run long in C where the hook never fires: the deadline test of
 * budget_hook(). Between runs the time is never up. */
bool engine_budget_expired(void *ud) {
    lua_engine_t *e = ud;
    if (!e->budget_on) return false;
    if (e->expired) return true;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec < e->deadline.tv_sec ||
        (now.tv_sec == e->deadline.tv_sec && now.tv_nsec < e->deadline.tv_nsec))
        return false;
    e->expired = true;
    return true;
}

/* ----------------------------------------------------------------- state */

ttlx_func_t *engine_cur_func(lua_engine_t *e) {
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

ttlx_module_t *engine_cur_module(lua_engine_t *e, size_t *fi, const char **path) {
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

const ttlx_device_t *engine_cur_device(lua_engine_t *e) {
    if (e->hosted && e->host.device) {
        const ttlx_device_t *d = e->host.device(e->host.ud);
        if (d) return d;
    }
    return &e->dev;
}

ttlx_func_t *engine_need_func(lua_State *L, lua_engine_t *e) {
    ttlx_func_t *f = engine_cur_func(e);
    if (!f)
        luaL_error(L, "no PrimFunc is loaded (give `ttlx run` a FILE, or call ttlx.load(path))");
    return f;
}

void engine_drop_result(lua_engine_t *e) {
    if (e->result) {
        ttlx_result_free(e->result);
        e->result = NULL;
    }
}

void engine_drop_scratch(lua_engine_t *e) {
    if (e->scratch) {
        cJSON_Delete(e->scratch);
        e->scratch = NULL;
    }
}

/* Records the hints before the first edit of a top-level call. */
void engine_note_hint_edit(lua_State *L, lua_engine_t *e, ttlx_func_t *f) {
    if (e->depth == 0 || e->dirty) return;
    e->snapshot = ttlx_func_hints_copy(f);
    if (!e->snapshot) engine_error_memory(L, "copying the hints");
    e->snap_func = f;
    e->snap_gen = e->generation;
    e->dirty = true;
}

bool engine_switch_device(lua_engine_t *e, const ttlx_device_t *dev, char *err, size_t errsize) {
    if (e->hosted && e->host.set_device) {
        if (!e->host.set_device(e->host.ud, dev, err, errsize)) return false;
        if (e->host.device) return true;
    }
    e->dev = *dev;
    return true;
}

void engine_note_device_change(lua_engine_t *e) {
    if (e->depth == 0 || e->dev_changed) return;
    e->dev_before = *engine_cur_device(e);
    e->dev_changed = true;
}
/* ------------------------------------------------ protected top-level run */

int engine_msg_handler(lua_State *L) {
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
    /* The message may quote a name or the script's own text: in its
     * terminal-safe form (ttlx_text.h) it stays one line, whatever it holds,
     * and the traceback's lines below it cannot be forged. */
    size_t len = strlen(msg);
    if (!ttlx_text_is_safe(msg)) {
        ttlx_sb_t sb = {0};
        ttlx_sb_safe_n(&sb, msg, len > 65536 ? 65536 : len, false);
        if (len > 65536) TTLX_SB_LIT(&sb, "...");
        if (!sb.failed) msg = lua_pushlstring(L, sb.data, sb.len);
        ttlx_sb_free(&sb);
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

void engine_set_error(lua_engine_t *e, const char *msg) {
    free(e->error);
    e->error = strdup(msg ? msg : "");
    size_t n = strcspn(msg ? msg : "", "\n");
    if (n >= sizeof e->error_line) n = sizeof e->error_line - 1;
    memcpy(e->error_line, msg ? msg : "", n);
    e->error_line[n] = '\0';
}

void engine_begin_run(lua_engine_t *e) {
    if (e->hosted) { /* between calls the user picks the buffer in the explorer */
        free(e->selected);
        e->selected = NULL;
    }
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
    engine_account_on(e);
}

static void end_run(lua_engine_t *e, bool ok, const char *label) {
    e->budget_on = false;
    engine_account_off(e);
    e->infer_event_edited = ok && e->dirty && !strcmp(label, "event infer");
    /* Between calls the host may replace the module the result borrows. */
    engine_drop_result(e);
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
            ttlx_func_t *f = engine_cur_func(e);
            if (f && f == e->snap_func && e->snap_gen == e->generation) {
                engine_drop_result(e);
                if (!ttlx_func_set_hints(f, e->snapshot)) cJSON_Delete(e->snapshot);
            } else {
                cJSON_Delete(e->snapshot);
            }
        }
        if (e->dev_changed) {
            char err[256];
            engine_switch_device(e, &e->dev_before, err, sizeof err);
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
lua_engine_status_t engine_protected_call(lua_engine_t *e, int nargs, int nresults,
                                          const char *label) {
    lua_State *L = e->L;
    bool top = e->depth == 0;
    if (top) {
        engine_set_error(e, "");
        engine_begin_run(e);
    }
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, engine_msg_handler);
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
            if (top) engine_set_error(e, msg);
        } else if (top) {
            engine_set_error(e, lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                               : "(error object is not a string)");
        }
        lua_pop(L, 1);
    }
    if (top) {
        end_run(e, ok, label);
        if (!ok && e->cap_hit) e->cap_hit = false;
    }
    return ok ? LUA_ENGINE_OK : LUA_ENGINE_ERROR;
}

/* -------------------------------------------------------------- public */

lua_engine_t *lua_engine_new(const lua_engine_opts_t *opts) {
    lua_engine_opts_t o = {0};
    if (opts) o = *opts;
    lua_engine_t *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->trust = o.trust;
    e->budget_ms = o.budget_ms == 0 ? LUA_ENGINE_DEFAULT_BUDGET_MS : o.budget_ms;
    e->cap_bytes = o.memory_cap_bytes ? o.memory_cap_bytes : LUA_ENGINE_DEFAULT_MEMORY_CAP;
    e->output = o.output;
    e->output_ud = o.output_ud;
    if (o.host) {
        e->host = *o.host;
        e->hosted = e->host.module != NULL;
    }
    e->view_names = o.view_names;
    e->nview_names = o.view_names ? o.nview_names : 0;
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
    *(lua_engine_t **)lua_getextraspace(e->L) = e;
    lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, BUDGET_STEP);
    /* Sweeps make many short-lived tables (one document per evaluation):
     * the generational collector suits them best. */
    lua_gc(e->L, LUA_GCGEN, 0, 0);
    lua_pushcfunction(e->L, table_setup_state);
    if (lua_pcall(e->L, 0, 0, 0) != LUA_OK) {
        lua_close(e->L);
        pool_release(e);
        free(e);
        return NULL;
    }
    engine_set_error(e, "");
    return e;
}

void lua_engine_free(lua_engine_t *eng) {
    if (!eng) return;
    engine_drop_result(eng);
    engine_drop_scratch(eng);
    reg_free(eng->L, &eng->commands);
    reg_free(eng->L, &eng->keys);
    for (int i = 0; i < EV_COUNT; i++)
        reg_free(eng->L, &eng->events[i]);
    lua_close(eng->L);
    pool_release(eng);
    cJSON_Delete(eng->snapshot);
    ttlx_module_free(eng->mod);
    free(eng->path);
    free(eng->selected);
    for (size_t i = 0; i < eng->nwatched; i++)
        free(eng->watched[i]);
    ttlx_free(eng->watched);
    free(eng->error);
    access_free(eng);
    free(eng);
}

bool lua_engine_allow_path(lua_engine_t *eng, const char *path) {
    return access_add(eng, path, false);
}

/* Allows the folder of script path to it. */
static void allow_script_folder(lua_engine_t *e, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return; /* the current folder, always allowed */
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (!dir) return;
    memcpy(dir, path, n);
    dir[n] = '\0';
    access_add(e, dir, true);
    free(dir);
}

void lua_engine_set_module(lua_engine_t *eng, ttlx_module_t *mod, size_t func_index,
                           const ttlx_device_t *dev, const char *path) {
    engine_drop_result(eng);
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
    eng->have_path_id = false;
    eng->generation++;
}

void lua_engine_set_source_id(lua_engine_t *eng, const sys_file_id_t *id) {
    eng->have_path_id = id != NULL;
    if (id) eng->path_id = *id;
}

ttlx_module_t *lua_engine_module(const lua_engine_t *eng) {
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

void lua_engine_set_args(lua_engine_t *eng, const char *script, int nargs, char **args) {
    lua_State *L = eng->L;
    lua_pushcfunction(L, set_args_body);
    lua_pushlightuserdata(L, (void *)script);
    lua_pushinteger(L, nargs);
    lua_pushlightuserdata(L, args);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) lua_pop(L, 1);
}

/* The watched list's copy of path (added when new), NULL when out of
 * memory. */
static const char *add_watched(lua_engine_t *e, const char *path) {
    for (size_t i = 0; i < e->nwatched; i++)
        if (!strcmp(e->watched[i], path)) return e->watched[i];
    if (e->nwatched == e->capwatched) {
        char **v = ttlx_grow(e->watched, &e->capwatched, e->nwatched + 1, sizeof *v);
        if (!v) return NULL;
        e->watched = v;
    }
    char *p = strdup(path);
    if (!p) return NULL;
    e->watched[e->nwatched++] = p;
    return p;
}

lua_engine_status_t lua_engine_run_file(lua_engine_t *eng, const char *path) {
    lua_State *L = eng->L;
    engine_set_error(eng, "");
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
    ttlx_error_t why = {0};
    if (!sys_file_check(path, &why)) { /* a FIFO: refused, never waited on */
        engine_set_error(eng, why.what);
        eng->current_source = saved;
        return LUA_ENGINE_ERROR;
    }
    allow_script_folder(eng, path);
    engine_begin_run(eng); /* loading counts against the cap and the clock too */
    int st = luaL_loadfilex(L, path, eng->trust ? NULL : "t");
    eng->budget_on = false;
    engine_account_off(eng);
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM || eng->cap_hit) {
            lua_pop(L, 1);
            lua_pushfstring(L, "%s: script exceeded its memory cap", path);
        }
        engine_set_error(eng, lua_tostring(L, -1));
        lua_pop(L, 1);
        eng->current_source = saved;
        eng->cap_hit = false;
        return LUA_ENGINE_ERROR;
    }
    char label[300];
    snprintf(label, sizeof label, "script %s", path);
    lua_engine_status_t r = engine_protected_call(eng, 0, 0, label);
    eng->current_source = saved;
    if (eng->hosted && eng->host.bindings_changed) eng->host.bindings_changed(eng->host.ud);
    return r;
}

/* The protected body of a `:lua` line: runs the chunk (argument 1) and
 * prints its results through ttlx.inspect. */
static int repl_body(lua_State *L) {
    lua_engine_t *e = engine_of(L);
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
    engine_out_text(e, s, len);
    return 0;
}

lua_engine_status_t lua_engine_run_string(lua_engine_t *eng, const char *line) {
    lua_State *L = eng->L;
    engine_set_error(eng, "");
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
        engine_set_error(eng, lua_tostring(L, -1));
        lua_pop(L, 2);
        eng->cap_hit = false;
        return LUA_ENGINE_ERROR;
    }
    const char *saved = eng->current_source;
    eng->current_source = "";
    char label[300];
    snprintf(label, sizeof label, ":lua %.280s", line);
    lua_engine_status_t r = engine_protected_call(eng, 1, 0, label);
    eng->current_source = saved;
    return r;
}

int lua_engine_load_init(lua_engine_t *eng) {
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
    return lua_engine_run_file(eng, path) == LUA_ENGINE_OK ? 1 : -1;
}

const char *const *lua_engine_watched_files(const lua_engine_t *eng, size_t *count) {
    if (count) *count = eng->nwatched;
    return (const char *const *)eng->watched;
}

bool lua_engine_busy(const lua_engine_t *eng) {
    return eng->depth > 0;
}

const char *lua_engine_error(const lua_engine_t *eng) {
    return eng->error ? eng->error : "";
}
const char *lua_engine_error_line(const lua_engine_t *eng) {
    return eng->error_line;
}

lua_State *lua_engine_state(lua_engine_t *eng) {
    return eng->L;
}
