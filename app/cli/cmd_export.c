/*
 * cmd_export.c - `ttlx export --format FMT [-o OUT] FILE`: FILE with its
 * current hints as PrimFunc JSON, an annotate_tt_layout(...) call, TVMScript,
 * a tt.plan.json runtime plan, an SVG picture or TTNN MemoryConfigs
 * (app/export/).
 */
#include "sys/arena.h"
#include "cli/cli.h"
#include "export/export.h"
#include "sys/file.h"
#include "sys/say.h"

#include <string.h>

/* The help, around the format table's own lines (export.c). */
static void print_help(void) {
    fputs("Usage: ttlx export --format FMT [-o OUT] [--device D] [--func NAME] [--bind N=V] FILE\n"
          "\n"
          "Writes FILE (PrimFunc JSON or TVMScript) with its current hints as FMT:\n",
          stdout);
    export_formats_help(stdout);
    fputs("\n"
          "  -f, --format FMT   the format (required)\n"
          "  -o, --output OUT   write OUT atomically (temporary file, fsync, rename; the\n"
          "                     original is untouched on failure); default: stdout\n"
          "  --device, --func, --bind   as for `ttlx infer`\n"
          "\n"
          "Exit status: 0 written, 2 bad input, usage or write failure.\n",
          stdout);
}

int cmd_export(int argc, char **argv) {
    sys_open_opts_t o = {0};
    const char *path = NULL, *out = NULL, *fmt_name = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = cli_open_opts_parse(&o, "export", argc, argv, &i);
        if (got < 0) return SYS_EXIT_USAGE;
        if (got) continue;
        if (!strcmp(a, "-f") || !strcmp(a, "--format") || !strcmp(a, "-o") ||
            !strcmp(a, "--output")) {
            if (i + 1 >= argc) return cli_usage_error("export", "%s needs a value", a);
            if (a[1] == 'f' || a[2] == 'f')
                fmt_name = argv[++i];
            else
                out = argv[++i];
        } else if (!strncmp(a, "--format=", 9)) {
            fmt_name = a + 9;
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_help();
            return SYS_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("export", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage_error("export", "one FILE only (got '%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (!fmt_name)
        return cli_usage_error("export",
                               "export needs --format json|python|tvmscript|plan|svg|ttnn");
    export_format_t fmt;
    if (!export_format_parse(fmt_name, &fmt))
        return cli_usage_error("export", "unknown format '%s' (%s)", fmt_name,
                               export_format_names(", "));
    if (!path) return cli_usage_error("export", "export needs a FILE");
    ttlx_device_t dev;
    size_t fi;
    /* Taken before loading: `-o FILE` onto the input itself must not
     * overwrite a change made on disk while this run read it. */
    sys_file_id_t id;
    (void)sys_file_identity(path, &id, NULL);
    sys_arena_for_file(path); /* a one-shot run, as `ttlx infer` */
    ttlx_module_t *mod = cli_open(path, &o, &dev, &fi);
    if (!mod) {
        sys_arena_release();
        return SYS_EXIT_USAGE;
    }
    ttlx_error_t err = {0};
    bool ok = export_to_file_expect(mod, fi, &dev, fmt, path, &id, out, &err);
    if (!sys_arena_holds_all()) ttlx_module_free(mod);
    sys_arena_release();
    if (!ok) {
        char msg[1024];
        sys_error("%s", ttlx_error_format(&err, err.line ? path : NULL, msg, sizeof msg));
        return SYS_EXIT_USAGE;
    }
    return SYS_EXIT_OK;
}
