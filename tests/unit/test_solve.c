/*
 * test_solve.c - the layout solver: its first alternative is the best of
 * every combination of candidates, each inferred for real, on small device
 * profiles and every objective; every alternative infers without error;
 * pinned hints, the L1 reserve, the exact flag, the JSON form and a
 * hand-checked matmul.
 */
#include "test_support.h"
#include "ttlx_solve.h"

#include <stdlib.h>

/* A device profile with a small grid and a small L1 bank, so that capacity
 * decides (built the way a profile file is read). */
static ttlx_device_t tiny(int gx, int gy, int64_t bank, int dram_banks) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"name\": \"tiny%dx%d\", \"grid\": [%d, %d], \"l1\": %lld, \"l1_bank\": %lld, "
             "\"dram_banks\": %d, \"dram_bank\": 1073741824, \"dram_align\": 32, "
             "\"max_cbs\": 32}",
             gx, gy, gx, gy, (long long)(bank + 65536), (long long)bank, dram_banks);
    cJSON *j = cJSON_Parse(json);
    ttlx_device_t d;
    ttlx_error_t err = {0};
    if (!j || !ttlx_device_from_json(j, &d, &err)) fail_msg("device: %s", err.what);
    cJSON_Delete(j);
    return d;
}

/* ---- brute force ---------------------------------------------------------- */

typedef struct brute {
    ttlx_func_t *f;
    const ttlx_device_t *dev;
    cJSON **cands; /* per buffer: an array of hints (pinned: its own hint) */
    size_t nb;
    ttlx_solve_metrics_t *all; /* metrics of every combination */
    size_t n, cap;
} brute_t;

static void brute_walk(brute_t *B, size_t d) {
    if (d == B->nb) {
        ttlx_error_t err = {0};
        ttlx_result_t *r = ttlx_infer(B->f, B->dev, &err);
        assert_non_null(r);
        if (B->n == B->cap) {
            B->cap = B->cap ? 2 * B->cap : 1024;
            B->all = realloc(B->all, B->cap * sizeof *B->all);
            assert_non_null(B->all);
        }
        ttlx_solve_measure(r, &B->all[B->n++]);
        ttlx_result_free(r);
        return;
    }
    const char *name = ttlx_func_buffer(B->f, d)->name;
    for (int j = 0; j < cJSON_GetArraySize(B->cands[d]); j++) {
        cJSON *h = cJSON_Duplicate(cJSON_GetArrayItem(B->cands[d], j), true);
        assert_true(ttlx_func_set_hint(B->f, name, h));
        brute_walk(B, d + 1);
    }
}

/* Checks every objective (and two reserves) against all combinations. */
static void check_brute(const char *json, const ttlx_device_t *dev, const char *keep) {
    ttlx_module_t *mod = t_load(json);
    ttlx_func_t *f = ttlx_module_func(mod, 0);
    cJSON *orig = ttlx_func_hints_copy(f);
    brute_t B = {f, dev, NULL, ttlx_func_buffer_count(f), NULL, 0, 0};
    B.cands = calloc(B.nb, sizeof *B.cands);
    ttlx_error_t err = {0};
    for (size_t i = 0; i < B.nb; i++) {
        const char *name = ttlx_func_buffer(f, i)->name;
        if (keep && !strcmp(keep, name)) {
            B.cands[i] = cJSON_CreateArray();
            const cJSON *h = ttlx_func_hint(f, name);
            cJSON_AddItemToArray(B.cands[i], h ? cJSON_Duplicate(h, true) : cJSON_CreateObject());
        } else {
            B.cands[i] = ttlx_solve_candidates(f, dev, i, &err);
        }
        assert_non_null(B.cands[i]);
    }
    brute_walk(&B, 0);
    assert_true(B.n > 0);
    assert_true(ttlx_func_set_hints(f, cJSON_Duplicate(orig, true)));

    const int64_t reserves[] = {0, dev->l1_bank_bytes / 2};
    for (int o = 0; o < 3; o++) {
        for (int ri = 0; ri < 2; ri++) {
            ttlx_solve_opts_t opts = {0};
            opts.objective = (ttlx_solve_objective_t)o;
            opts.reserve_bytes = reserves[ri];
            opts.keep = keep ? &keep : NULL;
            opts.nkeep = keep ? 1 : 0;
            const ttlx_solve_metrics_t *best = &B.all[0];
            for (size_t c = 1; c < B.n; c++)
                if (ttlx_solve_compare(opts.objective, opts.reserve_bytes, &B.all[c], best) > 0)
                    best = &B.all[c];
            ttlx_solution_t *s = ttlx_solve(f, dev, &opts, &err);
            assert_non_null(s);
            assert_int_equal(ttlx_solution_exact(s), B.nb - (keep != NULL) <= 4);
            assert_true(ttlx_solution_count(s) >= 1);
            const ttlx_solve_metrics_t *got = ttlx_solution_metrics(s, 0);
            if (memcmp(got, best, sizeof *got))
                fail_msg("%s objective %s reserve %lld: solver gives errors %lld l1 %lld cores "
                         "%lld reshards %lld padding %lld free %lld; best is %lld %lld %lld %lld "
                         "%lld %lld",
                         dev->name, ttlx_solve_objective_name(opts.objective),
                         (long long)opts.reserve_bytes, (long long)got->errors,
                         (long long)got->l1_bytes, (long long)got->work_cores,
                         (long long)got->reshards, (long long)got->padding_bytes,
                         (long long)got->worst_core_free, (long long)best->errors,
                         (long long)best->l1_bytes, (long long)best->work_cores,
                         (long long)best->reshards, (long long)best->padding_bytes,
                         (long long)best->worst_core_free);
            /* Ranked best first, and each one infers as measured. */
            for (size_t a = 0; a < ttlx_solution_count(s); a++) {
                const ttlx_solve_metrics_t *m = ttlx_solution_metrics(s, a);
                if (a > 0)
                    assert_true(ttlx_solve_compare(opts.objective, opts.reserve_bytes,
                                                   ttlx_solution_metrics(s, a - 1), m) >= 0);
                if (best->errors == 0) assert_int_equal(m->errors, 0);
                for (size_t b = 0; b < a; b++)
                    assert_false(
                        cJSON_Compare(ttlx_solution_hints(s, a), ttlx_solution_hints(s, b), true));
            }
            ttlx_solution_free(s);
            /* The function's hints are as they were. */
            cJSON *now = ttlx_func_hints_copy(f);
            assert_true(cJSON_Compare(now, orig, true));
            cJSON_Delete(now);
        }
    }
    for (size_t i = 0; i < B.nb; i++)
        cJSON_Delete(B.cands[i]);
    free(B.cands);
    free(B.all);
    cJSON_Delete(orig);
    ttlx_module_free(mod);
}

static const char one_buffer[] = "{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": "
                                 "[256, 64], \"dtype\": \"bfloat16\"}]}";

static const char two_buffers[] =
    "{\"name\": \"f\", \"buffers\": ["
    "{\"name\": \"X\", \"shape\": [96, 160], \"dtype\": \"float32\"},"
    "{\"name\": \"Y\", \"shape\": [128, 128], \"dtype\": \"bfloat16\", \"role\": \"output\"}]}";

static const char matmul_small[] =
    "{\"name\": \"mm\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [128, 64], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [64, 128], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [128, 128], \"dtype\": \"bfloat16\", \"role\": \"output\"}]}";

static const char batched[] =
    "{\"name\": \"bmm\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [2, 64, 96], \"dtype\": \"bfloat8_b\"},"
    "{\"name\": \"B\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [2, 64, 64], \"dtype\": \"bfloat16\", \"role\": \"output\"}], "
    "\"kernel\": [2, 2]}";

static void brute_one_buffer(void **state) {
    (void)state;
    ttlx_device_t d2 = tiny(2, 2, 16384, 2), d4 = tiny(4, 4, 65536, 3);
    check_brute(one_buffer, &d2, NULL);
    check_brute(one_buffer, &d4, NULL);
}

static void brute_two_buffers(void **state) {
    (void)state;
    ttlx_device_t d2 = tiny(2, 2, 40960, 2), d4 = tiny(4, 4, 24576, 3);
    check_brute(two_buffers, &d2, NULL);
    check_brute(two_buffers, &d4, NULL);
}

static void brute_three_buffers(void **state) {
    (void)state;
    /* 2x2 with 24 KiB: not everything fits in L1 at once. */
    ttlx_device_t d2 = tiny(2, 2, 24576, 2), d4 = tiny(4, 4, 16384, 3);
    check_brute(matmul_small, &d2, NULL);
    check_brute(matmul_small, &d4, NULL);
    check_brute(batched, &d2, NULL);
}

/* Three 256x512 buffers on 4x4 (8x16 tiles): 40-odd candidates each, round
 * robin widths among them; two buffers fit in L1 at once, not three. */
static void brute_larger_space(void **state) {
    (void)state;
    static const char json[] =
        "{\"name\": \"f\", \"buffers\": ["
        "{\"name\": \"A\", \"shape\": [256, 512], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"B\", \"shape\": [256, 512], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"C\", \"shape\": [256, 512], \"dtype\": \"bfloat16\", \"role\": "
        "\"output\"}]}";
    ttlx_device_t d = tiny(4, 4, 36864, 3);
    check_brute(json, &d, NULL);
}

static void brute_with_pinned(void **state) {
    (void)state;
    static const char pinned[] =
        "{\"name\": \"mm\", \"buffers\": ["
        "{\"name\": \"A\", \"shape\": [128, 64], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"B\", \"shape\": [64, 128], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"C\", \"shape\": [128, 128], \"dtype\": \"bfloat16\", \"role\": "
        "\"output\"}], \"attrs\": {\"tt.user_layout\": {\"B\": {\"memory\": \"L1\", \"layout\": "
        "\"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [1, 2], "
        "\"shard_shape_elems\": [64, 64]}}, \"C\": {\"tile_shape\": [16, 32]}}}}";
    ttlx_device_t d2 = tiny(2, 2, 32768, 2);
    check_brute(pinned, &d2, "B");
}

/* Small random functions (fixed seed) on small grids, square or not:
 * shapes that pad, batch dims, three dtypes, a launch grid or none, the
 * partition forced global or limited by tt.core_grid, a pinned buffer. */
static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void brute_random_functions(void **state) {
    (void)state;
    static const int dims[] = {32, 64, 96, 128, 160, 256, 512, 320};
    static const char *const dtypes[] = {"bfloat16", "float32", "bfloat8_b"};
    static const int grids[][2] = {{2, 2}, {4, 4}, {3, 2}, {2, 3}, {1, 4}};
    uint32_t seed = 12345;
    for (int c = 0; c < 60; c++) {
        int nb = 1 + c % 3;
        const int *g = grids[lcg(&seed) % 5];
        int64_t bank = 4096 * (2 + (int64_t)(lcg(&seed) % 14));
        ttlx_device_t dev = tiny(g[0], g[1], bank, 2 + (int)(lcg(&seed) % 2));
        char json[2048];
        size_t k = (size_t)snprintf(json, sizeof json, "{\"name\": \"r%d\", \"buffers\": [", c);
        for (int b = 0; b < nb; b++) {
            int h = dims[lcg(&seed) % 8], w = dims[lcg(&seed) % 8];
            uint32_t form = lcg(&seed) % 10; /* 0-1: batch dim, 2: rank 1 */
            char shape[64];
            if (form == 2)
                snprintf(shape, sizeof shape, "%d", h * 3 + 5);
            else
                snprintf(shape, sizeof shape, "%s%d, %d", form < 2 ? "2, " : "", h, w);
            k += (size_t)snprintf(json + k, sizeof json - k,
                                  "%s{\"name\": \"%c\", \"shape\": [%s], \"dtype\": "
                                  "\"%s\"%s}",
                                  b ? ", " : "", 'A' + b, shape, dtypes[lcg(&seed) % 3],
                                  b == nb - 1 ? ", \"role\": \"output\"" : "");
        }
        k += (size_t)snprintf(json + k, sizeof json - k, "]");
        switch (lcg(&seed) % 5) {
        case 0:
            k += (size_t)snprintf(json + k, sizeof json - k, ", \"kernel\": [%d, 1]",
                                  1 + (int)(lcg(&seed) % 6));
            break;
        case 1:
            k += (size_t)snprintf(json + k, sizeof json - k,
                                  ", \"attrs\": {\"tt.user_schedule\": {\"partition_mode\": "
                                  "\"global\"}}");
            break;
        case 2:
            k += (size_t)snprintf(json + k, sizeof json - k,
                                  ", \"attrs\": {\"tt.core_grid\": [1, %d]}", g[1]);
            break;
        default:
            break;
        }
        snprintf(json + k, sizeof json - k, "}");
        check_brute(json, &dev, NULL);
    }
}

/* Five free buffers take the bounded search (exact = false). It is not
 * guaranteed optimal, but on these small spaces it finds the optimum, and
 * this keeps it so. */
static void brute_five_buffers(void **state) {
    (void)state;
    static const int dims[] = {32, 64};
    static const char *const dtypes[] = {"bfloat16", "float32", "bfloat8_b"};
    uint32_t seed = 777;
    for (int c = 0; c < 6; c++) {
        ttlx_device_t dev =
            tiny(1 + (int)(lcg(&seed) % 2), 2, 4096 * (3 + (int64_t)(lcg(&seed) % 6)), 2);
        char json[2048];
        size_t k = (size_t)snprintf(json, sizeof json, "{\"name\": \"h%d\", \"buffers\": [", c);
        for (int b = 0; b < 5; b++)
            k += (size_t)snprintf(json + k, sizeof json - k,
                                  "%s{\"name\": \"%c\", \"shape\": [%d, %d], \"dtype\": \"%s\"}",
                                  b ? ", " : "", 'A' + b, dims[lcg(&seed) % 2],
                                  dims[lcg(&seed) % 2], dtypes[lcg(&seed) % 3]);
        snprintf(json + k, sizeof json - k, "]}");
        check_brute(json, &dev, NULL);
    }
}

static void brute_random_pinned(void **state) {
    (void)state;
    /* The first buffer pinned to each of its own candidates in turn. */
    ttlx_device_t dev = tiny(2, 3, 20480, 2);
    ttlx_module_t *mod = t_load(matmul_small);
    ttlx_error_t err = {0};
    cJSON *c = ttlx_solve_candidates(ttlx_module_func(mod, 0), &dev, 0, &err);
    assert_non_null(c);
    for (int j = 0; j < cJSON_GetArraySize(c); j += 3) {
        cJSON *doc = ttlx_module_to_json(mod);
        cJSON *attrs = cJSON_GetObjectItem(doc, "attrs");
        if (!attrs) attrs = cJSON_AddObjectToObject(doc, "attrs");
        cJSON *ul = cJSON_AddObjectToObject(attrs, "tt.user_layout");
        cJSON_AddItemToObject(ul, "A", cJSON_Duplicate(cJSON_GetArrayItem(c, j), true));
        char *text = cJSON_PrintUnformatted(doc);
        check_brute(text, &dev, "A");
        cJSON_free(text);
        cJSON_Delete(doc);
    }
    cJSON_Delete(c);
    ttlx_module_free(mod);
}

/* ---- specific cases --------------------------------------------------------- */

static const char matmul_256[] =
    "{\"name\": \"matmul\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"}]}";

/* 3 x 256x256 bf16 on wormhole_n150: each buffer is 8x8 tiles = 128 KiB, so
 * all three fit in L1 (393,216 B). 64 work cores is the most there are, and
 * an 8x8 block shard holds exactly one tile per core: no padding, and the
 * three grids agree (no reshard). The worst core then holds 3 tiles plus the
 * CBs (3 x 2 x 2,048 B): 1,382,144 - 6,144 - 12,288 = 1,363,712 B free.
 * All-L1-interleaved ties on every figure (64 pages on 64 banks, global
 * partition of 64 tiles); the order of preference puts grid_2d shards first,
 * so rank 1 is every buffer L1 block-sharded 8x8, row_major. */
static void matmul_256_rank_one(void **state) {
    (void)state;
    ttlx_module_t *mod = t_load(matmul_256);
    ttlx_func_t *f = ttlx_module_func(mod, 0);
    ttlx_error_t err = {0};
    ttlx_solution_t *s = ttlx_solve(f, ttlx_device_find("wormhole_n150"), NULL, &err);
    assert_non_null(s);
    assert_true(ttlx_solution_exact(s));
    assert_int_equal(ttlx_solution_count(s), 5);
    const ttlx_solve_metrics_t *m = ttlx_solution_metrics(s, 0);
    assert_int_equal(m->errors, 0);
    assert_int_equal(m->l1_bytes, 393216);
    assert_int_equal(m->work_cores, 64);
    assert_int_equal(m->reshards, 0);
    assert_int_equal(m->padding_bytes, 0);
    assert_int_equal(m->worst_core_free, 1363712);
    assert_true(ttlx_solution_pareto(s, 0));
    cJSON *want = cJSON_Parse(
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], "
        "\"grid\": [8, 8], \"shard_shape_elems\": [32, 32], \"order\": \"row_major\", "
        "\"distribution\": \"grid_2d\"}}");
    const char *names[] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++)
        assert_true(cJSON_Compare(
            cJSON_GetObjectItemCaseSensitive(ttlx_solution_hints(s, 0), names[i]), want, true));
    cJSON_Delete(want);
    assert_int_equal(ttlx_solution_change_count(s, 0), 3);
    assert_string_equal(ttlx_solution_change(s, 0, 0),
                        "A: DRAM interleaved -> L1 sharded 8x8 block");
    for (size_t a = 0; a < ttlx_solution_count(s); a++)
        assert_int_equal(ttlx_solution_metrics(s, a)->errors, 0);

    /* The JSON form of SPEC 9. */
    cJSON *doc = ttlx_solution_to_json(s);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "objective")->valuestring, "l1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "exact")));
    cJSON *alts = cJSON_GetObjectItem(doc, "alternatives");
    assert_int_equal(cJSON_GetArraySize(alts), 5);
    cJSON *a0 = cJSON_GetArrayItem(alts, 0);
    assert_int_equal(cJSON_GetObjectItem(a0, "rank")->valueint, 1);
    assert_int_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(a0, "metrics"), "worst_core_free")->valuedouble,
        1363712);
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(a0, "hints"), "C"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a0, "changes")), 3);
    cJSON_Delete(doc);
    ttlx_solution_free(s);

    /* Twelve alternatives, all distinct, all clean; one when one is asked. */
    ttlx_solve_opts_t o = {0};
    o.top_k = 12;
    s = ttlx_solve(f, ttlx_device_find("wormhole_n150"), &o, &err);
    assert_int_equal(ttlx_solution_count(s), 12);
    for (size_t a = 0; a < 12; a++) {
        assert_int_equal(ttlx_solution_metrics(s, a)->errors, 0);
        for (size_t b = 0; b < a; b++)
            assert_false(cJSON_Compare(ttlx_solution_hints(s, a), ttlx_solution_hints(s, b), true));
    }
    ttlx_solution_free(s);
    o.top_k = 1;
    s = ttlx_solve(f, ttlx_device_find("wormhole_n150"), &o, &err);
    assert_int_equal(ttlx_solution_count(s), 1);
    assert_int_equal(ttlx_solution_metrics(s, 0)->worst_core_free, 1363712);
    ttlx_solution_free(s);
    ttlx_module_free(mod);
}

/* All DRAM interleaved: 64 pages on 12 banks reserve 6 each (8 pages of
 * lock-step padding per buffer); CBs 3 x 4,096 B on the 64 work cores. */
static void measure_all_dram(void **state) {
    (void)state;
    t_run_t t = t_infer(matmul_256, "wormhole_n150");
    ttlx_solve_metrics_t m;
    ttlx_solve_measure(t.r, &m);
    assert_int_equal(m.errors, 0);
    assert_int_equal(m.l1_bytes, 0);
    assert_int_equal(m.work_cores, 64);
    assert_int_equal(m.reshards, 0);
    assert_int_equal(m.padding_bytes, 3 * 8 * 2048);
    assert_int_equal(m.worst_core_free, 1382144 - 12288);
    t_free(&t);
}

static void pinned_keep_their_hint_and_reserve_holds(void **state) {
    (void)state;
    static const char json[] =
        "{\"name\": \"matmul\", \"buffers\": ["
        "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": "
        "\"output\"}], \"attrs\": {\"tt.user_layout\": {\"B\": {\"memory\": \"DRAM\", "
        "\"cb_depth\": 4}}}}";
    ttlx_module_t *mod = t_load(json);
    ttlx_func_t *f = ttlx_module_func(mod, 0);
    const char *keep[] = {"B"};
    ttlx_solve_opts_t o = {0};
    o.keep = keep;
    o.nkeep = 1;
    o.reserve_bytes = 1382144 - 40000; /* only about 40 KB may be used per core */
    ttlx_error_t err = {0};
    ttlx_solution_t *s = ttlx_solve(f, ttlx_device_find("wormhole_n150"), &o, &err);
    assert_non_null(s);
    assert_true(ttlx_solution_count(s) >= 1);
    for (size_t a = 0; a < ttlx_solution_count(s); a++) {
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(ttlx_solution_hints(s, a), "B");
        assert_true(cJSON_Compare(b, ttlx_func_hint(f, "B"), true));
        assert_true(ttlx_solution_metrics(s, a)->worst_core_free >= o.reserve_bytes);
        for (size_t j = 0; j < ttlx_solution_change_count(s, a); j++)
            assert_true(strncmp(ttlx_solution_change(s, a, j), "B:", 2) != 0);
    }
    /* Rank 1 still puts what the reserve allows in L1. */
    assert_true(ttlx_solution_metrics(s, 0)->l1_bytes > 0);
    ttlx_solution_free(s);

    const char *bad[] = {"Z"};
    o.keep = bad;
    assert_null(ttlx_solve(f, NULL, &o, &err));
    assert_contains(err.what, "Z");
    ttlx_module_free(mod);
}

/* n buffers of 128x128 bf16. */
static ttlx_module_t *n_buffers(int n) {
    char json[4096];
    size_t k = (size_t)snprintf(json, sizeof json, "{\"name\": \"f\", \"buffers\": [");
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(json + k, sizeof json - k,
                              "%s{\"name\": \"t%d\", \"shape\": [%d, 128], \"dtype\": "
                              "\"bfloat16\"}",
                              i ? "," : "", i, 64 * (1 + i % 3));
    snprintf(json + k, sizeof json - k, "]}");
    return t_load(json);
}

static void exact_up_to_four_free(void **state) {
    (void)state;
    ttlx_device_t d = tiny(4, 4, 65536, 3);
    for (int n = 1; n <= 6; n++) {
        ttlx_module_t *mod = n_buffers(n);
        ttlx_error_t err = {0};
        ttlx_solution_t *s = ttlx_solve(ttlx_module_func(mod, 0), &d, NULL, &err);
        assert_non_null(s);
        assert_int_equal(ttlx_solution_exact(s), n <= 4);
        assert_true(ttlx_solution_evaluated(s) > 0);
        for (size_t a = 0; a < ttlx_solution_count(s); a++)
            assert_int_equal(ttlx_solution_metrics(s, a)->errors, 0);
        ttlx_solution_free(s);
        /* Pinning two of six leaves four free: exact again. */
        if (n == 6) {
            const char *keep[] = {"t0", "t5"};
            ttlx_solve_opts_t o = {0};
            o.keep = keep;
            o.nkeep = 2;
            s = ttlx_solve(ttlx_module_func(mod, 0), &d, &o, &err);
            assert_non_null(s);
            assert_true(ttlx_solution_exact(s));
            ttlx_solution_free(s);
        }
        ttlx_module_free(mod);
    }
}

static void objective_names(void **state) {
    (void)state;
    ttlx_solve_objective_t o;
    assert_true(ttlx_solve_objective_parse("L1", &o));
    assert_int_equal(o, TTLX_SOLVE_L1);
    assert_true(ttlx_solve_objective_parse("cores", &o));
    assert_int_equal(o, TTLX_SOLVE_CORES);
    assert_true(ttlx_solve_objective_parse("Headroom", &o));
    assert_int_equal(o, TTLX_SOLVE_HEADROOM);
    assert_false(ttlx_solve_objective_parse("speed", &o));
    assert_string_equal(ttlx_solve_objective_name(TTLX_SOLVE_HEADROOM), "headroom");
}

static void candidates_cover_the_space(void **state) {
    (void)state;
    /* 256x64 on 2x2: 8x2 tiles. Every hint is complete and infers cleanly
     * (no empty shard); height shards beyond the grid use round_robin_1d. */
    t_run_t t = t_infer(one_buffer, NULL);
    ttlx_device_t d = tiny(2, 2, 1 << 20, 2);
    ttlx_error_t err = {0};
    cJSON *c = ttlx_solve_candidates(ttlx_module_func(t.mod, 0), &d, 0, &err);
    assert_non_null(c);
    bool rr = false, dram_sharded = false, col = false;
    for (int j = 0; j < cJSON_GetArraySize(c); j++) {
        cJSON *h = cJSON_GetArrayItem(c, j);
        cJSON *nd = cJSON_GetObjectItem(h, "nd_shard");
        if (nd) {
            rr |= !strcmp(cJSON_GetObjectItem(nd, "distribution")->valuestring, "round_robin_1d");
            col |= !strcmp(cJSON_GetObjectItem(nd, "order")->valuestring, "col_major");
            dram_sharded |= !strcmp(cJSON_GetObjectItem(h, "memory")->valuestring, "DRAM");
        }
        ttlx_func_set_hint(ttlx_module_func(t.mod, 0), "A", cJSON_Duplicate(h, true));
        ttlx_result_t *r = ttlx_infer(ttlx_module_func(t.mod, 0), &d, &err);
        size_t errors, warnings;
        ttlx_result_diag_counts(r, &errors, &warnings, NULL);
        assert_int_equal(errors, 0);
        assert_int_equal(warnings, 0);
        ttlx_result_free(r);
    }
    assert_true(rr && dram_sharded && col);
    cJSON_Delete(c);
    t_free(&t);
}

/* Every allocation of a solve fails in turn: each run ends with "out of
 * memory" or a full answer, never a crash (the sanitizer build checks that
 * nothing leaks), and the function is never changed. */
static long countdown; /* allocations left before one fails; < 0: never */

static void *fail_malloc(size_t n) {
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return malloc(n);
}
static void *fail_realloc(void *p, size_t n) {
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return realloc(p, n);
}

static void fail_every_allocation(void **state) {
    (void)state;
    static const ttlx_allocator_t failing = {fail_malloc, fail_realloc, free, NULL};
    ttlx_module_t *mod = t_load(matmul_small);
    ttlx_func_t *f = ttlx_module_func(mod, 0);
    cJSON *before = ttlx_func_to_json(f);
    ttlx_device_t d = tiny(2, 2, 32768, 2);
    const char *keep[] = {"B"};
    ttlx_solve_opts_t o = {0};
    o.keep = keep;
    o.nkeep = 1;
    bool done = false;
    long n;
    for (n = 0; n < 200000 && !done; n++) {
        countdown = n;
        ttlx_set_allocator(&failing);
        ttlx_error_t err = {0};
        ttlx_solution_t *s = ttlx_solve(f, &d, &o, &err);
        cJSON *doc = s ? ttlx_solution_to_json(s) : NULL;
        done = doc != NULL;
        if (!s) assert_string_equal(err.what, "out of memory");
        cJSON_Delete(doc);
        ttlx_solution_free(s);
        ttlx_set_allocator(NULL);
    }
    assert_true(done);
    assert_true(n > 10);
    cJSON *after = ttlx_func_to_json(f);
    assert_true(cJSON_Compare(before, after, true));
    cJSON_Delete(before);
    cJSON_Delete(after);
    ttlx_module_free(mod);
}

/* ---- progress and cancel ------------------------------------------------- */

typedef struct progress_log {
    uint64_t seen[64];
    int calls;
    int cancel_at; /* the call that returns false; 0: never */
} progress_log_t;

static bool log_progress(void *ud, uint64_t evaluated) {
    progress_log_t *p = ud;
    if (p->calls < 64) p->seen[p->calls] = evaluated;
    p->calls++;
    return p->calls != p->cancel_at;
}

/* The callback sees every progress_every-th evaluation; returning false
 * stops the search at once: no solution, "cancelled" and the count. Both
 * searches (exact with up to four free buffers, bounded beyond). */
static void progress_and_cancel(void **state) {
    (void)state;
    ttlx_device_t d = tiny(4, 4, 65536, 3);
    for (int n = 3; n <= 6; n += 3) {
        ttlx_module_t *mod = n_buffers(n);
        ttlx_func_t *f = ttlx_module_func(mod, 0);
        ttlx_error_t err = {0};
        /* never cancelled: called floor(evaluated / every) times, the same answer */
        ttlx_solution_t *plain = ttlx_solve(f, &d, NULL, &err);
        assert_non_null(plain);
        progress_log_t log = {0};
        ttlx_solve_opts_t o = {0};
        o.progress = log_progress;
        o.progress_ud = &log;
        o.progress_every = 3;
        ttlx_solution_t *s = ttlx_solve(f, &d, &o, &err);
        assert_non_null(s);
        uint64_t ev = ttlx_solution_evaluated(s);
        assert_int_equal(ev, ttlx_solution_evaluated(plain));
        assert_true(ev >= 12);
        assert_int_equal(log.calls, (int)(ev / 3));
        for (int k = 0; k < log.calls && k < 64; k++)
            assert_int_equal(log.seen[k], 3 * (uint64_t)(k + 1));
        assert_true(cJSON_Compare(ttlx_solution_hints(s, 0), ttlx_solution_hints(plain, 0), true));
        ttlx_solution_free(s);
        ttlx_solution_free(plain);
        /* cancelled on the 4th report: after exactly 12 evaluations */
        progress_log_t stop = {.cancel_at = 4};
        o.progress_ud = &stop;
        s = ttlx_solve(f, &d, &o, &err);
        assert_null(s);
        assert_int_equal(stop.calls, 4);
        assert_int_equal(stop.seen[3], 12);
        assert_string_equal(err.what, "solve cancelled after 12 evaluations");
        ttlx_module_free(mod);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(objective_names),
        cmocka_unit_test(fail_every_allocation),
        cmocka_unit_test(measure_all_dram),
        cmocka_unit_test(candidates_cover_the_space),
        cmocka_unit_test(matmul_256_rank_one),
        cmocka_unit_test(pinned_keep_their_hint_and_reserve_holds),
        cmocka_unit_test(exact_up_to_four_free),
        cmocka_unit_test(progress_and_cancel),
        cmocka_unit_test(brute_one_buffer),
        cmocka_unit_test(brute_two_buffers),
        cmocka_unit_test(brute_three_buffers),
        cmocka_unit_test(brute_with_pinned),
        cmocka_unit_test(brute_larger_space),
        cmocka_unit_test(brute_random_functions),
        cmocka_unit_test(brute_random_pinned),
        cmocka_unit_test(brute_five_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
