/*
 * test_tvmscript.c - the TVMScript importer (SPEC 1.2): every form it reads,
 * the exact SPEC 1.1 JSON it builds, every error with its line:column and
 * message, hostile input (truncation, nesting, overflow, bad bytes) and
 * allocation failure at every step.
 */
#include "test_support.h"
#include "ttlx_tvmscript.h"

#include <stdlib.h>

/* ----------------------------------------------------------- helpers */

static char *convert(const char *src, size_t len, const ttlx_binding_t *binds, size_t nbinds,
                     ttlx_error_t *err) {
    cJSON *doc = ttlx_tvmscript_to_json(src, len, binds, nbinds, err);
    if (!doc) return NULL;
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return text;
}

static void expect_json_b(const char *src, const ttlx_binding_t *binds, size_t nbinds,
                          const char *expected) {
    ttlx_error_t err = {0};
    char *text = convert(src, strlen(src), binds, nbinds, &err);
    if (!text) fail_msg("unexpected error %d:%d: %s", err.line, err.col, err.what);
    if (strcmp(text, expected) != 0) {
        print_error("got:      %s\nexpected: %s\n", text, expected);
        cJSON_free(text);
        fail();
    }
    cJSON_free(text);
}

static void expect_json(const char *src, const char *expected) {
    expect_json_b(src, NULL, 0, expected);
}

static void expect_error_n(const char *src, size_t len, int line, int col, const char *fragment) {
    ttlx_error_t err = {0};
    char *text = convert(src, len, NULL, 0, &err);
    if (text) {
        print_error("expected an error, got %s\n", text);
        cJSON_free(text);
        fail();
    }
    if (err.line != line || err.col != col)
        fail_msg("error at %d:%d, expected %d:%d (%s)", err.line, err.col, line, col, err.what);
    assert_contains(err.what, fragment);
}

static void expect_error(const char *src, int line, int col, const char *fragment) {
    expect_error_n(src, strlen(src), line, col, fragment);
}

/* A one-buffer function whose body is BODY (indented by the caller). */
#define FUNC_A "@T.prim_func\ndef f(A: T.Buffer((32, 32), \"float32\")):\n"
#define JSON_A                                                                                     \
    "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[32,32],\"dtype\":\"float32\"}]"

/* ------------------------------------------------------- parameters */

static void buffer_params(void **state) {
    (void)state;
    expect_json("# from tvm.script import tir as T\n\n"
                "@T.prim_func\n"
                "def matmul(A: T.Buffer((256, 256), \"float16\"), B: T.Buffer([256, 256], "
                "dtype=\"bfloat16\"), C: T.Tensor((128, 64, 32), 'float32')):\n"
                "    T.evaluate(0)\n",
                "{\"name\":\"matmul\",\"buffers\":["
                "{\"name\":\"A\",\"shape\":[256,256],\"dtype\":\"float16\"},"
                "{\"name\":\"B\",\"shape\":[256,256],\"dtype\":\"bfloat16\"},"
                "{\"name\":\"C\",\"shape\":[128,64,32],\"dtype\":\"float32\"}]}");
}

static void buffer_keywords_and_defaults(void **state) {
    (void)state;
    /* shape= and dtype= keywords, extra keywords skipped, float32 default,
     * a bare int shape, dtype aliases canonicalised. */
    expect_json(
        "@T.prim_func\n"
        "def f(A: T.Buffer(shape=(4, 8), dtype=\"bf16\", strides=(8, 1), scope=\"global\"),\n"
        "      B: T.Buffer((16,)), C: T.Buffer(128, \"fp16\", offset_factor=1)):\n"
        "    pass\n",
        "{\"name\":\"f\",\"buffers\":["
        "{\"name\":\"A\",\"shape\":[4,8],\"dtype\":\"bfloat16\"},"
        "{\"name\":\"B\",\"shape\":[16],\"dtype\":\"float32\"},"
        "{\"name\":\"C\",\"shape\":[128],\"dtype\":\"float16\"}]}");
}

static void old_subscript_syntax(void **state) {
    (void)state;
    expect_json(
        "@T.prim_func\ndef f(A: T.Buffer[(128, 64), \"int8\"]):\n    pass\n",
        "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[128,64],\"dtype\":\"int8\"}]}");
}

static void int_wrappers_in_shapes(void **state) {
    (void)state;
    expect_json(
        "@T.prim_func\n"
        "def f(A: T.Buffer((T.int64(128), T.int32(4), T.int64(2) * T.int64(3)), \"uint8\")):\n"
        "    pass\n",
        "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[128,4,6],\"dtype\":\"uint8\"}]}");
}

static void shape_expressions(void **state) {
    (void)state;
    ttlx_binding_t b[] = {{"n", 100}, {"m", 7}};
    expect_json_b("@T.prim_func\n"
                  "def f(A: T.Buffer((n, n * 2, n // 3 + 1, (m - 1) % 4, T.ceildiv(n, 32), "
                  "T.floordiv(-n, 32) + 5, T.max(m, 3), T.min(m, 3)), \"int32\")):\n"
                  "    pass\n",
                  b, 2,
                  "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[100,200,34,2,4,1,7,3],"
                  "\"dtype\":\"int32\"}]}");
}

static void scalar_and_handle_params(void **state) {
    (void)state;
    /* Scalars are not buffers; handles become buffers through
     * T.match_buffer, in parameter order; an unmatched handle is dropped. */
    expect_json("@T.prim_func\n"
                "def f(a: T.handle, n: T.int32, b: T.handle, unused: T.handle, x: T.float32):\n"
                "    T.func_attr({\"global_symbol\": \"f\"})\n"
                "    B = T.match_buffer(b, [64], dtype=\"float16\", offset_factor=1)\n"
                "    A = T.match_buffer(a, (128, T.int64(128)), \"float32\")\n"
                "    T.evaluate(0)\n",
                "{\"name\":\"f\",\"buffers\":["
                "{\"name\":\"A\",\"shape\":[128,128],\"dtype\":\"float32\"},"
                "{\"name\":\"B\",\"shape\":[64],\"dtype\":\"float16\"}],"
                "\"attrs\":{\"global_symbol\":\"f\"}}");
}

static void match_buffer_subregion_ignored(void **state) {
    (void)state;
    expect_json(FUNC_A "    with T.block(\"b\"):\n"
                       "        S = T.match_buffer(A[0:16, 0:16], (16, 16), \"float32\")\n"
                       "        R = T.match_buffer(nothing, (16, 16))\n",
                JSON_A "}");
}

static void match_buffer_shape_keyword(void **state) {
    (void)state;
    expect_json(
        "@T.prim_func\ndef f(a: T.handle):\n"
        "    A = T.match_buffer(a, dtype=\"int32\", shape=(2, 3))\n",
        "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[2,3],\"dtype\":\"int32\"}]}");
}

static void many_match_buffers_in_any_order(void **state) {
    (void)state;
    expect_json("@T.prim_func\ndef f(a: T.handle, b: T.handle, c: T.handle):\n"
                "    C = T.match_buffer(c, (3,))\n"
                "    A = T.match_buffer(a, (1,))\n"
                "    B = T.match_buffer(b, (2,))\n",
                "{\"name\":\"f\",\"buffers\":["
                "{\"name\":\"A\",\"shape\":[1],\"dtype\":\"float32\"},"
                "{\"name\":\"B\",\"shape\":[2],\"dtype\":\"float32\"},"
                "{\"name\":\"C\",\"shape\":[3],\"dtype\":\"float32\"}]}");
}

static void return_annotation_and_defaults(void **state) {
    (void)state;
    expect_json("@T.prim_func(private=True)\n"
                "def f(A: T.Buffer((8,), \"int8\"), *, k: T.int32 = 3) -> None:\n    pass\n",
                "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[8],\"dtype\":\"int8\"}]}");
}

/* ------------------------------------------------------- func_attr */

static void func_attr_literals(void **state) {
    (void)state;
    expect_json(
        FUNC_A
        "    T.func_attr({'s': 'single', \"d\": \"double\", \"i\": 42, \"neg\": -7,\n"
        "                 \"f\": 1.5, \"e\": -2.5e-3, \"t\": True, \"fa\": False, \"no\": None,\n"
        "                 \"hex\": 0xFF, \"bin\": 0b101, \"oct\": 0o17, \"us\": 1_000_000,\n"
        "                 \"list\": [1, 'a', [2, 3]], \"tuple\": (1, 2), \"one\": (5,),\n"
        "                 \"paren\": (6), \"empty\": (), \"el\": [], \"ed\": {},\n"
        "                 \"trail\": [1, 2,],})\n",
        JSON_A ",\"attrs\":{\"s\":\"single\",\"d\":\"double\",\"i\":42,\"neg\":-7,"
               "\"f\":1.5,\"e\":-0.0025,\"t\":true,\"fa\":false,\"no\":null,"
               "\"hex\":255,\"bin\":5,\"oct\":15,\"us\":1000000,"
               "\"list\":[1,\"a\",[2,3]],\"tuple\":[1,2],\"one\":[5],"
               "\"paren\":6,\"empty\":[],\"el\":[],\"ed\":{},\"trail\":[1,2]}}");
}

static void func_attr_wrappers(void **state) {
    (void)state;
    expect_json(
        FUNC_A
        "    T.func_attr({\"b\": T.bool(True), \"b0\": T.bool(False), \"i\": T.int32(4),\n"
        "                 \"l\": T.int64(-9), \"u\": T.uint8(255), \"f\": T.float32(0.5),\n"
        "                 \"fi\": T.float32(2), \"neg\": -T.int32(3), \"h\": T.float16(1.25)})\n",
        JSON_A ",\"attrs\":{\"b\":true,\"b0\":false,\"i\":4,\"l\":-9,\"u\":255,\"f\":0.5,"
               "\"fi\":2,\"neg\":-3,\"h\":1.25}}");
}

static void func_attr_strings(void **state) {
    (void)state;
    expect_json(FUNC_A
                "    T.func_attr({\"esc\": \"a\\tb\\n\\\\\\\"q\\x41\\101\\u00e9\\U0001F600\",\n"
                "                 \"raw\": r\"\\d+\\\"\", \"cat\": \"ab\" 'cd'\n"
                "                        \"ef\", \"tri\": '''x'y\n"
                "z''', \"unk\": \"\\q\", \"br\": \"([{\", \"hash\": \"# no comment\"})\n",
                JSON_A ",\"attrs\":{\"esc\":\"a\\tb\\n\\\\\\\"qAA\xc3\xa9\xf0\x9f\x98\x80\","
                       "\"raw\":\"\\\\d+\\\\\\\"\",\"cat\":\"abcdef\",\"tri\":\"x'y\\nz\","
                       "\"unk\":\"\\\\q\",\"br\":\"([{\",\"hash\":\"# no comment\"}}");
}

static void func_attr_user_layout(void **state) {
    (void)state;
    expect_json(
        FUNC_A
        "    T.func_attr({\"global_symbol\": \"f\", \"tir.noalias\": T.bool(True),\n"
        "                 \"tt.user_layout\": {\"A\": {\"memory\": \"L1\", \"layout\": "
        "\"sharded\",\n"
        "                     \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": (2, T.int32(4)),\n"
        "                                  \"shard_shape_elems\": [16, 8], \"align_tiles\": "
        "False}}},\n"
        "                 \"tt.core_grid\": [8, 8], \"tt.user_schedule\": {}})\n",
        JSON_A ",\"attrs\":{\"global_symbol\":\"f\",\"tir.noalias\":true,"
               "\"tt.user_layout\":{\"A\":{\"memory\":\"L1\",\"layout\":\"sharded\","
               "\"nd_shard\":{\"axes\":[\"M\",\"N\"],\"grid\":[2,4],"
               "\"shard_shape_elems\":[16,8],\"align_tiles\":false}}},"
               "\"tt.core_grid\":[8,8],\"tt.user_schedule\":{}}}");
}

static void func_attr_opaque_calls_kept_as_text(void **state) {
    (void)state;
    expect_json(
        FUNC_A "    T.func_attr({\"target\": T.target({\"kind\": \"cuda\",\n"
               "                                      \"arch\": \"sm_80\"}), \"dt\": T.float16})\n",
        JSON_A ",\"attrs\":{\"target\":\"T.target({\\\"kind\\\": \\\"cuda\\\", "
               "\\\"arch\\\": \\\"sm_80\\\"})\",\"dt\":\"T.float16\"}}");
}

static void func_attr_merges_and_bound_names(void **state) {
    (void)state;
    ttlx_binding_t b[] = {{"k", 12}};
    expect_json_b(FUNC_A "    T.func_attr({\"a\": 1, \"b\": 2})\n"
                         "    T.func_attr({\"b\": 3, \"c\": k})\n",
                  b, 1, JSON_A ",\"attrs\":{\"a\":1,\"b\":3,\"c\":12}}");
}

static void func_attr_exact_64bit(void **state) {
    (void)state;
    /* Past 2^53 a double would round: the exact digits are kept. */
    expect_json(
        FUNC_A "    T.func_attr({\"max\": 9223372036854775807, \"min\": -9223372036854775808,\n"
               "                 \"big\": 9007199254740993, \"edge\": 999999999999999, \"raw\": "
               "-1000000000000000})\n",
        JSON_A ",\"attrs\":{\"max\":9223372036854775807,\"min\":-9223372036854775808,"
               "\"big\":9007199254740993,\"edge\":999999999999999,\"raw\":-1000000000000000}}");
}

static void device_roles_and_docstring(void **state) {
    (void)state;
    expect_json(
        "@T.prim_func\n"
        "def add(a: T.Buffer((64,), \"float32\"), c: T.Buffer((64,), \"float32\")):\n"
        "    \"\"\"Adds.\n    Twice.\"\"\"\n"
        "    T.func_attr({\"tt.device\": \"blackhole_p150\",\n"
        "                 \"tt.buffer_roles\": {\"c\": \"output\", \"a\": \"input\"}, \"x\": 1})\n",
        "{\"name\":\"add\",\"description\":\"Adds.\\n    Twice.\",\"buffers\":["
        "{\"name\":\"a\",\"shape\":[64],\"dtype\":\"float32\",\"role\":\"input\"},"
        "{\"name\":\"c\",\"shape\":[64],\"dtype\":\"float32\",\"role\":\"output\"}],"
        "\"device\":\"blackhole_p150\",\"attrs\":{\"x\":1}}");
}

/* ------------------------------------------------------ launch extents */

static void kernel_tilelang(void **state) {
    (void)state;
    expect_json(FUNC_A "    with T.Kernel(8, 4, threads=128) as (bx, by):\n"
                       "        with T.Kernel(99, 99) as (cx, cy):\n"
                       "            T.evaluate(0)\n",
                JSON_A ",\"kernel\":[8,4]}");
    expect_json(FUNC_A
                "    with T.Kernel(2, 3, 4, threads=[32, 4], prelude=\"x\") as (bx, by, bz):\n"
                "        pass\n",
                JSON_A ",\"kernel\":[2,3,4]}");
    expect_json(FUNC_A "    with T.Kernel(T.ceildiv(100, 32), threads=128) as bx:\n        pass\n",
                JSON_A ",\"kernel\":[4]}");
}

static void kernel_symbolic_bound(void **state) {
    (void)state;
    ttlx_binding_t b[] = {{"M", 1024}, {"block_M", 128}};
    expect_json_b(FUNC_A
                  "    with T.Kernel(T.ceildiv(M, block_M), M // 256) as (bx, by):\n        pass\n",
                  b, 2, JSON_A ",\"kernel\":[8,4]}");
}

static void launch_thread_forms(void **state) {
    (void)state;
    expect_json(FUNC_A "    bx = T.launch_thread(\"blockIdx.x\", 8)\n"
                       "    tx = T.launch_thread(\"threadIdx.x\", 128)\n",
                JSON_A ",\"kernel\":[8]}");
    expect_json(FUNC_A "    by = T.launch_thread(\"blockIdx.y\", 4)\n"
                       "    bx = T.launch_thread(\"blockIdx.x\", 8)\n",
                JSON_A ",\"kernel\":[8,4]}");
    expect_json(FUNC_A "    with T.launch_thread(\"blockIdx.z\", 2) as bz:\n        pass\n",
                JSON_A ",\"kernel\":[1,1,2]}");
    expect_json(FUNC_A "    bx = T.env_thread(\"blockIdx.x\")\n"
                       "    by = T.env_thread(\"blockIdx.y\")\n"
                       "    t = T.env_thread(\"threadIdx.x\")\n"
                       "    T.launch_thread(bx, 16)\n"
                       "    T.launch_thread(by, T.int32(2))\n"
                       "    T.launch_thread(t, 64)\n"
                       "    T.launch_thread(bx, 99)\n",
                JSON_A ",\"kernel\":[16,2]}");
}

/* --------------------------------------------------------- modules */

static void ir_module_of_several(void **state) {
    (void)state;
    expect_json(
        "# from tvm.script import ir as I\n# from tvm.script import tir as T\n\n"
        "@I.ir_module\nclass Module:\n"
        "    @T.prim_func\n"
        "    def first(A: T.Buffer((4,), \"int8\")):\n"
        "        T.func_attr({\"k\": 1})\n"
        "        with T.Kernel(2) as bx:\n"
        "            pass\n\n"
        "    @R.function\n"
        "    def main(x: R.Tensor((4,), \"int8\")):\n"
        "        T.func_attr({\"ignored\": 1})\n"
        "        return x\n"
        "\n"
        "    @T.prim_func(private=True)\n"
        "    def second(B: T.Buffer((8,), \"int8\")):\n"
        "        T.evaluate(0)\n",
        "{\"functions\":["
        "{\"name\":\"first\",\"buffers\":[{\"name\":\"A\",\"shape\":[4],\"dtype\":\"int8\"}],"
        "\"kernel\":[2],\"attrs\":{\"k\":1}},"
        "{\"name\":\"second\",\"buffers\":[{\"name\":\"B\",\"shape\":[8],\"dtype\":\"int8\"}]}]}");
}

static void ir_module_of_one(void **state) {
    (void)state;
    expect_json(
        "@I.ir_module\nclass Module:\n"
        "    @T.prim_func\n"
        "    def main(A: T.Buffer((4,), \"int8\")):\n"
        "        T.evaluate(0)\n",
        "{\"name\":\"main\",\"buffers\":[{\"name\":\"A\",\"shape\":[4],\"dtype\":\"int8\"}]}");
}

/* ------------------------------------------------- skipping the body */

static void body_skipping_is_robust(void **state) {
    (void)state;
    expect_json(FUNC_A
                "    # T.func_attr({\"commented\": 1}) ((( [[[\n"
                "    s = \"T.func_attr({'in_string': 1}) )))\"\n"
                "    t = '''\n"
                "def g(B: T.Buffer((1,), \"int8\")):\n"
                "    T.func_attr({\"in_triple\": 1})'''\n"
                "    x = (1 +\n"
                "# a comment line inside brackets, dedented\n"
                "  2)\n"
                "    y = 1 + \\\n"
                "2\n"
                "    for i, j in T.grid(32, 32):\n"
                "        with T.block(\"C\"):\n"
                "            vi, vj = T.axis.remap(\"SS\", [i, j])\n"
                "            A[vi, vj] = A[vi, vj] @ A[vj, vi] // 2 ** 3 if vi != vj else -1.5e3\n"
                "            lam = lambda q: {q: [q]}\n"
                "    def nested(q):\n"
                "        return q\n"
                "    T.func_attr({\"real\": 1})\n"
                "x = 1\n"
                "def not_prim(B: T.Buffer((1,), \"int8\")):\n"
                "    T.func_attr({\"no\": 1})\n",
                JSON_A ",\"attrs\":{\"real\":1}}");
}

static void crlf_bom_tabs(void **state) {
    (void)state;
    expect_json("\xEF\xBB\xBF# from tvm.script import tir as T\r\n\r\n@T.prim_func\r\n"
                "def f(A: T.Buffer((32, 32), \"float32\")):\r\n"
                "\tT.func_attr({\"a\": 1,\r\n\t\t\"c\": 2})\r"
                "\tT.func_attr({\"b\": '''p\r\nq\rr'''})\r\n",
                JSON_A ",\"attrs\":{\"a\":1,\"c\":2,\"b\":\"p\\nq\\nr\"}}");
}

static void not_nul_terminated(void **state) {
    (void)state;
    /* The text ends at len: what follows in memory must not be read. */
    const char *src = FUNC_A "    T.func_attr({\"a\": 1})\n((((\"unterminated";
    size_t len = strlen(FUNC_A "    T.func_attr({\"a\": 1})\n");
    ttlx_error_t err = {0};
    char *text = convert(src, len, NULL, 0, &err);
    assert_non_null(text);
    assert_string_equal(text, JSON_A ",\"attrs\":{\"a\":1}}");
    cJSON_free(text);
    /* Cut inside a string: the cut is the end. */
    expect_error_n(FUNC_A "    T.func_attr({\"abc\": 1})\n", strlen(FUNC_A) + 18, 3, 18,
                   "unterminated string");
}

/* ------------------------------------------------------------ errors */

static void error_no_prim_func(void **state) {
    (void)state;
    expect_error("", 1, 1, "no @T.prim_func found");
    expect_error("x = 1\ndef f(A: T.Buffer((1,), 'int8')):\n    pass\n", 1, 1,
                 "no @T.prim_func found");
    expect_error("  {\"name\": \"f\"}", 1, 1, "looks like JSON");
}

static void error_unbound_symbol(void **state) {
    (void)state;
    expect_error("@T.prim_func\ndef f(A: T.Buffer((n, 4), \"float32\")):\n    pass\n", 2, 20,
                 "parameter 'A' shape: symbol 'n' is unbound; pass --bind n=VALUE");
    expect_error("@T.prim_func\ndef f(a: T.handle):\n    A = T.match_buffer(a, (4, 2 * m))\n", 3,
                 35,
                 "buffer 'A' (parameter 'a') shape: symbol 'm' is unbound; pass --bind m=VALUE");
    expect_error(FUNC_A "    with T.Kernel(grid_x) as bx:\n        pass\n", 3, 19,
                 "T.Kernel extent: symbol 'grid_x' is unbound; pass --bind grid_x=VALUE");
    expect_error(FUNC_A "    bx = T.launch_thread(\"blockIdx.x\", nb)\n", 3, 40,
                 "T.launch_thread extent: symbol 'nb' is unbound");
}

static void error_strings(void **state) {
    (void)state;
    expect_error(FUNC_A "    x = \"abc\n", 3, 9, "unterminated string");
    expect_error(FUNC_A "    x = '''abc\n\n", 3, 9, "unterminated string");
    expect_error(FUNC_A "    T.func_attr({\"a\": \"\\x4g\"})\n", 3, 23, "invalid \\x escape");
    expect_error(FUNC_A "    T.func_attr({\"a\": \"\\N{DASH}\"})\n", 3, 23,
                 "\\N{...} escapes are not supported");
    expect_error(FUNC_A "    T.func_attr({\"a\": \"x\\0y\"})\n", 3, 23,
                 "string contains a NUL character");
    expect_error(FUNC_A "    T.func_attr({\"a\": \"\\ud800\"})\n", 3, 23,
                 "invalid code point U+D800");
}

static void error_brackets(void **state) {
    (void)state;
    expect_error(FUNC_A "    x = (1, [2,\n    3)\n", 4, 6, "')' does not match '[' opened at 3:13");
    expect_error(FUNC_A "    x = 1)\n", 3, 10, "unmatched ')'");
    expect_error(FUNC_A "    x = {1: (2,\n", 3, 13, "'(' is never closed");
}

static void error_nesting_limit(void **state) {
    (void)state;
    char src[2048];
    int k = snprintf(src, sizeof src, FUNC_A "    T.func_attr({\"a\": ");
    for (int i = 0; i < 199; i++)
        src[k++] = '[';
    src[k] = '\0';
    /* 1 '(' + 1 '{' + 199 '[' is 201 levels: the 201st bracket fails. */
    expect_error(src, 3, 4 + 12 + 6 + 199, "brackets nested deeper than 200 levels");
    /* 200 levels is still fine (Python's own limit). */
    k = snprintf(src, sizeof src, FUNC_A "    T.func_attr({\"a\": ");
    for (int i = 0; i < 198; i++)
        src[k++] = '[';
    for (int i = 0; i < 198; i++)
        src[k++] = ']';
    k += snprintf(src + k, sizeof src - (size_t)k, "})\n");
    ttlx_error_t err = {0};
    char *text = convert(src, strlen(src), NULL, 0, &err);
    if (!text) fail_msg("%s", err.what);
    cJSON_free(text);
    /* Unary minus needs no bracket: its chain is bounded too. */
    k = snprintf(src, sizeof src, "@T.prim_func\ndef f(A: T.Buffer((");
    for (int i = 0; i < 300; i++)
        src[k++] = '-';
    k += snprintf(src + k, sizeof src - (size_t)k, "4,), \"int8\")):\n    pass\n");
    expect_error(src, 2, 20 + 200, "expression nested deeper than 200 levels");
    /* In attributes, signs are folded without recursion. */
    k = snprintf(src, sizeof src, FUNC_A "    T.func_attr({\"a\": ");
    for (int i = 0; i < 301; i++)
        src[k++] = '-';
    k += snprintf(src + k, sizeof src - (size_t)k, "4})\n");
    expect_json(src, JSON_A ",\"attrs\":{\"a\":-4}}");
}

static void error_integers(void **state) {
    (void)state;
    expect_error("@T.prim_func\ndef f(A: T.Buffer((9223372036854775808,), \"int8\")):\n    pass\n",
                 2, 20, "integer 9223372036854775808 does not fit in 64 bits");
    expect_error(FUNC_A "    T.func_attr({\"a\": 18446744073709551616})\n", 3, 23,
                 "does not fit in 64 bits");
    expect_error(FUNC_A "    T.func_attr({\"a\": -9223372036854775809})\n", 3, 24,
                 "does not fit in 64 bits");
    expect_error(
        "@T.prim_func\ndef f(A: T.Buffer((4611686018427387904 * 4,), \"int8\")):\n    pass\n", 2,
        40, "parameter 'A' shape: integer overflow");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((9007199254740993,), \"int8\")):\n    pass\n", 2,
                 20, "dimension 0 is 2^53 or more");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4 // 0,), \"int8\")):\n    pass\n", 2, 22,
                 "division by zero");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4 / 2,), \"int8\")):\n    pass\n", 2, 22,
                 "'/' gives a float; use '//'");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4.0,), \"int8\")):\n    pass\n", 2, 20,
                 "expected an integer, got '4.0'");
    expect_error(FUNC_A "    T.func_attr({\"a\": 1abc})\n", 3, 23, "invalid number literal");
    expect_error(FUNC_A "    T.func_attr({\"a\": 0123})\n", 3, 23,
                 "invalid integer literal '0123'");
    expect_error(FUNC_A "    T.func_attr({\"a\": 1__0})\n", 3, 23, "invalid integer literal");
    expect_error(FUNC_A "    T.func_attr({\"a\": 0xZ})\n", 3, 23, "invalid integer literal");
    expect_error(FUNC_A "    T.func_attr({\"a\": 3j})\n", 3, 23,
                 "complex numbers are not supported");
    expect_error(FUNC_A "    T.func_attr({\"a\": 1e999})\n", 3, 23, "out of range");
    expect_error(FUNC_A "    T.func_attr({\"a\": T.int32(1.5)})\n", 3, 25,
                 "T.int32 needs an integer");
}

static void error_shapes(void **state) {
    (void)state;
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4, 0), \"int8\")):\n    pass\n", 2, 23,
                 "parameter 'A': dimension 1 is 0; dimensions must be positive");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((-4,), \"int8\")):\n    pass\n", 2, 20,
                 "dimension 0 is -4");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((), \"int8\")):\n    pass\n", 2, 19,
                 "parameter 'A': a buffer needs 1 to 8 dimensions");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1, 1, 1, 1, 1, 1, 1, 1, 1), \"int8\")):\n"
                 "    pass\n",
                 2, 44, "parameter 'A' has more than 8 dimensions");
    expect_error("@T.prim_func\ndef f(A: T.Buffer(dtype=\"int8\")):\n    pass\n", 2, 10,
                 "parameter 'A': the buffer has no shape");
    /* float64 now loads (TTL016 at inference); complex128 is no dtype ttlx knows. */
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4,), \"complex128\")):\n    pass\n", 2, 25,
                 "parameter 'A': unsupported dtype 'complex128'");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4,), dtype=dt)):\n    pass\n", 2, 31,
                 "parameter 'A': dtype must be a string, got 'dt'");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4,) \"int8\")):\n    pass\n", 2, 24,
                 "expected ',' or ')' in the buffer of parameter 'A'");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((4; 2), \"int8\")):\n    pass\n", 2, 21,
                 "expected ',' or ')' in the shape of parameter 'A', got ';'");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((T.foo(2),), \"int8\")):\n    pass\n", 2, 20,
                 "T.foo is not an integer expression ttlx can evaluate");
}

static void error_signature(void **state) {
    (void)state;
    expect_error("@T.prim_func\ndef (A):\n    pass\n", 2, 5,
                 "expected a function name after 'def'");
    expect_error("@T.prim_func\ndef f[A]:\n    pass\n", 2, 6,
                 "expected '(' after the function name");
    expect_error("@T.prim_func\ndef f(A B):\n    pass\n", 2, 9,
                 "expected ',' or ')' after parameter 'A'");
    expect_error("@T.prim_func\ndef f(A, 3):\n    pass\n", 2, 10,
                 "expected a parameter name, got '3'");
    expect_error("@T.prim_func\ndef f(A)\n    pass\n", 2, 9,
                 "expected ':' after the function signature, got end of line");
}

static void error_duplicates(void **state) {
    (void)state;
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\"), B: T.Buffer((1,), \"int8\"),\n"
                 "      A: T.Buffer((2,), \"int8\")):\n    pass\n",
                 3, 7, "duplicate buffer name 'A'");
    expect_error("@T.prim_func\ndef f(a: T.handle, B: T.Buffer((1,), \"int8\")):\n"
                 "    B = T.match_buffer(a, (2,))\n",
                 3, 5, "duplicate buffer name 'B'");
    expect_error(FUNC_A "    T.func_attr({\"a\": 1, \"b\": {\"x\": 1, 'x': 2}})\n", 3, 40,
                 "duplicate key 'x'");
    /* Large: the sorted path. */
    char src[8192];
    int k = snprintf(src, sizeof src, FUNC_A "    T.func_attr({");
    for (int i = 0; i < 40; i++)
        k += snprintf(src + k, sizeof src - (size_t)k, "\"k%02d\": %d, ", i, i);
    k += snprintf(src + k, sizeof src - (size_t)k, "\n\"k07\": 1})\n");
    expect_error(src, 4, 1, "duplicate key 'k07'");
    k = snprintf(src, sizeof src, "@T.prim_func\ndef f(");
    for (int i = 0; i < 30; i++)
        k += snprintf(src + k, sizeof src - (size_t)k, "B%d: T.Buffer((1,), \"int8\"),\n", i);
    k += snprintf(src + k, sizeof src - (size_t)k, "B12: T.Buffer((1,), \"int8\")):\n    pass\n");
    expect_error(src, 32, 1, "duplicate buffer name 'B12'");
}

static void error_literals(void **state) {
    (void)state;
    expect_error(FUNC_A "    T.func_attr({1: 2})\n", 3, 18, "dict keys must be strings, got '1'");
    expect_error(FUNC_A "    T.func_attr([1])\n", 3, 17, "T.func_attr expects a dict, got '['");
    expect_error(FUNC_A "    T.func_attr({\"a\": true})\n", 3, 23,
                 "'true' is not a literal value (Python spells booleans True and False)");
    expect_error(FUNC_A "    T.func_attr({\"a\": null})\n", 3, 23, "Python spells null None");
    expect_error(FUNC_A "    T.func_attr({\"a\": x})\n", 3, 23, "'x' is not a literal value");
    expect_error(FUNC_A "    T.func_attr({\"a\" 1})\n", 3, 22,
                 "expected ':' after a dict key, got '1'");
    expect_error(FUNC_A "    T.func_attr({\"a\": 1 \"b\": 2})\n", 3, 25,
                 "expected ',' or '}' in dict");
    expect_error(FUNC_A "    T.func_attr({\"a\": [1 2]})\n", 3, 26, "expected ',' or ']' in list");
    expect_error(FUNC_A "    T.func_attr({\"a\": (1 2)})\n", 3, 26, "expected ',' or ')' in tuple");
    expect_error(FUNC_A "    T.func_attr({\"a\": -\"s\"})\n", 3, 24,
                 "expected a number, got '\"s\"'");
    expect_error(FUNC_A "    T.func_attr({\"a\": T.bool(\"s\")})\n", 3, 25,
                 "T.bool needs True, False or a number");
    expect_error(FUNC_A "    T.func_attr({\"a\": :})\n", 3, 23, "expected a value, got ':'");
    expect_error(FUNC_A "    T.func_attr({\"a\": 1} 2)\n", 3, 26,
                 "expected ')' to close T.func_attr");
    expect_error(FUNC_A "    T.func_attr({\"tt.buffer_roles\": {\"Z\": \"output\"}})\n", 2, 5,
                 "tt.buffer_roles names 'Z', which is not a buffer of 'f'");
    expect_error(FUNC_A "    T.func_attr({\"tt.buffer_roles\": {\"A\": \"outptu\"}})\n", 2, 5,
                 "tt.buffer_roles: the role of 'A' must be \"input\", \"output\" or \"weight\"");
}

static void error_kernel(void **state) {
    (void)state;
    expect_error(FUNC_A "    with T.Kernel(1, 2, 3, 4) as b:\n        pass\n", 3, 28,
                 "T.Kernel takes at most 3 launch extents");
    expect_error(FUNC_A "    with T.Kernel(8, 0) as b:\n        pass\n", 3, 22,
                 "launch extent must be positive, got 0");
    expect_error(FUNC_A "    with T.Kernel(threads=128) as b:\n        pass\n", 3, 10,
                 "T.Kernel needs at least one launch extent");
    expect_error(FUNC_A "    T.launch_thread(\"blockIdx.x\", -2)\n", 3, 35,
                 "launch extent must be positive, got -2");
    expect_error(FUNC_A "    with T.Kernel(8 8) as b:\n        pass\n", 3, 21,
                 "expected ',' or ')' in T.Kernel, got '8'");
}

static void error_bytes(void **state) {
    (void)state;
    static const char nul[] = "@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = 1\0\n";
    expect_error_n(nul, sizeof nul - 1, 3, 10, "NUL byte in input");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = \"\xff\"\n", 3, 10,
                 "invalid UTF-8 byte 0xFF");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = \"\xc3\"\n", 3, 10,
                 "invalid UTF-8 byte 0xC3");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = \"\xed\xa0\x80\"\n", 3,
                 10, "invalid UTF-8 byte 0xED");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = $\n", 3, 9,
                 "unexpected character '$'");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = \x01\n", 3, 9,
                 "unexpected character 0x01");
    expect_error("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    x = 1 \\ 2\n", 3, 11,
                 "unexpected '\\'");
    /* Unicode is fine in names, strings and comments. */
    expect_json("@T.prim_func\ndef f(A: T.Buffer((1,), \"int8\")):\n    # \xc3\xa9t\xc3\xa9\n"
                "    \xc3\xa9 = 1\n    T.func_attr({\"\xe2\x82\xac\": \"\xf0\x9f\x98\x80\"})\n",
                "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[1],\"dtype\":\"int8\"}],"
                "\"attrs\":{\"\xe2\x82\xac\":\"\xf0\x9f\x98\x80\"}}");
}

/* ------------------------------------------- through the real loader */

static const char twin_py[] =
    "# from tvm.script import tir as T\n\n"
    "@T.prim_func\n"
    "def matmul(A: T.Buffer((256, 256), \"bfloat16\"), B: T.Buffer((256, 256), \"bfloat16\"),\n"
    "           C: T.Buffer((256, 256), \"bfloat16\")):\n"
    "    T.func_attr({\"tt.buffer_roles\": {\"C\": \"output\"},\n"
    "                 \"tt.user_layout\": {\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\",\n"
    "                     \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4],\n"
    "                                  \"shard_shape_elems\": [128, 64]}}}})\n"
    "    with T.Kernel(8, 8, threads=128) as (bx, by):\n"
    "        T.evaluate(0)\n";
static const char twin_json[] =
    "{\"name\": \"matmul\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"}],"
    "\"kernel\": [8, 8], \"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", "
    "\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4], "
    "\"shard_shape_elems\": [128, 64]}}}}}";

static char *infer_text(const char *src, const char *path) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(src, strlen(src), path, NULL, 0, &err);
    if (!m) fail_msg("%s: %d:%d: %s", path, err.line, err.col, err.what);
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(m, 0), ttlx_device_default(), &err);
    assert_non_null(r);
    char *text = ttlx_output_json_text(r);
    ttlx_result_free(r);
    ttlx_module_free(m);
    return text;
}

static void twin_gives_identical_output(void **state) {
    (void)state;
    char *a = infer_text(twin_py, "m.py");
    char *b = infer_text(twin_json, "m.json");
    assert_string_equal(a, b);
    assert_contains(a, "\"tt.partition_mode\": \"local_shard\"");
    ttlx_free(a);
    ttlx_free(b);
}

static void loader_uses_importer(void **state) {
    (void)state;
    ttlx_error_t err = {0};
    /* Detected by content even with a .json name. */
    ttlx_module_t *m = ttlx_module_load_string(twin_py, strlen(twin_py), "x.json", NULL, 0, &err);
    assert_non_null(m);
    assert_string_equal(ttlx_module_format(m), "tvmscript");
    ttlx_func_t *f = ttlx_module_func(m, 0);
    assert_string_equal(ttlx_func_buffer(f, 2)->role, "output");
    int64_t ext[3];
    assert_int_equal(ttlx_func_kernel(f, ext), 2);
    assert_int_equal(ext[0], 8);
    ttlx_module_free(m);
    /* Errors keep their position through the loader. */
    static const char bad[] = "@T.prim_func\ndef f(A: T.Buffer((n,), \"int8\")):\n    pass\n";
    m = ttlx_module_load_string(bad, strlen(bad), "bad.py", NULL, 0, &err);
    assert_null(m);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 20);
    ttlx_binding_t b = {"n", 64};
    m = ttlx_module_load_string(bad, strlen(bad), "bad.py", &b, 1, &err);
    assert_non_null(m);
    assert_int_equal(ttlx_func_buffer(ttlx_module_func(m, 0), 0)->shape[0], 64);
    ttlx_module_free(m);
}

/* ----------------------------------------------------- hostile input */

static void every_truncation_is_safe(void **state) {
    (void)state;
    /* Every prefix either converts or fails cleanly with a position. */
    size_t n = strlen(twin_py), ok = 0;
    for (size_t len = 0; len <= n; len++) {
        ttlx_error_t err = {0};
        cJSON *doc = ttlx_tvmscript_to_json(twin_py, len, NULL, 0, &err);
        if (doc) {
            ok++;
            cJSON_Delete(doc);
        } else {
            assert_true(err.what[0] != '\0');
            assert_true(err.line >= 1 && err.col >= 1);
        }
    }
    assert_true(ok >= 2); /* at least the whole text and the text minus '\n' */
}

static int fail_after = -1;
static void *counting_malloc(size_t n) {
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return malloc(n);
}
static void *counting_realloc(void *p, size_t n) {
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return realloc(p, n);
}

static void allocation_failure_at_every_step(void **state) {
    (void)state;
    static const char src[] =
        "@T.prim_func\n"
        "def f(a: T.handle, B: T.Buffer((4, 4), \"float16\"), B2: T.Buffer((4, 4), \"float16\"),\n"
        "      B3: T.Buffer((4,), \"int8\"), B4: T.Buffer((4,), \"int8\")):\n"
        "    \"\"\"doc\"\"\"\n"
        "    bx = T.env_thread(\"blockIdx.x\")\n"
        "    T.func_attr({\"tt.device\": \"wormhole_n150\", \"tt.buffer_roles\": {\"B\": "
        "\"output\"},\n"
        "                 \"l\": [1, (2, 3), {\"x\": T.target({})}], \"big\": 9007199254740993,\n"
        "                 \"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, "
        "\"k6\": 6,\n"
        "                 \"k7\": 7, \"k8\": 8, \"k9\": 9, \"ka\": 10, \"kb\": 11, \"kc\": 12, "
        "\"kd\": 13,\n"
        "                 \"ke\": 14, \"kf\": 15, \"kg\": 16, \"s\": \""
        "a long string that needs the scratch buffer to grow past its first size of 256 bytes "
        "a long string that needs the scratch buffer to grow past its first size of 256 bytes "
        "a long string that needs the scratch buffer to grow past its first size of 256 bytes\"})\n"
        "    T.func_attr({\"k0\": 100})\n"
        "    A = T.match_buffer(a, (8,), \"int32\")\n"
        "    T.launch_thread(bx, 4)\n";
    ttlx_allocator_t counting = {counting_malloc, counting_realloc, free, NULL};
    ttlx_set_allocator(&counting);
    size_t failures = 0;
    for (int n = 0; n < 10000; n++) {
        fail_after = n;
        ttlx_error_t err = {0};
        cJSON *doc = ttlx_tvmscript_to_json(src, strlen(src), NULL, 0, &err);
        if (doc) {
            cJSON_Delete(doc);
            break;
        }
        assert_contains(err.what, "out of memory");
        failures++;
    }
    fail_after = -1;
    ttlx_set_allocator(NULL);
    assert_true(failures > 40);
    /* And with every allocation allowed, the document is complete. */
    ttlx_error_t err = {0};
    char *text = convert(src, strlen(src), NULL, 0, &err);
    if (!text) fail_msg("%s", err.what);
    assert_contains(text, "\"k0\":100");
    assert_contains(text, "\"big\":9007199254740993");
    assert_contains(text, "{\"name\":\"A\",\"shape\":[8],\"dtype\":\"int32\"}");
    assert_contains(text, "\"kernel\":[4]");
    cJSON_free(text);
}

static void large_module_is_linear(void **state) {
    (void)state;
    /* 5,000 buffers with hints and roles: exercises the sorted paths. */
    size_t cap = 1 << 20, k = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    k += (size_t)snprintf(src + k, cap - k, "@T.prim_func\ndef big(");
    for (int i = 0; i < 5000; i++)
        k += (size_t)snprintf(src + k, cap - k, "B%d: T.Buffer((64, 64), \"bfloat16\"), ", i);
    k += (size_t)snprintf(src + k, cap - k, "):\n    T.func_attr({\"tt.user_layout\": {");
    for (int i = 0; i < 5000; i += 3)
        k += (size_t)snprintf(src + k, cap - k, "\"B%d\": {\"memory\": \"L1\"}, ", i);
    k += (size_t)snprintf(src + k, cap - k,
                          "}, \"tt.buffer_roles\": {\"B4999\": \"output\", \"B0\": \"input\"}})\n");
    ttlx_error_t err = {0};
    cJSON *doc = ttlx_tvmscript_to_json(src, k, NULL, 0, &err);
    if (!doc) fail_msg("%d:%d %s", err.line, err.col, err.what);
    cJSON *bufs = cJSON_GetObjectItem(doc, "buffers");
    assert_int_equal(cJSON_GetArraySize(bufs), 5000);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(bufs, 4999), "role")->valuestring,
                        "output");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(bufs, 0), "role")->valuestring,
                        "input");
    assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "attrs"), "tt.buffer_roles"));
    assert_int_equal(cJSON_GetArraySize(
                         cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "attrs"), "tt.user_layout")),
                     1667);
    cJSON_Delete(doc);
    free(src);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffer_params),
        cmocka_unit_test(buffer_keywords_and_defaults),
        cmocka_unit_test(old_subscript_syntax),
        cmocka_unit_test(int_wrappers_in_shapes),
        cmocka_unit_test(shape_expressions),
        cmocka_unit_test(scalar_and_handle_params),
        cmocka_unit_test(match_buffer_subregion_ignored),
        cmocka_unit_test(match_buffer_shape_keyword),
        cmocka_unit_test(many_match_buffers_in_any_order),
        cmocka_unit_test(return_annotation_and_defaults),
        cmocka_unit_test(func_attr_literals),
        cmocka_unit_test(func_attr_wrappers),
        cmocka_unit_test(func_attr_strings),
        cmocka_unit_test(func_attr_user_layout),
        cmocka_unit_test(func_attr_opaque_calls_kept_as_text),
        cmocka_unit_test(func_attr_merges_and_bound_names),
        cmocka_unit_test(func_attr_exact_64bit),
        cmocka_unit_test(device_roles_and_docstring),
        cmocka_unit_test(kernel_tilelang),
        cmocka_unit_test(kernel_symbolic_bound),
        cmocka_unit_test(launch_thread_forms),
        cmocka_unit_test(ir_module_of_several),
        cmocka_unit_test(ir_module_of_one),
        cmocka_unit_test(body_skipping_is_robust),
        cmocka_unit_test(crlf_bom_tabs),
        cmocka_unit_test(not_nul_terminated),
        cmocka_unit_test(error_no_prim_func),
        cmocka_unit_test(error_unbound_symbol),
        cmocka_unit_test(error_strings),
        cmocka_unit_test(error_brackets),
        cmocka_unit_test(error_nesting_limit),
        cmocka_unit_test(error_integers),
        cmocka_unit_test(error_shapes),
        cmocka_unit_test(error_signature),
        cmocka_unit_test(error_duplicates),
        cmocka_unit_test(error_literals),
        cmocka_unit_test(error_kernel),
        cmocka_unit_test(error_bytes),
        cmocka_unit_test(twin_gives_identical_output),
        cmocka_unit_test(loader_uses_importer),
        cmocka_unit_test(every_truncation_is_safe),
        cmocka_unit_test(allocation_failure_at_every_step),
        cmocka_unit_test(large_module_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
