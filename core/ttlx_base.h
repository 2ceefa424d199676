/*
 * ttlx_base.h - shared foundations of the ttlx core: the error record that
 * every fallible call fills, the injectable allocator, and overflow-checked
 * 64-bit arithmetic. Includes only the C library.
 */
#ifndef TTLX_BASE_H
#define TTLX_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TTLX_VERSION "0.1.0"
#define TTLX_MAX_RANK 8

/* An error held by the caller. line/col are 1-based, 0 when unknown. */
typedef struct ttlx_error {
    int line;
    int col;
    char what[480];
} ttlx_error_t;

/* Fills err (which may be NULL) with a printf-style message and position. */
void ttlx_error_set(ttlx_error_t *err, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Formats "FILE:LINE:COL: what" (or "FILE: what" without a position) into
 * buf; returns buf. Without a file (NULL) it is "LINE:COL: what" or "what". */
const char *ttlx_error_format(const ttlx_error_t *err, const char *file, char *buf, size_t bufsize);

/* Allocation hooks. Every allocation of the core (and of cJSON, which the
 * core reconfigures) goes through these, so tests can fail the Nth one.
 * Passing NULL restores the C library allocator. Process-wide, like
 * cJSON_InitHooks: set it before any other call, not concurrently.
 * calloc_fn is optional (NULL: malloc_fn, then zeroing); an allocator that
 * knows its memory is still zero can skip the zeroing. */
typedef struct ttlx_allocator {
    void *(*malloc_fn)(size_t size);
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
    void *(*calloc_fn)(size_t count, size_t size);
} ttlx_allocator_t;

void ttlx_set_allocator(const ttlx_allocator_t *alloc);
void *ttlx_malloc(size_t size);
void *ttlx_calloc(size_t count, size_t size); /* overflow-checked */
void *ttlx_realloc(void *ptr, size_t size);
void ttlx_free(void *ptr);
char *ttlx_strdup(const char *s); /* caller frees with ttlx_free */

/* Accounting for a host that lends the core memory out of a budget (a
 * script's memory cap): while an account is installed, every allocation
 * of the core and of cJSON asks allow() first whether the account may hold
 * `held` net bytes (allocated minus freed since it was installed, so it
 * may be negative); false refuses the allocation, which then fails as out
 * of memory and is counted in `refused`. The core knows nothing of the
 * host: the callback decides. Process-wide, like the allocator. Only the C
 * library allocator is accounted (it tells a block's size: freeing gives
 * back what it took); under another one nothing is counted. */
typedef struct ttlx_alloc_account {
    bool (*allow)(void *ud, int64_t held);
    void *ud;
    int64_t held;
    size_t refused;
} ttlx_alloc_account_t;

/* Installs acct (NULL: none) and returns the account installed before. */
ttlx_alloc_account_t *ttlx_alloc_account_set(ttlx_alloc_account_t *acct);

/* How many allocations have failed in this process (cJSON's included):
 * compared before and after a call to tell out-of-memory from bad input. */
size_t ttlx_alloc_failures(void);

/* Grows an array of *cap elements of elem_size bytes to hold at least need:
 * the capacity doubles, starting at 16. Returns the (maybe moved) array
 * with *cap updated, or NULL on size overflow or allocation failure, when
 * arr (still owned by the caller) and *cap are left as they were. */
void *ttlx_grow(void *arr, size_t *cap, size_t need, size_t elem_size);

/* Checked arithmetic: return false (and leave *out unspecified) on overflow. */
static inline bool ttlx_mul64(int64_t a, int64_t b, int64_t *out) {
    return !__builtin_mul_overflow(a, b, out);
}
static inline bool ttlx_add64(int64_t a, int64_t b, int64_t *out) {
    return !__builtin_add_overflow(a, b, out);
}
/* ceil(a/b) for a >= 0, b > 0. */
static inline int64_t ttlx_ceil_div(int64_t a, int64_t b) {
    return a / b + (a % b != 0);
}
/* Rounds a >= 0 up to a multiple of b > 0; false on overflow. */
static inline bool ttlx_round_up64(int64_t a, int64_t b, int64_t *out) {
    return ttlx_mul64(ttlx_ceil_div(a, b), b, out);
}

/* The one file reader. Inputs larger than this are refused: a PrimFunc of
 * 10,000 buffers is 1.5 MiB, so nothing near it is one. */
#define TTLX_MAX_INPUT_BYTES (64 << 20)

/* Opens path for reading without ever blocking (O_NONBLOCK while opening,
 * cleared after; O_CLOEXEC) and refuses anything that is not a regular file
 * after following symbolic links: a FIFO, a device, a directory, a socket
 * ("not a regular file (a FIFO)"). Returns the descriptor (caller closes)
 * or -1 with err set ("cannot open: why"). st (may be NULL) receives the
 * file's status. */
struct stat;
int ttlx_open_regular(const char *path, struct stat *st, ttlx_error_t *err);

/* Reads the regular file at path whole, through ttlx_open_regular: returns
 * its bytes NUL-terminated (an empty file is ""; *len excludes the NUL;
 * caller frees with ttlx_free) or NULL with err. Refuses files larger than
 * TTLX_MAX_INPUT_BYTES. */
char *ttlx_read_file(const char *path, size_t *len, ttlx_error_t *err);

/* What a file of type mode (st_mode) is, for messages: "a FIFO", "a
 * character device", "a directory", "a regular file", ... */
const char *ttlx_file_kind(unsigned mode);

#endif
