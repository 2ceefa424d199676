/*
 * open.h - opening a FILE with its device, the way every front end does:
 * parse it (PrimFunc JSON or TVMScript, with --bind values for symbolic
 * shapes), select the function (--func, else the first) and resolve the
 * device (--device, else the file's "device", else the default). The
 * command line and the explorer both call it; it prints nothing.
 */
#ifndef TTLX_SYS_OPEN_H
#define TTLX_SYS_OPEN_H

#include "ttlx_device.h"
#include "ttlx_func.h"
#include "ttlx_load.h"

#include <stdbool.h>
#include <stddef.h>

/* Options shared by everything that opens a FILE. */
typedef struct sys_open_opts {
    const char *device;       /* --device NAME|FILE.json, NULL for the file's or the default */
    const char *func;         /* --func NAME, NULL for the first */
    ttlx_binding_t binds[32]; /* --bind NAME=VALUE */
    size_t nbinds;
} sys_open_opts_t;

/* For a loaded module: the function o->func names (else the first) into
 * *func_index (may be NULL) and the device into *dev. label names the
 * module in messages (its path). o may be NULL (no options). On failure
 * returns false with err holding the message, e.g. "x.json: no function
 * named 'f' (it has: a b)"; mod is left to the caller. */
bool sys_open_select(ttlx_module_t *mod, const char *label, const sys_open_opts_t *o,
                     ttlx_device_t *dev, size_t *func_index, char *err, size_t errsize);

/* Loads path and selects as sys_open_select. Returns the module (caller
 * frees with ttlx_module_free) or NULL with err holding the message,
 * e.g. "x.json:3:5: expected ','" (no "ttlx: " prefix). */
ttlx_module_t *sys_open_file(const char *path, const sys_open_opts_t *o, ttlx_device_t *dev,
                             size_t *func_index, char *err, size_t errsize);

#endif
