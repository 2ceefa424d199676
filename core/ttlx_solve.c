/*
 * ttlx_solve.c - the layout solver's public face: objectives and metrics,
 * the candidate layouts of a buffer (their hints, descriptions and
 * closed-form facts), the model built from one baseline inference, and the
 * solution: the best alternatives re-checked with a real ttlx_infer, their
 * changes, the Pareto flags and the SPEC 9 JSON. The search itself lives in
 * solve/search.c.
 */
#include "ttlx_solve.h"
#include "solve/solve_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Default evaluation budget of the exact search: a second or so at worst.
 * The bounded search gets about SV_DEFAULT_WORK core-or-buffer steps. */
#define SV_DEFAULT_EVALS 20000000u
#define SV_DEFAULT_WORK 400000000u
/* Memory for the per-core bytes of every candidate; past it each buffer
 * keeps only its most preferred candidates (and the search is not exact). */
#define SV_POOL_BYTES ((size_t)64 << 20)
/* round_robin_1d shard counts go up to this many times the core count. */
#define SV_RR_FACTOR 2

struct ttlx_solution {
    char func[128];
    char device[64];
    ttlx_solve_objective_t obj;
    bool exact;
    uint64_t evaluated;
    size_t n;
    ttlx_solve_metrics_t *metrics;
    cJSON **hints;
    char ***changes; /* per alternative, nchanges[i] strings */
    size_t *nchanges;
    bool *pareto;
};

/* ---- objectives and metrics ------------------------------------------- */

static const char *const objective_names[] = {"l1", "cores", "headroom"};

bool ttlx_solve_objective_parse(const char *name, ttlx_solve_objective_t *out) {
    for (int i = 0; name && i < 3; i++) {
        if (!strcasecmp(name, objective_names[i])) {
            *out = (ttlx_solve_objective_t)i;
            return true;
        }
    }
    return false;
}

const char *ttlx_solve_objective_name(ttlx_solve_objective_t o) {
    return (unsigned)o < 3 ? objective_names[o] : "l1";
}

sv_key_t sv_key_of(ttlx_solve_objective_t o, int64_t reserve, const ttlx_solve_metrics_t *m) {
    int64_t shortfall = reserve > m->worst_core_free ? reserve - m->worst_core_free : 0;
    sv_key_t k;
    k.v[0] = -m->errors;
    k.v[1] = -shortfall;
    int64_t l1[5] = {m->l1_bytes, m->work_cores, -m->reshards, -m->padding_bytes,
                     m->worst_core_free};
    if (o == TTLX_SOLVE_CORES) {
        k.v[2] = m->work_cores;
        k.v[3] = m->l1_bytes;
        memcpy(&k.v[4], &l1[2], 3 * sizeof l1[0]);
    } else if (o == TTLX_SOLVE_HEADROOM) {
        k.v[2] = m->worst_core_free;
        memcpy(&k.v[3], l1, 4 * sizeof l1[0]);
    } else {
        memcpy(&k.v[2], l1, 5 * sizeof l1[0]);
    }
    return k;
}

int sv_key_cmp(const sv_key_t *a, const sv_key_t *b) {
    for (int i = 0; i < SV_KEY_LEN; i++)
        if (a->v[i] != b->v[i]) return a->v[i] > b->v[i] ? 1 : -1;
    return 0;
}

int ttlx_solve_compare(ttlx_solve_objective_t o, int64_t reserve_bytes,
                       const ttlx_solve_metrics_t *a, const ttlx_solve_metrics_t *b) {
    sv_key_t ka = sv_key_of(o, reserve_bytes, a), kb = sv_key_of(o, reserve_bytes, b);
    return sv_key_cmp(&ka, &kb);
}

static int64_t sat_mul(int64_t a, int64_t b) {
    int64_t r;
    return ttlx_mul64(a, b, &r) ? r : INT64_MAX;
}

/* Bytes a placed layout reserves beyond its pages (lock-step remainders,
 * partial shards). */
static int64_t layout_padding(const ttlx_layout_t *L) {
    if (!L->placed) return 0;
    int64_t reserved = L->layout == TTLX_LAYOUT_SHARDED ? sat_mul(L->cores_used, L->bytes_per_core)
                                                        : sat_mul(L->banks, L->bytes_per_bank);
    return reserved - sat_mul(L->pages, L->page_bytes);
}

static bool l1_sharded(const ttlx_layout_t *L) {
    return L->placed && L->memory == TTLX_MEM_L1 && L->layout == TTLX_LAYOUT_SHARDED;
}

void ttlx_solve_measure(const ttlx_result_t *r, ttlx_solve_metrics_t *out) {
    memset(out, 0, sizeof *out);
    out->errors = (int64_t)ttlx_result_diag_counts(r, NULL, NULL, NULL);
    const ttlx_layout_t *lead = NULL;
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        if (L->placed && L->memory == TTLX_MEM_L1)
            out->l1_bytes += sat_mul(L->pages, L->page_bytes);
        out->padding_bytes += layout_padding(L);
        if (!l1_sharded(L)) continue;
        if (!lead)
            lead = L;
        else if (L->proj_grid[0] != lead->proj_grid[0] || L->proj_grid[1] != lead->proj_grid[1])
            out->reshards++;
    }
    out->work_cores = (int64_t)ttlx_result_partition(r)->ncores;
    out->worst_core_free =
        ttlx_result_device(r)->l1_bank_bytes - ttlx_result_max_used(r, NULL, NULL);
}

/* ---- candidate layouts ------------------------------------------------ */

/* The tile facts of one buffer that its candidates derive from. */
typedef struct sv_tiles {
    const ttlx_buffer_info_t *buf;
    int tile_h, tile_w;
    int64_t tile_bytes, pages;
    int64_t mt, nt;         /* tiles along M and N */
    int64_t outer;          /* product of the other dims */
    int64_t cb;             /* CB bytes */
    const cJSON *keep_keys; /* the user's hint, for tile_shape/dtype/cb_depth */
} sv_tiles_t;

static void tiles_of(const ttlx_layout_t *L, const cJSON *hint, sv_tiles_t *t) {
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

typedef struct spec_list {
    sv_spec_t *v;
    size_t n, cap;
    bool oom;
} spec_list_t;

static void spec_push(spec_list_t *l, sv_spec_t s) {
    if (l->oom) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        sv_spec_t *v = ttlx_realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->oom = true;
            return;
        }
        l->v = v;
        l->cap = cap;
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
static bool gen_specs(const sv_tiles_t *t, const ttlx_device_t *dev, size_t cap, spec_list_t *out,
                      bool *cut) {
    spec_list_t all = {0};
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

/* The complete hint of a candidate (caller owns), NULL on allocation
 * failure. Keeps the user's tile_shape, dtype and cb_depth. */
static cJSON *spec_hint(const sv_tiles_t *t, const sv_spec_t *s) {
    cJSON *h = cJSON_CreateObject();
    if (!h) return NULL;
    bool ok = cJSON_AddStringToObject(h, "memory", s->memory == TTLX_MEM_L1 ? "L1" : "DRAM") &&
              cJSON_AddStringToObject(h, "layout", s->sharded ? "sharded" : "interleaved");
    static const char *const kept[] = {"tile_shape", "dtype", "cb_depth"};
    for (int k = 0; ok && k < 3 && t->keep_keys; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t->keep_keys, kept[k]);
        cJSON *c = v ? cJSON_Duplicate(v, true) : NULL;
        if (v && (!c || !cJSON_AddItemToObject(h, kept[k], c))) {
            cJSON_Delete(c);
            ok = false;
        }
    }
    if (ok && s->sharded) {
        const ttlx_buffer_info_t *b = t->buf;
        cJSON *nd = cJSON_AddObjectToObject(h, "nd_shard");
        cJSON *axes = nd ? cJSON_AddArrayToObject(nd, "axes") : NULL;
        cJSON *grid = nd ? cJSON_AddArrayToObject(nd, "grid") : NULL;
        cJSON *shard = nd ? cJSON_AddArrayToObject(nd, "shard_shape_elems") : NULL;
        ok = axes && grid && shard;
        for (int d = 0; ok && d < b->rank; d++) {
            char lab[16];
            axis_label(b->rank, d, lab);
            int64_t g = 1, e = b->shape[d];
            if (d == b->rank - 2) {
                g = s->gm;
                e = ttlx_ceil_div(t->mt, s->gm) * t->tile_h;
            } else if (d == b->rank - 1) {
                g = s->gn;
                e = ttlx_ceil_div(t->nt, s->gn) * t->tile_w;
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
        ok = ok && cJSON_AddStringToObject(nd, "order", s->colm ? "col_major" : "row_major") &&
             cJSON_AddStringToObject(nd, "distribution", s->rr ? "round_robin_1d" : "grid_2d");
    }
    if (!ok) {
        cJSON_Delete(h);
        return NULL;
    }
    return h;
}

/* The closed-form facts of a candidate (SPEC 3.4, 3.5); pc gets the bytes
 * on each core when the candidate is in L1. */
static void spec_facts(const sv_tiles_t *t, const ttlx_device_t *dev, const sv_spec_t *s,
                       sv_cand_t *c, int64_t *pc) {
    const int64_t gx = dev->grid_x, gy = dev->grid_y, cores = gx * gy;
    bool l1 = s->memory == TTLX_MEM_L1;
    int64_t align = l1 ? dev->l1_align_bytes : dev->dram_align_bytes;
    int64_t page = ttlx_ceil_div(t->tile_bytes, align) * align;
    int64_t data = sat_mul(t->pages, page);
    int64_t cap = l1 ? dev->l1_bank_bytes : dev->dram_bank_bytes;
    int64_t holders, per;
    memset(c, 0, sizeof *c);
    c->spec = *s;
    if (!s->sharded) {
        holders = l1 ? cores : dev->dram_banks;
        per = sat_mul(ttlx_ceil_div(t->pages, holders), page);
        if (l1)
            for (int64_t i = 0; i < cores; i++)
                pc[i] = per;
    } else {
        int64_t shards = s->gm * s->gn;
        int64_t tiles =
            sat_mul(sat_mul(ttlx_ceil_div(t->mt, s->gm), ttlx_ceil_div(t->nt, s->gn)), t->outer);
        int64_t room = !l1 ? dev->dram_banks : s->rr ? cores : shards;
        holders = shards < room ? shards : room;
        per = sat_mul(sat_mul(ttlx_ceil_div(shards, room), tiles), page);
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
    c->pad = sat_mul(holders, per) - data;
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
static void describe(const ttlx_layout_t *L, bool with_shard, char *out, size_t n) {
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

/* ---- the model -------------------------------------------------------- */

static bool is_kept(const char *name, const ttlx_solve_opts_t *o) {
    for (size_t k = 0; k < o->nkeep; k++)
        if (o->keep[k] && !strcmp(o->keep[k], name)) return true;
    return false;
}

/* The baseline hints: pinned buffers keep theirs; free buffers are DRAM
 * interleaved with the user's tile_shape, dtype and cb_depth. */
static cJSON *baseline_hints(const ttlx_func_t *f, const cJSON *const *uh, const bool *pinned) {
    cJSON *ul = cJSON_CreateObject();
    if (!ul) return NULL;
    for (size_t i = 0; i < ttlx_func_buffer_count(f); i++) {
        const char *name = ttlx_func_buffer(f, i)->name;
        const cJSON *h = uh[i];
        cJSON *c = NULL;
        if (pinned[i]) {
            if (!h) continue;
            c = cJSON_Duplicate(h, true);
        } else {
            sv_tiles_t t = {0};
            t.keep_keys = cJSON_IsObject(h) ? h : NULL;
            t.buf = ttlx_func_buffer(f, i);
            sv_spec_t s = {TTLX_MEM_DRAM, 0, 0, 0, 0, 0};
            c = spec_hint(&t, &s);
        }
        if (!c || !cJSON_AddItemToObject(ul, name, c)) {
            cJSON_Delete(c);
            cJSON_Delete(ul);
            return NULL;
        }
    }
    return ul;
}

/* Runs ttlx_infer on wf (the solver's own copy of the function) with the
 * hints ul (borrowed). The result borrows wf's buffer info. */
static ttlx_result_t *infer_with(ttlx_func_t *wf, const ttlx_device_t *dev, const cJSON *ul,
                                 ttlx_error_t *err) {
    cJSON *use = cJSON_Duplicate(ul, true);
    if (!use || !ttlx_func_set_hints(wf, use)) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    return ttlx_infer(wf, dev, err);
}

typedef struct sv_build {
    sv_model_t m;
    const cJSON *user;       /* a copy of f's tt.user_layout, stable while f's hints change */
    const cJSON **user_hint; /* per buffer: its hint in user (the first), or NULL */
    sv_tiles_t *tiles;
    int64_t *pool; /* pc arrays */
} sv_build_t;

static void build_free(sv_build_t *B) {
    if (B->m.b)
        for (size_t i = 0; i < B->m.nb; i++)
            ttlx_free(B->m.b[i].c);
    ttlx_free(B->m.b);
    ttlx_free(B->m.global_cb);
    ttlx_free(B->tiles);
    ttlx_free(B->pool);
    ttlx_free(B->user_hint);
}

static uint64_t hash_cand(const sv_cand_t *c, int ncores) {
    uint64_t h = 1469598103934665603u;
    int64_t f[8] = {c->err,        c->res,     c->pad,     c->lead,
                    c->lead_cores, c->proj[0], c->proj[1], c->total};
    for (int i = 0; i < 8; i++)
        h = (h ^ (uint64_t)f[i]) * 1099511628211u;
    for (int i = 0; c->pc && i < ncores; i++)
        h = (h ^ (uint64_t)c->pc[i]) * 1099511628211u;
    return h;
}

static bool same_facts(const sv_cand_t *a, const sv_cand_t *b, int ncores) {
    if (a->err != b->err || a->res != b->res || a->pad != b->pad || a->lead != b->lead ||
        a->lead_cores != b->lead_cores || a->proj[0] != b->proj[0] || a->proj[1] != b->proj[1] ||
        !a->pc != !b->pc)
        return false;
    return !a->pc || !memcmp(a->pc, b->pc, (size_t)ncores * sizeof *a->pc);
}

/* Builds the model from the baseline result. */
static bool build_model(sv_build_t *B, const ttlx_func_t *f, const ttlx_device_t *dev,
                        const ttlx_result_t *base, const bool *pinned, const ttlx_solve_opts_t *o) {
    sv_model_t *m = &B->m;
    size_t nb = ttlx_func_buffer_count(f);
    m->gx = dev->grid_x;
    m->gy = dev->grid_y;
    m->ncores = dev->grid_x * dev->grid_y;
    m->bank = dev->l1_bank_bytes;
    m->nb = nb;
    m->obj = o->objective;
    m->reserve = o->reserve_bytes;
    m->k = o->top_k ? o->top_k : 5;
    m->max_evals = o->max_evals ? o->max_evals : SV_DEFAULT_EVALS;
    const cJSON *us = cJSON_GetObjectItemCaseSensitive(ttlx_func_attrs(f), "tt.user_schedule");
    const cJSON *pm =
        cJSON_IsObject(us) ? cJSON_GetObjectItemCaseSensitive(us, "partition_mode") : NULL;
    m->forced_global = cJSON_IsString(pm) && !strcmp(pm->valuestring, "global");

    size_t nc = (size_t)m->ncores;
    m->b = ttlx_calloc(nb ? nb : 1, sizeof *m->b);
    B->tiles = ttlx_calloc(nb ? nb : 1, sizeof *B->tiles);
    m->global_cb = ttlx_calloc(nc, sizeof *m->global_cb);
    if (!m->b || !B->tiles || !m->global_cb) return false;

    /* Errors that no choice changes: all but TTL006 and the free buffers'
     * placement errors (their DRAM interleaved candidate counts those). */
    int64_t errs = (int64_t)ttlx_result_diag_counts(base, NULL, NULL, NULL);
    for (size_t d = 0; d < ttlx_result_diag_count(base); d++) {
        const ttlx_diag_t *g = ttlx_result_diag(base, d);
        if (g->severity != TTLX_SEV_ERROR) continue;
        if (!strcmp(g->code, "TTL006") ||
            (g->buffer >= 0 && !pinned[g->buffer] && !strcmp(g->code, "TTL014")))
            errs--;
    }
    m->const_err = errs;
    for (size_t i = 0; i < nb; i++)
        m->cb += ttlx_result_layout(base, i)->cb_bytes;
    const ttlx_partition_t *p = ttlx_result_partition(base);
    if (!p->local_shard) {
        m->global_n = (int64_t)p->ncores;
        for (size_t k = 0; k < p->ncores; k++) {
            const ttlx_core_range_t *c = &p->cores[k];
            if (c->x < m->gx && c->y < m->gy) m->global_cb[(size_t)c->y * m->gx + c->x] = m->cb;
        }
    }

    /* Candidates per buffer, then their pc arrays in one pool. */
    size_t nfree = 0;
    for (size_t i = 0; i < nb; i++)
        nfree += !pinned[i];
    size_t cap = nfree ? SV_POOL_BYTES / (nfree * nc * sizeof(int64_t)) : 0;
    if (nfree && cap < 8) cap = 8;
    if (!o->max_evals && nfree > 4) {
        uint64_t per = SV_DEFAULT_WORK / ((uint64_t)nb + nc);
        m->max_evals = per < 100000 ? 100000 : per;
    }
    size_t total = 0;
    spec_list_t *lists = ttlx_calloc(nb ? nb : 1, sizeof *lists);
    if (!lists) return false;
    bool ok = true;
    for (size_t i = 0; i < nb && ok; i++) {
        const ttlx_layout_t *L = ttlx_result_layout(base, i);
        tiles_of(L, B->user_hint[i], &B->tiles[i]);
        if (pinned[i]) {
            total++;
            m->b[i].pinned = true;
            continue;
        }
        m->nfree++;
        ok = gen_specs(&B->tiles[i], dev, cap, &lists[i], &m->truncated);
        total += lists[i].n;
    }
    if (ok) B->pool = ttlx_calloc(total ? total * nc : 1, sizeof *B->pool);
    ok = ok && B->pool;
    size_t used = 0;
    uint64_t *hashes = NULL;
    for (size_t i = 0; i < nb && ok; i++) {
        sv_buf_t *sb = &m->b[i];
        size_t n = pinned[i] ? 1 : lists[i].n;
        sb->c = ttlx_calloc(n, sizeof *sb->c);
        ttlx_free(hashes);
        hashes = ttlx_calloc(n, sizeof *hashes);
        if (!sb->c || !hashes) {
            ok = false;
            break;
        }
        if (pinned[i]) {
            const ttlx_layout_t *L = ttlx_result_layout(base, i);
            sv_cand_t *c = &sb->c[0];
            int64_t *pc = B->pool + used * nc;
            bool any = false;
            for (int y = 0; y < m->gy; y++)
                for (int x = 0; x < m->gx; x++) {
                    int64_t v =
                        L->memory == TTLX_MEM_L1 ? ttlx_result_buffer_bytes_on(base, i, x, y) : 0;
                    pc[(size_t)y * m->gx + x] = v;
                    any |= v != 0;
                    if (v > c->maxpc) c->maxpc = v;
                    c->total = c->total > INT64_MAX - v ? INT64_MAX : c->total + v;
                }
            c->pc = any ? pc : NULL;
            used++;
            if (L->placed && L->memory == TTLX_MEM_L1) c->res = sat_mul(L->pages, L->page_bytes);
            c->pad = layout_padding(L);
            c->lead = l1_sharded(L);
            c->lead_cores = L->cores_used;
            c->proj[0] = L->proj_grid[0];
            c->proj[1] = L->proj_grid[1];
            sb->n = 1;
            continue;
        }
        /* Free: keep candidates that fit one core alone and differ in facts
         * from every earlier one (the earlier is preferred). */
        for (size_t j = 0; j < lists[i].n; j++) {
            sv_cand_t c;
            int64_t *pc = B->pool + used * nc;
            spec_facts(&B->tiles[i], dev, &lists[i].v[j], &c, pc);
            bool dram_il = c.spec.memory == TTLX_MEM_DRAM && !c.spec.sharded;
            if (c.err && !dram_il) continue;
            uint64_t h = hash_cand(&c, m->ncores);
            bool dup = false;
            for (size_t e = 0; e < sb->n && !dup; e++)
                dup = hashes[e] == h && same_facts(&sb->c[e], &c, m->ncores);
            if (dup) continue;
            hashes[sb->n] = h;
            sb->c[sb->n++] = c;
            if (c.pc) used++;
        }
    }
    ttlx_free(hashes);
    for (size_t i = 0; i < nb; i++)
        ttlx_free(lists[i].v);
    ttlx_free(lists);
    return ok;
}

/* ---- the solution ----------------------------------------------------- */

void ttlx_solution_free(ttlx_solution_t *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        if (s->hints) cJSON_Delete(s->hints[i]);
        if (s->changes && s->changes[i]) {
            for (size_t j = 0; j < s->nchanges[i]; j++)
                ttlx_free(s->changes[i][j]);
            ttlx_free(s->changes[i]);
        }
    }
    ttlx_free(s->metrics);
    ttlx_free(s->hints);
    ttlx_free(s->changes);
    ttlx_free(s->nchanges);
    ttlx_free(s->pareto);
    ttlx_free(s);
}

/* The complete tt.user_layout of one choice (caller owns). */
static cJSON *choice_hints(const sv_build_t *B, const ttlx_func_t *f, const uint32_t *choice) {
    cJSON *ul = cJSON_CreateObject();
    if (!ul) return NULL;
    for (size_t i = 0; i < B->m.nb; i++) {
        const char *name = ttlx_func_buffer(f, i)->name;
        cJSON *h;
        if (B->m.b[i].pinned) {
            const cJSON *orig = B->user_hint[i];
            if (!orig) continue;
            h = cJSON_Duplicate(orig, true);
        } else {
            h = spec_hint(&B->tiles[i], &B->m.b[i].c[choice[i]].spec);
        }
        if (!h || !cJSON_AddItemToObject(ul, name, h)) {
            cJSON_Delete(h);
            cJSON_Delete(ul);
            return NULL;
        }
    }
    return ul;
}

/* The change strings of one alternative against the original result. */
static bool make_changes(ttlx_solution_t *s, size_t a, const ttlx_func_t *f,
                         const cJSON *const *user_hint, const ttlx_result_t *orig,
                         const ttlx_result_t *alt) {
    size_t nb = ttlx_func_buffer_count(f);
    s->changes[a] = ttlx_calloc(nb ? nb : 1, sizeof *s->changes[a]);
    if (!s->changes[a]) return false;
    const cJSON *next = s->hints[a]->child;
    for (size_t i = 0; i < nb; i++) {
        const char *name = ttlx_func_buffer(f, i)->name;
        const cJSON *h0 = user_hint[i];
        /* The alternative's hints are in parameter order: walk them along. */
        const cJSON *h1 = NULL;
        if (next && next->string && !strcmp(next->string, name)) {
            h1 = next;
            next = next->next;
        }
        if ((!h0 && !h1) || (h0 && h1 && cJSON_Compare(h0, h1, true))) continue;
        char from[200], to[200], line[512];
        describe(ttlx_result_layout(orig, i), false, from, sizeof from);
        describe(ttlx_result_layout(alt, i), false, to, sizeof to);
        if (!strcmp(from, to)) {
            describe(ttlx_result_layout(orig, i), true, from, sizeof from);
            describe(ttlx_result_layout(alt, i), true, to, sizeof to);
            if (!strcmp(from, to)) continue;
        }
        snprintf(line, sizeof line, "%s: %s -> %s", name, from, to);
        char *c = ttlx_strdup(line);
        if (!c) return false;
        s->changes[a][s->nchanges[a]++] = c;
    }
    return true;
}

static bool dominates(const ttlx_solve_metrics_t *a, const ttlx_solve_metrics_t *b) {
    bool ge = a->l1_bytes >= b->l1_bytes && a->work_cores >= b->work_cores &&
              a->worst_core_free >= b->worst_core_free;
    bool gt = a->l1_bytes > b->l1_bytes || a->work_cores > b->work_cores ||
              a->worst_core_free > b->worst_core_free;
    return ge && gt;
}

/* Re-checks each alternative with a real inference, ranks by the real
 * metrics and fills hints, changes and Pareto flags. */
static bool finish(ttlx_solution_t *s, const sv_build_t *B, const ttlx_func_t *f, ttlx_func_t *wf,
                   const ttlx_device_t *dev, const sv_top_t *top, ttlx_error_t *err) {
    size_t n = top->n;
    s->metrics = ttlx_calloc(n ? n : 1, sizeof *s->metrics);
    s->hints = ttlx_calloc(n ? n : 1, sizeof *s->hints);
    s->changes = ttlx_calloc(n ? n : 1, sizeof *s->changes);
    s->nchanges = ttlx_calloc(n ? n : 1, sizeof *s->nchanges);
    s->pareto = ttlx_calloc(n ? n : 1, sizeof *s->pareto);
    if (!s->metrics || !s->hints || !s->changes || !s->nchanges || !s->pareto) goto oom;
    ttlx_result_t *orig = ttlx_infer(f, dev, err);
    if (!orig) return false;
    for (size_t a = 0; a < n; a++) {
        s->hints[a] = choice_hints(B, f, top->choice + a * top->nb);
        s->n = a + 1;
        if (!s->hints[a]) {
            ttlx_result_free(orig);
            goto oom;
        }
        ttlx_result_t *r = infer_with(wf, dev, s->hints[a], err);
        if (!r) {
            ttlx_result_free(orig);
            return false;
        }
        ttlx_solve_measure(r, &s->metrics[a]);
        bool ok = make_changes(s, a, f, B->user_hint, orig, r);
        ttlx_result_free(r);
        if (!ok) {
            ttlx_result_free(orig);
            goto oom;
        }
    }
    ttlx_result_free(orig);
    /* Stable insertion sort by the real metrics (the model agrees with
     * them; this keeps the order right should it ever not). */
    for (size_t a = 1; a < n; a++) {
        for (size_t b = a; b > 0; b--) {
            if (ttlx_solve_compare(s->obj, B->m.reserve, &s->metrics[b], &s->metrics[b - 1]) <= 0)
                break;
            ttlx_solve_metrics_t tm = s->metrics[b];
            s->metrics[b] = s->metrics[b - 1];
            s->metrics[b - 1] = tm;
            cJSON *th = s->hints[b];
            s->hints[b] = s->hints[b - 1];
            s->hints[b - 1] = th;
            char **tc = s->changes[b];
            s->changes[b] = s->changes[b - 1];
            s->changes[b - 1] = tc;
            size_t tn = s->nchanges[b];
            s->nchanges[b] = s->nchanges[b - 1];
            s->nchanges[b - 1] = tn;
        }
    }
    /* Fewer than K layouts may be as clean as the best: the rest go. */
    while (s->n > 1 && s->metrics[s->n - 1].errors > s->metrics[0].errors) {
        size_t a = --s->n;
        cJSON_Delete(s->hints[a]);
        for (size_t j = 0; j < s->nchanges[a]; j++)
            ttlx_free(s->changes[a][j]);
        ttlx_free(s->changes[a]);
    }
    n = s->n;
    for (size_t a = 0; a < n; a++) {
        s->pareto[a] = s->metrics[a].errors == 0;
        for (size_t b = 0; b < n && s->pareto[a]; b++)
            if (b != a && s->metrics[b].errors == 0 && dominates(&s->metrics[b], &s->metrics[a]))
                s->pareto[a] = false;
    }
    return true;
oom:
    ttlx_error_set(err, 0, 0, "out of memory");
    return false;
}

ttlx_solution_t *ttlx_solve(const ttlx_func_t *f, const ttlx_device_t *dev,
                            const ttlx_solve_opts_t *o, ttlx_error_t *err) {
    ttlx_solve_opts_t defaults = {0};
    if (!o) o = &defaults;
    if (!dev) dev = ttlx_device_default();
    size_t nb = ttlx_func_buffer_count(f);
    for (size_t k = 0; k < o->nkeep; k++) {
        if (o->keep[k] && ttlx_func_find_buffer(f, o->keep[k]) < 0) {
            ttlx_error_set(err, 0, 0, "keep: no buffer named \"%.200s\" in %.200s", o->keep[k],
                           ttlx_func_name(f));
            return NULL;
        }
    }
    ttlx_solution_t *s = ttlx_calloc(1, sizeof *s);
    bool *pinned = ttlx_calloc(nb ? nb : 1, sizeof *pinned);
    sv_build_t B = {0};
    sv_top_t top = {0};
    ttlx_result_t *base = NULL;
    ttlx_module_t *work = NULL;
    cJSON *ul = NULL, *user = NULL;
    /* Layouts are tried on a copy: f itself never changes. */
    cJSON *doc = ttlx_func_to_json(f);
    work = doc ? ttlx_module_from_json(doc, err) : NULL;
    if (!work) goto oom;
    ttlx_func_t *wf = ttlx_module_func(work, 0);
    user = ttlx_func_hints_copy(f);
    B.user = user;
    B.user_hint = ttlx_calloc(nb ? nb : 1, sizeof *B.user_hint);
    if (!s || !pinned || !user || !B.user_hint) goto oom;
    /* Each buffer's hint, found in one pass (the first for a name wins, as
     * in ttlx_infer). */
    for (const cJSON *h = user->child; h; h = h->next) {
        int bi = h->string ? ttlx_func_find_buffer(f, h->string) : -1;
        if (bi >= 0 && !B.user_hint[bi]) B.user_hint[bi] = h;
    }
    snprintf(s->func, sizeof s->func, "%s", ttlx_func_name(f));
    snprintf(s->device, sizeof s->device, "%s", dev->name);
    s->obj = (unsigned)o->objective < 3 ? o->objective : TTLX_SOLVE_L1;
    for (size_t i = 0; i < nb; i++)
        pinned[i] = is_kept(ttlx_func_buffer(f, i)->name, o);
    ul = baseline_hints(f, B.user_hint, pinned);
    if (!ul) goto oom;
    base = infer_with(wf, dev, ul, err);
    if (!base) goto fail;
    ttlx_solve_opts_t oo = *o;
    oo.objective = s->obj;
    if (!build_model(&B, f, dev, base, pinned, &oo)) goto oom;
    top.k = B.m.k;
    top.nb = nb;
    top.keys = ttlx_calloc(top.k, sizeof *top.keys);
    top.choice = ttlx_calloc(top.k * (nb ? nb : 1), sizeof *top.choice);
    if (!top.keys || !top.choice) goto oom;
    if (!sv_search(&B.m, &top, &s->evaluated, &s->exact)) goto oom;
    if (!finish(s, &B, f, wf, dev, &top, err)) goto fail;
    ttlx_result_free(base);
    ttlx_module_free(work);
    cJSON_Delete(ul);
    cJSON_Delete(user);
    build_free(&B);
    ttlx_free(top.keys);
    ttlx_free(top.choice);
    ttlx_free(pinned);
    return s;
oom:
    ttlx_error_set(err, 0, 0, "out of memory");
fail:
    ttlx_result_free(base);
    ttlx_module_free(work);
    cJSON_Delete(ul);
    cJSON_Delete(user);
    build_free(&B);
    ttlx_free(top.keys);
    ttlx_free(top.choice);
    ttlx_free(pinned);
    ttlx_solution_free(s);
    return NULL;
}

size_t ttlx_solution_count(const ttlx_solution_t *s) {
    return s->n;
}
const ttlx_solve_metrics_t *ttlx_solution_metrics(const ttlx_solution_t *s, size_t i) {
    return i < s->n ? &s->metrics[i] : NULL;
}
const cJSON *ttlx_solution_hints(const ttlx_solution_t *s, size_t i) {
    return i < s->n ? s->hints[i] : NULL;
}
size_t ttlx_solution_change_count(const ttlx_solution_t *s, size_t i) {
    return i < s->n ? s->nchanges[i] : 0;
}
const char *ttlx_solution_change(const ttlx_solution_t *s, size_t i, size_t j) {
    return i < s->n && j < s->nchanges[i] ? s->changes[i][j] : NULL;
}
bool ttlx_solution_pareto(const ttlx_solution_t *s, size_t i) {
    return i < s->n && s->pareto[i];
}
bool ttlx_solution_exact(const ttlx_solution_t *s) {
    return s->exact;
}
uint64_t ttlx_solution_evaluated(const ttlx_solution_t *s) {
    return s->evaluated;
}
ttlx_solve_objective_t ttlx_solution_objective(const ttlx_solution_t *s) {
    return s->obj;
}

cJSON *ttlx_solution_to_json(const ttlx_solution_t *s) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *alts = NULL;
    bool ok = doc && cJSON_AddStringToObject(doc, "func", s->func) &&
              cJSON_AddStringToObject(doc, "device", s->device) &&
              cJSON_AddStringToObject(doc, "objective", ttlx_solve_objective_name(s->obj)) &&
              cJSON_AddBoolToObject(doc, "exact", s->exact) &&
              cJSON_AddNumberToObject(doc, "evaluated", (double)s->evaluated) &&
              (alts = cJSON_AddArrayToObject(doc, "alternatives"));
    for (size_t i = 0; ok && i < s->n; i++) {
        const ttlx_solve_metrics_t *m = &s->metrics[i];
        cJSON *a = cJSON_CreateObject(), *mj = NULL, *ch = NULL, *h = NULL;
        ok = a && cJSON_AddItemToArray(alts, a) &&
             cJSON_AddNumberToObject(a, "rank", (double)(i + 1)) &&
             (mj = cJSON_AddObjectToObject(a, "metrics")) &&
             cJSON_AddNumberToObject(mj, "errors", (double)m->errors) &&
             cJSON_AddNumberToObject(mj, "l1_bytes", (double)m->l1_bytes) &&
             cJSON_AddNumberToObject(mj, "work_cores", (double)m->work_cores) &&
             cJSON_AddNumberToObject(mj, "reshards", (double)m->reshards) &&
             cJSON_AddNumberToObject(mj, "padding_bytes", (double)m->padding_bytes) &&
             cJSON_AddNumberToObject(mj, "worst_core_free", (double)m->worst_core_free) &&
             cJSON_AddBoolToObject(a, "pareto", s->pareto[i]) &&
             (h = cJSON_Duplicate(s->hints[i], true)) && cJSON_AddItemToObject(a, "hints", h) &&
             (ch = cJSON_AddArrayToObject(a, "changes"));
        if (!ok && a && h && !cJSON_GetObjectItemCaseSensitive(a, "hints")) cJSON_Delete(h);
        if (!ok && a && !cJSON_GetArrayItem(alts, (int)i)) cJSON_Delete(a);
        for (size_t j = 0; ok && j < s->nchanges[i]; j++) {
            cJSON *c = cJSON_CreateString(s->changes[i][j]);
            ok = c && cJSON_AddItemToArray(ch, c);
            if (!ok) cJSON_Delete(c);
        }
    }
    if (!ok) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
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
    tiles_of(L, ttlx_func_hint(f, L->buf->name), &t);
    spec_list_t l = {0};
    bool cut = false;
    cJSON *arr = gen_specs(&t, dev, 0, &l, &cut) ? cJSON_CreateArray() : NULL;
    for (size_t j = 0; arr && j < l.n; j++) {
        cJSON *h = spec_hint(&t, &l.v[j]);
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
