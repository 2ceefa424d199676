/*
 * test_near.c - the one did-you-mean rule (ttlx_near.h): exact
 * suggestions, the limit by word length, ties, case, long names, and the
 * index agreeing with a plain reference search over random names.
 */
#include "test_support.h"
#include "ttlx_near.h"

#include <stdlib.h>
#include <string.h>

/* Reference: optimal string alignment, ASCII case folded, full table. */
static int osa(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    static int d[66][66];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int ca = a[i - 1] | (a[i - 1] >= 'A' && a[i - 1] <= 'Z' ? 32 : 0);
            int cb = b[j - 1] | (b[j - 1] >= 'A' && b[j - 1] <= 'Z' ? 32 : 0);
            int v = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1) {
                int pa = a[i - 2] | (a[i - 2] >= 'A' && a[i - 2] <= 'Z' ? 32 : 0);
                int pb = b[j - 2] | (b[j - 2] >= 'A' && b[j - 2] <= 'Z' ? 32 : 0);
                if (ca == pb && pa == cb && d[i - 2][j - 2] + 1 < v) v = d[i - 2][j - 2] + 1;
            }
            d[i][j] = v;
        }
    return d[la][lb];
}

static const char *reference(const char *s, const char *const *names, size_t n) {
    size_t m = strlen(s);
    if (m > 64) return NULL;
    int limit = m <= 3 ? 1 : m <= 6 ? 2 : 3, best_d = limit + 1;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || strlen(names[i]) > 64) continue;
        int d = osa(s, names[i]);
        if (d < best_d) best_d = d, best = names[i];
    }
    return best;
}

/* The list form and the index agree with each other and with want. */
static void expect(const char *s, const char *const *names, size_t n, const char *want) {
    const char *got = ttlx_near(s, names, n);
    if (want)
        assert_string_equal(got ? got : "(none)", want);
    else
        assert_null(got);
    ttlx_near_t *ix = ttlx_near_new(names, n);
    assert_non_null(ix);
    assert_ptr_equal(ttlx_near_find(ix, s), got);
    ttlx_near_free(ix);
}

static void exact_suggestions(void **state) {
    (void)state;
    static const char *const keys[] = {"memory", "layout", "nd_shard", "tile_shape", "cb_depth"};
    expect("memroy", keys, 5, "memory"); /* a swap is one edit */
    expect("MEMORY", keys, 5, "memory"); /* case does not count */
    expect("layuot", keys, 5, "layout");
    expect("nd_shrd", keys, 5, "nd_shard");
    expect("xyzzy", keys, 5, NULL);
    static const char *const grid[] = {"axes", "grid", "shard_shape_elems", "order"};
    expect("gird", grid, 4, "grid");
    expect("ordre", grid, 4, "order");
    static const char *const bufs[] = {"src", "dst", "lhs", "rhs"};
    expect("dts", bufs, 4, "dst");
    expect("ds", bufs, 4, "dst");
    expect("xyz", bufs, 4, NULL); /* 3 bytes: one edit at most */
    static const char *const dev[] = {"wormhole_n150", "wormhole_n300", "blackhole_p100"};
    expect("wormhole_n105", dev, 3, "wormhole_n150");
    expect("blackhole", dev, 3, NULL); /* 5 edits */
    static const char *const cmds[] = {NULL, "infer", "render", "run", "export", "devices"};
    expect("infre", cmds, 6, "infer");
    expect("devics", cmds, 6, "devices");
    expect("frobnicate", cmds, 6, NULL);
}

static void limits_and_ties(void **state) {
    (void)state;
    /* the first of equally near names wins, in both forms */
    static const char *const tie[] = {"abcf", "abce", "abcd"};
    expect("abcx", tie, 3, "abcf");
    static const char *const tie2[] = {"zeta", "beta"};
    expect("eta", tie2, 2, "zeta");
    /* 4 to 6 bytes: two edits; 7 and more: three */
    static const char *const w[] = {"abxyef", "abcdefghij"};
    expect("abcdef", w, 2, "abxyef");          /* 6 bytes: two edits */
    expect("abcdefg", w + 1, 1, "abcdefghij"); /* 7 bytes: three */
    expect("abcdef", w + 1, 1, NULL);          /* 6 bytes: not three */
    expect("abcdefg", w, 2, "abxyef");         /* both three edits: the first */
    /* names over 64 bytes never come up; nor do words over 64 */
    char long_name[70];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    const char *const l[] = {long_name, "aaaa"};
    expect("aaab", l, 2, "aaaa");
    expect(long_name, l, 2, NULL);
    expect("a", NULL, 0, NULL);
    /* an empty word is one insertion from a one-byte name */
    static const char *const one[] = {"ab", "q"};
    expect("", one, 2, "q");
}

static unsigned rnd(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* The index against the reference on random names: lengths 1 to 12 over
 * a small alphabet (many near names, many ties), words of the same kind
 * and misspellings of the names. */
static void index_agrees(void **state) {
    (void)state;
    enum { N = 400 };
    static char names[N][16], words[2 * N][16];
    const char *ptr[N];
    unsigned seed = 7;
    for (int i = 0; i < N; i++) {
        int len = 1 + (int)(rnd(&seed) % 12);
        for (int c = 0; c < len; c++)
            names[i][c] = "abcdeAB_1"[rnd(&seed) % 9];
        names[i][len] = '\0';
        ptr[i] = names[i];
    }
    for (int i = 0; i < 2 * N; i++) {
        if (i % 2) {
            strcpy(words[i], names[rnd(&seed) % N]);
            size_t len = strlen(words[i]);
            unsigned at = rnd(&seed) % (unsigned)len;
            words[i][at] = "abcdeAB_1"[rnd(&seed) % 9]; /* one substitution */
        } else {
            int len = 1 + (int)(rnd(&seed) % 12);
            for (int c = 0; c < len; c++)
                words[i][c] = "abcdeAB_1"[rnd(&seed) % 9];
            words[i][len] = '\0';
        }
    }
    ttlx_near_t *ix = ttlx_near_new(ptr, N);
    assert_non_null(ix);
    for (int i = 0; i < 2 * N; i++) {
        const char *want = reference(words[i], ptr, N);
        const char *got = ttlx_near_find(ix, words[i]);
        if (got != want)
            fail_msg("'%s': index says '%s', reference '%s'", words[i], got ? got : "(none)",
                     want ? want : "(none)");
    }
    ttlx_near_free(ix);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_suggestions),
        cmocka_unit_test(limits_and_ties),
        cmocka_unit_test(index_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
