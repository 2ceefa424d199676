/*
 * export.h - writing a module back out (issue 5): the PrimFunc JSON with
 * the current hints, a ready annotate_tt_layout(...) call for TileLang,
 * the TVMScript re-printed with an updated T.func_attr, a tt.plan.json
 * runtime plan, and an SVG picture of where each buffer lives. Used by
 * `ttlx export`, ttlx.export (Lua) and the explorer's :export.
 */
#ifndef TTLX_EXPORT_H
#define TTLX_EXPORT_H

#include "ttlx_device.h"
#include "ttlx_func.h"

typedef enum {
    TTLX_EXPORT_JSON,
    TTLX_EXPORT_PYTHON,
    TTLX_EXPORT_TVMSCRIPT,
    TTLX_EXPORT_PLAN,
    TTLX_EXPORT_SVG
} ttlx_export_format_t;

/* "json" | "python" | "tvmscript" | "plan" | "svg" (also "py", "tvm",
 * "tt.plan.json"). False when unknown. */
bool ttlx_export_format_parse(const char *name, ttlx_export_format_t *out);
const char *ttlx_export_format_name(ttlx_export_format_t fmt);

/* Renders mod in fmt. json and tvmscript write the whole module; python,
 * plan and svg the function func_index, inferred on dev. source (may be
 * NULL) is the text mod was loaded from: tvmscript then keeps every byte
 * but the T.func_attr dicts, and json (from a JSON source) rewrites only
 * the values that changed, keeping the rest of the text as it was. Returns the text (caller frees
 * with ttlx_free; *len_out its length, may be NULL) or NULL with err. */
char *ttlx_export_render(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                         ttlx_export_format_t fmt, const char *source, size_t source_len,
                         size_t *len_out, ttlx_error_t *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename over path (keeping its permissions). On any failure the
 * original is untouched and the temporary file removed. */
bool ttlx_export_write_atomic(const char *path, const char *data, size_t len, ttlx_error_t *err);

/* Render and write: out_path NULL or "-" writes to stdout. source_path
 * names the file mod was loaded from (re-read for tvmscript; may be NULL). */
bool ttlx_export_to_file(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                         ttlx_export_format_t fmt, const char *source_path, const char *out_path,
                         ttlx_error_t *err);

/* Saves mod as JSON to out_path, atomically. When source_path names the
 * JSON file mod was loaded from, only the changed values are rewritten in
 * its text (a small diff); otherwise, or when the text does not lend
 * itself, the module is printed whole. */
bool ttlx_export_save_json(ttlx_module_t *mod, const char *source_path, const char *out_path,
                           ttlx_error_t *err);

#endif
