/*
 * arena.c - the bump allocator of arena.h. Each block carries its size in
 * an 8-byte header; the newest block can grow or shrink in place and is
 * given back when freed, older ones are reclaimed all at once on release.
 */
#include "arena.h"
#include "ttlx_base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* 8-byte blocks and headers: everything allocated through the hooks holds
 * pointers, 64-bit integers and doubles (no long double or SIMD types), and
 * cJSON's many short key strings then take 16 bytes instead of 32. */
#define ARENA_ALIGN 8
#define HUGE_PAGE ((size_t)2 << 20)

static struct {
    char *map;    /* the mapping */
    size_t map_size;
    char *base;   /* first usable byte, 2 MiB aligned */
    size_t cap, used;
    size_t last;  /* offset of the newest block's header, SIZE_MAX if none */
} A = {.last = SIZE_MAX};

static int in_arena(const void *p) {
    return A.base && (const char *)p >= A.base && (const char *)p < A.base + A.cap;
}

static size_t header_size(const void *p) {
    size_t n;
    memcpy(&n, (const char *)p - ARENA_ALIGN, sizeof n);
    return n;
}

static void *arena_malloc(size_t n) {
    size_t need = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (need < n || A.cap - A.used < need + ARENA_ALIGN) return malloc(n);
    char *h = A.base + A.used;
    memcpy(h, &n, sizeof n);
    A.last = A.used;
    A.used += need + ARENA_ALIGN;
    return h + ARENA_ALIGN;
}

static void arena_free(void *p) {
    if (!p) return;
    if (!in_arena(p)) {
        free(p);
        return;
    }
    size_t off = (size_t)((char *)p - A.base) - ARENA_ALIGN;
    if (off == A.last) {
        A.used = off;
        A.last = SIZE_MAX;
    }
}

static void *arena_realloc(void *p, size_t n) {
    if (!p) return arena_malloc(n);
    if (!in_arena(p)) return realloc(p, n);
    size_t old = header_size(p);
    size_t off = (size_t)((char *)p - A.base) - ARENA_ALIGN;
    size_t need = (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (off == A.last && need >= n && A.cap - off - ARENA_ALIGN >= need) {
        memcpy(A.base + off, &n, sizeof n);
        A.used = off + ARENA_ALIGN + need;
        return p;
    }
    void *q = arena_malloc(n);
    if (!q) return NULL;
    memcpy(q, p, old < n ? old : n);
    arena_free(p);
    return q;
}

void ttlx_arena_install(size_t size_hint) {
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
    A.used = 0;
    A.last = SIZE_MAX;
    ttlx_allocator_t alloc = {arena_malloc, arena_realloc, arena_free};
    ttlx_set_allocator(&alloc);
}

void ttlx_arena_release(void) {
    if (!A.map) return;
    ttlx_set_allocator(NULL);
    munmap(A.map, A.map_size);
    A.map = A.base = NULL;
    A.cap = A.used = A.map_size = 0;
    A.last = SIZE_MAX;
}
