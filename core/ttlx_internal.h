/*
 * ttlx_internal.h - helpers shared by the core's own modules (not public):
 * the dtype table, a growable string builder, JSON number checks, and the
 * value formatters that the hint parser and the passes share in their
 * messages. Did-you-mean suggestions: ttlx_near.h.
 */
#ifndef TTLX_INTERNAL_H
#define TTLX_INTERNAL_H

#include "ttlx_base.h"
#include "ttlx_func.h"
#include "ttlx_sb.h"
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* dtype facts. */
typedef struct ttlx_dtype_info {
    const char *name;        /* canonical */
    int bytes;               /* element size for dense formats, 0 for block floats */
    int mantissa_bits;       /* block floats: 8 (bfp8) or 4 (bfp4), else 0 */
    const char *data_format; /* CB data format */
} ttlx_dtype_info_t;

const ttlx_dtype_info_t *ttlx_dtype_lookup(const char *name);
/* Unpadded bytes of one tile_h x tile_w tile (SPEC 3.3). */
int64_t ttlx_dtype_tile_bytes(const ttlx_dtype_info_t *dt, int tile_h, int tile_w);
/* Every dtype name a user may write (canonical, then aliases), NULL-terminated. */
const char *const *ttlx_dtype_names(void);
/* The canonical dtype names alone, in table order, NULL-terminated. */
extern const char *const ttlx_dtype_canonical_names[];

/* A JSON number that is an exact integer in [lo, 2^53); false otherwise. 2^53
 * itself is refused: 2^53 + 1 rounds to it, so it may not be what was written. */
bool ttlx_json_int(const cJSON *item, int64_t lo, int64_t *out);

/* Message formatting shared by the hint parser and the passes
 * (ttlx_hint.c). */
/* "a string", "a number", ... : what kind of JSON value v is. */
const char *ttlx_json_type_name(const cJSON *v);
/* A short rendering of a (bad) value into buf: "\"abc\"", 12, "a list". */
const char *ttlx_json_show(char *buf, size_t n, const cJSON *v);
/* "[a, b, c]" of n values into buf; size must hold 2 + n * 22 bytes
 * (else buf is left empty). */
const char *ttlx_fmt_list(char *buf, size_t size, const int64_t *v, int n);
/* "[\"B\", \"M\", \"N\"]" of n labels into buf (truncated to size). */
const char *ttlx_fmt_axes(char *buf, size_t size, const char (*axes)[16], int n);
/* A valid value to start from for the nd_shard key `key` ("axes", "grid",
 * "shard_shape_elems" or "nd_shard") of buffer b, as a fix, into buf. */
const char *ttlx_hint_start_value(char *buf, size_t size, const ttlx_buffer_info_t *b,
                                  const char *key);

/* Saturating 64-bit arithmetic for byte totals that feed capacity checks. */
static inline int64_t ttlx_sat_mul(int64_t a, int64_t b) {
    int64_t r;
    return ttlx_mul64(a, b, &r) ? r : INT64_MAX;
}
static inline int64_t ttlx_sat_add(int64_t a, int64_t b) {
    int64_t r;
    return ttlx_add64(a, b, &r) ? r : INT64_MAX;
}

/* Parses strict JSON text into the tree cJSON_ParseWithLengthOpts would
 * build (ttlx_json.c); *end is set past the value. NULL with *declined:
 * the text is outside the strict subset, ask cJSON (for the tree or for
 * its error). NULL without *declined: out of memory. */
cJSON *ttlx_json_parse(const char *text, size_t len, const char **end, bool *declined);

/* Writes v in decimal at p (no NUL; at most 20 bytes) and returns the end. */
static inline char *ttlx_put_i64(char *p, int64_t v) {
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char tmp[24], *q = tmp + sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        q -= 2;
        memcpy(q, pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        q -= 2;
        memcpy(q, pairs + 2 * u, 2);
    } else {
        *--q = (char)('0' + u);
    }
    if (v < 0) *--q = '-';
    size_t n = (size_t)(tmp + sizeof tmp - q);
    memcpy(p, q, n);
    return p + n;
}

/* True when one of the 8 bytes of w is below 0x20, '"' or '\\' (may also
 * flag a byte above one that is: callers recheck byte by byte). */
static inline bool ttlx_word_has_json_special(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    uint64_t ctl = (w - ones * 0x20) & ~w;
    return (((q - ones) & ~q) | ((b - ones) & ~b) | ctl) & highs;
}

/* 1-based line and column of byte offset off in text. */
void ttlx_position_of(const char *text, size_t off, int *line, int *col);

#endif
