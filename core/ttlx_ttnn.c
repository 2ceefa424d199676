/*
 * ttlx_ttnn.c - the TTNN terms of an inferred layout (SPEC 10): which
 * MemoryConfig places a buffer's pages on the same cores as ttlx does, its
 * Python text, and the Python module for a whole result. The mapping rules
 * are in the comment on ttlx_ttnn_config below.
 */
#include "ttlx_ttnn.h"

#include <stdarg.h>
#include <string.h>

static const char *layout_name(ttlx_ttnn_layout_t l) {
    switch (l) {
    case TTLX_TTNN_INTERLEAVED:
        return "INTERLEAVED";
    case TTLX_TTNN_HEIGHT_SHARDED:
        return "HEIGHT_SHARDED";
    case TTLX_TTNN_WIDTH_SHARDED:
        return "WIDTH_SHARDED";
    case TTLX_TTNN_BLOCK_SHARDED:
        return "BLOCK_SHARDED";
    case TTLX_TTNN_ND_SHARDED:
        break;
    }
    return "ND_SHARDED";
}

static void set_layout(ttlx_ttnn_config_t *c, ttlx_ttnn_layout_t l) {
    c->memory_layout = l;
    c->memory_layout_name = layout_name(l);
}

static void set_orientation(ttlx_ttnn_config_t *c, ttlx_ttnn_orientation_t o) {
    c->orientation = o;
    c->orientation_name = o == TTLX_TTNN_COL_MAJOR ? "COL_MAJOR" : "ROW_MAJOR";
}

static void set_strategy(ttlx_ttnn_config_t *c, ttlx_ttnn_strategy_t s) {
    c->strategy = s;
    c->strategy_name = s == TTLX_TTNN_GRID_2D ? "GRID_2D" : "ROUND_ROBIN_1D";
}

/* The one CoreRange (0, 0) .. (w - 1, h - 1). */
static void set_rect(ttlx_ttnn_config_t *c, int64_t w, int64_t h) {
    c->nranges = 1;
    c->ranges[0] = (ttlx_ttnn_range_t){0, 0, (int)(w - 1), (int)(h - 1)};
}

static void not_equivalent(ttlx_ttnn_config_t *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void not_equivalent(ttlx_ttnn_config_t *c, const char *fmt, ...) {
    c->equivalent = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->note, sizeof c->note, fmt, ap);
    va_end(ap);
}

/* Placement units along dim d (tiles on the last two dims, elements on the
 * others), as both ttlx and tt-metal count pages: one shard, and the tensor. */
static int64_t shard_units(const ttlx_layout_t *L, int d) {
    int rank = L->buf->rank;
    if (d == rank - 2) return ttlx_ceil_div(L->shard[d], L->tile_h);
    if (d == rank - 1) return ttlx_ceil_div(L->shard[d], L->tile_w);
    return L->shard[d];
}

static int64_t tensor_units(const ttlx_layout_t *L, int d) {
    int rank = L->buf->rank;
    if (d == rank - 2) return ttlx_ceil_div(L->buf->shape[d], L->tile_h);
    if (d == rank - 1) return ttlx_ceil_div(L->buf->shape[d], L->tile_w);
    return L->buf->shape[d];
}

/* The NdShardSpec shard shape: the hint's shard, the last two dims rounded
 * up to whole tiles (TTNN shards whole pages). */
static void fill_nd_shape(const ttlx_layout_t *L, ttlx_ttnn_config_t *c) {
    int rank = L->buf->rank;
    c->nd_rank = rank;
    for (int d = 0; d < rank; d++) {
        int64_t u = shard_units(L, d);
        c->nd_shard_shape[d] = d == rank - 2 ? u * L->tile_h : d == rank - 1 ? u * L->tile_w : u;
    }
}

/* The grid_2d placement of an L1 buffer (M and N the last two dims). */
static void grid_2d(const ttlx_layout_t *L, ttlx_ttnn_config_t *c) {
    int rank = L->buf->rank;
    bool colm = L->order == TTLX_ORDER_COL_MAJOR;
    int64_t gm = L->proj_grid[0], gn = L->proj_grid[1];
    set_orientation(c, colm ? TTLX_TTNN_COL_MAJOR : TTLX_TTNN_ROW_MAJOR);
    if (colm)
        set_rect(c, gm, gn);
    else
        set_rect(c, gn, gm);
    bool stacked = false, outer_whole = true;
    int64_t outer = 1;
    for (int d = 0; d < rank - 2; d++) {
        stacked |= L->grid[d] > 1;
        outer_whole &= L->shard[d] == L->buf->shape[d];
        outer *= L->buf->shape[d];
    }
    int64_t mt = tensor_units(L, rank - 2), nt = tensor_units(L, rank - 1);
    int64_t sm = L->proj_shard_tiles[0], sn = L->proj_shard_tiles[1];
    /* A single shard row or column must span the tensor exactly: TTNN's
     * height and width sharding have no shard reaching past its edge. */
    bool spans = (gm > 1 || sm == mt) && (gn > 1 || sn == nt);
    if (!stacked && outer_whole && (outer == 1 || gm == 1) && spans) {
        /* One shard per core, each a band of the tensor flattened to
         * [volume / W, W]: the legacy 2-D ShardSpec. */
        c->has_shard_spec = true;
        c->shard_shape[0] = outer * sm * L->tile_h;
        c->shard_shape[1] = sn * L->tile_w;
        set_layout(c, gm > 1 && gn > 1 ? TTLX_TTNN_BLOCK_SHARDED
                      : gn > 1         ? TTLX_TTNN_WIDTH_SHARDED
                                       : TTLX_TTNN_HEIGHT_SHARDED);
        return;
    }
    c->has_nd_shard_spec = true;
    fill_nd_shape(L, c);
    set_layout(c, TTLX_TTNN_ND_SHARDED);
    if (stacked) {
        /* Shards are numbered row-major with M and N last, so shard i sits
         * at core i mod (gm * gn) of the rectangle: the stack ttlx builds. */
        set_strategy(c, TTLX_TTNN_ROUND_ROBIN_1D);
        snprintf(c->note, sizeof c->note,
                 "shards that differ only on the outer axes stack on one core: round robin "
                 "over exactly %lld x %lld cores stacks them the same way",
                 (long long)gm, (long long)gn);
    } else if (colm) {
        set_strategy(c, TTLX_TTNN_ROUND_ROBIN_1D); /* one shard per core, y fastest */
    } else {
        set_strategy(c, TTLX_TTNN_GRID_2D); /* shard rows on y, shard columns on x */
    }
}

/*
 * The rules (SPEC 10):
 * - interleaved: TensorMemoryLayout.INTERLEAVED with the buffer's
 *   BufferType (L1 banks: ttlx numbers them in raster order where tt-metal
 *   permutes them, said in the note).
 * - sharded: the shard grid must be the one TTNN derives, ceil(tensor /
 *   shard) per dim in pages (tiles on the last two dims), or there is no
 *   equivalent.
 * - DRAM sharded: ttlx deals shard i to bank i mod banks, so NdShardSpec
 *   over the banks (CoreCoord(bank, 0)), ROW_MAJOR, ROUND_ROBIN_1D.
 * - L1 round_robin_1d: NdShardSpec over the whole core grid, ROW_MAJOR
 *   (COL_MAJOR for col_major), ROUND_ROBIN_1D.
 * - L1 grid_2d: M and N must be the last two dims. The cores are the
 *   rectangle of gn x gm cores (ROW_MAJOR) or gm x gn (col_major:
 *   COL_MAJOR). One shard per core whose shards are bands of the tensor
 *   flattened to [volume / W, W] (no outer axis cut, and either no outer
 *   dims or one shard row holding all of M; a single shard row or column
 *   spans the tensor exactly): the legacy ShardSpec,
 *   HEIGHT ([g,1]), WIDTH ([1,g]) or BLOCK ([gm,gn]), shard [outer * Sm,
 *   Sn] in elements (whole tiles). Otherwise NdShardSpec: GRID_2D for one
 *   shard per core (ROW_MAJOR), ROUND_ROBIN_1D when outer axes stack
 *   shards on a core or the order is col_major.
 * - block_linear(k) in L1: TTNN has no such core order; the config shown
 *   is its row_major placement and equivalent is false. (DRAM placement
 *   ignores the order.)
 */
bool ttlx_ttnn_config(const ttlx_result_t *r, size_t buffer, ttlx_ttnn_config_t *out) {
    if (buffer >= ttlx_result_buffer_count(r)) return false;
    const ttlx_layout_t *L = ttlx_result_layout(r, buffer);
    const ttlx_device_t *dev = ttlx_result_device(r);
    memset(out, 0, sizeof *out);
    out->buffer_type_name = L->memory == TTLX_MEM_L1 ? "L1" : "DRAM";
    out->equivalent = true;
    set_orientation(out, TTLX_TTNN_ROW_MAJOR);
    set_strategy(out, TTLX_TTNN_ROUND_ROBIN_1D);
    if (L->layout == TTLX_LAYOUT_INTERLEAVED) {
        set_layout(out, TTLX_TTNN_INTERLEAVED);
        if (L->memory == TTLX_MEM_L1)
            snprintf(out->note, sizeof out->note,
                     "ttlx numbers L1 banks in raster order; tt-metal permutes its L1 bank ids");
        return true;
    }
    set_layout(out, TTLX_TTNN_ND_SHARDED);
    if (!L->placed || !L->has_shard) {
        not_equivalent(out, "the hint gives no placement (see the diagnostics)");
        return true;
    }
    int rank = L->buf->rank;
    for (int d = 0; d < rank; d++) {
        int64_t need = ttlx_ceil_div(tensor_units(L, d), shard_units(L, d));
        if (L->grid[d] != need) {
            not_equivalent(out,
                           "axis %s has %lld shards where TTNN makes ceil(tensor / shard) = %lld",
                           L->axes[d], (long long)L->grid[d], (long long)need);
            return true;
        }
    }
    if (L->memory == TTLX_MEM_DRAM) {
        out->has_nd_shard_spec = true;
        fill_nd_shape(L, out);
        set_rect(out, dev->dram_banks, 1);
        snprintf(out->note, sizeof out->note, "DRAM banks as CoreCoord(bank, 0)");
    } else if (L->dist == TTLX_DIST_ROUND_ROBIN_1D) {
        out->has_nd_shard_spec = true;
        fill_nd_shape(L, out);
        set_rect(out, dev->grid_x, dev->grid_y);
        set_orientation(out, L->order == TTLX_ORDER_COL_MAJOR ? TTLX_TTNN_COL_MAJOR
                                                              : TTLX_TTNN_ROW_MAJOR);
    } else if (L->axis_m != rank - 2 || L->axis_n != rank - 1) {
        not_equivalent(out,
                       "M and N label dims %d and %d: TTNN's 2-D grid takes shard rows from "
                       "dim %d and columns from dim %d",
                       L->axis_m, L->axis_n, rank - 2, rank - 1);
        return true;
    } else {
        grid_2d(L, out);
    }
    if (L->memory == TTLX_MEM_L1 && L->order == TTLX_ORDER_BLOCK_LINEAR)
        not_equivalent(out,
                       "block_linear(%d) has no TTNN ShardOrientation; shown as its row_major "
                       "placement",
                       L->block_k);
    return true;
}

/* A bounded writer that still counts what it could not write. */
typedef struct text {
    char *buf;
    size_t cap, len;
} text_t;

static void put(text_t *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(text_t *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->len < t->cap ? t->cap - t->len : 0;
    int n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0) t->len += (size_t)n;
}

static void put_ranges(text_t *t, const ttlx_ttnn_config_t *c, const char *p) {
    put(t, "%sCoreRangeSet({", p);
    for (int i = 0; i < c->nranges; i++) {
        const ttlx_ttnn_range_t *g = &c->ranges[i];
        put(t, "%s%sCoreRange(%sCoreCoord(%d, %d), %sCoreCoord(%d, %d))", i ? ", " : "", p, p,
            g->x0, g->y0, p, g->x1, g->y1);
    }
    put(t, "})");
}

size_t ttlx_ttnn_describe(const ttlx_ttnn_config_t *c, bool prefix, char *buf, size_t cap) {
    text_t t = {buf, cap, 0};
    const char *p = prefix ? "ttnn." : "";
    if (cap) buf[0] = '\0';
    if (c->has_nd_shard_spec) {
        put(&t, "%sMemoryConfig(%sBufferType.%s, %sNdShardSpec(%sShape([", p, p,
            c->buffer_type_name, p, p);
        for (int d = 0; d < c->nd_rank; d++)
            put(&t, "%s%lld", d ? ", " : "", (long long)c->nd_shard_shape[d]);
        put(&t, "]), ");
        put_ranges(&t, c, p);
        put(&t, ", %sShardOrientation.%s, %sShardDistributionStrategy.%s))", p, c->orientation_name,
            p, c->strategy_name);
    } else {
        put(&t, "%sMemoryConfig(%sTensorMemoryLayout.%s, %sBufferType.%s", p, p,
            c->memory_layout_name, p, c->buffer_type_name);
        if (c->has_shard_spec) {
            put(&t, ", %sShardSpec(", p);
            put_ranges(&t, c, p);
            put(&t, ", [%lld, %lld], %sShardOrientation.%s)", (long long)c->shard_shape[0],
                (long long)c->shard_shape[1], p, c->orientation_name);
        }
        put(&t, ")");
    }
    return t.len;
}

/* "{[(x0,y0)-(x1,y1)], ...}": the CoreRangeSet in a few characters. */
static void put_ranges_brief(text_t *t, const ttlx_ttnn_config_t *c) {
    put(t, "{");
    for (int i = 0; i < c->nranges; i++) {
        const ttlx_ttnn_range_t *g = &c->ranges[i];
        put(t, "%s[(%d,%d)-(%d,%d)]", i ? ", " : "", g->x0, g->y0, g->x1, g->y1);
    }
    put(t, "}");
}

size_t ttlx_ttnn_brief(const ttlx_ttnn_config_t *c, char *buf, size_t cap) {
    text_t t = {buf, cap, 0};
    if (cap) buf[0] = '\0';
    if (!c->equivalent) {
        put(&t, "no TTNN equivalent: %s", c->note);
        return t.len;
    }
    put(&t, "%s ", c->buffer_type_name);
    if (c->has_nd_shard_spec) {
        put(&t, "NdShardSpec([");
        for (int d = 0; d < c->nd_rank; d++)
            put(&t, "%s%lld", d ? ", " : "", (long long)c->nd_shard_shape[d]);
        put(&t, "], ");
        put_ranges_brief(&t, c);
        put(&t, ", %s, %s)", c->orientation_name, c->strategy_name);
        return t.len;
    }
    put(&t, "%s", c->memory_layout_name);
    if (c->has_shard_spec) {
        put(&t, " ShardSpec(");
        put_ranges_brief(&t, c);
        put(&t, ", [%lld, %lld], %s)", (long long)c->shard_shape[0], (long long)c->shard_shape[1],
            c->orientation_name);
    }
    return t.len;
}

/* Python's keywords: a buffer named after one gets a trailing "_". */
static bool is_keyword(const char *s) {
    static const char *const kw[] = {
        "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
        "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
        "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
        "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield",    "ttnn"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (!strcmp(s, kw[i])) return true;
    return false;
}

/* name made a Python identifier: other characters become "_", a leading
 * digit or an empty name gains "_", a keyword (or "ttnn") gains a trailing
 * "_". Caller frees with ttlx_free; NULL on allocation failure. */
static char *py_ident(const char *name, size_t extra) {
    size_t n = strlen(name);
    char *s = ttlx_malloc(n + 3 + extra);
    if (!s) return NULL;
    size_t k = 0;
    if (n == 0 || (name[0] >= '0' && name[0] <= '9')) s[k++] = '_';
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_';
        s[k++] = ok ? ch : '_';
    }
    s[k] = '\0';
    if (is_keyword(s)) {
        s[k++] = '_';
        s[k] = '\0';
    }
    return s;
}

/* Writes text as the rest of a comment line: line breaks become spaces. */
static void put_comment_text(FILE *out, const char *s) {
    for (; *s; s++)
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

bool ttlx_ttnn_python(const ttlx_result_t *r, FILE *out) {
    size_t n = ttlx_result_buffer_count(r);
    char **names = ttlx_calloc(n ? n : 1, sizeof *names);
    if (!names) return false;
    bool ok = true;
    fputs("# TTNN MemoryConfigs for the buffers of ", out);
    put_comment_text(out, ttlx_result_func_name(r));
    fputs(" on ", out);
    put_comment_text(out, ttlx_result_device(r)->name);
    fputs(" (written by ttlx).\nimport ttnn\n", out);
    for (size_t i = 0; i < n && ok; i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        /* Names stay unique after sanitising: "a-b" and "a_b" get _2. */
        char *id = py_ident(L->buf->name, 24);
        if (!id) {
            ok = false;
            break;
        }
        size_t base = strlen(id);
        for (int suffix = 2;; suffix++) {
            bool taken = false;
            for (size_t j = 0; j < i && !taken; j++)
                taken = !strcmp(names[j], id);
            if (!taken) break;
            snprintf(id + base, 24, "_%d", suffix);
        }
        names[i] = id;
        ttlx_ttnn_config_t c;
        ttlx_ttnn_config(r, i, &c);
        fputs("\n# ", out);
        put_comment_text(out, L->buf->name);
        fprintf(out, ": %s %s\n", ttlx_memory_name(L->memory), ttlx_layout_kind_name(L->layout));
        if (!c.equivalent) {
            fputs("# no TTNN equivalent: ", out);
            put_comment_text(out, c.note);
            fprintf(out, "\n%s = None\n", id);
            continue;
        }
        if (c.note[0]) {
            fputs("# ", out);
            put_comment_text(out, c.note);
            fputc('\n', out);
        }
        char line[1024];
        size_t need = ttlx_ttnn_describe(&c, true, line, sizeof line);
        char *text = line;
        if (need >= sizeof line) {
            text = ttlx_malloc(need + 1);
            if (!text) {
                ok = false;
                break;
            }
            ttlx_ttnn_describe(&c, true, text, need + 1);
        }
        fprintf(out, "%s = %s\n", id, text);
        if (text != line) ttlx_free(text);
    }
    for (size_t i = 0; i < n; i++)
        ttlx_free(names[i]);
    ttlx_free(names);
    return ok && !ferror(out);
}
