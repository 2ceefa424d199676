/*
 * open.c - opening a FILE with its device (sys/open.h): the one place that
 * decides which function and which device a FILE opens with.
 */
#include "sys/open.h"

#include <stdio.h>
#include <string.h>

/* Appends to err at its current end, truncating at errsize. */
static void err_append(char *err, size_t errsize, const char *s) {
    size_t at = strlen(err);
    if (at + 1 < errsize) snprintf(err + at, errsize - at, "%s", s);
}

bool sys_open_select(ttlx_module_t *mod, const char *label, const sys_open_opts_t *o,
                     ttlx_device_t *dev, size_t *func_index, char *err, size_t errsize) {
    if (errsize) err[0] = '\0';
    size_t fi = 0;
    if (o && o->func) {
        size_t n = ttlx_module_func_count(mod);
        for (fi = 0; fi < n; fi++)
            if (!strcmp(ttlx_func_name(ttlx_module_func(mod, fi)), o->func)) break;
        if (fi == n) {
            if (!errsize) return false;
            snprintf(err, errsize, "%s: no function named '%s' (it has:", label, o->func);
            for (size_t k = 0; k < n; k++) {
                err_append(err, errsize, " ");
                err_append(err, errsize, ttlx_func_name(ttlx_module_func(mod, k)));
            }
            err_append(err, errsize, ")");
            return false;
        }
    }
    const char *dname =
        o && o->device ? o->device : ttlx_func_device_name(ttlx_module_func(mod, fi));
    ttlx_error_t e = {0};
    if (!dname) {
        *dev = *ttlx_device_default();
    } else if (!ttlx_device_resolve(dname, dev, &e)) {
        /* From --device the message stands alone; from the file it names it. */
        if (o && o->device)
            snprintf(err, errsize, "%s", e.what);
        else
            ttlx_error_format(&e, label, err, errsize);
        return false;
    }
    if (func_index) *func_index = fi;
    return true;
}

ttlx_module_t *sys_open_file(const char *path, const sys_open_opts_t *o, ttlx_device_t *dev,
                             size_t *func_index, char *err, size_t errsize) {
    ttlx_error_t e = {0};
    ttlx_module_t *mod = ttlx_module_load_file(path, o ? o->binds : NULL, o ? o->nbinds : 0, &e);
    if (!mod) {
        ttlx_error_format(&e, path, err, errsize);
        return NULL;
    }
    if (!sys_open_select(mod, path, o, dev, func_index, err, errsize)) {
        ttlx_module_free(mod);
        return NULL;
    }
    return mod;
}
