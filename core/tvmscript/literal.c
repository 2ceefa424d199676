/*
 * literal.c - Python literals to cJSON for the TVMScript importer: the
 * values of T.func_attr (dicts, lists, tuples, numbers, strings, bools,
 * None, T.int64(...)-style wrappers, opaque expressions kept as text) and
 * the key lists that report a name written twice.
 */
#include "tvs_internal.h"

#include <inttypes.h>
#include <stdio.h>

/* -------------------------------------------------------------- numbers */

/* A number literal: an exact integer or a double. */
typedef struct num {
    bool is_int;
    int64_t i;
    double d;
} num_t;

/* At `T . NAME (` with NAME a number or bool wrapper? */
static wrapper_t at_wrapper(parser_t *p) {
    if (!tvs_is_name(p, tvs_peek(p, 0), "T") || !tvs_is_op(p, tvs_peek(p, 1), ".") ||
        tvs_peek(p, 2)->kind != TK_NAME || !tvs_is_op(p, tvs_peek(p, 3), "("))
        return W_NONE;
    return tvs_wrapper_kind(p, tvs_peek(p, 2));
}

/* A number: signs, then an int or float token or T.int32(...)-style
 * wrapper around a number. */
static bool parse_numeric(parser_t *p, num_t *out) {
    bool neg = false;
    char d[48];
    while (tvs_is_op(p, tvs_peek(p, 0), "-") || tvs_is_op(p, tvs_peek(p, 0), "+")) {
        tok_t s = tvs_next(p);
        if (p->s[s.off] == '-') neg = !neg;
    }
    const tok_t *t = tvs_peek(p, 0);
    if (t->kind == TK_INT) {
        tok_t it = tvs_next(p);
        uint64_t mag;
        out->is_int = true;
        return tvs_int_token_value(p, &it, &mag) && tvs_signed_value(p, &it, mag, neg, &out->i);
    }
    if (t->kind == TK_FLOAT) {
        tok_t ft = tvs_next(p);
        out->is_int = false;
        if (!tvs_float_token_value(p, &ft, &out->d)) return false;
        if (neg) out->d = -out->d;
        return true;
    }
    wrapper_t w = at_wrapper(p);
    if (w == W_INT || w == W_FLOAT) {
        if (p->nest >= TVMS_MAX_DEPTH) {
            tvs_fail(p, t->line, t->col, "value nested deeper than %d levels", TVMS_MAX_DEPTH);
            return false;
        }
        tvs_next(p);
        tvs_next(p);
        tok_t wt = tvs_next(p);
        tvs_next(p);
        p->nest++;
        bool ok = parse_numeric(p, out);
        p->nest--;
        if (!ok) return false;
        if (tvs_is_op(p, tvs_peek(p, 0),
                      ",")) /* T.float32(1.5, span=...) never appears; be lenient */
            tvs_skip_rest_of_group(p);
        else if (!tvs_expect_op(p, ")", "to close the number wrapper"))
            return false;
        if (w == W_INT && !out->is_int) {
            tvs_fail(p, wt.line, wt.col, "T.%.*s needs an integer", (int)wt.len, p->s + wt.off);
            return false;
        }
        if (w == W_FLOAT && out->is_int) {
            out->is_int = false;
            out->d = (double)out->i;
        }
        if (neg) {
            if (out->is_int) {
                if (out->i == INT64_MIN) {
                    tvs_fail(p, wt.line, wt.col, "integer does not fit in 64 bits");
                    return false;
                }
                out->i = -out->i;
            } else {
                out->d = -out->d;
            }
        }
        return true;
    }
    tvs_fail(p, t->line, t->col, "expected a number, got %s", tvs_describe(p, t, d, sizeof d));
    return false;
}

static cJSON *number_json(parser_t *p, const num_t *v) {
    cJSON *j;
    if (!v->is_int) {
        j = cJSON_CreateNumber(v->d);
    } else if (v->i >= -TVMS_PRINT_LIMIT && v->i <= TVMS_PRINT_LIMIT) {
        j = cJSON_CreateNumber((double)v->i);
    } else {
        /* A double would round it: keep the exact digits as raw JSON. */
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, v->i);
        j = cJSON_CreateRaw(buf);
    }
    if (!j) tvs_fail_oom(p);
    return j;
}

/* --------------------------------------------------------------- opaque */

/* Text of an unknown call or dotted name, whitespace runs collapsed, kept
 * as a string so unusual attributes (T.target(...)) are shown, not lost. */
static cJSON *parse_opaque(parser_t *p) {
    size_t start = tvs_peek(p, 0)->off;
    tok_t t = tvs_next(p);
    size_t end = t.off + t.len;
    while (tvs_is_op(p, tvs_peek(p, 0), ".") && tvs_peek(p, 1)->kind == TK_NAME) {
        tvs_next(p);
        t = tvs_next(p);
        end = t.off + t.len;
    }
    while (tvs_is_op(p, tvs_peek(p, 0), "(") || tvs_is_op(p, tvs_peek(p, 0), "["))
        end = tvs_skip_group(p);
    if (p->failed) return NULL;
    size_t mark = p->scratch_len;
    if (!tvs_scratch_reserve(p, end - start)) return NULL;
    char *o = p->scratch + mark;
    bool space = false;
    for (size_t i = start; i < end; i++) {
        char c = p->s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\\') {
            space = true;
            continue;
        }
        if (space && o > p->scratch + mark) *o++ = ' ';
        space = false;
        *o++ = c;
    }
    *o = '\0';
    cJSON *j = cJSON_CreateString(p->scratch + mark);
    p->scratch_len = mark;
    if (!j) tvs_fail_oom(p);
    return j;
}

/* ------------------------------------------------------------ key lists */

static bool pos_before(const keypos_t *a, const keypos_t *b) {
    return a->line < b->line || (a->line == b->line && a->col < b->col);
}

static size_t hash_name(const char *s) {
    uint64_t h = UINT64_C(1469598103934665603);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)(h ^ (h >> 32));
}

/* The entry named key, or NULL. */
const keypos_t *tvs_keylist_find(const keylist_t *l, const char *key) {
    if (!l->nslots) {
        for (size_t i = 0; i < l->n; i++)
            if (strcmp(l->v[i].key, key) == 0) return &l->v[i];
        return NULL;
    }
    for (size_t h = hash_name(key) & (l->nslots - 1);; h = (h + 1) & (l->nslots - 1)) {
        size_t i = l->slots[h];
        if (i == SIZE_MAX) return NULL;
        if (strcmp(l->v[i].key, key) == 0) return &l->v[i];
    }
}

/* Reports a repeated name at its second occurrence in the text (the
 * earliest such one). Builds the hash index when there are many names. */
bool tvs_check_duplicates(parser_t *p, keylist_t *l, const char *what) {
    const keypos_t *dup = NULL, *k = l->v;
    size_t n = l->n;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(k[i].key, k[j].key) == 0) {
                    const keypos_t *second = pos_before(&k[i], &k[j]) ? &k[j] : &k[i];
                    if (!dup || pos_before(second, dup)) dup = second;
                }
    } else {
        size_t cap = 32;
        while (cap < 2 * n)
            cap *= 2;
        l->slots = ttlx_malloc(cap * sizeof *l->slots);
        if (!l->slots) {
            tvs_fail_oom(p);
            return false;
        }
        memset(l->slots, 0xFF, cap * sizeof *l->slots);
        l->nslots = cap;
        for (size_t i = 0; i < n; i++) {
            size_t h = hash_name(k[i].key) & (cap - 1);
            while (l->slots[h] != SIZE_MAX && strcmp(k[l->slots[h]].key, k[i].key) != 0)
                h = (h + 1) & (cap - 1);
            if (l->slots[h] == SIZE_MAX) {
                l->slots[h] = i;
                continue;
            }
            const keypos_t *first = &k[l->slots[h]];
            const keypos_t *second = pos_before(&k[i], first) ? first : &k[i];
            if (!dup || pos_before(second, dup)) dup = second;
        }
    }
    if (dup) {
        tvs_fail(p, dup->line, dup->col, "duplicate %s '%.*s'", what, 64, dup->key);
        return false;
    }
    return true;
}

void tvs_keylist_init(keylist_t *l) {
    l->v = l->local;
    l->n = 0;
    l->cap = sizeof l->local / sizeof l->local[0];
    l->slots = NULL;
    l->nslots = 0;
}
void tvs_keylist_free(keylist_t *l) {
    if (l->v != l->local) ttlx_free(l->v);
    ttlx_free(l->slots);
}
bool tvs_keylist_add(parser_t *p, keylist_t *l, const char *key, int line, int col) {
    if (l->n == l->cap) {
        /* Out of the local array: onto the heap, copied once. */
        size_t cap = l->cap;
        keypos_t *v = ttlx_grow(l->v == l->local ? NULL : l->v, &cap, l->n + 1, sizeof *v);
        if (!v) {
            tvs_fail_oom(p);
            return false;
        }
        if (l->v == l->local) memcpy(v, l->local, sizeof l->local);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].key = key;
    l->v[l->n].index = l->n;
    l->v[l->n].line = line;
    l->v[l->n].col = col;
    l->v[l->n].item = NULL;
    l->n++;
    return true;
}

/* --------------------------------------------------------------- values */

static cJSON *parse_dict(parser_t *p) {
    tvs_next(p); /* { */
    cJSON *obj = cJSON_CreateObject();
    keylist_t keys;
    tvs_keylist_init(&keys);
    char d[48];
    if (!obj) {
        tvs_fail_oom(p);
        return NULL;
    }
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, "}")) {
            tvs_next(p);
            break;
        }
        if (t->kind != TK_STRING) {
            tvs_fail(p, t->line, t->col, "dict keys must be strings, got %s",
                     tvs_describe(p, t, d, sizeof d));
            goto fail;
        }
        int kl = t->line, kc = t->col;
        size_t key = tvs_parse_strings(p);
        if (key == SIZE_MAX || !tvs_expect_op(p, ":", "after a dict key")) goto fail;
        cJSON *v = tvs_parse_value(p);
        if (!v) goto fail;
        if (!cJSON_AddItemToObject(obj, p->scratch + key, v)) {
            cJSON_Delete(v);
            tvs_fail_oom(p);
            goto fail;
        }
        p->scratch_len = key;
        if (!tvs_keylist_add(p, &keys, v->string, kl, kc)) goto fail;
        t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ","))
            tvs_next(p);
        else if (!tvs_is_op(p, t, "}")) {
            tvs_fail(p, t->line, t->col, "expected ',' or '}' in dict, got %s",
                     tvs_describe(p, t, d, sizeof d));
            goto fail;
        }
    }
    if (!tvs_check_duplicates(p, &keys, "key")) goto fail;
    tvs_keylist_free(&keys);
    return obj;
fail:
    tvs_keylist_free(&keys);
    cJSON_Delete(obj);
    return NULL;
}

/* The rest of a list or tuple after its opening (and optional first item
 * already in arr), through the closing bracket. */
static cJSON *parse_items(parser_t *p, cJSON *arr, const char *close) {
    char d[48];
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, close)) {
            tvs_next(p);
            return arr;
        }
        cJSON *v = tvs_parse_value(p);
        if (!v) goto fail;
        if (!cJSON_AddItemToArray(arr, v)) {
            cJSON_Delete(v);
            tvs_fail_oom(p);
            goto fail;
        }
        t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ","))
            tvs_next(p);
        else if (!tvs_is_op(p, t, close)) {
            tvs_fail(p, t->line, t->col, "expected ',' or '%s' in %s, got %s", close,
                     close[0] == ']' ? "list" : "tuple", tvs_describe(p, t, d, sizeof d));
            goto fail;
        }
    }
fail:
    cJSON_Delete(arr);
    return NULL;
}

static cJSON *parse_value_inner(parser_t *p) {
    const tok_t *t = tvs_peek(p, 0);
    char d[48];
    if (tvs_is_op(p, t, "{")) return parse_dict(p);
    if (tvs_is_op(p, t, "[") || tvs_is_op(p, t, "(")) {
        bool tuple = tvs_is_op(p, t, "(");
        tvs_next(p);
        cJSON *arr = cJSON_CreateArray();
        if (!arr) {
            tvs_fail_oom(p);
            return NULL;
        }
        if (!tuple || tvs_is_op(p, tvs_peek(p, 0), ")"))
            return parse_items(p, arr, tuple ? ")" : "]");
        /* (x) is x; (x,) and (x, y) are tuples. */
        cJSON *first = tvs_parse_value(p);
        if (!first) {
            cJSON_Delete(arr);
            return NULL;
        }
        if (tvs_is_op(p, tvs_peek(p, 0), ")")) {
            tvs_next(p);
            cJSON_Delete(arr);
            return first;
        }
        if (!cJSON_AddItemToArray(arr, first)) {
            cJSON_Delete(first);
            cJSON_Delete(arr);
            tvs_fail_oom(p);
            return NULL;
        }
        if (!tvs_expect_op(p, ",", "or ')' in tuple")) {
            cJSON_Delete(arr);
            return NULL;
        }
        return parse_items(p, arr, ")");
    }
    if (t->kind == TK_STRING) {
        size_t mark = tvs_parse_strings(p);
        if (mark == SIZE_MAX) return NULL;
        cJSON *j = cJSON_CreateString(p->scratch + mark);
        p->scratch_len = mark;
        if (!j) tvs_fail_oom(p);
        return j;
    }
    if (t->kind == TK_INT || t->kind == TK_FLOAT || tvs_is_op(p, t, "-") || tvs_is_op(p, t, "+")) {
        num_t v;
        return parse_numeric(p, &v) ? number_json(p, &v) : NULL;
    }
    if (t->kind == TK_NAME) {
        cJSON *j = NULL;
        if (tvs_is_name(p, t, "True") || tvs_is_name(p, t, "False")) {
            j = cJSON_CreateBool(tvs_is_name(p, t, "True"));
            tvs_next(p);
        } else if (tvs_is_name(p, t, "None")) {
            j = cJSON_CreateNull();
            tvs_next(p);
        } else {
            wrapper_t w = at_wrapper(p);
            if (w == W_INT || w == W_FLOAT) {
                num_t v;
                return parse_numeric(p, &v) ? number_json(p, &v) : NULL;
            }
            if (w == W_BOOL) {
                tvs_next(p);
                tvs_next(p);
                tok_t wt = tvs_next(p);
                tvs_next(p);
                cJSON *inner = tvs_parse_value(p);
                if (!inner) return NULL;
                bool truth =
                    cJSON_IsTrue(inner) || (cJSON_IsNumber(inner) && inner->valuedouble != 0);
                bool ok = cJSON_IsBool(inner) || cJSON_IsNumber(inner);
                cJSON_Delete(inner);
                if (!ok) {
                    tvs_fail(p, wt.line, wt.col, "T.bool needs True, False or a number");
                    return NULL;
                }
                if (!tvs_expect_op(p, ")", "to close T.bool")) return NULL;
                j = cJSON_CreateBool(truth);
            } else if (tvs_is_op(p, tvs_peek(p, 1), ".") || tvs_is_op(p, tvs_peek(p, 1), "(")) {
                return parse_opaque(p);
            } else {
                tok_t nt = tvs_next(p);
                int64_t v;
                if (tvs_lookup_bind(p, &nt, &v)) {
                    num_t nv = {true, v, 0};
                    return number_json(p, &nv);
                }
                const char *hint = "";
                if (tvs_tok_is(p, &nt, TK_NAME, "true") || tvs_tok_is(p, &nt, TK_NAME, "false"))
                    hint = " (Python spells booleans True and False)";
                else if (tvs_tok_is(p, &nt, TK_NAME, "null"))
                    hint = " (Python spells null None)";
                tvs_fail(p, nt.line, nt.col, "'%.*s' is not a literal value%s",
                         (int)(nt.len > 64 ? 64 : nt.len), p->s + nt.off, hint);
                return NULL;
            }
        }
        if (!j) tvs_fail_oom(p);
        return j;
    }
    tvs_fail(p, t->line, t->col, "expected a value, got %s", tvs_describe(p, t, d, sizeof d));
    return NULL;
}

cJSON *tvs_parse_value(parser_t *p) {
    if (p->nest >= TVMS_MAX_DEPTH) {
        const tok_t *t = tvs_peek(p, 0);
        tvs_fail(p, t->line, t->col, "value nested deeper than %d levels", TVMS_MAX_DEPTH);
        return NULL;
    }
    p->nest++;
    cJSON *v = parse_value_inner(p);
    p->nest--;
    return v;
}
