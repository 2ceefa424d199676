/*
 * ttlx_place.c - the placement queries (ttlx_place.h) and the bytes a
 * buffer reserves on a core or bank (ttlx_result_buffer_bytes_on): which
 * holder owns a tile, shard or byte, answered from the layout's closed-form
 * geometry, so a buffer of millions of tiles costs nothing to hold.
 */
#include "ttlx_place.h"
#include "ttlx_result_internal.h"

#include <string.h>

/* Index of core (x, y) in L's round-robin order. */
static int64_t rr_index(const ttlx_layout_t *L, const ttlx_device_t *dev, int x, int y) {
    return L->order == TTLX_ORDER_COL_MAJOR ? (int64_t)x * dev->grid_y + y
                                            : (int64_t)y * dev->grid_x + x;
}

/* The holder index of (x, y) for L: the DRAM bank (y < 0), the core's
 * round-robin index, or -1 when (x, y) holds nothing of L. For grid_2d,
 * *m and *n get the shard coordinates. */
static int64_t holder(const ttlx_result_t *r, const ttlx_layout_t *L, int x, int y, int64_t *m,
                      int64_t *n) {
    if (!L->placed) return -1;
    bool dram = L->memory == TTLX_MEM_DRAM;
    if (dram != (y < 0)) return -1;
    if (dram) return x >= 0 && x < r->dev.dram_banks ? x : -1;
    if (!ttlx_result_in_grid(r, x, y)) return -1;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED || L->dist == TTLX_DIST_ROUND_ROBIN_1D)
        return rr_index(L, &r->dev, x, y);
    bool colm = L->order == TTLX_ORDER_COL_MAJOR;
    *m = colm ? x : y;
    *n = colm ? y : x;
    return *m < L->proj_grid[0] && *n < L->proj_grid[1] ? 0 : -1;
}

int64_t ttlx_layout_bytes_on(const ttlx_result_t *r, const ttlx_layout_t *L, int x, int y) {
    int64_t m, n;
    int64_t h = holder(r, L, x, y, &m, &n);
    if (h < 0) return 0;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED) return L->bytes_per_bank;
    if (L->memory == TTLX_MEM_DRAM || L->dist == TTLX_DIST_ROUND_ROBIN_1D)
        return h < L->cores_used ? L->bytes_per_core : 0;
    return L->bytes_per_core;
}

int64_t ttlx_result_buffer_bytes_on(const ttlx_result_t *r, size_t i, int x, int y) {
    return i < r->n ? ttlx_layout_bytes_on(r, &r->layouts[i], x, y) : 0;
}

/* Extent of one shard along dim d in placement units (tiles on the two
 * tiled dims, elements elsewhere), and the tensor's extent in those units. */
static int64_t unit_shard(const ttlx_layout_t *L, int d) {
    int rank = L->buf->rank;
    if (d == rank - 2) return ttlx_ceil_div(L->shard[d], L->tile_h);
    if (d == rank - 1) return ttlx_ceil_div(L->shard[d], L->tile_w);
    return L->shard[d];
}

bool ttlx_place_tile(const ttlx_result_t *r, size_t i, int64_t row, int64_t col,
                     ttlx_place_t *out) {
    if (i >= r->n) return false;
    const ttlx_layout_t *L = &r->layouts[i];
    if (row < 0 || col < 0 || row >= L->view_rows || col >= L->view_cols || !L->placed)
        return false;
    memset(out, 0, sizeof *out);
    const ttlx_buffer_info_t *b = L->buf;
    int64_t ht = L->tile_grid[L->tile_rank - 2];
    int64_t tr = row % ht;
    int64_t H = b->rank >= 2 ? b->shape[b->rank - 2] : 1, W = b->shape[b->rank - 1];
    out->padding = (tr + 1) * L->tile_h > H || (col + 1) * L->tile_w > W;
    out->dram = L->memory == TTLX_MEM_DRAM;
    out->x = out->y = -1;
    out->shard = -1;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
        int64_t page = row * L->view_cols + col;
        out->bank = (int)(page % L->banks);
        out->slot = page / L->banks;
        if (!out->dram) {
            out->x = out->bank % r->dev.grid_x;
            out->y = out->bank / r->dev.grid_x;
        }
        return true;
    }
    /* Sharded: coordinates per dim, then shard and offset. */
    int64_t c[TTLX_MAX_RANK], g[TTLX_MAX_RANK], l[TTLX_MAX_RANK];
    int64_t outer = row / ht;
    c[b->rank - 2] = tr;
    c[b->rank - 1] = col;
    for (int d = b->rank - 3; d >= 0; d--) {
        c[d] = outer % b->shape[d];
        outer /= b->shape[d];
    }
    int64_t s = 0, off = 0, stack = 0;
    for (int d = 0; d < b->rank; d++) {
        int64_t e = unit_shard(L, d);
        g[d] = c[d] / e;
        l[d] = c[d] % e;
        if (g[d] >= L->grid[d]) {
            out->uncovered = true;
            out->bank = -1;
            return true;
        }
        s = s * L->grid[d] + g[d];
        /* A shard's capacity may pass 2^63 where its real tiles do not. */
        off = ttlx_sat_add(ttlx_sat_mul(off, e), l[d]);
        if (d != L->axis_m && d != L->axis_n) stack = stack * L->grid[d] + g[d];
    }
    out->shard = s;
    out->offset = off;
    if (out->dram) {
        out->bank = (int)(s % r->dev.dram_banks);
        out->slot = s / r->dev.dram_banks;
    } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t cores = (int64_t)r->dev.grid_x * r->dev.grid_y;
        ttlx_rr_core(L, &r->dev, s % cores, &out->x, &out->y);
        out->slot = s / cores;
        out->bank = out->y * r->dev.grid_x + out->x;
    } else {
        bool colm = L->order == TTLX_ORDER_COL_MAJOR;
        out->x = (int)(colm ? g[L->axis_m] : g[L->axis_n]);
        out->y = (int)(colm ? g[L->axis_n] : g[L->axis_m]);
        out->slot = stack;
        out->bank = out->y * r->dev.grid_x + out->x;
    }
    return true;
}

/* Real tiles (inside the padded tensor) of the shard at coordinate gd on d. */
static int64_t shard_real(const ttlx_layout_t *L, int d, int64_t gd) {
    int64_t e = unit_shard(L, d);
    int64_t total =
        d >= L->buf->rank - 2 ? L->tile_grid[L->tile_rank - (L->buf->rank - d)] : L->buf->shape[d];
    int64_t left = total - gd * e;
    return left <= 0 ? 0 : left < e ? left : e;
}

/* Real tiles of shard index s. */
static int64_t shard_real_tiles(const ttlx_layout_t *L, int64_t s) {
    int64_t g[TTLX_MAX_RANK], t = 1;
    ttlx_shard_coords(L, s, g);
    for (int d = 0; d < L->buf->rank; d++)
        t = ttlx_sat_mul(t, shard_real(L, d, g[d]));
    return t;
}

/* Real tiles of all shards s < L->shards with s = h (mod B), for the DRAM
 * and round_robin_1d placements, whatever the number of shards: per dim,
 * a vector over residues mod B of the tiles each grid position holds,
 * weighted by what it adds to s mod B; the dims' vectors convolved give
 * the total at residue h. O(rank * B^2). */
#define MAX_HOLDERS 4096 /* 64 x 64 cores, the largest grid a profile may have */
static int64_t real_tiles_mod(const ttlx_layout_t *L, int64_t B, int64_t h) {
    if (B < 1 || B > MAX_HOLDERS) return 0;
    int64_t acc[B], v[B], next[B]; /* at most 96 KiB */
    int rank = L->buf->rank;
    memset(acc, 0, sizeof acc[0] * (size_t)B);
    acc[0] = 1;
    int64_t stride = 1 % B; /* prod of the later dims' grids, mod B */
    for (int d = rank - 1; d >= 0; d--) {
        int64_t G = L->grid[d], e = unit_shard(L, d);
        int64_t total = d >= rank - 2 ? L->tile_grid[L->tile_rank - (rank - d)] : L->buf->shape[d];
        int64_t q = total / e, rem = total % e, full = q < G ? q : G;
        /* g * stride mod B repeats every period positions. */
        int64_t gcd = B, a = stride;
        for (int64_t t = a; t;) {
            int64_t m = gcd % t;
            gcd = t;
            t = m;
        }
        int64_t period = B / gcd;
        memset(v, 0, sizeof v[0] * (size_t)B);
        for (int64_t g = 0; g < period && g < full; g++) {
            int64_t times = full / period + (g < full % period);
            int64_t res = g * a % B;
            v[res] = ttlx_sat_add(v[res], ttlx_sat_mul(times, e));
        }
        if (q < G && rem > 0) {
            int64_t res = (q % B) * a % B;
            v[res] = ttlx_sat_add(v[res], rem);
        }
        memset(next, 0, sizeof next[0] * (size_t)B);
        for (int64_t r1 = 0; r1 < B; r1++) {
            if (!acc[r1]) continue;
            for (int64_t r2 = 0; r2 < B; r2++) {
                if (!v[r2]) continue;
                int64_t k = (r1 + r2) % B;
                next[k] = ttlx_sat_add(next[k], ttlx_sat_mul(acc[r1], v[r2]));
            }
        }
        memcpy(acc, next, sizeof acc[0] * (size_t)B);
        stride = stride * (G % B) % B;
    }
    return acc[h % B];
}

int64_t ttlx_place_count_on(const ttlx_result_t *r, size_t i, int x, int y) {
    if (i >= r->n) return 0;
    const ttlx_layout_t *L = &r->layouts[i];
    int64_t m = 0, n = 0;
    int64_t h = holder(r, L, x, y, &m, &n);
    if (h < 0) return 0;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED)
        return h < L->banks ? L->pages / L->banks + (h < L->pages % L->banks) : 0;
    if (L->memory == TTLX_MEM_DRAM || L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t holders =
            L->memory == TTLX_MEM_DRAM ? r->dev.dram_banks : (int64_t)r->dev.grid_x * r->dev.grid_y;
        /* A few shards each: add them; many: by residues, in O(rank B^2). */
        if (L->shards / holders > 4096) return real_tiles_mod(L, holders, h);
        int64_t t = 0;
        for (int64_t s = h; s < L->shards; s += holders)
            t = ttlx_sat_add(t, shard_real_tiles(L, s));
        return t;
    }
    /* grid_2d: M and N fixed, every combination of the other axes stacks. */
    int64_t t = ttlx_sat_mul(shard_real(L, L->axis_m, m), shard_real(L, L->axis_n, n));
    for (int d = 0; d < L->buf->rank; d++) {
        if (d == L->axis_m || d == L->axis_n) continue;
        int64_t cover = ttlx_sat_mul(L->grid[d], unit_shard(L, d));
        int64_t total = d >= L->buf->rank - 2 ? L->tile_grid[L->tile_rank - (L->buf->rank - d)]
                                              : L->buf->shape[d];
        t = ttlx_sat_mul(t, cover < total ? cover : total);
    }
    return t;
}

int64_t ttlx_place_shards_on(const ttlx_result_t *r, size_t i, int x, int y, int64_t *out,
                             size_t cap) {
    if (i >= r->n) return 0;
    const ttlx_layout_t *L = &r->layouts[i];
    int64_t m = 0, n = 0;
    int64_t h = holder(r, L, x, y, &m, &n);
    if (h < 0 || L->layout != TTLX_LAYOUT_SHARDED) return 0;
    int64_t count = 0;
    if (L->memory == TTLX_MEM_DRAM || L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t holders =
            L->memory == TTLX_MEM_DRAM ? r->dev.dram_banks : (int64_t)r->dev.grid_x * r->dev.grid_y;
        if (h >= L->shards) return 0;
        count = (L->shards - h - 1) / holders + 1; /* s = h, h + holders, ... */
        for (int64_t k = 0; k < count && (size_t)k < cap; k++)
            out[k] = h + k * holders;
        return count;
    }
    /* Enumerate the other axes row-major with M and N fixed. */
    int64_t stack = L->max_shards_per_core;
    for (int64_t k = 0; k < stack; k++, count++) {
        if ((size_t)count >= cap) {
            count = stack;
            break;
        }
        int64_t rest = k, g[TTLX_MAX_RANK];
        for (int d = L->buf->rank - 1; d >= 0; d--) {
            if (d == L->axis_m)
                g[d] = m;
            else if (d == L->axis_n)
                g[d] = n;
            else {
                g[d] = rest % L->grid[d];
                rest /= L->grid[d];
            }
        }
        int64_t s = 0;
        for (int d = 0; d < L->buf->rank; d++)
            s = s * L->grid[d] + g[d];
        out[count] = s;
    }
    return count;
}
