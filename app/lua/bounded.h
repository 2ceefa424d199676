/*
 * bounded.h - bounded versions of the Lua library functions that can run
 * for a long time inside C, where the instruction hook never fires:
 * string.rep, string.find, string.match, string.gmatch, string.gsub,
 * table.concat and table.move. The pattern functions use a matcher of our
 * own (Lua 5.4 pattern semantics, manual section 6.4.1) that counts its
 * steps and asks the caller, every steps_per_check steps, whether the
 * budget is spent.
 * Results that would pass max_result_bytes are refused with an error that
 * names the function, the size and the limit.
 *
 * Wiring it into the engine (lua_api.c): one call in setup_state(), after
 * the `if (e->trust) luaL_openlibs(L); else open_sandbox(L);` lines, in
 * both modes (the budget hook runs under --trust as well):
 *
 *     static bool engine_expired(void *ud) {
 *         lua_engine_t *e = ud;
 *         if (!e->budget_on) return false;     // between runs: never
 *         if (!e->expired) {
 *             // the deadline test of budget_hook(), on CLOCK_MONOTONIC
 *             if (now < e->deadline) return false;
 *             e->expired = true;
 *         }
 *         // as budget_hook(): fail at every instruction from now on, so a
 *         // pcall in the script cannot swallow the error and carry on
 *         lua_sethook(e->L, budget_hook, LUA_MASKCOUNT, 1);
 *         return true;
 *     }
 *     ...
 *     lua_bounded_ctx_t bc = {.expired = engine_expired, .ud = e,
 *                             .expired_message = e->budget_text,
 *                             .max_result_bytes = 0,
 *                             .steps_per_check = BUDGET_STEP};
 *     lua_bounded_install(L, &bc);
 *
 * e->budget_text is a new char[64] of the engine, filled once in
 * lua_engine_new() with "script exceeded its instruction budget (%ld ms)" and
 * e->budget_ms: luaL_error prefixes "chunk:line: ", the prefix that
 * note_position() gives budget_hook(), so the text is the same. (Or set
 * .raise to a function sharing budget_hook()'s formatting.) The call
 * replaces the find/match/gmatch/gsub guard wrappers of open_sandbox(), so
 * pattern_repetitions() and l_guarded_match() can then be deleted (their
 * "could outrun the script's budget" refusal goes: the one test_lua_api
 * case that expects it then gets the budget error after the budget).
 * max_result_bytes = 0 keeps every existing message: an oversized rep or
 * concat is refused by the capped allocator ("script exceeded its memory
 * cap") before any copying; e->cap_bytes instead would name the function
 * but changes the text test_lua_api and the lua_limits hardening test
 * expect for string.rep('x', 1 << 30). (Tried with this wiring: all other
 * tests pass unchanged.)
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
    /* The largest string rep, gsub and concat may build, in bytes; 0: no
     * limit but the allocator's. */
    size_t max_result_bytes;
    /* Steps (a pattern item tried, a byte scanned, a table element)
     * between two calls of expired(); 0: 10000 (tens of microseconds). */
    uint64_t steps_per_check;
} lua_bounded_ctx_t;

/* Replaces string.rep, string.find, string.match, string.gmatch,
 * string.gsub, table.concat and table.move (in the global tables, in
 * package.loaded and in the string metatable's __index, so ("x"):rep(n)
 * is covered too) with the bounded versions. ctx is copied into the state (a userdata kept
 * as the functions' upvalue); ctx->ud and ctx->expired_message are only
 * referenced. Raises a Lua memory error if the state is out of memory. */
void lua_bounded_install(lua_State *L, const lua_bounded_ctx_t *ctx);

#endif
