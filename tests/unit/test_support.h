/*
 * test_support.h - helpers shared by the core's cmocka tests: build a
 * PrimFunc from JSON text, run inference, find diagnostics.
 */
#ifndef TTLX_TEST_SUPPORT_H
#define TTLX_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ttlx_func.h"
#include "ttlx_infer.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

/* Loads json (which must be valid) as "t.json". */
static inline ttlx_module_t *t_load(const char *json) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(json, strlen(json), "t.json", NULL, 0, &err);
    if (!m) fail_msg("load failed: %d:%d: %s", err.line, err.col, err.what);
    return m;
}

/* Expects json to fail loading; returns the error. */
static inline ttlx_error_t t_load_error(const char *json) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_string(json, strlen(json), "t.json", NULL, 0, &err);
    if (m) {
        ttlx_module_free(m);
        fail_msg("expected a load error for: %s", json);
    }
    return err;
}

typedef struct t_run {
    ttlx_module_t *mod;
    ttlx_result_t *r;
} t_run_t;

static inline t_run_t t_infer(const char *json, const char *device) {
    t_run_t t;
    t.mod = t_load(json);
    ttlx_error_t err = {0};
    const ttlx_device_t *dev = device ? ttlx_device_find(device) : NULL;
    if (device && !dev) fail_msg("unknown device %s", device);
    t.r = ttlx_infer(ttlx_module_func(t.mod, 0), dev, &err);
    if (!t.r) fail_msg("infer failed: %s", err.what);
    return t;
}

static inline void t_free(t_run_t *t) {
    ttlx_result_free(t->r);
    ttlx_module_free(t->mod);
}

/* A one-buffer PrimFunc with an optional hint (JSON object text or NULL). */
static inline t_run_t t_one(const char *shape, const char *dtype, const char *hint,
                            const char *device) {
    char json[4096];
    if (hint)
        snprintf(json, sizeof json,
                 "{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": %s, \"dtype\": "
                 "\"%s\"}], \"attrs\": {\"tt.user_layout\": {\"A\": %s}}}",
                 shape, dtype, hint);
    else
        snprintf(json, sizeof json,
                 "{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": %s, \"dtype\": "
                 "\"%s\"}]}",
                 shape, dtype);
    return t_infer(json, device);
}

/* Number of diagnostics with this code. */
static inline size_t t_count(const ttlx_result_t *r, const char *code) {
    size_t n = 0;
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++)
        n += !strcmp(ttlx_result_diag(r, i)->code, code);
    return n;
}

/* The first diagnostic with this code; fails the test when absent. */
static inline const ttlx_diag_t *t_diag(const ttlx_result_t *r, const char *code) {
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++)
        if (!strcmp(ttlx_result_diag(r, i)->code, code)) return ttlx_result_diag(r, i);
    fail_msg("no %s diagnostic", code);
    return NULL;
}

#define assert_contains(haystack, needle)                                                          \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (!h_ || !strstr(h_, n_))                                                                \
            fail_msg("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_);                    \
    } while (0)

#endif
