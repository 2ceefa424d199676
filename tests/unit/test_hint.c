/*
 * test_hint.c - the hint schema (ttlx_hint.h): the key table (every key,
 * its kind, choices and default), the enum name tables both ways, the
 * parser's values for every key and value kind, every problem it reports
 * (code, severity, key, message and fix, in order), and the canonical hint
 * object. Links the core alone.
 */
#include "test_support.h"
#include "ttlx_hint.h"

#include <stdlib.h>

#define K(id) (1u << TTLX_HK_##id)

/* Buffers the cases name by letter: A is 2-D, v 1-D, T 3-D. */
static const ttlx_buffer_info_t buf_a = {"A", "bfloat16", NULL, 2, {256, 256}, 65536};
static const ttlx_buffer_info_t buf_v = {"v", "float32", NULL, 1, {100}, 100};
static const ttlx_buffer_info_t buf_t = {"T", "bfloat16", NULL, 3, {4, 64, 96}, 24576};

static const ttlx_buffer_info_t *buffer(char which) {
    return which == 'v' ? &buf_v : which == 'T' ? &buf_t : &buf_a;
}

/* ---- problems ---------------------------------------------------------- */

typedef struct want {
    const char *code;
    ttlx_severity_t sev;
    const char *key, *message, *fix;
} want_t;

typedef struct problem_case {
    char buffer;
    const char *hint;
    uint32_t present, bad;
    want_t want[3]; /* in order; code NULL ends */
} problem_case_t;

static const problem_case_t problem_cases[] = {
    {'A',
     "[1]",
     0,
     0,
     {
         {"TTL010", TTLX_SEV_ERROR, NULL,
          "hint for A: expected an object of layout keys, got a list",
          "a hint object such as {\"memory\": \"L1\"}"},
     }},
    {'A',
     "{\"memory\": \"SRAM\"}",
     K(MEMORY),
     K(MEMORY),
     {
         {"TTL010", TTLX_SEV_ERROR, "memory", "memory: expected \"DRAM\" or \"L1\", got \"SRAM\"",
          "memory: \"DRAM\" or \"L1\""},
     }},
    {'A',
     "{\"memory\": 1}",
     K(MEMORY),
     K(MEMORY),
     {
         {"TTL010", TTLX_SEV_ERROR, "memory", "memory: expected \"DRAM\" or \"L1\", got 1",
          "memory: \"DRAM\" or \"L1\""},
     }},
    {'A',
     "{\"layout\": \"shardd\"}",
     K(LAYOUT),
     K(LAYOUT),
     {
         {"TTL010", TTLX_SEV_ERROR, "layout",
          "layout: expected \"interleaved\" or \"sharded\", got \"shardd\"", "layout: \"sharded\""},
     }},
    {'A',
     "{\"layout\": 3}",
     K(LAYOUT),
     K(LAYOUT),
     {
         {"TTL010", TTLX_SEV_ERROR, "layout",
          "layout: expected \"interleaved\" or \"sharded\", got 3", "layout: \"interleaved\""},
     }},
    {'A',
     "{\"tile_shape\": [8, 8]}",
     K(TILE_SHAPE),
     K(TILE_SHAPE),
     {
         {"TTL010", TTLX_SEV_ERROR, "tile_shape",
          "tile_shape: expected one of [32, 32], [16, 32], [32, 16], [16, 16], got [8, 8]",
          "tile_shape: [32, 32]"},
     }},
    {'A',
     "{\"tile_shape\": [32]}",
     K(TILE_SHAPE),
     K(TILE_SHAPE),
     {
         {"TTL010", TTLX_SEV_ERROR, "tile_shape",
          "tile_shape: expected one of [32, 32], [16, 32], [32, 16], [16, 16], got a list",
          "tile_shape: [32, 32]"},
     }},
    {'A',
     "{\"tile_shape\": \"32x32\"}",
     K(TILE_SHAPE),
     K(TILE_SHAPE),
     {
         {"TTL010", TTLX_SEV_ERROR, "tile_shape",
          "tile_shape: expected one of [32, 32], [16, 32], [32, 16], [16, 16], got a string",
          "tile_shape: [32, 32]"},
     }},
    {'A',
     "{\"dtype\": \"bfloat61\"}",
     K(DTYPE),
     K(DTYPE),
     {
         {"TTL010", TTLX_SEV_ERROR, "dtype", "dtype: unknown dtype \"bfloat61\"",
          "dtype: \"bfloat16\""},
     }},
    {'A',
     "{\"dtype\": 5}",
     K(DTYPE),
     K(DTYPE),
     {
         {"TTL010", TTLX_SEV_ERROR, "dtype", "dtype: unknown dtype 5", "dtype: \"bfloat16\""},
     }},
    {'A',
     "{\"cb_depth\": 0}",
     K(CB_DEPTH),
     K(CB_DEPTH),
     {
         {"TTL010", TTLX_SEV_ERROR, "cb_depth", "cb_depth: expected an integer from 1 to 16, got 0",
          "cb_depth: 2"},
     }},
    {'A',
     "{\"cb_depth\": 17}",
     K(CB_DEPTH),
     K(CB_DEPTH),
     {
         {"TTL010", TTLX_SEV_ERROR, "cb_depth",
          "cb_depth: expected an integer from 1 to 16, got 17", "cb_depth: 2"},
     }},
    {'A',
     "{\"cb_depth\": 2.5}",
     K(CB_DEPTH),
     K(CB_DEPTH),
     {
         {"TTL010", TTLX_SEV_ERROR, "cb_depth",
          "cb_depth: expected an integer from 1 to 16, got 2.5", "cb_depth: 2"},
     }},
    {'A',
     "{\"halo\": 1}",
     K(HALO),
     K(HALO),
     {
         {"TTL001", TTLX_SEV_ERROR, "halo",
          "halo unsupported: A has a halo hint; InferTTLayout cannot place halo regions",
          "remove \"halo\" and exchange the border rows in the kernel"},
     }},
    {'A',
     "{\"memroy\": \"L1\"}",
     0,
     0,
     {
         {"TTL011", TTLX_SEV_WARNING, "memroy",
          "unknown hint key \"memroy\" (did you mean \"memory\"?)",
          "rename \"memroy\" to \"memory\""},
     }},
    {'A',
     "{\"zzzzzzzz\": 1}",
     0,
     0,
     {
         {"TTL011", TTLX_SEV_WARNING, "zzzzzzzz", "unknown hint key \"zzzzzzzz\"",
          "remove \"zzzzzzzz\" (known: memory, layout, tile_shape, dtype, nd_shard, cb_depth)"},
     }},
    {'A',
     "{\"tile_shape\": [16, 32]}",
     K(TILE_SHAPE),
     0,
     {
         {"TTL012", TTLX_SEV_WARNING, "tile_shape",
          "tile 16x32 is not the 32x32 default: fewer kernels and matmul paths support it",
          "tile_shape: [32, 32]"},
     }},
    {'A',
     "{\"tile_shape\": [16, 16], \"memory\": \"x\"}",
     K(MEMORY) | K(TILE_SHAPE),
     K(MEMORY),
     {
         {"TTL010", TTLX_SEV_ERROR, "memory", "memory: expected \"DRAM\" or \"L1\", got \"x\"",
          "memory: \"DRAM\" or \"L1\""},
         {"TTL012", TTLX_SEV_WARNING, "tile_shape",
          "tile 16x16 is not the 32x32 default: fewer kernels and matmul paths support it",
          "tile_shape: [32, 32]"},
     }},
    {'A',
     "{\"nd_shard\": 5}",
     K(ND_SHARD),
     K(ND_SHARD),
     {
         {"TTL010", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard: expected an object with axes, grid and shard_shape_elems, got a number",
          "nd_shard {\"axes\": [\"M\", \"N\"], \"grid\": [1, 1], \"shard_shape_elems\": [256, "
          "256]} (one shard; then split the dims to shard)"},
     }},
    {'v',
     "{\"nd_shard\": []}",
     K(ND_SHARD),
     K(ND_SHARD),
     {
         {"TTL010", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard: expected an object with axes, grid and shard_shape_elems, got a list",
          "layout \"interleaved\" (N-D sharding needs an M and an N dim)"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"order\": \"diagonal\"}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER),
     K(ORDER),
     {
         {"TTL010", TTLX_SEV_ERROR, "order",
          "nd_shard.order: expected row_major, col_major, match_shard or block_linear(k), got "
          "\"diagonal\"",
          "order: \"row_major\""},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"order\": \"block_linear(0)\"}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER),
     K(ORDER),
     {
         {"TTL010", TTLX_SEV_ERROR, "order",
          "nd_shard.order: expected row_major, col_major, match_shard or block_linear(k), got "
          "\"block_linear(0)\"",
          "order: \"row_major\""},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"distribution\": \"grid\"}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(DISTRIBUTION),
     K(DISTRIBUTION),
     {
         {"TTL010", TTLX_SEV_ERROR, "distribution",
          "nd_shard.distribution: expected grid_2d or round_robin_1d, got \"grid\"",
          "distribution: \"grid_2d\""},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"align_tiles\": \"yes\"}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ALIGN_TILES),
     K(ALIGN_TILES),
     {
         {"TTL010", TTLX_SEV_ERROR, "align_tiles",
          "nd_shard.align_tiles: expected true or false, got \"yes\"", "align_tiles: true"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"gird\": 1}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     0,
     {
         {"TTL011", TTLX_SEV_WARNING, "gird",
          "unknown nd_shard key \"gird\" (did you mean \"grid\"?)", "rename \"gird\" to \"grid\""},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"foo\": 1}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     0,
     {
         {"TTL011", TTLX_SEV_WARNING, "foo", "unknown nd_shard key \"foo\"", "remove \"foo\""},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": \"MN\", \"grid\": [1,1], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL010", TTLX_SEV_ERROR, "axes",
          "nd_shard.axes: expected a list of axis labels, got a string", "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\",\"I\"], \"grid\": "
     "[1,1], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL002", TTLX_SEV_ERROR, "axes",
          "nd_shard incomplete: nd_shard.axes has more than 8 entries", "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL010", TTLX_SEV_ERROR, "axes",
          "nd_shard.axes[1]: expected a label of 1 to 15 characters, got \"\"",
          "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"abcdefghijklmnop\"], \"grid\": [1,1], "
     "\"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL010", TTLX_SEV_ERROR, "axes",
          "nd_shard.axes[1]: expected a label of 1 to 15 characters, got \"abcdefghijklmnop\"",
          "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": 2, \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(GRID),
     {
         {"TTL010", TTLX_SEV_ERROR, "grid",
          "nd_shard.grid: expected a list of positive integers, got a number",
          "grid [1, 1] (one entry per dim; then split the dims to shard)"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [2,0], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(GRID),
     {
         {"TTL010", TTLX_SEV_ERROR, "grid", "nd_shard.grid[1]: expected a positive integer, got 0",
          "grid [2, 1]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1,1,1,1,1,1,1,1], "
     "\"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(GRID),
     {
         {"TTL002", TTLX_SEV_ERROR, "grid",
          "nd_shard incomplete: nd_shard.grid has more than 8 entries",
          "grid [1, 1] (one entry per dim; then split the dims to shard)"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [128, -1]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(SHARD_SHAPE),
     {
         {"TTL010", TTLX_SEV_ERROR, "shard_shape_elems",
          "nd_shard.shard_shape_elems[1]: expected a positive integer, got -1",
          "shard_shape_elems [128, 256]"},
     }},
    {'A',
     "{\"nd_shard\": {\"grid\": [2,4]}}",
     K(ND_SHARD) | K(GRID),
     K(ND_SHARD),
     {
         {"TTL002", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard incomplete: missing axes shard_shape_elems",
          "shard_shape_elems [128, 64] (shape / grid, rounded up)"},
     }},
    {'A',
     "{\"nd_shard\": {\"shard_shape_elems\": [100,64]}}",
     K(ND_SHARD) | K(SHARD_SHAPE),
     K(ND_SHARD),
     {
         {"TTL002", TTLX_SEV_ERROR, "nd_shard", "nd_shard incomplete: missing axes grid",
          "grid [3, 4] (shape / shard, rounded up)"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"]}}",
     K(ND_SHARD) | K(AXES),
     K(ND_SHARD),
     {
         {"TTL002", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard incomplete: missing grid shard_shape_elems",
          "grid [1, 1] and shard_shape_elems [256, 256] (one shard; then split the dims to shard)"},
     }},
    {'A',
     "{\"nd_shard\": {}}",
     K(ND_SHARD),
     K(ND_SHARD),
     {
         {"TTL002", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard incomplete: missing axes grid shard_shape_elems", "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1,1], \"shard_shape_elems\": "
     "[256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(ND_SHARD),
     {
         {"TTL002", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard incomplete: axes has 2 entries, grid 3, shard_shape_elems 2, but A has rank 2",
          "one entry per buffer dim in axes, grid and shard_shape_elems"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"M\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL003", TTLX_SEV_ERROR, "axes",
          "axes: label \"M\" repeats (dims 0 and 1); each dim needs its own",
          "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"X\",\"Y\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL003", TTLX_SEV_ERROR, "axes",
          "axes [\"X\", \"Y\"] lack \"M\" and \"N\": the shard grid projects M to core rows and N "
          "to columns",
          "axes [\"M\", \"N\"]"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"X\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(AXES),
     {
         {"TTL003", TTLX_SEV_ERROR, "axes",
          "axes [\"X\", \"N\"] lack \"M\": the shard grid projects M to core rows and N to columns",
          "axes [\"M\", \"N\"]"},
     }},
    {'v',
     "{\"nd_shard\": {}}",
     K(ND_SHARD),
     K(ND_SHARD),
     {
         {"TTL002", TTLX_SEV_ERROR, "nd_shard",
          "nd_shard incomplete: missing axes grid shard_shape_elems",
          "layout \"interleaved\" (N-D sharding needs an M and an N dim)"},
     }},
    {'T',
     "{\"nd_shard\": {\"axes\": [\"B\",\"M\",\"N\"], \"grid\": [4000000000,4000000000,4000000000], "
     "\"shard_shape_elems\": [1,32,32]}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE),
     K(GRID),
     {
         {"TTL010", TTLX_SEV_ERROR, "grid", "nd_shard.grid: more than 2^63 shards",
          "grid [4, 2, 3] (shape / shard, rounded up)"},
     }},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"projected_grid\": 7, \"projected_shard_tiles\": \"x\"}}",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(PROJECTED_GRID) |
         K(PROJECTED_SHARD_TILES),
     0,
     {{NULL}}}, /* derived keys: taken and ignored */
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\",\"N\"], \"grid\": [1,1], \"shard_shape_elems\": [256,256], "
     "\"order\": 3, \"distribution\": true}, \"halo\": [1]}",
     K(ND_SHARD) | K(HALO) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER) | K(DISTRIBUTION),
     K(HALO) | K(ORDER) | K(DISTRIBUTION),
     {
         {"TTL001", TTLX_SEV_ERROR, "halo",
          "halo unsupported: A has a halo hint; InferTTLayout cannot place halo regions",
          "remove \"halo\" and exchange the border rows in the kernel"},
         {"TTL010", TTLX_SEV_ERROR, "order",
          "nd_shard.order: expected row_major, col_major, match_shard or block_linear(k), got 3",
          "order: \"row_major\""},
         {"TTL010", TTLX_SEV_ERROR, "distribution",
          "nd_shard.distribution: expected grid_2d or round_robin_1d, got a boolean",
          "distribution: \"grid_2d\""},
     }},
};

typedef struct seen {
    size_t n;
    want_t got[4];
    char text[4][3][512];
} seen_t;

static void collect(void *ctx, const ttlx_hint_problem_t *p) {
    seen_t *s = ctx;
    if (s->n >= 4) fail_msg("more than 4 problems");
    want_t *g = &s->got[s->n];
    const char *src[3] = {p->key, p->message, p->fix};
    const char **dst[3] = {&g->key, &g->message, &g->fix};
    for (int i = 0; i < 3; i++) {
        *dst[i] = src[i] ? strcpy(s->text[s->n][i], src[i]) : NULL;
    }
    g->code = p->code;
    g->sev = p->severity;
    s->n++;
}

static void assert_same(const char *what, const char *want, const char *got, const char *hint) {
    if (!want && !got) return;
    if (!want || !got || strcmp(want, got))
        fail_msg("%s: %s\n  want %s\n  got  %s", hint, what, want ? want : "NULL",
                 got ? got : "NULL");
}

/* Two parsed hints hold the same values (field by field: padding aside). */
static void assert_same_hint(const ttlx_hint_t *a, const ttlx_hint_t *b) {
    assert_int_equal(a->present, b->present);
    assert_int_equal(a->bad, b->bad);
    assert_int_equal(a->memory, b->memory);
    assert_int_equal(a->layout, b->layout);
    assert_int_equal(a->tile_h, b->tile_h);
    assert_int_equal(a->tile_w, b->tile_w);
    assert_string_equal(a->dtype, b->dtype);
    assert_int_equal(a->cb_depth, b->cb_depth);
    assert_int_equal(a->has_nd_shard, b->has_nd_shard);
    assert_int_equal(a->rank, b->rank);
    assert_memory_equal(a->axes, b->axes, sizeof a->axes);
    assert_memory_equal(a->grid, b->grid, sizeof a->grid);
    assert_memory_equal(a->shard_shape_elems, b->shard_shape_elems, sizeof a->shard_shape_elems);
    assert_int_equal(a->order, b->order);
    assert_int_equal(a->block_k, b->block_k);
    assert_int_equal(a->distribution, b->distribution);
    assert_int_equal(a->align_tiles, b->align_tiles);
    assert_int_equal(a->axis_m, b->axis_m);
    assert_int_equal(a->axis_n, b->axis_n);
    assert_int_equal(a->shards, b->shards);
}

static void every_problem(void **state) {
    (void)state;
    for (size_t c = 0; c < sizeof problem_cases / sizeof problem_cases[0]; c++) {
        const problem_case_t *pc = &problem_cases[c];
        cJSON *hint = cJSON_Parse(pc->hint);
        assert_non_null(hint);
        seen_t s = {0};
        ttlx_hint_t h;
        ttlx_hint_parse(hint, buffer(pc->buffer), &h, collect, &s);
        size_t nwant = 0;
        while (nwant < 3 && pc->want[nwant].code)
            nwant++;
        if (s.n != nwant) fail_msg("%s: %zu problems, want %zu", pc->hint, s.n, nwant);
        for (size_t i = 0; i < nwant; i++) {
            assert_same("code", pc->want[i].code, s.got[i].code, pc->hint);
            if (pc->want[i].sev != s.got[i].sev) fail_msg("%s: severity", pc->hint);
            assert_same("key", pc->want[i].key, s.got[i].key, pc->hint);
            assert_same("message", pc->want[i].message, s.got[i].message, pc->hint);
            assert_same("fix", pc->want[i].fix, s.got[i].fix, pc->hint);
        }
        if (h.present != pc->present) fail_msg("%s: present %#x", pc->hint, h.present);
        if (h.bad != pc->bad) fail_msg("%s: bad %#x", pc->hint, h.bad);
        /* No report callback: same values, nothing else. */
        ttlx_hint_t quiet;
        ttlx_hint_parse(hint, buffer(pc->buffer), &quiet, NULL, NULL);
        assert_same_hint(&h, &quiet);
        cJSON_Delete(hint);
    }
}

/* ---- values of every key and value kind --------------------------------- */

typedef struct value_case {
    char buffer;
    const char *hint;  /* NULL: no hint */
    const char *codes; /* problems reported, space-separated */
    uint32_t present;
    ttlx_memory_t memory;
    ttlx_layout_kind_t layout;
    int tile_h, tile_w;
    const char *dtype;
    int cb_depth;
    bool has_nd_shard;
    const char *axes; /* "B,M,N" (valid nd_shard only) */
    int64_t grid[3], shard[3];
    ttlx_order_t order;
    int block_k;
    ttlx_dist_t dist;
    bool align_tiles;
    int axis_m, axis_n;
    int64_t shards;
} value_case_t;

#define DEFAULTS TTLX_MEM_DRAM, TTLX_LAYOUT_INTERLEAVED, 32, 32
#define NO_SHARD                                                                                   \
    false, "", {0}, {                                                                              \
        0                                                                                          \
    }
#define ORDER_DEFAULTS TTLX_ORDER_ROW_MAJOR, 0, TTLX_DIST_GRID_2D, true, -1, -1, 0

static const value_case_t value_cases[] = {
    {'A', NULL, "", 0, DEFAULTS, "bfloat16", 2, NO_SHARD, ORDER_DEFAULTS},
    {'v', "{}", "", 0, DEFAULTS, "float32", 2, NO_SHARD, ORDER_DEFAULTS},
    /* choices in any case, a dtype, the largest cb_depth, a small tile */
    {'A',
     "{\"memory\": \"l1\", \"layout\": \"Sharded\", \"tile_shape\": [32, 16], "
     "\"dtype\": \"float32\", \"cb_depth\": 16}",
     "TTL012", K(MEMORY) | K(LAYOUT) | K(TILE_SHAPE) | K(DTYPE) | K(CB_DEPTH), TTLX_MEM_L1,
     TTLX_LAYOUT_SHARDED, 32, 16, "float32", 16, NO_SHARD, ORDER_DEFAULTS},
    /* dram_interleaved, a dtype alias, the smallest cb_depth */
    {'A',
     "{\"memory\": \"DRAM\", \"layout\": \"DRAM_Interleaved\", \"tile_shape\": [16, 16], "
     "\"dtype\": \"bf16\", \"cb_depth\": 1}",
     "TTL012", K(MEMORY) | K(LAYOUT) | K(TILE_SHAPE) | K(DTYPE) | K(CB_DEPTH), TTLX_MEM_DRAM,
     TTLX_LAYOUT_INTERLEAVED, 16, 16, "bfloat16", 1, NO_SHARD, ORDER_DEFAULTS},
    {'A', "{\"tile_shape\": [16, 32], \"tile_shape\": [32, 32]}", "", K(TILE_SHAPE), DEFAULTS,
     "bfloat16", 2, NO_SHARD, ORDER_DEFAULTS},
    /* the last of a repeated key wins */
    {'A', "{\"memory\": \"L1\", \"memory\": \"DRAM\"}", "", K(MEMORY), DEFAULTS, "bfloat16", 2,
     NO_SHARD, ORDER_DEFAULTS},
    /* every nd_shard key */
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4], \"shard_shape_elems\": [128, "
     "64], \"order\": \"block_linear(4)\", \"distribution\": \"round_robin_1d\", "
     "\"align_tiles\": false, \"projected_grid\": [9, 9], \"projected_shard_tiles\": [9, 9]}}",
     "",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER) | K(DISTRIBUTION) |
         K(ALIGN_TILES) | K(PROJECTED_GRID) | K(PROJECTED_SHARD_TILES),
     DEFAULTS,
     "bfloat16",
     2,
     true,
     "M,N",
     {2, 4},
     {128, 64},
     TTLX_ORDER_BLOCK_LINEAR,
     4,
     TTLX_DIST_ROUND_ROBIN_1D,
     false,
     0,
     1,
     8},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"N\", \"M\"], \"grid\": [1, 3], \"shard_shape_elems\": [256, "
     "86], \"order\": \"block_linear\"}}",
     "",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER),
     DEFAULTS,
     "bfloat16",
     2,
     true,
     "N,M",
     {1, 3},
     {256, 86},
     TTLX_ORDER_BLOCK_LINEAR,
     1,
     TTLX_DIST_GRID_2D,
     true,
     1,
     0,
     3},
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [1, 1], \"shard_shape_elems\": [256, "
     "256], \"order\": \"col_major\", \"distribution\": \"grid_2d\", \"align_tiles\": true}}",
     "",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER) | K(DISTRIBUTION) | K(ALIGN_TILES),
     DEFAULTS,
     "bfloat16",
     2,
     true,
     "M,N",
     {1, 1},
     {256, 256},
     TTLX_ORDER_COL_MAJOR,
     0,
     TTLX_DIST_GRID_2D,
     true,
     0,
     1,
     1},
    {'T',
     "{\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"B\", \"M\", \"N\"], \"grid\": [4, 2, "
     "3], \"shard_shape_elems\": [1, 32, 32], \"order\": \"match_shard\"}}",
     "",
     K(LAYOUT) | K(ND_SHARD) | K(AXES) | K(GRID) | K(SHARD_SHAPE) | K(ORDER),
     TTLX_MEM_DRAM,
     TTLX_LAYOUT_SHARDED,
     32,
     32,
     "bfloat16",
     2,
     true,
     "B,M,N",
     {4, 2, 3},
     {1, 32, 32},
     TTLX_ORDER_MATCH_SHARD,
     0,
     TTLX_DIST_GRID_2D,
     true,
     1,
     2,
     24},
    /* values of a refused nd_shard are kept; a bad key leaves the default */
    {'A',
     "{\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 2], \"order\": \"col_major\", "
     "\"distribution\": \"diagonal\"}}",
     "TTL010",
     K(ND_SHARD) | K(AXES) | K(GRID) | K(ORDER) | K(DISTRIBUTION),
     DEFAULTS,
     "bfloat16",
     2,
     false,
     "",
     {2, 2},
     {0},
     TTLX_ORDER_COL_MAJOR,
     0,
     TTLX_DIST_GRID_2D,
     true,
     -1,
     -1,
     0},
};

static void collect_codes(void *ctx, const ttlx_hint_problem_t *p) {
    char *codes = ctx;
    if (codes[0]) strcat(codes, " ");
    strcat(codes, p->code);
}

static void every_value(void **state) {
    (void)state;
    for (size_t c = 0; c < sizeof value_cases / sizeof value_cases[0]; c++) {
        const value_case_t *v = &value_cases[c];
        const char *name = v->hint ? v->hint : "(no hint)";
        cJSON *hint = v->hint ? cJSON_Parse(v->hint) : NULL;
        if (v->hint) assert_non_null(hint);
        char codes[200] = "";
        ttlx_hint_t h;
        const ttlx_buffer_info_t *b = buffer(v->buffer);
        ttlx_hint_parse(hint, b, &h, collect_codes, codes);
        assert_same("codes", v->codes, codes, name);
        if (h.present != v->present) fail_msg("%s: present %#x", name, h.present);
        if (h.memory != v->memory || h.layout != v->layout) fail_msg("%s: memory/layout", name);
        if (h.tile_h != v->tile_h || h.tile_w != v->tile_w) fail_msg("%s: tile", name);
        assert_same("dtype", v->dtype, h.dtype, name);
        assert_int_equal(h.cb_depth, v->cb_depth);
        assert_int_equal(h.has_nd_shard, v->has_nd_shard);
        if (h.has_nd_shard) {
            char axes[200] = "";
            for (int d = 0; d < h.rank; d++)
                snprintf(axes + strlen(axes), sizeof axes - strlen(axes), "%s%s", d ? "," : "",
                         h.axes[d]);
            assert_same("axes", v->axes, axes, name);
            assert_int_equal(h.rank, b->rank);
        } else {
            assert_int_equal(h.rank, 0);
        }
        for (int d = 0; d < 3; d++) {
            if (h.grid[d] != v->grid[d])
                fail_msg("%s: grid[%d] %lld", name, d, (long long)h.grid[d]);
            if (h.shard_shape_elems[d] != v->shard[d]) fail_msg("%s: shard[%d]", name, d);
        }
        if (h.order != v->order || h.block_k != v->block_k) fail_msg("%s: order", name);
        if (h.distribution != v->dist) fail_msg("%s: distribution", name);
        assert_int_equal(h.align_tiles, v->align_tiles);
        assert_int_equal(h.axis_m, v->axis_m);
        assert_int_equal(h.axis_n, v->axis_n);
        assert_int_equal(h.shards, v->shards);
        assert_int_equal(h.bad, strstr(v->codes, "TTL010") ? K(DISTRIBUTION) : 0);
        cJSON_Delete(hint);
    }
}

/* ---- the key table ------------------------------------------------------- */

static const struct {
    const char *name;
    ttlx_hint_kind_t kind;
    const char *choices; /* joined with "|" */
    const char *default_text;
} key_rows[] = {
    {"memory", TTLX_HINT_CHOICE, "DRAM|L1", "DRAM"},
    {"layout", TTLX_HINT_CHOICE, "interleaved|sharded", "interleaved"},
    {"tile_shape", TTLX_HINT_TILE_SHAPE, "32x32|16x32|32x16|16x16", "[32, 32]"},
    {"dtype", TTLX_HINT_DTYPE, "", "buffer dtype"},
    {"nd_shard", TTLX_HINT_OBJECT, "", ""},
    {"cb_depth", TTLX_HINT_INT, "", "2"},
    {"halo", TTLX_HINT_REJECTED, "", ""},
    {"nd_shard.axes", TTLX_HINT_LABEL_LIST, "", ""},
    {"nd_shard.grid", TTLX_HINT_INT_LIST, "", ""},
    {"nd_shard.shard_shape_elems", TTLX_HINT_INT_LIST, "", ""},
    {"nd_shard.order", TTLX_HINT_CHOICE, "row_major|col_major|match_shard|block_linear",
     "row_major"},
    {"nd_shard.distribution", TTLX_HINT_CHOICE, "grid_2d|round_robin_1d", "grid_2d"},
    {"nd_shard.align_tiles", TTLX_HINT_BOOL, "", "true"},
    {"nd_shard.projected_grid", TTLX_HINT_DERIVED, "", ""},
    {"nd_shard.projected_shard_tiles", TTLX_HINT_DERIVED, "", ""},
};

static void key_table(void **state) {
    (void)state;
    size_t n = sizeof key_rows / sizeof key_rows[0];
    assert_int_equal(ttlx_hint_key_count(), n);
    assert_null(ttlx_hint_key(n));
    assert_null(ttlx_hint_key_find("nd_shard.nope"));
    assert_null(ttlx_hint_key_find("order")); /* nd_shard keys are dotted */
    assert_null(ttlx_hint_key_find(NULL));
    for (size_t i = 0; i < n; i++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(i);
        assert_non_null(k);
        assert_int_equal(k->id, i);
        assert_string_equal(k->name, key_rows[i].name);
        assert_ptr_equal(ttlx_hint_key_find(k->name), k);
        assert_int_equal(k->kind, key_rows[i].kind);
        assert_string_equal(k->default_text, key_rows[i].default_text);
        assert_true(k->doc && k->doc[0]);
        /* leaf: the name without "nd_shard." */
        assert_int_equal(k->in_nd_shard, !strncmp(k->name, "nd_shard.", 9));
        assert_string_equal(k->leaf, k->name + (k->in_nd_shard ? 9 : 0));
        char joined[200] = "";
        for (size_t c = 0; k->choices && k->choices[c]; c++)
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", c ? "|" : "",
                     k->choices[c]);
        assert_string_equal(joined, key_rows[i].choices);
    }
    const ttlx_hint_key_t *depth = ttlx_hint_key_find("cb_depth");
    assert_int_equal(depth->min, 1);
    assert_int_equal(depth->max, 16);
    /* tile choices name the shapes of ttlx_tile_shapes, in order */
    const ttlx_hint_key_t *tile = ttlx_hint_key_find("tile_shape");
    for (int t = 0; t < TTLX_TILE_SHAPE_COUNT; t++) {
        char s[16];
        snprintf(s, sizeof s, "%dx%d", ttlx_tile_shapes[t][0], ttlx_tile_shapes[t][1]);
        assert_string_equal(tile->choices[t], s);
    }
}

/* Every choice of a key is a value the parser takes, under that key. */
static void choices_parse(void **state) {
    (void)state;
    for (size_t i = 0; i < ttlx_hint_key_count(); i++) {
        const ttlx_hint_key_t *k = ttlx_hint_key(i);
        for (size_t c = 0; k->kind == TTLX_HINT_CHOICE && k->choices[c]; c++) {
            char text[300];
            if (k->in_nd_shard)
                snprintf(text, sizeof text,
                         "{\"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [1, 1], "
                         "\"shard_shape_elems\": [256, 256], \"%s\": \"%s\"}}",
                         k->leaf, k->choices[c]);
            else
                snprintf(text, sizeof text, "{\"%s\": \"%s\"}", k->leaf, k->choices[c]);
            cJSON *hint = cJSON_Parse(text);
            char codes[100] = "";
            ttlx_hint_t h;
            ttlx_hint_parse(hint, &buf_a, &h, collect_codes, codes);
            assert_same("codes", "", codes, text);
            assert_int_equal(h.bad, 0);
            assert_true(h.present & 1u << k->id);
            cJSON_Delete(hint);
        }
    }
}

/* ---- enum names ----------------------------------------------------------- */

static void enum_names(void **state) {
    (void)state;
    ttlx_memory_t m;
    ttlx_layout_kind_t l;
    ttlx_order_t o;
    ttlx_dist_t d;
    ttlx_severity_t s;
    int k = -1;
    for (int i = 0; ttlx_memory_names()[i]; i++) {
        assert_true(ttlx_memory_parse(ttlx_memory_names()[i], &m));
        assert_string_equal(ttlx_memory_name(m), ttlx_memory_names()[i]);
    }
    for (int i = 0; ttlx_layout_kind_names()[i]; i++) {
        assert_true(ttlx_layout_kind_parse(ttlx_layout_kind_names()[i], &l));
        assert_string_equal(ttlx_layout_kind_name(l), ttlx_layout_kind_names()[i]);
    }
    for (int i = 0; ttlx_order_names()[i]; i++) {
        assert_true(ttlx_order_parse(ttlx_order_names()[i], &o, &k));
        assert_int_equal(o, i);
        assert_string_equal(ttlx_order_name(o), ttlx_order_names()[i]);
    }
    for (int i = 0; ttlx_dist_names()[i]; i++) {
        assert_true(ttlx_dist_parse(ttlx_dist_names()[i], &d));
        assert_string_equal(ttlx_dist_name(d), ttlx_dist_names()[i]);
    }
    for (int i = 0; ttlx_severity_names()[i]; i++) {
        assert_true(ttlx_severity_parse(ttlx_severity_names()[i], &s));
        assert_string_equal(ttlx_severity_name(s), ttlx_severity_names()[i]);
    }
    assert_string_equal(ttlx_severity_name(TTLX_SEV_WARNING), "warning");
    /* memory and layout ignore case; the rest do not */
    assert_true(ttlx_memory_parse("dram", &m) && m == TTLX_MEM_DRAM);
    assert_true(ttlx_memory_parse("l1", &m) && m == TTLX_MEM_L1);
    assert_false(ttlx_memory_parse("L2", &m));
    assert_true(ttlx_layout_kind_parse("Dram_Interleaved", &l) && l == TTLX_LAYOUT_INTERLEAVED);
    assert_true(ttlx_layout_kind_parse("SHARDED", &l) && l == TTLX_LAYOUT_SHARDED);
    assert_false(ttlx_layout_kind_parse("block", &l));
    assert_false(ttlx_dist_parse("Grid_2d", &d));
    assert_false(ttlx_severity_parse("Error", &s));
    assert_false(ttlx_order_parse("Row_Major", &o, &k));
    /* block_linear(k): 1 <= k <= 2^20; plain block_linear is k = 1 */
    static const struct {
        const char *text;
        bool ok;
        int k;
    } orders[] = {
        {"block_linear", true, 1},
        {"block_linear(1)", true, 1},
        {"block_linear(1048576)", true, 1048576},
        {"block_linear(0)", false, 0},
        {"block_linear(1048577)", false, 0},
        {"block_linear(2", false, 0},
        {"block_linear(2)x", false, 0},
        {"block_linear()", false, 0},
        {"col_major", true, 0},
    };
    for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
        o = TTLX_ORDER_MATCH_SHARD;
        k = -7;
        assert_int_equal(ttlx_order_parse(orders[i].text, &o, &k), orders[i].ok);
        if (!orders[i].ok) {
            assert_int_equal(o, TTLX_ORDER_MATCH_SHARD); /* untouched */
            assert_int_equal(k, -7);
        } else {
            assert_int_equal(k, orders[i].k);
        }
    }
    char buf[40];
    assert_string_equal(ttlx_order_format(TTLX_ORDER_BLOCK_LINEAR, 8, buf, sizeof buf),
                        "block_linear(8)");
    assert_string_equal(ttlx_order_format(TTLX_ORDER_COL_MAJOR, 0, buf, sizeof buf), "col_major");
}

static void default_axes(void **state) {
    (void)state;
    static const char *const want[] = {
        "", "N", "M,N", "B,M,N", "B,H,M,N", "D0,D1,D2,M,N", "D0,D1,D2,D3,M,N"};
    for (int rank = 1; rank <= 6; rank++) {
        char axes[TTLX_MAX_RANK][16], joined[200] = "";
        ttlx_hint_default_axes(rank, axes);
        for (int d = 0; d < rank; d++)
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", d ? "," : "",
                     axes[d]);
        assert_string_equal(joined, want[rank]);
    }
}

/* ---- the canonical hint -------------------------------------------------- */

static void canonical_json(void **state) {
    (void)state;
    static const struct {
        char buffer;
        const char *hint, *canonical;
    } cases[] = {
        {'A', NULL,
         "{\"memory\":\"DRAM\",\"layout\":\"interleaved\",\"tile_shape\":[32,32],"
         "\"dtype\":\"bfloat16\",\"cb_depth\":2}"},
        /* a refused nd_shard is left out; aliases and case are canonical */
        {'A',
         "{\"cb_depth\": 4, \"memory\": \"l1\", \"dtype\": \"fp16\", \"layout\": "
         "\"DRAM_interleaved\", \"nd_shard\": {\"grid\": [2, 2]}, \"halo\": 1, \"x\": 2}",
         "{\"memory\":\"L1\",\"layout\":\"interleaved\",\"tile_shape\":[32,32],"
         "\"dtype\":\"float16\",\"cb_depth\":4}"},
        /* every nd_shard key, the derived ones dropped */
        {'T',
         "{\"layout\": \"sharded\", \"memory\": \"L1\", \"tile_shape\": [16, 32], \"nd_shard\": "
         "{\"projected_grid\": [1, 1], \"align_tiles\": false, \"distribution\": "
         "\"round_robin_1d\", \"order\": \"block_linear(3)\", \"shard_shape_elems\": [1, 32, 32], "
         "\"grid\": [4, 2, 3], \"axes\": [\"B\", \"M\", \"N\"]}}",
         "{\"memory\":\"L1\",\"layout\":\"sharded\",\"tile_shape\":[16,32],"
         "\"dtype\":\"bfloat16\",\"cb_depth\":2,\"nd_shard\":{\"axes\":[\"B\",\"M\",\"N\"],"
         "\"grid\":[4,2,3],\"shard_shape_elems\":[1,32,32],\"order\":\"block_linear(3)\","
         "\"distribution\":\"round_robin_1d\",\"align_tiles\":false}}"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const ttlx_buffer_info_t *b = buffer(cases[c].buffer);
        cJSON *hint = cases[c].hint ? cJSON_Parse(cases[c].hint) : NULL;
        ttlx_hint_t h, again;
        ttlx_hint_parse(hint, b, &h, NULL, NULL);
        cJSON *j = ttlx_hint_to_json(&h);
        assert_non_null(j);
        char *text = cJSON_PrintUnformatted(j);
        assert_string_equal(text, cases[c].canonical);
        /* The canonical hint parses back, without problems, to the same values. */
        char codes[100] = "";
        ttlx_hint_parse(j, b, &again, collect_codes, codes);
        if (codes[0] && strcmp(codes, "TTL012")) fail_msg("canonical hint reports %s", codes);
        assert_int_equal(again.bad, 0);
        again.present = h.present;
        again.bad = h.bad;
        if (!h.has_nd_shard) { /* values of a refused nd_shard are not carried */
            memcpy(again.grid, h.grid, sizeof h.grid);
            memcpy(again.axes, h.axes, sizeof h.axes);
        }
        assert_same_hint(&h, &again);
        cJSON_free(text);
        cJSON_Delete(j);
        cJSON_Delete(hint);
    }
}

/* ---- one nd_shard list following the other -------------------------------- */

/* follow_case: the hint after ttlx_hint_follow (compact JSON), or NULL when
 * it must refuse and leave the hint as it was. */
static void follow_case(const ttlx_buffer_info_t *b, const char *hint, ttlx_hint_key_id_t changed,
                        const char *want) {
    cJSON *h = cJSON_Parse(hint);
    assert_non_null(h);
    char *before = cJSON_PrintUnformatted(h);
    bool ok = ttlx_hint_follow(h, b, changed);
    char *after = cJSON_PrintUnformatted(h);
    if (want) {
        if (!ok) fail_msg("follow refused %s", hint);
        assert_string_equal(after, want);
    } else {
        if (ok) fail_msg("follow accepted %s: %s", hint, after);
        assert_string_equal(after, before);
    }
    cJSON_free(before);
    cJSON_free(after);
    cJSON_Delete(h);
}

static void follow_arithmetic(void **state) {
    (void)state;
    /* shard for a grid: tile-aligned on M and N, covering */
    assert_int_equal(ttlx_shard_for_grid(2048, 7, 32), 320); /* ceil(64 / 7) = 10 tiles */
    assert_int_equal(ttlx_shard_for_grid(2048, 4, 32), 512);
    assert_int_equal(ttlx_shard_for_grid(256, 3, 32), 96);
    assert_int_equal(ttlx_shard_for_grid(100, 3, 32), 64);   /* 4 tiles over 3: 2 each */
    assert_int_equal(ttlx_shard_for_grid(2048, 3, 16), 688); /* 128 tiles of 16 */
    assert_int_equal(ttlx_shard_for_grid(100, 3, 0), 34);    /* not M or N: no tiles */
    assert_int_equal(ttlx_shard_for_grid(0, 3, 32), 0);
    assert_int_equal(ttlx_shard_for_grid(256, 0, 32), 0);
    assert_int_equal(ttlx_shard_for_grid(256, 2, -1), 0);
    assert_int_equal(ttlx_shard_for_grid(INT64_MAX, 1, 32), 0); /* overflow */
    /* grid for a shard: covering */
    assert_int_equal(ttlx_grid_for_shard(2048, 320), 7);
    assert_int_equal(ttlx_grid_for_shard(256, 100), 3);
    assert_int_equal(ttlx_grid_for_shard(256, 128), 2);
    assert_int_equal(ttlx_grid_for_shard(256, 0), 0);
    assert_int_equal(ttlx_grid_for_shard(-1, 4), 0);

    static const ttlx_buffer_info_t big = {"act", "float32", NULL, 2, {2048, 2048}, 4194304};
    /* the case: grid 2,7 typed, the shard follows */
    follow_case(&big,
                "{\"memory\":\"L1\",\"layout\":\"sharded\",\"nd_shard\":{\"axes\":[\"M\",\"N\"],"
                "\"grid\":[2,7],\"shard_shape_elems\":[1024,1024]}}",
                TTLX_HK_GRID,
                "{\"memory\":\"L1\",\"layout\":\"sharded\",\"nd_shard\":{\"axes\":[\"M\",\"N\"],"
                "\"grid\":[2,7],\"shard_shape_elems\":[1024,320]}}");
    /* the hint's tile shape: 16 high */
    follow_case(&big, "{\"tile_shape\":[16,32],\"nd_shard\":{\"grid\":[3,7]}}", TTLX_HK_GRID,
                "{\"tile_shape\":[16,32],\"nd_shard\":{\"grid\":[3,7],"
                "\"shard_shape_elems\":[688,320]}}");
    /* and the other way round */
    follow_case(&buf_a, "{\"nd_shard\":{\"grid\":[2,4],\"shard_shape_elems\":[100,64]}}",
                TTLX_HK_SHARD_SHAPE,
                "{\"nd_shard\":{\"grid\":[3,4],\"shard_shape_elems\":[100,64]}}");
    /* rank 3: B is not tile-aligned; the axes the hint names decide */
    follow_case(&buf_t, "{\"nd_shard\":{\"axes\":[\"B\",\"M\",\"N\"],\"grid\":[2,2,3]}}",
                TTLX_HK_GRID,
                "{\"nd_shard\":{\"axes\":[\"B\",\"M\",\"N\"],\"grid\":[2,2,3],"
                "\"shard_shape_elems\":[2,32,32]}}");
    follow_case(&buf_t, "{\"nd_shard\":{\"axes\":[\"M\",\"B\",\"N\"],\"grid\":[3,2,3]}}",
                TTLX_HK_GRID,
                "{\"nd_shard\":{\"axes\":[\"M\",\"B\",\"N\"],\"grid\":[3,2,3],"
                "\"shard_shape_elems\":[32,32,32]}}");
    /* refused: a list of the wrong length, a zero, a word, no nd_shard, another key */
    follow_case(&buf_a, "{\"nd_shard\":{\"grid\":[2]}}", TTLX_HK_GRID, NULL);
    follow_case(&buf_a, "{\"nd_shard\":{\"grid\":[2,0]}}", TTLX_HK_GRID, NULL);
    follow_case(&buf_a, "{\"nd_shard\":{\"grid\":[\"a\",2]}}", TTLX_HK_GRID, NULL);
    follow_case(&buf_a, "{\"nd_shard\":{\"grid\":[2.5,2]}}", TTLX_HK_GRID, NULL);
    follow_case(&buf_a, "{\"memory\":\"L1\"}", TTLX_HK_GRID, NULL);
    follow_case(&buf_a, "{\"nd_shard\":{\"grid\":[2,2]}}", TTLX_HK_MEMORY, NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_problem),  cmocka_unit_test(every_value),
        cmocka_unit_test(key_table),      cmocka_unit_test(choices_parse),
        cmocka_unit_test(enum_names),     cmocka_unit_test(default_axes),
        cmocka_unit_test(canonical_json), cmocka_unit_test(follow_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
