/*
 * lua_convert.c - conversions between cJSON / core results and Lua values
 * (see lua_convert.h).
 */
#include "lua/lua_convert.h"
#include "ttlx_sb.h"

#include "ttlx_output.h"

#include <lauxlib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- cJSON -> Lua */

static void push_number(lua_State *L, double v) {
    if (v == floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
}

void ttlx_luaconv_push_json(lua_State *L, const cJSON *j) {
    luaL_checkstack(L, 3, "JSON nested too deeply");
    if (!j || cJSON_IsNull(j) || cJSON_IsInvalid(j)) {
        lua_pushnil(L);
    } else if (cJSON_IsBool(j)) {
        lua_pushboolean(L, cJSON_IsTrue(j));
    } else if (cJSON_IsNumber(j)) {
        push_number(L, j->valuedouble);
    } else if (cJSON_IsString(j)) {
        lua_pushstring(L, j->valuestring ? j->valuestring : "");
    } else if (cJSON_IsArray(j)) {
        int n = cJSON_GetArraySize(j);
        lua_createtable(L, n, 0);
        lua_Integer i = 1;
        for (const cJSON *c = j->child; c; c = c->next) {
            ttlx_luaconv_push_json(L, c);
            lua_rawseti(L, -2, i++);
        }
    } else if (cJSON_IsObject(j)) {
        int n = cJSON_GetArraySize(j);
        lua_createtable(L, 0, n);
        for (const cJSON *c = j->child; c; c = c->next) {
            if (!c->string) continue;
            ttlx_luaconv_push_json(L, c);
            lua_setfield(L, -2, c->string);
        }
    } else {
        lua_pushnil(L);
    }
}

void ttlx_luaconv_push_buffer(lua_State *L, const ttlx_buffer_info_t *b) {
    lua_createtable(L, 0, 6);
    lua_pushstring(L, b->name);
    lua_setfield(L, -2, "name");
    lua_createtable(L, b->rank, 0);
    for (int d = 0; d < b->rank; d++) {
        lua_pushinteger(L, b->shape[d]);
        lua_rawseti(L, -2, d + 1);
    }
    lua_setfield(L, -2, "shape");
    lua_pushstring(L, b->dtype);
    lua_setfield(L, -2, "dtype");
    if (b->role) {
        lua_pushstring(L, b->role);
        lua_setfield(L, -2, "role");
    }
    lua_pushinteger(L, b->rank);
    lua_setfield(L, -2, "rank");
    lua_pushinteger(L, b->elems);
    lua_setfield(L, -2, "elems");
}

/* The SPEC 6 document, built straight from the result structs: this is
 * the hot path of every what-if sweep, and going through text and cJSON
 * would cost ten times more. It mirrors ttlx_output_json_text() field for
 * field; tests/app/test_lua_api.c checks the two agree on every sample. */

static void set_int(lua_State *L, const char *k, lua_Integer v) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

static void set_str(lua_State *L, const char *k, const char *v) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void push_ints(lua_State *L, const int64_t *v, int n) {
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushinteger(L, v[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

static void set_ints(lua_State *L, const char *k, const int64_t *v, int n) {
    push_ints(L, v, n);
    lua_setfield(L, -2, k);
}

static void set_pair(lua_State *L, const char *k, int64_t a, int64_t b) {
    int64_t v[2] = {a, b};
    set_ints(L, k, v, 2);
}

static void push_buffer_attr(lua_State *L, const ttlx_layout_t *lay) {
    lua_createtable(L, 0, 7);
    set_str(L, "memory", ttlx_memory_name(lay->memory));
    set_str(L, "layout", ttlx_layout_kind_name(lay->layout));
    set_pair(L, "tile_shape", lay->tile_h, lay->tile_w);
    set_str(L, "dtype", lay->dtype);
    if (lay->needs_padding) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "needs_padding");
        set_ints(L, "padded_shape", lay->padded_shape, lay->padded_rank);
    }
    if (lay->has_shard) {
        static const char *const orders[] = {"row_major", "col_major", "match_shard",
                                             "block_linear"};
        int rank = lay->buf->rank;
        lua_createtable(L, 0, 8);
        lua_createtable(L, rank, 0);
        for (int d = 0; d < rank; d++) {
            lua_pushstring(L, lay->axes[d]);
            lua_rawseti(L, -2, d + 1);
        }
        lua_setfield(L, -2, "axes");
        set_ints(L, "grid", lay->grid, rank);
        set_ints(L, "shard_shape_elems", lay->shard, rank);
        if (lay->order == TTLX_ORDER_BLOCK_LINEAR)
            lua_pushfstring(L, "block_linear(%d)", lay->block_k);
        else
            lua_pushstring(L, orders[lay->order]);
        lua_setfield(L, -2, "order");
        set_str(L, "distribution", lay->dist == TTLX_DIST_GRID_2D ? "grid_2d" : "round_robin_1d");
        lua_pushboolean(L, lay->align_tiles);
        lua_setfield(L, -2, "align_tiles");
        set_ints(L, "projected_grid", lay->proj_grid, 2);
        set_ints(L, "projected_shard_tiles", lay->proj_shard_tiles, 2);
        lua_setfield(L, -2, "nd_shard");
    }
}

/* tt.core_ranges is the one list of a document that grows with the core
 * grid (a table per core), and sweeps seldom read it: the document gets it
 * on first use. The ranges are copied into a userdata that an ephemeron
 * table ties to the attrs table; attrs' metatable builds the list on
 * attrs["tt.core_ranges"] or pairs(attrs). Plain next() does not see it
 * until then. */
#define LAZY_ATTRS_MT "ttlx.lazy_attrs"
#define PENDING_RANGES "ttlx.pending_core_ranges"

typedef struct lazy_ranges {
    size_t n;
    int64_t v[][4]; /* x, y, start, count */
} lazy_ranges_t;

static void push_pending(lua_State *L) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, PENDING_RANGES) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, PENDING_RANGES);
    }
}

/* Builds attrs["tt.core_ranges"] (attrs at idx) if still pending. */
static void materialize_ranges(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    push_pending(L);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    const lazy_ranges_t *lr = lua_touserdata(L, -1);
    if (!lr) {
        lua_pop(L, 2);
        return;
    }
    lua_createtable(L, (int)lr->n, 0);
    for (size_t k = 0; k < lr->n; k++) {
        const int64_t *c = lr->v[k];
        int64_t v[6] = {c[0], c[1], c[0], c[1], c[2], c[3]};
        push_ints(L, v, 6);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, idx, "tt.core_ranges"); /* rawset: no __newindex */
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, -4); /* pending[attrs] = nil */
    lua_pop(L, 2);
}

static int lazy_index(lua_State *L) {
    if (lua_type(L, 2) == LUA_TSTRING && !strcmp(lua_tostring(L, 2), "tt.core_ranges")) {
        materialize_ranges(L, 1);
        lua_pushvalue(L, 2);
        lua_rawget(L, 1);
        return 1;
    }
    return 0;
}

static int lazy_pairs(lua_State *L) {
    materialize_ranges(L, 1);
    lua_getglobal(L, "next");
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        return luaL_error(L, "pairs: 'next' is missing");
    }
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static void defer_core_ranges(lua_State *L, const ttlx_partition_t *p) {
    lazy_ranges_t *lr = lua_newuserdatauv(L, sizeof *lr + p->ncores * sizeof lr->v[0], 0);
    lr->n = p->ncores;
    for (size_t k = 0; k < p->ncores; k++) {
        const ttlx_core_range_t *c = &p->cores[k];
        lr->v[k][0] = c->x;
        lr->v[k][1] = c->y;
        lr->v[k][2] = c->start;
        lr->v[k][3] = c->count;
    }
    push_pending(L);
    lua_pushvalue(L, -3); /* attrs */
    lua_pushvalue(L, -3); /* ranges */
    lua_rawset(L, -3);
    lua_pop(L, 2);
    if (luaL_newmetatable(L, LAZY_ATTRS_MT)) {
        lua_pushcfunction(L, lazy_index);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, lazy_pairs);
        lua_setfield(L, -2, "__pairs");
    }
    lua_setmetatable(L, -2);
}

static const char *const arg_names[] = {
    "tt_start_tile", "tt_tile_count", "Mt", "Kt", "Nt", "Sm", "Sn", "Gy", "Gx", "sy", "sx"};

static void push_attrs(lua_State *L, const ttlx_result_t *r) {
    size_t n = ttlx_result_buffer_count(r);
    const ttlx_partition_t *p = ttlx_result_partition(r);
    lua_createtable(L, 0, (int)(2 * n + 8));
    for (size_t i = 0; i < n; i++) {
        const ttlx_layout_t *lay = ttlx_result_layout(r, i);
        push_buffer_attr(L, lay);
        lua_pushfstring(L, "tt.buffer.%s", lay->buf->name);
        lua_insert(L, -2);
        lua_rawset(L, -3);
        lua_pushfstring(L, "tt.cb.%s", lay->buf->name);
        lua_createtable(L, 0, 3);
        set_int(L, "page_size", lay->tile_bytes);
        set_int(L, "depth", lay->cb_depth);
        set_str(L, "data_format", lay->data_format);
        lua_rawset(L, -3);
    }
    set_str(L, "tt.partition_mode", p->local_shard ? "local_shard" : "global");
    set_pair(L, "tt.grid_tiles", p->mt, p->nt);
    if (p->local_shard) {
        set_ints(L, "tt.shard_grid", p->shard_grid, 2);
        set_ints(L, "tt.local_shape_tiles", p->local_tiles, 2);
    }
    defer_core_ranges(L, p);
    int nargs = p->local_shard ? 11 : 5;
    lua_createtable(L, nargs, 0);
    for (int i = 0; i < nargs; i++) {
        lua_pushstring(L, arg_names[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "tt.runtime_arg_names");
    lua_createtable(L, 0, p->local_shard ? 7 : 3);
    set_int(L, "Mt", p->mt);
    set_int(L, "Kt", p->kt);
    set_int(L, "Nt", p->nt);
    if (p->local_shard) {
        set_int(L, "Sm", p->local_tiles[0]);
        set_int(L, "Sn", p->local_tiles[1]);
        set_int(L, "Gy", p->shard_grid[0]);
        set_int(L, "Gx", p->shard_grid[1]);
    }
    lua_setfield(L, -2, "tt.runtime_constants");
}

static void push_analysis(lua_State *L, const ttlx_result_t *r) {
    size_t n = ttlx_result_buffer_count(r);
    lua_createtable(L, 0, 2);
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        const ttlx_layout_t *lay = ttlx_result_layout(r, i);
        lua_createtable(L, 0, 9);
        set_int(L, "tile_bytes", lay->tile_bytes);
        set_int(L, "page_bytes", lay->page_bytes);
        set_int(L, "pages", lay->pages);
        set_ints(L, "tile_grid", lay->tile_grid, lay->tile_rank);
        if (!lay->placed) {
            lua_pushboolean(L, 0);
            lua_setfield(L, -2, "placed");
        } else if (lay->layout == TTLX_LAYOUT_INTERLEAVED) {
            set_int(L, "banks", lay->banks);
            set_int(L, "bytes_per_bank", lay->bytes_per_bank);
        } else {
            set_int(L, "shards", lay->shards);
            set_int(L, "shard_tiles", lay->shard_tiles);
            set_int(L, "cores_used", lay->cores_used);
            set_int(L, "max_shards_per_core", lay->max_shards_per_core);
            set_int(L, "bytes_per_core", lay->bytes_per_core);
        }
        lua_setfield(L, -2, lay->buf->name);
    }
    lua_setfield(L, -2, "buffers");
    int wx, wy;
    int64_t max = ttlx_result_max_used(r, &wx, &wy);
    lua_createtable(L, 0, 3);
    set_int(L, "l1_bank", ttlx_result_device(r)->l1_bank_bytes);
    set_int(L, "max_used", max);
    set_pair(L, "worst_core", wx, wy);
    lua_setfield(L, -2, "cores");
}

void ttlx_luaconv_push_result(lua_State *L, const ttlx_result_t *r) {
    luaL_checkstack(L, 12, "building the inference document");
    lua_createtable(L, 0, 5);
    set_str(L, "func", ttlx_result_func_name(r));
    set_str(L, "device", ttlx_result_device(r)->name);
    push_attrs(L, r);
    lua_setfield(L, -2, "attrs");
    push_analysis(L, r);
    lua_setfield(L, -2, "analysis");
    ttlx_luaconv_push_diagnostics(L, r);
    lua_setfield(L, -2, "diagnostics");
}

/* Keeps a cJSON tree alive only as long as a Lua error cannot leak it. */
static int json_box_gc(lua_State *L) {
    cJSON **box = luaL_checkudata(L, 1, "ttlx.json_box");
    cJSON_Delete(*box);
    *box = NULL;
    return 0;
}

void ttlx_luaconv_push_result_slow(lua_State *L, const ttlx_result_t *r) {
    cJSON **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    if (luaL_newmetatable(L, "ttlx.json_box")) {
        lua_pushcfunction(L, json_box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    int boxidx = lua_gettop(L);
    *box = ttlx_output_json(r);
    if (!*box) luaL_error(L, "out of memory building the inference document");
    ttlx_luaconv_push_json(L, *box);
    cJSON_Delete(*box);
    *box = NULL;
    lua_remove(L, boxidx);
}

void ttlx_luaconv_push_diagnostics(lua_State *L, const ttlx_result_t *r) {
    size_t n = ttlx_result_diag_count(r);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        lua_createtable(L, 0, 6);
        set_str(L, "code", d->code);
        set_str(L, "severity", ttlx_severity_name(d->severity));
        if (d->buffer_name) set_str(L, "buffer", d->buffer_name);
        if (d->core_x >= 0) set_pair(L, "core", d->core_x, d->core_y);
        set_str(L, "message", d->message);
        if (d->fix) set_str(L, "fix", d->fix);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* ------------------------------------------------------- Lua -> cJSON */

/* SPEC 2 keys first, in the table's order, then everything else A-Z. */
static const char *const key_order[] = {
    "memory", "layout", "tile_shape",        "dtype", "nd_shard",     "cb_depth",    "halo",
    "axes",   "grid",   "shard_shape_elems", "order", "distribution", "align_tiles", NULL};

static int key_rank(const char *k) {
    /* Dispatch on the first letter: this runs for every key of every hint
     * a sweep sets. */
    int first, last;
    switch (k[0]) {
    case 'm':
        first = 0, last = 0;
        break;
    case 'l':
        first = 1, last = 1;
        break;
    case 't':
        first = 2, last = 2;
        break;
    case 'd':
        first = 3, last = 11;
        break;
    case 'n':
        first = 4, last = 4;
        break;
    case 'c':
        first = 5, last = 5;
        break;
    case 'h':
        first = 6, last = 6;
        break;
    case 'a':
        first = 7, last = 12;
        break;
    case 'g':
        first = 8, last = 8;
        break;
    case 's':
        first = 9, last = 9;
        break;
    case 'o':
        first = 10, last = 10;
        break;
    default:
        return 1000;
    }
    if (!strcmp(key_order[first], k)) return first;
    if (last != first && !strcmp(key_order[last], k)) return last;
    return 1000;
}

/* Where the converter is: keys or indexes per level, formatted only when
 * something fails. */
#define CONV_MAX_DEPTH 32
typedef struct conv {
    lua_State *L;
    char *err;
    size_t errsize;
    const char *keys[CONV_MAX_DEPTH + 2];
    lua_Integer index[CONV_MAX_DEPTH + 2];
    int depth;
} conv_t;

static cJSON *conv_fail(conv_t *c, const char *what) {
    if (!c->err || !c->errsize) return NULL;
    char path[256];
    size_t n = 0;
    path[0] = '\0';
    for (int d = 1; d <= c->depth && n < sizeof path - 1; d++) {
        int w = c->keys[d] ? snprintf(path + n, sizeof path - n, "%s%s", n ? "." : "", c->keys[d])
                           : snprintf(path + n, sizeof path - n, "[%lld]", (long long)c->index[d]);
        if (w < 0) break;
        n += (size_t)w;
        if (n >= sizeof path) n = sizeof path - 1;
    }
    if (n)
        snprintf(c->err, c->errsize, "at %s: %s", path, what);
    else
        snprintf(c->err, c->errsize, "%s", what);
    return NULL;
}

static cJSON *conv_value(conv_t *c, int idx, int depth);

static int materialize_body(lua_State *L) {
    materialize_ranges(L, 1);
    return 0;
}

static cJSON *conv_table(conv_t *c, int idx, int depth) {
    lua_State *L = c->L;
    if (depth >= CONV_MAX_DEPTH) return conv_fail(c, "tables nested too deeply (a cycle?)");
    if (!lua_checkstack(L, 8)) return conv_fail(c, "out of Lua stack");
    /* A document's attrs still owing tt.core_ranges: build it first (in a
     * protected call: this converter never raises). */
    if (lua_getmetatable(L, idx)) {
        luaL_getmetatable(L, LAZY_ATTRS_MT);
        bool lazy = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
        if (lazy) {
            lua_pushcfunction(L, materialize_body);
            lua_pushvalue(L, idx);
            if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
                lua_pop(L, 1);
                return conv_fail(c, "out of memory");
            }
        }
    }
    /* First pass: what kind of keys. */
    lua_Integer nint = 0, nstr = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            nstr++;
        } else if (lua_isinteger(L, -1)) {
            nint++;
        } else {
            lua_pop(L, 1);
            return conv_fail(c, "table keys must be strings (or 1..n for a list)");
        }
    }
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    int level = depth + 1;
    if (nint > 0) {
        if (nstr > 0 || nint != len)
            return conv_fail(c, "a table is either a list 1..n or has string keys, not both");
        cJSON *arr = cJSON_CreateArray();
        if (!arr) return conv_fail(c, "out of memory");
        for (lua_Integer i = 1; i <= len; i++) {
            lua_rawgeti(L, idx, i);
            c->depth = level;
            c->keys[level] = NULL;
            c->index[level] = i;
            cJSON *item = conv_value(c, lua_gettop(L), level);
            lua_pop(L, 1);
            if (!item) {
                cJSON_Delete(arr);
                return NULL;
            }
            cJSON_AddItemToArray(arr, item);
        }
        c->depth = depth;
        return arr;
    }
    cJSON *obj = cJSON_CreateObject();
    if (!obj) return conv_fail(c, "out of memory");
    /* Emit keys in SPEC 2 order, then A-Z, without allocating: each pass
     * finds the smallest key after the last one emitted; the best key and
     * value sit in two reserved stack slots. */
    lua_pushnil(L);
    lua_pushnil(L);
    int slotk = lua_gettop(L) - 1, slotv = lua_gettop(L);
    const char *last = NULL;
    int last_rank = -1;
    for (lua_Integer k = 0; k < nstr; k++) {
        const char *best = NULL;
        int best_rank = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            const char *key = lua_tostring(L, -2); /* strings only here */
            int rank = key_rank(key);
            bool after = !last || rank > last_rank || (rank == last_rank && strcmp(key, last) > 0);
            bool before = !best || rank < best_rank || (rank == best_rank && strcmp(key, best) < 0);
            if (after && before) {
                best = key;
                best_rank = rank;
                lua_pushvalue(L, -2);
                lua_replace(L, slotk);
                lua_pushvalue(L, -1);
                lua_replace(L, slotv);
            }
            lua_pop(L, 1);
        }
        if (!best) break;
        c->depth = level;
        c->keys[level] = best;
        cJSON *item = conv_value(c, slotv, level);
        if (!item) {
            lua_pop(L, 2);
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(obj, best, item);
        last = best;
        last_rank = best_rank;
    }
    lua_pop(L, 2);
    c->depth = depth;
    return obj;
}

static cJSON *conv_value(conv_t *c, int idx, int depth) {
    lua_State *L = c->L;
    cJSON *j = NULL;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        j = cJSON_CreateNull();
        break;
    case LUA_TBOOLEAN:
        j = cJSON_CreateBool(lua_toboolean(L, idx));
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            j = cJSON_CreateNumber((double)lua_tointeger(L, idx));
        } else {
            double v = lua_tonumber(L, idx);
            if (!isfinite(v)) return conv_fail(c, "numbers must be finite");
            j = cJSON_CreateNumber(v);
        }
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (strlen(s) != len) return conv_fail(c, "strings must not contain NUL bytes");
        j = cJSON_CreateString(s);
        break;
    }
    case LUA_TTABLE:
        return conv_table(c, idx, depth);
    default: {
        char what[64];
        snprintf(what, sizeof what, "a %s cannot be stored", lua_typename(L, lua_type(L, idx)));
        return conv_fail(c, what);
    }
    }
    if (!j) return conv_fail(c, "out of memory");
    return j;
}

cJSON *ttlx_luaconv_to_json(lua_State *L, int idx, char *err, size_t errsize) {
    conv_t c = {.L = L, .err = err, .errsize = errsize};
    if (err && errsize) err[0] = '\0';
    return conv_value(&c, lua_absindex(L, idx), 0);
}

/* ------------------------------------------------------- JSON -> text */

static void sb_indent(ttlx_sb_t *b, int level) {
    for (int i = 0; i < level; i++)
        ttlx_sb_putn(b, "  ", 2);
}

static void sb_scalar(ttlx_sb_t *b, const cJSON *j) {
    if (cJSON_IsNumber(j)) {
        char num[64];
        double v = j->valuedouble;
        if (v == floor(v) && fabs(v) < 9007199254740992.0)
            snprintf(num, sizeof num, "%lld", (long long)v);
        else
            snprintf(num, sizeof num, "%.17g", v);
        ttlx_sb_puts(b, num);
        return;
    }
    char *s = cJSON_PrintUnformatted(j);
    if (!s) {
        b->failed = true;
        return;
    }
    ttlx_sb_puts(b, s);
    cJSON_free(s);
}

static bool all_scalars(const cJSON *j) {
    for (const cJSON *c = j->child; c; c = c->next)
        if (cJSON_IsArray(c) || cJSON_IsObject(c)) return false;
    return true;
}

static void sb_json(ttlx_sb_t *b, const cJSON *j, int level) {
    bool obj = cJSON_IsObject(j);
    if (!obj && !cJSON_IsArray(j)) {
        sb_scalar(b, j);
        return;
    }
    if (!j->child) {
        ttlx_sb_puts(b, obj ? "{}" : "[]");
        return;
    }
    if (!obj && all_scalars(j)) {
        ttlx_sb_puts(b, "[");
        for (const cJSON *c = j->child; c; c = c->next) {
            sb_scalar(b, c);
            if (c->next) ttlx_sb_puts(b, ", ");
        }
        ttlx_sb_puts(b, "]");
        return;
    }
    ttlx_sb_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = j->child; c; c = c->next) {
        sb_indent(b, level + 1);
        if (obj) {
            cJSON key = {0};
            key.type = cJSON_String;
            key.valuestring = c->string;
            sb_scalar(b, &key);
            ttlx_sb_puts(b, ": ");
        }
        sb_json(b, c, level + 1);
        ttlx_sb_puts(b, c->next ? ",\n" : "\n");
    }
    sb_indent(b, level);
    ttlx_sb_puts(b, obj ? "}" : "]");
}

char *ttlx_luaconv_json_text(const cJSON *j) {
    ttlx_sb_t b = {0};
    sb_json(&b, j, 0);
    ttlx_sb_puts(&b, "\n");
    return ttlx_sb_take(&b);
}
