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

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
static size_t libc_size(void *p) {
    return malloc_usable_size(p);
}
#define LIBC_SIZE libc_size
#else
#define LIBC_SIZE NULL
#endif

static ttlx_allocator_t current = {malloc, realloc, free, calloc};
static size_t (*size_fn)(void *p) = LIBC_SIZE; /* NULL: sizes unknown */
static size_t failures;                        /* allocations refused so far */
static ttlx_alloc_account_t *account;          /* NULL: nothing is accounted */

static bool hooked; /* cJSON allocates through the functions below */
static void install_cjson_hooks(void);

ttlx_alloc_account_t *ttlx_alloc_account_set(ttlx_alloc_account_t *acct) {
    ttlx_alloc_account_t *before = account;
    account = acct && size_fn ? acct : NULL;
    if (account && !hooked) install_cjson_hooks(); /* cJSON's memory counts too */
    return before;
}

/* Whether the account may grow by more bytes on top of less it gives
 * back (a realloc's old block); counts a refusal. */
static bool account_allows(size_t more, size_t less) {
    ttlx_alloc_account_t *a = account;
    if (!a || more <= less) return true;
    int64_t grow = more - less > (size_t)INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)(more - less);
    if (a->allow(a->ud, a->held + grow)) return true;
    a->refused++;
    failures++;
    return false;
}

static void account_add(void *p, int sign) {
    if (account && p) account->held += sign * (int64_t)size_fn(p);
}

/* cJSON allocates through this too, so its failures are counted. */
static void *counted_malloc(size_t size) {
    if (!account_allows(size, 0)) return NULL;
    void *p = current.malloc_fn(size ? size : 1);
    if (!p) failures++;
    account_add(p, 1);
    return p;
}

static void counted_free(void *ptr) {
    if (!ptr) return;
    account_add(ptr, -1);
    current.free_fn(ptr);
}

void ttlx_set_allocator(const ttlx_allocator_t *alloc) {
    if (alloc && alloc->malloc_fn && alloc->realloc_fn && alloc->free_fn)
        current = *alloc;
    else
        current = (ttlx_allocator_t){malloc, realloc, free, calloc};
    size_fn = current.malloc_fn == malloc ? LIBC_SIZE : NULL;
    if (!size_fn) account = NULL;
    install_cjson_hooks();
}

static void install_cjson_hooks(void) {
    cJSON_Hooks hooks = {counted_malloc, counted_free};
    cJSON_InitHooks(&hooks);
    hooked = true;
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
        if (!account_allows(total, 0)) return NULL;
        void *p = current.calloc_fn(1, total ? total : 1);
        if (!p) failures++;
        account_add(p, 1);
        return p;
    }
    void *p = ttlx_malloc(total);
    if (p) memset(p, 0, total);
    return p;
}

void *ttlx_realloc(void *ptr, size_t size) {
    size_t old = account && ptr ? size_fn(ptr) : 0;
    if (!account_allows(size, old)) return NULL;
    void *p = current.realloc_fn(ptr, size ? size : 1);
    if (!p) {
        failures++;
        return NULL;
    }
    if (account) account->held += (int64_t)size_fn(p) - (int64_t)old;
    return p;
}

void ttlx_free(void *ptr) {
    counted_free(ptr);
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
