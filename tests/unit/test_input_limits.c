/*
 * test_input_limits.c - regression tests for hostile files given to the
 * loader: inputs over the size cap (a sparse file, so nothing big is
 * written), endless devices, and directories.
 */
#include "test_support.h"

#include <stdlib.h>
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

/* /dev/zero never ends: the reader stops at the cap. */
static void endless_device_stops(void **state) {
    (void)state;
    if (access("/dev/zero", R_OK)) skip();
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file("/dev/zero", NULL, 0, &err));
    assert_string_equal(err.what, "input larger than 64 MiB: not a PrimFunc");
}

/* A directory says why it cannot be read. */
static void directory_names_the_reason(void **state) {
    (void)state;
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file(tmpdir, NULL, 0, &err));
    assert_string_equal(err.what, "cannot read: Is a directory");
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
