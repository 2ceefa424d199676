/*
 * lua_convert.c - conversions between cJSON / core results and Lua values
 * (see lua_convert.h).
 */
#include "lua_convert.h"

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

/* The document is built by the core (the one definition of SPEC 6) and
 * converted; it lives in a to-be-closed box so a Lua error cannot leak it. */
static int json_box_gc(lua_State *L) {
    cJSON **box = luaL_checkudata(L, 1, "ttlx.json_box");
    cJSON_Delete(*box);
    *box = NULL;
    return 0;
}

static cJSON **push_json_box(lua_State *L) {
    cJSON **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    if (luaL_newmetatable(L, "ttlx.json_box")) {
        lua_pushcfunction(L, json_box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, json_box_gc);
        lua_setfield(L, -2, "__close");
    }
    lua_setmetatable(L, -2);
    return box;
}

void ttlx_luaconv_push_result(lua_State *L, const ttlx_result_t *r) {
    cJSON **box = push_json_box(L);
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
        lua_createtable(L, 0, 5);
        lua_pushstring(L, d->code);
        lua_setfield(L, -2, "code");
        lua_pushstring(L, ttlx_severity_name(d->severity));
        lua_setfield(L, -2, "severity");
        if (d->buffer_name) {
            lua_pushstring(L, d->buffer_name);
            lua_setfield(L, -2, "buffer");
        }
        lua_pushstring(L, d->message);
        lua_setfield(L, -2, "message");
        if (d->fix) {
            lua_pushstring(L, d->fix);
            lua_setfield(L, -2, "fix");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* ------------------------------------------------------- Lua -> cJSON */

/* SPEC 2 keys first, in the table's order, then everything else A-Z. */
static const char *const key_order[] = {
    "memory", "layout", "tile_shape", "dtype", "nd_shard", "cb_depth", "halo",
    "axes", "grid", "shard_shape_elems", "order", "distribution", "align_tiles", NULL};

static int key_rank(const char *k) {
    for (int i = 0; key_order[i]; i++)
        if (!strcmp(key_order[i], k)) return i;
    return 1000;
}

static int key_cmp(const char *a, const char *b) {
    int ra = key_rank(a), rb = key_rank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    return strcmp(a, b);
}

typedef struct conv {
    lua_State *L;
    char *err;
    size_t errsize;
    char path[256];
    size_t pathlen;
} conv_t;

static cJSON *conv_fail(conv_t *c, const char *what) {
    if (c->err && c->errsize)
        snprintf(c->err, c->errsize, "%s%s%s", c->pathlen ? "at " : "",
                 c->pathlen ? c->path : "", c->pathlen ? ": " : "");
    size_t used = c->err ? strlen(c->err) : 0;
    if (c->err && used < c->errsize) snprintf(c->err + used, c->errsize - used, "%s", what);
    return NULL;
}

static void path_push_key(conv_t *c, const char *k, size_t saved) {
    c->pathlen = saved;
    int n = snprintf(c->path + saved, sizeof c->path - saved, "%s%s", saved ? "." : "", k);
    if (n > 0) c->pathlen = saved + (size_t)n < sizeof c->path ? saved + (size_t)n : sizeof c->path - 1;
}

static void path_push_index(conv_t *c, lua_Integer i, size_t saved) {
    c->pathlen = saved;
    int n = snprintf(c->path + saved, sizeof c->path - saved, "[%lld]", (long long)i);
    if (n > 0) c->pathlen = saved + (size_t)n < sizeof c->path ? saved + (size_t)n : sizeof c->path - 1;
}

static cJSON *conv_value(conv_t *c, int idx, int depth);

static cJSON *conv_table(conv_t *c, int idx, int depth) {
    lua_State *L = c->L;
    if (depth > 32) return conv_fail(c, "tables nested too deeply (a cycle?)");
    if (!lua_checkstack(L, 8)) return conv_fail(c, "out of Lua stack");
    /* First pass: what kind of keys. */
    lua_Integer nint = 0, nstr = 0, total = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        total++;
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
    size_t saved = c->pathlen;
    if (nint > 0) {
        if (nstr > 0 || nint != len) {
            c->path[saved] = '\0';
            return conv_fail(c, "a table is either a list 1..n or has string keys, not both");
        }
        cJSON *arr = cJSON_CreateArray();
        if (!arr) return conv_fail(c, "out of memory");
        for (lua_Integer i = 1; i <= len; i++) {
            lua_rawgeti(L, idx, i);
            path_push_index(c, i, saved);
            cJSON *item = conv_value(c, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
            if (!item) {
                cJSON_Delete(arr);
                return NULL;
            }
            cJSON_AddItemToArray(arr, item);
        }
        c->pathlen = saved;
        c->path[saved] = '\0';
        return arr;
    }
    cJSON *obj = cJSON_CreateObject();
    if (!obj) return conv_fail(c, "out of memory");
    /* Emit keys in key_cmp order without allocating: each pass finds the
     * smallest key after the last one emitted; best key/value sit in two
     * reserved stack slots. */
    lua_pushnil(L);
    lua_pushnil(L);
    int slotk = lua_gettop(L) - 1, slotv = lua_gettop(L);
    const char *last = NULL;
    for (lua_Integer k = 0; k < nstr; k++) {
        const char *best = NULL;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            const char *key = lua_tostring(L, -2); /* strings only here */
            if ((!last || key_cmp(key, last) > 0) && (!best || key_cmp(key, best) < 0)) {
                best = key;
                lua_pushvalue(L, -2);
                lua_replace(L, slotk);
                lua_pushvalue(L, -1);
                lua_replace(L, slotv);
            }
            lua_pop(L, 1);
        }
        if (!best) break;
        path_push_key(c, best, saved);
        cJSON *item = conv_value(c, slotv, depth + 1);
        if (!item) {
            lua_pop(L, 2);
            cJSON_Delete(obj);
            return NULL;
        }
        cJSON_AddItemToObject(obj, best, item);
        last = best;
    }
    lua_pop(L, 2);
    c->pathlen = saved;
    c->path[saved] = '\0';
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

typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;
} sbuf_t;

static void sb_add(sbuf_t *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(sbuf_t *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_indent(sbuf_t *b, int level) {
    for (int i = 0; i < level; i++) sb_add(b, "  ", 2);
}

static void sb_scalar(sbuf_t *b, const cJSON *j) {
    if (cJSON_IsNumber(j)) {
        char num[64];
        double v = j->valuedouble;
        if (v == floor(v) && fabs(v) < 9007199254740992.0)
            snprintf(num, sizeof num, "%lld", (long long)v);
        else
            snprintf(num, sizeof num, "%.17g", v);
        sb_str(b, num);
        return;
    }
    char *s = cJSON_PrintUnformatted(j);
    if (!s) {
        b->oom = true;
        return;
    }
    sb_str(b, s);
    cJSON_free(s);
}

static bool all_scalars(const cJSON *j) {
    for (const cJSON *c = j->child; c; c = c->next)
        if (cJSON_IsArray(c) || cJSON_IsObject(c)) return false;
    return true;
}

static void sb_json(sbuf_t *b, const cJSON *j, int level) {
    bool obj = cJSON_IsObject(j);
    if (!obj && !cJSON_IsArray(j)) {
        sb_scalar(b, j);
        return;
    }
    if (!j->child) {
        sb_str(b, obj ? "{}" : "[]");
        return;
    }
    if (!obj && all_scalars(j)) {
        sb_str(b, "[");
        for (const cJSON *c = j->child; c; c = c->next) {
            sb_scalar(b, c);
            if (c->next) sb_str(b, ", ");
        }
        sb_str(b, "]");
        return;
    }
    sb_str(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = j->child; c; c = c->next) {
        sb_indent(b, level + 1);
        if (obj) {
            cJSON key = {0};
            key.type = cJSON_String;
            key.valuestring = c->string;
            sb_scalar(b, &key);
            sb_str(b, ": ");
        }
        sb_json(b, c, level + 1);
        sb_str(b, c->next ? ",\n" : "\n");
    }
    sb_indent(b, level);
    sb_str(b, obj ? "}" : "]");
}

char *ttlx_luaconv_json_text(const cJSON *j) {
    sbuf_t b = {0};
    sb_json(&b, j, 0);
    sb_str(&b, "\n");
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
