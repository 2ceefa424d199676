/*
 * ttlx_near.c - the did-you-mean rule and its near-linear search
 * (ttlx_near.h).
 *
 * One search routine serves both forms: names in the order given (a short
 * list) or sorted without case (an index). Consecutive names share the
 * distance rows of their common prefix, so a sorted index is walked like a
 * trie; a row whose cells (and the row before it, which a swap can jump
 * from) are all past the bound ends the walk of everything under that
 * prefix, found by binary search in a sorted index.
 */
#include "ttlx_near.h"
#include "ttlx_base.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NEAR_MAX_LEN 64

typedef struct {
    const char *name;
    uint32_t len;
    uint32_t index; /* position in the caller's list: ties go to the first */
} entry_t;

struct ttlx_near {
    entry_t *e;
    size_t n;
    uint8_t *lcp;
    uint8_t *rmq[40];
    int levels;
};

static unsigned char low(char c) {
    unsigned char u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? (unsigned char)(u + 32) : u;
}

/* The largest distance a word of len bytes may have to its suggestion. */
static int limit_for(size_t len) {
    return len <= 3 ? 1 : len <= 6 ? 2 : 3;
}

static int cmp_entry(const void *pa, const void *pb) {
    const entry_t *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = low(a->name[i]), y = low(b->name[i]);
        if (x != y) return x < y ? -1 : 1;
    }
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Bytes a and b share at their start, without case, up to max. */
static size_t common(const entry_t *a, const entry_t *b, size_t max) {
    size_t i = 0;
    while (i < max && i < a->len && i < b->len && low(a->name[i]) == low(b->name[i]))
        i++;
    return i;
}

/* The names a search walks: in the order given (lcp NULL), or sorted with
 * lcp[i], the bytes e[i] shares with e[i - 1] at its start (lcp[0] = 0),
 * and rmq[l][i], the least of lcp[i .. i + 2^l - 1], for skipping. */
typedef struct {
    const entry_t *e;
    size_t n;
    const uint8_t *lcp;
    uint8_t *const *rmq;
    int levels;
} view_t;

/* The first entry after i (sorted) that does not start with e[i]'s first
 * d bytes: the first j > i with lcp[j] < d, by binary lifting. */
static size_t past_prefix(const view_t *v, size_t i, size_t d, size_t *work) {
    size_t j = i + 1;
    for (int l = v->levels - 1; l >= 0; l--) {
        size_t w = (size_t)1 << l;
        *work += 1;
        if (j + w <= v->n && v->rmq[l][j] >= d) j += w;
    }
    return j;
}

/* One pass: the entry nearest to q (m bytes, lower case) at distance at
 * most k, else NULL; *work counts the work: distance cells, names
 * visited, probes of the binary search. */
static const entry_t *walk_within(const view_t *v, const unsigned char *q, size_t m, int k,
                                  size_t *work) {
    const entry_t *e = v->e;
    const size_t n = v->n;
    const int inf = k + 1;
    /* rows[d][j]: distance of the entry's first d bytes to q's first j,
     * kept in the band |j - d| <= k; the cell on each side of the band
     * holds inf. mins[d]: the row's smallest cell. */
    int rows[NEAR_MAX_LEN + 1][NEAR_MAX_LEN + 2];
    int mins[NEAR_MAX_LEN + 1];
    for (size_t j = 0; j <= m && j <= (size_t)k + 1; j++)
        rows[0][j] = j <= (size_t)k ? (int)j : inf;
    mins[0] = 0;
    const entry_t *best = NULL;
    int best_d = inf;
    size_t valid = 0; /* rows[0..valid] belong to prev's first bytes */
    const entry_t *prev = NULL;
    for (size_t i = 0; i < n && *work <= TTLX_NEAR_MAX_WORK;) {
        const entry_t *c = &e[i];
        /* the rows prev and c share: a sorted index knows it */
        size_t d = !prev    ? 0
                   : v->lcp ? (v->lcp[i] < valid ? v->lcp[i] : valid)
                            : common(prev, c, valid);
        *work += 1;
        bool cut = false;
        int bound = best_d < k ? best_d : k;
        while (d < c->len) {
            d++;
            size_t lo = d > (size_t)k ? d - (size_t)k : 0, hi = d + (size_t)k;
            if (hi > m) hi = m;
            int *r = rows[d];
            const int *up = rows[d - 1];
            if (lo >= 1) r[lo - 1] = inf;
            if (hi + 1 <= m) r[hi + 1] = inf;
            unsigned char ch = low(c->name[d - 1]), chp = d > 1 ? low(c->name[d - 2]) : 0;
            int mn = inf;
            for (size_t j = lo; j <= hi; j++) {
                int x;
                if (j == 0) {
                    x = (int)d;
                } else {
                    x = up[j - 1] + (ch != q[j - 1]);
                    if (up[j] + 1 < x) x = up[j] + 1;
                    if (r[j - 1] + 1 < x) x = r[j - 1] + 1;
                    if (d > 1 && j > 1 && ch == q[j - 2] && chp == q[j - 1] &&
                        rows[d - 2][j - 2] + 1 < x)
                        x = rows[d - 2][j - 2] + 1;
                }
                if (x > inf) x = inf;
                r[j] = x;
                if (x < mn) mn = x;
            }
            if (lo > hi) mn = inf;
            mins[d] = mn;
            *work += hi - lo + 1;
            /* nothing under this prefix can come within the bound: not
             * from this row, nor by a swap from the row before */
            if (mn > bound && mins[d - 1] + 1 > bound) {
                cut = true;
                break;
            }
        }
        valid = d;
        prev = c;
        if (cut) {
            i = v->lcp ? past_prefix(v, i, d, work) : i + 1;
            continue;
        }
        size_t gap = c->len > m ? c->len - m : m - c->len;
        int dist = gap > (size_t)k ? inf : rows[c->len][m];
        if (dist < best_d || (dist == best_d && best && c->index < best->index)) {
            best_d = dist;
            best = c;
        }
        i++;
    }
    return best && best_d <= k ? best : NULL;
}

/* The search: passes with a growing bound, 0 up to the word's limit, end
 * at the first that finds a name (the nearest, as the first of the
 * nearest is the first within that bound). A tight bound cuts the walk
 * early, so a close name is found at a fraction of the work. */
static const char *walk(const view_t *v, const char *s) {
    size_t m = strlen(s);
    if (m > NEAR_MAX_LEN) return NULL;
    unsigned char q[NEAR_MAX_LEN];
    for (size_t j = 0; j < m; j++)
        q[j] = low(s[j]);
    size_t work = 0;
    for (int k = 0; k <= limit_for(m) && work <= TTLX_NEAR_MAX_WORK; k++) {
        const entry_t *b = walk_within(v, q, m, k, &work);
        if (b) return b->name;
    }
    return NULL;
}

ttlx_near_t *ttlx_near_new(const char *const *names, size_t n) {
    ttlx_near_t *ix = ttlx_calloc(1, sizeof *ix);
    if (!ix) return NULL;
    ix->e = ttlx_calloc(n ? n : 1, sizeof *ix->e);
    if (!ix->e) {
        ttlx_free(ix);
        return NULL;
    }
    for (size_t i = 0; i < n && i < UINT32_MAX; i++) {
        size_t len = names[i] ? strlen(names[i]) : NEAR_MAX_LEN + 1;
        if (len > NEAR_MAX_LEN) continue;
        ix->e[ix->n++] = (entry_t){names[i], (uint32_t)len, (uint32_t)i};
    }
    qsort(ix->e, ix->n, sizeof *ix->e, cmp_entry);
    /* the shared prefixes (at most 64 bytes: one byte each) and their
     * range minima over 1, 2, 4, ... entries */
    while (((size_t)1 << ix->levels) <= ix->n)
        ix->levels++;
    ix->lcp = ttlx_malloc(ix->n ? ix->n : 1);
    bool ok = ix->lcp != NULL;
    for (size_t i = 0; ok && i < ix->n; i++)
        ix->lcp[i] = (uint8_t)(i ? common(&ix->e[i - 1], &ix->e[i], NEAR_MAX_LEN) : 0);
    for (int l = 0; ok && l < ix->levels; l++) {
        ix->rmq[l] = ttlx_malloc(ix->n);
        ok = ix->rmq[l] != NULL;
        size_t h = l ? (size_t)1 << (l - 1) : 0;
        for (size_t i = 0; ok && i < ix->n; i++) {
            const uint8_t *below = l ? ix->rmq[l - 1] : NULL;
            ix->rmq[l][i] = !l                                         ? ix->lcp[i]
                            : i + h < ix->n && below[i + h] < below[i] ? below[i + h]
                                                                       : below[i];
        }
    }
    if (!ok) {
        ttlx_near_free(ix);
        return NULL;
    }
    return ix;
}

void ttlx_near_free(ttlx_near_t *ix) {
    if (!ix) return;
    for (int l = 0; l < ix->levels; l++)
        ttlx_free(ix->rmq[l]);
    ttlx_free(ix->lcp);
    ttlx_free(ix->e);
    ttlx_free(ix);
}

const char *ttlx_near_find(const ttlx_near_t *ix, const char *s) {
    if (!ix || !s) return NULL;
    view_t v = {ix->e, ix->n, ix->lcp, ix->rmq, ix->levels};
    return walk(&v, s);
}

const char *ttlx_near(const char *s, const char *const *names, size_t n) {
    if (!s) return NULL;
    if (n > 64) { /* a long list: the index (no suggestion without memory) */
        ttlx_near_t *ix = ttlx_near_new(names, n);
        const char *b = ttlx_near_find(ix, s);
        ttlx_near_free(ix);
        return b;
    }
    entry_t e[64]; /* in the order given, on the stack */
    size_t got = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = names[i] ? strlen(names[i]) : NEAR_MAX_LEN + 1;
        if (len <= NEAR_MAX_LEN) e[got++] = (entry_t){names[i], (uint32_t)len, (uint32_t)i};
    }
    view_t v = {e, got, NULL, NULL, 0};
    return walk(&v, s);
}
