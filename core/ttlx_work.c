/*
 * ttlx_work.c - the details of the work partition (SPEC 3.7) that the
 * partition pass in ttlx_infer.c asks for: the core order of the global
 * split, Kt of a matmul-shaped function, and the block size of a launch
 * grid over the output's tiles (info TTL017).
 */
#include "ttlx_result_internal.h"
#include "ttlx_text.h"

#include <stdio.h>
#include <string.h>

bool ttlx_work_core_order(ttlx_result_t *r) {
    const cJSON *us =
        cJSON_GetObjectItemCaseSensitive(ttlx_func_attrs(r->func), "tt.user_schedule");
    const cJSON *co =
        cJSON_IsObject(us) ? cJSON_GetObjectItemCaseSensitive(us, "core_order") : NULL;
    if (!co) return false;
    if (cJSON_IsString(co) && !strcmp(co->valuestring, "row_major")) return false;
    if (cJSON_IsString(co) && !strcmp(co->valuestring, "col_major")) return true;
    char shown[64];
    ttlx_result_add_diag(
        r, (ttlx_diag_args_t){"TTL010", TTLX_SEV_ERROR, -1, NULL, "core_order", -1, -1},
        "core_order: \"row_major\"",
        "tt.user_schedule.core_order: expected \"row_major\" or \"col_major\", got %s",
        ttlx_json_show(shown, sizeof shown, co));
    return false;
}

/* The output buffer as the partition finds it: role output, else the buffer
 * named C, else the last; -1 when there is no buffer. */
int ttlx_work_output(const ttlx_result_t *r) {
    for (size_t i = 0; i < r->n; i++)
        if (r->layouts[i].buf->role && !strcmp(r->layouts[i].buf->role, "output")) return (int)i;
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->layouts[i].buf->name, "C")) return (int)i;
    return r->n ? (int)r->n - 1 : -1;
}

/* True when a [.., M, K] x b [.., K, N] -> c [.., M, N], each batch dim of a
 * and b equal to c's or 1 (broadcast), aligned from the right. */
static bool matmul_shaped(const ttlx_buffer_info_t *a, const ttlx_buffer_info_t *b,
                          const ttlx_buffer_info_t *c) {
    if (a->rank < 2 || b->rank < 2 || c->rank < 2) return false;
    if (a->rank > c->rank || b->rank > c->rank) return false;
    int64_t M = a->shape[a->rank - 2], K = a->shape[a->rank - 1];
    if (b->shape[b->rank - 2] != K) return false;
    int64_t N = b->shape[b->rank - 1];
    if (c->shape[c->rank - 2] != M || c->shape[c->rank - 1] != N) return false;
    const ttlx_buffer_info_t *in[2] = {a, b};
    for (int k = 0; k < 2; k++)
        for (int d = 3; d <= in[k]->rank; d++) {
            int64_t v = in[k]->shape[in[k]->rank - d], want = c->shape[c->rank - d];
            if (v != want && v != 1) return false;
        }
    return true;
}

static int by_name(const ttlx_result_t *r, const char *name) {
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->layouts[i].buf->name, name)) return (int)i;
    return -1;
}

void ttlx_work_kt(ttlx_result_t *r) {
    ttlx_partition_t *p = &r->part;
    p->kt = 1;
    p->kt_derived = false;
    p->kt_a = p->kt_b = -1;
    int a = -1, b = -1, c = -1;
    /* By role: one output and exactly two inputs (role input or weight). */
    int outs = 0, ins = 0, in_idx[2] = {-1, -1};
    for (size_t i = 0; i < r->n; i++) {
        const char *role = r->layouts[i].buf->role;
        if (!role) continue;
        if (!strcmp(role, "output")) {
            outs++;
            c = (int)i;
        } else if (!strcmp(role, "input") || !strcmp(role, "weight")) {
            if (ins < 2) in_idx[ins] = (int)i;
            ins++;
        }
    }
    if (outs == 1 && ins == 2 &&
        matmul_shaped(r->layouts[in_idx[0]].buf, r->layouts[in_idx[1]].buf, r->layouts[c].buf)) {
        a = in_idx[0];
        b = in_idx[1];
    } else {
        /* By name: A x B -> C. */
        a = by_name(r, "A");
        b = by_name(r, "B");
        c = by_name(r, "C");
        if (a < 0 || b < 0 || c < 0 ||
            !matmul_shaped(r->layouts[a].buf, r->layouts[b].buf, r->layouts[c].buf))
            return;
    }
    const ttlx_layout_t *A = &r->layouts[a];
    p->kt = ttlx_ceil_div(A->buf->shape[A->buf->rank - 1], A->tile_w);
    p->kt_derived = true;
    p->kt_a = a;
    p->kt_b = b;
}

/* min(total, i * per): the tiles before block i on one axis. */
static int64_t tiles_before(int64_t i, int64_t per, int64_t total) {
    int64_t v = ttlx_sat_mul(i, per);
    return v < total ? v : total;
}

/* Output tiles that the blocks [s, e) of the row-major launch grid (ln
 * blocks per row, blocks of bm x bn tiles over an om x on tile output)
 * cover: partial blocks at the edges counted exactly, blocks past the
 * output none. */
static int64_t range_tiles(int64_t s, int64_t e, int64_t ln, int64_t bm, int64_t bn, int64_t om,
                           int64_t on) {
    if (e <= s) return 0;
    int64_t i0 = s / ln, j0 = s % ln, i1 = e / ln, j1 = e % ln;
#define ROWS(i) (tiles_before((i) + 1, bm, om) - tiles_before((i), bm, om))
#define COLS_TO(j) tiles_before((j), bn, on)
    if (i0 == i1) return ttlx_sat_mul(ROWS(i0), COLS_TO(j1) - COLS_TO(j0));
    int64_t t = ttlx_sat_mul(ROWS(i0), on - COLS_TO(j0));
    t = ttlx_sat_add(t, ttlx_sat_mul(tiles_before(i1, bm, om) - tiles_before(i0 + 1, bm, om), on));
    t = ttlx_sat_add(t, ttlx_sat_mul(ROWS(i1), COLS_TO(j1)));
#undef ROWS
#undef COLS_TO
    return t;
}

/* "an" before a number said with a vowel sound (8, 11, 18, 80..., 800...),
 * else "a". */
static const char *article(int64_t v) {
    while (v >= 1000)
        v /= 1000;
    return (v == 8 || v == 11 || v == 18 || (v >= 80 && v < 90) || (v >= 800 && v < 900)) ? "an"
                                                                                          : "a";
}

/* One axis of an uneven division: "64 rows / 3 blocks = 21 remainder 1:
 * blocks of ceil 22, the last 20", plus the blocks that get no tile. */
static void uneven_axis(char *buf, size_t n, const char *what, int64_t tiles, int64_t blocks,
                        int64_t per) {
    int64_t used = ttlx_ceil_div(tiles, per);
    int64_t last = tiles - (used - 1) * per;
    int64_t idle = blocks - used;
    char tail[64] = "";
    if (idle > 0) snprintf(tail, sizeof tail, ", %lld with no tile", (long long)idle);
    snprintf(buf, n,
             "%lld %s / %lld blocks = %lld remainder %lld: blocks of ceil %lld, the last %lld%s",
             (long long)tiles, what, (long long)blocks, (long long)(tiles / blocks),
             (long long)(tiles % blocks), (long long)per, (long long)last, tail);
}

void ttlx_work_blocks(ttlx_result_t *r, bool have_kernel) {
    ttlx_partition_t *p = &r->part;
    p->output = ttlx_work_output(r);
    if (p->output >= 0) {
        p->out_grid[0] = r->layouts[p->output].view_rows;
        p->out_grid[1] = r->layouts[p->output].view_cols;
    } else {
        p->out_grid[0] = p->mt;
        p->out_grid[1] = p->nt;
    }
    bool blocks = have_kernel && p->output >= 0;
    for (int k = 0; k < 2; k++) {
        int64_t launch = k ? p->nt : p->mt;
        p->block_tiles[k] = blocks ? ttlx_ceil_div(p->out_grid[k], launch) : 1;
    }
    p->out_tiles_min = p->out_tiles_max = 0;
    for (size_t k = 0; k < p->ncores; k++) {
        ttlx_core_range_t *c = &r->ranges[k];
        if (!blocks || p->local_shard)
            c->out_tiles = c->count;
        else
            c->out_tiles =
                range_tiles(c->start, ttlx_sat_add(c->start, c->count), p->nt, p->block_tiles[0],
                            p->block_tiles[1], p->out_grid[0], p->out_grid[1]);
        if (!k || c->out_tiles < p->out_tiles_min) p->out_tiles_min = c->out_tiles;
        if (!k || c->out_tiles > p->out_tiles_max) p->out_tiles_max = c->out_tiles;
    }
    if (!blocks || (p->mt == p->out_grid[0] && p->nt == p->out_grid[1])) return;
    /* TTL017: blocks larger (or smaller) than one tile. */
    int64_t lm = p->mt, ln = p->nt, om = p->out_grid[0], on = p->out_grid[1];
    int64_t bm = p->block_tiles[0], bn = p->block_tiles[1];
    bool even_m = om % lm == 0, even_n = on % ln == 0;
    char head[200];
    snprintf(head, sizeof head, "launch grid %lldx%lld blocks over %s %lldx%lld-tile output",
             (long long)lm, (long long)ln, article(om), (long long)om, (long long)on);
    ttlx_diag_args_t a = {"TTL017", TTLX_SEV_INFO, -1, NULL, NULL, -1, -1};
    if (even_m && even_n) {
        ttlx_result_add_diag(r, a, NULL, "%s: each block covers %lldx%lld tiles", head,
                             (long long)bm, (long long)bn);
        return;
    }
    char um[160] = "", un[160] = "";
    if (!even_m) uneven_axis(um, sizeof um, "rows", om, lm, bm);
    if (!even_n) uneven_axis(un, sizeof un, "columns", on, ln, bn);
    ttlx_result_add_diag(r, a, NULL, "%s: each block covers up to %lldx%lld tiles (uneven: %s%s%s)",
                         head, (long long)bm, (long long)bn, um, um[0] && un[0] ? "; " : "", un);
}

/* "4 blocks per core" or "3-4 blocks per core". */
static void per_core(char *buf, size_t n, int64_t lo, int64_t hi, const char *unit) {
    if (lo == hi)
        snprintf(buf, n, "%lld %s%s per core", (long long)hi, unit, hi == 1 ? "" : "s");
    else
        snprintf(buf, n, "%lld-%lld %ss per core", (long long)lo, (long long)hi, unit);
}

size_t ttlx_result_work_text(const ttlx_result_t *r, char *buf, size_t n) {
    const ttlx_partition_t *p = &r->part;
    char b1[48], b2[48];
    /* the names as a terminal may show them (ttlx_text.h): a newline in a
     * name never starts a line of this text */
    char n1[200], n2[200];
    size_t used = 0;
    int w;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        w = snprintf(buf + (used < n ? used : n), used < n ? n - used : 0, __VA_ARGS__);           \
        if (w > 0) used += (size_t)w;                                                              \
    } while (0)
    if (n) buf[0] = '\0';
    int64_t ext[3];
    bool kernel = ttlx_func_kernel(r->func, ext) > 0 && !p->launch_overflow;
    int64_t lo = 0, hi = 0;
    for (size_t k = 0; k < p->ncores; k++) {
        if (!k || p->cores[k].count < lo) lo = p->cores[k].count;
        if (!k || p->cores[k].count > hi) hi = p->cores[k].count;
    }
    if (p->local_shard) {
        if (kernel)
            PUT("launch grid %lldx%lld blocks (T.Kernel); local_shard splits by shard\n",
                (long long)(ext[1] * ext[2]), (long long)ext[0]);
        else if (p->launch_overflow)
            PUT("launch grid of 2^63 blocks or more (T.Kernel, TTL010); local_shard splits by "
                "shard\n");
        else
            PUT("launch grid none (no T.Kernel); local_shard splits by shard\n");
    } else if (kernel) {
        per_core(b1, sizeof b1, lo, hi, "block");
        PUT("launch grid %lldx%lld blocks (T.Kernel), %s on %zu cores\n", (long long)p->mt,
            (long long)p->nt, b1, p->ncores);
    } else if (p->launch_overflow) {
        PUT("launch grid of 2^63 blocks or more (T.Kernel, TTL010): the split is by output "
            "tile\n");
    } else {
        PUT("launch grid none (no T.Kernel): the split is by output tile\n");
    }
    per_core(b2, sizeof b2, p->out_tiles_min, p->out_tiles_max, "tile");
    if (p->output >= 0) ttlx_text_safe(n1, sizeof n1, r->layouts[p->output].buf->name);
    if (p->output >= 0 && p->local_shard)
        PUT("output %s: %lldx%lld tiles, %lldx%lld per block; cores work on %s's shards, %s\n", n1,
            (long long)p->out_grid[0], (long long)p->out_grid[1], (long long)p->block_tiles[0],
            (long long)p->block_tiles[1],
            ttlx_text_safe(n2, sizeof n2, r->layouts[p->leader].buf->name), b2);
    else if (p->output >= 0)
        PUT("output %s: %lldx%lld tiles, %lldx%lld per block, %s\n", n1, (long long)p->out_grid[0],
            (long long)p->out_grid[1], (long long)p->block_tiles[0], (long long)p->block_tiles[1],
            b2);
    if (p->kt_derived) {
        const ttlx_layout_t *A = &r->layouts[p->kt_a];
        PUT("Kt %lld: %s x %s is matmul-shaped, K = %lld in tiles %d wide\n", (long long)p->kt,
            ttlx_text_safe(n1, sizeof n1, A->buf->name),
            ttlx_text_safe(n2, sizeof n2, r->layouts[p->kt_b].buf->name),
            (long long)A->buf->shape[A->buf->rank - 1], A->tile_w);
    } else {
        PUT("Kt not derived: 1 (no matmul-shaped A x B -> C)\n");
    }
    if (!p->local_shard)
        PUT("core order %s\n", p->col_major ? "col_major (y fastest, as tt-metal's "
                                              "split_work_to_cores)"
                                            : "row_major (x fastest)");
#undef PUT
    return used;
}
