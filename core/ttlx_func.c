/*
 * ttlx_func.c - the PrimFunc model: a loaded module and its functions,
 * read through accessors, with the layout hints (attrs["tt.user_layout"])
 * edited in place. The module owns the parsed cJSON document; each function
 * keeps a pointer to its object in it, so hints edited here are what
 * ttlx_func_to_json and saving write back. Building a module from text or
 * JSON is ttlx_load.c's job.
 */
#include "ttlx_func_internal.h"
#include "ttlx_nfkc.h"

#include <string.h>

static size_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* Buffer k's name as the index compares it: folded as Python reads it. */
static const char *index_key(const ttlx_func_t *f, size_t k) {
    return f->folded && f->folded[k] ? f->folded[k] : f->bufs[k].name;
}

int ttlx_func_index_build(ttlx_func_t *f) {
    /* Names Python reads as one (NFKC: "ｆ" and "f") are one name. */
    for (size_t k = 0; k < f->nbufs; k++) {
        if (ttlx_name_plain(f->bufs[k].name)) continue;
        if (!f->folded && !(f->folded = ttlx_calloc(f->nbufs, sizeof *f->folded))) return -2;
        if (!(f->folded[k] = ttlx_name_fold(f->bufs[k].name))) return -2;
    }
    size_t cap = 16;
    while (cap < f->nbufs * 2)
        cap *= 2;
    f->index = ttlx_malloc(cap * sizeof *f->index);
    if (!f->index) return -2;
    memset(f->index, 0xff, cap * sizeof *f->index);
    f->index_cap = cap;
    for (size_t k = 0; k < f->nbufs; k++) {
        size_t slot = name_hash(index_key(f, k)) & (cap - 1);
        while (f->index[slot] >= 0 && strcmp(index_key(f, (size_t)f->index[slot]), index_key(f, k)))
            slot = (slot + 1) & (cap - 1);
        if (f->index[slot] >= 0) return (int)k;
        f->index[slot] = (int32_t)k;
    }
    return -1;
}

void ttlx_module_free(ttlx_module_t *mod) {
    if (!mod) return;
    for (size_t k = 0; k < mod->nfuncs; k++) {
        ttlx_free(mod->funcs[k].bufs);
        ttlx_free(mod->funcs[k].index);
        ttlx_dupkeys_free(&mod->funcs[k]);
        for (size_t i = 0; mod->funcs[k].folded && i < mod->funcs[k].nbufs; i++)
            ttlx_free(mod->funcs[k].folded[i]);
        ttlx_free(mod->funcs[k].folded);
    }
    ttlx_free(mod->funcs);
    cJSON_Delete(mod->doc);
    ttlx_free(mod);
}

const char *ttlx_module_format(const ttlx_module_t *mod) {
    return mod->format;
}

size_t ttlx_module_func_count(const ttlx_module_t *mod) {
    return mod->nfuncs;
}

ttlx_func_t *ttlx_module_func(ttlx_module_t *mod, size_t i) {
    return i < mod->nfuncs ? &mod->funcs[i] : NULL;
}

cJSON *ttlx_module_to_json(const ttlx_module_t *mod) {
    return cJSON_Duplicate(mod->doc, true);
}

const cJSON *ttlx_module_json(const ttlx_module_t *mod) {
    return mod->doc;
}

const char *ttlx_func_name(const ttlx_func_t *f) {
    return f->name;
}
const char *ttlx_func_description(const ttlx_func_t *f) {
    return f->description;
}
size_t ttlx_func_buffer_count(const ttlx_func_t *f) {
    return f->nbufs;
}
const ttlx_buffer_info_t *ttlx_func_buffer(const ttlx_func_t *f, size_t i) {
    return i < f->nbufs ? &f->bufs[i] : NULL;
}

int ttlx_func_find_buffer(const ttlx_func_t *f, const char *name) {
    if (!f->index_cap || !name) return -1;
    char *folded = ttlx_name_plain(name) ? NULL : ttlx_name_fold(name);
    const char *key = folded ? folded : name; /* out of memory: as written */
    size_t slot = name_hash(key) & (f->index_cap - 1);
    int found = -1;
    while (f->index[slot] >= 0) {
        if (!strcmp(index_key(f, (size_t)f->index[slot]), key)) {
            found = f->index[slot];
            break;
        }
        slot = (slot + 1) & (f->index_cap - 1);
    }
    ttlx_free(folded);
    return found;
}

int ttlx_func_kernel(const ttlx_func_t *f, int64_t ext[3]) {
    for (int k = 0; k < 3; k++)
        ext[k] = k < f->nkernel ? f->kernel[k] : 1;
    return f->nkernel;
}

const char *ttlx_func_device_name(const ttlx_func_t *f) {
    return f->device;
}

const cJSON *ttlx_func_attrs(const ttlx_func_t *f) {
    return f->attrs;
}

const cJSON *ttlx_func_hint(const ttlx_func_t *f, const char *buffer) {
    const cJSON *ul = cJSON_GetObjectItemCaseSensitive(f->attrs, "tt.user_layout");
    if (!cJSON_IsObject(ul) || !buffer) return NULL;
    /* The last hint whose name Python reads as buffer's, as inference. */
    const cJSON *found = NULL;
    for (const cJSON *h = ul->child; h; h = h->next)
        if (h->string && ttlx_name_eq(h->string, buffer)) found = h;
    return found;
}

bool ttlx_func_set_hint(ttlx_func_t *f, const char *buffer, cJSON *hint) {
    ttlx_dupkeys_forget_hint(f, buffer);
    cJSON *ul = cJSON_GetObjectItemCaseSensitive(f->attrs, "tt.user_layout");
    /* Hints under another form of the same name (NFKC) are this hint. */
    for (cJSON *h = cJSON_IsObject(ul) ? ul->child : NULL, *next; h; h = next) {
        next = h->next;
        if (h->string && strcmp(h->string, buffer) && ttlx_name_eq(h->string, buffer))
            cJSON_Delete(cJSON_DetachItemViaPointer(ul, h));
    }
    if (!hint) {
        if (cJSON_IsObject(ul)) cJSON_DeleteItemFromObjectCaseSensitive(ul, buffer);
        return true;
    }
    if (!cJSON_IsObject(ul)) {
        cJSON *fresh = cJSON_CreateObject();
        if (!fresh) {
            cJSON_Delete(hint);
            return false;
        }
        bool ok = ul ? cJSON_ReplaceItemInObjectCaseSensitive(f->attrs, "tt.user_layout", fresh)
                     : cJSON_AddItemToObject(f->attrs, "tt.user_layout", fresh);
        if (!ok) {
            cJSON_Delete(fresh);
            cJSON_Delete(hint);
            return false;
        }
        ul = fresh;
    }
    if (cJSON_GetObjectItemCaseSensitive(ul, buffer)) {
        if (cJSON_ReplaceItemInObjectCaseSensitive(ul, buffer, hint)) return true;
        cJSON_Delete(hint);
        return false;
    }
    if (!cJSON_AddItemToObject(ul, buffer, hint)) {
        cJSON_Delete(hint);
        return false;
    }
    return true;
}

cJSON *ttlx_func_hints_copy(const ttlx_func_t *f) {
    const cJSON *ul = cJSON_GetObjectItemCaseSensitive(f->attrs, "tt.user_layout");
    return ul ? cJSON_Duplicate(ul, true) : cJSON_CreateObject();
}

bool ttlx_func_set_hints(ttlx_func_t *f, cJSON *user_layout) {
    ttlx_dupkeys_forget_hint(f, NULL);
    if (!user_layout) {
        cJSON_DeleteItemFromObjectCaseSensitive(f->attrs, "tt.user_layout");
        return true;
    }
    if (cJSON_GetObjectItemCaseSensitive(f->attrs, "tt.user_layout")) {
        if (cJSON_ReplaceItemInObjectCaseSensitive(f->attrs, "tt.user_layout", user_layout))
            return true;
        cJSON_Delete(user_layout);
        return false;
    }
    if (!cJSON_AddItemToObject(f->attrs, "tt.user_layout", user_layout)) {
        cJSON_Delete(user_layout);
        return false;
    }
    return true;
}

cJSON *ttlx_func_to_json(const ttlx_func_t *f) {
    return cJSON_Duplicate(f->obj, true);
}
