/*
 * bind_hints.c - the bindings that read and set layout hints: ttlx.hint,
 * ttlx.clear_hint and ttlx.hints (edits are recorded for the rollback).
 */
#include "lua/lua_internal.h"

#include "lua/lua_convert.h"

cJSON *bind_table_to_json(lua_State *L, lua_engine_t *e, int idx, const char *what) {
    char err[300];
    engine_drop_scratch(e);
    cJSON *j = lua_conv_to_json(L, idx, err, sizeof err);
    if (!j) luaL_error(L, "%s: %s", what, err);
    return j;
}

int l_hint(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    ttlx_func_t *f = engine_need_func(L, e);
    if (lua_gettop(L) < 2) {
        const cJSON *h = ttlx_func_hint(f, buf);
        if (!h)
            lua_pushnil(L);
        else
            lua_conv_push_json(L, h);
        return 1;
    }
    if (lua_isnil(L, 2)) {
        engine_note_hint_edit(L, e, f);
        if (!ttlx_func_set_hint(f, buf, NULL)) return luaL_error(L, "ttlx.hint: out of memory");
        return 0;
    }
    luaL_checktype(L, 2, LUA_TTABLE);
    cJSON *h = bind_table_to_json(L, e, 2, "ttlx.hint");
    e->scratch = h; /* freed by the engine if a Lua error strikes below */
    if (!cJSON_IsObject(h)) {
        if (cJSON_GetArraySize(h) > 0)
            return luaL_argerror(L, 2, "a hint is a table with string keys (SPEC 2)");
        cJSON_Delete(h);
        h = e->scratch = cJSON_CreateObject(); /* {} */
        if (!h) return luaL_error(L, "ttlx.hint: out of memory");
    }
    engine_note_hint_edit(L, e, f);
    e->scratch = NULL;
    if (!ttlx_func_set_hint(f, buf, h)) return luaL_error(L, "ttlx.hint: out of memory");
    return 0;
}

int l_clear_hint(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    ttlx_func_t *f = engine_need_func(L, e);
    engine_note_hint_edit(L, e, f);
    if (!ttlx_func_set_hint(f, buf, NULL)) return luaL_error(L, "ttlx.clear_hint: out of memory");
    return 0;
}

/* ttlx.hints() -> {buffer = hint, ...}; ttlx.hints(tbl) replaces them all
 * (nil or {} clears). */
int l_hints(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    ttlx_func_t *f = engine_need_func(L, e);
    if (lua_gettop(L) < 1) {
        engine_drop_scratch(e);
        e->scratch = ttlx_func_hints_copy(f);
        if (!e->scratch) return luaL_error(L, "ttlx.hints: out of memory");
        lua_conv_push_json(L, e->scratch);
        engine_drop_scratch(e);
        return 1;
    }
    cJSON *all = NULL;
    if (!lua_isnil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        all = bind_table_to_json(L, e, 1, "ttlx.hints");
        e->scratch = all;
        if (cJSON_IsArray(all) && cJSON_GetArraySize(all) > 0)
            return luaL_argerror(L, 1, "a table of buffer name = hint");
        if (cJSON_IsArray(all)) {
            cJSON_Delete(all);
            all = e->scratch = cJSON_CreateObject();
            if (!all) return luaL_error(L, "ttlx.hints: out of memory");
        }
    }
    engine_note_hint_edit(L, e, f);
    e->scratch = NULL;
    if (!ttlx_func_set_hints(f, all)) return luaL_error(L, "ttlx.hints: out of memory");
    return 0;
}
