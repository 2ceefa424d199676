/*
 * test_alloc.c - every allocation of load, infer and output is failed in
 * turn through the injectable allocator: each run ends with "out of memory"
 * (never a crash, never a wrong answer), and the sanitizer build checks that
 * nothing leaks on any of those paths.
 */
#include "test_support.h"

#include <stdlib.h>

static long countdown; /* allocations left before the next one fails; <0 never */
static long calls;

static void *fail_malloc(size_t n) {
    calls++;
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return malloc(n);
}
static void *fail_realloc(void *p, size_t n) {
    calls++;
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return realloc(p, n);
}

static const ttlx_allocator_t failing = {fail_malloc, fail_realloc, free, NULL};

static const char *const inputs[] = {
    /* The SPEC example plus diagnostics of every kind on the same run. */
    "{\"name\": \"m\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [100, 100], \"dtype\": \"bfloat8_b\"},"
    "{\"name\": \"C\", \"shape\": [2, 4, 256, 256], \"dtype\": \"float32\", \"role\": \"output\"},"
    "{\"name\": \"D\", \"shape\": [8192, 8192], \"dtype\": \"float32\"}],"
    "\"kernel\": [8, 8], \"attrs\": {\"tt.user_layout\": {"
    "\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\",\"N\"],"
    " \"grid\": [3,4], \"shard_shape_elems\": [100,64]}, \"halo\": 1, \"memroy\": 1},"
    "\"B\": {\"memory\": \"L1\", \"tile_shape\": [16, 16]},"
    "\"C\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
    "[\"B\",\"H\",\"M\",\"N\"],"
    " \"grid\": [2,2,2,9], \"shard_shape_elems\": [1,2,128,32]}},"
    "\"D\": {\"memory\": \"L1\"}, \"E\": {}}}}",
    "{\"functions\": [{\"name\": \"a\", \"buffers\": [{\"name\": \"x\", \"shape\": [7], \"dtype\": "
    "\"int8\"}]}, {\"name\": \"b\", \"buffers\": []}]}",
};

static void fail_every_allocation(void **state) {
    (void)state;
    for (size_t in = 0; in < sizeof inputs / sizeof inputs[0]; in++) {
        long n;
        bool done = false;
        long oom_seen = 0;
        for (n = 0; n < 100000 && !done; n++) {
            countdown = n;
            calls = 0;
            ttlx_set_allocator(&failing);
            ttlx_error_t err = {0};
            const char *text = inputs[in];
            ttlx_module_t *m = ttlx_module_load_string(text, strlen(text), "t.json", NULL, 0, &err);
            ttlx_result_t *r = NULL;
            char *out = NULL;
            if (m) r = ttlx_infer(ttlx_module_func(m, 0), NULL, &err);
            if (r) out = ttlx_output_json_text(r);
            if (!out) {
                /* A refused allocation is reported as such, whatever step it hit. */
                if (!m || !r) {
                    if (strcmp(err.what, "out of memory"))
                        fail_msg("input %zu, allocation %ld: \"%s\"", in, n, err.what);
                }
                oom_seen++;
            } else {
                done = true;
                assert_true(countdown >= 0);
            }
            ttlx_free(out);
            ttlx_result_free(r);
            ttlx_module_free(m);
            ttlx_set_allocator(NULL);
        }
        assert_true(done);
        /* Every allocation before success was failed once, and failed cleanly. */
        assert_int_equal(oom_seen, n - 1);
        assert_true(n > 20);
    }
}

static void hint_edits_survive_failure(void **state) {
    (void)state;
    ttlx_module_t *m =
        t_load("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [64, 64],"
               " \"dtype\": \"bfloat16\"}]}");
    ttlx_func_t *f = ttlx_module_func(m, 0);
    for (long n = 0; n < 10; n++) {
        cJSON *hint = cJSON_Parse("{\"memory\": \"L1\"}");
        countdown = n;
        ttlx_set_allocator(&failing);
        bool ok = ttlx_func_set_hint(f, "A", hint);
        ttlx_set_allocator(NULL);
        if (ok) {
            assert_string_equal(cJSON_GetObjectItem(ttlx_func_hint(f, "A"), "memory")->valuestring,
                                "L1");
            break;
        }
        assert_null(ttlx_func_hint(f, "A"));
    }
    ttlx_module_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fail_every_allocation),
        cmocka_unit_test(hint_edits_survive_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
