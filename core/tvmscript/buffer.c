/*
 * buffer.c - the buffers of one @T.prim_func: the signature's parameters
 * (T.Buffer / T.handle annotations), T.match_buffer in the body, and the
 * shapes both give.
 */
#include "tvs_internal.h"

#include <inttypes.h>
#include <stdio.h>

void tvs_func_state_free(func_state_t *fs) {
    for (size_t i = 0; i < fs->nparams; i++) {
        ttlx_free(fs->params[i].handle);
        cJSON_Delete(fs->params[i].buf);
    }
    ttlx_free(fs->params);
    for (size_t i = 0; i < fs->nenvs; i++)
        ttlx_free(fs->envs[i].name);
    ttlx_free(fs->envs);
    cJSON_Delete(fs->attrs);
    cJSON_Delete(fs->description);
}

char *tvs_copy_token(parser_t *p, const tok_t *t) {
    char *s = ttlx_malloc(t->len + 1);
    if (!s) {
        tvs_fail_oom(p);
        return NULL;
    }
    memcpy(s, p->s + t->off, t->len);
    s[t->len] = '\0';
    return s;
}

static param_t *add_param(parser_t *p, func_state_t *fs) {
    if (fs->nparams == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 8;
        param_t *v = ttlx_realloc(fs->params, cap * sizeof *v);
        if (!v) {
            tvs_fail_oom(p);
            return NULL;
        }
        fs->params = v;
        fs->cap = cap;
    }
    param_t *pa = &fs->params[fs->nparams++];
    memset(pa, 0, sizeof *pa);
    return pa;
}

/* The shape argument: (d0, d1, ...) or [d0, ...], or one expression. */
static bool parse_shape(parser_t *p, const char *what, const char *who, int64_t *shape, int *rank) {
    const tok_t *t = tvs_peek(p, 0);
    char close[2] = {0, 0};
    int r = 0;
    if (tvs_is_op(p, t, "(") || tvs_is_op(p, t, "[")) {
        close[0] = tvs_is_op(p, t, "(") ? ')' : ']';
        tok_t open = tvs_next(p);
        for (;;) {
            t = tvs_peek(p, 0);
            if (tvs_is_op(p, t, close)) break;
            if (r == TTLX_MAX_RANK) {
                tvs_fail(p, t->line, t->col, "%s has more than %d dimensions", who, TTLX_MAX_RANK);
                return false;
            }
            int dl = t->line, dc = t->col;
            if (!tvs_ix_expr(p, what, &shape[r])) return false;
            if (p->collect && shape[r] <= 0) shape[r] = 1; /* unbound symbols read as 1 */
            if (shape[r] <= 0) {
                tvs_fail(p, dl, dc, "%s: dimension %d is %" PRId64 "; dimensions must be positive",
                         who, r, shape[r]);
                return false;
            }
            if (shape[r] > TVMS_EXACT_LIMIT) {
                tvs_fail(p, dl, dc, "%s: dimension %d is 2^53 or more", who, r);
                return false;
            }
            r++;
            t = tvs_peek(p, 0);
            if (tvs_is_op(p, t, ","))
                tvs_next(p);
            else if (!tvs_is_op(p, t, close)) {
                char d[48];
                tvs_fail(p, t->line, t->col, "expected ',' or '%s' in the shape of %s, got %s",
                         close, who, tvs_describe(p, t, d, sizeof d));
                return false;
            }
        }
        tvs_next(p);
        if (r == 0) {
            tvs_fail(p, open.line, open.col, "%s: a buffer needs 1 to %d dimensions", who,
                     TTLX_MAX_RANK);
            return false;
        }
        int64_t elems = 1;
        for (int d = 0; d < r; d++) {
            if (!ttlx_mul64(elems, shape[d], &elems)) {
                tvs_fail(p, open.line, open.col,
                         "%s: the shape has more than 2^63 elements (the product overflows)", who);
                return false;
            }
        }
    } else {
        int dl = t->line, dc = t->col;
        if (!tvs_ix_expr(p, what, &shape[0])) return false;
        if (p->collect && shape[0] <= 0) shape[0] = 1; /* unbound symbols read as 1 */
        if (shape[0] <= 0 || shape[0] > TVMS_EXACT_LIMIT) {
            tvs_fail(p, dl, dc, "%s: dimension 0 is %" PRId64 "; dimensions must be positive", who,
                     shape[0]);
            return false;
        }
        r = 1;
    }
    *rank = r;
    return true;
}

/* The arguments of T.Buffer(...)/T.Tensor(...) (after the opening
 * bracket; close is its closing bracket) or of T.match_buffer after the
 * handle (first_index 1). Returns the buffer object. */
static cJSON *parse_buffer_args(parser_t *p, const char *name, const char *who, const char *close,
                                int first_index, const tok_t *anchor) {
    int64_t shape[TTLX_MAX_RANK];
    int rank = -1, index = first_index;
    size_t dtype = SIZE_MAX;
    int dline = anchor->line, dcol = anchor->col;
    char what[160], d[48];
    snprintf(what, sizeof what, "%s shape", who);
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, close)) {
            tvs_next(p);
            break;
        }
        int role = 2; /* 0 shape, 1 dtype, 2 other */
        if (t->kind == TK_NAME && tvs_is_op(p, tvs_peek(p, 1), "=")) {
            tok_t k = tvs_next(p);
            tvs_next(p);
            role = tvs_is_name(p, &k, "shape") ? 0 : tvs_is_name(p, &k, "dtype") ? 1 : 2;
        } else {
            role = index == 0 ? 0 : index == 1 ? 1 : 2;
            index++;
        }
        t = tvs_peek(p, 0);
        if (role == 0) {
            if (!parse_shape(p, what, who, shape, &rank)) return NULL;
        } else if (role == 1 && tvs_is_name(p, t, "T") && tvs_is_op(p, tvs_peek(p, 1), ".") &&
                   tvs_peek(p, 2)->kind == TK_NAME && !tvs_is_op(p, tvs_peek(p, 3), "(")) {
            /* T.float32 (TileLang's dtype attributes) is the string "float32". */
            dline = t->line;
            dcol = t->col;
            tvs_next(p);
            tvs_next(p);
            tok_t nm = tvs_next(p);
            p->scratch_len = dtype == SIZE_MAX ? p->scratch_len : dtype;
            if (!tvs_scratch_reserve(p, nm.len)) return NULL;
            dtype = p->scratch_len;
            memcpy(p->scratch + dtype, p->s + nm.off, nm.len);
            p->scratch_len += nm.len + 1;
            p->scratch[dtype + nm.len] = '\0';
        } else if (role == 1) {
            if (t->kind != TK_STRING) {
                tvs_fail(p, t->line, t->col, "%s: dtype must be a string, got %s", who,
                         tvs_describe(p, t, d, sizeof d));
                return NULL;
            }
            dline = t->line;
            dcol = t->col;
            p->scratch_len = dtype == SIZE_MAX ? p->scratch_len : dtype;
            dtype = tvs_parse_strings(p);
            if (dtype == SIZE_MAX) return NULL;
        } else {
            tvs_skip_expr(p, false);
        }
        t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ","))
            tvs_next(p);
        else if (!tvs_is_op(p, t, close)) {
            tvs_fail(p, t->line, t->col, "expected ',' or '%s' in the buffer of %s, got %s", close,
                     who, tvs_describe(p, t, d, sizeof d));
            return NULL;
        }
    }
    if (p->failed) return NULL;
    if (rank < 0) {
        tvs_fail(p, anchor->line, anchor->col, "%s: the buffer has no shape", who);
        return NULL;
    }
    const char *dt = dtype == SIZE_MAX ? "float32" : p->scratch + dtype;
    const char *canon = ttlx_dtype_canonical(dt);
    if (!canon && ttlx_dtype_nearest_format(dt)) canon = dt; /* loads; TTL016 when inferred */
    if (!canon) {
        tvs_fail(p, dline, dcol, "%s: unsupported dtype '%.*s'", who, 40, dt);
        return NULL;
    }
    cJSON *b = cJSON_CreateObject();
    cJSON *sh = cJSON_CreateArray();
    /* Constant keys: three fewer allocations per buffer. */
    cJSON *nm = cJSON_CreateString(name);
    if (!b || !sh || !nm || !cJSON_AddItemToObjectCS(b, "name", nm)) {
        cJSON_Delete(b);
        cJSON_Delete(sh);
        cJSON_Delete(nm);
        tvs_fail_oom(p);
        return NULL;
    }
    cJSON_AddItemToObjectCS(b, "shape", sh); /* cannot fail: all arguments valid */
    for (int i = 0; i < rank; i++) {
        cJSON *v = cJSON_CreateNumber((double)shape[i]);
        if (!v || !cJSON_AddItemToArray(sh, v)) {
            cJSON_Delete(v);
            cJSON_Delete(b);
            tvs_fail_oom(p);
            return NULL;
        }
    }
    cJSON *dt_item = cJSON_CreateString(canon);
    if (!dt_item) {
        cJSON_Delete(b);
        tvs_fail_oom(p);
        return NULL;
    }
    cJSON_AddItemToObjectCS(b, "dtype", dt_item);
    if (dtype != SIZE_MAX) p->scratch_len = dtype;
    return b;
}

/* At `T . Buffer|Tensor (`: a buffer parameter annotation. */
static bool at_buffer_annotation(parser_t *p) {
    return tvs_at_t_call(p, 0, "Buffer", true) || tvs_at_t_call(p, 0, "Tensor", true);
}

bool tvs_parse_params(parser_t *p, func_state_t *fs) {
    char d[48];
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ")")) {
            tvs_next(p);
            return true;
        }
        if (tvs_is_op(p, t, "*") || tvs_is_op(p, t, "**") || tvs_is_op(p, t, "/")) {
            tvs_next(p);
            if (tvs_is_op(p, tvs_peek(p, 0), ",")) tvs_next(p);
            continue;
        }
        if (t->kind != TK_NAME) {
            tvs_fail(p, t->line, t->col, "expected a parameter name, got %s",
                     tvs_describe(p, t, d, sizeof d));
            return false;
        }
        tok_t name = tvs_next(p);
        char who[120];
        snprintf(who, sizeof who, "parameter '%.*s'", (int)(name.len > 64 ? 64 : name.len),
                 p->s + name.off);
        param_t *pa = NULL;
        if (tvs_is_op(p, tvs_peek(p, 0), ":")) {
            tvs_next(p);
            if (at_buffer_annotation(p)) {
                tok_t anchor = tvs_next(p); /* T */
                tvs_next(p);
                tvs_next(p);
                tok_t open = tvs_next(p);
                char *bname = tvs_copy_token(p, &name);
                if (!bname) return false;
                cJSON *b = parse_buffer_args(p, bname, who, tvs_is_op(p, &open, "(") ? ")" : "]", 0,
                                             &anchor);
                ttlx_free(bname);
                if (!b) return false;
                pa = add_param(p, fs);
                if (!pa) {
                    cJSON_Delete(b);
                    return false;
                }
                pa->buf = b;
                pa->line = name.line;
                pa->col = name.col;
                tvs_skip_expr(p, false);
            } else if (tvs_is_name(p, tvs_peek(p, 0), "T") && tvs_is_op(p, tvs_peek(p, 1), ".") &&
                       tvs_is_name(p, tvs_peek(p, 2), "handle")) {
                tvs_skip_expr(p, false);
                pa = add_param(p, fs);
            } else {
                tvs_skip_expr(p, false); /* a scalar parameter */
            }
        } else {
            pa = add_param(p, fs); /* unannotated: may be match_buffer'ed */
        }
        if (p->failed) return false;
        if (pa && !pa->buf) {
            pa->handle = tvs_copy_token(p, &name);
            if (!pa->handle) return false;
        }
        if (tvs_is_op(p, tvs_peek(p, 0), "=")) {
            tvs_next(p);
            tvs_skip_expr(p, false);
        }
        t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, ","))
            tvs_next(p);
        else if (!tvs_is_op(p, t, ")")) {
            tvs_fail(p, t->line, t->col, "expected ',' or ')' after %s, got %s", who,
                     tvs_describe(p, t, d, sizeof d));
            return false;
        }
    }
}

/* A = T.match_buffer(a, shape, dtype, ...): tokens from `A`. */
bool tvs_parse_match_buffer(parser_t *p, func_state_t *fs) {
    tok_t target = tvs_next(p);
    for (int i = 0; i < 5; i++)
        tvs_next(p); /* = T . match_buffer ( */
    const tok_t *h = tvs_peek(p, 0);
    param_t *pa = NULL;
    if (h->kind == TK_NAME &&
        (tvs_is_op(p, tvs_peek(p, 1), ",") || tvs_is_op(p, tvs_peek(p, 1), ")"))) {
        for (size_t k = 0; k < fs->nparams && !pa; k++) {
            param_t *c = &fs->params[(fs->cursor + k) % fs->nparams];
            if (c->handle && !c->buf && strlen(c->handle) == h->len &&
                memcmp(c->handle, p->s + h->off, h->len) == 0)
                pa = c;
        }
    }
    if (!pa) { /* a sub-region or an unknown handle: not a parameter */
        tvs_skip_rest_of_group(p);
        return !p->failed;
    }
    tok_t anchor = tvs_next(p);
    if (tvs_is_op(p, tvs_peek(p, 0), ",")) tvs_next(p);
    char who[160];
    snprintf(who, sizeof who, "buffer '%.*s' (parameter '%s')",
             (int)(target.len > 64 ? 64 : target.len), p->s + target.off, pa->handle);
    char *bname = tvs_copy_token(p, &target);
    if (!bname) return false;
    cJSON *b = parse_buffer_args(p, bname, who, ")", 0, &anchor);
    ttlx_free(bname);
    if (!b) return false;
    pa->buf = b;
    pa->line = target.line;
    pa->col = target.col;
    fs->cursor = (size_t)(pa - fs->params) + 1;
    return true;
}
