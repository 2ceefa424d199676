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

void lua_conv_push_json(lua_State *L, const cJSON *j) {
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
            lua_conv_push_json(L, c);
            lua_rawseti(L, -2, i++);
        }
    } else if (cJSON_IsObject(j)) {
        int n = cJSON_GetArraySize(j);
        lua_createtable(L, 0, n);
        for (const cJSON *c = j->child; c; c = c->next) {
            if (!c->string) continue;
            lua_conv_push_json(L, c);
            lua_setfield(L, -2, c->string);
        }
    } else {
        lua_pushnil(L);
    }
}

void lua_conv_push_buffer(lua_State *L, const ttlx_buffer_info_t *b) {
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

/* The SPEC 6 document as Lua tables: a sink of the core's one walk
 * (ttlx_output_emit), so Lua converts the core's result and never
 * rebuilds it. This is the hot path of every what-if sweep, which is why
 * it builds tables straight from the events rather than through text and
 * cJSON (lua_conv_push_result_slow, the reference it is tested
 * against). */

static void push_ints(lua_State *L, const int64_t *v, size_t n) {
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushinteger(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* A block of integer rows (tt.core_ranges, a table per core) is the one
 * part of a document that grows with the core grid, and sweeps seldom read
 * it: the document gets it on first use. The rows are copied into a
 * userdata (its user value is the key) that an ephemeron table ties to the
 * enclosing table; that table's metatable builds the list on t[key] or
 * pairs(t). Plain next() does not see it until then. */
#define LAZY_ATTRS_MT "ttlx.lazy_attrs"
#define PENDING_RANGES "ttlx.pending_core_ranges"

typedef struct lazy_rows {
    size_t rows, cols;
    int64_t v[]; /* rows * cols */
} lazy_rows_t;

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

/* Builds the pending rows of the table at idx, if any. */
static void materialize_ranges(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    push_pending(L);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    const lazy_rows_t *lr = lua_touserdata(L, -1);
    if (!lr) {
        lua_pop(L, 2);
        return;
    }
    lua_getiuservalue(L, -1, 1); /* the key */
    lua_createtable(L, (int)lr->rows, 0);
    for (size_t k = 0; k < lr->rows; k++) {
        push_ints(L, lr->v + k * lr->cols, lr->cols);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_rawset(L, idx); /* no __newindex */
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, -4); /* pending[t] = nil */
    lua_pop(L, 2);
}

static int lazy_index(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    push_pending(L);
    lua_pushvalue(L, 1);
    lua_rawget(L, -2);
    if (!lua_touserdata(L, -1)) return 0;
    lua_getiuservalue(L, -1, 1);
    bool match = lua_rawequal(L, -1, 2);
    lua_pop(L, 3);
    if (!match) return 0;
    materialize_ranges(L, 1);
    lua_pushvalue(L, 2);
    lua_rawget(L, 1);
    return 1;
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

#define SINK_MAX_DEPTH 16

typedef struct lua_sink {
    lua_State *L;
    int depth; /* open tables; 0: nothing open yet */
    bool array[SINK_MAX_DEPTH + 1];
    lua_Integer n[SINK_MAX_DEPTH + 1];   /* array: items so far */
    const char *key[SINK_MAX_DEPTH + 1]; /* object: the pending key */
    const char *name[SINK_MAX_DEPTH + 1];
} lua_sink_t;

/* Stores the value on top into the open table (the root stays pushed). */
static void ls_set(lua_sink_t *s) {
    lua_State *L = s->L;
    int d = s->depth;
    if (d == 0) return;
    if (s->array[d]) {
        lua_rawseti(L, -2, ++s->n[d]);
    } else if (!s->name[d]) {
        lua_setfield(L, -2, s->key[d]);
    } else if (!s->key[d][0]) {
        lua_setfield(L, -2, s->name[d]);
    } else {
        lua_pushfstring(L, "%s%s", s->key[d], s->name[d]);
        lua_insert(L, -2);
        lua_rawset(L, -3);
    }
}

static void ls_open(lua_sink_t *s, bool array, size_t size_hint) {
    if (s->depth == SINK_MAX_DEPTH) luaL_error(s->L, "inference document nested too deeply");
    lua_createtable(s->L, array ? (int)size_hint : 0, array ? 0 : (int)size_hint);
    int d = ++s->depth;
    s->array[d] = array;
    s->n[d] = 0;
}

static void ls_begin_object(void *ud, ttlx_emit_layout_t layout, size_t size_hint) {
    (void)layout;
    ls_open(ud, false, size_hint);
}

static void ls_begin_array(void *ud, ttlx_emit_layout_t layout, size_t size_hint) {
    (void)layout;
    ls_open(ud, true, size_hint);
}

static void ls_end(void *ud) {
    lua_sink_t *s = ud;
    s->depth--;
    ls_set(s);
}

static void ls_key(void *ud, const char *key, const char *name) {
    lua_sink_t *s = ud;
    s->key[s->depth] = key;
    s->name[s->depth] = name;
}

static void ls_integer(void *ud, int64_t v) {
    lua_sink_t *s = ud;
    lua_pushinteger(s->L, v);
    ls_set(s);
}

static void ls_number(void *ud, double v) {
    lua_sink_t *s = ud;
    lua_pushnumber(s->L, v);
    ls_set(s);
}

static void ls_string(void *ud, const char *v) {
    lua_sink_t *s = ud;
    lua_pushstring(s->L, v);
    ls_set(s);
}

static void ls_boolean(void *ud, bool v) {
    lua_sink_t *s = ud;
    lua_pushboolean(s->L, v);
    ls_set(s);
}

/* null is nil: an absent field, or a hole in an array. */
static void ls_null(void *ud) {
    lua_sink_t *s = ud;
    if (s->depth > 0 && s->array[s->depth])
        s->n[s->depth]++;
    else if (s->depth == 0)
        lua_pushnil(s->L);
}

static void ls_ints(void *ud, const int64_t *v, size_t n) {
    lua_sink_t *s = ud;
    push_ints(s->L, v, n);
    ls_set(s);
}

/* Rows in an object are deferred (see lazy_rows_t), one list per table. */
static void ls_int_rows(void *ud, size_t rows, size_t cols,
                        void (*row)(const void *src, size_t i, int64_t *out), const void *src) {
    lua_sink_t *s = ud;
    lua_State *L = s->L;
    int d = s->depth;
    if (cols > 16 || rows > (SIZE_MAX - sizeof(lazy_rows_t)) / sizeof(int64_t) / 16)
        luaL_error(L, "inference document too large");
    lazy_rows_t *lr = lua_newuserdatauv(L, sizeof *lr + rows * cols * sizeof lr->v[0], 1);
    lr->rows = rows;
    lr->cols = cols;
    for (size_t i = 0; i < rows; i++)
        row(src, i, lr->v + i * cols);
    bool defer = d > 0 && !s->array[d] && !lua_getmetatable(L, -2);
    if (defer) {
        lua_pushfstring(L, "%s%s", s->key[d], s->name[d] ? s->name[d] : "");
        lua_setiuservalue(L, -2, 1);
        push_pending(L);
        lua_pushvalue(L, -3); /* the table */
        lua_pushvalue(L, -3); /* the rows */
        lua_rawset(L, -3);
        lua_pop(L, 2);
        if (luaL_newmetatable(L, LAZY_ATTRS_MT)) {
            lua_pushcfunction(L, lazy_index);
            lua_setfield(L, -2, "__index");
            lua_pushcfunction(L, lazy_pairs);
            lua_setfield(L, -2, "__pairs");
        }
        lua_setmetatable(L, -2);
        return;
    }
    if (d > 0 && !s->array[d]) lua_pop(L, 1); /* the metatable found */
    lua_createtable(L, (int)rows, 0);
    for (size_t i = 0; i < rows; i++) {
        push_ints(L, lr->v + i * cols, cols);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_remove(L, -2);
    ls_set(s);
}

static void ls_wrap(void *ud) {
    (void)ud;
}

static void push_part(lua_State *L, const ttlx_result_t *r, ttlx_output_part_t part) {
    luaL_checkstack(L, 12, "building the inference document");
    lua_sink_t s = {.L = L};
    const ttlx_emit_t sink = {&s,      ls_begin_object, ls_end,      ls_begin_array, ls_end,
                              ls_key,  ls_integer,      ls_number,   ls_string,      ls_boolean,
                              ls_null, ls_ints,         ls_int_rows, ls_wrap};
    ttlx_output_emit(r, part, &sink);
}

void lua_conv_push_result(lua_State *L, const ttlx_result_t *r) {
    push_part(L, r, TTLX_OUTPUT_DOCUMENT);
}

void lua_conv_push_diagnostics(lua_State *L, const ttlx_result_t *r) {
    push_part(L, r, TTLX_OUTPUT_DIAGNOSTICS);
}

/* Keeps a cJSON tree alive only as long as a Lua error cannot leak it. */
static int json_box_gc(lua_State *L) {
    cJSON **box = luaL_checkudata(L, 1, "ttlx.json_box");
    cJSON_Delete(*box);
    *box = NULL;
    return 0;
}

void lua_conv_push_result_slow(lua_State *L, const ttlx_result_t *r) {
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
    lua_conv_push_json(L, *box);
    cJSON_Delete(*box);
    *box = NULL;
    lua_remove(L, boxidx);
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

cJSON *lua_conv_to_json(lua_State *L, int idx, char *err, size_t errsize) {
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

char *lua_conv_json_text(const cJSON *j) {
    ttlx_sb_t b = {0};
    sb_json(&b, j, 0);
    ttlx_sb_puts(&b, "\n");
    return ttlx_sb_take(&b);
}
