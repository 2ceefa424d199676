/* ttlx_tvmscript.c - TVMScript import (placeholder until the importer lands). */
#include "ttlx_tvmscript.h"

#include <string.h>

bool ttlx_tvmscript_detect(const char *path, const char *text, size_t len) {
    (void)text;
    (void)len;
    size_t n = path ? strlen(path) : 0;
    return (n > 3 && !strcmp(path + n - 3, ".py")) || (n > 4 && !strcmp(path + n - 4, ".tvm"));
}

cJSON *ttlx_tvmscript_to_json(const char *text, size_t len, const ttlx_binding_t *binds,
                              size_t nbinds, ttlx_error_t *err) {
    (void)text;
    (void)len;
    (void)binds;
    (void)nbinds;
    ttlx_error_set(err, 0, 0, "TVMScript import is not available in this build");
    return NULL;
}
