/*
 * view.c - the registry of views (one line each), view switching, view
 * names, and the scrolling shared by the text views.
 */
#include "ui/view.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The registry: a view's ops (its file) and its slot. */
/* clang-format off */
extern const ui_view_ops_t ui_view_cores;
extern const ui_view_ops_t ui_view_tiles;
extern const ui_view_ops_t ui_view_projection;
extern const ui_view_ops_t ui_view_work;
extern const ui_view_ops_t ui_view_metadata;
extern const ui_view_ops_t ui_view_solve;

static const ui_view_ops_t *const views[UI_VIEW_COUNT] = {
    [UI_VIEW_CORES] = &ui_view_cores,
    [UI_VIEW_TILES] = &ui_view_tiles,
    [UI_VIEW_PROJECTION] = &ui_view_projection,
    [UI_VIEW_WORK] = &ui_view_work,
    [UI_VIEW_METADATA] = &ui_view_metadata,
    [UI_VIEW_SOLVE] = &ui_view_solve,
};
/* clang-format on */

const ui_view_ops_t *ui_view(int v) {
    return views[((v % UI_VIEW_COUNT) + UI_VIEW_COUNT) % UI_VIEW_COUNT];
}

void ui_view_set(ui_t *u, int v) {
    u->view = (ui_view_t)((v + UI_VIEW_COUNT) % UI_VIEW_COUNT);
    u->scroll = 0;
    if (views[u->view]->takes_focus) u->focus = UI_PANE_MAIN;
}

const char *ui_view_name(ui_view_t v) {
    return v < UI_VIEW_COUNT ? views[v]->name : "?";
}

const char *const *ui_view_names(size_t *n) {
    static const char *names[UI_VIEW_COUNT];
    for (int v = 0; v < UI_VIEW_COUNT; v++)
        names[v] = views[v]->name;
    *n = UI_VIEW_COUNT;
    return names;
}

const char *ui_view_list(char *buf, size_t size) {
    size_t at = 0;
    buf[0] = '\0';
    for (int v = 0; v < UI_VIEW_COUNT && at < size; v++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", v ? ", " : "", views[v]->name);
    return buf;
}

int ui_view_parse(const char *name) {
    for (int v = 0; v < UI_VIEW_COUNT; v++)
        if (!strncasecmp(name, ui_view_name((ui_view_t)v), strlen(name)) && *name) return v;
    return -1;
}

void ui_view_scroll_move(ui_t *u, int dx, int dy) {
    (void)dx;
    u->scroll += dy;
    if (u->scroll < 0) u->scroll = 0;
}

void ui_view_scroll_page(ui_t *u, int dir) {
    int page = u->geom.body_rows > 2 ? u->geom.body_rows - 1 : 5;
    ui_view_scroll_move(u, 0, dir * page);
}

void ui_view_scroll_jump(ui_t *u, bool home) {
    u->scroll = home ? 0 : 1 << 20;
}
