/*
 * ttlx_device.c - the built-in device profiles of SPEC 5 and profiles
 * read from JSON.
 */
#include "ttlx_device.h"
#include "ttlx_near.h"
#include "ttlx_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Where the figures come from (tenstorrent/tt-metal):
 * - grids: tt_metal/core_descriptors/wormhole_b0_80_arch.yaml (Tensix
 *   dispatch: nebula_x1 = n150 8x8, nebula_x2 = n300 8x7, one harvested row
 *   more) and wormhole_b0_80_arch_eth_dispatch.yaml (Ethernet dispatch:
 *   8x8 on both); blackhole_140_arch.yaml (a Tensix dispatch column:
 *   2xharvested 11x10, unharvested 13x10).
 * - L1 and DRAM views: tt_metal/soc_descriptors/wormhole_b0_80_arch.yaml and
 *   blackhole_140_arch.yaml (worker_l1_size, dram_bank_size).
 * - bank sizes as the allocator reports them: DRAM bank = view size less
 *   the DRAM unreserved base less the trace region
 *   (tt_metal/impl/allocator/allocator.cpp: Wormhole 1 GiB - 32 B with no
 *   trace region); L1 bank = worker_l1_size less the L1 unreserved base less
 *   l1_small_size (tt_metal/impl/allocator/l1_banking_allocator.cpp), here
 *   with l1_small_size 0, tt-metal's default
 *   (tt_metal/hostdevcommon/common_values.hpp).
 */
static const ttlx_device_t builtin[] = {
    {"wormhole_n150", "Wormhole n150 (one chip)", 8, 8, 1499136, 1382144, 12, 1073741792, 32, 16,
     32, "tensix"},
    {"wormhole_n300", "Wormhole n300 (one of its two chips), Ethernet dispatch", 8, 8, 1499136,
     1382144, 12, 1073741792, 32, 16, 32, "ethernet"},
    {"wormhole_n300_tensix_dispatch", "Wormhole n300 (one chip), Tensix dispatch: one row less", 8,
     7, 1499136, 1382144, 12, 1073741792, 32, 16, 32, "tensix"},
    {"blackhole_p100", "Blackhole p100", 11, 10, 1572864, 1461504, 7, 4278190016, 64, 16, 64,
     "tensix"},
    {"blackhole_p150", "Blackhole p150", 11, 10, 1572864, 1461504, 8, 4278190016, 64, 16, 64,
     "tensix"},
    {"blackhole_p150_130", "Blackhole p150, firmware before 19.5 (13x10 grid)", 13, 10, 1572864,
     1461760, 8, 4278190016, 64, 16, 64, "tensix"},
};

size_t ttlx_device_builtin_count(void) {
    return sizeof builtin / sizeof builtin[0];
}

const ttlx_device_t *ttlx_device_builtin(size_t i) {
    return i < ttlx_device_builtin_count() ? &builtin[i] : NULL;
}

const ttlx_device_t *ttlx_device_default(void) {
    return &builtin[0];
}

const ttlx_device_t *ttlx_device_find(const char *name) {
    if (!name) return NULL;
    for (size_t k = 0; k < ttlx_device_builtin_count(); k++)
        if (!strcasecmp(builtin[k].name, name)) return &builtin[k];
    return NULL;
}

static bool field_int(const cJSON *obj, const char *key, int64_t lo, int64_t hi, bool required,
                      int64_t *out, ttlx_error_t *err) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (!required) return true;
        ttlx_error_set(err, 0, 0, "device profile: missing \"%s\"", key);
        return false;
    }
    if (!ttlx_json_int(v, lo, out) || *out > hi) {
        ttlx_error_set(err, 0, 0, "device profile: \"%s\" must be an integer from %lld to %lld",
                       key, (long long)lo, (long long)hi);
        return false;
    }
    return true;
}

bool ttlx_device_from_json(const cJSON *obj, ttlx_device_t *out, ttlx_error_t *err) {
    if (!cJSON_IsObject(obj)) {
        ttlx_error_set(err, 0, 0, "device profile: expected a JSON object");
        return false;
    }
    ttlx_device_t d;
    memset(&d, 0, sizeof d);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (!cJSON_IsString(name) || !name->valuestring[0] ||
        strlen(name->valuestring) >= sizeof d.name) {
        ttlx_error_set(err, 0, 0,
                       "device profile: \"name\" must be a string of 1 to %zu characters",
                       sizeof d.name - 1);
        return false;
    }
    strcpy(d.name, name->valuestring);
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(obj, "description");
    if (cJSON_IsString(desc))
        snprintf(d.description, sizeof d.description, "%s", desc->valuestring);
    const cJSON *grid = cJSON_GetObjectItemCaseSensitive(obj, "grid");
    int64_t gx, gy;
    if (!cJSON_IsArray(grid) || cJSON_GetArraySize(grid) != 2 ||
        !ttlx_json_int(cJSON_GetArrayItem(grid, 0), 1, &gx) ||
        !ttlx_json_int(cJSON_GetArrayItem(grid, 1), 1, &gy) || gx > 64 || gy > 64) {
        ttlx_error_set(err, 0, 0,
                       "device profile: \"grid\" must be [x, y] with 1 to 64 cores each");
        return false;
    }
    int64_t l1, l1_bank, banks, bank, dalign, l1align = 16, cbs;
    if (!field_int(obj, "l1", 1, INT64_C(1) << 40, true, &l1, err) ||
        !field_int(obj, "l1_bank", 1, l1, true, &l1_bank, err) ||
        !field_int(obj, "dram_banks", 1, 1024, true, &banks, err) ||
        !field_int(obj, "dram_bank", 1, INT64_C(1) << 50, true, &bank, err) ||
        !field_int(obj, "dram_align", 1, 4096, true, &dalign, err) ||
        !field_int(obj, "l1_align", 1, 4096, false, &l1align, err) ||
        !field_int(obj, "max_cbs", 1, 1024, true, &cbs, err))
        return false;
    d.grid_x = (int)gx;
    d.grid_y = (int)gy;
    d.l1_bytes = l1;
    d.l1_bank_bytes = l1_bank;
    d.dram_banks = (int)banks;
    d.dram_bank_bytes = bank;
    d.dram_align_bytes = (int)dalign;
    d.l1_align_bytes = (int)l1align;
    d.max_cbs = (int)cbs;
    const cJSON *disp = cJSON_GetObjectItemCaseSensitive(obj, "dispatch");
    if (disp) {
        if (!cJSON_IsString(disp) ||
            (strcmp(disp->valuestring, "ethernet") && strcmp(disp->valuestring, "tensix"))) {
            ttlx_error_set(err, 0, 0,
                           "device profile: \"dispatch\" must be \"ethernet\" or \"tensix\"");
            return false;
        }
        strcpy(d.dispatch, disp->valuestring);
    }
    *out = d;
    return true;
}

bool ttlx_device_load_file(const char *path, ttlx_device_t *out, ttlx_error_t *err) {
    size_t len;
    char *text = ttlx_read_file(path, &len, err);
    if (!text) return false;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!doc) {
        int line, col;
        ttlx_position_of(text, end && end >= text ? (size_t)(end - text) : 0, &line, &col);
        ttlx_error_set(err, line, col, "malformed JSON in device profile");
        ttlx_free(text);
        return false;
    }
    ttlx_free(text);
    bool ok = ttlx_device_from_json(doc, out, err);
    cJSON_Delete(doc);
    return ok;
}

bool ttlx_device_resolve(const char *name_or_path, ttlx_device_t *out, ttlx_error_t *err) {
    const ttlx_device_t *d = ttlx_device_find(name_or_path);
    if (d) {
        *out = *d;
        return true;
    }
    size_t n = strlen(name_or_path);
    if (n > 5 && !strcasecmp(name_or_path + n - 5, ".json")) {
        ttlx_error_t e = {0};
        if (ttlx_device_load_file(name_or_path, out, &e)) return true;
        char buf[600];
        ttlx_error_set(err, 0, 0, "%s", ttlx_error_format(&e, name_or_path, buf, sizeof buf));
        return false;
    }
    const char *names[16];
    size_t k;
    char known[400] = "";
    size_t used = 0;
    for (k = 0; k < ttlx_device_builtin_count() && k < 16; k++) {
        names[k] = builtin[k].name;
        int w = snprintf(known + used, sizeof known - used, "%s, ", builtin[k].name);
        if (w > 0 && (size_t)w < sizeof known - used) used += (size_t)w;
    }
    const char *near = ttlx_near(name_or_path, names, k);
    ttlx_error_set(err, 0, 0, "unknown device '%s'%s%s%s (known: %sor a .json file)", name_or_path,
                   near ? ": did you mean '" : "", near ? near : "", near ? "'?" : "", known);
    return false;
}

cJSON *ttlx_device_to_json(const ttlx_device_t *d) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON *grid = cJSON_CreateArray();
    bool ok = cJSON_AddStringToObject(o, "name", d->name) &&
              cJSON_AddStringToObject(o, "description", d->description) && grid &&
              cJSON_AddItemToArray(grid, cJSON_CreateNumber(d->grid_x)) &&
              cJSON_AddItemToArray(grid, cJSON_CreateNumber(d->grid_y)) &&
              cJSON_AddItemToObject(o, "grid", grid);
    if (!ok) {
        if (grid && !cJSON_GetObjectItem(o, "grid")) cJSON_Delete(grid);
        cJSON_Delete(o);
        return NULL;
    }
    ok = cJSON_AddNumberToObject(o, "l1", (double)d->l1_bytes) &&
         cJSON_AddNumberToObject(o, "l1_bank", (double)d->l1_bank_bytes) &&
         cJSON_AddNumberToObject(o, "dram_banks", d->dram_banks) &&
         cJSON_AddNumberToObject(o, "dram_bank", (double)d->dram_bank_bytes) &&
         cJSON_AddNumberToObject(o, "dram_align", d->dram_align_bytes) &&
         cJSON_AddNumberToObject(o, "l1_align", d->l1_align_bytes) &&
         cJSON_AddNumberToObject(o, "max_cbs", d->max_cbs) &&
         (!d->dispatch[0] || cJSON_AddStringToObject(o, "dispatch", d->dispatch));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
