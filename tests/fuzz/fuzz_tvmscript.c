/*
 * fuzz_tvmscript.c - the TVMScript importer (SPEC 1.2) on arbitrary bytes:
 * ttlx_tvmscript_to_json, the attribute sites the exporter edits, and, for
 * what imports, the loader and the inference on the result.
 */
#include "fuzz.h"
#include "ttlx_func.h"
#include "ttlx_infer.h"
#include "ttlx_load.h"
#include "ttlx_output.h"
#include "ttlx_tvmscript.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    const ttlx_binding_t binds[] = {{"N", 256}, {"M", 128}, {"K", 7}};
    ttlx_error_t err = {0};
    cJSON *doc = ttlx_tvmscript_to_json(text, size, binds, 3, &err);
    ttlx_tvmscript_site_t *sites = NULL;
    size_t nsites = 0;
    if (ttlx_tvmscript_sites(text, size, binds, 3, &sites, &nsites, &err)) ttlx_free(sites);
    if (!doc) return 0;
    char *json = cJSON_PrintUnformatted(doc);
    free(json);
    ttlx_module_t *mod = ttlx_module_from_json(doc, &err); /* takes doc */
    if (!mod) return 0;
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, 0), NULL, &err);
    if (r) {
        char *out = ttlx_output_json_text(r);
        ttlx_free(out);
        ttlx_result_free(r);
    }
    ttlx_module_free(mod);
    return 0;
}
