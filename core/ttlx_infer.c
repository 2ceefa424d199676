/*
 * ttlx_infer.c - InferTTLayout (hint normalisation, tiles, padding,
 * interleaved and N-D sharded placement), PropagateTTLayout (circular
 * buffers) and LayoutAwareWorkPartitionTT, with every diagnostic of SPEC 4
 * and the fixes computed here. Placement queries answer from closed-form
 * arithmetic, so a buffer of millions of tiles costs nothing to hold.
 */
#include "ttlx_infer.h"
#include "ttlx_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Strings of a result live in chained blocks so pointers stay valid. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
} arena_block_t;

struct ttlx_result {
    const ttlx_func_t *func;
    ttlx_device_t dev;
    ttlx_layout_t *layouts;
    size_t n;
    ttlx_diag_t *diags;
    size_t ndiags, cap_diags;
    arena_block_t *arena;
    int64_t *core_used; /* gx*gy: L1 buffers plus CBs */
    int64_t *core_cb;   /* gx*gy: CBs */
    ttlx_partition_t part;
    ttlx_core_range_t *ranges;
    unsigned char *in_part; /* gx*gy */
    bool oom;
};

static const char *const hint_keys[] = {"memory",   "layout",   "tile_shape", "dtype",
                                        "nd_shard", "cb_depth", "halo"};
static const char *const shard_keys[] = {
    "axes",         "grid",        "shard_shape_elems", "order",
    "distribution", "align_tiles", "projected_grid",    "projected_shard_tiles"};
static const int tile_shapes[4][2] = {{32, 32}, {16, 32}, {32, 16}, {16, 16}};

/* ---- result storage ------------------------------------------------- */

static char *arena_strdup(ttlx_result_t *r, const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    arena_block_t *b = r->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = ttlx_malloc(sizeof *b + cap);
        if (!b) {
            r->oom = true;
            return NULL;
        }
        b->next = r->arena;
        b->used = 0;
        b->cap = cap;
        r->arena = b;
    }
    char *d = b->data + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

typedef struct diag_args {
    const char *code;
    ttlx_severity_t sev;
    int buffer;
    const char *buffer_name;
    const char *key;
    int core_x, core_y;
} diag_args_t;

static void add_diag(ttlx_result_t *r, diag_args_t a, const char *fix, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void add_diag(ttlx_result_t *r, diag_args_t a, const char *fix, const char *fmt, ...) {
    if (r->oom) return;
    if (r->ndiags == r->cap_diags) {
        size_t cap = r->cap_diags ? r->cap_diags * 2 : 16;
        ttlx_diag_t *d = ttlx_realloc(r->diags, cap * sizeof *d);
        if (!d) {
            r->oom = true;
            return;
        }
        r->diags = d;
        r->cap_diags = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ttlx_diag_t *d = &r->diags[r->ndiags];
    d->code = a.code;
    d->severity = a.sev;
    d->buffer = a.buffer;
    d->buffer_name =
        a.buffer >= 0 ? r->layouts[a.buffer].buf->name : arena_strdup(r, a.buffer_name);
    d->key = a.key ? arena_strdup(r, a.key) : NULL;
    d->message = arena_strdup(r, msg);
    d->fix = fix && fix[0] ? arena_strdup(r, fix) : NULL;
    d->core_x = a.core_x >= 0 ? a.core_x : -1;
    d->core_y = a.core_x >= 0 ? a.core_y : -1;
    if (r->oom) return;
    r->ndiags++;
    if (a.buffer >= 0) {
        ttlx_layout_t *L = &r->layouts[a.buffer];
        if (L->ndiags == 0 || a.sev > L->worst) L->worst = a.sev;
        L->ndiags++;
    }
}

static diag_args_t on_buf(const char *code, ttlx_severity_t sev, int bi, const char *key) {
    return (diag_args_t){code, sev, bi, NULL, key, -1, -1};
}

/* Formats bytes with thousands separators into buf. */
static const char *fmt_b(char *buf, size_t n, int64_t v) {
    ttlx_sb_t sb = {0};
    if (v == INT64_MAX)
        ttlx_sb_puts(&sb, "more than 2^63");
    else
        ttlx_sb_bytes(&sb, v);
    snprintf(buf, n, "%s", sb.data ? sb.data : "?");
    ttlx_sb_free(&sb);
    return buf;
}

/* "[a, b, c]" of n values into buf; size must hold 2 + n * 22 bytes. */
static const char *fmt_list(char *buf, size_t size, const int64_t *v, int n) {
    if (size < 2 + (size_t)n * 22) {
        buf[0] = 0;
        return buf;
    }
    char *p = buf;
    *p++ = '[';
    for (int i = 0; i < n; i++) {
        if (i) {
            *p++ = ',';
            *p++ = ' ';
        }
        p = ttlx_put_i64(p, v[i]);
    }
    *p++ = ']';
    *p = 0;
    return buf;
}

static const char *fmt_axes(char *buf, size_t size, const ttlx_layout_t *L, int n) {
    size_t k = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s\"%s\"", i ? ", " : "", L->axes[i]);
    if (k < size) snprintf(buf + k, size - k, "]");
    return buf;
}

/* ---- hint normalisation ---------------------------------------------- */

static const char *json_type(const cJSON *v) {
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "a list";
    if (cJSON_IsObject(v)) return "an object";
    return "an invalid value";
}

/* A short rendering of a bad value for messages. */
static const char *show(char *buf, size_t n, const cJSON *v) {
    if (cJSON_IsString(v))
        snprintf(buf, n, "\"%.40s\"", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(buf, n, "%.17g", v->valuedouble);
    else
        snprintf(buf, n, "%s", json_type(v));
    return buf;
}

static bool parse_order(const char *s, ttlx_order_t *order, int *k) {
    *k = 0;
    if (!strcmp(s, "row_major"))
        *order = TTLX_ORDER_ROW_MAJOR;
    else if (!strcmp(s, "col_major"))
        *order = TTLX_ORDER_COL_MAJOR;
    else if (!strcmp(s, "match_shard"))
        *order = TTLX_ORDER_MATCH_SHARD;
    else if (!strcmp(s, "block_linear")) {
        *order = TTLX_ORDER_BLOCK_LINEAR;
        *k = 1;
    } else if (!strncmp(s, "block_linear(", 13)) {
        char *end;
        long v = strtol(s + 13, &end, 10);
        if (v < 1 || v > 1 << 20 || strcmp(end, ")")) return false;
        *order = TTLX_ORDER_BLOCK_LINEAR;
        *k = (int)v;
    } else
        return false;
    return true;
}

/* Default axis labels for a rank: ..., "M", "N". */
static void default_axes(int rank, char axes[][16]) {
    static const char *const r3[] = {"B", "M", "N"};
    static const char *const r4[] = {"B", "H", "M", "N"};
    for (int d = 0; d < rank; d++) {
        if (rank == 3)
            strcpy(axes[d], r3[d]);
        else if (rank == 4)
            strcpy(axes[d], r4[d]);
        else if (d == rank - 2)
            strcpy(axes[d], "M");
        else if (d == rank - 1)
            strcpy(axes[d], "N");
        else {
            axes[d][0] = 'D';
            *ttlx_put_i64(axes[d] + 1, d) = 0;
        }
    }
}

/* A valid value to start from for an nd_shard key of buffer b: the
 * default axes, one shard per axis, or the whole shape (into buf). */
static const char *start_value(char *buf, size_t size, const ttlx_buffer_info_t *b,
                               const char *key) {
    int64_t ones[TTLX_MAX_RANK];
    char list[200];
    for (int d = 0; d < b->rank; d++)
        ones[d] = 1;
    if (b->rank < 2) {
        snprintf(buf, size, "layout \"interleaved\" (N-D sharding needs an M and an N dim)");
    } else if (!strcmp(key, "axes")) {
        ttlx_layout_t t;
        default_axes(b->rank, t.axes);
        snprintf(buf, size, "axes %s", fmt_axes(list, sizeof list, &t, b->rank));
    } else if (!strcmp(key, "grid")) {
        snprintf(buf, size, "grid %s (one entry per dim; then split the dims to shard)",
                 fmt_list(list, sizeof list, ones, b->rank));
    } else {
        snprintf(buf, size, "shard_shape_elems %s (one entry per dim, at most the shape)",
                 fmt_list(list, sizeof list, b->shape, b->rank));
    }
    return buf;
}

/* Reads a list of positive integers; on a bad entry emits TTL010. */
static int read_int_list(ttlx_result_t *r, int bi, const char *key, const cJSON *v, int64_t *out) {
    char b[64], fix[300];
    const ttlx_buffer_info_t *buf = r->layouts[bi].buf;
    if (!cJSON_IsArray(v)) {
        add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, key),
                 start_value(fix, sizeof fix, buf, key),
                 "nd_shard.%s: expected a list of positive integers, got %s", key, json_type(v));
        return -1;
    }
    int n = 0;
    for (const cJSON *e = v->child; e; e = e->next, n++) {
        if (n >= TTLX_MAX_RANK) {
            add_diag(r, on_buf("TTL002", TTLX_SEV_ERROR, bi, key),
                     start_value(fix, sizeof fix, buf, key),
                     "nd_shard incomplete: nd_shard.%s has more than %d entries", key,
                     TTLX_MAX_RANK);
            return -1;
        }
        if (!ttlx_json_int(e, 1, &out[n])) {
            start_value(fix, sizeof fix, buf, key);
            if (buf->rank >= 2 && n < buf->rank) {
                /* Keep the good entries; the start value from here on. */
                int64_t good[TTLX_MAX_RANK];
                char list[200];
                bool grid = !strcmp(key, "grid");
                for (int d = 0; d < buf->rank; d++)
                    good[d] = d < n ? out[d] : grid ? 1 : buf->shape[d];
                snprintf(fix, sizeof fix, "%s %s", key,
                         fmt_list(list, sizeof list, good, buf->rank));
            }
            add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, key), fix,
                     "nd_shard.%s[%d]: expected a positive integer, got %s", key, n,
                     show(b, sizeof b, e));
            return -1;
        }
    }
    return n;
}

/* Smallest M x N grid on the device whose tile-aligned shards of L fit in
 * budget bytes per core. Other axes keep their grid and shard. Returns
 * false when none fits; *best_bytes is then the bytes of the largest grid. */
typedef struct grid_fit {
    int64_t gm, gn, sm, sn, bytes;
} grid_fit_t;

static bool fit_grid(const ttlx_layout_t *L, const ttlx_device_t *dev, int64_t budget,
                     grid_fit_t *best) {
    const ttlx_buffer_info_t *b = L->buf;
    int am = L->axis_m, an = L->axis_n;
    bool colm = L->dist == TTLX_DIST_GRID_2D && L->order == TTLX_ORDER_COL_MAJOR;
    int64_t max_m = colm ? dev->grid_x : dev->grid_y;
    int64_t max_n = colm ? dev->grid_y : dev->grid_x;
    if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        max_m = (int64_t)dev->grid_x * dev->grid_y;
        max_n = max_m;
    }
    int64_t other_tiles = 1, stack = 1;
    for (int d = 0; d < b->rank; d++) {
        if (d == am || d == an) continue;
        other_tiles = ttlx_sat_mul(other_tiles, L->shard[d]);
        stack = ttlx_sat_mul(stack, L->grid[d]);
    }
    int64_t mt = ttlx_ceil_div(b->shape[am], L->tile_h),
            nt = ttlx_ceil_div(b->shape[an], L->tile_w);
    bool found = false;
    grid_fit_t last = {0};
    for (int64_t gm = 1; gm <= max_m && gm <= mt; gm++) {
        for (int64_t gn = 1; gn <= max_n && gn <= nt; gn++) {
            int64_t cores = gm * gn;
            if (L->dist == TTLX_DIST_ROUND_ROBIN_1D && cores > (int64_t)dev->grid_x * dev->grid_y)
                continue;
            int64_t smt = ttlx_ceil_div(mt, gm), snt = ttlx_ceil_div(nt, gn);
            int64_t per = stack;
            if (L->dist == TTLX_DIST_ROUND_ROBIN_1D)
                per = ttlx_ceil_div(ttlx_sat_mul(stack, cores), (int64_t)dev->grid_x * dev->grid_y);
            int64_t bytes =
                ttlx_sat_mul(ttlx_sat_mul(ttlx_sat_mul(per, other_tiles), ttlx_sat_mul(smt, snt)),
                             L->page_bytes);
            grid_fit_t g = {gm, gn, smt * L->tile_h, snt * L->tile_w, bytes};
            last = g;
            if (bytes > budget) continue;
            int64_t bc = best->gm * best->gn;
            if (!found || cores < bc || (cores == bc && bytes < best->bytes)) {
                *best = g;
                found = true;
            }
        }
    }
    if (!found) *best = last;
    return found;
}

/* Writes "grid [...] with shard_shape_elems [...]" for a fit into buf. */
static void fmt_fit(char *buf, size_t n, const ttlx_layout_t *L, const grid_fit_t *g) {
    int64_t grid[TTLX_MAX_RANK], shard[TTLX_MAX_RANK];
    int rank = L->buf->rank;
    for (int d = 0; d < rank; d++) {
        grid[d] = L->grid[d];
        shard[d] = L->shard[d];
    }
    grid[L->axis_m] = g->gm;
    grid[L->axis_n] = g->gn;
    shard[L->axis_m] = g->sm;
    shard[L->axis_n] = g->sn;
    char a[200], c[200], bb[40];
    snprintf(buf, n, "grid %s with shard_shape_elems %s: %lld core%s, %s B per core",
             fmt_list(a, sizeof a, grid, rank), fmt_list(c, sizeof c, shard, rank),
             (long long)(g->gm * g->gn), g->gm * g->gn == 1 ? "" : "s",
             fmt_b(bb, sizeof bb, g->bytes));
}

static void fill_tiles(ttlx_result_t *r, ttlx_layout_t *L) {
    const ttlx_buffer_info_t *b = L->buf;
    const ttlx_dtype_info_t *dt = ttlx_dtype_lookup(L->dtype);
    L->data_format = dt->data_format;
    L->tile_bytes = ttlx_dtype_tile_bytes(dt, L->tile_h, L->tile_w);
    int align = L->memory == TTLX_MEM_DRAM ? r->dev.dram_align_bytes : r->dev.l1_align_bytes;
    L->page_bytes = ttlx_ceil_div(L->tile_bytes, align) * align;
    L->cb_bytes = L->tile_bytes * L->cb_depth;
    int64_t H = b->rank >= 2 ? b->shape[b->rank - 2] : 1;
    int64_t W = b->shape[b->rank - 1];
    int64_t outer = 1;
    L->tile_rank = b->rank >= 2 ? b->rank : 2;
    for (int d = 0; d + 2 < b->rank; d++) {
        L->tile_grid[d] = b->shape[d];
        outer *= b->shape[d];
    }
    int64_t ht = ttlx_ceil_div(H, L->tile_h), wt = ttlx_ceil_div(W, L->tile_w);
    L->tile_grid[L->tile_rank - 2] = ht;
    L->tile_grid[L->tile_rank - 1] = wt;
    L->view_rows = outer * ht;
    L->view_cols = wt;
    L->pages = L->view_rows * wt;
    L->needs_padding = b->rank == 1 || H % L->tile_h || W % L->tile_w;
    if (b->rank == 1) {
        L->padded_rank = 2;
        L->padded_shape[0] = L->tile_h;
        L->padded_shape[1] = wt * L->tile_w;
    } else {
        L->padded_rank = b->rank;
        for (int d = 0; d < b->rank; d++)
            L->padded_shape[d] = b->shape[d];
        L->padded_shape[b->rank - 2] = ht * L->tile_h;
        L->padded_shape[b->rank - 1] = wt * L->tile_w;
    }
    int64_t full = (H / L->tile_h) * (W / L->tile_w);
    L->padding_pages = b->rank == 1 ? L->pages : outer * (ht * wt - full);
    double cap = (double)L->pages * L->tile_h * L->tile_w;
    L->padding_waste = cap > 0 ? 1.0 - (double)b->elems / cap : 0.0;
}

/* TTL016: a dtype tt-metal has no data format for (int64, bool, float8_*,
 * float16x4, ...). The buffer keeps its tile geometry (read as the nearest
 * dtype) but gets no pages, placement or circular buffer, so it adds
 * nothing to L1. Returns false for such a buffer. */
static bool check_dtype_format(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    if (ttlx_dtype_lookup(L->dtype)) return true;
    const char *near = ttlx_dtype_nearest_format(L->dtype);
    char fix[120];
    snprintf(fix, sizeof fix, "dtype: \"%s\"", near ? near : "bfloat16");
    add_diag(r, on_buf("TTL016", TTLX_SEV_ERROR, bi, "dtype"), fix,
             "no tt-metal data format for dtype %.60s: %s gets no placement and no circular "
             "buffer (nearest: %s)",
             L->dtype, L->buf->name, near ? near : "bfloat16");
    const char *dtype = L->dtype;
    L->dtype = near ? near : "bfloat16";
    fill_tiles(r, L);
    L->dtype = dtype;
    L->data_format = NULL;
    L->tile_bytes = L->page_bytes = L->cb_bytes = 0;
    return false;
}

/* Parses the hint of buffer bi into its layout, emitting TTL001-TTL003,
 * TTL010-TTL012. Returns the nd_shard object to process, if any. */
static const cJSON *apply_hint(ttlx_result_t *r, int bi, const cJSON *hint) {
    ttlx_layout_t *L = &r->layouts[bi];
    char b1[64], b2[160];
    if (!hint) return NULL;
    if (!cJSON_IsObject(hint)) {
        add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, NULL),
                 "a hint object such as {\"memory\": \"L1\"}",
                 "hint for %s: expected an object of layout keys, got %s", L->buf->name,
                 json_type(hint));
        return NULL;
    }
    const cJSON *nd = NULL;
    for (const cJSON *v = hint->child; v; v = v->next) {
        const char *k = v->string ? v->string : "";
        if (!strcmp(k, "memory")) {
            if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "DRAM"))
                L->memory = TTLX_MEM_DRAM;
            else if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "L1"))
                L->memory = TTLX_MEM_L1;
            else
                add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "memory"),
                         "memory: \"DRAM\" or \"L1\"",
                         "memory: expected \"DRAM\" or \"L1\", got %s", show(b1, sizeof b1, v));
        } else if (!strcmp(k, "layout")) {
            if (cJSON_IsString(v) && (!strcasecmp(v->valuestring, "interleaved") ||
                                      !strcasecmp(v->valuestring, "dram_interleaved")))
                L->layout = TTLX_LAYOUT_INTERLEAVED;
            else if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "sharded"))
                L->layout = TTLX_LAYOUT_SHARDED;
            else {
                static const char *const kinds[] = {"interleaved", "sharded"};
                const char *near =
                    cJSON_IsString(v) ? ttlx_closest(v->valuestring, kinds, 2) : NULL;
                snprintf(b2, sizeof b2, "layout: \"%s\"", near ? near : "interleaved");
                add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "layout"), b2,
                         "layout: expected \"interleaved\" or \"sharded\", got %s",
                         show(b1, sizeof b1, v));
            }
        } else if (!strcmp(k, "tile_shape")) {
            int64_t h = 0, w = 0;
            bool ok = cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
                      ttlx_json_int(cJSON_GetArrayItem(v, 0), 1, &h) &&
                      ttlx_json_int(cJSON_GetArrayItem(v, 1), 1, &w);
            bool known = false;
            for (int t = 0; ok && t < 4; t++)
                known |= h == tile_shapes[t][0] && w == tile_shapes[t][1];
            if (known) {
                L->tile_h = (int)h;
                L->tile_w = (int)w;
            } else {
                add_diag(
                    r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "tile_shape"), "tile_shape: [32, 32]",
                    "tile_shape: expected one of [32, 32], [16, 32], [32, 16], [16, 16], got %s",
                    ok ? (snprintf(b1, sizeof b1, "[%lld, %lld]", (long long)h, (long long)w), b1)
                       : json_type(v));
            }
        } else if (!strcmp(k, "dtype")) {
            const char *c = cJSON_IsString(v) ? ttlx_dtype_canonical(v->valuestring) : NULL;
            if (c) {
                L->dtype = c;
            } else {
                const char *const *names = ttlx_dtype_names();
                const char *near =
                    cJSON_IsString(v) ? ttlx_closest(v->valuestring, names, 13) : NULL;
                snprintf(b2, sizeof b2, "dtype: \"%s\"", near ? near : L->buf->dtype);
                add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "dtype"), b2,
                         "dtype: unknown dtype %s", show(b1, sizeof b1, v));
            }
        } else if (!strcmp(k, "cb_depth")) {
            int64_t depth;
            if (ttlx_json_int(v, 1, &depth) && depth <= 16)
                L->cb_depth = (int)depth;
            else
                add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "cb_depth"), "cb_depth: 2",
                         "cb_depth: expected an integer from 1 to 16, got %s",
                         show(b1, sizeof b1, v));
        } else if (!strcmp(k, "nd_shard")) {
            nd = v;
        } else if (!strcmp(k, "halo")) {
            add_diag(
                r, on_buf("TTL001", TTLX_SEV_ERROR, bi, "halo"),
                "remove \"halo\" and exchange the border rows in the kernel",
                "halo unsupported: %s has a halo hint; InferTTLayout cannot place halo regions",
                L->buf->name);
        } else {
            const char *near = ttlx_closest(k, hint_keys, 6);
            if (near)
                snprintf(b2, sizeof b2, "rename \"%.60s\" to \"%s\"", k, near);
            else
                snprintf(b2, sizeof b2,
                         "remove \"%.60s\" (known: memory, layout, tile_shape, "
                         "dtype, nd_shard, cb_depth)",
                         k);
            add_diag(r, on_buf("TTL011", TTLX_SEV_WARNING, bi, k), b2,
                     "unknown hint key \"%.60s\"%s%s%s", k, near ? " (did you mean \"" : "",
                     near ? near : "", near ? "\"?)" : "");
        }
    }
    return nd;
}

/* Parses nd_shard (TTL002, TTL003, TTL010, TTL011) into L; sets has_shard. */
static void parse_shard(ttlx_result_t *r, int bi, const cJSON *nd) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_buffer_info_t *b = L->buf;
    char b1[64], b2[400], b3[200];
    if (!cJSON_IsObject(nd)) {
        char fix[700];
        if (b->rank < 2) {
            start_value(fix, sizeof fix, b, "nd_shard");
        } else {
            /* One shard holding the whole tensor: valid, and a start. */
            ttlx_layout_t t;
            int64_t ones[TTLX_MAX_RANK];
            char ax[200], g[200], sh[200];
            default_axes(b->rank, t.axes);
            for (int d = 0; d < b->rank; d++)
                ones[d] = 1;
            snprintf(fix, sizeof fix,
                     "nd_shard {\"axes\": %s, \"grid\": %s, \"shard_shape_elems\": %s} (one "
                     "shard; then split the dims to shard)",
                     fmt_axes(ax, sizeof ax, &t, b->rank), fmt_list(g, sizeof g, ones, b->rank),
                     fmt_list(sh, sizeof sh, b->shape, b->rank));
        }
        add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "nd_shard"), fix,
                 "nd_shard: expected an object with axes, grid and shard_shape_elems, got %s",
                 json_type(nd));
        return;
    }
    const cJSON *axes = NULL, *grid = NULL, *shard = NULL;
    bool bad = false;
    for (const cJSON *v = nd->child; v; v = v->next) {
        const char *k = v->string ? v->string : "";
        if (!strcmp(k, "axes"))
            axes = v;
        else if (!strcmp(k, "grid"))
            grid = v;
        else if (!strcmp(k, "shard_shape_elems"))
            shard = v;
        else if (!strcmp(k, "order")) {
            if (!cJSON_IsString(v) || !parse_order(v->valuestring, &L->order, &L->block_k)) {
                add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "order"), "order: \"row_major\"",
                         "nd_shard.order: expected row_major, col_major, match_shard or "
                         "block_linear(k), got %s",
                         show(b1, sizeof b1, v));
                bad = true;
            }
        } else if (!strcmp(k, "distribution")) {
            if (cJSON_IsString(v) && !strcmp(v->valuestring, "grid_2d"))
                L->dist = TTLX_DIST_GRID_2D;
            else if (cJSON_IsString(v) && !strcmp(v->valuestring, "round_robin_1d"))
                L->dist = TTLX_DIST_ROUND_ROBIN_1D;
            else {
                add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "distribution"),
                         "distribution: \"grid_2d\"",
                         "nd_shard.distribution: expected grid_2d or round_robin_1d, got %s",
                         show(b1, sizeof b1, v));
                bad = true;
            }
        } else if (!strcmp(k, "align_tiles")) {
            if (cJSON_IsBool(v))
                L->align_tiles = cJSON_IsTrue(v);
            else {
                add_diag(
                    r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "align_tiles"), "align_tiles: true",
                    "nd_shard.align_tiles: expected true or false, got %s", show(b1, sizeof b1, v));
                bad = true;
            }
        } else if (!strcmp(k, "projected_grid") || !strcmp(k, "projected_shard_tiles")) {
            /* derived by the pass; a user's value is recomputed */
        } else {
            const char *near = ttlx_closest(k, shard_keys, 6);
            if (near)
                snprintf(b2, sizeof b2, "rename \"%.60s\" to \"%s\"", k, near);
            else
                snprintf(b2, sizeof b2, "remove \"%.60s\"", k);
            add_diag(r, on_buf("TTL011", TTLX_SEV_WARNING, bi, k), b2,
                     "unknown nd_shard key \"%.60s\"%s%s%s", k, near ? " (did you mean \"" : "",
                     near ? near : "", near ? "\"?)" : "");
        }
    }
    int na = -1, ng = -1, ns = -1;
    if (axes) {
        if (!cJSON_IsArray(axes)) {
            add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "axes"),
                     start_value(b2, sizeof b2, b, "axes"),
                     "nd_shard.axes: expected a list of axis labels, got %s", json_type(axes));
            bad = true;
        } else {
            na = 0;
            for (const cJSON *e = axes->child; e; e = e->next, na++) {
                if (na >= TTLX_MAX_RANK) {
                    add_diag(r, on_buf("TTL002", TTLX_SEV_ERROR, bi, "axes"),
                             start_value(b2, sizeof b2, b, "axes"),
                             "nd_shard incomplete: nd_shard.axes has more than %d entries",
                             TTLX_MAX_RANK);
                    bad = true;
                    break;
                }
                if (!cJSON_IsString(e) || !e->valuestring[0] || strlen(e->valuestring) > 15) {
                    add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "axes"),
                             start_value(b2, sizeof b2, b, "axes"),
                             "nd_shard.axes[%d]: expected a label of 1 to 15 characters, got %s",
                             na, show(b1, sizeof b1, e));
                    bad = true;
                    break;
                }
                strcpy(L->axes[na], e->valuestring); /* at most 15 bytes, checked above */
            }
        }
    }
    if (grid && (ng = read_int_list(r, bi, "grid", grid, L->grid)) < 0) bad = true;
    if (shard && (ns = read_int_list(r, bi, "shard_shape_elems", shard, L->shard)) < 0) bad = true;
    if (bad) return;
    if (!axes || !grid || !shard) {
        char missing[80] = "";
        if (!axes) strcat(missing, " axes");
        if (!grid) strcat(missing, " grid");
        if (!shard) strcat(missing, " shard_shape_elems");
        /* Complete what is there: shards from a grid, or a grid from shards. */
        int64_t g[TTLX_MAX_RANK], s[TTLX_MAX_RANK];
        char ax[TTLX_MAX_RANK][16];
        default_axes(b->rank, ax);
        const char *fix = NULL;
        if (grid && ng == b->rank) {
            for (int d = 0; d < b->rank; d++) {
                g[d] = L->grid[d];
                s[d] = ttlx_ceil_div(b->shape[d], g[d]);
            }
            snprintf(b2, sizeof b2, "shard_shape_elems %s (shape / grid, rounded up)",
                     fmt_list(b3, sizeof b3, s, b->rank));
            fix = b2;
        } else if (shard && ns == b->rank) {
            for (int d = 0; d < b->rank; d++)
                g[d] = ttlx_ceil_div(b->shape[d], L->shard[d]);
            snprintf(b2, sizeof b2, "grid %s (shape / shard, rounded up)",
                     fmt_list(b3, sizeof b3, g, b->rank));
            fix = b2;
        } else if (!axes && b->rank >= 2) {
            memcpy(L->axes, ax, sizeof ax);
            snprintf(b2, sizeof b2, "axes %s", fmt_axes(b3, sizeof b3, L, b->rank));
            fix = b2;
        } else if (b->rank >= 2) {
            /* Nothing to complete from: one shard to start from. */
            char g1[200];
            for (int d = 0; d < b->rank; d++)
                g[d] = 1;
            snprintf(b2, sizeof b2,
                     "grid %s and shard_shape_elems %s (one shard; then split the "
                     "dims to shard)",
                     fmt_list(g1, sizeof g1, g, b->rank),
                     fmt_list(b3, sizeof b3, b->shape, b->rank));
            fix = b2;
        } else {
            fix = start_value(b2, sizeof b2, b, "nd_shard");
        }
        add_diag(r, on_buf("TTL002", TTLX_SEV_ERROR, bi, "nd_shard"), fix,
                 "nd_shard incomplete: missing%s", missing);
        return;
    }
    if (na != b->rank || ng != b->rank || ns != b->rank) {
        add_diag(r, on_buf("TTL002", TTLX_SEV_ERROR, bi, "nd_shard"),
                 "one entry per buffer dim in axes, grid and shard_shape_elems",
                 "nd_shard incomplete: axes has %d entries, grid %d, shard_shape_elems %d, but "
                 "%s has rank %d",
                 na, ng, ns, b->name, b->rank);
        return;
    }
    int am = -1, an = -1;
    for (int d = 0; d < b->rank; d++) {
        for (int e = 0; e < d; e++) {
            if (!strcmp(L->axes[d], L->axes[e])) {
                add_diag(r, on_buf("TTL003", TTLX_SEV_ERROR, bi, "axes"),
                         start_value(b2, sizeof b2, b, "axes"),
                         "axes: label \"%s\" repeats (dims %d and %d); each dim needs its own",
                         L->axes[d], e, d);
                return;
            }
        }
        if (!strcmp(L->axes[d], "M")) am = d;
        if (!strcmp(L->axes[d], "N")) an = d;
    }
    if (am < 0 || an < 0) {
        char ax[TTLX_MAX_RANK][16];
        default_axes(b->rank, ax);
        ttlx_layout_t tmp;
        memcpy(tmp.axes, ax, sizeof ax);
        snprintf(b2, sizeof b2, "axes %s", fmt_axes(b3, sizeof b3, &tmp, b->rank));
        add_diag(r, on_buf("TTL003", TTLX_SEV_ERROR, bi, "axes"), b2,
                 "axes %s lack%s%s%s: the shard grid projects M to core rows and N to columns",
                 fmt_axes(b1, sizeof b1, L, b->rank), am < 0 ? " \"M\"" : "",
                 am < 0 && an < 0 ? " and" : "", an < 0 ? " \"N\"" : "");
        return;
    }
    L->axis_m = am;
    L->axis_n = an;
    int64_t shards = 1;
    for (int d = 0; d < b->rank; d++) {
        if (!ttlx_mul64(shards, L->grid[d], &shards)) {
            int64_t g[TTLX_MAX_RANK];
            for (int e = 0; e < b->rank; e++)
                g[e] = ttlx_ceil_div(b->shape[e], L->shard[e]);
            snprintf(b2, sizeof b2, "grid %s (shape / shard, rounded up)",
                     fmt_list(b3, sizeof b3, g, b->rank));
            add_diag(r, on_buf("TTL010", TTLX_SEV_ERROR, bi, "grid"), b2,
                     "nd_shard.grid: more than 2^63 shards");
            return;
        }
    }
    L->shards = shards;
    L->has_shard = true;
}

/* Derives the shard geometry and placement (TTL004-TTL009, TTL014). */
static void place_sharded(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_buffer_info_t *b = L->buf;
    const ttlx_device_t *dev = &r->dev;
    char b1[200], b2[200], b3[400], bb[40], bc[40];
    int am = L->axis_m, an = L->axis_n;
    L->proj_grid[0] = L->grid[am];
    L->proj_grid[1] = L->grid[an];
    L->proj_shard_tiles[0] = ttlx_ceil_div(L->shard[am], L->tile_h);
    L->proj_shard_tiles[1] = ttlx_ceil_div(L->shard[an], L->tile_w);
    int64_t st = ttlx_sat_mul(L->proj_shard_tiles[0], L->proj_shard_tiles[1]);
    for (int d = 0; d < b->rank; d++)
        if (d != am && d != an) st = ttlx_sat_mul(st, L->shard[d]);
    L->shard_tiles = st;
    bool l1 = L->memory == TTLX_MEM_L1;

    /* TTL004: tile alignment of the M and N shard extents. */
    bool mis_m = L->shard[am] % L->tile_h != 0, mis_n = L->shard[an] % L->tile_w != 0;
    if (mis_m || mis_n) {
        int64_t s[TTLX_MAX_RANK], g[TTLX_MAX_RANK];
        for (int d = 0; d < b->rank; d++) {
            s[d] = L->shard[d];
            g[d] = L->grid[d];
        }
        int64_t tiles[2] = {L->tile_h, L->tile_w};
        int ax[2] = {am, an};
        for (int k = 0; k < 2; k++) {
            int64_t t = tiles[k], v = L->shard[ax[k]];
            int64_t lo = v / t * t, hi = lo + t;
            s[ax[k]] = lo == v ? v : (lo >= t && v - lo < hi - v) ? lo : hi;
            g[ax[k]] = ttlx_ceil_div(b->shape[ax[k]], s[ax[k]]);
        }
        snprintf(b3, sizeof b3,
                 "shard_shape_elems %s with grid %s (nearest tile-aligned shard "
                 "that covers the tensor)",
                 fmt_list(b1, sizeof b1, s, b->rank), fmt_list(b2, sizeof b2, g, b->rank));
        char what[120];
        if (mis_m && mis_n)
            snprintf(what, sizeof what,
                     "shard M=%lld and N=%lld are not multiples of the %dx%d tile",
                     (long long)L->shard[am], (long long)L->shard[an], L->tile_h, L->tile_w);
        else if (mis_m)
            snprintf(what, sizeof what, "shard M=%lld is not a multiple of the tile height %d",
                     (long long)L->shard[am], L->tile_h);
        else
            snprintf(what, sizeof what, "shard N=%lld is not a multiple of the tile width %d",
                     (long long)L->shard[an], L->tile_w);
        add_diag(r,
                 on_buf("TTL004", l1 ? TTLX_SEV_ERROR : TTLX_SEV_WARNING, bi, "shard_shape_elems"),
                 b3, "%s shard requires tile alignment: %s", l1 ? "L1" : "DRAM", what);
    } else if (l1 && !L->align_tiles) {
        add_diag(r, on_buf("TTL004", TTLX_SEV_ERROR, bi, "align_tiles"), "align_tiles: true",
                 "L1 shard requires tile alignment: align_tiles is false");
    }

    /* TTL008 / TTL009: coverage per axis. */
    for (int d = 0; d < b->rank; d++) {
        int64_t covered = ttlx_sat_mul(L->grid[d], L->shard[d]);
        int64_t need = ttlx_ceil_div(b->shape[d], L->shard[d]);
        if (covered < b->shape[d]) {
            snprintf(b3, sizeof b3, "grid[%d] (%s) = %lld", d, L->axes[d], (long long)need);
            add_diag(r, on_buf("TTL008", TTLX_SEV_ERROR, bi, "grid"), b3,
                     "axis %s not covered: grid %lld x shard %lld = %lld < %lld elements",
                     L->axes[d], (long long)L->grid[d], (long long)L->shard[d], (long long)covered,
                     (long long)b->shape[d]);
        } else if (L->grid[d] > need) {
            snprintf(b3, sizeof b3, "grid[%d] (%s) = %lld", d, L->axes[d], (long long)need);
            add_diag(r, on_buf("TTL009", TTLX_SEV_WARNING, bi, "grid"), b3,
                     "empty shard: axis %s has %lld shard%s past the tensor's end (%lld x %lld "
                     "already covers %lld elements)",
                     L->axes[d], (long long)(L->grid[d] - need), L->grid[d] - need == 1 ? "" : "s",
                     (long long)need, (long long)L->shard[d], (long long)b->shape[d]);
        }
    }

    /* Placement. */
    if (!l1) {
        L->banks = dev->dram_banks;
        L->cores_used = L->shards < dev->dram_banks ? L->shards : dev->dram_banks;
        L->max_shards_per_core = ttlx_ceil_div(L->shards, dev->dram_banks);
    } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t cores = (int64_t)dev->grid_x * dev->grid_y;
        L->cores_used = L->shards < cores ? L->shards : cores;
        L->max_shards_per_core = ttlx_ceil_div(L->shards, cores);
    } else {
        bool colm = L->order == TTLX_ORDER_COL_MAJOR;
        int64_t gx = colm ? L->proj_grid[0] : L->proj_grid[1];
        int64_t gy = colm ? L->proj_grid[1] : L->proj_grid[0];
        if (gx > dev->grid_x || gy > dev->grid_y) {
            grid_fit_t fit = {0};
            if (fit_grid(L, dev, dev->l1_bank_bytes, &fit))
                fmt_fit(b3, sizeof b3, L, &fit);
            else /* no L1 grid of this device holds it: DRAM does */
                snprintf(b3, sizeof b3,
                         "memory \"DRAM\": no grid of %s fits (the largest still "
                         "needs %s B per core)",
                         dev->name, fmt_b(bb, sizeof bb, fit.bytes));
            add_diag(r, on_buf("TTL007", TTLX_SEV_ERROR, bi, "grid"), b3,
                     "projected grid %lldx%lld (x by y, %s) does not fit the %dx%d core grid of %s",
                     (long long)gx, (long long)gy, colm ? "col_major" : "row_major", dev->grid_x,
                     dev->grid_y, dev->name);
            return;
        }
        L->cores_used = gx * gy;
        L->max_shards_per_core = L->shards / (gx * gy);
    }
    L->bytes_per_core =
        ttlx_sat_mul(ttlx_sat_mul(L->max_shards_per_core, L->shard_tiles), L->page_bytes);
    L->placed = true;
    if (l1 && L->bytes_per_core > dev->l1_bank_bytes) {
        grid_fit_t fit = {0};
        if (fit_grid(L, dev, dev->l1_bank_bytes, &fit))
            fmt_fit(b3, sizeof b3, L, &fit);
        else
            snprintf(b3, sizeof b3,
                     "memory \"DRAM\": no grid of %s fits (the largest still needs "
                     "%s B per core)",
                     dev->name, fmt_b(bb, sizeof bb, fit.bytes));
        add_diag(r, on_buf("TTL005", TTLX_SEV_ERROR, bi, "shard_shape_elems"), b3,
                 "L1 shard exceeds capacity: %s reserves %s B per core (%lld shard%s x %lld tiles "
                 "x %lld B) > %s B L1 bank",
                 b->name, fmt_b(bb, sizeof bb, L->bytes_per_core),
                 (long long)L->max_shards_per_core, L->max_shards_per_core == 1 ? "" : "s",
                 (long long)L->shard_tiles, (long long)L->page_bytes,
                 fmt_b(bc, sizeof bc, dev->l1_bank_bytes));
    } else if (!l1 && L->bytes_per_core > dev->dram_bank_bytes) {
        add_diag(r, on_buf("TTL014", TTLX_SEV_ERROR, bi, "nd_shard"),
                 "more or smaller shards (grid), or a device with larger DRAM banks",
                 "DRAM bank overflow: %s reserves %s B per DRAM bank > %s B", b->name,
                 fmt_b(bb, sizeof bb, L->bytes_per_core),
                 fmt_b(bc, sizeof bc, dev->dram_bank_bytes));
    }
}

static void place_interleaved(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_device_t *dev = &r->dev;
    char bb[40], bc[40], bd[40], b3[300];
    bool l1 = L->memory == TTLX_MEM_L1;
    L->banks = l1 ? dev->grid_x * dev->grid_y : dev->dram_banks;
    L->pages_per_bank = ttlx_ceil_div(L->pages, L->banks);
    L->bytes_per_bank = ttlx_sat_mul(L->pages_per_bank, L->page_bytes);
    L->placed = true;
    if (l1 && L->bytes_per_bank > dev->l1_bank_bytes) {
        int64_t dpage = ttlx_ceil_div(L->tile_bytes, dev->dram_align_bytes) * dev->dram_align_bytes;
        int64_t dram = ttlx_sat_mul(ttlx_ceil_div(L->pages, dev->dram_banks), dpage);
        snprintf(b3, sizeof b3, "memory \"DRAM\" (interleaved over %d DRAM banks: %s B per bank)",
                 dev->dram_banks, fmt_b(bd, sizeof bd, dram));
        add_diag(r, on_buf("TTL005", TTLX_SEV_ERROR, bi, "memory"), b3,
                 "L1 shard exceeds capacity: interleaved %s needs %lld pages x %lld B = %s B on "
                 "every core > %s B L1 bank",
                 L->buf->name, (long long)L->pages_per_bank, (long long)L->page_bytes,
                 fmt_b(bb, sizeof bb, L->bytes_per_bank), fmt_b(bc, sizeof bc, dev->l1_bank_bytes));
    } else if (!l1 && L->bytes_per_bank > dev->dram_bank_bytes) {
        int64_t fit_pages = ttlx_sat_mul(dev->dram_bank_bytes / L->page_bytes, dev->dram_banks);
        snprintf(b3, sizeof b3, "split %s: at most %lld pages fit this device's DRAM (it has %lld)",
                 L->buf->name, (long long)fit_pages, (long long)L->pages);
        add_diag(r, on_buf("TTL014", TTLX_SEV_ERROR, bi, "memory"), b3,
                 "DRAM bank overflow: %s needs %lld pages x %lld B = %s B per DRAM bank > %s B",
                 L->buf->name, (long long)L->pages_per_bank, (long long)L->page_bytes,
                 fmt_b(bb, sizeof bb, L->bytes_per_bank),
                 fmt_b(bc, sizeof bc, dev->dram_bank_bytes));
    }
}

static void padding_info(ttlx_result_t *r, int bi) {
    ttlx_layout_t *L = &r->layouts[bi];
    const ttlx_buffer_info_t *b = L->buf;
    if (!L->needs_padding) return;
    char s1[200], s2[200], fix[200] = "";
    /* A tile shape that wastes less, if any. */
    double best = L->padding_waste;
    int bt = -1;
    for (int t = 0; t < 4; t++) {
        int h = tile_shapes[t][0], w = tile_shapes[t][1];
        int64_t H = b->rank >= 2 ? b->shape[b->rank - 2] : 1, W = b->shape[b->rank - 1];
        double cap = (double)(b->elems / (H * W)) * (double)ttlx_ceil_div(H, h) * h *
                     (double)ttlx_ceil_div(W, w) * w;
        double waste = 1.0 - (double)b->elems / cap;
        if (waste + 1e-12 < best) {
            best = waste;
            bt = t;
        }
    }
    if (bt >= 0)
        snprintf(fix, sizeof fix, "tile_shape [%d, %d] wastes %.1f%%", tile_shapes[bt][0],
                 tile_shapes[bt][1], best * 100.0);
    add_diag(r, on_buf("TTL013", TTLX_SEV_INFO, bi, NULL), fix,
             "padding: %s %s pads to %s; %lld of %lld pages hold padding, %.1f%% of the tile "
             "bytes are padding",
             b->name, fmt_list(s1, sizeof s1, b->shape, b->rank),
             fmt_list(s2, sizeof s2, L->padded_shape, L->padded_rank), (long long)L->padding_pages,
             (long long)L->pages, L->padding_waste * 100.0);
}

/* ---- work partition and per-core budget -------------------------------- */

static bool read_pair(const cJSON *v, int64_t out[2]) {
    return cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
           ttlx_json_int(cJSON_GetArrayItem(v, 0), 1, &out[0]) &&
           ttlx_json_int(cJSON_GetArrayItem(v, 1), 1, &out[1]);
}

/* Core (x, y) of core index ci in the round-robin order of L. */
static void rr_core(const ttlx_layout_t *L, const ttlx_device_t *dev, int64_t ci, int *x, int *y) {
    if (L->order == TTLX_ORDER_COL_MAJOR) {
        *x = (int)(ci / dev->grid_y);
        *y = (int)(ci % dev->grid_y);
    } else {
        *x = (int)(ci % dev->grid_x);
        *y = (int)(ci / dev->grid_x);
    }
}

/* Shard grid coordinates of shard index s (row-major, last axis fastest). */
static void shard_coords(const ttlx_layout_t *L, int64_t s, int64_t *g) {
    for (int d = L->buf->rank - 1; d >= 0; d--) {
        g[d] = s % L->grid[d];
        s /= L->grid[d];
    }
}

static bool partition(ttlx_result_t *r) {
    const ttlx_device_t *dev = &r->dev;
    ttlx_partition_t *p = &r->part;
    const cJSON *attrs = ttlx_func_attrs(r->func);
    char b1[64];
    p->grid_x = dev->grid_x;
    p->grid_y = dev->grid_y;
    p->leader = -1;
    const cJSON *cg = cJSON_GetObjectItemCaseSensitive(attrs, "tt.core_grid");
    if (cg) {
        int64_t v[2];
        diag_args_t a = {"TTL010", TTLX_SEV_ERROR, -1, NULL, "tt.core_grid", -1, -1};
        if (!read_pair(cg, v)) {
            char fix[160];
            snprintf(fix, sizeof fix, "tt.core_grid [%d, %d] (the whole grid of %s)", dev->grid_x,
                     dev->grid_y, dev->name);
            add_diag(r, a, fix, "tt.core_grid: expected [x, y] positive integers");
        } else if (v[0] > dev->grid_x || v[1] > dev->grid_y) {
            a.code = "TTL007";
            snprintf(b1, sizeof b1, "tt.core_grid [%d, %d]", dev->grid_x, dev->grid_y);
            add_diag(r, a, b1, "tt.core_grid %lldx%lld is larger than the %dx%d grid of %s",
                     (long long)v[0], (long long)v[1], dev->grid_x, dev->grid_y, dev->name);
        } else {
            p->grid_x = (int)v[0];
            p->grid_y = (int)v[1];
        }
    }
    for (size_t i = 0; i < r->n && p->leader < 0; i++) {
        const ttlx_layout_t *L = &r->layouts[i];
        if (L->memory == TTLX_MEM_L1 && L->layout == TTLX_LAYOUT_SHARDED && L->placed)
            p->leader = (int)i;
    }
    p->local_shard = p->leader >= 0;
    const cJSON *us = cJSON_GetObjectItemCaseSensitive(attrs, "tt.user_schedule");
    const cJSON *pm =
        cJSON_IsObject(us) ? cJSON_GetObjectItemCaseSensitive(us, "partition_mode") : NULL;
    if (pm) {
        diag_args_t a = {"TTL010", TTLX_SEV_ERROR, -1, NULL, "partition_mode", -1, -1};
        if (cJSON_IsString(pm) && !strcmp(pm->valuestring, "global")) {
            p->local_shard = false;
        } else if (cJSON_IsString(pm) && !strcmp(pm->valuestring, "local_shard")) {
            if (p->leader < 0) {
                a.sev = TTLX_SEV_WARNING;
                add_diag(r, a, "shard one buffer in L1 (memory \"L1\", layout \"sharded\")",
                         "partition_mode local_shard needs an L1-sharded buffer to lead; using "
                         "global");
            }
        } else {
            add_diag(r, a, "partition_mode: \"global\"",
                     "tt.user_schedule.partition_mode: expected \"global\" or \"local_shard\", "
                     "got %s",
                     show(b1, sizeof b1, pm));
        }
    }
    if (!p->local_shard) p->leader = -1;
    int64_t ext[3];
    if (ttlx_func_kernel(r->func, ext) > 0) {
        p->mt = ext[1] * ext[2];
        p->nt = ext[0];
    } else if (r->n > 0) {
        size_t out = r->n - 1;
        bool found = false;
        for (size_t i = 0; i < r->n && !found; i++)
            if (r->layouts[i].buf->role && !strcmp(r->layouts[i].buf->role, "output")) {
                out = i;
                found = true;
            }
        for (size_t i = 0; i < r->n && !found; i++)
            if (!strcmp(r->layouts[i].buf->name, "C")) {
                out = i;
                found = true;
            }
        p->mt = r->layouts[out].view_rows;
        p->nt = r->layouts[out].view_cols;
    } else {
        p->mt = p->nt = 1;
    }
    if (!p->local_shard) {
        int64_t T = ttlx_sat_mul(p->mt, p->nt);
        int64_t cores = (int64_t)p->grid_x * p->grid_y;
        int64_t n = T < cores ? T : cores;
        r->ranges = ttlx_calloc((size_t)n, sizeof *r->ranges);
        if (!r->ranges) return false;
        int64_t start = 0;
        for (int64_t k = 0; k < n; k++) {
            ttlx_core_range_t *c = &r->ranges[k];
            c->x = (int)(k % p->grid_x);
            c->y = (int)(k / p->grid_x);
            c->start = start;
            c->count = T / n + (k < T % n);
            start += c->count;
        }
        p->ncores = (size_t)n;
    } else {
        const ttlx_layout_t *L = &r->layouts[p->leader];
        p->shard_grid[0] = L->proj_grid[0];
        p->shard_grid[1] = L->proj_grid[1];
        p->local_tiles[0] = L->proj_shard_tiles[0];
        p->local_tiles[1] = L->proj_shard_tiles[1];
        p->grid_x = dev->grid_x;
        p->grid_y = dev->grid_y;
        int64_t n = L->cores_used;
        r->ranges = ttlx_calloc((size_t)n, sizeof *r->ranges);
        if (!r->ranges) return false;
        for (int64_t k = 0; k < n; k++) {
            ttlx_core_range_t *c = &r->ranges[k];
            int64_t g[TTLX_MAX_RANK];
            if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
                rr_core(L, dev, k, &c->x, &c->y);
                shard_coords(L, k, g);
                int64_t held = L->shards / n + (k < L->shards % n);
                c->count = ttlx_sat_mul(held, L->shard_tiles);
            } else {
                int64_t m = k / L->proj_grid[1], nn = k % L->proj_grid[1];
                bool colm = L->order == TTLX_ORDER_COL_MAJOR;
                c->x = (int)(colm ? m : nn);
                c->y = (int)(colm ? nn : m);
                g[L->axis_m] = m;
                g[L->axis_n] = nn;
                c->count = ttlx_sat_mul(L->max_shards_per_core, L->shard_tiles);
            }
            c->sy = g[L->axis_m];
            c->sx = g[L->axis_n];
            c->start = 0;
        }
        p->ncores = (size_t)n;
    }
    p->cores = r->ranges;
    return true;
}

static int64_t bytes_on(const ttlx_result_t *r, const ttlx_layout_t *L, int x, int y);

typedef struct on_core {
    int64_t bytes;
    size_t index;
} on_core_t;

static int by_bytes_desc(const void *a, const void *b) {
    const on_core_t *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void core_budget(ttlx_result_t *r) {
    const ttlx_device_t *dev = &r->dev;
    int gx = dev->grid_x, gy = dev->grid_y;
    size_t cores = (size_t)gx * gy;
    int64_t cb_total = 0;
    for (size_t i = 0; i < r->n; i++)
        cb_total = ttlx_sat_add(cb_total, r->layouts[i].cb_bytes);
    for (size_t k = 0; k < r->part.ncores; k++) {
        const ttlx_core_range_t *c = &r->part.cores[k];
        if (c->x < gx && c->y < gy) r->in_part[(size_t)c->y * gx + c->x] = 1;
    }
    for (size_t c = 0; c < cores; c++) {
        r->core_cb[c] = r->in_part[c] ? cb_total : 0;
        r->core_used[c] = r->core_cb[c];
    }
    for (size_t i = 0; i < r->n; i++) {
        const ttlx_layout_t *L = &r->layouts[i];
        if (!L->placed || L->memory != TTLX_MEM_L1) continue;
        if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
            for (size_t c = 0; c < cores; c++)
                r->core_used[c] = ttlx_sat_add(r->core_used[c], L->bytes_per_bank);
        } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
            for (int64_t ci = 0; ci < L->cores_used; ci++) {
                int x, y;
                rr_core(L, dev, ci, &x, &y);
                size_t c = (size_t)y * gx + x;
                r->core_used[c] = ttlx_sat_add(r->core_used[c], L->bytes_per_core);
            }
        } else {
            bool colm = L->order == TTLX_ORDER_COL_MAJOR;
            int64_t w = colm ? L->proj_grid[0] : L->proj_grid[1];
            int64_t h = colm ? L->proj_grid[1] : L->proj_grid[0];
            for (int64_t y = 0; y < h; y++)
                for (int64_t x = 0; x < w; x++) {
                    size_t c = (size_t)y * gx + (size_t)x;
                    r->core_used[c] = ttlx_sat_add(r->core_used[c], L->bytes_per_core);
                }
        }
    }
    /* TTL015: one CB per buffer on every core of the partition (TTL016
     * buffers, with no data format, have none). */
    size_t ncb = 0;
    for (size_t i = 0; i < r->n; i++)
        ncb += r->layouts[i].data_format != NULL;
    if ((int64_t)ncb > dev->max_cbs && r->part.ncores > 0) {
        char fix[160];
        snprintf(fix, sizeof fix, "at most %d buffers per kernel: split the kernel (it has %zu)",
                 dev->max_cbs, ncb);
        add_diag(r, (diag_args_t){"TTL015", TTLX_SEV_ERROR, -1, NULL, NULL, -1, -1}, fix,
                 "too many circular buffers: %zu buffers need %zu circular buffers per core; %s "
                 "allows %d",
                 ncb, ncb, dev->name, dev->max_cbs);
    }
    /* TTL006: the worst core over the bank, with its breakdown. */
    size_t over = 0, worst = 0;
    for (size_t c = 0; c < cores; c++) {
        if (r->core_used[c] > dev->l1_bank_bytes) over++;
        if (r->core_used[c] > r->core_used[worst]) worst = c;
    }
    if (!over) return;
    int wx = (int)(worst % gx), wy = (int)(worst / gx);
    /* The L1 buffers on that core, largest first (ties in parameter order):
     * listed in the message, and moved to DRAM greedily for the fix. */
    ttlx_sb_t parts = {0}, fix = {0};
    char bb[40], bc[40], bd[40];
    int64_t used = r->core_used[worst];
    on_core_t *on = ttlx_calloc(r->n ? r->n : 1, sizeof *on);
    if (!on) {
        r->oom = true;
        return;
    }
    size_t non = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->layouts[i].memory != TTLX_MEM_L1) continue;
        int64_t v = bytes_on(r, &r->layouts[i], wx, wy);
        if (v > 0) on[non++] = (on_core_t){v, i};
    }
    qsort(on, non, sizeof *on, by_bytes_desc);
    for (size_t k = 0; k < non && k < 6; k++)
        ttlx_sb_printf(&parts, "%s%s %s", k ? " + " : "", r->layouts[on[k].index].buf->name,
                       fmt_b(bb, sizeof bb, on[k].bytes));
    if (non > 6) ttlx_sb_printf(&parts, " + %zu more", non - 6);
    if (r->core_cb[worst])
        ttlx_sb_printf(&parts, "%sCBs %s", non ? " + " : "",
                       fmt_b(bb, sizeof bb, r->core_cb[worst]));
    int64_t left = used;
    size_t nmoved = 0;
    for (size_t k = 0; k < non && left > dev->l1_bank_bytes; k++) {
        left -= on[k].bytes;
        if (nmoved < 8)
            ttlx_sb_printf(&fix, "%s%s", nmoved ? ", " : "memory \"DRAM\" for ",
                           r->layouts[on[k].index].buf->name);
        else if (nmoved == 8)
            ttlx_sb_puts(&fix, ", ...");
        nmoved++;
    }
    if (nmoved > 8) ttlx_sb_printf(&fix, " (%zu buffers)", nmoved);
    ttlx_free(on);
    if (left > dev->l1_bank_bytes)
        ttlx_sb_printf(&fix, "%slower cb_depth: the circular buffers alone need %s B",
                       nmoved ? "; then " : "", fmt_b(bb, sizeof bb, r->core_cb[worst]));
    else if (nmoved)
        ttlx_sb_printf(&fix, ": core (%d,%d) then uses %s B", wx, wy, fmt_b(bb, sizeof bb, left));
    add_diag(r, (diag_args_t){"TTL006", TTLX_SEV_ERROR, -1, NULL, NULL, wx, wy},
             fix.data ? fix.data : "", "L1 exceeds capacity on core (%d,%d): %s B > %s B (%s)%s",
             wx, wy, fmt_b(bb, sizeof bb, used), fmt_b(bc, sizeof bc, dev->l1_bank_bytes),
             parts.data ? parts.data : "",
             over > 1 ? (snprintf(bd, sizeof bd, "; %zu cores over", over), bd) : "");
    ttlx_sb_free(&parts);
    ttlx_sb_free(&fix);
}

/* ---- the passes -------------------------------------------------------- */

void ttlx_result_free(ttlx_result_t *r) {
    if (!r) return;
    while (r->arena) {
        arena_block_t *n = r->arena->next;
        ttlx_free(r->arena);
        r->arena = n;
    }
    ttlx_free(r->layouts);
    ttlx_free(r->diags);
    ttlx_free(r->core_used);
    ttlx_free(r->core_cb);
    ttlx_free(r->in_part);
    ttlx_free(r->ranges);
    ttlx_free(r);
}

ttlx_result_t *ttlx_infer(const ttlx_func_t *f, const ttlx_device_t *dev, ttlx_error_t *err) {
    ttlx_result_t *r = ttlx_calloc(1, sizeof *r);
    if (!r) goto oom;
    r->func = f;
    r->dev = dev ? *dev : *ttlx_device_default();
    r->n = ttlx_func_buffer_count(f);
    size_t cores = (size_t)r->dev.grid_x * r->dev.grid_y;
    r->layouts = ttlx_calloc(r->n ? r->n : 1, sizeof *r->layouts);
    r->core_used = ttlx_calloc(cores, sizeof *r->core_used);
    r->core_cb = ttlx_calloc(cores, sizeof *r->core_cb);
    r->in_part = ttlx_calloc(cores, 1);
    if (!r->layouts || !r->core_used || !r->core_cb || !r->in_part) goto oom;

    const cJSON *ul = cJSON_GetObjectItemCaseSensitive(ttlx_func_attrs(f), "tt.user_layout");
    if (ul && !cJSON_IsObject(ul)) {
        char fix[400];
        snprintf(fix, sizeof fix,
                 "tt.user_layout {\"%.200s\": {\"memory\": \"L1\"}} (buffer name: "
                 "its hint)",
                 r->n ? ttlx_func_buffer(f, 0)->name : "NAME");
        add_diag(r, (diag_args_t){"TTL010", TTLX_SEV_ERROR, -1, NULL, "tt.user_layout", -1, -1},
                 fix, "tt.user_layout: expected an object of per-buffer hints, got %s",
                 json_type(ul));
    }
    /* One pass over the hints: each finds its buffer through the name index
     * (the first hint for a name wins, as a lookup by key would). */
    const cJSON **hints = ttlx_calloc(r->n ? r->n : 1, sizeof *hints);
    if (!hints) goto oom;
    size_t unknown = 0;
    int next = 0; /* hints mostly follow the buffers' order: try the next few first */
    for (const cJSON *h = cJSON_IsObject(ul) ? ul->child : NULL; h; h = h->next) {
        int bi = -1;
        for (int k = next; h->string && k < next + 4 && (size_t)k < r->n; k++) {
            if (!strcmp(ttlx_func_buffer(f, (size_t)k)->name, h->string)) {
                bi = k;
                break;
            }
        }
        if (bi < 0 && h->string) bi = ttlx_func_find_buffer(f, h->string);
        if (bi < 0) {
            unknown++;
            continue;
        }
        next = bi + 1;
        if (!hints[bi]) hints[bi] = h;
    }
    for (size_t i = 0; i < r->n; i++) {
        ttlx_layout_t *L = &r->layouts[i];
        L->buf = ttlx_func_buffer(f, i);
        L->memory = TTLX_MEM_DRAM;
        L->layout = TTLX_LAYOUT_INTERLEAVED;
        L->dtype = L->buf->dtype;
        L->tile_h = L->tile_w = 32;
        L->cb_depth = 2;
        L->order = TTLX_ORDER_ROW_MAJOR;
        L->dist = TTLX_DIST_GRID_2D;
        L->align_tiles = true;
        L->axis_m = L->axis_n = -1;
        const cJSON *nd = apply_hint(r, (int)i, hints[i]);
        if (L->tile_h != 32 || L->tile_w != 32)
            add_diag(r, on_buf("TTL012", TTLX_SEV_WARNING, (int)i, "tile_shape"),
                     "tile_shape: [32, 32]",
                     "tile %dx%d is not the 32x32 default: fewer kernels and matmul paths "
                     "support it",
                     L->tile_h, L->tile_w);
        if (!check_dtype_format(r, (int)i)) continue;
        fill_tiles(r, L);
        if (nd) parse_shard(r, (int)i, nd);
        if (L->layout == TTLX_LAYOUT_SHARDED) {
            if (!nd) {
                char fix[400] = "";
                if (L->buf->rank >= 2) {
                    ttlx_layout_t t = *L;
                    default_axes(L->buf->rank, t.axes);
                    t.axis_m = L->buf->rank - 2;
                    t.axis_n = L->buf->rank - 1;
                    for (int d = 0; d < L->buf->rank; d++) {
                        t.grid[d] = 1;
                        t.shard[d] = L->buf->shape[d];
                    }
                    grid_fit_t g = {0};
                    int64_t budget = L->memory == TTLX_MEM_L1 ? r->dev.l1_bank_bytes : INT64_MAX;
                    if (fit_grid(&t, &r->dev, budget, &g)) {
                        char ax[200], rest[300];
                        fmt_fit(rest, sizeof rest, &t, &g);
                        snprintf(fix, sizeof fix, "nd_shard axes %s, %s",
                                 fmt_axes(ax, sizeof ax, &t, L->buf->rank), rest);
                    } else {
                        snprintf(fix, sizeof fix, "memory \"DRAM\": no grid of %s holds %s in L1",
                                 r->dev.name, L->buf->name);
                    }
                } else {
                    start_value(fix, sizeof fix, L->buf, "nd_shard");
                }
                add_diag(r, on_buf("TTL002", TTLX_SEV_ERROR, (int)i, "nd_shard"), fix,
                         "nd_shard incomplete: %s is sharded but has no nd_shard", L->buf->name);
            } else if (L->has_shard) {
                place_sharded(r, (int)i);
            }
        } else {
            if (L->has_shard) {
                /* An nd_shard on an interleaved buffer is carried, not used. */
                L->proj_grid[0] = L->grid[L->axis_m];
                L->proj_grid[1] = L->grid[L->axis_n];
                L->proj_shard_tiles[0] = ttlx_ceil_div(L->shard[L->axis_m], L->tile_h);
                L->proj_shard_tiles[1] = ttlx_ceil_div(L->shard[L->axis_n], L->tile_w);
            }
            place_interleaved(r, (int)i);
        }
        padding_info(r, (int)i);
        if (r->oom) break;
    }
    ttlx_free(hints);
    if (r->oom) goto oom;
    /* Hints for buffers that do not exist. */
    if (unknown) {
        const char **names = ttlx_calloc(r->n ? r->n : 1, sizeof *names);
        if (!names) goto oom;
        for (size_t i = 0; i < r->n; i++)
            names[i] = r->layouts[i].buf->name;
        for (const cJSON *h = ul->child; h; h = h->next) {
            if (h->string && ttlx_func_find_buffer(f, h->string) >= 0) continue;
            const char *near = h->string ? ttlx_closest(h->string, names, r->n) : NULL;
            char fix[200];
            if (near)
                snprintf(fix, sizeof fix, "rename the hint to \"%s\"", near);
            else
                snprintf(fix, sizeof fix, "remove the hint");
            add_diag(r, (diag_args_t){"TTL011", TTLX_SEV_WARNING, -1, h->string, NULL, -1, -1}, fix,
                     "hint for unknown buffer \"%.60s\"%s%s%s", h->string ? h->string : "",
                     near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
        }
        ttlx_free(names);
    }
    if (!partition(r)) goto oom;
    core_budget(r);
    if (r->oom) goto oom;
    return r;
oom:
    ttlx_result_free(r);
    ttlx_error_set(err, 0, 0, "out of memory");
    return NULL;
}

/* ---- queries ----------------------------------------------------------- */

const ttlx_device_t *ttlx_result_device(const ttlx_result_t *r) {
    return &r->dev;
}
const char *ttlx_result_func_name(const ttlx_result_t *r) {
    return ttlx_func_name(r->func);
}
size_t ttlx_result_buffer_count(const ttlx_result_t *r) {
    return r->n;
}
const ttlx_layout_t *ttlx_result_layout(const ttlx_result_t *r, size_t i) {
    return i < r->n ? &r->layouts[i] : NULL;
}
size_t ttlx_result_diag_count(const ttlx_result_t *r) {
    return r->ndiags;
}
const ttlx_diag_t *ttlx_result_diag(const ttlx_result_t *r, size_t i) {
    return i < r->ndiags ? &r->diags[i] : NULL;
}

size_t ttlx_result_diag_counts(const ttlx_result_t *r, size_t *errors, size_t *warnings,
                               size_t *infos) {
    size_t c[3] = {0, 0, 0};
    for (size_t i = 0; i < r->ndiags; i++)
        c[r->diags[i].severity]++;
    if (errors) *errors = c[TTLX_SEV_ERROR];
    if (warnings) *warnings = c[TTLX_SEV_WARNING];
    if (infos) *infos = c[TTLX_SEV_INFO];
    return c[TTLX_SEV_ERROR];
}

const ttlx_partition_t *ttlx_result_partition(const ttlx_result_t *r) {
    return &r->part;
}

static bool in_grid(const ttlx_result_t *r, int x, int y) {
    return x >= 0 && y >= 0 && x < r->dev.grid_x && y < r->dev.grid_y;
}

bool ttlx_result_core_in_partition(const ttlx_result_t *r, int x, int y) {
    return in_grid(r, x, y) && r->in_part[(size_t)y * r->dev.grid_x + x];
}

int64_t ttlx_result_core_used(const ttlx_result_t *r, int x, int y) {
    return in_grid(r, x, y) ? r->core_used[(size_t)y * r->dev.grid_x + x] : 0;
}

int64_t ttlx_result_core_cb_bytes(const ttlx_result_t *r, int x, int y) {
    return in_grid(r, x, y) ? r->core_cb[(size_t)y * r->dev.grid_x + x] : 0;
}

int64_t ttlx_result_max_used(const ttlx_result_t *r, int *worst_x, int *worst_y) {
    size_t cores = (size_t)r->dev.grid_x * r->dev.grid_y, worst = 0;
    for (size_t c = 1; c < cores; c++)
        if (r->core_used[c] > r->core_used[worst]) worst = c;
    if (worst_x) *worst_x = (int)(worst % r->dev.grid_x);
    if (worst_y) *worst_y = (int)(worst / r->dev.grid_x);
    return r->core_used[worst];
}

/* Index of core (x, y) in L's round-robin order. */
static int64_t rr_index(const ttlx_layout_t *L, const ttlx_device_t *dev, int x, int y) {
    return L->order == TTLX_ORDER_COL_MAJOR ? (int64_t)x * dev->grid_y + y
                                            : (int64_t)y * dev->grid_x + x;
}

/* The holder index of (x, y) for L: the DRAM bank (y < 0), the core's
 * round-robin index, or -1 when (x, y) holds nothing of L. For grid_2d,
 * *m and *n get the shard coordinates. */
static int64_t holder(const ttlx_result_t *r, const ttlx_layout_t *L, int x, int y, int64_t *m,
                      int64_t *n) {
    if (!L->placed) return -1;
    bool dram = L->memory == TTLX_MEM_DRAM;
    if (dram != (y < 0)) return -1;
    if (dram) return x >= 0 && x < r->dev.dram_banks ? x : -1;
    if (!in_grid(r, x, y)) return -1;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED || L->dist == TTLX_DIST_ROUND_ROBIN_1D)
        return rr_index(L, &r->dev, x, y);
    bool colm = L->order == TTLX_ORDER_COL_MAJOR;
    *m = colm ? x : y;
    *n = colm ? y : x;
    return *m < L->proj_grid[0] && *n < L->proj_grid[1] ? 0 : -1;
}

static int64_t bytes_on(const ttlx_result_t *r, const ttlx_layout_t *L, int x, int y) {
    int64_t m, n;
    int64_t h = holder(r, L, x, y, &m, &n);
    if (h < 0) return 0;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED) return L->bytes_per_bank;
    if (L->memory == TTLX_MEM_DRAM || L->dist == TTLX_DIST_ROUND_ROBIN_1D)
        return h < L->cores_used ? L->bytes_per_core : 0;
    return L->bytes_per_core;
}

int64_t ttlx_result_buffer_bytes_on(const ttlx_result_t *r, size_t i, int x, int y) {
    return i < r->n ? bytes_on(r, &r->layouts[i], x, y) : 0;
}

/* Extent of one shard along dim d in placement units (tiles on the two
 * tiled dims, elements elsewhere), and the tensor's extent in those units. */
static int64_t unit_shard(const ttlx_layout_t *L, int d) {
    int rank = L->buf->rank;
    if (d == rank - 2) return ttlx_ceil_div(L->shard[d], L->tile_h);
    if (d == rank - 1) return ttlx_ceil_div(L->shard[d], L->tile_w);
    return L->shard[d];
}

bool ttlx_place_tile(const ttlx_result_t *r, size_t i, int64_t row, int64_t col,
                     ttlx_place_t *out) {
    if (i >= r->n) return false;
    const ttlx_layout_t *L = &r->layouts[i];
    if (row < 0 || col < 0 || row >= L->view_rows || col >= L->view_cols || !L->placed)
        return false;
    memset(out, 0, sizeof *out);
    const ttlx_buffer_info_t *b = L->buf;
    int64_t ht = L->tile_grid[L->tile_rank - 2];
    int64_t tr = row % ht;
    int64_t H = b->rank >= 2 ? b->shape[b->rank - 2] : 1, W = b->shape[b->rank - 1];
    out->padding = (tr + 1) * L->tile_h > H || (col + 1) * L->tile_w > W;
    out->dram = L->memory == TTLX_MEM_DRAM;
    out->x = out->y = -1;
    out->shard = -1;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
        int64_t page = row * L->view_cols + col;
        out->bank = (int)(page % L->banks);
        out->slot = page / L->banks;
        if (!out->dram) {
            out->x = out->bank % r->dev.grid_x;
            out->y = out->bank / r->dev.grid_x;
        }
        return true;
    }
    /* Sharded: coordinates per dim, then shard and offset. */
    int64_t c[TTLX_MAX_RANK], g[TTLX_MAX_RANK], l[TTLX_MAX_RANK];
    int64_t outer = row / ht;
    c[b->rank - 2] = tr;
    c[b->rank - 1] = col;
    for (int d = b->rank - 3; d >= 0; d--) {
        c[d] = outer % b->shape[d];
        outer /= b->shape[d];
    }
    int64_t s = 0, off = 0, stack = 0;
    for (int d = 0; d < b->rank; d++) {
        int64_t e = unit_shard(L, d);
        g[d] = c[d] / e;
        l[d] = c[d] % e;
        if (g[d] >= L->grid[d]) {
            out->uncovered = true;
            out->bank = -1;
            return true;
        }
        s = s * L->grid[d] + g[d];
        /* A shard's capacity may pass 2^63 where its real tiles do not. */
        off = ttlx_sat_add(ttlx_sat_mul(off, e), l[d]);
        if (d != L->axis_m && d != L->axis_n) stack = stack * L->grid[d] + g[d];
    }
    out->shard = s;
    out->offset = off;
    if (out->dram) {
        out->bank = (int)(s % r->dev.dram_banks);
        out->slot = s / r->dev.dram_banks;
    } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t cores = (int64_t)r->dev.grid_x * r->dev.grid_y;
        rr_core(L, &r->dev, s % cores, &out->x, &out->y);
        out->slot = s / cores;
        out->bank = out->y * r->dev.grid_x + out->x;
    } else {
        bool colm = L->order == TTLX_ORDER_COL_MAJOR;
        out->x = (int)(colm ? g[L->axis_m] : g[L->axis_n]);
        out->y = (int)(colm ? g[L->axis_n] : g[L->axis_m]);
        out->slot = stack;
        out->bank = out->y * r->dev.grid_x + out->x;
    }
    return true;
}

/* Real tiles (inside the padded tensor) of the shard at coordinate gd on d. */
static int64_t shard_real(const ttlx_layout_t *L, int d, int64_t gd) {
    int64_t e = unit_shard(L, d);
    int64_t total =
        d >= L->buf->rank - 2 ? L->tile_grid[L->tile_rank - (L->buf->rank - d)] : L->buf->shape[d];
    int64_t left = total - gd * e;
    return left <= 0 ? 0 : left < e ? left : e;
}

/* Real tiles of shard index s. */
static int64_t shard_real_tiles(const ttlx_layout_t *L, int64_t s) {
    int64_t g[TTLX_MAX_RANK], t = 1;
    shard_coords(L, s, g);
    for (int d = 0; d < L->buf->rank; d++)
        t = ttlx_sat_mul(t, shard_real(L, d, g[d]));
    return t;
}

/* Real tiles of all shards s < L->shards with s = h (mod B), for the DRAM
 * and round_robin_1d placements, whatever the number of shards: per dim,
 * a vector over residues mod B of the tiles each grid position holds,
 * weighted by what it adds to s mod B; the dims' vectors convolved give
 * the total at residue h. O(rank * B^2). */
#define MAX_HOLDERS 4096 /* 64 x 64 cores, the largest grid a profile may have */
static int64_t real_tiles_mod(const ttlx_layout_t *L, int64_t B, int64_t h) {
    if (B < 1 || B > MAX_HOLDERS) return 0;
    int64_t acc[B], v[B], next[B]; /* at most 96 KiB */
    int rank = L->buf->rank;
    memset(acc, 0, sizeof acc[0] * (size_t)B);
    acc[0] = 1;
    int64_t stride = 1 % B; /* prod of the later dims' grids, mod B */
    for (int d = rank - 1; d >= 0; d--) {
        int64_t G = L->grid[d], e = unit_shard(L, d);
        int64_t total = d >= rank - 2 ? L->tile_grid[L->tile_rank - (rank - d)] : L->buf->shape[d];
        int64_t q = total / e, rem = total % e, full = q < G ? q : G;
        /* g * stride mod B repeats every period positions. */
        int64_t gcd = B, a = stride;
        for (int64_t t = a; t;) {
            int64_t m = gcd % t;
            gcd = t;
            t = m;
        }
        int64_t period = B / gcd;
        memset(v, 0, sizeof v[0] * (size_t)B);
        for (int64_t g = 0; g < period && g < full; g++) {
            int64_t times = full / period + (g < full % period);
            int64_t res = g * a % B;
            v[res] = ttlx_sat_add(v[res], ttlx_sat_mul(times, e));
        }
        if (q < G && rem > 0) {
            int64_t res = (q % B) * a % B;
            v[res] = ttlx_sat_add(v[res], rem);
        }
        memset(next, 0, sizeof next[0] * (size_t)B);
        for (int64_t r1 = 0; r1 < B; r1++) {
            if (!acc[r1]) continue;
            for (int64_t r2 = 0; r2 < B; r2++) {
                if (!v[r2]) continue;
                int64_t k = (r1 + r2) % B;
                next[k] = ttlx_sat_add(next[k], ttlx_sat_mul(acc[r1], v[r2]));
            }
        }
        memcpy(acc, next, sizeof acc[0] * (size_t)B);
        stride = stride * (G % B) % B;
    }
    return acc[h % B];
}

int64_t ttlx_place_count_on(const ttlx_result_t *r, size_t i, int x, int y) {
    if (i >= r->n) return 0;
    const ttlx_layout_t *L = &r->layouts[i];
    int64_t m = 0, n = 0;
    int64_t h = holder(r, L, x, y, &m, &n);
    if (h < 0) return 0;
    if (L->layout == TTLX_LAYOUT_INTERLEAVED)
        return h < L->banks ? L->pages / L->banks + (h < L->pages % L->banks) : 0;
    if (L->memory == TTLX_MEM_DRAM || L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t holders =
            L->memory == TTLX_MEM_DRAM ? r->dev.dram_banks : (int64_t)r->dev.grid_x * r->dev.grid_y;
        /* A few shards each: add them; many: by residues, in O(rank B^2). */
        if (L->shards / holders > 4096) return real_tiles_mod(L, holders, h);
        int64_t t = 0;
        for (int64_t s = h; s < L->shards; s += holders)
            t = ttlx_sat_add(t, shard_real_tiles(L, s));
        return t;
    }
    /* grid_2d: M and N fixed, every combination of the other axes stacks. */
    int64_t t = ttlx_sat_mul(shard_real(L, L->axis_m, m), shard_real(L, L->axis_n, n));
    for (int d = 0; d < L->buf->rank; d++) {
        if (d == L->axis_m || d == L->axis_n) continue;
        int64_t cover = ttlx_sat_mul(L->grid[d], unit_shard(L, d));
        int64_t total = d >= L->buf->rank - 2 ? L->tile_grid[L->tile_rank - (L->buf->rank - d)]
                                              : L->buf->shape[d];
        t = ttlx_sat_mul(t, cover < total ? cover : total);
    }
    return t;
}

int64_t ttlx_place_shards_on(const ttlx_result_t *r, size_t i, int x, int y, int64_t *out,
                             size_t cap) {
    if (i >= r->n) return 0;
    const ttlx_layout_t *L = &r->layouts[i];
    int64_t m = 0, n = 0;
    int64_t h = holder(r, L, x, y, &m, &n);
    if (h < 0 || L->layout != TTLX_LAYOUT_SHARDED) return 0;
    int64_t count = 0;
    if (L->memory == TTLX_MEM_DRAM || L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        int64_t holders =
            L->memory == TTLX_MEM_DRAM ? r->dev.dram_banks : (int64_t)r->dev.grid_x * r->dev.grid_y;
        if (h >= L->shards) return 0;
        count = (L->shards - h - 1) / holders + 1; /* s = h, h + holders, ... */
        for (int64_t k = 0; k < count && (size_t)k < cap; k++)
            out[k] = h + k * holders;
        return count;
    }
    /* Enumerate the other axes row-major with M and N fixed. */
    int64_t stack = L->max_shards_per_core;
    for (int64_t k = 0; k < stack; k++, count++) {
        if ((size_t)count >= cap) {
            count = stack;
            break;
        }
        int64_t rest = k, g[TTLX_MAX_RANK];
        for (int d = L->buf->rank - 1; d >= 0; d--) {
            if (d == L->axis_m)
                g[d] = m;
            else if (d == L->axis_n)
                g[d] = n;
            else {
                g[d] = rest % L->grid[d];
                rest /= L->grid[d];
            }
        }
        int64_t s = 0;
        for (int d = 0; d < L->buf->rank; d++)
            s = s * L->grid[d] + g[d];
        out[count] = s;
    }
    return count;
}

const char *ttlx_severity_name(ttlx_severity_t s) {
    return s == TTLX_SEV_ERROR ? "error" : s == TTLX_SEV_WARNING ? "warning" : "info";
}
const char *ttlx_memory_name(ttlx_memory_t m) {
    return m == TTLX_MEM_L1 ? "L1" : "DRAM";
}
const char *ttlx_layout_kind_name(ttlx_layout_kind_t k) {
    return k == TTLX_LAYOUT_SHARDED ? "sharded" : "interleaved";
}
