/*
 * ttlx_result.c - storage of an inference result: allocation and freeing,
 * the string arena, diagnostic storage and the ttlx_result_* accessors.
 * The passes that fill a result are in ttlx_infer.c.
 */
#include "ttlx_result_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

ttlx_result_t *ttlx_result_alloc(const ttlx_func_t *f, const ttlx_device_t *dev) {
    ttlx_result_t *r = ttlx_calloc(1, sizeof *r);
    if (!r) return NULL;
    r->func = f;
    r->dev = dev ? *dev : *ttlx_device_default();
    r->n = ttlx_func_buffer_count(f);
    size_t cores = (size_t)r->dev.grid_x * r->dev.grid_y;
    r->layouts = ttlx_calloc(r->n ? r->n : 1, sizeof *r->layouts);
    r->core_used = ttlx_calloc(cores, sizeof *r->core_used);
    r->core_cb = ttlx_calloc(cores, sizeof *r->core_cb);
    r->in_part = ttlx_calloc(cores, 1);
    if (!r->layouts || !r->core_used || !r->core_cb || !r->in_part) {
        ttlx_result_free(r);
        return NULL;
    }
    return r;
}

void ttlx_result_free(ttlx_result_t *r) {
    if (!r) return;
    while (r->arena) {
        sys_arena_block_t *n = r->arena->next;
        ttlx_free(r->arena);
        r->arena = n;
    }
    ttlx_free(r->layouts);
    ttlx_free(r->diags);
    ttlx_free(r->core_used);
    ttlx_free(r->core_cb);
    ttlx_free(r->in_part);
    ttlx_free(r->ranges);
    cJSON_Delete(r->fix_store);
    ttlx_free(r);
}

char *ttlx_result_strdup(ttlx_result_t *r, const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    sys_arena_block_t *b = r->arena;
    if (!b || b->cap - b->used < n) {
        /* blocks grow from 1 KiB to 16 KiB: most results hold a few lines */
        size_t cap = b ? (b->cap < 8192 ? 2 * b->cap : 16384) : 1024;
        if (cap < n) cap = n;
        b = ttlx_malloc(sizeof *b + cap);
        if (!b) {
            r->oom = true;
            return NULL;
        }
        b->next = r->arena;
        b->used = 0;
        b->cap = cap;
        r->arena = b;
    }
    char *d = b->data + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

void ttlx_result_add_diag_text(ttlx_result_t *r, ttlx_diag_args_t a, const char *fix,
                               const char *message) {
    if (r->oom) return;
    ttlx_diag_t *grown = ttlx_grow(r->diags, &r->cap_diags, r->ndiags + 1, sizeof *r->diags);
    if (!grown) {
        r->oom = true;
        return;
    }
    r->diags = grown;
    ttlx_diag_t *d = &r->diags[r->ndiags];
    d->code = a.code;
    d->severity = a.sev;
    d->buffer = a.buffer;
    d->buffer_name =
        a.buffer >= 0 ? r->layouts[a.buffer].buf->name : ttlx_result_strdup(r, a.buffer_name);
    d->key = a.key ? ttlx_result_strdup(r, a.key) : NULL;
    d->message = r->quiet ? "" : ttlx_result_strdup(r, message);
    d->fix = fix && fix[0] && !r->quiet ? ttlx_result_strdup(r, fix) : NULL;
    d->core_x = a.core_x >= 0 ? a.core_x : -1;
    d->core_y = a.core_x >= 0 ? a.core_y : -1;
    d->fix_hints = NULL;
    d->fix_alts = NULL;
    if (r->oom) return;
    r->ndiags++;
    if (a.buffer >= 0) {
        ttlx_layout_t *L = &r->layouts[a.buffer];
        if (L->ndiags == 0 || a.sev > L->worst) L->worst = a.sev;
        L->ndiags++;
    }
}

void ttlx_result_add_diag(ttlx_result_t *r, ttlx_diag_args_t a, const char *fix, const char *fmt,
                          ...) {
    if (r->oom) return;
    if (r->quiet) {
        ttlx_result_add_diag_text(r, a, NULL, "");
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ttlx_result_add_diag_text(r, a, fix, msg);
}

/* ---- accessors ---------------------------------------------------------- */

const ttlx_device_t *ttlx_result_device(const ttlx_result_t *r) {
    return &r->dev;
}
const char *ttlx_result_func_name(const ttlx_result_t *r) {
    return ttlx_func_name(r->func);
}
size_t ttlx_result_buffer_count(const ttlx_result_t *r) {
    return r->n;
}
const ttlx_layout_t *ttlx_result_layout(const ttlx_result_t *r, size_t i) {
    return i < r->n ? &r->layouts[i] : NULL;
}
size_t ttlx_result_diag_count(const ttlx_result_t *r) {
    return r->ndiags;
}
const ttlx_diag_t *ttlx_result_diag(const ttlx_result_t *r, size_t i) {
    return i < r->ndiags ? &r->diags[i] : NULL;
}

size_t ttlx_result_diag_counts(const ttlx_result_t *r, size_t *errors, size_t *warnings,
                               size_t *infos) {
    size_t c[3] = {0, 0, 0};
    for (size_t i = 0; i < r->ndiags; i++)
        c[r->diags[i].severity]++;
    if (errors) *errors = c[TTLX_SEV_ERROR];
    if (warnings) *warnings = c[TTLX_SEV_WARNING];
    if (infos) *infos = c[TTLX_SEV_INFO];
    return c[TTLX_SEV_ERROR];
}

const ttlx_partition_t *ttlx_result_partition(const ttlx_result_t *r) {
    return &r->part;
}

bool ttlx_result_core_in_partition(const ttlx_result_t *r, int x, int y) {
    return ttlx_result_in_grid(r, x, y) && r->in_part[(size_t)y * r->dev.grid_x + x];
}

int64_t ttlx_result_core_used(const ttlx_result_t *r, int x, int y) {
    return ttlx_result_in_grid(r, x, y) ? r->core_used[(size_t)y * r->dev.grid_x + x] : 0;
}

int64_t ttlx_result_core_cb_bytes(const ttlx_result_t *r, int x, int y) {
    return ttlx_result_in_grid(r, x, y) ? r->core_cb[(size_t)y * r->dev.grid_x + x] : 0;
}

int64_t ttlx_result_max_used(const ttlx_result_t *r, int *worst_x, int *worst_y) {
    size_t cores = (size_t)r->dev.grid_x * r->dev.grid_y, worst = 0;
    for (size_t c = 1; c < cores; c++)
        if (r->core_used[c] > r->core_used[worst]) worst = c;
    if (worst_x) *worst_x = (int)(worst % r->dev.grid_x);
    if (worst_y) *worst_y = (int)(worst / r->dev.grid_x);
    return r->core_used[worst];
}
