/*
 * file.h - the app's one file reader: a whole file into memory, with the
 * core's size cap and an error that names the file. Every reader in the
 * app (export, cli, themes, Lua scripts) goes through it, and it goes
 * through the core's, which refuses anything but a regular file without
 * blocking. Also the identity of a file as loaded, so that a save never
 * overwrites content that changed on disk since.
 */
#ifndef TTLX_SYS_FILE_H
#define TTLX_SYS_FILE_H

#include "ttlx_base.h"

#include <stddef.h>
#include <stdint.h>

/* Reads the file at path whole. Returns its bytes NUL-terminated (caller
 * frees with ttlx_free; *len, may be NULL, excludes the NUL) or NULL with
 * err (may be NULL) holding "PATH: why". Refuses files larger than the
 * core's input cap (64 MiB): no PrimFunc comes near it; and anything that
 * is not a regular file: "PATH: not a regular file (a FIFO)". */
char *sys_file_read(const char *path, size_t *len, char *err, size_t errsize);

/* True when path is a regular file that can be opened for reading (checked
 * without blocking); else false with err "PATH: not a regular file (a
 * FIFO)" or "PATH: cannot open: why". For readers that open the file
 * themselves (Lua's loader). */
bool sys_file_check(const char *path, char *err, size_t errsize);

/* What a file was when it was loaded: enough to tell later whether someone
 * else changed it. */
typedef struct sys_file_id {
    bool valid;        /* false: no expectation (nothing was loaded) */
    uint64_t dev, ino; /* which file */
    int64_t size_bytes;
    int64_t mtime_ns; /* modification time, ns since the epoch */
    bool has_hash;
    uint64_t hash; /* FNV-1a 64 of the content */
} sys_file_id_t;

/* Takes the identity of the regular file at path, its content hash
 * included. Call it before reading the file to load it (a change in
 * between then makes a later save refuse, never clobber). False (and
 * id->valid false) when path is not a readable regular file; err (may be
 * NULL) says why, as sys_file_read. */
bool sys_file_identity(const char *path, sys_file_id_t *id, char *err, size_t errsize);

/* True when the file at path is still what id describes: same device,
 * inode, size and modification time (and content, when id has a hash), or
 * the same content under a new inode or time (an editor that rewrote the
 * same bytes: nothing would be lost). Also true when id is NULL or not
 * valid, or when path no longer exists (nothing to overwrite). Otherwise
 * false with err "PATH changed on disk since it was loaded; not
 * overwritten". */
bool sys_file_unchanged(const char *path, const sys_file_id_t *id, char *err, size_t errsize);

#endif
