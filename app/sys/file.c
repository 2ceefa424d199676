/*
 * file.c - reading a whole file for the app, through the core's reader so
 * that there is one size cap and one set of messages.
 */
#include "sys/file.h"
#include "ttlx_internal.h"

#include <stdio.h>

char *ttlx_file_read(const char *path, size_t *len, char *err, size_t errsize) {
    ttlx_error_t e = {0};
    size_t n = 0;
    char *data = ttlx_read_file(path, &n, &e);
    if (!data) {
        if (err && errsize) snprintf(err, errsize, "%s: %s", path, e.what);
        return NULL;
    }
    /* The core leaves an empty file's one byte unset; it is "" here. */
    if (n == 0) data[0] = '\0';
    if (len) *len = n;
    return data;
}
