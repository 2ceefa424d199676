/*
 * ttlx_func_internal.h - the layout of the PrimFunc model's structs, shared
 * by the model (ttlx_func.c) and the loader that builds it (ttlx_load.c).
 * Not public: everyone else goes through ttlx_func.h.
 */
#ifndef TTLX_FUNC_INTERNAL_H
#define TTLX_FUNC_INTERNAL_H

#include "ttlx_func.h"

/* A key repeated in one object of the document: the loader kept the last
 * value (ttlx_dupkeys.c). where: "the PrimFunc", "buffers[1]",
 * "attrs[\"tt.user_layout\"][\"A\"]", ... */
typedef struct ttlx_dup_note {
    char *where;
    char *key;
    size_t count;
    int buffer;    /* under buffers[i]: i, else -1 */
    char *hint_of; /* in the hint for this buffer name, else NULL */
} ttlx_dup_note_t;

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
    char **folded;    /* names as Python reads them (NFKC), NULL when all are
                         ASCII; an entry is NULL when the name is ASCII */
    int nkernel;
    int64_t kernel[3];
    ttlx_dup_note_t *dups; /* keys the loader found repeated (TTL011) */
    size_t ndups, capdups;
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

/* Removes the repeated keys of obj, keeping each key's last value, and
 * notes them in f: deep, in every object of a PrimFunc object; else only
 * in obj itself, an IRModule's {"functions": ...} ("the module"). False
 * when out of memory. */
bool ttlx_dupkeys_take(ttlx_func_t *f, cJSON *obj, bool deep);
void ttlx_dupkeys_free(ttlx_func_t *f);
/* Moves the notes of from to the front of to's (from is left empty); on
 * allocation failure they are dropped. */
void ttlx_dupkeys_move(ttlx_func_t *to, ttlx_func_t *from);
/* Forgets the notes about buffer's hint (NULL: every hint), which an edit
 * just replaced. */
void ttlx_dupkeys_forget_hint(ttlx_func_t *f, const char *buffer);

#endif
