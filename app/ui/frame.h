/*
 * frame.h - composing one frame of the explorer into the cell grid: the
 * panes' geometry, then the header, buffer list, the current view,
 * diagnostics, status line and overlays.
 */
#ifndef TTLX_UI_FRAME_H
#define TTLX_UI_FRAME_H

#include "ui/state.h"

/* Geometry for a w x h screen; every view lays out its own part (the
 * Tiles view applies a pending zoom fit). */
void ui_layout(ui_t *u, int w, int h);
/* Draws the whole frame (after ui_layout) into s. */
void ui_draw(ui_t *u, ui_screen_t *s);
/* ui_layout + ui_draw. */
void ui_frame(ui_t *u, ui_screen_t *s);

#endif
