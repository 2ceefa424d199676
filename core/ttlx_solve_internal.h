/*
 * ttlx_solve_internal.h - the solver's private model, shared by ttlx_solve.c (which
 * builds it from inference facts), solve/candidates.c (the candidates and
 * their facts), solve/metrics.c (ranking) and solve/search.c (the search).
 * Every candidate layout of every buffer is reduced to the figures that
 * combine by addition (errors, L1-resident bytes, padding) and its bytes on
 * each core, so that a combination is ranked without running ttlx_infer.
 */
#ifndef TTLX_SOLVE_INTERNAL_H
#define TTLX_SOLVE_INTERNAL_H

#include "ttlx_solve.h"

/* What a candidate is: enough to write its hint and describe it. */
typedef struct sv_spec {
    unsigned char memory;  /* TTLX_MEM_* */
    unsigned char sharded; /* else interleaved */
    unsigned char rr;      /* round_robin_1d, else grid_2d */
    unsigned char colm;    /* order col_major, else row_major */
    int64_t gm, gn;        /* shards along M and N (the projected grid) */
} sv_spec_t;

/* One candidate layout of one buffer, with its precomputed facts. */
typedef struct sv_cand {
    sv_spec_t spec;
    int64_t err;   /* error diagnostics of this buffer in this layout */
    int64_t res;   /* L1-resident bytes (pages x page bytes), 0 in DRAM */
    int64_t pad;   /* reserved bytes holding no page */
    int64_t *pc;   /* bytes on each core (row-major, x fastest); NULL: none */
    int64_t maxpc; /* the largest entry of pc */
    int64_t total; /* sum of pc */
    bool lead;     /* L1 sharded and placed: can lead the work partition */
    int64_t lead_cores;
    int64_t proj[2]; /* projected grid when lead */
} sv_cand_t;

typedef struct sv_buf {
    sv_cand_t *c; /* in order of preference; a pinned buffer has one */
    size_t n;
    bool pinned;
} sv_buf_t;

/* The rank key: bigger is better, compared lexicographically. */
#define SV_KEY_LEN 7
typedef struct sv_key {
    int64_t v[SV_KEY_LEN];
} sv_key_t;

typedef struct sv_model {
    int gx, gy, ncores;
    int64_t bank;      /* allocatable L1 per core */
    int64_t cb;        /* CB bytes on each core of the partition */
    int64_t const_err; /* errors no choice changes */
    bool forced_global;
    int64_t global_n;   /* global partition cores (0 when never global) */
    int64_t *global_cb; /* CB bytes per core under the global partition */
    sv_buf_t *b;
    size_t nb, nfree;
    bool truncated; /* some buffer's candidates were cut to fit memory */
    ttlx_solve_objective_t obj;
    int64_t reserve;
    size_t k;
    uint64_t max_evals;
    /* progress and cancel (ttlx_solve_opts_t); cancelled is set by the
     * search when the callback asks it to stop */
    bool (*progress)(void *ud, uint64_t evaluated);
    void *progress_ud;
    uint64_t progress_every;
    bool *cancelled;
} sv_model_t;

/* The best combinations found: keys and choices (k x nb), best first. */
typedef struct sv_top {
    size_t k, n, nb;
    sv_key_t *keys;
    uint32_t *choice;
} sv_top_t;

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

/* A growable list of candidate specs. */
typedef struct sv_spec_list {
    sv_spec_t *v;
    size_t n, cap;
    bool oom;
} sv_spec_list_t;

/* candidates.c */
void sv_tiles_of(const ttlx_layout_t *L, const cJSON *hint, sv_tiles_t *t);
/* Every candidate of a buffer in order of preference; over cap (0: none)
 * keeps the first L1 shards and every other kind, and sets *cut. */
bool sv_gen_specs(const sv_tiles_t *t, const ttlx_device_t *dev, size_t cap, sv_spec_list_t *out,
                  bool *cut);
/* The complete hint of a candidate (caller owns), NULL on allocation failure. */
cJSON *sv_spec_hint(const sv_tiles_t *t, const sv_spec_t *s);
/* The closed-form facts of a candidate; pc (one entry per core) gets its
 * bytes on each core when it is in L1. */
void sv_spec_facts(const sv_tiles_t *t, const ttlx_device_t *dev, const sv_spec_t *s, sv_cand_t *c,
                   int64_t *pc);
/* "L1 sharded 8x8 block", "DRAM interleaved", ... */
void sv_describe(const ttlx_layout_t *L, bool with_shard, char *out, size_t n);

/* metrics.c */
int64_t sv_sat_mul(int64_t a, int64_t b);
/* Reserved bytes of a placed layout beyond its pages. */
int64_t sv_layout_padding(const ttlx_layout_t *L);
/* Placed, in L1 and sharded: it may lead the work partition. */
bool sv_l1_sharded(const ttlx_layout_t *L);

/* The key of a set of metrics under an objective. */
sv_key_t sv_key_of(ttlx_solve_objective_t o, int64_t reserve, const ttlx_solve_metrics_t *m);
int sv_key_cmp(const sv_key_t *a, const sv_key_t *b);

/* Searches m: exhaustive branch-and-bound when m->nfree <= 4 (exact when
 * it ends within the budget), else greedy and local improvement. Fills top
 * (allocated by the caller for m->k entries). False on allocation failure.
 * When m->progress cancels, stops at once and sets *m->cancelled. */
bool sv_search(const sv_model_t *m, sv_top_t *top, uint64_t *evaluated, bool *exact);

/* Counts one evaluation (*evals += 1) and reports progress; false when the
 * search must stop because the callback cancelled it. */
bool sv_count_eval(const sv_model_t *m, uint64_t *evals);

/* The metrics of one full choice under the model (for checks and tests). */
void sv_model_metrics(const sv_model_t *m, const uint32_t *choice, ttlx_solve_metrics_t *out);

#endif
