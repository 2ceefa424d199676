/*
 * file.c - reading a whole file for the app, through the core's reader so
 * that there is one size cap, one rule for what is not a regular file and
 * one set of messages; and the identity of a file as loaded.
 */
#include "sys/file.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

char *sys_file_read(const char *path, size_t *len, char *err, size_t errsize) {
    ttlx_error_t e = {0};
    size_t n = 0;
    char *data = ttlx_read_file(path, &n, &e);
    if (!data) {
        if (err && errsize) snprintf(err, errsize, "%s: %s", path, e.what);
        return NULL;
    }
    if (len) *len = n;
    return data;
}

bool sys_file_check(const char *path, char *err, size_t errsize) {
    ttlx_error_t e = {0};
    int fd = ttlx_open_regular(path, NULL, &e);
    if (fd < 0) {
        if (err && errsize) snprintf(err, errsize, "%s: %s", path, e.what);
        return false;
    }
    close(fd);
    return true;
}

static uint64_t fnv1a64(const char *p, size_t n) {
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int64_t mtime_ns(const struct stat *st) {
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

bool sys_file_identity(const char *path, sys_file_id_t *id, char *err, size_t errsize) {
    *id = (sys_file_id_t){0};
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        /* sys_file_read says why, in the reader's words. */
        char *t = sys_file_read(path, NULL, err, errsize);
        ttlx_free(t);
        return false;
    }
    size_t len = 0;
    char *text = sys_file_read(path, &len, err, errsize);
    if (!text) return false;
    id->dev = (uint64_t)st.st_dev;
    id->ino = (uint64_t)st.st_ino;
    id->size_bytes = (int64_t)st.st_size;
    id->mtime_ns = mtime_ns(&st);
    id->has_hash = true;
    id->hash = fnv1a64(text, len);
    ttlx_free(text);
    id->valid = true;
    return true;
}

bool sys_file_unchanged(const char *path, const sys_file_id_t *id, char *err, size_t errsize) {
    if (!id || !id->valid) return true;
    struct stat st;
    /* Gone: nothing to overwrite. Cannot tell: the writer says why. */
    if (stat(path, &st) != 0) return true;
    bool same_stat = (uint64_t)st.st_dev == id->dev && (uint64_t)st.st_ino == id->ino &&
                     (int64_t)st.st_size == id->size_bytes && mtime_ns(&st) == id->mtime_ns;
    bool same = same_stat && !id->has_hash;
    if (!same && id->has_hash && S_ISREG(st.st_mode) && (int64_t)st.st_size == id->size_bytes) {
        size_t len = 0;
        char *text = sys_file_read(path, &len, NULL, 0);
        same = text && (int64_t)len == id->size_bytes && fnv1a64(text, len) == id->hash;
        ttlx_free(text);
    }
    if (!same && err && errsize)
        snprintf(err, errsize, "%s changed on disk since it was loaded; not overwritten", path);
    return same;
}
