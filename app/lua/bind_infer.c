/*
 * bind_infer.c - the bindings of inference: ttlx.infer (the SPEC 6
 * document, firing "infer" handlers), ttlx.infer_json, ttlx.diagnostics
 * and the placement queries ttlx.place and ttlx.core.
 */
#include "lua/lua_internal.h"

#include "lua/lua_convert.h"
#include "ttlx_output.h"

const ttlx_result_t *bind_run_infer(lua_State *L, lua_engine_t *e) {
    ttlx_func_t *f = engine_need_func(L, e);
    engine_drop_result(e);
    ttlx_error_t err = {0};
    size_t f0 = ttlx_alloc_failures();
    e->result = ttlx_infer(f, engine_cur_device(e), &err);
    if (!e->result) engine_error_core(L, "ttlx.infer", err.what, f0);
    return e->result;
}

int l_infer(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const ttlx_result_t *r = bind_run_infer(L, e);
    lua_conv_push_result(L, r);
    if (e->events[EV_INFER].n && !e->in_infer_event)
        reg_fire_handlers(L, e, EV_INFER, lua_gettop(L), false);
    return 1;
}

int l_infer_json(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const ttlx_result_t *r = bind_run_infer(L, e);
    char *text = ttlx_output_json_text(r);
    if (!text) return engine_error_memory(L, "ttlx.infer_json");
    lua_pushstring(L, text);
    ttlx_free(text);
    return 1;
}

int l_diagnostics(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const ttlx_result_t *r = bind_run_infer(L, e);
    lua_conv_push_diagnostics(L, r);
    return 1;
}

/* ttlx.place(buf, row, col) -> where tile (row, col) of the buffer's 2-D
 * tile view lives (0-based coordinates), or nil when out of range. */
int l_place(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    lua_Integer row = luaL_checkinteger(L, 2), col = luaL_checkinteger(L, 3);
    ttlx_func_t *f = engine_need_func(L, e);
    int bi = ttlx_func_find_buffer(f, buf);
    if (bi < 0) return luaL_argerror(L, 1, lua_pushfstring(L, "no buffer named '%s'", buf));
    const ttlx_result_t *r = bind_run_infer(L, e);
    ttlx_place_t p;
    if (!ttlx_place_tile(r, (size_t)bi, row, col, &p)) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 8);
    lua_pushstring(L, p.dram ? "DRAM" : "L1");
    lua_setfield(L, -2, "memory");
    lua_pushinteger(L, p.bank);
    lua_setfield(L, -2, "bank");
    if (!p.dram) {
        lua_pushinteger(L, p.x);
        lua_setfield(L, -2, "x");
        lua_pushinteger(L, p.y);
        lua_setfield(L, -2, "y");
    }
    if (p.shard >= 0) {
        lua_pushinteger(L, p.shard);
        lua_setfield(L, -2, "shard");
        lua_pushinteger(L, p.offset);
        lua_setfield(L, -2, "offset");
    }
    lua_pushinteger(L, p.slot);
    lua_setfield(L, -2, "slot");
    lua_pushboolean(L, p.padding);
    lua_setfield(L, -2, "padding");
    return 1;
}

/* ttlx.core(x, y) -> {used=, cbs=, l1_bank=, buffers={name=bytes}} */
int l_core(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    lua_Integer x = luaL_checkinteger(L, 1), y = luaL_checkinteger(L, 2);
    const ttlx_device_t *d = engine_cur_device(e);
    luaL_argcheck(L, x >= 0 && x < d->grid_x, 1, "core x outside the device grid");
    luaL_argcheck(L, y >= 0 && y < d->grid_y, 2, "core y outside the device grid");
    const ttlx_result_t *r = bind_run_infer(L, e);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, ttlx_result_core_used(r, (int)x, (int)y));
    lua_setfield(L, -2, "used");
    lua_pushinteger(L, ttlx_result_core_cb_bytes(r, (int)x, (int)y));
    lua_setfield(L, -2, "cbs");
    lua_pushinteger(L, d->l1_bank_bytes);
    lua_setfield(L, -2, "l1_bank");
    lua_newtable(L);
    size_t n = ttlx_result_buffer_count(r);
    for (size_t i = 0; i < n; i++) {
        const ttlx_layout_t *lay = ttlx_result_layout(r, i);
        if (lay->memory != TTLX_MEM_L1) continue;
        int64_t b = ttlx_result_buffer_bytes_on(r, i, (int)x, (int)y);
        if (b <= 0) continue;
        lua_pushinteger(L, b);
        lua_setfield(L, -2, lay->buf->name);
    }
    lua_setfield(L, -2, "buffers");
    return 1;
}
