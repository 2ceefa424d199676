/*
 * bench_didyoumean.c - how did-you-mean scales (ttlx_near.h). Prints, for
 * 1k, 10k and 100k names:
 *   - infer: a PrimFunc of N buffers "buf_I" with N hints for "bfu_I" (each
 *     a misspelt buffer name), loaded and inferred; every hint gets TTL011
 *     with its suggestion (checked: the count must be N);
 *   - index: N random 8-byte names and N random words (most with no name
 *     within reach, the worst case for the search), the index built and
 *     searched once per word.
 * Asserts nothing but the suggestion count; the figures go to the README.
 *   bench_didyoumean [infer]   (infer: the first part alone, for check-all)
 */
#include "ttlx_infer.h"
#include "ttlx_load.h"
#include "ttlx_near.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The PrimFunc JSON of n buffers with n misspelt hints (caller frees). */
static char *primfunc(size_t n, size_t *len) {
    size_t cap = n * 120 + 256;
    char *t = malloc(cap);
    if (!t) return NULL;
    size_t at = (size_t)snprintf(t, cap, "{\"name\": \"f\", \"kernel\": [2, 2], \"buffers\": [");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(t + at, cap - at,
                               "%s{\"name\": \"buf_%zu\", \"shape\": [64, 64], \"dtype\": "
                               "\"bfloat16\"}",
                               i ? ", " : "", i);
    at += (size_t)snprintf(t + at, cap - at, "], \"attrs\": {\"tt.user_layout\": {");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(t + at, cap - at, "%s\"bfu_%zu\": {\"memory\": \"DRAM\"}",
                               i ? ", " : "", i);
    at += (size_t)snprintf(t + at, cap - at, "}}}");
    *len = at;
    return t;
}

static int bench_infer(size_t n) {
    size_t len;
    char *text = primfunc(n, &len);
    if (!text) return 1;
    double t0 = now_s();
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(text, len, "bench.json", NULL, 0, &err);
    if (!m) {
        fprintf(stderr, "bench_didyoumean: %s\n", err.what);
        free(text);
        return 1;
    }
    double t1 = now_s();
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(m, 0), ttlx_device_default(), &err);
    double t2 = now_s();
    size_t hinted = 0;
    for (size_t i = 0; r && i < ttlx_result_diag_count(r); i++)
        hinted += strstr(ttlx_result_diag(r, i)->message, "(did you mean \"buf_") != NULL;
    printf("infer  %6zu misspelt hints: load %7.3f s, infer with did-you-mean %7.3f s "
           "(%zu suggestions)\n",
           n, t1 - t0, t2 - t1, hinted);
    ttlx_result_free(r);
    ttlx_module_free(m);
    free(text);
    return hinted == n ? 0 : 1;
}

static void random_word(char *w, size_t len, unsigned *seed) {
    static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    for (size_t i = 0; i < len; i++) {
        *seed = *seed * 1103515245u + 12345u;
        w[i] = abc[(*seed >> 16) % (sizeof abc - 1)];
    }
    w[len] = '\0';
}

static int bench_index(size_t n) {
    char(*names)[9] = malloc(n * sizeof *names);
    char(*words)[9] = malloc(n * sizeof *words);
    const char **ptr = malloc(n * sizeof *ptr);
    if (!names || !words || !ptr) return 1;
    unsigned seed = 42;
    for (size_t i = 0; i < n; i++) {
        random_word(names[i], 8, &seed);
        random_word(words[i], 8, &seed);
        ptr[i] = names[i];
    }
    double t0 = now_s();
    ttlx_near_t *ix = ttlx_near_new(ptr, n);
    double t1 = now_s();
    size_t found = 0;
    for (size_t i = 0; ix && i < n; i++)
        found += ttlx_near_find(ix, words[i]) != NULL;
    double t2 = now_s();
    printf("index  %6zu random names:   build %7.3f s, %zu searches %7.3f s (%zu found)\n", n,
           t1 - t0, n, t2 - t1, found);
    ttlx_near_free(ix);
    free(names);
    free(words);
    free(ptr);
    return ix ? 0 : 1;
}

int main(int argc, char **argv) {
    bool infer_only = argc > 1 && !strcmp(argv[1], "infer");
    static const size_t sizes[] = {1000, 10000, 100000};
    int bad = 0;
    printf("did-you-mean (ttlx_near): near-linear, at most %d steps of work per search\n",
           TTLX_NEAR_MAX_WORK);
    for (size_t i = 0; i < 3; i++)
        bad |= bench_infer(sizes[i]);
    for (size_t i = 0; i < 3 && !infer_only; i++)
        bad |= bench_index(sizes[i]);
    return bad;
}
