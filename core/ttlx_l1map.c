/*
 * ttlx_l1map.c - the L1 address map of one core (ttlx_l1map.h): lock-step
 * ranges for the L1 buffers in parameter order from the L1 base, the
 * circular buffers above them, and the free space left.
 */
#include "ttlx_l1map.h"

/* Appends a span when there is room; counts it either way. */
static void add(ttlx_l1_span_t *out, size_t cap, int64_t *n, ttlx_l1_kind_t kind, size_t buffer,
                int64_t start, int64_t end) {
    if ((size_t)*n < cap) out[*n] = (ttlx_l1_span_t){kind, buffer, start, end};
    (*n)++;
}

int64_t ttlx_l1_map(const ttlx_result_t *r, int x, int y, ttlx_l1_span_t *out, size_t cap,
                    ttlx_l1_frame_t *frame) {
    const ttlx_device_t *dev = ttlx_result_device(r);
    if (x < 0 || y < 0 || x >= dev->grid_x || y >= dev->grid_y) return -1;
    int64_t align = dev->l1_align_bytes > 0 ? dev->l1_align_bytes : 1;
    ttlx_l1_frame_t f = {0};
    f.base = dev->l1_bytes - dev->l1_bank_bytes; /* l1_bank <= l1: the profile checks */
    f.limit = dev->l1_bytes;
    int64_t at = f.base, n = 0;
    size_t nb = ttlx_result_buffer_count(r);
    for (size_t i = 0; i < nb; i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        if (!L->placed || L->memory != TTLX_MEM_L1) continue;
        int64_t size = L->layout == TTLX_LAYOUT_INTERLEAVED ? L->bytes_per_bank : L->bytes_per_core;
        if (size <= 0) continue;
        int64_t end;
        if (!ttlx_round_up64(size, align, &size) || !ttlx_add64(at, size, &end)) return -1;
        bool here = ttlx_result_buffer_bytes_on(r, i, x, y) > 0;
        add(out, cap, &n, here ? TTLX_L1_BUFFER : TTLX_L1_GAP, i, at, end);
        at = end;
    }
    if (!ttlx_round_up64(at, align, &at)) return -1;
    f.cb_base = at;
    /* Past the last buffer held here: lock-step, the ranges of buffers on
     * other cores are not free here either. */
    f.top = at;
    if (ttlx_result_core_in_partition(r, x, y)) {
        for (size_t i = 0; i < nb; i++) {
            const ttlx_layout_t *L = ttlx_result_layout(r, i);
            if (L->cb_bytes <= 0) continue;
            int64_t size, end;
            if (!ttlx_round_up64(L->cb_bytes, align, &size) || !ttlx_add64(at, size, &end))
                return -1;
            add(out, cap, &n, TTLX_L1_CB, i, at, end);
            at = end;
        }
        f.top = at;
    }
    f.free_bytes = f.top < f.limit ? f.limit - f.top : 0;
    f.over_bytes = f.top > f.limit ? f.top - f.limit : 0;
    if (frame) *frame = f;
    return n;
}
