/*
 * candidates.c - the candidate layouts of one buffer for the solver: which
 * layouts there are (SPEC 9: DRAM and L1 interleaved, L1 grid_2d height,
 * width and block shards in both orientations, round_robin_1d shards, DRAM
 * shards; tile-aligned, covering, no empty shard; even divisions first), the
 * complete hint of each, its closed-form facts (SPEC 3.4, 3.5) and a short
 * description of a layout for the change lines.
 */
#include "ttlx_solve_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* round_robin_1d shard counts go up to this many times the core count. */
#define SV_RR_FACTOR 2

void sv_tiles_of(const ttlx_layout_t *L, const cJSON *hint, sv_tiles_t *t) {
    t->buf = L->buf;
    t->tile_h = L->tile_h;
    t->tile_w = L->tile_w;
    t->tile_bytes = L->tile_bytes;
    t->pages = L->pages;
    t->mt = L->tile_grid[L->tile_rank - 2];
    t->nt = L->tile_grid[L->tile_rank - 1];
    t->outer = t->mt * t->nt > 0 ? L->pages / (t->mt * t->nt) : 1;
    t->cb = L->cb_bytes;
    t->keep_keys = cJSON_IsObject(hint) ? hint : NULL;
}

/* g shards of T tiles leave no shard empty. */
static bool even_split_ok(int64_t T, int64_t g) {
    return g >= 1 && g <= T && ttlx_ceil_div(T, ttlx_ceil_div(T, g)) == g;
}

static void spec_push(sv_spec_list_t *l, sv_spec_t s) {
    if (l->oom) return;
    if (l->n == l->cap) {
        sv_spec_t *v = ttlx_grow(l->v, &l->cap, l->n + 1, sizeof *v);
        if (!v) {
            l->oom = true;
            return;
        }
        l->v = v;
    }
    l->v[l->n++] = s;
}

/* Sorting context: qsort has no user pointer, so the facts that order
 * candidates are computed into a side array first. */
typedef struct spec_rank {
    sv_spec_t s;
    int group;
    int uneven;
    int64_t cores;
    size_t seq;
} spec_rank_t;

static int by_preference(const void *pa, const void *pb) {
    const spec_rank_t *a = pa, *b = pb;
    if (a->group != b->group) return a->group - b->group;
    if (a->uneven != b->uneven) return a->uneven - b->uneven;
    if (a->cores != b->cores) return a->cores > b->cores ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Every candidate of a buffer, in order of preference: L1 grid_2d shards,
 * L1 round_robin_1d shards, L1 interleaved, DRAM interleaved, DRAM shards;
 * within a group even divisions in tiles first, then more cores. */
bool sv_gen_specs(const sv_tiles_t *t, const ttlx_device_t *dev, size_t cap, sv_spec_list_t *out,
                  bool *cut) {
    sv_spec_list_t all = {0};
    const int64_t gx = dev->grid_x, gy = dev->grid_y, cores = gx * gy;
    bool shardable = t->buf->rank >= 2;
    if (shardable) {
        int64_t maxg = gx > gy ? gx : gy;
        for (int64_t gm = 1; gm <= t->mt && gm <= maxg; gm++) {
            if (!even_split_ok(t->mt, gm)) continue;
            for (int64_t gn = 1; gn <= t->nt && gn <= maxg; gn++) {
                if (!even_split_ok(t->nt, gn)) continue;
                if (gm <= gy && gn <= gx)
                    spec_push(&all, (sv_spec_t){TTLX_MEM_L1, 1, 0, 0, gm, gn});
                if (gm <= gx && gn <= gy)
                    spec_push(&all, (sv_spec_t){TTLX_MEM_L1, 1, 0, 1, gm, gn});
            }
        }
        int64_t top = SV_RR_FACTOR * cores;
        for (int axis = 0; axis < 2; axis++) {
            int64_t T = axis ? t->nt : t->mt;
            for (int64_t g = maxg + 1; g <= T && g <= top; g++) {
                if (!even_split_ok(T, g)) continue;
                for (int colm = 0; colm < 2; colm++)
                    spec_push(&all, (sv_spec_t){TTLX_MEM_L1, 1, 1, (unsigned char)colm,
                                                axis ? 1 : g, axis ? g : 1});
            }
        }
    }
    spec_push(&all, (sv_spec_t){TTLX_MEM_L1, 0, 0, 0, 0, 0});
    spec_push(&all, (sv_spec_t){TTLX_MEM_DRAM, 0, 0, 0, 0, 0});
    if (shardable) {
        for (int axis = 0; axis < 2; axis++) {
            int64_t T = axis ? t->nt : t->mt;
            int64_t g = T < dev->dram_banks ? T : dev->dram_banks;
            g = ttlx_ceil_div(T, ttlx_ceil_div(T, g));
            if (g > 1 || axis == 0)
                spec_push(&all, (sv_spec_t){TTLX_MEM_DRAM, 1, 0, 0, axis ? 1 : g, axis ? g : 1});
        }
    }
    if (all.oom) {
        ttlx_free(all.v);
        return false;
    }
    spec_rank_t *rk = ttlx_calloc(all.n ? all.n : 1, sizeof *rk);
    if (!rk) {
        ttlx_free(all.v);
        return false;
    }
    for (size_t i = 0; i < all.n; i++) {
        sv_spec_t s = all.v[i];
        spec_rank_t *r = &rk[i];
        r->s = s;
        r->seq = i;
        if (s.memory == TTLX_MEM_L1)
            r->group = !s.sharded ? 2 : s.rr ? 1 : 0;
        else
            r->group = s.sharded ? 4 : 3;
        if (s.sharded) {
            int64_t shards = s.gm * s.gn;
            r->uneven = t->mt % s.gm != 0 || t->nt % s.gn != 0;
            r->cores = s.rr ? (shards < cores ? shards : cores) : shards;
            if (s.rr && shards > cores && shards % cores) r->uneven = 1;
        }
    }
    qsort(rk, all.n, sizeof *rk, by_preference);
    /* Over the cap: the first L1 shards, then every other kind (the last
     * groups, at most four entries). */
    size_t keep = all.n, others = 0;
    while (others < all.n && rk[all.n - 1 - others].group >= 2)
        others++;
    if (cap && all.n > cap && cap > others) {
        keep = cap - others;
        *cut = true;
    }
    size_t n = 0;
    for (size_t i = 0; i < all.n; i++)
        if (i < keep || i >= all.n - others) all.v[n++] = rk[i].s;
    all.n = n;
    ttlx_free(rk);
    *out = all;
    return true;
}

/* Default axis labels as InferTTLayout writes them: ..., "M", "N". */
static void axis_label(int rank, int d, char out[16]) {
    static const char *const r3[] = {"B", "M", "N"};
    static const char *const r4[] = {"B", "H", "M", "N"};
    if (rank == 3)
        snprintf(out, 16, "%s", r3[d]);
    else if (rank == 4)
        snprintf(out, 16, "%s", r4[d]);
    else if (d == rank - 2)
        snprintf(out, 16, "M");
    else if (d == rank - 1)
        snprintf(out, 16, "N");
    else
        snprintf(out, 16, "D%d", d);
}

/* A key as its object writes it ("nd_shard", "order"). */
static const char *key_name(ttlx_hint_key_id_t id) {
    return ttlx_hint_key(id)->leaf;
}

/* The complete hint of a candidate (caller owns), NULL on allocation
 * failure. Keeps the user's tile_shape, dtype and cb_depth. */
cJSON *sv_spec_hint(const sv_tiles_t *t, const sv_spec_t *s) {
    cJSON *h = cJSON_CreateObject();
    if (!h) return NULL;
    bool ok = cJSON_AddStringToObject(h, key_name(TTLX_HK_MEMORY),
                                      ttlx_memory_name((ttlx_memory_t)s->memory)) &&
              cJSON_AddStringToObject(h, key_name(TTLX_HK_LAYOUT),
                                      ttlx_layout_kind_name(s->sharded ? TTLX_LAYOUT_SHARDED
                                                                       : TTLX_LAYOUT_INTERLEAVED));
    static const ttlx_hint_key_id_t kept[] = {TTLX_HK_TILE_SHAPE, TTLX_HK_DTYPE, TTLX_HK_CB_DEPTH};
    for (int k = 0; ok && k < 3 && t->keep_keys; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t->keep_keys, key_name(kept[k]));
        cJSON *c = v ? cJSON_Duplicate(v, true) : NULL;
        if (v && (!c || !cJSON_AddItemToObject(h, key_name(kept[k]), c))) {
            cJSON_Delete(c);
            ok = false;
        }
    }
    if (ok && s->sharded) {
        const ttlx_buffer_info_t *b = t->buf;
        cJSON *nd = cJSON_AddObjectToObject(h, key_name(TTLX_HK_ND_SHARD));
        cJSON *axes = nd ? cJSON_AddArrayToObject(nd, key_name(TTLX_HK_AXES)) : NULL;
        cJSON *grid = nd ? cJSON_AddArrayToObject(nd, key_name(TTLX_HK_GRID)) : NULL;
        cJSON *shard = nd ? cJSON_AddArrayToObject(nd, key_name(TTLX_HK_SHARD_SHAPE)) : NULL;
        ok = axes && grid && shard;
        for (int d = 0; ok && d < b->rank; d++) {
            char lab[16];
            axis_label(b->rank, d, lab);
            int64_t g = 1, e = b->shape[d];
            if (d == b->rank - 2) {
                g = s->gm;
                e = ttlx_shard_for_grid(b->shape[d], g, t->tile_h);
            } else if (d == b->rank - 1) {
                g = s->gn;
                e = ttlx_shard_for_grid(b->shape[d], g, t->tile_w);
            }
            cJSON *a = cJSON_CreateString(lab), *gv = cJSON_CreateNumber((double)g),
                  *ev = cJSON_CreateNumber((double)e);
            bool add = a && gv && ev;
            if (add) {
                cJSON_AddItemToArray(axes, a);
                cJSON_AddItemToArray(grid, gv);
                cJSON_AddItemToArray(shard, ev);
            } else {
                cJSON_Delete(a);
                cJSON_Delete(gv);
                cJSON_Delete(ev);
                ok = false;
            }
        }
        ok = ok &&
             cJSON_AddStringToObject(
                 nd, key_name(TTLX_HK_ORDER),
                 ttlx_order_name(s->colm ? TTLX_ORDER_COL_MAJOR : TTLX_ORDER_ROW_MAJOR)) &&
             cJSON_AddStringToObject(
                 nd, key_name(TTLX_HK_DISTRIBUTION),
                 ttlx_dist_name(s->rr ? TTLX_DIST_ROUND_ROBIN_1D : TTLX_DIST_GRID_2D));
    }
    if (!ok) {
        cJSON_Delete(h);
        return NULL;
    }
    return h;
}

/* The closed-form facts of a candidate (SPEC 3.4, 3.5); pc gets the bytes
 * on each core when the candidate is in L1. */
void sv_spec_facts(const sv_tiles_t *t, const ttlx_device_t *dev, const sv_spec_t *s, sv_cand_t *c,
                   int64_t *pc) {
    const int64_t gx = dev->grid_x, gy = dev->grid_y, cores = gx * gy;
    bool l1 = s->memory == TTLX_MEM_L1;
    int64_t align = l1 ? dev->l1_align_bytes : dev->dram_align_bytes;
    int64_t page = ttlx_ceil_div(t->tile_bytes, align) * align;
    int64_t data = sv_sat_mul(t->pages, page);
    int64_t cap = l1 ? dev->l1_bank_bytes : dev->dram_bank_bytes;
    int64_t holders, per;
    memset(c, 0, sizeof *c);
    c->spec = *s;
    if (!s->sharded) {
        holders = l1 ? cores : dev->dram_banks;
        per = sv_sat_mul(ttlx_ceil_div(t->pages, holders), page);
        if (l1)
            for (int64_t i = 0; i < cores; i++)
                pc[i] = per;
    } else {
        int64_t shards = s->gm * s->gn;
        int64_t tiles = sv_sat_mul(
            sv_sat_mul(ttlx_ceil_div(t->mt, s->gm), ttlx_ceil_div(t->nt, s->gn)), t->outer);
        int64_t room = !l1 ? dev->dram_banks : s->rr ? cores : shards;
        holders = shards < room ? shards : room;
        per = sv_sat_mul(sv_sat_mul(ttlx_ceil_div(shards, room), tiles), page);
        if (l1) {
            memset(pc, 0, (size_t)cores * sizeof *pc);
            for (int64_t k = 0; k < holders; k++) {
                int64_t x, y;
                if (s->rr) {
                    x = s->colm ? k / gy : k % gx;
                    y = s->colm ? k % gy : k / gx;
                } else {
                    int64_t m = k / s->gn, n = k % s->gn;
                    x = s->colm ? m : n;
                    y = s->colm ? n : m;
                }
                pc[y * gx + x] = per;
            }
            c->lead = true;
            c->lead_cores = holders;
            c->proj[0] = s->gm;
            c->proj[1] = s->gn;
        }
    }
    c->err = per > cap;
    c->pad = sv_sat_mul(holders, per) - data;
    if (l1) {
        c->res = data;
        c->pc = pc;
        for (int64_t i = 0; i < cores; i++) {
            if (pc[i] > c->maxpc) c->maxpc = pc[i];
            c->total = c->total > INT64_MAX - pc[i] ? INT64_MAX : c->total + pc[i];
        }
    }
}

/* "L1 sharded 8x8 block", "DRAM interleaved", ... for a layout. */
void sv_describe(const ttlx_layout_t *L, bool with_shard, char *out, size_t n) {
    const char *mem = ttlx_memory_name(L->memory);
    if (L->layout != TTLX_LAYOUT_SHARDED) {
        snprintf(out, n, "%s interleaved", mem);
        return;
    }
    if (!L->has_shard) {
        snprintf(out, n, "%s sharded (no valid nd_shard)", mem);
        return;
    }
    int64_t gm = L->proj_grid[0], gn = L->proj_grid[1];
    const char *kind = gm > 1 && gn == 1 ? "height" : gm == 1 && gn > 1 ? "width" : "block";
    bool l1 = L->memory == TTLX_MEM_L1;
    char shard[64] = "";
    if (with_shard)
        snprintf(shard, sizeof shard, " (shard %lldx%lld)", (long long)L->shard[L->axis_m],
                 (long long)L->shard[L->axis_n]);
    snprintf(out, n, "%s sharded %lldx%lld %s%s%s%s", mem, (long long)gm, (long long)gn, kind,
             l1 && L->dist == TTLX_DIST_ROUND_ROBIN_1D ? " round_robin_1d" : "",
             l1 && L->dist == TTLX_DIST_GRID_2D && L->order == TTLX_ORDER_COL_MAJOR ? " col_major"
                                                                                    : "",
             shard);
}

cJSON *ttlx_solve_candidates(const ttlx_func_t *f, const ttlx_device_t *dev, size_t i,
                             ttlx_error_t *err) {
    if (i >= ttlx_func_buffer_count(f)) {
        ttlx_error_set(err, 0, 0, "no buffer %zu", i);
        return NULL;
    }
    if (!dev) dev = ttlx_device_default();
    ttlx_result_t *r = ttlx_infer(f, dev, err);
    if (!r) return NULL;
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    sv_tiles_t t;
    sv_tiles_of(L, ttlx_func_hint(f, L->buf->name), &t);
    sv_spec_list_t l = {0};
    bool cut = false;
    cJSON *arr = sv_gen_specs(&t, dev, 0, &l, &cut) ? cJSON_CreateArray() : NULL;
    for (size_t j = 0; arr && j < l.n; j++) {
        cJSON *h = sv_spec_hint(&t, &l.v[j]);
        if (!h || !cJSON_AddItemToArray(arr, h)) {
            cJSON_Delete(h);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    ttlx_free(l.v);
    ttlx_result_free(r);
    if (!arr) ttlx_error_set(err, 0, 0, "out of memory");
    return arr;
}
