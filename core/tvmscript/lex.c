/*
 * lex.c - the tokenizer of the TVMScript importer: error reporting (byte
 * columns shown as character columns), the UTF-8 check, Python tokens
 * (strings, numbers, operators, comments, bracket nesting, logical lines and
 * indentation) streamed through a small lookahead ring, and the skippers
 * for everything ttlx does not read.
 *
 * Hostile input: the text is bounded by len (no NUL terminator needed),
 * nesting is capped at TVMS_MAX_DEPTH, and the tokenizer streams (memory
 * does not grow with the body).
 */
#include "tvs_internal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

/* --------------------------------------------------------------- errors */

/* Byte column col of a line as a character column, as editors count:
 * UTF-8 continuation bytes take none (the error path only). */
static int char_col(const parser_t *p, int line, int col) {
    if (line <= 0 || col <= 1) return col;
    size_t i = p->n >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (int l = 1; l < line && i < p->n; i++)
        if (p->s[i] == '\n' || (p->s[i] == '\r' && !(i + 1 < p->n && p->s[i + 1] == '\n'))) l++;
    int c = 1;
    for (size_t k = i; k < p->n && k - i < (size_t)col - 1; k++)
        if (((unsigned char)p->s[k] & 0xC0) != 0x80) c++;
    return c;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void
tvs_fail(parser_t *p, int line, int col, const char *fmt, ...) {
    if (p->failed) return;
    col = char_col(p, line, col);
    p->failed = true;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ttlx_error_set(p->err, line, col, "%s", msg);
}

void tvs_fail_oom(parser_t *p) {
    tvs_fail(p, 0, 0, "out of memory while reading TVMScript");
}

static int clamp_int(size_t v) {
    return v > (size_t)INT_MAX ? INT_MAX : (int)v;
}

/* Line and column of a byte offset (used only on the error path). */
static void locate(const parser_t *p, size_t off, int *line, int *col) {
    size_t l = 1, ls = 0;
    for (size_t i = 0; i < off && i < p->n; i++) {
        char c = p->s[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= p->n || p->s[i + 1] != '\n'))) {
            l++;
            ls = i + 1;
        }
    }
    *line = clamp_int(l);
    *col = clamp_int(off - ls + 1);
}

/* ------------------------------------------------------------- encoding */

/* Python source is UTF-8 without NUL bytes: check it once, up front, so
 * the tokenizer and every string handed to cJSON can trust the bytes. */
bool tvs_check_encoding(parser_t *p) {
    const unsigned char *s = (const unsigned char *)p->s;
    size_t i = p->pos, n = p->n;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0) goto bad;
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07u;
        } else {
            goto bad;
        }
        if (n - i - 1 < need) goto bad;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            goto bad;
        i += need + 1;
    }
    return true;
bad : {
    int line, col;
    locate(p, i, &line, &col);
    if (s[i] == 0)
        tvs_fail(p, line, col, "NUL byte in input");
    else
        tvs_fail(p, line, col, "invalid UTF-8 byte 0x%02X", s[i]);
    return false;
}
}

/* ------------------------------------------------------------ tokenizer */

static bool is_name_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static bool is_name_char(unsigned char c) {
    return is_name_start(c) || tvs_is_digit(c);
}

static bool is_string_prefix(const char *s, size_t len) {
    if (len == 0 || len > 2) return false;
    bool r = false, b = false, u = false, f = false;
    for (size_t i = 0; i < len; i++) {
        switch (s[i] | 0x20) {
        case 'r':
            if (r) return false;
            r = true;
            break;
        case 'b':
            if (b) return false;
            b = true;
            break;
        case 'u':
            if (u) return false;
            u = true;
            break;
        case 'f':
            if (f) return false;
            f = true;
            break;
        default:
            return false;
        }
    }
    if (u && len > 1) return false; /* "u" combines with nothing */
    return !(b && f);
}

/* Consumes one line break at pos (\n, \r\n or \r). */
static void lex_newline(parser_t *p) {
    if (p->s[p->pos] == '\r' && p->pos + 1 < p->n && p->s[p->pos + 1] == '\n')
        p->pos += 2;
    else
        p->pos++;
    if (p->line < INT_MAX) p->line++;
    p->line_start = p->pos;
}

static int indent_width(const parser_t *p, size_t from, size_t to) {
    int w = 0;
    for (size_t i = from; i < to; i++) {
        char c = p->s[i];
        if (c == '\t')
            w = (w / 8 + 1) * 8;
        else if (c == '\f')
            w = 0;
        else
            w++;
        if (w > 1000000) w = 1000000;
    }
    return w;
}

static void lex_string(parser_t *p, tok_t *t, size_t prefix_len) {
    const char *s = p->s;
    size_t n = p->n, i = p->pos + prefix_len;
    char q = s[i];
    bool triple = i + 2 < n && s[i + 1] == q && s[i + 2] == q;
    i += triple ? 3 : 1;
    for (;;) {
        if (i >= n) {
            tvs_fail(p, t->line, t->col, "unterminated string");
            t->kind = TK_EOF;
            return;
        }
        char c = s[i];
        if (c == '\\') {
            i++;
            if (i < n) {
                if (s[i] == '\n' || s[i] == '\r') {
                    p->pos = i;
                    lex_newline(p);
                    i = p->pos;
                } else {
                    i++;
                }
            }
            continue;
        }
        if (c == q) {
            if (!triple) {
                i++;
                break;
            }
            if (i + 2 < n && s[i + 1] == q && s[i + 2] == q) {
                i += 3;
                break;
            }
            i++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (!triple) {
                tvs_fail(p, t->line, t->col, "unterminated string");
                t->kind = TK_EOF;
                return;
            }
            p->pos = i;
            lex_newline(p);
            i = p->pos;
            continue;
        }
        i++;
    }
    t->kind = TK_STRING;
    t->prefix = (unsigned char)prefix_len;
    t->quote = triple ? 3 : 1;
    t->len = i - t->off;
    p->pos = i;
}

static void lex_number(parser_t *p, tok_t *t) {
    const unsigned char *s = (const unsigned char *)p->s;
    size_t n = p->n, i = p->pos;
    bool is_float = false;
    char x = i + 1 < n ? (char)(s[i + 1] | 0x20) : 0;
    if (s[i] == '0' && (x == 'x' || x == 'o' || x == 'b')) {
        i += 2;
        while (i < n && is_name_char(s[i]))
            i++;
    } else {
        while (i < n && (tvs_is_digit(s[i]) || s[i] == '_'))
            i++;
        if (i < n && s[i] == '.') {
            is_float = true;
            i++;
            while (i < n && (tvs_is_digit(s[i]) || s[i] == '_'))
                i++;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) j++;
            if (j < n && tvs_is_digit(s[j])) {
                is_float = true;
                i = j;
                while (i < n && (tvs_is_digit(s[i]) || s[i] == '_'))
                    i++;
            }
        }
        if (i < n && (s[i] == 'j' || s[i] == 'J')) {
            t->imag = true;
            i++;
        }
        if (i < n && is_name_char(s[i])) {
            tvs_fail(p, t->line, t->col, "invalid number literal");
            t->kind = TK_EOF;
            return;
        }
    }
    t->kind = is_float ? TK_FLOAT : TK_INT;
    t->len = i - t->off;
    p->pos = i;
}

/* Length of the operator at s (0 when none): the longest of Python's. */
static size_t op_length(const char *s, size_t left) {
    char d = left > 1 ? s[1] : 0, e = left > 2 ? s[2] : 0;
    switch (s[0]) {
    case '*':
    case '/':
    case '<':
    case '>':
        if (d == s[0]) return e == '=' ? 3 : 2; /* ** // << >> and their augmented forms */
        return d == '=' ? 2 : 1;
    case '-':
        return d == '>' || d == '=' ? 2 : 1;
    case '.':
        return d == '.' && e == '.' ? 3 : 1;
    case '=':
    case '!':
    case '+':
    case '%':
    case '&':
    case '|':
    case '^':
    case '@':
    case ':':
        return d == '=' ? 2 : 1;
    case ',':
    case ';':
    case '~':
        return 1;
    default:
        return 0;
    }
}

static bool lex_op(parser_t *p, tok_t *t) {
    size_t l = op_length(p->s + p->pos, p->n - p->pos);
    if (l == 0) return false;
    t->kind = TK_OP;
    t->len = l;
    p->pos += l;
    return true;
}

static void lex_token(parser_t *p, tok_t *t) {
    const unsigned char *s = (const unsigned char *)p->s;
    size_t n = p->n, i = p->pos;
    unsigned char c = s[i];
    if (is_name_start(c)) {
        size_t j = i;
        while (j < n && is_name_char(s[j]))
            j++;
        if (j < n && (s[j] == '\'' || s[j] == '"') && is_string_prefix(p->s + i, j - i)) {
            lex_string(p, t, j - i);
            return;
        }
        t->kind = TK_NAME;
        t->len = j - i;
        p->pos = j;
        return;
    }
    if (tvs_is_digit(c) || (c == '.' && i + 1 < n && tvs_is_digit(s[i + 1]))) {
        lex_number(p, t);
        return;
    }
    if (c == '\'' || c == '"') {
        lex_string(p, t, 0);
        return;
    }
    if (c == '(' || c == '[' || c == '{') {
        if (p->depth >= TVMS_MAX_DEPTH) {
            tvs_fail(p, t->line, t->col, "brackets nested deeper than %d levels", TVMS_MAX_DEPTH);
            t->kind = TK_EOF;
            return;
        }
        p->open[p->depth].ch = (char)c;
        p->open[p->depth].line = t->line;
        p->open[p->depth].col = t->col;
        p->depth++;
        t->kind = TK_OP;
        t->len = 1;
        p->pos++;
        return;
    }
    if (c == ')' || c == ']' || c == '}') {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (p->depth == 0) {
            tvs_fail(p, t->line, t->col, "unmatched '%c'", c);
            t->kind = TK_EOF;
            return;
        }
        const opening_t *o = &p->open[p->depth - 1];
        if (o->ch != want) {
            tvs_fail(p, t->line, t->col, "'%c' does not match '%c' opened at %d:%d", c, o->ch,
                     o->line, char_col(p, o->line, o->col));
            t->kind = TK_EOF;
            return;
        }
        p->depth--;
        t->kind = TK_OP;
        t->len = 1;
        p->pos++;
        return;
    }
    if (lex_op(p, t)) return;
    if (c >= 0x21 && c < 0x7F)
        tvs_fail(p, t->line, t->col, "unexpected character '%c'", c);
    else
        tvs_fail(p, t->line, t->col, "unexpected character 0x%02X", c);
    t->kind = TK_EOF;
}

/* Produces the next token: skips blanks, comments, line continuations and
 * the line breaks inside brackets; emits NEWLINE at the end of each
 * logical line that had tokens, then EOF. */
void tvs_lex(parser_t *p, tok_t *t) {
    const char *s = p->s;
    t->kind = TK_EOF;
    t->bol = t->imag = false;
    t->prefix = t->quote = 0;
    t->indent = 0;
    t->len = 0;
    for (;;) {
        if (p->failed) {
            t->kind = TK_EOF;
            t->line = p->line;
            t->col = 1;
            return;
        }
        while (p->pos < p->n && (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\f'))
            p->pos++;
        t->line = p->line;
        t->col = clamp_int(p->pos - p->line_start + 1);
        t->off = p->pos;
        if (p->pos >= p->n) {
            if (p->depth > 0) {
                const opening_t *o = &p->open[p->depth - 1];
                tvs_fail(p, o->line, o->col, "'%c' is never closed", o->ch);
                continue;
            }
            if (p->line_open) {
                p->line_open = false;
                t->kind = TK_NEWLINE;
                return;
            }
            t->kind = TK_EOF;
            return;
        }
        char c = s[p->pos];
        if (c == '#') {
            while (p->pos < p->n && s[p->pos] != '\n' && s[p->pos] != '\r')
                p->pos++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            lex_newline(p);
            if (p->depth == 0 && p->line_open) {
                p->line_open = false;
                t->kind = TK_NEWLINE;
                return;
            }
            continue;
        }
        if (c == '\\') {
            if (p->pos + 1 < p->n && (s[p->pos + 1] == '\n' || s[p->pos + 1] == '\r')) {
                p->pos++;
                lex_newline(p);
                continue;
            }
            tvs_fail(p, t->line, t->col, "unexpected '\\' (a line continuation must end its line)");
            continue;
        }
        break;
    }
    if (!p->line_open) {
        t->bol = true;
        t->indent = indent_width(p, p->line_start, p->pos);
        p->line_open = true;
    }
    lex_token(p, t);
}

/* ---------------------------------------------- token helpers, skippers */

/* True when the tokens from k on read `T . NAME (` (or `[` when
 * allow_subscript), NAME being one of the names given. */
bool tvs_at_t_call(parser_t *p, unsigned k, const char *name, bool allow_subscript) {
    if (!tvs_is_name(p, tvs_peek(p, k), "T") || !tvs_is_op(p, tvs_peek(p, k + 1), ".") ||
        !tvs_is_name(p, tvs_peek(p, k + 2), name))
        return false;
    const tok_t *b = tvs_peek(p, k + 3);
    return tvs_is_op(p, b, "(") || (allow_subscript && tvs_is_op(p, b, "["));
}

/* A short quoted excerpt of a token for messages. */
const char *tvs_describe(const parser_t *p, const tok_t *t, char *buf, size_t cap) {
    if (t->kind == TK_EOF) return "end of input";
    if (t->kind == TK_NEWLINE) return "end of line";
    size_t l = t->len;
    const char *dots = "";
    if (l > 24) {
        l = 24;
        dots = "...";
    }
    /* Stop at a line break inside a long string. */
    for (size_t i = 0; i < l; i++) {
        if (p->s[t->off + i] == '\n' || p->s[t->off + i] == '\r') {
            l = i;
            dots = "...";
            break;
        }
    }
    snprintf(buf, cap, "'%.*s%s'", (int)l, p->s + t->off, dots);
    return buf;
}

bool tvs_expect_op(parser_t *p, const char *op, const char *where) {
    const tok_t *t = tvs_peek(p, 0);
    if (tvs_is_op(p, t, op)) {
        tvs_next(p);
        return true;
    }
    char d[48];
    tvs_fail(p, t->line, t->col, "expected '%s' %s, got %s", op, where,
             tvs_describe(p, t, d, sizeof d));
    return false;
}

/* Skips a bracketed group whose opening token is next; returns the offset
 * just past its closing bracket. */
size_t tvs_skip_group(parser_t *p) {
    tok_t t = tvs_next(p);
    size_t end = t.off + t.len;
    int depth = 1;
    while (depth > 0 && !p->failed) {
        t = tvs_next(p);
        if (tvs_at_end(&t)) break;
        if (tvs_is_opening(p, &t))
            depth++;
        else if (tvs_is_closing(p, &t))
            depth--;
        end = t.off + t.len;
    }
    return end;
}

/* Skips the rest of a call whose '(' was consumed, through its ')'. */
void tvs_skip_rest_of_group(parser_t *p) {
    int depth = 1;
    while (depth > 0 && !p->failed) {
        tok_t t = tvs_next(p);
        if (tvs_at_end(&t)) break;
        if (tvs_is_opening(p, &t))
            depth++;
        else if (tvs_is_closing(p, &t))
            depth--;
    }
}

/* Skips one expression: stops before a ',' or closing bracket at this
 * level (or before ':' when stop_colon), or at the end of the line. */
void tvs_skip_expr(parser_t *p, bool stop_colon) {
    while (!p->failed) {
        const tok_t *t = tvs_peek(p, 0);
        if (tvs_at_end(t) || t->kind == TK_NEWLINE || tvs_is_closing(p, t) ||
            tvs_is_op(p, t, ",") || (stop_colon && tvs_is_op(p, t, ":")))
            return;
        if (tvs_is_opening(p, t))
            tvs_skip_group(p);
        else
            tvs_next(p);
    }
}

void tvs_skip_line(parser_t *p) {
    while (!p->failed) {
        tok_t t = tvs_next(p);
        if (tvs_at_end(&t) || t.kind == TK_NEWLINE) return;
    }
}
