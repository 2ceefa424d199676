/*
 * metrics.c - the solver's objectives and metrics: their names, the rank
 * key of each objective, and the metrics of a real inference result.
 */
#include "ttlx_solve_internal.h"

#include <string.h>
#include <strings.h>

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

int64_t sv_sat_mul(int64_t a, int64_t b) {
    int64_t r;
    return ttlx_mul64(a, b, &r) ? r : INT64_MAX;
}

/* Bytes a placed layout reserves beyond its pages (lock-step remainders,
 * partial shards). */
int64_t sv_layout_padding(const ttlx_layout_t *L) {
    if (!L->placed) return 0;
    int64_t reserved = L->layout == TTLX_LAYOUT_SHARDED
                           ? sv_sat_mul(L->cores_used, L->bytes_per_core)
                           : sv_sat_mul(L->banks, L->bytes_per_bank);
    return reserved - sv_sat_mul(L->pages, L->page_bytes);
}

bool sv_l1_sharded(const ttlx_layout_t *L) {
    return L->placed && L->memory == TTLX_MEM_L1 && L->layout == TTLX_LAYOUT_SHARDED;
}

void ttlx_solve_measure(const ttlx_result_t *r, ttlx_solve_metrics_t *out) {
    memset(out, 0, sizeof *out);
    out->errors = (int64_t)ttlx_result_diag_counts(r, NULL, NULL, NULL);
    const ttlx_layout_t *lead = NULL;
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        if (L->placed && L->memory == TTLX_MEM_L1)
            out->l1_bytes += sv_sat_mul(L->pages, L->page_bytes);
        out->padding_bytes += sv_layout_padding(L);
        if (!sv_l1_sharded(L)) continue;
        if (!lead)
            lead = L;
        else if (L->proj_grid[0] != lead->proj_grid[0] || L->proj_grid[1] != lead->proj_grid[1])
            out->reshards++;
    }
    out->work_cores = (int64_t)ttlx_result_partition(r)->ncores;
    out->worst_core_free =
        ttlx_result_device(r)->l1_bank_bytes - ttlx_result_max_used(r, NULL, NULL);
}
