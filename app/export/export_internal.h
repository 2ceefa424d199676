/*
 * export_internal.h - what the files of app/export share and nobody else
 * sees: the JSON and Python literal writers every format builds on, and the
 * writer signature the format table in export.c dispatches to.
 */
#ifndef TTLX_EXPORT_INTERNAL_H
#define TTLX_EXPORT_INTERNAL_H

#include "export/export.h"
#include "ttlx_sb.h"

#include <cjson/cJSON.h>

/* Python lines this long still print a dict inline; JSON objects of
 * scalars too. */
#define EXPORT_LINE_WIDTH 96

/* What a writer renders: the module, the selected function, the device
 * to infer on, and the text the module was loaded from (may be NULL). */
typedef struct export_input {
    ttlx_module_t *mod;
    size_t func_index;
    const ttlx_device_t *dev;
    const char *source;
    size_t source_len;
} export_input_t;

/* A format's writer: the text (caller frees with ttlx_free; *len its
 * length) or NULL with err. */
typedef char *(*export_writer_fn)(const export_input_t *in, size_t *len, ttlx_error_t *err);

/* ---- fmt_json.c: the JSON writer (2-space steps, scalar lists inline) */

/* n spaces. */
void export_spaces(ttlx_sb_t *b, int n);
/* A number as the shortest text that reads back the same, '.' as the
 * point whatever LC_NUMERIC says. */
void export_put_number(ttlx_sb_t *b, const cJSON *v);
/* v laid out from a line indented base spaces, unit more per level; col
 * is the column v starts at (for the line-width test). */
void export_json_block(ttlx_sb_t *b, const cJSON *v, int base, int unit, int col);
/* The whole document v and a newline (caller frees with ttlx_free; *len
 * its length), or NULL with err ("out of memory"). */
char *export_json_text_len(const cJSON *v, size_t *len, ttlx_error_t *err);
char *export_write_json(const export_input_t *in, size_t *len, ttlx_error_t *err);

/* ---- json_rewrite.c: JSON saved over the text it was loaded from */

/* The module document n written over text: only the values that changed
 * are rewritten. NULL when the text does not lend itself (the caller then
 * prints n whole). Caller frees with ttlx_free. */
char *export_json_splice(const cJSON *n, const char *text, size_t len, size_t *out_len);

/* ---- fmt_python.c: Python literals and the annotate_tt_layout call */

void export_py_string(ttlx_sb_t *b, const char *s);
/* A Python literal starting at column col, whose continuation lines are
 * indented by indent: inline when it fits, else one item a line. */
void export_py_pretty(ttlx_sb_t *b, const cJSON *v, int col, int indent);
char *export_write_python(const export_input_t *in, size_t *len, ttlx_error_t *err);

/* ---- fmt_tvmscript.c, fmt_plan.c, fmt_svg.c, fmt_ttnn.c */

char *export_write_tvmscript(const export_input_t *in, size_t *len, ttlx_error_t *err);
char *export_write_plan(const export_input_t *in, size_t *len, ttlx_error_t *err);
char *export_write_svg(const export_input_t *in, size_t *len, ttlx_error_t *err);
char *export_write_ttnn(const export_input_t *in, size_t *len, ttlx_error_t *err);

/* src_id when writing to target overwrites the file it describes (target
 * is src_path, or the same file); NULL otherwise (nothing to protect). */
const sys_file_id_t *export_expect_for(const char *target, const char *src_path,
                                       const sys_file_id_t *src_id);

#endif
