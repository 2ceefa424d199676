/*
 * cmd_infer.c - `ttlx infer [--json] [--device D] FILE`.
 */
#include "sys/arena.h"
#include "cli/cli.h"
#include "ttlx_infer.h"
#include "ttlx_output.h"

#include <string.h>

int cmd_infer(int argc, char **argv) {
    sys_open_opts_t o = {0};
    bool json = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = cli_open_opts_parse(&o, "infer", argc, argv, &i);
        if (got < 0) return SYS_EXIT_USAGE;
        if (got) continue;
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(cli_command_help("infer"), stdout);
            return SYS_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("infer", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage_error("infer", "one FILE only (got '%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (!path) return cli_usage_error("infer", "infer needs a FILE");
    /* One-shot run: an arena sized from the input makes allocation and
     * first-touch cheap. */
    sys_arena_for_file(path);
    ttlx_device_t dev;
    size_t fi;
    ttlx_module_t *mod = cli_open(path, &o, &dev, &fi);
    if (!mod) {
        sys_arena_release();
        return SYS_EXIT_USAGE;
    }
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, fi), &dev, &err);
    int status = SYS_EXIT_USAGE;
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
            status = ttlx_result_diag_counts(r, NULL, NULL, NULL) ? SYS_EXIT_ERRORS : SYS_EXIT_OK;
        if (!sys_arena_holds_all()) ttlx_result_free(r);
    }
    /* Everything in the arena goes at once: freeing the model's ~500,000
     * JSON nodes one by one would cost as much as loading them. */
    if (!sys_arena_holds_all()) ttlx_module_free(mod);
    sys_arena_release();
    return status;
}
