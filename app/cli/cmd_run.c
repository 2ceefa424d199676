/*
 * cmd_run.c - `ttlx run [--trust] [--lua-budget MS] [--lua-memory MIB]
 * SCRIPT.lua [FILE] [ARGS...]`: runs a Lua script headless with FILE loaded.
 *
 * Options (these, --device, --func and --bind) are recognised anywhere
 * before a `--`; the first other word is SCRIPT, the next FILE ("-" for
 * none), the rest go to the script in `arg` (arg[0] is SCRIPT).
 * Exit 0 when the script ends, 1 when it fails (SCRIPT:LINE: message and a
 * traceback on stderr), 2 on bad usage or a FILE that does not load.
 */
#include "cli/cli.h"
#include "lua/lua_api.h"
#include "sys/file.h"
#include "sys/say.h"
#include "ui/view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_long(const char *s, long max, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > max) return false;
    *out = v;
    return true;
}

int cmd_run(int argc, char **argv) {
    sys_open_opts_t oo = {0};
    lua_engine_opts_t lo = {0};
    const char *script = NULL, *file = NULL;
    bool have_file = false, dashdash = false;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest) {
        sys_error("out of memory");
        return SYS_EXIT_USAGE;
    }
    int status = SYS_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!dashdash) {
            if (!strcmp(a, "--")) {
                dashdash = true;
                continue;
            }
            if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                fputs(cli_command_help("run"), stdout);
                status = SYS_EXIT_OK;
                goto out;
            }
            if (!strcmp(a, "--trust")) {
                lo.trust = true;
                continue;
            }
            if (!strcmp(a, "--lua-budget") || !strcmp(a, "--lua-memory")) {
                long v;
                bool budget = !strcmp(a, "--lua-budget");
                if (i + 1 >= argc) {
                    cli_usage_error("run", "%s needs a value", a);
                    goto out;
                }
                if (!parse_long(argv[++i], budget ? 86400000L : 1048576L, &v) ||
                    (!budget && v == 0)) {
                    cli_usage_error("run", "%s takes %s, not '%s'", a,
                                    budget ? "milliseconds (0 for no limit)"
                                           : "a positive number of MiB",
                                    argv[i]);
                    goto out;
                }
                if (budget)
                    lo.budget_ms = v == 0 ? -1 : v;
                else
                    lo.memory_cap_bytes = (size_t)v << 20;
                continue;
            }
            int r = cli_open_opts_parse(&oo, "run", argc, argv, &i);
            if (r < 0) goto out;
            if (r > 0) continue;
            if (!script && a[0] == '-' && a[1]) {
                cli_usage_error("run", "unknown option '%s'", a);
                goto out;
            }
        }
        if (!script)
            script = a;
        else if (!have_file) {
            have_file = true;
            file = strcmp(a, "-") ? a : NULL;
        } else
            rest[nrest++] = argv[i];
    }
    if (!script) {
        cli_usage_error("run", "which script? ttlx run SCRIPT.lua [FILE] [ARGS...]");
        goto out;
    }
    ttlx_error_t why = {0};
    if (!sys_file_check(script, &why)) { /* a FIFO would block */
        sys_error("%s", why.what);
        goto out;
    }

    ttlx_module_t *mod = NULL;
    ttlx_device_t dev = *ttlx_device_default();
    size_t fi = 0;
    sys_file_id_t id;
    bool have_id = false;
    if (file) {
        have_id = sys_file_identity(file, &id, NULL);
        mod = cli_open(file, &oo, &dev, &fi);
        if (!mod) goto out;
    } else if (oo.device) {
        ttlx_error_t err = {0};
        char msg[600];
        if (!ttlx_device_resolve(oo.device, &dev, &err)) {
            sys_error("%s", ttlx_error_format(&err, NULL, msg, sizeof msg));
            goto out;
        }
    }
    /* no views headless, but ttlx.view checks names against the same table */
    lo.view_names = ui_view_names(&lo.nview_names);
    lua_engine_t *eng = lua_engine_new(&lo);
    if (!eng) {
        ttlx_module_free(mod);
        fputs("ttlx: cannot start Lua: out of memory\n", stderr);
        goto out;
    }
    /* the paths of the command line: the script may use them */
    lua_engine_allow_path(eng, file);
    lua_engine_allow_path(eng, oo.device);
    for (int i = 0; i < nrest; i++)
        lua_engine_allow_path(eng, rest[i]);
    lua_engine_set_module(eng, mod, fi, &dev, file);
    lua_engine_set_source_id(eng, have_id ? &id : NULL);
    lua_engine_set_args(eng, script, nrest, rest);
    lua_engine_status_t st = lua_engine_run_file(eng, script);
    fflush(stdout);
    if (st != LUA_ENGINE_OK) {
        const char *msg = lua_engine_error(eng);
        sys_put_safe(stderr, msg, true); /* the traceback's lines stay lines */
        fputc('\n', stderr);
        const char *line = lua_engine_error_line(eng);
        if (strstr(line, "script exceeded its instruction budget"))
            fputs("ttlx: give it more time with --lua-budget MS (0: no limit)\n", stderr);
        else if (strstr(line, "script exceeded its memory cap"))
            fputs("ttlx: give it more memory with --lua-memory MIB\n", stderr);
        status = SYS_EXIT_ERRORS;
    } else {
        status = SYS_EXIT_OK;
    }
    lua_engine_free(eng);
out:
    free(rest);
    return status;
}
