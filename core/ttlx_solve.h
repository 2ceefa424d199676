/*
 * ttlx_solve.h - the layout solver (SPEC 9): from a diagnosis to a decision.
 * Searches every free buffer's legal layouts (DRAM and L1 interleaved, L1
 * grid_2d height / width / block shards in both orientations, round_robin_1d
 * shards, DRAM shards) for the combinations that have no error diagnostic
 * and rank best by an objective, and returns the top K as complete
 * tt.user_layout hints, each re-checked with a real ttlx_infer.
 */
#ifndef TTLX_SOLVE_H
#define TTLX_SOLVE_H

#include "ttlx_base.h"
#include "ttlx_device.h"
#include "ttlx_func.h"
#include "ttlx_infer.h"
#include <cjson/cJSON.h>

/* What "best" means. Every objective ranks fewer errors first, then a
 * smaller shortfall of the L1 reserve (bytes the worst core lacks to keep
 * reserve_bytes free; 0 when it is kept), then:
 *   L1:       most L1-resident bytes, most work cores, fewest reshards,
 *             least padding, most free L1 on the worst core;
 *   CORES:    most work cores, then the L1 order;
 *   HEADROOM: most free L1 on the worst core, then the L1 order. */
typedef enum { TTLX_SOLVE_L1, TTLX_SOLVE_CORES, TTLX_SOLVE_HEADROOM } ttlx_solve_objective_t;

/* "l1" | "cores" | "headroom" (case-insensitive); false when unknown. */
bool ttlx_solve_objective_parse(const char *name, ttlx_solve_objective_t *out);
const char *ttlx_solve_objective_name(ttlx_solve_objective_t o);

/* Options; a zeroed struct asks for the defaults. Strings are borrowed for
 * the call only. */
typedef struct ttlx_solve_opts {
    ttlx_solve_objective_t objective; /* default TTLX_SOLVE_L1 */
    size_t top_k;                     /* alternatives wanted; 0 means 5, at most 1000 */
    int64_t reserve_bytes;            /* L1 kept free on every core */
    const char *const *keep;          /* pinned buffer names: their hints stay */
    size_t nkeep;
    uint64_t max_evals; /* evaluation budget; 0 means the default (see .c) */
    /* Progress and cancel: when set, called by the search each time the
     * evaluations reach a multiple of progress_every (0 means 65536) with
     * the count so far. Returning false cancels: ttlx_solve then returns
     * NULL with "solve cancelled after N evaluations". */
    bool (*progress)(void *ud, uint64_t evaluated);
    void *progress_ud;
    uint64_t progress_every;
} ttlx_solve_opts_t;

/* The figures an alternative is ranked by, measured on a real inference. */
typedef struct ttlx_solve_metrics {
    int64_t errors;          /* error diagnostics */
    int64_t l1_bytes;        /* pages x page bytes of every placed L1 buffer */
    int64_t work_cores;      /* cores of the work partition */
    int64_t reshards;        /* L1-sharded buffers whose projected grid differs
                                from the first L1-sharded buffer's (the leader) */
    int64_t padding_bytes;   /* reserved bytes that hold no page: lock-step
                                bank remainders and partial shards */
    int64_t worst_core_free; /* L1 bank less the most used core (with CBs) */
} ttlx_solve_metrics_t;

typedef struct ttlx_solution ttlx_solution_t;

/* Solves the layout of f on dev (NULL: the default device); o may be NULL
 * for the defaults. f is not changed: layouts are re-checked on a private
 * copy. Returns NULL and fills err on an unknown kept buffer name, on
 * allocation failure or when o->progress cancelled the search. The caller frees the solution with
 * ttlx_solution_free; it does not borrow f. */
ttlx_solution_t *ttlx_solve(const ttlx_func_t *f, const ttlx_device_t *dev,
                            const ttlx_solve_opts_t *o, ttlx_error_t *err);
void ttlx_solution_free(ttlx_solution_t *s);

/* Alternatives, best first (at most top_k; fewer when fewer layouts exist). */
size_t ttlx_solution_count(const ttlx_solution_t *s);
/* The metrics of alternative i, measured by a real ttlx_infer. Borrowed. */
const ttlx_solve_metrics_t *ttlx_solution_metrics(const ttlx_solution_t *s, size_t i);
/* The complete tt.user_layout of alternative i: every free buffer's hint
 * and the pinned buffers' own hints. Borrowed; valid until the free. */
const cJSON *ttlx_solution_hints(const ttlx_solution_t *s, size_t i);
/* Human-readable changes of alternative i against f's hints, one per buffer
 * whose layout changes ("A: DRAM interleaved -> L1 sharded 8x8 block").
 * Borrowed strings. */
size_t ttlx_solution_change_count(const ttlx_solution_t *s, size_t i);
const char *ttlx_solution_change(const ttlx_solution_t *s, size_t i, size_t j);
/* True when alternative i has no error and no other error-free alternative
 * returned is at least as good on (l1_bytes, work_cores, worst_core_free)
 * and better on one of them. */
bool ttlx_solution_pareto(const ttlx_solution_t *s, size_t i);
/* True when the first alternative is proven optimal (exhaustive search with
 * valid bounds, done within the budget). */
bool ttlx_solution_exact(const ttlx_solution_t *s);
/* Candidate combinations whose metrics were computed. */
uint64_t ttlx_solution_evaluated(const ttlx_solution_t *s);
ttlx_solve_objective_t ttlx_solution_objective(const ttlx_solution_t *s);
/* SPEC 9 --json document: {"func", "device", "objective", "exact",
 * "evaluated", "alternatives": [...]}. Caller owns (cJSON_Delete). */
cJSON *ttlx_solution_to_json(const ttlx_solution_t *s);

/* The metrics of a real inference result. */
void ttlx_solve_measure(const ttlx_result_t *r, ttlx_solve_metrics_t *out);
/* Ranks a against b under objective o and reserve: > 0 when a is better,
 * < 0 when b is, 0 when they tie. */
int ttlx_solve_compare(ttlx_solve_objective_t o, int64_t reserve_bytes,
                       const ttlx_solve_metrics_t *a, const ttlx_solve_metrics_t *b);
/* The candidate hints the solver considers for buffer i of f on dev, in its
 * order of preference (before candidates with the same facts are merged and
 * before L1 layouts too large for one core are dropped). A JSON array of
 * hint objects (caller owns), NULL on allocation failure or a bad index. */
cJSON *ttlx_solve_candidates(const ttlx_func_t *f, const ttlx_device_t *dev, size_t i,
                             ttlx_error_t *err);

#endif
