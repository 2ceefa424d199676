/*
 * ttlx_device.h - Tenstorrent device profiles (SPEC 5): the built-in table
 * and profiles read from JSON files with the same fields.
 */
#ifndef TTLX_DEVICE_H
#define TTLX_DEVICE_H

#include "ttlx_base.h"
#include <cjson/cJSON.h>

/* A device profile: plain data, copied freely. */
typedef struct ttlx_device {
    char name[64];
    char description[128];
    int grid_x;            /* compute-core columns */
    int grid_y;            /* compute-core rows */
    int64_t l1_bytes;      /* total L1 per core */
    int64_t l1_bank_bytes; /* allocatable L1 per core */
    int dram_banks;
    int64_t dram_bank_bytes; /* allocatable bytes per DRAM bank */
    int dram_align_bytes;    /* DRAM page alignment */
    int l1_align_bytes;      /* L1 page alignment (16) */
    int max_cbs;             /* circular buffers per core */
    char dispatch[16];       /* where tt-metal's dispatch cores run, which sets the
                                compute grid: "ethernet", "tensix", or "" (unknown) */
} ttlx_device_t;

size_t ttlx_device_builtin_count(void);
/* The i-th built-in profile (static storage), NULL past the end. */
const ttlx_device_t *ttlx_device_builtin(size_t i);
/* The default profile (wormhole_n150). */
const ttlx_device_t *ttlx_device_default(void);
/* A built-in profile by name (case-insensitive), NULL when unknown. */
const ttlx_device_t *ttlx_device_find(const char *name);

/* Reads a profile from a JSON object with the fields of ttlx_device_t
 * ("name", "grid": [x, y], "l1", "l1_bank", "dram_banks", "dram_bank",
 * "dram_align", "l1_align" (optional, 16), "max_cbs", "dispatch" (optional:
 * "ethernet" or "tensix")). Returns false and
 * fills err on a missing or bad field. */
bool ttlx_device_from_json(const cJSON *obj, ttlx_device_t *out, ttlx_error_t *err);
/* Reads a profile file; err has FILE-relative positions. */
bool ttlx_device_load_file(const char *path, ttlx_device_t *out, ttlx_error_t *err);
/* Resolves "--device D": a built-in name, else a JSON file path. */
bool ttlx_device_resolve(const char *name_or_path, ttlx_device_t *out, ttlx_error_t *err);
/* A new JSON object describing dev (caller owns, cJSON_Delete). */
cJSON *ttlx_device_to_json(const ttlx_device_t *dev);

#endif
