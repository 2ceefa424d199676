/*
 * bind_console.c - the bindings that talk to the user: print and io.write
 * (to the engine's output).
 */
#include "lua/lua_internal.h"

int l_print(lua_State *L) {
    lua_engine_t *e = engine_of(L);
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
    engine_out_text(e, s, len);
    return 0;
}

/* io.write in the sandbox: strings and numbers to the console. */
int l_sandbox_write(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    int n = lua_gettop(L);
    for (int i = 1; i <= n; i++) {
        size_t len;
        const char *s = luaL_checklstring(L, i, &len);
        engine_out_text(e, s, len);
    }
    return 0;
}
