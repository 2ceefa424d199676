/*
 * bind_views.c - the bindings that drive the explorer's views, so a lesson
 * can show what it talks about: ttlx.select, ttlx.view, ttlx.cursor_core,
 * ttlx.cursor_tile, ttlx.zoom, and the lesson step pinned over the views.
 *
 * Every call checks its arguments the same way in the explorer and headless
 * (a buffer of the function, a view of the explorer's view table, a core of
 * the device grid, a tile of the selected buffer's tile view, a power of 2
 * of tiles per cell side) and raises a Lua error that says the valid range.
 * In the explorer a valid call goes to the host; headless (`ttlx run`) there
 * are no views and it does nothing more, so one lesson runs in both.
 */
#include "lua/lua_internal.h"

#include <stdlib.h>
#include <string.h>

/* Pushes "a, b, c" of the function's buffer names (cut past ~200 bytes). */
static void push_buffer_names(lua_State *L, const ttlx_func_t *f) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t n = ttlx_func_buffer_count(f), len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = ttlx_func_buffer(f, i)->name;
        if (len > 200) {
            luaL_addstring(&b, ", ...");
            break;
        }
        if (i) luaL_addstring(&b, ", ");
        luaL_addstring(&b, name);
        len += strlen(name) + 2;
    }
    luaL_pushresult(&b);
}

/* ttlx.select(buf): the buffer the views show. */
int l_select(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *buf = luaL_checkstring(L, 1);
    ttlx_func_t *f = engine_need_func(L, e);
    if (ttlx_func_find_buffer(f, buf) < 0) {
        push_buffer_names(L, f);
        return luaL_argerror(L, 1,
                             lua_pushfstring(L, "no buffer named '%s' in %s; buffers: %s", buf,
                                             ttlx_func_name(f), lua_tostring(L, -1)));
    }
    char *copy = strdup(buf);
    if (!copy) return engine_error_memory(L, "ttlx.select");
    free(e->selected);
    e->selected = copy;
    if (e->hosted && e->host.select) e->host.select(e->host.ud, buf);
    return 0;
}

/* ttlx.view(name): one of the explorer's views, by its exact name. */
int l_view(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    const char *name = luaL_checkstring(L, 1);
    for (size_t v = 0; v < e->nview_names; v++)
        if (!strcmp(name, e->view_names[v])) {
            if (e->hosted && e->host.view) e->host.view(e->host.ud, (int)v);
            return 0;
        }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t v = 0; v < e->nview_names; v++) {
        if (v) luaL_addstring(&b, ", ");
        luaL_addstring(&b, e->view_names[v]);
    }
    if (!e->nview_names) luaL_addstring(&b, "none here");
    luaL_pushresult(&b);
    return luaL_argerror(
        L, 1, lua_pushfstring(L, "no view named '%s'; views: %s", name, lua_tostring(L, -1)));
}

/* ttlx.cursor_core(x, y): the core cursor (Cores view, and the core whose
 * tiles the Tiles view marks). */
int l_cursor_core(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    lua_Integer x = luaL_checkinteger(L, 1), y = luaL_checkinteger(L, 2);
    const ttlx_device_t *d = engine_cur_device(e);
    if (x < 0 || x >= d->grid_x)
        return luaL_argerror(L, 1,
                             lua_pushfstring(L, "x %I outside the core grid of %s: 0 to %d", x,
                                             d->name, d->grid_x - 1));
    if (y < 0 || y >= d->grid_y)
        return luaL_argerror(L, 2,
                             lua_pushfstring(L, "y %I outside the core grid of %s: 0 to %d", y,
                                             d->name, d->grid_y - 1));
    if (e->hosted && e->host.cursor_core) e->host.cursor_core(e->host.ud, (int)x, (int)y);
    return 0;
}

/* The selected buffer's layout: the one ttlx.select chose in this call
 * (headless: ever), else the explorer's; a Lua error when none. */
static const ttlx_layout_t *selected_layout(lua_State *L, lua_engine_t *e, const char *fn) {
    ttlx_func_t *f = engine_need_func(L, e);
    const char *name = e->selected;
    if (!name && e->hosted && e->host.selected) name = e->host.selected(e->host.ud);
    if (!name) luaL_error(L, "ttlx.%s: no buffer is selected (call ttlx.select(buf) first)", fn);
    int bi = ttlx_func_find_buffer(f, name);
    if (bi < 0) /* selected in a function loaded before this one */
        luaL_error(L, "ttlx.%s: the selected buffer '%s' is not in %s (call ttlx.select(buf))", fn,
                   name, ttlx_func_name(f));
    return ttlx_result_layout(bind_run_infer(L, e), (size_t)bi);
}

/* ttlx.cursor_tile(row, col): the Tiles view's cursor, in the selected
 * buffer's 2-D tile view (0-based, as ttlx.place). */
int l_cursor_tile(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    lua_Integer row = luaL_checkinteger(L, 1), col = luaL_checkinteger(L, 2);
    const ttlx_layout_t *l = selected_layout(L, e, "cursor_tile");
    if (row < 0 || row >= l->view_rows)
        return luaL_argerror(L, 1,
                             lua_pushfstring(L, "row %I outside %s's tile view: 0 to %I", row,
                                             l->buf->name, (lua_Integer)(l->view_rows - 1)));
    if (col < 0 || col >= l->view_cols)
        return luaL_argerror(L, 2,
                             lua_pushfstring(L, "column %I outside %s's tile view: 0 to %I", col,
                                             l->buf->name, (lua_Integer)(l->view_cols - 1)));
    if (e->hosted && e->host.cursor_tile) e->host.cursor_tile(e->host.ud, row, col);
    return 0;
}

/* ttlx.zoom(n): the Tiles view's cells cover n x n tiles, n a power of 2
 * up to the first one that holds the whole longer axis (as `:zoom N`). */
int l_zoom(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    lua_Integer n = luaL_checkinteger(L, 1);
    const ttlx_layout_t *l = selected_layout(L, e, "zoom");
    int64_t longer = l->view_rows > l->view_cols ? l->view_rows : l->view_cols, max = 1;
    while (max < longer && max < ((int64_t)1 << 40))
        max <<= 1;
    if (n < 1 || n > max || (n & (n - 1)))
        return luaL_argerror(
            L, 1,
            lua_pushfstring(
                L,
                "zoom %I: tiles per cell side must be a power of 2, 1 to %I for %s's %Ix%I tiles",
                n, (lua_Integer)max, l->buf->name, (lua_Integer)l->view_rows,
                (lua_Integer)l->view_cols));
    if (e->hosted && e->host.zoom) e->host.zoom(e->host.ud, n);
    return 0;
}

/* The prelude's pin(title, step, steps, step_title, text, next, prev,
 * leave), or pin(nil) when the lesson is left. Not in the ttlx table. */
int l_lesson_pin(lua_State *L) {
    lua_engine_t *e = engine_of(L);
    if (!e->hosted || !e->host.lesson) return 0;
    if (lua_isnoneornil(L, 1)) {
        e->host.lesson(e->host.ud, NULL);
        return 0;
    }
    lua_engine_lesson_t s = {.title = luaL_checkstring(L, 1),
                             .step = (int)luaL_checkinteger(L, 2),
                             .steps = (int)luaL_checkinteger(L, 3),
                             .step_title = luaL_checkstring(L, 4),
                             .text = luaL_checkstring(L, 5),
                             .next_key = luaL_checkstring(L, 6),
                             .prev_key = luaL_checkstring(L, 7),
                             .leave_key = luaL_checkstring(L, 8)};
    e->host.lesson(e->host.ud, &s);
    return 0;
}
