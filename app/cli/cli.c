/*
 * cli.c - shared command-line machinery: help texts, usage errors, the
 * options every FILE command takes, and opening a FILE with its device.
 */
#include "cli/cli.h"
#include "ttlx_load.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_text[] =
    "ttlx " TTLX_VERSION " - the Tenstorrent layout explorer\n"
    "\n"
    "Usage:\n"
    "  ttlx [--script F.lua] [--theme T] [--trust] [FILE]\n"
    "                                    open the explorer (a built-in sample without FILE)\n"
    "  ttlx infer [--json] [--device D] FILE\n"
    "                                    infer layouts; print a summary or SPEC JSON\n"
    "  ttlx render [--view V] [--buffer B] [--width W --height H] FILE\n"
    "                                    print what the explorer shows, as text\n"
    "  ttlx run SCRIPT.lua [FILE] [ARGS...]\n"
    "                                    run a Lua script headless\n"
    "  ttlx export --format FMT [-o OUT] FILE\n"
    "                                    export json, python, tvmscript, plan or svg\n"
    "  ttlx devices [--json]             list the device profiles\n"
    "  ttlx help [COMMAND]               help on a command\n"
    "\n"
    "Options: --device NAME|FILE.json, --func NAME, --bind NAME=VALUE,\n"
    "         -h/--help, --version\n"
    "FILE is PrimFunc JSON or TVMScript. Exit status: 0 no errors, 1 error\n"
    "diagnostics, 2 bad input or usage.\n";

static const struct {
    const char *cmd;
    const char *text;
} command_help[] = {
    {"infer", "Usage: ttlx infer [--json] [--device D] [--func NAME] [--bind N=V] FILE\n"
              "\n"
              "Runs InferTTLayout, PropagateTTLayout and LayoutAwareWorkPartitionTT on\n"
              "FILE (PrimFunc JSON or TVMScript) and prints, per buffer, where it lives:\n"
              "memory, layout, tiles, pages, banks or shard cores, bytes per bank/core,\n"
              "then every diagnostic with its fix.\n"
              "\n"
              "  --json          print the canonical JSON document (stable, byte-identical)\n"
              "  --device D      a built-in profile (see 'ttlx devices') or a JSON file\n"
              "  --func NAME     the function of an IRModule to infer (default: the first)\n"
              "  --bind N=V      give a symbolic TVMScript shape N the value V\n"
              "\n"
              "Exit status: 0 no error diagnostics, 1 error diagnostics, 2 bad input.\n"},
    {"devices", "Usage: ttlx devices [--json]\n"
                "\n"
                "Lists the built-in device profiles: core grid, L1 and allocatable L1 per\n"
                "core, DRAM banks and bank size, DRAM alignment, circular buffers per core.\n"
                "Any of them, or a JSON file with the same fields, goes to --device.\n"},
    {"render", "Usage: ttlx render [--view cores|tiles|projection|work|metadata] [--buffer NAME]\n"
               "                   [--width W --height H] [--color] [--ascii] [--theme NAME]\n"
               "                   [--device D] [--func NAME] FILE\n"
               "\n"
               "Prints exactly what the explorer screen would show for FILE, as plain text\n"
               "(with --color, as ANSI colours), for docs, slides and tests.\n"
               "\n"
               "  --view V        the main view (default cores)\n"
               "  --buffer NAME   the selected buffer (default the first)\n"
               "  --width W, --height H   the screen size (default 120x40)\n"
               "  --ascii         ASCII glyphs only\n"},
    {"run", "Usage: ttlx run [--trust] [--lua-budget MS] [--lua-memory MIB] [--device D]\n"
            "                SCRIPT.lua [FILE|-] [ARGS...]\n"
            "\n"
            "Runs a Lua 5.4 script headless with FILE loaded; ARGS are in `arg`. The\n"
            "script gets the `ttlx` table (func, hint, clear_hint, device, infer, load,\n"
            "save, export, on, command, bind) and runs sandboxed with an instruction\n"
            "budget (default 1000 ms of work) and a memory cap (default 256 MiB).\n"
            "--trust lifts the sandbox for your own scripts. Exit 0, or 1 with\n"
            "SCRIPT:LINE: message and a traceback on stderr. Options go before the\n"
            "script (or before `--`); FILE `-` runs with no file; --lua-budget 0 lifts\n"
            "the time limit.\n"
            "\n"
            "Shipped scripts: scripts/sweep_grids.lua, fit_l1.lua, compare_devices.lua,\n"
            "and lessons in scripts/lessons/.\n"},
    {"export", "Usage: ttlx export --format json|python|tvmscript|plan|svg [-o OUT] FILE\n"
               "\n"
               "Writes FILE with its current hints in another form.\n"},
    {"help", "Usage: ttlx help [COMMAND]\n"},
};

const char *ttlx_command_help(const char *cmd) {
    if (!cmd) return usage_text;
    for (size_t k = 0; k < sizeof command_help / sizeof command_help[0]; k++)
        if (!strcmp(command_help[k].cmd, cmd)) return command_help[k].text;
    return NULL;
}

int ttlx_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fputs("ttlx: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nTry 'ttlx help %s'.\n", cmd);
    else
        fputs("\nTry 'ttlx --help'.\n", stderr);
    return TTLX_EXIT_USAGE;
}

int cmd_help(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_text, stdout);
        return TTLX_EXIT_OK;
    }
    /* export keeps its own, longer help with the formats. */
    if (!strcmp(argv[1], "export")) return cmd_export(2, (char *[]){"export", "--help", NULL});
    const char *text = ttlx_command_help(argv[1]);
    if (!text) return ttlx_usage_error(NULL, "no help for '%s': not a command", argv[1]);
    fputs(text, stdout);
    return TTLX_EXIT_OK;
}

static bool parse_binding(const char *s, ttlx_binding_t *b) {
    const char *eq = strchr(s, '=');
    if (!eq || eq == s || !eq[1]) return false;
    errno = 0;
    char *end;
    long long v = strtoll(eq + 1, &end, 10);
    if (errno || *end || v <= 0) return false;
    static char names[32][64];
    static size_t used;
    size_t n = (size_t)(eq - s);
    if (n >= sizeof names[0] || used >= 32) return false;
    memcpy(names[used], s, n);
    names[used][n] = '\0';
    b->name = names[used++];
    b->value = v;
    return true;
}

int ttlx_open_opts_parse(ttlx_open_opts_t *o, const char *cmd, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    const char **slot = NULL;
    if (!strcmp(a, "--device") || !strcmp(a, "-d"))
        slot = &o->device;
    else if (!strcmp(a, "--func"))
        slot = &o->func;
    else if (strcmp(a, "--bind"))
        return 0;
    if (*i + 1 >= argc) {
        ttlx_usage_error(cmd, "%s needs a value", a);
        return -1;
    }
    const char *v = argv[++*i];
    if (slot) {
        *slot = v;
        return 1;
    }
    if (o->nbinds >= sizeof o->binds / sizeof o->binds[0] ||
        !parse_binding(v, &o->binds[o->nbinds])) {
        ttlx_usage_error(cmd, "--bind takes NAME=VALUE with a positive integer VALUE, not '%s'", v);
        return -1;
    }
    o->nbinds++;
    return 1;
}

ttlx_module_t *ttlx_open(const char *path, const ttlx_open_opts_t *o, ttlx_device_t *dev,
                         size_t *func_index) {
    ttlx_error_t err = {0};
    char msg[1024];
    ttlx_module_t *mod = ttlx_module_load_file(path, o->binds, o->nbinds, &err);
    if (!mod) {
        fprintf(stderr, "ttlx: %s\n", ttlx_error_format(&err, path, msg, sizeof msg));
        return NULL;
    }
    size_t fi = 0;
    if (o->func) {
        size_t n = ttlx_module_func_count(mod);
        for (fi = 0; fi < n; fi++)
            if (!strcmp(ttlx_func_name(ttlx_module_func(mod, fi)), o->func)) break;
        if (fi == n) {
            fprintf(stderr, "ttlx: %s: no function named '%s' (it has:", path, o->func);
            for (size_t k = 0; k < n; k++)
                fprintf(stderr, " %s", ttlx_func_name(ttlx_module_func(mod, k)));
            fputs(")\n", stderr);
            ttlx_module_free(mod);
            return NULL;
        }
    }
    const char *dname = o->device ? o->device : ttlx_func_device_name(ttlx_module_func(mod, fi));
    if (!dname) {
        *dev = *ttlx_device_default();
    } else if (!ttlx_device_resolve(dname, dev, &err)) {
        /* From --device the message stands alone; from the file it names it. */
        if (o->device)
            fprintf(stderr, "ttlx: %s\n", err.what);
        else
            fprintf(stderr, "ttlx: %s\n", ttlx_error_format(&err, path, msg, sizeof msg));
        ttlx_module_free(mod);
        return NULL;
    }
    if (func_index) *func_index = fi;
    return mod;
}
