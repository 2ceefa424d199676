/*
 * ttlx_result_internal.h - the layout of an inference result, shared by
 * the modules of the core that build it (ttlx_infer.c), store it
 * (ttlx_result.c) and answer placement queries on it (ttlx_place.c).
 * Not public: callers see ttlx_result_t as an opaque handle.
 */
#ifndef TTLX_RESULT_INTERNAL_H
#define TTLX_RESULT_INTERNAL_H

#include "ttlx_result.h"
#include "ttlx_internal.h"

/* Strings of a result live in chained blocks so pointers stay valid. */
typedef struct sys_arena_block {
    struct sys_arena_block *next;
    size_t used, cap;
    char data[];
} sys_arena_block_t;

struct ttlx_result {
    const ttlx_func_t *func;
    ttlx_device_t dev;
    ttlx_layout_t *layouts; /* n */
    size_t n;
    ttlx_diag_t *diags;
    size_t ndiags, cap_diags;
    sys_arena_block_t *arena;
    int64_t *core_used; /* gx*gy: L1 buffers plus CBs */
    int64_t *core_cb;   /* gx*gy: CBs */
    ttlx_partition_t part;
    ttlx_core_range_t *ranges;
    unsigned char *in_part; /* gx*gy */
    bool oom;               /* an allocation failed: the result is dropped */
    cJSON *fix_store;       /* owns every diagnostic's fix_hints and fix_alts */
    bool quiet;             /* diagnostics keep no message or fix text (the fix search's
                               reruns read codes, buffers and cores only) */
};

/* A result for f on dev (NULL: the default device) with its per-buffer and
 * per-core arrays allocated and zeroed, layouts not yet filled. NULL on
 * allocation failure. Free with ttlx_result_free. */
ttlx_result_t *ttlx_result_alloc(const ttlx_func_t *f, const ttlx_device_t *dev);

/* A copy of s in the result's string arena (NULL for NULL; sets r->oom). */
char *ttlx_result_strdup(ttlx_result_t *r, const char *s);

/* Where a diagnostic points. */
typedef struct ttlx_diag_args {
    const char *code;
    ttlx_severity_t sev;
    int buffer;              /* index, -1 when none */
    const char *buffer_name; /* when buffer < 0: a name (copied), or NULL */
    const char *key;         /* copied; NULL when none */
    int core_x, core_y;      /* -1 when none */
} ttlx_diag_args_t;

/* Appends a diagnostic (message printf-style, fix copied unless NULL or
 * empty) and updates the buffer's worst severity and count. Sets r->oom
 * on allocation failure; does nothing once r->oom is set. */
void ttlx_result_add_diag(ttlx_result_t *r, ttlx_diag_args_t a, const char *fix, const char *fmt,
                          ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The same with a message already written (at most 1,023 bytes). */
void ttlx_result_add_diag_text(ttlx_result_t *r, ttlx_diag_args_t a, const char *fix,
                               const char *message);

/* True when (x, y) is a core of the device grid. */
static inline bool ttlx_result_in_grid(const ttlx_result_t *r, int x, int y) {
    return x >= 0 && y >= 0 && x < r->dev.grid_x && y < r->dev.grid_y;
}

/* Core (x, y) of core index ci in the round-robin order of L. */
static inline void ttlx_rr_core(const ttlx_layout_t *L, const ttlx_device_t *dev, int64_t ci,
                                int *x, int *y) {
    if (L->order == TTLX_ORDER_COL_MAJOR) {
        *x = (int)(ci / dev->grid_y);
        *y = (int)(ci % dev->grid_y);
    } else {
        *x = (int)(ci % dev->grid_x);
        *y = (int)(ci / dev->grid_x);
    }
}

/* Shard grid coordinates of shard index s (row-major, last axis fastest). */
static inline void ttlx_shard_coords(const ttlx_layout_t *L, int64_t s, int64_t *g) {
    for (int d = L->buf->rank - 1; d >= 0; d--) {
        g[d] = s % L->grid[d];
        s /= L->grid[d];
    }
}

/* The work partition's details (ttlx_work.c), called by the partition pass.
 * ttlx_work_core_order: true for tt.user_schedule.core_order "col_major"
 * (TTL010 on a bad value). ttlx_work_output: the output buffer (role
 * output, else C, else the last), -1 when none. ttlx_work_kt: fills Kt from
 * a matmul-shaped A x B -> C. ttlx_work_blocks: once the cores are split,
 * fills the output tile grid, the tiles per block and each core's output
 * tiles, and adds info TTL017 when a kernel's launch grid differs from the
 * output tile grid. */
bool ttlx_work_core_order(ttlx_result_t *r);
int ttlx_work_output(const ttlx_result_t *r);
void ttlx_work_kt(ttlx_result_t *r);
void ttlx_work_blocks(ttlx_result_t *r, bool have_kernel);

/* Bytes L reserves on core (x, y) (L1) or in DRAM bank x (y < 0); 0 when
 * none (ttlx_place.c). */
int64_t ttlx_layout_bytes_on(const ttlx_result_t *r, const ttlx_layout_t *L, int x, int y);

#endif
