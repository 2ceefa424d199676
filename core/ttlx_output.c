/*
 * ttlx_output.c - the canonical output of SPEC 6 and the readable summary
 * of `ttlx infer`. The document is one walk over the result
 * (ttlx_output_emit: stable key order, integers only) that feeds a sink;
 * this file has the two core sinks: canonical text (byte-identical for
 * identical input) and a cJSON tree.
 */
#include "ttlx_output.h"
#include "ttlx_ttnn.h"
#include "ttlx_internal.h"
#include "ttlx_text.h"

#include <stdio.h>
#include <string.h>

/* ---- the document, walked once ----------------------------------------- */

static void put_str(const ttlx_emit_t *e, const char *k, const char *v) {
    e->key(e->ud, k, NULL);
    e->string(e->ud, v);
}

static void put_int(const ttlx_emit_t *e, const char *k, int64_t v) {
    e->key(e->ud, k, NULL);
    e->integer(e->ud, v);
}

static void put_ints(const ttlx_emit_t *e, const char *k, const int64_t *v, int n) {
    e->key(e->ud, k, NULL);
    e->ints(e->ud, v, (size_t)n);
}

static void put_pair(const ttlx_emit_t *e, const char *k, int64_t a, int64_t b) {
    int64_t v[2] = {a, b};
    put_ints(e, k, v, 2);
}

/* "nd_shard": {...} of a sharded buffer. */
static void emit_nd_shard(const ttlx_emit_t *e, const ttlx_layout_t *L) {
    int rank = L->buf->rank;
    e->key(e->ud, "nd_shard", NULL);
    e->begin_object(e->ud, TTLX_EMIT_BLOCK, 8);
    e->key(e->ud, "axes", NULL);
    e->begin_array(e->ud, TTLX_EMIT_INLINE, (size_t)rank);
    for (int d = 0; d < rank; d++)
        e->string(e->ud, L->axes[d]);
    e->end_array(e->ud);
    put_ints(e, "grid", L->grid, rank);
    put_ints(e, "shard_shape_elems", L->shard, rank);
    if (L->order == TTLX_ORDER_BLOCK_LINEAR) {
        char order[48];
        char *c = ttlx_put_i64(order + 13, L->block_k);
        memcpy(order, "block_linear(", 13);
        memcpy(c, ")", 2);
        put_str(e, "order", order);
    } else {
        put_str(e, "order", ttlx_order_name(L->order));
    }
    put_str(e, "distribution", ttlx_dist_name(L->dist));
    e->key(e->ud, "align_tiles", NULL);
    e->boolean(e->ud, L->align_tiles);
    put_ints(e, "projected_grid", L->proj_grid, 2);
    put_ints(e, "projected_shard_tiles", L->proj_shard_tiles, 2);
    e->end_object(e->ud);
}

/* "tt.buffer.NAME": {...}, the layout attribute of one buffer. */
static void emit_buffer_attr(const ttlx_emit_t *e, const ttlx_layout_t *L) {
    e->key(e->ud, "tt.buffer.", L->buf->name);
    e->begin_object(e->ud, TTLX_EMIT_BLOCK, 7);
    put_str(e, "memory", ttlx_memory_name(L->memory));
    put_str(e, "layout", ttlx_layout_kind_name(L->layout));
    put_pair(e, "tile_shape", L->tile_h, L->tile_w);
    put_str(e, "dtype", L->dtype);
    if (L->needs_padding) {
        e->key(e->ud, "needs_padding", NULL);
        e->boolean(e->ud, true);
        put_ints(e, "padded_shape", L->padded_shape, L->padded_rank);
    }
    if (L->has_shard) emit_nd_shard(e, L);
    e->end_object(e->ud);
}

/* "tt.cb.NAME": {...}, the circular buffer of one buffer. */
static void emit_cb_attr(const ttlx_emit_t *e, const ttlx_layout_t *L) {
    if (!L->data_format) return; /* TTL016: no data format, no circular buffer */
    e->key(e->ud, "tt.cb.", L->buf->name);
    e->begin_object(e->ud, TTLX_EMIT_INLINE, 3);
    put_int(e, "page_size", L->tile_bytes);
    put_int(e, "depth", L->cb_depth);
    put_str(e, "data_format", L->data_format);
    e->end_object(e->ud);
}

/* One row of tt.core_ranges: [x, y, x, y, start, count]. */
static void core_range_row(const void *src, size_t i, int64_t *out) {
    const ttlx_core_range_t *c = &((const ttlx_partition_t *)src)->cores[i];
    out[0] = out[2] = c->x;
    out[1] = out[3] = c->y;
    out[4] = c->start;
    out[5] = c->count;
}

static const char *const arg_names[] = {
    "tt_start_tile", "tt_tile_count", "Mt", "Kt", "Nt", "Sm", "Sn", "Gy", "Gx", "sy", "sx"};

static void emit_attrs(const ttlx_emit_t *e, const ttlx_result_t *r) {
    size_t n = ttlx_result_buffer_count(r);
    const ttlx_partition_t *p = ttlx_result_partition(r);
    e->begin_object(e->ud, TTLX_EMIT_BLOCK, 2 * n + 8);
    for (size_t i = 0; i < n; i++)
        emit_buffer_attr(e, ttlx_result_layout(r, i));
    for (size_t i = 0; i < n; i++)
        emit_cb_attr(e, ttlx_result_layout(r, i));
    put_str(e, "tt.partition_mode", p->local_shard ? "local_shard" : "global");
    put_pair(e, "tt.grid_tiles", p->mt, p->nt);
    if (p->local_shard) {
        put_ints(e, "tt.shard_grid", p->shard_grid, 2);
        put_ints(e, "tt.local_shape_tiles", p->local_tiles, 2);
    }
    e->key(e->ud, "tt.core_ranges", NULL);
    e->int_rows(e->ud, p->ncores, 6, core_range_row, p);
    size_t nargs = p->local_shard ? 11 : 5;
    e->key(e->ud, "tt.runtime_arg_names", NULL);
    e->begin_array(e->ud, TTLX_EMIT_INLINE, nargs);
    for (size_t i = 0; i < nargs; i++)
        e->string(e->ud, arg_names[i]);
    e->end_array(e->ud);
    e->key(e->ud, "tt.runtime_constants", NULL);
    e->begin_object(e->ud, TTLX_EMIT_INLINE, p->local_shard ? 7 : 3);
    put_int(e, "Mt", p->mt);
    put_int(e, "Kt", p->kt);
    put_int(e, "Nt", p->nt);
    if (p->local_shard) {
        put_int(e, "Sm", p->local_tiles[0]);
        put_int(e, "Sn", p->local_tiles[1]);
        put_int(e, "Gy", p->shard_grid[0]);
        put_int(e, "Gx", p->shard_grid[1]);
    }
    e->end_object(e->ud);
    e->end_object(e->ud);
}

/* "NAME": {...}, one buffer's entry in analysis.buffers. */
static void emit_analysis_buffer(const ttlx_emit_t *e, const ttlx_layout_t *L) {
    e->key(e->ud, "", L->buf->name);
    e->begin_object(e->ud, TTLX_EMIT_INLINE, 9);
    put_int(e, "tile_bytes", L->tile_bytes);
    put_int(e, "page_bytes", L->page_bytes);
    put_int(e, "pages", L->pages);
    put_ints(e, "tile_grid", L->tile_grid, L->tile_rank);
    if (!L->placed) {
        e->key(e->ud, "placed", NULL);
        e->boolean(e->ud, false);
    } else if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
        put_int(e, "banks", L->banks);
        put_int(e, "bytes_per_bank", L->bytes_per_bank);
    } else {
        put_int(e, "shards", L->shards);
        put_int(e, "shard_tiles", L->shard_tiles);
        put_int(e, "cores_used", L->cores_used);
        put_int(e, "max_shards_per_core", L->max_shards_per_core);
        put_int(e, "bytes_per_core", L->bytes_per_core);
    }
    e->end_object(e->ud);
}

/* "work": the output tile grid, the tiles each launch block covers, Kt
 * and whether it came from a matmul-shaped function (SPEC 3.7). */
static void emit_work(const ttlx_emit_t *e, const ttlx_partition_t *p) {
    e->key(e->ud, "work", NULL);
    e->begin_object(e->ud, TTLX_EMIT_INLINE, 4);
    put_ints(e, "output_tile_grid", p->out_grid, 2);
    put_ints(e, "tiles_per_block", p->block_tiles, 2);
    put_int(e, "Kt", p->kt);
    e->key(e->ud, "Kt_derived", NULL);
    e->boolean(e->ud, p->kt_derived);
    e->end_object(e->ud);
}

static void emit_analysis(const ttlx_emit_t *e, const ttlx_result_t *r) {
    size_t n = ttlx_result_buffer_count(r);
    e->begin_object(e->ud, TTLX_EMIT_BLOCK, 3);
    e->key(e->ud, "buffers", NULL);
    e->begin_object(e->ud, TTLX_EMIT_BLOCK, n);
    for (size_t i = 0; i < n; i++)
        emit_analysis_buffer(e, ttlx_result_layout(r, i));
    e->end_object(e->ud);
    int wx, wy;
    int64_t max = ttlx_result_max_used(r, &wx, &wy);
    e->key(e->ud, "cores", NULL);
    e->begin_object(e->ud, TTLX_EMIT_INLINE, 3);
    put_int(e, "l1_bank", ttlx_result_device(r)->l1_bank_bytes);
    put_int(e, "max_used", max);
    put_pair(e, "worst_core", wx, wy);
    e->end_object(e->ud);
    emit_work(e, ttlx_result_partition(r));
    e->end_object(e->ud);
}

/* A fix's hints (cJSON owned by the result): inline, names as data. */
static void emit_cjson(const ttlx_emit_t *e, const cJSON *v) {
    if (cJSON_IsObject(v)) {
        e->begin_object(e->ud, TTLX_EMIT_INLINE, (size_t)cJSON_GetArraySize(v));
        for (const cJSON *c = v->child; c; c = c->next) {
            e->key(e->ud, "", c->string ? c->string : "");
            emit_cjson(e, c);
        }
        e->end_object(e->ud);
    } else if (cJSON_IsArray(v)) {
        int64_t ints[TTLX_MAX_RANK];
        size_t n = 0;
        bool all = true;
        for (const cJSON *c = v->child; c && all; c = c->next) {
            all = n < TTLX_MAX_RANK && cJSON_IsNumber(c) && c->valuedouble == (double)c->valueint;
            if (all) ints[n++] = c->valueint;
        }
        if (all) {
            e->ints(e->ud, ints, n);
            return;
        }
        e->begin_array(e->ud, TTLX_EMIT_INLINE, (size_t)cJSON_GetArraySize(v));
        for (const cJSON *c = v->child; c; c = c->next)
            emit_cjson(e, c);
        e->end_array(e->ud);
    } else if (cJSON_IsString(v)) {
        e->string(e->ud, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        e->boolean(e->ud, cJSON_IsTrue(v));
    } else if (cJSON_IsNumber(v)) {
        if (v->valuedouble == (double)v->valueint)
            e->integer(e->ud, v->valueint);
        else
            e->number(e->ud, v->valuedouble);
    } else {
        e->null(e->ud);
    }
}

static void emit_diagnostics(const ttlx_emit_t *e, const ttlx_result_t *r) {
    size_t n = ttlx_result_diag_count(r);
    e->begin_array(e->ud, TTLX_EMIT_BLOCK, n);
    for (size_t i = 0; i < n; i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        e->begin_object(e->ud, TTLX_EMIT_INLINE, 6 + !!d->fix_hints + !!d->fix_alts);
        put_str(e, "code", d->code);
        put_str(e, "severity", ttlx_severity_name(d->severity));
        e->key(e->ud, "buffer", NULL);
        if (d->buffer_name)
            e->string(e->ud, d->buffer_name);
        else
            e->null(e->ud);
        if (d->core_x >= 0) put_pair(e, "core", d->core_x, d->core_y);
        e->wrap(e->ud);
        put_str(e, "message", d->message);
        e->wrap(e->ud);
        e->key(e->ud, "fix", NULL);
        if (d->fix)
            e->string(e->ud, d->fix);
        else
            e->null(e->ud);
        if (d->fix_hints) { /* the fix as data (SPEC 4) */
            e->wrap(e->ud);
            e->key(e->ud, "fix_hints", NULL);
            emit_cjson(e, d->fix_hints);
        }
        if (d->fix_alts) { /* up to 2 alternatives, each checked as the fix is */
            e->wrap(e->ud);
            e->key(e->ud, "fix_alternatives", NULL);
            e->begin_array(e->ud, TTLX_EMIT_INLINE, (size_t)cJSON_GetArraySize(d->fix_alts));
            for (const cJSON *a = d->fix_alts->child; a; a = a->next) {
                const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "fix");
                e->wrap(e->ud);
                e->begin_object(e->ud, TTLX_EMIT_INLINE, 2);
                put_str(e, "fix", cJSON_IsString(t) ? t->valuestring : "");
                e->wrap(e->ud);
                e->key(e->ud, "fix_hints", NULL);
                emit_cjson(e, cJSON_GetObjectItemCaseSensitive(a, "fix_hints"));
                e->end_object(e->ud);
            }
            e->end_array(e->ud);
        }
        e->end_object(e->ud);
    }
    e->end_array(e->ud);
}

static void emit_part(const ttlx_result_t *r, ttlx_output_part_t part, const ttlx_emit_t *e) {
    switch (part) {
    case TTLX_OUTPUT_ATTRS:
        emit_attrs(e, r);
        return;
    case TTLX_OUTPUT_DIAGNOSTICS:
        emit_diagnostics(e, r);
        return;
    case TTLX_OUTPUT_DOCUMENT:
        break;
    }
    e->begin_object(e->ud, TTLX_EMIT_BLOCK, 5);
    put_str(e, "func", ttlx_result_func_name(r));
    put_str(e, "device", ttlx_result_device(r)->name);
    e->key(e->ud, "attrs", NULL);
    emit_attrs(e, r);
    e->key(e->ud, "analysis", NULL);
    emit_analysis(e, r);
    e->key(e->ud, "diagnostics", NULL);
    emit_diagnostics(e, r);
    e->end_object(e->ud);
}

void ttlx_output_emit(const ttlx_result_t *r, ttlx_output_part_t part, const ttlx_emit_t *sink) {
    emit_part(r, part, sink);
}

/* ---- sink: canonical text --------------------------------------------
 * Each event reserves room once and writes with plain stores (no capacity
 * check per byte): the document of a large PrimFunc is megabytes. */

#define TEXT_MAX_DEPTH 16
#define W_LIT(c, lit) (memcpy((c), "" lit, sizeof(lit) - 1), (c) += sizeof(lit) - 1)
#define W_SLACK 64 /* separator, indent, brackets around a value */

typedef struct text_sink {
    ttlx_sb_t sb; /* a copy, put back at the end */
    int depth;    /* open containers; 0 is the (inline, array-like) root */
    /* The innermost container, kept apart from the stack so the hot path
     * reads plain fields; saved[d] holds them for the containers around. */
    bool block, array, any;
    bool wrap; /* the next member starts a line */
    unsigned char saved[TEXT_MAX_DEPTH + 1];
} text_sink_t;

static char *w_ind(char *c, int depth) {
    int n = depth * 2 < 32 ? depth * 2 : 32;
    *c++ = '\n';
    memset(c, ' ', (size_t)n);
    return c + n;
}

/* s (n bytes) escaped as ttlx_sb_json_escaped does; needs 6 * n bytes. */
static char *w_escaped(char *c, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t w;
        memcpy(&w, s + k, 8);
        if (ttlx_word_has_json_special(w)) break;
    }
    memcpy(c, s, k);
    c += k;
    for (; k < n; k++) {
        unsigned char ch = (unsigned char)s[k];
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

static char *w_list(char *c, const int64_t *v, size_t n) {
    *c++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i) W_LIT(c, ", ");
        c = ttlx_put_i64(c, v[i]);
    }
    *c++ = ']';
    return c;
}

/* Room for n more bytes (and the slack); NULL once the builder failed. */
static char *t_room(text_sink_t *t, size_t n) {
    ttlx_sb_t *sb = &t->sb;
    n += W_SLACK;
    if (sb->len + n + 1 > sb->cap && !ttlx_sb_reserve(sb, n)) return NULL;
    return sb->data + sb->len;
}

/* The text is NUL-terminated once, at the end of the document. */
static void t_commit(text_sink_t *t, char *end) {
    t->sb.len = (size_t)(end - t->sb.data);
}

/* What goes before a member: the comma, then a new line or a space. */
static char *t_sep(text_sink_t *t, char *c) {
    if (t->any) *c++ = ',';
    if (t->block || t->wrap)
        c = w_ind(c, t->depth);
    else if (t->any)
        *c++ = ' ';
    t->any = true;
    t->wrap = false;
    return c;
}

/* Starts a value: in an array it is a member (an object's key was one). */
static char *t_value(text_sink_t *t, size_t n) {
    char *c = t_room(t, n);
    if (c && t->array) c = t_sep(t, c);
    return c;
}

static void t_open(text_sink_t *t, char bracket, bool array, ttlx_emit_layout_t layout) {
    char *c = t_value(t, 1);
    if (!c) return;
    if (t->depth == TEXT_MAX_DEPTH) {
        t->sb.failed = true;
        return;
    }
    *c++ = bracket;
    t_commit(t, c);
    t->saved[t->depth++] = (unsigned char)(t->block | t->array << 1 | t->any << 2);
    t->block = layout == TTLX_EMIT_BLOCK;
    t->array = array;
    t->any = false;
}

static void t_close(text_sink_t *t, char bracket) {
    char *c = t_room(t, 0);
    if (!c || t->depth == 0) return;
    if (t->block && t->any) c = w_ind(c, t->depth - 1);
    *c++ = bracket;
    t_commit(t, c);
    unsigned char s = t->saved[--t->depth];
    t->block = s & 1;
    t->array = s >> 1 & 1;
    t->any = s >> 2 & 1;
}

static void t_begin_object(void *ud, ttlx_emit_layout_t layout, size_t size_hint) {
    (void)size_hint;
    t_open(ud, '{', false, layout);
}

static void t_end_object(void *ud) {
    t_close(ud, '}');
}

static void t_begin_array(void *ud, ttlx_emit_layout_t layout, size_t size_hint) {
    (void)size_hint;
    t_open(ud, '[', true, layout);
}

static void t_end_array(void *ud) {
    t_close(ud, ']');
}

static void t_key(void *ud, const char *key, const char *name) {
    text_sink_t *t = ud;
    size_t nk = strlen(key), nn = name ? strlen(name) : 0;
    char *c = t_room(t, nk + 6 * nn + 4);
    if (!c) return;
    c = t_sep(t, c);
    *c++ = '"';
    memcpy(c, key, nk);
    c += nk;
    if (name) c = w_escaped(c, name, nn);
    W_LIT(c, "\": ");
    t_commit(t, c);
}

static void t_integer(void *ud, int64_t v) {
    char *c = t_value(ud, 20);
    if (c) t_commit(ud, ttlx_put_i64(c, v));
}

static void t_number(void *ud, double v) {
    char *c = t_value(ud, 32);
    if (c) t_commit(ud, c + snprintf(c, 32, "%.17g", v));
}

static void t_string(void *ud, const char *s) {
    size_t n = strlen(s);
    char *c = t_value(ud, 6 * n + 2);
    if (!c) return;
    *c++ = '"';
    c = w_escaped(c, s, n);
    *c++ = '"';
    t_commit(ud, c);
}

static void t_boolean(void *ud, bool v) {
    char *c = t_value(ud, 5);
    if (!c) return;
    if (v)
        W_LIT(c, "true");
    else
        W_LIT(c, "false");
    t_commit(ud, c);
}

static void t_null(void *ud) {
    char *c = t_value(ud, 4);
    if (!c) return;
    W_LIT(c, "null");
    t_commit(ud, c);
}

static void t_ints(void *ud, const int64_t *v, size_t n) {
    char *c = t_value(ud, 22 * n + 2);
    if (c) t_commit(ud, w_list(c, v, n));
}

static void t_int_rows(void *ud, size_t rows, size_t cols,
                       void (*row)(const void *src, size_t i, int64_t *out), const void *src) {
    text_sink_t *t = ud;
    int64_t v[16];
    if (cols > 16) {
        t->sb.failed = true;
        return;
    }
    char *c = t_value(t, 1);
    if (!c) return;
    *c++ = '[';
    t_commit(t, c);
    for (size_t i = 0; i < rows; i++) {
        if (!(c = t_room(t, 22 * cols + 2))) return;
        if (i) *c++ = ',';
        c = w_ind(c, t->depth + 1);
        row(src, i, v);
        t_commit(t, w_list(c, v, cols));
    }
    if (!(c = t_room(t, 0))) return;
    if (rows) c = w_ind(c, t->depth);
    *c++ = ']';
    t_commit(t, c);
}

static void t_wrap(void *ud) {
    ((text_sink_t *)ud)->wrap = true;
}

/* The walk inlined into this one caller: the sink's callbacks are then
 * known and called directly (the text is most of `ttlx infer --json`). */
#if defined(__GNUC__)
__attribute__((flatten))
#endif
static void
write_document(ttlx_sb_t *sb, const ttlx_result_t *r) {
    text_sink_t t = {.sb = *sb, .array = true}; /* the root holds one value */
    const ttlx_emit_t sink = {&t,     t_begin_object, t_end_object, t_begin_array, t_end_array,
                              t_key,  t_integer,      t_number,     t_string,      t_boolean,
                              t_null, t_ints,         t_int_rows,   t_wrap};
    emit_part(r, TTLX_OUTPUT_DOCUMENT, &sink);
    *sb = t.sb;
    TTLX_SB_LIT(sb, "\n");
}

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

/* ---- sink: a cJSON tree ------------------------------------------------ */

typedef struct tree_sink {
    cJSON *stack[TEXT_MAX_DEPTH + 1]; /* stack[0]: the root, once built */
    int depth;
    ttlx_sb_t key; /* the pending member's key */
    bool failed;
} tree_sink_t;

/* Adds item to the open container (or makes it the root). */
static void j_add(tree_sink_t *s, cJSON *item) {
    if (!item) {
        s->failed = true;
        return;
    }
    if (s->failed) {
        cJSON_Delete(item);
        return;
    }
    if (s->depth == 0) {
        s->stack[0] = item;
        return;
    }
    cJSON *parent = s->stack[s->depth];
    bool ok = cJSON_IsArray(parent) ? cJSON_AddItemToArray(parent, item)
                                    : !s->key.failed && s->key.data &&
                                          cJSON_AddItemToObject(parent, s->key.data, item);
    if (!ok) {
        cJSON_Delete(item);
        s->failed = true;
    }
}

static void j_open(tree_sink_t *s, cJSON *c) {
    if (s->depth == TEXT_MAX_DEPTH) {
        cJSON_Delete(c);
        s->failed = true;
        return;
    }
    j_add(s, c);
    /* A failed container still takes a level, so the closes match. */
    s->stack[++s->depth] = s->failed ? NULL : c;
}

static void j_begin_object(void *ud, ttlx_emit_layout_t layout, size_t size_hint) {
    (void)layout, (void)size_hint;
    j_open(ud, cJSON_CreateObject());
}

static void j_begin_array(void *ud, ttlx_emit_layout_t layout, size_t size_hint) {
    (void)layout, (void)size_hint;
    j_open(ud, cJSON_CreateArray());
}

static void j_end(void *ud) {
    tree_sink_t *s = ud;
    if (s->depth > 0) s->depth--;
}

static void j_key(void *ud, const char *key, const char *name) {
    tree_sink_t *s = ud;
    s->key.len = 0;
    ttlx_sb_puts(&s->key, key);
    if (name) ttlx_sb_puts(&s->key, name);
}

static void j_integer(void *ud, int64_t v) {
    j_add(ud, cJSON_CreateNumber((double)v));
}

static void j_number(void *ud, double v) {
    j_add(ud, cJSON_CreateNumber(v));
}

static void j_string(void *ud, const char *s) {
    j_add(ud, cJSON_CreateString(s));
}

static void j_boolean(void *ud, bool v) {
    j_add(ud, cJSON_CreateBool(v));
}

static void j_null(void *ud) {
    j_add(ud, cJSON_CreateNull());
}

static cJSON *j_list(const int64_t *v, size_t n) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        cJSON *x = cJSON_CreateNumber((double)v[i]);
        if (!x || !cJSON_AddItemToArray(a, x)) {
            cJSON_Delete(x);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static void j_ints(void *ud, const int64_t *v, size_t n) {
    j_add(ud, j_list(v, n));
}

static void j_int_rows(void *ud, size_t rows, size_t cols,
                       void (*row)(const void *src, size_t i, int64_t *out), const void *src) {
    int64_t v[16];
    cJSON *a = cols <= 16 ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; a && i < rows; i++) {
        row(src, i, v);
        cJSON *x = j_list(v, cols);
        if (!x || !cJSON_AddItemToArray(a, x)) {
            cJSON_Delete(x);
            cJSON_Delete(a);
            a = NULL;
        }
    }
    j_add(ud, a);
}

static void j_wrap(void *ud) {
    (void)ud;
}

static cJSON *build_tree(const ttlx_result_t *r, ttlx_output_part_t part) {
    tree_sink_t s = {0};
    const ttlx_emit_t sink = {&s,     j_begin_object, j_end,      j_begin_array, j_end,
                              j_key,  j_integer,      j_number,   j_string,      j_boolean,
                              j_null, j_ints,         j_int_rows, j_wrap};
    emit_part(r, part, &sink);
    ttlx_sb_free(&s.key);
    if (s.failed) {
        cJSON_Delete(s.stack[0]);
        return NULL;
    }
    return s.stack[0];
}

cJSON *ttlx_output_json(const ttlx_result_t *r) {
    return build_tree(r, TTLX_OUTPUT_DOCUMENT);
}

cJSON *ttlx_output_attrs(const ttlx_result_t *r) {
    return build_tree(r, TTLX_OUTPUT_ATTRS);
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

static void summary_placement(ttlx_sb_t *sb, const ttlx_result_t *r, size_t i) {
    const ttlx_layout_t *L = ttlx_result_layout(r, i);
    const ttlx_device_t *dev = ttlx_result_device(r);
    const char *mark = L->ndiags == 0 ? "ok" : ttlx_severity_name(L->worst);
    ttlx_sb_safe(sb, L->buf->name);
    TTLX_SB_LIT(sb, "  [");
    shape_text(sb, L->buf->shape, L->buf->rank, ", ");
    TTLX_SB_LIT(sb, "] ");
    ttlx_sb_safe(sb, L->dtype);
    ttlx_sb_printf(sb, "  %s %s  (%s)\n", ttlx_memory_name(L->memory),
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
    if (!L->placed && !L->data_format) {
        TTLX_SB_LIT(sb, "  placement  none: no tt-metal data format for ");
        ttlx_sb_safe(sb, L->dtype);
        TTLX_SB_LIT(sb, " (see below)\n");
        return;
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
    for (int d = 0; d < L->buf->rank; d++) {
        if (d) TTLX_SB_LIT(sb, ", ");
        ttlx_sb_safe(sb, L->axes[d]);
    }
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

/* The buffer's TTNN MemoryConfig (SPEC 10), and its remark on a second line. */
static void summary_ttnn(ttlx_sb_t *sb, const ttlx_result_t *r, size_t i) {
    ttlx_ttnn_config_t c;
    if (!ttlx_ttnn_config(r, i, &c)) return;
    char text[512];
    ttlx_ttnn_brief(&c, text, sizeof text);
    ttlx_sb_printf(sb, "  ttnn       %s\n", text);
    if (c.equivalent && c.note[0]) ttlx_sb_printf(sb, "             (%s)\n", c.note);
}

static void summary_buffer(ttlx_sb_t *sb, const ttlx_result_t *r, size_t i) {
    summary_placement(sb, r, i);
    summary_ttnn(sb, r, i);
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
    ttlx_sb_safe(&sb, ttlx_result_func_name(r));
    TTLX_SB_LIT(&sb, " on ");
    ttlx_sb_safe(&sb, dev->name);
    ttlx_sb_printf(&sb, ": %dx%d cores, ", dev->grid_x, dev->grid_y);
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
    if (p->local_shard) {
        TTLX_SB_LIT(&sb, ", led by ");
        ttlx_sb_safe(&sb, ttlx_result_layout(r, (size_t)p->leader)->buf->name);
        ttlx_sb_printf(&sb, ": shard grid %lldx%lld, %lldx%lld tiles per shard",
                       (long long)p->shard_grid[0], (long long)p->shard_grid[1],
                       (long long)p->local_tiles[0], (long long)p->local_tiles[1]);
    }
    ttlx_sb_printf(&sb, "; %zu cores\n", p->ncores);
    summary_work(&sb, r);
    size_t ncb = 0; /* TTL016 buffers have none */
    for (size_t i = 0; i < n; i++)
        ncb += ttlx_result_layout(r, i)->data_format != NULL;
    ttlx_sb_printf(&sb, "CBs        %zu per core, ", ncb);
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
        ttlx_sb_printf(&sb, "  %-7s %s ", ttlx_severity_name(d->severity), d->code);
        if (d->buffer_name) {
            ttlx_sb_safe(&sb, d->buffer_name);
            TTLX_SB_LIT(&sb, ": ");
        }
        ttlx_sb_safe(&sb, d->message);
        TTLX_SB_LIT(&sb, "\n");
        if (d->fix) {
            TTLX_SB_LIT(&sb, "          fix: ");
            ttlx_sb_safe(&sb, d->fix);
            TTLX_SB_LIT(&sb, "\n");
        }
        for (const cJSON *a = d->fix_alts ? d->fix_alts->child : NULL; a; a = a->next) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, "fix");
            if (!cJSON_IsString(t)) continue;
            TTLX_SB_LIT(&sb, "          or:  ");
            ttlx_sb_safe(&sb, t->valuestring);
            TTLX_SB_LIT(&sb, "\n");
        }
    }
    if (sb.failed) {
        ttlx_sb_free(&sb);
        return false;
    }
    bool ok = fwrite(sb.data, 1, sb.len, out) == sb.len;
    ttlx_sb_free(&sb);
    return ok;
}
