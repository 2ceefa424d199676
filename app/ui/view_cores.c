/*
 * view_cores.c - the Cores view: the core grid with what the selected
 * buffer holds on each core and an L1 heat map, the DRAM banks strip, and
 * the L1 address map (or bank breakdown) of the core under the cursor
 * (u->core_x, u->core_y, shared with the other views), below or beside the
 * grid, or filling the pane (key a, u->cores_addr).
 */
#include "ui/draw.h"
#include "ui/view.h"
#include "ui/view_cores.h"
#include "ttlx_l1map.h"

#include <stdio.h>
#include <string.h>

/* Heat level of used/capacity: 0 empty, 1..4 quarters, 5 over. */
static int heat_level(int64_t used, int64_t cap) {
    if (used <= 0) return 0;
    if (cap <= 0 || used > cap) return 5;
    double f = (double)used / (double)cap;
    return f < 0.25 ? 1 : f < 0.5 ? 2 : f < 0.75 ? 3 : 4;
}

static int heat_pct(int64_t used, int64_t cap) {
    if (cap <= 0) return 0;
    double p = (double)used * 100.0 / (double)cap + 0.5;
    return p > 999999.0 ? 999999 : (int)p; /* a saturated 2^63 stays an int */
}

/* Shard labels: "sN" (+k more) in decimal while every core's label fits the
 * cell, else every label switches to base 36 (legend says so), so two
 * shards never show the same label. */
static void b36(int64_t v, char *out, size_t n) {
    char t[16];
    int k = 0;
    do {
        int d = (int)(v % 36);
        t[k++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= 36;
    } while (v > 0 && k < 15);
    size_t j = 0;
    while (k > 0 && j + 1 < n)
        out[j++] = t[--k];
    out[j] = '\0';
}

static void holding_label(const ui_t *u, const ttlx_layout_t *l, int x, int y, int avail,
                          bool base36, char *out, size_t n) {
    out[0] = '\0';
    if (!l || !l->placed || l->memory != TTLX_MEM_L1) return;
    if (l->has_shard) {
        int64_t first = -1;
        int64_t k = ttlx_place_shards_on(u->res, (size_t)u->sel, x, y, &first, 1);
        if (k < 1) return;
        char id[24], more[24];
        if (base36)
            b36(first, id, sizeof id);
        else
            snprintf(id, sizeof id, "s%lld", (long long)first);
        if (k == 1)
            snprintf(out, n, "%s", id);
        else {
            snprintf(more, sizeof more, "+%lld", (long long)(k - 1));
            if ((int)(strlen(id) + strlen(more)) > avail) snprintf(more, sizeof more, "+");
            snprintf(out, n, "%.23s%.23s", id, more);
        }
    } else {
        int64_t t = ttlx_place_count_on(u->res, (size_t)u->sel, x, y);
        if (t > 0) snprintf(out, n, "%lldt", (long long)t);
    }
}

/* Whether decimal shard labels ("s12", "s12+") fit avail columns on every
 * core; if not, the grid uses base-36 ids. */
static bool shard_labels_need_b36(const ui_t *u, const ttlx_layout_t *l, int avail) {
    if (!l || !l->placed || l->memory != TTLX_MEM_L1 || !l->has_shard) return false;
    for (int y = 0; y < u->dev.grid_y; y++)
        for (int x = 0; x < u->dev.grid_x; x++) {
            int64_t first = -1;
            int64_t k = ttlx_place_shards_on(u->res, (size_t)u->sel, x, y, &first, 1);
            if (k < 1) continue;
            char t[32];
            int len = snprintf(t, sizeof t, "s%lld%s", (long long)first, k > 1 ? "+" : "");
            if (len > avail) return true;
        }
    return false;
}

/* The next row of the text area: its screen y, or -1 when scrolled out. */
static int ta_row(ui_textarea_t *t) {
    int r = t->row++ - t->scroll;
    return r < 0 || r >= t->h ? -1 : t->y + r;
}

/* One row of the address map: "> 0x01c900-0x020900 LABEL   16.0K". The
 * range drops its end when that leaves the label fewer than 8 columns,
 * and goes when even its start does; the label is cut with the ellipsis. */
static void map_row(ui_textarea_t *t, int style, bool mark, int digits, int64_t a, int64_t b,
                    const char *label, int64_t bytes) {
    int y = ta_row(t);
    if (y < 0) return;
    char range[48], size[32];
    ui_fmt_bytes(bytes, size, sizeof size);
    int sw = 6, w = t->w < 52 ? t->w : 52; /* the size stays near its label */
    snprintf(range, sizeof range, "0x%0*llx-0x%0*llx", digits, (unsigned long long)a, digits,
             (unsigned long long)b);
    if (w - 2 - (int)strlen(range) - 2 - sw < 8) /* the next row starts where it ends */
        snprintf(range, sizeof range, "0x%0*llx", digits, (unsigned long long)a);
    if (w - 2 - (int)strlen(range) - 2 - sw < 4) range[0] = '\0';
    int rw = (int)strlen(range), lx = 2 + rw + (rw ? 1 : 0);
    int lw = w - lx - 1 - sw;
    ui_fill(t->s, t->x, y, t->w, 1, ' ', style);
    ui_putc(t->s, t->x, y, mark ? '>' : ' ', style);
    ui_puts(t->s, t->x + 2, y, rw, style, range);
    ui_puts(t->s, t->x + lx, y, lw, style, label);
    ui_printf(t->s, t->x + w - sw, y, sw, style, "%*s", sw, size);
}

/* The L1 address map of core (x, y) (core/ttlx_l1map): each L1 buffer's
 * lock-step range bottom-up from the L1 base, "(A, B)" for ranges held on
 * other cores only, the CBs from their base, then the free space (or how
 * far the map passes the bank). all: every CB on its own row and the
 * allocator's direction said; else the CBs share one row when the rows
 * would not hold them. A scroll marker ends a list that goes on. */
static void draw_l1_map(ui_t *u, ui_textarea_t *t, int x, int y, bool all) {
    size_t nb = ttlx_result_buffer_count(u->res);
    size_t cap = nb * 2 + 1;
    ttlx_l1_span_t *sp = ttlx_calloc(cap, sizeof *sp);
    ttlx_l1_frame_t f;
    int64_t n = sp ? ttlx_l1_map(u->res, x, y, sp, cap, &f) : -1;
    if (n < 0) {
        ui_ta_printf(t, UI_STYLE_OVER, "  no address map (addresses pass 2^63)");
        ttlx_free(sp);
        return;
    }
    int64_t hi = f.top > f.limit ? f.top : f.limit;
    int digits = 5;
    while (digits < 16 && (hi >> (4 * digits)) != 0)
        digits++;
    /* rows: buffers, the runs of gaps, CBs, free */
    int64_t ncb = 0, rows = 1;
    for (int64_t k = 0; k < n; k++) {
        if (sp[k].kind == TTLX_L1_CB)
            ncb++;
        else if (sp[k].kind == TTLX_L1_BUFFER || k == 0 || sp[k - 1].kind != TTLX_L1_GAP)
            rows++;
    }
    bool one_cb = !all && ncb > 1 && rows + ncb > t->h - t->row;
    for (int64_t k = 0; k < n; k++) {
        const ttlx_l1_span_t *e = &sp[k];
        const char *name = ttlx_result_layout(u->res, e->buffer)->buf->name;
        bool sel = (int)e->buffer == u->sel;
        int over = e->end > f.limit ? UI_STYLE_OVER : -1;
        char label[160];
        if (e->kind == TTLX_L1_GAP) {
            /* a run of ranges held on other cores: one row */
            int64_t j = k;
            size_t len = (size_t)snprintf(label, sizeof label, "(%s", name);
            while (j + 1 < n && sp[j + 1].kind == TTLX_L1_GAP) {
                j++;
                const char *nm = ttlx_result_layout(u->res, sp[j].buffer)->buf->name;
                if (len < sizeof label)
                    len += (size_t)snprintf(label + len, sizeof label - len, ", %s", nm);
            }
            if (len < sizeof label) snprintf(label + len, sizeof label - len, ")");
            map_row(t, sp[j].end > f.limit ? UI_STYLE_OVER : UI_STYLE_DIM, false, digits, e->start,
                    sp[j].end, label, sp[j].end - e->start);
            k = j;
        } else if (e->kind == TTLX_L1_BUFFER) {
            map_row(t,
                    over >= 0 ? over
                    : sel     ? UI_STYLE_HOLD
                              : UI_STYLE_L1,
                    sel, digits, e->start, e->end, name, e->end - e->start);
        } else if (one_cb) {
            snprintf(label, sizeof label, "CBs (%lld)", (long long)ncb);
            map_row(t, f.top > f.limit ? UI_STYLE_OVER : UI_STYLE_NORMAL, false, digits, e->start,
                    f.top, label, f.top - e->start);
            k = n;
        } else {
            snprintf(label, sizeof label, "CB %s", name);
            map_row(t, over >= 0 ? over : UI_STYLE_NORMAL, false, digits, e->start, e->end, label,
                    e->end - e->start);
        }
    }
    if (f.over_bytes > 0)
        map_row(t, UI_STYLE_OVER, false, digits, f.limit, f.top, "OVER the bank", f.over_bytes);
    else
        map_row(t, UI_STYLE_OK, false, digits, f.top, f.limit, "free", f.free_bytes);
    if (all) {
        char note[300];
        snprintf(note, sizeof note,
                 "Buffers go bottom-up from the L1 base 0x%0*llx, each at the same address on "
                 "every core (lock-step); (A) is A's range, held on other cores. tt-metal counts "
                 "L1 buffers down from the bank's end and starts the CBs at the L1 base.",
                 digits, (unsigned long long)f.base);
        ui_ta_wrap(t, UI_STYLE_DIM, "", note);
    }
    ttlx_free(sp);
}

/* The text of draw_core_info into t. */
static void draw_core_text(ui_t *u, ui_textarea_t *t, bool all) {
    int h = t->h;
    char b1[32], b2[32];
    size_t nb = ttlx_result_buffer_count(u->res);
    int gy = u->dev.grid_y;
    if (u->core_y >= gy) { /* a DRAM bank */
        int bank = u->core_x;
        int64_t total = 0;
        for (size_t i = 0; i < nb; i++)
            total += ttlx_result_buffer_bytes_on(u->res, i, bank, -1);
        ui_ta_printf(t, UI_STYLE_TITLE, "DRAM bank %d of %d", bank, u->dev.dram_banks);
        ui_ta_printf(t, UI_STYLE_NORMAL, "used %s of %s", ui_fmt_bytes(total, b1, sizeof b1),
                     ui_fmt_bytes(u->dev.dram_bank_bytes, b2, sizeof b2));
        int shown = 0;
        for (size_t i = 0; i < nb; i++) {
            int64_t b = ttlx_result_buffer_bytes_on(u->res, i, bank, -1);
            if (!b) continue;
            if (t->row >= h - 1 && shown) {
                ui_ta_printf(t, UI_STYLE_DIM, "  ...");
                break;
            }
            shown++;
            ui_ta_printf(t, (int)i == u->sel ? UI_STYLE_HOLD : UI_STYLE_NORMAL, "%c %-12.12s %9s",
                         (int)i == u->sel ? '>' : ' ', ttlx_result_layout(u->res, i)->buf->name,
                         ui_fmt_bytes(b, b1, sizeof b1));
        }
        ui_ta_printf(t, UI_STYLE_OK, "  %-12s %9s", "free",
                     ui_fmt_bytes(u->dev.dram_bank_bytes - total, b1, sizeof b1));
        return;
    }
    int x = u->core_x, y = u->core_y;
    int64_t used = ttlx_result_core_used(u->res, x, y);
    int64_t cap = u->dev.l1_bank_bytes;
    int st = heat_level(used, cap) == 5 ? UI_STYLE_OVER : UI_STYLE_TITLE;
    const char *work = ttlx_result_core_in_partition(u->res, x, y) ? " work" : "";
    char head[160];
    snprintf(head, sizeof head, "Core (%d,%d) L1%s %s of %s (%d%%)%s", x, y,
             all ? " address map:" : "", ui_fmt_bytes(used, b1, sizeof b1),
             ui_fmt_bytes(cap, b2, sizeof b2), heat_pct(used, cap), work);
    if (ui_text_width(head) <= t->w) { /* one row where it fits (80x24) */
        ui_ta_printf(t, st, "%s", head);
    } else {
        ui_ta_printf(t, UI_STYLE_TITLE, "Core (%d,%d) L1 %s", x, y,
                     all ? "address map" : "breakdown");
        ui_ta_printf(t, st == UI_STYLE_OVER ? st : UI_STYLE_NORMAL, "used %s of %s (%d%%)%s", b1,
                     b2, heat_pct(used, cap), work);
    }
    draw_l1_map(u, t, x, y, all);
}

/* The breakdown of the cursor core (or DRAM bank) in the box x0, y0, w, h;
 * all: the whole pane is the address map (key a), scrolled by u->scroll. */
static void draw_core_info(ui_t *u, ui_screen_t *s, int x0, int y0, int w, int h, bool all) {
    if (w < 10 || h < 1) return;
    if (all && u->scroll > 0) {
        /* a run that draws nothing counts the rows: scroll no further than
         * the last row */
        ui_textarea_t dry = {s, x0, y0, w, 0, 0, 0};
        draw_core_text(u, &dry, true);
        int most = dry.row > h ? dry.row - h : 0;
        if (u->scroll > most) u->scroll = most;
    }
    ui_textarea_t t = {s, x0, y0, w, h, 0, all ? u->scroll : 0};
    draw_core_text(u, &t, all);
    ui_ta_more(&t);
}

static void draw_cores(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    const ttlx_layout_t *l = ui_selected_layout(u);
    int gx = u->dev.grid_x, gy = u->dev.grid_y;
    int x0 = g->main_x + 1, y0 = g->main_y + 1, w = g->main_w - 1, h = g->main_h - 1;
    if (u->cores_addr) { /* key a: the cursor core's address map fills the pane */
        draw_core_info(u, s, x0, y0, w, h, true);
        return;
    }
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
    int lab_w = cw - 2;
    bool base36 = shard_labels_need_b36(u, l, lab_w);
    /* x coordinates */
    for (int x = 0; x < gx; x++)
        ui_printf(s, x0 + 3 + x * cw + 1, y0, cw - 1, UI_STYLE_DIM, "x%d", x);
    int y = y0 + 1;
    for (int cy = 0; cy < gy; cy++, y += rpc) {
        ui_printf(s, x0, y, 3, UI_STYLE_DIM, "y%d", cy);
        for (int cx = 0; cx < gx; cx++) {
            int px = x0 + 3 + cx * cw;
            if (px + cw > x0 + grid_w + 1) break;
            int64_t used = ttlx_result_core_used(u->res, cx, cy);
            int lvl = heat_level(used, cap);
            char lab[48];
            holding_label(u, l, cx, cy, lab_w, base36, lab, sizeof lab);
            bool cur = cx == u->core_x && cy == u->core_y;
            int lst = cur ? UI_STYLE_CURSOR : lab[0] ? UI_STYLE_HOLD : UI_STYLE_DIM;
            int hst = lvl == 5 ? UI_STYLE_OVER : UI_STYLE_HEAT0 + lvl;
            uint32_t hg =
                lvl == 5 ? ui_glyph(s, UI_G_OVER) : ui_glyph(s, (ui_glyph_t)(UI_G_HEAT0 + lvl));
            char pct[8];
            int p = heat_pct(used, cap);
            if (used > 0 && p == 0)
                snprintf(pct, sizeof pct, "<1%%");
            else
                snprintf(pct, sizeof pct, "%d%%", p);
            /* a figure never loses its % sign: it goes whole (the glyph stays) */
            if ((int)strlen(pct) > cw - 3) pct[0] = '\0';
            ui_putc(s, px, y, cur ? '>' : ' ', cur ? UI_STYLE_CURSOR : UI_STYLE_NORMAL);
            if (rpc == 2) {
                ui_fill(s, px + 1, y, cw - 2, 1, ' ', lst);
                if (lab[0])
                    ui_puts(s, px + 1, y, cw - 2, lst, lab);
                else
                    ui_putc(s, px + 1, y, ui_glyph(s, UI_G_NONE), lst);
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
            ui_add_hit(u, px, y, cw, rpc, UI_HIT_CORE, cx, cy);
        }
    }
    /* legend with numbers */
    int wx, wy;
    int64_t worst = ttlx_result_max_used(u->res, &wx, &wy);
    char b1[32], b2[32];
    if (y < y0 + h) {
        char leg[300], gl[6][5];
        for (int k = 0; k < 6; k++)
            gl[k][ttlx_utf8_encode(ui_glyph(s, k < 5 ? (ui_glyph_t)(UI_G_HEAT0 + k) : UI_G_OVER),
                                   gl[k])] = '\0';
        snprintf(leg, sizeof leg,
                 "L1 used/%s per core: %s0%% %s<25%% %s<50%% %s<75%% %s<=100%% %sover",
                 ui_fmt_bytes(cap, b1, sizeof b1), gl[0], gl[1], gl[2], gl[3], gl[4], gl[5]);
        if (ui_text_width(leg) > w) /* the short form keeps every glyph's meaning */
            snprintf(leg, sizeof leg, "L1/%s: %s0%% %s<25%% %s<50%% %s<75%% %s<=100%% %sover",
                     ui_fmt_bytes(cap, b1, sizeof b1), gl[0], gl[1], gl[2], gl[3], gl[4], gl[5]);
        ui_puts(s, x0, y++, w, UI_STYLE_DIM, leg);
    }
    /* DRAM banks strip: it wraps to more rows; the second legend row gives
     * way to it when the pane is short */
    int dcw = cw < 7 ? 7 : cw;
    int per_line = (grid_w - 3) / dcw;
    if (per_line < 1) per_line = 1;
    int dram_need = (u->dev.dram_banks + per_line - 1) / per_line * 2;
    if (y < y0 + h && (base36 || y + 1 + dram_need <= y0 + h || y + dram_need > y0 + h)) {
        char leg[200];
        snprintf(leg, sizeof leg, "%s (+k more) | Nt tiles | > cursor | worst (%d,%d) %s %d%%",
                 base36 ? "N shard N, base 36" : "sN shard N", wx, wy,
                 ui_fmt_bytes(worst, b2, sizeof b2), heat_pct(worst, cap));
        if (ui_text_width(leg) > w)
            snprintf(leg, sizeof leg, "%s | worst (%d,%d) %s %d%%",
                     base36 ? "N shard N in base 36 (+k)" : "sN shard N (+k) | Nt tiles", wx, wy,
                     ui_fmt_bytes(worst, b2, sizeof b2), heat_pct(worst, cap));
        ui_puts(s, x0, y++, w, UI_STYLE_DIM, leg);
    }
    if (y + 1 < y0 + h) {
        ui_puts(s, x0, y, 5, UI_STYLE_DRAM, "DRAM");
        int by = y;
        for (int b = 0; b < u->dev.dram_banks; b++) {
            if (b && b % per_line == 0) by += 2;
            if (by + 1 >= y0 + h) {
                /* no room for the rest: say how many banks are not shown */
                by -= 2;
                char more[32];
                snprintf(more, sizeof more, "+%d", u->dev.dram_banks - b + 1);
                int mx = x0 + 4 + (per_line - 1) * dcw;
                ui_fill(s, mx, by, dcw, 2, ' ', UI_STYLE_NORMAL);
                ui_puts(s, mx + 1, by, dcw - 1, UI_STYLE_DIM, more);
                ui_puts(s, mx + 1, by + 1, dcw - 1, UI_STYLE_DIM, "banks");
                break;
            }
            int px = x0 + 4 + (b % per_line) * dcw;
            bool cur = u->core_y == gy && u->core_x == b;
            int64_t bytes = l ? ttlx_result_buffer_bytes_on(u->res, (size_t)u->sel, b, -1) : 0;
            ui_putc(s, px, by, cur ? '>' : ' ', cur ? UI_STYLE_CURSOR : UI_STYLE_NORMAL);
            ui_printf(s, px + 1, by, dcw - 2, cur ? UI_STYLE_CURSOR : UI_STYLE_DRAM, "b%d", b);
            if (bytes)
                ui_puts(s, px + 1, by + 1, dcw - 2, UI_STYLE_DRAM,
                        ui_fmt_bytes_fit(bytes, dcw - 2, b1, sizeof b1));
            else
                ui_putc(s, px + 1, by + 1, ui_glyph(s, UI_G_NONE), UI_STYLE_DIM);
            ui_add_hit(u, px, by, dcw, 2, UI_HIT_BANK, b, 0);
        }
        y = by + 2;
    }
    if (side)
        draw_core_info(u, s, x0 + grid_w + 1, y0, info_w, h, false);
    else
        draw_core_info(u, s, x0, y + 0, grid_w, y0 + h - y, false);
}

static void cores_move(ui_t *u, int dx, int dy) {
    int gy = u->dev.grid_y;
    u->scroll = 0; /* another core: its address map from the top */
    u->core_y += dy;
    if (u->core_y < 0) u->core_y = 0;
    if (u->core_y > gy) u->core_y = gy;
    int maxx = (u->core_y == gy ? u->dev.dram_banks : u->dev.grid_x) - 1;
    u->core_x += dx;
    if (u->core_x < 0) u->core_x = 0;
    if (u->core_x > maxx) u->core_x = maxx;
}

static void cores_page(ui_t *u, int dir) {
    if (u->cores_addr) { /* the address map scrolls */
        int step = u->geom.main_h > 4 ? u->geom.main_h - 3 : 1;
        u->scroll += dir * step;
        if (u->scroll < 0) u->scroll = 0;
        return;
    }
    cores_move(u, 0, dir * u->dev.grid_y);
}

void ui_cores_addresses(ui_t *u) {
    if (u->view != UI_VIEW_CORES) {
        ui_view_set(u, UI_VIEW_CORES);
        u->cores_addr = true;
    } else {
        u->cores_addr = !u->cores_addr;
        u->scroll = 0;
    }
}

static void cores_jump(ui_t *u, bool home) {
    u->core_x = home ? 0 : u->dev.grid_x - 1;
    u->core_y = home ? 0 : u->dev.grid_y - 1;
}

/* Enter: the tiles the core holds, in the Tiles view. */
static void cores_enter(ui_t *u) {
    ui_view_set(u, UI_VIEW_TILES);
}

static bool cores_click(ui_t *u, const ui_hit_t *h) {
    if (h->kind != UI_HIT_CORE && h->kind != UI_HIT_BANK) return false;
    u->focus = UI_PANE_MAIN;
    u->core_x = (int)h->a;
    u->core_y = h->kind == UI_HIT_BANK ? u->dev.grid_y : (int)h->b;
    return true;
}

const ui_view_ops_t ui_view_cores = {
    .name = "cores",
    .title = "Cores",
    .key = '1',
    .help = "Cores view: shards/banks, L1 heat map, the core's L1 addresses (a)",
    .keys = "hjkl:core a:addresses Enter:tiles",
    .draw = draw_cores,
    .move = cores_move,
    .page = cores_page,
    .jump = cores_jump,
    .enter = cores_enter,
    .click = cores_click,
};
