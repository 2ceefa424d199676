/*
 * sandbox.c - the standard libraries an untrusted script gets: base,
 * table, string, math, utf8 and coroutine, with load, collectgarbage,
 * setmetatable and string matching guarded; io.write, os's clock and
 * calendar; everything else refused by name.
 */
#include "lua/lua_internal.h"

#include <lualib.h>
#include <stdio.h>
#include <string.h>

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

void sandbox_open(lua_State *L) {
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
