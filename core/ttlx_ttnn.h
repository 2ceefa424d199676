/*
 * ttlx_ttnn.h - the TTNN terms of an inferred layout (SPEC 10): for one
 * buffer, the TTNN MemoryConfig (TensorMemoryLayout, BufferType, ShardSpec
 * or NdShardSpec) that places the same pages on the same cores, or the
 * reason TTNN has no such config; its one-line Python text; and a Python
 * module that builds one MemoryConfig per buffer. Reads a result through
 * the public queries only; computes no placement of its own.
 */
#ifndef TTLX_TTNN_H
#define TTLX_TTNN_H

#include "ttlx_infer.h"

#include <stdio.h>

/* TensorMemoryLayout, as tt-metal numbers it. */
typedef enum {
    TTLX_TTNN_INTERLEAVED = 0,
    TTLX_TTNN_HEIGHT_SHARDED = 2,
    TTLX_TTNN_WIDTH_SHARDED = 3,
    TTLX_TTNN_BLOCK_SHARDED = 4,
    TTLX_TTNN_ND_SHARDED = 5
} ttlx_ttnn_layout_t;

typedef enum { TTLX_TTNN_ROW_MAJOR, TTLX_TTNN_COL_MAJOR } ttlx_ttnn_orientation_t;
typedef enum { TTLX_TTNN_ROUND_ROBIN_1D, TTLX_TTNN_GRID_2D } ttlx_ttnn_strategy_t;

#define TTLX_TTNN_MAX_RANGES 4

/* One CoreRange: inclusive corners (x0, y0) .. (x1, y1). */
typedef struct ttlx_ttnn_range {
    int x0, y0, x1, y1;
} ttlx_ttnn_range_t;

/* The TTNN MemoryConfig of one buffer. Plain data: names point to static
 * strings. A legacy ShardSpec (has_shard_spec) and an NdShardSpec
 * (has_nd_shard_spec) never both appear; interleaved has neither. */
typedef struct ttlx_ttnn_config {
    ttlx_ttnn_layout_t memory_layout;
    const char *memory_layout_name; /* "HEIGHT_SHARDED" */
    const char *buffer_type_name;   /* "DRAM" | "L1" */
    /* the cores of ShardSpec or NdShardSpec (DRAM: banks as (bank, 0)) */
    int nranges;
    ttlx_ttnn_range_t ranges[TTLX_TTNN_MAX_RANGES];
    ttlx_ttnn_orientation_t orientation;
    const char *orientation_name; /* "ROW_MAJOR" | "COL_MAJOR" */
    /* legacy 2-D ShardSpec: [shard_h, shard_w] in elements over the tensor
     * flattened to [volume / W, W] */
    bool has_shard_spec;
    int64_t shard_shape[2];
    /* NdShardSpec: shard shape in elements per buffer dim */
    bool has_nd_shard_spec;
    int nd_rank;
    int64_t nd_shard_shape[TTLX_MAX_RANK];
    ttlx_ttnn_strategy_t strategy;
    const char *strategy_name; /* "ROUND_ROBIN_1D" | "GRID_2D" */
    /* false when no TTNN config places the same pages on the same cores;
     * note then says why (else it may carry a remark, or be "") */
    bool equivalent;
    char note[200];
} ttlx_ttnn_config_t;

/* Fills out with the TTNN MemoryConfig of buffer i of r. False only when
 * i is out of range; a layout without a TTNN equivalent still returns true
 * with out->equivalent false and the reason in out->note. */
bool ttlx_ttnn_config(const ttlx_result_t *r, size_t buffer, ttlx_ttnn_config_t *out);

/* Writes c as one line of Python (the ttnn constructor calls), with the
 * "ttnn." prefix on every name when prefix is true. Returns the length the
 * full text needs (as snprintf); writes at most cap bytes, NUL-terminated
 * when cap > 0. */
size_t ttlx_ttnn_describe(const ttlx_ttnn_config_t *c, bool prefix, char *buf, size_t cap);

/* Writes c in a few words for the summary and the Metadata view (SPEC 10
 * terms without the Python around them): "DRAM INTERLEAVED", "L1
 * HEIGHT_SHARDED ShardSpec({[(0,0)-(0,7)]}, [32, 64], ROW_MAJOR)", "L1
 * NdShardSpec([1, 32, 128], {[(0,0)-(7,7)]}, ROW_MAJOR, ROUND_ROBIN_1D)",
 * or "no TTNN equivalent: WHY". A remark in c->note on an equivalent config
 * is not part of it. Returns and writes as ttlx_ttnn_describe. */
size_t ttlx_ttnn_brief(const ttlx_ttnn_config_t *c, char *buf, size_t cap);

/* Writes a Python module that builds the MemoryConfig of every buffer of r:
 * "import ttnn", then one variable per buffer named after it (made a Python
 * identifier), or None with a comment where TTNN has no equivalent. False
 * on a write or allocation error. */
bool ttlx_ttnn_python(const ttlx_result_t *r, FILE *out);

#endif
