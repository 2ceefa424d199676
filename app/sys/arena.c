/*
 * arena.c - the bump allocator of arena.h. Blocks carry no header: the
 * newest block can grow or shrink in place and is given back when freed,
 * older ones are reclaimed all at once on release. Growing an older block
 * copies min(new size, bytes up to the arena's end): the old contents are
 * a prefix of that, and everything copied lies inside the mapping.
 *
 * Blocks of 1 MiB or more (the input text, the layouts) are taken from the
 * top end instead, newest lowest, and remembered with their sizes: the
 * input text is freed once parsed, and the layouts then reuse its pages,
 * which the kernel has already zeroed and mapped once. Blocks of 32 bytes
 * or less (short strings) come from 64 KiB chunks of their own and 64-byte
 * blocks start on a cache line, so cJSON's nodes lie back to back and a
 * walk over them touches one line per node.
 */
#include "sys/arena.h"
#include "ttlx_base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

/* 8-byte blocks: everything allocated through the hooks holds pointers,
 * 64-bit integers and doubles (no long double or SIMD types). cJSON's
 * nodes then take 64 bytes and most key and name strings 8 or 16. */
#define ARENA_ALIGN 8
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_BLOCK ((size_t)1 << 20)
#define MAX_BIG 16
#define SMALL_BLOCK 32 /* blocks this small come from chunks */
#define SMALL_CHUNK ((size_t)64 << 10)

static struct {
    char *map; /* the mapping */
    size_t map_size;
    char *base; /* first usable byte, 2 MiB aligned */
    size_t cap, used;
    size_t high;    /* bytes ever handed out from the bottom: beyond is still zero */
    size_t last;    /* offset of the newest bottom block, SIZE_MAX if none */
    size_t top;     /* the top blocks start here (cap when there are none) */
    size_t top_low; /* lowest top ever: [top_low, cap) has been handed out */
    struct {
        size_t off, size;
        bool freed;
    } big[MAX_BIG]; /* top blocks, newest last */
    int nbig;
    size_t small, small_end; /* the current chunk of small blocks */
    size_t small_last;       /* offset of the newest small block, SIZE_MAX if none */
    size_t outside;          /* blocks that fell back to libc */
} A = {.last = SIZE_MAX, .small_last = SIZE_MAX};

static int in_arena(const void *p) {
    return A.base && (const char *)p >= A.base && (const char *)p < A.base + A.cap;
}

static void *arena_malloc(size_t n) {
    size_t need = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (need < n || A.top - A.used < need) {
        A.outside++;
        return malloc(n);
    }
    if (need == 0) need = ARENA_ALIGN; /* distinct pointers for size 0 */
    if (need >= BIG_BLOCK && A.nbig < MAX_BIG) {
        A.top -= need;
        if (A.top < A.top_low) A.top_low = A.top;
        A.big[A.nbig].off = A.top;
        A.big[A.nbig].size = need;
        A.big[A.nbig].freed = false;
        A.nbig++;
        return A.base + A.top;
    }
    if (need <= SMALL_BLOCK) {
        /* Short strings go to chunks of their own, so that cJSON's 64-byte
         * nodes lie back to back. */
        if (A.small_end - A.small < need) {
            if (A.top - A.used < SMALL_CHUNK) {
                A.outside++;
                return malloc(n);
            }
            A.small = A.used;
            A.small_end = A.used + SMALL_CHUNK;
            A.used += SMALL_CHUNK;
            A.last = SIZE_MAX;
            if (A.used > A.high) A.high = A.used;
        }
        A.small_last = A.small;
        A.small += need;
        return A.base + A.small_last;
    }
    /* cJSON's nodes on their own cache line each. */
    size_t at = need == 64 ? (A.used + 63) & ~(size_t)63 : A.used;
    if (at > A.top || A.top - at < need) {
        A.outside++;
        return malloc(n);
    }
    char *p = A.base + at;
    A.last = at;
    A.used = at + need;
    if (A.used > A.high) A.high = A.used;
    return p;
}

/* The top block at off, or -1. */
static int big_at(size_t off) {
    for (int k = A.nbig - 1; k >= 0; k--)
        if (A.big[k].off == off && !A.big[k].freed) return k;
    return -1;
}

/* Fresh mapping is zero: only the part handed out before needs clearing. */
static void *arena_calloc(size_t count, size_t size) {
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) return NULL;
    size_t high = A.high, low = A.top_low;
    char *p = arena_malloc(n);
    if (!p) return NULL;
    if (!in_arena(p)) {
        memset(p, 0, n);
        return p;
    }
    size_t off = (size_t)(p - A.base);
    if (off >= A.top) {
        /* A top block: [low, cap) was handed out before. */
        size_t from = low > off ? low : off;
        if (from < off + n) memset(A.base + from, 0, off + n - from);
    } else if (off < high) {
        memset(p, 0, high - off < n ? high - off : n);
    }
    return p;
}

static void arena_free(void *p) {
    if (!p) return;
    if (!in_arena(p)) {
        free(p);
        return;
    }
    size_t off = (size_t)((char *)p - A.base);
    if (off >= A.top) {
        int k = big_at(off);
        if (k < 0) return;
        A.big[k].freed = true;
        while (A.nbig && A.big[A.nbig - 1].freed)
            A.nbig--;
        A.top = A.nbig ? A.big[A.nbig - 1].off : A.cap;
        return;
    }
    if (off == A.last) {
        A.used = off;
        A.last = SIZE_MAX;
    } else if (off == A.small_last) {
        A.small = off;
        A.small_last = SIZE_MAX;
    }
}

static void *arena_realloc(void *p, size_t n) {
    if (!p) return arena_malloc(n);
    if (!in_arena(p)) {
        void *q = realloc(p, n);
        if (q) A.outside++;
        return q;
    }
    size_t off = (size_t)((char *)p - A.base);
    size_t need = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (need < n) return NULL;
    if (off >= A.top) {
        int k = big_at(off);
        size_t old = k >= 0 ? A.big[k].size : 0;
        void *q = arena_malloc(n);
        if (!q) return NULL;
        memcpy(q, p, old < n ? old : n);
        arena_free(p);
        return q;
    }
    if (off == A.small_last && need <= A.small_end - off) {
        A.small = off + (need ? need : ARENA_ALIGN);
        return p;
    }
    if (off == A.last && A.top - off >= need) {
        A.used = off + (need ? need : ARENA_ALIGN);
        if (A.used > A.high) A.high = A.used;
        return p;
    }
    size_t avail = A.used - off; /* the block and everything after it */
    void *q = arena_malloc(n);
    if (!q) return NULL;
    memcpy(q, p, avail < n ? avail : n);
    return q;
}

void sys_arena_install(size_t size_hint) {
    if (A.map) return;
    size_t size = (size_hint + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE + HUGE_PAGE;
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (m == MAP_FAILED) return;
    A.map = m;
    A.map_size = size;
    uintptr_t start = ((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    A.base = (char *)start;
    A.cap = size - (size_t)(start - (uintptr_t)m);
#ifdef MADV_HUGEPAGE
    madvise(A.base, A.cap, MADV_HUGEPAGE);
#endif
    A.used = A.high = A.outside = 0;
    A.last = SIZE_MAX;
    A.top = A.top_low = A.cap;
    A.nbig = 0;
    A.small = A.small_end = 0;
    A.small_last = SIZE_MAX;
    ttlx_allocator_t alloc = {arena_malloc, arena_realloc, arena_free, arena_calloc};
    ttlx_set_allocator(&alloc);
}

void sys_arena_for_file(const char *path) {
    struct stat st;
    const char *off = getenv("TTLX_NO_ARENA"); /* to compare with the C library's */
    if (off && *off && strcmp(off, "0")) return;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > (1 << 16))
        sys_arena_install((size_t)st.st_size * 24 + ((size_t)64 << 20));
}

bool sys_arena_holds_all(void) {
    return A.map && A.outside == 0;
}

size_t sys_arena_used(void) {
    return A.high + (A.cap - A.top_low);
}

void sys_arena_release(void) {
    if (!A.map) return;
    ttlx_set_allocator(NULL);
    munmap(A.map, A.map_size);
    A.map = A.base = NULL;
    A.cap = A.used = A.high = A.map_size = A.outside = 0;
    A.top = A.top_low = 0;
    A.nbig = 0;
    A.small = A.small_end = 0;
    A.small_last = SIZE_MAX;
    A.last = SIZE_MAX;
}
