/*
 * ttlx_result.h - what inference produces (ttlx_infer.h runs it): the
 * layout of every buffer, the diagnostics, the work partition, and each
 * core's L1 budget. A result is immutable and owns every string it hands
 * out; placement queries on it are in ttlx_place.h.
 */
#ifndef TTLX_RESULT_H
#define TTLX_RESULT_H

#include "ttlx_base.h"
#include "ttlx_device.h"
#include "ttlx_func.h"
#include "ttlx_hint.h" /* the layout enums and their names */

/* The inferred layout of one buffer (read-only view owned by the result). */
typedef struct ttlx_layout {
    const ttlx_buffer_info_t *buf; /* name, shape, dtype of the parameter */
    ttlx_memory_t memory;
    ttlx_layout_kind_t layout;
    const char *dtype;       /* effective dtype (hint may override) */
    const char *data_format; /* CB data format, e.g. "Float16_b" */
    int tile_h, tile_w;
    int64_t tile_bytes; /* one tile, unpadded */
    int64_t page_bytes; /* tile_bytes aligned for the memory */
    int64_t pages;      /* tiles in the padded tensor */
    int tile_rank;
    int64_t tile_grid[TTLX_MAX_RANK]; /* outer dims, then tile rows, cols */
    int64_t view_rows, view_cols;     /* 2-D tile view: prod(outer)*rows, cols */
    bool needs_padding;
    int padded_rank;
    int64_t padded_shape[TTLX_MAX_RANK];
    int64_t padding_pages; /* pages holding any padding */
    double padding_waste;  /* fraction of page bytes that is padding */
    int cb_depth;
    int64_t cb_bytes; /* page_bytes * cb_depth */
    /* where it lives */
    bool placed;            /* false when the hint leaves no placement */
    int banks;              /* interleaved: DRAM banks or L1 cores */
    int64_t pages_per_bank; /* interleaved, lock-step */
    int64_t bytes_per_bank; /* interleaved */
    /* sharded (valid when has_shard) */
    bool has_shard;
    int axis_m, axis_n; /* dims labelled M and N */
    char axes[TTLX_MAX_RANK][16];
    int64_t grid[TTLX_MAX_RANK];
    int64_t shard[TTLX_MAX_RANK]; /* elements per shard per axis */
    ttlx_order_t order;
    int block_k; /* block_linear(k) */
    ttlx_dist_t dist;
    bool align_tiles;
    int64_t proj_grid[2];        /* [grid[M], grid[N]] */
    int64_t proj_shard_tiles[2]; /* [Sm, Sn] */
    int64_t shards;              /* prod(grid) */
    int64_t shard_tiles;         /* tiles per shard */
    int64_t cores_used;          /* cores (or DRAM banks) holding shards */
    int64_t max_shards_per_core;
    int64_t bytes_per_core; /* lock-step reservation per holder */
    ttlx_severity_t worst;  /* worst diagnostic on this buffer */
    int ndiags;             /* diagnostics on this buffer */
} ttlx_layout_t;

/* One diagnostic. Strings owned by the result. */
typedef struct ttlx_diag {
    const char *code; /* "TTL005" */
    ttlx_severity_t severity;
    int buffer;              /* buffer index, -1 when none */
    const char *buffer_name; /* may name a buffer that does not exist; NULL */
    const char *key;         /* the hint key concerned, or NULL */
    const char *message;
    const char *fix;    /* NULL when no fix */
    int core_x, core_y; /* the core concerned, -1 when none */
    /* The fix as data (SPEC 4): {buffer: complete hint, ...}; replacing those
     * buffers' hints removes this diagnostic and adds no error. NULL when no
     * hint change is known to fix it. fix_alts: NULL or an array of up to 2
     * alternatives, each {"fix": one line, "fix_hints": {...}}. */
    const cJSON *fix_hints;
    const cJSON *fix_alts;
} ttlx_diag_t;

/* One core of the work partition. */
typedef struct ttlx_core_range {
    int x, y;
    int64_t start;     /* first tile (global) or 0 (shard-local) */
    int64_t count;     /* tiles (global: units of tt.grid_tiles, i.e. blocks with a kernel) */
    int64_t sy, sx;    /* shard coordinates (local_shard), else 0 */
    int64_t out_tiles; /* global: output tiles its blocks cover (partial blocks
                          counted exactly); local_shard: count */
} ttlx_core_range_t;

typedef struct ttlx_partition {
    bool local_shard;
    int leader;             /* leading sharded buffer, -1 in global */
    int grid_x, grid_y;     /* core grid used (tt.core_grid or the device) */
    int64_t mt, nt;         /* tt.grid_tiles */
    bool launch_overflow;   /* the kernel's launch grid has 2^63 blocks or more
                               (TTL010): the output tile grid is used instead */
    int64_t shard_grid[2];  /* local_shard: [Gy, Gx] */
    int64_t local_tiles[2]; /* local_shard: [Sm, Sn] */
    size_t ncores;
    const ttlx_core_range_t *cores;
    /* Block size (SPEC 3.7): the launch grid against the output's tiles. */
    bool col_major;         /* tt.user_schedule.core_order "col_major" */
    int output;             /* the output buffer, -1 when none */
    int64_t out_grid[2];    /* output tile grid [Mt, Nt] (batch folded into Mt) */
    int64_t block_tiles[2]; /* tiles per block [bm, bn]: ceil(out / launch) */
    int64_t out_tiles_min;  /* fewest output tiles on a work core (global) */
    int64_t out_tiles_max;  /* most output tiles on a work core (global) */
    int64_t kt;             /* K in tiles when matmul-shaped, else 1 */
    bool kt_derived;        /* Kt came from a matmul-shaped A x B -> C */
    int kt_a, kt_b;         /* the A and B buffers Kt came from, -1 when none */
} ttlx_partition_t;

typedef struct ttlx_result ttlx_result_t;

void ttlx_result_free(ttlx_result_t *r);

const ttlx_device_t *ttlx_result_device(const ttlx_result_t *r);
const char *ttlx_result_func_name(const ttlx_result_t *r);
size_t ttlx_result_buffer_count(const ttlx_result_t *r);
const ttlx_layout_t *ttlx_result_layout(const ttlx_result_t *r, size_t i);
size_t ttlx_result_diag_count(const ttlx_result_t *r);
const ttlx_diag_t *ttlx_result_diag(const ttlx_result_t *r, size_t i);
/* Counts per severity; returns the number of errors. */
size_t ttlx_result_diag_counts(const ttlx_result_t *r, size_t *errors, size_t *warnings,
                               size_t *infos);
const ttlx_partition_t *ttlx_result_partition(const ttlx_result_t *r);
/* The work partition in words, one line each (newline-terminated): the
 * launch grid and the blocks per core, the output tile grid and the tiles
 * per block and per core, Kt and where it came from, the core order.
 * Writes at most n bytes (always terminated when n > 0) like snprintf and
 * returns the length the whole text needs. */
size_t ttlx_result_work_text(const ttlx_result_t *r, char *buf, size_t n);
bool ttlx_result_core_in_partition(const ttlx_result_t *r, int x, int y);

/* Per-core L1 budget (device grid). */
int64_t ttlx_result_core_used(const ttlx_result_t *r, int x, int y);     /* bytes */
int64_t ttlx_result_core_cb_bytes(const ttlx_result_t *r, int x, int y); /* CBs */
int64_t ttlx_result_max_used(const ttlx_result_t *r, int *worst_x, int *worst_y);
/* Bytes buffer i reserves on core (x, y) (L1) or in DRAM bank b (x = b,
 * y = -1); 0 when none. O(1). */
int64_t ttlx_result_buffer_bytes_on(const ttlx_result_t *r, size_t i, int x, int y);

#endif
