/*
 * ttlx_output.h - the canonical output of SPEC 6 and the readable summary.
 */
#ifndef TTLX_OUTPUT_H
#define TTLX_OUTPUT_H

#include "ttlx_infer.h"
#include <stdio.h>

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
