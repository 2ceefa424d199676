/*
 * ttlx_near.h - THE did-you-mean rule, for every suggestion ttlx makes (an
 * unknown hint key, a hint for an unknown buffer, a dtype, a device, a
 * command of the command line or of the explorer).
 *
 * The suggestion for a word s is the name nearest to it by the optimal
 * string alignment distance (insertions, deletions, substitutions and
 * swaps of neighbours cost 1; ASCII letters compare without case), when
 * that distance is at most 1 for a word of up to 3 bytes, 2 up to 6, 3
 * beyond; among equally near names the first given wins. Words and names
 * over 64 bytes get no suggestion.
 *
 * Near-linear: the names are sorted once into an index that shares the
 * distance rows of common prefixes, and a search leaves every prefix that
 * is already too far, in a band of 2*limit+1 cells per row, in passes
 * of a growing bound (0, 1, ... the limit) that end at the first name
 * found. The work of one search is capped (TTLX_NEAR_MAX_WORK): 10,000
 * misspelt names against 10,000 buffers take under 0.1 s; past the cap
 * (a name 3 edits away among many thousands, or no name near at all) a
 * search answers with the nearest name it has seen, or none.
 * Includes only libc.
 */
#ifndef TTLX_NEAR_H
#define TTLX_NEAR_H

#include <stddef.h>

/* The work one search may do: distance cells computed, names visited,
 * probes of a binary search. */
#define TTLX_NEAR_MAX_WORK 16384

typedef struct ttlx_near ttlx_near_t;

/* An index of n names (NULL entries are skipped). The names are borrowed
 * and must outlive the index. NULL when out of memory. */
ttlx_near_t *ttlx_near_new(const char *const *names, size_t n);
void ttlx_near_free(ttlx_near_t *ix);

/* The name nearest to s by the rule above, else NULL. */
const char *ttlx_near_find(const ttlx_near_t *ix, const char *s);

/* The same for a short list, without an index (no allocation): for
 * repeated searches over many names build an index. */
const char *ttlx_near(const char *s, const char *const *names, size_t n);

#endif
