/*
 * test_lua_bounded.c - the bounded string and table functions: every case
 * of a table runs in a stock Lua state and in one with lua_bounded_install,
 * and the printed results (values with their types, or the error message)
 * must be identical; then the pathological patterns end with the budget
 * error within a small step limit, and rep, gsub and concat refuse results
 * over the limit with exact messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lua/bounded.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ helpers */

#define LIMIT_BYTES ((size_t)1 << 20)

/* Budget state of the test: expired() says yes from call number
 * expire_after on (never when 0) and counts its calls. */
static int expired_calls;
static int expire_after;

static bool test_expired(void *ud) {
    (void)ud;
    expired_calls++;
    return expire_after > 0 && expired_calls >= expire_after;
}

/* Helpers loaded into both states: show() prints values with their types
 * (without table.concat, which is under test), G() runs a gmatch loop. */
static const char prelude[] =
    "function show(...)\n"
    "  local out = ''\n"
    "  for i = 1, select('#', ...) do\n"
    "    local v = select(i, ...)\n"
    "    out = out .. (i > 1 and ',' or '') .. type(v) .. ':' .. tostring(v)\n"
    "  end\n"
    "  return out\n"
    "end\n"
    "function G(s, p, init)\n"
    "  local it, out = string.gmatch(s, p, init), ''\n"
    "  for _ = 1, 1000 do\n"
    "    local r = table.pack(it())\n"
    "    if r[1] == nil then return out end\n"
    "    out = out .. '[' .. show(table.unpack(r, 1, r.n)) .. ']'\n"
    "  end\n"
    "  return out .. '...'\n"
    "end\n";

static lua_State *new_state(bool bounded, uint64_t steps_per_check) {
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (bounded) {
        lua_bounded_ctx_t ctx = {.expired = test_expired,
                                 .max_result_bytes = LIMIT_BYTES,
                                 .steps_per_check = steps_per_check};
        lua_bounded_install(L, &ctx);
    }
    if (luaL_dostring(L, prelude)) fail_msg("prelude: %s", lua_tostring(L, -1));
    return L;
}

/* Runs `return <expr>` under pcall as chunk "=t"; returns show() of the
 * results or "error: <message>" (caller frees). */
static char *run(lua_State *L, const char *expr) {
    char code[4096];
    snprintf(code, sizeof code, "return show(pcall(function() return %s end))", expr);
    if (luaL_loadbuffer(L, code, strlen(code), "=t")) fail_msg("%s: %s", expr, lua_tostring(L, -1));
    if (lua_pcall(L, 0, 1, 0)) fail_msg("%s: %s", expr, lua_tostring(L, -1));
    char *r = strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return r;
}

/* Runs a chunk in L, expecting it to fail; returns the message (static). */
static const char *run_error(lua_State *L, const char *code) {
    static char msg[1024];
    if (luaL_loadbuffer(L, code, strlen(code), "=t")) fail_msg("%s: %s", code, lua_tostring(L, -1));
    if (lua_pcall(L, 0, 0, 0) == LUA_OK) fail_msg("%s: no error", code);
    snprintf(msg, sizeof msg, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return msg;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* --------------------------------------------------- the same as stock */

static const char *const same_cases[] = {
    /* find: plain, init, specials */
    "('hello world'):find('o w')",
    "('hello world'):find('o', 6)",
    "('hello world'):find('o', -3)",
    "('hello world'):find('o', -100)",
    "('hello world'):find('l', 0)",
    "('hello'):find('', 6)",
    "('hello'):find('', 7)",
    "('hello'):find('', 100)",
    "('a.b'):find('.', 1, true)",
    "('a.b'):find('%.')",
    "('abc'):find('a)')",
    "('a+b'):find('+', 1, true)",
    "('x\\0y'):find('\\0')",
    "('x\\0y'):find('%z')",
    "('abc'):find('b', 1, 1)",
    "(''):find('')",
    "(''):find('a*')",
    /* single items, classes and complements */
    "('hello123'):find('%d+')",
    "('Hello World'):match('%u%l+')",
    "('a1 b2\\tc3'):gsub('%s', '_')",
    "('a,b;c!'):gsub('%p', '')",
    "('x\\1y\\2z'):gsub('%c', '.')",
    "('ab CD 12'):gsub('%a', '*')",
    "('ab CD 12'):gsub('%A', '*')",
    "('ab CD 12'):gsub('%w', '*')",
    "('ab CD 12'):gsub('%W', '*')",
    "('0x1F zz'):gsub('%x', '#')",
    "('ab CD'):gsub('%L', '-')",
    "('ab CD'):gsub('%U', '-')",
    "('a b\\n'):gsub('%g', 'G')",
    "('a b\\n'):gsub('%S', 'S')",
    "('a1b2'):gsub('%D', '')",
    "('5%'):match('%d%%')",
    "('x.y'):match('%.')",
    "('q'):match('%q')",
    "('Q'):match('%Q')",
    /* sets */
    "('hello'):gsub('[aeiou]', '')",
    "('hello'):gsub('[^aeiou]', '')",
    "('a-z'):gsub('[a-]', 'X')",
    "('a-z'):gsub('[-a]', 'X')",
    "('abcxyz'):gsub('[b-dx-y]', '.')",
    "('a]b'):gsub('[]]', '!')",
    "('a]b^'):gsub('[^]]', '!')",
    "('a^b'):gsub('[%^]', '!')",
    "('a1_b'):gsub('[%w_]', '.')",
    "('a1 _b'):gsub('[^%s%d]', '.')",
    "('[x]'):gsub('[%[%]]', '')",
    "('a-b'):gsub('[%a-]', '')",
    "('.-'):gsub('[--/]', 'o')",
    /* quantifiers */
    "('aaab'):match('a*')",
    "('aaab'):match('a+b')",
    "('b'):match('a+b')",
    "('aaab'):match('a-b')",
    "('aaab'):match('a-')",
    "('ab'):match('a?b')",
    "('b'):match('a?b')",
    "('aab'):match('^a?ab')",
    "('<a><b>'):match('<(.-)>')",
    "('<a><b>'):match('<(.*)>')",
    "('  trim  '):match('^%s*(.-)%s*$')",
    "('key = value'):match('^(%w+)%s*=%s*(%w+)$')",
    "('abc'):match('.-$')",
    "('abc'):find('c*$')",
    "('a$b'):find('$b')",
    "('a$b'):find('a$')",
    "('ab'):find('^b')",
    "('^ab'):find('^^a')",
    /* captures */
    "('hello world'):match('(h)(e)(l)')",
    "('hello'):match('()ll()')",
    "('hello'):find('()ll()')",
    "('hello'):find('(l)(l)')",
    "('hello'):match('((l)(l))')",
    "('abab'):match('(ab)%1')",
    "('abcabc'):find('(a(b)c)%1')",
    "('xyzxy'):match('(x)(y)z%1%2')",
    "('aa'):match('(a)%1%1')",
    "('()'):match('(%()')",
    "('abc'):match('()')",
    "('abc'):match('()', 4)",
    "('abc'):match('()', 5)",
    /* %b and %f */
    "('f(a(b)c) d'):match('%b()')",
    "('f(a(b c'):match('%b()')",
    "('[[x]] [y]'):gsub('%b[]', 'B')",
    "('aaa'):match('%baa')",
    "('THE (quick) fox'):find('%f[%a]%a+')",
    "('THE (quick) fox'):gsub('%f[%w]%w+', 'W')",
    "('hello world'):gsub('%f[%l]', '|')",
    "('a b'):gsub('%f[%z]', '.')",
    "('x1y'):gsub('%f[^%d]', '.')",
    /* gmatch */
    "G('hello world from Lua', '%a+')",
    "G('k1=v1, k2=v2', '(%w+)=(%w+)')",
    "G('abc', '')",
    "G('abc', '()')",
    "G('^a^a', '^a')",
    "G('one two three', '%a+', 5)",
    "G('one two', '%a+', -3)",
    "G('one', '%a*', 10)",
    "G('aaa', 'a-')",
    "G('a,b,,c', '([^,]*)')",
    /* gsub: templates, tables, functions, max n */
    "('hello world'):gsub('o', '0')",
    "('hello world'):gsub('o', '0', 1)",
    "('hello world'):gsub('o', '0', 0)",
    "('hello world'):gsub('o', '0', -1)",
    "('hello world'):gsub('(%w+)', '<%1>')",
    "('hello world'):gsub('%w+', '%0 %0')",
    "('hello world'):gsub('(%w+) (%w+)', '%2 %1')",
    "('abc'):gsub('', '-')",
    "('abc'):gsub('b*', '-')",
    "('abc'):gsub('^', '>')",
    "('abc'):gsub('$', '<')",
    "('abc'):gsub('^a', 'A')",
    "('aaa'):gsub('^a', 'A')",
    "('50%'):gsub('%%', '%%%%')",
    "('abc'):gsub('b', 12)",
    "('abc'):gsub('b', 1.5)",
    "('abc'):gsub('()b', '%1')",
    "('$name is $age'):gsub('%$(%w+)', {name='Ann', age=7})",
    "('$name is $x'):gsub('%$(%w+)', {name='Ann'})",
    "('a b'):gsub('%w', {a=false})",
    "('a b'):gsub('%w', {a=3})",
    "('x y'):gsub('()%w', {[1]='one'})",
    "('hello world'):gsub('%w+', string.upper)",
    "('a=1, b=2'):gsub('(%w+)=(%w+)', function(k, v) return v .. '=' .. k end)",
    "('abc'):gsub('%w', function(c) if c == 'b' then return nil end return c:rep(2) end)",
    "('abc'):gsub('%w', function() return {} end)",
    "('abc'):gsub('(b)', {b={}})",
    "('abc'):gsub('', '%0')",
    /* error messages */
    "('abc'):find('%')",
    "('abc'):find('[a')",
    "('abc'):find('[a%')",
    "('abc'):find('[%a')",
    "('abc'):find('[^')",
    "('abc'):find('[]')",
    "('abc'):find('%f')",
    "('abc'):find('%fa')",
    "('abc'):find('%b')",
    "('abc'):find('%ba')",
    "('abc'):find('%1')",
    "('abc'):find('(a%1)')",
    "('abc'):find('a)')",
    "('abc'):match('a)')",
    "('abc'):find('(a')",
    "('abc'):match('(a')",
    "('abc'):find('%0')",
    "('abc'):gsub('a', '%')",
    "('abc'):gsub('a', '%x')",
    "('abc'):gsub('a', '%2')",
    "('abc'):gsub('(a)', '%2')",
    "('abc'):gsub('(a', 'x')",
    "('abc'):gsub('(a', '%1')",
    "('abc'):gsub('a', true)",
    "('abc'):gsub('a')",
    "string.find()",
    "string.find('x')",
    "string.find('x', {})",
    "string.match('x', 'x', 'y')",
    "string.gmatch()",
    "string.gsub('x', 'x', 'y', 'z')",
    "('a'):rep(3):find(('(a)'):rep(33))",
    "('a'):rep(40):find(('(a?)'):rep(32))",
    "('a'):rep(250):find(('a?'):rep(250))",
    "('a'):rep(300):match(('a*'):rep(210))",
    "('a'):rep(300):match(('a'):rep(210))",
    "string.find(123, 2)",
    "string.gsub(1234, 2, 9)",
    /* rep */
    "('ab'):rep(3)",
    "('ab'):rep(3, ',')",
    "('ab'):rep(1, ',')",
    "('ab'):rep(0, ',')",
    "('ab'):rep(-5)",
    "(''):rep(4, 'xy')",
    "('a'):rep(5, '')",
    "#('abc'):rep(100000, '--')",
    "('abc'):rep(100000, '--') == string.rep('abc', 100000, '--')",
    "('x'):rep(2.0)",
    "('x'):rep(2.5)",
    "('x'):rep('y')",
    "string.rep()",
    /* concat */
    "table.concat({1, 2, 3})",
    "table.concat({1, 2, 3}, ', ')",
    "table.concat({1, 2.5, 'x'}, '-', 2)",
    "table.concat({1, 2, 3}, '', 2, 3)",
    "table.concat({1, 2, 3}, '', 3, 2)",
    "table.concat({})",
    "table.concat({1, {}, 3})",
    "table.concat({1, 2}, ',', 1, 3)",
    "table.concat({1, 2}, ',', 0, 1)",
    "table.concat(setmetatable({}, {__index = function(_, i) return i * 2 end}), ',', 1, 4)",
    "table.concat(setmetatable({}, {__index = {'a', 'b'}, __len = function() return 2 end}))",
    "table.concat(setmetatable({'a', 'b'}, {__len = function() return 1 end}), '+')",
    "table.concat('abc')",
    "table.concat(setmetatable({}, {__index = {}}), 'x', 1, 1)",
    "table.concat({'a', 'b'}, {})",
    "table.concat({'a'}, '', 1, 1.5)",
    "#table.concat({('x'):rep(1000), ('y'):rep(1000)}, ('-'):rep(10))",
    /* move */
    "show(table.unpack(table.move({1, 2, 3, 4, 5}, 1, 3, 2)))",
    "show(table.unpack(table.move({1, 2, 3, 4, 5}, 2, 5, 1)))",
    "show(table.unpack(table.move({1, 2, 3}, 1, 3, 3, {9, 9})))",
    "show(table.unpack(table.move({1, 2, 3}, 3, 1, 1)))",
    "table.move({1, 2, 3}, 1, math.maxinteger, 2)",
    "table.move({1, 2, 3}, math.mininteger, -1, 2)",
    "table.move({1, 2, 3}, 1, 3, math.maxinteger)",
    "table.move(1, 1, 3, 1)",
    "table.move({}, 1, 3, 1, 'x')",
    "table.move({}, 1, 'x', 1)",
    "show(table.unpack(table.move(setmetatable({}, {__index = function(_, i) return i end}), 1, "
    "3, 1, {})))",
    /* more patterns */
    "G('abc', '[a')",
    "G('abc', '%')",
    "G('abc', 'b', 10)",
    "('abc'):find('()a%1')",
    "(\"'x' 'y'\"):match(\"%b''\")",
    "('\\200\\201a'):gsub('[\\128-\\255]', '?')",
    "('\\200\\201a'):gsub('%a', '?')",
    "('\\200\\201a'):gsub('.', '?', 2)",
    "('abc'):find('^b', -2)",
    "('abc'):gsub('^%w', '', 0)",
    "('aXb'):gsub('%u', '%%1')",
};

static void test_same_as_stock(void **state) {
    (void)state;
    lua_State *stock = new_state(false, 0);
    lua_State *bounded = new_state(true, 0);
    expire_after = 0;
    size_t n = sizeof same_cases / sizeof same_cases[0];
    int mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        char *want = run(stock, same_cases[i]);
        char *got = run(bounded, same_cases[i]);
        if (strcmp(want, got) != 0) {
            print_message("case %zu: %s\n  stock:   %s\n  bounded: %s\n", i, same_cases[i], want,
                          got);
            mismatches++;
        }
        free(want);
        free(got);
    }
    print_message("%zu cases compared with the stock library\n", n);
    assert_true(n >= 80);
    assert_int_equal(mismatches, 0);
    lua_close(stock);
    lua_close(bounded);
}

/* Random subjects and patterns built from the pattern features, compared
 * with the stock library (deterministic seed). */
static void test_random_same_as_stock(void **state) {
    (void)state;
    static const char *const atoms[] = {"a",   "b",       ".",    "%a",     "%d",    "[ab]", "[^a]",
                                        "(a)", "()",      "%1",   "%bab",   "%f[a]", "a*",   "b-",
                                        "a?",  "[a-c]+",  "(b*)", "%s",     "$",     "^",    "(",
                                        ")",   "[^%d ]-", "%2",   "%f[%s]", "%w+"};
    lua_State *stock = new_state(false, 0);
    lua_State *bounded = new_state(true, 0);
    expire_after = 0;
    unsigned seed = 12345;
    int mismatches = 0, errors = 0;
    for (int k = 0; k < 6000; k++) {
        char subj[24], pat[64] = "", expr[512];
        int ls = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
        for (int i = 0; i < ls; i++) {
            seed = seed * 1103515245u + 12345u;
            subj[i] = "ab1 ab"[(seed >> 16) % 6];
        }
        subj[ls] = '\0';
        int np = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 5;
        for (int i = 0; i < np; i++) {
            seed = seed * 1103515245u + 12345u;
            strcat(pat, atoms[(seed >> 16) % (sizeof atoms / sizeof atoms[0])]);
        }
        static const char *const forms[] = {"show(('%s'):find('%s'))", "show(('%s'):match('%s'))",
                                            "G('%s', '%s')", "show(('%s'):gsub('%s', '<%%0>'))"};
        seed = seed * 1103515245u + 12345u;
        snprintf(expr, sizeof expr, forms[(seed >> 16) % 4], subj, pat);
        char *want = run(stock, expr);
        char *got = run(bounded, expr);
        if (strncmp(want, "boolean:false", 13) == 0) errors++;
        if (strcmp(want, got) != 0 && mismatches++ < 10)
            print_message("%s\n  stock:   %s\n  bounded: %s\n", expr, want, got);
        free(want);
        free(got);
    }
    print_message("6000 random cases compared with the stock library (%d of them errors)\n",
                  errors);
    assert_int_equal(mismatches, 0);
    lua_close(stock);
    lua_close(bounded);
}

/* ------------------------------------------------------- the budget */

static const char *const pathological[] = {
    "string.find(('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40))",
    "string.match(('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40))",
    "string.gsub(('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40), '')",
    "for _ in string.gmatch(('a'):rep(40), ('a?'):rep(40) .. ('a'):rep(40)) do end",
    "(('a'):rep(400000)):find('a*b')",
    "(('a'):rep(400000)):match('.-b')",
    "(('a'):rep(400000)):gsub('a*b', '')",
    "(('a'):rep(30000)):find(('a*'):rep(12) .. 'b')",
    "(('('):rep(100000)):find('%b()')",
    "(('ab'):rep(100000)):find('(.*)%1%1b')",
};

static void test_pathological_patterns_hit_the_budget(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof pathological / sizeof pathological[0]; i++) {
        lua_State *L = new_state(true, 1000);
        expired_calls = 0;
        expire_after = 5;
        char code[512];
        snprintf(code, sizeof code, "%s", pathological[i]);
        double t0 = now_s();
        const char *msg = run_error(L, code);
        double dt = now_s() - t0;
        if (strcmp(msg, "t:1: script exceeded its instruction budget") != 0)
            fail_msg("%s: %s", pathological[i], msg);
        assert_int_equal(expired_calls, 5);
        assert_true(dt < 1.0);
        lua_close(L);
    }
    expire_after = 0;
}

static char raised_with[64];

static void test_raise(lua_State *L, void *ud) {
    snprintf(raised_with, sizeof raised_with, "%s", (const char *)ud);
    lua_pushstring(L, "custom budget error");
    lua_error(L);
}

static void test_message_and_raise_callback(void **state) {
    (void)state;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_bounded_ctx_t ctx = {.expired = test_expired,
                             .expired_message = "script exceeded its instruction budget (200 ms)",
                             .steps_per_check = 100};
    lua_bounded_install(L, &ctx);
    expired_calls = 0;
    expire_after = 1;
    assert_string_equal(run_error(L, "\n\n(('a'):rep(1000)):find('a*b')"),
                        "t:3: script exceeded its instruction budget (200 ms)");
    lua_close(L);

    L = luaL_newstate();
    luaL_openlibs(L);
    ctx.raise = test_raise;
    ctx.ud = "the ud";
    lua_bounded_install(L, &ctx);
    expired_calls = 0;
    assert_string_equal(run_error(L, "(('a'):rep(1000)):find('a*b')"), "custom budget error");
    assert_string_equal(raised_with, "the ud");
    lua_close(L);
    expire_after = 0;
}

/* A long, honest match does not hit the budget while expired() says no,
 * and the clock is looked at regularly. */
static void test_long_match_checks_the_clock(void **state) {
    (void)state;
    lua_State *L = new_state(true, 1000);
    expired_calls = 0;
    expire_after = 0;
    char *r = run(L, "(('a'):rep(3000)):find('a*b')");
    assert_string_equal(r, "boolean:true,nil:nil");
    free(r);
    assert_true(expired_calls > 1000); /* about 4.5 million steps */
    lua_close(L);
}

/* Plain searches (find with plain, or a pattern without specials) take
 * linear time on needles that almost match everywhere. */
static void test_plain_find_is_linear(void **state) {
    (void)state;
    lua_State *L = new_state(true, 0);
    expire_after = 0;
    double t0 = now_s();
    char *r = run(L, "(('a'):rep(1000000)):find(('a'):rep(500000) .. 'b', 1, true)");
    assert_string_equal(r, "boolean:true,nil:nil");
    free(r);
    r = run(L, "(('a'):rep(1000000) .. 'b'):find(('a'):rep(500000) .. 'b')");
    assert_string_equal(r, "boolean:true,number:500001,number:1000001");
    free(r);
    r = run(L, "(('ab'):rep(400000)):find(('ab'):rep(10) .. 'c', 1, true)");
    assert_string_equal(r, "boolean:true,nil:nil");
    free(r);
    assert_true(now_s() - t0 < 1.0);
    lua_close(L);
}

/* ----------------------------------------------------------------- rep */

static void test_rep_limits(void **state) {
    (void)state;
    lua_State *L = new_state(true, 0);
    expire_after = 0;
    double t0 = now_s();
    char *r = run(L, "string.rep('', 1 << 62)");
    assert_string_equal(r, "boolean:true,string:");
    free(r);
    r = run(L, "(''):rep(math.maxinteger, '')");
    assert_string_equal(r, "boolean:true,string:");
    free(r);
    assert_true(now_s() - t0 < 1.0); /* the stock loop would run for years */
    assert_string_equal(
        run_error(L, "string.rep('x', 1 << 40)"),
        "t:1: string.rep: a result of 1099511627776 bytes is over the limit of 1048576 bytes");
    assert_string_equal(
        run_error(L, "local s = ('x'):rep(1 << 40)"),
        "t:1: string.rep: a result of 1099511627776 bytes is over the limit of 1048576 bytes");
    assert_string_equal(run_error(L, "string.rep('ab', 1 << 62, ',')"),
                        "t:1: string.rep: a result of 13835058055282163711 bytes is "
                        "over the limit of 1048576 bytes");
    assert_string_equal(run_error(L, "string.rep('abcd', 1 << 62, ',')"),
                        "t:1: string.rep: a result of at least 18446744073709551615 bytes is "
                        "over the limit of 1048576 bytes");
    r = run(L, "#string.rep('', 1 << 20, 'x')");
    assert_string_equal(r, "boolean:true,number:1048575");
    free(r);
    /* exactly at the limit is allowed */
    r = run(L, "#string.rep('ab', 1 << 19)");
    assert_string_equal(r, "boolean:true,number:1048576");
    free(r);
    r = run(L, "#string.rep('ab', 1 << 19, 'c')");
    assert_string_equal(r, "boolean:false,string:t:1: string.rep: a result of 1572863 bytes is "
                           "over the limit of 1048576 bytes");
    free(r);
    lua_close(L);
}

/* Without a limit, rep builds a large result correctly and fast. */
static void test_rep_large_unlimited(void **state) {
    (void)state;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_bounded_ctx_t ctx = {.expired = test_expired};
    lua_bounded_install(L, &ctx);
    expired_calls = 0;
    expire_after = 0;
    const char *code = "local s = string.rep('abc', 3000000, '-')\n"
                       "assert(#s == 3 * 3000000 + 2999999)\n"
                       "assert(s:sub(1, 8) == 'abc-abc-' and s:sub(-4) == '-abc')\n"
                       "assert(s:sub(4000001, 4000008) == s:sub(1, 8))\n"
                       "local t = string.rep('xyz', 5000000)\n"
                       "assert(#t == 15000000 and t:sub(-3) == 'xyz' and not t:find('[^xyz]'))";
    if (luaL_dostring(L, code)) fail_msg("%s", lua_tostring(L, -1));
    assert_true(expired_calls >= 8); /* once per megabyte copied */
    lua_close(L);
}

/* --------------------------------------------------- gsub and concat */

static void test_gsub_concat_and_move_limits(void **state) {
    (void)state;
    lua_State *L = new_state(true, 0);
    expire_after = 0;
    assert_string_equal(run_error(L, "local s = ('x'):rep(1000):gsub('x', ('y'):rep(2000))"),
                        "t:1: string.gsub: a result of at least 1050000 bytes is over the limit "
                        "of 1048576 bytes");
    assert_string_equal(run_error(L, "local t = {} for i = 1, 1000 do t[i] = ('x'):rep(2000) end\n"
                                     "table.concat(t)"),
                        "t:2: table.concat: a result of at least 1050000 bytes is over the limit "
                        "of 1048576 bytes");
    assert_string_equal(run_error(L, "table.concat({'a', 'b'}, ('-'):rep(1 << 20))"),
                        "t:1: table.concat: a result of at least 1048577 bytes is over the limit "
                        "of 1048576 bytes");
    assert_string_equal(
        run_error(L,
                  "local p = setmetatable({}, {__index = function() return ('z'):rep(4000) end})\n"
                  "table.concat(p, '', 1, 1000)"),
        "t:2: table.concat: a result of at least 1052000 bytes is over the limit of 1048576 "
        "bytes");
    /* at the limit exactly: allowed */
    char *r = run(L, "#table.concat({('x'):rep(1 << 19), ('y'):rep(1 << 19)})");
    assert_string_equal(r, "boolean:true,number:1048576");
    free(r);
    lua_close(L);

    /* a huge range of empty strings ends with the budget */
    L = new_state(true, 1000);
    expired_calls = 0;
    expire_after = 3;
    assert_string_equal(run_error(L, "local n = 0\n"
                                     "table.concat(setmetatable({}, {__index = function() "
                                     "return '' end}), '', 1, 1 << 40)"),
                        "t:2: script exceeded its instruction budget");
    assert_int_equal(expired_calls, 3);
    lua_close(L);

    /* so does a huge table.move (hours with the stock library) */
    L = new_state(true, 1000);
    expired_calls = 0;
    expire_after = 3;
    assert_string_equal(run_error(L, "table.move({}, 1, 1 << 40, 2)"),
                        "t:1: script exceeded its instruction budget");
    assert_int_equal(expired_calls, 3);
    lua_close(L);
    expire_after = 0;
}

/* The string metatable sees the bounded functions: method calls too. */
static void test_methods_are_bounded(void **state) {
    (void)state;
    lua_State *L = new_state(true, 0);
    if (luaL_dostring(L, "return ('x').rep == string.rep and string.rep ~= nil and "
                         "package.loaded.string.find == string.find and "
                         "package.loaded.table.concat == table.concat"))
        fail_msg("%s", lua_tostring(L, -1));
    assert_true(lua_toboolean(L, -1));
    lua_close(L);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_stock),
        cmocka_unit_test(test_random_same_as_stock),
        cmocka_unit_test(test_pathological_patterns_hit_the_budget),
        cmocka_unit_test(test_message_and_raise_callback),
        cmocka_unit_test(test_long_match_checks_the_clock),
        cmocka_unit_test(test_plain_find_is_linear),
        cmocka_unit_test(test_rep_limits),
        cmocka_unit_test(test_rep_large_unlimited),
        cmocka_unit_test(test_gsub_concat_and_move_limits),
        cmocka_unit_test(test_methods_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
