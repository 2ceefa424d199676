/*
 * view_tiles.h - what the key map asks of the Tiles view beyond its ops
 * table: zooming, which works from any view.
 */
#ifndef TTLX_UI_VIEW_TILES_H
#define TTLX_UI_VIEW_TILES_H

#include "ui/state.h"

/* Zooms both axes by dz steps of 2 (cells of one axis never go below one
 * tile nor beyond the whole axis). */
void ui_tiles_zoom(ui_t *u, int dz);
/* Fits the whole tile grid at the next layout. */
void ui_tiles_zoom_fit(ui_t *u);
/* Cells of `tiles` tiles a side, rounded up to a power of 2 (`:zoom N`). */
void ui_tiles_zoom_cells(ui_t *u, long tiles);

/* Puts the tile cursor on (row, col) of the selected buffer's tile view
 * (clamped) and the core cursor on its owner; the viewport starts at the
 * top-left and the next layout scrolls it to the cursor. */
void ui_tiles_cursor(ui_t *u, int64_t row, int64_t col);

#endif
