/*
 * value.c - values the TVMScript importer reads from tokens: decoded string
 * literals (escapes, prefixes, implicit concatenation) on a scratch stack,
 * exact int64 and double number tokens, and integer expressions for shapes
 * and launch extents (literals, --bind names, + - * // %, T.ceildiv and
 * friends), overflow-checked.
 */
#include "tvs_internal.h"
#include "ttlx_text.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* -------------------------------------------------------------- scratch */

bool tvs_scratch_reserve(parser_t *p, size_t extra) {
    if (extra >= SIZE_MAX / 2 - p->scratch_len) {
        tvs_fail_oom(p);
        return false;
    }
    size_t need = p->scratch_len + extra + 1;
    if (need <= p->scratch_cap) return true;
    char *q = ttlx_grow(p->scratch, &p->scratch_cap, need < 256 ? 256 : need, 1);
    if (!q) {
        tvs_fail_oom(p);
        return false;
    }
    p->scratch = q;
    return true;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = (char)(c | 0x20);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Decodes a string token's contents onto the scratch stack (appending,
 * NUL-terminated). The decoded text is never longer than the source. */
static bool decode_string(parser_t *p, const tok_t *t) {
    const char *s = p->s + t->off;
    bool raw = false, bytes = false;
    for (size_t k = 0; k < t->prefix; k++) {
        raw |= (s[k] | 0x20) == 'r';
        bytes |= (s[k] | 0x20) == 'b';
    }
    size_t i = (size_t)t->prefix + t->quote, end = t->len - t->quote;
    if (!tvs_scratch_reserve(p, end - i)) return false;
    char *o = p->scratch + p->scratch_len;
    while (i < end) {
        char c = s[i];
        if (c == '\r') { /* a source line break is '\n' in the string */
            *o++ = '\n';
            i += (i + 1 < end && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c != '\\') {
            *o++ = c;
            i++;
            continue;
        }
        if (raw) { /* the backslash stays; it only protected the quote */
            *o++ = '\\';
            i++;
            if (i < end && s[i] != '\r') *o++ = s[i++];
            continue;
        }
        i++;
        char e = s[i++];
        uint32_t cp;
        int digits = 0;
        switch (e) {
        case '\n':
            continue;
        case '\r':
            if (i < end && s[i] == '\n') i++;
            continue;
        case '\\':
            *o++ = '\\';
            continue;
        case '\'':
            *o++ = '\'';
            continue;
        case '"':
            *o++ = '"';
            continue;
        case 'a':
            *o++ = '\a';
            continue;
        case 'b':
            *o++ = '\b';
            continue;
        case 'f':
            *o++ = '\f';
            continue;
        case 'n':
            *o++ = '\n';
            continue;
        case 'r':
            *o++ = '\r';
            continue;
        case 't':
            *o++ = '\t';
            continue;
        case 'v':
            *o++ = '\v';
            continue;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
            cp = (uint32_t)(e - '0');
            while (digits < 2 && i < end && s[i] >= '0' && s[i] <= '7') {
                cp = cp * 8 + (uint32_t)(s[i++] - '0');
                digits++;
            }
            break;
        case 'x':
            digits = 2;
            goto hex;
        case 'u':
            digits = bytes ? 0 : 4;
            goto hex;
        case 'U':
            digits = bytes ? 0 : 8;
            goto hex;
        hex:
            if (digits == 0) { /* \u and \U are plain text in bytes */
                *o++ = '\\';
                *o++ = e;
                continue;
            }
            cp = 0;
            for (int k = 0; k < digits; k++) {
                int h = i < end ? hex_value(s[i]) : -1;
                if (h < 0) {
                    tvs_fail(p, t->line, t->col, "invalid \\%c escape in string", e);
                    return false;
                }
                cp = cp * 16 + (uint32_t)h;
                i++;
            }
            break;
        case 'N':
            if (!bytes) {
                tvs_fail(p, t->line, t->col, "\\N{...} escapes are not supported in strings");
                return false;
            }
            /* fall through */
        default: /* an unknown escape keeps its backslash, as in Python */
            *o++ = '\\';
            *o++ = e;
            continue;
        }
        if (cp == 0) {
            tvs_fail(p, t->line, t->col, "string contains a NUL character");
            return false;
        }
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            tvs_fail(p, t->line, t->col, "string escape gives an invalid code point U+%04" PRIX32,
                     cp);
            return false;
        }
        o += ttlx_utf8_encode(cp, o);
    }
    p->scratch_len = (size_t)(o - p->scratch);
    p->scratch[p->scratch_len] = '\0';
    return true;
}

/* Decodes one or more adjacent string tokens ("a" "b" is "ab") onto the
 * scratch stack; returns the offset of the result or SIZE_MAX. */
size_t tvs_parse_strings(parser_t *p) {
    size_t mark = p->scratch_len;
    if (!tvs_scratch_reserve(p, 0)) return SIZE_MAX;
    p->scratch[mark] = '\0';
    while (tvs_peek(p, 0)->kind == TK_STRING) {
        tok_t t = tvs_next(p);
        if (!decode_string(p, &t)) return SIZE_MAX;
    }
    p->scratch_len++; /* keep the NUL */
    return mark;
}

/* -------------------------------------------------------------- numbers */

/* The magnitude of an integer token (sign applied by the caller), up to
 * 2^63 so that -2^63 still fits. */
bool tvs_int_token_value(parser_t *p, const tok_t *t, uint64_t *out) {
    const char *s = p->s + t->off;
    size_t n = t->len, i = 0;
    unsigned base = 10;
    if (t->imag) {
        tvs_fail(p, t->line, t->col, "complex numbers are not supported");
        return false;
    }
    if (n > 1 && s[0] == '0') {
        char x = (char)(s[1] | 0x20);
        base = x == 'x' ? 16 : x == 'o' ? 8 : x == 'b' ? 2 : 10;
        if (base != 10) i = 2;
    }
    uint64_t v = 0;
    bool prev_digit = base != 10, any = false, overflow = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '_') {
            if (!prev_digit) goto bad;
            prev_digit = false;
            continue;
        }
        int d = hex_value(c);
        if (d < 0 || (unsigned)d >= base) goto bad;
        if (v > (UINT64_MAX - (unsigned)d) / base)
            overflow = true;
        else
            v = v * base + (unsigned)d;
        prev_digit = true;
        any = true;
    }
    if (!prev_digit || !any) goto bad;
    if (base == 10 && s[0] == '0' && v != 0) goto bad;
    if (overflow || v > (UINT64_C(1) << 63)) {
        tvs_fail(p, t->line, t->col, "integer %.*s does not fit in 64 bits", (int)(n > 40 ? 40 : n),
                 s);
        return false;
    }
    *out = v;
    return true;
bad:
    tvs_fail(p, t->line, t->col, "invalid integer literal '%.*s'", (int)(n > 40 ? 40 : n), s);
    return false;
}

/* Applies a sign to a magnitude from int_token_value. */
bool tvs_signed_value(parser_t *p, const tok_t *t, uint64_t mag, bool neg, int64_t *out) {
    if (neg) {
        *out = mag == (UINT64_C(1) << 63) ? INT64_MIN : -(int64_t)mag;
        return true;
    }
    if (mag > (uint64_t)INT64_MAX) {
        tvs_fail(p, t->line, t->col, "integer %.*s does not fit in 64 bits",
                 (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
        return false;
    }
    *out = (int64_t)mag;
    return true;
}

bool tvs_float_token_value(parser_t *p, const tok_t *t, double *out) {
    char buf[128];
    size_t k = 0;
    if (t->imag) {
        tvs_fail(p, t->line, t->col, "complex numbers are not supported");
        return false;
    }
    /* strtod follows LC_NUMERIC; Python's '.' becomes the locale's point. */
    const char *point = localeconv()->decimal_point;
    char dp = point && point[0] ? point[0] : '.';
    for (size_t i = 0; i < t->len; i++) {
        char c = p->s[t->off + i];
        if (c == '_') continue;
        if (k + 1 >= sizeof buf) {
            tvs_fail(p, t->line, t->col, "float literal is too long");
            return false;
        }
        buf[k++] = c == '.' ? dp : c;
    }
    buf[k] = '\0';
    char *end = NULL;
    double d = strtod(buf, &end);
    if (end != buf + k) {
        tvs_fail(p, t->line, t->col, "invalid float literal '%.*s'",
                 (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
        return false;
    }
    if (!isfinite(d)) {
        tvs_fail(p, t->line, t->col, "float literal '%.*s' is out of range",
                 (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
        return false;
    }
    *out = d;
    return true;
}

wrapper_t tvs_wrapper_kind(const parser_t *p, const tok_t *t) {
    const char *s = p->s + t->off;
    size_t l = t->len, k;
    if (l == 4 && memcmp(s, "bool", 4) == 0) return W_BOOL;
    if (l > 3 && memcmp(s, "int", 3) == 0)
        k = 3;
    else if (l > 4 && memcmp(s, "uint", 4) == 0)
        k = 4;
    else if ((l >= 5 && memcmp(s, "float", 5) == 0) || (l >= 6 && memcmp(s, "bfloat", 6) == 0))
        return W_FLOAT;
    else
        return W_NONE;
    for (; k < l; k++)
        if (!tvs_is_digit((unsigned char)s[k])) return W_NONE;
    return W_INT;
}

/* -------------------------------------------------- integer expressions */

/* Shapes and launch extents: int literals, T.int64(n)-style wrappers,
 * names bound with --bind, + - * // %, T.ceildiv/floordiv/floormod/min/max,
 * parentheses. `what` names the thing for messages. */

bool tvs_lookup_bind(const parser_t *p, const tok_t *t, int64_t *out) {
    for (size_t i = 0; i < p->nbinds; i++) {
        const char *name = p->binds[i].name;
        if (name && strlen(name) == t->len && memcmp(name, p->s + t->off, t->len) == 0) {
            *out = p->binds[i].value;
            return true;
        }
    }
    /* Finding sites needs no values, but a bound symbol keeps its value so
     * that "n - 1" is not 0 there when the import itself reads fine. */
    if (p->collect) {
        *out = 1;
        return true;
    }
    return false;
}

static bool floor_div(int64_t a, int64_t b, int64_t *q) {
    if (b == 0 || (a == INT64_MIN && b == -1)) return false;
    int64_t r = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) r--;
    *q = r;
    return true;
}

static bool floor_mod(int64_t a, int64_t b, int64_t *m) {
    if (b == 0) return false;
    if (b == -1) {
        *m = 0;
        return true;
    }
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    *m = r;
    return true;
}

static bool ix_binary(parser_t *p, const char *what, const tok_t *op, int64_t a, int64_t b,
                      int64_t *out) {
    char c = p->s[op->off];
    bool ok;
    if (c == '+')
        ok = ttlx_add64(a, b, out);
    else if (c == '-')
        ok = !__builtin_sub_overflow(a, b, out);
    else if (c == '*')
        ok = ttlx_mul64(a, b, out);
    else if (b == 0) {
        tvs_fail(p, op->line, op->col, "%s: division by zero", what);
        return false;
    } else if (c == '%')
        ok = floor_mod(a, b, out);
    else
        ok = floor_div(a, b, out);
    if (!ok) tvs_fail(p, op->line, op->col, "%s: integer overflow", what);
    return ok;
}

static bool ix_call(parser_t *p, const char *what, int64_t *out) {
    tok_t t = tvs_next(p); /* T */
    tvs_next(p);           /* . */
    tok_t f = tvs_next(p); /* the function */
    tvs_next(p);           /* ( */
    enum { F_WRAP, F_CEILDIV, F_FLOORDIV, F_TRUNCDIV, F_FLOORMOD, F_MIN, F_MAX } fn;
    if (tvs_wrapper_kind(p, &f) == W_INT)
        fn = F_WRAP;
    else if (tvs_is_name(p, &f, "ceildiv"))
        fn = F_CEILDIV;
    else if (tvs_is_name(p, &f, "floordiv"))
        fn = F_FLOORDIV;
    else if (tvs_is_name(p, &f, "truncdiv"))
        fn = F_TRUNCDIV;
    else if (tvs_is_name(p, &f, "floormod"))
        fn = F_FLOORMOD;
    else if (tvs_is_name(p, &f, "min"))
        fn = F_MIN;
    else if (tvs_is_name(p, &f, "max"))
        fn = F_MAX;
    else {
        tvs_fail(p, t.line, t.col, "%s: T.%.*s is not an integer expression ttlx can evaluate",
                 what, (int)(f.len > 40 ? 40 : f.len), p->s + f.off);
        return false;
    }
    int64_t a, b;
    if (!tvs_ix_expr(p, what, &a)) return false;
    if (fn == F_WRAP) {
        *out = a;
        return tvs_expect_op(p, ")", "to close the integer wrapper");
    }
    if (!tvs_expect_op(p, ",", "between the two arguments") || !tvs_ix_expr(p, what, &b))
        return false;
    if (tvs_is_op(p, tvs_peek(p, 0), ",")) tvs_next(p);
    if (!tvs_expect_op(p, ")", "to close the call")) return false;
    if (b == 0 && fn != F_MIN && fn != F_MAX) {
        tvs_fail(p, f.line, f.col, "%s: division by zero", what);
        return false;
    }
    bool ok = true;
    int64_t q = 0, m = 0;
    switch (fn) {
    case F_CEILDIV:
        ok = floor_div(a, b, &q) && floor_mod(a, b, &m) && (m == 0 || ttlx_add64(q, 1, &q));
        *out = q;
        break;
    case F_FLOORDIV:
        ok = floor_div(a, b, out);
        break;
    case F_TRUNCDIV:
        ok = !(a == INT64_MIN && b == -1);
        if (ok) *out = a / b;
        break;
    case F_FLOORMOD:
        ok = floor_mod(a, b, out);
        break;
    case F_MIN:
        *out = a < b ? a : b;
        break;
    default:
        *out = a > b ? a : b;
        break;
    }
    if (!ok) tvs_fail(p, f.line, f.col, "%s: integer overflow", what);
    return ok;
}

static bool ix_quoted(parser_t *p, const char *what, int64_t *out);

static bool ix_unary(parser_t *p, const char *what, int64_t *out) {
    const tok_t *t = tvs_peek(p, 0);
    char d[48];
    if (p->nest >= TVMS_MAX_DEPTH) {
        tvs_fail(p, t->line, t->col, "%s: expression nested deeper than %d levels", what,
                 TVMS_MAX_DEPTH);
        return false;
    }
    if (tvs_is_op(p, t, "-") || tvs_is_op(p, t, "+")) {
        tok_t op = tvs_next(p);
        int64_t v;
        p->nest++;
        bool ok = ix_unary(p, what, &v);
        p->nest--;
        if (!ok) return false;
        if (p->s[op.off] == '-') {
            if (v == INT64_MIN) {
                tvs_fail(p, op.line, op.col, "%s: integer overflow", what);
                return false;
            }
            v = -v;
        }
        *out = v;
        return true;
    }
    if (t->kind == TK_INT) {
        tok_t it = tvs_next(p);
        uint64_t mag;
        return tvs_int_token_value(p, &it, &mag) && tvs_signed_value(p, &it, mag, false, out);
    }
    if (tvs_is_op(p, t, "(")) {
        tvs_next(p);
        p->nest++;
        bool ok = tvs_ix_expr(p, what, out);
        p->nest--;
        return ok && tvs_expect_op(p, ")", "to close the parenthesis");
    }
    if (t->kind == TK_NAME) {
        if (tvs_is_name(p, t, "T") && tvs_is_op(p, tvs_peek(p, 1), ".") &&
            tvs_peek(p, 2)->kind == TK_NAME && tvs_is_op(p, tvs_peek(p, 3), "(")) {
            p->nest++;
            bool ok = ix_call(p, what, out);
            p->nest--;
            return ok;
        }
        tok_t nt = tvs_next(p);
        if (tvs_lookup_bind(p, &nt, out)) return true;
        int l = (int)(nt.len > 64 ? 64 : nt.len);
        const char *s = p->s + nt.off;
        tvs_fail(p, nt.line, nt.col, "%s: symbol '%.*s' is unbound; pass --bind %.*s=VALUE", what,
                 l, s, l, s);
        return false;
    }
    if (t->kind == TK_STRING && !p->in_quote) return ix_quoted(p, what, out);
    tvs_fail(p, t->line, t->col, "%s: expected an integer, got %s", what,
             tvs_describe(p, t, d, sizeof d));
    return false;
}

/* ("n + 1", n): TVM prints a compound symbolic dimension as a string. Its
 * text is read with the same grammar by a parser over the string's bytes
 * alone, so error positions point into the string. */
static bool ix_quoted(parser_t *p, const char *what, int64_t *out) {
    tok_t t = tvs_next(p);
    char d[48];
    if (t.prefix || t.quote != 1 || memchr(p->s + t.off, '\\', t.len)) {
        tvs_fail(p, t.line, t.col,
                 "%s: a quoted shape expression must be a plain \"...\" string, got %s", what,
                 tvs_describe(p, &t, d, sizeof d));
        return false;
    }
    parser_t q;
    memset(&q, 0, sizeof q);
    q.s = p->s;
    q.n = t.off + t.len - 1; /* the closing quote ends the text */
    q.pos = t.off + 1;
    q.line = t.line;
    q.line_start = t.off - (size_t)(t.col - 1);
    q.binds = p->binds;
    q.nbinds = p->nbinds;
    q.err = p->err;
    q.collect = p->collect;
    q.nest = p->nest + 1;
    q.in_quote = true;
    const tok_t *first = tvs_peek(&q, 0);
    bool ok = false;
    if (first->kind == TK_NEWLINE || first->kind == TK_EOF) {
        if (!q.failed) tvs_fail(p, t.line, t.col, "%s: the quoted shape expression is empty", what);
    } else if (tvs_ix_expr(&q, what, out)) {
        const tok_t *e = tvs_peek(&q, 0);
        if (e->kind == TK_NEWLINE || e->kind == TK_EOF)
            ok = !q.failed;
        else
            tvs_fail(&q, e->line, e->col, "%s: unexpected %s in the quoted shape expression", what,
                     tvs_describe(&q, e, d, sizeof d));
    }
    if (q.failed) p->failed = true;
    ttlx_free(q.scratch);
    return ok;
}

static bool ix_term(parser_t *p, const char *what, int64_t *out) {
    if (!ix_unary(p, what, out)) return false;
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_is_op(p, t, "/")) {
            tvs_fail(p, t->line, t->col, "%s: '/' gives a float; use '//'", what);
            return false;
        }
        if (!tvs_is_op(p, t, "*") && !tvs_is_op(p, t, "//") && !tvs_is_op(p, t, "%")) return true;
        tok_t op = tvs_next(p);
        int64_t b;
        if (!ix_unary(p, what, &b) || !ix_binary(p, what, &op, *out, b, out)) return false;
    }
}

bool tvs_ix_expr(parser_t *p, const char *what, int64_t *out) {
    if (!ix_term(p, what, out)) return false;
    for (;;) {
        const tok_t *t = tvs_peek(p, 0);
        if (!tvs_is_op(p, t, "+") && !tvs_is_op(p, t, "-")) return true;
        tok_t op = tvs_next(p);
        int64_t b;
        if (!ix_term(p, what, &b) || !ix_binary(p, what, &op, *out, b, out)) return false;
    }
}
