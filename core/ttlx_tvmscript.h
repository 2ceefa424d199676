/*
 * ttlx_tvmscript.h - TVMScript import (SPEC 1.2): turns what TVM's
 * print(func) / mod.script() prints into the PrimFunc JSON of SPEC 1.1.
 */
#ifndef TTLX_TVMSCRIPT_H
#define TTLX_TVMSCRIPT_H

#include "ttlx_func.h"

/* True when path or text look like TVMScript rather than JSON. */
bool ttlx_tvmscript_detect(const char *path, const char *text, size_t len);

/* Parses TVMScript text into a SPEC 1.1 document: a PrimFunc object, or
 * {"functions": [...]} for an @I.ir_module of several. Symbolic shape names
 * are resolved through binds. Returns NULL and fills err with line/col on
 * malformed input or an unbound symbol. Caller owns the result. */
cJSON *ttlx_tvmscript_to_json(const char *text, size_t len, const ttlx_binding_t *binds,
                              size_t nbinds, ttlx_error_t *err);

#endif
