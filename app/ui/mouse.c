/*
 * mouse.c - clicks and wheel steps: each is mapped through the clickable
 * regions the last frame recorded (ui_add_hit) to the pane, buffer, tab,
 * diagnostic or view cell under the pointer, and runs the same update a
 * key would.
 */
#include "ui/input.h"
#include "ui/ui_edit.h"
#include "ui/view.h"

static const ui_hit_t *hit_at(const ui_t *u, int x, int y) {
    for (int i = u->nhits - 1; i >= 0; i--) {
        const ui_hit_t *h = &u->hits[i];
        if (x >= h->x && x < h->x + h->w && y >= h->y && y < h->y + h->h) return h;
    }
    return NULL;
}

static ui_pane_t pane_at(const ui_t *u, int x, int y) {
    const ui_geom_t *g = &u->geom;
    if (y >= g->diag_y && y < g->diag_y + g->diag_h) return UI_PANE_DIAGS;
    if (x < g->list_x + g->list_w) return UI_PANE_BUFFERS;
    return UI_PANE_MAIN;
}

void ui_click(ui_t *u, int x, int y) {
    if (u->mode == UI_MODE_ASK_RELOAD || u->mode == UI_MODE_ASK_OVERWRITE ||
        u->mode == UI_MODE_ASK_OPEN)
        return; /* a question waits for its key */
    if (u->mode == UI_MODE_HELP || u->mode == UI_MODE_CONSOLE || u->mode == UI_MODE_CONFIRM_QUIT) {
        u->mode = UI_MODE_NORMAL;
        return;
    }
    const ui_hit_t *h = hit_at(u, x, y);
    if (u->mode == UI_MODE_DEVICES) {
        if (h && h->kind == UI_HIT_DEVICE) {
            u->dev_sel = (int)h->a;
            ui_key(u, UI_KEY_ENTER); /* the list chooses it */
        } else
            u->mode = UI_MODE_NORMAL;
        return;
    }
    if (u->mode == UI_MODE_EDIT) {
        if (h && h->kind == UI_HIT_FIELD) {
            if (u->edit_typing) ui_edit_key(u, UI_KEY_ENTER);
            u->edit_field = (int)h->a;
        }
        return;
    }
    if (u->mode != UI_MODE_NORMAL) u->mode = UI_MODE_NORMAL;
    const ui_geom_t *g = &u->geom;
    if (g->lesson_h && y >= g->lesson_y && y < g->lesson_y + g->lesson_h) return; /* text */
    if (y < u->geom.h) u->focus = pane_at(u, x, y);
    if (!h) return;
    switch (h->kind) {
    case UI_HIT_BUFFER:
        u->focus = UI_PANE_BUFFERS;
        ui_select_buffer(u, (int)h->a);
        break;
    case UI_HIT_TAB:
        ui_view_set(u, (int)h->a);
        break;
    case UI_HIT_DIAG:
        u->focus = UI_PANE_DIAGS;
        ui_select_diag(u, (int)h->a);
        break;
    default: /* the views' own hits (cores, banks, tiles) */
        for (int v = 0; v < UI_VIEW_COUNT; v++)
            if (ui_view(v)->click && ui_view(v)->click(u, h)) break;
        break;
    }
}

void ui_wheel(ui_t *u, int x, int y, int dir) {
    if (u->mode == UI_MODE_HELP || u->mode == UI_MODE_CONSOLE) {
        ui_key(u, dir < 0 ? UI_KEY_UP : UI_KEY_DOWN);
        return;
    }
    if (u->mode != UI_MODE_NORMAL) return;
    u->focus = pane_at(u, x, y);
    for (int i = 0; i < 3; i++)
        ui_key(u, dir < 0 ? UI_KEY_UP : UI_KEY_DOWN);
}
