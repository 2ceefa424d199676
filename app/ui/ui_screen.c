/*
 * ui_screen.c - the off-screen cell grid: clipped text and box drawing,
 * glyph fallbacks, and writing a frame out as text (for `ttlx render`).
 */
#include "ui/ui_screen.h"
#include "ttlx_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The one glyph table. A glyph's class is its meaning: two glyphs may share
 * a character (Unicode or ASCII) only when they mean the same thing (the
 * four box corners; "nothing here" and an empty core). The ASCII forms keep
 * every meaning apart: the heat ramp is . : = O #, "ok" is o, padding / . */
static const struct {
    uint32_t uni, ascii;
    int cls;
} glyphs[UI_G_COUNT] = {
    [UI_G_MARK_ERROR] = {0x2717, 'X', 1}, [UI_G_MARK_WARN] = {'!', '!', 2},
    [UI_G_MARK_OK] = {0x2713, 'o', 3},    [UI_G_MARK_INFO] = {'i', 'i', 4},
    [UI_G_HEAT0] = {0x00B7, '.', 5},      [UI_G_HEAT1] = {0x2591, ':', 6},
    [UI_G_HEAT2] = {0x2592, '=', 7},      [UI_G_HEAT3] = {0x2593, 'O', 8},
    [UI_G_HEAT4] = {0x2588, '#', 9},      [UI_G_PADDING] = {0x2571, '/', 10},
    [UI_G_HILITE] = {'*', '*', 11},       [UI_G_NONE] = {0x00B7, '.', 5},
    [UI_G_VLINE] = {0x2502, '|', 12},     [UI_G_HLINE] = {0x2500, '-', 13},
    [UI_G_TL] = {0x250C, '+', 14},        [UI_G_TR] = {0x2510, '+', 14},
    [UI_G_BL] = {0x2514, '+', 14},        [UI_G_BR] = {0x2518, '+', 14},
    [UI_G_ARROW] = {0x2192, '>', 15},     [UI_G_DELTA] = {0x0394, 'd', 16},
    [UI_G_ELLIPSIS] = {0x2026, '~', 17},  [UI_G_FOCUS] = {0x25B8, '@', 18},
    [UI_G_MORE] = {0x25BC, 'v', 19},      [UI_G_OVER] = {0x203C, '^', 20},
    [UI_G_PIN] = {0x25C6, 'P', 21},       [UI_G_PARETO] = {0x2605, 'F', 22},
};

uint32_t ui_glyph(const ui_screen_t *s, ui_glyph_t g) {
    return s->ascii ? glyphs[g].ascii : glyphs[g].uni;
}

uint32_t ui_glyph_form(ui_glyph_t g, bool ascii) {
    return g < UI_G_COUNT ? (ascii ? glyphs[g].ascii : glyphs[g].uni) : 0;
}

int ui_glyph_meaning(ui_glyph_t g) {
    return g < UI_G_COUNT ? glyphs[g].cls : 0;
}

bool ui_screen_resize(ui_screen_t *s, int w, int h) {
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    ui_cell_t *c = calloc((size_t)w * (size_t)h, sizeof *c);
    if (!c) return false;
    free(s->cells);
    s->cells = c;
    s->w = w;
    s->h = h;
    ui_screen_clear(s, 0);
    return true;
}

void ui_screen_free(ui_screen_t *s) {
    free(s->cells);
    s->cells = NULL;
    s->w = s->h = 0;
}

void ui_screen_clear(ui_screen_t *s, int style) {
    size_t n = (size_t)s->w * (size_t)s->h;
    for (size_t i = 0; i < n; i++) {
        s->cells[i].ch = ' ';
        s->cells[i].style = (uint8_t)style;
    }
}

void ui_putc(ui_screen_t *s, int x, int y, uint32_t ch, int style) {
    if (x < 0 || y < 0 || x >= s->w || y >= s->h) return;
    ui_cell_t *c = &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
    c->ch = ch;
    c->style = (uint8_t)style;
}

/* Single-column codepoints we draw as they are; a wide one is '?'.
 * Deliberately locale-independent so `render` output is reproducible.
 * Controls and bidi never get here: ttlx_text_next (THE terminal-safe
 * form, ttlx_text.h) gives them as escapes such as \x1b and \u202e, drawn
 * one ASCII character per cell, the same text `infer` prints. */
static uint32_t printable(uint32_t cp) {
    if (ttlx_text_unsafe(cp)) return '?';
    if (cp >= 0x1100 && !(cp >= 0x2000 && cp < 0x2E00)) return '?';
    return cp;
}

int ui_text_width(const char *utf8) {
    int n = 0;
    const char *p = utf8;
    while (*p) {
        uint32_t cp;
        char esc[TTLX_TEXT_ESC_MAX];
        p += ttlx_text_next(p, &cp, esc, false);
        n += esc[0] ? (int)strlen(esc) : 1;
    }
    return n;
}

/* Characters that end a token when text is cut. */
static bool is_sep(uint32_t c) {
    return c == ' ' || c == ',' || c == '[' || c == ']' || c == '(' || c == ')' || c == '{' ||
           c == '}' || c == '|' || c == ';' || c == '=';
}

int ui_puts(ui_screen_t *s, int x, int y, int maxw, int style, const char *utf8) {
    if (!utf8 || y < 0 || y >= s->h) return 0;
    int end = maxw < 0 ? s->w : x + maxw;
    if (end > s->w) end = s->w;
    int col = x;
    const unsigned char *p = (const unsigned char *)utf8;
    while (*p && col < end) {
        uint32_t cp;
        char esc[TTLX_TEXT_ESC_MAX];
        size_t n = ttlx_text_next((const char *)p, &cp, esc, false);
        if (esc[0]) {
            /* an escape cut short leaves p on it: the ellipsis follows */
            size_t k = 0;
            for (; esc[k] && col < end; k++, col++)
                if (col >= 0) ui_putc(s, col, y, (unsigned char)esc[k], style);
            if (esc[k]) break;
            p += n;
            continue;
        }
        p += n;
        if (s->ascii && cp >= 0x80) cp = '?';
        if (col >= 0) ui_putc(s, col, y, printable(cp), style);
        col++;
    }
    /* Cut text ends in an ellipsis so a cut never reads as a whole word or
     * number (trailing blanks are not text). */
    if (col > x && col >= 1 && p[strspn((const char *)p, " ")]) {
        int e = col - 1;
        /* A number is never cut in two (its unit would be lost): the whole
         * token goes when the token being cut holds a digit. */
        const ui_cell_t *row = &s->cells[(size_t)y * (size_t)s->w];
        int t0 = e;
        while (t0 > x && t0 > 0 && e - t0 < 16 && !is_sep(row[t0 - 1].ch))
            t0--;
        bool digit = false, sep_found = t0 == x || (t0 > 0 && is_sep(row[t0 - 1].ch));
        for (int c = t0; c <= e && sep_found; c++)
            digit |= row[c].ch >= '0' && row[c].ch <= '9';
        for (const unsigned char *q = p; *q && !is_sep(*q) && sep_found; q++)
            digit |= *q >= '0' && *q <= '9';
        if (digit && sep_found && (!is_sep(*p) || e > t0)) {
            /* an opening bracket goes with its token: "(+1)" never "(…" */
            if (t0 > x && t0 > 0 &&
                (row[t0 - 1].ch == '(' || row[t0 - 1].ch == '[' || row[t0 - 1].ch == '{'))
                t0--;
            for (int c = t0; c <= e; c++)
                ui_putc(s, c, y, ' ', style);
            e = t0;
        }
        ui_putc(s, e, y, ui_glyph(s, UI_G_ELLIPSIS), style);
    }
    return col - x;
}

int ui_printf(ui_screen_t *s, int x, int y, int maxw, int style, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return ui_puts(s, x, y, maxw, style, buf);
}

void ui_fill(ui_screen_t *s, int x, int y, int w, int h, uint32_t ch, int style) {
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > s->w ? s->w : x + w, y1 = y + h > s->h ? s->h : y + h;
    for (int r = y0; r < y1; r++)
        for (int c = x0; c < x1; c++) {
            ui_cell_t *cell = &s->cells[(size_t)r * (size_t)s->w + (size_t)c];
            cell->ch = ch;
            cell->style = (uint8_t)style;
        }
}

void ui_restyle(ui_screen_t *s, int x, int y, int w, int h, int style) {
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > s->w ? s->w : x + w, y1 = y + h > s->h ? s->h : y + h;
    for (int r = y0; r < y1; r++)
        for (int c = x0; c < x1; c++)
            s->cells[(size_t)r * (size_t)s->w + (size_t)c].style = (uint8_t)style;
}

void ui_box(ui_screen_t *s, int x, int y, int w, int h, int style, const char *title) {
    if (w < 2 || h < 2) return;
    ui_fill(s, x, y, w, h, ' ', style);
    uint32_t hl = ui_glyph(s, UI_G_HLINE), vl = ui_glyph(s, UI_G_VLINE);
    ui_fill(s, x + 1, y, w - 2, 1, hl, style);
    ui_fill(s, x + 1, y + h - 1, w - 2, 1, hl, style);
    ui_fill(s, x, y + 1, 1, h - 2, vl, style);
    ui_fill(s, x + w - 1, y + 1, 1, h - 2, vl, style);
    ui_putc(s, x, y, ui_glyph(s, UI_G_TL), style);
    ui_putc(s, x + w - 1, y, ui_glyph(s, UI_G_TR), style);
    ui_putc(s, x, y + h - 1, ui_glyph(s, UI_G_BL), style);
    ui_putc(s, x + w - 1, y + h - 1, ui_glyph(s, UI_G_BR), style);
    if (title && *title) {
        ui_putc(s, x + 1, y, ' ', style);
        int n = ui_puts(s, x + 2, y, w - 4, style, title);
        ui_putc(s, x + 2 + n, y, ' ', style);
    }
}

void ui_screen_write(const ui_screen_t *s, FILE *out, const char *(*sgr)(int style, void *ud),
                     void *ud) {
    for (int y = 0; y < s->h; y++) {
        const ui_cell_t *row = &s->cells[(size_t)y * (size_t)s->w];
        int end = s->w;
        if (!sgr)
            while (end > 0 && row[end - 1].ch == ' ')
                end--;
        int cur = -1;
        for (int x = 0; x < end; x++) {
            if (sgr && row[x].style != cur) {
                cur = row[x].style;
                fputs(sgr(cur, ud), out);
            }
            char b[5];
            uint32_t cp = row[x].ch;
            if (s->ascii && cp >= 0x80) cp = '?';
            fwrite(b, 1, (size_t)ttlx_utf8_encode(cp, b), out);
        }
        if (sgr) fputs("\x1b[0m", out);
        fputc('\n', out);
    }
}
