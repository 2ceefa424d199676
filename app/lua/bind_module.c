/*
 * bind_module.c - the bindings of the current PrimFunc and device:
 * ttlx.func, ttlx.buffers, ttlx.device, ttlx.devices, ttlx.load and
 * ttlx.new_func.
 */
#include "lua/lua_internal.h"
#include "ttlx_load.h"

#include "lua/lua_convert.h"

#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- ttlx.* */

int bind_push_func_table(lua_State *L, lua_engine_t *e) {
    ttlx_func_t *f = engine_need_func(L, e);
    size_t fi = 0;
    ttlx_module_t *m = engine_cur_module(e, &fi, NULL);
    lua_createtable(L, 0, 8);
    lua_pushstring(L, ttlx_func_name(f));
    lua_setfield(L, -2, "name");
    lua_pushstring(L, ttlx_func_description(f));
    lua_setfield(L, -2, "description");
    size_t nb = ttlx_func_buffer_count(f);
    lua_createtable(L, (int)nb, 0);
    for (size_t i = 0; i < nb; i++) {
        lua_conv_push_buffer(L, ttlx_func_buffer(f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "buffers");
    int64_t ext[3];
    int nk = ttlx_func_kernel(f, ext);
    lua_createtable(L, nk, 0);
    for (int i = 0; i < nk; i++) {
        lua_pushinteger(L, ext[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "kernel");
    const char *dn = ttlx_func_device_name(f);
    if (dn) {
        lua_pushstring(L, dn);
        lua_setfield(L, -2, "device");
    }
    lua_conv_push_json(L, ttlx_func_attrs(f));
    lua_setfield(L, -2, "attrs");
    size_t nf = ttlx_module_func_count(m);
    lua_createtable(L, (int)nf, 0);
    for (size_t i = 0; i < nf; i++) {
        lua_pushstring(L, ttlx_func_name(ttlx_module_func(m, i)));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "functions");
    lua_pushstring(L, ttlx_module_format(m));
    lua_setfield(L, -2, "format");
    (void)fi;
    return 1;
}

int l_func(lua_State *L) {
    lua_settop(L, 0);
    return bind_push_func_table(L, engine_of(L));
}

int l_buffers(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    ttlx_func_t *f = engine_need_func(L, e);
    size_t nb = ttlx_func_buffer_count(f);
    lua_createtable(L, (int)nb, 0);
    for (size_t i = 0; i < nb; i++) {
        lua_conv_push_buffer(L, ttlx_func_buffer(f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Converts the table at idx to cJSON, kept in e->scratch while converting
 * so that a Lua error cannot leak it; returns it with ownership. */
static void push_device(lua_State *L, lua_engine_t *e, const ttlx_device_t *d) {
    engine_drop_scratch(e);
    e->scratch = ttlx_device_to_json(d);
    if (!e->scratch) engine_error_memory(L, "ttlx.device");
    lua_conv_push_json(L, e->scratch);
    engine_drop_scratch(e);
}

int l_device(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    if (lua_gettop(L) < 1 || lua_isnil(L, 1)) {
        push_device(L, e, engine_cur_device(e));
        return 1;
    }
    ttlx_device_t d;
    ttlx_error_t err = {0};
    char msg[600];
    if (lua_type(L, 1) == LUA_TSTRING) {
        const char *name = lua_tostring(L, 1);
        if (!ttlx_device_find(name)) access_check(L, e, "ttlx.device", name); /* a file */
        if (!ttlx_device_resolve(name, &d, &err))
            return luaL_error(L, "ttlx.device: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    } else {
        luaL_argexpected(L, lua_type(L, 1) == LUA_TTABLE, 1, "device name, file or table");
        cJSON *j = bind_table_to_json(L, e, 1, "ttlx.device");
        e->scratch = j;
        bool ok = ttlx_device_from_json(j, &d, &err);
        engine_drop_scratch(e);
        if (!ok)
            return luaL_error(L, "ttlx.device: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    }
    engine_note_device_change(e);
    if (!engine_switch_device(e, &d, msg, sizeof msg)) return luaL_error(L, "ttlx.device: %s", msg);
    push_device(L, e, engine_cur_device(e));
    return 1;
}

int l_devices(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    size_t n = ttlx_device_builtin_count();
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        push_device(L, e, ttlx_device_builtin(i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Infers the current function into e->result (owned by the engine). */
static void fire_load_nested(lua_State *L, lua_engine_t *e) {
    if (!e->events[EV_LOAD].n) return;
    bind_push_func_table(L, e);
    reg_fire_handlers(L, e, EV_LOAD, lua_gettop(L), false);
    lua_pop(L, 1);
}

/* A file ttlx.load cannot use: the error names the file and the position
 * and the position only. The core's message may quote the file's text (a malformed line, a
 * bad value), and a script must not read a file through its errors. */
static int load_refused(lua_State *L, const char *path, const ttlx_error_t *err, size_t f0) {
    if (engine_memory_failed(L, f0)) return engine_error_memory(L, "ttlx.load");
    if (err->line > 0)
        return luaL_error(L,
                          "ttlx.load: %s:%d:%d: not a PrimFunc ttlx can read (`ttlx infer %s` "
                          "shows why)",
                          path, err->line, err->col, path);
    /* no position: the file could not be opened or read (no content) */
    char msg[700];
    return luaL_error(L, "ttlx.load: %s", ttlx_error_format(err, path, msg, sizeof msg));
}

int l_load(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *path = luaL_checkstring(L, 1);
    char msg[700];
    access_check(L, e, "ttlx.load", path);
    size_t f0 = ttlx_alloc_failures();
    if (e->hosted) {
        if (!e->host.load)
            return luaL_error(L, "ttlx.load: the explorer does not allow loading here");
        msg[0] = '\0';
        engine_drop_result(e); /* it borrows the module the host is about to free */
        if (!e->host.load(e->host.ud, path, msg, sizeof msg)) {
            if (engine_memory_failed(L, f0)) return engine_error_memory(L, "ttlx.load");
            return luaL_error(L, "ttlx.load: %s", msg[0] ? msg : path);
        }
        e->generation++;
    } else {
        ttlx_error_t err = {0};
        sys_file_id_t id;
        bool have_id = sys_file_identity(path, &id, NULL);
        ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
        if (!m) return load_refused(L, path, &err, f0);
        ttlx_device_t d = e->dev;
        const char *dn = ttlx_func_device_name(ttlx_module_func(m, 0));
        if (dn && !ttlx_device_resolve(dn, &d, &err)) {
            ttlx_module_free(m);
            return load_refused(L, path, &err, f0);
        }
        char *p = strdup(path);
        if (!p) {
            ttlx_module_free(m);
            return engine_error_memory(L, "ttlx.load");
        }
        lua_engine_set_module(e, m, 0, &d, NULL);
        e->path = p;
        lua_engine_set_source_id(e, have_id ? &id : NULL);
    }
    if (e->hosted && e->host.redraw) e->host.redraw(e->host.ud);
    fire_load_nested(L, e);
    return 0;
}

/* ttlx.new_func(tbl): a PrimFunc from a table in SPEC 1.1 form (or
 * {functions = {...}}) becomes the current module, as ttlx.load does. */
int l_new_func(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    cJSON *doc = bind_table_to_json(L, e, 1, "ttlx.new_func");
    ttlx_error_t err = {0};
    char msg[700];
    ttlx_module_t *m = ttlx_module_from_json(doc, &err); /* takes doc */
    if (!m)
        return luaL_error(L, "ttlx.new_func: %s", ttlx_error_format(&err, NULL, msg, sizeof msg));
    if (e->hosted) {
        if (!e->host.adopt) {
            ttlx_module_free(m);
            return luaL_error(L, "ttlx.new_func: the explorer does not allow it here");
        }
        msg[0] = '\0';
        engine_drop_result(e);
        if (!e->host.adopt(e->host.ud, m, msg, sizeof msg))
            return luaL_error(L, "ttlx.new_func: %s", msg[0] ? msg : "refused");
        e->generation++;
        if (e->host.redraw) e->host.redraw(e->host.ud);
    } else {
        ttlx_device_t d = e->dev;
        const char *dn = ttlx_func_device_name(ttlx_module_func(m, 0));
        if (dn && !ttlx_device_resolve(dn, &d, &err)) {
            ttlx_module_free(m);
            return luaL_error(L, "ttlx.new_func: %s",
                              ttlx_error_format(&err, NULL, msg, sizeof msg));
        }
        lua_engine_set_module(e, m, 0, &d, NULL);
    }
    fire_load_nested(L, e);
    return 0;
}

/* ttlx.select(buffer): the explorer shows this buffer (no-op headless). */
