/*
 * ttlx_hint.h - the one hint schema (SPEC 2): the table of hint keys
 * (top-level and nd_shard.*) with their value kinds, choices, defaults and
 * docs; the name tables of the layout enums; the typed hint a buffer's
 * hint object parses into, with the diagnostics parsing finds; and the
 * canonical hint object. The passes, the editor, Lua and the exporters all
 * read the hint through this module.
 */
#ifndef TTLX_HINT_H
#define TTLX_HINT_H

#include "ttlx_base.h"
#include "ttlx_func.h"
#include <cjson/cJSON.h>

typedef enum { TTLX_MEM_DRAM, TTLX_MEM_L1 } ttlx_memory_t;
typedef enum { TTLX_LAYOUT_INTERLEAVED, TTLX_LAYOUT_SHARDED } ttlx_layout_kind_t;
typedef enum {
    TTLX_ORDER_ROW_MAJOR,
    TTLX_ORDER_COL_MAJOR,
    TTLX_ORDER_MATCH_SHARD,
    TTLX_ORDER_BLOCK_LINEAR
} ttlx_order_t;
typedef enum { TTLX_DIST_GRID_2D, TTLX_DIST_ROUND_ROBIN_1D } ttlx_dist_t;
typedef enum { TTLX_SEV_INFO, TTLX_SEV_WARNING, TTLX_SEV_ERROR } ttlx_severity_t;

/* ---- enum names ------------------------------------------------------- */

/* Canonical names, indexed by the enum value; NULL-terminated lists (static). */
const char *const *ttlx_memory_names(void);      /* "DRAM", "L1" */
const char *const *ttlx_layout_kind_names(void); /* "interleaved", "sharded" */
/* "row_major", "col_major", "match_shard", "block_linear" (the last is
 * written block_linear(k); plain "block_linear" means k = 1). */
const char *const *ttlx_order_names(void);
const char *const *ttlx_dist_names(void);     /* "grid_2d", "round_robin_1d" */
const char *const *ttlx_severity_names(void); /* "info", "warning", "error" */

/* Value -> name (static strings). */
const char *ttlx_severity_name(ttlx_severity_t s);       /* "info" | "warning" | "error" */
const char *ttlx_memory_name(ttlx_memory_t m);           /* "DRAM" | "L1" */
const char *ttlx_layout_kind_name(ttlx_layout_kind_t k); /* "interleaved" | "sharded" */
const char *ttlx_order_name(ttlx_order_t o);             /* "block_linear" without (k) */
const char *ttlx_dist_name(ttlx_dist_t d);
/* The order as a hint writes it ("block_linear(4)") into buf; returns buf. */
const char *ttlx_order_format(ttlx_order_t o, int block_k, char *buf, size_t size);

/* Name -> value: false (out untouched) when s is not a name. Memory and
 * layout ignore case; layout also takes "dram_interleaved". The order takes
 * block_linear(k) with 1 <= k <= 2^20 (*block_k = k, else 0). */
bool ttlx_memory_parse(const char *s, ttlx_memory_t *out);
bool ttlx_layout_kind_parse(const char *s, ttlx_layout_kind_t *out);
bool ttlx_order_parse(const char *s, ttlx_order_t *out, int *block_k);
bool ttlx_dist_parse(const char *s, ttlx_dist_t *out);
bool ttlx_severity_parse(const char *s, ttlx_severity_t *out);

/* ---- the key table ------------------------------------------------------ */

typedef enum {
    TTLX_HINT_CHOICE,     /* one of choices */
    TTLX_HINT_INT,        /* an integer in [min, max] */
    TTLX_HINT_INT_LIST,   /* one positive integer per buffer dim */
    TTLX_HINT_LABEL_LIST, /* one label (1 to 15 characters) per buffer dim */
    TTLX_HINT_BOOL,       /* true or false */
    TTLX_HINT_DTYPE,      /* a dtype name (ttlx_dtype_canonical) */
    TTLX_HINT_TILE_SHAPE, /* [h, w], one of choices ("32x32" = [32, 32]) */
    TTLX_HINT_OBJECT,     /* an object of the keys named "<name>.*" */
    TTLX_HINT_DERIVED,    /* computed by the pass; a user's value is ignored */
    TTLX_HINT_REJECTED    /* any value is refused */
} ttlx_hint_kind_t;

/* Key ids, in table order; bit (1u << id) in ttlx_hint_t.present / .bad. */
typedef enum {
    TTLX_HK_MEMORY,
    TTLX_HK_LAYOUT,
    TTLX_HK_TILE_SHAPE,
    TTLX_HK_DTYPE,
    TTLX_HK_ND_SHARD,
    TTLX_HK_CB_DEPTH,
    TTLX_HK_HALO,
    TTLX_HK_AXES,
    TTLX_HK_GRID,
    TTLX_HK_SHARD_SHAPE,
    TTLX_HK_ORDER,
    TTLX_HK_DISTRIBUTION,
    TTLX_HK_ALIGN_TILES,
    TTLX_HK_PROJECTED_GRID,
    TTLX_HK_PROJECTED_SHARD_TILES,
    TTLX_HK_COUNT
} ttlx_hint_key_id_t;

/* One key of the schema (static, read-only). */
typedef struct ttlx_hint_key {
    ttlx_hint_key_id_t id;
    const char *name; /* dotted: "memory", "nd_shard.order" */
    const char *leaf; /* as written in its object: "order" */
    bool in_nd_shard; /* a key of the nd_shard object */
    ttlx_hint_kind_t kind;
    const char *const *choices; /* CHOICE / TILE_SHAPE: NULL-terminated; else NULL */
    int64_t min, max;           /* INT: bounds */
    const char *default_text;   /* as SPEC 2 shows it; "" when none */
    const char *doc;            /* one line */
    /* The values an editor offers, in order, as a hint writes them
     * (NULL-terminated; NULL for typed values such as lists): the choices
     * (block_linear as "block_linear(2)"), the canonical dtypes, true and
     * false, the common cb_depths. */
    const char *const *values;
} ttlx_hint_key_t;

/* The kind as a word: "choice", "int", "int_list", "label_list", "bool",
 * "dtype", "tile_shape", "object", "derived", "rejected" (static). */
const char *ttlx_hint_kind_name(ttlx_hint_kind_t kind);

size_t ttlx_hint_key_count(void);
const ttlx_hint_key_t *ttlx_hint_key(size_t i); /* NULL past the end */
/* By dotted name ("nd_shard.grid"); NULL when the schema has no such key. */
const ttlx_hint_key_t *ttlx_hint_key_find(const char *dotted_name);

/* The tile shapes a hint may ask for, [h, w] each (SPEC 2). */
#define TTLX_TILE_SHAPE_COUNT 4
extern const int ttlx_tile_shapes[TTLX_TILE_SHAPE_COUNT][2];

/* ---- the typed hint ----------------------------------------------------- */

typedef struct ttlx_hint {
    uint32_t present; /* keys written in the hint: bit 1u << ttlx_hint_key_id_t */
    uint32_t bad;     /* keys refused (a diagnostic says why); the nd_shard
                       * bit when it is not an object, incomplete, or its
                       * lists disagree with the rank */
    ttlx_memory_t memory;
    ttlx_layout_kind_t layout;
    int tile_h, tile_w;
    const char *dtype; /* canonical (static) or the buffer's own */
    int cb_depth;
    /* nd_shard: the values read (kept even when nd_shard is refused) */
    bool has_nd_shard; /* nd_shard complete and valid: the rest is usable */
    int rank;          /* entries of axes, grid and shard_shape_elems */
    char axes[TTLX_MAX_RANK][16];
    int64_t grid[TTLX_MAX_RANK];
    int64_t shard_shape_elems[TTLX_MAX_RANK];
    ttlx_order_t order;
    int block_k; /* block_linear(k); 0 otherwise */
    ttlx_dist_t distribution;
    bool align_tiles;
    int axis_m, axis_n; /* dims labelled M and N (valid nd_shard), else -1 */
    int64_t shards;     /* prod(grid) (valid nd_shard), else 0 */
} ttlx_hint_t;

/* One problem parsing found. Strings live until the callback returns. */
typedef struct ttlx_hint_problem {
    const char *code; /* "TTL010" */
    ttlx_severity_t severity;
    const char *key;     /* the key concerned (leaf name, or the unknown key), or NULL */
    const char *message; /* one line */
    const char *fix;     /* NULL when none */
} ttlx_hint_problem_t;

typedef void (*ttlx_hint_report_fn)(void *ctx, const ttlx_hint_problem_t *p);

/* Default axis labels for a rank: ..., "M", "N" ("B", "M", "N" at rank 3;
 * "B", "H", "M", "N" at rank 4; "D0", "D1", ... before M and N). */
void ttlx_hint_default_axes(int rank, char axes[][16]);

/* Parses hint (NULL: none) for buffer buf into out: SPEC 2's defaults (the
 * buffer's dtype) with the recognised keys applied. Reports, in the order
 * of the hint's keys, TTL001, TTL010 and TTL011 on the top-level keys, then
 * TTL012 for a tile shape other than 32x32, then TTL002, TTL003, TTL010 and
 * TTL011 on nd_shard. report may be NULL. Never fails. */
void ttlx_hint_parse(const cJSON *hint, const ttlx_buffer_info_t *buf, ttlx_hint_t *out,
                     ttlx_hint_report_fn report, void *ctx);

/* The canonical hint object of h: memory, layout, tile_shape, dtype,
 * cb_depth, and nd_shard when has_nd_shard (without the derived keys).
 * Caller frees with cJSON_Delete; NULL on allocation failure. */
cJSON *ttlx_hint_to_json(const ttlx_hint_t *h);

/* ---- one nd_shard list following the other ------------------------------ */

/* The shard extent along one dim that covers extent elements with grid
 * shards: tile-aligned when tile > 0 (the M and N dims:
 * ceil(ceil(extent / tile) / grid) * tile), else ceil(extent / grid).
 * 0 when an argument is not positive. */
int64_t ttlx_shard_for_grid(int64_t extent, int64_t grid, int64_t tile);
/* The grid along one dim that covers extent with shards of shard
 * elements: ceil(extent / shard); 0 when an argument is not positive. */
int64_t ttlx_grid_for_shard(int64_t extent, int64_t shard);

/* After the user changed one list of hint's nd_shard (changed is
 * TTLX_HK_GRID or TTLX_HK_SHARD_SHAPE), rewrites the other so that the
 * shards cover buf: grid -> shard_shape_elems tile-aligned on the M and N
 * axes (the hint's tile_shape, 32x32 by default; the hint's axes, else the
 * default labels), shard_shape_elems -> grid. Returns true when it wrote
 * the other list; false, hint unchanged, when the changed list is not
 * buf->rank positive integers. */
bool ttlx_hint_follow(cJSON *hint, const ttlx_buffer_info_t *buf, ttlx_hint_key_id_t changed);

#endif
