/*
 * lua_convert.h - moving values between the core and Lua: cJSON to Lua
 * tables (arrays 1-based), Lua tables to cJSON (keys in a stable order),
 * the SPEC 6 document and the diagnostics of a result, and JSON text for
 * saved files.
 */
#ifndef TTLX_LUA_CONVERT_H
#define TTLX_LUA_CONVERT_H

#include "ttlx_func.h"
#include "ttlx_infer.h"

#include <lua.h>

/* Pushes j as a Lua value: objects and arrays become tables, null nil.
 * May raise a Lua memory error. */
void lua_conv_push_json(lua_State *L, const cJSON *j);
/* Pushes {name=, shape={...}, dtype=, role=, elems=, rank=}. */
void lua_conv_push_buffer(lua_State *L, const ttlx_buffer_info_t *b);
/* Pushes the SPEC 6 document of r, equal to ttlx_output_json() converted
 * with lua_conv_push_json(): the core's walk (ttlx_output_emit) fed
 * into a Lua-table sink, with no text or cJSON in between. Its
 * tt.core_ranges is built on first use. May raise a Lua memory error. */
void lua_conv_push_result(lua_State *L, const ttlx_result_t *r);
/* The same through ttlx_output_json(): the reference the fast path is
 * tested against. */
void lua_conv_push_result_slow(lua_State *L, const ttlx_result_t *r);
/* Pushes the "diagnostics" array of the SPEC 6 document of r (the same
 * sink, walking that part only). */
void lua_conv_push_diagnostics(lua_State *L, const ttlx_result_t *r);

/* Converts the table (or scalar) at idx to cJSON (caller owns). Tables
 * whose keys are exactly 1..n become arrays, others objects with string
 * keys, written in SPEC 2 order (memory, layout, tile_shape, ..., then the
 * rest alphabetically) so files stay stable. Never raises: returns NULL
 * with "where: what" in err on a value JSON cannot hold (functions, cycles,
 * NaN, mixed keys). */
cJSON *lua_conv_to_json(lua_State *L, int idx, char *err, size_t errsize);

/* JSON text with 2-space indentation, scalar arrays on one line and a
 * trailing newline (caller frees with ttlx_free); NULL on allocation failure. */
char *lua_conv_json_text(const cJSON *j);

#endif
