/*
 * test_ttnn.c - the TTNN terms of a layout (SPEC 10): hand-checked
 * height, width and block ShardSpecs, interleaved DRAM and L1, round_robin_1d
 * and N-D NdShardSpecs, layouts with no TTNN equivalent, the Python module,
 * and the placements of tt-metal's public BufferDistributionSpec tests
 * (tests/tt_metal/tt_metal/api/distribution_spec/test_buffer_distribution_spec.cpp)
 * replayed through ttlx's own placement queries.
 */
#include "test_support.h"

#include "ttlx_output.h"
#include "ttlx_ttnn.h"

#include <stdlib.h>

/* The k-th core of c's one CoreRange walked in c's orientation. */
static void walk_core(const ttlx_ttnn_config_t *c, int64_t k, int *x, int *y) {
    const ttlx_ttnn_range_t *g = &c->ranges[0];
    int w = g->x1 - g->x0 + 1, h = g->y1 - g->y0 + 1;
    assert_true(k < (int64_t)w * h);
    if (c->orientation == TTLX_TTNN_ROW_MAJOR) {
        *x = g->x0 + (int)(k % w);
        *y = g->y0 + (int)(k / w);
    } else {
        *x = g->x0 + (int)(k / h);
        *y = g->y0 + (int)(k % h);
    }
}

/* A model of where TTNN puts each tile under config c, written from
 * TTNN's documented rules and not from ttlx's placement: a ShardSpec cuts
 * the tensor flattened to [volume / W, W] into [shard_h, shard_w] blocks
 * (HEIGHT: block row i on the i-th core; WIDTH: block column j on the j-th;
 * BLOCK: block (i, j) on core (j, i), or (i, j) for COL_MAJOR); an
 * NdShardSpec numbers its shards row-major (ROUND_ROBIN_1D: shard s on the
 * (s mod cores)-th core, slot s / cores; GRID_2D: the shard grid folded to
 * [rows, last dim], one shard per core). Each shard stores its tiles
 * row-major. Every tile of buffer i must land where ttlx places it. */
static void check_ttnn_model(const ttlx_result_t *r, size_t i, const ttlx_ttnn_config_t *c) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    assert_int_equal(c->nranges, 1);
    int rank = L->buf->rank;
    int64_t units[TTLX_MAX_RANK], shard[TTLX_MAX_RANK], grid[TTLX_MAX_RANK];
    for (int d = 0; d < rank; d++) {
        int64_t t = d == rank - 2 ? L->tile_h : d == rank - 1 ? L->tile_w : 1;
        units[d] = (L->buf->shape[d] + t - 1) / t;
        shard[d] = c->has_nd_shard_spec ? c->nd_shard_shape[d] / t : 0;
        grid[d] = shard[d] ? (units[d] + shard[d] - 1) / shard[d] : 0;
    }
    int64_t ncores =
        (int64_t)(c->ranges[0].x1 - c->ranges[0].x0 + 1) * (c->ranges[0].y1 - c->ranges[0].y0 + 1);
    for (int64_t row = 0; row < L->view_rows; row++)
        for (int64_t col = 0; col < L->view_cols; col++) {
            int x, y;
            int64_t slot = 0, off = 0;
            if (c->has_shard_spec) {
                int64_t h = c->shard_shape[0] / L->tile_h, w = c->shard_shape[1] / L->tile_w;
                int64_t bi = row / h, bj = col / w;
                if (c->memory_layout == TTLX_TTNN_HEIGHT_SHARDED) {
                    walk_core(c, bi, &x, &y);
                } else if (c->memory_layout == TTLX_TTNN_WIDTH_SHARDED) {
                    walk_core(c, bj, &x, &y);
                } else {
                    bool colm = c->orientation == TTLX_TTNN_COL_MAJOR;
                    x = c->ranges[0].x0 + (int)(colm ? bi : bj);
                    y = c->ranges[0].y0 + (int)(colm ? bj : bi);
                }
                off = (row % h) * w + col % w;
            } else {
                int64_t coord[TTLX_MAX_RANK], rest = row / units[rank - 2];
                coord[rank - 2] = row % units[rank - 2];
                coord[rank - 1] = col;
                for (int d = rank - 3; d >= 0; d--) {
                    coord[d] = rest % units[d];
                    rest /= units[d];
                }
                int64_t s = 0, rows = 1;
                for (int d = 0; d < rank; d++) {
                    s = s * grid[d] + coord[d] / shard[d];
                    off = off * shard[d] + coord[d] % shard[d];
                    if (d < rank - 1) rows *= grid[d];
                }
                if (c->strategy == TTLX_TTNN_ROUND_ROBIN_1D) {
                    walk_core(c, s % ncores, &x, &y);
                    slot = s / ncores;
                } else {
                    assert_true(rows * grid[rank - 1] <= ncores);
                    x = c->ranges[0].x0 + (int)(s % grid[rank - 1]);
                    y = c->ranges[0].y0 + (int)(s / grid[rank - 1]);
                }
            }
            ttlx_place_t p;
            assert_true(ttlx_place_tile(r, i, row, col, &p));
            if (L->memory == TTLX_MEM_DRAM) {
                assert_true(p.dram);
                assert_int_equal(p.bank, x);
                assert_int_equal(y, 0);
            } else {
                assert_int_equal(p.x, x);
                assert_int_equal(p.y, y);
            }
            assert_int_equal(p.slot, slot);
            assert_int_equal(p.offset, off);
        }
}

/* The config of buffer 0 of t; when TTNN has an equivalent sharded config,
 * it also checks that the TTNN model places every tile as ttlx does. */
static ttlx_ttnn_config_t config0(const t_run_t *t) {
    ttlx_ttnn_config_t c;
    assert_true(ttlx_ttnn_config(t->r, 0, &c));
    if (c.equivalent && (c.has_shard_spec || c.has_nd_shard_spec)) check_ttnn_model(t->r, 0, &c);
    return c;
}

static void assert_describe(const ttlx_ttnn_config_t *c, bool prefix, const char *want) {
    char buf[1024];
    size_t n = ttlx_ttnn_describe(c, prefix, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void assert_brief(const ttlx_ttnn_config_t *c, const char *want) {
    char buf[512];
    size_t n = ttlx_ttnn_brief(c, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

/* The summary of t (`ttlx infer FILE`) has the line want. */
static void assert_summary_line(const t_run_t *t, const char *want) {
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_true(ttlx_output_summary(t->r, f));
    long len = ftell(f);
    rewind(f);
    char *text = calloc(1, (size_t)len + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    char line[600];
    snprintf(line, sizeof line, "\n%s\n", want);
    if (!strstr(text, line)) fail_msg("no line \"%s\" in:\n%s", want, text);
    free(text);
}

static void assert_range(const ttlx_ttnn_config_t *c, int x0, int y0, int x1, int y1) {
    assert_int_equal(c->nranges, 1);
    assert_int_equal(c->ranges[0].x0, x0);
    assert_int_equal(c->ranges[0].y0, y0);
    assert_int_equal(c->ranges[0].x1, x1);
    assert_int_equal(c->ranges[0].y1, y1);
}

/* [256, 64] bf16 in 8 shards of [32, 64] along M: shard m on core (0, m)
 * (x = n, y = m), so a column of 8 cores walked ROW_MAJOR. */
static void height_sharded(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 64]", "bfloat16",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"M\",\"N\"], \"grid\": [8,1], \"shard_shape_elems\": [32,64]}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_HEIGHT_SHARDED);
    assert_string_equal(c.memory_layout_name, "HEIGHT_SHARDED");
    assert_string_equal(c.buffer_type_name, "L1");
    assert_true(c.has_shard_spec);
    assert_false(c.has_nd_shard_spec);
    assert_range(&c, 0, 0, 0, 7);
    assert_int_equal(c.shard_shape[0], 32);
    assert_int_equal(c.shard_shape[1], 64);
    assert_int_equal(c.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_string_equal(c.orientation_name, "ROW_MAJOR");
    assert_true(c.equivalent);
    assert_string_equal(c.note, "");
    assert_describe(&c, false,
                    "MemoryConfig(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, "
                    "ShardSpec(CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(0, 7))}), "
                    "[32, 64], ShardOrientation.ROW_MAJOR))");
    assert_describe(&c, true,
                    "ttnn.MemoryConfig(ttnn.TensorMemoryLayout.HEIGHT_SHARDED, ttnn.BufferType.L1, "
                    "ttnn.ShardSpec(ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), "
                    "ttnn.CoreCoord(0, 7))}), [32, 64], ttnn.ShardOrientation.ROW_MAJOR))");
    assert_brief(&c, "L1 HEIGHT_SHARDED ShardSpec({[(0,0)-(0,7)]}, [32, 64], ROW_MAJOR)");
    assert_summary_line(
        &t, "  ttnn       L1 HEIGHT_SHARDED ShardSpec({[(0,0)-(0,7)]}, [32, 64], ROW_MAJOR)");
    /* Tile row 5 (shard 5) is on core (0, 5), the 6th core of the walk. */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 5, 1, &p));
    assert_int_equal(p.x, 0);
    assert_int_equal(p.y, 5);
    t_free(&t);

    /* col_major: shard m on core (m, 0): the transposed rectangle, COL_MAJOR. */
    t = t_one("[256, 64]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"M\",\"N\"], \"grid\": [8,1], \"shard_shape_elems\": [32,64], \"order\": "
              "\"col_major\"}}",
              "wormhole_n150");
    c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_HEIGHT_SHARDED);
    assert_range(&c, 0, 0, 7, 0);
    assert_int_equal(c.orientation, TTLX_TTNN_COL_MAJOR);
    assert_describe(&c, false,
                    "MemoryConfig(TensorMemoryLayout.HEIGHT_SHARDED, BufferType.L1, "
                    "ShardSpec(CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(7, 0))}), "
                    "[32, 64], ShardOrientation.COL_MAJOR))");
    assert_brief(&c, "L1 HEIGHT_SHARDED ShardSpec({[(0,0)-(7,0)]}, [32, 64], COL_MAJOR)");
    assert_true(ttlx_place_tile(t.r, 0, 5, 1, &p));
    assert_int_equal(p.x, 5);
    assert_int_equal(p.y, 0);
    t_free(&t);
}

/* [4, 64, 256] bf16 cut only along N into 8 shards of [4, 64, 32]: every
 * shard holds all 256 flattened rows, so WIDTH_SHARDED [256, 32] on the
 * cores (0..7, 0). */
static void width_sharded(void **state) {
    (void)state;
    t_run_t t = t_one("[4, 64, 256]", "bfloat16",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"B\",\"M\",\"N\"], \"grid\": [1,1,8], \"shard_shape_elems\": [4,64,32]}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_WIDTH_SHARDED);
    assert_string_equal(c.memory_layout_name, "WIDTH_SHARDED");
    assert_true(c.has_shard_spec);
    assert_false(c.has_nd_shard_spec);
    assert_range(&c, 0, 0, 7, 0);
    assert_int_equal(c.shard_shape[0], 256); /* 4 x 64 */
    assert_int_equal(c.shard_shape[1], 32);
    assert_int_equal(c.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_true(c.equivalent);
    assert_describe(&c, false,
                    "MemoryConfig(TensorMemoryLayout.WIDTH_SHARDED, BufferType.L1, "
                    "ShardSpec(CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(7, 0))}), "
                    "[256, 32], ShardOrientation.ROW_MAJOR))");
    assert_brief(&c, "L1 WIDTH_SHARDED ShardSpec({[(0,0)-(7,0)]}, [256, 32], ROW_MAJOR)");
    assert_summary_line(
        &t, "  ttnn       L1 WIDTH_SHARDED ShardSpec({[(0,0)-(7,0)]}, [256, 32], ROW_MAJOR)");
    /* Batch 1, tile row 1 = flattened tile row 3, column 5: core (5, 0), and
     * tile 3 of TTNN's [256, 32] shard (8 tile rows by 1). */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 3, 5, &p));
    assert_int_equal(p.x, 5);
    assert_int_equal(p.y, 0);
    assert_int_equal(p.offset, 3);
    assert_int_equal(p.slot, 0);
    t_free(&t);
}

/* [256, 512] bf16 in a 4 x 8 grid of [64, 64] shards: BLOCK_SHARDED over 8
 * columns by 4 rows; col_major puts shard (m, n) on core (m, n) instead:
 * 4 columns by 8 rows, COL_MAJOR. */
static void block_sharded(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 512]", "bfloat16",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"M\",\"N\"], \"grid\": [4,8], \"shard_shape_elems\": [64,64]}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_BLOCK_SHARDED);
    assert_string_equal(c.memory_layout_name, "BLOCK_SHARDED");
    assert_true(c.has_shard_spec);
    assert_range(&c, 0, 0, 7, 3);
    assert_int_equal(c.shard_shape[0], 64);
    assert_int_equal(c.shard_shape[1], 64);
    assert_int_equal(c.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_true(c.equivalent);
    assert_describe(&c, false,
                    "MemoryConfig(TensorMemoryLayout.BLOCK_SHARDED, BufferType.L1, "
                    "ShardSpec(CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(7, 3))}), "
                    "[64, 64], ShardOrientation.ROW_MAJOR))");
    assert_brief(&c, "L1 BLOCK_SHARDED ShardSpec({[(0,0)-(7,3)]}, [64, 64], ROW_MAJOR)");
    assert_summary_line(
        &t, "  ttnn       L1 BLOCK_SHARDED ShardSpec({[(0,0)-(7,3)]}, [64, 64], ROW_MAJOR)");
    /* Tile (5, 9) is in shard row 2, column 4: core (4, 2). */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 5, 9, &p));
    assert_int_equal(p.x, 4);
    assert_int_equal(p.y, 2);
    t_free(&t);

    t = t_one("[256, 512]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"M\",\"N\"], \"grid\": [4,8], \"shard_shape_elems\": [64,64], \"order\": "
              "\"col_major\"}}",
              "wormhole_n150");
    c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_BLOCK_SHARDED);
    assert_range(&c, 0, 0, 3, 7);
    assert_int_equal(c.orientation, TTLX_TTNN_COL_MAJOR);
    assert_true(c.equivalent);
    assert_describe(&c, true,
                    "ttnn.MemoryConfig(ttnn.TensorMemoryLayout.BLOCK_SHARDED, ttnn.BufferType.L1, "
                    "ttnn.ShardSpec(ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), "
                    "ttnn.CoreCoord(3, 7))}), [64, 64], ttnn.ShardOrientation.COL_MAJOR))");
    assert_brief(&c, "L1 BLOCK_SHARDED ShardSpec({[(0,0)-(3,7)]}, [64, 64], COL_MAJOR)");
    assert_true(ttlx_place_tile(t.r, 0, 5, 9, &p));
    assert_int_equal(p.x, 2);
    assert_int_equal(p.y, 4);
    t_free(&t);
}

static void interleaved(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 256]", "bfloat16", NULL, "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_INTERLEAVED);
    assert_string_equal(c.memory_layout_name, "INTERLEAVED");
    assert_string_equal(c.buffer_type_name, "DRAM");
    assert_false(c.has_shard_spec);
    assert_false(c.has_nd_shard_spec);
    assert_int_equal(c.nranges, 0);
    assert_true(c.equivalent);
    assert_string_equal(c.note, "");
    assert_describe(&c, false, "MemoryConfig(TensorMemoryLayout.INTERLEAVED, BufferType.DRAM)");
    assert_brief(&c, "DRAM INTERLEAVED");
    assert_summary_line(&t, "  ttnn       DRAM INTERLEAVED");
    assert_describe(&c, true,
                    "ttnn.MemoryConfig(ttnn.TensorMemoryLayout.INTERLEAVED, ttnn.BufferType.DRAM)");
    t_free(&t);

    t = t_one("[256, 256]", "bfloat16", "{\"memory\": \"L1\"}", "wormhole_n150");
    c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_INTERLEAVED);
    assert_string_equal(c.buffer_type_name, "L1");
    assert_true(c.equivalent);
    assert_contains(c.note, "permutes");
    assert_describe(&c, false, "MemoryConfig(TensorMemoryLayout.INTERLEAVED, BufferType.L1)");
    assert_brief(&c, "L1 INTERLEAVED");
    /* the remark goes on its own line under it */
    assert_summary_line(&t, "  ttnn       L1 INTERLEAVED\n             (ttlx numbers L1 banks in "
                            "raster order; tt-metal permutes its L1 bank ids)");
    t_free(&t);
}

/* [4, 64, 64] in 16 shards of [1, 32, 32] dealt round robin over the 64
 * cores of the 8 x 8 grid. */
static void round_robin(void **state) {
    (void)state;
    t_run_t t = t_one("[4, 64, 64]", "bfloat16",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"B\",\"M\",\"N\"], \"grid\": [4,2,2], \"shard_shape_elems\": [1,32,32], "
                      "\"distribution\": \"round_robin_1d\"}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_ND_SHARDED);
    assert_string_equal(c.memory_layout_name, "ND_SHARDED");
    assert_false(c.has_shard_spec);
    assert_true(c.has_nd_shard_spec);
    assert_int_equal(c.nd_rank, 3);
    assert_int_equal(c.nd_shard_shape[0], 1);
    assert_int_equal(c.nd_shard_shape[1], 32);
    assert_int_equal(c.nd_shard_shape[2], 32);
    assert_range(&c, 0, 0, 7, 7);
    assert_int_equal(c.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_int_equal(c.strategy, TTLX_TTNN_ROUND_ROBIN_1D);
    assert_string_equal(c.strategy_name, "ROUND_ROBIN_1D");
    assert_true(c.equivalent);
    assert_describe(&c, false,
                    "MemoryConfig(BufferType.L1, NdShardSpec(Shape([1, 32, 32]), "
                    "CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(7, 7))}), "
                    "ShardOrientation.ROW_MAJOR, ShardDistributionStrategy.ROUND_ROBIN_1D))");
    assert_describe(&c, true,
                    "ttnn.MemoryConfig(ttnn.BufferType.L1, ttnn.NdShardSpec(ttnn.Shape([1, 32, "
                    "32]), ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), "
                    "ttnn.CoreCoord(7, 7))}), ttnn.ShardOrientation.ROW_MAJOR, "
                    "ttnn.ShardDistributionStrategy.ROUND_ROBIN_1D))");
    assert_brief(&c, "L1 NdShardSpec([1, 32, 32], {[(0,0)-(7,7)]}, ROW_MAJOR, ROUND_ROBIN_1D)");
    t_free(&t);

    /* col_major walks the grid y fastest: COL_MAJOR. */
    t = t_one("[4, 64, 64]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"B\",\"M\",\"N\"], \"grid\": [4,2,2], \"shard_shape_elems\": [1,32,32], "
              "\"distribution\": \"round_robin_1d\", \"order\": \"col_major\"}}",
              "wormhole_n150");
    c = config0(&t);
    assert_int_equal(c.orientation, TTLX_TTNN_COL_MAJOR);
    assert_true(c.equivalent);
    /* Batch 2, tile row 1, column 1 is shard 2*4 + 1*2 + 1 = 11: core 11
     * in y-fastest order over 8 rows is (1, 3). */
    ttlx_place_t p;
    assert_true(ttlx_place_tile(t.r, 0, 5, 1, &p));
    assert_int_equal(p.shard, 11);
    assert_int_equal(p.x, 1);
    assert_int_equal(p.y, 3);
    t_free(&t);
}

/* N-D grid_2d: [2, 64, 64] cut in 2 x 2 along M and N with the batch
 * whole in each shard is one shard per core, but a shard is not a band of
 * the flattened tensor (it holds rows of both batches): NdShardSpec,
 * GRID_2D. A 4-D cut along B and C too stacks 6 shards per core: round
 * robin over exactly the 2 x 2 cores stacks them the same way. */
static void nd_sharded(void **state) {
    (void)state;
    t_run_t t = t_one("[2, 64, 64]", "bfloat16",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"B\",\"M\",\"N\"], \"grid\": [1,2,2], \"shard_shape_elems\": [2,32,32]}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_ND_SHARDED);
    assert_true(c.has_nd_shard_spec);
    assert_false(c.has_shard_spec);
    assert_int_equal(c.nd_rank, 3);
    assert_int_equal(c.nd_shard_shape[0], 2);
    assert_int_equal(c.nd_shard_shape[1], 32);
    assert_int_equal(c.nd_shard_shape[2], 32);
    assert_range(&c, 0, 0, 1, 1);
    assert_int_equal(c.strategy, TTLX_TTNN_GRID_2D);
    assert_int_equal(c.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_true(c.equivalent);
    assert_describe(&c, false,
                    "MemoryConfig(BufferType.L1, NdShardSpec(Shape([2, 32, 32]), "
                    "CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(1, 1))}), "
                    "ShardOrientation.ROW_MAJOR, ShardDistributionStrategy.GRID_2D))");
    t_free(&t);

    /* col_major puts shard (m, n) on core (m, n): 2 columns by 3 rows walked
     * y fastest, one shard per core. */
    t = t_one("[2, 64, 96]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"B\",\"M\",\"N\"], \"grid\": [1,2,3], \"shard_shape_elems\": [2,32,32], "
              "\"order\": \"col_major\"}}",
              "wormhole_n150");
    c = config0(&t);
    assert_true(c.equivalent);
    assert_describe(&c, false,
                    "MemoryConfig(BufferType.L1, NdShardSpec(Shape([2, 32, 32]), "
                    "CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(1, 2))}), "
                    "ShardOrientation.COL_MAJOR, ShardDistributionStrategy.ROUND_ROBIN_1D))");
    t_free(&t);

    /* One shard wider than the tensor (96 of 64 columns): TTNN's height
     * sharding needs the full width, the N-D spec does not. */
    t = t_one("[64, 64]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [64,96]}}",
              "wormhole_n150");
    c = config0(&t);
    assert_true(c.equivalent);
    assert_describe(&c, false,
                    "MemoryConfig(BufferType.L1, NdShardSpec(Shape([64, 96]), "
                    "CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(0, 0))}), "
                    "ShardOrientation.ROW_MAJOR, ShardDistributionStrategy.GRID_2D))");
    t_free(&t);

    t = t_one("[2, 3, 64, 64]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"B\",\"C\",\"M\",\"N\"], \"grid\": [2,3,2,2], \"shard_shape_elems\": "
              "[1,1,32,32]}}",
              "wormhole_n150");
    c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_ND_SHARDED);
    assert_int_equal(c.nd_rank, 4);
    assert_int_equal(c.nd_shard_shape[0], 1);
    assert_int_equal(c.nd_shard_shape[1], 1);
    assert_int_equal(c.nd_shard_shape[2], 32);
    assert_int_equal(c.nd_shard_shape[3], 32);
    assert_range(&c, 0, 0, 1, 1);
    assert_int_equal(c.strategy, TTLX_TTNN_ROUND_ROBIN_1D);
    assert_true(c.equivalent);
    assert_contains(c.note, "stack");
    assert_describe(&c, false,
                    "MemoryConfig(BufferType.L1, NdShardSpec(Shape([1, 1, 32, 32]), "
                    "CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(1, 1))}), "
                    "ShardOrientation.ROW_MAJOR, ShardDistributionStrategy.ROUND_ROBIN_1D))");
    /* Every tile: TTNN's round robin puts shard s on core s % 4 (x fastest
     * over 2 columns), slot s / 4; ttlx's grid_2d on (n, m), slot b*3+c. */
    for (int64_t row = 0; row < 2 * 3 * 2; row++)
        for (int64_t col = 0; col < 2; col++) {
            ttlx_place_t p;
            assert_true(ttlx_place_tile(t.r, 0, row, col, &p));
            int64_t k = p.shard % 4;
            assert_int_equal(p.x, k % 2);
            assert_int_equal(p.y, k / 2);
            assert_int_equal(p.slot, p.shard / 4);
        }
    t_free(&t);
}

/* DRAM shards go to bank s mod 12: NdShardSpec over the banks. */
static void dram_sharded(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 256]", "bfloat16",
                      "{\"memory\": \"DRAM\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"M\",\"N\"], \"grid\": [4,2], \"shard_shape_elems\": [64,128]}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_int_equal(c.memory_layout, TTLX_TTNN_ND_SHARDED);
    assert_string_equal(c.buffer_type_name, "DRAM");
    assert_range(&c, 0, 0, 11, 0);
    assert_int_equal(c.strategy, TTLX_TTNN_ROUND_ROBIN_1D);
    assert_true(c.equivalent);
    assert_int_equal(c.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_describe(&c, false,
                    "MemoryConfig(BufferType.DRAM, NdShardSpec(Shape([64, 128]), "
                    "CoreRangeSet({CoreRange(CoreCoord(0, 0), CoreCoord(11, 0))}), "
                    "ShardOrientation.ROW_MAJOR, ShardDistributionStrategy.ROUND_ROBIN_1D))");
    t_free(&t);
}

/* Layouts TTNN cannot express. */
static void no_equivalent(void **state) {
    (void)state;
    /* An empty shard row (TTL009): TTNN would make 2 shards along M, not 4. */
    t_run_t t = t_one("[64, 64]", "bfloat16",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"M\",\"N\"], \"grid\": [4,2], \"shard_shape_elems\": [32,32]}}",
                      "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    assert_false(c.equivalent);
    assert_string_equal(c.note, "axis M has 4 shards where TTNN makes ceil(tensor / shard) = 2");
    assert_brief(&c, "no TTNN equivalent: axis M has 4 shards where TTNN makes ceil(tensor / "
                     "shard) = 2");
    assert_summary_line(&t, "  ttnn       no TTNN equivalent: axis M has 4 shards where TTNN "
                            "makes ceil(tensor / shard) = 2");
    t_free(&t);

    /* M labels dim 0: TTNN's rows come from dim -2. */
    t = t_one("[64, 2, 64]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"M\",\"B\",\"N\"], \"grid\": [2,1,2], \"shard_shape_elems\": [32,2,32]}}",
              "wormhole_n150");
    c = config0(&t);
    assert_false(c.equivalent);
    assert_string_equal(c.note, "M and N label dims 0 and 2: TTNN's 2-D grid takes shard rows "
                                "from dim 1 and columns from dim 2");
    t_free(&t);

    /* block_linear(2): no TTNN orientation walks cores in blocks. */
    t = t_one("[256, 256]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"M\",\"N\"], \"grid\": [4,4], \"shard_shape_elems\": [64,64], \"order\": "
              "\"block_linear(2)\"}}",
              "wormhole_n150");
    c = config0(&t);
    assert_false(c.equivalent);
    assert_int_equal(c.memory_layout, TTLX_TTNN_BLOCK_SHARDED);
    assert_contains(c.note, "block_linear(2) has no TTNN ShardOrientation");
    t_free(&t);

    /* A grid that does not fit the device has no placement at all. */
    t = t_one("[512, 512]", "bfloat16",
              "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
              "[\"M\",\"N\"], \"grid\": [16,1], \"shard_shape_elems\": [32,512]}}",
              "wormhole_n150");
    c = config0(&t);
    assert_false(c.equivalent);
    assert_string_equal(c.note, "the hint gives no placement (see the diagnostics)");
    ttlx_ttnn_config_t d;
    assert_false(ttlx_ttnn_config(t.r, 1, &d)); /* out of range */
    t_free(&t);
}

static void describe_truncates(void **state) {
    (void)state;
    t_run_t t = t_one("[256, 256]", "bfloat16", NULL, "wormhole_n150");
    ttlx_ttnn_config_t c = config0(&t);
    char buf[8];
    size_t n = ttlx_ttnn_describe(&c, false, buf, sizeof buf);
    assert_int_equal(n, strlen("MemoryConfig(TensorMemoryLayout.INTERLEAVED, BufferType.DRAM)"));
    assert_string_equal(buf, "MemoryC");
    assert_int_equal(ttlx_ttnn_describe(&c, false, NULL, 0), n);
    t_free(&t);
}

static void python_module(void **state) {
    (void)state;
    t_run_t t =
        t_infer("{\"name\": \"f\", \"buffers\": ["
                "{\"name\": \"A\", \"shape\": [256, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"in-put\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"in_put\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"class\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
                "{\"name\": \"2x\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"}],"
                "\"attrs\": {\"tt.user_layout\": {"
                "\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                "[\"M\",\"N\"], \"grid\": [8,1], \"shard_shape_elems\": [32,64]}},"
                "\"class\": {\"memory\": \"L1\"},"
                "\"2x\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                "[\"M\",\"N\"], \"grid\": [4,2], \"shard_shape_elems\": [32,32]}}}}}",
                "wormhole_n150");
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_true(ttlx_ttnn_python(t.r, f));
    long len = ftell(f);
    assert_true(len > 0);
    char *text = calloc(1, (size_t)len + 1);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)len, f), len);
    fclose(f);
    assert_string_equal(
        text, "# TTNN MemoryConfigs for the buffers of f on wormhole_n150 (written by ttlx).\n"
              "import ttnn\n"
              "\n# A: L1 sharded\n"
              "A = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.HEIGHT_SHARDED, ttnn.BufferType.L1, "
              "ttnn.ShardSpec(ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), "
              "ttnn.CoreCoord(0, 7))}), [32, 64], ttnn.ShardOrientation.ROW_MAJOR))\n"
              "\n# in-put: DRAM interleaved\n"
              "in_put = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.INTERLEAVED, "
              "ttnn.BufferType.DRAM)\n"
              "\n# in_put: DRAM interleaved\n"
              "in_put_2 = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.INTERLEAVED, "
              "ttnn.BufferType.DRAM)\n"
              "\n# class: L1 interleaved\n"
              "# ttlx numbers L1 banks in raster order; tt-metal permutes its L1 bank ids\n"
              "class_ = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.INTERLEAVED, "
              "ttnn.BufferType.L1)\n"
              "\n# 2x: L1 sharded\n"
              "# no TTNN equivalent: axis M has 4 shards where TTNN makes ceil(tensor / shard) "
              "= 2\n"
              "_2x = None\n");
    free(text);
    t_free(&t);
}

/* ---- tt-metal's BufferDistributionSpec cases ------------------------------
 * Source: tenstorrent/tt-metal,
 * tests/tt_metal/tt_metal/api/distribution_spec/test_buffer_distribution_spec.cpp
 * (MeshBufferAllocationTests and MeshBufferReadWriteTests). That test
 * builds BufferDistributionSpec::from_shard_spec with its default
 * ROUND_ROBIN_1D strategy, so each case here is a round_robin_1d hint. ttlx
 * deals shards over the device grid in raster order, so a rectangular
 * CoreRangeSet becomes a device profile of that grid; a set of other shapes
 * becomes a one-row profile with as many cores, and the mapping is compared
 * by core index in the set's order. Cases with row-major pages (1 x W) have
 * no ttlx form: ttlx pages are tiles. */

#define PAD (-1)

typedef struct tt_case {
    ttlx_module_t *mod;
    ttlx_result_t *r;
    ttlx_device_t dev;
} tt_case_t;

/* Infers a one-buffer PrimFunc on a profile with a gx x gy grid. */
static tt_case_t tt_infer(int gx, int gy, const char *shape, const char *dtype,
                          const char *nd_shard) {
    tt_case_t c;
    char json[2048];
    snprintf(json, sizeof json,
             "{\"name\": \"grid%dx%d\", \"grid\": [%d, %d], \"l1\": 1499136, \"l1_bank\": "
             "1382144, \"dram_banks\": 12, \"dram_bank\": 1073741792, \"dram_align\": 32, "
             "\"max_cbs\": 32}",
             gx, gy, gx, gy);
    cJSON *doc = cJSON_Parse(json);
    ttlx_error_t err = {0};
    if (!doc || !ttlx_device_from_json(doc, &c.dev, &err)) fail_msg("profile: %s", err.what);
    cJSON_Delete(doc);
    snprintf(json, sizeof json,
             "{\"name\": \"f\", \"buffers\": [{\"name\": \"T\", \"shape\": %s, \"dtype\": "
             "\"%s\"}], \"attrs\": {\"tt.user_layout\": {\"T\": {\"memory\": \"L1\", \"layout\": "
             "\"sharded\", \"nd_shard\": %s}}}}",
             shape, dtype, nd_shard);
    c.mod = t_load(json);
    c.r = ttlx_infer(ttlx_module_func(c.mod, 0), &c.dev, &err);
    if (!c.r) fail_msg("infer: %s", err.what);
    size_t errors = 0;
    ttlx_result_diag_counts(c.r, &errors, NULL, NULL);
    assert_int_equal(errors, 0);
    return c;
}

static void tt_free(tt_case_t *c) {
    ttlx_result_free(c->r);
    ttlx_module_free(c->mod);
}

/* Checks tt-metal's explicit core page mapping: row k lists the host page
 * (tile index in the 2-D tile view, row-major) at each device page of the
 * k-th core; ttlx must put that tile on the k-th core of its raster grid
 * at page slot * shard_tiles + offset. Every other core holds nothing. */
static void check_mapping(const tt_case_t *c, const int *map, int ncores, int pages_per_core) {
    const ttlx_layout_t *L = ttlx_result_layout(c->r, 0);
    int64_t seen = 0;
    for (int k = 0; k < ncores; k++)
        for (int j = 0; j < pages_per_core; j++) {
            int page = map[k * pages_per_core + j];
            if (page == PAD) continue;
            ttlx_place_t p;
            assert_true(ttlx_place_tile(c->r, 0, page / L->view_cols, page % L->view_cols, &p));
            assert_int_equal(p.x, k % c->dev.grid_x);
            assert_int_equal(p.y, k / c->dev.grid_x);
            assert_int_equal(p.slot * L->shard_tiles + p.offset, j);
            seen++;
        }
    assert_int_equal(seen, L->view_rows * L->view_cols); /* every tile listed once */
    for (int k = ncores; k < c->dev.grid_x * c->dev.grid_y; k++)
        assert_int_equal(
            ttlx_place_shards_on(c->r, 0, k % c->dev.grid_x, k / c->dev.grid_x, NULL, 0), 0);
}

/* The NdShardSpec ttlx writes for a tt-metal case. */
static void check_nd(const tt_case_t *c, const int64_t *shard, int rank, int x1, int y1) {
    ttlx_ttnn_config_t t;
    assert_true(ttlx_ttnn_config(c->r, 0, &t));
    assert_true(t.equivalent);
    assert_true(t.has_nd_shard_spec);
    assert_int_equal(t.nd_rank, rank);
    for (int d = 0; d < rank; d++)
        assert_int_equal(t.nd_shard_shape[d], shard[d]);
    assert_range(&t, 0, 0, x1, y1);
    assert_int_equal(t.orientation, TTLX_TTNN_ROW_MAJOR);
    assert_int_equal(t.strategy, TTLX_TTNN_ROUND_ROBIN_1D);
    check_ttnn_model(c->r, 0, &t);
}

/* Allocation case 1: tensor {5, 2, 64, 96}, shard {5, 2, 32, 32}, 32x32
 * pages, 2 bytes, CoreRange({0, 0}, {3, 3}), ROW_MAJOR, L1: 6 shards of 10
 * pages on the first 6 of 16 cores; 2048 * 10 bytes per bank. */
static void tt_alloc_cut_last_two(void **state) {
    (void)state;
    tt_case_t c = tt_infer(4, 4, "[5, 2, 64, 96]", "bfloat16",
                           "{\"axes\": [\"B\",\"C\",\"M\",\"N\"], \"grid\": [1,1,2,3], "
                           "\"shard_shape_elems\": [5,2,32,32], \"distribution\": "
                           "\"round_robin_1d\"}");
    const ttlx_layout_t *L = ttlx_result_layout(c.r, 0);
    assert_int_equal(L->shard_tiles, 10);
    assert_int_equal(L->cores_used, 6);          /* num_cores */
    assert_int_equal(L->max_shards_per_core, 1); /* num_dev_pages = 10 * 6 */
    assert_int_equal(L->bytes_per_core, 2048 * 10);
    /* Cores in the test's order, x fastest: (0,0) (1,0) (2,0) (3,0) (0,1) (1,1). */
    static const int cores[6][2] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {0, 1}, {1, 1}};
    for (int k = 0; k < 16; k++) {
        int64_t s[2];
        int64_t n = ttlx_place_shards_on(c.r, 0, k % 4, k / 4, s, 2);
        assert_int_equal(n, k < 6);
        if (k < 6) {
            assert_int_equal(s[0], k);
            assert_int_equal(cores[k][0], k % 4);
            assert_int_equal(cores[k][1], k / 4);
        }
    }
    static const int64_t shard[] = {5, 2, 32, 32};
    check_nd(&c, shard, 4, 3, 3);
    tt_free(&c);
}

/* Allocation case 3 and read/write case 5: tensor {5, 2, 64, 96}, shard
 * {2, 1, 64, 64}, CoreRangeSet {CoreRange({0, 0}, {2, 0}), CoreRange({0, 1},
 * {1, 1})} (5 cores, not a rectangle: compared by core index on a 5 x 1
 * profile), ROW_MAJOR. 12 shards of 8 pages over 5 cores: 3 per core at
 * most; bfloat8_b pages of 1088 bytes give 1088 * 24 per bank. */
static void tt_multiple_shards_per_bank(void **state) {
    (void)state;
    const char *hint = "{\"axes\": [\"B\",\"C\",\"M\",\"N\"], \"grid\": [3,2,1,2], "
                       "\"shard_shape_elems\": [2,1,64,64], \"distribution\": \"round_robin_1d\"}";
    tt_case_t c = tt_infer(5, 1, "[5, 2, 64, 96]", "bfloat8_b", hint);
    const ttlx_layout_t *L = ttlx_result_layout(c.r, 0);
    assert_int_equal(L->shards, 12);
    assert_int_equal(L->shard_tiles, 8);
    assert_int_equal(L->cores_used, 5);
    assert_int_equal(L->max_shards_per_core, 3); /* num_dev_pages = 3 * 8 * 5 */
    assert_int_equal(L->page_bytes, 1088);
    assert_int_equal(L->bytes_per_core, 1088 * 24);
    static const int64_t shard[] = {2, 1, 64, 64};
    check_nd(&c, shard, 4, 4, 0);
    tt_free(&c);

    c = tt_infer(5, 1, "[5, 2, 64, 96]", "bfloat16", hint);
    static const int map[5 * 24] = {
        0,   1,   3,   4,   12,  13,  15,  16,  26,  PAD, 29,  PAD, 38,  PAD, 41,  PAD, 54,  55,
        57,  58,  PAD, PAD, PAD, PAD, 2,   PAD, 5,   PAD, 14,  PAD, 17,  PAD, 30,  31,  33,  34,
        42,  43,  45,  46,  56,  PAD, 59,  PAD, PAD, PAD, PAD, PAD, 6,   7,   9,   10,  18,  19,
        21,  22,  32,  PAD, 35,  PAD, 44,  PAD, 47,  PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD,
        8,   PAD, 11,  PAD, 20,  PAD, 23,  PAD, 48,  49,  51,  52,  PAD, PAD, PAD, PAD, PAD, PAD,
        PAD, PAD, PAD, PAD, PAD, PAD, 24,  25,  27,  28,  36,  37,  39,  40,  50,  PAD, 53,  PAD,
        PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD, PAD};
    check_mapping(&c, map, 5, 24);
    tt_free(&c);
}

/* Read/write case 1 (BLOCK sharding): tensor {2, 64, 96}, shard {1, 32,
 * 64}, CoreRange({0, 0}, {3, 3}), ROW_MAJOR, bfloat16: 8 shards of 2 pages
 * on the first 8 cores. */
static void tt_block_sharding(void **state) {
    (void)state;
    tt_case_t c = tt_infer(4, 4, "[2, 64, 96]", "bfloat16",
                           "{\"axes\": [\"B\",\"M\",\"N\"], \"grid\": [2,2,2], "
                           "\"shard_shape_elems\": [1,32,64], \"distribution\": "
                           "\"round_robin_1d\"}");
    static const int map[8 * 2] = {0, 1, 2, PAD, 3, 4, 5, PAD, 6, 7, 8, PAD, 9, 10, 11, PAD};
    check_mapping(&c, map, 8, 2);
    static const int64_t shard[] = {1, 32, 64};
    check_nd(&c, shard, 3, 3, 3);
    tt_free(&c);
}

/* Read/write case 2 (HEIGHT sharding, padding along the shard width):
 * tensor {2, 128, 64}, shard {1, 64, 96}, CoreRangeSet {CoreRange({4, 6},
 * {6, 6}), CoreRange({1, 1}, {1, 1}), CoreRange({0, 3}, {3, 3})} (8 cores,
 * compared by index on an 8 x 1 profile), ROW_MAJOR, bfloat8_b: 4 shards of
 * 6 pages, the third column of each shard past the tensor. */
static void tt_height_sharding(void **state) {
    (void)state;
    tt_case_t c = tt_infer(8, 1, "[2, 128, 64]", "bfloat8_b",
                           "{\"axes\": [\"B\",\"M\",\"N\"], \"grid\": [2,2,1], "
                           "\"shard_shape_elems\": [1,64,96], \"distribution\": "
                           "\"round_robin_1d\"}");
    static const int map[4 * 6] = {0, 1, PAD, 2,  3,  PAD, 4,  5,  PAD, 6,  7,  PAD,
                                   8, 9, PAD, 10, 11, PAD, 12, 13, PAD, 14, 15, PAD};
    check_mapping(&c, map, 4, 6);
    static const int64_t shard[] = {1, 64, 96};
    check_nd(&c, shard, 3, 7, 0);
    tt_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(height_sharded),        cmocka_unit_test(width_sharded),
        cmocka_unit_test(block_sharded),         cmocka_unit_test(interleaved),
        cmocka_unit_test(round_robin),           cmocka_unit_test(nd_sharded),
        cmocka_unit_test(dram_sharded),          cmocka_unit_test(no_equivalent),
        cmocka_unit_test(describe_truncates),    cmocka_unit_test(python_module),
        cmocka_unit_test(tt_alloc_cut_last_two), cmocka_unit_test(tt_multiple_shards_per_bank),
        cmocka_unit_test(tt_block_sharding),     cmocka_unit_test(tt_height_sharding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
