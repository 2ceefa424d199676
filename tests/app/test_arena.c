/*
 * test_arena.c - the one-shot bump allocator behind `ttlx infer`: blocks
 * without headers, in-place growth of the newest block, copies that keep
 * an older block's contents, zeroed calloc on reused memory, the libc
 * fallback and what sys_arena_holds_all then says. Also the rest of
 * app/sys/ beside the arena: the one file reader (sys/file.h) and opening
 * a FILE with its device (sys/open.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sys/arena.h"
#include "sys/file.h"
#include "sys/open.h"
#include "ttlx_base.h"

static void test_blocks_are_aligned_and_distinct(void **state) {
    (void)state;
    sys_arena_install(1 << 20);
    char *a = ttlx_malloc(5), *b = ttlx_malloc(0), *c = ttlx_malloc(17);
    assert_int_equal((uintptr_t)a % 8, 0);
    assert_int_equal((uintptr_t)b % 8, 0);
    assert_int_equal((uintptr_t)c % 8, 0);
    assert_int_equal(b - a, 8); /* 5 bytes round up to 8, no header */
    assert_int_equal(c - b, 8); /* size 0 still gets its own 8 bytes */
    /* 64-byte blocks (cJSON's nodes) lie back to back on cache lines while
     * short strings go to their own chunk. */
    char *n1 = ttlx_malloc(64), *s1 = ttlx_malloc(6), *n2 = ttlx_malloc(64);
    assert_int_equal((uintptr_t)n1 % 64, 0);
    assert_ptr_equal(n2, n1 + 64);
    assert_ptr_equal(s1, c + 24);
    /* Handed out: one 64 KiB chunk of small blocks and the two nodes. */
    assert_int_equal(sys_arena_used(), (64 << 10) + 128);
    assert_true(sys_arena_holds_all());
    sys_arena_release();
}

static void test_newest_block_grows_in_place_and_is_given_back(void **state) {
    (void)state;
    sys_arena_install(1 << 20);
    /* A short string grows in place inside its chunk, and comes back. */
    char *str = ttlx_malloc(3);
    memcpy(str, "ab", 3);
    char *longer = ttlx_realloc(str, 24);
    assert_ptr_equal(longer, str);
    assert_string_equal(longer, "ab");
    ttlx_free(longer);
    assert_ptr_equal(ttlx_malloc(8), str);
    char *a = ttlx_malloc(16);
    memcpy(a, "0123456789abcde", 16);
    char *g = ttlx_realloc(a, 4000);
    assert_ptr_equal(g, a);
    assert_string_equal(g, "0123456789abcde");
    ttlx_free(g);
    char *again = ttlx_malloc(8);
    assert_ptr_equal(again, a); /* the newest block came back */
    sys_arena_release();
}

static void test_older_block_moves_with_its_contents(void **state) {
    (void)state;
    sys_arena_install(1 << 20);
    int64_t *v = ttlx_malloc(4 * sizeof *v);
    for (int k = 0; k < 4; k++)
        v[k] = 1000 + k;
    char *later = ttlx_malloc(3);
    memcpy(later, "xy", 3);
    int64_t *w = ttlx_realloc(v, 400 * sizeof *w);
    assert_ptr_not_equal(w, v);
    for (int k = 0; k < 4; k++)
        assert_int_equal(w[k], 1000 + k);
    assert_string_equal(later, "xy"); /* untouched by the move */
    /* Shrinking an older block keeps the prefix too. */
    char *s = ttlx_malloc(32);
    memcpy(s, "shrink me please", 17);
    ttlx_malloc(8);
    char *t = ttlx_realloc(s, 7);
    assert_memory_equal(t, "shrink ", 7);
    sys_arena_release();
}

static void test_calloc_zeroes_reused_memory_only(void **state) {
    (void)state;
    sys_arena_install(1 << 20);
    char *a = ttlx_malloc(64);
    memset(a, 0xAB, 64);
    ttlx_free(a); /* newest: given back, so the next block reuses it */
    unsigned char *z = ttlx_calloc(16, 8);
    assert_ptr_equal(z, a);
    for (int k = 0; k < 128; k++)
        assert_int_equal(z[k], 0);
    /* Overflowing count * size is refused. */
    assert_null(ttlx_calloc(SIZE_MAX / 2, 3));
    sys_arena_release();
}

static void test_big_blocks_come_from_the_top_and_are_reused(void **state) {
    (void)state;
    sys_arena_install(16 << 20);
    char *small = ttlx_malloc(64);
    char *text = ttlx_malloc((size_t)3 << 20);     /* an input file's text */
    assert_true(text > small + ((size_t)8 << 20)); /* from the far end */
    memset(text, 'x', (size_t)3 << 20);
    char *after = ttlx_malloc(64);
    assert_ptr_equal(after, small + 64); /* the bottom goes on undisturbed */
    ttlx_free(text);
    /* The next big block reuses the text's pages, zeroed where they were used. */
    unsigned char *layouts = ttlx_calloc(5, (size_t)1 << 20);
    assert_ptr_equal(layouts + ((size_t)5 << 20), (unsigned char *)text + ((size_t)3 << 20));
    for (size_t k = 0; k < ((size_t)5 << 20); k += 4093)
        assert_int_equal(layouts[k], 0);
    assert_int_equal(layouts[((size_t)5 << 20) - 1], 0);
    /* Growing a big block moves it with its contents. */
    layouts[0] = 7;
    unsigned char *grown = ttlx_realloc(layouts, (size_t)6 << 20);
    assert_int_equal(grown[0], 7);
    /* Handed out: 128 bottom bytes and the 6 MiB + 5 MiB top blocks (the
     * grown block went below the old one). */
    assert_int_equal(sys_arena_used(), 128 + ((size_t)11 << 20));
    assert_true(sys_arena_holds_all());
    sys_arena_release();
}

static void test_bottom_never_runs_into_the_top(void **state) {
    (void)state;
    sys_arena_install(1 << 20);
    /* 8 bytes past 1 MiB: the top edge is off a 64-byte boundary. */
    const size_t tsz = ((size_t)1 << 20) + 8;
    unsigned char *top = ttlx_malloc(tsz);
    memset(top, 0xAA, tsz);
    /* Fill the rest with blocks of every kind until one falls back to libc:
     * none may overlap the top block (64-byte ones are aligned up first). */
    static const size_t sizes[] = {40, 64, 64, 48, 64, 200, 64, 56, 64};
    size_t k = 0, n = 0;
    void *libc[8];
    int nlibc = 0;
    while (nlibc < 8) {
        size_t sz = sizes[k++ % (sizeof sizes / sizeof sizes[0])];
        unsigned char *p = ttlx_malloc(sz);
        assert_non_null(p);
        memset(p, 0x55, sz);
        n++;
        if (!sys_arena_holds_all()) libc[nlibc++] = p; /* counts from the first fallback */
    }
    assert_true(n > 1000);
    for (size_t i = 0; i < tsz; i++)
        if (top[i] != 0xAA) fail_msg("byte %zu of the top block was overwritten", i);
    for (int i = 0; i < nlibc; i++)
        ttlx_free(libc[i]); /* libc's ones go back to libc */
    sys_arena_release();
}

static void test_too_big_falls_back_to_libc(void **state) {
    (void)state;
    sys_arena_install(1 << 20); /* rounds up to 2 MiB + one huge page */
    char *small = ttlx_malloc(100);
    assert_true(sys_arena_holds_all());
    char *big = ttlx_malloc((size_t)64 << 20);
    assert_non_null(big);
    big[0] = 1;
    big[((size_t)64 << 20) - 1] = 2;
    assert_false(sys_arena_holds_all()); /* must be freed one by one now */
    /* Growing an arena block past the end moves it to libc, contents kept. */
    memcpy(small, "kept", 5);
    char *moved = ttlx_realloc(small, (size_t)32 << 20);
    assert_non_null(moved);
    assert_string_equal(moved, "kept");
    ttlx_free(moved);
    ttlx_free(big);
    sys_arena_release();
    /* After release the libc allocator is back. */
    char *p = ttlx_malloc(10);
    assert_non_null(p);
    ttlx_free(p);
    assert_false(sys_arena_holds_all());
}

/* ----------------------------------------------------- sys/file, sys/open */

static void test_file_read_whole_or_a_clear_error(void **state) {
    (void)state;
    char path[] = "/tmp/ttlx-sys-file-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    fputs("hello\nworld", f);
    fclose(f);
    char err[300] = "";
    size_t len = 99;
    char *text = sys_file_read(path, &len, err, sizeof err);
    assert_non_null(text);
    assert_int_equal(len, 11);
    assert_string_equal(text, "hello\nworld");
    ttlx_free(text);
    /* Empty: an empty string, not NULL. */
    f = fopen(path, "wb");
    fclose(f);
    text = sys_file_read(path, &len, err, sizeof err);
    assert_non_null(text);
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    ttlx_free(text);
    unlink(path);
    /* Gone: the message names the file and why. */
    assert_null(sys_file_read(path, &len, err, sizeof err));
    char want[300];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    assert_string_equal(err, want);
    assert_null(sys_file_read(path, NULL, NULL, 0)); /* err is optional */
}

static void test_open_picks_function_and_device(void **state) {
    (void)state;
    char path[1024], err[1024];
    snprintf(path, sizeof path, "%s/samples/two_kernels.json", TTLX_SOURCE_DIR);
    ttlx_device_t dev;
    size_t fi = 99;
    /* No options: the first function, the file's device or the default. */
    ttlx_module_t *m = sys_open_file(path, NULL, &dev, &fi, err, sizeof err);
    if (!m) fail_msg("%s", err);
    assert_int_equal(fi, 0);
    const char *named = ttlx_func_device_name(ttlx_module_func(m, 0));
    assert_string_equal(dev.name, named ? named : ttlx_device_default()->name);
    ttlx_module_free(m);
    /* --func and --device. */
    sys_open_opts_t o = {.func = "proj", .device = "blackhole_p150"};
    m = sys_open_file(path, &o, &dev, &fi, err, sizeof err);
    if (!m) fail_msg("%s", err);
    assert_int_equal(fi, 1);
    assert_string_equal(dev.name, "blackhole_p150");
    ttlx_module_free(m);
    /* A function that is not there: the ones that are are listed. */
    o = (sys_open_opts_t){.func = "nope"};
    assert_null(sys_open_file(path, &o, &dev, &fi, err, sizeof err));
    char want[1200];
    snprintf(want, sizeof want, "%s: no function named 'nope' (it has: layernorm proj)", path);
    assert_string_equal(err, want);
    /* A device that is not there: the message stands alone. */
    o = (sys_open_opts_t){.device = "wormhole"};
    assert_null(sys_open_file(path, &o, &dev, &fi, err, sizeof err));
    assert_non_null(strstr(err, "unknown device 'wormhole'"));
    assert_null(strstr(err, path));
    /* A file that does not load: FILE: why. */
    assert_null(sys_open_file("/nonexistent/x.json", NULL, &dev, &fi, err, sizeof err));
    assert_string_equal(err, "/nonexistent/x.json: cannot open: No such file or directory");
    /* A tiny buffer truncates, never overflows. */
    char small[8];
    o = (sys_open_opts_t){.func = "nope"};
    assert_null(sys_open_file(path, &o, &dev, &fi, small, sizeof small));
    assert_int_equal(strlen(small), sizeof small - 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_are_aligned_and_distinct),
        cmocka_unit_test(test_newest_block_grows_in_place_and_is_given_back),
        cmocka_unit_test(test_older_block_moves_with_its_contents),
        cmocka_unit_test(test_calloc_zeroes_reused_memory_only),
        cmocka_unit_test(test_big_blocks_come_from_the_top_and_are_reused),
        cmocka_unit_test(test_bottom_never_runs_into_the_top),
        cmocka_unit_test(test_too_big_falls_back_to_libc),
        cmocka_unit_test(test_file_read_whole_or_a_clear_error),
        cmocka_unit_test(test_open_picks_function_and_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
