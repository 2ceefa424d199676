/*
 * view_projection.c - the Projection view: how the selected buffer's N-D axes project
 * onto the core grid (shard shapes, order, distribution), as scrolling text.
 */
#include "ui/draw.h"
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void draw_projection_text(ui_t *u, ui_screen_t *s, ui_textarea_t *tp) {
    const ttlx_layout_t *l = ui_selected_layout(u);
    if (!l) return;
    char b1[32], shape[96];
    ui_fmt_shape(l->buf, shape, sizeof shape);
    ui_ta_printf(tp, UI_STYLE_NORMAL, "%s: shape %s, %s, tile %dx%d = %lld bytes (page %lld)",
                 l->buf->name, shape, l->dtype, l->tile_h, l->tile_w, (long long)l->tile_bytes,
                 (long long)l->page_bytes);
    {
        char tg[160];
        size_t k = 0;
        for (int d = 0; d < l->tile_rank && k < sizeof tg; d++)
            k += (size_t)snprintf(tg + k, sizeof tg - k, "%s%lld", d ? " x " : "",
                                  (long long)l->tile_grid[d]);
        ui_ta_printf(tp, UI_STYLE_NORMAL, "tile grid %s = %lld pages; 2-D view %lld x %lld", tg,
                     (long long)l->pages, (long long)l->view_rows, (long long)l->view_cols);
    }
    if (l->needs_padding)
        ui_ta_printf(tp, UI_STYLE_PADDING,
                     "padding: %lld pages hold padding, %.1f%% of page bytes wasted",
                     (long long)l->padding_pages, l->padding_waste * 100.0);
    ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", "");
    if (!l->has_shard) {
        ui_ta_printf(tp, UI_STYLE_TITLE, "Interleaved in %s: page i -> bank i mod %d",
                     ttlx_memory_name(l->memory), l->banks);
        ui_ta_printf(tp, UI_STYLE_NORMAL,
                     "pages %lld | banks %d | %lld %s per bank (lock-step) | %s per bank",
                     (long long)l->pages, l->banks, (long long)l->pages_per_bank,
                     ui_plural(l->pages_per_bank, "page", "pages"),
                     ui_fmt_bytes(l->bytes_per_bank, b1, sizeof b1));
        if (l->memory == TTLX_MEM_L1)
            ui_ta_printf(
                tp, UI_STYLE_DIM,
                "L1 banks are the compute cores in raster order (tt-metal permutes bank ids)");
        ui_ta_printf(tp, UI_STYLE_DIM,
                     "no nd_shard: set layout=sharded and nd_shard to project axes onto cores");
        return;
    }
    /* narrow panes (80 columns) get narrower columns so "goes to" stays whole */
    bool narrow = tp->w < 72;
    if (narrow)
        ui_ta_printf(tp, UI_STYLE_TITLE, "%-3s %-4s %7s %4s %7s %5s %s", "dim", "axis", "size",
                     "grid", "shard", "tiles", "goes to");
    else
        ui_ta_printf(tp, UI_STYLE_TITLE, "%-4s %-6s %9s %6s %9s %8s  %s", "dim", "axis", "size",
                     "grid", "shard", "tiles", "goes to");
    bool rr = l->dist == TTLX_DIST_ROUND_ROBIN_1D;
    bool colm = l->order == TTLX_ORDER_COL_MAJOR;
    for (int d = 0; d < l->buf->rank; d++) {
        char tiles[32] = "-";
        const char *to;
        if (d == l->axis_m) {
            snprintf(tiles, sizeof tiles, "%lld", (long long)l->proj_shard_tiles[0]);
            to = rr ? "linear shard index" : colm ? "core x (columns)" : "core y (rows)";
        } else if (d == l->axis_n) {
            snprintf(tiles, sizeof tiles, "%lld", (long long)l->proj_shard_tiles[1]);
            to = rr ? "linear shard index" : colm ? "core y (rows)" : "core x (columns)";
        } else {
            to = rr ? "linear shard index" : "stacked on the same core";
        }
        int st = d == l->axis_m || d == l->axis_n ? UI_STYLE_SHARDED : UI_STYLE_NORMAL;
        if (narrow)
            ui_ta_printf(tp, st, "%-3d %-4.4s %7lld %4lld %7lld %5s %s", d, l->axes[d],
                         (long long)l->buf->shape[d], (long long)l->grid[d], (long long)l->shard[d],
                         tiles, !strcmp(to, "stacked on the same core") ? "stacked per core" : to);
        else
            ui_ta_printf(tp, st, "%-4d %-6.6s %9lld %6lld %9lld %8s  %s", d, l->axes[d],
                         (long long)l->buf->shape[d], (long long)l->grid[d], (long long)l->shard[d],
                         tiles, to);
    }
    ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", "");
    ui_ta_printf(tp, UI_STYLE_NORMAL,
                 "projected grid [%lld, %lld] (M x N), shard tiles [%lld, %lld]",
                 (long long)l->proj_grid[0], (long long)l->proj_grid[1],
                 (long long)l->proj_shard_tiles[0], (long long)l->proj_shard_tiles[1]);
    ui_ta_printf(tp, UI_STYLE_NORMAL, "order %s%s, distribution %s, align_tiles %s",
                 ttlx_order_name(l->order), l->order == TTLX_ORDER_BLOCK_LINEAR ? "(k)" : "",
                 ttlx_dist_name(l->dist), l->align_tiles ? "true" : "false");
    ui_ta_printf(tp, UI_STYLE_NORMAL,
                 "%lld shards of %lld tiles | %lld %s | up to %lld per core | %s per core",
                 (long long)l->shards, (long long)l->shard_tiles, (long long)l->cores_used,
                 l->memory == TTLX_MEM_L1 ? "cores" : "banks", (long long)l->max_shards_per_core,
                 ui_fmt_bytes(l->bytes_per_core, b1, sizeof b1));
    ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", "");
    if (l->memory != TTLX_MEM_L1) return;
    ui_ta_printf(tp, UI_STYLE_TITLE, "shards per core (stacked shards share a core)");
    for (int cy = 0; cy < u->dev.grid_y; cy++)
        for (int cx = 0; cx < u->dev.grid_x; cx++) {
            int64_t ids[8];
            int64_t k = ttlx_place_shards_on(u->res, (size_t)u->sel, cx, cy, ids, 8);
            if (k <= 0) continue;
            char line[200];
            size_t n = (size_t)snprintf(line, sizeof line, "core (%d,%d):", cx, cy);
            for (int64_t j = 0; j < k && j < 8 && n < sizeof line; j++)
                n += (size_t)snprintf(line + n, sizeof line - n, " s%lld", (long long)ids[j]);
            if (k > 8 && n < sizeof line)
                snprintf(line + n, sizeof line - n, " (+%lld)", (long long)(k - 8));
            ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", line);
        }
}

static void draw_projection(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    ui_textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, u->scroll};
    draw_projection_text(u, s, &t);
    ui_ta_more(&t); /* a list that goes on below says so */
}

const ui_view_ops_t ui_view_projection = {
    .name = "projection",
    .title = "Projection",
    .key = '3',
    .help = "Projection view: N-D axes onto the grid",
    .keys = "j/k:scroll",
    .draw = draw_projection,
    .move = ui_view_scroll_move,
    .page = ui_view_scroll_page,
    .jump = ui_view_scroll_jump,
};
