/*
 * ttlx_nfkc.h - names as Python reads them (ttlx_nfkc.c: NFKC for the
 * compatibility forms identifiers use; a subset, listed there). Internal
 * to the core.
 */
#ifndef TTLX_NFKC_H
#define TTLX_NFKC_H

#include <stdbool.h>

/* Whether s is ASCII only (then it folds to itself). */
bool ttlx_name_plain(const char *s);
/* s folded (caller frees with ttlx_free); NULL when out of memory. */
char *ttlx_name_fold(const char *s);
/* Whether a and b fold to the same name. */
bool ttlx_name_eq(const char *a, const char *b);

#endif
