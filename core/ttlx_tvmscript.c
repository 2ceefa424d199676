/*
 * ttlx_tvmscript.c - TVMScript import (SPEC 1.2).
 *
 * Owns the reading of what TVM's print(func) / mod.script() and TileLang
 * print: a small Python tokenizer (strings, comments, bracket nesting,
 * logical lines and indentation), a parser for the few constructs ttlx needs
 * (the @T.prim_func signature, T.match_buffer, T.func_attr literals, launch
 * extents) and a skipper for everything else. The result is the PrimFunc
 * JSON of SPEC 1.1, which the normal loader then reads, so a TVMScript file
 * and its JSON twin load identically.
 *
 * Hostile input: the text is bounded by len (no NUL terminator needed),
 * nesting is capped at TVMS_MAX_DEPTH, integers are exact int64 with
 * overflow checks, the tokenizer streams (memory does not grow with the
 * body), and every error path frees what it built.
 */
#include "ttlx_tvmscript.h"

#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python's own tokenizer stops at 200 nested brackets; so do we. */
#define TVMS_MAX_DEPTH 200
/* Tokens the parser may look ahead (NAME = T . match_buffer ( NAME ,). */
#define TVMS_LOOKAHEAD 8
/* Shapes and extents stop at 2^53, where doubles (cJSON numbers) stop
 * being exact; the loader has the same limit. */
#define TVMS_EXACT_LIMIT ((INT64_C(1) << 53) - 1)
/* cJSON prints 15 significant digits: larger attribute integers are kept
 * as their exact digits (raw JSON) instead. */
#define TVMS_PRINT_LIMIT INT64_C(999999999999999)

typedef enum { TK_EOF, TK_NEWLINE, TK_NAME, TK_INT, TK_FLOAT, TK_STRING, TK_OP } tok_kind_t;

/* One token: a slice of the source plus where it starts. */
typedef struct tok {
    tok_kind_t kind;
    bool bol;             /* first token of a logical line */
    bool imag;            /* number with a j suffix */
    unsigned char prefix; /* string: prefix letters (r, b, u, f) */
    unsigned char quote;  /* string: 1 or 3 quote characters */
    int indent;           /* bol: indentation width, tabs to multiples of 8 */
    int line, col;        /* 1-based; col counts bytes */
    size_t off, len;      /* source bytes of the whole token */
} tok_t;

typedef struct opening {
    char ch;
    int line, col;
} opening_t;

typedef struct parser {
    const char *s;
    size_t n;
    size_t pos;        /* next byte to tokenize */
    size_t line_start; /* offset of the current physical line */
    int line;
    int depth; /* open brackets */
    opening_t open[TVMS_MAX_DEPTH];
    bool line_open; /* the current logical line has tokens */
    tok_t ring[TVMS_LOOKAHEAD];
    unsigned head, count;
    const ttlx_binding_t *binds;
    size_t nbinds;
    ttlx_error_t *err;
    bool failed;
    int nest;        /* recursion depth of the value parsers */
    size_t last_end; /* offset just past the last token consumed */
    /* ttlx_tvmscript_sites: where each function's attributes are written */
    ttlx_tvmscript_site_t *sites;
    size_t nsites, sitecap;
    bool collect;
    char *scratch; /* a stack of decoded strings */
    size_t scratch_len, scratch_cap;
} parser_t;

/* ---------------------------------------------------------------- errors */

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
static void
fail(parser_t *p, int line, int col, const char *fmt, ...) {
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

static void fail_oom(parser_t *p) {
    fail(p, 0, 0, "out of memory while reading TVMScript");
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
static bool check_encoding(parser_t *p) {
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
        fail(p, line, col, "NUL byte in input");
    else
        fail(p, line, col, "invalid UTF-8 byte 0x%02X", s[i]);
    return false;
}
}

/* ------------------------------------------------------------ tokenizer */

static bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}
static bool is_name_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static bool is_name_char(unsigned char c) {
    return is_name_start(c) || is_digit(c);
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
            fail(p, t->line, t->col, "unterminated string");
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
                fail(p, t->line, t->col, "unterminated string");
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
        while (i < n && (is_digit(s[i]) || s[i] == '_'))
            i++;
        if (i < n && s[i] == '.') {
            is_float = true;
            i++;
            while (i < n && (is_digit(s[i]) || s[i] == '_'))
                i++;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-')) j++;
            if (j < n && is_digit(s[j])) {
                is_float = true;
                i = j;
                while (i < n && (is_digit(s[i]) || s[i] == '_'))
                    i++;
            }
        }
        if (i < n && (s[i] == 'j' || s[i] == 'J')) {
            t->imag = true;
            i++;
        }
        if (i < n && is_name_char(s[i])) {
            fail(p, t->line, t->col, "invalid number literal");
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
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
        lex_number(p, t);
        return;
    }
    if (c == '\'' || c == '"') {
        lex_string(p, t, 0);
        return;
    }
    if (c == '(' || c == '[' || c == '{') {
        if (p->depth >= TVMS_MAX_DEPTH) {
            fail(p, t->line, t->col, "brackets nested deeper than %d levels", TVMS_MAX_DEPTH);
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
            fail(p, t->line, t->col, "unmatched '%c'", c);
            t->kind = TK_EOF;
            return;
        }
        const opening_t *o = &p->open[p->depth - 1];
        if (o->ch != want) {
            fail(p, t->line, t->col, "'%c' does not match '%c' opened at %d:%d", c, o->ch, o->line,
                 char_col(p, o->line, o->col));
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
        fail(p, t->line, t->col, "unexpected character '%c'", c);
    else
        fail(p, t->line, t->col, "unexpected character 0x%02X", c);
    t->kind = TK_EOF;
}

/* Produces the next token: skips blanks, comments, line continuations and
 * the line breaks inside brackets; emits NEWLINE at the end of each
 * logical line that had tokens, then EOF. */
static void lex(parser_t *p, tok_t *t) {
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
                fail(p, o->line, o->col, "'%c' is never closed", o->ch);
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
            fail(p, t->line, t->col, "unexpected '\\' (a line continuation must end its line)");
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

/* -------------------------------------------------------- token access */

static const tok_t *peek(parser_t *p, unsigned k) {
    while (p->count <= k) {
        lex(p, &p->ring[(p->head + p->count) % TVMS_LOOKAHEAD]);
        p->count++;
    }
    return &p->ring[(p->head + k) % TVMS_LOOKAHEAD];
}

static tok_t next(parser_t *p) {
    tok_t t = *peek(p, 0);
    p->last_end = t.off + t.len;
    p->head = (p->head + 1) % TVMS_LOOKAHEAD;
    p->count--;
    return t;
}

static bool tok_is(const parser_t *p, const tok_t *t, tok_kind_t kind, const char *text) {
    size_t l = strlen(text);
    return t->kind == kind && t->len == l && memcmp(p->s + t->off, text, l) == 0;
}
static bool is_op(const parser_t *p, const tok_t *t, const char *op) {
    return tok_is(p, t, TK_OP, op);
}
static bool is_name(const parser_t *p, const tok_t *t, const char *name) {
    return tok_is(p, t, TK_NAME, name);
}
static bool is_opening(const parser_t *p, const tok_t *t) {
    return t->kind == TK_OP && t->len == 1 && memchr("([{", p->s[t->off], 3);
}
static bool is_closing(const parser_t *p, const tok_t *t) {
    return t->kind == TK_OP && t->len == 1 && memchr(")]}", p->s[t->off], 3);
}
static bool at_end(const tok_t *t) {
    return t->kind == TK_EOF;
}

/* True when the tokens from k on read `T . NAME (` (or `[` when
 * allow_subscript), NAME being one of the names given. */
static bool at_t_call(parser_t *p, unsigned k, const char *name, bool allow_subscript) {
    if (!is_name(p, peek(p, k), "T") || !is_op(p, peek(p, k + 1), ".") ||
        !is_name(p, peek(p, k + 2), name))
        return false;
    const tok_t *b = peek(p, k + 3);
    return is_op(p, b, "(") || (allow_subscript && is_op(p, b, "["));
}

/* A short quoted excerpt of a token for messages. */
static const char *describe(const parser_t *p, const tok_t *t, char *buf, size_t cap) {
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

static bool expect_op(parser_t *p, const char *op, const char *where) {
    const tok_t *t = peek(p, 0);
    if (is_op(p, t, op)) {
        next(p);
        return true;
    }
    char d[48];
    fail(p, t->line, t->col, "expected '%s' %s, got %s", op, where, describe(p, t, d, sizeof d));
    return false;
}

/* Skips a bracketed group whose opening token is next; returns the offset
 * just past its closing bracket. */
static size_t skip_group(parser_t *p) {
    tok_t t = next(p);
    size_t end = t.off + t.len;
    int depth = 1;
    while (depth > 0 && !p->failed) {
        t = next(p);
        if (at_end(&t)) break;
        if (is_opening(p, &t))
            depth++;
        else if (is_closing(p, &t))
            depth--;
        end = t.off + t.len;
    }
    return end;
}

/* Skips the rest of a call whose '(' was consumed, through its ')'. */
static void skip_rest_of_group(parser_t *p) {
    int depth = 1;
    while (depth > 0 && !p->failed) {
        tok_t t = next(p);
        if (at_end(&t)) break;
        if (is_opening(p, &t))
            depth++;
        else if (is_closing(p, &t))
            depth--;
    }
}

/* Skips one expression: stops before a ',' or closing bracket at this
 * level (or before ':' when stop_colon), or at the end of the line. */
static void skip_expr(parser_t *p, bool stop_colon) {
    while (!p->failed) {
        const tok_t *t = peek(p, 0);
        if (at_end(t) || t->kind == TK_NEWLINE || is_closing(p, t) || is_op(p, t, ",") ||
            (stop_colon && is_op(p, t, ":")))
            return;
        if (is_opening(p, t))
            skip_group(p);
        else
            next(p);
    }
}

static void skip_line(parser_t *p) {
    while (!p->failed) {
        tok_t t = next(p);
        if (at_end(&t) || t.kind == TK_NEWLINE) return;
    }
}

/* ------------------------------------------------------------- scratch */

static bool scratch_reserve(parser_t *p, size_t extra) {
    if (extra >= SIZE_MAX / 2 - p->scratch_len) {
        fail_oom(p);
        return false;
    }
    size_t need = p->scratch_len + extra + 1;
    if (need <= p->scratch_cap) return true;
    size_t cap = p->scratch_cap ? p->scratch_cap : 256;
    while (cap < need)
        cap *= 2;
    char *q = ttlx_realloc(p->scratch, cap);
    if (!q) {
        fail_oom(p);
        return false;
    }
    p->scratch = q;
    p->scratch_cap = cap;
    return true;
}

static size_t put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
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
    if (!scratch_reserve(p, end - i)) return false;
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
                    fail(p, t->line, t->col, "invalid \\%c escape in string", e);
                    return false;
                }
                cp = cp * 16 + (uint32_t)h;
                i++;
            }
            break;
        case 'N':
            if (!bytes) {
                fail(p, t->line, t->col, "\\N{...} escapes are not supported in strings");
                return false;
            }
            /* fall through */
        default: /* an unknown escape keeps its backslash, as in Python */
            *o++ = '\\';
            *o++ = e;
            continue;
        }
        if (cp == 0) {
            fail(p, t->line, t->col, "string contains a NUL character");
            return false;
        }
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            fail(p, t->line, t->col, "string escape gives an invalid code point U+%04" PRIX32, cp);
            return false;
        }
        o += put_utf8(o, cp);
    }
    p->scratch_len = (size_t)(o - p->scratch);
    p->scratch[p->scratch_len] = '\0';
    return true;
}

/* Decodes one or more adjacent string tokens ("a" "b" is "ab") onto the
 * scratch stack; returns the offset of the result or SIZE_MAX. */
static size_t parse_strings(parser_t *p) {
    size_t mark = p->scratch_len;
    if (!scratch_reserve(p, 0)) return SIZE_MAX;
    p->scratch[mark] = '\0';
    while (peek(p, 0)->kind == TK_STRING) {
        tok_t t = next(p);
        if (!decode_string(p, &t)) return SIZE_MAX;
    }
    p->scratch_len++; /* keep the NUL */
    return mark;
}

/* ------------------------------------------------------------- numbers */

/* The magnitude of an integer token (sign applied by the caller), up to
 * 2^63 so that -2^63 still fits. */
static bool int_token_value(parser_t *p, const tok_t *t, uint64_t *out) {
    const char *s = p->s + t->off;
    size_t n = t->len, i = 0;
    unsigned base = 10;
    if (t->imag) {
        fail(p, t->line, t->col, "complex numbers are not supported");
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
        fail(p, t->line, t->col, "integer %.*s does not fit in 64 bits", (int)(n > 40 ? 40 : n), s);
        return false;
    }
    *out = v;
    return true;
bad:
    fail(p, t->line, t->col, "invalid integer literal '%.*s'", (int)(n > 40 ? 40 : n), s);
    return false;
}

/* Applies a sign to a magnitude from int_token_value. */
static bool signed_value(parser_t *p, const tok_t *t, uint64_t mag, bool neg, int64_t *out) {
    if (neg) {
        *out = mag == (UINT64_C(1) << 63) ? INT64_MIN : -(int64_t)mag;
        return true;
    }
    if (mag > (uint64_t)INT64_MAX) {
        fail(p, t->line, t->col, "integer %.*s does not fit in 64 bits",
             (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
        return false;
    }
    *out = (int64_t)mag;
    return true;
}

static bool float_token_value(parser_t *p, const tok_t *t, double *out) {
    char buf[128];
    size_t k = 0;
    if (t->imag) {
        fail(p, t->line, t->col, "complex numbers are not supported");
        return false;
    }
    /* strtod follows LC_NUMERIC; Python's '.' becomes the locale's point. */
    const char *point = localeconv()->decimal_point;
    char dp = point && point[0] ? point[0] : '.';
    for (size_t i = 0; i < t->len; i++) {
        char c = p->s[t->off + i];
        if (c == '_') continue;
        if (k + 1 >= sizeof buf) {
            fail(p, t->line, t->col, "float literal is too long");
            return false;
        }
        buf[k++] = c == '.' ? dp : c;
    }
    buf[k] = '\0';
    char *end = NULL;
    double d = strtod(buf, &end);
    if (end != buf + k) {
        fail(p, t->line, t->col, "invalid float literal '%.*s'", (int)(t->len > 40 ? 40 : t->len),
             p->s + t->off);
        return false;
    }
    if (!isfinite(d)) {
        fail(p, t->line, t->col, "float literal '%.*s' is out of range",
             (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
        return false;
    }
    *out = d;
    return true;
}

typedef enum { W_NONE, W_INT, W_FLOAT, W_BOOL } wrapper_t;

static wrapper_t wrapper_kind(const parser_t *p, const tok_t *t) {
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
        if (!is_digit((unsigned char)s[k])) return W_NONE;
    return W_INT;
}

/* ------------------------------------------------- integer expressions */

/* Shapes and launch extents: int literals, T.int64(n)-style wrappers,
 * names bound with --bind, + - * // %, T.ceildiv/floordiv/floormod/min/max,
 * parentheses. `what` names the thing for messages. */
static bool ix_expr(parser_t *p, const char *what, int64_t *out);

static bool lookup_bind(const parser_t *p, const tok_t *t, int64_t *out) {
    if (p->collect) { /* finding sites needs no values */
        *out = 1;
        return true;
    }
    for (size_t i = 0; i < p->nbinds; i++) {
        const char *name = p->binds[i].name;
        if (name && strlen(name) == t->len && memcmp(name, p->s + t->off, t->len) == 0) {
            *out = p->binds[i].value;
            return true;
        }
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
        fail(p, op->line, op->col, "%s: division by zero", what);
        return false;
    } else if (c == '%')
        ok = floor_mod(a, b, out);
    else
        ok = floor_div(a, b, out);
    if (!ok) fail(p, op->line, op->col, "%s: integer overflow", what);
    return ok;
}

static bool ix_call(parser_t *p, const char *what, int64_t *out) {
    tok_t t = next(p); /* T */
    next(p);           /* . */
    tok_t f = next(p); /* the function */
    next(p);           /* ( */
    enum { F_WRAP, F_CEILDIV, F_FLOORDIV, F_TRUNCDIV, F_FLOORMOD, F_MIN, F_MAX } fn;
    if (wrapper_kind(p, &f) == W_INT)
        fn = F_WRAP;
    else if (is_name(p, &f, "ceildiv"))
        fn = F_CEILDIV;
    else if (is_name(p, &f, "floordiv"))
        fn = F_FLOORDIV;
    else if (is_name(p, &f, "truncdiv"))
        fn = F_TRUNCDIV;
    else if (is_name(p, &f, "floormod"))
        fn = F_FLOORMOD;
    else if (is_name(p, &f, "min"))
        fn = F_MIN;
    else if (is_name(p, &f, "max"))
        fn = F_MAX;
    else {
        fail(p, t.line, t.col, "%s: T.%.*s is not an integer expression ttlx can evaluate", what,
             (int)(f.len > 40 ? 40 : f.len), p->s + f.off);
        return false;
    }
    int64_t a, b;
    if (!ix_expr(p, what, &a)) return false;
    if (fn == F_WRAP) {
        *out = a;
        return expect_op(p, ")", "to close the integer wrapper");
    }
    if (!expect_op(p, ",", "between the two arguments") || !ix_expr(p, what, &b)) return false;
    if (is_op(p, peek(p, 0), ",")) next(p);
    if (!expect_op(p, ")", "to close the call")) return false;
    if (b == 0 && fn != F_MIN && fn != F_MAX) {
        fail(p, f.line, f.col, "%s: division by zero", what);
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
    if (!ok) fail(p, f.line, f.col, "%s: integer overflow", what);
    return ok;
}

static bool ix_unary(parser_t *p, const char *what, int64_t *out) {
    const tok_t *t = peek(p, 0);
    char d[48];
    if (p->nest >= TVMS_MAX_DEPTH) {
        fail(p, t->line, t->col, "%s: expression nested deeper than %d levels", what,
             TVMS_MAX_DEPTH);
        return false;
    }
    if (is_op(p, t, "-") || is_op(p, t, "+")) {
        tok_t op = next(p);
        int64_t v;
        p->nest++;
        bool ok = ix_unary(p, what, &v);
        p->nest--;
        if (!ok) return false;
        if (p->s[op.off] == '-') {
            if (v == INT64_MIN) {
                fail(p, op.line, op.col, "%s: integer overflow", what);
                return false;
            }
            v = -v;
        }
        *out = v;
        return true;
    }
    if (t->kind == TK_INT) {
        tok_t it = next(p);
        uint64_t mag;
        return int_token_value(p, &it, &mag) && signed_value(p, &it, mag, false, out);
    }
    if (is_op(p, t, "(")) {
        next(p);
        p->nest++;
        bool ok = ix_expr(p, what, out);
        p->nest--;
        return ok && expect_op(p, ")", "to close the parenthesis");
    }
    if (t->kind == TK_NAME) {
        if (is_name(p, t, "T") && is_op(p, peek(p, 1), ".") && peek(p, 2)->kind == TK_NAME &&
            is_op(p, peek(p, 3), "(")) {
            p->nest++;
            bool ok = ix_call(p, what, out);
            p->nest--;
            return ok;
        }
        tok_t nt = next(p);
        if (lookup_bind(p, &nt, out)) return true;
        int l = (int)(nt.len > 64 ? 64 : nt.len);
        const char *s = p->s + nt.off;
        fail(p, nt.line, nt.col, "%s: symbol '%.*s' is unbound; pass --bind %.*s=VALUE", what, l, s,
             l, s);
        return false;
    }
    fail(p, t->line, t->col, "%s: expected an integer, got %s", what, describe(p, t, d, sizeof d));
    return false;
}

static bool ix_term(parser_t *p, const char *what, int64_t *out) {
    if (!ix_unary(p, what, out)) return false;
    for (;;) {
        const tok_t *t = peek(p, 0);
        if (is_op(p, t, "/")) {
            fail(p, t->line, t->col, "%s: '/' gives a float; use '//'", what);
            return false;
        }
        if (!is_op(p, t, "*") && !is_op(p, t, "//") && !is_op(p, t, "%")) return true;
        tok_t op = next(p);
        int64_t b;
        if (!ix_unary(p, what, &b) || !ix_binary(p, what, &op, *out, b, out)) return false;
    }
}

static bool ix_expr(parser_t *p, const char *what, int64_t *out) {
    if (!ix_term(p, what, out)) return false;
    for (;;) {
        const tok_t *t = peek(p, 0);
        if (!is_op(p, t, "+") && !is_op(p, t, "-")) return true;
        tok_t op = next(p);
        int64_t b;
        if (!ix_term(p, what, &b) || !ix_binary(p, what, &op, *out, b, out)) return false;
    }
}

/* ------------------------------------------------------ literal values */

/* T.func_attr values: Python literals become JSON. */
static cJSON *parse_value(parser_t *p);

typedef struct num {
    bool is_int;
    int64_t i;
    double d;
} num_t;

/* At `T . NAME (` with NAME a number or bool wrapper? */
static wrapper_t at_wrapper(parser_t *p) {
    if (!is_name(p, peek(p, 0), "T") || !is_op(p, peek(p, 1), ".") || peek(p, 2)->kind != TK_NAME ||
        !is_op(p, peek(p, 3), "("))
        return W_NONE;
    return wrapper_kind(p, peek(p, 2));
}

/* A number: signs, then an int or float token or T.int32(...)-style
 * wrapper around a number. */
static bool parse_numeric(parser_t *p, num_t *out) {
    bool neg = false;
    char d[48];
    while (is_op(p, peek(p, 0), "-") || is_op(p, peek(p, 0), "+")) {
        tok_t s = next(p);
        if (p->s[s.off] == '-') neg = !neg;
    }
    const tok_t *t = peek(p, 0);
    if (t->kind == TK_INT) {
        tok_t it = next(p);
        uint64_t mag;
        out->is_int = true;
        return int_token_value(p, &it, &mag) && signed_value(p, &it, mag, neg, &out->i);
    }
    if (t->kind == TK_FLOAT) {
        tok_t ft = next(p);
        out->is_int = false;
        if (!float_token_value(p, &ft, &out->d)) return false;
        if (neg) out->d = -out->d;
        return true;
    }
    wrapper_t w = at_wrapper(p);
    if (w == W_INT || w == W_FLOAT) {
        if (p->nest >= TVMS_MAX_DEPTH) {
            fail(p, t->line, t->col, "value nested deeper than %d levels", TVMS_MAX_DEPTH);
            return false;
        }
        next(p);
        next(p);
        tok_t wt = next(p);
        next(p);
        p->nest++;
        bool ok = parse_numeric(p, out);
        p->nest--;
        if (!ok) return false;
        if (is_op(p, peek(p, 0), ",")) /* T.float32(1.5, span=...) never appears; be lenient */
            skip_rest_of_group(p);
        else if (!expect_op(p, ")", "to close the number wrapper"))
            return false;
        if (w == W_INT && !out->is_int) {
            fail(p, wt.line, wt.col, "T.%.*s needs an integer", (int)wt.len, p->s + wt.off);
            return false;
        }
        if (w == W_FLOAT && out->is_int) {
            out->is_int = false;
            out->d = (double)out->i;
        }
        if (neg) {
            if (out->is_int) {
                if (out->i == INT64_MIN) {
                    fail(p, wt.line, wt.col, "integer does not fit in 64 bits");
                    return false;
                }
                out->i = -out->i;
            } else {
                out->d = -out->d;
            }
        }
        return true;
    }
    fail(p, t->line, t->col, "expected a number, got %s", describe(p, t, d, sizeof d));
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
    if (!j) fail_oom(p);
    return j;
}

/* Text of an unknown call or dotted name, whitespace runs collapsed, kept
 * as a string so unusual attributes (T.target(...)) are shown, not lost. */
static cJSON *parse_opaque(parser_t *p) {
    size_t start = peek(p, 0)->off;
    tok_t t = next(p);
    size_t end = t.off + t.len;
    while (is_op(p, peek(p, 0), ".") && peek(p, 1)->kind == TK_NAME) {
        next(p);
        t = next(p);
        end = t.off + t.len;
    }
    while (is_op(p, peek(p, 0), "(") || is_op(p, peek(p, 0), "["))
        end = skip_group(p);
    if (p->failed) return NULL;
    size_t mark = p->scratch_len;
    if (!scratch_reserve(p, end - start)) return NULL;
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
    if (!j) fail_oom(p);
    return j;
}

/* Where each key of a dict was written, to report duplicates. */
typedef struct keypos {
    const char *key;
    size_t index;
    int line, col;
    cJSON *item; /* the buffer object, for buffer names */
} keypos_t;

static bool pos_before(const keypos_t *a, const keypos_t *b) {
    return a->line < b->line || (a->line == b->line && a->col < b->col);
}

/* The names of a dict or of a function's buffers, with a hash index once
 * there are many (a 10,000-entry tt.user_layout stays linear). */
typedef struct keylist {
    keypos_t local[16];
    keypos_t *v;
    size_t n, cap;
    size_t *slots; /* open addressing: index into v, SIZE_MAX when empty */
    size_t nslots; /* power of two, 0 when not built */
} keylist_t;

static size_t hash_name(const char *s) {
    uint64_t h = UINT64_C(1469598103934665603);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)(h ^ (h >> 32));
}

/* The entry named key, or NULL. */
static const keypos_t *keylist_find(const keylist_t *l, const char *key) {
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
static bool check_duplicates(parser_t *p, keylist_t *l, const char *what) {
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
            fail_oom(p);
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
        fail(p, dup->line, dup->col, "duplicate %s '%.*s'", what, 64, dup->key);
        return false;
    }
    return true;
}

static void keylist_init(keylist_t *l) {
    l->v = l->local;
    l->n = 0;
    l->cap = sizeof l->local / sizeof l->local[0];
    l->slots = NULL;
    l->nslots = 0;
}
static void keylist_free(keylist_t *l) {
    if (l->v != l->local) ttlx_free(l->v);
    ttlx_free(l->slots);
}
static bool keylist_add(parser_t *p, keylist_t *l, const char *key, int line, int col) {
    if (l->n == l->cap) {
        size_t cap = l->cap * 2;
        keypos_t *v =
            l->v == l->local ? ttlx_malloc(cap * sizeof *v) : ttlx_realloc(l->v, cap * sizeof *v);
        if (!v) {
            fail_oom(p);
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

static cJSON *parse_dict(parser_t *p) {
    next(p); /* { */
    cJSON *obj = cJSON_CreateObject();
    keylist_t keys;
    keylist_init(&keys);
    char d[48];
    if (!obj) {
        fail_oom(p);
        return NULL;
    }
    for (;;) {
        const tok_t *t = peek(p, 0);
        if (is_op(p, t, "}")) {
            next(p);
            break;
        }
        if (t->kind != TK_STRING) {
            fail(p, t->line, t->col, "dict keys must be strings, got %s",
                 describe(p, t, d, sizeof d));
            goto fail;
        }
        int kl = t->line, kc = t->col;
        size_t key = parse_strings(p);
        if (key == SIZE_MAX || !expect_op(p, ":", "after a dict key")) goto fail;
        cJSON *v = parse_value(p);
        if (!v) goto fail;
        if (!cJSON_AddItemToObject(obj, p->scratch + key, v)) {
            cJSON_Delete(v);
            fail_oom(p);
            goto fail;
        }
        p->scratch_len = key;
        if (!keylist_add(p, &keys, v->string, kl, kc)) goto fail;
        t = peek(p, 0);
        if (is_op(p, t, ","))
            next(p);
        else if (!is_op(p, t, "}")) {
            fail(p, t->line, t->col, "expected ',' or '}' in dict, got %s",
                 describe(p, t, d, sizeof d));
            goto fail;
        }
    }
    if (!check_duplicates(p, &keys, "key")) goto fail;
    keylist_free(&keys);
    return obj;
fail:
    keylist_free(&keys);
    cJSON_Delete(obj);
    return NULL;
}

/* The rest of a list or tuple after its opening (and optional first item
 * already in arr), through the closing bracket. */
static cJSON *parse_items(parser_t *p, cJSON *arr, const char *close) {
    char d[48];
    for (;;) {
        const tok_t *t = peek(p, 0);
        if (is_op(p, t, close)) {
            next(p);
            return arr;
        }
        cJSON *v = parse_value(p);
        if (!v) goto fail;
        if (!cJSON_AddItemToArray(arr, v)) {
            cJSON_Delete(v);
            fail_oom(p);
            goto fail;
        }
        t = peek(p, 0);
        if (is_op(p, t, ","))
            next(p);
        else if (!is_op(p, t, close)) {
            fail(p, t->line, t->col, "expected ',' or '%s' in %s, got %s", close,
                 close[0] == ']' ? "list" : "tuple", describe(p, t, d, sizeof d));
            goto fail;
        }
    }
fail:
    cJSON_Delete(arr);
    return NULL;
}

static cJSON *parse_value_inner(parser_t *p) {
    const tok_t *t = peek(p, 0);
    char d[48];
    if (is_op(p, t, "{")) return parse_dict(p);
    if (is_op(p, t, "[") || is_op(p, t, "(")) {
        bool tuple = is_op(p, t, "(");
        next(p);
        cJSON *arr = cJSON_CreateArray();
        if (!arr) {
            fail_oom(p);
            return NULL;
        }
        if (!tuple || is_op(p, peek(p, 0), ")")) return parse_items(p, arr, tuple ? ")" : "]");
        /* (x) is x; (x,) and (x, y) are tuples. */
        cJSON *first = parse_value(p);
        if (!first) {
            cJSON_Delete(arr);
            return NULL;
        }
        if (is_op(p, peek(p, 0), ")")) {
            next(p);
            cJSON_Delete(arr);
            return first;
        }
        if (!cJSON_AddItemToArray(arr, first)) {
            cJSON_Delete(first);
            cJSON_Delete(arr);
            fail_oom(p);
            return NULL;
        }
        if (!expect_op(p, ",", "or ')' in tuple")) {
            cJSON_Delete(arr);
            return NULL;
        }
        return parse_items(p, arr, ")");
    }
    if (t->kind == TK_STRING) {
        size_t mark = parse_strings(p);
        if (mark == SIZE_MAX) return NULL;
        cJSON *j = cJSON_CreateString(p->scratch + mark);
        p->scratch_len = mark;
        if (!j) fail_oom(p);
        return j;
    }
    if (t->kind == TK_INT || t->kind == TK_FLOAT || is_op(p, t, "-") || is_op(p, t, "+")) {
        num_t v;
        return parse_numeric(p, &v) ? number_json(p, &v) : NULL;
    }
    if (t->kind == TK_NAME) {
        cJSON *j = NULL;
        if (is_name(p, t, "True") || is_name(p, t, "False")) {
            j = cJSON_CreateBool(is_name(p, t, "True"));
            next(p);
        } else if (is_name(p, t, "None")) {
            j = cJSON_CreateNull();
            next(p);
        } else {
            wrapper_t w = at_wrapper(p);
            if (w == W_INT || w == W_FLOAT) {
                num_t v;
                return parse_numeric(p, &v) ? number_json(p, &v) : NULL;
            }
            if (w == W_BOOL) {
                next(p);
                next(p);
                tok_t wt = next(p);
                next(p);
                cJSON *inner = parse_value(p);
                if (!inner) return NULL;
                bool truth =
                    cJSON_IsTrue(inner) || (cJSON_IsNumber(inner) && inner->valuedouble != 0);
                bool ok = cJSON_IsBool(inner) || cJSON_IsNumber(inner);
                cJSON_Delete(inner);
                if (!ok) {
                    fail(p, wt.line, wt.col, "T.bool needs True, False or a number");
                    return NULL;
                }
                if (!expect_op(p, ")", "to close T.bool")) return NULL;
                j = cJSON_CreateBool(truth);
            } else if (is_op(p, peek(p, 1), ".") || is_op(p, peek(p, 1), "(")) {
                return parse_opaque(p);
            } else {
                tok_t nt = next(p);
                int64_t v;
                if (lookup_bind(p, &nt, &v)) {
                    num_t nv = {true, v, 0};
                    return number_json(p, &nv);
                }
                const char *hint = "";
                if (tok_is(p, &nt, TK_NAME, "true") || tok_is(p, &nt, TK_NAME, "false"))
                    hint = " (Python spells booleans True and False)";
                else if (tok_is(p, &nt, TK_NAME, "null"))
                    hint = " (Python spells null None)";
                fail(p, nt.line, nt.col, "'%.*s' is not a literal value%s",
                     (int)(nt.len > 64 ? 64 : nt.len), p->s + nt.off, hint);
                return NULL;
            }
        }
        if (!j) fail_oom(p);
        return j;
    }
    fail(p, t->line, t->col, "expected a value, got %s", describe(p, t, d, sizeof d));
    return NULL;
}

static cJSON *parse_value(parser_t *p) {
    if (p->nest >= TVMS_MAX_DEPTH) {
        const tok_t *t = peek(p, 0);
        fail(p, t->line, t->col, "value nested deeper than %d levels", TVMS_MAX_DEPTH);
        return NULL;
    }
    p->nest++;
    cJSON *v = parse_value_inner(p);
    p->nest--;
    return v;
}

/* ------------------------------------------------------------ functions */

/* One parameter: a buffer, or a handle that T.match_buffer may name. */
typedef struct param {
    char *handle; /* handle name (owned), NULL for buffer parameters */
    cJSON *buf;   /* {"name","shape","dtype"}, NULL until known */
    int line, col;
} param_t;

/* bx = T.env_thread("blockIdx.x") */
typedef struct env_thread {
    char *name;
    int axis;
} env_thread_t;

typedef struct func_state {
    param_t *params;
    size_t nparams, cap;
    size_t cursor; /* T.match_buffer usually follows parameter order */
    cJSON *attrs;
    int64_t ext[3];
    bool ext_set[3];
    int nkernel; /* T.Kernel extents, 0 when none */
    env_thread_t *envs;
    size_t nenvs, envcap;
    cJSON *description; /* the docstring, NULL when none */
} func_state_t;

static void func_state_free(func_state_t *fs) {
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

static char *copy_token(parser_t *p, const tok_t *t) {
    char *s = ttlx_malloc(t->len + 1);
    if (!s) {
        fail_oom(p);
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
            fail_oom(p);
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
    const tok_t *t = peek(p, 0);
    char close[2] = {0, 0};
    int r = 0;
    if (is_op(p, t, "(") || is_op(p, t, "[")) {
        close[0] = is_op(p, t, "(") ? ')' : ']';
        tok_t open = next(p);
        for (;;) {
            t = peek(p, 0);
            if (is_op(p, t, close)) break;
            if (r == TTLX_MAX_RANK) {
                fail(p, t->line, t->col, "%s has more than %d dimensions", who, TTLX_MAX_RANK);
                return false;
            }
            int dl = t->line, dc = t->col;
            if (!ix_expr(p, what, &shape[r])) return false;
            if (shape[r] <= 0) {
                fail(p, dl, dc, "%s: dimension %d is %" PRId64 "; dimensions must be positive", who,
                     r, shape[r]);
                return false;
            }
            if (shape[r] > TVMS_EXACT_LIMIT) {
                fail(p, dl, dc, "%s: dimension %d is 2^53 or more", who, r);
                return false;
            }
            r++;
            t = peek(p, 0);
            if (is_op(p, t, ","))
                next(p);
            else if (!is_op(p, t, close)) {
                char d[48];
                fail(p, t->line, t->col, "expected ',' or '%s' in the shape of %s, got %s", close,
                     who, describe(p, t, d, sizeof d));
                return false;
            }
        }
        next(p);
        if (r == 0) {
            fail(p, open.line, open.col, "%s: a buffer needs 1 to %d dimensions", who,
                 TTLX_MAX_RANK);
            return false;
        }
        int64_t elems = 1;
        for (int d = 0; d < r; d++) {
            if (!ttlx_mul64(elems, shape[d], &elems)) {
                fail(p, open.line, open.col,
                     "%s: the shape has more than 2^63 elements (the product overflows)", who);
                return false;
            }
        }
    } else {
        int dl = t->line, dc = t->col;
        if (!ix_expr(p, what, &shape[0])) return false;
        if (shape[0] <= 0 || shape[0] > TVMS_EXACT_LIMIT) {
            fail(p, dl, dc, "%s: dimension 0 is %" PRId64 "; dimensions must be positive", who,
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
        const tok_t *t = peek(p, 0);
        if (is_op(p, t, close)) {
            next(p);
            break;
        }
        int role = 2; /* 0 shape, 1 dtype, 2 other */
        if (t->kind == TK_NAME && is_op(p, peek(p, 1), "=")) {
            tok_t k = next(p);
            next(p);
            role = is_name(p, &k, "shape") ? 0 : is_name(p, &k, "dtype") ? 1 : 2;
        } else {
            role = index == 0 ? 0 : index == 1 ? 1 : 2;
            index++;
        }
        t = peek(p, 0);
        if (role == 0) {
            if (!parse_shape(p, what, who, shape, &rank)) return NULL;
        } else if (role == 1) {
            if (t->kind != TK_STRING) {
                fail(p, t->line, t->col, "%s: dtype must be a string, got %s", who,
                     describe(p, t, d, sizeof d));
                return NULL;
            }
            dline = t->line;
            dcol = t->col;
            p->scratch_len = dtype == SIZE_MAX ? p->scratch_len : dtype;
            dtype = parse_strings(p);
            if (dtype == SIZE_MAX) return NULL;
        } else {
            skip_expr(p, false);
        }
        t = peek(p, 0);
        if (is_op(p, t, ","))
            next(p);
        else if (!is_op(p, t, close)) {
            fail(p, t->line, t->col, "expected ',' or '%s' in the buffer of %s, got %s", close, who,
                 describe(p, t, d, sizeof d));
            return NULL;
        }
    }
    if (p->failed) return NULL;
    if (rank < 0) {
        fail(p, anchor->line, anchor->col, "%s: the buffer has no shape", who);
        return NULL;
    }
    const char *dt = dtype == SIZE_MAX ? "float32" : p->scratch + dtype;
    const char *canon = ttlx_dtype_canonical(dt);
    if (!canon) {
        fail(p, dline, dcol, "%s: unsupported dtype '%.*s'", who, 40, dt);
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
        fail_oom(p);
        return NULL;
    }
    cJSON_AddItemToObjectCS(b, "shape", sh); /* cannot fail: all arguments valid */
    for (int i = 0; i < rank; i++) {
        cJSON *v = cJSON_CreateNumber((double)shape[i]);
        if (!v || !cJSON_AddItemToArray(sh, v)) {
            cJSON_Delete(v);
            cJSON_Delete(b);
            fail_oom(p);
            return NULL;
        }
    }
    cJSON *dt_item = cJSON_CreateString(canon);
    if (!dt_item) {
        cJSON_Delete(b);
        fail_oom(p);
        return NULL;
    }
    cJSON_AddItemToObjectCS(b, "dtype", dt_item);
    if (dtype != SIZE_MAX) p->scratch_len = dtype;
    return b;
}

/* At `T . Buffer|Tensor (`: a buffer parameter annotation. */
static bool at_buffer_annotation(parser_t *p) {
    return at_t_call(p, 0, "Buffer", true) || at_t_call(p, 0, "Tensor", true);
}

static bool parse_params(parser_t *p, func_state_t *fs) {
    char d[48];
    for (;;) {
        const tok_t *t = peek(p, 0);
        if (is_op(p, t, ")")) {
            next(p);
            return true;
        }
        if (is_op(p, t, "*") || is_op(p, t, "**") || is_op(p, t, "/")) {
            next(p);
            if (is_op(p, peek(p, 0), ",")) next(p);
            continue;
        }
        if (t->kind != TK_NAME) {
            fail(p, t->line, t->col, "expected a parameter name, got %s",
                 describe(p, t, d, sizeof d));
            return false;
        }
        tok_t name = next(p);
        char who[120];
        snprintf(who, sizeof who, "parameter '%.*s'", (int)(name.len > 64 ? 64 : name.len),
                 p->s + name.off);
        param_t *pa = NULL;
        if (is_op(p, peek(p, 0), ":")) {
            next(p);
            if (at_buffer_annotation(p)) {
                tok_t anchor = next(p); /* T */
                next(p);
                next(p);
                tok_t open = next(p);
                char *bname = copy_token(p, &name);
                if (!bname) return false;
                cJSON *b =
                    parse_buffer_args(p, bname, who, is_op(p, &open, "(") ? ")" : "]", 0, &anchor);
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
                skip_expr(p, false);
            } else if (is_name(p, peek(p, 0), "T") && is_op(p, peek(p, 1), ".") &&
                       is_name(p, peek(p, 2), "handle")) {
                skip_expr(p, false);
                pa = add_param(p, fs);
            } else {
                skip_expr(p, false); /* a scalar parameter */
            }
        } else {
            pa = add_param(p, fs); /* unannotated: may be match_buffer'ed */
        }
        if (p->failed) return false;
        if (pa && !pa->buf) {
            pa->handle = copy_token(p, &name);
            if (!pa->handle) return false;
        }
        if (is_op(p, peek(p, 0), "=")) {
            next(p);
            skip_expr(p, false);
        }
        t = peek(p, 0);
        if (is_op(p, t, ","))
            next(p);
        else if (!is_op(p, t, ")")) {
            fail(p, t->line, t->col, "expected ',' or ')' after %s, got %s", who,
                 describe(p, t, d, sizeof d));
            return false;
        }
    }
}

/* A = T.match_buffer(a, shape, dtype, ...): tokens from `A`. */
static bool parse_match_buffer(parser_t *p, func_state_t *fs) {
    tok_t target = next(p);
    for (int i = 0; i < 5; i++)
        next(p); /* = T . match_buffer ( */
    const tok_t *h = peek(p, 0);
    param_t *pa = NULL;
    if (h->kind == TK_NAME && (is_op(p, peek(p, 1), ",") || is_op(p, peek(p, 1), ")"))) {
        for (size_t k = 0; k < fs->nparams && !pa; k++) {
            param_t *c = &fs->params[(fs->cursor + k) % fs->nparams];
            if (c->handle && !c->buf && strlen(c->handle) == h->len &&
                memcmp(c->handle, p->s + h->off, h->len) == 0)
                pa = c;
        }
    }
    if (!pa) { /* a sub-region or an unknown handle: not a parameter */
        skip_rest_of_group(p);
        return !p->failed;
    }
    tok_t anchor = next(p);
    if (is_op(p, peek(p, 0), ",")) next(p);
    char who[160];
    snprintf(who, sizeof who, "buffer '%.*s' (parameter '%s')",
             (int)(target.len > 64 ? 64 : target.len), p->s + target.off, pa->handle);
    char *bname = copy_token(p, &target);
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

static int block_axis(const char *tag, size_t len) {
    if (len == 10 && memcmp(tag, "blockIdx.", 9) == 0 && tag[9] >= 'x' && tag[9] <= 'z')
        return tag[9] - 'x';
    return -1;
}

/* bx = T.env_thread("blockIdx.x"): tokens from `bx`. */
static bool parse_env_thread(parser_t *p, func_state_t *fs) {
    tok_t target = next(p);
    for (int i = 0; i < 5; i++)
        next(p);
    if (peek(p, 0)->kind == TK_STRING) {
        size_t mark = parse_strings(p);
        if (mark == SIZE_MAX) return false;
        int axis = block_axis(p->scratch + mark, strlen(p->scratch + mark));
        p->scratch_len = mark;
        if (axis >= 0) {
            if (fs->nenvs == fs->envcap) {
                size_t cap = fs->envcap ? fs->envcap * 2 : 4;
                env_thread_t *v = ttlx_realloc(fs->envs, cap * sizeof *v);
                if (!v) {
                    fail_oom(p);
                    return false;
                }
                fs->envs = v;
                fs->envcap = cap;
            }
            fs->envs[fs->nenvs].name = copy_token(p, &target);
            if (!fs->envs[fs->nenvs].name) return false;
            fs->envs[fs->nenvs++].axis = axis;
        }
    }
    skip_rest_of_group(p);
    return !p->failed;
}

static bool check_extent(parser_t *p, int line, int col, int64_t v) {
    if (v <= 0) {
        fail(p, line, col, "launch extent must be positive, got %" PRId64, v);
        return false;
    }
    if (v > TVMS_EXACT_LIMIT) {
        fail(p, line, col, "launch extent is 2^53 or more");
        return false;
    }
    return true;
}

/* T.launch_thread("blockIdx.x", 8) or T.launch_thread(bx, 8). */
static bool parse_launch_thread(parser_t *p, func_state_t *fs) {
    for (int i = 0; i < 4; i++)
        next(p);
    const tok_t *t = peek(p, 0);
    int axis = -1;
    if (t->kind == TK_STRING) {
        size_t mark = parse_strings(p);
        if (mark == SIZE_MAX) return false;
        axis = block_axis(p->scratch + mark, strlen(p->scratch + mark));
        p->scratch_len = mark;
    } else if (t->kind == TK_NAME && (is_op(p, peek(p, 1), ",") || is_op(p, peek(p, 1), ")"))) {
        for (size_t k = 0; k < fs->nenvs; k++)
            if (strlen(fs->envs[k].name) == t->len &&
                memcmp(fs->envs[k].name, p->s + t->off, t->len) == 0)
                axis = fs->envs[k].axis;
        next(p);
    }
    if (axis >= 0 && !fs->ext_set[axis] && is_op(p, peek(p, 0), ",")) {
        next(p);
        const tok_t *e = peek(p, 0);
        int el = e->line, ec = e->col;
        int64_t v;
        if (!ix_expr(p, "T.launch_thread extent", &v) || !check_extent(p, el, ec, v)) return false;
        fs->ext[axis] = v;
        fs->ext_set[axis] = true;
    }
    skip_rest_of_group(p);
    return !p->failed;
}

/* with T.Kernel(8, 8, threads=128) as (bx, by): positional extents. */
static bool parse_kernel(parser_t *p, func_state_t *fs) {
    tok_t anchor = next(p);
    for (int i = 0; i < 3; i++)
        next(p);
    if (fs->nkernel > 0) { /* the first T.Kernel gives the launch */
        skip_rest_of_group(p);
        return !p->failed;
    }
    int64_t ext[3];
    int n = 0;
    char d[48];
    for (;;) {
        const tok_t *t = peek(p, 0);
        if (is_op(p, t, ")")) {
            next(p);
            break;
        }
        if (t->kind == TK_NAME && is_op(p, peek(p, 1), "=")) {
            next(p);
            next(p);
            skip_expr(p, false);
        } else {
            if (n == 3) {
                fail(p, t->line, t->col, "T.Kernel takes at most 3 launch extents");
                return false;
            }
            int el = t->line, ec = t->col;
            if (!ix_expr(p, "T.Kernel extent", &ext[n]) || !check_extent(p, el, ec, ext[n]))
                return false;
            n++;
        }
        t = peek(p, 0);
        if (is_op(p, t, ","))
            next(p);
        else if (!is_op(p, t, ")")) {
            fail(p, t->line, t->col, "expected ',' or ')' in T.Kernel, got %s",
                 describe(p, t, d, sizeof d));
            return false;
        }
    }
    if (p->failed) return false;
    if (n == 0) {
        fail(p, anchor.line, anchor.col, "T.Kernel needs at least one launch extent");
        return false;
    }
    fs->nkernel = n;
    memcpy(fs->ext, ext, sizeof ext);
    return true;
}

/* T.func_attr({...}): merged into the function's attributes. */
static bool parse_func_attr(parser_t *p, func_state_t *fs) {
    for (int i = 0; i < 4; i++)
        next(p);
    const tok_t *t = peek(p, 0);
    char d[48];
    if (!is_op(p, t, "{")) {
        fail(p, t->line, t->col, "T.func_attr expects a dict, got %s", describe(p, t, d, sizeof d));
        return false;
    }
    size_t start = t->off;
    cJSON *attrs = parse_value(p);
    if (!attrs) return false;
    if (p->collect && p->nsites > 0) {
        ttlx_tvmscript_site_t *site = &p->sites[p->nsites - 1];
        if (site->attr_calls++ == 0) {
            site->has_attr = true;
            site->attr_start = start;
            site->attr_end = p->last_end;
        }
    }
    if (is_op(p, peek(p, 0), ",")) next(p);
    if (!expect_op(p, ")", "to close T.func_attr")) {
        cJSON_Delete(attrs);
        return false;
    }
    if (!fs->attrs) {
        fs->attrs = attrs;
        return true;
    }
    /* A second T.func_attr: its keys win. */
    while (attrs->child) {
        cJSON *item = cJSON_DetachItemViaPointer(attrs, attrs->child);
        cJSON_DeleteItemFromObjectCaseSensitive(fs->attrs, item->string);
        if (!cJSON_AddItemToObject(fs->attrs, item->string, item)) {
            cJSON_Delete(item);
            cJSON_Delete(attrs);
            fail_oom(p);
            return false;
        }
    }
    cJSON_Delete(attrs);
    return true;
}

/* Records, when collecting sites, that a new T.func_attr line could go
 * right after the line break that is the next token. */
static void note_insert_point(parser_t *p) {
    if (!p->collect || p->nsites == 0) return;
    ttlx_tvmscript_site_t *site = &p->sites[p->nsites - 1];
    const tok_t *nl = peek(p, 0);
    if (nl->kind != TK_NEWLINE) {
        site->insert_at = SIZE_MAX; /* the body shares the def line */
        return;
    }
    size_t at = nl->off;
    if (at >= p->n) {
        site->insert_at = p->n;
        site->newline_first = true;
        return;
    }
    at += (p->s[at] == '\r' && at + 1 < p->n && p->s[at + 1] == '\n') ? 2 : 1;
    site->insert_at = at;
    site->newline_first = false;
}

/* The body: everything indented deeper than the def line. */
static bool parse_body(parser_t *p, func_state_t *fs, int indent) {
    note_insert_point(p);
    if (p->collect && p->nsites > 0) {
        const tok_t *b = peek(p, 0)->kind == TK_NEWLINE ? peek(p, 1) : peek(p, 0);
        ttlx_tvmscript_site_t *site = &p->sites[p->nsites - 1];
        if (b->bol && b->indent > indent) {
            site->indent_start = b->off - (size_t)(b->col - 1);
            site->indent_len = (size_t)(b->col - 1);
            site->indent_is_def = false;
        }
    }
    /* A docstring first in the body is the description (SPEC 1.1). */
    const tok_t *first = peek(p, 0);
    if (first->kind == TK_NEWLINE) first = peek(p, 1);
    if (first->kind == TK_STRING && first->bol && first->indent > indent) {
        unsigned k = first == peek(p, 0) ? 0 : 1;
        while (k + 1 < TVMS_LOOKAHEAD && peek(p, k + 1)->kind == TK_STRING)
            k++;
        const tok_t *after = peek(p, k + 1);
        if (after->kind == TK_NEWLINE || at_end(after)) {
            if (peek(p, 0)->kind == TK_NEWLINE) next(p);
            size_t mark = parse_strings(p);
            if (mark == SIZE_MAX) return false;
            fs->description = cJSON_CreateString(p->scratch + mark);
            p->scratch_len = mark;
            if (!fs->description) {
                fail_oom(p);
                return false;
            }
            note_insert_point(p); /* after the docstring */
        }
    }
    while (!p->failed) {
        const tok_t *t = peek(p, 0);
        if (at_end(t) || (t->bol && t->indent <= indent)) break;
        if (t->kind == TK_NAME && is_op(p, peek(p, 1), "=")) {
            if (at_t_call(p, 2, "match_buffer", false)) {
                if (!parse_match_buffer(p, fs)) return false;
                continue;
            }
            if (at_t_call(p, 2, "env_thread", false)) {
                if (!parse_env_thread(p, fs)) return false;
                continue;
            }
        }
        if (is_name(p, t, "T") && is_op(p, peek(p, 1), ".") && is_op(p, peek(p, 3), "(")) {
            bool ok = true, hit = true;
            if (at_t_call(p, 0, "func_attr", false))
                ok = parse_func_attr(p, fs);
            else if (at_t_call(p, 0, "launch_thread", false))
                ok = parse_launch_thread(p, fs);
            else if (at_t_call(p, 0, "Kernel", false))
                ok = parse_kernel(p, fs);
            else
                hit = false;
            if (!ok) return false;
            if (hit) continue;
        }
        next(p);
    }
    return !p->failed;
}

/* "tt.buffer_roles": {"C": "output"} gives buffers their SPEC 1.1 role;
 * like "tt.device", it moves out of attrs so the document equals its JSON
 * twin. */
static bool apply_roles(parser_t *p, func_state_t *fs, const keylist_t *names, const tok_t *fname) {
    cJSON *roles =
        fs->attrs ? cJSON_GetObjectItemCaseSensitive(fs->attrs, "tt.buffer_roles") : NULL;
    if (!cJSON_IsObject(roles)) return true;
    for (const cJSON *r = roles->child; r; r = r->next) {
        const keypos_t *hit = keylist_find(names, r->string);
        if (!hit) {
            fail(p, fname->line, fname->col,
                 "tt.buffer_roles names '%.64s', which is not a buffer of '%.*s'", r->string,
                 (int)(fname->len > 64 ? 64 : fname->len), p->s + fname->off);
            return false;
        }
        if (!cJSON_IsString(r) ||
            (strcmp(r->valuestring, "input") != 0 && strcmp(r->valuestring, "output") != 0 &&
             strcmp(r->valuestring, "weight") != 0)) {
            fail(p, fname->line, fname->col,
                 "tt.buffer_roles: the role of '%.64s' must be \"input\", \"output\" or "
                 "\"weight\"",
                 r->string);
            return false;
        }
        cJSON *copy = cJSON_Duplicate(r, true);
        if (!copy || !cJSON_AddItemToObject(hit->item, "role", copy)) {
            cJSON_Delete(copy);
            fail_oom(p);
            return false;
        }
    }
    cJSON_DeleteItemFromObjectCaseSensitive(fs->attrs, "tt.buffer_roles");
    return true;
}

/* The document of one function, keys in SPEC 1.1 order. */
static cJSON *build_function(parser_t *p, func_state_t *fs, const tok_t *name) {
    cJSON *obj = cJSON_CreateObject();
    cJSON *bufs = NULL;
    keylist_t names;
    keylist_init(&names);
    if (!obj) goto oom;
    char *fname = copy_token(p, name);
    if (!fname || !cJSON_AddStringToObject(obj, "name", fname)) {
        ttlx_free(fname);
        goto oom;
    }
    ttlx_free(fname);
    if (fs->description) {
        if (!cJSON_AddItemToObject(obj, "description", fs->description)) goto oom;
        fs->description = NULL;
    }
    bufs = cJSON_CreateArray();
    if (!bufs || !cJSON_AddItemToObject(obj, "buffers", bufs)) {
        cJSON_Delete(bufs);
        goto oom;
    }
    for (size_t i = 0; i < fs->nparams; i++) {
        param_t *pa = &fs->params[i];
        if (!pa->buf) continue;
        const char *bn = cJSON_GetObjectItemCaseSensitive(pa->buf, "name")->valuestring;
        if (strlen(bn) > 255) { /* the JSON loader's limit, said where it stands */
            fail(p, pa->line, pa->col, "buffer name '%.40s...' is longer than 255 characters", bn);
            goto fail;
        }
        if (!keylist_add(p, &names, bn, pa->line, pa->col)) goto fail;
        names.v[names.n - 1].item = pa->buf;
        cJSON_AddItemToArray(bufs, pa->buf); /* cannot fail for a valid item */
        pa->buf = NULL;
    }
    if (!check_duplicates(p, &names, "buffer name") || !apply_roles(p, fs, &names, name)) goto fail;
    int n = fs->nkernel;
    if (n == 0)
        for (int a = 0; a < 3; a++)
            if (fs->ext_set[a]) n = a + 1;
    if (n > 0) {
        cJSON *k = cJSON_CreateArray();
        if (!k || !cJSON_AddItemToObject(obj, "kernel", k)) {
            cJSON_Delete(k);
            goto oom;
        }
        for (int a = 0; a < n; a++) {
            bool set = fs->nkernel > 0 || fs->ext_set[a];
            cJSON *v = cJSON_CreateNumber(set ? (double)fs->ext[a] : 1.0);
            if (!v || !cJSON_AddItemToArray(k, v)) {
                cJSON_Delete(v);
                goto oom;
            }
        }
    }
    if (fs->attrs) {
        /* "tt.device" names the device profile (SPEC 1.1 "device"). */
        cJSON *dev = cJSON_GetObjectItemCaseSensitive(fs->attrs, "tt.device");
        if (cJSON_IsString(dev)) {
            cJSON_DetachItemViaPointer(fs->attrs, dev);
            if (!cJSON_AddItemToObject(obj, "device", dev)) {
                cJSON_Delete(dev);
                goto oom;
            }
        }
        if (!cJSON_AddItemToObject(obj, "attrs", fs->attrs)) goto oom;
        fs->attrs = NULL;
    }
    keylist_free(&names);
    return obj;
oom:
    fail_oom(p);
fail:
    keylist_free(&names);
    cJSON_Delete(obj);
    return NULL;
}

/* At `def`: the signature and body of a @T.prim_func. */
static cJSON *parse_function(parser_t *p) {
    tok_t def = next(p);
    int indent = def.bol ? def.indent : 0;
    const tok_t *t = peek(p, 0);
    char d[48];
    if (t->kind != TK_NAME) {
        fail(p, t->line, t->col, "expected a function name after 'def', got %s",
             describe(p, t, d, sizeof d));
        return NULL;
    }
    tok_t name = next(p);
    func_state_t fs;
    memset(&fs, 0, sizeof fs);
    cJSON *obj = NULL;
    if (p->collect) {
        if (p->nsites == p->sitecap) {
            size_t cap = p->sitecap ? p->sitecap * 2 : 4;
            ttlx_tvmscript_site_t *v = ttlx_realloc(p->sites, cap * sizeof *v);
            if (!v) {
                fail_oom(p);
                return NULL;
            }
            p->sites = v;
            p->sitecap = cap;
        }
        ttlx_tvmscript_site_t *site = &p->sites[p->nsites++];
        memset(site, 0, sizeof *site);
        site->insert_at = SIZE_MAX;
        site->indent_start = def.off - (size_t)(def.col - 1);
        site->indent_len = (size_t)(def.col - 1);
        site->indent_is_def = true;
    }
    if (!expect_op(p, "(", "after the function name") || !parse_params(p, &fs)) goto done;
    if (is_op(p, peek(p, 0), "->")) {
        next(p);
        skip_expr(p, true);
    }
    if (!expect_op(p, ":", "after the function signature") || !parse_body(p, &fs, indent))
        goto done;
    obj = build_function(p, &fs, &name);
done:
    func_state_free(&fs);
    return obj;
}

/* A decorator line; true when it is @T.prim_func (or @T.prim_func(...)). */
static bool parse_decorator(parser_t *p) {
    next(p); /* @ */
    bool prim = false;
    if (peek(p, 0)->kind == TK_NAME) {
        tok_t last = next(p);
        while (is_op(p, peek(p, 0), ".") && peek(p, 1)->kind == TK_NAME) {
            next(p);
            last = next(p);
        }
        prim = is_name(p, &last, "prim_func");
    }
    skip_line(p);
    return prim;
}

static bool is_json_start(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i < n && s[i] == '{';
}

static void parser_init(parser_t *p, const char *text, size_t len, const ttlx_binding_t *binds,
                        size_t nbinds, ttlx_error_t *err) {
    memset(p, 0, sizeof *p);
    p->s = text ? text : "";
    p->n = text ? len : 0;
    p->line = 1;
    p->binds = binds;
    p->nbinds = binds ? nbinds : 0;
    p->err = err;
    if (p->n >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0)
        p->pos = p->line_start = 3; /* UTF-8 byte order mark */
}

/* The whole text: every @T.prim_func, as one document. */
static cJSON *convert(parser_t *p) {
    cJSON *funcs = NULL;
    if (!check_encoding(p)) goto done;
    funcs = cJSON_CreateArray();
    if (!funcs) {
        fail_oom(p);
        goto done;
    }
    bool pending = false;
    while (!p->failed) {
        const tok_t *t = peek(p, 0);
        if (at_end(t)) break;
        if (t->kind == TK_NEWLINE) {
            next(p);
            continue;
        }
        if (t->bol && is_op(p, t, "@")) {
            pending = parse_decorator(p) || pending;
            continue;
        }
        if (pending && is_name(p, t, "def")) {
            pending = false;
            cJSON *f = parse_function(p);
            if (!f) break;
            cJSON_AddItemToArray(funcs, f);
            continue;
        }
        pending = false;
        skip_line(p);
    }
    if (p->failed) goto done;
    int count = cJSON_GetArraySize(funcs);
    if (count == 0) {
        fail(p, 1, 1, "no @T.prim_func found%s",
             is_json_start(p->s, p->n) ? " (the input looks like JSON)" : "");
        goto done;
    }
    cJSON *doc;
    if (count == 1) {
        doc = cJSON_DetachItemFromArray(funcs, 0);
    } else {
        doc = cJSON_CreateObject();
        if (!doc || !cJSON_AddItemToObject(doc, "functions", funcs)) {
            cJSON_Delete(doc);
            fail_oom(p);
            goto done;
        }
        funcs = NULL;
    }
    cJSON_Delete(funcs);
    ttlx_free(p->scratch);
    p->scratch = NULL;
    return doc;
done:
    cJSON_Delete(funcs);
    ttlx_free(p->scratch);
    p->scratch = NULL;
    return NULL;
}

cJSON *ttlx_tvmscript_to_json(const char *text, size_t len, const ttlx_binding_t *binds,
                              size_t nbinds, ttlx_error_t *err) {
    parser_t p;
    parser_init(&p, text, len, binds, nbinds, err);
    return convert(&p);
}

bool ttlx_tvmscript_sites(const char *text, size_t len, const ttlx_binding_t *binds, size_t nbinds,
                          ttlx_tvmscript_site_t **sites, size_t *count, ttlx_error_t *err) {
    parser_t p;
    parser_init(&p, text, len, binds, nbinds, err);
    p.collect = true;
    cJSON *doc = convert(&p);
    *sites = NULL;
    *count = 0;
    if (!doc) {
        ttlx_free(p.sites);
        return false;
    }
    cJSON_Delete(doc);
    *sites = p.sites;
    *count = p.nsites;
    return true;
}

/* --------------------------------------------------------------- detect */

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

bool ttlx_tvmscript_detect(const char *path, const char *text, size_t len) {
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
