/*
 * ttlx_emit.h - the SPEC 6 document as a stream of events. The core walks a
 * result once (ttlx_output_emit) and hands each object, array, key and
 * value to a sink; sinks turn the stream into canonical JSON text, a cJSON
 * tree (both in ttlx_output.c) or, in the app, Lua tables. The document is
 * defined by the walk alone: a sink only converts it. Includes only libc.
 */
#ifndef TTLX_EMIT_H
#define TTLX_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How the canonical text lays a container out; other sinks ignore it. */
typedef enum {
    TTLX_EMIT_BLOCK, /* one member a line, indented */
    TTLX_EMIT_INLINE /* all members on one line, ", " between them */
} ttlx_emit_layout_t;

/* A sink: every callback is required and gets ud first. The walker never
 * fails and checks nothing: a sink keeps its own failure state. A sink may
 * also leave the walk by longjmp (Lua errors): the walker holds nothing
 * that would leak. Strings are borrowed for the duration of the call. */
typedef struct ttlx_emit {
    void *ud;
    /* size_hint: the number of members (a hint, for preallocation). */
    void (*begin_object)(void *ud, ttlx_emit_layout_t layout, size_t size_hint);
    void (*end_object)(void *ud);
    void (*begin_array)(void *ud, ttlx_emit_layout_t layout, size_t size_hint);
    void (*end_array)(void *ud);
    /* The next member's key: key then name. key is the document's own
     * spelling (a fixed key or prefix such as "tt.buffer.", never needing
     * JSON escaping); name is data (a buffer name, escaped as needed), NULL
     * for fixed keys. "tt.buffer.NAME" thus needs no building unless a sink
     * wants one string. */
    void (*key)(void *ud, const char *key, const char *name);
    void (*integer)(void *ud, int64_t v);
    void (*number)(void *ud, double v);
    void (*string)(void *ud, const char *s);
    void (*boolean)(void *ud, bool v);
    void (*null)(void *ud);
    /* An inline array of n integers. */
    void (*ints)(void *ud, const int64_t *v, size_t n);
    /* A block array of `rows` inline arrays of `cols` (<= 16) integers;
     * row(src, i, out) fills row i. The sink may read the rows later than
     * the call only if it copies them (a Lua sink builds them lazily). */
    void (*int_rows)(void *ud, size_t rows, size_t cols,
                     void (*row)(const void *src, size_t i, int64_t *out), const void *src);
    /* Text only: in an inline container, the next member starts a line. */
    void (*wrap)(void *ud);
} ttlx_emit_t;

#endif
