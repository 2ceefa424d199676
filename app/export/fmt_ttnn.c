/*
 * fmt_ttnn.c - the `ttnn` export: a Python module that builds the TTNN
 * MemoryConfig of every buffer of the inferred function (SPEC 10), as
 * core/ttlx_ttnn.h writes it; None and the reason where TTNN has none.
 */
#include "export/export_internal.h"
#include "ttlx_infer.h"
#include "ttlx_ttnn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The module text of r, in memory the exporter's caller frees with
 * ttlx_free. */
static char *ttnn_text(const ttlx_result_t *r, size_t *len, ttlx_error_t *err) {
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    if (!out) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    bool ok = ttlx_ttnn_python(r, out);
    ok = fclose(out) == 0 && ok && buf;
    char *text = ok ? ttlx_malloc(n + 1) : NULL;
    if (text) {
        memcpy(text, buf, n);
        text[n] = '\0';
        *len = n;
    } else {
        ttlx_error_set(err, 0, 0, "out of memory");
    }
    free(buf); /* open_memstream's buffer comes from malloc */
    return text;
}

char *export_write_ttnn(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(in->mod, in->func_index), in->dev, err);
    if (!r) return NULL;
    char *text = ttnn_text(r, len, err);
    ttlx_result_free(r);
    return text;
}
