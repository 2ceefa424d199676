/*
 * ttlx_fix.h - describing a hint change in one line, as fixes and
 * `ttlx infer --fix` print them: "grid [16, 1] -> [8, 1], shard_shape_elems
 * [32, 64] -> [64, 64]". Diagnostics carry their fixes as data
 * (ttlx_diag_t.fix_hints, see ttlx_result.h).
 */
#ifndef TTLX_FIX_H
#define TTLX_FIX_H

#include "ttlx_base.h"
#include "ttlx_func.h"
#include <cjson/cJSON.h>

/* Writes into buf the keys whose value differs between two canonical hint
 * objects (ttlx_hint_to_json), top-level keys first then nd_shard's, as
 * "key NEW" or, with_old, "key OLD -> NEW"; before may be NULL (defaults).
 * Returns buf; "" when they agree. */
const char *ttlx_fix_describe(const cJSON *before, const cJSON *after, bool with_old, char *buf,
                              size_t size);

/* Writes into buf how the hint of f's buffer `buffer` as written changes
 * to hint `after` (complete, as fix_hints holds them): "key OLD -> NEW,
 * ..." with the user's own spelling of the values they wrote. "hint
 * rewritten" when the canonical values agree. Returns buf. */
const char *ttlx_fix_describe_change(const ttlx_func_t *f, const char *buffer, const cJSON *after,
                                     char *buf, size_t size);

/* The canonical hint of buffer i of f as the passes read it (defaults and
 * the valid keys of its hint). Caller frees; NULL on allocation failure. */
cJSON *ttlx_fix_canonical_hint(const ttlx_func_t *f, size_t i);

#endif
