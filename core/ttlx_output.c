/*
 * ttlx_output.c - the canonical output of SPEC 6, written straight from
 * the result (stable key order, integers only, so identical input gives
 * byte-identical text), and the readable summary of `ttlx infer`.
 */
#include "ttlx_output.h"
#include "ttlx_internal.h"

#include <stdio.h>
#include <string.h>

static void ind(ttlx_sb_t *sb, int depth) {
    static const char nl_spaces[] = "\n                                ";
    ttlx_sb_putn(sb, nl_spaces, 1 + (size_t)(depth * 2 < 32 ? depth * 2 : 32));
}

/* A constant key that needs no escaping: "k": */
#define KEY(sb, depth, first, k)                                                                   \
    do {                                                                                           \
        if (!*(first)) ttlx_sb_putn((sb), ",", 1);                                                 \
        *(first) = false;                                                                          \
        ind((sb), (depth));                                                                        \
        TTLX_SB_LIT((sb), "\"" k "\": ");                                                          \
    } while (0)

static void int_list(ttlx_sb_t *sb, const int64_t *v, int n) {
    ttlx_sb_putn(sb, "[", 1);
    for (int i = 0; i < n; i++) {
        if (i) ttlx_sb_putn(sb, ", ", 2);
        ttlx_sb_i64(sb, v[i]);
    }
    ttlx_sb_putn(sb, "]", 1);
}

/* ---- unchecked writing into room reserved per buffer ----------------
 * The per-buffer entries are most of a large document: each is written
 * with plain stores into room reserved once (ROOM bounds it), instead of a
 * capacity check per token. */
#define ROOM 4096 /* per entry, plus 6 bytes a name byte: 8-dim lists, 8 escaped labels */
#define W_LIT(c, lit) (memcpy((c), "" lit, sizeof(lit) - 1), (c) += sizeof(lit) - 1)

static char *w_ind(char *c, int depth) {
    int n = depth * 2 < 32 ? depth * 2 : 32;
    *c++ = '\n';
    memset(c, ' ', (size_t)n);
    return c + n;
}

static char *w_str(char *c, const char *s, size_t n) {
    *c++ = '"';
    memcpy(c, s, n);
    c += n;
    *c++ = '"';
    return c;
}

static char *w_list(char *c, const int64_t *v, int n) {
    *c++ = '[';
    for (int i = 0; i < n; i++) {
        if (i) W_LIT(c, ", ");
        c = ttlx_put_i64(c, v[i]);
    }
    *c++ = ']';
    return c;
}

/* s escaped exactly as ttlx_sb_json_escaped does (no quotes); needs room
 * for 6 * strlen(s) bytes. */
static char *w_escaped(char *c, const char *s) {
    static const char hex[] = "0123456789abcdef";
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *c++ = (char)ch;
            continue;
        }
        *c++ = '\\';
        switch (ch) {
        case '"':
            *c++ = '"';
            break;
        case '\\':
            *c++ = '\\';
            break;
        case '\n':
            *c++ = 'n';
            break;
        case '\t':
            *c++ = 't';
            break;
        case '\r':
            *c++ = 'r';
            break;
        default:
            W_LIT(c, "u00");
            *c++ = hex[ch >> 4];
            *c++ = hex[ch & 15];
        }
    }
    return c;
}

static char *w_json(char *c, const char *s) {
    *c++ = '"';
    c = w_escaped(c, s);
    *c++ = '"';
    return c;
}

static char *w_room(ttlx_sb_t *sb, size_t n) {
    if (sb->len + n + 1 > sb->cap && !ttlx_sb_reserve(sb, n)) return NULL;
    return sb->data + sb->len;
}

static void w_commit(ttlx_sb_t *sb, char *end) {
    sb->len = (size_t)(end - sb->data);
    *end = '\0';
}

/* Starts an entry of a buffer: room reserved, the comma unless first, the
 * indent. NULL when the builder has failed (it then writes nothing more). */
static char *w_entry(ttlx_sb_t *sb, int depth, bool *first, const char *name) {
    char *c = w_room(sb, ROOM + 6 * strlen(name));
    if (!c) return NULL;
    if (!*first) *c++ = ',';
    *first = false;
    return w_ind(c, depth);
}

/* "tt.buffer.NAME": {...}, the layout attribute of one buffer. */
static void buffer_attr(ttlx_sb_t *sb, int depth, bool *first, const ttlx_layout_t *L) {
    int rank = L->buf->rank;
    char *c = w_entry(sb, depth, first, L->buf->name);
    if (!c) return;
    W_LIT(c, "\"tt.buffer.");
    c = w_escaped(c, L->buf->name);
    W_LIT(c, "\": {");
    c = w_ind(c, depth + 1);
    W_LIT(c, "\"memory\": ");
    const char *mem = ttlx_memory_name(L->memory), *kind = ttlx_layout_kind_name(L->layout);
    c = w_str(c, mem, strlen(mem));
    *c++ = ',';
    c = w_ind(c, depth + 1);
    W_LIT(c, "\"layout\": ");
    c = w_str(c, kind, strlen(kind));
    *c++ = ',';
    c = w_ind(c, depth + 1);
    W_LIT(c, "\"tile_shape\": ");
    int64_t ts[2] = {L->tile_h, L->tile_w};
    c = w_list(c, ts, 2);
    *c++ = ',';
    c = w_ind(c, depth + 1);
    W_LIT(c, "\"dtype\": ");
    c = w_str(c, L->dtype, strlen(L->dtype));
    if (L->needs_padding) {
        *c++ = ',';
        c = w_ind(c, depth + 1);
        W_LIT(c, "\"needs_padding\": true,");
        c = w_ind(c, depth + 1);
        W_LIT(c, "\"padded_shape\": ");
        c = w_list(c, L->padded_shape, L->padded_rank);
    }
    if (L->has_shard) {
        *c++ = ',';
        c = w_ind(c, depth + 1);
        W_LIT(c, "\"nd_shard\": {");
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"axes\": [");
        for (int d = 0; d < rank; d++) {
            if (d) W_LIT(c, ", ");
            c = w_json(c, L->axes[d]);
        }
        W_LIT(c, "],");
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"grid\": ");
        c = w_list(c, L->grid, rank);
        *c++ = ',';
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"shard_shape_elems\": ");
        c = w_list(c, L->shard, rank);
        *c++ = ',';
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"order\": ");
        static const char *const orders[] = {"row_major", "col_major", "match_shard"};
        if (L->order == TTLX_ORDER_BLOCK_LINEAR) {
            W_LIT(c, "\"block_linear(");
            c = ttlx_put_i64(c, L->block_k);
            W_LIT(c, ")\"");
        } else {
            c = w_str(c, orders[L->order], strlen(orders[L->order]));
        }
        *c++ = ',';
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"distribution\": ");
        if (L->dist == TTLX_DIST_GRID_2D)
            W_LIT(c, "\"grid_2d\"");
        else
            W_LIT(c, "\"round_robin_1d\"");
        *c++ = ',';
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"align_tiles\": ");
        if (L->align_tiles)
            W_LIT(c, "true");
        else
            W_LIT(c, "false");
        *c++ = ',';
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"projected_grid\": ");
        c = w_list(c, L->proj_grid, 2);
        *c++ = ',';
        c = w_ind(c, depth + 2);
        W_LIT(c, "\"projected_shard_tiles\": ");
        c = w_list(c, L->proj_shard_tiles, 2);
        c = w_ind(c, depth + 1);
        *c++ = '}';
    }
    c = w_ind(c, depth);
    *c++ = '}';
    w_commit(sb, c);
}

/* "tt.cb.NAME": {...}, the circular buffer of one buffer. */
static void cb_attr(ttlx_sb_t *sb, int depth, bool *first, const ttlx_layout_t *L) {
    char *c = w_entry(sb, depth, first, L->buf->name);
    if (!c) return;
    W_LIT(c, "\"tt.cb.");
    c = w_escaped(c, L->buf->name);
    W_LIT(c, "\": {\"page_size\": ");
    c = ttlx_put_i64(c, L->tile_bytes);
    W_LIT(c, ", \"depth\": ");
    c = ttlx_put_i64(c, L->cb_depth);
    W_LIT(c, ", \"data_format\": ");
    c = w_str(c, L->data_format, strlen(L->data_format));
    *c++ = '}';
    w_commit(sb, c);
}

static void attrs_body(ttlx_sb_t *sb, int depth, const ttlx_result_t *r) {
    size_t n = ttlx_result_buffer_count(r);
    bool first = true;
    ttlx_sb_putn(sb, "{", 1);
    for (size_t i = 0; i < n; i++)
        buffer_attr(sb, depth + 1, &first, ttlx_result_layout(r, i));
    for (size_t i = 0; i < n; i++)
        cb_attr(sb, depth + 1, &first, ttlx_result_layout(r, i));
    const ttlx_partition_t *p = ttlx_result_partition(r);
    KEY(sb, depth + 1, &first, "tt.partition_mode");
    ttlx_sb_json_string(sb, p->local_shard ? "local_shard" : "global");
    KEY(sb, depth + 1, &first, "tt.grid_tiles");
    int64_t gt[2] = {p->mt, p->nt};
    int_list(sb, gt, 2);
    if (p->local_shard) {
        KEY(sb, depth + 1, &first, "tt.shard_grid");
        int_list(sb, p->shard_grid, 2);
        KEY(sb, depth + 1, &first, "tt.local_shape_tiles");
        int_list(sb, p->local_tiles, 2);
    }
    KEY(sb, depth + 1, &first, "tt.core_ranges");
    ttlx_sb_putn(sb, "[", 1);
    for (size_t k = 0; k < p->ncores; k++) {
        const ttlx_core_range_t *c = &p->cores[k];
        int64_t v[6] = {c->x, c->y, c->x, c->y, c->start, c->count};
        if (k) ttlx_sb_putn(sb, ",", 1);
        ind(sb, depth + 2);
        int_list(sb, v, 6);
    }
    if (p->ncores) ind(sb, depth + 1);
    ttlx_sb_putn(sb, "]", 1);
    KEY(sb, depth + 1, &first, "tt.runtime_arg_names");
    TTLX_SB_LIT(sb, "[\"tt_start_tile\", \"tt_tile_count\", \"Mt\", \"Kt\", \"Nt\"");
    if (p->local_shard) TTLX_SB_LIT(sb, ", \"Sm\", \"Sn\", \"Gy\", \"Gx\", \"sy\", \"sx\"");
    ttlx_sb_putn(sb, "]", 1);
    KEY(sb, depth + 1, &first, "tt.runtime_constants");
    TTLX_SB_LIT(sb, "{\"Mt\": ");
    ttlx_sb_i64(sb, p->mt);
    TTLX_SB_LIT(sb, ", \"Kt\": ");
    ttlx_sb_i64(sb, p->kt);
    TTLX_SB_LIT(sb, ", \"Nt\": ");
    ttlx_sb_i64(sb, p->nt);
    if (p->local_shard) {
        TTLX_SB_LIT(sb, ", \"Sm\": ");
        ttlx_sb_i64(sb, p->local_tiles[0]);
        TTLX_SB_LIT(sb, ", \"Sn\": ");
        ttlx_sb_i64(sb, p->local_tiles[1]);
        TTLX_SB_LIT(sb, ", \"Gy\": ");
        ttlx_sb_i64(sb, p->shard_grid[0]);
        TTLX_SB_LIT(sb, ", \"Gx\": ");
        ttlx_sb_i64(sb, p->shard_grid[1]);
    }
    ttlx_sb_putn(sb, "}", 1);
    ind(sb, depth);
    ttlx_sb_putn(sb, "}", 1);
}

/* "NAME": {...}, one buffer's entry in analysis.buffers. */
static void analysis_buffer(ttlx_sb_t *sb, int depth, bool *first, const ttlx_layout_t *L) {
    char *c = w_entry(sb, depth, first, L->buf->name);
    if (!c) return;
    c = w_json(c, L->buf->name);
    W_LIT(c, ": {\"tile_bytes\": ");
    c = ttlx_put_i64(c, L->tile_bytes);
    W_LIT(c, ", \"page_bytes\": ");
    c = ttlx_put_i64(c, L->page_bytes);
    W_LIT(c, ", \"pages\": ");
    c = ttlx_put_i64(c, L->pages);
    W_LIT(c, ", \"tile_grid\": ");
    c = w_list(c, L->tile_grid, L->tile_rank);
    if (!L->placed) {
        W_LIT(c, ", \"placed\": false");
    } else if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
        W_LIT(c, ", \"banks\": ");
        c = ttlx_put_i64(c, L->banks);
        W_LIT(c, ", \"bytes_per_bank\": ");
        c = ttlx_put_i64(c, L->bytes_per_bank);
    } else {
        W_LIT(c, ", \"shards\": ");
        c = ttlx_put_i64(c, L->shards);
        W_LIT(c, ", \"shard_tiles\": ");
        c = ttlx_put_i64(c, L->shard_tiles);
        W_LIT(c, ", \"cores_used\": ");
        c = ttlx_put_i64(c, L->cores_used);
        W_LIT(c, ", \"max_shards_per_core\": ");
        c = ttlx_put_i64(c, L->max_shards_per_core);
        W_LIT(c, ", \"bytes_per_core\": ");
        c = ttlx_put_i64(c, L->bytes_per_core);
    }
    *c++ = '}';
    w_commit(sb, c);
}

static void analysis_body(ttlx_sb_t *sb, int depth, const ttlx_result_t *r) {
    bool first = true, fb = true;
    ttlx_sb_putn(sb, "{", 1);
    KEY(sb, depth + 1, &first, "buffers");
    ttlx_sb_putn(sb, "{", 1);
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++)
        analysis_buffer(sb, depth + 2, &fb, ttlx_result_layout(r, i));
    if (!fb) ind(sb, depth + 1);
    ttlx_sb_putn(sb, "}", 1);
    int wx, wy;
    int64_t max = ttlx_result_max_used(r, &wx, &wy);
    KEY(sb, depth + 1, &first, "cores");
    TTLX_SB_LIT(sb, "{\"l1_bank\": ");
    ttlx_sb_i64(sb, ttlx_result_device(r)->l1_bank_bytes);
    TTLX_SB_LIT(sb, ", \"max_used\": ");
    ttlx_sb_i64(sb, max);
    ttlx_sb_printf(sb, ", \"worst_core\": [%d, %d]}", wx, wy);
    ind(sb, depth);
    ttlx_sb_putn(sb, "}", 1);
}

static void diags_body(ttlx_sb_t *sb, int depth, const ttlx_result_t *r) {
    size_t n = ttlx_result_diag_count(r);
    ttlx_sb_putn(sb, "[", 1);
    for (size_t i = 0; i < n; i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        if (i) ttlx_sb_putn(sb, ",", 1);
        ind(sb, depth + 1);
        TTLX_SB_LIT(sb, "{\"code\": ");
        ttlx_sb_json_string(sb, d->code);
        TTLX_SB_LIT(sb, ", \"severity\": ");
        ttlx_sb_json_string(sb, ttlx_severity_name(d->severity));
        TTLX_SB_LIT(sb, ", \"buffer\": ");
        if (d->buffer_name)
            ttlx_sb_json_string(sb, d->buffer_name);
        else
            TTLX_SB_LIT(sb, "null");
        if (d->core_x >= 0) ttlx_sb_printf(sb, ", \"core\": [%d, %d]", d->core_x, d->core_y);
        TTLX_SB_LIT(sb, ",");
        ind(sb, depth + 2);
        TTLX_SB_LIT(sb, "\"message\": ");
        ttlx_sb_json_string(sb, d->message);
        TTLX_SB_LIT(sb, ",");
        ind(sb, depth + 2);
        TTLX_SB_LIT(sb, "\"fix\": ");
        if (d->fix)
            ttlx_sb_json_string(sb, d->fix);
        else
            TTLX_SB_LIT(sb, "null");
        ttlx_sb_putn(sb, "}", 1);
    }
    if (n) ind(sb, depth);
    ttlx_sb_putn(sb, "]", 1);
}

static void write_document(ttlx_sb_t *sb, const ttlx_result_t *r);

char *ttlx_output_json_text(const ttlx_result_t *r) {
    ttlx_sb_t sb = {0};
    write_document(&sb, r);
    return ttlx_sb_take(&sb);
}

bool ttlx_output_json_write(const ttlx_result_t *r, FILE *out) {
    ttlx_sb_t sb = {0};
    sb.sink = out;
    write_document(&sb, r);
    bool ok = ttlx_sb_flush(&sb);
    ttlx_sb_free(&sb);
    return ok;
}

static void write_document(ttlx_sb_t *sb_, const ttlx_result_t *r) {
    ttlx_sb_t sb = *sb_;
    bool first = true;
    ttlx_sb_putn(&sb, "{", 1);
    KEY(&sb, 1, &first, "func");
    ttlx_sb_json_string(&sb, ttlx_result_func_name(r));
    KEY(&sb, 1, &first, "device");
    ttlx_sb_json_string(&sb, ttlx_result_device(r)->name);
    KEY(&sb, 1, &first, "attrs");
    attrs_body(&sb, 1, r);
    KEY(&sb, 1, &first, "analysis");
    analysis_body(&sb, 1, r);
    KEY(&sb, 1, &first, "diagnostics");
    diags_body(&sb, 1, r);
    TTLX_SB_LIT(&sb, "\n}\n");
    *sb_ = sb;
}

cJSON *ttlx_output_json(const ttlx_result_t *r) {
    char *text = ttlx_output_json_text(r);
    if (!text) return NULL;
    cJSON *doc = cJSON_Parse(text);
    ttlx_free(text);
    return doc;
}

cJSON *ttlx_output_attrs(const ttlx_result_t *r) {
    ttlx_sb_t sb = {0};
    attrs_body(&sb, 0, r);
    char *text = ttlx_sb_take(&sb);
    if (!text) return NULL;
    cJSON *doc = cJSON_Parse(text);
    ttlx_free(text);
    return doc;
}

/* ---- readable summary ------------------------------------------------- */

static void shape_text(ttlx_sb_t *sb, const int64_t *v, int n, const char *sep) {
    for (int i = 0; i < n; i++) {
        if (i) ttlx_sb_puts(sb, sep);
        ttlx_sb_i64(sb, v[i]);
    }
}

/* "N B", and for L1 " of BANK B L1", ending the line. */
static void bytes_line(ttlx_sb_t *sb, const ttlx_layout_t *L, int64_t bytes,
                       const ttlx_device_t *dev) {
    ttlx_sb_bytes(sb, bytes);
    TTLX_SB_LIT(sb, " B");
    if (L->memory == TTLX_MEM_L1) {
        TTLX_SB_LIT(sb, " of ");
        ttlx_sb_bytes(sb, dev->l1_bank_bytes);
        TTLX_SB_LIT(sb, " B L1");
    }
    TTLX_SB_LIT(sb, "\n");
}

static void summary_buffer(ttlx_sb_t *sb, const ttlx_result_t *r, size_t i) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    const ttlx_device_t *dev = ttlx_result_device(r);
    const char *mark = L->ndiags == 0 ? "ok" : ttlx_severity_name(L->worst);
    ttlx_sb_printf(sb, "%s  [", L->buf->name);
    shape_text(sb, L->buf->shape, L->buf->rank, ", ");
    ttlx_sb_printf(sb, "] %s  %s %s  (%s)\n", L->dtype, ttlx_memory_name(L->memory),
                   ttlx_layout_kind_name(L->layout), mark);
    ttlx_sb_printf(sb, "  tiles      %dx%d, ", L->tile_h, L->tile_w);
    ttlx_sb_bytes(sb, L->tile_bytes);
    TTLX_SB_LIT(sb, " B per tile");
    if (L->page_bytes != L->tile_bytes) {
        TTLX_SB_LIT(sb, " (page ");
        ttlx_sb_bytes(sb, L->page_bytes);
        TTLX_SB_LIT(sb, " B aligned)");
    }
    TTLX_SB_LIT(sb, "; tile grid ");
    shape_text(sb, L->tile_grid, L->tile_rank, "x");
    TTLX_SB_LIT(sb, " = ");
    ttlx_sb_bytes(sb, L->pages);
    TTLX_SB_LIT(sb, " pages\n");
    if (L->needs_padding) {
        TTLX_SB_LIT(sb, "  padding    to ");
        shape_text(sb, L->padded_shape, L->padded_rank, "x");
        ttlx_sb_printf(sb, ": %lld pages hold padding, %.1f%% of tile bytes\n",
                       (long long)L->padding_pages, L->padding_waste * 100.0);
    }
    if (!L->placed) {
        TTLX_SB_LIT(sb, "  placement  none: the hint has errors (see below)\n");
        return;
    }
    if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
        if (L->memory == TTLX_MEM_DRAM)
            ttlx_sb_printf(sb,
                           "  placement  interleaved over %d DRAM banks, page i in bank i %% %d\n",
                           L->banks, L->banks);
        else
            ttlx_sb_printf(sb,
                           "  placement  interleaved over %d L1 banks (cores in raster order), "
                           "page i on core i %% %d\n",
                           L->banks, L->banks);
        ttlx_sb_printf(sb, "  per bank   %lld page%s = ", (long long)L->pages_per_bank,
                       L->pages_per_bank == 1 ? "" : "s");
        bytes_line(sb, L, L->bytes_per_bank, dev);
        return;
    }
    TTLX_SB_LIT(sb, "  shards     axes [");
    for (int d = 0; d < L->buf->rank; d++)
        ttlx_sb_printf(sb, "%s%s", d ? ", " : "", L->axes[d]);
    TTLX_SB_LIT(sb, "], grid [");
    shape_text(sb, L->grid, L->buf->rank, ", ");
    TTLX_SB_LIT(sb, "], shard [");
    shape_text(sb, L->shard, L->buf->rank, ", ");
    ttlx_sb_printf(sb, "] = %lld shards of %lld tiles\n", (long long)L->shards,
                   (long long)L->shard_tiles);
    ttlx_sb_printf(sb, "  projection grid %lldx%lld (M x N), shard %lldx%lld tiles\n",
                   (long long)L->proj_grid[0], (long long)L->proj_grid[1],
                   (long long)L->proj_shard_tiles[0], (long long)L->proj_shard_tiles[1]);
    if (L->memory == TTLX_MEM_DRAM) {
        ttlx_sb_printf(sb, "  placement  %lld DRAM banks, up to %lld shards per bank\n",
                       (long long)L->cores_used, (long long)L->max_shards_per_core);
        TTLX_SB_LIT(sb, "  per bank   ");
    } else {
        ttlx_sb_printf(sb, "  placement  %s, %lld cores, up to %lld shard%s per core\n",
                       L->dist == TTLX_DIST_GRID_2D
                           ? (L->order == TTLX_ORDER_COL_MAJOR ? "grid_2d col_major (x=M, y=N)"
                                                               : "grid_2d (x=N, y=M)")
                           : "round_robin_1d",
                       (long long)L->cores_used, (long long)L->max_shards_per_core,
                       L->max_shards_per_core == 1 ? "" : "s");
        TTLX_SB_LIT(sb, "  per core   ");
    }
    bytes_line(sb, L, L->bytes_per_core, dev);
}

/* The work partition's lines (ttlx_result_work_text), indented under "work". */
static void summary_work(ttlx_sb_t *sb, const ttlx_result_t *r) {
    char text[1024];
    ttlx_result_work_text(r, text, sizeof text);
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        TTLX_SB_LIT(sb, "           ");
        ttlx_sb_putn(sb, line, len);
        TTLX_SB_LIT(sb, "\n");
        line += len + (nl != NULL);
    }
}

bool ttlx_output_summary(const ttlx_result_t *r, FILE *out) {
    ttlx_sb_t sb = {0};
    const ttlx_device_t *dev = ttlx_result_device(r);
    ttlx_sb_printf(&sb, "%s on %s: %dx%d cores, ", ttlx_result_func_name(r), dev->name, dev->grid_x,
                   dev->grid_y);
    ttlx_sb_bytes(&sb, dev->l1_bank_bytes);
    ttlx_sb_printf(&sb, " B L1 per core, %d DRAM banks\n\n", dev->dram_banks);
    size_t n = ttlx_result_buffer_count(r);
    int64_t cb = 0;
    for (size_t i = 0; i < n; i++) {
        summary_buffer(&sb, r, i);
        cb += ttlx_result_layout(r, i)->cb_bytes;
    }
    const ttlx_partition_t *p = ttlx_result_partition(r);
    ttlx_sb_printf(&sb, "\nwork       %s: grid tiles %lldx%lld",
                   p->local_shard ? "local_shard" : "global", (long long)p->mt, (long long)p->nt);
    if (p->local_shard)
        ttlx_sb_printf(&sb, ", led by %s: shard grid %lldx%lld, %lldx%lld tiles per shard",
                       ttlx_result_layout(r, (size_t)p->leader)->buf->name,
                       (long long)p->shard_grid[0], (long long)p->shard_grid[1],
                       (long long)p->local_tiles[0], (long long)p->local_tiles[1]);
    ttlx_sb_printf(&sb, "; %zu cores\n", p->ncores);
    summary_work(&sb, r);
    ttlx_sb_printf(&sb, "CBs        %zu per core, ", n);
    ttlx_sb_bytes(&sb, cb);
    TTLX_SB_LIT(&sb, " B per core\n");
    int wx, wy;
    int64_t max = ttlx_result_max_used(r, &wx, &wy);
    ttlx_sb_printf(&sb, "L1         worst core (%d,%d) uses ", wx, wy);
    ttlx_sb_bytes(&sb, max);
    TTLX_SB_LIT(&sb, " of ");
    ttlx_sb_bytes(&sb, dev->l1_bank_bytes);
    ttlx_sb_printf(&sb, " B (%.1f%%)\n", 100.0 * (double)max / (double)dev->l1_bank_bytes);
    size_t e, w, in;
    ttlx_result_diag_counts(r, &e, &w, &in);
    ttlx_sb_printf(&sb, "\ndiagnostics: %zu error%s, %zu warning%s, %zu info\n", e,
                   e == 1 ? "" : "s", w, w == 1 ? "" : "s", in);
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        ttlx_sb_printf(&sb, "  %-7s %s %s%s%s\n", ttlx_severity_name(d->severity), d->code,
                       d->buffer_name ? d->buffer_name : "", d->buffer_name ? ": " : "",
                       d->message);
        if (d->fix) ttlx_sb_printf(&sb, "          fix: %s\n", d->fix);
    }
    if (sb.failed) {
        ttlx_sb_free(&sb);
        return false;
    }
    bool ok = fwrite(sb.data, 1, sb.len, out) == sb.len;
    ttlx_sb_free(&sb);
    return ok;
}
