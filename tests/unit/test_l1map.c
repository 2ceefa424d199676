/*
 * test_l1map.c - the L1 address map of a core (ttlx_l1map.h): exact
 * addresses of lock-step L1 buffers, the gaps left by buffers on other
 * cores, the circular buffers above them, the free space, a map past the
 * bank's end, and bad arguments. Every address below is worked out by hand
 * from wormhole_n150: L1 1,499,136 B (0x16E000), bank 1,382,144 B, so the
 * base is 0x16E000 - 0x151700 = 0x1C900; L1 alignment 16; bf16 tiles of
 * 2,048 B (0x800).
 */
#include "test_support.h"

#include "ttlx_l1map.h"

/* A: 256x256 sharded [2, 4] x [128, 64] on cores (0..3, 0..1), 8 tiles a
 * core (0x4000); B: 256x256 L1 interleaved, 64 pages over 64 banks, 1 page
 * a bank (0x800); C: DRAM (no L1 range); D: 192x32 in 6 one-tile shards
 * dealt round robin to cores (0..5, 0) (0x800). The partition follows A:
 * its 8 cores have the 4 CBs of 2 x 2,048 B (0x1000 each). */
static const char *four =
    "{\"name\": \"f\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"},"
    "{\"name\": \"D\", \"shape\": [192, 32], \"dtype\": \"bfloat16\"}],"
    "\"attrs\": {\"tt.user_layout\": {"
    "\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
    "\"N\"], \"grid\": [2, 4], \"shard_shape_elems\": [128, 64]}},"
    "\"B\": {\"memory\": \"L1\"},"
    "\"D\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", "
    "\"N\"], \"grid\": [6, 1], \"shard_shape_elems\": [32, 32], \"distribution\": "
    "\"round_robin_1d\"}}}}}";

static void assert_span(const ttlx_l1_span_t *s, ttlx_l1_kind_t kind, size_t buffer, int64_t start,
                        int64_t end) {
    assert_int_equal(s->kind, kind);
    assert_int_equal(s->buffer, buffer);
    assert_int_equal(s->start, start);
    assert_int_equal(s->end, end);
}

static void work_core(void **state) {
    (void)state;
    t_run_t t = t_infer(four, "wormhole_n150");
    ttlx_l1_span_t s[16];
    ttlx_l1_frame_t f;
    /* Core (0,0) holds A, B and D's shard 0, and is a work core. */
    assert_int_equal(ttlx_l1_map(t.r, 0, 0, s, 16, &f), 7);
    assert_int_equal(f.base, 0x1C900);
    assert_int_equal(f.limit, 0x16E000);
    assert_span(&s[0], TTLX_L1_BUFFER, 0, 0x1C900, 0x20900); /* A, 0x4000 */
    assert_span(&s[1], TTLX_L1_BUFFER, 1, 0x20900, 0x21100); /* B, 0x800 */
    assert_span(&s[2], TTLX_L1_BUFFER, 3, 0x21100, 0x21900); /* D, 0x800; C is DRAM */
    assert_int_equal(f.cb_base, 0x21900);
    assert_span(&s[3], TTLX_L1_CB, 0, 0x21900, 0x22900);
    assert_span(&s[4], TTLX_L1_CB, 1, 0x22900, 0x23900);
    assert_span(&s[5], TTLX_L1_CB, 2, 0x23900, 0x24900);
    assert_span(&s[6], TTLX_L1_CB, 3, 0x24900, 0x25900);
    assert_int_equal(f.top, 0x25900);
    assert_int_equal(f.free_bytes, 0x16E000 - 0x25900); /* 1,345,280 */
    assert_int_equal(f.free_bytes, 1345280);
    assert_int_equal(f.over_bytes, 0);
    /* Nothing is skipped: used on the core = the map's top - base. */
    assert_int_equal(ttlx_result_core_used(t.r, 0, 0), f.top - f.base);
    t_free(&t);
}

static void lock_step_gaps(void **state) {
    (void)state;
    t_run_t t = t_infer(four, "wormhole_n150");
    ttlx_l1_span_t s[16];
    ttlx_l1_frame_t f;
    /* Core (5,0): no A (its range stays unused here), B, D's shard 5; not a
     * work core, so no CBs, and the free space starts above D. */
    assert_int_equal(ttlx_l1_map(t.r, 5, 0, s, 16, &f), 3);
    assert_span(&s[0], TTLX_L1_GAP, 0, 0x1C900, 0x20900);
    assert_span(&s[1], TTLX_L1_BUFFER, 1, 0x20900, 0x21100);
    assert_span(&s[2], TTLX_L1_BUFFER, 3, 0x21100, 0x21900);
    assert_int_equal(f.cb_base, 0x21900);
    assert_int_equal(f.top, 0x21900);
    assert_int_equal(f.free_bytes, 1361664); /* 0x14C700 */
    /* Core (7,7): only B. */
    assert_int_equal(ttlx_l1_map(t.r, 7, 7, s, 16, &f), 3);
    assert_span(&s[0], TTLX_L1_GAP, 0, 0x1C900, 0x20900);
    assert_span(&s[1], TTLX_L1_BUFFER, 1, 0x20900, 0x21100);
    assert_span(&s[2], TTLX_L1_GAP, 3, 0x21100, 0x21900);
    /* Fewer slots than spans: the count, the first ones written. */
    ttlx_l1_span_t one[1];
    assert_int_equal(ttlx_l1_map(t.r, 0, 0, one, 1, NULL), 7);
    assert_span(&one[0], TTLX_L1_BUFFER, 0, 0x1C900, 0x20900);
    assert_int_equal(ttlx_l1_map(t.r, 0, 0, NULL, 0, NULL), 7);
    /* Not a core. */
    f.top = 42;
    assert_int_equal(ttlx_l1_map(t.r, 8, 0, s, 16, &f), -1);
    assert_int_equal(ttlx_l1_map(t.r, 0, -1, s, 16, &f), -1);
    assert_int_equal(f.top, 42); /* untouched */
    t_free(&t);
}

/* 2048x2048 float32 in [2, 2] shards of 1024x1024: 1,024 tiles of 4,096 B =
 * 4,194,304 B (0x400000) a core, past the bank: the map says by how much. */
static void over_the_bank(void **state) {
    (void)state;
    t_run_t t = t_one("[2048, 2048]", "float32",
                      "{\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                      "[\"M\",\"N\"], \"grid\": [2,2], \"shard_shape_elems\": [1024,1024]}}",
                      "wormhole_n150");
    ttlx_l1_span_t s[4];
    ttlx_l1_frame_t f;
    assert_int_equal(ttlx_l1_map(t.r, 1, 1, s, 4, &f), 2);
    assert_span(&s[0], TTLX_L1_BUFFER, 0, 0x1C900, 0x41C900);
    assert_span(&s[1], TTLX_L1_CB, 0, 0x41C900, 0x41E900); /* 2 x 4,096 */
    assert_int_equal(f.free_bytes, 0);
    assert_int_equal(f.over_bytes, 0x41E900 - 0x16E000); /* 2,820,352 */
    assert_int_equal(f.over_bytes, 2820352);
    t_free(&t);
}

/* Blackhole: a different base (1,572,864 - 1,461,504 = 111,360 = 0x1B300). */
static void blackhole_base(void **state) {
    (void)state;
    t_run_t t = t_one("[64, 64]", "bfloat16", "{\"memory\": \"L1\"}", "blackhole_p150");
    ttlx_l1_span_t s[4];
    ttlx_l1_frame_t f;
    /* 4 pages over 110 banks: one page (0x800) reserved on every core. */
    assert_int_equal(ttlx_l1_map(t.r, 10, 9, s, 4, &f), 1);
    assert_int_equal(f.base, 0x1B300);
    assert_span(&s[0], TTLX_L1_BUFFER, 0, 0x1B300, 0x1BB00);
    assert_int_equal(f.limit, 1572864);
    t_free(&t);
}

/* 2^62 one-element shards: the reservation saturates past 2^63, so there
 * is no address map (and no crash). */
static void too_large(void **state) {
    (void)state;
    t_run_t t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": "
                        "[2147483648, 2147483648], \"dtype\": \"float32\"}], \"attrs\": "
                        "{\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", \"layout\": "
                        "\"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": "
                        "[2147483648, 2147483648], \"shard_shape_elems\": [1, 1], "
                        "\"distribution\": \"round_robin_1d\"}}}}}",
                        "wormhole_n150");
    ttlx_l1_span_t s[4];
    ttlx_l1_frame_t f = {.top = 7};
    assert_int_equal(ttlx_l1_map(t.r, 0, 0, s, 4, &f), -1);
    assert_int_equal(f.top, 7);
    t_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(work_core),     cmocka_unit_test(lock_step_gaps),
        cmocka_unit_test(over_the_bank), cmocka_unit_test(blackhole_base),
        cmocka_unit_test(too_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
