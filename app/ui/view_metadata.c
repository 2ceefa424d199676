/*
 * view_metadata.c - the Metadata view: the selected buffer's TTNN
 * MemoryConfig (SPEC 10, from core/ttlx_ttnn), its tt.buffer.* and tt.cb.*
 * attributes and the partition attributes, as scrolling text.
 */
#include "ui/draw.h"
#include "ui/view.h"
#include "ttlx_ttnn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ta_json(ui_textarea_t *t, const char *key, const cJSON *v) {
    char *txt = cJSON_Print(v);
    if (!txt) return;
    char *save = NULL;
    bool first = true;
    for (char *line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char out[1024];
        size_t k = 0;
        if (first) k = (size_t)snprintf(out, sizeof out, "\"%s\": ", key);
        bool lead = true;
        for (const char *c = line; *c && k + 3 < sizeof out; c++) {
            if (*c == '\t' && lead) { /* indentation: two spaces a level */
                out[k++] = ' ';
                out[k++] = ' ';
            } else if (*c == '\t') {
                out[k++] = ' ';
            } else {
                lead = false;
                out[k++] = *c;
            }
        }
        out[k] = '\0';
        ui_ta_printf(t, first ? UI_STYLE_TITLE : UI_STYLE_NORMAL, "%s%s", first ? "" : "  ", out);
        first = false;
    }
    cJSON_free(txt);
}

/* The selected buffer as TTNN would configure it: memory layout, buffer
 * type, ShardSpec or NdShardSpec (cores, shard shape, orientation,
 * distribution), and why TTNN has no equivalent when it has none. */
static void ta_ttnn(ui_textarea_t *t, const ui_t *u) {
    ttlx_ttnn_config_t c;
    if (u->sel < 0 || !ttlx_ttnn_config(u->res, (size_t)u->sel, &c)) return;
    char ranges[200] = "{", shape[200] = "[";
    for (int i = 0; i < c.nranges; i++) {
        size_t k = strlen(ranges);
        snprintf(ranges + k, sizeof ranges - k, "%s[(%d,%d)-(%d,%d)]", i ? ", " : "",
                 c.ranges[i].x0, c.ranges[i].y0, c.ranges[i].x1, c.ranges[i].y1);
    }
    strcat(ranges, "}");
    int rank = c.has_nd_shard_spec ? c.nd_rank : c.has_shard_spec ? 2 : 0;
    for (int d = 0; d < rank; d++) {
        size_t k = strlen(shape);
        snprintf(shape + k, sizeof shape - k, "%s%lld", d ? ", " : "",
                 (long long)(c.has_nd_shard_spec ? c.nd_shard_shape[d] : c.shard_shape[d]));
    }
    strcat(shape, "]");
    ui_ta_printf(t, UI_STYLE_TITLE, "TTNN MemoryConfig");
    bool placed = c.memory_layout == TTLX_TTNN_INTERLEAVED || rank > 0;
    if (placed) {
        ui_ta_printf(t, UI_STYLE_NORMAL, "  memory layout  %s",
                     c.has_nd_shard_spec ? "(from the NdShardSpec)" : c.memory_layout_name);
        ui_ta_printf(t, UI_STYLE_NORMAL, "  buffer type    %s", c.buffer_type_name);
    }
    if (rank > 0) {
        ui_ta_printf(t, UI_STYLE_NORMAL, "  %-14s CoreRangeSet %s",
                     c.has_nd_shard_spec ? "NdShardSpec" : "ShardSpec", ranges);
        ui_ta_printf(t, UI_STYLE_NORMAL, "  shard shape    %s", shape);
        ui_ta_printf(t, UI_STYLE_NORMAL, "  orientation    %s", c.orientation_name);
        if (c.has_nd_shard_spec)
            ui_ta_printf(t, UI_STYLE_NORMAL, "  distribution   %s", c.strategy_name);
    }
    if (!c.equivalent)
        ui_ta_wrap(t, UI_STYLE_DIAG_WARNING, "  no TTNN equivalent: ", c.note);
    else if (c.note[0])
        ui_ta_wrap(t, UI_STYLE_DIM, "  note: ", c.note);
}

static void draw_metadata_text(ui_t *u, ui_screen_t *s, ui_textarea_t *tp) {
    const ttlx_layout_t *l = ui_selected_layout(u);
    const cJSON *attrs = ui_attrs(u);
    if (!l || !attrs) return;
    ta_ttnn(tp, u);
    char key[300];
    snprintf(key, sizeof key, "tt.buffer.%s", l->buf->name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (v) ta_json(tp, key, v);
    snprintf(key, sizeof key, "tt.cb.%s", l->buf->name);
    v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (v) ta_json(tp, key, v);
    ui_ta_printf(tp, UI_STYLE_DIM, "partition attrs:");
    const cJSON *e;
    cJSON_ArrayForEach(e, attrs) {
        if (!strncmp(e->string, "tt.buffer.", 10) || !strncmp(e->string, "tt.cb.", 6)) continue;
        char *a = cJSON_PrintUnformatted(e);
        ui_ta_printf(tp, UI_STYLE_NORMAL, "\"%s\": %s", e->string, a ? a : "");
        cJSON_free(a);
    }
}

static void draw_metadata(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    ui_textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, u->scroll};
    draw_metadata_text(u, s, &t);
    ui_ta_more(&t); /* a list that goes on below says so */
}

const ui_view_ops_t ui_view_metadata = {
    .name = "metadata",
    .title = "Metadata",
    .key = '5',
    .help = "Metadata view: TTNN MemoryConfig, tt.buffer.* and tt.cb.*",
    .keys = "j/k:scroll",
    .draw = draw_metadata,
    .move = ui_view_scroll_move,
    .page = ui_view_scroll_page,
    .jump = ui_view_scroll_jump,
};
