/*
 * frame.c - one frame of the explorer: the geometry of the panes, the
 * header tabs, the buffer list, the main pane's title (the view itself
 * draws below it, view_*.c), the diagnostics pane, the status line and the
 * overlays (help, console, hint editor, device list, too-small screen).
 * Everything draws by style id into the cell grid and records clickable
 * regions; every number comes from the core's result.
 */
#include "ui/frame.h"
#include "ui/draw.h"
#include "ui/input.h"
#include "ui/ui_ask.h"
#include "ui/ui_complete.h"
#include "ui/ui_edit.h"
#include "ttlx_fix.h"
#include "ui/ui_lesson.h"
#include "ui/view.h"
#include "ui/view_solve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Buffer status: ✗ error, ! warning, ✓ fine (info only or nothing). */
static void buffer_mark(const ui_screen_t *s, const ttlx_layout_t *l, uint32_t *g, int *st) {
    if (l->ndiags && l->worst == TTLX_SEV_ERROR) {
        *g = ui_glyph(s, UI_G_MARK_ERROR);
        *st = UI_STYLE_DIAG_ERROR;
    } else if (l->ndiags && l->worst == TTLX_SEV_WARNING) {
        *g = ui_glyph(s, UI_G_MARK_WARN);
        *st = UI_STYLE_DIAG_WARNING;
    } else {
        *g = ui_glyph(s, UI_G_MARK_OK);
        *st = UI_STYLE_OK;
    }
}

/* How many rows ui_puts_wrap gives text in w columns, at most maxrows
 * (1 when there is no room). */
static int wrap_rows(int w, int maxrows, const char *text) {
    return maxrows > 0 && w > 0 ? ui_puts_wrap(NULL, 0, 0, w, maxrows, 0, text) : 1;
}

/* Rows of the diagnostics list in a pane of diag_h rows (title included):
 * the rest shows the selected diagnostic in full, with its fix. */
static int diag_list_rows(int diag_h, int nd) {
    int total = diag_h - 1;
    int rows = nd < total - 2 ? nd : total - 2;
    return rows < 1 ? 1 : rows;
}

void ui_layout(ui_t *u, int w, int h) {
    ui_geom_t *g = &u->geom;
    memset(g, 0, sizeof *g);
    g->w = w;
    g->h = h;
    g->too_small = w < UI_MIN_W || h < UI_MIN_H;
    if (g->too_small) return;
    int diag_h = h >= 34 ? 9 : h >= 24 ? 7 : 5;
    /* a short screen with nothing to report gives the rows to the views */
    if (h < 30 && u->res && ttlx_result_diag_count(u->res) == 0) diag_h = 2;
    /* a pinned lesson step takes rows from the top; a short screen gives
     * it some of the diagnostics pane's */
    if (u->lesson.on && h < 30 && diag_h > 5) diag_h = 5;
    int lesson_h = ui_lesson_rows(u, w, h, diag_h);
    g->lesson_y = 1;
    g->lesson_h = lesson_h;
    int body_h = h - 2 - diag_h - lesson_h;
    int list_w = w / 4;
    if (list_w < 24) list_w = 24;
    if (list_w > 36) list_w = 36;
    g->list_x = 0;
    g->list_y = 1 + lesson_h;
    g->list_w = list_w;
    g->list_h = body_h;
    g->main_x = list_w + 1;
    g->main_y = 1 + lesson_h;
    g->main_w = w - list_w - 1;
    g->main_h = body_h;
    g->diag_x = 0;
    g->diag_y = 1 + lesson_h + body_h;
    g->diag_w = w;
    g->diag_h = diag_h;
    g->body_rows = body_h - 1;
    /* keep the list cursor on screen */
    int rows = (g->list_h - 1) / 2;
    if (rows < 1) rows = 1;
    for (int k = 0; k < u->nvisible; k++)
        if (u->visible[k] == u->sel) {
            if (k < u->list_top) u->list_top = k;
            if (k >= u->list_top + rows) u->list_top = k - rows + 1;
        }
    if (u->list_top > u->nvisible - rows) u->list_top = u->nvisible - rows;
    if (u->list_top < 0) u->list_top = 0;
    int drows = diag_list_rows(diag_h, u->res ? (int)ttlx_result_diag_count(u->res) : 0);
    if (u->diag_sel < u->diag_top) u->diag_top = u->diag_sel;
    if (u->diag_sel >= u->diag_top + drows) u->diag_top = u->diag_sel - drows + 1;
    for (int v = 0; v < UI_VIEW_COUNT; v++) /* every view, shown or not */
        if (ui_view(v)->layout) ui_view(v)->layout(u);
}

/* ---- header, list, diagnostics, status ---------------------------------- */

static void draw_header(ui_t *u, ui_screen_t *s) {
    ui_fill(s, 0, 0, s->w, 1, ' ', UI_STYLE_TAB);
    int x = ui_puts(s, 0, 0, -1, UI_STYLE_TITLE, " ttlx ");
    for (int v = 0; v < UI_VIEW_COUNT; v++) {
        char t[32];
        bool on = (int)u->view == v;
        snprintf(t, sizeof t, "%c%d %s%c", on ? '[' : ' ', v + 1, ui_view(v)->title,
                 on ? ']' : ' ');
        int n = ui_puts(s, x + 1, 0, -1, on ? UI_STYLE_TAB_ACTIVE : UI_STYLE_TAB, t);
        ui_add_hit(u, x + 1, 0, n, 1, UI_HIT_TAB, v, 0);
        x += n + 1;
    }
    char right[400];
    size_t nf = u->mod ? ttlx_module_func_count(u->mod) : 0;
    char fn[300];
    if (nf > 1) /* an IRModule: say which function, :func NAME switches */
        snprintf(fn, sizeof fn, "%s (%zu/%zu)", ttlx_func_name(u->func), u->func_index + 1, nf);
    else
        snprintf(fn, sizeof fn, "%s", u->func ? ttlx_func_name(u->func) : "-");
    snprintf(right, sizeof right, "%s @ %s %dx%d ", fn, u->dev.name, u->dev.grid_x, u->dev.grid_y);
    int rw = ui_text_width(right);
    if (x + 2 + rw <= s->w) ui_puts(s, s->w - rw, 0, rw, UI_STYLE_TAB, right);
}

static void draw_list(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    bool focus = u->focus == UI_PANE_BUFFERS;
    size_t n = u->func ? ttlx_func_buffer_count(u->func) : 0;
    ui_fill(s, g->list_x, g->list_y, g->list_w, 1, ' ',
            focus ? UI_STYLE_TITLE_FOCUS : UI_STYLE_TITLE);
    if (u->filter[0] || u->mode == UI_MODE_FILTER)
        ui_printf(s, g->list_x, g->list_y, g->list_w, focus ? UI_STYLE_TITLE_FOCUS : UI_STYLE_TITLE,
                  " Buffers %d/%zu /%s", u->nvisible, n, u->filter);
    else
        ui_printf(s, g->list_x, g->list_y, g->list_w, focus ? UI_STYLE_TITLE_FOCUS : UI_STYLE_TITLE,
                  " Buffers (%zu)", n);
    if (focus) ui_putc(s, g->list_x, g->list_y, ui_glyph(s, UI_G_FOCUS), UI_STYLE_TITLE_FOCUS);
    ui_add_hit(u, g->list_x, g->list_y, g->list_w, g->list_h, UI_HIT_PANE, UI_PANE_BUFFERS, 0);
    int rows = (g->list_h - 1) / 2;
    for (int k = 0; k < rows && u->list_top + k < u->nvisible; k++) {
        int bi = u->visible[u->list_top + k];
        int y = g->list_y + 1 + 2 * k;
        const ttlx_layout_t *l = u->res ? ttlx_result_layout(u->res, (size_t)bi) : NULL;
        bool sel = bi == u->sel;
        int base = sel ? UI_STYLE_SELECTED : UI_STYLE_NORMAL;
        ui_fill(s, g->list_x, y, g->list_w, 2, ' ', base);
        ui_puts(s, g->list_x, y, 1, base, sel ? ">" : " ");
        if (ui_solve_pinned(u, bi)) /* the solver keeps this buffer's hint */
            ui_putc(s, g->list_x + 2, y, ui_glyph(s, UI_G_PIN), sel ? base : UI_STYLE_HOLD);
        const ttlx_buffer_info_t *b = ttlx_func_buffer(u->func, (size_t)bi);
        char badge_m[8] = "", badge_l[4] = "";
        if (l) {
            uint32_t gl;
            int st;
            buffer_mark(s, l, &gl, &st);
            ui_putc(s, g->list_x + 1, y, gl, sel ? base : st);
            snprintf(badge_m, sizeof badge_m, "%s", ttlx_memory_name(l->memory));
            snprintf(badge_l, sizeof badge_l, "%s", l->layout == TTLX_LAYOUT_SHARDED ? "SH" : "IL");
        }
        int bw = ui_text_width(badge_m) + 1 + ui_text_width(badge_l);
        int namew = g->list_w - 4 - bw;
        ui_puts(s, g->list_x + 3, y, namew, base, b->name);
        if (l) {
            int bx = g->list_x + g->list_w - bw - 1;
            ui_puts(s, bx, y, -1,
                    sel ? base : (l->memory == TTLX_MEM_L1 ? UI_STYLE_L1 : UI_STYLE_DRAM), badge_m);
            ui_puts(
                s, bx + ui_text_width(badge_m) + 1, y, -1,
                sel ? base
                    : (l->layout == TTLX_LAYOUT_SHARDED ? UI_STYLE_SHARDED : UI_STYLE_INTERLEAVED),
                badge_l);
        }
        char shape[96];
        ui_fmt_shape(b, shape, sizeof shape);
        ui_printf(s, g->list_x + 3, y + 1, g->list_w - 4, sel ? base : UI_STYLE_DIM, "%s %s", shape,
                  l ? l->dtype : b->dtype);
        ui_add_hit(u, g->list_x, y, g->list_w, 2, UI_HIT_BUFFER, bi, 0);
    }
    if (!u->nvisible)
        ui_puts(s, g->list_x + 1, g->list_y + 1, g->list_w - 2, UI_STYLE_DIM,
                n ? "no buffer matches the filter" : "no buffers");
    else if (u->list_top + rows < u->nvisible)
        ui_printf(s, g->list_x + g->list_w - 8, g->list_y + g->list_h - 1, 8, UI_STYLE_DIM,
                  "+%d more", u->nvisible - u->list_top - rows);
    for (int y = g->list_y; y < g->list_y + g->list_h; y++)
        ui_putc(s, g->list_x + g->list_w, y, ui_glyph(s, UI_G_VLINE), UI_STYLE_BORDER);
}

static void draw_diags(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    bool focus = u->focus == UI_PANE_DIAGS;
    int ts = focus ? UI_STYLE_TITLE_FOCUS : UI_STYLE_TITLE;
    size_t ne = 0, nw = 0, ni = 0, nd = u->res ? ttlx_result_diag_count(u->res) : 0;
    if (u->res) ttlx_result_diag_counts(u->res, &ne, &nw, &ni);
    ui_fill(s, g->diag_x, g->diag_y, g->diag_w, 1, ' ', ts);
    int x = ui_printf(s, g->diag_x, g->diag_y, g->diag_w, ts,
                      " Diagnostics: %zu error%s, %zu warning%s, %zu info ", ne, ne == 1 ? "" : "s",
                      nw, nw == 1 ? "" : "s", ni);
    if (u->ndiff) {
        char d[300];
        char dg[5];
        dg[ttlx_utf8_encode(ui_glyph(s, UI_G_DELTA), dg)] = '\0';
        char more[32] = "";
        if (u->ndiff > 1) snprintf(more, sizeof more, " (+%d)", u->ndiff - 1);
        snprintf(d, sizeof d, " %s last change: %s%s", dg, u->diff[0], more);
        ui_puts(s, g->diag_x + x, g->diag_y, g->diag_w - x, UI_STYLE_DIFF, d);
    }
    if (focus) ui_putc(s, g->diag_x, g->diag_y, ui_glyph(s, UI_G_FOCUS), UI_STYLE_TITLE_FOCUS);
    ui_add_hit(u, g->diag_x, g->diag_y, g->diag_w, g->diag_h, UI_HIT_PANE, UI_PANE_DIAGS, 0);
    int rows = diag_list_rows(g->diag_h, (int)nd);
    if (!nd) {
        ui_putc(s, 1, g->diag_y + 1, ui_glyph(s, UI_G_MARK_OK), UI_STYLE_OK);
        ui_puts(s, 3, g->diag_y + 1, g->diag_w - 4, UI_STYLE_OK,
                "no diagnostics: every buffer is placed");
        return;
    }
    int more_n = (int)nd - u->diag_top - rows;
    char more[48] = "", gm[5];
    gm[ttlx_utf8_encode(ui_glyph(s, UI_G_MORE), gm)] = '\0';
    if (more_n > 0) snprintf(more, sizeof more, " %s %d more ", gm, more_n);
    for (int k = 0; k < rows && u->diag_top + k < (int)nd; k++) {
        int i = u->diag_top + k;
        const ttlx_diag_t *d = ttlx_result_diag(u->res, (size_t)i);
        int y = g->diag_y + 1 + k;
        bool sel = i == u->diag_sel;
        int base = sel ? UI_STYLE_SELECTED : UI_STYLE_NORMAL;
        ui_fill(s, 0, y, g->diag_w, 1, ' ', base);
        ui_puts(s, 0, y, 1, base, sel ? ">" : " ");
        ui_putc(s, 1, y, ui_sev_glyph(s, d->severity), sel ? base : ui_sev_style(d->severity));
        ui_printf(s, 3, y, 16, sel ? base : ui_sev_style(d->severity), "%s %s", d->code,
                  ttlx_severity_name(d->severity));
        int mw = g->diag_w - 19 - (k == rows - 1 && more_n > 0 ? ui_text_width(more) : 0);
        ui_printf(s, 19, y, mw, base, "%-6s %s", d->buffer_name ? d->buffer_name : "-", d->message);
        ui_add_hit(u, 0, y, g->diag_w, 1, UI_HIT_DIAG, i, 0);
    }
    if (more_n > 0) /* the list goes on: say how far */
        ui_puts(s, g->diag_w - ui_text_width(more), g->diag_y + rows, ui_text_width(more),
                UI_STYLE_TITLE, more);
    /* the selected diagnostic in full, then its fix */
    const ttlx_diag_t *d =
        u->diag_sel < (int)nd ? ttlx_result_diag(u->res, (size_t)u->diag_sel) : NULL;
    if (!d) return;
    int y = g->diag_y + 1 + rows, end = g->diag_y + g->diag_h;
    char text[1400];
    snprintf(text, sizeof text, "fix (%s): %s", d->code, d->fix ? d->fix : "none known");
    /* the message and the fix first, then the alternatives ("or: ...") in
     * the rows left */
    char msg[1400];
    snprintf(msg, sizeof msg, "%s %s: %s", d->code, d->buffer_name ? d->buffer_name : "-",
             d->message);
    int w = g->diag_w - 3, fix_rows = wrap_rows(w, end - y, text);
    int msg_rows = end - y - fix_rows >= 1 ? wrap_rows(w, end - y - fix_rows, msg) : 0;
    char alts[2][1400];
    int nalts = 0, alt_h[2], alt_rows = 0;
    for (const cJSON *a = d->fix_alts ? d->fix_alts->child : NULL; a && nalts < 2; a = a->next) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "fix");
        int left = end - y - fix_rows - msg_rows - alt_rows;
        if (!cJSON_IsString(t) || left < 1) break;
        snprintf(alts[nalts], sizeof alts[nalts], "or: %s", t->valuestring);
        alt_h[nalts] = wrap_rows(w, left, alts[nalts]);
        alt_rows += alt_h[nalts++];
    }
    if (msg_rows) y += ui_puts_wrap(s, 3, y, w, msg_rows, ui_sev_style(d->severity), msg);
    y += ui_puts_wrap(s, 3, y, w, end - y - alt_rows, UI_STYLE_FIX, text);
    for (int k = 0; k < nalts; k++)
        y += ui_puts_wrap(s, 3, y, w, alt_h[k], UI_STYLE_FIX, alts[k]);
}

static void draw_status(ui_t *u, ui_screen_t *s) {
    int y = s->h - 1;
    ui_fill(s, 0, y, s->w, 1, ' ', UI_STYLE_STATUS);
    if (u->mode == UI_MODE_COMMAND) {
        int n = ui_printf(s, 0, y, s->w, UI_STYLE_INPUT, ":%s", u->cmd);
        ui_putc(s, n, y, '_', UI_STYLE_INPUT);
        char list[1200];
        if (ui_complete_list(u, list, sizeof list)[0] && n + 3 < s->w)
            ui_puts(s, n + 3, y, s->w - n - 3, UI_STYLE_STATUS, list);
        return;
    }
    if (u->mode == UI_MODE_HELP && u->help_typing) {
        int n = ui_printf(s, 0, y, s->w, UI_STYLE_INPUT, "/%s", u->help_find);
        ui_putc(s, n, y, '_', UI_STYLE_INPUT);
        ui_puts(s, n + 2, y, s->w - n - 2, UI_STYLE_STATUS, "Enter find  Esc cancel");
        return;
    }
    if (u->mode == UI_MODE_FILTER) {
        int n = ui_printf(s, 0, y, s->w, UI_STYLE_INPUT, "/%s", u->filter);
        ui_putc(s, n, y, '_', UI_STYLE_INPUT);
        ui_puts(s, n + 2, y, s->w - n - 2, UI_STYLE_STATUS, "Enter keep  Esc clear");
        return;
    }
    if (u->mode == UI_MODE_CONFIRM_QUIT) {
        ui_puts(s, 0, y, s->w, UI_STYLE_MESSAGE_ERROR,
                u->path ? "Unsaved hint edits. w: save and quit  q: quit without saving  Esc: stay"
                        : "Unsaved hint edits (no file yet). w: save a copy (name it) and quit  "
                          "q: quit without saving  Esc: stay");
        return;
    }
    char question[1400];
    if (ui_ask_prompt(u, question, sizeof question)[0]) {
        ui_puts(s, 0, y, s->w, UI_STYLE_MESSAGE_ERROR, question);
        return;
    }
    if (u->msg[0]) {
        ui_puts(s, 0, y, s->w, u->msg_error ? UI_STYLE_MESSAGE_ERROR : UI_STYLE_MESSAGE, u->msg);
        return;
    }
    char left[600], b1[32], b2[32];
    size_t ne = 0, nw = 0, ni = 0;
    if (u->res) ttlx_result_diag_counts(u->res, &ne, &nw, &ni);
    const char *file = u->path ? u->path : "<built-in sample>";
    const char *slash = strrchr(file, '/');
    int64_t maxu = u->res ? ttlx_result_max_used(u->res, NULL, NULL) : 0;
    size_t nbuf = u->func ? ttlx_func_buffer_count(u->func) : 0;
    char pv[48] = "";
    if (u->preview >= 0) snprintf(pv, sizeof pv, " preview of alternative %d |", u->preview + 1);
    snprintf(left, sizeof left, "%s %s%s | %s | %s | %zu %s | %zuE %zuW %zuI | L1 max %s/%s", pv,
             slash ? slash + 1 : file,
             u->disk_differs ? (u->dirty ? " [+] [differs on disk]" : " [differs on disk]")
             : u->dirty      ? " [+]"
                             : "",
             u->func ? ttlx_func_name(u->func) : "-", u->dev.name, nbuf,
             ui_plural((long long)nbuf, "buffer", "buffers"), ne, nw, ni,
             ui_fmt_bytes(maxu, b1, sizeof b1), ui_fmt_bytes(u->dev.l1_bank_bytes, b2, sizeof b2));
    int lw = ui_puts(s, 0, y, s->w, UI_STYLE_STATUS, left);
    /* the footer: keys of the focused pane, as many as fit after the facts */
    char keys[300];
    int kw = ui_footer(u, keys, sizeof keys, s->w - lw - 3);
    if (kw > 0) ui_puts(s, s->w - kw - 1, y, kw, UI_STYLE_STATUS_KEY, keys);
}

/* ---- main-area title ---------------------------------------------------- */

static void draw_main_title(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    int ts = u->focus == UI_PANE_MAIN ? UI_STYLE_TITLE_FOCUS : UI_STYLE_TITLE;
    ui_fill(s, g->main_x, g->main_y, g->main_w, 1, ' ', ts);
    ui_add_hit(u, g->main_x, g->main_y, g->main_w, g->main_h, UI_HIT_PANE, UI_PANE_MAIN, 0);
    const ttlx_layout_t *l = ui_selected_layout(u);
    if (!l) {
        ui_puts(s, g->main_x, g->main_y, g->main_w, ts, " no buffer selected");
        return;
    }
    char shape[96], b1[32];
    ui_fmt_shape(l->buf, shape, sizeof shape);
    char where[128];
    if (!l->placed)
        snprintf(where, sizeof where, "not placed (see diagnostics)");
    else if (l->has_shard)
        snprintf(where, sizeof where, "%lld %s on %lld %s, %s each", (long long)l->shards,
                 ui_plural(l->shards, "shard", "shards"), (long long)l->cores_used,
                 l->memory == TTLX_MEM_L1 ? ui_plural(l->cores_used, "core", "cores")
                                          : ui_plural(l->cores_used, "bank", "banks"),
                 ui_fmt_bytes(l->bytes_per_core, b1, sizeof b1));
    else
        snprintf(where, sizeof where, "%lld %s over %d %s, %s each", (long long)l->pages,
                 ui_plural(l->pages, "page", "pages"), l->banks,
                 l->memory == TTLX_MEM_L1 ? ui_plural(l->banks, "L1 bank", "L1 banks")
                                          : ui_plural(l->banks, "DRAM bank", "DRAM banks"),
                 ui_fmt_bytes(l->bytes_per_bank, b1, sizeof b1));
    char pv[24] = "";
    if (u->preview >= 0) snprintf(pv, sizeof pv, " [alt %d]", u->preview + 1);
    ui_printf(s, g->main_x, g->main_y, g->main_w, ts, "%s %s %s %s | %s %s | %s", pv, l->buf->name,
              shape, l->dtype, ttlx_memory_name(l->memory), ttlx_layout_kind_name(l->layout),
              where);
    if (u->focus == UI_PANE_MAIN) ui_putc(s, g->main_x, g->main_y, ui_glyph(s, UI_G_FOCUS), ts);
}

/* ---- overlays ------------------------------------------------------------ */

/* A scroll marker on a box's border, right-aligned: "▼ N more" (ASCII
 * "v N more") when n lines are out of sight that way. */
static void border_more(ui_screen_t *s, int x, int y, int w, int n, const char *what) {
    if (n <= 0) return;
    char m[64], g[5];
    g[ttlx_utf8_encode(ui_glyph(s, UI_G_MORE), g)] = '\0';
    snprintf(m, sizeof m, " %s %d %s ", g, n, what);
    int mw = ui_text_width(m);
    if (mw < w - 4) ui_puts(s, x + w - 2 - mw, y, mw, UI_STYLE_POPUP_TITLE, m);
}

static void draw_help(ui_t *u, ui_screen_t *s) {
    int w = s->w - 4 < 84 ? s->w - 4 : 84, h = s->h - 2;
    int x = (s->w - w) / 2, y = 1;
    ui_box(s, x, y, w, h, UI_STYLE_POPUP,
           "Help: keys and commands (Esc closes, Up/Down scroll, / find)");
    ui_help_line_t lines[128];
    int n = ui_help_lines(u, lines, 128);
    int rows = h - 2;
    if (u->help_scroll > n - rows) u->help_scroll = n - rows > 0 ? n - rows : 0;
    for (int k = 0; k < rows && u->help_scroll + k < n; k++) {
        const ui_help_line_t *l = &lines[u->help_scroll + k];
        bool hit = u->help_scroll + k == u->help_match; /* the search's match */
        if (hit) {
            ui_fill(s, x + 1, y + 1 + k, w - 2, 1, ' ', UI_STYLE_SELECTED);
            ui_putc(s, x + 1, y + 1 + k, '>', UI_STYLE_SELECTED);
        }
        if (!l->keys)
            ui_puts(s, x + 2, y + 1 + k, w - 4, hit ? UI_STYLE_SELECTED : UI_STYLE_POPUP_TITLE,
                    l->help);
        else {
            ui_puts(s, x + 2, y + 1 + k, 20, hit ? UI_STYLE_SELECTED : UI_STYLE_STATUS_KEY,
                    l->keys);
            ui_puts(s, x + 23, y + 1 + k, w - 25, hit ? UI_STYLE_SELECTED : UI_STYLE_POPUP,
                    l->help);
        }
    }
    border_more(s, x, y + h - 1, w, n - u->help_scroll - rows, "more");
}

/* The hint-by-hint difference while "changed on disk" is asked. */
static void draw_ask_diff(ui_t *u, ui_screen_t *s) {
    int rows = u->nask_lines < s->h - 4 ? u->nask_lines : s->h - 4;
    int w = s->w - 4 < 84 ? s->w - 4 : 84, h = rows + 2;
    int x = (s->w - w) / 2, y = (s->h - 1 - h) / 2;
    ui_box(s, x, y, w, h, UI_STYLE_POPUP, "Your hints vs the file's (k keep, t take)");
    for (int k = 0; k < rows; k++)
        ui_puts(s, x + 2, y + 1 + k, w - 4, UI_STYLE_POPUP, u->ask_lines[k]);
}

static void draw_console(ui_t *u, ui_screen_t *s) {
    /* A drawer over the lower part of the screen: the views a lesson talks
     * about stay visible above it. */
    int h = s->h * 2 / 5 < 8 ? (s->h - 2 < 8 ? s->h - 2 : 8) : s->h * 2 / 5;
    int w = s->w, x = 0, y = s->h - 1 - h;
    if (y < 1) y = 1;
    ui_box(s, x, y, w, h, UI_STYLE_POPUP,
           "Console: what scripts printed (Up/Down scroll, other keys close)");
    int rows = h - 2;
    int max_scroll = u->con_count - rows > 0 ? u->con_count - rows : 0;
    if (u->con_scroll > max_scroll) u->con_scroll = max_scroll;
    int first = u->con_count - rows - u->con_scroll;
    if (first < 0) first = 0;
    if (!u->con_count)
        ui_puts(s, x + 2, y + 1, w - 4, UI_STYLE_POPUP,
                "(nothing printed yet: try :lua print(ttlx.func().name) or :source a lesson)");
    for (int k = 0; k < rows; k++) {
        const char *line = ui_console_line(u, first + k);
        if (!line) break;
        ui_puts(s, x + 2, y + 1 + k, w - 4, UI_STYLE_POPUP, line);
    }
    if (first > 0) { /* older lines above: Up shows them */
        char m[64];
        int mw = snprintf(m, sizeof m, " %d earlier (Up) ", first);
        if (mw < w - 4) ui_puts(s, x + w - 2 - mw, y + h - 1, mw, UI_STYLE_POPUP_TITLE, m);
    }
    border_more(s, x, y + h - 1, first > 0 ? w - 20 : w, u->con_scroll, "more");
}

/* What the core made of an unset field, shown as its default. */
static void effective_value(const ttlx_layout_t *l, const ttlx_hint_key_t *key, char *out,
                            size_t n) {
    out[0] = '\0';
    if (key->in_nd_shard && !l->has_shard) return;
    switch (key->id) {
    case TTLX_HK_MEMORY:
        snprintf(out, n, "%s", ttlx_memory_name(l->memory));
        break;
    case TTLX_HK_LAYOUT:
        snprintf(out, n, "%s", ttlx_layout_kind_name(l->layout));
        break;
    case TTLX_HK_TILE_SHAPE:
        snprintf(out, n, "%dx%d", l->tile_h, l->tile_w);
        break;
    case TTLX_HK_DTYPE:
        snprintf(out, n, "%s", l->dtype);
        break;
    case TTLX_HK_CB_DEPTH:
        snprintf(out, n, "%d", l->cb_depth);
        break;
    case TTLX_HK_ORDER:
        snprintf(out, n, "%s", ttlx_order_name(l->order));
        break;
    case TTLX_HK_DISTRIBUTION:
        snprintf(out, n, "%s", ttlx_dist_name(l->dist));
        break;
    case TTLX_HK_ALIGN_TILES:
        snprintf(out, n, "%s", l->align_tiles ? "true" : "false");
        break;
    default:
        break;
    }
}

/* Short field labels for a narrow editor panel, in field order. */
static const char *short_label(const char *field) {
    static const struct {
        const char *full, *brief;
    } m[] = {{"tile_shape", "tile"},           {"nd_shard.axes", "axes"},
             {"nd_shard.grid", "grid"},        {"nd_shard.shard_shape_elems", "shard"},
             {"nd_shard.order", "order"},      {"nd_shard.distribution", "dist"},
             {"nd_shard.align_tiles", "align"}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (!strcmp(field, m[i].full)) return m[i].brief;
    return field;
}

/* The hint editor: a side panel over the buffer list column, so the view
 * it edits (the heat map, the tiles) stays in sight while values change. */
static void draw_editor(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = ui_selected_layout(u);
    if (!l) return;
    int nf = ui_edit_field_count();
    int x = g->list_x, y = g->list_y, w = g->list_w, h = g->list_h;
    bool wide = w >= 40;
    int lw = wide ? 28 : 10; /* label column */
    char title[200];
    snprintf(title, sizeof title, "Hints for %s", l->buf->name);
    ui_box(s, x, y, w, h, UI_STYLE_POPUP, title);
    int row = y + 1, end = y + h - 1, vw = w - 3 - lw;
    for (int i = 0; i < nf && row < end; i++, row++) {
        bool cur = i == u->edit_field;
        int st = cur ? UI_STYLE_SELECTED : UI_STYLE_POPUP;
        const char *name = ui_edit_field_name(i);
        ui_fill(s, x + 1, row, w - 2, 1, ' ', st);
        ui_printf(s, x + 1, row, lw, st, "%c%s", cur ? '>' : ' ', wide ? name : short_label(name));
        if (cur && u->edit_typing) {
            /* the end of what is typed stays visible */
            const char *t = u->edit_text;
            int tw = ui_text_width(t);
            while (tw > vw - 1 && *t) {
                t++;
                while ((*t & 0xC0) == 0x80)
                    t++;
                tw--;
            }
            int n = ui_puts(s, x + 1 + lw, row, vw - 1, UI_STYLE_INPUT, t);
            ui_putc(s, x + 1 + lw + n, row, '_', UI_STYLE_INPUT);
        } else {
            char v[160];
            ui_edit_field_value(u, i, v, sizeof v);
            if (v[0])
                ui_puts(s, x + 1 + lw, row, vw, st, v);
            else {
                char d[96];
                effective_value(l, ui_edit_field_key(i), d, sizeof d);
                if (wide)
                    ui_printf(s, x + 1 + lw, row, vw, cur ? st : UI_STYLE_DIM, "(default%s%s)",
                              d[0] ? ": " : "", d);
                else
                    ui_printf(s, x + 1 + lw, row, vw, cur ? st : UI_STYLE_DIM, "(%s)",
                              d[0] ? d : "default");
            }
        }
        ui_add_hit(u, x + 1, row, w - 2, 1, UI_HIT_FIELD, i, 0);
    }
    /* what moved since the editor opened */
    char dg[5];
    dg[ttlx_utf8_encode(ui_glyph(s, UI_G_DELTA), dg)] = '\0';
    for (int k = 0; k < u->ndiff && row < end; k++) {
        char text[400];
        if (k && !wide) break; /* narrow: the first line; the rest is below */
        snprintf(text, sizeof text, "%s %s", dg, u->diff[k]);
        int room = end - row;
        row += ui_puts_wrap(s, x + 1, row, w - 2, wide || room < 2 ? room : 2, UI_STYLE_DIFF, text);
    }
    /* the hint keys changed since it opened (a narrow panel: when rows are spare) */
    if (u->edit_hint0 && row < end && (wide || end - row > 6)) {
        cJSON *now = ttlx_fix_canonical_hint(u->func, (size_t)u->sel);
        char keys[400], text[420];
        ttlx_fix_describe(u->edit_hint0, now, true, keys, sizeof keys);
        cJSON_Delete(now);
        if (keys[0]) {
            snprintf(text, sizeof text, "%s %s", dg, keys);
            row += ui_puts_wrap(s, x + 1, row, w - 2, wide ? end - row : 3, UI_STYLE_DIFF, text);
        }
    }
    char b1[32];
    if (row < end) {
        if (l->placed && !wide)
            ui_printf(
                s, x + 1, row++, w - 2, UI_STYLE_POPUP, "now: %lld %s x %s",
                (long long)(l->has_shard ? l->cores_used : l->banks),
                l->has_shard || l->memory == TTLX_MEM_L1 ? "cores" : "banks",
                ui_fmt_bytes(l->has_shard ? l->bytes_per_core : l->bytes_per_bank, b1, sizeof b1));
        else if (l->placed)
            ui_printf(
                s, x + 1, row++, w - 2, UI_STYLE_POPUP, "now: %s %s, %lld %s, %s each",
                ttlx_memory_name(l->memory), ttlx_layout_kind_name(l->layout),
                (long long)(l->has_shard ? l->cores_used : l->banks),
                l->has_shard || l->memory == TTLX_MEM_L1
                    ? ui_plural(l->has_shard ? l->cores_used : l->banks, "core", "cores")
                    : ui_plural(l->banks, "bank", "banks"),
                ui_fmt_bytes(l->has_shard ? l->bytes_per_core : l->bytes_per_bank, b1, sizeof b1));
        else
            ui_puts(s, x + 1, row++, w - 2, UI_STYLE_DIAG_ERROR, "now: not placed");
    }
    /* this buffer's diagnostics (all of them are in the pane below) */
    size_t nd = ttlx_result_diag_count(u->res);
    int shown = 0;
    for (size_t i = 0; i < nd && row < end - 1; i++) {
        const ttlx_diag_t *d = ttlx_result_diag(u->res, i);
        if (d->buffer != u->sel) continue;
        shown++;
        ui_putc(s, x + 1, row, ui_sev_glyph(s, d->severity), ui_sev_style(d->severity));
        char text[1200];
        snprintf(text, sizeof text, "%s %s", d->code, d->message);
        row += ui_puts_wrap(s, x + 3, row, w - 4, wide ? end - 1 - row : 1,
                            ui_sev_style(d->severity), text);
    }
    if (!shown && row < end - 1) {
        ui_putc(s, x + 1, row, ui_glyph(s, UI_G_MARK_OK), UI_STYLE_OK);
        ui_puts(s, x + 3, row++, w - 4, UI_STYLE_OK,
                wide ? "no diagnostics for this buffer" : "no diagnostics");
    }
    if (row < end) /* the keys, when there is a row to spare */
        ui_puts(s, x + 1, end - 1, w - 2, UI_STYLE_DIM,
                wide ? "Enter type, Left/Right cycle, x clear, u undo, Esc close"
                     : "Enter type <-> cycle");
}

static void draw_devices(ui_t *u, ui_screen_t *s) {
    int n = (int)ttlx_device_builtin_count();
    int w = s->w - 4 < 84 ? s->w - 4 : 84, h = n + 3;
    int x = (s->w - w) / 2, y = (s->h - h) / 2;
    ui_box(s, x, y, w, h, UI_STYLE_POPUP, "Device (Enter selects, Esc closes)");
    char b1[32], b2[32];
    for (int i = 0; i < n; i++) {
        const ttlx_device_t *d = ttlx_device_builtin((size_t)i);
        bool cur = i == u->dev_sel;
        int st = cur ? UI_STYLE_SELECTED : UI_STYLE_POPUP;
        ui_fill(s, x + 1, y + 1 + i, w - 2, 1, ' ', st);
        ui_printf(s, x + 1, y + 1 + i, w - 2, st,
                  "%c%s %-19s %2dx%-2d L1 bank %s  %d DRAM banks x %s", cur ? '>' : ' ',
                  !strcmp(d->name, u->dev.name) ? "*" : " ", d->name, d->grid_x, d->grid_y,
                  ui_fmt_bytes(d->l1_bank_bytes, b1, sizeof b1), d->dram_banks,
                  ui_fmt_bytes(d->dram_bank_bytes, b2, sizeof b2));
        ui_add_hit(u, x + 1, y + 1 + i, w - 2, 1, UI_HIT_DEVICE, i, 0);
    }
    ui_puts(s, x + 2, y + h - 2, w - 4, UI_STYLE_DIM, "* current device");
}

static void draw_too_small(ui_t *u, ui_screen_t *s) {
    (void)u;
    char lines[4][80];
    snprintf(lines[0], sizeof lines[0], "Terminal too small");
    snprintf(lines[1], sizeof lines[1], "need %dx%d", UI_MIN_W, UI_MIN_H);
    snprintf(lines[2], sizeof lines[2], "have %dx%d", s->w, s->h);
    snprintf(lines[3], sizeof lines[3], "q quits");
    int y = (s->h - 4) / 2;
    if (y < 0) y = 0;
    for (int i = 0; i < 4; i++) {
        int lw = ui_text_width(lines[i]);
        int x = (s->w - lw) / 2;
        ui_puts(s, x < 0 ? 0 : x, y + i, s->w, i ? UI_STYLE_NORMAL : UI_STYLE_MESSAGE_ERROR,
                lines[i]);
    }
}

static void draw_all(ui_t *u, ui_screen_t *s);

void ui_draw(ui_t *u, ui_screen_t *s) {
    /* A preview draws the alternative's result in every view; the hints
     * and u->res stay the user's. */
    ttlx_result_t *real = u->res;
    cJSON *real_attrs = u->attrs;
    bool swap = u->preview_res != NULL;
    if (swap) {
        u->res = u->preview_res;
        u->attrs = u->preview_attrs;
    }
    draw_all(u, s);
    if (swap) {
        u->preview_attrs = u->attrs; /* built on demand for the preview */
        u->res = real;
        u->attrs = real_attrs;
    }
}

static void draw_all(ui_t *u, ui_screen_t *s) {
    u->nhits = 0;
    ui_screen_clear(s, UI_STYLE_NORMAL);
    if (u->geom.too_small) {
        draw_too_small(u, s);
        return;
    }
    draw_header(u, s);
    ui_lesson_draw(u, s);
    draw_list(u, s);
    draw_main_title(u, s);
    if (u->res) ui_view(u->view)->draw(u, s);
    draw_diags(u, s);
    if (u->mode == UI_MODE_EDIT) draw_editor(u, s);
    if (u->mode == UI_MODE_DEVICES) draw_devices(u, s);
    if (u->mode == UI_MODE_HELP) draw_help(u, s);
    if (u->mode == UI_MODE_CONSOLE) draw_console(u, s);
    if (u->mode == UI_MODE_ASK_RELOAD && u->ask_diff) draw_ask_diff(u, s);
    draw_status(u, s);
}

void ui_frame(ui_t *u, ui_screen_t *s) {
    ui_layout(u, s->w, s->h);
    ui_draw(u, s);
}
