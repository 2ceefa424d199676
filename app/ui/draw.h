/*
 * draw.h - small drawing helpers shared by the frame (frame.c) and the
 * views (view_*.c). They draw by style id into the cell grid.
 */
#ifndef TTLX_UI_DRAW_H
#define TTLX_UI_DRAW_H

#include "ui/state.h"

/* Records a clickable region of this frame (dropped past UI_MAX_HITS). */
void ui_add_hit(ui_t *u, int x, int y, int w, int h, ui_hit_kind_t k, int64_t a, int64_t b);
/* Style and glyph of a diagnostic severity. */
int ui_sev_style(ttlx_severity_t s);
uint32_t ui_sev_glyph(const ui_screen_t *s, ttlx_severity_t sev);
/* A buffer's shape as "256x256". */
void ui_fmt_shape(const ttlx_buffer_info_t *b, char *out, size_t n);

/* A byte count as ui_fmt_bytes, with fewer decimals until it fits in
 * width columns; the unit is always kept ("" when even "512K" is too wide). */
const char *ui_fmt_bytes_fit(int64_t b, int width, char *buf, size_t n);

/* A scrolling text area: rows before `scroll` are skipped. */
typedef struct ui_textarea {
    ui_screen_t *s;
    int x, y, w, h;
    int row, scroll;
} ui_textarea_t;

/* Prints one row into the text area (cut at its width). */
void ui_ta_printf(ui_textarea_t *t, int style, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prints text wrapped at spaces into rows of the text area: the first
 * row starts with lead, the others with as many spaces. */
void ui_ta_wrap(ui_textarea_t *t, int style, const char *lead, const char *text);

/* After the last row: when rows went past the bottom, the last visible row
 * becomes a scroll marker "▼ N more" (ASCII "v N more"). */
void ui_ta_more(ui_textarea_t *t);

/* Writes text wrapped at spaces into w columns, at most maxrows rows;
 * returns the rows used. With s NULL it only counts them. */
int ui_puts_wrap(ui_screen_t *s, int x, int y, int w, int maxrows, int style, const char *text);

#endif
