/*
 * atomic_write.h - replacing a file so that it is either the old or the new
 * content, never a mix: write a temporary file in the same directory, fsync
 * it, rename it over the target, fsync the directory.
 */
#ifndef TTLX_ATOMIC_WRITE_H
#define TTLX_ATOMIC_WRITE_H

#include "sys/file.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes len bytes of data to path atomically. The new file keeps the
 * permission bits of the file it replaces (0666 less the umask when new).
 * Through a symbolic link the file it points to is replaced. Only a
 * regular file is ever replaced: a target that is a FIFO, a device, a
 * socket ("PATH: cannot save: not a regular file (a FIFO); not replaced"),
 * a directory ("PATH: cannot save: Is a directory") or a symbolic link to
 * nothing ("PATH is a symlink to a missing file; not replaced") is
 * refused. A write error (a full disk, the file-size limit: EFBIG) is a
 * failure like any other. On failure path is untouched, the temporary
 * file is removed, and err (may be NULL) holds "PATH: why". */
bool sys_atomic_write(const char *path, const char *data, size_t len, char *err, size_t errsize);

/* sys_atomic_write, refusing also when expect (may be NULL: no check) no
 * longer describes the file at path (sys_file_unchanged), checked just
 * before the rename: "PATH changed on disk since it was loaded; not
 * overwritten". */
bool sys_atomic_write_expect(const char *path, const char *data, size_t len,
                             const sys_file_id_t *expect, char *err, size_t errsize);

#endif
