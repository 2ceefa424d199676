/*
 * ttlx_table.c - the globals of a new state: the libraries (all when
 * trusted, else the sandbox), print, the `ttlx` table of bindings and the
 * prelude (app/lua/prelude.lua, embedded at build time).
 */
#include "lua/lua_internal.h"

#include "lua/bounded.h"
#include "lua/prelude_lua.h"

#include <lualib.h>

static const luaL_Reg ttlx_funcs[] = {{"func", l_func},
                                      {"buffers", l_buffers},
                                      {"hint", l_hint},
                                      {"clear_hint", l_clear_hint},
                                      {"hints", l_hints},
                                      {"hint_schema", l_hint_schema},
                                      {"device", l_device},
                                      {"devices", l_devices},
                                      {"infer", l_infer},
                                      {"infer_json", l_infer_json},
                                      {"diagnostics", l_diagnostics},
                                      {"apply_fix", l_apply_fix},
                                      {"solve", l_solve},
                                      {"place", l_place},
                                      {"core", l_core},
                                      {"load", l_load},
                                      {"save", l_save},
                                      {"export", l_export},
                                      {"new_func", l_new_func},
                                      {"select", l_select},
                                      {"view", l_view},
                                      {"cursor_core", l_cursor_core},
                                      {"cursor_tile", l_cursor_tile},
                                      {"zoom", l_zoom},
                                      {"json", l_json},
                                      {"on", l_on},
                                      {"command", l_command},
                                      {"bind", l_bind},
                                      {"commands", l_commands},
                                      {"keys", l_keys},
                                      {NULL, NULL}};

/* Builds the globals; runs unprotected from lua_engine_new through
 * lua_pcall of this function. */
int table_setup_state(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    if (e->trust)
        luaL_openlibs(L);
    else
        sandbox_open(L);
    /* Both modes: string.rep, the pattern functions, table.concat and
     * table.move run in C, where the budget hook never fires; these
     * versions look at the deadline as they go. Oversized results are
     * left to the capped allocator (its message names the cap). */
    lua_bounded_ctx_t bc = {.expired = engine_budget_expired,
                            .raise = engine_raise_budget,
                            .ud = e,
                            .max_result_bytes = 0,
                            .steps_per_check = 10000};
    lua_bounded_install(L, &bc);
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
    lua_pushcfunction(L, l_lesson_pin); /* the prelude's own, not in ttlx */
    lua_call(L, 2, 0);
    e->ttlx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}
