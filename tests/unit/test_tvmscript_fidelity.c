/*
 * test_tvmscript_fidelity.c - the forms TVM and TileLang print that the
 * importer reads beyond the basic signature (SPEC 1.2): quoted symbolic
 * shape expressions, T.thread_binding loops as launch extents, dtypes
 * written as attributes (T.float32) and the subscript T.Tensor[...] form,
 * and dtypes tt-metal cannot store (they load; inference gives TTL016).
 * Forms taken from public sources name the repository and path.
 */
#include "test_support.h"
#include "ttlx_tvmscript.h"

#include <stdlib.h>

static char *convert(const char *src, const ttlx_binding_t *binds, size_t nbinds,
                     ttlx_error_t *err) {
    cJSON *doc = ttlx_tvmscript_to_json(src, strlen(src), binds, nbinds, err);
    if (!doc) return NULL;
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return text;
}

static void expect_json_b(const char *src, const ttlx_binding_t *binds, size_t nbinds,
                          const char *expected) {
    ttlx_error_t err = {0};
    char *text = convert(src, binds, nbinds, &err);
    if (!text) fail_msg("unexpected error %d:%d: %s", err.line, err.col, err.what);
    if (strcmp(text, expected) != 0) {
        print_error("got:      %s\nexpected: %s\n", text, expected);
        cJSON_free(text);
        fail();
    }
    cJSON_free(text);
}

static void expect_error_b(const char *src, const ttlx_binding_t *binds, size_t nbinds, int line,
                           int col, const char *message) {
    ttlx_error_t err = {0};
    char *text = convert(src, binds, nbinds, &err);
    if (text) {
        print_error("expected an error, got %s\n", text);
        cJSON_free(text);
        fail();
    }
    if (err.line != line || err.col != col)
        fail_msg("error at %d:%d, expected %d:%d (%s)", err.line, err.col, line, col, err.what);
    assert_string_equal(err.what, message);
}

#define FUNC_A "@T.prim_func\ndef f(A: T.Buffer((32, 32), \"float32\")):\n"
#define JSON_A                                                                                     \
    "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[32,32],\"dtype\":\"float32\"}]"

/* ------------------------------------------------ quoted shape expressions */

/* The quoted form as TVM's own round-trip test of printed symbolic buffers
 * writes it (a tirx-era test, "Printed symbolic buffer metadata survives
 * parsing and Python decoration"): T.Buffer(("n", "n + 1", N), "float32");
 * its Relax twin writes R.Tensor(("n + 1", n), "float32"). The stored
 * versions of apache/tvm tests/python/tvmscript/test_tvmscript_printer_tir.py
 * do not contain it. */
static void quoted_shapes(void **state) {
    (void)state;
    ttlx_binding_t n127[] = {{"n", 127}};
    expect_json_b("@T.prim_func\ndef main(A: T.Buffer((\"n + 1\", n), \"float32\"), n: T.int32):\n"
                  "    T.evaluate(n)\n",
                  n127, 1,
                  "{\"name\":\"main\",\"buffers\":[{\"name\":\"A\",\"shape\":[128,127],"
                  "\"dtype\":\"float32\"}]}");
    ttlx_binding_t nm[] = {{"n", 10}, {"N", 64}};
    expect_json_b("@T.prim_func\ndef main(A: T.Buffer((\"n\", \"n + 1\", N), \"float32\")):\n"
                  "    pass\n",
                  nm, 2,
                  "{\"name\":\"main\",\"buffers\":[{\"name\":\"A\",\"shape\":[10,11,64],"
                  "\"dtype\":\"float32\"}]}");
    /* The whole integer grammar: // % * - parentheses, T.ceildiv, single quotes. */
    expect_json_b("@T.prim_func\ndef main(A: T.Buffer(('(n * 3 - 2) // 4', \"n % 7 + "
                  "T.ceildiv(n, 32)\"), \"int8\")):\n    pass\n",
                  n127, 1,
                  "{\"name\":\"main\",\"buffers\":[{\"name\":\"A\",\"shape\":[94,5],"
                  "\"dtype\":\"int8\"}]}");
    /* T.match_buffer shapes read the same way. */
    expect_json_b("@T.prim_func\ndef main(a: T.handle):\n"
                  "    A = T.match_buffer(a, (\"n + 1\",), \"float16\")\n",
                  n127, 1,
                  "{\"name\":\"main\",\"buffers\":[{\"name\":\"A\",\"shape\":[128],"
                  "\"dtype\":\"float16\"}]}");
}

static void quoted_shape_errors(void **state) {
    (void)state;
    ttlx_binding_t n127[] = {{"n", 127}};
    ttlx_binding_t big[] = {{"n", INT64_MAX}};
    /* Positions point into the string: 'm' is column 24 (the quote is 22). */
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"n + m\",), \"int8\")):\n    pass\n", n127, 1,
                   2, 25, "parameter 'A' shape: symbol 'm' is unbound; pass --bind m=VALUE");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"n + 1\",), \"int8\")):\n    pass\n", NULL, 0,
                   2, 21, "parameter 'A' shape: symbol 'n' is unbound; pass --bind n=VALUE");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"n * 2\",), \"int8\")):\n    pass\n", big, 1,
                   2, 23, "parameter 'A' shape: integer overflow");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"n n\",), \"int8\")):\n    pass\n", n127, 1,
                   2, 23, "parameter 'A' shape: unexpected 'n' in the quoted shape expression");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"\",), \"int8\")):\n    pass\n", n127, 1, 2,
                   20, "parameter 'A' shape: the quoted shape expression is empty");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"(n + 1\",), \"int8\")):\n    pass\n", n127,
                   1, 2, 21, "'(' is never closed");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"'n'\",), \"int8\")):\n    pass\n", n127, 1,
                   2, 21, "parameter 'A' shape: expected an integer, got ''n''");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"n / 2\",), \"int8\")):\n    pass\n", n127, 1,
                   2, 23, "parameter 'A' shape: '/' gives a float; use '//'");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((\"n - 127\",), \"int8\")):\n    pass\n", n127,
                   1, 2, 20, "parameter 'A': dimension 0 is 0; dimensions must be positive");
    expect_error_b("@T.prim_func\ndef f(A: T.Buffer((r\"n\",), \"int8\")):\n    pass\n", n127, 1, 2,
                   20,
                   "parameter 'A' shape: a quoted shape expression must be a plain \"...\" "
                   "string, got 'r\"n\"'");
}

/* ------------------------------------------------------ T.thread_binding */

/* apache/tvm src/script/printer/tir/for_loop.cc prints a bound loop as
 * T.thread_binding(EXTENT, thread="TAG") (or (MIN, MIN + EXTENT, ...));
 * mlc-ai/mlc-llm python/mlc_llm/compiler_pass/attach_logit_processor.py
 * writes T.thread_binding(0, (num_token + tx - 1) // tx, "blockIdx.x") with
 * the tag positional, split over lines. */
static void thread_binding_forms(void **state) {
    (void)state;
    expect_json_b(FUNC_A "    for bx in T.thread_binding(8, thread=\"blockIdx.x\"):\n"
                         "        for tx in T.thread_binding(128, thread=\"threadIdx.x\"):\n"
                         "            A[0, 0] = T.float32(0)\n",
                  NULL, 0, JSON_A ",\"kernel\":[8]}");
    expect_json_b(FUNC_A "    for by in T.thread_binding(2, 6, thread=\"blockIdx.y\"):\n"
                         "        for bx in T.thread_binding(0, 16, \"blockIdx.x\"):\n"
                         "            pass\n",
                  NULL, 0, JSON_A ",\"kernel\":[16,4]}");
    ttlx_binding_t mlc[] = {{"num_token", 5000}, {"tx", 1024}};
    expect_json_b("@T.prim_func\ndef f(var_logits: T.handle):\n"
                  "    num_token = T.int32(is_size_var=True)\n"
                  "    logits = T.match_buffer(var_logits, (num_token,), \"float32\")\n"
                  "    for p0 in T.thread_binding(\n"
                  "        0, (num_token + tx - 1) // tx, \"blockIdx.x\"\n"
                  "    ):\n"
                  "        for p1 in T.thread_binding(0, tx, \"threadIdx.x\"):\n"
                  "            pass\n",
                  mlc, 2,
                  "{\"name\":\"f\",\"buffers\":[{\"name\":\"logits\",\"shape\":[5000],"
                  "\"dtype\":\"float32\"}],\"kernel\":[5]}");
    /* One bound and a positional tag: T.thread_binding(N, "blockIdx.x"). */
    expect_json_b(FUNC_A "    for bx in T.thread_binding(6, \"blockIdx.x\"):\n        pass\n", NULL,
                  0, JSON_A ",\"kernel\":[6]}");
    /* z alone fills x and y with 1; keywords in any order (stop - start). */
    expect_json_b(FUNC_A "    for bz in T.thread_binding(thread=\"blockIdx.z\", stop=5, start=2):\n"
                         "        pass\n",
                  NULL, 0, JSON_A ",\"kernel\":[1,1,3]}");
    /* Bound extents; threadIdx and vthread extents are not evaluated, so
     * their unbound symbols are no error; annotations are skipped. */
    ttlx_binding_t b[] = {{"nb", 12}};
    expect_json_b(FUNC_A
                  "    for tx in T.thread_binding(0, threads, thread=\"threadIdx.x\"):\n"
                  "        for v in T.thread_binding(vt, thread=\"vthread.x\"):\n"
                  "            for bx in T.thread_binding((nb + 3) // 4, thread=\"blockIdx.x\","
                  " annotations={\"pragma\": 1}):\n"
                  "                pass\n",
                  b, 1, JSON_A ",\"kernel\":[3]}");
    /* The first binding of an axis wins, as with T.launch_thread; a
     * T.Kernel gives the launch and bindings inside it set nothing. */
    expect_json_b(FUNC_A "    for bx in T.thread_binding(8, thread=\"blockIdx.x\"):\n"
                         "        pass\n"
                         "    for bx in T.thread_binding(99, thread=\"blockIdx.x\"):\n"
                         "        pass\n",
                  NULL, 0, JSON_A ",\"kernel\":[8]}");
    expect_json_b(FUNC_A "    with T.Kernel(4, 2) as (bx, by):\n"
                         "        for cx in T.thread_binding(99, thread=\"blockIdx.x\"):\n"
                         "            pass\n",
                  NULL, 0, JSON_A ",\"kernel\":[4,2]}");
}

static void thread_binding_errors(void **state) {
    (void)state;
    expect_error_b(
        FUNC_A "    for bx in T.thread_binding(nb, thread=\"blockIdx.x\"):\n        pass\n", NULL,
        0, 3, 32, "T.thread_binding extent: symbol 'nb' is unbound; pass --bind nb=VALUE");
    expect_error_b(FUNC_A
                   "    for bx in T.thread_binding(4, 4, thread=\"blockIdx.x\"):\n        pass\n",
                   NULL, 0, 3, 32, "launch extent must be positive, got 0");
    expect_error_b(FUNC_A "    for bx in T.thread_binding(thread=\"blockIdx.x\"):\n        pass\n",
                   NULL, 0, 3, 15, "T.thread_binding needs a loop extent");
    expect_error_b(FUNC_A "    for bx in T.thread_binding(1, 2, 3, thread=\"blockIdx.y\"):\n"
                          "        pass\n",
                   NULL, 0, 3, 38, "T.thread_binding takes at most 2 loop bounds");
    expect_error_b(FUNC_A
                   "    for bx in T.thread_binding(4 8, thread=\"blockIdx.x\"):\n        pass\n",
                   NULL, 0, 3, 34, "expected ',' or ')' in T.thread_binding, got '8'");
}

/* ------------------------------------------------------ dtype attributes */

/* tile-ai/tilelang testing/python/transform/
 * test_tilelang_transform_decouple_type_cast.py writes the subscript form
 * with dtype attributes: T.Tensor[(1,), T.int32], T.Tensor[(16,),
 * T.float4_e2m1fn]; the call form and dtype= read the same way. */
static void dtype_attributes(void **state) {
    (void)state;
    expect_json_b("@T.prim_func\ndef k(A: T.Tensor((16,), T.float32), B: T.Tensor[(1,), T.int32],"
                  " C: T.Buffer((8, 8), dtype=T.float16), D: T.Tensor((4,), T.bf16)):\n"
                  "    pass\n",
                  NULL, 0,
                  "{\"name\":\"k\",\"buffers\":["
                  "{\"name\":\"A\",\"shape\":[16],\"dtype\":\"float32\"},"
                  "{\"name\":\"B\",\"shape\":[1],\"dtype\":\"int32\"},"
                  "{\"name\":\"C\",\"shape\":[8,8],\"dtype\":\"float16\"},"
                  "{\"name\":\"D\",\"shape\":[4],\"dtype\":\"bfloat16\"}]}");
    expect_json_b(
        "@T.prim_func\ndef k(a: T.handle):\n"
        "    A = T.match_buffer(a, (64,), dtype=T.uint8)\n",
        NULL, 0,
        "{\"name\":\"k\",\"buffers\":[{\"name\":\"A\",\"shape\":[64],\"dtype\":\"uint8\"}]}");
    expect_error_b("@T.prim_func\ndef k(A: T.Tensor((16,), T.handle)):\n    pass\n", NULL, 0, 2, 26,
                   "parameter 'A': unsupported dtype 'handle'");
    /* A call is not a dtype. */
    expect_error_b("@T.prim_func\ndef k(A: T.Tensor((16,), T.dtype(\"x\"))):\n    pass\n", NULL, 0,
                   2, 26, "parameter 'A': dtype must be a string, got 'T'");
}

/* Two PrimFuncs as that TileLang test writes them: both import. */
static void tilelang_decouple_type_cast_forms(void **state) {
    (void)state;
    expect_json_b("@T.prim_func\n"
                  "def before(cond_buf: T.Tensor[(1,), T.int32]):\n"
                  "    acc = T.alloc_local((8,), T.float32)\n"
                  "    for i in T.vectorized(8):\n"
                  "        acc[i] = T.if_then_else(cond_buf[0] > 0, acc[i] * 2.0, acc[i])\n",
                  NULL, 0,
                  "{\"name\":\"before\",\"buffers\":[{\"name\":\"cond_buf\",\"shape\":[1],"
                  "\"dtype\":\"int32\"}]}");
    expect_json_b("@T.prim_func\n"
                  "def before(b: T.Tensor[(16,), T.float4_e2m1fn]):\n"
                  "    b_frag = T.alloc_local((16,), T.float32)\n"
                  "    for i in T.vectorized(16):\n"
                  "        b[i] = b_frag[i]\n",
                  NULL, 0,
                  "{\"name\":\"before\",\"buffers\":[{\"name\":\"b\",\"shape\":[16],"
                  "\"dtype\":\"float4_e2m1fn\"}]}");
}

/* Dtypes with no tt-metal data format load as written. apache/tvm's
 * printer test lists float8_e4m3fn and the other custom float kinds. */
static void dtypes_without_format_load(void **state) {
    (void)state;
    expect_json_b("@T.prim_func\ndef k(M: T.Buffer((4,), \"bool\"), I: T.Buffer((4,), \"int64\"),"
                  " F: T.Tensor((4,), T.float8_e4m3fn), V: T.Buffer((4,), \"float16x4\"),"
                  " Q: T.Buffer((4,), dtype=\"int4\")):\n    pass\n",
                  NULL, 0,
                  "{\"name\":\"k\",\"buffers\":["
                  "{\"name\":\"M\",\"shape\":[4],\"dtype\":\"bool\"},"
                  "{\"name\":\"I\",\"shape\":[4],\"dtype\":\"int64\"},"
                  "{\"name\":\"F\",\"shape\":[4],\"dtype\":\"float8_e4m3fn\"},"
                  "{\"name\":\"V\",\"shape\":[4],\"dtype\":\"float16x4\"},"
                  "{\"name\":\"Q\",\"shape\":[4],\"dtype\":\"int4\"}]}");
}

/* The exporter finds T.func_attr sites without --bind: symbols read as 1
 * there, so "n - 1" (0) must not stop it; the site is still found. */
static void sites_without_binds(void **state) {
    (void)state;
    const char *src = "@T.prim_func\ndef f(A: T.Buffer((\"n - 1\", n - 1), \"bfloat16\")):\n"
                      "    T.func_attr({\"k\": 1})\n"
                      "    for bx in T.thread_binding(n - 1, thread=\"blockIdx.x\"):\n"
                      "        pass\n";
    ttlx_tvmscript_site_t *sites = NULL;
    size_t n = 0;
    ttlx_error_t err = {0};
    if (!ttlx_tvmscript_sites(src, strlen(src), NULL, 0, &sites, &n, &err))
        fail_msg("%d:%d: %s", err.line, err.col, err.what);
    assert_int_equal(n, 1);
    assert_true(sites[0].has_attr);
    assert_int_equal(sites[0].attr_start, (size_t)(strstr(src, "{\"k\"") - src));
    ttlx_free(sites);
    /* The import itself still needs the value, and says so. */
    expect_error_b(src, NULL, 0, 2, 21,
                   "parameter 'A' shape: symbol 'n' is unbound; pass --bind n=VALUE");
    ttlx_binding_t b[] = {{"n", 65}};
    expect_json_b(src, b, 1,
                  "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[64,64],"
                  "\"dtype\":\"bfloat16\"}],\"kernel\":[64],\"attrs\":{\"k\":1}}");
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

/* Every new form under allocation failure at every step: "out of memory",
 * never a crash or a leak (the sanitizer build checks the leaks). */
static void fidelity_forms_survive_oom(void **state) {
    (void)state;
    const char *src = "@T.prim_func\ndef k(A: T.Buffer((\"n + 1\", n), T.float32), "
                      "B: T.Tensor[(4,), \"int64\"]):\n"
                      "    for bx in T.thread_binding(0, 4, thread=\"blockIdx.x\"):\n"
                      "        pass\n";
    ttlx_binding_t b[] = {{"n", 31}};
    ttlx_allocator_t counting = {counting_malloc, counting_realloc, free, NULL};
    ttlx_set_allocator(&counting);
    size_t failures = 0;
    for (int n = 0; n < 1000; n++) {
        fail_after = n;
        ttlx_error_t err = {0};
        cJSON *doc = ttlx_tvmscript_to_json(src, strlen(src), b, 1, &err);
        if (doc) {
            cJSON_Delete(doc);
            break;
        }
        assert_contains(err.what, "out of memory");
        failures++;
    }
    fail_after = -1;
    ttlx_set_allocator(NULL);
    assert_true(failures > 5);
    expect_json_b(src, b, 1,
                  "{\"name\":\"k\",\"buffers\":[{\"name\":\"A\",\"shape\":[32,31],"
                  "\"dtype\":\"float32\"},{\"name\":\"B\",\"shape\":[4],\"dtype\":\"int64\"}],"
                  "\"kernel\":[4]}");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quoted_shapes),
        cmocka_unit_test(quoted_shape_errors),
        cmocka_unit_test(thread_binding_forms),
        cmocka_unit_test(thread_binding_errors),
        cmocka_unit_test(dtype_attributes),
        cmocka_unit_test(tilelang_decouple_type_cast_forms),
        cmocka_unit_test(dtypes_without_format_load),
        cmocka_unit_test(sites_without_binds),
        cmocka_unit_test(fidelity_forms_survive_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
