/*
 * export.c - the five export formats of issue 5 and the atomic writer.
 * JSON and Python literals are written here (2-space JSON with scalar
 * lists inline; Python dicts inline when they fit, one item a line when
 * not), so the outputs are stable byte for byte for golden tests.
 */
#include "export/export.h"
#include "ttlx_sb.h"
#include "sys/atomic_write.h"

#include "ttlx_infer.h"
#include "ttlx_json.h"
#include "ttlx_tvmscript.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Python lines this long still print a dict inline. */
#define EXPORT_LINE_WIDTH 96
/* Tile cells drawn per axis of an SVG tile grid before they aggregate. */
#define SVG_MAX_TILE_CELLS 64

/* ---------------------------------------------------------- text buffer */

typedef ttlx_sb_t sb_t;

static void sb_spaces(sb_t *b, int n) {
    for (int i = 0; i < n; i++)
        ttlx_sb_putn(b, " ", 1);
}

/* ------------------------------------------------------------- numbers */

/* A number as the shortest text that reads back the same, '.' as the
 * point whatever LC_NUMERIC says. */
static void put_number(sb_t *b, const cJSON *v) {
    double d = v->valuedouble;
    char buf[64];
    if (!isfinite(d)) {
        ttlx_sb_puts(b, "null");
        return;
    }
    if (d == floor(d) && fabs(d) <= 9007199254740992.0) {
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    } else {
        snprintf(buf, sizeof buf, "%.15g", d);
        if (strtod(buf, NULL) != d) snprintf(buf, sizeof buf, "%.17g", d);
        const char *point = localeconv()->decimal_point;
        if (point && point[0] && point[0] != '.')
            for (char *c = buf; *c; c++)
                if (*c == point[0]) *c = '.';
    }
    ttlx_sb_puts(b, buf);
}

/* ---------------------------------------------------------------- JSON */

static bool json_scalar(const cJSON *v) {
    return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

static void json_value(sb_t *b, const cJSON *v, int depth, int col);

static void json_scalar_value(sb_t *b, const cJSON *v) {
    if (cJSON_IsString(v))
        ttlx_sb_json_string(b, v->valuestring);
    else if (cJSON_IsRaw(v))
        ttlx_sb_puts(b, v->valuestring);
    else if (cJSON_IsNumber(v))
        put_number(b, v);
    else if (cJSON_IsTrue(v))
        ttlx_sb_puts(b, "true");
    else if (cJSON_IsFalse(v))
        ttlx_sb_puts(b, "false");
    else
        ttlx_sb_puts(b, "null");
}

/* A list of scalars. */
static bool json_flat_list(const cJSON *v) {
    if (!cJSON_IsArray(v)) return false;
    for (const cJSON *c = v->child; c; c = c->next)
        if (!json_scalar(c)) return false;
    return true;
}

/* One line: scalars, lists of scalars, objects of those. */
static bool json_inline_ok(const cJSON *v) {
    if (json_scalar(v) || json_flat_list(v)) return true;
    if (!cJSON_IsObject(v)) return false;
    for (const cJSON *c = v->child; c; c = c->next)
        if (!json_scalar(c) && !json_flat_list(c)) return false;
    return true;
}

static void json_inline(sb_t *b, const cJSON *v) {
    if (json_scalar(v)) {
        json_scalar_value(b, v);
        return;
    }
    bool obj = cJSON_IsObject(v);
    ttlx_sb_putn(b, obj ? "{" : "[", 1);
    for (const cJSON *c = v->child; c; c = c->next) {
        if (obj) {
            ttlx_sb_json_string(b, c->string ? c->string : "");
            ttlx_sb_puts(b, ": ");
        }
        json_inline(b, c);
        if (c->next) ttlx_sb_puts(b, ", ");
    }
    ttlx_sb_putn(b, obj ? "}" : "]", 1);
}

/* Objects one key a line, except small flat ones (as the samples are
 * written); lists of scalars on one line. col: where v starts. */
static void json_block(sb_t *b, const cJSON *v, int base, int unit, int col);

static void json_value(sb_t *b, const cJSON *v, int depth, int col) {
    json_block(b, v, 2 * depth, 2, col);
}

/* v laid out from a line indented base spaces, unit more per level. */
static void json_block(sb_t *b, const cJSON *v, int base, int unit, int col) {
    if (json_scalar(v)) {
        json_scalar_value(b, v);
        return;
    }
    bool obj = cJSON_IsObject(v);
    if (!v->child) {
        ttlx_sb_puts(b, obj ? "{}" : "[]");
        return;
    }
    if (json_flat_list(v)) {
        json_inline(b, v);
        return;
    }
    if (json_inline_ok(v)) {
        sb_t flat = {0};
        json_inline(&flat, v);
        bool fits = !flat.failed && col + (int)flat.len <= EXPORT_LINE_WIDTH;
        if (fits) ttlx_sb_putn(b, flat.data, flat.len);
        ttlx_sb_free(&flat);
        if (fits) return;
    }
    ttlx_sb_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = v->child; c; c = c->next) {
        sb_spaces(b, base + unit);
        size_t before = b->len;
        if (obj) {
            ttlx_sb_json_string(b, c->string ? c->string : "");
            ttlx_sb_puts(b, ": ");
        }
        json_block(b, c, base + unit, unit, base + unit + (int)(b->len - before));
        ttlx_sb_puts(b, c->next ? ",\n" : "\n");
    }
    sb_spaces(b, base);
    ttlx_sb_puts(b, obj ? "}" : "]");
}

static char *json_text(const cJSON *v, size_t *len, ttlx_error_t *err) {
    sb_t b = {0};
    json_value(&b, v, 0, 0);
    ttlx_sb_putn(&b, "\n", 1);
    if (b.failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* ------------------------------------------- JSON saved over its text */

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

static size_t js_rewrite(sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n);

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
static size_t js_member_value(sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n) {
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
    json_block(b, n, ind, J->unit, col);
    return end;
}

/* js_rewrite with the members of objects o and n indexed by key. */
static size_t js_rewrite_in(sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n,
                            const keyidx_t *xo, const keyidx_t *xn);

/* Rewrites the object or list at k (old o, new n) into b; returns the
 * offset after it, or JS_FAIL (duplicate keys included). */
static size_t js_rewrite(sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n) {
    if (!cJSON_IsObject(o)) return js_rewrite_in(b, J, k, o, n, NULL, NULL);
    keyidx_t xo = {0}, xn = {0};
    size_t end = JS_FAIL;
    if (keyidx_build(&xo, o) && keyidx_build(&xn, n) && !xo.dup && !xn.dup)
        end = js_rewrite_in(b, J, k, o, n, &xo, &xn);
    keyidx_free(&xo);
    keyidx_free(&xn);
    return end;
}

static size_t js_rewrite_in(sb_t *b, const jtext_t *J, size_t k, const cJSON *o, const cJSON *n,
                            const keyidx_t *xo, const keyidx_t *xn) {
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
        json_block(b, c, ind, J->unit, col + (int)(b->len - before));
        wrote = true;
    }
    ttlx_sb_putn(b, J->t + last_end, p - last_end); /* whitespace before the close */
    ttlx_sb_putn(b, &close, 1);
    return p + 1;
}

/* The module n saved over the JSON text it was loaded from; NULL when it
 * does not fit (the caller prints the module whole). */
static char *json_splice(const cJSON *n, const char *text, size_t len, size_t *out_len) {
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
    sb_t b = {0};
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

/* ------------------------------------------------------ Python literals */

static void py_string(sb_t *b, const char *s) {
    ttlx_sb_putn(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"':
            ttlx_sb_puts(b, "\\\"");
            break;
        case '\\':
            ttlx_sb_puts(b, "\\\\");
            break;
        case '\n':
            ttlx_sb_puts(b, "\\n");
            break;
        case '\r':
            ttlx_sb_puts(b, "\\r");
            break;
        case '\t':
            ttlx_sb_puts(b, "\\t");
            break;
        default:
            if (*c < 0x20 || *c == 0x7F)
                ttlx_sb_printf(b, "\\x%02x", *c);
            else
                ttlx_sb_putn(b, (const char *)c, 1);
        }
    }
    ttlx_sb_putn(b, "\"", 1);
}

static void py_inline(sb_t *b, const cJSON *v) {
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        ttlx_sb_putn(b, obj ? "{" : "[", 1);
        for (const cJSON *c = v->child; c; c = c->next) {
            if (obj) {
                py_string(b, c->string ? c->string : "");
                ttlx_sb_puts(b, ": ");
            }
            py_inline(b, c);
            if (c->next) ttlx_sb_puts(b, ", ");
        }
        ttlx_sb_putn(b, obj ? "}" : "]", 1);
    } else if (cJSON_IsString(v)) {
        py_string(b, v->valuestring);
    } else if (cJSON_IsRaw(v)) {
        ttlx_sb_puts(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        put_number(b, v);
    } else if (cJSON_IsTrue(v)) {
        ttlx_sb_puts(b, "True");
    } else if (cJSON_IsFalse(v)) {
        ttlx_sb_puts(b, "False");
    } else {
        ttlx_sb_puts(b, "None");
    }
}

/* A Python literal starting at column col, whose continuation lines are
 * indented by indent: inline when it fits, else one item a line. */
static void py_pretty(sb_t *b, const cJSON *v, int col, int indent) {
    sb_t flat = {0};
    py_inline(&flat, v);
    if (flat.failed) {
        b->failed = true;
        ttlx_sb_free(&flat);
        return;
    }
    bool fits = col + (int)flat.len <= EXPORT_LINE_WIDTH;
    if (fits || !(cJSON_IsObject(v) || cJSON_IsArray(v)) || !v->child) {
        ttlx_sb_putn(b, flat.data ? flat.data : "", flat.len);
        ttlx_sb_free(&flat);
        return;
    }
    ttlx_sb_free(&flat);
    bool obj = cJSON_IsObject(v);
    ttlx_sb_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = v->child; c; c = c->next) {
        sb_spaces(b, indent + 4);
        int at = indent + 4;
        if (obj) {
            size_t before = b->len;
            py_string(b, c->string ? c->string : "");
            ttlx_sb_puts(b, ": ");
            at += (int)(b->len - before);
        }
        py_pretty(b, c, at, indent + 4);
        ttlx_sb_puts(b, ",\n");
    }
    sb_spaces(b, indent);
    ttlx_sb_puts(b, obj ? "}" : "]");
}

/* ----------------------------------------------------------- attributes */

/* The attributes a TVMScript function carries: tt.device and the buffer
 * roles (which the importer reads back into "device" and "role"), then
 * the function's attrs with the current hints. Caller owns. */
static cJSON *script_attrs(const ttlx_func_t *f) {
    cJSON *a = cJSON_CreateObject();
    if (!a) return NULL;
    const char *dev = ttlx_func_device_name(f);
    if (dev && !cJSON_AddStringToObject(a, "tt.device", dev)) goto oom;
    cJSON *roles = NULL;
    for (size_t i = 0; i < ttlx_func_buffer_count(f); i++) {
        const ttlx_buffer_info_t *bi = ttlx_func_buffer(f, i);
        if (!bi->role) continue;
        if (!roles && !(roles = cJSON_AddObjectToObject(a, "tt.buffer_roles"))) goto oom;
        if (!cJSON_AddStringToObject(roles, bi->name, bi->role)) goto oom;
    }
    for (const cJSON *c = ttlx_func_attrs(f)->child; c; c = c->next) {
        if (!strcmp(c->string, "tt.device") || !strcmp(c->string, "tt.buffer_roles")) continue;
        cJSON *copy = cJSON_Duplicate(c, true);
        if (!copy || !cJSON_AddItemToObject(a, c->string, copy)) {
            cJSON_Delete(copy);
            goto oom;
        }
    }
    return a;
oom:
    cJSON_Delete(a);
    return NULL;
}

static bool is_identifier(const char *s) {
    if (!s || !*s || (*s >= '0' && *s <= '9')) return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
              (*c >= '0' && *c <= '9') || *c >= 0x80))
            return false;
    return true;
}

/* ----------------------------------------------------------- TVMScript */

/* One @T.prim_func generated from the model, indented by ind spaces. */
static bool tvmscript_function(sb_t *b, const ttlx_func_t *f, int ind, ttlx_error_t *err) {
    const char *name = ttlx_func_name(f);
    if (!is_identifier(name)) {
        ttlx_error_set(err, 0, 0, "function name \"%.60s\" is not a Python identifier", name);
        return false;
    }
    sb_spaces(b, ind);
    ttlx_sb_puts(b, "@T.prim_func\n");
    sb_spaces(b, ind);
    ttlx_sb_printf(b, "def %s(", name);
    int open_col = ind + 5 + (int)strlen(name);
    for (size_t i = 0; i < ttlx_func_buffer_count(f); i++) {
        const ttlx_buffer_info_t *bi = ttlx_func_buffer(f, i);
        if (!is_identifier(bi->name)) {
            ttlx_error_set(err, 0, 0, "buffer name \"%.60s\" is not a Python identifier", bi->name);
            return false;
        }
        if (i) {
            ttlx_sb_puts(b, ",\n");
            sb_spaces(b, open_col);
        }
        ttlx_sb_printf(b, "%s: T.Buffer((", bi->name);
        for (int d = 0; d < bi->rank; d++)
            ttlx_sb_printf(b, "%s%lld", d ? ", " : "", (long long)bi->shape[d]);
        ttlx_sb_printf(b, "%s), \"%s\")", bi->rank == 1 ? "," : "", bi->dtype);
    }
    ttlx_sb_puts(b, "):\n");
    const char *desc = ttlx_func_description(f);
    if (desc && *desc) {
        sb_spaces(b, ind + 4);
        bool plain = !strstr(desc, "\"") && !strchr(desc, '\\');
        for (const unsigned char *c = (const unsigned char *)desc; *c && plain; c++)
            plain = *c >= 0x20 && *c != 0x7F;
        if (plain) /* the docstring is the description */
            ttlx_sb_printf(b, "\"\"\"%s\"\"\"\n", desc);
        else {
            py_string(b, desc);
            ttlx_sb_puts(b, "\n");
        }
    }
    cJSON *attrs = script_attrs(f);
    if (!attrs) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return false;
    }
    if (attrs->child) {
        sb_spaces(b, ind + 4);
        ttlx_sb_puts(b, "T.func_attr(");
        py_pretty(b, attrs, ind + 16, ind + 4);
        ttlx_sb_puts(b, ")\n");
    }
    cJSON_Delete(attrs);
    int64_t ext[3];
    int n = ttlx_func_kernel(f, ext);
    if (n > 0) {
        static const char *const vars[] = {"bx", "(bx, by)", "(bx, by, bz)"};
        sb_spaces(b, ind + 4);
        ttlx_sb_puts(b, "with T.Kernel(");
        for (int k = 0; k < n; k++)
            ttlx_sb_printf(b, "%s%lld", k ? ", " : "", (long long)ext[k]);
        ttlx_sb_printf(b, ") as %s:\n", vars[n - 1]);
        sb_spaces(b, ind + 8);
    } else {
        sb_spaces(b, ind + 4);
    }
    ttlx_sb_puts(b, "T.evaluate(0)\n");
    return true;
}

static char *tvmscript_generate(ttlx_module_t *mod, size_t *len, ttlx_error_t *err) {
    sb_t b = {0};
    size_t n = ttlx_module_func_count(mod);
    if (n > 1) ttlx_sb_puts(&b, "# from tvm.script import ir as I\n");
    ttlx_sb_puts(&b, "# from tvm.script import tir as T\n\n");
    if (n > 1) ttlx_sb_puts(&b, "@I.ir_module\nclass Module:\n");
    for (size_t i = 0; i < n; i++) {
        if (i) ttlx_sb_puts(&b, "\n");
        if (!tvmscript_function(&b, ttlx_module_func(mod, i), n > 1 ? 4 : 0, err)) {
            ttlx_sb_free(&b);
            return NULL;
        }
    }
    if (b.failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* The source text with each function's T.func_attr dict replaced (or a
 * T.func_attr line inserted) and every other byte kept. */
static char *tvmscript_splice(ttlx_module_t *mod, const char *src, size_t src_len, size_t *len,
                              ttlx_error_t *err) {
    ttlx_tvmscript_site_t *sites = NULL;
    size_t nsites = 0;
    ttlx_error_t perr = {0};
    if (!ttlx_tvmscript_sites(src, src_len, NULL, 0, &sites, &nsites, &perr)) {
        ttlx_error_set(err, perr.line, perr.col, "the TVMScript source no longer reads: %s",
                       perr.what);
        return NULL;
    }
    if (nsites != ttlx_module_func_count(mod)) {
        ttlx_free(sites);
        ttlx_error_set(err, 0, 0,
                       "the file no longer matches what was loaded (%zu functions, "
                       "expected %zu); reload it first",
                       nsites, ttlx_module_func_count(mod));
        return NULL;
    }
    sb_t b = {0};
    size_t at = 0;
    bool ok = true;
    for (size_t i = 0; i < nsites && ok; i++) {
        const ttlx_tvmscript_site_t *s = &sites[i];
        const ttlx_func_t *f = ttlx_module_func(mod, i);
        if (s->attr_calls > 1) {
            ttlx_error_set(err, 0, 0,
                           "function '%s' has %d T.func_attr calls; merge them into "
                           "one to export TVMScript",
                           ttlx_func_name(f), s->attr_calls);
            ok = false;
            break;
        }
        cJSON *attrs = script_attrs(f);
        if (!attrs) {
            ttlx_error_set(err, 0, 0, "out of memory");
            ok = false;
            break;
        }
        int indent = (int)s->indent_len + (s->indent_is_def ? 4 : 0);
        if (s->has_attr) {
            /* Column of the dict: where its line starts to the '{'. */
            size_t ls = s->attr_start;
            while (ls > 0 && src[ls - 1] != '\n' && src[ls - 1] != '\r')
                ls--;
            ttlx_sb_putn(&b, src + at, s->attr_start - at);
            py_pretty(&b, attrs, (int)(s->attr_start - ls), indent);
            at = s->attr_end;
        } else if (attrs->child) {
            if (s->insert_at == SIZE_MAX) {
                ttlx_error_set(err, 0, 0,
                               "function '%s' has its body on the def line; put it "
                               "on its own line to export TVMScript",
                               ttlx_func_name(f));
                ok = false;
                cJSON_Delete(attrs);
                break;
            }
            ttlx_sb_putn(&b, src + at, s->insert_at - at);
            if (s->newline_first) ttlx_sb_puts(&b, "\n");
            if (s->indent_is_def) {
                ttlx_sb_putn(&b, src + s->indent_start, s->indent_len);
                sb_spaces(&b, 4);
            } else {
                ttlx_sb_putn(&b, src + s->indent_start, s->indent_len);
            }
            ttlx_sb_puts(&b, "T.func_attr(");
            py_pretty(&b, attrs, indent + 12, indent);
            /* End the line as the file ends its lines. */
            bool crlf =
                s->insert_at >= 2 && src[s->insert_at - 1] == '\n' && src[s->insert_at - 2] == '\r';
            ttlx_sb_puts(&b, crlf ? ")\r\n" : ")\n");
            at = s->insert_at;
        }
        cJSON_Delete(attrs);
    }
    ttlx_free(sites);
    if (ok) ttlx_sb_putn(&b, src + at, src_len - at);
    if (ok && b.failed) {
        ttlx_error_set(err, 0, 0, "out of memory");
        ok = false;
    }
    if (!ok) {
        ttlx_sb_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : ttlx_calloc(1, 1);
}

/* -------------------------------------------------------------- python */

static char *python_call(ttlx_module_t *mod, size_t fi, const ttlx_device_t *dev, size_t *len,
                         ttlx_error_t *err) {
    const ttlx_func_t *f = ttlx_module_func(mod, fi);
    cJSON *hints = ttlx_func_hints_copy(f);
    if (!hints) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    sb_t b = {0};
    ttlx_sb_printf(&b, "# Layout hints for `%s` from ttlx %s (device %s).\n", ttlx_func_name(f),
                   TTLX_VERSION, dev->name);
    ttlx_sb_puts(&b, "# Paste into the TileLang program, after `func` is built:\n");
    ttlx_sb_puts(&b, "func = annotate_tt_layout(func, ");
    py_pretty(&b, hints, 32, 0);
    ttlx_sb_puts(&b, ")\n");
    cJSON_Delete(hints);
    if (b.failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* ---------------------------------------------------------------- plan */

static const char *order_name(const ttlx_layout_t *L) {
    if (L->layout != TTLX_LAYOUT_SHARDED || !L->has_shard) return "row_major";
    switch (L->order) {
    case TTLX_ORDER_COL_MAJOR:
        return "column_major";
    case TTLX_ORDER_MATCH_SHARD:
        return "match_shard";
    case TTLX_ORDER_BLOCK_LINEAR:
        return "block_linear";
    default:
        return "row_major";
    }
}

static cJSON *int_pair(int64_t a, int64_t b) {
    cJSON *v = cJSON_CreateArray();
    cJSON *x = cJSON_CreateNumber((double)a), *y = cJSON_CreateNumber((double)b);
    if (!v || !x || !y) {
        cJSON_Delete(v);
        cJSON_Delete(x);
        cJSON_Delete(y);
        return NULL;
    }
    cJSON_AddItemToArray(v, x);
    cJSON_AddItemToArray(v, y);
    return v;
}

/* Rectangles covering the partition's cores: greedy, row-major. */
static bool plan_core_ranges(cJSON *out, const ttlx_partition_t *pt) {
    int gx = pt->grid_x, gy = pt->grid_y;
    if (gx <= 0 || gy <= 0) return true;
    unsigned char *cell = ttlx_calloc((size_t)gx * (size_t)gy, 1); /* 1 used, 2 covered */
    if (!cell) return false;
    for (size_t k = 0; k < pt->ncores; k++) {
        int x = pt->cores[k].x, y = pt->cores[k].y;
        if (x >= 0 && x < gx && y >= 0 && y < gy) cell[(size_t)y * (size_t)gx + (size_t)x] = 1;
    }
    bool ok = true;
    for (int y = 0; y < gy && ok; y++) {
        for (int x = 0; x < gx && ok; x++) {
            if (cell[(size_t)y * (size_t)gx + (size_t)x] != 1) continue;
            int w = 1, h = 1;
            while (x + w < gx && cell[(size_t)y * (size_t)gx + (size_t)(x + w)] == 1)
                w++;
            for (bool grow = true; grow && y + h < gy;) {
                for (int i = 0; i < w && grow; i++)
                    grow = cell[(size_t)(y + h) * (size_t)gx + (size_t)(x + i)] == 1;
                if (grow) h++;
            }
            for (int j = 0; j < h; j++)
                memset(cell + (size_t)(y + j) * (size_t)gx + (size_t)x, 2, (size_t)w);
            cJSON *r = cJSON_CreateObject();
            cJSON *s = int_pair(x, y), *e = int_pair(w, h);
            if (!r || !s || !e) {
                cJSON_Delete(r);
                cJSON_Delete(s);
                cJSON_Delete(e);
                ok = false;
                break;
            }
            cJSON_AddItemToObjectCS(r, "start", s); /* constant keys cannot fail */
            cJSON_AddItemToObjectCS(r, "extent", e);
            cJSON_AddItemToArray(out, r);
        }
    }
    ttlx_free(cell);
    return ok;
}

static bool plan_work(cJSON *wp, const ttlx_result_t *r) {
    const ttlx_partition_t *pt = ttlx_result_partition(r);
    const char *order = "row_major";
    if (pt->local_shard && pt->leader >= 0)
        order = order_name(ttlx_result_layout(r, (size_t)pt->leader));
    for (size_t k = 0; k < pt->ncores; k++) {
        const ttlx_core_range_t *c = &pt->cores[k];
        char key[48];
        snprintf(key, sizeof key, "(%d,%d)", c->x, c->y);
        cJSON *items = cJSON_AddArrayToObject(wp, key);
        if (!items) return false;
        for (int64_t t = 0; t < c->count; t++) {
            int64_t io, jo;
            if (pt->local_shard) {
                int64_t sn = pt->local_tiles[1] > 0 ? pt->local_tiles[1] : 1;
                io = c->sy * pt->local_tiles[0] + t / sn;
                jo = c->sx * sn + t % sn;
            } else {
                int64_t nt = pt->nt > 0 ? pt->nt : 1;
                io = (c->start + t) / nt;
                jo = (c->start + t) % nt;
            }
            cJSON *w = cJSON_CreateObject();
            if (!w || !cJSON_AddNumberToObject(w, "io", (double)io) ||
                !cJSON_AddNumberToObject(w, "jo", (double)jo) ||
                !cJSON_AddStringToObject(w, "tile_order", order)) {
                cJSON_Delete(w);
                return false;
            }
            cJSON_AddItemToArray(items, w);
        }
    }
    return true;
}

static bool plan_layouts(cJSON *out, const ttlx_result_t *r) {
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        cJSON *l = cJSON_AddObjectToObject(out, L->buf->name);
        if (!l || !cJSON_AddStringToObject(l, "shard", ttlx_memory_name(L->memory)) ||
            !cJSON_AddBoolToObject(l, "interleave", L->layout == TTLX_LAYOUT_INTERLEAVED) ||
            !cJSON_AddStringToObject(l, "tile_id_order", order_name(L)) ||
            !cJSON_AddStringToObject(l, "dtype", L->dtype))
            return false;
        cJSON *ts = int_pair(L->tile_h, L->tile_w);
        if (!ts) return false;
        cJSON_AddItemToObjectCS(l, "tile_shape", ts);
        if (!cJSON_AddNumberToObject(l, "page_size", (double)L->page_bytes)) return false;
        if (L->layout == TTLX_LAYOUT_SHARDED && L->has_shard) {
            cJSON *g = int_pair(L->proj_grid[0], L->proj_grid[1]);
            cJSON *s = int_pair(L->proj_shard_tiles[0], L->proj_shard_tiles[1]);
            if (!g || !s) {
                cJSON_Delete(g);
                cJSON_Delete(s);
                return false;
            }
            cJSON_AddItemToObjectCS(l, "shard_grid", g);
            cJSON_AddItemToObjectCS(l, "shard_tiles", s);
            if (!cJSON_AddStringToObject(l, "distribution",
                                         L->dist == TTLX_DIST_ROUND_ROBIN_1D ? "round_robin_1d"
                                                                             : "grid_2d"))
                return false;
        }
    }
    return true;
}

/* tt.plan.json: the runtime plan schema of tilelang-tt (core_grid,
 * core_ranges, work_partition, layouts), versioned. */
static char *plan_text(const ttlx_result_t *r, size_t *len, ttlx_error_t *err) {
    const ttlx_partition_t *pt = ttlx_result_partition(r);
    cJSON *doc = cJSON_CreateObject();
    cJSON *grid = int_pair(pt->grid_x, pt->grid_y);
    bool ok = doc && grid && cJSON_AddNumberToObject(doc, "schema_version", 1) &&
              cJSON_AddStringToObject(doc, "func", ttlx_result_func_name(r)) &&
              cJSON_AddStringToObject(doc, "device", ttlx_result_device(r)->name) &&
              cJSON_AddItemToObject(doc, "core_grid", grid);
    if (!ok) cJSON_Delete(grid);
    cJSON *ranges = ok ? cJSON_AddArrayToObject(doc, "core_ranges") : NULL;
    ok = ok && ranges && plan_core_ranges(ranges, pt) &&
         cJSON_AddStringToObject(doc, "partition_mode", pt->local_shard ? "local_shard" : "global");
    cJSON *wp = ok ? cJSON_AddObjectToObject(doc, "work_partition") : NULL;
    ok = ok && wp && plan_work(wp, r);
    cJSON *layouts = ok ? cJSON_AddObjectToObject(doc, "layouts") : NULL;
    ok = ok && layouts && plan_layouts(layouts, r);
    char *text = ok ? json_text(doc, len, err) : NULL;
    if (!ok) ttlx_error_set(err, 0, 0, "out of memory");
    cJSON_Delete(doc);
    return text;
}

/* ----------------------------------------------------------------- SVG */

static void xml_text(sb_t *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&':
            ttlx_sb_puts(b, "&amp;");
            break;
        case '<':
            ttlx_sb_puts(b, "&lt;");
            break;
        case '>':
            ttlx_sb_puts(b, "&gt;");
            break;
        case '"':
            ttlx_sb_puts(b, "&quot;");
            break;
        case '\'':
            ttlx_sb_puts(b, "&apos;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
                ttlx_sb_putn(b, "?", 1); /* not allowed in XML 1.0 */
            else
                ttlx_sb_putn(b, s, 1);
        }
    }
}

/* A holder's colour; the label and tooltip carry the meaning too. */
static void holder_fill(sb_t *b, int holder) {
    ttlx_sb_printf(b, "hsl(%d,62%%,%d%%)", (holder * 47) % 360, 58 + (holder / 8 % 3) * 8);
}

static void human_bytes(char *buf, size_t n, int64_t v) {
    if (v >= (INT64_C(1) << 20) && v % 1024 == 0)
        snprintf(buf, n, "%.1fM", (double)v / (1024.0 * 1024.0));
    else if (v >= 1024)
        snprintf(buf, n, "%.1fK", (double)v / 1024.0);
    else
        snprintf(buf, n, "%lld", (long long)v);
}

typedef struct svg_ctx {
    sb_t *b;
    int y; /* next free row, pixels */
} svg_ctx_t;

/* Where buffer i lives: the core grid (L1) or the DRAM banks, one
 * labelled cell each. */
static void svg_holders(svg_ctx_t *c, const ttlx_result_t *r, size_t i) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    const ttlx_device_t *dev = ttlx_result_device(r);
    sb_t *b = c->b;
    const int cell = 30;
    char hb[32];
    if (L->memory == TTLX_MEM_DRAM) goto dram;
    ttlx_sb_printf(b, "<text x=\"20\" y=\"%d\" class=\"sub\">L1 of each core (%dx%d grid)</text>\n",
                   c->y + 14, dev->grid_x, dev->grid_y);
    c->y += 22;
    for (int y = 0; y < dev->grid_y; y++) {
        for (int x = 0; x < dev->grid_x; x++) {
            int64_t bytes = ttlx_result_buffer_bytes_on(r, i, x, y);
            int64_t tiles = bytes ? ttlx_place_count_on(r, i, x, y) : 0;
            int px = 20 + x * cell, py = c->y + y * cell;
            ttlx_sb_printf(
                b, "<rect class=\"core\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"", px,
                py, cell - 2, cell - 2);
            if (bytes)
                holder_fill(b, y * dev->grid_x + x);
            else
                ttlx_sb_puts(b, "#f2f2f2");
            human_bytes(hb, sizeof hb, bytes);
            ttlx_sb_printf(b, "\"><title>core (%d,%d): %lld tiles, %lld bytes</title></rect>\n", x,
                           y, (long long)tiles, (long long)bytes);
            if (bytes)
                ttlx_sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"cell\">%s</text>\n", px + 14,
                               py + 18, hb);
        }
    }
    c->y += dev->grid_y * cell + 8;
    return;
dram:
    ttlx_sb_printf(b, "<text x=\"20\" y=\"%d\" class=\"sub\">DRAM banks (%d)</text>\n", c->y + 14,
                   dev->dram_banks);
    c->y += 22;
    for (int k = 0; k < dev->dram_banks; k++) {
        int64_t bytes = ttlx_result_buffer_bytes_on(r, i, k, -1);
        int px = 20 + k * (cell + 8);
        ttlx_sb_printf(b,
                       "<rect class=\"bank\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"",
                       px, c->y, cell + 6, cell - 2);
        if (bytes)
            holder_fill(b, k);
        else
            ttlx_sb_puts(b, "#f2f2f2");
        human_bytes(hb, sizeof hb, bytes);
        ttlx_sb_printf(b, "\"><title>DRAM bank %d: %lld bytes</title></rect>\n", k,
                       (long long)bytes);
        ttlx_sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"cell\">b%d</text>\n", px + 18, c->y + 18,
                       k);
    }
    c->y += cell + 8;
}

/* The tile grid of buffer i: one cell per tile, or per block of tiles
 * when the tensor is larger than SVG_MAX_TILE_CELLS a side. */
static void svg_tiles(svg_ctx_t *c, const ttlx_result_t *r, size_t i) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    const ttlx_device_t *dev = ttlx_result_device(r);
    sb_t *b = c->b;
    int64_t rows = L->view_rows, cols = L->view_cols;
    int64_t sr =
        rows > SVG_MAX_TILE_CELLS ? (rows + SVG_MAX_TILE_CELLS - 1) / SVG_MAX_TILE_CELLS : 1;
    int64_t sc =
        cols > SVG_MAX_TILE_CELLS ? (cols + SVG_MAX_TILE_CELLS - 1) / SVG_MAX_TILE_CELLS : 1;
    int64_t nr = (rows + sr - 1) / sr, nc = (cols + sc - 1) / sc;
    int cell = nc > 32 ? 8 : 14;
    ttlx_sb_printf(b, "<text x=\"20\" y=\"%d\" class=\"sub\">Tiles (%lld x %lld of %dx%d",
                   c->y + 14, (long long)rows, (long long)cols, L->tile_h, L->tile_w);
    if (sr > 1 || sc > 1)
        ttlx_sb_printf(b, "; each cell is %lld x %lld tiles", (long long)sr, (long long)sc);
    ttlx_sb_puts(b, ")</text>\n");
    c->y += 22;
    for (int64_t gr = 0; gr < nr; gr++) {
        for (int64_t gc = 0; gc < nc; gc++) {
            int64_t row = gr * sr, col = gc * sc;
            int64_t last_r = row + sr - 1 < rows ? row + sr - 1 : rows - 1;
            int64_t last_c = col + sc - 1 < cols ? col + sc - 1 : cols - 1;
            ttlx_place_t pl, pl_last;
            bool placed = ttlx_place_tile(r, i, row, col, &pl);
            bool pad = placed && (pl.padding || (ttlx_place_tile(r, i, last_r, last_c, &pl_last) &&
                                                 pl_last.padding));
            long long px = 20 + gc * cell, py = c->y + gr * cell;
            ttlx_sb_printf(
                b, "<rect class=\"tile\" x=\"%lld\" y=\"%lld\" width=\"%d\" height=\"%d\" fill=\"",
                px, py, cell - 1, cell - 1);
            if (!placed)
                ttlx_sb_puts(b, "#d0d0d0");
            else if (pl.dram)
                holder_fill(b, pl.bank);
            else
                holder_fill(b, pl.y * dev->grid_x + pl.x);
            ttlx_sb_puts(b, "\"");
            if (pad) ttlx_sb_puts(b, " stroke=\"#000\" stroke-dasharray=\"2,1\"");
            ttlx_sb_printf(b, "><title>tile (%lld,%lld)", (long long)row, (long long)col);
            if (!placed)
                ttlx_sb_puts(b, ": no placement");
            else if (pl.dram)
                ttlx_sb_printf(b, ": DRAM bank %d, page %lld", pl.bank, (long long)pl.slot);
            else
                ttlx_sb_printf(b, ": core (%d,%d)", pl.x, pl.y);
            if (placed && pl.shard >= 0) ttlx_sb_printf(b, ", shard %lld", (long long)pl.shard);
            if (pad) ttlx_sb_puts(b, ", padding");
            ttlx_sb_puts(b, "</title></rect>\n");
        }
    }
    c->y += (int)nr * cell + 8;
}

static void svg_legend(svg_ctx_t *c) {
    sb_t *b = c->b;
    ttlx_sb_printf(b, "<g class=\"legend\" transform=\"translate(20,%d)\">\n", c->y);
    ttlx_sb_puts(
        b, "<text x=\"0\" y=\"12\" class=\"sub\">Legend</text>\n"
           "<rect x=\"0\" y=\"20\" width=\"14\" height=\"14\" fill=\"hsl(47,62%,58%)\"/>"
           "<text x=\"20\" y=\"32\">coloured: held by that core or bank (label and tooltip "
           "name it)</text>\n"
           "<rect x=\"0\" y=\"40\" width=\"14\" height=\"14\" fill=\"#f2f2f2\" stroke=\"#999\"/>"
           "<text x=\"20\" y=\"52\">light: holds nothing of this buffer</text>\n"
           "<rect x=\"0\" y=\"60\" width=\"14\" height=\"14\" fill=\"hsl(94,62%,58%)\" "
           "stroke=\"#000\" stroke-dasharray=\"2,1\"/>"
           "<text x=\"20\" y=\"72\">dashed outline: tile holds padding</text>\n"
           "<rect x=\"0\" y=\"80\" width=\"14\" height=\"14\" fill=\"#d0d0d0\"/>"
           "<text x=\"20\" y=\"92\">grey: no placement (see the diagnostics)</text>\n"
           "</g>\n");
    c->y += 104;
}

static char *svg_text(const ttlx_result_t *r, size_t *len, ttlx_error_t *err) {
    const ttlx_device_t *dev = ttlx_result_device(r);
    sb_t body = {0};
    svg_ctx_t c = {&body, 0};
    ttlx_sb_puts(&body, "<text x=\"20\" y=\"28\" class=\"title\">");
    xml_text(&body, ttlx_result_func_name(r));
    ttlx_sb_puts(&body, " on ");
    xml_text(&body, dev->name);
    ttlx_sb_puts(&body, "</text>\n");
    c.y = 44;
    int width = 40 + dev->grid_x * 30;
    if (40 + dev->dram_banks * 38 > width) width = 40 + dev->dram_banks * 38;
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        ttlx_sb_printf(&body, "<g class=\"buffer\" id=\"buffer-%zu\">\n", i);
        ttlx_sb_printf(&body, "<text x=\"20\" y=\"%d\" class=\"head\">", c.y + 16);
        xml_text(&body, L->buf->name);
        ttlx_sb_puts(&body, " [");
        for (int d = 0; d < L->buf->rank; d++)
            ttlx_sb_printf(&body, "%s%lld", d ? ", " : "", (long long)L->buf->shape[d]);
        ttlx_sb_printf(&body, "] %s, %s %s", L->dtype, ttlx_memory_name(L->memory),
                       ttlx_layout_kind_name(L->layout));
        ttlx_sb_puts(&body, "</text>\n");
        c.y += 26;
        svg_holders(&c, r, i);
        int64_t nc = L->view_cols > SVG_MAX_TILE_CELLS ? SVG_MAX_TILE_CELLS : L->view_cols;
        int tw = 40 + (int)nc * (nc > 32 ? 8 : 14);
        if (tw > width) width = tw;
        svg_tiles(&c, r, i);
        ttlx_sb_puts(&body, "</g>\n");
        c.y += 10;
    }
    svg_legend(&c);
    if (width < 560) width = 560;
    sb_t b = {0};
    ttlx_sb_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                   width, c.y, width, c.y);
    ttlx_sb_puts(
        &b, "<style>.title{font-size:18px;font-weight:bold}.head{font-size:14px;"
            "font-weight:bold}.sub{fill:#444}.cell{font-size:9px;text-anchor:middle}</style>\n");
    ttlx_sb_printf(&b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
                   width, c.y);
    if (body.data) ttlx_sb_putn(&b, body.data, body.len);
    ttlx_sb_puts(&b, "</svg>\n");
    bool failed = b.failed || body.failed;
    ttlx_sb_free(&body);
    if (failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* -------------------------------------------------------------- public */

static const char *const format_names[] = {"json", "python", "tvmscript", "plan", "svg"};

bool ttlx_export_format_parse(const char *name, ttlx_export_format_t *out) {
    if (!name) return false;
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, format_names[i])) {
            *out = (ttlx_export_format_t)i;
            return true;
        }
    if (!strcmp(name, "py"))
        *out = TTLX_EXPORT_PYTHON;
    else if (!strcmp(name, "tvm"))
        *out = TTLX_EXPORT_TVMSCRIPT;
    else if (!strcmp(name, "tt.plan.json"))
        *out = TTLX_EXPORT_PLAN;
    else
        return false;
    return true;
}

const char *ttlx_export_format_name(ttlx_export_format_t fmt) {
    return (unsigned)fmt < 5 ? format_names[fmt] : "?";
}

char *ttlx_export_render(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                         ttlx_export_format_t fmt, const char *source, size_t source_len,
                         size_t *len_out, ttlx_error_t *err) {
    size_t len = 0;
    char *text = NULL;
    if (func_index >= ttlx_module_func_count(mod)) {
        ttlx_error_set(err, 0, 0, "no function %zu in the module", func_index);
        return NULL;
    }
    if (!dev) dev = ttlx_device_default();
    switch (fmt) {
    case TTLX_EXPORT_JSON: {
        const cJSON *doc = ttlx_module_json(mod);
        text = source ? json_splice(doc, source, source_len, &len) : NULL;
        if (!text) text = json_text(doc, &len, err);
        break;
    }
    case TTLX_EXPORT_PYTHON:
        text = python_call(mod, func_index, dev, &len, err);
        break;
    case TTLX_EXPORT_TVMSCRIPT:
        if (source && !strcmp(ttlx_module_format(mod), "tvmscript"))
            text = tvmscript_splice(mod, source, source_len, &len, err);
        else
            text = tvmscript_generate(mod, &len, err);
        break;
    case TTLX_EXPORT_PLAN:
    case TTLX_EXPORT_SVG: {
        ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, func_index), dev, err);
        if (!r) return NULL;
        text = fmt == TTLX_EXPORT_PLAN ? plan_text(r, &len, err) : svg_text(r, &len, err);
        ttlx_result_free(r);
        break;
    }
    default:
        ttlx_error_set(err, 0, 0, "unknown export format");
        return NULL;
    }
    if (text && len_out) *len_out = len;
    return text;
}

bool ttlx_export_write_atomic(const char *path, const char *data, size_t len, ttlx_error_t *err) {
    char msg[sizeof err->what];
    if (ttlx_atomic_write(path, data, len, msg, sizeof msg)) return true;
    ttlx_error_set(err, 0, 0, "%s", msg);
    return false;
}

static char *read_all(const char *path, size_t *len, ttlx_error_t *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        ttlx_error_set(err, 0, 0, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    sb_t b = {0};
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        ttlx_sb_putn(&b, buf, got);
    bool bad = ferror(f) || b.failed;
    fclose(f);
    if (bad) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "cannot read %s", path);
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : ttlx_calloc(1, 1);
}

bool ttlx_export_to_file(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                         ttlx_export_format_t fmt, const char *source_path, const char *out_path,
                         ttlx_error_t *err) {
    char *source = NULL;
    size_t source_len = 0;
    if (fmt == TTLX_EXPORT_TVMSCRIPT && source_path &&
        !strcmp(ttlx_module_format(mod), "tvmscript")) {
        source = read_all(source_path, &source_len, err);
        if (!source) return false;
    }
    size_t len = 0;
    char *text = ttlx_export_render(mod, func_index, dev, fmt, source, source_len, &len, err);
    ttlx_free(source);
    if (!text) return false;
    bool ok;
    if (!out_path || !strcmp(out_path, "-")) {
        ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
        if (!ok) ttlx_error_set(err, 0, 0, "cannot write to standard output");
    } else {
        ok = ttlx_export_write_atomic(out_path, text, len, err);
    }
    ttlx_free(text);
    return ok;
}

bool ttlx_export_save_json(ttlx_module_t *mod, const char *source_path, const char *out_path,
                           ttlx_error_t *err) {
    char *source = NULL;
    size_t source_len = 0;
    if (source_path && !strcmp(ttlx_module_format(mod), "json")) {
        ttlx_error_t ignored = {0};
        source = read_all(source_path, &source_len, &ignored); /* gone: print whole */
    }
    size_t len = 0;
    char *text = ttlx_export_render(mod, 0, NULL, TTLX_EXPORT_JSON, source, source_len, &len, err);
    ttlx_free(source);
    if (!text) return false;
    bool ok = ttlx_export_write_atomic(out_path, text, len, err);
    ttlx_free(text);
    return ok;
}
