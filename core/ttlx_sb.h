/*
 * ttlx_sb.h - the growable text buffer every writer in ttlx uses (canonical
 * JSON, summaries, exports, Lua's JSON text). It allocates through the
 * core's allocator; on allocation failure it sets `failed` and ignores
 * further writes, so a writer checks once at the end. Includes only libc.
 */
#ifndef TTLX_SB_H
#define TTLX_SB_H

#include "ttlx_base.h"

#include <stdio.h>
#include <string.h>

/* A growable text buffer; on allocation failure it sets failed and stops. */
typedef struct ttlx_sb {
    char *data;
    size_t len, cap;
    bool failed;
    FILE *sink; /* when set, full buffers are written here instead of growing */
} ttlx_sb_t;

/* Writes what a sink-backed builder holds; false (and failed) on error. */
bool ttlx_sb_flush(ttlx_sb_t *sb);

bool ttlx_sb_reserve(ttlx_sb_t *sb, size_t extra); /* slow path: grow */
static inline void ttlx_sb_putn(ttlx_sb_t *sb, const char *s, size_t n) {
    if (sb->len + n + 1 > sb->cap && !ttlx_sb_reserve(sb, n)) return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}
/* A string literal, length known at compile time. */
#define TTLX_SB_LIT(sb, lit) ttlx_sb_putn((sb), "" lit, sizeof(lit) - 1)
void ttlx_sb_puts(ttlx_sb_t *sb, const char *s);
void ttlx_sb_printf(ttlx_sb_t *sb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ttlx_sb_json_string(ttlx_sb_t *sb, const char *s);  /* quoted, escaped */
void ttlx_sb_json_escaped(ttlx_sb_t *sb, const char *s); /* escaped, no quotes */
void ttlx_sb_i64(ttlx_sb_t *sb, int64_t v);
/* Thousands-separated integer, e.g. 1,382,144. */
void ttlx_sb_bytes(ttlx_sb_t *sb, int64_t v);
/* Appends the terminal-safe form of s (ttlx_text.h: controls, C1, bidi
 * and bytes that are not UTF-8 as escapes such as \x1b, \u202e), n bytes;
 * with keep_lines, '\n' and '\t' stay (a traceback). */
void ttlx_sb_safe_n(ttlx_sb_t *sb, const char *s, size_t n, bool keep_lines);
/* The same for the NUL-terminated s, as one line. */
void ttlx_sb_safe(ttlx_sb_t *sb, const char *s);
char *ttlx_sb_take(ttlx_sb_t *sb); /* NUL-terminated; caller frees with ttlx_free; NULL if failed */
void ttlx_sb_free(ttlx_sb_t *sb);

#endif
