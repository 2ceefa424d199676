/*
 * view_tiles.c - the Tiles view: the selected buffer's 2-D tile grid, each
 * cell showing the core or bank that owns it, with zoom (aggregate cells),
 * pan and a tile cursor. Its state is the anonymous Tiles member of ui_t;
 * only this file changes it (ui_select_buffer starts it over).
 */
#include "ui/view_tiles.h"
#include "ui/draw.h"
#include "ui/view.h"

#include <string.h>

static char base36(int64_t v) {
    if (v < 0) return '?';
    v %= 36;
    return (char)(v < 10 ? '0' + v : 'A' + v - 10);
}

static int digits(int64_t v) {
    int n = 1;
    while (v >= 10)
        v /= 10, n++;
    return n;
}

static int tiles_label_w(const ttlx_layout_t *l) {
    return l ? digits(l->view_rows > 0 ? l->view_rows - 1 : 0) + 1 : 3;
}

/* Moves the core cursor to the owner of the tile under the tile cursor. */
static void core_from_tile(ui_t *u) {
    ttlx_place_t p;
    if (!ui_selected_layout(u) ||
        !ttlx_place_tile(u->res, (size_t)u->sel, u->tile_row, u->tile_col, &p))
        return;
    if (p.dram) {
        u->core_x = p.bank;
        u->core_y = u->dev.grid_y;
    } else {
        u->core_x = p.x;
        u->core_y = p.y;
    }
}

/* Keeps the tile cursor inside the grid and the viewport around it. */
static void tiles_follow(ui_t *u) {
    const ttlx_layout_t *l = ui_selected_layout(u);
    if (!l) return;
    int64_t zr = (int64_t)1 << u->zoom_r, zc = (int64_t)1 << u->zoom_c;
    if (u->tile_row >= l->view_rows) u->tile_row = l->view_rows - 1;
    if (u->tile_col >= l->view_cols) u->tile_col = l->view_cols - 1;
    if (u->tile_row < 0) u->tile_row = 0;
    if (u->tile_col < 0) u->tile_col = 0;
    int64_t rows = u->geom.tiles_rows > 0 ? u->geom.tiles_rows : 1;
    int64_t cols = u->geom.tiles_cols > 0 ? u->geom.tiles_cols : 1;
    int64_t cr = u->tile_row / zr, cc = u->tile_col / zc;
    int64_t pr = u->pan_row / zr, pc = u->pan_col / zc;
    if (cr < pr) pr = cr;
    if (cr >= pr + rows) pr = cr - rows + 1;
    if (cc < pc) pc = cc;
    if (cc >= pc + cols) pc = cc - cols + 1;
    u->pan_row = pr * zr;
    u->pan_col = pc * zc;
    core_from_tile(u);
}

static int log2_ceil(int64_t m) {
    int z = 0;
    while (((int64_t)1 << z) < m && z < 40)
        z++;
    return z;
}

/* Zooms both axes by dz steps of 2 (cells of one axis never go below one
 * tile nor beyond the whole axis). */
void ui_tiles_zoom(ui_t *u, int dz) {
    const ttlx_layout_t *l = ui_selected_layout(u);
    if (!l) return;
    int mr = log2_ceil(l->view_rows), mc = log2_ceil(l->view_cols);
    u->zoom_r += dz;
    u->zoom_c += dz;
    if (u->zoom_r < 0) u->zoom_r = 0;
    if (u->zoom_c < 0) u->zoom_c = 0;
    if (u->zoom_r > mr) u->zoom_r = mr;
    if (u->zoom_c > mc) u->zoom_c = mc;
    u->zoom_fit = false;
    tiles_follow(u);
}

void ui_tiles_zoom_fit(ui_t *u) {
    u->zoom_fit = true;
    u->zoom_first = false; /* asked for: the whole grid */
    u->pan_row = u->pan_col = 0;
}

void ui_tiles_zoom_cells(ui_t *u, long tiles) {
    int z = 0;
    while (z < 40 && ((long)1 << z) < tiles)
        z++;
    u->zoom_r = u->zoom_c = z;
    ui_tiles_zoom(u, 0);
}

static void tile_label(const ui_screen_t *s, const ttlx_place_t *p, char out[3]) {
    (void)s;
    if (p->dram) {
        out[0] = '#';
        out[1] = base36(p->bank);
    } else {
        out[0] = base36(p->x);
        out[1] = base36(p->y);
    }
    out[2] = '\0';
}

static bool place_on_cursor(const ui_t *u, const ttlx_place_t *p) {
    if (p->dram) return u->core_y == u->dev.grid_y && u->core_x == p->bank;
    return u->core_y == p->y && u->core_x == p->x;
}

static void draw_tiles(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = ui_selected_layout(u);
    int x0 = g->main_x + 1, y0 = g->main_y + 1, w = g->main_w - 1;
    if (!l || !l->placed) {
        ui_puts(s, x0, y0, w, UI_STYLE_DIAG_ERROR,
                "this buffer has no placement: see its diagnostics");
        return;
    }
    int64_t zr = (int64_t)1 << u->zoom_r, zc = (int64_t)1 << u->zoom_c;
    int64_t rows = l->view_rows, cols = l->view_cols;
    if (zr == 1 && zc == 1)
        ui_printf(s, x0, y0, w, UI_STYLE_NORMAL,
                  "tile view %lld x %lld tiles of %dx%d | zoom 1:1, one cell per tile%s",
                  (long long)rows, (long long)cols, l->tile_h, l->tile_w,
                  rows > g->tiles_rows || cols > g->tiles_cols ? " | arrows pan" : "");
    else
        ui_printf(s, x0, y0, w, UI_STYLE_NORMAL,
                  "tile view %lld x %lld tiles of %dx%d | cell = %lld x %lld tiles, centre sampled",
                  (long long)rows, (long long)cols, l->tile_h, l->tile_w, (long long)zr,
                  (long long)zc);
    int lw = tiles_label_w(l);
    int gx0 = x0 + lw;
    /* column indices every 4 cells */
    for (int c = 0; c < g->tiles_cols; c += 4) {
        int64_t col = u->pan_col + (int64_t)c * zc;
        if (col >= cols) break;
        ui_printf(s, gx0 + c * 3, y0 + 1, 12, UI_STYLE_DIM, "%lld", (long long)col);
    }
    size_t bi = (size_t)u->sel;
    for (int r = 0; r < g->tiles_rows; r++) {
        int64_t r0 = u->pan_row + (int64_t)r * zr;
        if (r0 >= rows) break;
        int py = y0 + 2 + r;
        ui_printf(s, x0, py, lw, UI_STYLE_DIM, "%*lld", lw - 1, (long long)r0);
        int64_t r1 = r0 + zr - 1 < rows ? r0 + zr - 1 : rows - 1;
        int64_t rs = r0 + (r1 - r0) / 2;
        for (int c = 0; c < g->tiles_cols; c++) {
            int64_t c0 = u->pan_col + (int64_t)c * zc;
            if (c0 >= cols) break;
            int64_t c1 = c0 + zc - 1 < cols ? c0 + zc - 1 : cols - 1;
            int64_t cs = c0 + (c1 - c0) / 2;
            int px = gx0 + c * 3;
            ttlx_place_t p;
            if (!ttlx_place_tile(u->res, bi, rs, cs, &p)) {
                ui_puts(s, px, py, 3, UI_STYLE_DIM, "?? ");
                continue;
            }
            bool pad = p.padding, mixed = false, hl_any = false;
            if (zr > 1 || zc > 1) { /* an aggregate cell: corners tell padding and mixed owners */
                ttlx_place_t q;
                if (!pad && ttlx_place_tile(u->res, bi, r1, c1, &q)) pad = q.padding;
                if (ttlx_place_tile(u->res, bi, r0, c0, &q)) {
                    mixed = q.dram != p.dram || q.bank != p.bank || q.x != p.x || q.y != p.y;
                    hl_any = place_on_cursor(u, &q);
                }
            }
            bool cursor =
                u->tile_row >= r0 && u->tile_row <= r1 && u->tile_col >= c0 && u->tile_col <= c1;
            bool hl = place_on_cursor(u, &p) || hl_any;
            char lab[3];
            tile_label(s, &p, lab);
            if (mixed) lab[0] = lab[1] = '~';
            int owner = p.dram ? p.bank : p.y * u->dev.grid_x + p.x;
            int st = cursor ? UI_STYLE_CURSOR
                     : hl   ? UI_STYLE_HIGHLIGHT
                     : pad  ? UI_STYLE_PADDING
                            : UI_STYLE_PAL0 + owner % 6;
            if (p.uncovered) {
                lab[0] = lab[1] = '?';
                st = cursor ? UI_STYLE_CURSOR : UI_STYLE_DIAG_ERROR;
            }
            uint32_t mark = cursor ? '<'
                            : hl   ? ui_glyph(s, UI_G_HILITE)
                            : pad  ? ui_glyph(s, UI_G_PADDING)
                                   : ' ';
            ui_puts(s, px, py, 2, st, lab);
            ui_putc(s, px + 2, py, mark, st);
            ui_add_hit(u, px, py, 3, 1, UI_HIT_TILE, r0, c0);
        }
    }
    /* cursor tile and selected core */
    int iy = y0 + 2 + g->tiles_rows;
    ttlx_place_t p;
    if (ttlx_place_tile(u->res, bi, u->tile_row, u->tile_col, &p)) {
        char where[160];
        if (p.dram)
            snprintf(where, sizeof where, "DRAM bank %d, page slot %lld", p.bank,
                     (long long)p.slot);
        else if (p.shard >= 0)
            snprintf(where, sizeof where, "core (%d,%d), shard %lld slot %lld, tile %lld in shard",
                     p.x, p.y, (long long)p.shard, (long long)p.slot, (long long)p.offset);
        else
            snprintf(where, sizeof where, "core (%d,%d) = L1 bank %d, page slot %lld", p.x, p.y,
                     p.bank, (long long)p.slot);
        ui_printf(s, x0, iy, w, UI_STYLE_NORMAL, "tile (%lld,%lld) %s %s%s%s",
                  (long long)u->tile_row, (long long)u->tile_col, s->ascii ? "->" : "\xe2\x86\x92",
                  where, p.padding ? " | padding" : " | logical",
                  p.uncovered ? " | NOT COVERED" : "");
    }
    int64_t held;
    if (u->core_y >= u->dev.grid_y)
        held = ttlx_place_count_on(u->res, bi, u->core_x, -1);
    else
        held = ttlx_place_count_on(u->res, bi, u->core_x, u->core_y);
    if (u->core_y >= u->dev.grid_y)
        ui_printf(s, x0, iy + 1, w, UI_STYLE_NORMAL, "DRAM bank %d holds %lld %s of %s (marked *)",
                  u->core_x, (long long)held, ui_plural(held, "tile", "tiles"), l->buf->name);
    else
        ui_printf(s, x0, iy + 1, w, UI_STYLE_NORMAL, "core (%d,%d) holds %lld %s of %s (marked *)",
                  u->core_x, u->core_y, (long long)held, ui_plural(held, "tile", "tiles"),
                  l->buf->name);
    char pg[5];
    pg[ttlx_utf8_encode(ui_glyph(s, UI_G_PADDING), pg)] = '\0';
    char leg[200];
    snprintf(leg, sizeof leg,
             "XY core x,y (base 36) | #B bank B | ~~ several | %s padding | * on core | < cursor",
             pg);
    if (ui_text_width(leg) > w) /* short form: '*' is explained on the row above */
        snprintf(leg, sizeof leg, "XY core b36 | #B bank | ~~ several | %s pad | < cursor", pg);
    ui_puts(s, x0, iy + 2, w, UI_STYLE_DIM, leg);
}

/* Tile cells that fit the main pane, the zoom fit a new buffer or '0'
 * asked for, and the viewport kept around the cursor. */
static void tiles_layout(ui_t *u) {
    ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = ui_selected_layout(u);
    g->tiles_cols = (g->main_w - tiles_label_w(l) - 1) / 3;
    g->tiles_rows = g->main_h - 1 - 2 - 3;
    if (g->tiles_cols < 1) g->tiles_cols = 1;
    if (g->tiles_rows < 1) g->tiles_rows = 1;
    if (l && u->zoom_fit) { /* each axis on its own: 512 x 4 tiles stays 4 wide */
        int zr = 0, zc = 0;
        while (zr < 40 && ((l->view_rows - 1) >> zr) + 1 > g->tiles_rows)
            zr++;
        while (zc < 40 && ((l->view_cols - 1) >> zc) + 1 > g->tiles_cols)
            zc++;
        /* A cell that mixes owners shows only "~~": a buffer's first view
         * starts interleaved pages (a new bank every tile) at one tile a
         * cell and keeps a sharded cell no larger than a shard; 0 fits. */
        if (!u->zoom_first || !l->placed) {
            /* the whole grid */
        } else if (l->layout == TTLX_LAYOUT_INTERLEAVED) {
            zr = zc = 0;
        } else if (l->has_shard) {
            while (zr > 0 && ((int64_t)1 << zr) > l->proj_shard_tiles[0])
                zr--;
            while (zc > 0 && ((int64_t)1 << zc) > l->proj_shard_tiles[1])
                zc--;
        }
        u->zoom_r = zr;
        u->zoom_c = zc;
        u->zoom_fit = u->zoom_first = false;
        u->pan_row = u->pan_col = 0;
    }
    if (l) { /* keep the tile cursor in view */
        int64_t zr = (int64_t)1 << u->zoom_r, zc = (int64_t)1 << u->zoom_c;
        int64_t cr = u->tile_row / zr, cc = u->tile_col / zc;
        int64_t pr = u->pan_row / zr, pc = u->pan_col / zc;
        if (cr < pr) pr = cr;
        if (cr >= pr + g->tiles_rows) pr = cr - g->tiles_rows + 1;
        if (cc < pc) pc = cc;
        if (cc >= pc + g->tiles_cols) pc = cc - g->tiles_cols + 1;
        u->pan_row = pr * zr;
        u->pan_col = pc * zc;
    }
}

static void tiles_move(ui_t *u, int dx, int dy) {
    u->tile_row += dy * ((int64_t)1 << u->zoom_r);
    u->tile_col += dx * ((int64_t)1 << u->zoom_c);
    tiles_follow(u);
}

void ui_tiles_cursor(ui_t *u, int64_t row, int64_t col) {
    u->tile_row = row;
    u->tile_col = col;
    u->pan_row = u->pan_col = 0; /* the next layout scrolls to the cursor */
    const ttlx_layout_t *l = ui_selected_layout(u);
    if (l) {
        if (u->tile_row >= l->view_rows) u->tile_row = l->view_rows - 1;
        if (u->tile_col >= l->view_cols) u->tile_col = l->view_cols - 1;
    }
    if (u->tile_row < 0) u->tile_row = 0;
    if (u->tile_col < 0) u->tile_col = 0;
    core_from_tile(u);
}

static void tiles_page(ui_t *u, int dir) {
    tiles_move(u, 0, dir * (u->geom.tiles_rows > 1 ? u->geom.tiles_rows - 1 : 1));
}

static void tiles_jump(ui_t *u, bool home) {
    u->tile_row = u->tile_col = home ? 0 : INT64_MAX / 4;
    tiles_follow(u);
}

/* Enter: the core that owns the cursor tile, in the Cores view. */
static void tiles_enter(ui_t *u) {
    core_from_tile(u);
    ui_view_set(u, UI_VIEW_CORES);
}

static bool tiles_click(ui_t *u, const ui_hit_t *h) {
    if (h->kind != UI_HIT_TILE) return false;
    u->focus = UI_PANE_MAIN;
    u->tile_row = h->a;
    u->tile_col = h->b;
    tiles_follow(u);
    return true;
}

const ui_view_ops_t ui_view_tiles = {
    .name = "tiles",
    .title = "Tiles",
    .key = '2',
    .help = "Tiles view: tile grid, owner of each tile",
    .keys = "hjkl:tile +/-:zoom 0:fit Enter:core",
    .draw = draw_tiles,
    .move = tiles_move,
    .page = tiles_page,
    .jump = tiles_jump,
    .enter = tiles_enter,
    .click = tiles_click,
    .layout = tiles_layout,
};
