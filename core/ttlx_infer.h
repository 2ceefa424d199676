/*
 * ttlx_infer.h - InferTTLayout, PropagateTTLayout and
 * LayoutAwareWorkPartitionTT (SPEC 3) with the diagnostics of SPEC 4.
 * A result is immutable; rerun ttlx_infer after any edit. Hints are read
 * through ttlx_hint.h; placement queries (which core or bank holds a tile,
 * what a core holds) are in ttlx_place.h.
 */
#ifndef TTLX_INFER_H
#define TTLX_INFER_H

#include "ttlx_base.h"
#include "ttlx_device.h"
#include "ttlx_func.h"
#include "ttlx_place.h"  /* placement queries on a result */
#include "ttlx_result.h" /* what the passes produce */

/* Runs the passes on f for dev. Diagnostics never fail the call; NULL only
 * on allocation failure (err says so). Caller frees with ttlx_result_free.
 * The result borrows f's buffer info: free it before changing f's buffers. */
ttlx_result_t *ttlx_infer(const ttlx_func_t *f, const ttlx_device_t *dev, ttlx_error_t *err);

#endif
