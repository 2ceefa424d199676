/*
 * ttlx_infer.c - the passes: InferTTLayout (tiles, padding, interleaved and
 * N-D sharded placement, from hints parsed by ttlx_hint.c),
 * PropagateTTLayout (circular buffers) and LayoutAwareWorkPartitionTT, with
 * the diagnostics of SPEC 4 they find and the fixes computed here. The
 * result they fill is stored by ttlx_result.c; placement queries on it are
 * in ttlx_place.c.
 */
#include "ttlx_infer.h"
#include "ttlx_near.h"
#include "ttlx_fix_internal.h"
#include "ttlx_func_internal.h"
#include "ttlx_result_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ttlx_diag_args_t on_buf(const char *code, ttlx_severity_t sev, int bi, const char *key) {
    return (ttlx_diag_args_t){code, sev, bi, NULL, key, -1, -1};
}

/* Formats bytes with thousands separators into buf. */
static const char *fmt_b(char *buf, size_t n, int64_t v) {
    ttlx_sb_t sb = {0};
    if (v == INT64_MAX)
        ttlx_sb_puts(&sb, "more than 2^63");
    else
        ttlx_sb_bytes(&sb, v);
    snprintf(buf, n, "%s", sb.data ? sb.data : "?");
    ttlx_sb_free(&sb);
    return buf;
}

/* Smallest M x N grid on the device whose tile-aligned shards of L fit in
 * budget bytes per core. Other axes keep their grid and shard. Returns
 * false when none fits; *best_bytes is then the bytes of the largest grid. */
typedef struct grid_fit {
    int64_t gm, gn, sm, sn, bytes;
} grid_fit_t;

static bool fit_grid(const ttlx_layout_t *L, const ttlx_device_t *dev, int64_t budget,
                     grid_fit_t *best) {
    const ttlx_buffer_info_t *b = L->buf;
    int am = L->axis_m, an = L->axis_n;
    bool colm = L->dist == TTLX_DIST_GRID_2D && L->order == TTLX_ORDER_COL_MAJOR;
    int64_t max_m = colm ? dev->grid_x : dev->grid_y;
    int64_t max_n = colm ? dev->grid_y : dev->grid_x;
    if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        max_m = (int64_t)dev->grid_x * dev->grid_y;
        max_n = max_m;
    }
    int64_t other_tiles = 1, stack = 1;
    for (int d = 0; d < b->rank; d++) {
        if (d == am || d == an) continue;
        other_tiles = ttlx_sat_mul(other_tiles, L->shard[d]);
        stack = ttlx_sat_mul(stack, L->grid[d]);
    }
    int64_t mt = ttlx_ceil_div(b->shape[am], L->tile_h),
            nt = ttlx_ceil_div(b->shape[an], L->tile_w);
    bool found = false;
    grid_fit_t last = {0};
    for (int64_t gm = 1; gm <= max_m && gm <= mt; gm++) {
        for (int64_t gn = 1; gn <= max_n && gn <= nt; gn++) {
            int64_t cores = gm * gn;
            if (L->dist == TTLX_DIST_ROUND_ROBIN_1D && cores > (int64_t)dev->grid_x * dev->grid_y)
                continue;
            int64_t smt = ttlx_ceil_div(mt, gm), snt = ttlx_ceil_div(nt, gn);
            int64_t per = stack;
            if (L->dist == TTLX_DIST_ROUND_ROBIN_1D)
                per = ttlx_ceil_div(ttlx_sat_mul(stack, cores), (int64_t)dev->grid_x * dev->grid_y);
            int64_t bytes =
                ttlx_sat_mul(ttlx_sat_mul(ttlx_sat_mul(per, other_tiles), ttlx_sat_mul(smt, snt)),
                             L->page_bytes);
            grid_fit_t g = {gm, gn, smt * L->tile_h, snt * L->tile_w, bytes};
            last = g;
            if (bytes > budget) continue;
            int64_t bc = best->gm * best->gn;
            if (!found || cores < bc || (cores == bc && bytes < best->bytes)) {
                *best = g;
                found = true;
            }
        }
    }
    if (!found) *best = last;
    return found;
}

/* Writes "grid [...] with shard_shape_elems [...]" for a fit into buf. */
static void fmt_fit(char *buf, size_t n, const ttlx_layout_t *L, const grid_fit_t *g) {
    int64_t grid[TTLX_MAX_RANK], shard[TTLX_MAX_RANK];
    int rank = L->buf->rank;
    for (int d = 0; d < rank; d++) {
        grid[d] = L->grid[d];
        shard[d] = L->shard[d];
    }
    grid[L->axis_m] = g->gm;
    grid[L->axis_n] = g->gn;
    shard[L->axis_m] = g->sm;
    shard[L->axis_n] = g->sn;
    char a[200], c[200], bb[40];
    snprintf(buf, n, "grid %s with shard_shape_elems %s: %lld core%s, %s B per core",
             ttlx_fmt_list(a, sizeof a, grid, rank), ttlx_fmt_list(c, sizeof c, shard, rank),
             (long long)(g->gm * g->gn), g->gm * g->gn == 1 ? "" : "s",
             fmt_b(bb, sizeof bb, g->bytes));
}

static void fill_tiles(ttlx_result_t *r, ttlx_layout_t *L) {
    const ttlx_buffer_info_t *b = L->buf;
    const ttlx_dtype_info_t *dt = ttlx_dtype_lookup(L->dtype);
    L->data_format = dt->data_format;
    L->tile_bytes = ttlx_dtype_tile_bytes(dt, L->tile_h, L->tile_w);
    int align = L->memory == TTLX_MEM_DRAM ? r->dev.dram_align_bytes : r->dev.l1_align_bytes;
    L->page_bytes = ttlx_ceil_div(L->tile_bytes, align) * align;
    L->cb_bytes = L->tile_bytes * L->cb_depth;
    int64_t H = b->rank >= 2 ? b->shape[b->rank - 2] : 1;
    int64_t W = b->shape[b->rank - 1];
    int64_t outer = 1;
    L->tile_rank = b->rank >= 2 ? b->rank : 2;
    for (int d = 0; d + 2 < b->rank; d++) {
        L->tile_grid[d] = b->shape[d];
        outer *= b->shape[d];
    }
    int64_t ht = ttlx_ceil_div(H, L->tile_h), wt = ttlx_ceil_div(W, L->tile_w);
    L->tile_grid[L->tile_rank - 2] = ht;
    L->tile_grid[L->tile_rank - 1] = wt;
    L->view_rows = outer * ht;
    L->view_cols = wt;
    L->pages = L->view_rows * wt;
    L->needs_padding = b->rank == 1 || H % L->tile_h || W % L->tile_w;
    if (b->rank == 1) {
        L->padded_rank = 2;
        L->padded_shape[0] = L->tile_h;
        L->padded_shape[1] = wt * L->tile_w;
    } else {
        L->padded_rank = b->rank;
        for (int d = 0; d < b->rank; d++)
            L->padded_shape[d] = b->shape[d];
        L->padded_shape[b->rank - 2] = ht * L->tile_h;
        L->padded_shape[b->rank - 1] = wt * L->tile_w;
    }
    int64_t full = (H / L->tile_h) * (W / L->tile_w);
    L->padding_pages = b->rank == 1 ? L->pages : outer * (ht * wt - full);
    double cap = (double)L->pages * L->tile_h * L->tile_w;
    L->padding_waste = cap > 0 ? 1.0 - (double)b->elems / cap : 0.0;
}

/* TTL016: a dtype tt-metal has no data format for (int64, bool, float8_*,
 * float16x4, ...). The buffer keeps its tile geometry (read as the nearest
 * dtype) but gets no pages, placement or circular buffer, so it adds
 * nothing to L1. Returns false for such a buffer. */
static bool check_dtype_format(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    if (ttlx_dtype_lookup(L->dtype)) return true;
    const char *near = ttlx_dtype_nearest_format(L->dtype);
    char fix[120];
    snprintf(fix, sizeof fix, "dtype: \"%s\"", near ? near : "bfloat16");
    ttlx_result_add_diag(r, on_buf("TTL016", TTLX_SEV_ERROR, bi, "dtype"), fix,
                         "no tt-metal data format for dtype %.60s: %s gets no placement and no "
                         "circular buffer (nearest: %s)",
                         L->dtype, L->buf->name, near ? near : "bfloat16");
    const char *dtype = L->dtype;
    L->dtype = near ? near : "bfloat16";
    fill_tiles(r, L);
    L->dtype = dtype;
    L->data_format = NULL;
    L->tile_bytes = L->page_bytes = L->cb_bytes = 0;
    return false;
}

/* Parses the hint of buffer bi into its layout, emitting TTL001-TTL003,
 * TTL010-TTL012. Returns the nd_shard object to process, if any. */

/* Derives the shard geometry and placement (TTL004-TTL009, TTL014). */
static void place_sharded(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_buffer_info_t *b = L->buf;
    const ttlx_device_t *dev = &r->dev;
    char b1[200], b2[200], b3[400], bb[40], bc[40];
    int am = L->axis_m, an = L->axis_n;
    L->proj_grid[0] = L->grid[am];
    L->proj_grid[1] = L->grid[an];
    L->proj_shard_tiles[0] = ttlx_ceil_div(L->shard[am], L->tile_h);
    L->proj_shard_tiles[1] = ttlx_ceil_div(L->shard[an], L->tile_w);
    int64_t st = ttlx_sat_mul(L->proj_shard_tiles[0], L->proj_shard_tiles[1]);
    for (int d = 0; d < b->rank; d++)
        if (d != am && d != an) st = ttlx_sat_mul(st, L->shard[d]);
    L->shard_tiles = st;
    bool l1 = L->memory == TTLX_MEM_L1;

    /* TTL004: tile alignment of the M and N shard extents. */
    bool mis_m = L->shard[am] % L->tile_h != 0, mis_n = L->shard[an] % L->tile_w != 0;
    if (mis_m || mis_n) {
        int64_t s[TTLX_MAX_RANK], g[TTLX_MAX_RANK];
        for (int d = 0; d < b->rank; d++) {
            s[d] = L->shard[d];
            g[d] = L->grid[d];
        }
        int64_t tiles[2] = {L->tile_h, L->tile_w};
        int ax[2] = {am, an};
        for (int k = 0; k < 2; k++) {
            int64_t t = tiles[k], v = L->shard[ax[k]];
            int64_t lo = v / t * t, hi = lo + t;
            s[ax[k]] = lo == v ? v : (lo >= t && v - lo < hi - v) ? lo : hi;
            g[ax[k]] = ttlx_ceil_div(b->shape[ax[k]], s[ax[k]]);
        }
        snprintf(b3, sizeof b3,
                 "shard_shape_elems %s with grid %s (nearest tile-aligned shard "
                 "that covers the tensor)",
                 ttlx_fmt_list(b1, sizeof b1, s, b->rank),
                 ttlx_fmt_list(b2, sizeof b2, g, b->rank));
        char what[120];
        if (mis_m && mis_n)
            snprintf(what, sizeof what,
                     "shard M=%lld and N=%lld are not multiples of the %dx%d tile",
                     (long long)L->shard[am], (long long)L->shard[an], L->tile_h, L->tile_w);
        else if (mis_m)
            snprintf(what, sizeof what, "shard M=%lld is not a multiple of the tile height %d",
                     (long long)L->shard[am], L->tile_h);
        else
            snprintf(what, sizeof what, "shard N=%lld is not a multiple of the tile width %d",
                     (long long)L->shard[an], L->tile_w);
        ttlx_result_add_diag(
            r, on_buf("TTL004", l1 ? TTLX_SEV_ERROR : TTLX_SEV_WARNING, bi, "shard_shape_elems"),
            b3, "%s shard requires tile alignment: %s", l1 ? "L1" : "DRAM", what);
    } else if (l1 && !L->align_tiles) {
        ttlx_result_add_diag(r, on_buf("TTL004", TTLX_SEV_ERROR, bi, "align_tiles"),
                             "align_tiles: true",
                             "L1 shard requires tile alignment: align_tiles is false");
    }

    /* TTL008 / TTL009: coverage per axis. */
    for (int d = 0; d < b->rank; d++) {
        int64_t covered = ttlx_sat_mul(L->grid[d], L->shard[d]);
        int64_t need = ttlx_ceil_div(b->shape[d], L->shard[d]);
        if (covered < b->shape[d]) {
            snprintf(b3, sizeof b3, "grid[%d] (%s) = %lld", d, L->axes[d], (long long)need);
            ttlx_result_add_diag(
                r, on_buf("TTL008", TTLX_SEV_ERROR, bi, "grid"), b3,
                "axis %s not covered: grid %lld x shard %lld = %lld < %lld elements", L->axes[d],
                (long long)L->grid[d], (long long)L->shard[d], (long long)covered,
                (long long)b->shape[d]);
        } else if (L->grid[d] > need) {
            snprintf(b3, sizeof b3, "grid[%d] (%s) = %lld", d, L->axes[d], (long long)need);
            ttlx_result_add_diag(
                r, on_buf("TTL009", TTLX_SEV_WARNING, bi, "grid"), b3,
                "empty shard: axis %s has %lld shard%s past the tensor's end (%lld x %lld "
                "already covers %lld elements)",
                L->axes[d], (long long)(L->grid[d] - need), L->grid[d] - need == 1 ? "" : "s",
                (long long)need, (long long)L->shard[d], (long long)b->shape[d]);
        }
    }

    /* Placement. */
    if (!l1) {
        L->banks = dev->dram_banks;
        L->cores_used = L->shards < dev->dram_banks ? L->shards : dev->dram_banks;
        L->max_shards_per_core = ttlx_ceil_div(L->shards, dev->dram_banks);
    } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t cores = (int64_t)dev->grid_x * dev->grid_y;
        L->cores_used = L->shards < cores ? L->shards : cores;
        L->max_shards_per_core = ttlx_ceil_div(L->shards, cores);
    } else {
        bool colm = L->order == TTLX_ORDER_COL_MAJOR;
        int64_t gx = colm ? L->proj_grid[0] : L->proj_grid[1];
        int64_t gy = colm ? L->proj_grid[1] : L->proj_grid[0];
        if (gx > dev->grid_x || gy > dev->grid_y) {
            grid_fit_t fit = {0};
            if (fit_grid(L, dev, dev->l1_bank_bytes, &fit))
                fmt_fit(b3, sizeof b3, L, &fit);
            else /* no L1 grid of this device holds it: DRAM does */
                snprintf(b3, sizeof b3,
                         "memory \"DRAM\": no grid of %s fits (the largest still "
                         "needs %s B per core)",
                         dev->name, fmt_b(bb, sizeof bb, fit.bytes));
            ttlx_result_add_diag(
                r, on_buf("TTL007", TTLX_SEV_ERROR, bi, "grid"), b3,
                "projected grid %lldx%lld (x by y, %s) does not fit the %dx%d core grid of %s",
                (long long)gx, (long long)gy, colm ? "col_major" : "row_major", dev->grid_x,
                dev->grid_y, dev->name);
            return;
        }
        L->cores_used = gx * gy;
        L->max_shards_per_core = L->shards / (gx * gy);
    }
    L->bytes_per_core =
        ttlx_sat_mul(ttlx_sat_mul(L->max_shards_per_core, L->shard_tiles), L->page_bytes);
    L->placed = true;
    if (l1 && L->bytes_per_core > dev->l1_bank_bytes) {
        grid_fit_t fit = {0};
        if (fit_grid(L, dev, dev->l1_bank_bytes, &fit))
            fmt_fit(b3, sizeof b3, L, &fit);
        else
            snprintf(b3, sizeof b3,
                     "memory \"DRAM\": no grid of %s fits (the largest still needs "
                     "%s B per core)",
                     dev->name, fmt_b(bb, sizeof bb, fit.bytes));
        ttlx_result_add_diag(
            r, on_buf("TTL005", TTLX_SEV_ERROR, bi, "shard_shape_elems"), b3,
            "L1 shard exceeds capacity: %s reserves %s B per core (%lld shard%s x %lld tiles "
            "x %lld B) > %s B L1 bank",
            b->name, fmt_b(bb, sizeof bb, L->bytes_per_core), (long long)L->max_shards_per_core,
            L->max_shards_per_core == 1 ? "" : "s", (long long)L->shard_tiles,
            (long long)L->page_bytes, fmt_b(bc, sizeof bc, dev->l1_bank_bytes));
    } else if (!l1 && L->bytes_per_core > dev->dram_bank_bytes) {
        ttlx_result_add_diag(r, on_buf("TTL014", TTLX_SEV_ERROR, bi, "nd_shard"),
                             "more or smaller shards (grid), or a device with larger DRAM banks",
                             "DRAM bank overflow: %s reserves %s B per DRAM bank > %s B", b->name,
                             fmt_b(bb, sizeof bb, L->bytes_per_core),
                             fmt_b(bc, sizeof bc, dev->dram_bank_bytes));
    }
}

static void place_interleaved(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_device_t *dev = &r->dev;
    char bb[40], bc[40], bd[40], b3[300];
    bool l1 = L->memory == TTLX_MEM_L1;
    L->banks = l1 ? dev->grid_x * dev->grid_y : dev->dram_banks;
    L->pages_per_bank = ttlx_ceil_div(L->pages, L->banks);
    L->bytes_per_bank = ttlx_sat_mul(L->pages_per_bank, L->page_bytes);
    L->placed = true;
    if (l1 && L->bytes_per_bank > dev->l1_bank_bytes) {
        int64_t dpage = ttlx_ceil_div(L->tile_bytes, dev->dram_align_bytes) * dev->dram_align_bytes;
        int64_t dram = ttlx_sat_mul(ttlx_ceil_div(L->pages, dev->dram_banks), dpage);
        snprintf(b3, sizeof b3, "memory \"DRAM\" (interleaved over %d DRAM banks: %s B per bank)",
                 dev->dram_banks, fmt_b(bd, sizeof bd, dram));
        ttlx_result_add_diag(
            r, on_buf("TTL005", TTLX_SEV_ERROR, bi, "memory"), b3,
            "L1 shard exceeds capacity: interleaved %s needs %lld pages x %lld B = %s B on "
            "every core > %s B L1 bank",
            L->buf->name, (long long)L->pages_per_bank, (long long)L->page_bytes,
            fmt_b(bb, sizeof bb, L->bytes_per_bank), fmt_b(bc, sizeof bc, dev->l1_bank_bytes));
    } else if (!l1 && L->bytes_per_bank > dev->dram_bank_bytes) {
        int64_t fit_pages = ttlx_sat_mul(dev->dram_bank_bytes / L->page_bytes, dev->dram_banks);
        snprintf(b3, sizeof b3, "split %s: at most %lld pages fit this device's DRAM (it has %lld)",
                 L->buf->name, (long long)fit_pages, (long long)L->pages);
        ttlx_result_add_diag(
            r, on_buf("TTL014", TTLX_SEV_ERROR, bi, "memory"), b3,
            "DRAM bank overflow: %s needs %lld pages x %lld B = %s B per DRAM bank > %s B",
            L->buf->name, (long long)L->pages_per_bank, (long long)L->page_bytes,
            fmt_b(bb, sizeof bb, L->bytes_per_bank), fmt_b(bc, sizeof bc, dev->dram_bank_bytes));
    }
}

static void padding_info(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_buffer_info_t *b = L->buf;
    if (!L->needs_padding) return;
    char s1[200], s2[200], fix[200] = "";
    /* A tile shape that wastes less, if any. */
    double best = L->padding_waste;
    int bt = -1;
    for (int t = 0; t < 4; t++) {
        int h = ttlx_tile_shapes[t][0], w = ttlx_tile_shapes[t][1];
        int64_t H = b->rank >= 2 ? b->shape[b->rank - 2] : 1, W = b->shape[b->rank - 1];
        double cap = (double)(b->elems / (H * W)) * (double)ttlx_ceil_div(H, h) * h *
                     (double)ttlx_ceil_div(W, w) * w;
        double waste = 1.0 - (double)b->elems / cap;
        if (waste + 1e-12 < best) {
            best = waste;
            bt = t;
        }
    }
    if (bt >= 0)
        snprintf(fix, sizeof fix, "tile_shape [%d, %d] wastes %.1f%%", ttlx_tile_shapes[bt][0],
                 ttlx_tile_shapes[bt][1], best * 100.0);
    ttlx_result_add_diag(
        r, on_buf("TTL013", TTLX_SEV_INFO, bi, NULL), fix,
        "padding: %s %s pads to %s; %lld of %lld pages hold padding, %.1f%% of the tile "
        "bytes are padding",
        b->name, ttlx_fmt_list(s1, sizeof s1, b->shape, b->rank),
        ttlx_fmt_list(s2, sizeof s2, L->padded_shape, L->padded_rank), (long long)L->padding_pages,
        (long long)L->pages, L->padding_waste * 100.0);
}

/* ---- work partition and per-core budget -------------------------------- */

static bool read_pair(const cJSON *v, int64_t out[2]) {
    return cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
           ttlx_json_int(cJSON_GetArrayItem(v, 0), 1, &out[0]) &&
           ttlx_json_int(cJSON_GetArrayItem(v, 1), 1, &out[1]);
}

static bool partition(ttlx_result_t *r) {
    const ttlx_device_t *dev = &r->dev;
    ttlx_partition_t *p = &r->part;
    const cJSON *attrs = ttlx_func_attrs(r->func);
    char b1[64];
    p->grid_x = dev->grid_x;
    p->grid_y = dev->grid_y;
    p->leader = -1;
    const cJSON *cg = cJSON_GetObjectItemCaseSensitive(attrs, "tt.core_grid");
    if (cg) {
        int64_t v[2];
        ttlx_diag_args_t a = {"TTL010", TTLX_SEV_ERROR, -1, NULL, "tt.core_grid", -1, -1};
        if (!read_pair(cg, v)) {
            char fix[160];
            snprintf(fix, sizeof fix, "tt.core_grid [%d, %d] (the whole grid of %s)", dev->grid_x,
                     dev->grid_y, dev->name);
            ttlx_result_add_diag(r, a, fix, "tt.core_grid: expected [x, y] positive integers");
        } else if (v[0] > dev->grid_x || v[1] > dev->grid_y) {
            a.code = "TTL007";
            snprintf(b1, sizeof b1, "tt.core_grid [%d, %d]", dev->grid_x, dev->grid_y);
            ttlx_result_add_diag(
                r, a, b1, "tt.core_grid %lldx%lld is larger than the %dx%d grid of %s",
                (long long)v[0], (long long)v[1], dev->grid_x, dev->grid_y, dev->name);
        } else {
            p->grid_x = (int)v[0];
            p->grid_y = (int)v[1];
        }
    }
    for (size_t i = 0; i < r->n && p->leader < 0; i++) {
        const ttlx_layout_t *L = &r->layouts[i];
        if (L->memory == TTLX_MEM_L1 && L->layout == TTLX_LAYOUT_SHARDED && L->placed)
            p->leader = (int)i;
    }
    p->local_shard = p->leader >= 0;
    const cJSON *us = cJSON_GetObjectItemCaseSensitive(attrs, "tt.user_schedule");
    const cJSON *pm =
        cJSON_IsObject(us) ? cJSON_GetObjectItemCaseSensitive(us, "partition_mode") : NULL;
    if (pm) {
        ttlx_diag_args_t a = {"TTL010", TTLX_SEV_ERROR, -1, NULL, "partition_mode", -1, -1};
        if (cJSON_IsString(pm) && !strcmp(pm->valuestring, "global")) {
            p->local_shard = false;
        } else if (cJSON_IsString(pm) && !strcmp(pm->valuestring, "local_shard")) {
            if (p->leader < 0) {
                a.sev = TTLX_SEV_WARNING;
                ttlx_result_add_diag(
                    r, a, "shard one buffer in L1 (memory \"L1\", layout \"sharded\")",
                    "partition_mode local_shard needs an L1-sharded buffer to lead; using "
                    "global");
            }
        } else {
            ttlx_result_add_diag(
                r, a, "partition_mode: \"global\"",
                "tt.user_schedule.partition_mode: expected \"global\" or \"local_shard\", "
                "got %s",
                ttlx_json_show(b1, sizeof b1, pm));
        }
    }
    if (!p->local_shard) p->leader = -1;
    p->col_major = ttlx_work_core_order(r);
    ttlx_work_kt(r);
    int64_t ext[3], mt, blocks;
    int nk = ttlx_func_kernel(r->func, ext);
    bool have_kernel = nk > 0;
    if (have_kernel && (!ttlx_mul64(ext[1], ext[2], &mt) || !ttlx_mul64(mt, ext[0], &blocks))) {
        /* Mt*Nt blocks cannot be counted: no partition can use them. */
        char ks[80];
        ttlx_fmt_list(ks, sizeof ks, ext, nk);
        ttlx_diag_args_t a = {"TTL010", TTLX_SEV_ERROR, -1, NULL, "kernel", -1, -1};
        ttlx_result_add_diag(r, a, "launch extents whose product is below 2^63",
                             "kernel %s: the launch grid has 2^63 blocks or more (the product "
                             "of the extents overflows); the work partition uses the output "
                             "tile grid instead",
                             ks);
        p->launch_overflow = true;
        have_kernel = false;
    }
    if (have_kernel) {
        p->mt = mt;
        p->nt = ext[0];
    } else if (r->n > 0) {
        size_t out = r->n - 1;
        bool found = false;
        for (size_t i = 0; i < r->n && !found; i++)
            if (r->layouts[i].buf->role && !strcmp(r->layouts[i].buf->role, "output")) {
                out = i;
                found = true;
            }
        for (size_t i = 0; i < r->n && !found; i++)
            if (!strcmp(r->layouts[i].buf->name, "C")) {
                out = i;
                found = true;
            }
        p->mt = r->layouts[out].view_rows;
        p->nt = r->layouts[out].view_cols;
    } else {
        p->mt = p->nt = 1;
    }
    if (!p->local_shard) {
        int64_t T = ttlx_sat_mul(p->mt, p->nt);
        int64_t cores = (int64_t)p->grid_x * p->grid_y;
        int64_t n = T < cores ? T : cores;
        r->ranges = ttlx_calloc((size_t)n, sizeof *r->ranges);
        if (!r->ranges) return false;
        int64_t start = 0;
        for (int64_t k = 0; k < n; k++) {
            ttlx_core_range_t *c = &r->ranges[k];
            /* col_major walks the grid as tt-metal's split_work_to_cores does
             * by default (row_wise = false: y fastest; tenstorrent/tt-metal
             * tt_metal/common/work_split.hpp and work_split.cpp). */
            c->x = (int)(p->col_major ? k / p->grid_y : k % p->grid_x);
            c->y = (int)(p->col_major ? k % p->grid_y : k / p->grid_x);
            c->start = start;
            c->count = T / n + (k < T % n);
            start += c->count;
        }
        p->ncores = (size_t)n;
    } else {
        const ttlx_layout_t *L = &r->layouts[p->leader];
        p->shard_grid[0] = L->proj_grid[0];
        p->shard_grid[1] = L->proj_grid[1];
        p->local_tiles[0] = L->proj_shard_tiles[0];
        p->local_tiles[1] = L->proj_shard_tiles[1];
        p->grid_x = dev->grid_x;
        p->grid_y = dev->grid_y;
        int64_t n = L->cores_used;
        r->ranges = ttlx_calloc((size_t)n, sizeof *r->ranges);
        if (!r->ranges) return false;
        for (int64_t k = 0; k < n; k++) {
            ttlx_core_range_t *c = &r->ranges[k];
            int64_t g[TTLX_MAX_RANK];
            if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
                ttlx_rr_core(L, dev, k, &c->x, &c->y);
                ttlx_shard_coords(L, k, g);
                int64_t held = L->shards / n + (k < L->shards % n);
                c->count = ttlx_sat_mul(held, L->shard_tiles);
            } else {
                int64_t m = k / L->proj_grid[1], nn = k % L->proj_grid[1];
                bool colm = L->order == TTLX_ORDER_COL_MAJOR;
                c->x = (int)(colm ? m : nn);
                c->y = (int)(colm ? nn : m);
                g[L->axis_m] = m;
                g[L->axis_n] = nn;
                c->count = ttlx_sat_mul(L->max_shards_per_core, L->shard_tiles);
            }
            c->sy = g[L->axis_m];
            c->sx = g[L->axis_n];
            c->start = 0;
        }
        p->ncores = (size_t)n;
    }
    p->cores = r->ranges;
    ttlx_work_blocks(r, have_kernel);
    return !r->oom;
}

/* TTL011 for every key the loader found repeated (it kept the last value,
 * ttlx_dupkeys.c) and for hints that name one buffer twice in forms
 * Python reads as one name (NFKC, "ｆ" and "f"): the last hint is used.
 * ul is NULL when no two hints share a buffer (the pass over the hints
 * knows), so the usual pass, and every rerun of the fix search, skips it. */
static void repeated_keys(ttlx_result_t *r, const cJSON *ul, const cJSON **hints) {
    const ttlx_func_t *f = r->func;
    for (size_t i = 0; i < f->ndups; i++) {
        const ttlx_dup_note_t *d = &f->dups[i];
        int bi = d->buffer;
        const char *name = d->hint_of;
        if (bi < 0 && !name && !strcmp(d->where, "attrs[\"tt.user_layout\"]")) name = d->key;
        if (bi < 0 && name) bi = ttlx_func_find_buffer(f, name);
        ttlx_diag_args_t a = {"TTL011", TTLX_SEV_WARNING, bi, bi < 0 ? name : NULL, d->key, -1, -1};
        char fix[120];
        snprintf(fix, sizeof fix, "keep one \"%.60s\" (the last)", d->key);
        ttlx_result_add_diag(r, a, fix,
                             "duplicate key \"%.60s\" in %s (%zu times): unknown which is meant, "
                             "the last value is used, as in Python",
                             d->key, d->where, d->count);
    }
    for (const cJSON *h = cJSON_IsObject(ul) ? ul->child : NULL; h; h = h->next) {
        int bi = h->string ? ttlx_func_find_buffer(f, h->string) : -1;
        if (bi < 0 || hints[bi] == h) continue;
        ttlx_diag_args_t a = {"TTL011", TTLX_SEV_WARNING, bi, NULL, h->string, -1, -1};
        char fix[160];
        snprintf(fix, sizeof fix, "remove the hint \"%.60s\" (the later one is used)", h->string);
        ttlx_result_add_diag(r, a, fix,
                             "duplicate hint: \"%.60s\" and \"%.60s\" are one name in Python "
                             "(NFKC); unknown which is meant, the last hint is used",
                             h->string, hints[bi]->string);
    }
}

typedef struct on_core {
    int64_t bytes;
    size_t index;
} on_core_t;

static int by_bytes_desc(const void *a, const void *b) {
    const on_core_t *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void core_budget(ttlx_result_t *r) {
    const ttlx_device_t *dev = &r->dev;
    int gx = dev->grid_x, gy = dev->grid_y;
    size_t cores = (size_t)gx * gy;
    int64_t cb_total = 0;
    for (size_t i = 0; i < r->n; i++)
        cb_total = ttlx_sat_add(cb_total, r->layouts[i].cb_bytes);
    for (size_t k = 0; k < r->part.ncores; k++) {
        const ttlx_core_range_t *c = &r->part.cores[k];
        if (c->x < gx && c->y < gy) r->in_part[(size_t)c->y * gx + c->x] = 1;
    }
    for (size_t c = 0; c < cores; c++) {
        r->core_cb[c] = r->in_part[c] ? cb_total : 0;
        r->core_used[c] = r->core_cb[c];
    }
    for (size_t i = 0; i < r->n; i++) {
        const ttlx_layout_t *L = &r->layouts[i];
        if (!L->placed || L->memory != TTLX_MEM_L1) continue;
        if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
            for (size_t c = 0; c < cores; c++)
                r->core_used[c] = ttlx_sat_add(r->core_used[c], L->bytes_per_bank);
        } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
            for (int64_t ci = 0; ci < L->cores_used; ci++) {
                int x, y;
                ttlx_rr_core(L, dev, ci, &x, &y);
                size_t c = (size_t)y * gx + x;
                r->core_used[c] = ttlx_sat_add(r->core_used[c], L->bytes_per_core);
            }
        } else {
            bool colm = L->order == TTLX_ORDER_COL_MAJOR;
            int64_t w = colm ? L->proj_grid[0] : L->proj_grid[1];
            int64_t h = colm ? L->proj_grid[1] : L->proj_grid[0];
            for (int64_t y = 0; y < h; y++)
                for (int64_t x = 0; x < w; x++) {
                    size_t c = (size_t)y * gx + (size_t)x;
                    r->core_used[c] = ttlx_sat_add(r->core_used[c], L->bytes_per_core);
                }
        }
    }
    /* TTL015: one CB per buffer on every core of the partition (TTL016
     * buffers, with no data format, have none). */
    size_t ncb = 0;
    for (size_t i = 0; i < r->n; i++)
        ncb += r->layouts[i].data_format != NULL;
    if ((int64_t)ncb > dev->max_cbs && r->part.ncores > 0) {
        char fix[160];
        snprintf(fix, sizeof fix, "at most %d buffers per kernel: split the kernel (it has %zu)",
                 dev->max_cbs, ncb);
        ttlx_result_add_diag(
            r, (ttlx_diag_args_t){"TTL015", TTLX_SEV_ERROR, -1, NULL, NULL, -1, -1}, fix,
            "too many circular buffers: %zu buffers need %zu circular buffers per core; %s "
            "allows %d",
            ncb, ncb, dev->name, dev->max_cbs);
    }
    /* TTL006: the worst core over the bank, with its breakdown. */
    size_t over = 0, worst = 0;
    for (size_t c = 0; c < cores; c++) {
        if (r->core_used[c] > dev->l1_bank_bytes) over++;
        if (r->core_used[c] > r->core_used[worst]) worst = c;
    }
    if (!over) return;
    int wx = (int)(worst % gx), wy = (int)(worst / gx);
    /* The L1 buffers on that core, largest first (ties in parameter order):
     * listed in the message, and moved to DRAM greedily for the fix. */
    ttlx_sb_t parts = {0}, fix = {0};
    char bb[40], bc[40], bd[40];
    int64_t used = r->core_used[worst];
    on_core_t *on = ttlx_calloc(r->n ? r->n : 1, sizeof *on);
    if (!on) {
        r->oom = true;
        return;
    }
    size_t non = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->layouts[i].memory != TTLX_MEM_L1) continue;
        int64_t v = ttlx_layout_bytes_on(r, &r->layouts[i], wx, wy);
        if (v > 0) on[non++] = (on_core_t){v, i};
    }
    qsort(on, non, sizeof *on, by_bytes_desc);
    for (size_t k = 0; k < non && k < 6; k++)
        ttlx_sb_printf(&parts, "%s%s %s", k ? " + " : "", r->layouts[on[k].index].buf->name,
                       fmt_b(bb, sizeof bb, on[k].bytes));
    if (non > 6) ttlx_sb_printf(&parts, " + %zu more", non - 6);
    if (r->core_cb[worst])
        ttlx_sb_printf(&parts, "%sCBs %s", non ? " + " : "",
                       fmt_b(bb, sizeof bb, r->core_cb[worst]));
    int64_t left = used;
    size_t nmoved = 0;
    for (size_t k = 0; k < non && left > dev->l1_bank_bytes; k++) {
        left -= on[k].bytes;
        if (nmoved < 8)
            ttlx_sb_printf(&fix, "%s%s", nmoved ? ", " : "memory \"DRAM\" for ",
                           r->layouts[on[k].index].buf->name);
        else if (nmoved == 8)
            ttlx_sb_puts(&fix, ", ...");
        nmoved++;
    }
    if (nmoved > 8) ttlx_sb_printf(&fix, " (%zu buffers)", nmoved);
    ttlx_free(on);
    if (left > dev->l1_bank_bytes)
        ttlx_sb_printf(&fix, "%slower cb_depth: the circular buffers alone need %s B",
                       nmoved ? "; then " : "", fmt_b(bb, sizeof bb, r->core_cb[worst]));
    else if (nmoved)
        ttlx_sb_printf(&fix, ": core (%d,%d) then uses %s B", wx, wy, fmt_b(bb, sizeof bb, left));
    ttlx_result_add_diag(r, (ttlx_diag_args_t){"TTL006", TTLX_SEV_ERROR, -1, NULL, NULL, wx, wy},
                         fix.data ? fix.data : "",
                         "L1 exceeds capacity on core (%d,%d): %s B > %s B (%s)%s", wx, wy,
                         fmt_b(bb, sizeof bb, used), fmt_b(bc, sizeof bc, dev->l1_bank_bytes),
                         parts.data ? parts.data : "",
                         over > 1 ? (snprintf(bd, sizeof bd, "; %zu cores over", over), bd) : "");
    ttlx_sb_free(&parts);
    ttlx_sb_free(&fix);
}

/* ---- the passes -------------------------------------------------------- */

/* Where the hint parser's problems go: buffer bi of r. */
typedef struct hint_report {
    ttlx_result_t *r;
    int bi;
} hint_report_t;

static void report_hint(void *ctx, const ttlx_hint_problem_t *p) {
    hint_report_t *h = ctx;
    ttlx_result_add_diag_text(h->r, on_buf(p->code, p->severity, h->bi, p->key), p->fix,
                              p->message);
}

/* Starts L from its parsed hint (the nd_shard values are kept even when
 * nd_shard was refused, as the queries read order and distribution). */
static void apply_hint(ttlx_layout_t *L, const ttlx_hint_t *h) {
    L->memory = h->memory;
    L->layout = h->layout;
    L->dtype = h->dtype;
    L->tile_h = h->tile_h;
    L->tile_w = h->tile_w;
    L->cb_depth = h->cb_depth;
    if (h->present & 1u << TTLX_HK_ND_SHARD) { /* else all zero, as L is already */
        memcpy(L->axes, h->axes, sizeof L->axes);
        memcpy(L->grid, h->grid, sizeof L->grid);
        memcpy(L->shard, h->shard_shape_elems, sizeof L->shard);
    }
    L->order = h->order;
    L->block_k = h->block_k;
    L->dist = h->distribution;
    L->align_tiles = h->align_tiles;
    L->axis_m = h->axis_m;
    L->axis_n = h->axis_n;
    L->shards = h->has_nd_shard ? h->shards : 0;
    L->has_shard = h->has_nd_shard;
}

ttlx_result_t *ttlx_infer(const ttlx_func_t *f, const ttlx_device_t *dev, ttlx_error_t *err) {
    ttlx_result_t *r = ttlx_infer_passes(f, dev, err);
    if (r && !ttlx_fix_attach(r)) {
        ttlx_result_free(r);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    return r;
}

ttlx_result_t *ttlx_infer_passes(const ttlx_func_t *f, const ttlx_device_t *dev,
                                 ttlx_error_t *err) {
    return ttlx_infer_passes_over(f, dev, NULL, 0, false, err);
}

ttlx_result_t *ttlx_infer_passes_over(const ttlx_func_t *f, const ttlx_device_t *dev,
                                      const ttlx_hint_override_t *ov, size_t nov, bool quiet,
                                      ttlx_error_t *err) {
    ttlx_result_t *r = ttlx_result_alloc(f, dev);
    if (!r) goto oom;
    r->quiet = quiet;

    const cJSON *ul = cJSON_GetObjectItemCaseSensitive(ttlx_func_attrs(f), "tt.user_layout");
    if (ul && !cJSON_IsObject(ul)) {
        char fix[400];
        snprintf(fix, sizeof fix,
                 "tt.user_layout {\"%.200s\": {\"memory\": \"L1\"}} (buffer name: "
                 "its hint)",
                 r->n ? ttlx_func_buffer(f, 0)->name : "NAME");
        ttlx_result_add_diag(
            r, (ttlx_diag_args_t){"TTL010", TTLX_SEV_ERROR, -1, NULL, "tt.user_layout", -1, -1},
            fix, "tt.user_layout: expected an object of per-buffer hints, got %s",
            ttlx_json_type_name(ul));
    }
    /* One pass over the hints: each finds its buffer through the name index
     * (names Python reads as one are one buffer; the last hint wins). */
    const cJSON **hints = ttlx_calloc(r->n ? r->n : 1, sizeof *hints);
    if (!hints) goto oom;
    size_t unknown = 0;
    bool shared = false; /* two hints name one buffer (NFKC) */
    int next = 0;        /* hints mostly follow the buffers' order: try the next few first */
    for (const cJSON *h = cJSON_IsObject(ul) ? ul->child : NULL; h; h = h->next) {
        int bi = -1;
        for (int k = next; h->string && k < next + 4 && (size_t)k < r->n; k++) {
            if (!strcmp(ttlx_func_buffer(f, (size_t)k)->name, h->string)) {
                bi = k;
                break;
            }
        }
        if (bi < 0 && h->string) bi = ttlx_func_find_buffer(f, h->string);
        if (bi < 0) {
            unknown++;
            continue;
        }
        next = bi + 1;
        shared = shared || hints[bi];
        hints[bi] = h; /* the last hint for a name wins, as in Python */
    }
    /* An override stands in for a buffer's hint without being one of the
     * hints written: the duplicate check below sees the written ones. */
    const cJSON **written = hints;
    if (nov && shared) {
        written = ttlx_calloc(r->n ? r->n : 1, sizeof *written);
        if (!written) {
            ttlx_free(hints);
            goto oom;
        }
        memcpy(written, hints, r->n * sizeof *written);
    }
    for (size_t k = 0; k < nov; k++)
        if (ov[k].buffer >= 0 && (size_t)ov[k].buffer < r->n) hints[ov[k].buffer] = ov[k].hint;
    for (size_t i = 0; i < r->n; i++) {
        ttlx_layout_t *L = &r->layouts[i];
        L->buf = ttlx_func_buffer(f, i);
        hint_report_t rep = {r, (int)i};
        ttlx_hint_t h;
        ttlx_hint_parse(hints[i], L->buf, &h, report_hint, &rep);
        apply_hint(L, &h);
        if (!check_dtype_format(r, (int)i)) continue;
        fill_tiles(r, L);
        bool nd = h.present & 1u << TTLX_HK_ND_SHARD;
        if (L->layout == TTLX_LAYOUT_SHARDED) {
            if (!nd) {
                char fix[400] = "";
                if (L->buf->rank >= 2) {
                    ttlx_layout_t t = *L;
                    ttlx_hint_default_axes(L->buf->rank, t.axes);
                    t.axis_m = L->buf->rank - 2;
                    t.axis_n = L->buf->rank - 1;
                    for (int d = 0; d < L->buf->rank; d++) {
                        t.grid[d] = 1;
                        t.shard[d] = L->buf->shape[d];
                    }
                    grid_fit_t g = {0};
                    int64_t budget = L->memory == TTLX_MEM_L1 ? r->dev.l1_bank_bytes : INT64_MAX;
                    if (fit_grid(&t, &r->dev, budget, &g)) {
                        char ax[200], rest[300];
                        fmt_fit(rest, sizeof rest, &t, &g);
                        snprintf(
                            fix, sizeof fix, "nd_shard axes %s, %s",
                            ttlx_fmt_axes(ax, sizeof ax, (const char(*)[16])t.axes, L->buf->rank),
                            rest);
                    } else {
                        snprintf(fix, sizeof fix, "memory \"DRAM\": no grid of %s holds %s in L1",
                                 r->dev.name, L->buf->name);
                    }
                } else {
                    ttlx_hint_start_value(fix, sizeof fix, L->buf, "nd_shard");
                }
                ttlx_result_add_diag(r, on_buf("TTL002", TTLX_SEV_ERROR, (int)i, "nd_shard"), fix,
                                     "nd_shard incomplete: %s is sharded but has no nd_shard",
                                     L->buf->name);
            } else if (L->has_shard) {
                place_sharded(r, (int)i);
            }
        } else {
            if (L->has_shard) {
                /* An nd_shard on an interleaved buffer is carried, not used. */
                L->proj_grid[0] = L->grid[L->axis_m];
                L->proj_grid[1] = L->grid[L->axis_n];
                L->proj_shard_tiles[0] = ttlx_ceil_div(L->shard[L->axis_m], L->tile_h);
                L->proj_shard_tiles[1] = ttlx_ceil_div(L->shard[L->axis_n], L->tile_w);
            }
            place_interleaved(r, (int)i);
        }
        padding_info(r, (int)i);
        if (r->oom) break;
    }
    if (!r->oom) repeated_keys(r, shared ? ul : NULL, written);
    if (written != hints) ttlx_free(written);
    ttlx_free(hints);
    if (r->oom) goto oom;
    /* Hints for buffers that do not exist. */
    if (unknown) {
        const char **names = ttlx_calloc(r->n ? r->n : 1, sizeof *names);
        if (!names) goto oom;
        for (size_t i = 0; i < r->n; i++)
            names[i] = r->layouts[i].buf->name;
        /* one index for every unknown name: near-linear, not names x buffers */
        ttlx_near_t *ix = ttlx_near_new(names, r->n);
        if (!ix) {
            ttlx_free(names);
            goto oom;
        }
        for (const cJSON *h = ul->child; h; h = h->next) {
            if (h->string && ttlx_func_find_buffer(f, h->string) >= 0) continue;
            const char *near = h->string ? ttlx_near_find(ix, h->string) : NULL;
            char fix[200];
            if (near)
                snprintf(fix, sizeof fix, "rename the hint to \"%s\"", near);
            else
                snprintf(fix, sizeof fix, "remove the hint");
            ttlx_result_add_diag(
                r, (ttlx_diag_args_t){"TTL011", TTLX_SEV_WARNING, -1, h->string, NULL, -1, -1}, fix,
                "hint for unknown buffer \"%.60s\"%s%s%s", h->string ? h->string : "",
                near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
        }
        ttlx_near_free(ix);
        ttlx_free(names);
    }
    if (!partition(r)) goto oom;
    core_budget(r);
    if (r->oom) goto oom;
    return r;
oom:
    ttlx_result_free(r);
    ttlx_error_set(err, 0, 0, "out of memory");
    return NULL;
}
