/*
 * ttlx_util.c - the dtype table (SPEC 1.1, 3.3, 3.6), the string builder,
 * JSON integer checks, did-you-mean matching and the one file reader used
 * across the core.
 */
#include "ttlx_internal.h"
#include "ttlx_func.h"
#include "ttlx_text.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const ttlx_dtype_info_t dtypes[] = {
    {"bfloat16", 2, 0, "Float16_b"}, {"float16", 2, 0, "Float16"}, {"float32", 4, 0, "Float32"},
    {"int32", 4, 0, "Int32"},        {"uint32", 4, 0, "UInt32"},   {"uint16", 2, 0, "UInt16"},
    {"int8", 1, 0, "Int8"},          {"uint8", 1, 0, "UInt8"},     {"bfloat8_b", 0, 8, "Bfp8_b"},
    {"bfloat4_b", 0, 4, "Bfp4_b"},
};
static const struct {
    const char *alias, *name;
} dtype_aliases[] = {{"bf16", "bfloat16"}, {"fp16", "float16"}, {"fp32", "float32"}};
const char *const ttlx_dtype_canonical_names[] = {"bfloat16",  "float16",   "float32", "int32",
                                                  "uint32",    "uint16",    "int8",    "uint8",
                                                  "bfloat8_b", "bfloat4_b", NULL};
/* Canonical names, then aliases: what did-you-mean may suggest. */
static const char *const dtype_names[] = {
    "bfloat16", "float16",   "float32",   "int32", "uint32", "uint16", "int8",
    "uint8",    "bfloat8_b", "bfloat4_b", "bf16",  "fp16",   "fp32",   NULL};

const ttlx_dtype_info_t *ttlx_dtype_lookup(const char *name) {
    if (!name) return NULL;
    /* Loaded buffers and layouts hold the table's own name pointers. */
    for (size_t k = 0; k < sizeof dtypes / sizeof dtypes[0]; k++)
        if (name == dtypes[k].name) return &dtypes[k];
    for (size_t k = 0; k < sizeof dtype_aliases / sizeof dtype_aliases[0]; k++)
        if (!strcmp(name, dtype_aliases[k].alias)) name = dtype_aliases[k].name;
    for (size_t k = 0; k < sizeof dtypes / sizeof dtypes[0]; k++)
        if (!strcmp(name, dtypes[k].name)) return &dtypes[k];
    return NULL;
}

const char *ttlx_dtype_canonical(const char *name) {
    const ttlx_dtype_info_t *d = ttlx_dtype_lookup(name);
    return d ? d->name : NULL;
}

/* Scalar dtypes without a tt-metal data format (the vector forms are
 * handled by stripping the lane count). Prefix rows end in '_'. */
static const struct {
    const char *name, *nearest;
} no_format[] = {
    {"bool", "uint8"},
    {"int64", "int32"},
    {"uint64", "uint32"},
    {"float64", "float32"},
    {"int16", "int32"},
    {"int4", "int8"},
    {"uint4", "uint8"},
    {"int2", "int8"},
    {"uint2", "uint8"},
    {"int1", "uint8"},
    {"uint1", "uint8"},
    {"float8_", "bfloat8_b"},
    {"float6_", "bfloat8_b"},
    {"float4_", "bfloat4_b"},
    {"e4m3_float8", "bfloat8_b"},
    {"e5m2_float8", "bfloat8_b"},
};

static const char *nearest_scalar(const char *s, size_t len) {
    char buf[64];
    if (len == 0 || len >= sizeof buf) return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    const char *canon = ttlx_dtype_canonical(buf);
    if (canon) return canon;
    for (size_t k = 0; k < sizeof no_format / sizeof no_format[0]; k++) {
        size_t n = strlen(no_format[k].name);
        bool prefix = no_format[k].name[n - 1] == '_';
        if (prefix ? (len > n && !memcmp(buf, no_format[k].name, n))
                   : !strcmp(buf, no_format[k].name))
            return no_format[k].nearest;
    }
    return NULL;
}

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

const char *ttlx_dtype_nearest_format(const char *name) {
    if (!name || ttlx_dtype_canonical(name)) return NULL;
    size_t len = strlen(name);
    const char *hit = nearest_scalar(name, len);
    if (hit) return hit;
    /* Vector types: BASExLANES (float16x4) or BASExvscalexN (scalable). */
    for (const char *x = strchr(name, 'x'); x; x = strchr(x + 1, 'x')) {
        const char *lanes = x + 1;
        if (!strncmp(lanes, "vscalex", 7)) lanes += 7;
        if (!all_digits(lanes)) continue;
        hit = nearest_scalar(name, (size_t)(x - name));
        if (hit) return hit;
    }
    return NULL;
}

const char *const *ttlx_dtype_names(void) {
    return dtype_names;
}

int64_t ttlx_dtype_tile_bytes(const ttlx_dtype_info_t *dt, int tile_h, int tile_w) {
    int64_t elems = (int64_t)tile_h * tile_w;
    if (dt->bytes) return elems * dt->bytes;
    /* Block floats: one byte (bfp8) or half a byte (bfp4) per element plus
     * a shared exponent per 16-element row of each 16x16 face, rounded to
     * 16 bytes. */
    int64_t faces = elems / 256;
    int64_t exps = ((16 * faces + 15) / 16) * 16;
    return (dt->mantissa_bits == 8 ? elems : elems / 2) + exps;
}

bool ttlx_sb_flush(ttlx_sb_t *sb) {
    if (sb->failed || !sb->sink) return !sb->failed;
    if (sb->len && fwrite(sb->data, 1, sb->len, sb->sink) != sb->len) sb->failed = true;
    sb->len = 0;
    if (sb->data) sb->data[0] = '\0';
    return !sb->failed;
}

bool ttlx_sb_reserve(ttlx_sb_t *sb, size_t extra) {
    if (sb->failed) return false;
    if (sb->len + extra + 1 <= sb->cap) return true;
    if (sb->sink && sb->len) {
        if (!ttlx_sb_flush(sb)) return false;
        if (extra + 1 <= sb->cap) return true;
    }
    size_t cap = sb->cap ? sb->cap : sb->sink ? 65536 : 256;
    while (cap < sb->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            sb->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *d = ttlx_realloc(sb->data, cap);
    if (!d) {
        sb->failed = true;
        return false;
    }
    sb->data = d;
    sb->cap = cap;
    return true;
}

void ttlx_sb_puts(ttlx_sb_t *sb, const char *s) {
    ttlx_sb_putn(sb, s, strlen(s));
}

void ttlx_sb_printf(ttlx_sb_t *sb, const char *fmt, ...) {
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        ttlx_sb_putn(sb, small, (size_t)n);
        return;
    }
    if (!ttlx_sb_reserve(sb, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void ttlx_sb_i64(ttlx_sb_t *sb, int64_t v) {
    if (sb->len + 21 > sb->cap && !ttlx_sb_reserve(sb, 20)) return;
    char *end = ttlx_put_i64(sb->data + sb->len, v);
    sb->len = (size_t)(end - sb->data);
    *end = '\0';
}

void ttlx_sb_bytes(ttlx_sb_t *sb, int64_t v) {
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    int neg = v < 0;
    int digits = n - neg;
    if (neg) ttlx_sb_putn(sb, "-", 1);
    for (int k = 0; k < digits; k++) {
        if (k && (digits - k) % 3 == 0) ttlx_sb_putn(sb, ",", 1);
        ttlx_sb_putn(sb, tmp + neg + k, 1);
    }
}

void ttlx_sb_json_string(ttlx_sb_t *sb, const char *s) {
    /* Most strings (names, dtypes, labels) need no escaping: one copy. */
    size_t n = strlen(s), k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t w;
        memcpy(&w, s + k, 8);
        if (ttlx_word_has_json_special(w)) break;
    }
    for (; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x20 || c == '"' || c == '\\') break;
    }
    if (k == n) {
        if (sb->len + n + 3 > sb->cap && !ttlx_sb_reserve(sb, n + 2)) return;
        char *o = sb->data + sb->len;
        o[0] = '"';
        memcpy(o + 1, s, n);
        o[n + 1] = '"';
        o[n + 2] = '\0';
        sb->len += n + 2;
        return;
    }
    ttlx_sb_putn(sb, "\"", 1);
    ttlx_sb_json_escaped(sb, s);
    ttlx_sb_putn(sb, "\"", 1);
}

void ttlx_sb_json_escaped(ttlx_sb_t *sb, const char *s) {
    size_t n = strlen(s), k = 0, run = 0;
    while (k < n) {
        if (k + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + k, 8);
            if (!ttlx_word_has_json_special(w)) {
                k += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[k];
        if (c >= 0x20 && c != '"' && c != '\\') {
            k++;
            continue;
        }
        ttlx_sb_putn(sb, s + run, k - run);
        switch (c) {
        case '"':
            TTLX_SB_LIT(sb, "\\\"");
            break;
        case '\\':
            TTLX_SB_LIT(sb, "\\\\");
            break;
        case '\n':
            TTLX_SB_LIT(sb, "\\n");
            break;
        case '\t':
            TTLX_SB_LIT(sb, "\\t");
            break;
        case '\r':
            TTLX_SB_LIT(sb, "\\r");
            break;
        default:
            ttlx_sb_printf(sb, "\\u%04x", c);
        }
        run = ++k;
    }
    ttlx_sb_putn(sb, s + run, n - run);
}

void ttlx_sb_safe_n(ttlx_sb_t *sb, const char *s, size_t n, bool keep_lines) {
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0, run = 0;
    while (k < n) {
        if (p[k] >= 0x20 && p[k] < 0x7f) { /* printable ASCII */
            k++;
            continue;
        }
        uint32_t cp;
        char esc[TTLX_TEXT_ESC_MAX];
        size_t len = ttlx_text_next_n(s + k, n - k, &cp, esc, keep_lines);
        if (!esc[0]) {
            k += len;
            continue;
        }
        ttlx_sb_putn(sb, s + run, k - run);
        ttlx_sb_puts(sb, esc);
        k += len;
        run = k;
    }
    ttlx_sb_putn(sb, s + run, n - run);
}

void ttlx_sb_safe(ttlx_sb_t *sb, const char *s) {
    ttlx_sb_safe_n(sb, s, strlen(s), false);
}

char *ttlx_sb_take(ttlx_sb_t *sb) {
    if (sb->failed) {
        ttlx_sb_free(sb);
        return NULL;
    }
    if (!sb->data && !ttlx_sb_reserve(sb, 0)) return NULL;
    /* Writers end the text with a NUL; a buffer never written to (an empty
     * file, an empty document) gets its one here. */
    sb->data[sb->len] = '\0';
    char *d = sb->data;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return d;
}

void ttlx_sb_free(ttlx_sb_t *sb) {
    ttlx_free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

bool ttlx_json_int(const cJSON *item, int64_t lo, int64_t *out) {
    if (!cJSON_IsNumber(item)) return false;
    double d = item->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < (double)lo || d >= 9007199254740992.0) return false;
    *out = (int64_t)d;
    return true;
}

/* What a file that is not a regular file is, for the message. */
const char *ttlx_file_kind(unsigned mode) {
    mode_t m = (mode_t)mode;
    if (S_ISREG(m)) return "a regular file";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISDIR(m)) return "a directory";
    if (S_ISSOCK(m)) return "a socket";
    return "an unknown kind of file";
}

int ttlx_open_regular(const char *path, struct stat *st_out, ttlx_error_t *err) {
    /* O_NONBLOCK: opening a FIFO for reading waits for a writer, forever
     * when none comes; the descriptor is checked before anything reads. */
    int fd;
    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    struct stat st;
    if (fd < 0) {
        int e = errno;
        /* A socket cannot be opened at all (ENXIO): say what it is. */
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
            ttlx_error_set(err, 0, 0, "not a regular file (%s)", ttlx_file_kind(st.st_mode));
        else
            ttlx_error_set(err, 0, 0, "cannot open: %s", strerror(e));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        ttlx_error_set(err, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        ttlx_error_set(err, 0, 0, "not a regular file (%s)", ttlx_file_kind(st.st_mode));
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        ttlx_error_set(err, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (st_out) *st_out = st;
    return fd;
}

char *ttlx_read_file(const char *path, size_t *len, ttlx_error_t *err) {
    struct stat st;
    int fd = ttlx_open_regular(path, &st, err);
    if (fd < 0) return NULL;
    /* A size cap: without it a 100 MB file took seconds and a GiB of memory
     * before its error. The size is known: one block, read straight into
     * it, then on to the end in case the file grew meanwhile. */
    bool too_big = st.st_size > (off_t)TTLX_MAX_INPUT_BYTES;
    ttlx_sb_t sb = {0};
    int read_errno = 0;
    if (!too_big) ttlx_sb_reserve(&sb, (size_t)st.st_size + 1);
    while (!too_big && !sb.failed) {
        if (sb.cap < sb.len + 2 && !ttlx_sb_reserve(&sb, 65536)) break;
        size_t room = sb.cap - sb.len - 1;
        if (room > (size_t)TTLX_MAX_INPUT_BYTES + 1 - sb.len)
            room = (size_t)TTLX_MAX_INPUT_BYTES + 1 - sb.len;
        ssize_t got = read(fd, sb.data + sb.len, room);
        if (got < 0) {
            if (errno == EINTR) continue;
            read_errno = errno;
            break;
        }
        if (got == 0) break;
        sb.len += (size_t)got;
        sb.data[sb.len] = '\0';
        if (sb.len > TTLX_MAX_INPUT_BYTES) too_big = true;
    }
    close(fd);
    if (too_big) {
        ttlx_sb_free(&sb);
        ttlx_error_set(err, 0, 0, "input larger than %d MiB: not a PrimFunc",
                       TTLX_MAX_INPUT_BYTES >> 20);
        return NULL;
    }
    if (read_errno) {
        ttlx_sb_free(&sb);
        ttlx_error_set(err, 0, 0, "cannot read: %s", strerror(read_errno));
        return NULL;
    }
    size_t n = sb.len;
    char *text = ttlx_sb_take(&sb);
    if (!text) {
        ttlx_error_set(err, 0, 0, "out of memory reading the file");
        return NULL;
    }
    *len = n;
    return text;
}

/* Line and column (1-based) of byte offset off in text. */
void ttlx_position_of(const char *text, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    size_t k = 0;
    /* Columns count characters, as editors show them: a leading BOM and
     * UTF-8 continuation bytes take none. */
    if (off >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) k = 3;
    for (; k < off; k++) {
        if (text[k] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[k] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}
