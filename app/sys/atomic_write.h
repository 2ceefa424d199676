/*
 * atomic_write.h - replacing a file so that it is either the old or the new
 * content, never a mix: write a temporary file in the same directory, fsync
 * it, rename it over the target, fsync the directory.
 */
#ifndef TTLX_ATOMIC_WRITE_H
#define TTLX_ATOMIC_WRITE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes len bytes of data to path atomically. The new file keeps the
 * permission bits of the file it replaces (0666 less the umask when new).
 * On failure path is untouched, the temporary file is removed, and err
 * (may be NULL) holds "PATH: why". */
bool ttlx_atomic_write(const char *path, const char *data, size_t len, char *err, size_t errsize);

#endif
