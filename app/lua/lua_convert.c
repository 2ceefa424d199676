/*
 * lua_convert.c - conversions between cJSON / core results and Lua values
 * (see lua_convert.h).
 */
#include "lua/lua_convert.h"
#include "export/export.h"
#include "ttlx_sb.h"

#include "ttlx_hint.h"
#include "ttlx_output.h"

#include <lauxlib.h>

#include <math.h>
#include <stdint.h>
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

/* SPEC 2 keys first, in the schema's order (ttlx_hint.h; the derived keys
 * excepted), then everything else A-Z. */
static int key_rank(const char *k) {
    /* The first letter decides before strcmp does: this runs for every key
     * of every hint a sweep sets. */
    for (size_t i = 0; i < ttlx_hint_key_count(); i++) {
        const ttlx_hint_key_t *key = ttlx_hint_key(i);
        if (key->leaf[0] == k[0] && key->kind != TTLX_HINT_DERIVED && !strcmp(key->leaf, k))
            return (int)i;
    }
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
    bool (*time_up)(void *ud); /* NULL: no deadline */
    void *ud;
    unsigned ticks;
    bool expired;
} conv_t;

/* Counts an element; every 4096 asks whether the time is up. */
static bool conv_tick(conv_t *c) {
    if (c->expired) return true;
    if (!c->time_up || (++c->ticks & 4095u)) return false;
    c->expired = c->time_up(c->ud);
    return c->expired;
}

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

/* The string keys of a table in the order they are emitted. */
typedef struct key_entry {
    const char *key;
    lua_Integer pos; /* in the keys list; also the tie-break: first seen wins */
    int rank;
} key_entry_t;

static int key_entry_cmp(const void *pa, const void *pb) {
    const key_entry_t *a = pa, *b = pb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    int d = strcmp(a->key, b->key);
    if (d) return d;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Lists the string keys of the table at index 1 in a new table 1..n, in
 * traversal order (protected: it allocates). */
static int list_keys_body(lua_State *L) {
    lua_Integer n = lua_tointeger(L, 2);
    lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);
    lua_Integer i = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 3, ++i);
    }
    return 1;
}

/* Emits keys in SPEC 2 order, then A-Z by strcmp (keys equal up to a NUL
 * byte: the first one met, once), O(n log n). The keys stay alive in a
 * list on the stack while their texts are sorted. */
static cJSON *conv_object(conv_t *c, int idx, int depth, lua_Integer nstr) {
    lua_State *L = c->L;
    int level = depth + 1;
    if ((uint64_t)nstr > SIZE_MAX / sizeof(key_entry_t)) return conv_fail(c, "out of memory");
    lua_pushcfunction(L, list_keys_body);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, nstr);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        return conv_fail(c, "out of memory");
    }
    int keys = lua_gettop(L);
    key_entry_t *v = nstr ? malloc((size_t)nstr * sizeof *v) : NULL;
    cJSON *obj = cJSON_CreateObject();
    if ((nstr && !v) || !obj) {
        free(v);
        cJSON_Delete(obj);
        lua_pop(L, 1);
        return conv_fail(c, "out of memory");
    }
    for (lua_Integer i = 0; i < nstr; i++) {
        lua_rawgeti(L, keys, i + 1);
        v[i].key = lua_tostring(L, -1); /* kept alive by the keys list */
        v[i].pos = i + 1;
        v[i].rank = key_rank(v[i].key);
        lua_pop(L, 1);
        if (conv_tick(c)) break;
    }
    if (!c->expired && nstr > 1) qsort(v, (size_t)nstr, sizeof *v, key_entry_cmp);
    const char *last = NULL;
    for (lua_Integer i = 0; i < nstr && !c->expired; i++) {
        if (last && !strcmp(v[i].key, last)) continue;
        lua_rawgeti(L, keys, v[i].pos);
        lua_rawget(L, idx);
        c->depth = level;
        c->keys[level] = v[i].key;
        cJSON *item = conv_value(c, lua_gettop(L), level);
        lua_pop(L, 1);
        if (!item) {
            free(v);
            cJSON_Delete(obj);
            lua_pop(L, 1);
            return NULL;
        }
        cJSON_AddItemToObject(obj, v[i].key, item);
        last = v[i].key;
    }
    free(v);
    lua_pop(L, 1);
    if (c->expired) {
        cJSON_Delete(obj);
        return conv_fail(c, "out of time");
    }
    c->depth = depth;
    return obj;
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
    return conv_object(c, idx, depth, nstr);
}

static cJSON *conv_value(conv_t *c, int idx, int depth) {
    lua_State *L = c->L;
    cJSON *j = NULL;
    if (conv_tick(c)) return conv_fail(c, "out of time");
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
    return lua_conv_to_json_bounded(L, idx, NULL, NULL, NULL, err, errsize);
}

cJSON *lua_conv_to_json_bounded(lua_State *L, int idx, bool (*time_up)(void *ud), void *ud,
                                bool *expired, char *err, size_t errsize) {
    conv_t c = {.L = L, .err = err, .errsize = errsize, .time_up = time_up, .ud = ud};
    if (err && errsize) err[0] = '\0';
    cJSON *j = conv_value(&c, lua_absindex(L, idx), 0);
    if (expired) *expired = c.expired;
    return j;
}

/* ------------------------------------------------------- JSON -> text */

/* ttlx.json's layout is the exports' printer in the Lua style. */
char *lua_conv_json_text(const cJSON *j) {
    return export_json_text_styled(j, &EXPORT_JSON_STYLE_LUA);
}
