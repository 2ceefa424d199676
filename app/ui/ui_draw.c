/*
 * ui_draw.c - screen geometry and the views: header tabs, buffer list,
 * Cores / Tiles / Projection / Work / Metadata, diagnostics, status line
 * and the overlays (help, hint editor, device list, too-small screen).
 * Every view draws by style id into the cell grid and records clickable
 * regions; every number comes from the core's result.
 */
#include "ui/ui.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------ */

static void add_hit(ui_t *u, int x, int y, int w, int h, ui_hit_kind_t k, int64_t a, int64_t b) {
    if (u->nhits >= UI_MAX_HITS || w <= 0 || h <= 0) return;
    u->hits[u->nhits++] = (ui_hit_t){x, y, w, h, k, a, b};
}

static const ttlx_layout_t *sel_layout(const ui_t *u) {
    if (!u->res || u->sel < 0 || (size_t)u->sel >= ttlx_result_buffer_count(u->res)) return NULL;
    return ttlx_result_layout(u->res, (size_t)u->sel);
}

static int sev_style(ttlx_severity_t s) {
    return s == TTLX_SEV_ERROR     ? STYLE_DIAG_ERROR
           : s == TTLX_SEV_WARNING ? STYLE_DIAG_WARNING
                                   : STYLE_DIAG_INFO;
}

static uint32_t sev_glyph(const ui_screen_t *s, ttlx_severity_t sev) {
    return ui_glyph(s, sev == TTLX_SEV_ERROR     ? G_MARK_ERROR
                       : sev == TTLX_SEV_WARNING ? G_MARK_WARN
                                                 : G_MARK_INFO);
}

/* Buffer status: ✗ error, ! warning, ✓ fine (info only or nothing). */
static void buffer_mark(const ui_screen_t *s, const ttlx_layout_t *l, uint32_t *g, int *st) {
    if (l->ndiags && l->worst == TTLX_SEV_ERROR) {
        *g = ui_glyph(s, G_MARK_ERROR);
        *st = STYLE_DIAG_ERROR;
    } else if (l->ndiags && l->worst == TTLX_SEV_WARNING) {
        *g = ui_glyph(s, G_MARK_WARN);
        *st = STYLE_DIAG_WARNING;
    } else {
        *g = ui_glyph(s, G_MARK_OK);
        *st = STYLE_OK;
    }
}

static void fmt_shape(const ttlx_buffer_info_t *b, char *out, size_t n) {
    size_t k = 0;
    out[0] = '\0';
    for (int d = 0; d < b->rank && k < n; d++)
        k += (size_t)snprintf(out + k, n - k, "%s%lld", d ? "x" : "", (long long)b->shape[d]);
}

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

/* Heat level of used/capacity: 0 empty, 1..4 quarters, 5 over. */
static int heat_level(int64_t used, int64_t cap) {
    if (used <= 0) return 0;
    if (cap <= 0 || used > cap) return 5;
    double f = (double)used / (double)cap;
    return f < 0.25 ? 1 : f < 0.5 ? 2 : f < 0.75 ? 3 : 4;
}

static int heat_pct(int64_t used, int64_t cap) {
    if (cap <= 0) return 0;
    return (int)((double)used * 100.0 / (double)cap + 0.5);
}

/* A scrolling text area: rows before `scroll` are skipped. */
typedef struct textarea {
    ui_screen_t *s;
    int x, y, w, h;
    int row, scroll;
} textarea_t;

static void ta_printf(textarea_t *t, int style, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void ta_printf(textarea_t *t, int style, const char *fmt, ...) {
    int r = t->row++ - t->scroll;
    if (r < 0 || r >= t->h) return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ui_puts(t->s, t->x, t->y + r, t->w, style, buf);
}

/* Writes text wrapped at spaces into w columns, at most maxrows rows;
 * returns the rows used. */
static int puts_wrap(ui_screen_t *s, int x, int y, int w, int maxrows, int style,
                     const char *text) {
    int rows = 0;
    const char *p = text;
    while (*p && rows < maxrows && w > 0) {
        int n = ui_text_width(p);
        if (n <= w || rows == maxrows - 1) {
            ui_puts(s, x, y + rows++, w, style, p);
            break;
        }
        /* last space within w columns (ASCII-safe scan on bytes) */
        int cols = 0, cut = -1;
        const char *q = p;
        while (*q && cols < w) {
            if (*q == ' ') cut = (int)(q - p);
            q++;
            while ((*q & 0xC0) == 0x80)
                q++;
            cols++;
        }
        int len = cut > 0 ? cut : (int)(q - p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", len < (int)sizeof line - 1 ? len : (int)sizeof line - 1,
                 p);
        ui_puts(s, x, y + rows++, w, style, line);
        p += len;
        while (*p == ' ')
            p++;
    }
    return rows;
}

/* Rows of the diagnostics list in a pane of diag_h rows (title included):
 * the rest shows the selected diagnostic in full, with its fix. */
static int diag_list_rows(int diag_h, int nd) {
    int total = diag_h - 1;
    int rows = nd < total - 2 ? nd : total - 2;
    return rows < 1 ? 1 : rows;
}

/* ---- geometry ------------------------------------------------------------ */

static int tiles_label_w(const ttlx_layout_t *l) {
    return l ? digits(l->view_rows > 0 ? l->view_rows - 1 : 0) + 1 : 3;
}

void ui_layout(ui_t *u, int w, int h) {
    ui_geom_t *g = &u->geom;
    memset(g, 0, sizeof *g);
    g->w = w;
    g->h = h;
    g->too_small = w < UI_MIN_W || h < UI_MIN_H;
    if (g->too_small) return;
    int diag_h = h >= 34 ? 9 : h >= 24 ? 7 : 5;
    int body_h = h - 2 - diag_h;
    int list_w = w / 4;
    if (list_w < 24) list_w = 24;
    if (list_w > 36) list_w = 36;
    g->list_x = 0;
    g->list_y = 1;
    g->list_w = list_w;
    g->list_h = body_h;
    g->main_x = list_w + 1;
    g->main_y = 1;
    g->main_w = w - list_w - 1;
    g->main_h = body_h;
    g->diag_x = 0;
    g->diag_y = 1 + body_h;
    g->diag_w = w;
    g->diag_h = diag_h;
    g->body_rows = body_h - 1;
    const ttlx_layout_t *l = sel_layout(u);
    g->tiles_cols = (g->main_w - tiles_label_w(l) - 1) / 3;
    g->tiles_rows = g->main_h - 1 - 2 - 3;
    if (g->tiles_cols < 1) g->tiles_cols = 1;
    if (g->tiles_rows < 1) g->tiles_rows = 1;
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

/* ---- header, list, diagnostics, status ---------------------------------- */

static void draw_header(ui_t *u, ui_screen_t *s) {
    ui_fill(s, 0, 0, s->w, 1, ' ', STYLE_TAB);
    int x = ui_puts(s, 0, 0, -1, STYLE_TITLE, " ttlx ");
    static const char *const tabs[UI_VIEW_COUNT] = {"Cores", "Tiles", "Projection", "Work",
                                                    "Metadata"};
    for (int v = 0; v < UI_VIEW_COUNT; v++) {
        char t[32];
        bool on = (int)u->view == v;
        snprintf(t, sizeof t, "%c%d %s%c", on ? '[' : ' ', v + 1, tabs[v], on ? ']' : ' ');
        int n = ui_puts(s, x + 1, 0, -1, on ? STYLE_TAB_ACTIVE : STYLE_TAB, t);
        add_hit(u, x + 1, 0, n, 1, UI_HIT_TAB, v, 0);
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
    if (x + 2 + rw <= s->w) ui_puts(s, s->w - rw, 0, rw, STYLE_TAB, right);
}

static void draw_list(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    bool focus = u->focus == UI_PANE_BUFFERS;
    size_t n = u->func ? ttlx_func_buffer_count(u->func) : 0;
    ui_fill(s, g->list_x, g->list_y, g->list_w, 1, ' ', focus ? STYLE_TITLE_FOCUS : STYLE_TITLE);
    if (u->filter[0] || u->mode == UI_MODE_FILTER)
        ui_printf(s, g->list_x, g->list_y, g->list_w, focus ? STYLE_TITLE_FOCUS : STYLE_TITLE,
                  " Buffers %d/%zu /%s", u->nvisible, n, u->filter);
    else
        ui_printf(s, g->list_x, g->list_y, g->list_w, focus ? STYLE_TITLE_FOCUS : STYLE_TITLE,
                  " Buffers (%zu)", n);
    if (focus) ui_putc(s, g->list_x, g->list_y, ui_glyph(s, G_FOCUS), STYLE_TITLE_FOCUS);
    add_hit(u, g->list_x, g->list_y, g->list_w, g->list_h, UI_HIT_PANE, UI_PANE_BUFFERS, 0);
    int rows = (g->list_h - 1) / 2;
    for (int k = 0; k < rows && u->list_top + k < u->nvisible; k++) {
        int bi = u->visible[u->list_top + k];
        int y = g->list_y + 1 + 2 * k;
        const ttlx_layout_t *l = u->res ? ttlx_result_layout(u->res, (size_t)bi) : NULL;
        bool sel = bi == u->sel;
        int base = sel ? STYLE_SELECTED : STYLE_NORMAL;
        ui_fill(s, g->list_x, y, g->list_w, 2, ' ', base);
        ui_puts(s, g->list_x, y, 1, base, sel ? ">" : " ");
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
            ui_puts(s, bx, y, -1, sel ? base : (l->memory == TTLX_MEM_L1 ? STYLE_L1 : STYLE_DRAM),
                    badge_m);
            ui_puts(s, bx + ui_text_width(badge_m) + 1, y, -1,
                    sel ? base
                        : (l->layout == TTLX_LAYOUT_SHARDED ? STYLE_SHARDED : STYLE_INTERLEAVED),
                    badge_l);
        }
        char shape[96];
        fmt_shape(b, shape, sizeof shape);
        ui_printf(s, g->list_x + 3, y + 1, g->list_w - 4, sel ? base : STYLE_DIM, "%s %s", shape,
                  l ? l->dtype : b->dtype);
        add_hit(u, g->list_x, y, g->list_w, 2, UI_HIT_BUFFER, bi, 0);
    }
    if (!u->nvisible)
        ui_puts(s, g->list_x + 1, g->list_y + 1, g->list_w - 2, STYLE_DIM,
                n ? "no buffer matches the filter" : "no buffers");
    else if (u->list_top + rows < u->nvisible)
        ui_printf(s, g->list_x + g->list_w - 8, g->list_y + g->list_h - 1, 8, STYLE_DIM, "+%d more",
                  u->nvisible - u->list_top - rows);
    for (int y = g->list_y; y < g->list_y + g->list_h; y++)
        ui_putc(s, g->list_x + g->list_w, y, ui_glyph(s, G_VLINE), STYLE_BORDER);
}

static void draw_diags(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    bool focus = u->focus == UI_PANE_DIAGS;
    int ts = focus ? STYLE_TITLE_FOCUS : STYLE_TITLE;
    size_t ne = 0, nw = 0, ni = 0, nd = u->res ? ttlx_result_diag_count(u->res) : 0;
    if (u->res) ttlx_result_diag_counts(u->res, &ne, &nw, &ni);
    ui_fill(s, g->diag_x, g->diag_y, g->diag_w, 1, ' ', ts);
    int x = ui_printf(s, g->diag_x, g->diag_y, g->diag_w, ts,
                      " Diagnostics: %zu error%s, %zu warning%s, %zu info ", ne, ne == 1 ? "" : "s",
                      nw, nw == 1 ? "" : "s", ni);
    if (u->ndiff) {
        char d[300];
        snprintf(d, sizeof d, " %s last change: %s%s", s->ascii ? "~" : "\xce\x94", u->diff[0],
                 u->ndiff > 1 ? " ..." : "");
        ui_puts(s, g->diag_x + x, g->diag_y, g->diag_w - x, STYLE_DIFF, d);
    }
    if (focus) ui_putc(s, g->diag_x, g->diag_y, ui_glyph(s, G_FOCUS), STYLE_TITLE_FOCUS);
    add_hit(u, g->diag_x, g->diag_y, g->diag_w, g->diag_h, UI_HIT_PANE, UI_PANE_DIAGS, 0);
    int rows = diag_list_rows(g->diag_h, (int)nd);
    if (!nd) {
        ui_putc(s, 1, g->diag_y + 1, ui_glyph(s, G_MARK_OK), STYLE_OK);
        ui_puts(s, 3, g->diag_y + 1, g->diag_w - 4, STYLE_OK,
                "no diagnostics: every buffer is placed");
        return;
    }
    for (int k = 0; k < rows && u->diag_top + k < (int)nd; k++) {
        int i = u->diag_top + k;
        const ttlx_diag_t *d = ttlx_result_diag(u->res, (size_t)i);
        int y = g->diag_y + 1 + k;
        bool sel = i == u->diag_sel;
        int base = sel ? STYLE_SELECTED : STYLE_NORMAL;
        ui_fill(s, 0, y, g->diag_w, 1, ' ', base);
        ui_puts(s, 0, y, 1, base, sel ? ">" : " ");
        ui_putc(s, 1, y, sev_glyph(s, d->severity), sel ? base : sev_style(d->severity));
        ui_printf(s, 3, y, 16, sel ? base : sev_style(d->severity), "%s %s", d->code,
                  ttlx_severity_name(d->severity));
        ui_printf(s, 19, y, g->diag_w - 19, base, "%-6s %s", d->buffer_name ? d->buffer_name : "-",
                  d->message);
        add_hit(u, 0, y, g->diag_w, 1, UI_HIT_DIAG, i, 0);
    }
    /* the selected diagnostic in full, then its fix */
    const ttlx_diag_t *d =
        u->diag_sel < (int)nd ? ttlx_result_diag(u->res, (size_t)u->diag_sel) : NULL;
    if (!d) return;
    int y = g->diag_y + 1 + rows, end = g->diag_y + g->diag_h;
    char text[1400];
    snprintf(text, sizeof text, "fix (%s): %s", d->code, d->fix ? d->fix : "none known");
    int fix_rows = 1;
    {
        /* how many rows the fix needs, at most all that is left */
        ui_screen_t probe = {0};
        if (ui_screen_resize(&probe, g->diag_w - 3, end - y)) {
            fix_rows = puts_wrap(&probe, 0, 0, g->diag_w - 3, end - y, STYLE_FIX, text);
            ui_screen_free(&probe);
        }
    }
    if (end - y - fix_rows >= 1) {
        char msg[1400];
        snprintf(msg, sizeof msg, "%s %s: %s", d->code, d->buffer_name ? d->buffer_name : "-",
                 d->message);
        y += puts_wrap(s, 3, y, g->diag_w - 3, end - y - fix_rows, sev_style(d->severity), msg);
    }
    puts_wrap(s, 3, y, g->diag_w - 3, end - y, STYLE_FIX, text);
}

static void draw_status(ui_t *u, ui_screen_t *s) {
    int y = s->h - 1;
    ui_fill(s, 0, y, s->w, 1, ' ', STYLE_STATUS);
    if (u->mode == UI_MODE_COMMAND) {
        int n = ui_printf(s, 0, y, s->w, STYLE_INPUT, ":%s", u->cmd);
        ui_putc(s, n, y, '_', STYLE_INPUT);
        return;
    }
    if (u->mode == UI_MODE_FILTER) {
        int n = ui_printf(s, 0, y, s->w, STYLE_INPUT, "/%s", u->filter);
        ui_putc(s, n, y, '_', STYLE_INPUT);
        ui_puts(s, n + 2, y, s->w - n - 2, STYLE_STATUS, "Enter keep  Esc clear");
        return;
    }
    if (u->mode == UI_MODE_CONFIRM_QUIT) {
        ui_puts(s, 0, y, s->w, STYLE_MESSAGE_ERROR,
                "Unsaved hint edits. w: save and quit  q: quit without saving  Esc: stay");
        return;
    }
    if (u->msg[0]) {
        ui_puts(s, 0, y, s->w, u->msg_error ? STYLE_MESSAGE_ERROR : STYLE_MESSAGE, u->msg);
        return;
    }
    char left[600], b1[32], b2[32];
    size_t ne = 0, nw = 0, ni = 0;
    if (u->res) ttlx_result_diag_counts(u->res, &ne, &nw, &ni);
    const char *file = u->path ? u->path : "<built-in sample>";
    const char *slash = strrchr(file, '/');
    int64_t maxu = u->res ? ttlx_result_max_used(u->res, NULL, NULL) : 0;
    snprintf(left, sizeof left, " %s%s | %s | %s | %zu buffers | %zuE %zuW %zuI | L1 max %s/%s",
             slash ? slash + 1 : file, u->dirty ? " [+]" : "",
             u->func ? ttlx_func_name(u->func) : "-", u->dev.name,
             u->func ? ttlx_func_buffer_count(u->func) : 0, ne, nw, ni,
             ui_fmt_bytes(maxu, b1, sizeof b1), ui_fmt_bytes(u->dev.l1_bank_bytes, b2, sizeof b2));
    const char *keys = "?:help e:edit w:save q:quit ";
    int kw = ui_text_width(keys);
    int lw = ui_puts(s, 0, y, s->w, STYLE_STATUS, left);
    if (lw + kw + 1 <= s->w) ui_puts(s, s->w - kw, y, kw, STYLE_STATUS_KEY, keys);
}

/* ---- main-area title ---------------------------------------------------- */

static void draw_main_title(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    int ts = u->focus == UI_PANE_MAIN ? STYLE_TITLE_FOCUS : STYLE_TITLE;
    ui_fill(s, g->main_x, g->main_y, g->main_w, 1, ' ', ts);
    add_hit(u, g->main_x, g->main_y, g->main_w, g->main_h, UI_HIT_PANE, UI_PANE_MAIN, 0);
    const ttlx_layout_t *l = sel_layout(u);
    if (!l) {
        ui_puts(s, g->main_x, g->main_y, g->main_w, ts, " no buffer selected");
        return;
    }
    char shape[96], b1[32];
    fmt_shape(l->buf, shape, sizeof shape);
    char where[128];
    if (!l->placed)
        snprintf(where, sizeof where, "not placed (see diagnostics)");
    else if (l->has_shard)
        snprintf(where, sizeof where, "%lld shards on %lld %s, %s each", (long long)l->shards,
                 (long long)l->cores_used, l->memory == TTLX_MEM_L1 ? "cores" : "banks",
                 ui_fmt_bytes(l->bytes_per_core, b1, sizeof b1));
    else
        snprintf(where, sizeof where, "%lld pages over %d %s, %s each", (long long)l->pages,
                 l->banks, l->memory == TTLX_MEM_L1 ? "L1 banks" : "DRAM banks",
                 ui_fmt_bytes(l->bytes_per_bank, b1, sizeof b1));
    ui_printf(s, g->main_x, g->main_y, g->main_w, ts, " %s %s %s | %s %s | %s", l->buf->name, shape,
              l->dtype, ttlx_memory_name(l->memory), ttlx_layout_kind_name(l->layout), where);
    if (u->focus == UI_PANE_MAIN) ui_putc(s, g->main_x, g->main_y, ui_glyph(s, G_FOCUS), ts);
}

/* ---- Cores view ----------------------------------------------------------- */

static void holding_label(const ui_t *u, const ttlx_layout_t *l, int x, int y, char *out,
                          size_t n) {
    out[0] = '\0';
    if (!l || !l->placed || l->memory != TTLX_MEM_L1) return;
    if (l->has_shard) {
        int64_t first = -1;
        int64_t k = ttlx_place_shards_on(u->res, (size_t)u->sel, x, y, &first, 1);
        if (k == 1)
            snprintf(out, n, "s%lld", (long long)first);
        else if (k > 1)
            snprintf(out, n, "s%lld+%lld", (long long)first, (long long)(k - 1));
    } else {
        int64_t t = ttlx_place_count_on(u->res, (size_t)u->sel, x, y);
        if (t > 0) snprintf(out, n, "%lldt", (long long)t);
    }
}

static void draw_core_info(ui_t *u, ui_screen_t *s, int x0, int y0, int w, int h) {
    if (w < 10 || h < 2) return;
    textarea_t t = {s, x0, y0, w, h, 0, 0};
    char b1[32], b2[32], b3[32];
    size_t nb = ttlx_result_buffer_count(u->res);
    int gy = u->dev.grid_y;
    if (u->core_y >= gy) { /* a DRAM bank */
        int bank = u->core_x;
        int64_t total = 0;
        for (size_t i = 0; i < nb; i++)
            total += ttlx_result_buffer_bytes_on(u->res, i, bank, -1);
        ta_printf(&t, STYLE_TITLE, "DRAM bank %d of %d", bank, u->dev.dram_banks);
        ta_printf(&t, STYLE_NORMAL, "used %s of %s", ui_fmt_bytes(total, b1, sizeof b1),
                  ui_fmt_bytes(u->dev.dram_bank_bytes, b2, sizeof b2));
        int shown = 0;
        for (size_t i = 0; i < nb; i++) {
            int64_t b = ttlx_result_buffer_bytes_on(u->res, i, bank, -1);
            if (!b) continue;
            if (t.row >= h - 1 && shown) {
                ta_printf(&t, STYLE_DIM, "  ...");
                break;
            }
            shown++;
            ta_printf(&t, (int)i == u->sel ? STYLE_HOLD : STYLE_NORMAL, "%c %-12.12s %9s",
                      (int)i == u->sel ? '>' : ' ', ttlx_result_layout(u->res, i)->buf->name,
                      ui_fmt_bytes(b, b1, sizeof b1));
        }
        ta_printf(&t, STYLE_OK, "  %-12s %9s", "free",
                  ui_fmt_bytes(u->dev.dram_bank_bytes - total, b1, sizeof b1));
        return;
    }
    int x = u->core_x, y = u->core_y;
    int64_t used = ttlx_result_core_used(u->res, x, y),
            cbs = ttlx_result_core_cb_bytes(u->res, x, y);
    int64_t cap = u->dev.l1_bank_bytes;
    ta_printf(&t, STYLE_TITLE, "Core (%d,%d) L1 breakdown", x, y);
    ta_printf(&t, heat_level(used, cap) == 5 ? STYLE_OVER : STYLE_NORMAL, "used %s of %s (%d%%)%s",
              ui_fmt_bytes(used, b1, sizeof b1), ui_fmt_bytes(cap, b2, sizeof b2),
              heat_pct(used, cap), ttlx_result_core_in_partition(u->res, x, y) ? " work" : "");
    int shown = 0;
    for (size_t i = 0; i < nb; i++) {
        int64_t b = ttlx_result_buffer_bytes_on(u->res, i, x, y);
        if (!b) continue;
        if (t.row >= h - 2 && shown) {
            ta_printf(&t, STYLE_DIM, "  ...");
            break;
        }
        shown++;
        ta_printf(&t, (int)i == u->sel ? STYLE_HOLD : STYLE_L1, "%c %-12.12s %9s",
                  (int)i == u->sel ? '>' : ' ', ttlx_result_layout(u->res, i)->buf->name,
                  ui_fmt_bytes(b, b1, sizeof b1));
    }
    ta_printf(&t, STYLE_NORMAL, "  %-12s %9s", "CBs", ui_fmt_bytes(cbs, b1, sizeof b1));
    if (used <= cap)
        ta_printf(&t, STYLE_OK, "  %-12s %9s", "free", ui_fmt_bytes(cap - used, b3, sizeof b3));
    else
        ta_printf(&t, STYLE_OVER, "  %-12s %9s", "OVER by",
                  ui_fmt_bytes(used - cap, b3, sizeof b3));
}

static void draw_cores(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = sel_layout(u);
    int gx = u->dev.grid_x, gy = u->dev.grid_y;
    int x0 = g->main_x + 1, y0 = g->main_y + 1, w = g->main_w - 1, h = g->main_h - 1;
    /* the breakdown goes beside the grid when cells keep 6 columns */
    bool side = gx > 0 && (w - 33 - 3) / gx >= 6;
    int info_w = side ? 32 : 0;
    int grid_w = w - info_w - (side ? 1 : 0);
    int cw = (grid_w - 3) / (gx > 0 ? gx : 1);
    if (cw > 8) cw = 8;
    if (cw < 4) cw = 4;
    int legend_rows = 2, dram_rows = 3;
    int tall = h >= 1 + gy * 2 + legend_rows + dram_rows + (side ? 0 : 6);
    int rpc = tall ? 2 : 1;
    int64_t cap = u->dev.l1_bank_bytes;
    /* x coordinates */
    for (int x = 0; x < gx; x++)
        ui_printf(s, x0 + 3 + x * cw + 1, y0, cw - 1, STYLE_DIM, "x%d", x);
    int y = y0 + 1;
    for (int cy = 0; cy < gy; cy++, y += rpc) {
        ui_printf(s, x0, y, 3, STYLE_DIM, "y%d", cy);
        for (int cx = 0; cx < gx; cx++) {
            int px = x0 + 3 + cx * cw;
            if (px + cw > x0 + grid_w + 1) break;
            int64_t used = ttlx_result_core_used(u->res, cx, cy);
            int lvl = heat_level(used, cap);
            char lab[24];
            holding_label(u, l, cx, cy, lab, sizeof lab);
            bool cur = cx == u->core_x && cy == u->core_y;
            int lst = cur ? STYLE_CURSOR : lab[0] ? STYLE_HOLD : STYLE_DIM;
            int hst = lvl == 5 ? STYLE_OVER : STYLE_HEAT0 + lvl;
            uint32_t hg = lvl == 5 ? '!' : ui_glyph(s, (ui_glyph_t)(G_HEAT0 + lvl));
            char pct[8];
            int p = heat_pct(used, cap);
            if (used > 0 && p == 0)
                snprintf(pct, sizeof pct, "<1%%");
            else
                snprintf(pct, sizeof pct, "%d%%", p);
            if ((int)strlen(pct) > cw - 3) pct[strlen(pct) - 1] = '\0'; /* drop the % sign */
            ui_putc(s, px, y, cur ? '>' : ' ', cur ? STYLE_CURSOR : STYLE_NORMAL);
            if (rpc == 2) {
                ui_fill(s, px + 1, y, cw - 2, 1, ' ', lst);
                if (lab[0])
                    ui_puts(s, px + 1, y, cw - 2, lst, lab);
                else
                    ui_putc(s, px + 1, y, ui_glyph(s, G_NONE), lst);
                int pw = cw - 3;
                ui_putc(s, px + 1, y + 1, hg, hst);
                ui_printf(s, px + 2, y + 1, pw, hst, "%*s", pw, pct);
            } else {
                /* compact: the holding label, or the L1 figure when none */
                ui_putc(s, px + 1, y, hg, hst);
                if (lab[0])
                    ui_puts(s, px + 2, y, cw - 2, lst, lab);
                else
                    ui_printf(s, px + 2, y, cw - 3, cur ? lst : hst, "%*s", cw - 3, pct);
            }
            add_hit(u, px, y, cw, rpc, UI_HIT_CORE, cx, cy);
        }
    }
    /* legend with numbers */
    int wx, wy;
    int64_t worst = ttlx_result_max_used(u->res, &wx, &wy);
    char b1[32], b2[32];
    if (y < y0 + h) {
        char leg[300];
        snprintf(leg, sizeof leg,
                 "L1 used/%s per core: %s%s0 %s<25%% %s<50%% %s<75%% %s<=100%% !over",
                 ui_fmt_bytes(cap, b1, sizeof b1), "", s->ascii ? "." : "\xc2\xb7",
                 s->ascii ? ":" : "\xe2\x96\x91", s->ascii ? "+" : "\xe2\x96\x92",
                 s->ascii ? "*" : "\xe2\x96\x93", s->ascii ? "#" : "\xe2\x96\x88");
        ui_puts(s, x0, y++, w, STYLE_DIM, leg);
    }
    if (y < y0 + h)
        ui_printf(s, x0, y++, w, STYLE_DIM,
                  "sN shard N (+k more) | Nt tiles | > cursor | worst (%d,%d) %s %d%%", wx, wy,
                  ui_fmt_bytes(worst, b2, sizeof b2), heat_pct(worst, cap));
    /* DRAM banks strip */
    if (y + 1 < y0 + h) {
        int dcw = cw < 7 ? 7 : cw;
        int per_line = (grid_w - 3) / dcw;
        if (per_line < 1) per_line = 1;
        ui_puts(s, x0, y, 5, STYLE_DRAM, "DRAM");
        int by = y;
        for (int b = 0; b < u->dev.dram_banks; b++) {
            if (b && b % per_line == 0) by += 2;
            if (by + 1 >= y0 + h) break;
            int px = x0 + 4 + (b % per_line) * dcw;
            bool cur = u->core_y == gy && u->core_x == b;
            int64_t bytes = l ? ttlx_result_buffer_bytes_on(u->res, (size_t)u->sel, b, -1) : 0;
            ui_putc(s, px, by, cur ? '>' : ' ', cur ? STYLE_CURSOR : STYLE_NORMAL);
            ui_printf(s, px + 1, by, dcw - 2, cur ? STYLE_CURSOR : STYLE_DRAM, "b%d", b);
            if (bytes)
                ui_puts(s, px + 1, by + 1, dcw - 2, STYLE_DRAM, ui_fmt_bytes(bytes, b1, sizeof b1));
            else
                ui_putc(s, px + 1, by + 1, ui_glyph(s, G_NONE), STYLE_DIM);
            add_hit(u, px, by, dcw, 2, UI_HIT_BANK, b, 0);
        }
        y = by + 2;
    }
    if (side)
        draw_core_info(u, s, x0 + grid_w + 1, y0, info_w, h);
    else
        draw_core_info(u, s, x0, y + 0, grid_w, y0 + h - y);
}

/* ---- Tiles view ------------------------------------------------------------ */

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
    const ttlx_layout_t *l = sel_layout(u);
    int x0 = g->main_x + 1, y0 = g->main_y + 1, w = g->main_w - 1;
    if (!l || !l->placed) {
        ui_puts(s, x0, y0, w, STYLE_DIAG_ERROR,
                "this buffer has no placement: see its diagnostics");
        return;
    }
    int64_t zr = (int64_t)1 << u->zoom_r, zc = (int64_t)1 << u->zoom_c;
    int64_t rows = l->view_rows, cols = l->view_cols;
    if (zr == 1 && zc == 1)
        ui_printf(s, x0, y0, w, STYLE_NORMAL,
                  "tile view %lld x %lld tiles of %dx%d | zoom 1:1, one cell per tile%s",
                  (long long)rows, (long long)cols, l->tile_h, l->tile_w,
                  rows > g->tiles_rows || cols > g->tiles_cols ? " | arrows pan" : "");
    else
        ui_printf(s, x0, y0, w, STYLE_NORMAL,
                  "tile view %lld x %lld tiles of %dx%d | cell = %lld x %lld tiles, centre sampled",
                  (long long)rows, (long long)cols, l->tile_h, l->tile_w, (long long)zr,
                  (long long)zc);
    int lw = tiles_label_w(l);
    int gx0 = x0 + lw;
    /* column indices every 4 cells */
    for (int c = 0; c < g->tiles_cols; c += 4) {
        int64_t col = u->pan_col + (int64_t)c * zc;
        if (col >= cols) break;
        ui_printf(s, gx0 + c * 3, y0 + 1, 12, STYLE_DIM, "%lld", (long long)col);
    }
    size_t bi = (size_t)u->sel;
    for (int r = 0; r < g->tiles_rows; r++) {
        int64_t r0 = u->pan_row + (int64_t)r * zr;
        if (r0 >= rows) break;
        int py = y0 + 2 + r;
        ui_printf(s, x0, py, lw, STYLE_DIM, "%*lld", lw - 1, (long long)r0);
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
                ui_puts(s, px, py, 3, STYLE_DIM, "?? ");
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
            int st = cursor ? STYLE_CURSOR
                     : hl   ? STYLE_HIGHLIGHT
                     : pad  ? STYLE_PADDING
                            : STYLE_PAL0 + owner % 6;
            if (p.uncovered) {
                lab[0] = lab[1] = '?';
                st = cursor ? STYLE_CURSOR : STYLE_DIAG_ERROR;
            }
            uint32_t mark = cursor ? '<'
                            : hl   ? ui_glyph(s, G_HILITE)
                            : pad  ? ui_glyph(s, G_PADDING)
                                   : ' ';
            ui_puts(s, px, py, 2, st, lab);
            ui_putc(s, px + 2, py, mark, st);
            add_hit(u, px, py, 3, 1, UI_HIT_TILE, r0, c0);
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
        ui_printf(s, x0, iy, w, STYLE_NORMAL, "tile (%lld,%lld) %s %s%s%s", (long long)u->tile_row,
                  (long long)u->tile_col, s->ascii ? "->" : "\xe2\x86\x92", where,
                  p.padding ? " | padding" : " | logical", p.uncovered ? " | NOT COVERED" : "");
    }
    int64_t held;
    if (u->core_y >= u->dev.grid_y)
        held = ttlx_place_count_on(u->res, bi, u->core_x, -1);
    else
        held = ttlx_place_count_on(u->res, bi, u->core_x, u->core_y);
    if (u->core_y >= u->dev.grid_y)
        ui_printf(s, x0, iy + 1, w, STYLE_NORMAL, "DRAM bank %d holds %lld tiles of %s (marked *)",
                  u->core_x, (long long)held, l->buf->name);
    else
        ui_printf(s, x0, iy + 1, w, STYLE_NORMAL, "core (%d,%d) holds %lld tiles of %s (marked *)",
                  u->core_x, u->core_y, (long long)held, l->buf->name);
    ui_printf(s, x0, iy + 2, w, STYLE_DIM,
              "XY core x,y (base 36) | #B bank B | ~~ several | %s padding | * on core | < cursor",
              s->ascii ? ":" : "\xe2\x96\x91");
}

/* ---- Projection view ------------------------------------------------------ */

static void draw_projection(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = sel_layout(u);
    textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, u->scroll};
    if (!l) return;
    char b1[32], shape[96];
    fmt_shape(l->buf, shape, sizeof shape);
    ta_printf(&t, STYLE_NORMAL, "%s: shape %s, %s, tile %dx%d = %lld bytes (page %lld)",
              l->buf->name, shape, l->dtype, l->tile_h, l->tile_w, (long long)l->tile_bytes,
              (long long)l->page_bytes);
    {
        char tg[160];
        size_t k = 0;
        for (int d = 0; d < l->tile_rank && k < sizeof tg; d++)
            k += (size_t)snprintf(tg + k, sizeof tg - k, "%s%lld", d ? " x " : "",
                                  (long long)l->tile_grid[d]);
        ta_printf(&t, STYLE_NORMAL, "tile grid %s = %lld pages; 2-D view %lld x %lld", tg,
                  (long long)l->pages, (long long)l->view_rows, (long long)l->view_cols);
    }
    if (l->needs_padding)
        ta_printf(&t, STYLE_PADDING,
                  "padding: %lld pages hold padding, %.1f%% of page bytes wasted",
                  (long long)l->padding_pages, l->padding_waste * 100.0);
    ta_printf(&t, STYLE_NORMAL, "%s", "");
    if (!l->has_shard) {
        ta_printf(&t, STYLE_TITLE, "Interleaved in %s: page i -> bank i mod %d",
                  ttlx_memory_name(l->memory), l->banks);
        ta_printf(&t, STYLE_NORMAL,
                  "pages %lld | banks %d | %lld pages per bank (lock-step) | %s per bank",
                  (long long)l->pages, l->banks, (long long)l->pages_per_bank,
                  ui_fmt_bytes(l->bytes_per_bank, b1, sizeof b1));
        if (l->memory == TTLX_MEM_L1)
            ta_printf(
                &t, STYLE_DIM,
                "L1 banks are the compute cores in raster order (tt-metal permutes bank ids)");
        ta_printf(&t, STYLE_DIM,
                  "no nd_shard: set layout=sharded and nd_shard to project axes onto cores");
        return;
    }
    ta_printf(&t, STYLE_TITLE, "%-4s %-6s %9s %6s %9s %8s  %s", "dim", "axis", "size", "grid",
              "shard", "tiles", "goes to");
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
        ta_printf(&t, d == l->axis_m || d == l->axis_n ? STYLE_SHARDED : STYLE_NORMAL,
                  "%-4d %-6.6s %9lld %6lld %9lld %8s  %s", d, l->axes[d],
                  (long long)l->buf->shape[d], (long long)l->grid[d], (long long)l->shard[d], tiles,
                  to);
    }
    ta_printf(&t, STYLE_NORMAL, "%s", "");
    static const char *const orders[] = {"row_major", "col_major", "match_shard", "block_linear"};
    ta_printf(&t, STYLE_NORMAL, "projected grid [%lld, %lld] (M x N), shard tiles [%lld, %lld]",
              (long long)l->proj_grid[0], (long long)l->proj_grid[1],
              (long long)l->proj_shard_tiles[0], (long long)l->proj_shard_tiles[1]);
    ta_printf(&t, STYLE_NORMAL, "order %s%s, distribution %s, align_tiles %s", orders[l->order],
              l->order == TTLX_ORDER_BLOCK_LINEAR ? "(k)" : "", rr ? "round_robin_1d" : "grid_2d",
              l->align_tiles ? "true" : "false");
    ta_printf(&t, STYLE_NORMAL,
              "%lld shards of %lld tiles | %lld %s | up to %lld per core | %s per core",
              (long long)l->shards, (long long)l->shard_tiles, (long long)l->cores_used,
              l->memory == TTLX_MEM_L1 ? "cores" : "banks", (long long)l->max_shards_per_core,
              ui_fmt_bytes(l->bytes_per_core, b1, sizeof b1));
    ta_printf(&t, STYLE_NORMAL, "%s", "");
    if (l->memory != TTLX_MEM_L1) return;
    ta_printf(&t, STYLE_TITLE, "shards per core (stacked shards share a core)");
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
            ta_printf(&t, STYLE_NORMAL, "%s", line);
        }
}

/* ---- Work view ------------------------------------------------------------- */

static void draw_work(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, u->scroll};
    size_t nb = ttlx_result_buffer_count(u->res);
    char b1[32], b2[32];
    ta_printf(&t, STYLE_TITLE,
              "Circular buffers (tt.cb.*): one per buffer on every core of the work partition");
    ta_printf(&t, STYLE_DIM, "  %-14s %-10s %8s %5s %9s", "buffer", "format", "page", "depth",
              "bytes");
    for (size_t i = 0; i < nb; i++) {
        const ttlx_layout_t *l = ttlx_result_layout(u->res, i);
        ta_printf(&t, (int)i == u->sel ? STYLE_HOLD : STYLE_NORMAL,
                  "%c %-14.14s %-10s %8lld %5d %9s", (int)i == u->sel ? '>' : ' ', l->buf->name,
                  l->data_format ? l->data_format : "-", (long long)l->tile_bytes, l->cb_depth,
                  ui_fmt_bytes(l->cb_bytes, b1, sizeof b1));
    }
    const ttlx_partition_t *p = ttlx_result_partition(u->res);
    int px = p->ncores ? p->cores[0].x : 0, py = p->ncores ? p->cores[0].y : 0;
    ta_printf(&t, STYLE_NORMAL, "%zu CBs per core (device allows %d) | %s of CBs on core (%d,%d)",
              nb, u->dev.max_cbs,
              ui_fmt_bytes(ttlx_result_core_cb_bytes(u->res, px, py), b2, sizeof b2), px, py);
    ta_printf(&t, STYLE_NORMAL, "%s", "");
    if (p->local_shard)
        ta_printf(&t, STYLE_TITLE, "Work partition: local_shard, led by %s",
                  p->leader >= 0 ? ttlx_result_layout(u->res, (size_t)p->leader)->buf->name : "-");
    else
        ta_printf(&t, STYLE_TITLE, "Work partition: global");
    ta_printf(&t, STYLE_NORMAL,
              "grid tiles Mt x Nt = %lld x %lld = %lld tiles on %zu cores (grid %dx%d)",
              (long long)p->mt, (long long)p->nt, (long long)(p->mt * p->nt), p->ncores, p->grid_x,
              p->grid_y);
    if (p->local_shard)
        ta_printf(&t, STYLE_NORMAL,
                  "shard grid Gy x Gx = %lld x %lld, local tiles Sm x Sn = %lld x %lld",
                  (long long)p->shard_grid[0], (long long)p->shard_grid[1],
                  (long long)p->local_tiles[0], (long long)p->local_tiles[1]);
    const cJSON *attrs = ui_attrs(u);
    const cJSON *names =
        attrs ? cJSON_GetObjectItemCaseSensitive(attrs, "tt.runtime_arg_names") : NULL;
    const cJSON *consts =
        attrs ? cJSON_GetObjectItemCaseSensitive(attrs, "tt.runtime_constants") : NULL;
    if (names) {
        char *a = cJSON_PrintUnformatted(names);
        ta_printf(&t, STYLE_NORMAL, "runtime args %s", a ? a : "");
        free(a);
    }
    if (consts) {
        char *a = cJSON_PrintUnformatted(consts);
        ta_printf(&t, STYLE_NORMAL, "runtime constants %s", a ? a : "");
        free(a);
    }
    ta_printf(&t, STYLE_NORMAL, "%s", "");
    ta_printf(&t, STYLE_DIM, "  %-9s %10s %10s%s", "core", "start", "tiles",
              p->local_shard ? "   sy  sx" : "");
    for (size_t k = 0; k < p->ncores; k++) {
        const ttlx_core_range_t *c = &p->cores[k];
        char core[24];
        snprintf(core, sizeof core, "(%d,%d)", c->x, c->y);
        bool cur = c->x == u->core_x && c->y == u->core_y;
        if (p->local_shard)
            ta_printf(&t, cur ? STYLE_HOLD : STYLE_NORMAL, "%c %-9s %10lld %10lld %4lld %3lld",
                      cur ? '>' : ' ', core, (long long)c->start, (long long)c->count,
                      (long long)c->sy, (long long)c->sx);
        else
            ta_printf(&t, cur ? STYLE_HOLD : STYLE_NORMAL, "%c %-9s %10lld %10lld", cur ? '>' : ' ',
                      core, (long long)c->start, (long long)c->count);
    }
}

/* ---- Metadata view ---------------------------------------------------------- */

static void ta_json(textarea_t *t, const char *key, const cJSON *v) {
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
        ta_printf(t, first ? STYLE_TITLE : STYLE_NORMAL, "%s%s", first ? "" : "  ", out);
        first = false;
    }
    free(txt);
}

static void draw_metadata(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, u->scroll};
    const ttlx_layout_t *l = sel_layout(u);
    const cJSON *attrs = ui_attrs(u);
    if (!l || !attrs) return;
    char key[300];
    snprintf(key, sizeof key, "tt.buffer.%s", l->buf->name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (v) ta_json(&t, key, v);
    snprintf(key, sizeof key, "tt.cb.%s", l->buf->name);
    v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (v) ta_json(&t, key, v);
    ta_printf(&t, STYLE_DIM, "partition attrs:");
    const cJSON *e;
    cJSON_ArrayForEach(e, attrs) {
        if (!strncmp(e->string, "tt.buffer.", 10) || !strncmp(e->string, "tt.cb.", 6)) continue;
        char *a = cJSON_PrintUnformatted(e);
        ta_printf(&t, STYLE_NORMAL, "\"%s\": %s", e->string, a ? a : "");
        free(a);
    }
}

/* ---- overlays ------------------------------------------------------------ */

static void draw_help(ui_t *u, ui_screen_t *s) {
    int w = s->w - 4 < 84 ? s->w - 4 : 84, h = s->h - 2;
    int x = (s->w - w) / 2, y = 1;
    ui_box(s, x, y, w, h, STYLE_POPUP, "Help: keys and commands (Esc closes, Up/Down scroll)");
    ui_help_line_t lines[128];
    int n = ui_help_lines(u, lines, 128);
    int rows = h - 2;
    if (u->help_scroll > n - rows) u->help_scroll = n - rows > 0 ? n - rows : 0;
    for (int k = 0; k < rows && u->help_scroll + k < n; k++) {
        const ui_help_line_t *l = &lines[u->help_scroll + k];
        if (!l->keys)
            ui_puts(s, x + 2, y + 1 + k, w - 4, STYLE_POPUP_TITLE, l->help);
        else {
            ui_puts(s, x + 2, y + 1 + k, 20, STYLE_STATUS_KEY, l->keys);
            ui_puts(s, x + 23, y + 1 + k, w - 25, STYLE_POPUP, l->help);
        }
    }
}

static void draw_console(ui_t *u, ui_screen_t *s) {
    /* A drawer over the lower part of the screen: the views a lesson talks
     * about stay visible above it. */
    int h = s->h * 2 / 5 < 8 ? (s->h - 2 < 8 ? s->h - 2 : 8) : s->h * 2 / 5;
    int w = s->w, x = 0, y = s->h - 1 - h;
    if (y < 1) y = 1;
    ui_box(s, x, y, w, h, STYLE_POPUP,
           "Console: what scripts printed (Up/Down scroll, other keys close)");
    int rows = h - 2;
    int max_scroll = u->con_count - rows > 0 ? u->con_count - rows : 0;
    if (u->con_scroll > max_scroll) u->con_scroll = max_scroll;
    int first = u->con_count - rows - u->con_scroll;
    if (first < 0) first = 0;
    if (!u->con_count)
        ui_puts(s, x + 2, y + 1, w - 4, STYLE_POPUP,
                "(nothing printed yet: try :lua print(ttlx.func().name) or :source a lesson)");
    for (int k = 0; k < rows; k++) {
        const char *line = ui_console_line(u, first + k);
        if (!line) break;
        ui_puts(s, x + 2, y + 1 + k, w - 4, STYLE_POPUP, line);
    }
}

/* What the core made of an unset field, shown as its default. */
static void effective_value(const ttlx_layout_t *l, const char *field, char *out, size_t n) {
    static const char *const orders[] = {"row_major", "col_major", "match_shard", "block_linear"};
    out[0] = '\0';
    if (!strcmp(field, "memory"))
        snprintf(out, n, "%s", ttlx_memory_name(l->memory));
    else if (!strcmp(field, "layout"))
        snprintf(out, n, "%s", ttlx_layout_kind_name(l->layout));
    else if (!strcmp(field, "tile_shape"))
        snprintf(out, n, "%dx%d", l->tile_h, l->tile_w);
    else if (!strcmp(field, "dtype"))
        snprintf(out, n, "%s", l->dtype);
    else if (!strcmp(field, "cb_depth"))
        snprintf(out, n, "%d", l->cb_depth);
    else if (!l->has_shard)
        return;
    else if (!strcmp(field, "nd_shard.order"))
        snprintf(out, n, "%s", orders[l->order]);
    else if (!strcmp(field, "nd_shard.distribution"))
        snprintf(out, n, "%s", l->dist == TTLX_DIST_ROUND_ROBIN_1D ? "round_robin_1d" : "grid_2d");
    else if (!strcmp(field, "nd_shard.align_tiles"))
        snprintf(out, n, "%s", l->align_tiles ? "true" : "false");
}

static void draw_editor(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = sel_layout(u);
    if (!l) return;
    int nf = ui_edit_field_count();
    int w = g->main_w - 2, h = g->main_h;
    if (w > 90) w = 90;
    int x = g->main_x + 1, y = g->main_y;
    char title[200];
    snprintf(title, sizeof title,
             "Hints for %s: Enter type, Left/Right cycle, x clear, u undo, Esc close",
             l->buf->name);
    ui_box(s, x, y, w, h, STYLE_POPUP, title);
    int row = y + 1;
    for (int i = 0; i < nf && row < y + h - 1; i++, row++) {
        bool cur = i == u->edit_field;
        int st = cur ? STYLE_SELECTED : STYLE_POPUP;
        ui_fill(s, x + 1, row, w - 2, 1, ' ', st);
        ui_printf(s, x + 1, row, 28, st, "%c %s", cur ? '>' : ' ', ui_edit_field_name(i));
        if (cur && u->edit_typing) {
            int n = ui_puts(s, x + 30, row, w - 32, STYLE_INPUT, u->edit_text);
            ui_putc(s, x + 30 + n, row, '_', STYLE_INPUT);
        } else {
            char v[160];
            ui_edit_field_value(u, i, v, sizeof v);
            if (v[0])
                ui_puts(s, x + 30, row, w - 32, st, v);
            else {
                char d[96];
                effective_value(l, ui_edit_field_name(i), d, sizeof d);
                ui_printf(s, x + 30, row, w - 32, cur ? st : STYLE_DIM, "(default%s%s)",
                          d[0] ? ": " : "", d);
            }
        }
        add_hit(u, x + 1, row, w - 2, 1, UI_HIT_FIELD, i, 0);
    }
    char b1[32];
    if (row < y + h - 1) {
        if (l->placed)
            ui_printf(
                s, x + 2, row++, w - 4, STYLE_POPUP, "now: %s %s, %lld %s, %s each",
                ttlx_memory_name(l->memory), ttlx_layout_kind_name(l->layout),
                (long long)(l->has_shard ? l->cores_used : l->banks),
                l->has_shard || l->memory == TTLX_MEM_L1 ? "cores" : "banks",
                ui_fmt_bytes(l->has_shard ? l->bytes_per_core : l->bytes_per_bank, b1, sizeof b1));
        else
            ui_puts(s, x + 2, row++, w - 4, STYLE_DIAG_ERROR, "now: not placed");
    }
    size_t nd = ttlx_result_diag_count(u->res);
    int shown = 0;
    for (size_t i = 0; i < nd && row < y + h - 1; i++) {
        const ttlx_diag_t *d = ttlx_result_diag(u->res, i);
        if (d->buffer != u->sel) continue;
        shown++;
        ui_putc(s, x + 2, row, sev_glyph(s, d->severity), sev_style(d->severity));
        char text[1200];
        snprintf(text, sizeof text, "%s %s", d->code, d->message);
        row += puts_wrap(s, x + 4, row, w - 6, y + h - 1 - row, sev_style(d->severity), text);
        if (d->fix && row < y + h - 1) {
            snprintf(text, sizeof text, "fix: %s", d->fix);
            row += puts_wrap(s, x + 6, row, w - 8, y + h - 1 - row, STYLE_FIX, text);
        }
    }
    if (!shown && row < y + h - 1) {
        ui_putc(s, x + 2, row, ui_glyph(s, G_MARK_OK), STYLE_OK);
        ui_puts(s, x + 4, row++, w - 6, STYLE_OK, "no diagnostics for this buffer");
    }
    for (int k = 0; k < u->ndiff && row < y + h - 1; k++)
        ui_printf(s, x + 2, row++, w - 4, STYLE_DIFF, "%s %s", s->ascii ? "~" : "\xce\x94",
                  u->diff[k]);
}

static void draw_devices(ui_t *u, ui_screen_t *s) {
    int n = (int)ttlx_device_builtin_count();
    int w = s->w - 4 < 84 ? s->w - 4 : 84, h = n + 3;
    int x = (s->w - w) / 2, y = (s->h - h) / 2;
    ui_box(s, x, y, w, h, STYLE_POPUP, "Device (Enter selects, Esc closes)");
    char b1[32], b2[32];
    for (int i = 0; i < n; i++) {
        const ttlx_device_t *d = ttlx_device_builtin((size_t)i);
        bool cur = i == u->dev_sel;
        int st = cur ? STYLE_SELECTED : STYLE_POPUP;
        ui_fill(s, x + 1, y + 1 + i, w - 2, 1, ' ', st);
        ui_printf(s, x + 1, y + 1 + i, w - 2, st,
                  "%c%s %-19s %2dx%-2d L1 bank %s  %d DRAM banks x %s", cur ? '>' : ' ',
                  !strcmp(d->name, u->dev.name) ? "*" : " ", d->name, d->grid_x, d->grid_y,
                  ui_fmt_bytes(d->l1_bank_bytes, b1, sizeof b1), d->dram_banks,
                  ui_fmt_bytes(d->dram_bank_bytes, b2, sizeof b2));
        add_hit(u, x + 1, y + 1 + i, w - 2, 1, UI_HIT_DEVICE, i, 0);
    }
    ui_puts(s, x + 2, y + h - 2, w - 4, STYLE_DIM, "* current device");
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
        ui_puts(s, x < 0 ? 0 : x, y + i, s->w, i ? STYLE_NORMAL : STYLE_MESSAGE_ERROR, lines[i]);
    }
}

void ui_draw(ui_t *u, ui_screen_t *s) {
    u->nhits = 0;
    ui_screen_clear(s, STYLE_NORMAL);
    if (u->geom.too_small) {
        draw_too_small(u, s);
        return;
    }
    draw_header(u, s);
    draw_list(u, s);
    draw_main_title(u, s);
    if (u->res) {
        switch (u->view) {
        case UI_VIEW_CORES:
            draw_cores(u, s);
            break;
        case UI_VIEW_TILES:
            draw_tiles(u, s);
            break;
        case UI_VIEW_PROJECTION:
            draw_projection(u, s);
            break;
        case UI_VIEW_WORK:
            draw_work(u, s);
            break;
        case UI_VIEW_METADATA:
            draw_metadata(u, s);
            break;
        default:
            break;
        }
    }
    draw_diags(u, s);
    if (u->mode == UI_MODE_EDIT) draw_editor(u, s);
    if (u->mode == UI_MODE_DEVICES) draw_devices(u, s);
    if (u->mode == UI_MODE_HELP) draw_help(u, s);
    if (u->mode == UI_MODE_CONSOLE) draw_console(u, s);
    draw_status(u, s);
}

void ui_frame(ui_t *u, ui_screen_t *s) {
    ui_layout(u, s->w, s->h);
    ui_draw(u, s);
}
