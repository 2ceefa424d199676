/*
 * lua_support.h - what the Lua API tests share: a capture of what scripts
 * print (out_buf) and the two checks, expect_out (the exact printed text)
 * and expect_err (the first error line contains the wanted text).
 * Included by one test program each (the buffer is that program's).
 */
#ifndef TTLX_LUA_SUPPORT_H
#define TTLX_LUA_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lua/lua_api.h"

static char out_buf[65536];
static size_t out_len;

/* The engine's output callback: appends to out_buf (cut when full). */
static inline void capture(void *ud, const char *text, size_t len) {
    (void)ud;
    if (out_len + len >= sizeof out_buf) len = sizeof out_buf - 1 - out_len;
    memcpy(out_buf + out_len, text, len);
    out_len += len;
    out_buf[out_len] = '\0';
}

static inline void out_reset(void) {
    out_len = 0;
    out_buf[0] = '\0';
}

/* Runs code and checks it succeeds, printing exactly want. */
static inline void expect_out(lua_engine_t *e, const char *code, const char *want) {
    out_reset();
    lua_engine_status_t st = lua_engine_run_string(e, code);
    if (st != LUA_ENGINE_OK) fail_msg("%s\n-> %s", code, lua_engine_error(e));
    if (strcmp(out_buf, want)) fail_msg("%s\nprinted: [%s]\nwanted:  [%s]", code, out_buf, want);
}

/* Runs code and checks it fails with a first error line containing want. */
static inline void expect_err(lua_engine_t *e, const char *code, const char *want) {
    out_reset();
    lua_engine_status_t st = lua_engine_run_string(e, code);
    if (st != LUA_ENGINE_ERROR) fail_msg("%s: should have failed (printed [%s])", code, out_buf);
    if (!strstr(lua_engine_error_line(e), want))
        fail_msg("%s\nerror: [%s]\nwanted: [%s]", code, lua_engine_error(e), want);
}

#endif
