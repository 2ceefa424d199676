/*
 * fmt_plan.c - the `plan` export: tt.plan.json, the runtime plan schema of
 * tilelang-tt (core_grid, core_ranges, work_partition, layouts) of the
 * inferred function.
 */
#include "export/export_internal.h"
#include "ttlx_infer.h"

#include <stdio.h>
#include <string.h>

/* The runtime plan's tile order: the hint's order name, except that the
 * runtime spells col_major "column_major". */
static const char *order_name(const ttlx_layout_t *L) {
    if (L->layout != TTLX_LAYOUT_SHARDED || !L->has_shard)
        return ttlx_order_name(TTLX_ORDER_ROW_MAJOR);
    if (L->order == TTLX_ORDER_COL_MAJOR) return "column_major";
    return ttlx_order_name(L->order);
}

static cJSON *int_pair(int64_t a, int64_t b) {
    cJSON *v = cJSON_CreateArray();
    cJSON *x = cJSON_CreateNumber((double)a), *y = cJSON_CreateNumber((double)b);
    if (!v || !x || !y) {
        cJSON_Delete(v);
        cJSON_Delete(x);
        cJSON_Delete(y);
        return NULL;
    }
    cJSON_AddItemToArray(v, x);
    cJSON_AddItemToArray(v, y);
    return v;
}

/* Rectangles covering the partition's cores: greedy, row-major. */
static bool plan_core_ranges(cJSON *out, const ttlx_partition_t *pt) {
    int gx = pt->grid_x, gy = pt->grid_y;
    if (gx <= 0 || gy <= 0) return true;
    unsigned char *cell = ttlx_calloc((size_t)gx * (size_t)gy, 1); /* 1 used, 2 covered */
    if (!cell) return false;
    for (size_t k = 0; k < pt->ncores; k++) {
        int x = pt->cores[k].x, y = pt->cores[k].y;
        if (x >= 0 && x < gx && y >= 0 && y < gy) cell[(size_t)y * (size_t)gx + (size_t)x] = 1;
    }
    bool ok = true;
    for (int y = 0; y < gy && ok; y++) {
        for (int x = 0; x < gx && ok; x++) {
            if (cell[(size_t)y * (size_t)gx + (size_t)x] != 1) continue;
            int w = 1, h = 1;
            while (x + w < gx && cell[(size_t)y * (size_t)gx + (size_t)(x + w)] == 1)
                w++;
            for (bool grow = true; grow && y + h < gy;) {
                for (int i = 0; i < w && grow; i++)
                    grow = cell[(size_t)(y + h) * (size_t)gx + (size_t)(x + i)] == 1;
                if (grow) h++;
            }
            for (int j = 0; j < h; j++)
                memset(cell + (size_t)(y + j) * (size_t)gx + (size_t)x, 2, (size_t)w);
            cJSON *r = cJSON_CreateObject();
            cJSON *s = int_pair(x, y), *e = int_pair(w, h);
            if (!r || !s || !e) {
                cJSON_Delete(r);
                cJSON_Delete(s);
                cJSON_Delete(e);
                ok = false;
                break;
            }
            cJSON_AddItemToObjectCS(r, "start", s); /* constant keys cannot fail */
            cJSON_AddItemToObjectCS(r, "extent", e);
            cJSON_AddItemToArray(out, r);
        }
    }
    ttlx_free(cell);
    return ok;
}

static bool plan_work(cJSON *wp, const ttlx_result_t *r) {
    const ttlx_partition_t *pt = ttlx_result_partition(r);
    const char *order = ttlx_order_name(TTLX_ORDER_ROW_MAJOR);
    if (pt->local_shard && pt->leader >= 0)
        order = order_name(ttlx_result_layout(r, (size_t)pt->leader));
    for (size_t k = 0; k < pt->ncores; k++) {
        const ttlx_core_range_t *c = &pt->cores[k];
        char key[48];
        snprintf(key, sizeof key, "(%d,%d)", c->x, c->y);
        cJSON *items = cJSON_AddArrayToObject(wp, key);
        if (!items) return false;
        for (int64_t t = 0; t < c->count; t++) {
            int64_t io, jo;
            if (pt->local_shard) {
                int64_t sn = pt->local_tiles[1] > 0 ? pt->local_tiles[1] : 1;
                io = c->sy * pt->local_tiles[0] + t / sn;
                jo = c->sx * sn + t % sn;
            } else {
                int64_t nt = pt->nt > 0 ? pt->nt : 1;
                io = (c->start + t) / nt;
                jo = (c->start + t) % nt;
            }
            cJSON *w = cJSON_CreateObject();
            if (!w || !cJSON_AddNumberToObject(w, "io", (double)io) ||
                !cJSON_AddNumberToObject(w, "jo", (double)jo) ||
                !cJSON_AddStringToObject(w, "tile_order", order)) {
                cJSON_Delete(w);
                return false;
            }
            cJSON_AddItemToArray(items, w);
        }
    }
    return true;
}

static bool plan_layouts(cJSON *out, const ttlx_result_t *r) {
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        cJSON *l = cJSON_AddObjectToObject(out, L->buf->name);
        if (!l || !cJSON_AddStringToObject(l, "shard", ttlx_memory_name(L->memory)) ||
            !cJSON_AddBoolToObject(l, "interleave", L->layout == TTLX_LAYOUT_INTERLEAVED) ||
            !cJSON_AddStringToObject(l, "tile_id_order", order_name(L)) ||
            !cJSON_AddStringToObject(l, "dtype", L->dtype))
            return false;
        cJSON *ts = int_pair(L->tile_h, L->tile_w);
        if (!ts) return false;
        cJSON_AddItemToObjectCS(l, "tile_shape", ts);
        if (!cJSON_AddNumberToObject(l, "page_size", (double)L->page_bytes)) return false;
        if (L->layout == TTLX_LAYOUT_SHARDED && L->has_shard) {
            cJSON *g = int_pair(L->proj_grid[0], L->proj_grid[1]);
            cJSON *s = int_pair(L->proj_shard_tiles[0], L->proj_shard_tiles[1]);
            if (!g || !s) {
                cJSON_Delete(g);
                cJSON_Delete(s);
                return false;
            }
            cJSON_AddItemToObjectCS(l, "shard_grid", g);
            cJSON_AddItemToObjectCS(l, "shard_tiles", s);
            if (!cJSON_AddStringToObject(l, "distribution", ttlx_dist_name(L->dist))) return false;
        }
    }
    return true;
}

/* tt.plan.json: the runtime plan schema of tilelang-tt (core_grid,
 * core_ranges, work_partition, layouts), versioned. */
static char *plan_text(const ttlx_result_t *r, size_t *len, ttlx_error_t *err) {
    const ttlx_partition_t *pt = ttlx_result_partition(r);
    cJSON *doc = cJSON_CreateObject();
    cJSON *grid = int_pair(pt->grid_x, pt->grid_y);
    bool ok = doc && grid && cJSON_AddNumberToObject(doc, "schema_version", 1) &&
              cJSON_AddStringToObject(doc, "func", ttlx_result_func_name(r)) &&
              cJSON_AddStringToObject(doc, "device", ttlx_result_device(r)->name) &&
              cJSON_AddItemToObject(doc, "core_grid", grid);
    if (!ok) cJSON_Delete(grid);
    cJSON *ranges = ok ? cJSON_AddArrayToObject(doc, "core_ranges") : NULL;
    ok = ok && ranges && plan_core_ranges(ranges, pt) &&
         cJSON_AddStringToObject(doc, "partition_mode", pt->local_shard ? "local_shard" : "global");
    cJSON *wp = ok ? cJSON_AddObjectToObject(doc, "work_partition") : NULL;
    ok = ok && wp && plan_work(wp, r);
    cJSON *layouts = ok ? cJSON_AddObjectToObject(doc, "layouts") : NULL;
    ok = ok && layouts && plan_layouts(layouts, r);
    char *text = ok ? export_json_text_len(doc, len, err) : NULL;
    if (!ok) ttlx_error_set(err, 0, 0, "out of memory");
    cJSON_Delete(doc);
    return text;
}

char *export_write_plan(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(in->mod, in->func_index), in->dev, err);
    if (!r) return NULL;
    char *text = plan_text(r, len, err);
    ttlx_result_free(r);
    return text;
}
