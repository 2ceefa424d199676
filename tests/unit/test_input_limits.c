/*
 * test_input_limits.c - regression tests for hostile files given to the
 * loader: inputs over the size cap (a sparse file, so nothing big is
 * written), endless devices, and directories.
 */
#include "test_support.h"
#include "ttlx_sb.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/ttlx-limits-XXXXXX";

/* A 100 MB regular file is refused at once, before it is read. */
static void oversized_file_is_refused(void **state) {
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/big.json", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\"name\": \"f\", \"buffers\": []}", f);
    assert_int_equal(ftruncate(fileno(f), 100L << 20), 0);
    fclose(f);
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file(path, NULL, 0, &err));
    assert_int_equal(err.line, 0);
    assert_string_equal(err.what, "input larger than 64 MiB: not a PrimFunc");
    unlink(path);
}

/* A file just under the cap is read (and then judged on its content). */
static void file_under_cap_is_read(void **state) {
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/ws.json", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\"name\": \"f\", \"buffers\": []}", f);
    fclose(f);
    assert_int_equal(truncate(path, 1L << 20), 0); /* NUL padding */
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file(path, NULL, 0, &err));
    assert_contains(err.what, "NUL byte");
    unlink(path);
}

/* /dev/zero never ends: it is refused before anything is read, as every
 * file that is not a regular file. */
static void endless_device_stops(void **state) {
    (void)state;
    if (access("/dev/zero", R_OK)) skip();
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file("/dev/zero", NULL, 0, &err));
    assert_string_equal(err.what, "not a regular file (a character device)");
}

/* New memory full of 'X', as a reused heap block may be: an empty file
 * must still come back as "" (the builder once left its NUL unset). */
static void *x_realloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (q && !p) memset(q, 'X', n);
    return q;
}
static void *x_malloc(size_t n) {
    return x_realloc(NULL, n);
}

static void empty_file_is_an_empty_string(void **state) {
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/empty.json", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fclose(f);
    ttlx_allocator_t a = {x_malloc, x_realloc, free, NULL};
    ttlx_set_allocator(&a);
    ttlx_error_t err = {0};
    size_t len = 99;
    char *text = ttlx_read_file(path, &len, &err);
    assert_non_null(text);
    assert_int_equal(len, 0);
    assert_int_equal(text[0], '\0');
    ttlx_free(text);
    ttlx_sb_t sb = {0}; /* never written to */
    text = ttlx_sb_take(&sb);
    assert_non_null(text);
    assert_string_equal(text, "");
    ttlx_free(text);
    ttlx_set_allocator(NULL);
    unlink(path);
}

/* A FIFO with no writer: refused at once, never waited on. */
static void fifo_is_refused_without_blocking(void **state) {
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/fifo.json", tmpdir);
    assert_int_equal(mkfifo(path, 0600), 0);
    ttlx_error_t err = {0};
    size_t len = 0;
    assert_null(ttlx_read_file(path, &len, &err));
    assert_string_equal(err.what, "not a regular file (a FIFO)");
    assert_null(ttlx_module_load_file(path, NULL, 0, &err));
    assert_string_equal(err.what, "not a regular file (a FIFO)");
    unlink(path);
}

/* A directory says why it cannot be read. */
static void directory_names_the_reason(void **state) {
    (void)state;
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file(tmpdir, NULL, 0, &err));
    assert_string_equal(err.what, "not a regular file (a directory)");
}

/* Control bytes quoted from the input never reach the terminal. */
static void messages_carry_no_control_bytes(void **state) {
    (void)state;
    ttlx_error_t e =
        t_load_error("{\"name\": \"f\", \"buffers\": ["
                     "{\"name\": \"A\x1b[2J\", \"shape\": [1], \"dtype\": \"int8\"},"
                     "{\"name\": \"A\x1b[2J\", \"shape\": [1], \"dtype\": \"int8\"}]}");
    assert_contains(e.what, "\"A\\x1b[2J\": duplicate buffer name");
    e = t_load_error("{\"name\": \x07\x1b]0;title\x07}");
    for (const char *c = e.what; *c; c++)
        assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
}

static void expect_utf8_error(const char *text, const char *path, int col, const char *what) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(text, strlen(text), path, NULL, 0, &err);
    if (m) {
        ttlx_module_free(m);
        fail_msg("%s loaded", text);
    }
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, col);
    assert_string_equal(err.what, what);
}

/* JSON and TVMScript must be UTF-8: Latin-1, overlong forms, encoded
 * surrogates and cut sequences are load errors with a position. */
static void non_utf8_is_refused(void **state) {
    (void)state;
    expect_utf8_error("{\"name\": \"caf\xe9\", \"buffers\": []}", "t.json", 14,
                      "invalid UTF-8 byte 0xE9 (the input must be UTF-8 text)");
    expect_utf8_error("{\"name\": \"\xc0\xaf\", \"buffers\": []}", "t.json", 11,
                      "invalid UTF-8 byte 0xC0 (the input must be UTF-8 text)");
    expect_utf8_error("{\"name\": \"\xed\xa0\x80\", \"buffers\": []}", "t.json", 11,
                      "invalid UTF-8 byte 0xED (the input must be UTF-8 text)");
    expect_utf8_error("{\"name\": \"\xf4\x90\x80\x80\", \"buffers\": []}", "t.json", 11,
                      "invalid UTF-8 byte 0xF4 (the input must be UTF-8 text)");
    expect_utf8_error("{\"name\": \"f\", \"buffers\": []}\xe2\x82", "t.json", 29,
                      "invalid UTF-8 byte 0xE2 (the input must be UTF-8 text)");
    expect_utf8_error("# \xff\n", "t.py", 3,
                      "invalid UTF-8 byte 0xFF (the input must be UTF-8 text)");
    /* Valid multi-byte text still loads. */
    t_run_t ok = t_infer("{\"name\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\", \"buffers\": "
                         "[{\"name\": \"A\", \"shape\": [32, 32], \"dtype\": \"int8\"}]}",
                         NULL);
    t_free(&ok);
}

/* cJSON stops at 1000 levels; the message says so instead of quoting
 * brackets at a confusing position. */
static void deep_nesting_is_named(void **state) {
    (void)state;
    char text[2200];
    size_t k = 0;
    for (int i = 0; i < 1001; i++)
        text[k++] = '[';
    for (int i = 0; i < 1001; i++)
        text[k++] = ']';
    text[k] = '\0';
    ttlx_error_t e = t_load_error(text);
    assert_string_equal(e.what, "malformed JSON: nested more than 1000 levels deep");
    text[1001] = '\0';
    e = t_load_error(text);
    assert_string_equal(e.what, "malformed JSON: nested more than 1000 levels deep");
}

/* 2^53 + 1 reads as the double 2^53: it used to load as a shape of 2^53.
 * Every integer below 2^53 is exact, so that is the limit. */
static void rounded_integers_are_refused(void **state) {
    (void)state;
    ttlx_error_t e = t_load_error("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": "
                                  "[9007199254740993, 1], \"dtype\": \"int8\"}]}");
    assert_contains(e.what, "shape[0] must be a positive integer below 2^53");
    t_run_t ok = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": "
                         "[9007199254740991], \"dtype\": \"int8\"}]}",
                         NULL);
    assert_int_equal(ttlx_result_layout(ok.r, 0)->buf->shape[0], INT64_C(9007199254740991));
    t_free(&ok);
    ttlx_error_t err = {0};
    const char *py = "@T.prim_func\ndef f(A: T.Buffer((9007199254740992,), \"int8\")):\n    pass\n";
    assert_null(ttlx_module_load_string(py, strlen(py), "t.py", NULL, 0, &err));
    assert_contains(err.what, "dimension 0 is 2^53 or more");
}

/* An error cJSON reports at a line end quotes the character before it,
 * not an empty excerpt. */
static void excerpt_is_never_empty(void **state) {
    (void)state;
    ttlx_error_t e = t_load_error("{\"name\": \"f\", \"buffers\": [],}\n");
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 29);
    assert_string_equal(e.what, "malformed JSON near '}'");
}

static int setup(void **state) {
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    return rmdir(tmpdir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(oversized_file_is_refused),
        cmocka_unit_test(file_under_cap_is_read),
        cmocka_unit_test(endless_device_stops),
        cmocka_unit_test(directory_names_the_reason),
        cmocka_unit_test(empty_file_is_an_empty_string),
        cmocka_unit_test(fifo_is_refused_without_blocking),
        cmocka_unit_test(messages_carry_no_control_bytes),
        cmocka_unit_test(non_utf8_is_refused),
        cmocka_unit_test(deep_nesting_is_named),
        cmocka_unit_test(rounded_integers_are_refused),
        cmocka_unit_test(excerpt_is_never_empty),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
