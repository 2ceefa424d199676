/*
 * ui_screen.h - the off-screen cell grid every explorer frame is composed
 * into: one codepoint and one semantic style id per cell. The ncurses
 * backend (ui_term.c) flushes it, `ttlx render` prints it as text, and the
 * benchmark times drawing into it. Knows nothing of layouts or ncurses.
 */
#ifndef TTLX_UI_SCREEN_H
#define TTLX_UI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ttlx_text.h" /* ttlx_utf8_encode for glyphs */

/* One cell: a single-column Unicode codepoint and a style id (ui_theme.h). */
typedef struct ui_cell {
    uint32_t ch;
    uint8_t style;
} ui_cell_t;

/* Glyphs with a Unicode form and an ASCII fallback (non-UTF-8 locales). */
typedef enum {
    UI_G_MARK_ERROR, /* ✗ / X */
    UI_G_MARK_WARN,  /* !  / ! */
    UI_G_MARK_OK,    /* ✓ / o */
    UI_G_MARK_INFO,  /* i  / i */
    UI_G_HEAT0,      /* empty core */
    UI_G_HEAT1,
    UI_G_HEAT2,
    UI_G_HEAT3,
    UI_G_HEAT4,
    UI_G_PADDING, /* padding tile marker */
    UI_G_HILITE,  /* tile on the selected core */
    UI_G_NONE,    /* · / . : nothing here */
    UI_G_VLINE,
    UI_G_HLINE,
    UI_G_TL,
    UI_G_TR,
    UI_G_BL,
    UI_G_BR,
    UI_G_ARROW,    /* → / > */
    UI_G_DELTA,    /* Δ / d */
    UI_G_ELLIPSIS, /* … / ~ */
    UI_G_FOCUS,    /* ▸ / @ : the pane with the focus */
    UI_G_MORE,     /* ▼ / v : a list continues below */
    UI_G_OVER,     /* ‼ / ^ : a core over capacity */
    UI_G_PIN,      /* ◆ / P : a buffer pinned for the solver */
    UI_G_PARETO,   /* ★ / F : an alternative on the Pareto front */
    UI_G_COUNT
} ui_glyph_t;

typedef struct ui_screen {
    int w, h;
    bool ascii;       /* draw ASCII fallbacks for glyphs */
    ui_cell_t *cells; /* w*h, row-major */
} ui_screen_t;

/* Allocates a w x h screen (cleared). Returns false on allocation failure.
 * ui_screen_free releases the cells; a freed screen may be resized again. */
bool ui_screen_resize(ui_screen_t *s, int w, int h);
void ui_screen_free(ui_screen_t *s);

/* Fills the whole screen with blanks of style. */
void ui_screen_clear(ui_screen_t *s, int style);
/* Codepoint of a glyph for this screen (Unicode or ASCII). */
uint32_t ui_glyph(const ui_screen_t *s, ui_glyph_t g);
/* A glyph's Unicode or ASCII form, and its meaning class: two glyphs share a
 * form only when their classes are equal (tested). */
uint32_t ui_glyph_form(ui_glyph_t g, bool ascii);
int ui_glyph_meaning(ui_glyph_t g);

/* Puts one codepoint; clipped to the screen. */
void ui_putc(ui_screen_t *s, int x, int y, uint32_t ch, int style);
/* Puts UTF-8 text at (x, y), at most maxw columns (clipped to the screen);
 * controls, C1 controls, bidi controls and bytes that are not UTF-8 are
 * drawn as escapes (\x1b, \u202e: ttlx_text.h), one cell per character;
 * wide characters become '?'. Text that does not fit ends in
 * the ellipsis glyph (… / ~). Returns the columns written. */
int ui_puts(ui_screen_t *s, int x, int y, int maxw, int style, const char *utf8);
/* printf into the screen, like ui_puts. */
int ui_printf(ui_screen_t *s, int x, int y, int maxw, int style, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Fills a rectangle with one codepoint. */
void ui_fill(ui_screen_t *s, int x, int y, int w, int h, uint32_t ch, int style);
/* Sets the style of a rectangle, keeping the characters. */
void ui_restyle(ui_screen_t *s, int x, int y, int w, int h, int style);
/* Draws a box border with an optional title; the inside is cleared. */
void ui_box(ui_screen_t *s, int x, int y, int w, int h, int style, const char *title);

/* Columns of UTF-8 text as ui_puts counts them. */
int ui_text_width(const char *utf8);

/* Writes the screen as UTF-8 text (ASCII when s->ascii), one line per row,
 * trailing blanks dropped. With sgr != NULL, each style change is preceded
 * by sgr(style) (an ANSI escape sequence) and lines end with a reset. */
void ui_screen_write(const ui_screen_t *s, FILE *out, const char *(*sgr)(int style, void *ud),
                     void *ud);

#endif
