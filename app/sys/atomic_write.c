/*
 * atomic_write.c - temp file, fsync, rename: the one way ttlx replaces a
 * file it did not create (ttlx.save, the explorer's `w`), and the rules of
 * what it never replaces: anything but a regular file, a file that changed
 * since it was loaded.
 */
#include "sys/atomic_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fail(char *err, size_t errsize, const char *path, const char *what, int e) {
    struct stat st;
    bool existed = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (err && errsize)
        snprintf(err, errsize, "%s: %s: %s%s", path, what, strerror(e),
                 existed ? " (the original is unchanged)" : "");
    return false;
}

static bool write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (n == 0) {
            errno = EIO;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

static bool write_file(const char *path, const char *data, size_t len, const sys_file_id_t *expect,
                       char *err, size_t errsize) {
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) : 0;
    const char *base = slash ? slash + 1 : path;
    if (!*base) return fail(err, errsize, path, "cannot save", EISDIR);
    size_t tmplen = dirlen + strlen(base) + 16;
    char *tmp = malloc(tmplen);
    if (!tmp) return fail(err, errsize, path, "cannot save", ENOMEM);
    if (slash)
        snprintf(tmp, tmplen, "%.*s/.%s.XXXXXX", (int)dirlen, path, base);
    else
        snprintf(tmp, tmplen, ".%s.XXXXXX", base);

    /* The permission bits to keep: the target's, else 0666 less umask. */
    mode_t mode;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            free(tmp);
            return fail(err, errsize, path, "cannot save", EISDIR);
        }
        /* A FIFO, a device, a socket: renaming over it would replace the
         * node itself (as root, /dev/full became a regular file). */
        if (!S_ISREG(st.st_mode)) {
            free(tmp);
            if (err && errsize)
                snprintf(err, errsize, "%s: cannot save: not a regular file (%s); not replaced",
                         path, ttlx_file_kind(st.st_mode));
            return false;
        }
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(022);
        umask(mask);
        mode = 0666 & ~mask;
    }

    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return fail(err, errsize, path, "cannot create a temporary file beside it", e);
    }
    const char *step = "cannot write";
    if (fchmod(fd, mode) != 0) goto bad;
    if (!write_all(fd, data, len)) goto bad;
    step = "cannot sync";
    if (fsync(fd) != 0) goto bad;
    step = "cannot close";
    if (close(fd) != 0) {
        fd = -1;
        goto bad;
    }
    fd = -1;
    /* As late as can be: the file must still be the one that was loaded. */
    if (!sys_file_unchanged(path, expect, err, errsize)) {
        unlink(tmp);
        free(tmp);
        return false;
    }
    step = "cannot rename the temporary file over it";
    if (rename(tmp, path) != 0) goto bad;
    free(tmp);
    /* Make the rename itself durable; a failure here loses nothing. */
    char *dir = slash ? strndup(path, dirlen ? dirlen : 1) : strdup(".");
    if (dir) {
        int dfd = open(dir, O_RDONLY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    return true;

bad:;
    int e = errno;
    if (fd >= 0) close(fd);
    unlink(tmp);
    free(tmp);
    return fail(err, errsize, path, step, e);
}

bool sys_atomic_write_expect(const char *path, const char *data, size_t len,
                             const sys_file_id_t *expect, char *err, size_t errsize) {
    if (!path || !*path) return fail(err, errsize, "(no path)", "cannot save", EINVAL);
    /* Through a symbolic link, replace the file it points to (atomically, in
     * that file's directory), not the link itself. A link to nothing is
     * refused: the new file would replace the link, not appear where it
     * points. */
    struct stat lst;
    char *target = NULL;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        target = realpath(path, NULL);
        if (!target) {
            int e = errno;
            if (err && errsize) {
                if (e == ENOENT)
                    snprintf(err, errsize, "%s is a symlink to a missing file; not replaced", path);
                else
                    snprintf(err, errsize, "%s: cannot follow the symlink: %s", path, strerror(e));
            }
            return false;
        }
    }
    bool ok = write_file(target ? target : path, data, len, expect, err, errsize);
    free(target);
    return ok;
}

bool sys_atomic_write(const char *path, const char *data, size_t len, char *err, size_t errsize) {
    return sys_atomic_write_expect(path, data, len, NULL, err, errsize);
}
