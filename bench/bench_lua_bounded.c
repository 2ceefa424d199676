/*
 * bench_lua_bounded.c - what the bounded string functions cost: each case
 * runs over the same 1 MB text in a stock Lua state and in one with
 * lua_bounded_install (whose expired() reads the monotonic clock, as the
 * sandbox's will), and prints MB/s for both and their ratio.
 *
 *   bench_lua_bounded [MEGABYTES]      (default 1)
 */
#include "lua/bounded.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Best of REPEATS runs: the machine is shared, the minimum is the cost. */
#define REPEATS 5

static double cpu_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Never expires, but pays for the clock read the sandbox will make. */
static bool clock_expired(void *ud) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec < *(const time_t *)ud;
}

/* The subject: words, numbers and punctuation, MB megabytes, in S. */
static const char make_subject[] =
    "local mb = ...\n"
    "local words = {'alpha', 'beta', 'gamma', 'delta', '42', '2026-11-30', 'x_y', "
    "'(nested (parens))', 'user@example.com', 'END.'}\n"
    "local parts, n, i = {}, 0, 0\n"
    "while n < mb * 1048576 do\n"
    "  i = i + 1\n"
    "  local w = words[(i * 7) % #words + 1]\n"
    "  parts[i] = w\n"
    "  n = n + #w + 1\n"
    "end\n"
    "S = table.concat(parts, ' ')\n"
    "T = {}\n"
    "for k = 1, 262144 do T[k] = 'abc' end\n";

static const struct {
    const char *name;
    const char *code; /* one pass over S */
} cases[] = {
    {"find plain (absent)", "return S:find('zzzq', 1, true)"},
    {"find %d+%-%d+%-%d+", "return S:find('%d+%-%d+%-%d+x')"},
    {"find [%w_]+@[%w_]+%.org", "return S:find('[%w_]+@[%w_]+%.org')"},
    {"gsub %a+ -> x", "return S:gsub('%a+', 'x')"},
    {"gsub (%w+) -> %1%1", "return S:gsub('(%w+)', '%1%1')"},
    {"gsub %f[%w]%w+ table", "return S:gsub('%f[%w]%w+', {alpha = 'A'})"},
    {"gmatch %w+", "local n = 0 for _ in S:gmatch('%w+') do n = n + 1 end return n"},
    {"gmatch %b()", "local n = 0 for _ in S:gmatch('%b()') do n = n + 1 end return n"},
    {"match ^(.-)%s*$", "return #S:match('^(.-)%s*$')"},
    {"find a*b (absent)", "return S:find('q*z')"},
};

static double time_case(lua_State *L, const char *code) {
    double best = 1e30;
    for (int k = 0; k < REPEATS; k++) {
        double t0 = cpu_s();
        if (luaL_dostring(L, code)) {
            fprintf(stderr, "bench_lua_bounded: %s\n", lua_tostring(L, -1));
            exit(1);
        }
        double t = cpu_s() - t0;
        lua_settop(L, 0);
        if (t < best) best = t;
    }
    return best;
}

static lua_State *new_state(bool bounded, long mb, time_t *never) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (bounded) {
        lua_bounded_ctx_t ctx = {.expired = clock_expired, .ud = never};
        lua_bounded_install(L, &ctx);
    }
    luaL_loadstring(L, make_subject);
    lua_pushinteger(L, mb);
    if (lua_pcall(L, 1, 0, 0)) {
        fprintf(stderr, "bench_lua_bounded: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    return L;
}

int main(int argc, char **argv) {
    long mb = argc > 1 ? atol(argv[1]) : 1;
    if (mb < 1) mb = 1;
    time_t never = 0; /* expired() compares against 1970 */
    lua_State *stock = new_state(false, mb, &never);
    lua_State *bounded = new_state(true, mb, &never);
    printf("%-28s %12s %12s %8s\n", "case", "stock MB/s", "bounded MB/s", "ratio");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double ts = time_case(stock, cases[i].code);
        double tb = time_case(bounded, cases[i].code);
        printf("%-28s %12.1f %12.1f %8.2f\n", cases[i].name, (double)mb / ts, (double)mb / tb,
               ts / tb);
    }
    /* rep and concat: MB of result (one megabyte each) per second */
    static const struct {
        const char *name, *code;
    } builders[] = {
        {"rep -> 1 MB", "return #string.rep('abc', 262144, '-')"},
        {"concat 256k strings -> 1 MB", "return #table.concat(T, '-')"},
    };
    for (size_t i = 0; i < sizeof builders / sizeof builders[0]; i++) {
        double ts = time_case(stock, builders[i].code);
        double tb = time_case(bounded, builders[i].code);
        printf("%-28s %12.1f %12.1f %8.2f\n", builders[i].name, 1.0 / ts, 1.0 / tb, ts / tb);
    }
    lua_close(stock);
    lua_close(bounded);
    return 0;
}
