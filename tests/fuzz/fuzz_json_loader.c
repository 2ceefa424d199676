/*
 * fuzz_json_loader.c - the PrimFunc loader on arbitrary bytes named as a
 * .json file (SPEC 1.1, 1.3). What loads is also written back, inferred and
 * printed, so a module the loader accepts must survive the whole pipeline.
 * First, differentially: whatever the loader's fast JSON parser accepts,
 * cJSON must accept with the very same tree and end (abort otherwise).
 */
#include "fuzz.h"
#include "ttlx_func.h"
#include "ttlx_infer.h"
#include "ttlx_internal.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

#include <stdlib.h>
#include <string.h>

static bool same(const cJSON *a, const cJSON *b) {
    for (; a || b; a = a->next, b = b->next) {
        if (!a || !b || (a->type & 0xFF) != (b->type & 0xFF) || a->valueint != b->valueint ||
            memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) ||
            !a->valuestring != !b->valuestring || !a->string != !b->string ||
            (a->valuestring && strcmp(a->valuestring, b->valuestring)) ||
            (a->string && strcmp(a->string, b->string)) || !a->child != !b->child)
            return false;
        if (a->child) {
            const cJSON *last = a->child;
            while (last->next)
                last = last->next;
            if (a->child->prev != last || !same(a->child, b->child)) return false;
        }
    }
    return true;
}

static void differential(const char *text, size_t len) {
    const char *end1 = NULL, *end2 = NULL;
    bool declined;
    cJSON *mine = ttlx_json_parse(text, len, &end1, &declined);
    if (!mine) return;
    cJSON *ref = cJSON_ParseWithLengthOpts(text, len, &end2, false);
    if (!ref || end1 != end2 || !same(mine, ref)) abort();
    cJSON_Delete(mine);
    cJSON_Delete(ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    differential((const char *)data, size);
    ttlx_error_t err = {0};
    ttlx_module_t *mod =
        ttlx_module_load_string((const char *)data, size, "fuzz.json", NULL, 0, &err);
    if (!mod) return 0;
    cJSON *back = ttlx_module_to_json(mod);
    char *text = back ? cJSON_PrintUnformatted(back) : NULL;
    free(text);
    cJSON_Delete(back);
    for (size_t i = 0; i < ttlx_module_func_count(mod) && i < 4; i++) {
        ttlx_func_t *f = ttlx_module_func(mod, i);
        const ttlx_device_t *dev =
            ttlx_device_find(ttlx_func_device_name(f) ? ttlx_func_device_name(f) : "");
        ttlx_result_t *r = ttlx_infer(f, dev, &err);
        if (!r) continue;
        char *out = ttlx_output_json_text(r);
        ttlx_free(out);
        ttlx_result_free(r);
    }
    ttlx_module_free(mod);
    return 0;
}
