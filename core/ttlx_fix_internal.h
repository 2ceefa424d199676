/*
 * ttlx_fix_internal.h - fixes as data (SPEC 4): the passes of
 * ttlx_infer.c without the fix search, and the search that attaches
 * fix_hints to a result's diagnostics (ttlx_fix.c). Not public.
 */
#ifndef TTLX_FIX_INTERNAL_H
#define TTLX_FIX_INTERNAL_H

#include "ttlx_result_internal.h"

/* ttlx_infer without fix_hints (the fix search verifies its candidates
 * with it). */
ttlx_result_t *ttlx_infer_passes(const ttlx_func_t *f, const ttlx_device_t *dev, ttlx_error_t *err);

/* A hint that stands in for a buffer's own (borrowed). */
typedef struct ttlx_hint_override {
    int buffer; /* index into f's buffers */
    const cJSON *hint;
} ttlx_hint_override_t;

/* ttlx_infer_passes as if buffer ov[k].buffer's hint were ov[k].hint: what
 * replacing those hints would give, without copying the attrs (the
 * function's tt.user_layout stays as it is; when it is not an object, its
 * TTL010 stays too). quiet: diagnostics without message or fix text. */
ttlx_result_t *ttlx_infer_passes_over(const ttlx_func_t *f, const ttlx_device_t *dev,
                                      const ttlx_hint_override_t *ov, size_t nov, bool quiet,
                                      ttlx_error_t *err);

/* Functions with more buffers than this get no fix_hints (each candidate
 * is checked by rerunning the passes on the whole function). */
#define TTLX_FIX_MAX_BUFFERS 64

/* Computes and attaches fix_hints and fix_alts to r's diagnostics (and
 * rewrites their fix text to name the same fixes). False on allocation
 * failure only. */
bool ttlx_fix_attach(ttlx_result_t *r);

#endif
