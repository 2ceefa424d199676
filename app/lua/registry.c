/*
 * registry.c - what scripts register: `:` commands (ttlx.command), key
 * bindings (ttlx.bind) and event handlers (ttlx.on), who registered them,
 * and how the host runs them (lua_engine_run_command, _run_key, _fire).
 */
#include "lua/lua_internal.h"

#include "lua/lua_convert.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const event_names[] = {"load", "infer", NULL};

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

void reg_drop_source(lua_State *L, reg_list_t *l, const char *source) {
    for (size_t i = l->n; i-- > 0;)
        if (!strcmp(l->v[i].source, source)) reg_remove(L, l, i);
}

void reg_free(lua_State *L, reg_list_t *l) {
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
    lua_engine_t *e = engine_of(L);
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

int l_on(lua_State *L) {
    lua_engine_t *e = engine_of(L);
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

int l_command(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    const char *help = luaL_optstring(L, 3, "");
    luaL_argcheck(L, valid_command_name(name), 1,
                  "a command name is 1-64 letters, digits, '_', '-' or '.'");
    reg_add(L, &e->commands, name, help, 2, true);
    if (e->hosted && e->host.bindings_changed) e->host.bindings_changed(e->host.ud);
    return 0;
}

int l_bind(lua_State *L) {
    lua_engine_t *e = engine_of(L);
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

int l_commands(lua_State *L) {
    push_reg_list(L, &engine_of(L)->commands);
    return 1;
}

int l_keys(lua_State *L) {
    push_reg_list(L, &engine_of(L)->keys);
    return 1;
}

/* Runs the handlers of event ev with the value at index arg. Nested in a
 * script (isolate false) a failing handler raises its error there; fired by
 * the host (isolate true) every handler runs under its own pcall and the
 * first failure is raised afterwards as a formatted report. */
void reg_fire_handlers(lua_State *L, lua_engine_t *e, int ev, int arg, bool isolate) {
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
        lua_pushcfunction(L, engine_msg_handler);
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

/* Protected body of lua_engine_fire: upvalue-free, args (engine event, result). */
static int fire_body(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    int ev = (int)lua_tointeger(L, 1);
    const ttlx_result_t *r = lua_touserdata(L, 2);
    if (ev == EV_LOAD) {
        bind_push_func_table(L, e);
    } else {
        if (!r) r = bind_run_infer(L, e);
        lua_conv_push_result(L, r);
    }
    reg_fire_handlers(L, e, ev, lua_gettop(L), true);
    return 0;
}

bool lua_engine_has_handlers(const lua_engine_t *eng, const char *event) {
    for (int i = 0; i < EV_COUNT; i++)
        if (!strcmp(event, event_names[i])) return eng->events[i].n > 0;
    return false;
}

lua_engine_status_t lua_engine_fire(lua_engine_t *eng, const char *event, const ttlx_result_t *r) {
    engine_set_error(eng, "");
    int ev = -1;
    for (int i = 0; i < EV_COUNT; i++)
        if (!strcmp(event, event_names[i])) ev = i;
    if (ev < 0) {
        engine_set_error(eng, "unknown event");
        return LUA_ENGINE_ERROR;
    }
    if (!eng->events[ev].n) return LUA_ENGINE_OK;
    if (ev == EV_INFER && eng->infer_event_edited) {
        /* This inference is the rerun that the handlers' own edits caused:
         * firing again could loop forever. */
        eng->infer_event_edited = false;
        return LUA_ENGINE_OK;
    }
    lua_State *L = eng->L;
    lua_pushcfunction(L, fire_body);
    lua_pushinteger(L, ev);
    lua_pushlightuserdata(L, (void *)r);
    char label[64];
    snprintf(label, sizeof label, "event %s", event);
    return engine_protected_call(eng, 2, 0, label);
}

static lua_engine_status_t run_entry(lua_engine_t *eng, reg_list_t *l, const char *name,
                                     const char *args, const char *kind) {
    engine_set_error(eng, "");
    reg_entry_t *r = reg_find(l, name);
    if (!r) {
        char msg[200];
        snprintf(msg, sizeof msg, "no %s '%s' is registered", kind, name);
        engine_set_error(eng, msg);
        return LUA_ENGINE_NOT_FOUND;
    }
    lua_State *L = eng->L;
    if (!lua_checkstack(L, 70)) {
        engine_set_error(eng, "out of Lua stack");
        return LUA_ENGINE_ERROR;
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
    lua_engine_status_t st = engine_protected_call(eng, nargs, 0, label);
    eng->current_source = saved;
    return st;
}

lua_engine_status_t lua_engine_run_command(lua_engine_t *eng, const char *name, const char *args) {
    return run_entry(eng, &eng->commands, name, args, "command");
}

lua_engine_status_t lua_engine_run_key(lua_engine_t *eng, const char *key) {
    return run_entry(eng, &eng->keys, key, NULL, "key");
}

size_t lua_engine_command_count(const lua_engine_t *eng) {
    return eng->commands.n;
}
const lua_engine_binding_t *lua_engine_command_at(const lua_engine_t *eng, size_t i) {
    return i < eng->commands.n ? &eng->commands.v[i].pub : NULL;
}
size_t lua_engine_key_count(const lua_engine_t *eng) {
    return eng->keys.n;
}
const lua_engine_binding_t *lua_engine_key_at(const lua_engine_t *eng, size_t i) {
    return i < eng->keys.n ? &eng->keys.v[i].pub : NULL;
}
