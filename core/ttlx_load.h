/*
 * ttlx_load.h - making a module (ttlx_func.h) from text: PrimFunc JSON
 * (SPEC 1.1) or TVMScript (SPEC 1.2), told apart by the file name or the
 * leading text. Errors carry the line and column where known.
 */
#ifndef TTLX_LOAD_H
#define TTLX_LOAD_H

#include "ttlx_func.h"

/* True when path or text look like TVMScript rather than JSON: the name
 * ends in .py/.tvm, or the text (after blank and comment lines) starts
 * with "@T.prim_func", "@I.ir_module", a tvm/tilelang import, or a
 * "# from tvm.script" comment. */
bool ttlx_load_is_tvmscript(const char *path, const char *text, size_t len);

/* Loads a file: JSON, or TVMScript when the name ends in .py/.tvm or the
 * text starts with "# from tvm.script" / "@T.prim_func" / "@I.ir_module".
 * Returns NULL and fills err (with line/col where known) on bad input. */
ttlx_module_t *ttlx_module_load_file(const char *path, const ttlx_binding_t *binds, size_t nbinds,
                                     ttlx_error_t *err);
/* Same from memory; path only names the input and picks the format. */
ttlx_module_t *ttlx_module_load_string(const char *text, size_t len, const char *path,
                                       const ttlx_binding_t *binds, size_t nbinds,
                                       ttlx_error_t *err);
/* Builds a module from a parsed JSON document in SPEC 1.1 form; takes
 * ownership of doc in all cases. */
ttlx_module_t *ttlx_module_from_json(cJSON *doc, ttlx_error_t *err);

#endif
