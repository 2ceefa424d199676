/*
 * ttlx_solve.c - the layout solver's entry point: the model built from one
 * baseline inference (solve/candidates.c gives each buffer's candidates),
 * the search (solve/search.c), and the solution: the best alternatives
 * re-checked with a real ttlx_infer on a private copy of the function, their
 * changes, the Pareto flags and the SPEC 9 JSON. Objectives and metrics are
 * in solve/metrics.c.
 */
#include "ttlx_solve.h"
#include "ttlx_load.h"
#include "ttlx_solve_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Default evaluation budget of the exact search: a second or so at worst.
 * The bounded search gets about SV_DEFAULT_WORK core-or-buffer steps. */
#define SV_DEFAULT_EVALS 20000000u
#define SV_DEFAULT_WORK 400000000u
/* Memory for the per-core bytes of every candidate; past it each buffer
 * keeps only its most preferred candidates (and the search is not exact). */
#define SV_POOL_BYTES ((size_t)64 << 20)
/* Alternatives asked for are capped here. */
#define SV_MAX_TOP_K 1000

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
            c = sv_spec_hint(&t, &s);
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
    m->k = o->top_k ? (o->top_k < SV_MAX_TOP_K ? o->top_k : SV_MAX_TOP_K) : 5;
    m->max_evals = o->max_evals ? o->max_evals : SV_DEFAULT_EVALS;
    m->progress = o->progress;
    m->progress_ud = o->progress_ud;
    m->progress_every = o->progress_every;
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
    sv_spec_list_t *lists = ttlx_calloc(nb ? nb : 1, sizeof *lists);
    if (!lists) return false;
    bool ok = true;
    for (size_t i = 0; i < nb && ok; i++) {
        const ttlx_layout_t *L = ttlx_result_layout(base, i);
        sv_tiles_of(L, B->user_hint[i], &B->tiles[i]);
        if (pinned[i]) {
            total++;
            m->b[i].pinned = true;
            continue;
        }
        m->nfree++;
        ok = sv_gen_specs(&B->tiles[i], dev, cap, &lists[i], &m->truncated);
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
            if (L->placed && L->memory == TTLX_MEM_L1) c->res = sv_sat_mul(L->pages, L->page_bytes);
            c->pad = sv_layout_padding(L);
            c->lead = sv_l1_sharded(L);
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
            sv_spec_facts(&B->tiles[i], dev, &lists[i].v[j], &c, pc);
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
            h = sv_spec_hint(&B->tiles[i], &B->m.b[i].c[choice[i]].spec);
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
        sv_describe(ttlx_result_layout(orig, i), false, from, sizeof from);
        sv_describe(ttlx_result_layout(alt, i), false, to, sizeof to);
        if (!strcmp(from, to)) {
            sv_describe(ttlx_result_layout(orig, i), true, from, sizeof from);
            sv_describe(ttlx_result_layout(alt, i), true, to, sizeof to);
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
    bool cancelled = false;
    B.m.cancelled = &cancelled;
    if (!sv_search(&B.m, &top, &s->evaluated, &s->exact)) goto oom;
    if (cancelled) {
        ttlx_error_set(err, 0, 0, "solve cancelled after %llu evaluations",
                       (unsigned long long)s->evaluated);
        goto fail;
    }
    if (!finish(s, &B, f, wf, dev, &top, err)) goto fail;
    goto done;
oom:
    ttlx_error_set(err, 0, 0, "out of memory");
fail:
    ttlx_solution_free(s);
    s = NULL;
done:
    ttlx_result_free(base);
    ttlx_module_free(work);
    cJSON_Delete(ul);
    cJSON_Delete(user);
    build_free(&B);
    ttlx_free(top.keys);
    ttlx_free(top.choice);
    ttlx_free(pinned);
    return s;
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
