/*
 * bind_hints.c - the bindings that read and set layout hints: ttlx.hint,
 * ttlx.clear_hint and ttlx.hints (edits are recorded for the rollback), and
 * ttlx.hint_schema, the core's table of hint keys.
 */
#include "lua/lua_internal.h"

#include "lua/lua_convert.h"
#include "ttlx_hint.h"

cJSON *bind_table_to_json(lua_State *L, lua_engine_t *e, int idx, const char *what) {
    char err[300];
    engine_drop_scratch(e);
    bool late = false;
    size_t f0 = ttlx_alloc_failures();
    cJSON *j = lua_conv_to_json_bounded(L, idx, engine_budget_expired, e, &late, err, sizeof err);
    if (!j && late) engine_raise_budget(L, e);
    if (!j) engine_error_core(L, what, err, f0);
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
        if (!ttlx_func_set_hint(f, buf, NULL)) return engine_error_memory(L, "ttlx.hint");
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
        if (!h) return engine_error_memory(L, "ttlx.hint");
    }
    engine_note_hint_edit(L, e, f);
    e->scratch = NULL;
    if (!ttlx_func_set_hint(f, buf, h)) return engine_error_memory(L, "ttlx.hint");
    return 0;
}

int l_clear_hint(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    ttlx_func_t *f = engine_need_func(L, e);
    engine_note_hint_edit(L, e, f);
    if (!ttlx_func_set_hint(f, buf, NULL)) return engine_error_memory(L, "ttlx.clear_hint");
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
        if (!e->scratch) return engine_error_memory(L, "ttlx.hints");
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
            if (!all) return engine_error_memory(L, "ttlx.hints");
        }
    }
    engine_note_hint_edit(L, e, f);
    e->scratch = NULL;
    if (!ttlx_func_set_hints(f, all)) return engine_error_memory(L, "ttlx.hints");
    return 0;
}

/* A NULL-terminated list of names as a sequence. */
static void push_names(lua_State *L, const char *const *names) {
    lua_newtable(L);
    for (lua_Integer i = 0; names && names[i]; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

/* ttlx.hint_schema() -> the hint keys in the schema's order, each
 * {name, leaf, kind, choices, values, default, doc, min, max}. */
int l_hint_schema(lua_State *L) {
    lua_createtable(L, (int)ttlx_hint_key_count(), 0);
    for (size_t i = 0; i < ttlx_hint_key_count(); i++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(i);
        lua_createtable(L, 0, 9);
        lua_pushstring(L, k->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, k->leaf);
        lua_setfield(L, -2, "leaf");
        lua_pushstring(L, ttlx_hint_kind_name(k->kind));
        lua_setfield(L, -2, "kind");
        push_names(L, k->choices);
        lua_setfield(L, -2, "choices");
        push_names(L, k->values);
        lua_setfield(L, -2, "values");
        lua_pushstring(L, k->default_text);
        lua_setfield(L, -2, "default");
        lua_pushstring(L, k->doc);
        lua_setfield(L, -2, "doc");
        if (k->kind == TTLX_HINT_INT) {
            lua_pushinteger(L, (lua_Integer)k->min);
            lua_setfield(L, -2, "min");
            lua_pushinteger(L, (lua_Integer)k->max);
            lua_setfield(L, -2, "max");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}
