/*
 * app_support.h - helpers the app tests share: loading a module from text
 * or from samples/, and rendering an export into a string. Each fails the
 * running cmocka test with the loader's or exporter's own message.
 */
#ifndef TTLX_APP_SUPPORT_H
#define TTLX_APP_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "export/export.h"
#include "ttlx_load.h"

/* Loads text as the file path (only named in messages). */
static inline ttlx_module_t *app_load(const char *text, const char *path) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(text, strlen(text), path, NULL, 0, &err);
    if (!m) fail_msg("load %s: %d:%d: %s", path, err.line, err.col, err.what);
    return m;
}

/* Loads samples/NAME of the source tree. */
static inline ttlx_module_t *app_load_sample(const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/samples/%s", TTLX_SOURCE_DIR, name);
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
    if (!m) fail_msg("load %s: %s", path, err.what);
    return m;
}

/* Function 0 of m exported as fmt (source: the file's text, for the
 * formats that rewrite it; may be NULL). Caller frees. */
static inline char *app_render(ttlx_module_t *m, export_format_t fmt, const char *source) {
    ttlx_error_t err = {0};
    size_t len = 0;
    char *text = export_render(m, 0, NULL, fmt, source, source ? strlen(source) : 0, &len, &err);
    if (!text) fail_msg("render: %s", err.what);
    assert_int_equal(strlen(text), len);
    return text;
}

#endif
