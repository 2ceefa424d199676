/*
 * test_lua_fix.c - fixes from Lua with exact values: the diagnostic
 * tables carry fix_hints and fix_alternatives, and ttlx.apply_fix(diag
 * [, n]) applies the fix or alternative n, reruns inference, returns the
 * change and the new document, and refuses a table that is not a
 * diagnostic, a stale one, one without fix_hints and an n out of range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lua/lua_api.h"
#include "ttlx_load.h"

#include "app_support.h"
#include "lua_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An engine on samples/NAME (the engine owns the module). */
static lua_engine_t *engine_on(const char *name, ttlx_module_t **m) {
    *m = app_load_sample(name);
    lua_engine_opts_t o = {.output = capture, .budget_ms = 0, .memory_cap_bytes = 0};
    lua_engine_t *e = lua_engine_new(&o);
    assert_non_null(e);
    lua_engine_set_module(e, *m, 0, NULL, NULL);
    return e;
}

static void expect_hint(lua_engine_t *e, const char *buf, const char *want) {
    const cJSON *h = ttlx_func_hint(ttlx_module_func(lua_engine_module(e), 0), buf);
    char *got = h ? cJSON_PrintUnformatted(h) : NULL;
    if (!got || strcmp(got, want)) fail_msg("hint of %s: [%s]\nwanted: [%s]", buf, got, want);
    cJSON_free(got);
}

static const char l1_act_hint[] =
    "{\"memory\":\"L1\",\"layout\":\"sharded\",\"nd_shard\":{\"axes\":[\"M\",\"N\"],\"grid\":[2,"
    "2],\"shard_shape_elems\":[1024,1024]}}";

static const char fixed_hint_fmt[] =
    "{\"memory\":\"L1\",\"layout\":\"sharded\",\"tile_shape\":[32,32],\"dtype\":\"float32\","
    "\"cb_depth\":2,\"nd_shard\":{\"axes\":[\"M\",\"N\"],\"grid\":[%d,%d],\"shard_shape_elems\":["
    "%d,%d],\"order\":\"row_major\",\"distribution\":\"grid_2d\",\"align_tiles\":true}}";

static void test_tables(void **state) {
    (void)state;
    ttlx_module_t *m;
    lua_engine_t *e = engine_on("l1_overflow.json", &m);
    expect_out(e,
               "local d = ttlx.diagnostics()[1]\n"
               "print(d.code, d.buffer, d.fix)\n"
               "print(table.concat(d.fix_hints.act.nd_shard.grid, 'x'), #d.fix_alternatives)\n"
               "for _, a in ipairs(d.fix_alternatives) do\n"
               "  print(a.fix, table.concat(a.fix_hints.act.nd_shard.grid, 'x'))\n"
               "end\n"
               "local i = ttlx.infer().diagnostics\n"
               "print(#i, i[1].fix_alternatives[2].fix == d.fix_alternatives[2].fix,\n"
               "      i[2].fix_alternatives, i[3].fix_hints.act.memory, i[3].fix_alternatives)\n",
               "TTL005\tact\tgrid [4, 4], shard_shape_elems [512, 512]: 16 cores, 1,048,576 B per "
               "core\n"
               "4x4\t2\n"
               "grid [8, 8], shard_shape_elems [256, 256]: 64 cores, 262,144 B per core\t8x8\n"
               "grid [4, 8], shard_shape_elems [512, 256]: 32 cores, 524,288 B per core\t4x8\n"
               "3\ttrue\tnil\tDRAM\tnil\n");
    lua_engine_free(e);
}

static void test_apply(void **state) {
    (void)state;
    ttlx_module_t *m;
    lua_engine_t *e = engine_on("l1_overflow.json", &m);
    expect_hint(e, "act", l1_act_hint);
    /* the fix: the change in words, the new document, "infer" handlers */
    expect_out(e,
               "ttlx.on('infer', function(r) print('infer', #r.diagnostics) end)\n"
               "d = ttlx.diagnostics()[1]\n"
               "local text, r = ttlx.apply_fix(d)\n"
               "print(text)\n"
               "print(#r.diagnostics, r.diagnostics[1].code, r.diagnostics[1].buffer,\n"
               "      r.analysis.cores.max_used)\n",
               "infer\t1\n"
               "act: grid [2, 2] -> [4, 4], shard_shape_elems [1024, 1024] -> [512, 512]\n"
               "1\tTTL013\tbias\t1077248\n");
    char want[600];
    snprintf(want, sizeof want, fixed_hint_fmt, 4, 4, 512, 512);
    expect_hint(e, "act", want);
    /* the same table again: the diagnostic is gone */
    expect_err(e, "ttlx.apply_fix(d)",
               "(stale diagnostic: the current inference has no TTL005 on act with that message "
               "(the hints or the device changed since; take it from a new ttlx.diagnostics()))");
    expect_hint(e, "act", want);
    /* a diagnostic whose fix is text only */
    expect_err(e, "ttlx.apply_fix(ttlx.diagnostics()[1])",
               "(TTL013 on bias has no fix_hints: its fix is text only (tile_shape [16, 32] "
               "wastes 93.8%))");
    lua_engine_free(e);
}

static void test_alternatives_and_errors(void **state) {
    (void)state;
    ttlx_module_t *m;
    lua_engine_t *e = engine_on("l1_overflow.json", &m);
    expect_err(e, "ttlx.apply_fix(ttlx.diagnostics()[1], 3)",
               "bad argument #2 to 'apply_fix' (TTL005 on act has 2 alternatives: n is 0 (the "
               "fix) to 2)");
    expect_err(e, "ttlx.apply_fix(ttlx.diagnostics()[1], -1)", "n is 0 (the fix) to 2");
    expect_err(e, "ttlx.apply_fix(ttlx.diagnostics()[3], 1)",
               "(TTL006 has no alternatives: n is 0 (the fix) or nil)");
    expect_err(e, "ttlx.apply_fix(ttlx.diagnostics()[1], 'x')", "number expected, got string");
    expect_err(e, "ttlx.apply_fix(5)",
               "bad argument #1 to 'apply_fix' (table expected, got number)");
    expect_err(e, "ttlx.apply_fix({code = 'TTL005'})",
               "(not a diagnostic (a table of ttlx.diagnostics() or ttlx.infer().diagnostics, with "
               "code, buffer and message))");
    expect_err(e, "ttlx.apply_fix({code = 'TTL005', message = 'x', buffer = 3})",
               "not a diagnostic");
    expect_err(e, "ttlx.apply_fix(ttlx.solve{}[1])", "not a diagnostic");
    /* an edited message is not the current diagnostic */
    expect_err(e,
               "local d = ttlx.diagnostics()[1]; d.message = d.message .. '!'; ttlx.apply_fix(d)",
               "stale diagnostic");
    expect_hint(e, "act", l1_act_hint); /* every refusal left the hints alone */
    /* alternative 2 */
    expect_out(e, "print((ttlx.apply_fix(ttlx.diagnostics()[1], 2)))",
               "act: grid [2, 2] -> [4, 8], shard_shape_elems [1024, 1024] -> [512, 256]\n");
    char want[600];
    snprintf(want, sizeof want, fixed_hint_fmt, 4, 8, 512, 256);
    expect_hint(e, "act", want);
    /* a failing script rolls the applied fix back */
    expect_err(e,
               "ttlx.hint('act', " /* back to the overflow */
               "{memory='L1', layout='sharded', nd_shard={axes={'M','N'}, grid={2,2}, "
               "shard_shape_elems={1024,1024}}})\n"
               "ttlx.apply_fix(ttlx.diagnostics()[1], 1); error('after')",
               "after");
    expect_hint(e, "act", want);
    lua_engine_free(e);
}

static void test_multi_buffer(void **state) {
    (void)state;
    ttlx_module_t *m;
    lua_engine_t *e = engine_on("l1_overflow.json", &m);
    /* TTL006 (no buffer): its fix moves act to DRAM */
    expect_out(e,
               "local d = ttlx.diagnostics()[3]\n"
               "print(d.code, d.buffer)\n"
               "local text, r = ttlx.apply_fix(d)\n"
               "print(text, #r.diagnostics, r.attrs['tt.buffer.act'].memory)\n",
               "TTL006\tnil\n"
               "act: memory \"L1\" -> \"DRAM\"\t1\tDRAM\n");
    lua_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_alternatives_and_errors),
        cmocka_unit_test(test_multi_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
