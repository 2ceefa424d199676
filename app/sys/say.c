/*
 * say.c - messages on stderr in their terminal-safe form (sys/say.h).
 */
#include "sys/say.h"
#include "ttlx_sb.h"
#include "ttlx_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool sys_put_safe(FILE *f, const char *text, bool keep_lines) {
    ttlx_sb_t sb = {0};
    ttlx_sb_safe_n(&sb, text, strlen(text), keep_lines);
    if (sb.failed) {
        ttlx_sb_free(&sb);
        return fputs("(message lost: out of memory)", f) >= 0;
    }
    bool ok = !sb.len || fwrite(sb.data, 1, sb.len, f) == sb.len;
    ttlx_sb_free(&sb);
    return ok;
}

/* Formats fmt into a string (caller frees), NULL on failure. */
static char *format(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

void sys_vprintf_safe(FILE *f, const char *fmt, va_list ap) {
    char *text = format(fmt, ap);
    sys_put_safe(f, text ? text : "(message lost: out of memory)", false);
    free(text);
}

void sys_verror(const char *fmt, va_list ap) {
    fputs("ttlx: ", stderr);
    sys_vprintf_safe(stderr, fmt, ap);
    fputc('\n', stderr);
}

void sys_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sys_verror(fmt, ap);
    va_end(ap);
}

void sys_printf_safe(FILE *f, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sys_vprintf_safe(f, fmt, ap);
    va_end(ap);
}
