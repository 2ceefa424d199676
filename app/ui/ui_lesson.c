/*
 * ui_lesson.c - the lesson step pinned at the top of the explorer: its
 * state (u->lesson), its rows in the layout and its drawing. Text is
 * wrapped by ui_puts_wrap, one paragraph per "\n".
 */
#include "ui/ui_lesson.h"
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>

#define WRAP_MAX 64 /* text rows ever laid out */

void ui_lesson_pin(ui_t *u, const char *title, int step, int steps, const char *step_title,
                   const char *text, const char *next_key, const char *prev_key,
                   const char *leave_key) {
    struct ui_lesson *l = &u->lesson;
    l->on = true;
    l->step = step;
    l->steps = steps;
    snprintf(l->title, sizeof l->title, "%s", title);
    snprintf(l->step_title, sizeof l->step_title, "%s", step_title);
    snprintf(l->text, sizeof l->text, "%s", text);
    snprintf(l->next_key, sizeof l->next_key, "%s", next_key);
    snprintf(l->prev_key, sizeof l->prev_key, "%s", prev_key);
    snprintf(l->leave_key, sizeof l->leave_key, "%s", leave_key);
}

void ui_lesson_leave(ui_t *u) {
    u->lesson.on = false;
}

/* Lays the text out into probe (w columns, WRAP_MAX rows): the rows used.
 * With probe NULL it only counts them. */
static int wrap_text(ui_screen_t *probe, int w, const char *text) {
    int rows = 0;
    const char *p = text;
    while (rows < WRAP_MAX) {
        size_t n = strcspn(p, "\n");
        char para[1200]; /* the size of u->lesson.text */
        snprintf(para, sizeof para, "%.*s", (int)n, p);
        if (para[0])
            rows += ui_puts_wrap(probe, 0, rows, w, WRAP_MAX - rows, UI_STYLE_POPUP, para);
        else
            rows++; /* an empty paragraph: a blank row */
        if (!p[n]) break;
        p += n + 1;
    }
    return rows;
}

static int text_rows(const ui_t *u, int w) {
    return w < 1 ? 1 : wrap_text(NULL, w, u->lesson.text);
}

int ui_lesson_rows(const ui_t *u, int w, int h, int diag_h) {
    if (!u->lesson.on) return 0;
    int want = 1 + text_rows(u, w - 2);
    int cap = h >= 40 ? 9 : h >= 30 ? 6 : 4;
    int room = h - 2 - diag_h - 8; /* the panes below keep 8 rows */
    if (want > cap) want = cap;
    if (want > room) want = room;
    return want < 2 ? 2 : want;
}

void ui_lesson_draw(const ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const struct ui_lesson *l = &u->lesson;
    if (!g->lesson_h) return;
    int y = g->lesson_y, w = s->w;
    ui_fill(s, 0, y, w, g->lesson_h, ' ', UI_STYLE_POPUP);
    ui_fill(s, 0, y, w, 1, ' ', UI_STYLE_POPUP_TITLE);
    char keys[80], head[400];
    snprintf(keys, sizeof keys, "%s:back %s:next %s:leave ", l->prev_key, l->next_key,
             l->leave_key);
    int kw = ui_text_width(keys);
    if (kw > w / 2) kw = 0; /* a narrow screen: the title first (? lists the keys) */
    snprintf(head, sizeof head, " %d/%d %s: %s", l->step, l->steps, l->title, l->step_title);
    ui_puts(s, 0, y, w - kw - 1, UI_STYLE_POPUP_TITLE, head);
    if (kw) ui_puts(s, w - kw, y, kw, UI_STYLE_POPUP_TITLE, keys);
    ui_screen_t probe = {0};
    if (w < 3 || !ui_screen_resize(&probe, w - 2, WRAP_MAX)) return;
    ui_screen_clear(&probe, UI_STYLE_POPUP);
    int n = wrap_text(&probe, probe.w, l->text), rows = g->lesson_h - 1;
    char m[64] = "", gm[5];
    if (n > rows && rows > 0) { /* the rest is in the console */
        gm[ttlx_utf8_encode(ui_glyph(s, UI_G_MORE), gm)] = '\0';
        snprintf(m, sizeof m, " %s %d more: c ", gm, n - rows);
    }
    int mw = ui_text_width(m);
    for (int r = 0; r < rows && r < n; r++) {
        bool last = r == rows - 1 && mw; /* cut before the marker, as ui_puts cuts */
        int cols = last ? probe.w + 1 - mw : probe.w;
        for (int x = 0; x < cols; x++) {
            const ui_cell_t *c = &probe.cells[r * probe.w + x];
            bool cut = last && x == cols - 1;
            ui_putc(s, 1 + x, y + 1 + r, cut ? ui_glyph(s, UI_G_ELLIPSIS) : c->ch, c->style);
        }
    }
    if (mw) ui_puts(s, w - mw, y + rows, mw, UI_STYLE_POPUP_TITLE, m);
    ui_screen_free(&probe);
}
