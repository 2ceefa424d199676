/*
 * test_fix.c - fixes are data (SPEC 4): for every sample, every hostile
 * hint of the test suites and 10,000 seeded random hints on wormhole_n150
 * and blackhole_p150, applying a diagnostic's fix_hints (and each
 * alternative's) removes that diagnostic (same code on the same buffer)
 * and adds no error. Also the chosen fixes for the policy cases.
 */
#include "test_support.h"
#include "ttlx_device.h"
#include "ttlx_fix.h"
#include "ttlx_fix_internal.h" /* ttlx_infer_passes: the diagnostics alone */

#include <dirent.h>
#include <stdlib.h>
#include <time.h>

typedef struct counts {
    char code[24][8];
    long n[24];
    int ncodes;
    long checked, results, alternatives;
} counts_t;

static counts_t C;

static void count(const char *code) {
    for (int i = 0; i < C.ncodes; i++)
        if (!strcmp(C.code[i], code)) {
            C.n[i]++;
            return;
        }
    if (C.ncodes < 24) {
        snprintf(C.code[C.ncodes], 8, "%s", code);
        C.n[C.ncodes++] = 1;
    }
}

static bool same(const ttlx_diag_t *a, const ttlx_diag_t *b) {
    if (strcmp(a->code, b->code) || a->buffer != b->buffer) return false;
    if (a->buffer >= 0) return true;
    if (!a->buffer_name || !b->buffer_name) return a->buffer_name == b->buffer_name;
    return !strcmp(a->buffer_name, b->buffer_name);
}

/* Applies map to f, reinfers, checks d is gone and no error is new. The
 * passes alone give the diagnostics (ttlx_infer adds fix data to the same
 * list, which check_func checks); the fix search runs on every input of
 * check_func. */
static void check_map(ttlx_func_t *f, const ttlx_device_t *dev, const ttlx_result_t *r,
                      const ttlx_diag_t *d, const cJSON *map, const char *what) {
    cJSON *saved = ttlx_func_hints_copy(f);
    assert_non_null(saved);
    for (const cJSON *h = map->child; h; h = h->next) {
        assert_true(ttlx_func_find_buffer(f, h->string) >= 0);
        assert_true(ttlx_func_set_hint(f, h->string, cJSON_Duplicate(h, true)));
    }
    ttlx_error_t err = {0};
    ttlx_result_t *after = ttlx_infer_passes(f, dev, &err);
    assert_non_null(after);
    for (size_t i = 0; i < ttlx_result_diag_count(after); i++) {
        const ttlx_diag_t *e = ttlx_result_diag(after, i);
        if (same(e, d)) {
            char *s = cJSON_PrintUnformatted(map);
            fail_msg("%s: %s %s not removed by %s (%s): %s", what, d->code,
                     d->buffer_name ? d->buffer_name : "-", s, d->fix, e->message);
        }
        if (e->severity != TTLX_SEV_ERROR) continue;
        bool known = false;
        for (size_t j = 0; j < ttlx_result_diag_count(r) && !known; j++) {
            const ttlx_diag_t *o = ttlx_result_diag(r, j);
            known = o->severity == TTLX_SEV_ERROR && same(e, o);
        }
        if (!known) {
            char *s = cJSON_PrintUnformatted(map);
            fail_msg("%s: fix %s of %s adds error %s: %s", what, s, d->code, e->code, e->message);
        }
    }
    ttlx_result_free(after);
    assert_true(ttlx_func_set_hints(f, saved));
    C.checked++;
    count(d->code);
}

static void check_func(ttlx_func_t *f, const ttlx_device_t *dev, const char *what) {
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(f, dev, &err);
    assert_non_null(r);
    C.results++;
    /* what check_map relies on: the passes give the same diagnostics */
    ttlx_result_t *p = ttlx_infer_passes(f, dev, &err);
    assert_non_null(p);
    assert_int_equal(ttlx_result_diag_count(p), ttlx_result_diag_count(r));
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++) {
        const ttlx_diag_t *a = ttlx_result_diag(r, i), *b = ttlx_result_diag(p, i);
        assert_true(same(a, b));
        assert_int_equal(a->severity, b->severity);
        assert_string_equal(a->message, b->message);
    }
    ttlx_result_free(p);
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        if (!d->fix_hints) continue;
        assert_non_null(d->fix);
        check_map(f, dev, r, d, d->fix_hints, what);
        assert_true(cJSON_GetArraySize(d->fix_alts) <= 2);
        for (const cJSON *a = d->fix_alts ? d->fix_alts->child : NULL; a; a = a->next) {
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(a, "fix");
            const cJSON *map = cJSON_GetObjectItemCaseSensitive(a, "fix_hints");
            assert_true(cJSON_IsString(text) && text->valuestring[0]);
            assert_true(cJSON_IsObject(map) && map->child);
            assert_false(cJSON_Compare(map, d->fix_hints, true)); /* distinct from the fix */
            check_map(f, dev, r, d, map, what);
            C.alternatives++;
        }
    }
    ttlx_result_free(r);
}

static void check_module(ttlx_module_t *m, const char *what) {
    static const char *devs[] = {"wormhole_n150", "blackhole_p150"};
    for (size_t k = 0; k < ttlx_module_func_count(m); k++)
        for (int d = 0; d < 2; d++)
            check_func(ttlx_module_func(m, k), ttlx_device_find(devs[d]), what);
}

static void check_dir(const char *sub) {
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", TTLX_SOURCE_DIR, sub);
    DIR *dp = opendir(dir);
    if (!dp) return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        if (n[0] == '.' || (len > 9 && !strcmp(n + len - 9, ".expected"))) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, n);
        ttlx_error_t err = {0};
        ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
        if (!m) continue; /* bad input: no diagnostics to fix */
        check_module(m, path);
        ttlx_module_free(m);
    }
    closedir(dp);
}

static void test_corpus(void **state) {
    (void)state;
    long before = C.checked;
    check_dir("samples");
    check_dir("tests/golden/inputs");
    check_dir("tests/bad");
    check_dir("tests/fuzz/regressions/fuzz_infer");
    check_dir("tests/lua");
    /* the hint cases of test_hint.c and hostile values */
    static const char *hints[] = {
        "{\"memory\": \"l1\", \"layout\": \"SHARDED\"}",
        "{\"memory\": 7, \"layout\": [1], \"tile_shape\": [8, 8], \"cb_depth\": 99}",
        "{\"halo\": 1, \"memory\": \"L1\"}",
        "{\"memroy\": \"L1\", \"layuot\": \"sharded\"}",
        "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"M\"], \"grid\": [2, 2], "
        "\"shard_shape_elems\": [64, 64]}}",
        "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [0, 2]}}",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], "
        "\"grid\": [2, 2], \"shard_shape_elems\": [100, 100], \"align_tiles\": false}}",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], "
        "\"grid\": [16, 16], \"shard_shape_elems\": [32, 32], \"order\": \"diagonal\", "
        "\"distribution\": \"spiral\"}}",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], "
        "\"grid\": [1, 1], \"shard_shape_elems\": [32, 32]}}",
        "{\"dtype\": \"float64\", \"tile_shape\": [16, 32]}",
        "\"L1\"",
        "{\"nd_shard\": 5, \"layout\": \"sharded\", \"memory\": \"L1\"}",
        "{\"memory\": \"L1\"}",
    };
    for (size_t i = 0; i < sizeof hints / sizeof *hints; i++) {
        char json[2048];
        snprintf(json, sizeof json,
                 "{\"name\": \"h\", \"buffers\": [{\"name\": \"A\", \"shape\": [2048, 2048], "
                 "\"dtype\": \"float32\"}, {\"name\": \"B\", \"shape\": [512, 512], \"dtype\": "
                 "\"bf16\"}], \"attrs\": {\"tt.user_layout\": {\"A\": %s, \"B\": %s}}}",
                 hints[i], hints[(i + 3) % (sizeof hints / sizeof *hints)]);
        ttlx_module_t *m = t_load(json);
        check_module(m, json);
        ttlx_module_free(m);
    }
    assert_true(C.checked > before);
}

/* ---- random hints --------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void random_hint(char *out, size_t size, int rank, const int64_t *shape) {
    static const char *mems[] = {"DRAM", "L1", "l1", "SRAM"};
    static const char *lays[] = {"interleaved", "sharded", "sharded", "blocked"};
    static const char *orders[] = {"row_major", "col_major", "match_shard", "block_linear(2)",
                                   "zigzag"};
    static const char *dists[] = {"grid_2d", "round_robin_1d", "none"};
    static const char *dtypes[] = {"bfloat16", "float32", "bfloat8_b", "int8", "float64"};
    static const int tiles[][2] = {{32, 32}, {16, 32}, {32, 16}, {16, 16}, {8, 8}};
    int n =
        snprintf(out, size, "{\"memory\": \"%s\", \"layout\": \"%s\"", mems[rnd(4)], lays[rnd(4)]);
    if (rnd(4) == 0) {
        int t = (int)rnd(5);
        n += snprintf(out + n, size - n, ", \"tile_shape\": [%d, %d]", tiles[t][0], tiles[t][1]);
    }
    if (rnd(5) == 0) n += snprintf(out + n, size - n, ", \"dtype\": \"%s\"", dtypes[rnd(5)]);
    if (rnd(6) == 0) n += snprintf(out + n, size - n, ", \"cb_depth\": %u", rnd(20));
    if (rnd(4) != 0) {
        n += snprintf(out + n, size - n, ", \"nd_shard\": {\"axes\": [");
        for (int d = 0; d < rank; d++) {
            const char *lab = d == rank - 2 ? "M" : d == rank - 1 ? "N" : d == 0 ? "B" : "H";
            if (rnd(30) == 0) lab = "M";
            n += snprintf(out + n, size - n, "%s\"%s\"", d ? ", " : "", lab);
        }
        n += snprintf(out + n, size - n, "], \"grid\": [");
        int64_t grid[8];
        for (int d = 0; d < rank; d++) {
            grid[d] = 1 + rnd(rnd(3) == 0 ? 20 : 9);
            n += snprintf(out + n, size - n, "%s%lld", d ? ", " : "", (long long)grid[d]);
        }
        n += snprintf(out + n, size - n, "], \"shard_shape_elems\": [");
        for (int d = 0; d < rank; d++) {
            int64_t s = (shape[d] + grid[d] - 1) / grid[d];
            switch (rnd(4)) {
            case 0:
                s = (s + 31) / 32 * 32;
                break;
            case 1:
                s = s + (int64_t)rnd(40);
                break;
            case 2:
                s = s > 1 ? s - (int64_t)rnd((uint32_t)(s < 40 ? s : 40)) : s;
                break;
            default:
                break;
            }
            if (s < 1) s = 1;
            n += snprintf(out + n, size - n, "%s%lld", d ? ", " : "", (long long)s);
        }
        n += snprintf(out + n, size - n, "]");
        if (rnd(3) == 0) n += snprintf(out + n, size - n, ", \"order\": \"%s\"", orders[rnd(5)]);
        if (rnd(3) == 0)
            n += snprintf(out + n, size - n, ", \"distribution\": \"%s\"", dists[rnd(3)]);
        if (rnd(8) == 0) n += snprintf(out + n, size - n, ", \"align_tiles\": false");
        n += snprintf(out + n, size - n, "}");
    }
    if (rnd(20) == 0) n += snprintf(out + n, size - n, ", \"halo\": 1");
    if (rnd(20) == 0) n += snprintf(out + n, size - n, ", \"memroy\": \"L1\"");
    snprintf(out + n, size - n, "}");
}

static void test_random(void **state) {
    (void)state;
    static const char *devs[] = {"wormhole_n150", "blackhole_p150"};
    static const int64_t dims[] = {1, 3, 32, 64, 96, 100, 128, 256, 512, 1000, 1024, 2048, 4096};
    long before = C.checked;
    for (int it = 0; it < 10000; it++) {
        char json[8192], hint[1024];
        int nb = 1 + (int)rnd(3);
        int n = snprintf(json, sizeof json, "{\"name\": \"r\", \"buffers\": [");
        int ranks[3];
        int64_t shapes[3][4];
        for (int b = 0; b < nb; b++) {
            ranks[b] = 2 + (int)rnd(3);
            n += snprintf(json + n, sizeof json - n, "%s{\"name\": \"T%d\", \"shape\": [",
                          b ? ", " : "", b);
            for (int d = 0; d < ranks[b]; d++) {
                shapes[b][d] = d + 2 < ranks[b] ? 1 + rnd(4) : dims[rnd(13)];
                n += snprintf(json + n, sizeof json - n, "%s%lld", d ? ", " : "",
                              (long long)shapes[b][d]);
            }
            n += snprintf(json + n, sizeof json - n, "], \"dtype\": \"%s\"}",
                          rnd(2) ? "bfloat16" : "float32");
        }
        n += snprintf(json + n, sizeof json - n, "], \"attrs\": {\"tt.user_layout\": {");
        for (int b = 0; b < nb; b++) {
            random_hint(hint, sizeof hint, ranks[b], shapes[b]);
            n += snprintf(json + n, sizeof json - n, "%s\"T%d\": %s", b ? ", " : "", b, hint);
        }
        snprintf(json + n, sizeof json - n, "}}}");
        ttlx_module_t *m = t_load(json);
        check_func(ttlx_module_func(m, 0), ttlx_device_find(devs[it & 1]), json);
        ttlx_module_free(m);
    }
    assert_true(C.checked > before);
}

/* ---- the policy cases ----------------------------------------------------- */

static const ttlx_diag_t *diag_of(const ttlx_result_t *r, const char *code) {
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++)
        if (!strcmp(ttlx_result_diag(r, i)->code, code)) return ttlx_result_diag(r, i);
    return NULL;
}

static void expect_fix(const char *hint, const char *code, const char *want_hint,
                       const char *want_fix) {
    char json[2048];
    snprintf(json, sizeof json,
             "{\"name\": \"p\", \"buffers\": [{\"name\": \"A\", \"shape\": [%s], \"dtype\": "
             "\"%s\"}], \"attrs\": {\"tt.user_layout\": {\"A\": %s}}}",
             strstr(hint, "[16, 1]") ? "512, 64" : "2048, 2048",
             strstr(hint, "[16, 1]") ? "bfloat16" : "float32", hint);
    ttlx_module_t *m = t_load(json);
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(m, 0), ttlx_device_find("wormhole_n150"), &err);
    const ttlx_diag_t *d = diag_of(r, code);
    assert_non_null(d);
    assert_non_null(d->fix_hints);
    char *got = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(d->fix_hints, "A"));
    assert_string_equal(got, want_hint);
    assert_string_equal(d->fix, want_fix);
    cJSON_free(got);
    ttlx_result_free(r);
    ttlx_module_free(m);
}

static void test_policy(void **state) {
    (void)state;
    /* TTL007: [16, 1] on 8x8 keeps 8 cores in the same direction, shard M
     * doubled; the alternative deals the 16 shards round-robin. */
    expect_fix("{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
               "\"N\"], \"grid\": [16, 1], \"shard_shape_elems\": [32, 64]}}",
               "TTL007",
               "{\"memory\":\"L1\",\"layout\":\"sharded\",\"tile_shape\":[32,32],\"dtype\":"
               "\"bfloat16\",\"cb_depth\":2,\"nd_shard\":{\"axes\":[\"M\",\"N\"],\"grid\":[8,1],"
               "\"shard_shape_elems\":[64,64],\"order\":\"row_major\",\"distribution\":"
               "\"grid_2d\",\"align_tiles\":true}}",
               "grid [8, 1], shard_shape_elems [64, 64]: 8 cores, 8,192 B per core");
    /* TTL005: 2048x2048 float32 on [2, 2] gets the even [4, 4] (the user's
     * aspect), not the uneven [2, 7]. */
    expect_fix("{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
               "\"N\"], \"grid\": [2, 2], \"shard_shape_elems\": [1024, 1024]}}",
               "TTL005",
               "{\"memory\":\"L1\",\"layout\":\"sharded\",\"tile_shape\":[32,32],\"dtype\":"
               "\"float32\",\"cb_depth\":2,\"nd_shard\":{\"axes\":[\"M\",\"N\"],\"grid\":[4,4],"
               "\"shard_shape_elems\":[512,512],\"order\":\"row_major\",\"distribution\":"
               "\"grid_2d\",\"align_tiles\":true}}",
               "grid [4, 4], shard_shape_elems [512, 512]: 16 cores, 1,048,576 B per core");
    /* A user aspect of 1:4 picks [2, 8]. */
    expect_fix("{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
               "\"N\"], \"grid\": [1, 4], \"shard_shape_elems\": [2048, 512]}}",
               "TTL005",
               "{\"memory\":\"L1\",\"layout\":\"sharded\",\"tile_shape\":[32,32],\"dtype\":"
               "\"float32\",\"cb_depth\":2,\"nd_shard\":{\"axes\":[\"M\",\"N\"],\"grid\":[2,8],"
               "\"shard_shape_elems\":[1024,256],\"order\":\"row_major\",\"distribution\":"
               "\"grid_2d\",\"align_tiles\":true}}",
               "grid [2, 8], shard_shape_elems [1024, 256]: 16 cores, 1,048,576 B per core");
}

static void test_report(void **state) {
    (void)state;
    printf("fix property: %ld results, %ld fixes applied and checked (%ld of them alternatives)\n",
           C.results, C.checked, C.alternatives);
    assert_true(C.alternatives > 0);
    for (int i = 0; i < C.ncodes; i++)
        printf("  %s %ld\n", C.code[i], C.n[i]);
}

int main(void) {
    clock_t t0 = clock();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_report),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    printf("fix property: %.1f s CPU\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    return rc;
}
