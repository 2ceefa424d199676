/*
 * ttlx_tvmscript.h - TVMScript import (SPEC 1.2): turns what TVM's
 * print(func) / mod.script() prints into the PrimFunc JSON of SPEC 1.1.
 * Implemented in core/tvmscript/; ttlx_load.h decides when to call it.
 */
#ifndef TTLX_TVMSCRIPT_H
#define TTLX_TVMSCRIPT_H

#include "ttlx_func.h"

/* Parses TVMScript text into a SPEC 1.1 document: a PrimFunc object, or
 * {"functions": [...]} for an @I.ir_module of several. Symbolic shape names
 * are resolved through binds. Returns NULL and fills err with line/col on
 * malformed input or an unbound symbol. Caller owns the result. */
cJSON *ttlx_tvmscript_to_json(const char *text, size_t len, const ttlx_binding_t *binds,
                              size_t nbinds, ttlx_error_t *err);

/* Where one @T.prim_func writes its attributes, so that a caller can
 * re-print the text with new attributes and keep every other byte. */
typedef struct ttlx_tvmscript_site {
    bool has_attr;                   /* the body has a T.func_attr call */
    int attr_calls;                  /* how many (only the first is located) */
    size_t attr_start, attr_end;     /* its dict argument, bytes [start, end) */
    size_t insert_at;                /* else a new line can start here (after the
                                        signature or docstring); SIZE_MAX: nowhere */
    bool newline_first;              /* insert_at is the end of a text that does
                                        not end its last line */
    size_t indent_start, indent_len; /* indentation text of the body's lines */
    bool indent_is_def;              /* no body line: that is the def's indent */
} ttlx_tvmscript_site_t;

/* Finds the site of every @T.prim_func, in the order of the functions of
 * ttlx_tvmscript_to_json. On success *sites (caller frees with ttlx_free)
 * and *count are set; false with err filled on the same errors. */
bool ttlx_tvmscript_sites(const char *text, size_t len, const ttlx_binding_t *binds, size_t nbinds,
                          ttlx_tvmscript_site_t **sites, size_t *count, ttlx_error_t *err);

#endif
