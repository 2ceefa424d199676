/*
 * cmd_infer.c - `ttlx infer [--json] [--device D] FILE`.
 */
#include "sys/arena.h"
#include "cli/cli.h"
#include "ttlx_infer.h"
#include "ttlx_output.h"

#include <string.h>

int cmd_infer(int argc, char **argv) {
    ttlx_open_opts_t o = {0};
    bool json = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = ttlx_open_opts_parse(&o, "infer", argc, argv, &i);
        if (got < 0) return TTLX_EXIT_USAGE;
        if (got) continue;
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(ttlx_command_help("infer"), stdout);
            return TTLX_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            return ttlx_usage_error("infer", "unknown option '%s'", a);
        } else if (path) {
            return ttlx_usage_error("infer", "one FILE only (got '%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (!path) return ttlx_usage_error("infer", "infer needs a FILE");
    /* One-shot run: an arena sized from the input makes allocation and
     * first-touch cheap. */
    ttlx_arena_for_file(path);
    ttlx_device_t dev;
    size_t fi;
    ttlx_module_t *mod = ttlx_open(path, &o, &dev, &fi);
    if (!mod) {
        ttlx_arena_release();
        return TTLX_EXIT_USAGE;
    }
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, fi), &dev, &err);
    int status = TTLX_EXIT_USAGE;
    if (!r) {
        fprintf(stderr, "ttlx: %s: %s\n", path, err.what);
    } else {
        bool ok;
        if (json) {
            ok = ttlx_output_json_write(r, stdout);
        } else {
            ok = ttlx_output_summary(r, stdout);
        }
        if (!ok || fflush(stdout) != 0)
            fprintf(stderr, "ttlx: %s: could not write the output\n", path);
        else
            status = ttlx_result_diag_counts(r, NULL, NULL, NULL) ? TTLX_EXIT_ERRORS : TTLX_EXIT_OK;
        if (!ttlx_arena_holds_all()) ttlx_result_free(r);
    }
    /* Everything in the arena goes at once: freeing the model's ~500,000
     * JSON nodes one by one would cost as much as loading them. */
    if (!ttlx_arena_holds_all()) ttlx_module_free(mod);
    ttlx_arena_release();
    return status;
}
