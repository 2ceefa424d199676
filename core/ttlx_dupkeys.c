/*
 * ttlx_dupkeys.c - keys repeated in one JSON object of a loaded PrimFunc.
 * cJSON keeps every member, and a lookup by key finds the first, so each
 * level used to pick its own winner. The loader removes the repeats here,
 * at every level of the document, and keeps the LAST value of each key,
 * as Python's json and dict literals do; inference reports each repeat as
 * warning TTL011 naming the key and where it was (ttlx_infer.c).
 */
#include "ttlx_func_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UL_PATH "attrs[\"tt.user_layout\"]" /* as path_text writes it */

typedef struct member {
    cJSON *item;
    size_t at;
} member_t;

static int by_key_then_place(const void *a, const void *b) {
    const member_t *x = a, *y = b;
    int c = strcmp(x->item->string, y->item->string);
    if (c) return c;
    return x->at < y->at ? -1 : x->at > y->at;
}

static bool add_note(ttlx_func_t *f, const char *where, const char *key, size_t count, int buffer,
                     const char *hint_of) {
    if (f->ndups == f->capdups) {
        ttlx_dup_note_t *v = ttlx_grow(f->dups, &f->capdups, f->ndups + 1, sizeof *v);
        if (!v) return false;
        f->dups = v;
    }
    ttlx_dup_note_t *n = &f->dups[f->ndups];
    n->where = ttlx_strdup(where);
    n->key = ttlx_strdup(key);
    n->hint_of = hint_of ? ttlx_strdup(hint_of) : NULL;
    n->count = count;
    n->buffer = buffer;
    f->ndups++;
    return n->where && n->key && (!hint_of || n->hint_of);
}

/* Where the walk is: a chain of keys and indices from the PrimFunc down,
 * on the C stack; written out only for a note. */
typedef struct seg {
    const struct seg *up;
    const char *key; /* NULL: an array index */
    size_t index;
} seg_t;

typedef struct walk {
    ttlx_func_t *f;
    const char *root;    /* what the outermost object is called */
    int buffer;          /* under buffers[i]: i */
    const char *hint_of; /* under attrs["tt.user_layout"][NAME]: NAME */
} walk_t;

/* "buffers[1]", "attrs[\"tt.user_layout\"][\"A\"]"; root when at the top. */
static void path_text(const seg_t *at, const char *root, char *buf, size_t n) {
    const seg_t *chain[64];
    int depth = 0;
    for (const seg_t *s = at; s && depth < 64; s = s->up)
        chain[depth++] = s;
    if (!depth) {
        snprintf(buf, n, "%s", root);
        return;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (int k = depth - 1; k >= 0 && used < n; k--) {
        const seg_t *s = chain[k];
        int w = !s->key          ? snprintf(buf + used, n - used, "[%zu]", s->index)
                : k == depth - 1 ? snprintf(buf + used, n - used, "%.60s", s->key)
                                 : snprintf(buf + used, n - used, "[\"%.60s\"]", s->key);
        if (w < 0) break;
        used += (size_t)w;
    }
}

/* Whether some key of obj's n members repeats (small objects: pairwise). */
static bool has_repeats(const cJSON *obj, size_t n) {
    if (n > 12) return true; /* let the sort tell */
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (!strcmp(a->string, b->string)) return true;
    return false;
}

/* Removes the earlier members of every repeated key of obj (noted). */
static bool dedupe_object(walk_t *w, cJSON *obj, const seg_t *at) {
    size_t n = 0;
    for (cJSON *c = obj->child; c; c = c->next)
        n++;
    if (n < 2 || !has_repeats(obj, n)) return true;
    member_t stack[16];
    member_t *m = n <= 16 ? stack : ttlx_calloc(n, sizeof *m);
    if (!m) return false;
    size_t k = 0;
    for (cJSON *c = obj->child; c; c = c->next, k++)
        m[k] = (member_t){c, k};
    qsort(m, n, sizeof *m, by_key_then_place);
    bool ok = true;
    for (size_t i = 0; i < n && ok;) {
        size_t j = i + 1;
        while (j < n && !strcmp(m[j].item->string, m[i].item->string))
            j++;
        if (j - i > 1) {
            char where[400];
            path_text(at, w->root, where, sizeof where);
            ok = add_note(w->f, where, m[i].item->string, j - i, w->buffer, w->hint_of);
            for (size_t d = i; d + 1 < j; d++) /* all but the last */
                cJSON_Delete(cJSON_DetachItemViaPointer(obj, m[d].item));
        }
        i = j;
    }
    if (m != stack) ttlx_free(m);
    return ok;
}

static bool walk(walk_t *w, cJSON *node, const seg_t *at, int depth) {
    bool object = cJSON_IsObject(node);
    if (!object && !cJSON_IsArray(node)) return true;
    if (object && !dedupe_object(w, node, at)) return false;
    int buffer = w->buffer;
    const char *hint_of = w->hint_of;
    /* buffers[i] and attrs["tt.user_layout"][NAME] name a buffer */
    bool bufs = depth == 1 && !object && at->key && !strcmp(at->key, "buffers");
    bool hints = depth == 2 && object && at->key && !strcmp(at->key, "tt.user_layout") &&
                 at->up->key && !strcmp(at->up->key, "attrs");
    seg_t here = {at, NULL, 0};
    for (cJSON *c = node->child; c; c = c->next, here.index++) {
        if (!cJSON_IsObject(c) && !cJSON_IsArray(c)) continue;
        here.key = object ? c->string : NULL;
        if (bufs) w->buffer = (int)here.index;
        if (hints) w->hint_of = c->string;
        bool ok = walk(w, c, &here, depth + 1);
        w->buffer = buffer;
        w->hint_of = hint_of;
        if (!ok) return false;
    }
    return true;
}

bool ttlx_dupkeys_take(ttlx_func_t *f, cJSON *obj, bool deep) {
    walk_t w = {.f = f, .root = deep ? "the PrimFunc" : "the module", .buffer = -1};
    if (!deep) return dedupe_object(&w, obj, NULL);
    return walk(&w, obj, NULL, 0);
}

void ttlx_dupkeys_free(ttlx_func_t *f) {
    for (size_t i = 0; i < f->ndups; i++) {
        ttlx_free(f->dups[i].where);
        ttlx_free(f->dups[i].key);
        ttlx_free(f->dups[i].hint_of);
    }
    ttlx_free(f->dups);
    f->dups = NULL;
    f->ndups = f->capdups = 0;
}

void ttlx_dupkeys_move(ttlx_func_t *to, ttlx_func_t *from) {
    if (!from->ndups) {
        ttlx_dupkeys_free(from);
        return;
    }
    size_t n = from->ndups + to->ndups, cap = from->capdups;
    ttlx_dup_note_t *v = ttlx_grow(from->dups, &cap, n, sizeof *v);
    if (!v) {
        ttlx_dupkeys_free(from);
        return;
    }
    if (to->ndups) memcpy(v + from->ndups, to->dups, to->ndups * sizeof *v);
    ttlx_free(to->dups);
    to->dups = v;
    to->ndups = n;
    to->capdups = cap;
    from->dups = NULL;
    from->ndups = from->capdups = 0;
}

void ttlx_dupkeys_forget_hint(ttlx_func_t *f, const char *buffer) {
    size_t k = 0;
    for (size_t i = 0; i < f->ndups; i++) {
        ttlx_dup_note_t *n = &f->dups[i];
        bool hint_level = !strncmp(n->where, UL_PATH, strlen(UL_PATH));
        bool of_buffer = buffer && ((n->hint_of && !strcmp(n->hint_of, buffer)) ||
                                    (!strcmp(n->where, UL_PATH) && !strcmp(n->key, buffer)));
        if (hint_level && (!buffer || of_buffer)) {
            ttlx_free(n->where);
            ttlx_free(n->key);
            ttlx_free(n->hint_of);
            continue;
        }
        f->dups[k++] = *n;
    }
    f->ndups = k;
}
