/*
 * bind_solve.c - ttlx.solve{objective=, top=, keep={...}, reserve=}: the
 * layout solver (SPEC 9) on the current function and device. Returns the
 * alternatives, best first, as tables {rank, metrics = {errors, l1_bytes,
 * work_cores, reshards, padding_bytes, worst_core_free}, pareto, hints,
 * changes}, with exact, evaluated,
 * objective, func and device on the returned table. The hints are not
 * changed: ttlx.hints(alts[1].hints) applies one.
 */
#include "lua/lua_internal.h"

#include "lua/lua_convert.h"
#include "ttlx_solve.h"

#include <string.h>

/* The option keys ttlx.solve knows. */
static const char *const solve_keys[] = {"objective", "top", "keep", "reserve", NULL};

/* reserve = bytes (an integer) or "PCT%" of the device's L1 bank. */
static int64_t check_reserve(lua_State *L, int t, const ttlx_device_t *dev) {
    int64_t bank = dev->l1_bank_bytes;
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        int64_t pct = 0;
        bool ok = n >= 2 && n <= 4 && s[n - 1] == '%';
        for (size_t i = 0; ok && i + 1 < n; i++) {
            ok = s[i] >= '0' && s[i] <= '9';
            pct = pct * 10 + (s[i] - '0');
        }
        if (!ok || pct > 100)
            luaL_argerror(
                L, t, lua_pushfstring(L, "reserve: a percentage from 0%% to 100%%, not '%s'", s));
        return bank / 100 * pct + bank % 100 * pct / 100;
    }
    int isint;
    lua_Integer v = lua_tointegerx(L, -1, &isint);
    if (!isint || v < 0 || v > bank)
        luaL_argerror(L, t,
                      lua_pushfstring(L,
                                      "reserve: bytes from 0 to the L1 bank (%I on %s) or "
                                      "a percentage like \"10%%\"",
                                      (lua_Integer)bank, dev->name));
    return (int64_t)v;
}

/* Reads the options table at index t into o. keep names are borrowed from
 * the table (which stays on the stack) into a userdata array pushed on
 * the stack. */
static void check_opts(lua_State *L, int t, const ttlx_device_t *dev, ttlx_solve_opts_t *o) {
    memset(o, 0, sizeof *o);
    if (lua_isnoneornil(L, t)) return;
    luaL_checktype(L, t, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        bool known = false;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (const char *const *k = solve_keys; *k && !known; k++)
                known = !strcmp(lua_tostring(L, -1), *k);
        if (!known)
            luaL_argerror(L, t,
                          lua_pushfstring(L,
                                          "unknown option '%s' (known: objective, top, keep, "
                                          "reserve)",
                                          luaL_tolstring(L, -1, NULL)));
    }
    if (lua_getfield(L, t, "objective") != LUA_TNIL) {
        const char *name = lua_tostring(L, -1);
        if (lua_type(L, -1) != LUA_TSTRING || !ttlx_solve_objective_parse(name, &o->objective))
            luaL_argerror(L, t,
                          lua_pushfstring(L, "objective: l1, cores or headroom, not '%s'",
                                          luaL_tolstring(L, -1, NULL)));
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "top") != LUA_TNIL) {
        int isint;
        lua_Integer k = lua_tointegerx(L, -1, &isint);
        if (!isint || k < 1 || k > 1000) luaL_argerror(L, t, "top: an integer from 1 to 1000");
        o->top_k = (size_t)k;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "reserve") != LUA_TNIL) o->reserve_bytes = check_reserve(L, t, dev);
    lua_pop(L, 1);
    int kt = lua_gettop(L) + 1;
    if (lua_getfield(L, t, "keep") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (!lua_istable(L, kt)) luaL_argerror(L, t, "keep: a list of buffer names");
    lua_Integer n = luaL_len(L, kt);
    if (n < 0 || n > 100000) luaL_argerror(L, t, "keep: a list of buffer names");
    const char **names = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *names, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_geti(L, kt, i) != LUA_TSTRING)
            luaL_argerror(L, t, lua_pushfstring(L, "keep[%I]: a buffer name (a string)", i));
        names[i - 1] = lua_tostring(L, -1); /* anchored by the keep table */
        lua_pop(L, 1);
    }
    o->keep = names;
    o->nkeep = (size_t)n;
}

int l_solve(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    ttlx_func_t *f = engine_need_func(L, e);
    const ttlx_device_t *dev = engine_cur_device(e);
    ttlx_solve_opts_t o;
    check_opts(L, 1, dev, &o);
    ttlx_error_t err = {0};
    size_t f0 = ttlx_alloc_failures();
    ttlx_solution_t *s = ttlx_solve(f, dev, &o, &err);
    if (!s) {
        if (strncmp(err.what, "keep: ", 6) == 0) return luaL_argerror(L, 1, err.what);
        return engine_error_core(L, "ttlx.solve", err.what, f0);
    }
    /* The document holds everything; the solution goes before any Lua call
     * that could raise. */
    engine_drop_scratch(e);
    e->scratch = ttlx_solution_to_json(s);
    ttlx_solution_free(s);
    if (!e->scratch) return engine_error_memory(L, "ttlx.solve");
    const cJSON *doc = e->scratch;
    lua_conv_push_json(L, cJSON_GetObjectItemCaseSensitive(doc, "alternatives"));
    for (const char *const *k =
             (const char *const[]){"func", "device", "objective", "exact", "evaluated", NULL};
         *k; k++) {
        lua_conv_push_json(L, cJSON_GetObjectItemCaseSensitive(doc, *k));
        lua_setfield(L, -2, *k);
    }
    engine_drop_scratch(e);
    return 1;
}
