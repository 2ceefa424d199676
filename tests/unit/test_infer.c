/*
 * test_infer.c - InferTTLayout, PropagateTTLayout and the work partition
 * (SPEC 3): the seed's documented cases, interleaved and sharded placement
 * in every mode, and each diagnostic of SPEC 4 firing and not firing, with
 * the fixes the core computes. Every number here is worked out by hand in
 * the comment beside it.
 */
#include "test_support.h"

#include <dirent.h>

#include <stdlib.h>

#define SPEC_EXAMPLE                                                                               \
    "{\"name\": \"matmul\", \"buffers\": ["                                                        \
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"                           \
    "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"                           \
    "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"}],"    \
    "\"kernel\": [8, 8], \"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", "            \
    "\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [2,4], "           \
    "\"shard_shape_elems\": [128,64]}}}}}"

/* Seed case 1: no hints -> DRAM interleaved 32x32 float16, global 8x8. */
static void seed_default_dram(void **state) {
    (void)state;
    t_run_t t = t_infer("{\"name\": \"matmul\", \"buffers\": ["
                        "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"float16\"},"
                        "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"float16\"},"
                        "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"float16\"}],"
                        "\"kernel\": [8, 8]}",
                        NULL);
    cJSON *attrs = ttlx_output_attrs(t.r);
    char *a = cJSON_PrintUnformatted(cJSON_GetObjectItem(attrs, "tt.buffer.A"));
    assert_string_equal(a, "{\"memory\":\"DRAM\",\"layout\":\"interleaved\",\"tile_shape\":[32,32],"
                           "\"dtype\":\"float16\"}");
    char *cb = cJSON_PrintUnformatted(cJSON_GetObjectItem(attrs, "tt.cb.A"));
    assert_string_equal(cb, "{\"page_size\":2048,\"depth\":2,\"data_format\":\"Float16\"}");
    assert_string_equal(cJSON_GetObjectItem(attrs, "tt.partition_mode")->valuestring, "global");
    char *gt = cJSON_PrintUnformatted(cJSON_GetObjectItem(attrs, "tt.grid_tiles"));
    assert_string_equal(gt, "[8,8]");
    char *names = cJSON_PrintUnformatted(cJSON_GetObjectItem(attrs, "tt.runtime_arg_names"));
    assert_string_equal(names, "[\"tt_start_tile\",\"tt_tile_count\",\"Mt\",\"Kt\",\"Nt\"]");
    char *consts = cJSON_PrintUnformatted(cJSON_GetObjectItem(attrs, "tt.runtime_constants"));
    /* A x B -> C by name, K = 256: Kt = 256 / 32 = 8. */
    assert_string_equal(consts, "{\"Mt\":8,\"Kt\":8,\"Nt\":8}");
    /* 64 tiles on 64 cores, one each: core 9 = (1, 1) starts at tile 9. */
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_int_equal(p->ncores, 64);
    assert_int_equal(p->cores[9].x, 1);
    assert_int_equal(p->cores[9].y, 1);
    assert_int_equal(p->cores[9].start, 9);
    assert_int_equal(p->cores[9].count, 1);
    assert_int_equal(ttlx_result_diag_count(t.r), 0);
    cJSON_free(a);
    cJSON_free(cb);
    cJSON_free(gt);
    cJSON_free(names);
    cJSON_free(consts);
    cJSON_Delete(attrs);
    t_free(&t);
}

/* Seed case 2: the sharded projection of SPEC 1.1 / SPEC 6. */
static void seed_sharded_projection(void **state) {
    (void)state;
    t_run_t t = t_infer(SPEC_EXAMPLE, NULL);
    const ttlx_layout_t *A = ttlx_result_layout(t.r, 0);
    assert_true(A->placed);
    assert_int_equal(A->proj_grid[0], 2);
    assert_int_equal(A->proj_grid[1], 4);
    assert_int_equal(A->proj_shard_tiles[0], 4); /* 128 / 32 */
    assert_int_equal(A->proj_shard_tiles[1], 2); /* 64 / 32 */
    assert_int_equal(A->shards, 8);
    assert_int_equal(A->shard_tiles, 8);
    assert_int_equal(A->cores_used, 8);
    assert_int_equal(A->max_shards_per_core, 1);
    assert_int_equal(A->bytes_per_core, 16384); /* 8 tiles x 2048 */
    const ttlx_layout_t *B = ttlx_result_layout(t.r, 1);
    assert_int_equal(B->banks, 12);
    assert_int_equal(B->pages_per_bank, 6); /* ceil(64 / 12) */
    assert_int_equal(B->bytes_per_bank, 12288);
    /* Core (0,0): A's 16,384 + three CBs of 2 x 2048 = 28,672. */
    int wx, wy;
    assert_int_equal(ttlx_result_max_used(t.r, &wx, &wy), 28672);
    assert_int_equal(wx, 0);
    assert_int_equal(wy, 0);
    /* Core (4,0) holds no shard of A and is outside the partition. */
    assert_int_equal(ttlx_result_core_used(t.r, 4, 0), 0);
    assert_false(ttlx_result_core_in_partition(t.r, 4, 0));
    assert_int_equal(ttlx_result_core_used(t.r, 3, 1), 28672);
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_true(p->local_shard);
    assert_int_equal(p->leader, 0);
    assert_int_equal(p->ncores, 8);
    /* Shard (1, 2) is the 7th core range: x = 2, y = 1, 8 tiles, sy 1, sx 2. */
    assert_int_equal(p->cores[6].x, 2);
    assert_int_equal(p->cores[6].y, 1);
    assert_int_equal(p->cores[6].count, 8);
    assert_int_equal(p->cores[6].sy, 1);
    assert_int_equal(p->cores[6].sx, 2);
    char *text = ttlx_output_json_text(t.r);
    assert_contains(text, "\"tt.runtime_constants\": {\"Mt\": 8, \"Kt\": 8, \"Nt\": 8, \"Sm\": 4, "
                          "\"Sn\": 2, \"Gy\": 2, \"Gx\": 4}");
    assert_contains(
        text, "\"cores\": {\"l1_bank\": 1382144, \"max_used\": 28672, \"worst_core\": [0, 0]}");
    ttlx_free(text);
    t_free(&t);
}

/* Seed case 3: a misaligned L1 shard (TTL004 error, nearest aligned fix). */
static void seed_misaligned_l1_shard(void **state) {
    (void)state;
    t_run_t t =
        t_one("[256, 256]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
              "\"N\"], \"grid\": [3, 4], \"shard_shape_elems\": [100, 64]}}",
              NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL004");
    assert_int_equal(d->severity, TTLX_SEV_ERROR);
    assert_string_equal(d->buffer_name, "A");
    assert_string_equal(d->message, "L1 shard requires tile alignment: shard M=100 is not a "
                                    "multiple of the tile height 32");
    /* 100 is nearer 96 than 128; 256 / 96 rounds up to 3 shards. */
    assert_string_equal(d->fix, "shard_shape_elems [96, 64] with grid [3, 4] (nearest "
                                "tile-aligned shard that covers the tensor)");
    assert_int_equal(ttlx_result_diag_count(t.r), 1);
    t_free(&t);
    /* In DRAM the same shard is only a warning. */
    t = t_one("[256, 256]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 2],"
              " \"shard_shape_elems\": [128, 130]}}",
              NULL);
    d = t_diag(t.r, "TTL004");
    assert_int_equal(d->severity, TTLX_SEV_WARNING);
    assert_contains(d->message, "DRAM shard requires tile alignment: shard N=130");
    assert_contains(d->fix, "shard_shape_elems [128, 128] with grid [2, 2]");
    t_free(&t);
    /* align_tiles false in L1 is an error on its own. */
    t = t_one(
        "[256, 256]", "bfloat16",
        "{\"memory\": \"l1\", \"layout\": \"SHARDED\", \"nd_shard\": {\"axes\": [\"M\", \"N\"],"
        " \"grid\": [2, 2], \"shard_shape_elems\": [128, 128], \"align_tiles\": false}}",
        NULL);
    d = t_diag(t.r, "TTL004");
    assert_string_equal(d->message, "L1 shard requires tile alignment: align_tiles is false");
    assert_string_equal(d->fix, "align_tiles: true");
    t_free(&t);
}

/* Seed case 4: a halo hint is rejected; the buffer is still inferred. */
static void seed_halo(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 256]", "bfloat16", "{\"memory\": \"L1\", \"halo\": [1, 1]}", NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL001");
    assert_int_equal(d->severity, TTLX_SEV_ERROR);
    assert_contains(d->message, "halo unsupported");
    assert_string_equal(d->key, "halo");
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_int_equal(L->memory, TTLX_MEM_L1);
    assert_true(L->placed);
    assert_int_equal(L->bytes_per_bank, 2048); /* 64 pages on 64 L1 banks */
    t_free(&t);
}

static void interleaved_placement(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 256]", "bfloat16", NULL, NULL);
    ttlx_place_t p;
    /* Page = row * 8 + col; bank = page % 12, slot = page / 12. */
    assert_true(ttlx_place_tile(t.r, 0, 1, 4, &p));
    assert_true(p.dram);
    assert_int_equal(p.bank, 0);
    assert_int_equal(p.slot, 1);
    assert_int_equal(p.shard, -1);
    assert_true(ttlx_place_tile(t.r, 0, 7, 7, &p));
    assert_int_equal(p.bank, 3);
    assert_int_equal(p.slot, 5);
    assert_false(ttlx_place_tile(t.r, 0, 8, 0, &p));
    /* 64 pages: banks 0-3 hold 6, banks 4-11 hold 5. */
    assert_int_equal(ttlx_place_count_on(t.r, 0, 3, -1), 6);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 4, -1), 5);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 0, 0), 0); /* not in L1 */
    assert_int_equal(ttlx_result_buffer_bytes_on(t.r, 0, 11, -1), 12288);
    t_free(&t);
    /* L1 interleaved: page i on core (i % 8, i / 8). */
    t = t_one("[256, 256]", "bfloat16", "{\"memory\": \"L1\"}", NULL);
    assert_true(ttlx_place_tile(t.r, 0, 2, 3, &p));
    assert_false(p.dram);
    assert_int_equal(p.x, 3);
    assert_int_equal(p.y, 2);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 3, 2), 1);
    assert_int_equal(ttlx_result_buffer_bytes_on(t.r, 0, 7, 7), 2048);
    t_free(&t);
}

static void grid_2d_placement_both_orders(void **state) {
    (void)state;
    t_run_t t = t_infer(SPEC_EXAMPLE, NULL);
    ttlx_place_t p;
    /* Tile (5, 3): M tile 5 / 4 = 1, N tile 3 / 2 = 1 -> shard 5 on core (1,1),
     * local (1, 1) -> offset 3. */
    assert_true(ttlx_place_tile(t.r, 0, 5, 3, &p));
    assert_int_equal(p.shard, 5);
    assert_int_equal(p.x, 1);
    assert_int_equal(p.y, 1);
    assert_int_equal(p.offset, 3);
    assert_int_equal(p.slot, 0);
    assert_true(ttlx_place_tile(t.r, 0, 5, 6, &p));
    assert_int_equal(p.shard, 7);
    assert_int_equal(p.x, 3);
    assert_int_equal(p.y, 1);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 3, 1), 8);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 4, 1), 0);
    int64_t shards[4];
    assert_int_equal(ttlx_place_shards_on(t.r, 0, 3, 1, shards, 4), 1);
    assert_int_equal(shards[0], 7);
    t_free(&t);
    /* col_major: shard (m, n) on core (x = m, y = n). */
    t = t_one(
        "[256, 256]", "bfloat16",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"],"
        " \"grid\": [2, 4], \"shard_shape_elems\": [128, 64], \"order\": \"col_major\"}}",
        NULL);
    assert_true(ttlx_place_tile(t.r, 0, 5, 6, &p));
    assert_int_equal(p.shard, 7);
    assert_int_equal(p.x, 1);
    assert_int_equal(p.y, 3);
    assert_int_equal(ttlx_result_buffer_bytes_on(t.r, 0, 1, 3), 16384);
    assert_int_equal(ttlx_result_buffer_bytes_on(t.r, 0, 3, 1), 0);
    t_free(&t);
}

/* Q [2, 8, 1024, 128], axes B H M N, grid [2, 2, 8, 1], shard [1, 4, 128, 128]. */
static void nd_projection_and_stacking(void **state) {
    (void)state;
    t_run_t t =
        t_one("[2, 8, 1024, 128]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"B\", "
              "\"H\", \"M\", \"N\"], \"grid\": [2, 2, 8, 1], \"shard_shape_elems\": "
              "[1, 4, 128, 128]}}",
              NULL);
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_int_equal(L->proj_grid[0], 8);
    assert_int_equal(L->proj_grid[1], 1);
    assert_int_equal(L->shards, 32);
    assert_int_equal(L->shard_tiles, 64);        /* 1 x 4 x 4 x 4 */
    assert_int_equal(L->max_shards_per_core, 4); /* B x H stack: 2 x 2 */
    assert_int_equal(L->bytes_per_core, 524288); /* 4 x 64 x 2048 */
    assert_int_equal(L->cores_used, 8);
    assert_int_equal(L->view_rows, 512); /* 2 x 8 x 32 tile rows */
    assert_int_equal(L->view_cols, 4);
    ttlx_place_t p;
    /* Row (1*8 + 5)*32 + 17, col 2: b 1, h 5, m-tile 17, n-tile 2 ->
     * shard (1, 1, 4, 0) = 28 on core (0, 4), stack slot 3, offset 22. */
    assert_true(ttlx_place_tile(t.r, 0, 13 * 32 + 17, 2, &p));
    assert_int_equal(p.shard, 28);
    assert_int_equal(p.x, 0);
    assert_int_equal(p.y, 4);
    assert_int_equal(p.slot, 3);
    assert_int_equal(p.offset, 22);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 0, 4), 256); /* 2048 tiles / 8 cores */
    int64_t s[8];
    assert_int_equal(ttlx_place_shards_on(t.r, 0, 0, 4, s, 8), 4);
    assert_int_equal(s[0], 4);  /* (0,0,4,0) */
    assert_int_equal(s[1], 12); /* (0,1,4,0) */
    assert_int_equal(s[2], 20); /* (1,0,4,0) */
    assert_int_equal(s[3], 28); /* (1,1,4,0) */
    t_free(&t);
}

/* cache [96, 32, 128], axes S M N, grid [96, 1, 1], round_robin_1d. */
static void round_robin_placement(void **state) {
    (void)state;
    t_run_t t =
        t_one("[96, 32, 128]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"S\", "
              "\"M\", \"N\"], \"grid\": [96, 1, 1], \"shard_shape_elems\": [1, 32, 128], "
              "\"distribution\": \"round_robin_1d\"}}",
              NULL);
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_int_equal(L->cores_used, 64);
    assert_int_equal(L->max_shards_per_core, 2);
    assert_int_equal(L->bytes_per_core, 16384); /* 2 x 4 tiles x 2048 */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 70, 3, &p));
    assert_int_equal(p.shard, 70);
    assert_int_equal(p.x, 6);
    assert_int_equal(p.y, 0);
    assert_int_equal(p.slot, 1);
    assert_int_equal(p.offset, 3);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 6, 0), 8); /* shards 6 and 70 */
    assert_int_equal(ttlx_place_count_on(t.r, 0, 0, 5), 4); /* shard 40 only */
    /* Lock-step: every holder reserves two shards, even those with one. */
    assert_int_equal(ttlx_result_buffer_bytes_on(t.r, 0, 0, 5), 16384);
    /* The partition follows the leader: 64 cores, the first 32 with 8 tiles. */
    const ttlx_partition_t *pt = ttlx_result_partition(t.r);
    assert_int_equal(pt->ncores, 64);
    assert_int_equal(pt->cores[31].count, 8);
    assert_int_equal(pt->cores[32].count, 4);
    t_free(&t);
    /* col_major round robin walks y first: shard 9 on core (1, 1). */
    t = t_one(
        "[96, 32, 128]", "bfloat16",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"S\", \"M\", "
        "\"N\"], \"grid\": [96, 1, 1], \"shard_shape_elems\": [1, 32, 128], \"distribution\": "
        "\"round_robin_1d\", \"order\": \"col_major\"}}",
        NULL);
    assert_true(ttlx_place_tile(t.r, 0, 9, 0, &p));
    assert_int_equal(p.x, 1);
    assert_int_equal(p.y, 1);
    t_free(&t);
}

static void dram_sharded_over_banks(void **state) {
    (void)state;
    t_run_t t =
        t_one("[256, 256]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": "
              "[4, 4], \"shard_shape_elems\": [64, 64]}}",
              NULL);
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_int_equal(L->cores_used, 12);
    assert_int_equal(L->max_shards_per_core, 2); /* 16 shards over 12 banks */
    assert_int_equal(L->bytes_per_core, 16384);  /* 2 x 4 tiles x 2048 */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 6, 7, &p)); /* shard (3, 3) = 15 -> bank 3, slot 1 */
    assert_true(p.dram);
    assert_int_equal(p.shard, 15);
    assert_int_equal(p.bank, 3);
    assert_int_equal(p.slot, 1);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 3, -1), 8);
    assert_int_equal(ttlx_place_count_on(t.r, 0, 5, -1), 4);
    assert_false(ttlx_result_partition(t.r)->local_shard); /* DRAM shards do not lead */
    t_free(&t);
}

static void padding_and_rank_one(void **state) {
    (void)state;
    t_run_t t = t_one("[100, 100]", "bfloat16", NULL, NULL);
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_true(L->needs_padding);
    assert_int_equal(L->padded_shape[0], 128);
    assert_int_equal(L->padded_shape[1], 128);
    assert_int_equal(L->pages, 16);
    assert_int_equal(L->padding_pages, 7); /* 16 - 3 x 3 full tiles */
    const ttlx_diag_t *d = t_diag(t.r, "TTL013");
    assert_int_equal(d->severity, TTLX_SEV_INFO);
    /* 1 - 10000 / 16384 = 38.96% */
    assert_string_equal(d->message, "padding: A [100, 100] pads to [128, 128]; 7 of 16 pages hold "
                                    "padding, 39.0% of the tile bytes are padding");
    assert_string_equal(d->fix, "tile_shape [16, 16] wastes 20.3%"); /* 1 - 10000/12544 */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 3, 0, &p));
    assert_true(p.padding);
    assert_true(ttlx_place_tile(t.r, 0, 2, 2, &p));
    assert_false(p.padding);
    t_free(&t);
    /* Rank 1 is a [1, n] row: one tile row of padding. */
    t = t_one("[100]", "float32", NULL, NULL);
    L = ttlx_result_layout(t.r, 0);
    assert_int_equal(L->tile_rank, 2);
    assert_int_equal(L->tile_grid[0], 1);
    assert_int_equal(L->tile_grid[1], 4);
    assert_int_equal(L->padded_rank, 2);
    assert_int_equal(L->padded_shape[0], 32);
    assert_int_equal(L->padded_shape[1], 128);
    t_free(&t);
    /* Tile multiples need no padding and get no TTL013. */
    t = t_one("[64, 96]", "bfloat16", NULL, NULL);
    assert_false(ttlx_result_layout(t.r, 0)->needs_padding);
    assert_int_equal(t_count(t.r, "TTL013"), 0);
    t_free(&t);
}

static void ttl002_incomplete(void **state) {
    (void)state;
    t_run_t t =
        t_one("[512, 512]", "bfloat16", "{\"memory\": \"L1\", \"layout\": \"sharded\"}", NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL002");
    assert_string_equal(d->message, "nd_shard incomplete: A is sharded but has no nd_shard");
    /* 512x512 bf16 = 512 KiB: one core fits it. */
    assert_string_equal(d->fix, "nd_shard axes [\"M\", \"N\"], grid [1, 1] with shard_shape_elems "
                                "[512, 512]: 1 core, 524,288 B per core");
    assert_false(ttlx_result_layout(t.r, 0)->placed);
    t_free(&t);
    /* Too big for any L1 grid: DRAM. A rank-1 buffer: interleaved. */
    t = t_one("[65536, 1024]", "bfloat16", "{\"memory\": \"L1\", \"layout\": \"sharded\"}", NULL);
    assert_string_equal(t_diag(t.r, "TTL002")->fix,
                        "memory \"DRAM\": no grid of wormhole_n150 holds A in L1");
    t_free(&t);
    t = t_one("[4096]", "bfloat16", "{\"layout\": \"sharded\"}", NULL);
    assert_string_equal(t_diag(t.r, "TTL002")->fix,
                        "layout \"interleaved\" (N-D sharding needs an M and an N dim)");
    t_free(&t);
    /* Only axes: nothing to complete from, so one shard to start from. */
    t = t_one("[512, 256]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"]}}", NULL);
    assert_string_equal(t_diag(t.r, "TTL002")->fix,
                        "axes [\"M\", \"N\"], grid [1, 1], shard_shape_elems [512, 256]");
    t_free(&t);
    /* More than 2^63 shards: the grid that just covers the tensor. */
    t = t_one("[512, 256]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": "
              "[9007199254740991, 9007199254740991], \"shard_shape_elems\": [64, 64]}}",
              NULL);
    assert_string_equal(t_diag(t.r, "TTL010")->message, "nd_shard.grid: more than 2^63 shards");
    assert_string_equal(t_diag(t.r, "TTL010")->fix, "grid [8, 4] (shape / shard, rounded up)");
    t_free(&t);
    t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [64, 64], "
                "\"dtype\": \"int8\"}], \"attrs\": {\"tt.user_layout\": 5}}",
                NULL);
    assert_string_equal(t_diag(t.r, "TTL010")->fix,
                        "tt.user_layout {\"A\": {\"memory\": \"L1\"}} (buffer name: its hint)");
    t_free(&t);
    t = t_one(
        "[512, 512]", "bfloat16",
        "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [4, 4]}}",
        NULL);
    d = t_diag(t.r, "TTL002");
    assert_string_equal(d->message, "nd_shard incomplete: missing shard_shape_elems");
    assert_string_equal(d->fix, "shard_shape_elems [128, 128] (shape / grid, rounded up)");
    t_free(&t);
    t = t_one(
        "[512, 512]", "bfloat16",
        "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [4, 4, 1],"
        " \"shard_shape_elems\": [128, 128]}}",
        NULL);
    assert_contains(t_diag(t.r, "TTL002")->message,
                    "axes has 2 entries, grid 3, shard_shape_elems 2, but A has rank 2");
    t_free(&t);
}

static void ttl003_axes(void **state) {
    (void)state;
    t_run_t t =
        t_one("[64, 64]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"M\"], \"grid\": "
              "[1, 1], \"shard_shape_elems\": [64, 64]}}",
              NULL);
    assert_string_equal(t_diag(t.r, "TTL003")->message,
                        "axes: label \"M\" repeats (dims 0 and 1); each dim needs its own");
    assert_string_equal(t_diag(t.r, "TTL003")->fix, "axes [\"M\", \"N\"]");
    t_free(&t);
    t = t_one("[4, 64, 64]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"B\", \"R\", \"N\"], \"grid\": "
              "[1, 1, 1], \"shard_shape_elems\": [4, 64, 64]}}",
              NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL003");
    assert_contains(d->message, "axes [\"B\", \"R\", \"N\"] lack \"M\"");
    assert_string_equal(d->fix, "axes [\"B\", \"M\", \"N\"]");
    t_free(&t);
}

static void ttl005_capacity_and_fix(void **state) {
    (void)state;
    /* 2048x2048 fp32 on 2x2 cores: 1024 tiles x 4096 B = 4 MiB per core. */
    t_run_t t =
        t_one("[2048, 2048]", "float32",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
              "\"N\"], \"grid\": [2, 2], \"shard_shape_elems\": [1024, 1024]}}",
              NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL005");
    assert_string_equal(d->message, "L1 shard exceeds capacity: A reserves 4,194,304 B per core "
                                    "(1 shard x 1024 tiles x 4096 B) > 1,382,144 B L1 bank");
    /* At most 337 tiles fit; the fewest cores with balanced shards: 2 x 7
     * (32 x 10 tiles = 1,310,720 B); 13 cores would need a 13-wide row. */
    /* fixes are data: even tile divisions and the user's aspect first */
    assert_string_equal(d->fix, "grid [4, 4], shard_shape_elems [512, 512]: 16 cores, "
                                "1,048,576 B per core");
    t_free(&t);
    /* The same tensor on 4x4 cores fits: no TTL005. */
    t = t_one(
        "[2048, 2048]", "float32",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"],"
        " \"grid\": [4, 4], \"shard_shape_elems\": [512, 512]}}",
        NULL);
    assert_int_equal(t_count(t.r, "TTL005"), 0);
    assert_int_equal(ttlx_result_layout(t.r, 0)->bytes_per_core, 1048576);
    t_free(&t);
    /* L1 interleaved too big: 8192x4096 bf16 = 32768 pages, 512 per core
     * (1 MiB) fits; 16384x4096 needs 2 MiB per core and gets the DRAM fix. */
    t = t_one("[16384, 4096]", "bfloat16", "{\"memory\": \"L1\"}", NULL);
    d = t_diag(t.r, "TTL005");
    assert_contains(d->message,
                    "interleaved A needs 1024 pages x 2048 B = 2,097,152 B on every core");
    assert_string_equal(d->fix, "memory \"DRAM\" (interleaved over 12 DRAM banks: 11,186,176 B "
                                "per bank)"); /* ceil(65536 / 12) = 5462 pages */
    t_free(&t);
}

static void ttl006_core_total(void **state) {
    (void)state;
    /* Two L1-interleaved 8192x4096 bf16 buffers: 1 MiB each per core, plus
     * 2 CBs of 4096 B: 2,105,344 B on every core. */
    t_run_t t = t_infer("{\"name\": \"f\", \"buffers\": ["
                        "{\"name\": \"X\", \"shape\": [8192, 4096], \"dtype\": \"bfloat16\"},"
                        "{\"name\": \"Y\", \"shape\": [8192, 4096], \"dtype\": \"bfloat16\"}],"
                        "\"attrs\": {\"tt.user_layout\": {\"X\": {\"memory\": \"L1\"}, "
                        "\"Y\": {\"memory\": \"L1\"}}}}",
                        NULL);
    assert_int_equal(t_count(t.r, "TTL005"), 0);
    const ttlx_diag_t *d = t_diag(t.r, "TTL006");
    assert_int_equal(d->buffer, -1);
    assert_int_equal(d->core_x, 0);
    assert_int_equal(d->core_y, 0);
    assert_string_equal(d->message, "L1 exceeds capacity on core (0,0): 2,105,344 B > 1,382,144 B "
                                    "(X 1,048,576 + Y 1,048,576 + CBs 8,192); 64 cores over");
    assert_string_equal(d->fix, "memory \"DRAM\" for X: core (0,0) then uses 1,056,768 B");
    t_free(&t);
}

static void ttl007_grid_too_large(void **state) {
    (void)state;
    t_run_t t =
        t_one("[512, 512]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
              "\"N\"], \"grid\": [16, 1], \"shard_shape_elems\": [32, 512]}}",
              NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL007");
    assert_string_equal(d->message, "projected grid 1x16 (x by y, row_major) does not fit the 8x8 "
                                    "core grid of wormhole_n150");
    /* as many cores as the device gives in the same direction */
    assert_string_equal(d->fix, "grid [8, 1], shard_shape_elems [64, 512]: 8 cores, "
                                "65,536 B per core");
    assert_false(ttlx_result_layout(t.r, 0)->placed);
    t_free(&t);
    /* col_major turns the same grid sideways: 16 columns still do not fit,
     * but [8, 2] does in col_major (x = 8, y = 2). */
    t = t_one(
        "[512, 512]", "bfloat16",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"],"
        " \"grid\": [8, 2], \"shard_shape_elems\": [64, 256], \"order\": \"col_major\"}}",
        NULL);
    assert_int_equal(t_count(t.r, "TTL007"), 0);
    assert_true(ttlx_result_layout(t.r, 0)->placed);
    t_free(&t);
    /* No grid of the device holds it in L1 (even 8x8 leaves 8192x128
     * bfloat16 = 2 MiB per core): the fix is DRAM, with the number. */
    t = t_one(
        "[65536, 1024]", "bfloat16",
        "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"],"
        " \"grid\": [64, 1], \"shard_shape_elems\": [1024, 1024]}}",
        NULL);
    assert_string_equal(t_diag(t.r, "TTL007")->fix,
                        "memory \"DRAM\": no grid of wormhole_n150 fits (the largest still needs "
                        "2,097,152 B per core)");
    t_free(&t);
}

static void ttl008_ttl009_coverage(void **state) {
    (void)state;
    t_run_t t =
        t_one("[256, 256]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": "
              "[2, 2], \"shard_shape_elems\": [96, 128]}}",
              NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL008");
    assert_string_equal(d->message, "axis M not covered: grid 2 x shard 96 = 192 < 256 elements");
    assert_string_equal(d->fix, "grid[0] (M) = 3");
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 7, 0, &p)); /* tile row 7 / 3 = shard row 2: none */
    assert_true(p.uncovered);
    t_free(&t);
    t = t_one("[256, 256]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [4, 2],"
              " \"shard_shape_elems\": [128, 128]}}",
              NULL);
    d = t_diag(t.r, "TTL009");
    assert_int_equal(d->severity, TTLX_SEV_WARNING);
    assert_string_equal(d->message, "empty shard: axis M has 2 shards past the tensor's end "
                                    "(2 x 128 already covers 256 elements)");
    assert_string_equal(d->fix, "grid[0] (M) = 2");
    assert_int_equal(t_count(t.r, "TTL008"), 0);
    t_free(&t);
}

static void ttl010_bad_values(void **state) {
    (void)state;
    t_run_t t = t_one("[64, 64]", "bfloat16",
                      "{\"memory\": \"SRAM\", \"layout\": \"shardd\", \"tile_shape\": [8, 8], "
                      "\"dtype\": \"bflaot16\", \"cb_depth\": 17}",
                      NULL);
    assert_int_equal(t_count(t.r, "TTL010"), 5);
    assert_string_equal(ttlx_result_diag(t.r, 0)->message,
                        "memory: expected \"DRAM\" or \"L1\", got \"SRAM\"");
    assert_string_equal(ttlx_result_diag(t.r, 1)->fix,
                        "memory \"DRAM\", layout \"interleaved\", tile_shape [32, 32], dtype "
                        "\"bfloat16\", cb_depth 2");
    assert_string_equal(
        ttlx_result_diag(t.r, 2)->message,
        "tile_shape: expected one of [32, 32], [16, 32], [32, 16], [16, 16], got [8, 8]");
    /* the texts' values together would leave a sharded buffer without
     * nd_shard: the fix is the hint without the refused values */
    assert_string_equal(ttlx_result_diag(t.r, 3)->fix, ttlx_result_diag(t.r, 1)->fix);
    assert_string_equal(ttlx_result_diag(t.r, 4)->message,
                        "cb_depth: expected an integer from 1 to 16, got 17");
    /* Defaults stand in for each rejected value. */
    const ttlx_layout_t *L = ttlx_result_layout(t.r, 0);
    assert_int_equal(L->memory, TTLX_MEM_DRAM);
    assert_int_equal(L->tile_h, 32);
    assert_int_equal(L->cb_depth, 2);
    t_free(&t);
    t = t_one(
        "[64, 64]", "bfloat16",
        "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [1, -2],"
        " \"shard_shape_elems\": [64, 64], \"order\": \"zigzag\"}}",
        NULL);
    assert_int_equal(t_count(t.r, "TTL010"), 2);
    assert_contains(t_diag(t.r, "TTL010")->message, "nd_shard.order: expected row_major");
    assert_string_equal(ttlx_result_diag(t.r, 1)->message,
                        "nd_shard.grid[1]: expected a positive integer, got -2");
    /* The fix keeps the good entries and starts the rest at 1. */
    /* with the other TTL010 fix on the same hint (fix_hints holds both) */
    assert_string_equal(ttlx_result_diag(t.r, 1)->fix, "grid [1, 1]; order: \"row_major\"");
    t_free(&t);
    /* Every malformed nd_shard part has a value to start from. */
    t = t_one("[2, 64, 128]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": \"BMN\", "
              "\"grid\": [2, 2, \"x\"], \"shard_shape_elems\": 5}}",
              NULL);
    assert_int_equal(t_count(t.r, "TTL010"), 3);
    /* each fix names the others of its code on the hint: fix_hints holds all */
    assert_string_equal(ttlx_result_diag(t.r, 0)->fix,
                        "axes [\"B\", \"M\", \"N\"]; grid [2, 2, 1]; shard_shape_elems [2, 64, "
                        "128] (one entry per dim, at most the shape)");
    assert_string_equal(ttlx_result_diag(t.r, 1)->fix,
                        "grid [2, 2, 1]; axes [\"B\", \"M\", \"N\"]; shard_shape_elems [2, 64, "
                        "128] (one entry per dim, at most the shape)");
    assert_string_equal(ttlx_result_diag(t.r, 2)->fix,
                        "shard_shape_elems [2, 64, 128] (one entry per dim, at most the shape); "
                        "axes [\"B\", \"M\", \"N\"]; grid [2, 2, 1]");
    t_free(&t);
    t = t_one("[256, 512]", "bfloat16", "{\"layout\": \"sharded\", \"nd_shard\": [4, 4]}", NULL);
    assert_string_equal(
        t_diag(t.r, "TTL010")->fix,
        "nd_shard {\"axes\": [\"M\", \"N\"], \"grid\": [1, 1], \"shard_shape_elems\": "
        "[256, 512]} (one shard; then split the dims to shard)");
    t_free(&t);
    t = t_one("[1024]", "bfloat16", "{\"layout\": \"sharded\", \"nd_shard\": 3}", NULL);
    assert_string_equal(t_diag(t.r, "TTL010")->fix,
                        "layout \"interleaved\" (N-D sharding needs an M and an N dim)");
    t_free(&t);
    t = t_one("[64, 64]", "bfloat16", "\"L1\"", NULL);
    assert_string_equal(t_diag(t.r, "TTL010")->message,
                        "hint for A: expected an object of layout keys, got a string");
    t_free(&t);
    /* block_linear(k) is accepted and printed back. */
    t = t_one("[64, 64]", "bfloat16",
              "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [1, 1],"
              " \"shard_shape_elems\": [64, 64], \"order\": \"block_linear(4)\"}}",
              NULL);
    assert_int_equal(ttlx_result_diag_count(t.r), 0);
    char *text = ttlx_output_json_text(t.r);
    assert_contains(text, "\"order\": \"block_linear(4)\"");
    ttlx_free(text);
    t_free(&t);
}

static void ttl011_unknown(void **state) {
    (void)state;
    t_run_t t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"dst\", \"shape\": [64, 64], "
                        "\"dtype\": \"bfloat16\"}], \"attrs\": {\"tt.user_layout\": {\"dst\": "
                        "{\"memroy\": \"L1\"}, \"dts\": {}, \"zzz\": {}}}}",
                        NULL);
    assert_int_equal(t_count(t.r, "TTL011"), 3);
    assert_string_equal(ttlx_result_diag(t.r, 0)->message,
                        "unknown hint key \"memroy\" (did you mean \"memory\"?)");
    assert_string_equal(ttlx_result_diag(t.r, 0)->fix, "rename \"memroy\" to \"memory\"");
    assert_string_equal(ttlx_result_diag(t.r, 1)->message,
                        "hint for unknown buffer \"dts\" (did you mean \"dst\"?)");
    assert_string_equal(ttlx_result_diag(t.r, 1)->buffer_name, "dts");
    assert_int_equal(ttlx_result_diag(t.r, 1)->buffer, -1);
    assert_string_equal(ttlx_result_diag(t.r, 2)->fix, "remove the hint");
    t_free(&t);
}

static void ttl012_tile_shape(void **state) {
    (void)state;
    t_run_t t = t_one("[64, 64]", "bfloat16", "{\"tile_shape\": [16, 32]}", NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL012");
    assert_int_equal(d->severity, TTLX_SEV_WARNING);
    assert_contains(d->message, "tile 16x32 is not the 32x32 default");
    assert_int_equal(ttlx_result_layout(t.r, 0)->pages, 8); /* 4 x 2 */
    t_free(&t);
    t = t_one("[64, 64]", "bfloat16", "{\"tile_shape\": [32, 32]}", NULL);
    assert_int_equal(ttlx_result_diag_count(t.r), 0);
    t_free(&t);
}

static void ttl015_circular_buffers(void **state) {
    (void)state;
    char json[8192];
    for (int n = 32; n <= 33; n++) {
        int k = snprintf(json, sizeof json, "{\"name\": \"f\", \"buffers\": [");
        for (int i = 0; i < n; i++)
            k += snprintf(json + k, sizeof json - (size_t)k,
                          "%s{\"name\": \"b%d\", \"shape\": [32, 32], \"dtype\": \"int8\"}",
                          i ? "," : "", i);
        snprintf(json + k, sizeof json - (size_t)k, "]}");
        t_run_t t = t_infer(json, NULL);
        assert_int_equal(t_count(t.r, "TTL015"), n == 33);
        if (n == 33)
            assert_string_equal(t_diag(t.r, "TTL015")->message,
                                "too many circular buffers: 33 buffers need 33 circular buffers "
                                "per core; wormhole_n150 allows 32");
        t_free(&t);
        /* Blackhole allows 64. */
        t = t_infer(json, "blackhole_p150");
        assert_int_equal(t_count(t.r, "TTL015"), 0);
        t_free(&t);
    }
}

static void ttl014_dram_bank(void **state) {
    (void)state;
    /* 2^31 x 2^20 int8 = 2^41 tiles (2 PiB) does not fit 12 x 1 GiB. */
    t_run_t t = t_one("[2147483648, 1048576]", "int8", NULL, NULL);
    const ttlx_diag_t *d = t_diag(t.r, "TTL014");
    assert_contains(d->message, "DRAM bank overflow: A needs 183251937963 pages x 1024 B");
    /* (2^30 - 32) / 1024 = 1048575 whole pages per bank, x 12 banks. */
    assert_string_equal(d->fix, "split A: at most 12582900 pages fit this device's DRAM (it has "
                                "2199023255552)");
    t_free(&t);
}

static void one_bad_hint_hides_nothing(void **state) {
    (void)state;
    t_run_t t = t_infer("{\"name\": \"f\", \"buffers\": ["
                        "{\"name\": \"A\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
                        "{\"name\": \"B\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"}],"
                        "\"attrs\": {\"tt.user_layout\": {\"A\": {\"halo\": 1, \"layout\": "
                        "\"sharded\"}, \"B\": {\"memory\": \"L1\"}}}}",
                        NULL);
    assert_int_equal(t_count(t.r, "TTL001"), 1);
    assert_int_equal(t_count(t.r, "TTL002"), 1);
    const ttlx_layout_t *B = ttlx_result_layout(t.r, 1);
    assert_int_equal(B->memory, TTLX_MEM_L1);
    assert_true(B->placed);
    assert_int_equal(B->ndiags, 0);
    assert_int_equal(ttlx_result_layout(t.r, 0)->worst, TTLX_SEV_ERROR);
    t_free(&t);
}

static void partition_modes(void **state) {
    (void)state;
    /* Blackhole: 32 x 32 = 1024 tiles on 110 cores: 34 take 10, 76 take 9. */
    t_run_t t =
        t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"c\", \"shape\": [1024, 1024], "
                "\"dtype\": \"float32\", \"role\": \"output\"}]}",
                "blackhole_p150");
    const ttlx_partition_t *p = ttlx_result_partition(t.r);
    assert_int_equal(p->mt, 32);
    assert_int_equal(p->nt, 32);
    assert_int_equal(p->ncores, 110);
    assert_int_equal(p->cores[33].count, 10);
    assert_int_equal(p->cores[33].start, 330);
    assert_int_equal(p->cores[34].count, 9);
    assert_int_equal(p->cores[34].start, 340);
    assert_int_equal(p->cores[34].x, 1);
    assert_int_equal(p->cores[34].y, 3);
    assert_int_equal(p->cores[109].start, 1015);
    t_free(&t);
    /* tt.core_grid narrows the grid; kernel [x, y, z] gives Mt = y * z. */
    t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"c\", \"shape\": [64, 64], \"dtype\": "
                "\"int8\"}], \"kernel\": [5, 2, 3], \"attrs\": {\"tt.core_grid\": [4, 2]}}",
                NULL);
    p = ttlx_result_partition(t.r);
    assert_int_equal(p->mt, 6);
    assert_int_equal(p->nt, 5);
    assert_int_equal(p->ncores, 8); /* 30 tiles on 4 x 2 cores: 6 take 4, 2 take 3 */
    assert_int_equal(p->cores[5].count, 4);
    assert_int_equal(p->cores[6].count, 3);
    assert_int_equal(p->cores[5].x, 1);
    assert_int_equal(p->cores[5].y, 1);
    t_free(&t);
    /* The output is found by role, then by the name C, then last. */
    t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"C\", \"shape\": [64, 64], \"dtype\": "
                "\"int8\"}, {\"name\": \"D\", \"shape\": [128, 32], \"dtype\": \"int8\"}]}",
                NULL);
    assert_int_equal(ttlx_result_partition(t.r)->mt, 2);
    t_free(&t);
    /* A user override to global wins over an L1 shard. */
    t = t_infer(
        "{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": "
        "\"bfloat16\"}], \"attrs\": {\"tt.user_schedule\": {\"partition_mode\": \"global\"},"
        "\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\", "
        "\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4], \"shard_shape_elems\": "
        "[128, 64]}}}}}",
        NULL);
    assert_false(ttlx_result_partition(t.r)->local_shard);
    assert_int_equal(ttlx_result_partition(t.r)->ncores, 64);
    t_free(&t);
    /* Too large a tt.core_grid is TTL007 and the device grid is used. */
    t = t_infer(
        "{\"name\": \"f\", \"buffers\": [{\"name\": \"c\", \"shape\": [1024, 1024], \"dtype\": "
        "\"int8\"}], \"attrs\": {\"tt.core_grid\": [9, 9]}}",
        NULL);
    assert_string_equal(t_diag(t.r, "TTL007")->message,
                        "tt.core_grid 9x9 is larger than the 8x8 grid of wormhole_n150");
    assert_int_equal(ttlx_result_partition(t.r)->ncores, 64);
    t_free(&t);
    /* Not a pair: the fix is the device's whole grid. */
    t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"c\", \"shape\": [64, 64], \"dtype\": "
                "\"int8\"}], \"attrs\": {\"tt.core_grid\": \"all\"}}",
                "blackhole_p150");
    assert_string_equal(t_diag(t.r, "TTL010")->fix,
                        "tt.core_grid [11, 10] (the whole grid of blackhole_p150)");
    t_free(&t);
}

static void output_is_byte_identical(void **state) {
    (void)state;
    t_run_t a = t_infer(SPEC_EXAMPLE, NULL), b = t_infer(SPEC_EXAMPLE, NULL);
    char *ta = ttlx_output_json_text(a.r), *tb = ttlx_output_json_text(b.r);
    assert_string_equal(ta, tb);
    cJSON *doc = cJSON_Parse(ta);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "func")->valuestring, "matmul");
    cJSON *an = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "analysis"), "buffers"), "A");
    char *j = cJSON_PrintUnformatted(an);
    assert_string_equal(j,
                        "{\"tile_bytes\":2048,\"page_bytes\":2048,\"pages\":64,\"tile_grid\":[8,8],"
                        "\"shards\":8,\"shard_tiles\":8,\"cores_used\":8,\"max_shards_per_core\":1,"
                        "\"bytes_per_core\":16384}");
    cJSON_free(j);
    cJSON_Delete(doc);
    ttlx_free(ta);
    ttlx_free(tb);
    t_free(&a);
    t_free(&b);
}

/* Names with quotes, backslashes and control bytes survive the writer, and
 * the streamed output equals the in-memory text. */
static void output_escapes_and_streams(void **state) {
    (void)state;
    t_run_t t = t_infer("{\"name\": \"f\\\"q\", \"buffers\": [{\"name\": \"a\\\"b\\\\c\\td\\u0001e"
                        "-long-enough-for-words\", \"shape\": [64, 64], \"dtype\": \"int8\"}]}",
                        NULL);
    char *text = ttlx_output_json_text(t.r);
    assert_contains(text, "\"func\": \"f\\\"q\"");
    assert_contains(text, "\"tt.buffer.a\\\"b\\\\c\\td\\u0001e-long-enough-for-words\": {");
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "attrs"),
                                        "tt.buffer.a\"b\\c\td\001e-long-enough-for-words"));
    cJSON_Delete(doc);
    FILE *f = tmpfile();
    assert_true(ttlx_output_json_write(t.r, f));
    long n = ftell(f);
    assert_int_equal(n, (long)strlen(text));
    rewind(f);
    char *back = malloc((size_t)n + 1);
    assert_int_equal(fread(back, 1, (size_t)n, f), (size_t)n);
    back[n] = '\0';
    assert_string_equal(back, text);
    free(back);
    fclose(f);
    ttlx_free(text);
    t_free(&t);
}

/* Counts the tiles of each holder by placing every tile of buffer 0 and
 * compares with ttlx_place_count_on and ttlx_place_shards_on. */
static void check_counts(const ttlx_result_t *r, bool dram) {
    const ttlx_layout_t *L = ttlx_result_layout(r, 0);
    const ttlx_device_t *dev = ttlx_result_device(r);
    int holders = dram ? dev->dram_banks : dev->grid_x * dev->grid_y;
    int64_t *count = calloc((size_t)holders, sizeof *count);
    assert_non_null(count);
    ttlx_place_t p;
    for (int64_t row = 0; row < L->view_rows; row++)
        for (int64_t col = 0; col < L->view_cols; col++) {
            assert_true(ttlx_place_tile(r, 0, row, col, &p));
            if (!p.uncovered) count[dram ? p.bank : p.y * dev->grid_x + p.x]++;
        }
    int64_t all = 0, shards = 0;
    for (int h = 0; h < holders; h++) {
        int x = dram ? h : h % dev->grid_x, y = dram ? -1 : h / dev->grid_x;
        assert_int_equal(ttlx_place_count_on(r, 0, x, y), count[h]);
        int64_t first[2];
        int64_t n = ttlx_place_shards_on(r, 0, x, y, first, 2);
        if (h < L->shards) assert_int_equal(first[0], h);
        shards += n;
        all += count[h];
    }
    assert_int_equal(shards, L->shards);
    assert_int_equal(all, L->view_rows * L->view_cols);
    free(count);
}

/* Many shards per holder (DRAM banks, round_robin_1d cores): the count is
 * worked out by residues, not shard by shard; it must match every tile. */
static void count_on_many_shards(void **state) {
    (void)state;
    /* 12 banks, 51,200 shards of 2x3 tiles, partial on the last row and column. */
    t_run_t t =
        t_one("[4064, 76750]", "bfloat16",
              "{\"memory\": \"DRAM\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
              "\"N\"], \"grid\": [64, 800], \"shard_shape_elems\": [64, 96]}}",
              NULL);
    assert_int_equal(ttlx_result_layout(t.r, 0)->shards, 51200);
    check_counts(t.r, true);
    t_free(&t);
    /* 7 banks (Blackhole p100), rank 3, a whole row of empty shards past
     * the end of the first dim. */
    t = t_one("[5, 4090, 4096]", "bfloat16",
              "{\"memory\": \"DRAM\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"B\", "
              "\"M\", \"N\"], \"grid\": [6, 128, 128], \"shard_shape_elems\": [1, 32, 32]}}",
              "blackhole_p100");
    assert_int_equal(ttlx_result_layout(t.r, 0)->shards, 98304);
    check_counts(t.r, true);
    t_free(&t);
    /* round_robin_1d over the 64 cores: 307,200 one-tile shards. */
    t = t_one("[16384, 19200]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
              "\"N\"], \"grid\": [512, 600], \"shard_shape_elems\": [32, 32], \"distribution\": "
              "\"round_robin_1d\"}}",
              NULL);
    assert_int_equal(ttlx_result_layout(t.r, 0)->shards, 307200);
    check_counts(t.r, false);
    t_free(&t);
}

/* Every error and warning on every sample and hostile hint carries a fix
 * (README, Diagnostics); info lines may not. */
static void every_problem_has_a_fix(void **state) {
    (void)state;
    static const char *const dirs[] = {"samples", "tests/bad/hints"};
    int files = 0, checked = 0;
    for (size_t k = 0; k < 2; k++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", TTLX_SOURCE_DIR, dirs[k]);
        DIR *d = opendir(dir);
        assert_non_null(d);
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            size_t n = strlen(e->d_name);
            if (n < 6 || strcmp(e->d_name + n - 5, ".json")) continue;
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            ttlx_error_t err = {0};
            ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
            if (!m) continue; /* a load error, not a diagnostic */
            files++;
            for (size_t f = 0; f < ttlx_module_func_count(m); f++) {
                ttlx_result_t *r = ttlx_infer(ttlx_module_func(m, f), NULL, &err);
                assert_non_null(r);
                for (size_t i = 0; i < ttlx_result_diag_count(r); i++) {
                    const ttlx_diag_t *g = ttlx_result_diag(r, i);
                    if (g->severity == TTLX_SEV_INFO) continue;
                    checked++;
                    if (!g->fix || !g->fix[0])
                        fail_msg("%s: %s %s has no fix", e->d_name, g->code, g->message);
                }
                ttlx_result_free(r);
            }
            ttlx_module_free(m);
        }
        closedir(d);
    }
    print_message("%d files, %d errors and warnings, each with a fix\n", files, checked);
    assert_true(files >= 39); /* 12 samples, 27 hostile hints: more may come */
    assert_true(checked >= 49);
}

/* ttlx_grow, the array growth of the diagnostics: doubles from 16, keeps
 * the array and its capacity when the size would overflow. */
static void grow_helper(void **state) {
    (void)state;
    size_t cap = 0;
    int *a = ttlx_grow(NULL, &cap, 1, sizeof *a);
    assert_non_null(a);
    assert_int_equal(cap, 16);
    a[15] = 7;
    assert_ptr_equal(ttlx_grow(a, &cap, 16, sizeof *a), a); /* room enough */
    a = ttlx_grow(a, &cap, 17, sizeof *a);
    assert_non_null(a);
    assert_int_equal(cap, 32);
    assert_int_equal(a[15], 7);
    a = ttlx_grow(a, &cap, 100, sizeof *a);
    assert_int_equal(cap, 128);
    assert_null(ttlx_grow(a, &cap, SIZE_MAX / 2, sizeof *a));
    assert_null(ttlx_grow(a, &cap, SIZE_MAX, 1));
    assert_int_equal(cap, 128);
    assert_int_equal(a[15], 7);
    ttlx_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grow_helper),
        cmocka_unit_test(seed_default_dram),
        cmocka_unit_test(seed_sharded_projection),
        cmocka_unit_test(seed_misaligned_l1_shard),
        cmocka_unit_test(seed_halo),
        cmocka_unit_test(interleaved_placement),
        cmocka_unit_test(grid_2d_placement_both_orders),
        cmocka_unit_test(nd_projection_and_stacking),
        cmocka_unit_test(round_robin_placement),
        cmocka_unit_test(dram_sharded_over_banks),
        cmocka_unit_test(padding_and_rank_one),
        cmocka_unit_test(ttl002_incomplete),
        cmocka_unit_test(ttl003_axes),
        cmocka_unit_test(ttl005_capacity_and_fix),
        cmocka_unit_test(ttl006_core_total),
        cmocka_unit_test(ttl007_grid_too_large),
        cmocka_unit_test(ttl008_ttl009_coverage),
        cmocka_unit_test(ttl010_bad_values),
        cmocka_unit_test(ttl011_unknown),
        cmocka_unit_test(ttl012_tile_shape),
        cmocka_unit_test(ttl014_dram_bank),
        cmocka_unit_test(ttl015_circular_buffers),
        cmocka_unit_test(every_problem_has_a_fix),
        cmocka_unit_test(count_on_many_shards),
        cmocka_unit_test(one_bad_hint_hides_nothing),
        cmocka_unit_test(partition_modes),
        cmocka_unit_test(output_is_byte_identical),
        cmocka_unit_test(output_escapes_and_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
