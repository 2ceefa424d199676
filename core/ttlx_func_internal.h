/*
 * ttlx_func_internal.h - the layout of the PrimFunc model's structs, shared
 * by the model (ttlx_func.c) and the loader that builds it (ttlx_load.c).
 * Not public: everyone else goes through ttlx_func.h.
 */
#ifndef TTLX_FUNC_INTERNAL_H
#define TTLX_FUNC_INTERNAL_H

#include "ttlx_func.h"

struct ttlx_func {
    cJSON *obj;   /* the PrimFunc object inside the module document */
    cJSON *attrs; /* obj["attrs"], created when absent */
    const char *name;
    const char *description;
    const char *device;
    ttlx_buffer_info_t *bufs;
    size_t nbufs;
    int32_t *index;   /* open-addressing table of buffer indices, -1 empty */
    size_t index_cap; /* power of two */
    int nkernel;
    int64_t kernel[3];
};

struct ttlx_module {
    cJSON *doc;
    bool ir_module; /* doc is {"functions": [...]} */
    const char *format;
    ttlx_func_t *funcs;
    size_t nfuncs;
};

/* Builds f's buffer name index from f->bufs[0, nbufs) (the loader calls it
 * once). Returns -1 when every name is unique, the index of the first buffer
 * whose name repeats an earlier one, or -2 when memory runs out. */
int ttlx_func_index_build(ttlx_func_t *f);

#endif
