/*
 * fuzz_infer.c - the hint validator and the passes (SPEC 2-4, 6). A fixed
 * PrimFunc (2-D, 4-D, 1-D and odd-shaped buffers) gets fuzzer-built hints:
 * input starting with '{' is taken as the tt.user_layout JSON text, any
 * other input drives a builder that picks known keys and edge values.
 * Then inference, the canonical JSON, the summary, and every placement
 * query over a few tiles, cores and DRAM banks.
 */
#include "fuzz.h"
#include "ttlx_func.h"
#include "ttlx_hint.h"
#include "ttlx_infer.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

#include <stdio.h>
#include <string.h>

static const char primfunc[] =
    "{\"name\": \"f\", \"kernel\": [8, 8], \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [2, 8, 100, 72], \"dtype\": \"bfloat8_b\"},"
    "{\"name\": \"C\", \"shape\": [1000], \"dtype\": \"float32\", \"role\": \"output\"},"
    "{\"name\": \"D\", \"shape\": [33, 4097], \"dtype\": \"int8\", \"role\": \"weight\"}]}";
static const char *const bufs[] = {"A", "B", "C", "D", "Z"};

/* Input bytes, consumed from the front; zero when exhausted. */
typedef struct {
    const uint8_t *p;
    size_t n;
} in_t;

static unsigned take(in_t *in) {
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

static cJSON *number(in_t *in) {
    static const double edge[] = {0,
                                  1,
                                  -1,
                                  2,
                                  3,
                                  4,
                                  8,
                                  16,
                                  31,
                                  32,
                                  33,
                                  64,
                                  100,
                                  128,
                                  256,
                                  1e9,
                                  4294967296.0,
                                  9007199254740991.0,
                                  9007199254740992.0,
                                  1e300,
                                  -1e300,
                                  0.5,
                                  2147483648.0};
    unsigned c = take(in);
    if (c < 128) return cJSON_CreateNumber(c & 63);
    return cJSON_CreateNumber(edge[c % (sizeof edge / sizeof edge[0])]);
}

static cJSON *value(in_t *in, int depth);

static cJSON *array_of(in_t *in, int depth, int kind) {
    static const char *const labels[] = {"M", "N", "B", "H", "K", "", "m", "MN"};
    cJSON *a = cJSON_CreateArray();
    unsigned len = take(in) % 6;
    for (unsigned k = 0; k < len; k++) {
        cJSON *v = kind == 0   ? number(in)
                   : kind == 1 ? cJSON_CreateString(labels[take(in) % 8])
                               : value(in, depth + 1);
        cJSON_AddItemToArray(a, v);
    }
    return a;
}

/* A string to try: i-th of the schema's names (ttlx_hint.h) and near misses. */
static const char *pick_str(unsigned i) {
    const char *const *mem = ttlx_memory_names(), *const *lay = ttlx_layout_kind_names();
    const char *const *ord = ttlx_hint_key(TTLX_HK_ORDER)->values; /* block_linear(2) */
    const char *const *dist = ttlx_dist_names(), *const *dt = ttlx_hint_key(TTLX_HK_DTYPE)->values;
    const char *const strs[] = {mem[1],
                                mem[0],
                                "l1",
                                lay[1],
                                lay[0],
                                "dram_interleaved",
                                ord[0],
                                ord[1],
                                ord[2],
                                ord[3],
                                "block_linear(0)",
                                "block_linear(99999999999)",
                                dist[0],
                                dist[1],
                                dt[0],
                                dt[9],
                                "fp32",
                                dt[7],
                                "",
                                "x"};
    return strs[i % (sizeof strs / sizeof strs[0])];
}

static cJSON *value(in_t *in, int depth) {
    unsigned c = take(in) % 9;
    if (depth > 3) c %= 4;
    switch (c) {
    case 0:
        return number(in);
    case 1:
        return cJSON_CreateString(pick_str(take(in)));
    case 2:
        return cJSON_CreateBool(take(in) & 1);
    case 3:
        return cJSON_CreateNull();
    case 4:
        return array_of(in, depth, 0);
    case 5:
        return array_of(in, depth, 1);
    case 6:
        return array_of(in, depth, 2);
    default: {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "x", value(in, depth + 1));
        return o;
    }
    }
}

static cJSON *nd_shard(in_t *in) {
    /* the schema's nd_shard keys from axes to align_tiles, then an unknown one */
    cJSON *o = cJSON_CreateObject();
    unsigned mask = take(in) | (take(in) << 8);
    for (int k = 0; k < 7; k++) {
        if (!(mask & (1u << k))) continue;
        cJSON *v;
        unsigned how = (mask >> 8) & 1 ? take(in) % 4 : 0;
        if (how == 0 && k == 0)
            v = array_of(in, 1, 1);
        else if (how == 0 && (k == 1 || k == 2))
            v = array_of(in, 1, 0);
        else
            v = value(in, 1);
        cJSON_AddItemToObject(o, k < 6 ? ttlx_hint_key(TTLX_HK_AXES + (size_t)k)->leaf : "extra",
                              v);
    }
    return o;
}

static cJSON *hint(in_t *in) {
    /* the schema's top-level keys from memory to halo, then a misspelling */
    cJSON *o = cJSON_CreateObject();
    unsigned mask = take(in);
    for (int k = 0; k < 8; k++) {
        if (!(mask & (1u << k))) continue;
        cJSON *v = k == TTLX_HK_ND_SHARD && (take(in) & 3) ? nd_shard(in) : value(in, 0);
        cJSON_AddItemToObject(o, k < 7 ? ttlx_hint_key((size_t)k)->leaf : "memroy", v);
    }
    return o;
}

static cJSON *build_hints(in_t *in) {
    cJSON *all = cJSON_CreateObject();
    unsigned n = take(in) % 6;
    for (unsigned k = 0; k < n; k++) {
        const char *b = bufs[take(in) % 5];
        cJSON_DeleteItemFromObject(all, b);
        cJSON_AddItemToObject(all, b, (take(in) & 15) ? hint(in) : value(in, 0));
    }
    return all;
}

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    return 0;
}

static void queries(const ttlx_result_t *r, in_t *in) {
    const ttlx_device_t *dev = ttlx_result_device(r);
    int gx = dev->grid_x, gy = dev->grid_y;
    for (size_t i = 0; i < ttlx_result_buffer_count(r); i++) {
        const ttlx_layout_t *L = ttlx_result_layout(r, i);
        int64_t rows = L->view_rows, cols = L->view_cols;
        int64_t pick_r = rows > 0 ? (int64_t)(take(in) | take(in) << 8) % rows : 0;
        int64_t pick_c = cols > 0 ? (int64_t)(take(in) | take(in) << 8) % cols : 0;
        const int64_t tiles[][2] = {{0, 0},        {rows - 1, cols - 1}, {rows - 1, 0},
                                    {0, cols - 1}, {pick_r, pick_c},     {-1, 0},
                                    {0, -1},       {rows, cols},         {INT64_MAX, INT64_MIN}};
        for (size_t t = 0; t < sizeof tiles / sizeof tiles[0]; t++) {
            ttlx_place_t p;
            ttlx_place_tile(r, i, tiles[t][0], tiles[t][1], &p);
        }
        const int cores[][2] = {{0, 0},
                                {gx - 1, gy - 1},
                                {(int)take(in) % (gx + 2) - 1, (int)take(in) % (gy + 2) - 1},
                                {gx, gy},
                                {-1, -1}};
        for (size_t c = 0; c < sizeof cores / sizeof cores[0]; c++) {
            int64_t shards[8];
            ttlx_place_count_on(r, i, cores[c][0], cores[c][1]);
            ttlx_place_shards_on(r, i, cores[c][0], cores[c][1], shards, 8);
            ttlx_result_buffer_bytes_on(r, i, cores[c][0], cores[c][1]);
            ttlx_result_core_used(r, cores[c][0], cores[c][1]);
            ttlx_result_core_cb_bytes(r, cores[c][0], cores[c][1]);
            ttlx_result_core_in_partition(r, cores[c][0], cores[c][1]);
        }
        for (int b = -1; b <= dev->dram_banks; b += 1 + dev->dram_banks / 2) {
            ttlx_place_count_on(r, i, b, -1);
            ttlx_result_buffer_bytes_on(r, i, b, -1);
        }
    }
    int wx, wy;
    ttlx_result_max_used(r, &wx, &wy);
    for (size_t d = 0; d < ttlx_result_diag_count(r); d++) {
        const ttlx_diag_t *dg = ttlx_result_diag(r, d);
        if (strlen(dg->message) == 0) __builtin_trap(); /* every diagnostic says something */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod =
        ttlx_module_load_string(primfunc, sizeof primfunc - 1, "f.json", NULL, 0, &err);
    if (!mod) __builtin_trap();
    ttlx_func_t *f = ttlx_module_func(mod, 0);
    in_t in = {data, size};
    cJSON *hints = NULL;
    if (size && data[0] == '{')
        hints = cJSON_ParseWithLength((const char *)data, size);
    else
        hints = build_hints(&in);
    const ttlx_device_t *dev = ttlx_device_builtin(take(&in) % ttlx_device_builtin_count());
    if (hints) ttlx_func_set_hints(f, hints); /* ownership moves in */
    ttlx_result_t *r = ttlx_infer(f, dev, &err);
    if (r) {
        char *text = ttlx_output_json_text(r);
        ttlx_free(text);
        if (devnull) ttlx_output_summary(r, devnull);
        queries(r, &in);
        ttlx_result_free(r);
    }
    ttlx_module_free(mod);
    return 0;
}
