/*
 * ttlx_func.h - the PrimFunc model: a loaded module (one or more PrimFuncs),
 * each with its buffers, launch extents, device name and attributes, and the
 * layout hints (attrs["tt.user_layout"]) that users edit. Modules are
 * made by ttlx_load.h (JSON of SPEC 1.1, TVMScript of SPEC 1.2).
 */
#ifndef TTLX_FUNC_H
#define TTLX_FUNC_H

#include "ttlx_base.h"
#include <cjson/cJSON.h>

typedef struct ttlx_module ttlx_module_t;
typedef struct ttlx_func ttlx_func_t;

/* One buffer parameter. Strings are owned by the func. */
typedef struct ttlx_buffer_info {
    const char *name;
    const char *dtype; /* canonical dtype name, aliases resolved */
    const char *role;  /* "input" | "output" | "weight" | NULL */
    int rank;
    int64_t shape[TTLX_MAX_RANK];
    int64_t elems; /* prod(shape), checked */
} ttlx_buffer_info_t;

/* A "NAME=VALUE" binding for a symbolic TVMScript shape. */
typedef struct ttlx_binding {
    const char *name;
    int64_t value;
} ttlx_binding_t;

/* Frees a module and every function, buffer and hint in it (NULL is fine). */
void ttlx_module_free(ttlx_module_t *mod);

/* "json" or "tvmscript": what the module was loaded from. */
const char *ttlx_module_format(const ttlx_module_t *mod);
size_t ttlx_module_func_count(const ttlx_module_t *mod);
ttlx_func_t *ttlx_module_func(ttlx_module_t *mod, size_t i); /* borrowed */
/* The whole module as SPEC 1.1 JSON with current hints (caller owns). A
 * single-function module gives the PrimFunc object itself. */
cJSON *ttlx_module_to_json(const ttlx_module_t *mod);
/* The same JSON, borrowed: valid until the module or its hints change. */
const cJSON *ttlx_module_json(const ttlx_module_t *mod);

const char *ttlx_func_name(const ttlx_func_t *f);
const char *ttlx_func_description(const ttlx_func_t *f); /* "" when none */
size_t ttlx_func_buffer_count(const ttlx_func_t *f);
const ttlx_buffer_info_t *ttlx_func_buffer(const ttlx_func_t *f, size_t i);
int ttlx_func_find_buffer(const ttlx_func_t *f, const char *name); /* -1 */
/* Launch extents: returns how many (0..3) and fills ext. */
int ttlx_func_kernel(const ttlx_func_t *f, int64_t ext[3]);
const char *ttlx_func_device_name(const ttlx_func_t *f); /* NULL when absent */
/* attrs object (never NULL; borrowed, read-only). */
const cJSON *ttlx_func_attrs(const ttlx_func_t *f);
/* The hint object for a buffer name, or NULL (borrowed, read-only). */
const cJSON *ttlx_func_hint(const ttlx_func_t *f, const char *buffer);
/* Sets (hint != NULL, ownership moves in) or clears (hint == NULL) the hint
 * of one buffer name. False only on allocation failure. */
bool ttlx_func_set_hint(ttlx_func_t *f, const char *buffer, cJSON *hint);
/* A copy of the whole tt.user_layout object (caller owns; {} when none). */
cJSON *ttlx_func_hints_copy(const ttlx_func_t *f);
/* Replaces tt.user_layout (ownership moves in; NULL clears all). */
bool ttlx_func_set_hints(ttlx_func_t *f, cJSON *user_layout);
/* This function as a SPEC 1.1 JSON object with current hints (caller owns). */
cJSON *ttlx_func_to_json(const ttlx_func_t *f);

/* Canonical dtype name for a name or alias, NULL when unknown. */
const char *ttlx_dtype_canonical(const char *name);
/* For a dtype TVM or TileLang prints that tt-metal has no data format for
 * (bool, int64, uint64, float64, float8_e4m3fn and the other float8/6/4
 * kinds, int4, vector types such as float16x4): the canonical name of the
 * nearest dtype that has one (int32, uint32, float32, bfloat8_b, ...).
 * NULL for names that ttlx_dtype_canonical knows and for non-dtypes.
 * Such buffers load and get TTL016 (SPEC 1.2, 4). */
const char *ttlx_dtype_nearest_format(const char *name);

#endif
