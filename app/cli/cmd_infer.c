/*
 * cmd_infer.c - `ttlx infer [--json] [--device D] [--fix [-o OUT]] FILE`.
 */
#include "sys/arena.h"
#include "sys/file.h"
#include "sys/say.h"
#include "cli/cli.h"
#include "export/export.h"
#include "ttlx_fix.h"
#include "ttlx_infer.h"
#include "ttlx_output.h"

#include <string.h>

#define FIX_ROUNDS 16

/* --fix: applies the fix_hints of the error diagnostics in rounds until a
 * round changes nothing, printing each change; saves the module. Returns
 * false (message printed) when saving fails. */
static bool apply_fixes(ttlx_module_t *mod, size_t fi, const ttlx_device_t *dev, const char *path,
                        const char *out, const sys_file_id_t *id) {
    ttlx_func_t *f = ttlx_module_func(mod, fi);
    size_t changes = 0;
    for (int round = 0; round < FIX_ROUNDS; round++) {
        ttlx_error_t err = {0};
        ttlx_result_t *r = ttlx_infer(f, dev, &err);
        if (!r) break;
        /* One fix per buffer a round: the first error that has one. */
        cJSON *todo = cJSON_CreateObject();
        cJSON *why = cJSON_CreateObject();
        for (size_t i = 0; todo && why && i < ttlx_result_diag_count(r); i++) {
            const ttlx_diag_t *d = ttlx_result_diag(r, i);
            if (d->severity != TTLX_SEV_ERROR || !d->fix_hints) continue;
            bool clash = false;
            for (const cJSON *h = d->fix_hints->child; h; h = h->next)
                clash = clash || cJSON_GetObjectItemCaseSensitive(todo, h->string);
            if (clash) continue;
            for (const cJSON *h = d->fix_hints->child; h; h = h->next) {
                cJSON_AddItemToObject(todo, h->string, cJSON_Duplicate(h, true));
                cJSON_AddStringToObject(why, h->string, d->code);
            }
        }
        size_t n = 0;
        for (const cJSON *h = todo ? todo->child : NULL; h; h = h->next) {
            char text[600];
            ttlx_fix_describe_change(f, h->string, h, text, sizeof text);
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(why, h->string);
            sys_printf_safe(stdout, "%s: %s (%s)", h->string, text,
                            cJSON_IsString(c) ? c->valuestring : "?");
            putchar('\n');
            ttlx_func_set_hint(f, h->string, cJSON_Duplicate(h, true));
            n++;
        }
        cJSON_Delete(todo);
        cJSON_Delete(why);
        ttlx_result_free(r);
        changes += n;
        if (!n) break;
    }
    if (!changes) printf("no fixable error\n");
    printf("\n");
    ttlx_error_t err = {0};
    if ((changes || out) && !export_save(mod, path, out, id, &err)) {
        sys_error("%s", err.what);
        return false;
    }
    return true;
}

int cmd_infer(int argc, char **argv) {
    sys_open_opts_t o = {0};
    bool json = false, fix = false;
    const char *path = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = cli_open_opts_parse(&o, "infer", argc, argv, &i);
        if (got < 0) return SYS_EXIT_USAGE;
        if (got) continue;
        if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--fix")) {
            fix = true;
        } else if (!strcmp(a, "-o")) {
            if (i + 1 >= argc) return cli_usage_error("infer", "-o needs a file name");
            out = argv[++i];
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
    if (out && !fix) return cli_usage_error("infer", "-o OUT goes with --fix");
    /* One-shot run: an arena sized from the input makes allocation and
     * first-touch cheap. */
    sys_arena_for_file(path);
    /* --fix saves over FILE: refused if FILE changes while we work */
    sys_file_id_t id;
    bool have_id = fix && sys_file_identity(path, &id, NULL);
    ttlx_device_t dev;
    size_t fi;
    ttlx_module_t *mod = cli_open(path, &o, &dev, &fi);
    if (!mod) {
        sys_arena_release();
        return SYS_EXIT_USAGE;
    }
    if (fix && !apply_fixes(mod, fi, &dev, path, out, have_id ? &id : NULL)) {
        if (!sys_arena_holds_all()) ttlx_module_free(mod);
        sys_arena_release();
        return SYS_EXIT_USAGE;
    }
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(ttlx_module_func(mod, fi), &dev, &err);
    int status = SYS_EXIT_USAGE;
    if (!r) {
        sys_error("%s: %s", path, err.what);
    } else {
        bool ok;
        if (json) {
            ok = ttlx_output_json_write(r, stdout);
        } else {
            ok = ttlx_output_summary(r, stdout);
        }
        if (!ok || fflush(stdout) != 0)
            sys_error("%s: could not write the output", path);
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
