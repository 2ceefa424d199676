/*
 * fmt_svg.c - the `svg` export: a picture of where each buffer of the
 * inferred function lives (core grid or DRAM banks, then its tile grid),
 * with a legend; meaning is in labels and tooltips, not colour alone.
 */
#include "export/export_internal.h"
#include "ttlx_infer.h"

#include <stdint.h>
#include <stdio.h>

/* Tile cells drawn per axis of an SVG tile grid before they aggregate. */
#define SVG_MAX_TILE_CELLS 64

static void xml_text(ttlx_sb_t *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&':
            ttlx_sb_puts(b, "&amp;");
            break;
        case '<':
            ttlx_sb_puts(b, "&lt;");
            break;
        case '>':
            ttlx_sb_puts(b, "&gt;");
            break;
        case '"':
            ttlx_sb_puts(b, "&quot;");
            break;
        case '\'':
            ttlx_sb_puts(b, "&apos;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
                ttlx_sb_putn(b, "?", 1); /* not allowed in XML 1.0 */
            else
                ttlx_sb_putn(b, s, 1);
        }
    }
}

/* A holder's colour; the label and tooltip carry the meaning too. Hues
 * step by the golden angle (137.5 degrees), so ids next to each other are
 * far apart on the colour wheel and no two of the first dozens coincide;
 * the lightness cycles too, apart for ids a grid row apart. */
static int holder_hue(int holder) {
    /* 137.50776 degrees in hundred-thousandths, in 64-bit: no overflow */
    return (int)(((int64_t)holder * 13750776 / 100000) % 360);
}

static void holder_fill(ttlx_sb_t *b, int holder) {
    ttlx_sb_printf(b, "hsl(%d,62%%,%d%%)", holder_hue(holder), 52 + (holder % 3) * 9);
}

/* The text name of a holder, in its cell or the legend: cN is core id N
 * (row-major, N = y * grid width + x), bK is DRAM bank K. */
static void holder_name(char *buf, size_t n, bool dram, int id) {
    snprintf(buf, n, "%s%d", dram ? "b" : "c", id);
}

static void human_bytes(char *buf, size_t n, int64_t v) {
    if (v >= (INT64_C(1) << 20) && v % 1024 == 0)
        snprintf(buf, n, "%.1fM", (double)v / (1024.0 * 1024.0));
    else if (v >= 1024)
        snprintf(buf, n, "%.1fK", (double)v / 1024.0);
    else
        snprintf(buf, n, "%lld", (long long)v);
}

typedef struct svg_ctx {
    ttlx_sb_t *b;
    int y; /* next free row, pixels */
} svg_ctx_t;

/* Where buffer i lives: the core grid (L1) or the DRAM banks, one
 * labelled cell each. */
static void svg_holders(svg_ctx_t *c, const ttlx_result_t *r, size_t i) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    const ttlx_device_t *dev = ttlx_result_device(r);
    ttlx_sb_t *b = c->b;
    const int cell = 30;
    char hb[32];
    if (L->memory == TTLX_MEM_DRAM) goto dram;
    ttlx_sb_printf(b,
                   "<text x=\"20\" y=\"%d\" class=\"sub\">L1 of each core (%dx%d grid; core id cN, "
                   "N = y * %d + x)</text>\n",
                   c->y + 14, dev->grid_x, dev->grid_y, dev->grid_x);
    c->y += 22;
    for (int y = 0; y < dev->grid_y; y++) {
        for (int x = 0; x < dev->grid_x; x++) {
            int64_t bytes = ttlx_result_buffer_bytes_on(r, i, x, y);
            int64_t tiles = bytes ? ttlx_place_count_on(r, i, x, y) : 0;
            int px = 20 + x * cell, py = c->y + y * cell;
            ttlx_sb_printf(
                b, "<rect class=\"core\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"", px,
                py, cell - 2, cell - 2);
            if (bytes)
                holder_fill(b, y * dev->grid_x + x);
            else
                ttlx_sb_puts(b, "#f2f2f2");
            human_bytes(hb, sizeof hb, bytes);
            ttlx_sb_printf(b, "\"><title>core (%d,%d): %lld tiles, %lld bytes</title></rect>\n", x,
                           y, (long long)tiles, (long long)bytes);
            ttlx_sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"id\">c%d</text>\n", px + 14, py + 10,
                           y * dev->grid_x + x);
            if (bytes)
                ttlx_sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"cell\">%s</text>\n", px + 14,
                               py + 22, hb);
        }
    }
    c->y += dev->grid_y * cell + 8;
    return;
dram:
    ttlx_sb_printf(b, "<text x=\"20\" y=\"%d\" class=\"sub\">DRAM banks (%d)</text>\n", c->y + 14,
                   dev->dram_banks);
    c->y += 22;
    for (int k = 0; k < dev->dram_banks; k++) {
        int64_t bytes = ttlx_result_buffer_bytes_on(r, i, k, -1);
        int px = 20 + k * (cell + 8);
        ttlx_sb_printf(b,
                       "<rect class=\"bank\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"",
                       px, c->y, cell + 6, cell - 2);
        if (bytes)
            holder_fill(b, k);
        else
            ttlx_sb_puts(b, "#f2f2f2");
        human_bytes(hb, sizeof hb, bytes);
        ttlx_sb_printf(b, "\"><title>DRAM bank %d: %lld bytes</title></rect>\n", k,
                       (long long)bytes);
        ttlx_sb_printf(b, "<text x=\"%d\" y=\"%d\" class=\"cell\">b%d</text>\n", px + 18, c->y + 18,
                       k);
    }
    c->y += cell + 8;
}

/* The tile grid of buffer i: one cell per tile, or per block of tiles
 * when the tensor is larger than SVG_MAX_TILE_CELLS a side. */
static void svg_tiles(svg_ctx_t *c, const ttlx_result_t *r, size_t i) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    const ttlx_device_t *dev = ttlx_result_device(r);
    ttlx_sb_t *b = c->b;
    int64_t rows = L->view_rows, cols = L->view_cols;
    int64_t sr =
        rows > SVG_MAX_TILE_CELLS ? (rows + SVG_MAX_TILE_CELLS - 1) / SVG_MAX_TILE_CELLS : 1;
    int64_t sc =
        cols > SVG_MAX_TILE_CELLS ? (cols + SVG_MAX_TILE_CELLS - 1) / SVG_MAX_TILE_CELLS : 1;
    int64_t nr = (rows + sr - 1) / sr, nc = (cols + sc - 1) / sc;
    int cell = nc > 32 ? 8 : 14;
    ttlx_sb_printf(b, "<text x=\"20\" y=\"%d\" class=\"sub\">Tiles (%lld x %lld of %dx%d",
                   c->y + 14, (long long)rows, (long long)cols, L->tile_h, L->tile_w);
    if (sr > 1 || sc > 1)
        ttlx_sb_printf(b, "; each cell is %lld x %lld tiles", (long long)sr, (long long)sc);
    ttlx_sb_puts(b, ")</text>\n");
    c->y += 22;
    /* Owners in text too: the holder's name in each cell when cells are
     * big enough, else a legend of the holders under the grid. */
    bool labels = cell >= 14;
    enum { MAX_LEGEND = 1024 };
    unsigned char seen[MAX_LEGEND * 2] = {0}; /* [0, MAX) cores, [MAX, 2 MAX) banks */
    for (int64_t gr = 0; gr < nr; gr++) {
        for (int64_t gc = 0; gc < nc; gc++) {
            int64_t row = gr * sr, col = gc * sc;
            int64_t last_r = row + sr - 1 < rows ? row + sr - 1 : rows - 1;
            int64_t last_c = col + sc - 1 < cols ? col + sc - 1 : cols - 1;
            ttlx_place_t pl, pl_last;
            bool placed = ttlx_place_tile(r, i, row, col, &pl);
            bool pad = placed && (pl.padding || (ttlx_place_tile(r, i, last_r, last_c, &pl_last) &&
                                                 pl_last.padding));
            long long px = 20 + gc * cell, py = c->y + gr * cell;
            ttlx_sb_printf(
                b, "<rect class=\"tile\" x=\"%lld\" y=\"%lld\" width=\"%d\" height=\"%d\" fill=\"",
                px, py, cell - 1, cell - 1);
            if (!placed)
                ttlx_sb_puts(b, "#d0d0d0");
            else if (pl.dram)
                holder_fill(b, pl.bank);
            else
                holder_fill(b, pl.y * dev->grid_x + pl.x);
            ttlx_sb_puts(b, "\"");
            if (pad) ttlx_sb_puts(b, " stroke=\"#000\" stroke-dasharray=\"2,1\"");
            ttlx_sb_printf(b, "><title>tile (%lld,%lld)", (long long)row, (long long)col);
            if (!placed)
                ttlx_sb_puts(b, ": no placement");
            else if (pl.dram)
                ttlx_sb_printf(b, ": DRAM bank %d, page %lld", pl.bank, (long long)pl.slot);
            else
                ttlx_sb_printf(b, ": core (%d,%d)", pl.x, pl.y);
            if (placed && pl.shard >= 0) ttlx_sb_printf(b, ", shard %lld", (long long)pl.shard);
            if (pad) ttlx_sb_puts(b, ", padding");
            ttlx_sb_puts(b, "</title></rect>\n");
            if (!placed) continue;
            int id = pl.dram ? pl.bank : pl.y * dev->grid_x + pl.x;
            if (labels) {
                char nm[24];
                holder_name(nm, sizeof nm, pl.dram, id);
                ttlx_sb_printf(b, "<text x=\"%lld\" y=\"%lld\" class=\"tid\">%s</text>\n",
                               px + cell / 2, py + cell - 4, nm);
            } else if (id >= 0 && id < MAX_LEGEND) {
                seen[(pl.dram ? MAX_LEGEND : 0) + id] = 1;
            }
        }
    }
    c->y += (int)nr * cell + 8;
    if (labels) return;
    /* the legend: one swatch and name per holder, wrapped in rows */
    int per_row = (int)((nc * cell) / 64);
    if (per_row < 8) per_row = 8;
    int k = 0;
    for (int j = 0; j < MAX_LEGEND * 2; j++) {
        if (!seen[j]) continue;
        bool dram = j >= MAX_LEGEND;
        int id = dram ? j - MAX_LEGEND : j;
        char nm[24];
        holder_name(nm, sizeof nm, dram, id);
        int lx = 20 + (k % per_row) * 64, ly = c->y + (k / per_row) * 16;
        ttlx_sb_printf(
            b, "<rect class=\"key\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"", lx, ly);
        holder_fill(b, id);
        ttlx_sb_printf(b, "\"/><text x=\"%d\" y=\"%d\" class=\"key\">%s", lx + 14, ly + 9, nm);
        if (!dram) ttlx_sb_printf(b, " (%d,%d)", id % dev->grid_x, id / dev->grid_x);
        ttlx_sb_puts(b, "</text>\n");
        k++;
    }
    if (k) c->y += ((k + per_row - 1) / per_row) * 16 + 6;
}

static void svg_legend(svg_ctx_t *c) {
    ttlx_sb_t *b = c->b;
    ttlx_sb_printf(b, "<g class=\"legend\" transform=\"translate(20,%d)\">\n", c->y);
    ttlx_sb_puts(
        b, "<text x=\"0\" y=\"12\" class=\"sub\">Legend</text>\n"
           "<rect x=\"0\" y=\"20\" width=\"14\" height=\"14\" fill=\"hsl(47,62%,58%)\"/>"
           "<text x=\"20\" y=\"32\">coloured: held by that core or bank (label and tooltip "
           "name it)</text>\n"
           "<rect x=\"0\" y=\"40\" width=\"14\" height=\"14\" fill=\"#f2f2f2\" stroke=\"#999\"/>"
           "<text x=\"20\" y=\"52\">light: holds nothing of this buffer</text>\n"
           "<rect x=\"0\" y=\"60\" width=\"14\" height=\"14\" fill=\"hsl(94,62%,58%)\" "
           "stroke=\"#000\" stroke-dasharray=\"2,1\"/>"
           "<text x=\"20\" y=\"72\">dashed outline: tile holds padding</text>\n"
           "<rect x=\"0\" y=\"80\" width=\"14\" height=\"14\" fill=\"#d0d0d0\"/>"
           "<text x=\"20\" y=\"92\">grey: no placement (see the diagnostics)</text>\n"
           "</g>\n");
    c->y += 104;
}

static char *svg_text(const ttlx_result_t *r, size_t *len, ttlx_error_t *err) {
    const ttlx_device_t *dev = ttlx_result_device(r);
    ttlx_sb_t body = {0};
    svg_ctx_t c = {&body, 0};
    ttlx_sb_puts(&body, "<text x=\"20\" y=\"28\" class=\"title\">");
    xml_text(&body, ttlx_result_func_name(r));
    ttlx_sb_puts(&body, " on ");
    xml_text(&body, dev->name);
    ttlx_sb_puts(&body, "</text>\n");
    c.y = 44;
    int width = 40 + dev->grid_x * 30;
    if (40 + dev->dram_banks * 38 > width) width = 40 + dev->dram_banks * 38;
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        ttlx_sb_printf(&body, "<g class=\"buffer\" id=\"buffer-%zu\">\n", i);
        ttlx_sb_printf(&body, "<text x=\"20\" y=\"%d\" class=\"head\">", c.y + 16);
        xml_text(&body, L->buf->name);
        ttlx_sb_puts(&body, " [");
        for (int d = 0; d < L->buf->rank; d++)
            ttlx_sb_printf(&body, "%s%lld", d ? ", " : "", (long long)L->buf->shape[d]);
        ttlx_sb_printf(&body, "] %s, %s %s", L->dtype, ttlx_memory_name(L->memory),
                       ttlx_layout_kind_name(L->layout));
        ttlx_sb_puts(&body, "</text>\n");
        c.y += 26;
        svg_holders(&c, r, i);
        int64_t nc = L->view_cols > SVG_MAX_TILE_CELLS ? SVG_MAX_TILE_CELLS : L->view_cols;
        int tw = 40 + (int)nc * (nc > 32 ? 8 : 14);
        if (tw > width) width = tw;
        svg_tiles(&c, r, i);
        ttlx_sb_puts(&body, "</g>\n");
        c.y += 10;
    }
    svg_legend(&c);
    if (width < 560) width = 560;
    ttlx_sb_t b = {0};
    ttlx_sb_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
                   width, c.y, width, c.y);
    ttlx_sb_puts(&b,
                 "<style>.title{font-size:18px;font-weight:bold}.head{font-size:14px;"
                 "font-weight:bold}.sub{fill:#444}.cell{font-size:9px;text-anchor:middle}"
                 ".id{font-size:7px;text-anchor:middle;fill:#222}"
                 ".tid{font-size:6px;text-anchor:middle;fill:#111}.key{font-size:9px}</style>\n");
    ttlx_sb_printf(&b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
                   width, c.y);
    if (body.data) ttlx_sb_putn(&b, body.data, body.len);
    ttlx_sb_puts(&b, "</svg>\n");
    bool failed = b.failed || body.failed;
    ttlx_sb_free(&body);
    if (failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

char *export_write_svg(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(in->mod, in->func_index), in->dev, err);
    if (!r) return NULL;
    char *text = svg_text(r, len, err);
    ttlx_result_free(r);
    return text;
}
