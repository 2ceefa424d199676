/*
 * view.h - a view of the main pane as a small ops table, and the one
 * registry of views (view.c). Adding a view: its file, its ui_view_t
 * value and one line in the registry. Nothing outside a view's file
 * switches over views.
 */
#ifndef TTLX_UI_VIEW_H
#define TTLX_UI_VIEW_H

#include "ui/state.h"

typedef struct ui_view_ops {
    const char *name;  /* ":view NAME" */
    const char *title; /* the header tab */
    int key;           /* the key that shows it ('1') */
    const char *help;  /* that key's help line */
    const char *keys;  /* the footer's keys in the view ("hjkl:core Enter:tiles") */
    bool takes_focus;  /* showing it focuses the main pane (its table is the point) */
    /* Draws the view into the main pane (u->res is set). */
    void (*draw)(ui_t *u, ui_screen_t *s);
    /* Arrows in the main pane (dx, dy in cursor steps). */
    void (*move)(ui_t *u, int dx, int dy);
    /* PgUp / PgDn (dir -1 / +1) in the main pane. */
    void (*page)(ui_t *u, int dir);
    /* Home / End in the main pane. */
    void (*jump)(ui_t *u, bool home);
    /* Enter in the main pane; NULL: nothing. */
    void (*enter)(ui_t *u);
    /* A click on a hit the view recorded; false when not its kind. NULL:
     * records none. */
    bool (*click)(ui_t *u, const ui_hit_t *h);
    /* Every layout (whichever view shows): the view's own geometry in
     * u->geom and state. NULL: none. */
    void (*layout)(ui_t *u);
    /* A key the key map does not bind, while the view shows (any pane);
     * true when the view took it. NULL: none. */
    bool (*on_key)(ui_t *u, int key);
    /* The view's own keys for the help, under the title help_title. */
    const char *help_title;
    const ui_help_line_t *help_keys;
    int nhelp_keys;
} ui_view_ops_t;

/* The view shown as v (a ui_view_t, taken modulo UI_VIEW_COUNT). */
const ui_view_ops_t *ui_view(int v);
/* Shows view v (modulo UI_VIEW_COUNT), its text scrolled to the top; a
 * view that takes_focus gets the keys (the main pane is focused). */
void ui_view_set(ui_t *u, int v);
/* View names ("cores", ...), and parsing a prefix of one; -1 unknown. */
const char *ui_view_name(ui_view_t v);
int ui_view_parse(const char *name);
/* Every view's name in table order (index = ui_view_t), *n of them: what
 * ttlx.view accepts, in the explorer and headless. */
const char *const *ui_view_names(size_t *n);
/* The view names joined with ", " ("cores, tiles, ..."), for messages. */
const char *ui_view_list(char *buf, size_t size);

/* Scrolling for the text views (Projection, Work, Metadata): u->scroll. */
void ui_view_scroll_move(ui_t *u, int dx, int dy);
void ui_view_scroll_page(ui_t *u, int dir);
void ui_view_scroll_jump(ui_t *u, bool home);

#endif
