/*
 * bind_files.c - the bindings that write: ttlx.json (JSON text of a Lua
 * value), ttlx.save and ttlx.export.
 */
#include "lua/lua_internal.h"

#include "export/export.h"
#include "lua/lua_convert.h"

#include <string.h>

static int push_text_body(lua_State *L) {
    lua_pushlstring(L, lua_touserdata(L, 1), (size_t)lua_tointeger(L, 2));
    return 1;
}

int l_json(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    luaL_checkany(L, 1);
    e->scratch = bind_table_to_json(L, e, 1, "ttlx.json");
    char *text = lua_conv_json_text(e->scratch);
    engine_drop_scratch(e);
    if (!text) return engine_error_memory(L, "ttlx.json");
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n') n--;
    /* Pushed under a protected call, so the text is freed when the
     * string does not fit under the memory cap. */
    lua_pushcfunction(L, push_text_body);
    lua_pushlightuserdata(L, text);
    lua_pushinteger(L, (lua_Integer)n);
    int st = lua_pcall(L, 2, 1, 0);
    ttlx_free(text);
    if (st != LUA_OK) return lua_error(L);
    return 1;
}

/* Renders the current module in fmt and writes it to path atomically. */
static int export_with(lua_State *L, lua_engine_t *e, export_format_t fmt, const char *path,
                       const char *who) {
    size_t fi = 0;
    const char *src = NULL;
    ttlx_module_t *m = engine_cur_module(e, &fi, &src);
    ttlx_error_t err = {0};
    char msg[700];
    if (!export_to_file(m, fi, engine_cur_device(e), fmt, src, path, &err))
        return luaL_error(L, "%s: %s", who, ttlx_error_format(&err, NULL, msg, sizeof msg));
    return 0;
}

int l_save(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *path = luaL_optstring(L, 1, NULL);
    engine_need_func(L, e);
    if (path) access_check(L, e, "ttlx.save", path);
    char msg[600];
    if (e->hosted && e->host.save) {
        msg[0] = '\0';
        if (!e->host.save(e->host.ud, path, msg, sizeof msg))
            return luaL_error(L, "ttlx.save: %s", msg[0] ? msg : "failed");
        return 0;
    }
    const char *cur = NULL;
    ttlx_module_t *m = engine_cur_module(e, NULL, &cur);
    if (!path) path = cur;
    if (!path) return luaL_error(L, "ttlx.save: no file to save to (give a path)");
    luaL_argcheck(L, strcmp(path, "-") != 0, 1, "a file path");
    /* The one save rule (export/save.c), as the explorer's w. */
    const sys_file_id_t *id = e->have_path_id ? &e->path_id : NULL;
    ttlx_error_t err = {0};
    if (!export_save(m, cur, path, id, &err)) return luaL_error(L, "ttlx.save: %s", err.what);
    return 0;
}

int l_export(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *path = luaL_checkstring(L, 1);
    const char *fmt = luaL_checkstring(L, 2);
    luaL_argcheck(L, strcmp(path, "-") != 0, 1, "a file path");
    engine_need_func(L, e);
    access_check(L, e, "ttlx.export", path);
    export_format_t f;
    if (!export_format_parse(fmt, &f))
        return luaL_argerror(
            L, 2, lua_pushfstring(L, "unknown format '%s' (%s)", fmt, export_format_names(", ")));
    return export_with(L, e, f, path, "ttlx.export");
}
