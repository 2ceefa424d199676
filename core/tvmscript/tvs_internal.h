/*
 * tvs_internal.h - what the pieces of the TVMScript importer share (private
 * to core/tvmscript/): the token and parser state, the per-function state,
 * and the tvs_ functions each piece offers the others.
 *   lex.c      errors, encoding check, tokenizer, token helpers and skippers
 *   value.c    decoded strings, number tokens, integer expressions (shapes)
 *   literal.c  Python literals -> cJSON (T.func_attr values), key lists
 *   buffer.c   the signature's buffers, T.match_buffer, shapes
 *   parse.c    function bodies, launch extents, attributes, the module
 */
#ifndef TVS_INTERNAL_H
#define TVS_INTERNAL_H

#include "ttlx_tvmscript.h"

#include <stdint.h>
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

/* An open bracket, for "never closed" messages. */
typedef struct opening {
    char ch;
    int line, col;
} opening_t;

/* The state of one import: the tokenizer, its lookahead ring, the
 * bindings, the error and the scratch stack of decoded strings. */
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
    bool in_quote;   /* reading the text of a quoted shape expression */
    size_t last_end; /* offset just past the last token consumed */
    /* ttlx_tvmscript_sites: where each function's attributes are written */
    ttlx_tvmscript_site_t *sites;
    size_t nsites, sitecap;
    bool collect;
    char *scratch; /* a stack of decoded strings */
    size_t scratch_len, scratch_cap;
} parser_t;

/* T.int64(...)-style wrappers around a number or bool literal. */
typedef enum { W_NONE, W_INT, W_FLOAT, W_BOOL } wrapper_t;

/* Where each key of a dict was written, to report duplicates. */
typedef struct keypos {
    const char *key;
    size_t index;
    int line, col;
    cJSON *item; /* the buffer object, for buffer names */
} keypos_t;

/* The names of a dict or of a function's buffers, with a hash index once
 * there are many (a 10,000-entry tt.user_layout stays linear). */
typedef struct keylist {
    keypos_t local[16];
    keypos_t *v;
    size_t n, cap;
    size_t *slots; /* open addressing: index into v, SIZE_MAX when empty */
    size_t nslots; /* power of two, 0 when not built */
} keylist_t;

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

/* What one @T.prim_func has gathered while its signature and body are read. */
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

/* ---------------------------------------------------------------- lex.c */

/* Records the first error (line/col in bytes, reported in characters);
 * later ones are ignored. Sets p->failed. */
void tvs_fail(parser_t *p, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void tvs_fail_oom(parser_t *p);
/* Refuses text that is not UTF-8 (or has NUL bytes) before parsing. */
bool tvs_check_encoding(parser_t *p);
/* Reads the next token into t (TK_EOF at the end or after an error). */
void tvs_lex(parser_t *p, tok_t *t);
/* True when the tokens from k on read `T . NAME (` (or `[` when
 * allow_subscript). */
bool tvs_at_t_call(parser_t *p, unsigned k, const char *name, bool allow_subscript);
/* The token quoted for a message, in buf. */
const char *tvs_describe(const parser_t *p, const tok_t *t, char *buf, size_t cap);
/* Consumes op or fails with "expected 'op' where". */
bool tvs_expect_op(parser_t *p, const char *op, const char *where);
/* Skippers for what ttlx does not read: a bracketed group, the rest of the
 * group just opened, one expression, one logical line. */
size_t tvs_skip_group(parser_t *p);
void tvs_skip_rest_of_group(parser_t *p);
void tvs_skip_expr(parser_t *p, bool stop_colon);
void tvs_skip_line(parser_t *p);

/* -------------------------------------------------------------- value.c */

/* Grows the scratch stack for extra more bytes (and a NUL). */
bool tvs_scratch_reserve(parser_t *p, size_t extra);
/* Decodes the string token(s) at hand (adjacent ones concatenate) onto the
 * scratch stack; returns the offset where the text starts, SIZE_MAX on error. */
size_t tvs_parse_strings(parser_t *p);
/* Number tokens: exact values with overflow checks. */
bool tvs_int_token_value(parser_t *p, const tok_t *t, uint64_t *out);
bool tvs_signed_value(parser_t *p, const tok_t *t, uint64_t mag, bool neg, int64_t *out);
bool tvs_float_token_value(parser_t *p, const tok_t *t, double *out);
wrapper_t tvs_wrapper_kind(const parser_t *p, const tok_t *t);
/* The --bind value of a name token. */
bool tvs_lookup_bind(const parser_t *p, const tok_t *t, int64_t *out);
/* An integer expression (a shape dimension or launch extent); `what`
 * names it in messages. */
bool tvs_ix_expr(parser_t *p, const char *what, int64_t *out);

/* ------------------------------------------------------------ literal.c */

/* A Python literal (T.func_attr value) as JSON; NULL on error. */
cJSON *tvs_parse_value(parser_t *p);
void tvs_keylist_init(keylist_t *l);
void tvs_keylist_free(keylist_t *l);
bool tvs_keylist_add(parser_t *p, keylist_t *l, const char *key, int line, int col);
const keypos_t *tvs_keylist_find(const keylist_t *l, const char *key);
/* Fails on the first key written twice (what names the container). */
bool tvs_check_duplicates(parser_t *p, keylist_t *l, const char *what);

/* ------------------------------------------------------------- buffer.c */

void tvs_func_state_free(func_state_t *fs);
/* A copy of the token's text (caller frees with ttlx_free). */
char *tvs_copy_token(parser_t *p, const tok_t *t);
/* The signature's parameters, up to the closing ')'. */
bool tvs_parse_params(parser_t *p, func_state_t *fs);
/* NAME = T.match_buffer(handle, shape, dtype) in the body. */
bool tvs_parse_match_buffer(parser_t *p, func_state_t *fs);

/* --------------------------------------------- token access (hot: inline) */

static inline bool tvs_is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

static inline const tok_t *tvs_peek(parser_t *p, unsigned k) {
    while (p->count <= k) {
        tvs_lex(p, &p->ring[(p->head + p->count) % TVMS_LOOKAHEAD]);
        p->count++;
    }
    return &p->ring[(p->head + k) % TVMS_LOOKAHEAD];
}

static inline tok_t tvs_next(parser_t *p) {
    tok_t t = *tvs_peek(p, 0);
    p->last_end = t.off + t.len;
    p->head = (p->head + 1) % TVMS_LOOKAHEAD;
    p->count--;
    return t;
}

static inline bool tvs_tok_is(const parser_t *p, const tok_t *t, tok_kind_t kind,
                              const char *text) {
    size_t l = strlen(text);
    return t->kind == kind && t->len == l && memcmp(p->s + t->off, text, l) == 0;
}
static inline bool tvs_is_op(const parser_t *p, const tok_t *t, const char *op) {
    return tvs_tok_is(p, t, TK_OP, op);
}
static inline bool tvs_is_name(const parser_t *p, const tok_t *t, const char *name) {
    return tvs_tok_is(p, t, TK_NAME, name);
}
static inline bool tvs_is_opening(const parser_t *p, const tok_t *t) {
    return t->kind == TK_OP && t->len == 1 && memchr("([{", p->s[t->off], 3);
}
static inline bool tvs_is_closing(const parser_t *p, const tok_t *t) {
    return t->kind == TK_OP && t->len == 1 && memchr(")]}", p->s[t->off], 3);
}
static inline bool tvs_at_end(const tok_t *t) {
    return t->kind == TK_EOF;
}

#endif
