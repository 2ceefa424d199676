/*
 * ttlx_text.c - the terminal-safe form of text from input (ttlx_text.h).
 */
#include "ttlx_text.h"

#include <stdio.h>
#include <string.h>

bool ttlx_text_unsafe(uint32_t cp) {
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return true;
    if (cp < 0x61c) return false;
    return cp == 0x61c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

size_t ttlx_utf8_decode(const char *s, size_t avail, uint32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if ((c & 0xe0) == 0xc0)
        n = 2, v = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        n = 3, v = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        n = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n > avail) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
    *cp = v;
    return n;
}

/* One unit of p (avail bytes), as ttlx_text_next. */
static size_t unit(const unsigned char *p, size_t avail, uint32_t *cp, char esc[TTLX_TEXT_ESC_MAX],
                   bool keep_lines) {
    size_t n = ttlx_utf8_decode((const char *)p, avail, cp);
    esc[0] = '\0';
    if (!n) {
        *cp = 0xfffd;
        snprintf(esc, TTLX_TEXT_ESC_MAX, "\\x%02x", p[0]);
        return 1;
    }
    if (!ttlx_text_unsafe(*cp) || (keep_lines && (*cp == '\n' || *cp == '\t'))) return n;
    if (*cp < 0x80)
        snprintf(esc, TTLX_TEXT_ESC_MAX, "\\x%02x", (unsigned)*cp);
    else
        snprintf(esc, TTLX_TEXT_ESC_MAX, "\\u%04x",
                 (unsigned)(*cp & 0xffff)); /* all below U+10000 */
    return n;
}

size_t ttlx_text_next(const char *s, uint32_t *cp, char esc[TTLX_TEXT_ESC_MAX], bool keep_lines) {
    const unsigned char *p = (const unsigned char *)s;
    size_t avail = 1;
    while (avail < 4 && p[avail])
        avail++;
    return unit(p, avail, cp, esc, keep_lines);
}

size_t ttlx_text_next_n(const char *s, size_t n, uint32_t *cp, char esc[TTLX_TEXT_ESC_MAX],
                        bool keep_lines) {
    return unit((const unsigned char *)s, n, cp, esc, keep_lines);
}

/* Printable ASCII: the common case, needs no decoding. */
static bool plain(unsigned char c) {
    return c >= 0x20 && c < 0x7f;
}

bool ttlx_text_is_safe(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (plain(*p)) {
            p++;
            continue;
        }
        uint32_t cp;
        char esc[TTLX_TEXT_ESC_MAX];
        p += ttlx_text_next((const char *)p, &cp, esc, false);
        if (esc[0]) return false;
    }
    return true;
}

const char *ttlx_text_safe(char *buf, size_t size, const char *s) {
    if (!size) return buf;
    size_t at = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (plain(*p)) {
            if (at + 1 >= size) break;
            buf[at++] = (char)*p++;
            continue;
        }
        uint32_t cp;
        char esc[TTLX_TEXT_ESC_MAX];
        size_t n = ttlx_text_next((const char *)p, &cp, esc, false);
        const char *out = esc[0] ? esc : (const char *)p;
        size_t len = esc[0] ? strlen(esc) : n;
        if (at + len >= size) break;
        memcpy(buf + at, out, len);
        at += len;
        p += n;
    }
    buf[at] = '\0';
    return buf;
}

int ttlx_utf8_encode(uint32_t cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
