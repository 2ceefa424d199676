/*
 * view_work.c - the Work view: circular buffers (tt.cb.*) and the work partition
 * over cores, as scrolling text.
 */
#include "ui/draw.h"
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void draw_work_text(ui_t *u, ui_screen_t *s, ui_textarea_t *tp) {
    size_t nb = ttlx_result_buffer_count(u->res);
    char b1[32], b2[32];
    ui_ta_printf(tp, UI_STYLE_TITLE,
                 "Circular buffers (tt.cb.*): one per buffer on every core of the work partition");
    ui_ta_printf(tp, UI_STYLE_DIM, "  %-14s %-10s %8s %5s %9s", "buffer", "format", "page", "depth",
                 "bytes");
    for (size_t i = 0; i < nb; i++) {
        const ttlx_layout_t *l = ttlx_result_layout(u->res, i);
        ui_ta_printf(tp, (int)i == u->sel ? UI_STYLE_HOLD : UI_STYLE_NORMAL,
                     "%c %-14.14s %-10s %8lld %5d %9s", (int)i == u->sel ? '>' : ' ', l->buf->name,
                     l->data_format ? l->data_format : "-", (long long)l->tile_bytes, l->cb_depth,
                     ui_fmt_bytes(l->cb_bytes, b1, sizeof b1));
    }
    const ttlx_partition_t *p = ttlx_result_partition(u->res);
    int px = p->ncores ? p->cores[0].x : 0, py = p->ncores ? p->cores[0].y : 0;
    ui_ta_printf(tp, UI_STYLE_NORMAL,
                 "%zu CBs per core (device allows %d) | %s of CBs on core (%d,%d)", nb,
                 u->dev.max_cbs,
                 ui_fmt_bytes(ttlx_result_core_cb_bytes(u->res, px, py), b2, sizeof b2), px, py);
    ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", "");
    if (p->local_shard)
        ui_ta_printf(tp, UI_STYLE_TITLE, "Work partition: local_shard, led by %s",
                     p->leader >= 0 ? ttlx_result_layout(u->res, (size_t)p->leader)->buf->name
                                    : "-");
    else
        ui_ta_printf(tp, UI_STYLE_TITLE, "Work partition: global");
    ui_ta_printf(tp, UI_STYLE_NORMAL,
                 "grid tiles Mt x Nt = %lld x %lld = %lld tiles on %zu cores (grid %dx%d)",
                 (long long)p->mt, (long long)p->nt, (long long)(p->mt * p->nt), p->ncores,
                 p->grid_x, p->grid_y);
    if (p->local_shard)
        ui_ta_printf(tp, UI_STYLE_NORMAL,
                     "shard grid Gy x Gx = %lld x %lld, local tiles Sm x Sn = %lld x %lld",
                     (long long)p->shard_grid[0], (long long)p->shard_grid[1],
                     (long long)p->local_tiles[0], (long long)p->local_tiles[1]);
    char work[1024];
    ttlx_result_work_text(u->res, work, sizeof work);
    for (char *line = work, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) break;
        *nl = '\0';
        ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", line);
    }
    const cJSON *attrs = ui_attrs(u);
    const cJSON *names =
        attrs ? cJSON_GetObjectItemCaseSensitive(attrs, "tt.runtime_arg_names") : NULL;
    const cJSON *consts =
        attrs ? cJSON_GetObjectItemCaseSensitive(attrs, "tt.runtime_constants") : NULL;
    if (names) {
        char *a = cJSON_PrintUnformatted(names);
        ui_ta_printf(tp, UI_STYLE_NORMAL, "runtime args %s", a ? a : "");
        cJSON_free(a);
    }
    if (consts) {
        char *a = cJSON_PrintUnformatted(consts);
        ui_ta_printf(tp, UI_STYLE_NORMAL, "runtime constants %s", a ? a : "");
        cJSON_free(a);
    }
    ui_ta_printf(tp, UI_STYLE_NORMAL, "%s", "");
    /* With a kernel the global split counts blocks; "out tiles" are the
     * output tiles those blocks cover. */
    bool blocks = !p->local_shard && (p->block_tiles[0] != 1 || p->block_tiles[1] != 1 ||
                                      p->mt != p->out_grid[0] || p->nt != p->out_grid[1]);
    ui_ta_printf(tp, UI_STYLE_DIM, "  %-9s %10s %10s%s", "core", "start",
                 blocks ? "blocks" : "tiles",
                 p->local_shard ? "   sy  sx"
                 : blocks       ? "  out tiles"
                                : "");
    for (size_t k = 0; k < p->ncores; k++) {
        const ttlx_core_range_t *c = &p->cores[k];
        char core[24];
        snprintf(core, sizeof core, "(%d,%d)", c->x, c->y);
        bool cur = c->x == u->core_x && c->y == u->core_y;
        if (p->local_shard)
            ui_ta_printf(tp, cur ? UI_STYLE_HOLD : UI_STYLE_NORMAL,
                         "%c %-9s %10lld %10lld %4lld %3lld", cur ? '>' : ' ', core,
                         (long long)c->start, (long long)c->count, (long long)c->sy,
                         (long long)c->sx);
        else if (blocks)
            ui_ta_printf(tp, cur ? UI_STYLE_HOLD : UI_STYLE_NORMAL, "%c %-9s %10lld %10lld %10lld",
                         cur ? '>' : ' ', core, (long long)c->start, (long long)c->count,
                         (long long)c->out_tiles);
        else
            ui_ta_printf(tp, cur ? UI_STYLE_HOLD : UI_STYLE_NORMAL, "%c %-9s %10lld %10lld",
                         cur ? '>' : ' ', core, (long long)c->start, (long long)c->count);
    }
}

static void draw_work(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    ui_textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, u->scroll};
    draw_work_text(u, s, &t);
    ui_ta_more(&t); /* a list that goes on below says so */
}

const ui_view_ops_t ui_view_work = {
    .name = "work",
    .title = "Work",
    .key = '4',
    .help = "Work view: circular buffers, work partition",
    .keys = "j/k:scroll",
    .draw = draw_work,
    .move = ui_view_scroll_move,
    .page = ui_view_scroll_page,
    .jump = ui_view_scroll_jump,
};
