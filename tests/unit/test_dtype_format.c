/*
 * test_dtype_format.c - dtypes that TVM and TileLang print but tt-metal has
 * no data format for (SPEC 1.2, 4 TTL016): the nearest supported dtype, the
 * JSON and TVMScript loaders accepting them, and inference giving the
 * buffer TTL016, no placement, no circular buffer and no L1 while the
 * rest of the function infers.
 */
#include "test_support.h"

static void nearest_format_table(void **state) {
    (void)state;
    static const char *const pairs[][2] = {
        {"int64", "int32"},
        {"uint64", "uint32"},
        {"float64", "float32"},
        {"bool", "uint8"},
        {"int16", "int32"},
        {"int4", "int8"},
        {"uint4", "uint8"},
        {"uint1", "uint8"},
        {"float8_e4m3fn", "bfloat8_b"},
        {"float8_e5m2", "bfloat8_b"},
        {"e4m3_float8", "bfloat8_b"},
        {"float6_e2m3fn", "bfloat8_b"},
        {"float4_e2m1fn", "bfloat4_b"},
        {"float16x4", "float16"},
        {"bfloat16x2", "bfloat16"},
        {"int64x2", "int32"},
        {"float32xvscalex4", "float32"},
        {"float8_e4m3fnx2", "bfloat8_b"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *got = ttlx_dtype_nearest_format(pairs[i][0]);
        if (!got || strcmp(got, pairs[i][1]))
            fail_msg("%s: nearest %s, expected %s", pairs[i][0], got ? got : "NULL", pairs[i][1]);
        /* The answer is the table's own canonical name. */
        assert_ptr_equal(got, ttlx_dtype_canonical(pairs[i][1]));
    }
    /* Supported dtypes and aliases have a format; non-dtypes have no nearest. */
    static const char *const none[] = {"bfloat16", "bf16",    "int32",    "bflaot16",
                                       "handle",   "float8_", "float16x", "float16xa",
                                       "x4",       "",        "int3",     "float16x4x"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (ttlx_dtype_nearest_format(none[i])) fail_msg("%s: expected no nearest format", none[i]);
    assert_null(ttlx_dtype_nearest_format(NULL));
}

#define TWO_BAD                                                                                    \
    "{\"name\": \"f\", \"buffers\": ["                                                             \
    "{\"name\": \"A\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"                             \
    "{\"name\": \"M\", \"shape\": [64, 64], \"dtype\": \"bool\"},"                                 \
    "{\"name\": \"C\", \"shape\": [96, 128], \"dtype\": \"int64\", \"role\": \"output\"}],"        \
    "\"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\"}, \"M\": {\"memory\": \"L1\"}}}}"

static void ttl016_no_placement_rest_infers(void **state) {
    (void)state;
    t_run_t t = t_infer(TWO_BAD, NULL);
    assert_int_equal(t_count(t.r, "TTL016"), 2);
    const ttlx_diag_t *d = t_diag(t.r, "TTL016");
    assert_int_equal(d->severity, TTLX_SEV_ERROR);
    assert_string_equal(d->buffer_name, "M");
    assert_string_equal(d->key, "dtype");
    assert_string_equal(d->message, "no tt-metal data format for dtype bool: M gets no placement "
                                    "and no circular buffer (nearest: uint8)");
    assert_string_equal(d->fix, "dtype: \"uint8\"");
    const ttlx_diag_t *dc = ttlx_result_diag(t.r, ttlx_result_diag_count(t.r) - 1);
    assert_string_equal(dc->code, "TTL016");
    assert_string_equal(dc->buffer_name, "C");
    assert_string_equal(dc->message, "no tt-metal data format for dtype int64: C gets no "
                                     "placement and no circular buffer (nearest: int32)");
    assert_string_equal(dc->fix, "dtype: \"int32\"");
    /* M and C: geometry kept, nothing placed, no bytes, no data format. */
    const ttlx_layout_t *M = ttlx_result_layout(t.r, 1), *C = ttlx_result_layout(t.r, 2);
    assert_false(M->placed);
    assert_null(M->data_format);
    assert_int_equal(M->tile_bytes, 0);
    assert_int_equal(M->cb_bytes, 0);
    assert_string_equal(M->dtype, "bool");
    assert_int_equal(M->tile_grid[0], 2);
    assert_int_equal(M->tile_grid[1], 2);
    assert_false(C->placed);
    assert_int_equal(C->tile_grid[0], 3);
    assert_int_equal(C->tile_grid[1], 4);
    assert_int_equal(ttlx_result_buffer_bytes_on(t.r, 1, 0, 0), 0);
    assert_int_equal(ttlx_place_count_on(t.r, 1, 0, 0), 0);
    /* A still infers: L1 interleaved over 64 cores, 4 pages of 2048 B. */
    const ttlx_layout_t *A = ttlx_result_layout(t.r, 0);
    assert_true(A->placed);
    assert_int_equal(A->ndiags, 0);
    assert_string_equal(A->data_format, "Float16_b");
    assert_int_equal(A->bytes_per_bank, 2048);
    /* The output C still gives the work grid (3x4 tiles on 12 cores). */
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_int_equal(p->mt, 3);
    assert_int_equal(p->nt, 4);
    assert_int_equal(p->ncores, 12);
    /* L1 on core (0,0): A's page plus A's CB only (2 x 2048). */
    assert_int_equal(ttlx_result_core_cb_bytes(t.r, 0, 0), 4096);
    assert_int_equal(ttlx_result_core_used(t.r, 0, 0), 4096 + 2048);
    char *text = ttlx_output_json_text(t.r);
    assert_contains(text, "\"tt.cb.A\": {\"page_size\": 2048, \"depth\": 2, \"data_format\": "
                          "\"Float16_b\"},\n    \"tt.partition_mode\"");
    assert_null(strstr(text, "tt.cb.M"));
    assert_null(strstr(text, "tt.cb.C"));
    assert_contains(text, "\"M\": {\"tile_bytes\": 0, \"page_bytes\": 0, \"pages\": 4, "
                          "\"tile_grid\": [2, 2], \"placed\": false}");
    assert_contains(text, "\"dtype\": \"int64\"");
    ttlx_free(text);
    t_free(&t);
}

/* The fix works: a dtype hint naming the nearest format removes TTL016. */
static void ttl016_fix_removes_it(void **state) {
    (void)state;
    t_run_t t = t_one("[64, 64]", "bool", "{\"dtype\": \"uint8\"}", NULL);
    assert_int_equal(ttlx_result_diag_count(t.r), 0);
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_true(L->placed);
    assert_string_equal(L->data_format, "UInt8");
    assert_int_equal(L->tile_bytes, 1024);
    t_free(&t);
    /* Without the hint: one error, exit-status worthy. */
    t = t_one("[64, 64]", "float8_e4m3fn", NULL, NULL);
    size_t errors = 0, warnings = 0, infos = 0;
    ttlx_result_diag_counts(t.r, &errors, &warnings, &infos);
    assert_int_equal(errors, 1);
    assert_string_equal(t_diag(t.r, "TTL016")->fix, "dtype: \"bfloat8_b\"");
    t_free(&t);
}

/* A TVMScript buffer of such a dtype loads and infers the same way. */
static void ttl016_from_tvmscript(void **state) {
    (void)state;
    const char *src = "@T.prim_func\ndef f(A: T.Tensor((32, 32), T.float16x4), "
                      "B: T.Buffer((32, 32), \"float16\")):\n    pass\n";
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(src, strlen(src), "t.py", NULL, 0, &err);
    if (!m) fail_msg("%s", err.what);
    assert_string_equal(ttlx_func_buffer(ttlx_module_func(m, 0), 0)->dtype, "float16x4");
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(m, 0), NULL, &err);
    assert_non_null(r);
    assert_int_equal(ttlx_result_diag_count(r), 1);
    assert_string_equal(ttlx_result_diag(r, 0)->message,
                        "no tt-metal data format for dtype float16x4: A gets no placement and no "
                        "circular buffer (nearest: float16)");
    assert_true(ttlx_result_layout(r, 1)->placed);
    ttlx_result_free(r);
    ttlx_module_free(m);
}

/* TTL016 buffers get no circular buffer, so they do not count for TTL015:
 * 32 int8 buffers plus a bool one fit wormhole's 32; a 34th (int8) does not. */
static void ttl016_buffers_have_no_cb(void **state) {
    (void)state;
    char json[8192];
    for (int n = 33; n <= 34; n++) {
        int k = snprintf(json, sizeof json, "{\"name\": \"f\", \"buffers\": [");
        for (int i = 0; i < n; i++)
            k += snprintf(json + k, sizeof json - (size_t)k,
                          "%s{\"name\": \"b%d\", \"shape\": [32, 32], \"dtype\": \"%s\"}",
                          i ? "," : "", i, i == 5 ? "bool" : "int8");
        snprintf(json + k, sizeof json - (size_t)k, "]}");
        t_run_t t = t_infer(json, NULL);
        assert_int_equal(t_count(t.r, "TTL016"), 1);
        assert_int_equal(t_count(t.r, "TTL015"), n == 34);
        if (n == 34)
            assert_string_equal(t_diag(t.r, "TTL015")->message,
                                "too many circular buffers: 33 buffers need 33 circular buffers "
                                "per core; wormhole_n150 allows 32");
        /* 32 or 33 CBs of 1024 B x 2 on the partition's core. */
        assert_int_equal(ttlx_result_core_cb_bytes(t.r, 0, 0), (int64_t)(n - 1) * 2048);
        t_free(&t);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nearest_format_table),
        cmocka_unit_test(ttl016_no_placement_rest_infers),
        cmocka_unit_test(ttl016_fix_removes_it),
        cmocka_unit_test(ttl016_from_tvmscript),
        cmocka_unit_test(ttl016_buffers_have_no_cb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
