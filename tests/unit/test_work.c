/*
 * test_work.c - the work partition's details (SPEC 3.7): the block size of
 * a launch grid over the output's tiles (info TTL017, exact messages for
 * even and uneven divisions), Kt of matmul-shaped functions (by role, by
 * name, with batch dims, and not derived), the core order of the global
 * split (row_major and col_major, exact core ranges) and a bad core order.
 * Every number is worked out by hand in the comment beside it.
 */
#include "test_support.h"

#include <stdlib.h>

/* A x B -> C by name: A [M, K], B [K, N], C [M, N], bfloat16, a kernel
 * (x, y) unless x is 0, extra attrs text (or ""). */
static t_run_t mm(int64_t m, int64_t k, int64_t n, int kx, int ky, const char *attrs) {
    char json[2048];
    char kernel[64] = "";
    if (kx) snprintf(kernel, sizeof kernel, ", \"kernel\": [%d, %d]", kx, ky);
    snprintf(json, sizeof json,
             "{\"name\": \"mm\", \"buffers\": ["
             "{\"name\": \"A\", \"shape\": [%lld, %lld], \"dtype\": \"bfloat16\"},"
             "{\"name\": \"B\", \"shape\": [%lld, %lld], \"dtype\": \"bfloat16\"},"
             "{\"name\": \"C\", \"shape\": [%lld, %lld], \"dtype\": \"bfloat16\"}]%s%s%s%s}",
             (long long)m, (long long)k, (long long)k, (long long)n, (long long)m, (long long)n,
             kernel, attrs[0] ? ", \"attrs\": {" : "", attrs, attrs[0] ? "}" : "");
    return t_infer(json, NULL);
}

/* The canonical JSON's value at attrs[key], printed unformatted. */
static char *attr_text(const ttlx_result_t *r, const char *key) {
    cJSON *attrs = ttlx_output_attrs(r);
    char *s = cJSON_PrintUnformatted(cJSON_GetObjectItem(attrs, key));
    cJSON_Delete(attrs);
    return s;
}

static void ttl017_even_blocks(void **state) {
    (void)state;
    /* T.Kernel(16, 16) over a 2048x2048 output = 64x64 tiles: 4x4 per block. */
    t_run_t t = mm(2048, 2048, 2048, 16, 16, "");
    assert_int_equal(t_count(t.r, "TTL017"), 1);
    const ttlx_diag_t *d = t_diag(t.r, "TTL017");
    assert_int_equal(d->severity, TTLX_SEV_INFO);
    assert_null(d->buffer_name);
    assert_null(d->fix);
    assert_string_equal(d->message, "launch grid 16x16 blocks over a 64x64-tile output: each "
                                    "block covers 4x4 tiles");
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_int_equal(p->mt, 16);
    assert_int_equal(p->nt, 16);
    assert_int_equal(p->out_grid[0], 64);
    assert_int_equal(p->out_grid[1], 64);
    assert_int_equal(p->block_tiles[0], 4);
    assert_int_equal(p->block_tiles[1], 4);
    /* 256 blocks on 64 cores: 4 blocks = 64 output tiles each. */
    assert_int_equal(p->ncores, 64);
    assert_int_equal(p->cores[0].count, 4);
    assert_int_equal(p->out_tiles_min, 64);
    assert_int_equal(p->out_tiles_max, 64);
    char text[1024];
    ttlx_result_work_text(t.r, text, sizeof text);
    assert_string_equal(text, "launch grid 16x16 blocks (T.Kernel), 4 blocks per core on 64 cores\n"
                              "output C: 64x64 tiles, 4x4 per block, 64 tiles per core\n"
                              "Kt 64: A x B is matmul-shaped, K = 2048 in tiles 32 wide\n"
                              "core order row_major (x fastest)\n");
    /* The tile grid itself as the launch grid: no TTL017. */
    t_free(&t);
    t = mm(2048, 2048, 2048, 64, 64, "");
    assert_int_equal(t_count(t.r, "TTL017"), 0);
    assert_int_equal(ttlx_result_partition(t.r)->block_tiles[0], 1);
    t_free(&t);
    /* No kernel: no launch grid, no TTL017, one tile per unit. */
    t = mm(256, 256, 256, 0, 0, "");
    assert_int_equal(t_count(t.r, "TTL017"), 0);
    ttlx_result_work_text(t.r, text, sizeof text);
    assert_string_equal(text, "launch grid none (no T.Kernel): the split is by output tile\n"
                              "output C: 8x8 tiles, 1x1 per block, 1 tile per core\n"
                              "Kt 8: A x B is matmul-shaped, K = 256 in tiles 32 wide\n"
                              "core order row_major (x fastest)\n");
    t_free(&t);
}

static void ttl017_uneven_blocks(void **state) {
    (void)state;
    /* T.Kernel(3, 3) over 64x64 tiles: 64 = 21 x 3 + 1, so blocks of
     * ceil(64/3) = 22 tiles and the last 64 - 2 x 22 = 20. */
    t_run_t t = mm(2048, 1024, 2048, 3, 3, "");
    assert_string_equal(t_diag(t.r, "TTL017")->message,
                        "launch grid 3x3 blocks over a 64x64-tile output: each block covers up "
                        "to 22x22 tiles (uneven: 64 rows / 3 blocks = 21 remainder 1: blocks of "
                        "ceil 22, the last 20; 64 columns / 3 blocks = 21 remainder 1: blocks "
                        "of ceil 22, the last 20)");
    /* 9 blocks on 9 cores: core 0 holds 22x22 = 484 tiles, core 8 20x20. */
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_int_equal(p->ncores, 9);
    assert_int_equal(p->cores[0].out_tiles, 484);
    assert_int_equal(p->cores[2].out_tiles, 440); /* 22 x 20 */
    assert_int_equal(p->cores[8].out_tiles, 400);
    assert_int_equal(p->out_tiles_min, 400);
    assert_int_equal(p->out_tiles_max, 484);
    t_free(&t);
    /* One axis even, the other with more blocks than tiles: T.Kernel(100,
     * 8) over 8x64 tiles (256 x 2048): rows 8 / 8 = 1 each; columns 64 /
     * 100 blocks = 0 remainder 64, blocks of 1, 36 blocks with no tile. The
     * article follows the number: "an 8x64-tile output". */
    t = mm(256, 64, 2048, 100, 8, "");
    assert_string_equal(t_diag(t.r, "TTL017")->message,
                        "launch grid 8x100 blocks over an 8x64-tile output: each block covers "
                        "up to 1x1 tiles (uneven: 64 columns / 100 blocks = 0 remainder 64: "
                        "blocks of ceil 1, the last 1, 36 with no tile)");
    /* 800 blocks on 64 cores: 13 or 12 blocks each; core 0 holds blocks
     * 0-12 of row 0, all real tiles (13); core 7 holds blocks 91-103: 91-99
     * are past column 64 (none), 100-103 are row 1 columns 0-3 (4 tiles). */
    p = ttlx_result_partition(t.r);
    assert_int_equal(p->cores[0].count, 13);
    assert_int_equal(p->cores[0].out_tiles, 13);
    assert_int_equal(p->cores[7].start, 91);
    assert_int_equal(p->cores[7].out_tiles, 4);
    t_free(&t);
}

static void kt_derived_by_role_name_and_batch(void **state) {
    (void)state;
    /* By role: x [512, 1024] x w [1024, 768] -> y; K = 1024: Kt 32. */
    t_run_t t = t_infer(
        "{\"name\": \"proj\", \"buffers\": ["
        "{\"name\": \"x\", \"shape\": [512, 1024], \"dtype\": \"bfloat16\", \"role\": \"input\"},"
        "{\"name\": \"w\", \"shape\": [1024, 768], \"dtype\": \"bfloat8_b\", \"role\": \"weight\"},"
        "{\"name\": \"y\", \"shape\": [512, 768], \"dtype\": \"bfloat16\", \"role\": \"output\"}]}",
        NULL);
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_true(p->kt_derived);
    assert_int_equal(p->kt, 32);
    assert_int_equal(p->kt_a, 0);
    assert_int_equal(p->kt_b, 1);
    /* No kernel: the output's 16x24 tiles are the grid. */
    char *c = attr_text(t.r, "tt.runtime_constants");
    assert_string_equal(c, "{\"Mt\":16,\"Kt\":32,\"Nt\":24}");
    cJSON_free(c);
    t_free(&t);
    /* By name, K not a tile multiple: K = 100 -> ceil(100 / 32) = 4. */
    t = mm(64, 100, 64, 0, 0, "");
    assert_int_equal(ttlx_result_partition(t.r)->kt, 4);
    t_free(&t);
    /* By name with a 16-wide tile on A: K = 256 / 16 = 16. */
    t = mm(64, 256, 64, 0, 0,
           "\"tt.user_layout\": {\"A\": {\"tile_shape\": [32, 16]}, \"B\": {\"tile_shape\": "
           "[16, 32]}}");
    assert_int_equal(ttlx_result_partition(t.r)->kt, 16);
    t_free(&t);
    /* Batch dims: A [4, 256, 128] x B [128, 512] (broadcast) -> C [4, 256, 512]:
     * K = 128 -> Kt 4; the batch folds into Mt = 4 x 8 = 32. */
    t = t_infer("{\"name\": \"bmm\", \"buffers\": ["
                "{\"name\": \"A\", \"shape\": [4, 256, 128], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"B\", \"shape\": [1, 128, 512], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"C\", \"shape\": [4, 256, 512], \"dtype\": \"bfloat16\"}]}",
                NULL);
    p = ttlx_result_partition(t.r);
    assert_true(p->kt_derived);
    assert_int_equal(p->kt, 4);
    c = attr_text(t.r, "tt.runtime_constants");
    assert_string_equal(c, "{\"Mt\":32,\"Kt\":4,\"Nt\":16}");
    cJSON_free(c);
    t_free(&t);
}

static void kt_not_derived(void **state) {
    (void)state;
    /* Inner dims differ (A [64, 96], B [128, 64]): not a matmul. */
    t_run_t t = t_infer("{\"name\": \"f\", \"buffers\": ["
                        "{\"name\": \"A\", \"shape\": [64, 96], \"dtype\": \"bfloat16\"},"
                        "{\"name\": \"B\", \"shape\": [128, 64], \"dtype\": \"bfloat16\"},"
                        "{\"name\": \"C\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"}]}",
                        NULL);
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_false(p->kt_derived);
    assert_int_equal(p->kt, 1);
    char text[1024];
    ttlx_result_work_text(t.r, text, sizeof text);
    assert_contains(text, "Kt not derived: 1 (no matmul-shaped A x B -> C)\n");
    t_free(&t);
    /* Batch dims that neither match nor broadcast (3 against 4). */
    t = t_infer("{\"name\": \"f\", \"buffers\": ["
                "{\"name\": \"A\", \"shape\": [3, 64, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"B\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"C\", \"shape\": [4, 64, 64], \"dtype\": \"bfloat16\"}]}",
                NULL);
    assert_false(ttlx_result_partition(t.r)->kt_derived);
    t_free(&t);
    /* An elementwise kernel (three inputs by role, none named A/B/C). */
    t = t_infer(
        "{\"name\": \"add\", \"buffers\": ["
        "{\"name\": \"x\", \"shape\": [64, 64], \"dtype\": \"bfloat16\", \"role\": \"input\"},"
        "{\"name\": \"y\", \"shape\": [64, 64], \"dtype\": \"bfloat16\", \"role\": \"input\"},"
        "{\"name\": \"z\", \"shape\": [64, 64], \"dtype\": \"bfloat16\", \"role\": \"input\"},"
        "{\"name\": \"o\", \"shape\": [64, 64], \"dtype\": \"bfloat16\", \"role\": "
        "\"output\"}]}",
        NULL);
    assert_false(ttlx_result_partition(t.r)->kt_derived);
    char *c = attr_text(t.r, "tt.runtime_constants");
    assert_string_equal(c, "{\"Mt\":2,\"Kt\":1,\"Nt\":2}");
    cJSON_free(c);
    t_free(&t);
    /* A rank-1 buffer is never matmul-shaped. */
    t = t_infer("{\"name\": \"f\", \"buffers\": ["
                "{\"name\": \"A\", \"shape\": [64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"B\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"C\", \"shape\": [64], \"dtype\": \"bfloat16\"}]}",
                NULL);
    assert_false(ttlx_result_partition(t.r)->kt_derived);
    t_free(&t);
}

static void core_order_both_ways(void **state) {
    (void)state;
    /* 20 tiles (kernel 5x4: Mt 4, Nt 5) on the 8x8 grid: 20 cores, one each. */
    t_run_t t = mm(128, 64, 160, 5, 4, "\"tt.user_schedule\": {\"core_order\": \"row_major\"}");
    char *r = attr_text(t.r, "tt.core_ranges");
    /* row_major: x fastest, cores (0..7, 0), (0..7, 1), (0..3, 2). */
    assert_string_equal(r, "[[0,0,0,0,0,1],[1,0,1,0,1,1],[2,0,2,0,2,1],[3,0,3,0,3,1],"
                           "[4,0,4,0,4,1],[5,0,5,0,5,1],[6,0,6,0,6,1],[7,0,7,0,7,1],"
                           "[0,1,0,1,8,1],[1,1,1,1,9,1],[2,1,2,1,10,1],[3,1,3,1,11,1],"
                           "[4,1,4,1,12,1],[5,1,5,1,13,1],[6,1,6,1,14,1],[7,1,7,1,15,1],"
                           "[0,2,0,2,16,1],[1,2,1,2,17,1],[2,2,2,2,18,1],[3,2,3,2,19,1]]");
    cJSON_free(r);
    t_free(&t);
    /* col_major (tt-metal's split_work_to_cores default): y fastest,
     * cores (0, 0..7), (1, 0..7), (2, 0..3). */
    t = mm(128, 64, 160, 5, 4, "\"tt.user_schedule\": {\"core_order\": \"col_major\"}");
    r = attr_text(t.r, "tt.core_ranges");
    assert_string_equal(r, "[[0,0,0,0,0,1],[0,1,0,1,1,1],[0,2,0,2,2,1],[0,3,0,3,3,1],"
                           "[0,4,0,4,4,1],[0,5,0,5,5,1],[0,6,0,6,6,1],[0,7,0,7,7,1],"
                           "[1,0,1,0,8,1],[1,1,1,1,9,1],[1,2,1,2,10,1],[1,3,1,3,11,1],"
                           "[1,4,1,4,12,1],[1,5,1,5,13,1],[1,6,1,6,14,1],[1,7,1,7,15,1],"
                           "[2,0,2,0,16,1],[2,1,2,1,17,1],[2,2,2,2,18,1],[2,3,2,3,19,1]]");
    cJSON_free(r);
    char text[1024];
    ttlx_result_work_text(t.r, text, sizeof text);
    assert_contains(text, "core order col_major (y fastest, as tt-metal's split_work_to_cores)\n");
    assert_int_equal(ttlx_result_diag_count(t.r), 0); /* launch grid = tile grid: no TTL017 */
    t_free(&t);
    /* 11 tiles on a 3x2 tt.core_grid, col_major: 6 cores, the first 11 % 6 =
     * 5 take 2 tiles; order (0,0) (0,1) (1,0) (1,1) (2,0) (2,1). */
    t = mm(32, 32, 352, 0, 0,
           "\"tt.core_grid\": [3, 2], \"tt.user_schedule\": {\"core_order\": \"col_major\"}");
    r = attr_text(t.r, "tt.core_ranges");
    assert_string_equal(r, "[[0,0,0,0,0,2],[0,1,0,1,2,2],[1,0,1,0,4,2],[1,1,1,1,6,2],"
                           "[2,0,2,0,8,2],[2,1,2,1,10,1]]");
    cJSON_free(r);
    t_free(&t);
}

static void core_order_bad_value(void **state) {
    (void)state;
    const char *bad[] = {"\"diagonal\"", "3", "null"};
    const char *shown[] = {"\"diagonal\"", "3", "null"};
    for (int k = 0; k < 3; k++) {
        char attrs[128];
        snprintf(attrs, sizeof attrs, "\"tt.user_schedule\": {\"core_order\": %s}", bad[k]);
        t_run_t t = mm(64, 64, 64, 0, 0, attrs);
        assert_int_equal(t_count(t.r, "TTL010"), 1);
        const ttlx_diag_t *d = t_diag(t.r, "TTL010");
        assert_int_equal(d->severity, TTLX_SEV_ERROR);
        assert_string_equal(d->key, "core_order");
        char want[200];
        snprintf(want, sizeof want,
                 "tt.user_schedule.core_order: expected \"row_major\" or \"col_major\", got %s",
                 shown[k]);
        assert_string_equal(d->message, want);
        assert_string_equal(d->fix, "core_order: \"row_major\"");
        /* The split goes on in the default order. */
        const ttlx_partition_t *p = ttlx_result_partition(t.r);
        assert_false(p->col_major);
        assert_int_equal(p->cores[1].x, 1);
        assert_int_equal(p->cores[1].y, 0);
        t_free(&t);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ttl017_even_blocks),
        cmocka_unit_test(ttl017_uneven_blocks),
        cmocka_unit_test(kt_derived_by_role_name_and_batch),
        cmocka_unit_test(kt_not_derived),
        cmocka_unit_test(core_order_both_ways),
        cmocka_unit_test(core_order_bad_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
