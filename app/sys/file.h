/*
 * file.h - the app's one file reader: a whole file into memory, with the
 * core's size cap and an error that names the file. Every reader in the
 * app (export, cli) goes through it, and it goes through the core's.
 */
#ifndef TTLX_SYS_FILE_H
#define TTLX_SYS_FILE_H

#include "ttlx_base.h"

#include <stddef.h>

/* Reads the file at path whole. Returns its bytes NUL-terminated (caller
 * frees with ttlx_free; *len, may be NULL, excludes the NUL) or NULL with
 * err (may be NULL) holding "PATH: why". Refuses files larger than the
 * core's input cap (64 MiB): no PrimFunc comes near it. */
char *ttlx_file_read(const char *path, size_t *len, char *err, size_t errsize);

#endif
