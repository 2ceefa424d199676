/*
 * fuzz_json_loader.c - the PrimFunc loader on arbitrary bytes named as a
 * .json file (SPEC 1.1, 1.3). What loads is also written back, inferred and
 * printed, so a module the loader accepts must survive the whole pipeline.
 */
#include "fuzz.h"
#include "ttlx_func.h"
#include "ttlx_infer.h"
#include "ttlx_output.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
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
        const ttlx_device_t *dev = ttlx_device_find(ttlx_func_device_name(f) ? ttlx_func_device_name(f) : "");
        ttlx_result_t *r = ttlx_infer(f, dev, &err);
        if (!r) continue;
        char *out = ttlx_output_json_text(r);
        ttlx_free(out);
        ttlx_result_free(r);
    }
    ttlx_module_free(mod);
    return 0;
}
