/*
 * json_rewrite.c - saving a JSON module over the text it was loaded from,
 * so that a save keeps the file's own formatting and makes a small diff.
 */
#include "export/export_internal.h"
#include "ttlx_json.h"

#include <stdint.h>
#include <string.h>

/* Saving a JSON module rewrites only the values that changed (a hint
 * edited, added or removed) inside the file's own text: indentation, line
 * breaks and key order elsewhere stay as the author wrote them, so a
 * save makes a small diff. Anything unexpected (duplicate keys, escaped
 * keys, a text that does not parse back to the module) gives up, and the
 * module is printed whole instead. */
typedef struct {
    const char *t;
    size_t n;
    int unit; /* the file's indent step: its smallest indent (2 if none) */
} jtext_t;

#define JS_FAIL SIZE_MAX

static size_t js_ws(const jtext_t *J, size_t k) {
    while (k < J->n && (J->t[k] == ' ' || J->t[k] == '\t' || J->t[k] == '\n' || J->t[k] == '\r'))
        k++;
    return k;
}

/* End of the value starting at k, or JS_FAIL. */
static size_t js_value_end(const jtext_t *J, size_t k) {
    if (k >= J->n) return JS_FAIL;
    char c = J->t[k];
    if (c == '"') {
        for (k++; k < J->n; k++) {
            if (J->t[k] == '\\')
                k++;
            else if (J->t[k] == '"')
                return k + 1;
        }
        return JS_FAIL;
    }
    if (c == '{' || c == '[') {
        size_t depth = 0;
        for (; k < J->n; k++) {
            char d = J->t[k];
            if (d == '"') {
                size_t e = js_value_end(J, k);
                if (e == JS_FAIL) return JS_FAIL;
                k = e - 1;
            } else if (d == '{' || d == '[') {
                depth++;
            } else if ((d == '}' || d == ']') && --depth == 0) {
                return k + 1;
            }
        }
        return JS_FAIL;
    }
    while (k < J->n && !strchr(",]} \t\r\n", J->t[k]))
        k++;
    return k;
}

/* Spaces at the start of the line holding offset k, and k's column. */
static int js_indent(const jtext_t *J, size_t k, int *col) {
    size_t ls = k;
    while (ls > 0 && J->t[ls - 1] != '\n')
        ls--;
    int ind = 0;
    while (ls + (size_t)ind < k && J->t[ls + (size_t)ind] == ' ')
        ind++;
    *col = (int)(k - ls);
    return ind;
}

/* An object's members by key (open addressing), so that a file with
 * 10,000 hints saves in linear time: a tt.user_layout is one object. */
typedef struct {
    const cJSON *obj;   /* small objects (8 members or fewer) are scanned */
    const cJSON **slot; /* else open addressing over cap slots */
    size_t cap;
    bool dup; /* a key stood twice */
} keyidx_t;

static size_t key_hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool keyidx_build(keyidx_t *x, const cJSON *obj) {
    size_t n = 0;
    x->obj = obj;
    x->slot = NULL;
    x->dup = false;
    for (const cJSON *c = obj->child; c; c = c->next)
        n++;
    if (n <= 8) {
        for (const cJSON *a = obj->child; a; a = a->next)
            for (const cJSON *b = a->next; b; b = b->next)
                if (!strcmp(a->string ? a->string : "", b->string ? b->string : "")) x->dup = true;
        return true;
    }
    x->cap = 16;
    while (x->cap < 2 * n)
        x->cap *= 2;
    if (!(x->slot = ttlx_calloc(x->cap, sizeof *x->slot))) return false;
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *k = c->string ? c->string : "";
        size_t i = key_hash(k) & (x->cap - 1);
        while (x->slot[i] && strcmp(x->slot[i]->string ? x->slot[i]->string : "", k))
            i = (i + 1) & (x->cap - 1);
        if (x->slot[i])
            x->dup = true; /* the first stays, as a lookup by key finds it */
        else
            x->slot[i] = c;
    }
    return true;
}

static const cJSON *keyidx_get(const keyidx_t *x, const char *k) {
    if (!k) k = "";
    if (!x->slot) {
        for (const cJSON *c = x->obj->child; c; c = c->next)
            if (!strcmp(c->string ? c->string : "", k)) return c;
        return NULL;
    }
    size_t i = key_hash(k) & (x->cap - 1);
    while (x->slot[i] && strcmp(x->slot[i]->string ? x->slot[i]->string : "", k))
        i = (i + 1) & (x->cap - 1);
    return x->slot[i];
}

static void keyidx_free(keyidx_t *x) {
    ttlx_free(x->slot);
    x->slot = NULL;
}

static size_t js_rewrite(ttlx_sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n);

static bool js_empty_object(const cJSON *v) {
    return cJSON_IsObject(v) && !v->child;
}

/* a and b hold the same JSON, an empty object standing for a missing one. */
static bool js_same(const cJSON *a, const cJSON *b) {
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        keyidx_t xa = {0}, xb = {0};
        bool same = keyidx_build(&xa, a) && keyidx_build(&xb, b) && !xa.dup && !xb.dup;
        for (const cJSON *c = same ? a->child : NULL; c && same; c = c->next) {
            const cJSON *d = keyidx_get(&xb, c->string);
            same = d ? js_same(c, d) : js_empty_object(c);
        }
        for (const cJSON *d = same ? b->child : NULL; d && same; d = d->next)
            same = keyidx_get(&xa, d->string) || js_empty_object(d);
        keyidx_free(&xa);
        keyidx_free(&xb);
        return same;
    }
    if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        const cJSON *c = a->child, *d = b->child;
        for (; c && d; c = c->next, d = d->next)
            if (!js_same(c, d)) return false;
        return !c && !d;
    }
    return cJSON_Compare(a, b, true);
}

/* The new value n where the old value o stood at [k, end): kept, rewritten
 * in place or printed anew. Returns end, or JS_FAIL. */
static size_t js_member_value(ttlx_sb_t *b, const jtext_t *J, size_t k, const cJSON *o,
                              const cJSON *n) {
    size_t end = js_value_end(J, k);
    if (end == JS_FAIL) return JS_FAIL;
    if (js_same(o, n)) {
        ttlx_sb_putn(b, J->t + k, end - k);
        return end;
    }
    /* Into a value laid out over lines, member by member; a one-line
     * value is printed anew, as one line if it fits. */
    bool lines = memchr(J->t + k, '\n', end - k) != NULL;
    if (lines &&
        ((cJSON_IsObject(o) && cJSON_IsObject(n)) ||
         (cJSON_IsArray(o) && cJSON_IsArray(n) && cJSON_GetArraySize(o) == cJSON_GetArraySize(n))))
        return js_rewrite(b, J, k, o, n) == end ? end : JS_FAIL;
    int col, ind = js_indent(J, k, &col);
    export_json_block(b, n, ind, J->unit, col);
    return end;
}

/* js_rewrite with the members of objects o and n indexed by key. */
static size_t js_rewrite_in(ttlx_sb_t *b, const jtext_t *J, size_t k, const cJSON *o,
                            const cJSON *n, const keyidx_t *xo, const keyidx_t *xn);

/* Rewrites the object or list at k (old o, new n) into b; returns the
 * offset after it, or JS_FAIL (duplicate keys included). */
static size_t js_rewrite(ttlx_sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n) {
    if (!cJSON_IsObject(o)) return js_rewrite_in(b, J, k, o, n, NULL, NULL);
    keyidx_t xo = {0}, xn = {0};
    size_t end = JS_FAIL;
    if (keyidx_build(&xo, o) && keyidx_build(&xn, n) && !xo.dup && !xn.dup)
        end = js_rewrite_in(b, J, k, o, n, &xo, &xn);
    keyidx_free(&xo);
    keyidx_free(&xn);
    return end;
}

static size_t js_rewrite_in(ttlx_sb_t *b, const jtext_t *J, size_t k, const cJSON *o,
                            const cJSON *n, const keyidx_t *xo, const keyidx_t *xn) {
    bool obj = cJSON_IsObject(o);
    if (k >= J->n || J->t[k] != (obj ? '{' : '[')) return JS_FAIL;
    char close = obj ? '}' : ']';
    ttlx_sb_putn(b, J->t + k, 1);
    size_t p = k + 1, lead_from = p, last_end = p;
    const char *lead = NULL; /* whitespace before the last member kept */
    size_t lead_len = 0;
    bool wrote = false;
    const cJSON *oc = o->child, *nc = n->child;
    for (;;) {
        size_t m = js_ws(J, p);
        if (m >= J->n) return JS_FAIL;
        if (J->t[m] == close) {
            p = m;
            break;
        }
        if (!oc) return JS_FAIL;
        size_t vstart = m;
        const cJSON *nv = NULL;
        if (obj) {
            size_t kend = js_value_end(J, m);
            if (kend == JS_FAIL || J->t[m] != '"' || memchr(J->t + m, '\\', kend - m))
                return JS_FAIL;
            if (kend - m - 2 != strlen(oc->string) ||
                memcmp(J->t + m + 1, oc->string, kend - m - 2))
                return JS_FAIL;
            vstart = js_ws(J, kend);
            if (vstart >= J->n || J->t[vstart] != ':') return JS_FAIL;
            vstart = js_ws(J, vstart + 1);
            nv = keyidx_get(xn, oc->string);
        } else {
            nv = nc;
            nc = nc ? nc->next : NULL;
        }
        size_t vend = js_value_end(J, vstart);
        if (vend == JS_FAIL) return JS_FAIL;
        if (nv) {
            if (wrote) ttlx_sb_putn(b, ",", 1);
            lead = J->t + lead_from;
            lead_len = m - lead_from;
            ttlx_sb_putn(b, lead, lead_len);
            ttlx_sb_putn(b, J->t + m, vstart - m); /* the key and ": " */
            if (js_member_value(b, J, vstart, oc, nv) != vend) return JS_FAIL;
            wrote = true;
        }
        oc = oc->next;
        last_end = vend;
        p = js_ws(J, vend);
        if (p < J->n && J->t[p] == ',') {
            lead_from = p + 1;
            p++;
        } else {
            lead_from = p;
        }
    }
    if (oc) return JS_FAIL;
    /* New members, after the kept ones, laid out like the last of them
     * (an empty object, such as the attrs the loader adds, is not news). */
    for (const cJSON *c = obj ? n->child : NULL; c; c = c->next) {
        if (keyidx_get(xo, c->string) || js_empty_object(c)) continue;
        if (wrote) ttlx_sb_putn(b, ",", 1);
        int col, ind;
        if (lead) {
            ttlx_sb_putn(b, lead, lead_len);
            ind = js_indent(J, (size_t)(lead + lead_len - J->t), &col);
        } else {
            ind = js_indent(J, k, &col);
            col += 1;
        }
        size_t before = b->len;
        ttlx_sb_json_string(b, c->string ? c->string : "");
        ttlx_sb_puts(b, ": ");
        export_json_block(b, c, ind, J->unit, col + (int)(b->len - before));
        wrote = true;
    }
    ttlx_sb_putn(b, J->t + last_end, p - last_end); /* whitespace before the close */
    ttlx_sb_putn(b, &close, 1);
    return p + 1;
}

/* The module n saved over the JSON text it was loaded from; NULL when it
 * does not fit (the caller prints the module whole). */
char *export_json_splice(const cJSON *n, const char *text, size_t len, size_t *out_len) {
    jtext_t J = {text, len, 0};
    for (size_t i = 0; i < len; i++) { /* the smallest indent of a line */
        if (i > 0 && text[i - 1] != '\n') continue;
        int sp = 0;
        while (i + (size_t)sp < len && text[i + (size_t)sp] == ' ')
            sp++;
        if (sp > 0 && sp <= 8 && i + (size_t)sp < len && text[i + (size_t)sp] != '\n' &&
            (J.unit == 0 || sp < J.unit))
            J.unit = sp;
    }
    if (J.unit == 0) J.unit = 2;
    cJSON *o = ttlx_json_read(text, len, NULL);
    size_t k = js_ws(&J, 0);
    ttlx_sb_t b = {0};
    bool ok = o && cJSON_IsObject(o) && cJSON_IsObject(n);
    size_t end = ok ? js_rewrite(&b, &J, k, o, n) : JS_FAIL;
    ok = end != JS_FAIL && !b.failed;
    cJSON_Delete(o); /* first: reading back then reuses its memory */
    o = NULL;
    if (ok) {
        ttlx_sb_putn(&b, text + end, len - end); /* what followed the document */
        cJSON *back = b.failed ? NULL : ttlx_json_read(b.data, b.len, NULL);
        ok = back && js_same(back, n);
        cJSON_Delete(back);
    }
    cJSON_Delete(o);
    if (!ok) {
        ttlx_sb_free(&b);
        return NULL;
    }
    *out_len = b.len;
    return b.data;
}
