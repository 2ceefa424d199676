/*
 * ttlx_load.c - loading a module: picks the format (TVMScript by extension
 * or leading text, else JSON), checks the text (UTF-8, NUL bytes, escaped
 * NULs), parses JSON with messages that point at the line and column, and
 * builds the model from the SPEC 1.1 document (SPEC 1.1, 1.3), locating a
 * bad value in the text through the JSON pointer recorded while building.
 * TVMScript goes through ttlx_tvmscript.h into the same SPEC 1.1 builder.
 */
#include "ttlx_load.h"
#include "ttlx_near.h"
#include "ttlx_func_internal.h"
#include "ttlx_internal.h"
#include "ttlx_tvmscript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------- format detection */

static bool ends_with_ci(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m) return false;
    for (size_t i = 0; i < m; i++) {
        char a = s[n - m + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
        if (a != b) return false;
    }
    return true;
}

static bool starts_with(const char *s, size_t n, const char *prefix) {
    size_t m = strlen(prefix);
    return n >= m && memcmp(s, prefix, m) == 0;
}

bool ttlx_load_is_tvmscript(const char *path, const char *text, size_t len) {
    if (path && (ends_with_ci(path, ".py") || ends_with_ci(path, ".tvm"))) return true;
    if (!text) return false;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) i = 3;
    for (;;) {
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                           text[i] == '\r' || text[i] == '\f' || text[i] == '\v'))
            i++;
        const char *s = text + i;
        size_t n = len - i;
        if (starts_with(s, n, "@T.prim_func") || starts_with(s, n, "@I.ir_module") ||
            starts_with(s, n, "from tvm") || starts_with(s, n, "import tvm") ||
            starts_with(s, n, "from tilelang") || starts_with(s, n, "import tilelang"))
            return true;
        if (!starts_with(s, n, "#")) return false;
        size_t k = 1;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (starts_with(s + k, n - k, "from tvm.script")) return true;
        /* Another comment line: JSON has none, so look further. */
        while (i < len && text[i] != '\n' && text[i] != '\r')
            i++;
    }
}

/* ------------------------------------------ SPEC 1.1 document -> module */

static const char *const roles[] = {"input", "output", "weight"};

/* Loader state: the error and the parts of a JSON pointer
 * ("/functions/0/buffers/1/shape/0") to the value it concerns, so the text
 * position can be found afterwards. Parts are recorded as they are visited
 * and formatted only when an error is reported. */
typedef struct loader {
    ttlx_error_t *err;
    int fi, bi, idx; /* -1 when absent */
    bool ir;
    const char *key; /* NULL when absent; "functions" alone for the list */
} loader_t;

static inline void at(loader_t *L, int fi, bool ir, int bi, const char *key, int idx) {
    L->fi = fi;
    L->ir = ir;
    L->bi = bi;
    L->key = key;
    L->idx = idx;
}

static void pointer_text(const loader_t *L, char *buf, size_t size) {
    int k = 0, n = (int)size;
    buf[0] = '\0';
    if (L->ir) k += snprintf(buf + k, (size_t)(n - k), "/functions/%d", L->fi);
    if (L->bi >= 0 && k < n) k += snprintf(buf + k, (size_t)(n - k), "/buffers/%d", L->bi);
    if (L->key && k < n) k += snprintf(buf + k, (size_t)(n - k), "/%s", L->key);
    if (L->idx >= 0 && k < n) snprintf(buf + k, (size_t)(n - k), "/%d", L->idx);
}

static void where(char *buf, size_t n, int fi, bool ir, int bi, const char *bname) {
    int k = 0;
    if (ir) k = snprintf(buf, n, "functions[%d]", fi);
    if (bi >= 0 && k >= 0 && (size_t)k < n)
        k += snprintf(buf + k, n - (size_t)k, "%sbuffers[%d]%s%s%s", ir ? "." : "", bi,
                      bname ? " \"" : "", bname ? bname : "", bname ? "\"" : "");
    if (k == 0 && n) snprintf(buf, n, "the PrimFunc");
}

/* The human-readable place of an error, built only when one is reported. */
static const char *here_of(char *buf, size_t n, int fi, bool ir, int bi, const char *bname) {
    where(buf, n, fi, ir, bi, bname);
    return buf;
}
#define HERE(bi_, name_) here_of(here, sizeof here, fi, ir, (bi_), (name_))

static bool load_buffer(ttlx_buffer_info_t *b, const cJSON *item, int fi, bool ir, int bi,
                        loader_t *L) {
    ttlx_error_t *err = L->err;
    char here[160];
    const char *bname = NULL;
    at(L, fi, ir, bi, NULL, -1);
    if (!cJSON_IsObject(item)) {
        ttlx_error_set(err, 0, 0, "%s: a buffer must be an object with name, shape and dtype",
                       HERE(bi, bname));
        return false;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
    if (name) at(L, fi, ir, bi, "name", -1);
    if (!cJSON_IsString(name) || !name->valuestring[0]) {
        ttlx_error_set(err, 0, 0, "%s: \"name\" must be a non-empty string", HERE(bi, bname));
        return false;
    }
    if (strlen(name->valuestring) > 255) {
        ttlx_error_set(err, 0, 0, "%s: \"name\" is longer than 255 characters", HERE(bi, bname));
        return false;
    }
    b->name = name->valuestring;
    bname = b->name;
    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(item, "shape");
    at(L, fi, ir, bi, shape ? "shape" : NULL, -1);
    int rank = cJSON_IsArray(shape) ? cJSON_GetArraySize(shape) : -1;
    if (rank < 1 || rank > TTLX_MAX_RANK) {
        ttlx_error_set(err, 0, 0, "%s: \"shape\" must be a list of 1 to %d positive integers",
                       HERE(bi, bname), TTLX_MAX_RANK);
        return false;
    }
    b->rank = rank;
    b->elems = 1;
    int d = 0;
    for (const cJSON *v = shape->child; v; v = v->next, d++) {
        at(L, fi, ir, bi, "shape", d);
        if (!ttlx_json_int(v, 1, &b->shape[d])) {
            ttlx_error_set(err, 0, 0, "%s: shape[%d] must be a positive integer below 2^53, not %s",
                           HERE(bi, bname), d, cJSON_IsNumber(v) ? "that number" : "a non-number");
            return false;
        }
        if (!ttlx_mul64(b->elems, b->shape[d], &b->elems)) {
            ttlx_error_set(err, 0, 0,
                           "%s: the shape has more than 2^63 elements (the product overflows)",
                           HERE(bi, bname));
            return false;
        }
    }
    const cJSON *dtype = cJSON_GetObjectItemCaseSensitive(item, "dtype");
    at(L, fi, ir, bi, dtype ? "dtype" : NULL, -1);
    if (!cJSON_IsString(dtype)) {
        ttlx_error_set(err, 0, 0, "%s: \"dtype\" must be a string such as \"bfloat16\"",
                       HERE(bi, bname));
        return false;
    }
    b->dtype = ttlx_dtype_canonical(dtype->valuestring);
    /* A dtype tt-metal cannot store still loads: inference gives the buffer
     * TTL016 and no placement, and the rest of the function infers. */
    if (!b->dtype && ttlx_dtype_nearest_format(dtype->valuestring)) b->dtype = dtype->valuestring;
    if (!b->dtype) {
        const char *const *names = ttlx_dtype_names();
        size_t n = 0;
        while (names[n])
            n++;
        const char *near = ttlx_near(dtype->valuestring, names, n);
        ttlx_error_set(err, 0, 0, "%s: unknown dtype \"%.60s\"%s%s%s", HERE(bi, bname),
                       dtype->valuestring, near ? " (did you mean \"" : "", near ? near : "",
                       near ? "\"?)" : "");
        return false;
    }
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(item, "role");
    b->role = NULL;
    if (role) {
        at(L, fi, ir, bi, "role", -1);
        for (size_t k = 0; cJSON_IsString(role) && k < 3; k++)
            if (!strcmp(role->valuestring, roles[k])) b->role = roles[k];
        if (!b->role) {
            ttlx_error_set(err, 0, 0, "%s: \"role\" must be \"input\", \"output\" or \"weight\"",
                           HERE(bi, bname));
            return false;
        }
    }
    return true;
}

static bool load_func(ttlx_func_t *f, cJSON *obj, int fi, bool ir, loader_t *L) {
    ttlx_error_t *err = L->err;
    char here[160];
    at(L, fi, ir, -1, NULL, -1);
    f->obj = obj;
    if (!cJSON_IsObject(obj)) {
        ttlx_error_set(err, 0, 0, "%s: a PrimFunc must be a JSON object", HERE(-1, NULL));
        return false;
    }
    /* Repeated keys: the last value, at every level (TTL011 says so). */
    if (!ttlx_dupkeys_take(f, obj, true)) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return false;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (name) at(L, fi, ir, -1, "name", -1);
    if (!cJSON_IsString(name) || !name->valuestring[0]) {
        ttlx_error_set(err, 0, 0, "%s: \"name\" (a non-empty string) is required", HERE(-1, NULL));
        return false;
    }
    f->name = name->valuestring;
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(obj, "description");
    f->description = cJSON_IsString(desc) ? desc->valuestring : "";
    const cJSON *bufs = cJSON_GetObjectItemCaseSensitive(obj, "buffers");
    at(L, fi, ir, -1, bufs ? "buffers" : NULL, -1);
    if (!cJSON_IsArray(bufs)) {
        ttlx_error_set(err, 0, 0, "%s: \"buffers\" (a list of buffer objects) is required",
                       HERE(-1, NULL));
        return false;
    }
    /* Grown while loading: counting first would walk 10,000 cold nodes. */
    size_t n = 0, ncap = 0;
    int bi = 0;
    for (const cJSON *b = bufs->child; b; b = b->next, bi++) {
        if (n == ncap) {
            ttlx_buffer_info_t *grown = ttlx_grow(f->bufs, &ncap, n + 1, sizeof *grown);
            if (!grown) {
                ttlx_error_set(err, 0, 0, "out of memory");
                return false;
            }
            f->bufs = grown;
        }
        memset(&f->bufs[bi], 0, sizeof f->bufs[bi]); /* only the entries used */
        if (!load_buffer(&f->bufs[bi], b, fi, ir, bi, L)) return false;
        f->nbufs = ++n;
    }
    if (!f->bufs && !(f->bufs = ttlx_calloc(1, sizeof *f->bufs))) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return false;
    }
    /* Unique names, through the name index kept for lookups. */
    int dup = ttlx_func_index_build(f);
    if (dup == -2) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return false;
    }
    if (dup >= 0) {
        at(L, fi, ir, dup, "name", -1);
        int first = ttlx_func_find_buffer(f, f->bufs[dup].name);
        if (first >= 0 && strcmp(f->bufs[first].name, f->bufs[dup].name))
            ttlx_error_set(err, 0, 0,
                           "%s: duplicate buffer name: \"%.60s\" and \"%.60s\" are one name in "
                           "Python (NFKC); names must be unique",
                           HERE(dup, f->bufs[dup].name), f->bufs[first].name, f->bufs[dup].name);
        else
            ttlx_error_set(err, 0, 0, "%s: duplicate buffer name (names must be unique)",
                           HERE(dup, f->bufs[dup].name));
        return false;
    }
    const cJSON *kernel = cJSON_GetObjectItemCaseSensitive(obj, "kernel");
    if (kernel) {
        at(L, fi, ir, -1, "kernel", -1);
        int kn = cJSON_IsArray(kernel) ? cJSON_GetArraySize(kernel) : -1;
        if (kn < 1 || kn > 3) {
            ttlx_error_set(err, 0, 0, "%s: \"kernel\" must be [x], [x, y] or [x, y, z]",
                           HERE(-1, NULL));
            return false;
        }
        int k = 0;
        for (const cJSON *v = kernel->child; v; v = v->next, k++) {
            at(L, fi, ir, -1, "kernel", k);
            if (!ttlx_json_int(v, 1, &f->kernel[k]) || f->kernel[k] > INT64_C(1) << 31) {
                ttlx_error_set(err, 0, 0, "%s: kernel[%d] must be a positive integer up to 2^31",
                               HERE(-1, NULL), k);
                return false;
            }
        }
        f->nkernel = kn;
    }
    const cJSON *device = cJSON_GetObjectItemCaseSensitive(obj, "device");
    if (device) at(L, fi, ir, -1, "device", -1);
    if (device && !cJSON_IsString(device)) {
        ttlx_error_set(err, 0, 0, "%s: \"device\" must be a device name string", HERE(-1, NULL));
        return false;
    }
    f->device = device ? device->valuestring : NULL;
    cJSON *attrs = cJSON_GetObjectItemCaseSensitive(obj, "attrs");
    if (attrs) at(L, fi, ir, -1, "attrs", -1);
    if (attrs && !cJSON_IsObject(attrs)) {
        ttlx_error_set(err, 0, 0, "%s: \"attrs\" must be an object", HERE(-1, NULL));
        return false;
    }
    if (!attrs) {
        attrs = cJSON_AddObjectToObject(obj, "attrs");
        if (!attrs) {
            ttlx_error_set(err, 0, 0, "out of memory");
            return false;
        }
    }
    f->attrs = attrs;
    return true;
}

static ttlx_module_t *from_json(cJSON *doc, loader_t *L) {
    ttlx_error_t *err = L->err;
    at(L, 0, false, -1, NULL, -1);
    ttlx_module_t *mod = ttlx_calloc(1, sizeof *mod);
    if (!mod) {
        cJSON_Delete(doc);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    mod->doc = doc;
    mod->format = "json";
    if (!cJSON_IsObject(doc)) {
        ttlx_error_set(err, 0, 0, "expected a PrimFunc object or {\"functions\": [...]}");
        ttlx_module_free(mod);
        return NULL;
    }
    /* An IRModule's own repeated keys ("functions" twice): the last, as
     * everywhere (a PrimFunc's are found by load_func). */
    ttlx_func_t top = {0};
    if (cJSON_GetObjectItemCaseSensitive(doc, "functions") &&
        !ttlx_dupkeys_take(&top, doc, false)) {
        ttlx_dupkeys_free(&top);
        ttlx_error_set(err, 0, 0, "out of memory");
        ttlx_module_free(mod);
        return NULL;
    }
    cJSON *fns = cJSON_GetObjectItemCaseSensitive(doc, "functions");
    size_t n = 1;
    if (fns) {
        at(L, 0, false, -1, "functions", -1);
        if (!cJSON_IsArray(fns) || cJSON_GetArraySize(fns) < 1) {
            ttlx_error_set(err, 0, 0, "\"functions\" must be a non-empty list of PrimFuncs");
            ttlx_dupkeys_free(&top);
            ttlx_module_free(mod);
            return NULL;
        }
        mod->ir_module = true;
        n = (size_t)cJSON_GetArraySize(fns);
    }
    mod->funcs = ttlx_calloc(n, sizeof *mod->funcs);
    if (!mod->funcs) {
        ttlx_dupkeys_free(&top);
        ttlx_error_set(err, 0, 0, "out of memory");
        ttlx_module_free(mod);
        return NULL;
    }
    cJSON *obj = fns ? fns->child : doc;
    for (size_t k = 0; k < n; k++, obj = obj ? obj->next : NULL) {
        mod->nfuncs++; /* counted before loading so free releases partial work */
        if (!load_func(&mod->funcs[k], obj, (int)k, mod->ir_module, L)) {
            ttlx_dupkeys_free(&top);
            ttlx_module_free(mod);
            return NULL;
        }
    }
    ttlx_dupkeys_move(&mod->funcs[0], &top); /* shown with the first function */
    return mod;
}

ttlx_module_t *ttlx_module_from_json(cJSON *doc, ttlx_error_t *err) {
    loader_t L = {err, 0, -1, -1, false, NULL};
    return from_json(doc, &L);
}

/* -------------------------------- JSON text: checks and error positions */

/* Skips one JSON value of already-valid text from p; returns the end. */
static size_t skip_value(const char *t, size_t len, size_t p) {
    size_t depth = 0;
    do {
        while (p < len && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r' ||
                           t[p] == ',' || t[p] == ':'))
            p++;
        if (p >= len) return len;
        char c = t[p];
        if (c == '"') {
            p++;
            while (p < len && t[p] != '"')
                p += t[p] == '\\' ? 2 : 1;
            p++;
        } else if (c == '[' || c == '{') {
            depth++;
            p++;
        } else if (c == ']' || c == '}') {
            depth--;
            p++;
        } else {
            while (p < len && !strchr(" \t\r\n,]}:", t[p]))
                p++;
        }
    } while (depth > 0 && p < len);
    return p;
}

static size_t skip_ws(const char *t, size_t len, size_t p) {
    while (p < len && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
        p++;
    return p;
}

/* Byte offset of the value a JSON pointer names in valid text (the last
 * member of a repeated key: the one the loader keeps), or the closest
 * parent. */
static size_t locate(const char *t, size_t len, const char *ptr) {
    size_t p = skip_ws(t, len, 0);
    while (*ptr == '/' && p < len) {
        const char *seg = ++ptr;
        size_t n = strcspn(seg, "/");
        ptr += n;
        if (t[p] == '[') {
            long idx = strtol(seg, NULL, 10);
            p = skip_ws(t, len, p + 1);
            for (long k = 0; k < idx && p < len && t[p] != ']'; k++) {
                p = skip_value(t, len, p);
                p = skip_ws(t, len, p);
                if (p < len && t[p] == ',') p = skip_ws(t, len, p + 1);
            }
        } else if (t[p] == '{') {
            size_t obj = p, last = 0;
            p = skip_ws(t, len, p + 1);
            bool found = false;
            while (p < len && t[p] == '"') {
                size_t k0 = p + 1;
                size_t k1 = k0;
                while (k1 < len && t[k1] != '"')
                    k1 += t[k1] == '\\' ? 2 : 1;
                p = skip_ws(t, len, k1 + 1);
                if (p < len && t[p] == ':') p = skip_ws(t, len, p + 1);
                if (k1 - k0 == n && !memcmp(t + k0, seg, n)) {
                    found = true;
                    last = p;
                }
                p = skip_ws(t, len, skip_value(t, len, p));
                if (p < len && t[p] == ',') p = skip_ws(t, len, p + 1);
            }
            if (!found) return obj;
            p = last;
        } else {
            break;
        }
    }
    return p < len ? p : len;
}

/* The next "\\u0000" in [p, end), or NULL. */
static const char *find_escaped_nul(const char *p, const char *end) {
    while (p < end) {
        const char *q = memchr(p, '\\', (size_t)(end - p));
        if (!q) return NULL;
        if (end - q >= 6 && !memcmp(q, "\\u0000", 6)) return q;
        p = q + 1;
    }
    return NULL;
}

/* Finds the innermost bracket or string still open at the end of text. */
static bool unclosed(const char *text, size_t len, size_t *at, char *ch) {
    size_t stack[256];
    size_t depth = 0, overflow = 0;
    for (size_t k = 0; k < len; k++) {
        char c = text[k];
        if (c == '"') {
            size_t start = k++;
            while (k < len && text[k] != '"')
                k += text[k] == '\\' ? 2 : 1;
            if (k >= len) {
                *at = start;
                *ch = '"';
                return true;
            }
        } else if (c == '[' || c == '{') {
            if (depth < 256)
                stack[depth++] = k;
            else
                overflow++;
        } else if (c == ']' || c == '}') {
            if (overflow)
                overflow--;
            else if (depth)
                depth--;
        }
    }
    if (!depth || overflow) return false;
    *at = stack[depth - 1];
    *ch = text[*at];
    return true;
}

/* Deepest bracket nesting of text[0, len), strings skipped: up to where
 * cJSON stopped, so that a run of '{' (which cannot nest) is not called
 * too deep. */
static size_t json_depth(const char *text, size_t len) {
    size_t depth = 0, max = 0;
    for (size_t k = 0; k < len; k++) {
        char c = text[k];
        if (c == '"') {
            for (k++; k < len && text[k] != '"'; k++)
                if (text[k] == '\\') k++;
        } else if (c == '[' || c == '{') {
            if (++depth > max) max = depth;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return max;
}

/* Offset of the first byte that is not well-formed UTF-8 (overlong forms,
 * surrogates, code points past U+10FFFF and cut sequences included), or
 * len when the text is valid. */
static size_t utf8_invalid_at(const char *text, size_t len) {
    const unsigned char *t = (const unsigned char *)text;
    size_t k = 0;
    while (k < len) {
        /* ASCII runs, eight bytes at a time. */
        if (k + 8 <= len) {
            uint64_t w;
            memcpy(&w, t + k, 8);
            if (!(w & 0x8080808080808080ULL)) {
                k += 8;
                continue;
            }
        }
        unsigned c = t[k];
        if (c < 0x80) {
            k++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            n = 1;
        else if (c == 0xe0)
            n = 2, lo = 0xa0;
        else if (c == 0xed)
            n = 2, hi = 0x9f;
        else if (c >= 0xe1 && c <= 0xef)
            n = 2;
        else if (c == 0xf0)
            n = 3, lo = 0x90;
        else if (c == 0xf4)
            n = 3, hi = 0x8f;
        else if (c >= 0xf1 && c <= 0xf3)
            n = 3;
        else
            return k;
        if (len - k <= n) return k;
        if (t[k + 1] < lo || t[k + 1] > hi) return k;
        for (size_t j = 2; j <= n; j++)
            if (t[k + j] < 0x80 || t[k + j] > 0xbf) return k;
        k += n + 1;
    }
    return len;
}

/* --------------------------------------------------------- entry points */

ttlx_module_t *ttlx_module_load_string(const char *text, size_t len, const char *path,
                                       const ttlx_binding_t *binds, size_t nbinds,
                                       ttlx_error_t *err) {
    size_t bad = utf8_invalid_at(text, len);
    if (bad < len && !memchr(text, '\0', bad)) {
        int line, col;
        ttlx_position_of(text, bad, &line, &col);
        ttlx_error_set(err, line, col, "invalid UTF-8 byte 0x%02X (the input must be UTF-8 text)",
                       (unsigned char)text[bad]);
        return NULL;
    }
    if (ttlx_load_is_tvmscript(path, text, len)) {
        cJSON *doc = ttlx_tvmscript_to_json(text, len, binds, nbinds, err);
        if (!doc) return NULL;
        loader_t L = {err, 0, -1, -1, false, NULL};
        ttlx_module_t *mod = from_json(doc, &L);
        if (mod) mod->format = "tvmscript";
        return mod;
    }
    if (memchr(text, '\0', len)) {
        int line, col;
        ttlx_position_of(text, (size_t)((const char *)memchr(text, '\0', len) - text), &line, &col);
        ttlx_error_set(err, line, col, "NUL byte in the input (not a text file?)");
        return NULL;
    }
    size_t k = 0;
    while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r'))
        k++;
    if (k == len) {
        ttlx_error_set(err, 0, 0, "empty input: expected a PrimFunc JSON object");
        return NULL;
    }
    /* cJSON keeps strings NUL-terminated: an escaped NUL would silently cut
     * a name or value short, so it is refused where it stands. */
    for (const char *p = text; (p = find_escaped_nul(p, text + len)) != NULL; p++) {
        size_t slashes = 0;
        while (p - slashes > text && p[-1 - (ptrdiff_t)slashes] == '\\')
            slashes++;
        if (slashes % 2) continue; /* "\\u0000" is a backslash, then text */
        int line, col;
        ttlx_position_of(text, (size_t)(p - text), &line, &col);
        ttlx_error_set(err, line, col,
                       "\\u0000 (a NUL character) in a string is not supported: "
                       "the name or value would be cut there");
        return NULL;
    }
    const char *end = NULL;
    size_t failed_before = ttlx_alloc_failures();
    bool declined;
    cJSON *doc = ttlx_json_parse(text, len, &end, &declined);
    if (!doc && declined) doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc && ttlx_alloc_failures() != failed_before) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    if (!doc) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        int line, col;
        ttlx_position_of(text, off, &line, &col);
        size_t open_at;
        char open_ch;
        if (unclosed(text, len, &open_at, &open_ch) && open_at <= off + 1) {
            int ol, oc;
            ttlx_position_of(text, open_at, &ol, &oc);
            ttlx_position_of(text, len, &line, &col);
            ttlx_error_set(err, line, col,
                           "malformed JSON: unexpected end of input (%s opened at %d:%d is "
                           "never closed)",
                           open_ch == '"'   ? "the string"
                           : open_ch == '[' ? "'['"
                                            : "'{'",
                           ol, oc);
        } else if (off >= len) {
            ttlx_error_set(err, line, col, "malformed JSON: unexpected end of input");
        } else if (json_depth(text, off + 1) > CJSON_NESTING_LIMIT) {
            ttlx_error_set(err, line, col, "malformed JSON: nested more than %d levels deep",
                           CJSON_NESTING_LIMIT);
        } else {
            /* cJSON may stop at the end of a line ("[],}\n" stops at the
             * newline): quote the last character before it instead of
             * an empty excerpt. */
            if (text[off] == '\n' || text[off] == '\r') {
                size_t b = off;
                while (b > 0 && strchr(" \t\r\n", text[b - 1]))
                    b--;
                if (b > 0) {
                    off = b - 1;
                    ttlx_position_of(text, off, &line, &col);
                }
            }
            /* Up to 20 bytes of the first line of the excerpt. */
            int n = 0;
            while (n < 20 && off + (size_t)n < len && text[off + (size_t)n] != '\n' &&
                   text[off + (size_t)n] != '\r')
                n++;
            ttlx_error_set(err, line, col, "malformed JSON near '%.*s'", n, text + off);
        }
        return NULL;
    }
    /* Trailing garbage after the document. */
    if (end) {
        size_t off = (size_t)(end - text);
        while (off < len &&
               (text[off] == ' ' || text[off] == '\t' || text[off] == '\n' || text[off] == '\r'))
            off++;
        if (off < len) {
            int line, col;
            ttlx_position_of(text, off, &line, &col);
            ttlx_error_set(err, line, col, "unexpected text after the JSON document");
            cJSON_Delete(doc);
            return NULL;
        }
    }
    loader_t L = {err, 0, -1, -1, false, NULL};
    ttlx_module_t *mod = from_json(doc, &L);
    if (!mod && err && err->line == 0 && strcmp(err->what, "out of memory")) {
        int line, col;
        char ptr[160];
        pointer_text(&L, ptr, sizeof ptr);
        ttlx_position_of(text, locate(text, len, ptr), &line, &col);
        err->line = line;
        err->col = col;
    }
    return mod;
}

ttlx_module_t *ttlx_module_load_file(const char *path, const ttlx_binding_t *binds, size_t nbinds,
                                     ttlx_error_t *err) {
    size_t len;
    char *text = ttlx_read_file(path, &len, err);
    if (!text) return NULL;
    ttlx_module_t *mod = ttlx_module_load_string(text, len, path, binds, nbinds, err);
    ttlx_free(text);
    return mod;
}
