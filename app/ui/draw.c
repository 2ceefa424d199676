/*
 * draw.c - small drawing helpers shared by the frame and the views:
 * clickable regions, diagnostic styles, shapes, scrolling text areas and
 * wrapped text.
 */
#include "ui/draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ui_add_hit(ui_t *u, int x, int y, int w, int h, ui_hit_kind_t k, int64_t a, int64_t b) {
    if (u->nhits >= UI_MAX_HITS || w <= 0 || h <= 0) return;
    u->hits[u->nhits++] = (ui_hit_t){x, y, w, h, k, a, b};
}

int ui_sev_style(ttlx_severity_t s) {
    return s == TTLX_SEV_ERROR     ? UI_STYLE_DIAG_ERROR
           : s == TTLX_SEV_WARNING ? UI_STYLE_DIAG_WARNING
                                   : UI_STYLE_DIAG_INFO;
}

uint32_t ui_sev_glyph(const ui_screen_t *s, ttlx_severity_t sev) {
    return ui_glyph(s, sev == TTLX_SEV_ERROR     ? UI_G_MARK_ERROR
                       : sev == TTLX_SEV_WARNING ? UI_G_MARK_WARN
                                                 : UI_G_MARK_INFO);
}

void ui_fmt_shape(const ttlx_buffer_info_t *b, char *out, size_t n) {
    size_t k = 0;
    out[0] = '\0';
    for (int d = 0; d < b->rank && k < n; d++)
        k += (size_t)snprintf(out + k, n - k, "%s%lld", d ? "x" : "", (long long)b->shape[d]);
}

const char *ui_fmt_bytes_fit(int64_t b, int width, char *buf, size_t n) {
    ui_fmt_bytes(b, buf, n);
    if ((int)strlen(buf) <= width || b < 1024) {
        if ((int)strlen(buf) > width) buf[0] = '\0';
        return buf;
    }
    static const char units[] = "KMG";
    double v = (double)b / 1024.0;
    int ui = 0;
    while (v >= 1024.0 && ui < 2) {
        v /= 1024.0;
        ui++;
    }
    for (int prec = 1; prec >= 0; prec--) {
        snprintf(buf, n, "%.*f%c", prec, v, units[ui]);
        if ((int)strlen(buf) <= width) return buf;
    }
    buf[0] = '\0';
    return buf;
}

void ui_ta_printf(ui_textarea_t *t, int style, const char *fmt, ...) {
    int r = t->row++ - t->scroll;
    if (r < 0 || r >= t->h) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ui_puts(t->s, t->x, t->y + r, t->w, style, buf);
}

void ui_ta_wrap(ui_textarea_t *t, int style, const char *lead, const char *text) {
    int indent = (int)strlen(lead), w = t->w - indent;
    if (w < 10) w = 10;
    const char *p = text;
    bool first = true;
    while (*p) {
        int n = (int)strlen(p), cut = n;
        if (n > w) {
            cut = w;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0) { /* one word longer than the row: cut it, between characters */
                cut = w;
                while (cut > 1 && (p[cut] & 0xC0) == 0x80)
                    cut--;
            }
        }
        ui_ta_printf(t, style, "%-*s%.*s", indent, first ? lead : "", cut, p);
        first = false;
        p += cut;
        while (*p == ' ')
            p++;
    }
}

void ui_ta_more(ui_textarea_t *t) {
    int past = t->row - t->scroll - t->h; /* rows below the last visible one */
    if (past <= 0 || t->h < 1) return;
    int y = t->y + t->h - 1;
    char m[48], g[5];
    g[ttlx_utf8_encode(ui_glyph(t->s, UI_G_MORE), g)] = '\0';
    snprintf(m, sizeof m, "%s %d more", g, past + 1);
    ui_fill(t->s, t->x, y, t->w, 1, ' ', UI_STYLE_NORMAL);
    ui_puts(t->s, t->x, y, t->w, UI_STYLE_DIM, m);
}

/* Writes text wrapped at spaces into w columns, at most maxrows rows;
 * returns the rows used. With s NULL it only counts them. */
int ui_puts_wrap(ui_screen_t *s, int x, int y, int w, int maxrows, int style, const char *text) {
    int rows = 0;
    const char *p = text;
    while (*p && rows < maxrows && w > 0) {
        int n = ui_text_width(p);
        if (n <= w || rows == maxrows - 1) {
            if (s) ui_puts(s, x, y + rows, w, style, p);
            rows++;
            break;
        }
        /* last space within w columns (ASCII-safe scan on bytes) */
        int cols = 0, cut = -1;
        const char *q = p;
        while (*q && cols < w) {
            if (*q == ' ') cut = (int)(q - p);
            q++;
            while ((*q & 0xC0) == 0x80)
                q++;
            cols++;
        }
        int len = cut > 0 ? cut : (int)(q - p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", len < (int)sizeof line - 1 ? len : (int)sizeof line - 1,
                 p);
        if (s) ui_puts(s, x, y + rows, w, style, line);
        rows++;
        p += len;
        while (*p == ' ')
            p++;
    }
    return rows;
}
