/*
 * ttlx_output.h - the canonical output of SPEC 6 and the readable summary.
 * The document is defined once, by ttlx_output_emit; the text, the cJSON
 * tree and the app's Lua tables are sinks of that one walk.
 */
#ifndef TTLX_OUTPUT_H
#define TTLX_OUTPUT_H

#include "ttlx_emit.h"
#include "ttlx_infer.h"
#include <stdio.h>

/* Which part of the document a walk emits. */
typedef enum {
    TTLX_OUTPUT_DOCUMENT,   /* the whole SPEC 6 document (an object) */
    TTLX_OUTPUT_ATTRS,      /* its "attrs" object */
    TTLX_OUTPUT_DIAGNOSTICS /* its "diagnostics" array */
} ttlx_output_part_t;

/* Walks part of r's document into sink, in canonical order. */
void ttlx_output_emit(const ttlx_result_t *r, ttlx_output_part_t part, const ttlx_emit_t *sink);

/* The attrs the passes stamp (tt.buffer.*, tt.cb.*, partition); owned. */
cJSON *ttlx_output_attrs(const ttlx_result_t *r);
/* The whole SPEC 6 document; caller owns. NULL on allocation failure. */
cJSON *ttlx_output_json(const ttlx_result_t *r);
/* The SPEC 6 document as canonical text (2-space indent, trailing newline);
 * caller frees with ttlx_free. Byte-identical for identical input. */
char *ttlx_output_json_text(const ttlx_result_t *r);
/* Streams the same text to out without holding it whole; false on a
 * write or allocation failure. */
bool ttlx_output_json_write(const ttlx_result_t *r, FILE *out);
/* The readable summary: one block per buffer, then diagnostics and fixes. */
bool ttlx_output_summary(const ttlx_result_t *r, FILE *out);

#endif
