/*
 * ttlx_l1map.h - the L1 address map of one core: where the allocator would
 * put each L1 buffer and circular buffer of an inference result, and the
 * free space left. The rule is in the comment on ttlx_l1_map below.
 */
#ifndef TTLX_L1MAP_H
#define TTLX_L1MAP_H

#include "ttlx_infer.h"

/* What one span of a core's L1 holds. */
typedef enum {
    TTLX_L1_BUFFER, /* the buffer's pages or shards on this core */
    TTLX_L1_GAP,    /* the buffer's lock-step range, held on other cores only */
    TTLX_L1_CB      /* the buffer's circular buffer (cores of the work partition) */
} ttlx_l1_kind_t;

/* One span: bytes [start, end) of L1 (addresses from 0, the start of L1). */
typedef struct ttlx_l1_span {
    ttlx_l1_kind_t kind;
    size_t buffer; /* the buffer it belongs to */
    int64_t start, end;
} ttlx_l1_span_t;

/* The map's frame on one core. */
typedef struct ttlx_l1_frame {
    int64_t base;       /* first allocatable address: l1 - l1_bank (the reserved region is below) */
    int64_t limit;      /* end of the bank: l1 */
    int64_t cb_base;    /* where the circular buffers start (the same on every core) */
    int64_t top;        /* first address above everything placed on this core */
    int64_t free_bytes; /* limit - top, or 0 */
    int64_t over_bytes; /* top - limit when the map does not fit, else 0 */
} ttlx_l1_frame_t;

/*
 * The L1 address map of core (x, y), as tt-metal's allocator reserves L1:
 * lock-step, i.e. every L1 buffer has one address range on every core (a
 * core that holds none of it leaves the range unused, TTLX_L1_GAP), the
 * range as long as the buffer's reservation per bank (bytes_per_bank
 * interleaved, bytes_per_core sharded), rounded up to the L1 alignment.
 * Buffers are placed in parameter order, bottom-up from the L1 base;
 * buffers with no placement, and DRAM buffers, take no range. The
 * circular buffers start at their own base, the first aligned address
 * above every L1 buffer (so a program's CBs have the same addresses on
 * every core), one per buffer in parameter order, on the cores of the work
 * partition only. (tt-metal itself allocates L1 buffers top-down from the
 * bank's end, buffer k at the mirror image of its range here, and starts
 * a program's CBs at the L1 base; ttlx draws the bottom-up order.)
 *
 * Writes up to cap spans in address order and returns how many there are
 * (at most two per buffer); frame (may be NULL) gets the frame. Returns -1
 * when (x, y) is not a core of the device grid or an address would pass
 * 2^63 (frame untouched).
 */
int64_t ttlx_l1_map(const ttlx_result_t *r, int x, int y, ttlx_l1_span_t *out, size_t cap,
                    ttlx_l1_frame_t *frame);

#endif
