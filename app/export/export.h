/*
 * export.h - writing a module back out (issue 5): the PrimFunc JSON with
 * the current hints, a ready annotate_tt_layout(...) call for TileLang,
 * the TVMScript re-printed with an updated T.func_attr, a tt.plan.json
 * runtime plan, an SVG picture of where each buffer lives, and the TTNN
 * MemoryConfig of every buffer as a Python module; and the one
 * save rule (export_save). Used by `ttlx export`, ttlx.export and
 * ttlx.save (Lua), and the explorer's :export and `w`.
 */
#ifndef TTLX_EXPORT_H
#define TTLX_EXPORT_H

#include "sys/file.h"
#include "ttlx_device.h"
#include "ttlx_func.h"

#include <cjson/cJSON.h>
#include <stdio.h>

typedef enum {
    EXPORT_JSON,
    EXPORT_PYTHON,
    EXPORT_TVMSCRIPT,
    EXPORT_PLAN,
    EXPORT_SVG,
    EXPORT_TTNN
} export_format_t;

/* "json" | "python" | "tvmscript" | "plan" | "svg" | "ttnn" (also "py",
 * "tvm", "tt.plan.json"). False when unknown. */
bool export_format_parse(const char *name, export_format_t *out);
const char *export_format_name(export_format_t fmt);
/* The default output file of fmt next to an input, as a suffix for the
 * input's name without its extension (".hints.json", "_layout.py",
 * ".hints.py", ".tt.plan.json", ".svg", "_ttnn.py"): never the input
 * itself. */
const char *export_format_suffix(export_format_t fmt);
/* The format names joined by sep ("json, python, ..." with ", "), in
 * table order: for messages that list the choices. Static storage. */
const char *export_format_names(const char *sep);
/* One "  NAME       what it writes" line per format (for --help). */
void export_formats_help(FILE *out);

/* Renders mod in fmt. json and tvmscript write the whole module; python,
 * plan, svg and ttnn the function func_index, inferred on dev. source (may be
 * NULL) is the text mod was loaded from: tvmscript then keeps every byte
 * but the T.func_attr dicts, and json (from a JSON source) rewrites only
 * the values that changed, keeping the rest of the text as it was. Returns the text (caller frees
 * with ttlx_free; *len_out its length, may be NULL) or NULL with err. */
char *export_render(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                    export_format_t fmt, const char *source, size_t source_len, size_t *len_out,
                    ttlx_error_t *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename over path (keeping its permissions). On any failure the
 * original is untouched and the temporary file removed. */
bool export_write_atomic(const char *path, const char *data, size_t len, ttlx_error_t *err);
/* The same, refusing when expect (may be NULL) no longer describes the
 * file at path: "PATH changed on disk since it was loaded; not
 * overwritten" (sys_atomic_write_expect). */
bool export_write_atomic_expect(const char *path, const char *data, size_t len,
                                const sys_file_id_t *expect, ttlx_error_t *err);

/* Render and write: out_path NULL or "-" writes to stdout. source_path
 * names the file mod was loaded from (re-read for tvmscript; may be NULL). */
bool export_to_file(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                    export_format_t fmt, const char *source_path, const char *out_path,
                    ttlx_error_t *err);
/* The same, where source_id (may be NULL) is the identity of source_path
 * taken when mod was loaded (sys_file_identity): writing over that file
 * (out_path names it, or is the same file) refuses when it changed on disk
 * since, rather than overwrite newer content. */
bool export_to_file_expect(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                           export_format_t fmt, const char *source_path,
                           const sys_file_id_t *source_id, const char *out_path, ttlx_error_t *err);

/* Saves mod as JSON to out_path, atomically. When source_path names the
 * JSON file mod was loaded from, only the changed values are rewritten in
 * its text (a small diff); otherwise, or when the text does not lend
 * itself, the module is printed whole. */
bool export_save_json(ttlx_module_t *mod, const char *source_path, const char *out_path,
                      ttlx_error_t *err);

/* The JSON text of v as every export writes it (2-space steps, scalar
 * lists inline, small flat objects on one line, then a newline). Caller
 * frees with ttlx_free; NULL when out of memory or v is NULL. */
char *export_json_text(const cJSON *v);

/* The save rule: which format saving a module writes.
 *   1. Saving back to the file it came from (target NULL or equal to
 *      src_path) keeps the module's own format.
 *   2. Otherwise the target's extension decides, as the loader reads
 *      files: .py or .tvm (any case) is TVMScript, .json is JSON.
 *   3. Any other target keeps the module's own format.
 * module_format is ttlx_module_format() ("json" or "tvmscript"). So a
 * JSON module saved as x.py becomes a generated @T.prim_func (as
 * `ttlx export --format tvmscript` does), and a TVMScript module saved as
 * x.json becomes PrimFunc JSON. Returns EXPORT_JSON or
 * EXPORT_TVMSCRIPT; pure, for tests. */
export_format_t export_save_format(const char *module_format, const char *src_path,
                                   const char *target);

/* Saves the whole module mod to target (NULL: back to src_path) in the
 * format export_save_format picks, atomically. src_path (may be NULL)
 * names the file mod was loaded from: a save in its own format is written
 * over its text (TVMScript keeps every byte but the T.func_attr dicts;
 * JSON rewrites only the values that changed). src_id (may be NULL: no
 * check) is src_path's identity taken when mod was loaded
 * (sys_file_identity): a save over src_path when that file changed on
 * disk since is refused with "SRC changed on disk since it was loaded;
 * not overwritten", checked before anything is rendered and again just
 * before the rename. A target that is not a regular file (a FIFO, a
 * device, a symlink to nothing) is refused, never replaced. On failure
 * target is untouched and err holds the message. */
bool export_save(ttlx_module_t *mod, const char *src_path, const char *target,
                 const sys_file_id_t *src_id, char *err, size_t errsize);

#endif
