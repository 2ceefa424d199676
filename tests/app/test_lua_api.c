/*
 * test_lua_api.c - the Lua API run headless with exact expected values:
 * the ttlx table on small PrimFuncs and the samples, the fast SPEC 6
 * document against the core's own, the sandbox, the instruction budget,
 * the memory cap, rollback of hints, event handlers, commands and keys,
 * saving, init.lua, and the explorer's host interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lua/lua_api.h"
#include "lua/lua_convert.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

#include "app_support.h"
#include "lua_support.h"

#include <lauxlib.h>
#include <lua.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

static const char two_buffers[] =
    "{\"name\": \"add\", \"description\": \"two buffers\", \"buffers\": ["
    "{\"name\": \"X\", \"shape\": [100, 64], \"dtype\": \"float32\"},"
    "{\"name\": \"Y\", \"shape\": [64, 64], \"dtype\": \"bf16\", \"role\": \"output\"}],"
    "\"kernel\": [2, 1],"
    "\"attrs\": {\"tt.user_layout\": {\"X\": {\"memory\": \"L1\"}}}}";

static ttlx_module_t *load_text(const char *text) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(text, strlen(text), "test.json", NULL, 0, &err);
    if (!m) fail_msg("load: %s", err.what);
    return m;
}

static lua_engine_t *engine_with(ttlx_module_t *m, long budget_ms, size_t cap) {
    lua_engine_opts_t o = {.output = capture, .budget_ms = budget_ms, .memory_cap_bytes = cap};
    lua_engine_t *e = lua_engine_new(&o);
    assert_non_null(e);
    if (m) lua_engine_set_module(e, m, 0, NULL, NULL);
    out_reset();
    return e;
}

/* The hint of buf as compact JSON text (caller frees), NULL when none. */
static char *hint_text(lua_engine_t *e, const char *buf) {
    const cJSON *h = ttlx_func_hint(ttlx_module_func(lua_engine_module(e), 0), buf);
    return h ? cJSON_PrintUnformatted(h) : NULL;
}

/* ---------------------------------------------------------- the API */

static void test_func(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(load_text(two_buffers), 0, 0);
    expect_out(e, "local f = ttlx.func() print(f.name, f.description, #f.buffers, f.format)",
               "add\ttwo buffers\t2\tjson\n");
    expect_out(e, "ttlx.func().buffers",
               "{{dtype = \"float32\", elems = 6400, name = \"X\", rank = 2, "
               "shape = {100, 64}}, {dtype = \"bfloat16\", elems = 4096, name = \"Y\", rank = 2, "
               "role = \"output\", shape = {64, 64}}}\n");
    expect_out(e, "ttlx.func().kernel", "{2, 1}\n");
    expect_out(e, "ttlx.func().functions", "{\"add\"}\n");
    expect_out(e, "#ttlx.buffers(), ttlx.buffers()[2].name", "2\t\"Y\"\n");
    expect_out(e, "ttlx.headless, ttlx.trusted, ttlx.version",
               "true\tfalse\t\"" TTLX_VERSION "\"\n");
    lua_engine_free(e);
}

static void test_hints(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(load_text(two_buffers), 0, 0);
    expect_out(e, "ttlx.hint('X')", "{memory = \"L1\"}\n");
    expect_out(e, "ttlx.hint('Y')", "nil\n");
    /* keys are stored in SPEC 2 order whatever order Lua iterates in */
    expect_out(
        e,
        "ttlx.hint('Y', {cb_depth = 4, nd_shard = {shard_shape_elems = {32, 64}, grid = {2, 1},"
        " axes = {'M', 'N'}}, layout = 'sharded', memory = 'L1', zeta = true, alpha = 1})",
        "");
    char *t = hint_text(e, "Y");
    assert_string_equal(
        t, "{\"memory\":\"L1\",\"layout\":\"sharded\",\"nd_shard\":{\"axes\":[\"M\",\"N\"],"
           "\"grid\":[2,1],\"shard_shape_elems\":[32,64]},\"cb_depth\":4,\"alpha\":1,"
           "\"zeta\":true}");
    cJSON_free(t);
    expect_out(e, "ttlx.hint('Y').nd_shard.grid", "{2, 1}\n");
    expect_out(e, "ttlx.clear_hint('X') return ttlx.hint('X')", "nil\n");
    expect_out(e, "ttlx.hint('Y', nil) return ttlx.hints()", "{}\n");
    expect_out(e, "ttlx.hints({X = {memory = 'L1'}, Y = {layout = 'sharded'}}) return ttlx.hints()",
               "{X = {memory = \"L1\"}, Y = {layout = \"sharded\"}}\n");
    expect_out(e, "ttlx.hint('X', {}) return ttlx.hint('X')", "{}\n");
    /* values JSON cannot hold are refused at the edge, naming where */
    expect_err(e, "ttlx.hint('X', {nd_shard = {grid = {1, print}}})",
               "ttlx.hint: at nd_shard.grid[2]: a function cannot be stored");
    expect_err(e, "local t = {} t.self = t ttlx.hint('X', {a = t})", "nested too deeply");
    expect_err(e, "ttlx.hint('X', {memory = 'L1', [1] = 'x'})", "not both");
    expect_err(e, "ttlx.hint('X', {0/0})", "finite");
    expect_err(e, "ttlx.hint('X', 5)", "bad argument #2 to 'hint' (table expected, got number)");
    expect_err(e, "ttlx.hint()", "bad argument #1 to 'hint' (string expected, got no value)");
    expect_err(e, "ttlx.hint('X', {1, 2})", "a hint is a table with string keys");
    lua_engine_free(e);
}

static void test_infer_sample(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(app_load_sample("matmul_sharded.json"), 0, 0);
    expect_out(e, "local d = ttlx.infer() print(d.func, d.device, d.attrs['tt.partition_mode'])",
               "matmul\twormhole_n150\tlocal_shard\n");
    expect_out(
        e, "ttlx.infer().analysis.buffers.A",
        "{bytes_per_core = 16384, cores_used = 8, max_shards_per_core = 1, page_bytes = 2048, "
        "pages = 64, shard_tiles = 8, shards = 8, tile_bytes = 2048, tile_grid = {8, 8}}\n");
    expect_out(
        e, "ttlx.infer().analysis.buffers.B",
        "{banks = 12, bytes_per_bank = 12288, page_bytes = 2048, pages = 64, tile_bytes = 2048, "
        "tile_grid = {8, 8}}\n");
    expect_out(e, "ttlx.infer().analysis.cores",
               "{l1_bank = 1382144, max_used = 28672, worst_core = {0, 0}}\n");
    expect_out(
        e, "ttlx.infer().attrs['tt.buffer.A'].nd_shard",
        "{align_tiles = true, axes = {\"M\", \"N\"}, distribution = \"grid_2d\", grid = {2, 4}, "
        "order = \"row_major\", projected_grid = {2, 4}, projected_shard_tiles = {4, 2}, "
        "shard_shape_elems = {128, 64}}\n");
    expect_out(e, "local r = ttlx.infer().attrs['tt.core_ranges'] print(#r, ttlx.inspect(r[2]))",
               "8\t{1, 0, 1, 0, 0, 8}\n");
    /* tt.core_ranges is built on first use, and pairs, inspect and json
     * see it too */
    expect_out(e, "local n = 0 for k in pairs(ttlx.infer().attrs) do n = n + 1 end return n",
               "13\n");
    expect_out(
        e, "local a = ttlx.infer().attrs local n = 0 for k in next, a do n = n + 1 end return n",
        "12\n");
    expect_out(e, "ttlx.inspect(ttlx.infer().attrs):match('tt.core_ranges') ~= nil", "true\n");
    expect_out(e, "select(2, ttlx.json(ttlx.infer().attrs):gsub('%[%d, %d, %d, %d, 0, 8%]', ''))",
               "8\n");
    expect_out(e, "ttlx.infer().attrs['tt.cb.C']",
               "{data_format = \"Float16_b\", depth = 2, page_size = 2048}\n");
    expect_out(e, "ttlx.infer().attrs['tt.runtime_constants']",
               "{Gx = 4, Gy = 2, Kt = 8, Mt = 8, Nt = 8, Sm = 4, Sn = 2}\n");
    /* analysis.work reaches Lua from the same walk: A x B -> C, K 256 = 8 tiles. */
    expect_out(e, "ttlx.infer().analysis.work",
               "{Kt = 8, Kt_derived = true, output_tile_grid = {8, 8}, tiles_per_block = {1, "
               "1}}\n");
    expect_out(e, "#ttlx.infer().diagnostics, #ttlx.diagnostics()", "0\t0\n");
    expect_out(e, "ttlx.core(0, 0)",
               "{buffers = {A = 16384}, cbs = 12288, l1_bank = 1382144, used = 28672}\n");
    expect_out(
        e, "ttlx.place('A', 4, 0)",
        "{bank = 8, memory = \"L1\", offset = 0, padding = false, shard = 4, slot = 0, x = 0, "
        "y = 1}\n");
    expect_out(e, "ttlx.place('B', 7, 7)",
               "{bank = 3, memory = \"DRAM\", padding = false, slot = 5}\n");
    expect_out(e, "ttlx.place('B', 8, 0)", "nil\n");
    expect_err(e, "ttlx.place('Q', 0, 0)", "no buffer named 'Q'");
    expect_err(e, "ttlx.core(8, 0)", "outside the device grid");
    /* a misaligned L1 shard: the diagnostics with their fixes */
    expect_out(
        e,
        "ttlx.hint('A', {memory = 'L1', layout = 'sharded', nd_shard = {axes = {'M', 'N'},"
        " grid = {2, 4}, shard_shape_elems = {100, 64}}})\n"
        "for _, d in ipairs(ttlx.diagnostics()) do print(d.code, d.severity, d.buffer, d.fix) end",
        "TTL004\terror\tA\tshard_shape_elems [96, 64] with grid [3, 4] (nearest tile-aligned "
        "shard that covers the tensor)\n"
        "TTL008\terror\tA\tgrid[0] (M) = 3\n");
    expect_out(e, "local j = ttlx.infer_json() print(j:sub(1, 20), #j > 1000)",
               "{\n  \"func\": \"matmul\"\ttrue\n");
    lua_engine_free(e);
}

/* The fast document equals the core's document converted, field for field,
 * on every sample and on hints that reach every branch. */
static int l_slow_infer(lua_State *L) {
    lua_engine_t *e = lua_touserdata(L, lua_upvalueindex(1));
    ttlx_error_t err = {0};
    ttlx_device_t dev;
    if (!ttlx_device_resolve(luaL_checkstring(L, 1), &dev, &err))
        return luaL_error(L, "%s", err.what);
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(lua_engine_module(e), 0), &dev, &err);
    if (!r) return luaL_error(L, "infer failed");
    lua_conv_push_result_slow(L, r);
    ttlx_result_free(r);
    return 1;
}

static const char deep_eq_lua[] =
    "function deep_eq(a, b, path)\n"
    "  if type(a) ~= type(b) then error(path .. ': ' .. type(a) .. ' vs ' .. type(b)) end\n"
    "  if type(a) ~= 'table' then\n"
    "    if a ~= b or math.type(a) ~= math.type(b) then error(path .. ': ' .. tostring(a) .. ' vs "
    "' .. tostring(b)) end\n"
    "    return true\n"
    "  end\n"
    "  local seen = {}\n"
    "  for k, v in pairs(a) do deep_eq(v, b[k], path .. '.' .. tostring(k)); seen[k] = true end\n"
    "  for k in pairs(b) do if not seen[k] then error(path .. '.' .. tostring(k) .. ' missing') "
    "end end\n"
    "  return true\n"
    "end\n";

static const char *const variant_hints[] = {
    "nil",
    "{memory = 'L1'}",
    "{memory = 'L1', layout = 'sharded', nd_shard = {axes = {'M', 'N'}, grid = {3, 3}, "
    "shard_shape_elems = {100, 100}}}",
    "{memory = 'DRAM', layout = 'sharded', nd_shard = {axes = {'M', 'N'}, grid = {2, 2}, "
    "shard_shape_elems = {128, 128}, order = 'col_major', distribution = 'round_robin_1d'}}",
    "{memory = 'L1', layout = 'sharded', nd_shard = {axes = {'M', 'N'}, grid = {4, 2}, "
    "shard_shape_elems = {64, 128}, order = 'block_linear(2)'}}",
    "{memory = 'L1', layout = 'sharded', nd_shard = {axes = {'M', 'N'}, grid = {16, 16}, "
    "shard_shape_elems = {16, 16}}}",
    "{tile_shape = {16, 32}, dtype = 'bfloat8_b', halo = 1, bogus = 2}",
    "{memory = 'L1', layout = 'sharded'}",
    "{memory = 'L1', cb_depth = 16}",
};

static void check_same_docs(lua_engine_t *e, const char *device) {
    const ttlx_func_t *f = ttlx_module_func(lua_engine_module(e), 0);
    size_t nb = ttlx_func_buffer_count(f);
    char code[1024];
    for (size_t v = 0; v < sizeof variant_hints / sizeof variant_hints[0]; v++) {
        for (size_t b = 0; b < nb; b++) {
            snprintf(code, sizeof code,
                     "local saved = ttlx.hints() ttlx.device('%s') ttlx.hint('%s', %s)\n"
                     "local ok, err = pcall(deep_eq, ttlx.infer(), slow_infer('%s'), 'doc')\n"
                     "ttlx.hints(saved)\n"
                     "if not ok then error(err, 0) end",
                     device, ttlx_func_buffer(f, b)->name, variant_hints[v], device);
            if (lua_engine_run_string(e, code) != LUA_ENGINE_OK)
                fail_msg("%s on %s: %s", variant_hints[v], ttlx_func_buffer(f, b)->name,
                         lua_engine_error(e));
        }
    }
}

static void test_fast_doc_matches_core(void **state) {
    (void)state;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/samples", TTLX_SOURCE_DIR);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls %s/*.json 2>/dev/null", dir);
    FILE *ls = popen(cmd, "r");
    assert_non_null(ls);
    char path[1024];
    int files = 0;
    while (fgets(path, sizeof path, ls)) {
        path[strcspn(path, "\n")] = '\0';
        ttlx_error_t err = {0};
        ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
        if (!m) continue; /* device profiles and other JSON */
        lua_engine_t *e = engine_with(m, -1, 0);
        lua_State *L = lua_engine_state(e);
        lua_pushlightuserdata(L, e);
        lua_pushcclosure(L, l_slow_infer, 1);
        lua_setglobal(L, "slow_infer");
        assert_int_equal(luaL_dostring(L, deep_eq_lua), LUA_OK);
        check_same_docs(e, "wormhole_n150");
        check_same_docs(e, "blackhole_p150");
        lua_engine_free(e);
        files++;
    }
    pclose(ls);
    assert_true(files >= 1);
    /* and an inline function with padding and 3-D buffers */
    lua_engine_t *e = engine_with(
        load_text(
            "{\"name\": \"n\", \"buffers\": [{\"name\": \"Q\", \"shape\": [3, 100, 70], "
            "\"dtype\": \"float16\"}, {\"name\": \"R\", \"shape\": [5], \"dtype\": \"int8\"}]}"),
        -1, 0);
    lua_State *L = lua_engine_state(e);
    lua_pushlightuserdata(L, e);
    lua_pushcclosure(L, l_slow_infer, 1);
    lua_setglobal(L, "slow_infer");
    assert_int_equal(luaL_dostring(L, deep_eq_lua), LUA_OK);
    check_same_docs(e, "wormhole_n150");
    lua_engine_free(e);
}

static void test_device(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(load_text(two_buffers), 0, 0);
    expect_out(e, "ttlx.device().name, ttlx.device().l1_bank", "\"wormhole_n150\"\t1382144\n");
    expect_out(e, "ttlx.device('blackhole_p150').grid", "{11, 10}\n");
    expect_out(e, "ttlx.infer().device", "\"blackhole_p150\"\n");
    expect_out(e,
               "local d = ttlx.device() d.name = 'mine' d.l1_bank = 1000 ttlx.device(d)"
               " return ttlx.infer().analysis.cores.l1_bank",
               "1000\n");
    expect_err(e, "ttlx.device('nonesuch')", "ttlx.device: ");
    expect_err(e, "ttlx.device(42)", "bad argument #1 to 'device'");
    expect_out(
        e, "#ttlx.devices() == select('#', table.unpack(ttlx.devices())), ttlx.devices()[1].name",
        "true\t\"wormhole_n150\"\n");
    char want[64];
    snprintf(want, sizeof want, "%zu\n", ttlx_device_builtin_count());
    expect_out(e, "#ttlx.devices()", want);
    lua_engine_free(e);
}

static void test_repl_and_errors(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(NULL, 0, 0);
    expect_out(e, "1 + 1", "2\n");
    expect_out(e, "'a', {1, x = 'y'}, nil", "\"a\"\t{1, x = \"y\"}\tnil\n");
    expect_out(e, "x = 5", "");
    expect_out(e, "x", "5\n");
    expect_out(e, "print('hi', 3, true, nil)", "hi\t3\ttrue\tnil\n");
    expect_out(e, "io.write('a', 1, '\\n')", "a1\n");
    expect_err(e, "error('boom')", "lua:1: boom");
    assert_non_null(strstr(lua_engine_error(e), "stack traceback:"));
    expect_err(e, "error({})", "(error object is a table value)");
    expect_err(e, "local = 1", "lua:1:");
    expect_err(e, "ttlx.func()", "no PrimFunc is loaded");
    expect_out(e, "print(ttlx.tabulate({'name', 'n'}, {{'a', 1}, {'bbb', 22}}))",
               "name   n\n----  --\na      1\nbbb   22\n");
    expect_out(e, "'a\\nb\\0'", "\"a\\nb\\0\"\n");
    lua_engine_free(e);
}

/* ------------------------------------------------------------ safety */

static void test_sandbox(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(NULL, 0, 0);
    expect_err(e, "os.execute('true')", "os.execute is not available in the sandbox");
    /* Patterns that could backtrack for hours are stopped by the budget
     * (the matcher looks at the clock); everyday patterns, plain finds and
     * short subjects go through. */
    lua_engine_t *quick = engine_with(NULL, 200, 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_err(quick, "local s = string.rep('a', 30000) return s:find(string.rep('a-', 12) .. 'b')",
               "lua:1: script exceeded its instruction budget (200 ms)");
    expect_err(quick, "return string.rep('x', 5000):gsub('.-.-.-y', '')",
               "lua:1: script exceeded its instruction budget (200 ms)");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(took < 2.0);
    lua_engine_free(quick);
    expect_out(e, "print(('key = value'):match('^%s*(%w+)%s*=%s*(%w+)%s*$'))", "key\tvalue\n");
    expect_out(e, "print(string.rep('a', 30000):find('a-a-b', 1, true))", "nil\n");
    expect_out(e, "print(select(2, string.rep('ab', 1000):gsub('a+b*', '')))", "1000\n");
    expect_out(e, "print(('[%*+-]'):find('[%*+-]', 1, true))", "1\t6\n");
    expect_err(e, "io.open('/etc/passwd')", "io.open is not available in the sandbox");
    expect_err(e, "io.popen('ls')", "io.popen is not available in the sandbox");
    expect_err(e, "require('os')", "require is not available in the sandbox");
    expect_err(e, "dofile('/etc/passwd')", "dofile is not available in the sandbox");
    expect_err(e, "loadfile('/etc/passwd')", "loadfile is not available in the sandbox");
    expect_err(e, "os.remove('x')", "os.remove is not available in the sandbox");
    expect_out(e, "string.dump", "nil\n");
    expect_err(e, "package.loadlib('libc.so.6', 'system')",
               "package.loadlib is not available in the sandbox");
    expect_err(e, "debug.sethook()", "debug.sethook is not available in the sandbox");
    expect_out(e, "load('\\27Lua\\84\\0')",
               "nil\t\"attempt to load a binary chunk (mode is 't')\"\n");
    expect_out(e, "load('\\27Lua', 'x', 'b')",
               "nil\t\"binary chunks are not allowed in the sandbox (text only)\"\n");
    expect_out(e, "load('return 1 + 2')()", "3\n");
    expect_out(e, "type(os.time()), type(os.clock()), type(os.date)",
               "\"number\"\t\"number\"\t\"function\"\n");
    expect_err(e, "collectgarbage('stop')", "invalid option 'stop'");
    expect_out(e, "collectgarbage('count') > 0", "true\n");
    lua_engine_free(e);

    lua_engine_opts_t o = {.trust = true, .output = capture};
    e = lua_engine_new(&o);
    expect_out(e, "type(io.open), type(os.execute), type(require), ttlx.trusted",
               "\"function\"\t\"function\"\t\"function\"\ttrue\n");
    lua_engine_free(e);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static void test_budget(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(load_text(two_buffers), 200, 0);
    double t0 = now_ms();
    expect_err(e, "while true do end", "lua:1: script exceeded its instruction budget (200 ms)");
    double took = now_ms() - t0;
    assert_true(took >= 190 && took < 700); /* slack for a loaded CI machine */
    /* a pcall in the script cannot swallow it */
    t0 = now_ms();
    expect_err(e, "while true do pcall(function() while true do end end) end",
               "script exceeded its instruction budget (200 ms)");
    assert_true(now_ms() - t0 < 700);
    /* nor a coroutine */
    expect_err(e, "local c = coroutine.wrap(function() while true do end end) c()",
               "script exceeded its instruction budget");
    /* a sweep calling into C in a loop is bounded too */
    expect_err(e, "while true do ttlx.infer() end", "script exceeded its instruction budget");
    /* deep recursion ends in a Lua error (stack overflow, or the budget
     * first: growing a 1M-slot stack takes a while), never a crash */
    expect_err(e, "local function f(n) return 1 + f(n + 1) end return f(1)", "lua:1: s");
    expect_err(e, "local function g() return coroutine.wrap(g)() end return g()", "lua:1:");
    /* the next call gets a fresh budget */
    expect_out(e, "1", "1\n");
    lua_engine_free(e);
}

static void test_memory_cap(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(NULL, 5000, (size_t)32 << 20);
    expect_err(e, "local s = 'x' while true do s = s .. s end",
               "lua:1: script exceeded its memory cap (32 MiB)");
    expect_out(e, "'still', 'alive'", "\"still\"\t\"alive\"\n");
    expect_err(e, "local t = {} for i = 1, 1e9 do t[i] = {i} end",
               "script exceeded its memory cap (32 MiB)");
    expect_err(e, "string.rep('x', 1 << 30)", "script exceeded its memory cap (32 MiB)");
    expect_err(e, "local t = {} for i = 1, 1e9 do t[#t + 1] = ('y'):rep(1000) .. i end",
               "script exceeded its memory cap");
    expect_out(e, "#string.rep('x', 1000)", "1000\n");
    /* a script may catch the memory error and go on; a later, unrelated
     * error is reported as itself */
    expect_out(e,
               "local ok, err = pcall(function() local s = 'x' while true do s = s .. s end end)"
               " return ok, err",
               "false\t\"not enough memory\"\n");
    expect_err(e, "pcall(function() local s = 'x' while true do s = s .. s end end) error('other')",
               "lua:1: other");
    lua_engine_free(e);
}

static void test_rollback(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(load_text(two_buffers), 0, 0);
    char *before = hint_text(e, "X");
    expect_err(e,
               "ttlx.hint('X', {memory = 'DRAM'}) ttlx.hint('Y', {memory = 'L1'})"
               " ttlx.device('blackhole_p100') error('late')",
               "late");
    char *after = hint_text(e, "X");
    assert_string_equal(before, after);
    assert_null(hint_text(e, "Y"));
    expect_out(e, "ttlx.device().name", "\"wormhole_n150\"\n");
    cJSON_free(after);
    /* a budget overrun after edits rolls back too */
    lua_engine_free(e);
    e = engine_with(load_text(two_buffers), 100, 0);
    expect_err(e, "ttlx.clear_hint('X') while true do end", "instruction budget");
    after = hint_text(e, "X");
    assert_string_equal(before, after);
    cJSON_free(after);
    /* a successful run keeps its edits */
    expect_out(e, "ttlx.clear_hint('X')", "");
    assert_null(hint_text(e, "X"));
    cJSON_free(before);
    lua_engine_free(e);
}

/* ------------------------------------------------- events, commands, keys */

static void test_events(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(app_load_sample("matmul_sharded.json"), 0, 0);
    assert_false(lua_engine_has_handlers(e, "infer"));
    assert_int_equal(lua_engine_fire(e, "infer", NULL), LUA_ENGINE_OK);
    expect_out(e, "ttlx.on('infer', function(d) print('infer', d.func, #d.diagnostics) end)", "");
    expect_out(e, "ttlx.on('infer', function(d) error('handler broke') end)", "");
    expect_out(e, "ttlx.on('infer', function(d) print('third ran') end)", "");
    assert_true(lua_engine_has_handlers(e, "infer"));
    out_reset();
    assert_int_equal(lua_engine_fire(e, "infer", NULL), LUA_ENGINE_ERROR);
    assert_string_equal(out_buf, "infer\tmatmul\t0\nthird ran\n");
    assert_non_null(
        strstr(lua_engine_error_line(e), "'infer' event handler failed: lua:1: handler broke"));
    /* with a result from the host */
    ttlx_result_t *r =
        ttlx_infer(ttlx_module_func(lua_engine_module(e), 0), ttlx_device_default(), NULL);
    out_reset();
    assert_int_equal(lua_engine_fire(e, "infer", r), LUA_ENGINE_ERROR);
    ttlx_result_free(r);
    assert_string_equal(out_buf, "infer\tmatmul\t0\nthird ran\n");
    /* inside a script, ttlx.infer() fires them and the error surfaces */
    expect_err(e, "ttlx.infer()", "handler broke");
    expect_err(e, "ttlx.on('save', print)", "bad argument #1 to 'on' (invalid option 'save')");
    expect_err(e, "ttlx.on('load', 5)", "bad argument #2 to 'on' (function expected, got number)");
    /* load handlers get the function (the samples as if given on the
     * command line: untrusted scripts may use them) */
    assert_true(lua_engine_allow_path(e, TTLX_SOURCE_DIR "/samples"));
    char code[1200];
    snprintf(code, sizeof code,
             "ttlx.on('load', function(f) print('loaded', f.name, #f.buffers) end)"
             " ttlx.load('%s/samples/matmul_sharded.json')",
             TTLX_SOURCE_DIR);
    expect_out(e, code, "loaded\tmatmul\t3\n");
    out_reset();
    assert_int_equal(lua_engine_fire(e, "load", NULL), LUA_ENGINE_OK);
    assert_string_equal(out_buf, "loaded\tmatmul\t3\n");
    assert_int_equal(lua_engine_fire(e, "nonesuch", NULL), LUA_ENGINE_ERROR);
    expect_err(e, "ttlx.load('/nonexistent/x.json')", "ttlx.load: /nonexistent/x.json");
    lua_engine_free(e);
}

static void test_commands_and_keys(void **state) {
    (void)state;
    lua_engine_t *e = engine_with(load_text(two_buffers), 0, 0);
    expect_out(e,
               "ttlx.command('mem', function(buf, mem) ttlx.hint(buf, {memory = mem}) print('set', "
               "buf, mem) end,"
               " 'set a buffer memory')",
               "");
    expect_out(e, "ttlx.bind('n', function() print('next') end, 'next step')", "");
    expect_out(e, "ttlx.bind('C-n', function() error('bad key') end)", "");
    assert_int_equal(lua_engine_command_count(e), 1);
    assert_string_equal(lua_engine_command_at(e, 0)->name, "mem");
    assert_string_equal(lua_engine_command_at(e, 0)->help, "set a buffer memory");
    assert_null(lua_engine_command_at(e, 1));
    assert_int_equal(lua_engine_key_count(e), 2);
    assert_string_equal(lua_engine_key_at(e, 0)->name, "n");
    assert_string_equal(lua_engine_key_at(e, 1)->help, "");
    out_reset();
    assert_int_equal(lua_engine_run_command(e, "mem", "  Y   L1 "), LUA_ENGINE_OK);
    assert_string_equal(out_buf, "set\tY\tL1\n");
    char *t = hint_text(e, "Y");
    assert_string_equal(t, "{\"memory\":\"L1\"}");
    cJSON_free(t);
    assert_int_equal(lua_engine_run_command(e, "nope", ""), LUA_ENGINE_NOT_FOUND);
    assert_string_equal(lua_engine_error_line(e), "no command 'nope' is registered");
    out_reset();
    assert_int_equal(lua_engine_run_key(e, "n"), LUA_ENGINE_OK);
    assert_string_equal(out_buf, "next\n");
    assert_int_equal(lua_engine_run_key(e, "C-n"), LUA_ENGINE_ERROR);
    assert_non_null(strstr(lua_engine_error_line(e), "bad key"));
    assert_int_equal(lua_engine_run_key(e, "z"), LUA_ENGINE_NOT_FOUND);
    /* a key that rebinds itself while it runs */
    expect_out(e,
               "ttlx.bind('r', function() ttlx.bind('r', function() print('second') end, 'b')"
               " ttlx.command('after', print) print('first') end, 'a')",
               "");
    out_reset();
    assert_int_equal(lua_engine_run_key(e, "r"), LUA_ENGINE_OK);
    assert_int_equal(lua_engine_run_key(e, "r"), LUA_ENGINE_OK);
    assert_string_equal(out_buf, "first\nsecond\n");
    expect_err(e, "error(42)", "42");
    /* re-registering replaces */
    expect_out(e, "ttlx.bind('n', function() print('next2') end, 'again')", "");
    assert_int_equal(lua_engine_key_count(e), 3);
    expect_out(e, "#ttlx.keys(), ttlx.commands()[1].name, #ttlx.commands()", "3\t\"mem\"\t2\n");
    expect_err(e, "ttlx.command('two words', print)", "bad argument #1 to 'command'");
    expect_err(e, "ttlx.bind('', print)", "bad argument #1 to 'bind'");
    lua_engine_free(e);
}

static char tmpdir[256];

static void make_tmpdir(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lua_engine_test_XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_files(void **state) {
    (void)state;
    make_tmpdir();
    char script[512], code[1024], path[512];
    /* run_file: errors carry SCRIPT:LINE, reruns replace registrations */
    snprintf(script, sizeof script, "%s/s.lua", tmpdir);
    write_file(script, "ttlx.bind('n', function() end)\nttlx.on('infer', function() end)\nlocal x "
                       "= nil\nprint(x.y)\n");
    lua_engine_t *e = engine_with(load_text(two_buffers), 0, 0);
    assert_int_equal(lua_engine_run_file(e, script), LUA_ENGINE_ERROR);
    char want[600];
    snprintf(want, sizeof want, "%s:4: attempt to index a nil value (local 'x')", script);
    assert_string_equal(lua_engine_error_line(e), want);
    assert_int_equal(lua_engine_run_file(e, script), LUA_ENGINE_ERROR);
    assert_int_equal(lua_engine_key_count(e), 1);
    assert_string_equal(lua_engine_key_at(e, 0)->source, script);
    size_t nw;
    const char *const *w = lua_engine_watched_files(e, &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0], script);
    snprintf(path, sizeof path, "%s/missing.lua", tmpdir);
    assert_int_equal(lua_engine_run_file(e, path), LUA_ENGINE_ERROR);
    assert_non_null(strstr(lua_engine_error_line(e), "cannot open"));
    w = lua_engine_watched_files(e, &nw);
    assert_int_equal(nw, 1); /* a missing file is not watched */
    /* a binary chunk file is refused */
    snprintf(path, sizeof path, "%s/b.lua", tmpdir);
    write_file(path, "\033Lua\x54");
    assert_int_equal(lua_engine_run_file(e, path), LUA_ENGINE_ERROR);
    assert_non_null(strstr(lua_engine_error_line(e), "binary"));
    /* a file whose error quotes "out of memory" (a buffer's name) is bad
     * input, not a memory error: the failure counter tells, not the text */
    snprintf(path, sizeof path, "%s/oom_name.json", tmpdir);
    write_file(path,
               "{\"name\": \"f\", \"buffers\": ["
               "{\"name\": \"out of memory\", \"shape\": [32, 32], \"dtype\": \"bfloat16\"},"
               "{\"name\": \"out of memory\", \"shape\": [32, 32], \"dtype\": \"bfloat16\"}]}");
    snprintf(code, sizeof code, "ttlx.load('%s')", path);
    snprintf(want, sizeof want, "ttlx.load: %s:1:", path);
    expect_err(e, code, want);
    assert_non_null(strstr(lua_engine_error_line(e), "not a PrimFunc ttlx can read"));

    /* save: atomic, readable back, keeps the hints */
    snprintf(path, sizeof path, "%s/out.json", tmpdir);
    snprintf(code, sizeof code, "ttlx.hint('Y', {memory = 'L1', cb_depth = 3}) ttlx.save('%s')",
             path);
    expect_out(e, code, "");
    snprintf(code, sizeof code, "ttlx.load('%s') return ttlx.hint('Y'), ttlx.hint('X')", path);
    expect_out(e, code, "{cb_depth = 3, memory = \"L1\"}\t{memory = \"L1\"}\n");
    cJSON *saved = cJSON_Parse(read_file(path));
    assert_non_null(saved);
    const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(saved, "buffers"), 0);
    assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(x, "shape"), 0)->valueint, 100);
    cJSON_Delete(saved);
    /* ttlx.save() with no path writes back to the loaded file */
    expect_out(e, "ttlx.clear_hint('Y') ttlx.save()", "");
    assert_null(strstr(read_file(path), "cb_depth"));
    /* failures leave the original alone and say which file */
    char *before = strdup(read_file(path));
    snprintf(code, sizeof code,
             "ttlx.hint('X', {memory = 'DRAM'}) ttlx.save('%s/no/such/dir/x.json')", tmpdir);
    snprintf(want, sizeof want, "ttlx.save: %s/no/such/dir/x.json", tmpdir);
    expect_err(e, code, want);
    snprintf(code, sizeof code, "ttlx.save('%s')", tmpdir);
    snprintf(want, sizeof want, "ttlx.save: %s", tmpdir);
    expect_err(e, code, want);
    assert_string_equal(read_file(path), before);
    free(before);
    struct stat st;
    assert_int_equal(stat(tmpdir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    snprintf(code, sizeof code, "ttlx.export('%s/e.json', 'json') return 1", tmpdir);
    expect_out(e, code, "1\n");
    snprintf(code, sizeof code, "ttlx.export('%s/e.svg', 'nonesuch')", tmpdir);
    expect_err(e, code, "nonesuch");
    expect_err(e, "ttlx.export('-', 'json')", "bad argument #1 to 'export' (a file path)");
    lua_engine_free(e);
    /* save without a file */
    e = engine_with(load_text(two_buffers), 0, 0);
    expect_err(e, "ttlx.save()", "no file to save to");
    lua_engine_free(e);

    /* init.lua: $TTLX_CONFIG as a directory or a file, then XDG */
    snprintf(path, sizeof path, "%s/init.lua", tmpdir);
    write_file(path, "ttlx.command('hello', function() print('hello') end, 'says hello')\n");
    setenv("TTLX_CONFIG", tmpdir, 1);
    e = engine_with(NULL, 0, 0);
    assert_int_equal(lua_engine_load_init(e), 1);
    assert_int_equal(lua_engine_command_count(e), 1);
    w = lua_engine_watched_files(e, &nw);
    assert_int_equal(nw, 1);
    assert_string_equal(w[0], path);
    lua_engine_free(e);
    setenv("TTLX_CONFIG", path, 1);
    e = engine_with(NULL, 0, 0);
    assert_int_equal(lua_engine_load_init(e), 1);
    lua_engine_free(e);
    unsetenv("TTLX_CONFIG");
    setenv("XDG_CONFIG_HOME", tmpdir, 1); /* no ttlx/init.lua there */
    e = engine_with(NULL, 0, 0);
    assert_int_equal(lua_engine_load_init(e), 0);
    lua_engine_free(e);
    write_file(path, "error('bad init')\n");
    setenv("TTLX_CONFIG", path, 1);
    e = engine_with(NULL, 0, 0);
    assert_int_equal(lua_engine_load_init(e), -1);
    assert_non_null(strstr(lua_engine_error_line(e), "init.lua:1: bad init"));
    lua_engine_free(e);
    unsetenv("TTLX_CONFIG");
    char rm[400];
    snprintf(rm, sizeof rm, "rm -rf %s", tmpdir);
    assert_int_equal(system(rm), 0);
}

/* The five view functions headless: checked exactly as in the explorer,
 * then nothing more (no views). */
static const char *const view_names[] = {"cores", "tiles", "projection", "work", "metadata"};

static void test_views_headless(void **state) {
    (void)state;
    lua_engine_opts_t o = {.output = capture, .view_names = view_names, .nview_names = 5};
    lua_engine_t *e = lua_engine_new(&o);
    assert_non_null(e);
    lua_engine_set_module(e, load_text(two_buffers), 0, NULL, NULL);
    expect_out(e, "ttlx.view('tiles') ttlx.view('metadata')", "");
    expect_err(e, "ttlx.view('tile')",
               "bad argument #1 to 'view' (no view named 'tile'; views: cores, tiles, projection, "
               "work, metadata)");
    expect_err(e, "ttlx.view(3)", "no view named '3'");
    expect_err(e, "ttlx.view()", "bad argument #1 to 'view' (string expected, got no value)");
    expect_out(e, "ttlx.cursor_core(0, 0) ttlx.cursor_core(7, 7)", "");
    expect_err(e, "ttlx.cursor_core(8, 0)",
               "bad argument #1 to 'cursor_core' (x 8 outside the core grid of wormhole_n150: 0 "
               "to 7)");
    expect_err(e, "ttlx.cursor_core(0, -1)",
               "bad argument #2 to 'cursor_core' (y -1 outside the core grid of wormhole_n150: 0 "
               "to 7)");
    expect_err(e, "ttlx.cursor_core(1.5, 0)", "number has no integer representation");
    /* the tile cursor and the zoom need a selected buffer */
    expect_err(e, "ttlx.cursor_tile(0, 0)",
               "ttlx.cursor_tile: no buffer is selected (call ttlx.select(buf) first)");
    expect_err(e, "ttlx.zoom(1)", "ttlx.zoom: no buffer is selected (call ttlx.select(buf) first)");
    expect_err(e, "ttlx.select('Z')",
               "bad argument #1 to 'select' (no buffer named 'Z' in add; buffers: X, Y)");
    expect_out(e, "ttlx.select('X')", "");
    /* X is 100x64: 4 x 2 tiles of 32x32 */
    expect_out(e, "ttlx.cursor_tile(3, 1)", "");
    expect_err(e, "ttlx.cursor_tile(4, 0)",
               "bad argument #1 to 'cursor_tile' (row 4 outside X's tile view: 0 to 3)");
    expect_err(e, "ttlx.cursor_tile(0, 2)",
               "bad argument #2 to 'cursor_tile' (column 2 outside X's tile view: 0 to 1)");
    expect_out(e, "ttlx.zoom(1) ttlx.zoom(2) ttlx.zoom(4)", "");
    expect_err(e, "ttlx.zoom(3)",
               "bad argument #1 to 'zoom' (zoom 3: tiles per cell side must be a power of 2, 1 to "
               "4 for X's 4x2 tiles)");
    expect_err(e, "ttlx.zoom(8)", "zoom 8: tiles per cell side must be a power of 2, 1 to 4");
    expect_err(e, "ttlx.zoom(0)", "zoom 0: tiles per cell side must be a power of 2, 1 to 4");
    /* the selection follows ttlx.select; a tile hint changes the tile view */
    expect_out(e, "ttlx.select('Y') ttlx.hint('Y', {tile_shape = {16, 16}}) ttlx.cursor_tile(3, 3)",
               "");
    expect_err(e, "ttlx.cursor_tile(4, 0)", "row 4 outside Y's tile view: 0 to 3");
    /* a new function without that buffer */
    expect_out(e,
               "ttlx.new_func{name = 'n', buffers = {{name = 'a', shape = {64, 64}, dtype = "
               "'int8'}}}",
               "");
    expect_err(e, "ttlx.zoom(1)",
               "ttlx.zoom: the selected buffer 'Y' is not in n (call ttlx.select(buf))");
    lua_engine_free(e);
    /* an engine given no view names knows no view */
    e = engine_with(NULL, 0, 0);
    expect_err(e, "ttlx.view('cores')", "no view named 'cores'; views: none here");
    lua_engine_free(e);
}

/* ------------------------------------------------------------- hosted */

typedef struct fake_host {
    ttlx_module_t *mod;
    ttlx_device_t dev;
    int edits, redraws, binds;
    char label[256];
    char selected[64];
    char *before;
    char calls[1024]; /* the view requests, in order */
    char lesson[512]; /* the pinned step, "" when none */
} fake_host_t;

static ttlx_module_t *host_module(void *ud, size_t *fi, const char **path) {
    fake_host_t *h = ud;
    *fi = 0;
    *path = NULL;
    return h->mod;
}
static const ttlx_device_t *host_device(void *ud) {
    return &((fake_host_t *)ud)->dev;
}
static bool host_set_device(void *ud, const ttlx_device_t *d, char *err, size_t n) {
    (void)err;
    (void)n;
    ((fake_host_t *)ud)->dev = *d;
    return true;
}
static void host_edited(void *ud, cJSON *before, const char *label) {
    fake_host_t *h = ud;
    h->edits++;
    snprintf(h->label, sizeof h->label, "%s", label);
    free(h->before);
    h->before = cJSON_PrintUnformatted(before);
    cJSON_Delete(before);
}
static bool host_adopt(void *ud, ttlx_module_t *mod, char *err, size_t n) {
    (void)err;
    (void)n;
    fake_host_t *h = ud;
    ttlx_module_free(h->mod);
    h->mod = mod;
    return true;
}
static void host_select(void *ud, const char *buf) {
    snprintf(((fake_host_t *)ud)->selected, sizeof((fake_host_t *)ud)->selected, "%s", buf);
}
static void host_call(fake_host_t *h, const char *fmt, long long a, long long b) {
    size_t n = strlen(h->calls);
    snprintf(h->calls + n, sizeof h->calls - n, fmt, a, b);
}
static const char *host_selected(void *ud) {
    return ((fake_host_t *)ud)->selected[0] ? ((fake_host_t *)ud)->selected : NULL;
}
static void host_view(void *ud, int v) {
    host_call(ud, "view %lld%.0lld;", v, 0);
}
static void host_core(void *ud, int x, int y) {
    host_call(ud, "core %lld,%lld;", x, y);
}
static void host_tile(void *ud, int64_t r, int64_t c) {
    host_call(ud, "tile %lld,%lld;", (long long)r, (long long)c);
}
static void host_zoom(void *ud, int64_t n) {
    host_call(ud, "zoom %lld%.0lld;", (long long)n, 0);
}
static void host_lesson(void *ud, const lua_engine_lesson_t *l) {
    fake_host_t *h = ud;
    if (!l)
        h->lesson[0] = '\0';
    else
        snprintf(h->lesson, sizeof h->lesson, "%s|%d/%d|%s|%s|%s %s %s", l->title, l->step,
                 l->steps, l->step_title, l->text, l->next_key, l->prev_key, l->leave_key);
}
static void host_redraw(void *ud) {
    ((fake_host_t *)ud)->redraws++;
}
static void host_binds(void *ud) {
    ((fake_host_t *)ud)->binds++;
}

static void test_hosted(void **state) {
    (void)state;
    fake_host_t h = {.mod = load_text(two_buffers), .dev = *ttlx_device_default()};
    lua_engine_host_t host = {.ud = &h,
                              .module = host_module,
                              .device = host_device,
                              .set_device = host_set_device,
                              .hints_edited = host_edited,
                              .redraw = host_redraw,
                              .bindings_changed = host_binds};
    lua_engine_opts_t o = {
        .output = capture, .host = &host, .view_names = view_names, .nview_names = 5};
    lua_engine_t *e = lua_engine_new(&o);
    assert_non_null(e);
    assert_null(lua_engine_module(e));
    expect_out(e, "ttlx.headless, ttlx.func().name", "false\t\"add\"\n");
    assert_int_equal(h.edits, 0);
    /* many edits in one run are one undo step holding the state before */
    expect_out(
        e, "for i = 1, 50 do ttlx.hint('Y', {cb_depth = i % 16 + 1}) end ttlx.clear_hint('X')", "");
    assert_int_equal(h.edits, 1);
    assert_string_equal(h.before, "{\"X\":{\"memory\":\"L1\"}}");
    assert_string_equal(h.label,
                        ":lua for i = 1, 50 do ttlx.hint('Y', {cb_depth = i % 16 + 1}) end "
                        "ttlx.clear_hint('X')");
    assert_true(h.redraws >= 1);
    /* a failing run is rolled back and not recorded */
    expect_err(e, "ttlx.hint('X', {memory = 'DRAM'}) error('no')", "no");
    assert_int_equal(h.edits, 1);
    assert_null(ttlx_func_hint(ttlx_module_func(h.mod, 0), "X"));
    /* an infer handler that edits does not loop: the rerun it causes is
     * not fired again */
    expect_out(
        e, "n = 0 ttlx.on('infer', function(d) n = n + 1 ttlx.hint('Y', {cb_depth = n}) end)", "");
    int edits = h.edits;
    assert_int_equal(lua_engine_fire(e, "infer", NULL), LUA_ENGINE_OK);
    assert_int_equal(h.edits, edits + 1);
    assert_string_equal(h.label, "event infer");
    assert_int_equal(lua_engine_fire(e, "infer", NULL), LUA_ENGINE_OK); /* the rerun: skipped */
    assert_int_equal(lua_engine_fire(e, "infer", NULL), LUA_ENGINE_OK); /* a new inference */
    expect_out(e, "n", "2\n");
    /* device switches go through the host */
    expect_out(e, "ttlx.device('blackhole_p150').name", "\"blackhole_p150\"\n");
    assert_string_equal(h.dev.name, "blackhole_p150");
    expect_err(e, "ttlx.device('wormhole_n300') error('undo me')", "undo me");
    assert_string_equal(h.dev.name, "blackhole_p150");
    expect_out(e, "ttlx.bind('x', print)", "");
    assert_true(h.binds >= 1);
    expect_err(e, "ttlx.load('x.json')", "the explorer does not allow loading here");
    expect_err(e,
               "ttlx.new_func{name = 'n', buffers = {{name = 'a', shape = {4}, dtype = 'int8'}}}",
               "the explorer does not allow it here");
    lua_engine_free(e);

    /* a lesson in the explorer: its own PrimFunc, keys to step */
    host.adopt = host_adopt;
    host.select = host_select;
    host.selected = host_selected;
    host.view = host_view;
    host.cursor_core = host_core;
    host.cursor_tile = host_tile;
    host.zoom = host_zoom;
    host.lesson = host_lesson;
    e = lua_engine_new(&o);
    char path[1024];
    snprintf(path, sizeof path, "%s/scripts/lessons/tiles_and_padding.lua", TTLX_SOURCE_DIR);
    out_reset();
    assert_int_equal(lua_engine_run_file(e, path), LUA_ENGINE_OK);
    assert_non_null(strstr(out_buf,
                           "(>: next step, <: previous, X: leave, :lesson N: step N)\n"
                           "== tiles and padding: step 1/6: a tensor is stored as tiles =="));
    assert_null(strstr(out_buf, "step 2/6"));
    assert_string_equal(ttlx_func_name(ttlx_module_func(h.mod, 0)), "lesson_tiles");
    assert_string_equal(h.selected, "x");
    /* the step is pinned and its views asked for, in order */
    assert_string_equal(h.lesson,
                        "tiles and padding|1/6|a tensor is stored as tiles|A buffer is stored as "
                        "whole tiles, one tile per page. x is 100x100: 100/32 = 3.1, so 4 tile "
                        "rows by 4 tile columns. The Tiles view draws the 16 tiles, each "
                        "labelled with the DRAM bank (#B) that holds it.|> < X");
    assert_string_equal(h.calls, "view 1;zoom 1;tile 0,0;");
    assert_int_equal(lua_engine_key_count(e), 3);
    h.calls[0] = '\0';
    assert_int_equal(lua_engine_run_key(e, "X"), LUA_ENGINE_OK); /* leave */
    assert_string_equal(h.lesson, "");
    assert_int_equal(lua_engine_run_key(e, ">"), LUA_ENGINE_OK); /* back in, same step */
    assert_non_null(strstr(h.lesson, "tiles and padding|1/6|"));
    assert_int_equal(lua_engine_run_command(e, "lesson", "off"), LUA_ENGINE_OK);
    assert_string_equal(h.lesson, "");
    assert_int_equal(lua_engine_run_command(e, "lesson", "3"), LUA_ENGINE_OK); /* back, at 3 */
    assert_non_null(strstr(h.lesson, "tiles and padding|3/6|the dtype sets the page size|"));
    assert_int_equal(lua_engine_run_command(e, "lesson", "1"), LUA_ENGINE_OK);
    assert_string_equal(lua_engine_key_at(e, 0)->help, "tiles and padding: next step");
    out_reset();
    assert_int_equal(lua_engine_run_key(e, ">"), LUA_ENGINE_OK);
    assert_non_null(strstr(out_buf, "step 2/6: what padding costs"));
    out_reset();
    assert_int_equal(lua_engine_run_command(e, "lesson", "6"), LUA_ENGINE_OK);
    assert_non_null(strstr(out_buf, "step 6/6: where the pages go"));
    out_reset();
    assert_int_equal(lua_engine_run_key(e, ">"), LUA_ENGINE_OK); /* stays on the last step */
    assert_non_null(strstr(out_buf, "step 6/6"));
    assert_int_equal(lua_engine_run_key(e, "<"), LUA_ENGINE_OK);
    assert_non_null(strstr(out_buf, "step 5/6"));
    /* the explorer's selection counts until a script selects: x, the
     * lesson's last selection (4x4 tiles), then v, then w (2x2 tiles) */
    h.calls[0] = '\0';
    expect_out(e, "ttlx.view('cores') ttlx.cursor_core(7, 7) ttlx.cursor_tile(3, 2) ttlx.zoom(4)",
               "");
    assert_string_equal(h.calls, "view 0;core 7,7;tile 3,2;zoom 4;");
    snprintf(h.selected, sizeof h.selected, "v"); /* v: 6 x 3 tiles */
    expect_err(e, "ttlx.cursor_tile(6, 0)", "row 6 outside v's tile view: 0 to 5");
    expect_out(e, "ttlx.select('w') ttlx.cursor_tile(1, 1)", "");
    expect_err(e, "ttlx.cursor_tile(2, 0)", "row 2 outside w's tile view: 0 to 1"); /* the host's */
    /* a failing run asks nothing more of the host than it did before it failed */
    h.calls[0] = '\0';
    expect_err(e, "ttlx.view('work') ttlx.view('solve')", "no view named 'solve'");
    assert_string_equal(h.calls, "view 3;");
    lua_engine_free(e);
    free(h.before);
    ttlx_module_free(h.mod);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_func),           cmocka_unit_test(test_hints),
        cmocka_unit_test(test_infer_sample),   cmocka_unit_test(test_fast_doc_matches_core),
        cmocka_unit_test(test_device),         cmocka_unit_test(test_repl_and_errors),
        cmocka_unit_test(test_sandbox),        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_memory_cap),     cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_events),         cmocka_unit_test(test_commands_and_keys),
        cmocka_unit_test(test_files),          cmocka_unit_test(test_hosted),
        cmocka_unit_test(test_views_headless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
