/*
 * ttlx_base.c - error records and the injectable allocator.
 */
#include "ttlx_base.h"
#include "ttlx_text.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ttlx_error_set(ttlx_error_t *err, int line, int col, const char *fmt, ...) {
    if (!err) return;
    err->line = line;
    err->col = col;
    char text[sizeof err->what];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* Messages quote the input; control characters (an escape sequence in
     * a name, say) reach the terminal that prints them only as escapes. */
    ttlx_text_safe(err->what, sizeof err->what, text);
}

const char *ttlx_error_format(const ttlx_error_t *err, const char *file, char *buf,
                              size_t bufsize) {
    const char *what = err && err->what[0] ? err->what : "unknown error";
    if (!file && err && err->line > 0)
        snprintf(buf, bufsize, "%d:%d: %s", err->line, err->col > 0 ? err->col : 1, what);
    else if (!file)
        snprintf(buf, bufsize, "%s", what);
    else if (err && err->line > 0)
        snprintf(buf, bufsize, "%s:%d:%d: %s", file, err->line, err->col > 0 ? err->col : 1, what);
    else
        snprintf(buf, bufsize, "%s: %s", file, what);
    return buf;
}

static ttlx_allocator_t current = {malloc, realloc, free, calloc};
static size_t failures; /* allocations refused so far */

/* cJSON allocates through this too, so its failures are counted. */
static void *counted_malloc(size_t size) {
    void *p = current.malloc_fn(size ? size : 1);
    if (!p) failures++;
    return p;
}

void ttlx_set_allocator(const ttlx_allocator_t *alloc) {
    if (alloc && alloc->malloc_fn && alloc->realloc_fn && alloc->free_fn)
        current = *alloc;
    else
        current = (ttlx_allocator_t){malloc, realloc, free, calloc};
    cJSON_Hooks hooks = {counted_malloc, current.free_fn};
    cJSON_InitHooks(&hooks);
}

size_t ttlx_alloc_failures(void) {
    return failures;
}

void *ttlx_malloc(size_t size) {
    return counted_malloc(size);
}

void *ttlx_calloc(size_t count, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(count, size, &total)) return NULL;
    if (current.calloc_fn) {
        void *p = current.calloc_fn(1, total ? total : 1);
        if (!p) failures++;
        return p;
    }
    void *p = ttlx_malloc(total);
    if (p) memset(p, 0, total);
    return p;
}

void *ttlx_realloc(void *ptr, size_t size) {
    void *p = current.realloc_fn(ptr, size ? size : 1);
    if (!p) failures++;
    return p;
}

void ttlx_free(void *ptr) {
    if (ptr) current.free_fn(ptr);
}

char *ttlx_strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = ttlx_malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

void *ttlx_grow(void *arr, size_t *cap, size_t need, size_t elem_size) {
    if (need <= *cap) return arr;
    size_t n = *cap ? *cap : 16, bytes;
    while (n < need)
        if (__builtin_mul_overflow(n, (size_t)2, &n)) return NULL;
    if (__builtin_mul_overflow(n, elem_size, &bytes)) return NULL;
    void *p = ttlx_realloc(arr, bytes);
    if (!p) return NULL;
    *cap = n;
    return p;
}
