/*
 * search.c - the solver's search over the model of solve_model.h: an
 * exhaustive branch-and-bound for up to four free buffers (optimal, with
 * bounds that never cut a better combination), and beyond that a greedy
 * descent with single and paired moves under an evaluation budget. Both keep
 * the K best distinct combinations, ties broken by the order of preference
 * of the candidates (earlier buffers first).
 */
#include "ttlx_solve_internal.h"

#include <stdlib.h>
#include <string.h>

#define SV_EXACT_MAX_FREE 4

static int64_t max64(int64_t a, int64_t b) {
    return a > b ? a : b;
}
static int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}
static int64_t add_sat(int64_t a, int64_t b) {
    int64_t r;
    return ttlx_add64(a, b, &r) ? r : INT64_MAX;
}

/* ---- the K best --------------------------------------------------------- */

static int choice_cmp(const uint32_t *a, const uint32_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* True when (key, choice) would enter the list. */
static bool top_wants(const sv_top_t *t, const sv_key_t *key) {
    return t->n < t->k || sv_key_cmp(key, &t->keys[t->n - 1]) > 0;
}

/* Offers a combination; keeps the list sorted and free of repeats. */
static void top_offer(sv_top_t *t, const sv_key_t *key, const uint32_t *choice) {
    size_t p = t->n;
    while (p > 0) {
        int c = sv_key_cmp(key, &t->keys[p - 1]);
        if (c < 0 || (c == 0 && choice_cmp(choice, t->choice + (p - 1) * t->nb, t->nb) > 0)) break;
        p--;
    }
    if (p >= t->k) return;
    for (size_t e = 0; e < t->n; e++)
        if (!choice_cmp(choice, t->choice + e * t->nb, t->nb)) return;
    size_t last = t->n < t->k ? t->n : t->k - 1;
    for (size_t e = last; e > p; e--) {
        t->keys[e] = t->keys[e - 1];
        memcpy(t->choice + e * t->nb, t->choice + (e - 1) * t->nb, t->nb * sizeof *t->choice);
    }
    t->keys[p] = *key;
    memcpy(t->choice + p * t->nb, choice, t->nb * sizeof *t->choice);
    if (t->n < t->k) t->n++;
}

/* ---- full evaluation ------------------------------------------------------ */

/* The CB bytes on core i given the leader (NULL: global). */
static int64_t part_cb(const sv_model_t *m, const sv_cand_t *lead, int i) {
    if (m->forced_global || !lead) return m->global_cb[i];
    return lead->pc && lead->pc[i] ? m->cb : 0;
}

void sv_model_metrics(const sv_model_t *m, const uint32_t *choice, ttlx_solve_metrics_t *out) {
    memset(out, 0, sizeof *out);
    const sv_cand_t *lead = NULL;
    int64_t err = m->const_err;
    for (size_t b = 0; b < m->nb; b++) {
        const sv_cand_t *c = &m->b[b].c[choice[b]];
        err += c->err;
        out->l1_bytes += c->res;
        out->padding_bytes += c->pad;
        if (!c->lead) continue;
        if (!lead)
            lead = c;
        else if (c->proj[0] != lead->proj[0] || c->proj[1] != lead->proj[1])
            out->reshards++;
    }
    int64_t worst = 0;
    for (int i = 0; i < m->ncores; i++) {
        int64_t u = part_cb(m, lead, i);
        for (size_t b = 0; b < m->nb; b++) {
            const sv_cand_t *c = &m->b[b].c[choice[b]];
            if (c->pc) u = add_sat(u, c->pc[i]);
        }
        worst = max64(worst, u);
    }
    out->errors = err + (worst > m->bank);
    out->work_cores = (m->forced_global || !lead) ? m->global_n : lead->lead_cores;
    out->worst_core_free = m->bank - worst;
}

/* ---- branch and bound ----------------------------------------------------- */

typedef struct bb_state {
    int64_t err, res, pad, reshards;
    int64_t maxu;  /* most bytes on one core, CBs left out */
    int64_t total; /* bytes over all cores */
    const sv_cand_t *lead;
} bb_state_t;

typedef struct bb {
    const sv_model_t *m;
    sv_top_t *top;
    int64_t *usage;
    uint32_t *choice;
    size_t *active; /* buffers searched, in parameter order: the free ones and
                       pinned ones that may lead; the others are pre-added */
    size_t nactive;
    int64_t *suf_err, *suf_res, *suf_pad, *suf_lead; /* over active[d..] */
    uint64_t evals, nodes, max_nodes;
    bool stopped;
} bb_t;

/* An optimistic key for every completion of state s at depth d (buffers
 * d+1.. still free), given lb_max, a lower bound of the final worst core. */
static sv_key_t bb_bound(const bb_t *B, size_t d, const bb_state_t *s, int64_t lb_max) {
    const sv_model_t *m = B->m;
    bool over = lb_max > m->bank;
    ttlx_solve_metrics_t u;
    u.errors = m->const_err + s->err + B->suf_err[d + 1] + over;
    /* Without a new overflow, what is still free bounds the new L1 bytes. */
    int64_t room = (int64_t)m->ncores * m->bank - s->total - m->cb;
    u.l1_bytes =
        add_sat(s->res, over ? B->suf_res[d + 1] : min64(B->suf_res[d + 1], max64(room, 0)));
    if (m->forced_global)
        u.work_cores = m->global_n;
    else if (s->lead)
        u.work_cores = s->lead->lead_cores;
    else
        u.work_cores = max64(m->global_n, B->suf_lead[d + 1]);
    u.reshards = s->reshards;
    u.padding_bytes = s->pad + B->suf_pad[d + 1];
    u.worst_core_free = m->bank - lb_max;
    return sv_key_of(m->obj, m->reserve, &u);
}

/* True when no completion of the prefix choice[0..d] (buffers in parameter
 * order) can enter the list. */
static bool bb_prune(const bb_t *B, size_t d, const sv_key_t *bound) {
    const sv_top_t *t = B->top;
    if (t->n < t->k) return false;
    int c = sv_key_cmp(bound, &t->keys[t->n - 1]);
    if (c != 0) return c < 0;
    /* A tie at best: only prefixes not after the K-th's can still win. */
    return choice_cmp(B->choice, t->choice + (t->n - 1) * t->nb, d + 1) > 0;
}

static void bb_step(const sv_cand_t *c, const bb_state_t *s, bb_state_t *t) {
    *t = *s;
    t->err += c->err;
    t->res = add_sat(t->res, c->res);
    t->pad = add_sat(t->pad, c->pad);
    t->total = add_sat(t->total, c->total);
    if (c->lead) {
        if (!t->lead)
            t->lead = c;
        else if (c->proj[0] != t->lead->proj[0] || c->proj[1] != t->lead->proj[1])
            t->reshards++;
    }
}

static void bb_leaf(bb_t *B, const sv_cand_t *c, const bb_state_t *t) {
    const sv_model_t *m = B->m;
    int64_t worst = 0;
    for (int i = 0; i < m->ncores; i++) {
        int64_t u = B->usage[i] + part_cb(m, t->lead, i);
        if (c->pc) u = add_sat(u, c->pc[i]);
        worst = max64(worst, u);
    }
    ttlx_solve_metrics_t x;
    x.errors = m->const_err + t->err + (worst > m->bank);
    x.l1_bytes = t->res;
    x.work_cores = (m->forced_global || !t->lead) ? m->global_n : t->lead->lead_cores;
    x.reshards = t->reshards;
    x.padding_bytes = t->pad;
    x.worst_core_free = m->bank - worst;
    sv_key_t k = sv_key_of(m->obj, m->reserve, &x);
    if (top_wants(B->top, &k)) top_offer(B->top, &k, B->choice);
    if (!sv_count_eval(m, &B->evals) || B->evals >= m->max_evals) B->stopped = true;
}

static void bb_dfs(bb_t *B, size_t d, const bb_state_t *s) {
    const sv_model_t *m = B->m;
    size_t bi = B->active[d];
    const sv_buf_t *buf = &m->b[bi];
    bool leaf = d + 1 == B->nactive;
    for (size_t j = 0; j < buf->n && !B->stopped; j++) {
        const sv_cand_t *c = &buf->c[j];
        B->choice[bi] = (uint32_t)j;
        if (++B->nodes > B->max_nodes) {
            B->stopped = true;
            return;
        }
        bb_state_t t;
        bb_step(c, s, &t);
        /* Core (0,0) is always in the work partition, so it holds the CBs. */
        int64_t at0 = add_sat(B->usage[0], c->pc ? c->pc[0] : 0) + m->cb;
        int64_t lb = max64(max64(s->maxu, c->maxpc), at0);
        sv_key_t bound = bb_bound(B, d, &t, lb);
        if (bb_prune(B, bi, &bound)) continue;
        if (leaf) {
            bb_leaf(B, c, &t);
            continue;
        }
        if (c->pc) {
            int64_t mx = t.maxu;
            for (int i = 0; i < m->ncores; i++) {
                B->usage[i] = add_sat(B->usage[i], c->pc[i]);
                mx = max64(mx, B->usage[i]);
            }
            t.maxu = mx;
            bound = bb_bound(B, d, &t, max64(mx, at0));
        }
        if (!c->pc || !bb_prune(B, bi, &bound)) bb_dfs(B, d + 1, &t);
        if (c->pc)
            for (int i = 0; i < m->ncores; i++)
                B->usage[i] -= c->pc[i];
    }
}

static bool branch_and_bound(const sv_model_t *m, sv_top_t *top, uint64_t *evaluated, bool *exact) {
    bb_t B = {0};
    size_t nb = m->nb;
    B.m = m;
    B.top = top;
    B.usage = ttlx_calloc((size_t)m->ncores, sizeof *B.usage);
    B.choice = ttlx_calloc(nb + 1, sizeof *B.choice);
    int64_t *suf = ttlx_calloc(4 * (nb + 1), sizeof *suf);
    B.active = ttlx_calloc(nb + 1, sizeof *B.active);
    if (!B.usage || !B.choice || !suf || !B.active) {
        ttlx_free(B.usage);
        ttlx_free(B.choice);
        ttlx_free(B.active);
        ttlx_free(suf);
        return false;
    }
    B.suf_err = suf;
    B.suf_res = suf + (nb + 1);
    B.suf_pad = suf + 2 * (nb + 1);
    B.suf_lead = suf + 3 * (nb + 1);
    bb_state_t s = {0};
    for (size_t b = 0; b < nb; b++) {
        const sv_buf_t *buf = &m->b[b];
        if (!buf->pinned || buf->c[0].lead) {
            B.active[B.nactive++] = b;
            continue;
        }
        bb_state_t t;
        bb_step(&buf->c[0], &s, &t);
        s = t;
        for (int i = 0; buf->c[0].pc && i < m->ncores; i++)
            B.usage[i] = add_sat(B.usage[i], buf->c[0].pc[i]);
    }
    for (int i = 0; i < m->ncores; i++)
        s.maxu = max64(s.maxu, B.usage[i]);
    for (size_t d = B.nactive; d-- > 0;) {
        const sv_buf_t *buf = &m->b[B.active[d]];
        int64_t e = INT64_MAX, r = 0, p = INT64_MAX, l = 0;
        for (size_t j = 0; j < buf->n; j++) {
            const sv_cand_t *c = &buf->c[j];
            e = min64(e, c->err);
            r = max64(r, c->res);
            p = min64(p, c->pad);
            if (c->lead) l = max64(l, c->lead_cores);
        }
        B.suf_err[d] = B.suf_err[d + 1] + e;
        B.suf_res[d] = add_sat(B.suf_res[d + 1], r);
        B.suf_pad[d] = B.suf_pad[d + 1] + p;
        B.suf_lead[d] = max64(B.suf_lead[d + 1], l);
    }
    B.max_nodes = m->max_evals * 8;
    if (B.nactive > 0) {
        bb_dfs(&B, 0, &s);
    } else {
        ttlx_solve_metrics_t x;
        sv_model_metrics(m, B.choice, &x);
        sv_key_t k = sv_key_of(m->obj, m->reserve, &x);
        top_offer(top, &k, B.choice);
        B.evals = 1;
    }
    *evaluated = B.evals;
    *exact = !B.stopped;
    ttlx_free(B.usage);
    ttlx_free(B.choice);
    ttlx_free(B.active);
    ttlx_free(suf);
    return true;
}

/* ---- local search ------------------------------------------------------- */

/* Counts of the chosen lead candidates per projected grid: an open-address
 * table keyed by [gm, gn] (gm >= 1; 0 marks a free slot), so a move learns
 * its reshards in O(1). */
typedef struct proj_count {
    int64_t gm, gn, count;
} proj_count_t;

typedef struct ls {
    const sv_model_t *m;
    sv_top_t *top;
    uint32_t *choice, *tmp;
    int64_t *usage; /* sum of the chosen candidates' bytes per core */
    int64_t err, res, pad;
    size_t first_lead; /* first buffer whose choice may lead; nb when none */
    int64_t nlead;     /* buffers whose choice may lead */
    proj_count_t *proj;
    size_t proj_mask;
    sv_key_t key;
    uint64_t evals;
    bool cancelled; /* the progress callback stopped the search */
} ls_t;

/* Budget left and not cancelled. */
static bool ls_more(const ls_t *L) {
    return L->evals < L->m->max_evals && !L->cancelled;
}

static proj_count_t *proj_slot(const ls_t *L, const int64_t p[2]) {
    size_t h = (size_t)((uint64_t)p[0] * 1000003u ^ (uint64_t)p[1] * 7919u) & L->proj_mask;
    while (L->proj[h].gm && (L->proj[h].gm != p[0] || L->proj[h].gn != p[1]))
        h = (h + 1) & L->proj_mask;
    return &L->proj[h];
}

/* Chosen lead candidates with projected grid p (before any move). */
static int64_t proj_get(const ls_t *L, const int64_t p[2]) {
    const proj_count_t *e = proj_slot(L, p);
    return e->gm ? e->count : 0;
}

static void proj_add(ls_t *L, const int64_t p[2], int64_t d) {
    proj_count_t *e = proj_slot(L, p);
    e->gm = p[0];
    e->gn = p[1];
    e->count += d; /* a key stays when its count falls to 0: chains hold */
}

static const sv_cand_t *ls_cand(const ls_t *L, size_t b) {
    return &L->m->b[b].c[L->choice[b]];
}

/* The key of the current choice with buffer i moved to candidate j. */
static sv_key_t ls_eval(ls_t *L, size_t i, uint32_t j) {
    const sv_model_t *m = L->m;
    const sv_cand_t *old = ls_cand(L, i), *nw = &m->b[i].c[j];
    /* The leader after the move: the first lead in parameter order. */
    const sv_cand_t *lead = NULL;
    if (nw->lead && i <= L->first_lead) {
        lead = nw;
    } else if (i == L->first_lead) {
        for (size_t b = i + 1; b < m->nb && !lead; b++)
            if (ls_cand(L, b)->lead) lead = ls_cand(L, b);
    } else if (L->first_lead < m->nb) {
        lead = ls_cand(L, L->first_lead);
    }
    ttlx_solve_metrics_t x = {0};
    if (lead) {
        int64_t nlead = L->nlead - old->lead + nw->lead;
        int64_t same = proj_get(L, lead->proj);
        if (old->lead && old->proj[0] == lead->proj[0] && old->proj[1] == lead->proj[1]) same--;
        if (nw->lead && nw->proj[0] == lead->proj[0] && nw->proj[1] == lead->proj[1]) same++;
        x.reshards = nlead - same;
    }
    int64_t worst = 0;
    for (int c = 0; c < m->ncores; c++) {
        int64_t u = L->usage[c] + part_cb(m, lead, c);
        if (old->pc) u -= old->pc[c];
        if (nw->pc) u = add_sat(u, nw->pc[c]);
        worst = max64(worst, u);
    }
    x.errors = L->err - old->err + nw->err + (worst > m->bank);
    x.l1_bytes = L->res - old->res + nw->res;
    x.padding_bytes = L->pad - old->pad + nw->pad;
    x.work_cores = (m->forced_global || !lead) ? m->global_n : lead->lead_cores;
    x.worst_core_free = m->bank - worst;
    if (!sv_count_eval(m, &L->evals)) L->cancelled = true;
    sv_key_t k = sv_key_of(m->obj, m->reserve, &x);
    if (top_wants(L->top, &k)) {
        memcpy(L->tmp, L->choice, m->nb * sizeof *L->tmp);
        L->tmp[i] = j;
        top_offer(L->top, &k, L->tmp);
    }
    return k;
}

/* Moves the leader bookkeeping for buffer b choosing c (d = +1) or
 * leaving it (d = -1). */
static void ls_lead(ls_t *L, size_t b, const sv_cand_t *c, int d) {
    if (!c->lead) return;
    L->nlead += d;
    proj_add(L, c->proj, d);
}

static void ls_apply(ls_t *L, size_t i, uint32_t j, const sv_key_t *key) {
    const sv_model_t *m = L->m;
    const sv_cand_t *old = &m->b[i].c[L->choice[i]], *nw = &m->b[i].c[j];
    for (int c = 0; c < m->ncores; c++) {
        if (old->pc) L->usage[c] -= old->pc[c];
        if (nw->pc) L->usage[c] = add_sat(L->usage[c], nw->pc[c]);
    }
    L->err += nw->err - old->err;
    L->res += nw->res - old->res;
    L->pad += nw->pad - old->pad;
    ls_lead(L, i, old, -1);
    ls_lead(L, i, nw, +1);
    L->choice[i] = j;
    L->key = *key;
    if (nw->lead && i < L->first_lead) {
        L->first_lead = i;
    } else if (i == L->first_lead && !nw->lead) {
        size_t b = i + 1;
        while (b < m->nb && !ls_cand(L, b)->lead)
            b++;
        L->first_lead = b;
    }
}

/* The best candidate for buffer i with the others fixed (strictly better
 * than the current choice, else the current one). */
static uint32_t ls_best(ls_t *L, size_t i, sv_key_t *best) {
    uint32_t bj = L->choice[i];
    *best = L->key;
    for (uint32_t j = 0; j < L->m->b[i].n && ls_more(L); j++) {
        if (j == L->choice[i]) continue;
        sv_key_t k = ls_eval(L, i, j);
        if (sv_key_cmp(&k, best) > 0) {
            *best = k;
            bj = j;
        }
    }
    return bj;
}

/* The DRAM interleaved candidate of a buffer: every free buffer has one. */
static uint32_t dram_index(const sv_buf_t *b) {
    for (uint32_t j = 0; j < b->n; j++)
        if (b->c[j].spec.memory == TTLX_MEM_DRAM && !b->c[j].spec.sharded) return j;
    return 0;
}

static void ls_reset(ls_t *L) {
    const sv_model_t *m = L->m;
    for (size_t b = 0; b < m->nb; b++)
        L->choice[b] = m->b[b].pinned ? 0 : dram_index(&m->b[b]);
    memset(L->usage, 0, (size_t)m->ncores * sizeof *L->usage);
    L->err = m->const_err;
    L->res = L->pad = 0;
    L->nlead = 0;
    L->first_lead = m->nb;
    memset(L->proj, 0, (L->proj_mask + 1) * sizeof *L->proj);
    for (size_t b = 0; b < m->nb; b++) {
        const sv_cand_t *c = &m->b[b].c[L->choice[b]];
        ls_lead(L, b, c, +1);
        if (c->lead && L->first_lead == m->nb) L->first_lead = b;
        L->err += c->err;
        L->res += c->res;
        L->pad += c->pad;
        for (int i = 0; c->pc && i < m->ncores; i++)
            L->usage[i] = add_sat(L->usage[i], c->pc[i]);
    }
    ttlx_solve_metrics_t x;
    sv_model_metrics(m, L->choice, &x);
    L->key = sv_key_of(m->obj, m->reserve, &x);
    top_offer(L->top, &L->key, L->choice);
}

/* One descent from all-DRAM, visiting the free buffers in order. */
static void ls_descend(ls_t *L, const size_t *order, size_t n) {
    const sv_model_t *m = L->m;
    ls_reset(L);
    bool improved = true;
    while (improved && ls_more(L)) {
        improved = false;
        for (size_t k = 0; k < n; k++) {
            sv_key_t best;
            uint32_t j = ls_best(L, order[k], &best);
            if (j != L->choice[order[k]]) {
                ls_apply(L, order[k], j, &best);
                improved = true;
            }
        }
        /* Paired moves: send one buffer to DRAM, give another its best. */
        for (size_t a = 0; a < n && !improved && ls_more(L); a++) {
            size_t i = order[a];
            uint32_t ji = dram_index(&m->b[i]), back = L->choice[i];
            if (ji == back) continue;
            sv_key_t saved = L->key, ki = ls_eval(L, i, ji);
            ls_apply(L, i, ji, &ki);
            for (size_t b = 0; b < n && !improved && ls_more(L); b++) {
                if (b == a) continue;
                sv_key_t best;
                uint32_t j = ls_best(L, order[b], &best);
                if (j != L->choice[order[b]] && sv_key_cmp(&best, &saved) > 0) {
                    ls_apply(L, order[b], j, &best);
                    improved = true;
                }
            }
            if (!improved) ls_apply(L, i, back, &saved);
        }
    }
}

typedef struct by_size {
    size_t index;
    int64_t res; /* the most L1 bytes the buffer can hold */
} by_size_t;

static int by_res_desc(const void *pa, const void *pb) {
    const by_size_t *a = pa, *b = pb;
    if (a->res != b->res) return a->res > b->res ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* The free buffers, largest possible L1 footprint first. */
static void order_by_size(const sv_model_t *m, size_t *order, size_t n, by_size_t *tmp) {
    for (size_t k = 0; k < n; k++) {
        const sv_buf_t *b = &m->b[order[k]];
        tmp[k].index = order[k];
        tmp[k].res = 0;
        for (size_t j = 0; j < b->n; j++)
            tmp[k].res = max64(tmp[k].res, b->c[j].res);
    }
    qsort(tmp, n, sizeof *tmp, by_res_desc);
    for (size_t k = 0; k < n; k++)
        order[k] = tmp[k].index;
}

static bool local_search(const sv_model_t *m, sv_top_t *top, uint64_t *evaluated) {
    ls_t L = {0};
    L.m = m;
    L.top = top;
    L.choice = ttlx_calloc(m->nb + 1, sizeof *L.choice);
    L.tmp = ttlx_calloc(m->nb + 1, sizeof *L.tmp);
    L.usage = ttlx_calloc((size_t)m->ncores, sizeof *L.usage);
    size_t *order = ttlx_calloc(m->nb + 1, sizeof *order);
    by_size_t *tmp = ttlx_calloc(m->nb + 1, sizeof *tmp);
    /* Twice the lead candidates there are: never more than half full. */
    size_t leads = 1, slots = 16;
    for (size_t b = 0; b < m->nb; b++)
        for (size_t j = 0; j < m->b[b].n; j++)
            leads += m->b[b].c[j].lead;
    while (slots < 2 * leads)
        slots *= 2;
    L.proj = ttlx_calloc(slots, sizeof *L.proj);
    L.proj_mask = slots - 1;
    bool ok = L.choice && L.tmp && L.usage && order && tmp && L.proj;
    if (ok) {
        size_t n = 0;
        for (size_t b = 0; b < m->nb; b++)
            if (!m->b[b].pinned) order[n++] = b;
        /* Largest buffers first, then smallest first, then parameter order. */
        order_by_size(m, order, n, tmp);
        ls_descend(&L, order, n);
        for (size_t a = 0, z = n; a < z / 2; a++) {
            size_t t = order[a];
            order[a] = order[z - 1 - a];
            order[z - 1 - a] = t;
        }
        ls_descend(&L, order, n);
        for (size_t b = 0, k = 0; b < m->nb; b++)
            if (!m->b[b].pinned) order[k++] = b;
        ls_descend(&L, order, n);
    }
    *evaluated = L.evals;
    ttlx_free(L.choice);
    ttlx_free(L.tmp);
    ttlx_free(L.usage);
    ttlx_free(order);
    ttlx_free(tmp);
    ttlx_free(L.proj);
    return ok;
}

bool sv_count_eval(const sv_model_t *m, uint64_t *evals) {
    ++*evals;
    if (!m->progress) return true;
    uint64_t every = m->progress_every ? m->progress_every : 65536;
    if (*evals % every || m->progress(m->progress_ud, *evals)) return true;
    if (m->cancelled) *m->cancelled = true;
    return false;
}

bool sv_search(const sv_model_t *m, sv_top_t *top, uint64_t *evaluated, bool *exact) {
    top->n = 0;
    if (m->nfree <= SV_EXACT_MAX_FREE) {
        bool ok = branch_and_bound(m, top, evaluated, exact);
        *exact = *exact && !m->truncated;
        return ok;
    }
    *exact = false;
    return local_search(m, top, evaluated);
}
