/*
 * bounded.h - bounded versions of the Lua library functions that can run
 * for a long time inside C, where the instruction hook never fires:
 * string.rep, string.find, string.match, string.gmatch, string.gsub,
 * table.concat and table.move. The pattern functions use a matcher of our own (Lua 5.4
 * pattern semantics, manual section 6.4.1) that counts its steps and asks
 * the caller, every steps_per_check steps, whether the budget is spent.
 * Results that would pass max_result_bytes are refused with an error that
 * names the function, the size and the limit.
 *
 * Wiring it into the sandbox (one call, after the string and table
 * libraries are open, e.g. at the end of open_sandbox() in lua_api.c):
 *
 *     static bool engine_expired(void *ud) {
 *         ttlx_lua_t *e = ud;        // the same test as budget_hook()
 *         if (!e->budget_on) return false;
 *         if (!e->expired) { ...compare CLOCK_MONOTONIC with e->deadline...;
 *                            if not past: return false; e->expired = true; }
 *         // fail at every instruction from now on, as budget_hook() does,
 *         // so a pcall in the script cannot swallow the error and go on
 *         lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, 1);
 *         return true;
 *     }
 *     ...
 *     lua_bounded_ctx_t bc = {.expired = engine_expired, .ud = e,
 *                             .expired_message = e->budget_text,
 *                             .max_result_bytes = e->cap_bytes,
 *                             .steps_per_check = 10000};
 *     lua_bounded_install(L, &bc);
 *
 * where e->budget_text holds "script exceeded its instruction budget (N ms)"
 * (the text budget_hook() formats; the position is added by luaL_error, as
 * "chunk:line: ", the same prefix note_position() gives). Or set .raise to
 * a function that formats and raises exactly as budget_hook() does.
 * Install it after the string.find/match/gmatch/gsub guard wrappers (it
 * replaces them), then pattern_repetitions() and l_guarded_match() can go.
 * With --trust the call can be skipped (or made with expired = NULL and
 * max_result_bytes = 0: the stock behaviour with a linear-time plain find).
 */
#ifndef TTLX_LUA_BOUNDED_H
#define TTLX_LUA_BOUNDED_H

#include <lua.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lua_bounded_ctx {
    /* True once the script's time is up. Called every steps_per_check
     * matcher steps and every megabyte that string.rep writes. NULL: the
     * time is never up. */
    bool (*expired)(void *ud);
    /* Optional: raises the budget error itself (must not return, e.g. it
     * ends in lua_error). NULL: luaL_error(L, "%s", expired_message). */
    void (*raise)(lua_State *L, void *ud);
    void *ud; /* passed to expired and raise; not owned */
    /* The error text when expired() says yes; NULL: "script exceeded its
     * instruction budget". Read when the error is raised, so the string
     * must outlive the lua_State (it may change between calls). */
    const char *expired_message;
    /* The largest string rep, gsub and concat may build; 0: no limit but
     * the allocator's. */
    size_t max_result_bytes;
    /* Matcher steps between two calls of expired(); 0: 10000 (some tens of
     * microseconds of matching). */
    uint64_t steps_per_check;
} lua_bounded_ctx_t;

/* Replaces string.rep, string.find, string.match, string.gmatch,
 * string.gsub, table.concat and table.move (in the global tables, in package.loaded
 * and in the string metatable's __index, so ("x"):rep(n) is covered too)
 * with the bounded versions. ctx is copied into the state (a userdata kept
 * as the functions' upvalue); ctx->ud and ctx->expired_message are only
 * referenced. Raises a Lua memory error if the state is out of memory. */
void lua_bounded_install(lua_State *L, const lua_bounded_ctx_t *ctx);

#endif
