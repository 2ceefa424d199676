/*
 * ttlx_hint.c - the one hint schema: the key table, the enum name tables,
 * the parser from a hint object to ttlx_hint_t with its diagnostics
 * (TTL001, TTL002, TTL003, TTL010, TTL011, TTL012) and fixes, and the
 * canonical hint object. Also the small value formatters the messages of
 * the passes share (lists, axis labels, JSON values).
 */
#include "ttlx_hint.h"
#include "ttlx_near.h"
#include "ttlx_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- enum names ------------------------------------------------------- */

static const char *const memory_names[] = {"DRAM", "L1", NULL};
static const char *const layout_names[] = {"interleaved", "sharded", NULL};
static const char *const order_names[] = {"row_major", "col_major", "match_shard", "block_linear",
                                          NULL};
static const char *const dist_names[] = {"grid_2d", "round_robin_1d", NULL};
static const char *const severity_names[] = {"info", "warning", "error", NULL};
static const char *const tile_choices[] = {"32x32", "16x32", "32x16", "16x16", NULL};

/* What an editor cycles through where the choices are not a list. */
static const char *const order_values[] = {"row_major", "col_major", "match_shard",
                                           "block_linear(2)", NULL};
static const char *const bool_values[] = {"true", "false", NULL};
static const char *const depth_values[] = {"1", "2", "3", "4", "8", "16", NULL};

const int ttlx_tile_shapes[TTLX_TILE_SHAPE_COUNT][2] = {{32, 32}, {16, 32}, {32, 16}, {16, 16}};

const char *const *ttlx_memory_names(void) {
    return memory_names;
}
const char *const *ttlx_layout_kind_names(void) {
    return layout_names;
}
const char *const *ttlx_order_names(void) {
    return order_names;
}
const char *const *ttlx_dist_names(void) {
    return dist_names;
}
const char *const *ttlx_severity_names(void) {
    return severity_names;
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
const char *ttlx_order_name(ttlx_order_t o) {
    return (unsigned)o <= TTLX_ORDER_BLOCK_LINEAR ? order_names[o] : order_names[0];
}
const char *ttlx_dist_name(ttlx_dist_t d) {
    return d == TTLX_DIST_ROUND_ROBIN_1D ? dist_names[1] : dist_names[0];
}

const char *ttlx_order_format(ttlx_order_t o, int block_k, char *buf, size_t size) {
    if (o == TTLX_ORDER_BLOCK_LINEAR)
        snprintf(buf, size, "block_linear(%d)", block_k);
    else
        snprintf(buf, size, "%s", ttlx_order_name(o));
    return buf;
}

bool ttlx_memory_parse(const char *s, ttlx_memory_t *out) {
    for (int i = 0; memory_names[i]; i++) {
        if (!strcasecmp(s, memory_names[i])) {
            *out = (ttlx_memory_t)i;
            return true;
        }
    }
    return false;
}

bool ttlx_layout_kind_parse(const char *s, ttlx_layout_kind_t *out) {
    if (!strcasecmp(s, "interleaved") || !strcasecmp(s, "dram_interleaved"))
        *out = TTLX_LAYOUT_INTERLEAVED;
    else if (!strcasecmp(s, "sharded"))
        *out = TTLX_LAYOUT_SHARDED;
    else
        return false;
    return true;
}

bool ttlx_order_parse(const char *s, ttlx_order_t *out, int *block_k) {
    for (int i = 0; i < TTLX_ORDER_BLOCK_LINEAR; i++) {
        if (!strcmp(s, order_names[i])) {
            *out = (ttlx_order_t)i;
            *block_k = 0;
            return true;
        }
    }
    long k = 1;
    if (strcmp(s, "block_linear")) {
        if (strncmp(s, "block_linear(", 13)) return false;
        char *end;
        k = strtol(s + 13, &end, 10);
        if (k < 1 || k > 1 << 20 || strcmp(end, ")")) return false;
    }
    *out = TTLX_ORDER_BLOCK_LINEAR;
    *block_k = (int)k;
    return true;
}

bool ttlx_dist_parse(const char *s, ttlx_dist_t *out) {
    for (int i = 0; dist_names[i]; i++) {
        if (!strcmp(s, dist_names[i])) {
            *out = (ttlx_dist_t)i;
            return true;
        }
    }
    return false;
}

bool ttlx_severity_parse(const char *s, ttlx_severity_t *out) {
    for (int i = 0; severity_names[i]; i++) {
        if (!strcmp(s, severity_names[i])) {
            *out = (ttlx_severity_t)i;
            return true;
        }
    }
    return false;
}

/* ---- the key table ------------------------------------------------------ */

static const ttlx_hint_key_t keys[TTLX_HK_COUNT] = {
    {TTLX_HK_MEMORY, "memory", "memory", false, TTLX_HINT_CHOICE, memory_names, 0, 0, "DRAM",
     "where the buffer lives: DRAM banks or the cores' L1 (any case)", memory_names},
    {TTLX_HK_LAYOUT, "layout", "layout", false, TTLX_HINT_CHOICE, layout_names, 0, 0, "interleaved",
     "pages dealt round the banks, or shards (any case; dram_interleaved too)", layout_names},
    {TTLX_HK_TILE_SHAPE, "tile_shape", "tile_shape", false, TTLX_HINT_TILE_SHAPE, tile_choices, 0,
     0, "[32, 32]", "tile [h, w]: one of 32x32, 16x32, 32x16, 16x16", tile_choices},
    {TTLX_HK_DTYPE, "dtype", "dtype", false, TTLX_HINT_DTYPE, NULL, 0, 0, "buffer dtype",
     "element type; overrides the buffer's", ttlx_dtype_canonical_names},
    {TTLX_HK_ND_SHARD, "nd_shard", "nd_shard", false, TTLX_HINT_OBJECT, NULL, 0, 0, "",
     "N-D sharding: axes, grid and shard_shape_elems, one entry per dim", NULL},
    {TTLX_HK_CB_DEPTH, "cb_depth", "cb_depth", false, TTLX_HINT_INT, NULL, 1, 16, "2",
     "circular-buffer depth in pages, 1 to 16", depth_values},
    {TTLX_HK_HALO, "halo", "halo", false, TTLX_HINT_REJECTED, NULL, 0, 0, "",
     "halo regions: unsupported, any value is rejected (TTL001)", NULL},
    {TTLX_HK_AXES, "nd_shard.axes", "axes", true, TTLX_HINT_LABEL_LIST, NULL, 0, 0, "",
     "one label per buffer dim, unique, including M and N", NULL},
    {TTLX_HK_GRID, "nd_shard.grid", "grid", true, TTLX_HINT_INT_LIST, NULL, 1, 0, "",
     "shards per axis (positive)", NULL},
    {TTLX_HK_SHARD_SHAPE, "nd_shard.shard_shape_elems", "shard_shape_elems", true,
     TTLX_HINT_INT_LIST, NULL, 1, 0, "", "elements per shard per axis (positive)", NULL},
    {TTLX_HK_ORDER, "nd_shard.order", "order", true, TTLX_HINT_CHOICE, order_names, 0, 0,
     "row_major", "shard order over the cores; block_linear(k) for k-blocks", order_values},
    {TTLX_HK_DISTRIBUTION, "nd_shard.distribution", "distribution", true, TTLX_HINT_CHOICE,
     dist_names, 0, 0, "grid_2d", "M x N shards on a core rectangle, or dealt core by core",
     dist_names},
    {TTLX_HK_ALIGN_TILES, "nd_shard.align_tiles", "align_tiles", true, TTLX_HINT_BOOL, NULL, 0, 0,
     "true", "shards hold whole tiles (L1 requires it)", bool_values},
    {TTLX_HK_PROJECTED_GRID, "nd_shard.projected_grid", "projected_grid", true, TTLX_HINT_DERIVED,
     NULL, 0, 0, "", "[grid[M], grid[N]]: derived, a given value is ignored", NULL},
    {TTLX_HK_PROJECTED_SHARD_TILES, "nd_shard.projected_shard_tiles", "projected_shard_tiles", true,
     TTLX_HINT_DERIVED, NULL, 0, 0, "",
     "tiles per shard on M and N: derived, a given value is ignored", NULL},
};

const char *ttlx_hint_kind_name(ttlx_hint_kind_t kind) {
    static const char *const kinds[] = {"choice",  "int",     "int_list",   "label_list",
                                        "bool",    "dtype",   "tile_shape", "object",
                                        "derived", "rejected"};
    return (unsigned)kind < sizeof kinds / sizeof kinds[0] ? kinds[kind] : "?";
}

size_t ttlx_hint_key_count(void) {
    return TTLX_HK_COUNT;
}

const ttlx_hint_key_t *ttlx_hint_key(size_t i) {
    return i < TTLX_HK_COUNT ? &keys[i] : NULL;
}

const ttlx_hint_key_t *ttlx_hint_key_find(const char *dotted_name) {
    for (size_t i = 0; dotted_name && i < TTLX_HK_COUNT; i++)
        if (!strcmp(keys[i].name, dotted_name)) return &keys[i];
    return NULL;
}

/* The key of an object (top level or nd_shard) written leaf, else NULL.
 * The table lists the top-level keys first, then nd_shard's; the first
 * letter decides before strcmp does (this runs for every key of every
 * hint). */
static const ttlx_hint_key_t *key_in(bool nd, const char *leaf) {
    size_t lo = nd ? TTLX_HK_AXES : 0, hi = nd ? TTLX_HK_COUNT : TTLX_HK_AXES;
    for (size_t i = lo; i < hi; i++)
        if (keys[i].leaf[0] == leaf[0] && !strcmp(keys[i].leaf, leaf)) return &keys[i];
    return NULL;
}

/* The keys a user may mean in an object (neither rejected nor derived). */
static size_t suggestable(bool nd, const char **out) {
    size_t n = 0;
    for (size_t i = 0; i < TTLX_HK_COUNT; i++)
        if (keys[i].in_nd_shard == nd && keys[i].kind != TTLX_HINT_REJECTED &&
            keys[i].kind != TTLX_HINT_DERIVED)
            out[n++] = keys[i].leaf;
    return n;
}

/* ---- formatting shared with the passes ---------------------------------- */

const char *ttlx_json_type_name(const cJSON *v) {
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "a list";
    if (cJSON_IsObject(v)) return "an object";
    return "an invalid value";
}

const char *ttlx_json_show(char *buf, size_t n, const cJSON *v) {
    if (cJSON_IsString(v))
        snprintf(buf, n, "\"%.40s\"", v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(buf, n, "%.17g", v->valuedouble);
    else
        snprintf(buf, n, "%s", ttlx_json_type_name(v));
    return buf;
}

const char *ttlx_fmt_list(char *buf, size_t size, const int64_t *v, int n) {
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

const char *ttlx_fmt_axes(char *buf, size_t size, const char (*axes)[16], int n) {
    size_t k = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s\"%s\"", i ? ", " : "", axes[i]);
    if (k < size) snprintf(buf + k, size - k, "]");
    return buf;
}

void ttlx_hint_default_axes(int rank, char axes[][16]) {
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

const char *ttlx_hint_start_value(char *buf, size_t size, const ttlx_buffer_info_t *b,
                                  const char *key) {
    int64_t ones[TTLX_MAX_RANK];
    char list[200];
    for (int d = 0; d < b->rank; d++)
        ones[d] = 1;
    if (b->rank < 2) {
        snprintf(buf, size, "layout \"interleaved\" (N-D sharding needs an M and an N dim)");
    } else if (!strcmp(key, "axes")) {
        char axes[TTLX_MAX_RANK][16];
        ttlx_hint_default_axes(b->rank, axes);
        snprintf(buf, size, "axes %s",
                 ttlx_fmt_axes(list, sizeof list, (const char(*)[16])axes, b->rank));
    } else if (!strcmp(key, "grid")) {
        snprintf(buf, size, "grid %s (one entry per dim; then split the dims to shard)",
                 ttlx_fmt_list(list, sizeof list, ones, b->rank));
    } else {
        snprintf(buf, size, "shard_shape_elems %s (one entry per dim, at most the shape)",
                 ttlx_fmt_list(list, sizeof list, b->shape, b->rank));
    }
    return buf;
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct parser {
    const ttlx_buffer_info_t *buf;
    ttlx_hint_t *h;
    ttlx_hint_report_fn report;
    void *ctx;
} parser_t;

static void problem(parser_t *p, const char *code, ttlx_severity_t sev, const char *key,
                    const char *fix, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void problem(parser_t *p, const char *code, ttlx_severity_t sev, const char *key,
                    const char *fix, const char *fmt, ...) {
    if (!p->report) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ttlx_hint_problem_t pr = {code, sev, key, msg, fix && fix[0] ? fix : NULL};
    p->report(p->ctx, &pr);
}

static void mark(parser_t *p, ttlx_hint_key_id_t id, bool bad) {
    p->h->present |= 1u << id;
    if (bad) p->h->bad |= 1u << id;
}

static void top_key(parser_t *p, const cJSON *v, const cJSON **nd) {
    ttlx_hint_t *h = p->h;
    char b1[64], b2[160];
    const char *k = v->string ? v->string : "";
    const ttlx_hint_key_t *key = key_in(false, k);
    if (!key) {
        const char *cands[TTLX_HK_COUNT];
        size_t n = suggestable(false, cands);
        const char *near = ttlx_near(k, cands, n);
        if (near) {
            snprintf(b2, sizeof b2, "rename \"%.60s\" to \"%s\"", k, near);
        } else {
            char known[100] = "";
            for (size_t i = 0; i < n; i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                         cands[i]);
            snprintf(b2, sizeof b2, "remove \"%.60s\" (known: %s)", k, known);
        }
        problem(p, "TTL011", TTLX_SEV_WARNING, k, b2, "unknown hint key \"%.60s\"%s%s%s", k,
                near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
        return;
    }
    bool ok = true;
    switch (key->id) {
    case TTLX_HK_MEMORY:
        ok = cJSON_IsString(v) && ttlx_memory_parse(v->valuestring, &h->memory);
        if (!ok)
            problem(p, "TTL010", TTLX_SEV_ERROR, "memory", "memory: \"DRAM\" or \"L1\"",
                    "memory: expected \"DRAM\" or \"L1\", got %s",
                    ttlx_json_show(b1, sizeof b1, v));
        break;
    case TTLX_HK_LAYOUT:
        ok = cJSON_IsString(v) && ttlx_layout_kind_parse(v->valuestring, &h->layout);
        if (!ok) {
            const char *near =
                cJSON_IsString(v) ? ttlx_near(v->valuestring, layout_names, 2) : NULL;
            snprintf(b2, sizeof b2, "layout: \"%s\"", near ? near : "interleaved");
            problem(p, "TTL010", TTLX_SEV_ERROR, "layout", b2,
                    "layout: expected \"interleaved\" or \"sharded\", got %s",
                    ttlx_json_show(b1, sizeof b1, v));
        }
        break;
    case TTLX_HK_TILE_SHAPE: {
        int64_t th = 0, tw = 0;
        bool two = cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
                   ttlx_json_int(cJSON_GetArrayItem(v, 0), 1, &th) &&
                   ttlx_json_int(cJSON_GetArrayItem(v, 1), 1, &tw);
        ok = false;
        for (int t = 0; two && t < TTLX_TILE_SHAPE_COUNT; t++)
            ok |= th == ttlx_tile_shapes[t][0] && tw == ttlx_tile_shapes[t][1];
        if (ok) {
            h->tile_h = (int)th;
            h->tile_w = (int)tw;
        } else {
            problem(
                p, "TTL010", TTLX_SEV_ERROR, "tile_shape", "tile_shape: [32, 32]",
                "tile_shape: expected one of [32, 32], [16, 32], [32, 16], [16, 16], got %s",
                two ? (snprintf(b1, sizeof b1, "[%lld, %lld]", (long long)th, (long long)tw), b1)
                    : ttlx_json_type_name(v));
        }
        break;
    }
    case TTLX_HK_DTYPE: {
        const char *c = cJSON_IsString(v) ? ttlx_dtype_canonical(v->valuestring) : NULL;
        ok = c != NULL;
        if (ok) {
            h->dtype = c;
        } else {
            const char *const *names = ttlx_dtype_names();
            const char *near = cJSON_IsString(v) ? ttlx_near(v->valuestring, names, 13) : NULL;
            snprintf(b2, sizeof b2, "dtype: \"%s\"", near ? near : p->buf->dtype);
            problem(p, "TTL010", TTLX_SEV_ERROR, "dtype", b2, "dtype: unknown dtype %s",
                    ttlx_json_show(b1, sizeof b1, v));
        }
        break;
    }
    case TTLX_HK_CB_DEPTH: {
        int64_t depth;
        ok = ttlx_json_int(v, key->min, &depth) && depth <= key->max;
        if (ok)
            h->cb_depth = (int)depth;
        else
            problem(p, "TTL010", TTLX_SEV_ERROR, "cb_depth", "cb_depth: 2",
                    "cb_depth: expected an integer from 1 to 16, got %s",
                    ttlx_json_show(b1, sizeof b1, v));
        break;
    }
    case TTLX_HK_ND_SHARD:
        *nd = v;
        break;
    default: /* halo */
        ok = false;
        problem(p, "TTL001", TTLX_SEV_ERROR, "halo",
                "remove \"halo\" and exchange the border rows in the kernel",
                "halo unsupported: %s has a halo hint; InferTTLayout cannot place halo regions",
                p->buf->name);
        break;
    }
    mark(p, key->id, !ok);
}

/* Reads a list of positive integers; on a bad entry reports TTL010. */
static int read_int_list(parser_t *p, const char *key, const cJSON *v, int64_t *out) {
    char b[64], fix[300];
    const ttlx_buffer_info_t *buf = p->buf;
    if (!cJSON_IsArray(v)) {
        problem(p, "TTL010", TTLX_SEV_ERROR, key, ttlx_hint_start_value(fix, sizeof fix, buf, key),
                "nd_shard.%s: expected a list of positive integers, got %s", key,
                ttlx_json_type_name(v));
        return -1;
    }
    int n = 0;
    for (const cJSON *e = v->child; e; e = e->next, n++) {
        if (n >= TTLX_MAX_RANK) {
            problem(
                p, "TTL002", TTLX_SEV_ERROR, key, ttlx_hint_start_value(fix, sizeof fix, buf, key),
                "nd_shard incomplete: nd_shard.%s has more than %d entries", key, TTLX_MAX_RANK);
            return -1;
        }
        if (!ttlx_json_int(e, 1, &out[n])) {
            ttlx_hint_start_value(fix, sizeof fix, buf, key);
            if (buf->rank >= 2 && n < buf->rank) {
                /* Keep the good entries; the start value from here on. */
                int64_t good[TTLX_MAX_RANK];
                char list[200];
                bool grid = !strcmp(key, "grid");
                for (int d = 0; d < buf->rank; d++)
                    good[d] = d < n ? out[d] : grid ? 1 : buf->shape[d];
                snprintf(fix, sizeof fix, "%s %s", key,
                         ttlx_fmt_list(list, sizeof list, good, buf->rank));
            }
            problem(p, "TTL010", TTLX_SEV_ERROR, key, fix,
                    "nd_shard.%s[%d]: expected a positive integer, got %s", key, n,
                    ttlx_json_show(b, sizeof b, e));
            return -1;
        }
    }
    return n;
}

/* Reads nd_shard.axes into h->axes; the count, or -1 after a report. */
static int read_axes(parser_t *p, const cJSON *axes) {
    char b1[64], b2[400];
    const ttlx_buffer_info_t *b = p->buf;
    if (!cJSON_IsArray(axes)) {
        problem(p, "TTL010", TTLX_SEV_ERROR, "axes",
                ttlx_hint_start_value(b2, sizeof b2, b, "axes"),
                "nd_shard.axes: expected a list of axis labels, got %s", ttlx_json_type_name(axes));
        return -1;
    }
    int na = 0;
    for (const cJSON *e = axes->child; e; e = e->next, na++) {
        if (na >= TTLX_MAX_RANK) {
            problem(p, "TTL002", TTLX_SEV_ERROR, "axes",
                    ttlx_hint_start_value(b2, sizeof b2, b, "axes"),
                    "nd_shard incomplete: nd_shard.axes has more than %d entries", TTLX_MAX_RANK);
            return -1;
        }
        if (!cJSON_IsString(e) || !e->valuestring[0] || strlen(e->valuestring) > 15) {
            problem(p, "TTL010", TTLX_SEV_ERROR, "axes",
                    ttlx_hint_start_value(b2, sizeof b2, b, "axes"),
                    "nd_shard.axes[%d]: expected a label of 1 to 15 characters, got %s", na,
                    ttlx_json_show(b1, sizeof b1, e));
            return -1;
        }
        strcpy(p->h->axes[na], e->valuestring); /* at most 15 bytes, checked above */
    }
    return na;
}

/* One key of the nd_shard object; false when its value is refused. */
static bool shard_key(parser_t *p, const cJSON *v, const cJSON *found[3]) {
    ttlx_hint_t *h = p->h;
    char b1[64], b2[400];
    const char *k = v->string ? v->string : "";
    const ttlx_hint_key_t *key = key_in(true, k);
    if (!key) {
        const char *cands[TTLX_HK_COUNT];
        const char *near = ttlx_near(k, cands, suggestable(true, cands));
        if (near)
            snprintf(b2, sizeof b2, "rename \"%.60s\" to \"%s\"", k, near);
        else
            snprintf(b2, sizeof b2, "remove \"%.60s\"", k);
        problem(p, "TTL011", TTLX_SEV_WARNING, k, b2, "unknown nd_shard key \"%.60s\"%s%s%s", k,
                near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
        return true;
    }
    bool ok = true;
    switch (key->id) {
    case TTLX_HK_AXES:
        found[0] = v;
        break;
    case TTLX_HK_GRID:
        found[1] = v;
        break;
    case TTLX_HK_SHARD_SHAPE:
        found[2] = v;
        break;
    case TTLX_HK_ORDER:
        h->block_k = 0;
        ok = cJSON_IsString(v) && ttlx_order_parse(v->valuestring, &h->order, &h->block_k);
        if (!ok)
            problem(p, "TTL010", TTLX_SEV_ERROR, "order", "order: \"row_major\"",
                    "nd_shard.order: expected row_major, col_major, match_shard or "
                    "block_linear(k), got %s",
                    ttlx_json_show(b1, sizeof b1, v));
        break;
    case TTLX_HK_DISTRIBUTION:
        ok = cJSON_IsString(v) && ttlx_dist_parse(v->valuestring, &h->distribution);
        if (!ok)
            problem(p, "TTL010", TTLX_SEV_ERROR, "distribution", "distribution: \"grid_2d\"",
                    "nd_shard.distribution: expected grid_2d or round_robin_1d, got %s",
                    ttlx_json_show(b1, sizeof b1, v));
        break;
    case TTLX_HK_ALIGN_TILES:
        ok = cJSON_IsBool(v);
        if (ok)
            h->align_tiles = cJSON_IsTrue(v);
        else
            problem(p, "TTL010", TTLX_SEV_ERROR, "align_tiles", "align_tiles: true",
                    "nd_shard.align_tiles: expected true or false, got %s",
                    ttlx_json_show(b1, sizeof b1, v));
        break;
    default: /* derived by the pass; a user's value is recomputed */
        break;
    }
    mark(p, key->id, !ok);
    return ok;
}

/* The fix for an nd_shard missing some of axes, grid and shard_shape_elems:
 * complete what is there (shards from a grid, or a grid from shards). */
static const char *complete_fix(parser_t *p, char *b2, size_t size, bool has_axes, int ng, int ns) {
    ttlx_hint_t *h = p->h;
    const ttlx_buffer_info_t *b = p->buf;
    int64_t g[TTLX_MAX_RANK], s[TTLX_MAX_RANK];
    char b3[200];
    if (ng == b->rank) {
        for (int d = 0; d < b->rank; d++) {
            g[d] = h->grid[d];
            s[d] = ttlx_ceil_div(b->shape[d], g[d]);
        }
        snprintf(b2, size, "shard_shape_elems %s (shape / grid, rounded up)",
                 ttlx_fmt_list(b3, sizeof b3, s, b->rank));
    } else if (ns == b->rank) {
        for (int d = 0; d < b->rank; d++)
            g[d] = ttlx_ceil_div(b->shape[d], h->shard_shape_elems[d]);
        snprintf(b2, size, "grid %s (shape / shard, rounded up)",
                 ttlx_fmt_list(b3, sizeof b3, g, b->rank));
    } else if (!has_axes && b->rank >= 2) {
        ttlx_hint_default_axes(b->rank, h->axes);
        snprintf(b2, size, "axes %s",
                 ttlx_fmt_axes(b3, sizeof b3, (const char(*)[16])h->axes, b->rank));
    } else if (b->rank >= 2) {
        /* Nothing to complete from: one shard to start from. */
        char g1[200];
        for (int d = 0; d < b->rank; d++)
            g[d] = 1;
        snprintf(b2, size,
                 "grid %s and shard_shape_elems %s (one shard; then split the "
                 "dims to shard)",
                 ttlx_fmt_list(g1, sizeof g1, g, b->rank),
                 ttlx_fmt_list(b3, sizeof b3, b->shape, b->rank));
    } else {
        ttlx_hint_start_value(b2, size, b, "nd_shard");
    }
    return b2;
}

/* Checks the labels (TTL003) and the shard count; sets has_nd_shard. */
static void check_shard(parser_t *p) {
    ttlx_hint_t *h = p->h;
    const ttlx_buffer_info_t *b = p->buf;
    const char(*axes)[16] = (const char(*)[16])h->axes;
    char b1[64], b2[400], b3[200];
    int am = -1, an = -1;
    for (int d = 0; d < b->rank; d++) {
        for (int e = 0; e < d; e++) {
            if (!strcmp(h->axes[d], h->axes[e])) {
                h->bad |= 1u << TTLX_HK_AXES;
                problem(p, "TTL003", TTLX_SEV_ERROR, "axes",
                        ttlx_hint_start_value(b2, sizeof b2, b, "axes"),
                        "axes: label \"%s\" repeats (dims %d and %d); each dim needs its own",
                        h->axes[d], e, d);
                return;
            }
        }
        if (!strcmp(h->axes[d], "M")) am = d;
        if (!strcmp(h->axes[d], "N")) an = d;
    }
    if (am < 0 || an < 0) {
        h->bad |= 1u << TTLX_HK_AXES;
        char ax[TTLX_MAX_RANK][16];
        ttlx_hint_default_axes(b->rank, ax);
        snprintf(b2, sizeof b2, "axes %s",
                 ttlx_fmt_axes(b3, sizeof b3, (const char(*)[16])ax, b->rank));
        problem(p, "TTL003", TTLX_SEV_ERROR, "axes", b2,
                "axes %s lack%s%s%s: the shard grid projects M to core rows and N to columns",
                ttlx_fmt_axes(b1, sizeof b1, axes, b->rank), am < 0 ? " \"M\"" : "",
                am < 0 && an < 0 ? " and" : "", an < 0 ? " \"N\"" : "");
        return;
    }
    h->axis_m = am; /* kept even when the shard count overflows, as before */
    h->axis_n = an;
    int64_t shards = 1;
    for (int d = 0; d < b->rank; d++) {
        if (!ttlx_mul64(shards, h->grid[d], &shards)) {
            int64_t g[TTLX_MAX_RANK];
            for (int e = 0; e < b->rank; e++)
                g[e] = ttlx_ceil_div(b->shape[e], h->shard_shape_elems[e]);
            snprintf(b2, sizeof b2, "grid %s (shape / shard, rounded up)",
                     ttlx_fmt_list(b3, sizeof b3, g, b->rank));
            h->bad |= 1u << TTLX_HK_GRID;
            problem(p, "TTL010", TTLX_SEV_ERROR, "grid", b2,
                    "nd_shard.grid: more than 2^63 shards");
            return;
        }
    }
    h->shards = shards;
    h->rank = b->rank;
    h->has_nd_shard = true;
}

/* Parses the nd_shard object (TTL002, TTL003, TTL010, TTL011). */
static void parse_shard(parser_t *p, const cJSON *nd) {
    ttlx_hint_t *h = p->h;
    const ttlx_buffer_info_t *b = p->buf;
    char b2[400];
    if (!cJSON_IsObject(nd)) {
        char fix[700];
        if (b->rank < 2) {
            ttlx_hint_start_value(fix, sizeof fix, b, "nd_shard");
        } else {
            /* One shard holding the whole tensor: valid, and a start. */
            char axes[TTLX_MAX_RANK][16];
            int64_t ones[TTLX_MAX_RANK];
            char ax[200], g[200], sh[200];
            ttlx_hint_default_axes(b->rank, axes);
            for (int d = 0; d < b->rank; d++)
                ones[d] = 1;
            snprintf(fix, sizeof fix,
                     "nd_shard {\"axes\": %s, \"grid\": %s, \"shard_shape_elems\": %s} (one "
                     "shard; then split the dims to shard)",
                     ttlx_fmt_axes(ax, sizeof ax, (const char(*)[16])axes, b->rank),
                     ttlx_fmt_list(g, sizeof g, ones, b->rank),
                     ttlx_fmt_list(sh, sizeof sh, b->shape, b->rank));
        }
        h->bad |= 1u << TTLX_HK_ND_SHARD;
        problem(p, "TTL010", TTLX_SEV_ERROR, "nd_shard", fix,
                "nd_shard: expected an object with axes, grid and shard_shape_elems, got %s",
                ttlx_json_type_name(nd));
        return;
    }
    const cJSON *found[3] = {NULL, NULL, NULL}; /* axes, grid, shard_shape_elems */
    bool bad = false;
    for (const cJSON *v = nd->child; v; v = v->next)
        bad |= !shard_key(p, v, found);
    int na = -1, ng = -1, ns = -1;
    if (found[0] && (na = read_axes(p, found[0])) < 0) bad = true;
    if (found[1] && (ng = read_int_list(p, "grid", found[1], h->grid)) < 0) bad = true;
    if (found[2] &&
        (ns = read_int_list(p, "shard_shape_elems", found[2], h->shard_shape_elems)) < 0)
        bad = true;
    if (na < 0 && found[0]) h->bad |= 1u << TTLX_HK_AXES;
    if (ng < 0 && found[1]) h->bad |= 1u << TTLX_HK_GRID;
    if (ns < 0 && found[2]) h->bad |= 1u << TTLX_HK_SHARD_SHAPE;
    if (bad) return;
    if (!found[0] || !found[1] || !found[2]) {
        char missing[80] = "";
        if (!found[0]) strcat(missing, " axes");
        if (!found[1]) strcat(missing, " grid");
        if (!found[2]) strcat(missing, " shard_shape_elems");
        h->bad |= 1u << TTLX_HK_ND_SHARD;
        const char *fix = complete_fix(p, b2, sizeof b2, found[0] != NULL, found[1] ? ng : -1,
                                       found[2] ? ns : -1);
        problem(p, "TTL002", TTLX_SEV_ERROR, "nd_shard", fix, "nd_shard incomplete: missing%s",
                missing);
        return;
    }
    if (na != b->rank || ng != b->rank || ns != b->rank) {
        h->bad |= 1u << TTLX_HK_ND_SHARD;
        problem(p, "TTL002", TTLX_SEV_ERROR, "nd_shard",
                "one entry per buffer dim in axes, grid and shard_shape_elems",
                "nd_shard incomplete: axes has %d entries, grid %d, shard_shape_elems %d, but "
                "%s has rank %d",
                na, ng, ns, b->name, b->rank);
        return;
    }
    check_shard(p);
}

void ttlx_hint_parse(const cJSON *hint, const ttlx_buffer_info_t *buf, ttlx_hint_t *out,
                     ttlx_hint_report_fn report, void *ctx) {
    /* SPEC 2's defaults, field by field: one memset of the whole struct
     * becomes a rep stos that costs more than the rest of a plain hint. */
    out->present = out->bad = 0;
    out->memory = TTLX_MEM_DRAM;
    out->layout = TTLX_LAYOUT_INTERLEAVED;
    out->tile_h = out->tile_w = 32;
    out->dtype = buf->dtype;
    out->cb_depth = 2;
    out->has_nd_shard = false;
    out->rank = 0;
    memset(out->axes, 0, sizeof out->axes);
    memset(out->grid, 0, sizeof out->grid);
    memset(out->shard_shape_elems, 0, sizeof out->shard_shape_elems);
    out->order = TTLX_ORDER_ROW_MAJOR;
    out->block_k = 0;
    out->distribution = TTLX_DIST_GRID_2D;
    out->align_tiles = true;
    out->axis_m = out->axis_n = -1;
    out->shards = 0;
    parser_t p = {buf, out, report, ctx};
    if (!hint) return;
    if (!cJSON_IsObject(hint)) {
        problem(&p, "TTL010", TTLX_SEV_ERROR, NULL, "a hint object such as {\"memory\": \"L1\"}",
                "hint for %s: expected an object of layout keys, got %s", buf->name,
                ttlx_json_type_name(hint));
        return;
    }
    const cJSON *nd = NULL;
    for (const cJSON *v = hint->child; v; v = v->next)
        top_key(&p, v, &nd);
    if (out->tile_h != 32 || out->tile_w != 32)
        problem(&p, "TTL012", TTLX_SEV_WARNING, "tile_shape", "tile_shape: [32, 32]",
                "tile %dx%d is not the 32x32 default: fewer kernels and matmul paths "
                "support it",
                out->tile_h, out->tile_w);
    if (nd) parse_shard(&p, nd);
}

/* ---- the canonical hint object ------------------------------------------ */

static bool add_pair(cJSON *o, const char *name, const int64_t *v, int n) {
    cJSON *a = cJSON_AddArrayToObject(o, name);
    for (int i = 0; a && i < n; i++) {
        cJSON *e = cJSON_CreateNumber((double)v[i]);
        if (!e || !cJSON_AddItemToArray(a, e)) {
            cJSON_Delete(e);
            return false;
        }
    }
    return a != NULL;
}

cJSON *ttlx_hint_to_json(const ttlx_hint_t *h) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    int64_t tile[2] = {h->tile_h, h->tile_w};
    bool ok = cJSON_AddStringToObject(o, "memory", ttlx_memory_name(h->memory)) &&
              cJSON_AddStringToObject(o, "layout", ttlx_layout_kind_name(h->layout)) &&
              add_pair(o, "tile_shape", tile, 2) &&
              cJSON_AddStringToObject(o, "dtype", h->dtype ? h->dtype : "") &&
              cJSON_AddNumberToObject(o, "cb_depth", h->cb_depth);
    if (ok && h->has_nd_shard) {
        cJSON *nd = cJSON_AddObjectToObject(o, "nd_shard");
        cJSON *axes = nd ? cJSON_AddArrayToObject(nd, "axes") : NULL;
        ok = axes != NULL;
        for (int d = 0; ok && d < h->rank; d++) {
            cJSON *e = cJSON_CreateString(h->axes[d]);
            ok = e && cJSON_AddItemToArray(axes, e);
            if (!ok) cJSON_Delete(e);
        }
        char order[40];
        ok = ok && add_pair(nd, "grid", h->grid, h->rank) &&
             add_pair(nd, "shard_shape_elems", h->shard_shape_elems, h->rank) &&
             cJSON_AddStringToObject(
                 nd, "order", ttlx_order_format(h->order, h->block_k, order, sizeof order)) &&
             cJSON_AddStringToObject(nd, "distribution", ttlx_dist_name(h->distribution)) &&
             cJSON_AddBoolToObject(nd, "align_tiles", h->align_tiles);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- one nd_shard list following the other ------------------------------ */

int64_t ttlx_shard_for_grid(int64_t extent, int64_t grid, int64_t tile) {
    if (extent <= 0 || grid <= 0 || tile < 0) return 0;
    if (!tile) return ttlx_ceil_div(extent, grid);
    int64_t out;
    return ttlx_mul64(ttlx_ceil_div(ttlx_ceil_div(extent, tile), grid), tile, &out) ? out : 0;
}

int64_t ttlx_grid_for_shard(int64_t extent, int64_t shard) {
    if (extent <= 0 || shard <= 0) return 0;
    return ttlx_ceil_div(extent, shard);
}

/* The list under key in nd as rank positive integers; false otherwise. */
static bool follow_list(const cJSON *nd, const char *key, int rank, int64_t *out) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(nd, key);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != rank) return false;
    int d = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, a) {
        if (!ttlx_json_int(e, 1, &out[d++])) return false;
    }
    return true;
}

bool ttlx_hint_follow(cJSON *hint, const ttlx_buffer_info_t *buf, ttlx_hint_key_id_t changed) {
    if (changed != TTLX_HK_GRID && changed != TTLX_HK_SHARD_SHAPE) return false;
    cJSON *nd = cJSON_IsObject(hint)
                    ? cJSON_GetObjectItemCaseSensitive(hint, ttlx_hint_key(TTLX_HK_ND_SHARD)->leaf)
                    : NULL;
    int rank = buf->rank;
    int64_t from[TTLX_MAX_RANK], to[TTLX_MAX_RANK];
    const char *src = ttlx_hint_key(changed)->leaf;
    const char *dst =
        ttlx_hint_key(changed == TTLX_HK_GRID ? TTLX_HK_SHARD_SHAPE : TTLX_HK_GRID)->leaf;
    if (!cJSON_IsObject(nd) || rank < 1 || rank > TTLX_MAX_RANK ||
        !follow_list(nd, src, rank, from))
        return false;
    /* the axes the hint names (M and N are tile-aligned), else the defaults */
    char axes[TTLX_MAX_RANK][16];
    ttlx_hint_default_axes(rank, axes);
    const cJSON *ax = cJSON_GetObjectItemCaseSensitive(nd, ttlx_hint_key(TTLX_HK_AXES)->leaf);
    if (cJSON_IsArray(ax) && cJSON_GetArraySize(ax) == rank) {
        int d = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, ax) {
            if (cJSON_IsString(e)) snprintf(axes[d], sizeof axes[d], "%s", e->valuestring);
            d++;
        }
    }
    ttlx_hint_t h;
    ttlx_hint_parse(hint, buf, &h, NULL, NULL); /* the tile shape, 32x32 when bad */
    for (int d = 0; d < rank; d++) {
        int64_t tile = !strcmp(axes[d], "M") ? h.tile_h : !strcmp(axes[d], "N") ? h.tile_w : 0;
        to[d] = changed == TTLX_HK_GRID ? ttlx_shard_for_grid(buf->shape[d], from[d], tile)
                                        : ttlx_grid_for_shard(buf->shape[d], from[d]);
        if (!to[d]) return false;
    }
    cJSON *list = cJSON_CreateArray();
    for (int d = 0; list && d < rank; d++) {
        cJSON *v = cJSON_CreateNumber((double)to[d]);
        if (!v || !cJSON_AddItemToArray(list, v)) {
            cJSON_Delete(v);
            cJSON_Delete(list);
            list = NULL;
        }
    }
    if (!list) return false;
    bool ok = cJSON_GetObjectItemCaseSensitive(nd, dst)
                  ? cJSON_ReplaceItemInObjectCaseSensitive(nd, dst, list)
                  : cJSON_AddItemToObject(nd, dst, list);
    if (!ok) cJSON_Delete(list);
    return ok;
}
