/*
 * ttlx_json.c - the loader's fast path to a cJSON tree.
 *
 * cJSON's parser spends most of a large load comparing every value with
 * "null", "false" and "true", and converting every integer with strtod
 * under the locale. This parser reads strict RFC 8259 JSON in one pass and
 * builds the very tree cJSON would build (same node types, links, values,
 * first child's prev pointing at the last), so every other part of ttlx keeps
 * using cJSON. It declines anything outside its strict subset (a syntax
 * error, \u escapes, control bytes, whitespace other than the four JSON
 * ones, long numbers, deep nesting): the caller then asks cJSON, whose
 * result and error position stay the reference. Common object keys point at
 * static strings flagged cJSON_StringIsConst, which cJSON never frees.
 */
#include "ttlx_json.h"
#include "ttlx_internal.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>

typedef struct {
    const char *p, *end;
    int depth;
    bool oom;
} parser_t;

/* Keys every PrimFunc repeats per buffer or per hint, by length. */
static const char *const common_keys[18][5] = {
    [4] = {"name", "axes", "grid", "role", "halo"},
    [5] = {"shape", "dtype", "attrs", "order"},
    [6] = {"memory", "layout", "kernel", "device"},
    [7] = {"buffers"},
    [8] = {"nd_shard", "cb_depth"},
    [9] = {"functions"},
    [10] = {"tile_shape"},
    [11] = {"align_tiles", "description"},
    [12] = {"distribution", "tt.core_grid"},
    [14] = {"tt.user_layout"},
    [17] = {"shard_shape_elems"},
};

static const char *intern_key(const char *s, size_t n) {
    if (n >= sizeof common_keys / sizeof common_keys[0]) return NULL;
    for (const char *const *k = common_keys[n]; k < common_keys[n] + 5 && *k; k++)
        if ((*k)[0] == s[0] && !memcmp(*k, s, n)) return *k;
    return NULL;
}

static cJSON *new_node(parser_t *P) {
    cJSON *n = ttlx_malloc(sizeof *n);
    if (!n) {
        P->oom = true;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    return n;
}

static void skip_ws(parser_t *P) {
    const char *p = P->p;
    while (p < P->end && (unsigned char)*p <= ' ' &&
           (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    P->p = p;
}

/* Bytes a string's fast scan stops at: the quote, backslash, controls. */
static const unsigned char stops[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1,  ['\\'] = 1,
};

/* A string at P->p (after the quote is checked) into a fresh buffer, or
 * into *interned for a common key. NULL: declined or out of memory. */
static char *parse_string(parser_t *P, const char **interned) {
    const char *s = ++P->p;
    size_t escapes = 0;
    const char *q = s;
    for (;;) {
        while (q < P->end && !stops[(unsigned char)*q])
            q++;
        if (q >= P->end) return NULL;
        unsigned char c = (unsigned char)*q;
        if (c == '"') break;
        if (c < 0x20) return NULL;
        if (c == '\\') {
            if (q + 1 >= P->end) return NULL;
            switch (q[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                break;
            default:
                return NULL; /* \u and anything else: cJSON's call */
            }
            escapes++;
            q += 2;
            continue;
        }
        q++;
    }
    size_t raw = (size_t)(q - s);
    P->p = q + 1;
    if (interned && !escapes && (*interned = intern_key(s, raw)) != NULL) return NULL;
    char *out = ttlx_malloc(raw - escapes + 1);
    if (!out) {
        P->oom = true;
        return NULL;
    }
    if (!escapes) {
        memcpy(out, s, raw);
        out[raw] = '\0';
        return out;
    }
    char *o = out;
    for (const char *r = s; r < q; r++) {
        if (*r != '\\') {
            *o++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        default:
            *o++ = *r;
            break; /* " \ / */
        }
    }
    *o = '\0';
    return out;
}

/* A number in JSON's grammar, valued the way cJSON values it. */
static bool parse_number(parser_t *P, cJSON *item) {
    const char *s = P->p, *q = s;
    if (q < P->end && *q == '-') q++;
    if (q >= P->end || *q < '0' || *q > '9') return false;
    if (*q == '0') {
        q++;
    } else {
        while (q < P->end && *q >= '0' && *q <= '9')
            q++;
    }
    bool integer = true;
    if (q < P->end && *q == '.') {
        integer = false;
        q++;
        if (q >= P->end || *q < '0' || *q > '9') return false;
        while (q < P->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < P->end && (*q == 'e' || *q == 'E')) {
        integer = false;
        q++;
        if (q < P->end && (*q == '+' || *q == '-')) q++;
        if (q >= P->end || *q < '0' || *q > '9') return false;
        while (q < P->end && *q >= '0' && *q <= '9')
            q++;
    }
    /* cJSON reads on through these ("005", "1.5.2"); JSON stops: decline. */
    if (q < P->end &&
        (*q == '.' || *q == 'e' || *q == 'E' || *q == '+' || *q == '-' || (*q >= '0' && *q <= '9')))
        return false;
    size_t n = (size_t)(q - s);
    if (n > 63) return false; /* cJSON reads at most 63 characters */
    double d;
    if (integer && n - (*s == '-') <= 15) {
        /* At most 15 digits: exact in a double, as strtod would give. */
        int64_t v = 0;
        const char *r = s + (*s == '-');
        for (; r < q; r++)
            v = v * 10 + (*r - '0');
        d = *s == '-' ? -(double)v : (double)v;
    } else {
        char buf[64];
        memcpy(buf, s, n);
        buf[n] = '\0';
        /* cJSON hands strtod the locale's decimal point. */
        const char *dp = localeconv()->decimal_point;
        if (dp && dp[0] && dp[0] != '.')
            for (size_t k = 0; k < n; k++)
                if (buf[k] == '.') buf[k] = dp[0];
        char *after;
        d = strtod(buf, &after);
        if (after != buf + n) return false;
    }
    item->type = cJSON_Number;
    item->valuedouble = d;
    item->valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    P->p = q;
    return true;
}

static bool parse_value(parser_t *P, cJSON *item);

/* Elements of an array or members of an object, after the opening bracket. */
static bool parse_container(parser_t *P, cJSON *item, bool object) {
    if (P->depth >= CJSON_NESTING_LIMIT) return false;
    P->depth++;
    item->type = object ? cJSON_Object : cJSON_Array;
    P->p++;
    skip_ws(P);
    char close = object ? '}' : ']';
    if (P->p < P->end && *P->p == close) {
        P->p++;
        P->depth--;
        return true;
    }
    cJSON *last = NULL;
    for (;;) {
        cJSON *child = new_node(P);
        if (!child) return false;
        if (last) {
            last->next = child;
            child->prev = last;
        } else {
            item->child = child;
        }
        last = child;
        item->child->prev = last;
        if (object) {
            if (P->p >= P->end || *P->p != '"') return false;
            const char *key = NULL;
            char *k = parse_string(P, &key);
            if (key) {
                child->string = (char *)key;
                child->type = cJSON_StringIsConst;
            } else if (k) {
                child->string = k;
            } else {
                return false;
            }
            skip_ws(P);
            if (P->p >= P->end || *P->p != ':') return false;
            P->p++;
            skip_ws(P);
        }
        int keep = child->type & cJSON_StringIsConst;
        bool ok = parse_value(P, child); /* sets the type: restore the flag */
        child->type |= keep;
        if (!ok) return false;
        skip_ws(P);
        if (P->p >= P->end) return false;
        if (*P->p == ',') {
            P->p++;
            skip_ws(P);
            continue;
        }
        if (*P->p != close) return false;
        P->p++;
        P->depth--;
        return true;
    }
}

static bool parse_value(parser_t *P, cJSON *item) {
    if (P->p >= P->end) return false;
    size_t left = (size_t)(P->end - P->p);
    switch (*P->p) {
    case '{':
        return parse_container(P, item, true);
    case '[':
        return parse_container(P, item, false);
    case '"': {
        char *s = parse_string(P, NULL);
        if (!s) return false;
        item->type = cJSON_String;
        item->valuestring = s;
        return true;
    }
    case 't':
        if (left < 4 || memcmp(P->p, "true", 4)) return false;
        item->type = cJSON_True;
        item->valueint = 1;
        P->p += 4;
        return true;
    case 'f':
        if (left < 5 || memcmp(P->p, "false", 5)) return false;
        item->type = cJSON_False;
        P->p += 5;
        return true;
    case 'n':
        if (left < 4 || memcmp(P->p, "null", 4)) return false;
        item->type = cJSON_NULL;
        P->p += 4;
        return true;
    default:
        return parse_number(P, item);
    }
}

cJSON *ttlx_json_parse(const char *text, size_t len, const char **end, bool *declined) {
    parser_t P = {text, text + len, 0, false};
    *declined = false;
    skip_ws(&P);
    cJSON *doc = new_node(&P);
    if (doc && parse_value(&P, doc)) {
        if (end) *end = P.p;
        return doc;
    }
    cJSON_Delete(doc);
    *declined = !P.oom;
    return NULL;
}

cJSON *ttlx_json_read(const char *text, size_t len, const char **end) {
    bool declined;
    cJSON *doc = ttlx_json_parse(text, len, end, &declined);
    if (!doc && declined) doc = cJSON_ParseWithLengthOpts(text, len, end, false);
    return doc;
}
