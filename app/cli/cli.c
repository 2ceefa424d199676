/*
 * cli.c - the command table and the machinery every command shares: the
 * overview and per-command help, usage errors, the options every FILE
 * command takes, and opening a FILE with its device (through sys/open.h).
 */
#include "cli/cli.h"
#include "sys/say.h"
#include "ttlx_near.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The column the overview's one-line summaries start at. */
#define OVERVIEW_COLUMN 36

static const char infer_help[] =
    "Usage: ttlx infer [--json] [--device D] [--func NAME] [--bind N=V]\n"
    "                  [--fix [-o OUT]] FILE\n"
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
    "  --fix           apply the fixes of the errors (their fix_hints) in rounds\n"
    "                  until none is fixable, print each change, then the result;\n"
    "                  saves the hints back into FILE (JSON: only the changed\n"
    "                  values; TVMScript: the T.func_attr), or into OUT with -o\n"
    "\n"
    "Exit status: 0 no error diagnostics, 1 error diagnostics, 2 bad input.\n";

static const char devices_help[] =
    "Usage: ttlx devices [--json]\n"
    "\n"
    "Lists the built-in device profiles: core grid, where dispatch runs\n"
    "(ethernet or tensix, which sets the grid), L1 and allocatable L1 per core,\n"
    "DRAM banks and bank size (as tt-metal's allocator reports them), DRAM\n"
    "alignment, circular buffers per core. Any of them, or a JSON file with the\n"
    "same fields, goes to --device.\n";

static const char render_help[] =
    "Usage: ttlx render [--view cores|tiles|projection|work|metadata|solve] [--buffer NAME]\n"
    "                   [--width W --height H] [--color] [--ascii] [--theme NAME]\n"
    "                   [--device D] [--func NAME] FILE\n"
    "\n"
    "Prints exactly what the explorer screen would show for FILE, as plain text\n"
    "(with --color, as ANSI colours), for docs, slides and tests.\n"
    "\n"
    "  --view V        the main view (default cores)\n"
    "  --buffer NAME   the selected buffer (default the first)\n"
    "  --width W, --height H   the screen size (default 120x40)\n"
    "  --color         ANSI colours and attributes (NO_COLOR=1: attributes only)\n"
    "  --theme NAME    the theme --color uses (default: default); a theme sets\n"
    "                  colours only, so without --color it has no effect\n"
    "  --ascii         ASCII glyphs only\n";

static const char run_help[] =
    "Usage: ttlx run [--trust] [--lua-budget MS] [--lua-memory MIB] [--device D]\n"
    "                SCRIPT.lua [FILE|-] [ARGS...]\n"
    "\n"
    "Runs a Lua 5.4 script headless with FILE loaded; ARGS are in `arg`. The\n"
    "script gets the `ttlx` table (func, hint, clear_hint, device, infer, solve,\n"
    "load, save, export, on, command, bind) and runs sandboxed with an\n"
    "instruction budget (default 1000 ms of work) and a memory cap (default\n"
    "256 MiB; what ttlx builds for the script counts too). Sandboxed scripts\n"
    "open only FILE, the paths in ARGS and --device, and paths under the\n"
    "script's folder and the current folder.\n"
    "--trust lifts the sandbox for your own scripts. Exit 0, or 1 with\n"
    "SCRIPT:LINE: message and a traceback on stderr. Options go before the\n"
    "script (or before `--`); FILE `-` runs with no file; --lua-budget 0 lifts\n"
    "the time limit.\n"
    "\n"
    "Shipped scripts: scripts/sweep_grids.lua, fit_l1.lua, compare_devices.lua,\n"
    "and lessons in scripts/lessons/.\n";

static const char solve_help[] =
    "Usage: ttlx solve [--objective l1|cores|headroom] [--top K] [--keep BUF,...]\n"
    "                  [--reserve N|PCT%] [--json] [--apply [-o OUT]]\n"
    "                  [--device D] [--func NAME] [--bind N=V] FILE\n"
    "\n"
    "Searches every free buffer's legal layouts (DRAM/L1 interleaved, L1\n"
    "height/width/block shards, round_robin_1d, DRAM shards) for the\n"
    "combinations with no error diagnostic, ranks them, re-checks each with a\n"
    "real inference and prints the best K with what each changes per buffer.\n"
    "\n"
    "  --objective O   l1 (default): most L1-resident bytes, then most work\n"
    "                  cores, fewest reshards, least padding, most free L1;\n"
    "                  cores: most work cores first; headroom: most free L1\n"
    "  --top K         how many alternatives (1 to 1000, default 5)\n"
    "  --keep B,...    pin these buffers: their hints stay as they are\n"
    "  --reserve N     keep N bytes (or N% of the L1 bank) free on every core\n"
    "  --json          print the SPEC 9 JSON document\n"
    "  --apply         write rank 1's hints into FILE (or OUT with -o), by the\n"
    "                  save rule: a JSON file keeps its formatting elsewhere;\n"
    "                  only an error-free rank 1 is applied\n"
    "\n"
    "Exit status: 0 an error-free alternative exists, 1 none does (the best\n"
    "effort is printed, nothing is applied), 2 bad input or usage.\n";

static const char help_help[] = "Usage: ttlx help [COMMAND]\n";

/* One row per command: it drives dispatch, the overview (`ttlx --help`)
 * and `ttlx help COMMAND`. The row without a name is what runs when the
 * first argument is not a command: the explorer. help NULL: the command
 * prints its own help when run with --help. */
typedef struct ttlx_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;   /* the overview's usage line */
    const char *summary; /* the overview's one-line summary */
    const char *help;
} ttlx_command_t;

static const ttlx_command_t commands[] = {
    {NULL, cmd_explore,
     "ttlx [--script F.lua] [--theme T] [--trust] [--device D] [--func NAME] [--bind N=V] "
     "[FILE]",
     "open the explorer (a built-in sample without FILE)", NULL},
    {"infer", cmd_infer, "ttlx infer [--json] [--device D] [--fix [-o OUT]] FILE",
     "infer layouts; print a summary or SPEC JSON", infer_help},
    {"render", cmd_render, "ttlx render [--view V] [--buffer B] [--width W --height H] FILE",
     "print what the explorer shows, as text", render_help},
    {"run", cmd_run, "ttlx run SCRIPT.lua [FILE] [ARGS...]", "run a Lua script headless", run_help},
    {"export", cmd_export, "ttlx export --format FMT [-o OUT] FILE",
     "export json, python, tvmscript, plan, svg or ttnn", NULL},
    {"solve", cmd_solve, "ttlx solve [--objective O] [--top K] [--apply] FILE",
     "search the best layouts; print or apply them", solve_help},
    {"devices", cmd_devices, "ttlx devices [--json]", "list the device profiles", devices_help},
    {"help", cmd_help, "ttlx help [COMMAND]", "help on a command", help_help},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const ttlx_command_t *command_find(const char *name) {
    for (size_t k = 0; k < NCOMMANDS; k++)
        if (commands[k].name && !strcmp(commands[k].name, name)) return &commands[k];
    return NULL;
}

/* The overview, built from the table once. */
static const char *overview(void) {
    static char text[4096];
    if (text[0]) return text;
    size_t at = 0;
#define PUT(...)                                                                                   \
    at += (size_t)snprintf(text + at, at < sizeof text ? sizeof text - at : 0, __VA_ARGS__)
    PUT("ttlx " TTLX_VERSION " - the Tenstorrent layout explorer\n\nUsage:\n");
    for (size_t k = 0; k < NCOMMANDS; k++) {
        int used = 2 + (int)strlen(commands[k].usage);
        if (used < OVERVIEW_COLUMN)
            PUT("  %s%*s%s\n", commands[k].usage, OVERVIEW_COLUMN - used, "", commands[k].summary);
        else
            PUT("  %s\n%*s%s\n", commands[k].usage, OVERVIEW_COLUMN, "", commands[k].summary);
    }
    PUT("\n"
        "Options: --device NAME|FILE.json, --func NAME, --bind NAME=VALUE,\n"
        "         -h/--help, --version\n"
        "FILE is PrimFunc JSON or TVMScript. Exit status: 0 no errors, 1 error\n"
        "diagnostics, 2 bad input or usage.\n");
#undef PUT
    return text;
}

const char *cli_command_help(const char *cmd) {
    if (!cmd) return overview();
    const ttlx_command_t *c = command_find(cmd);
    return c ? c->help : NULL;
}

/* A first argument that is no option, no path and no existing file, but a
 * word: a mistyped command ("infre"), not a FILE for the explorer. */
static bool looks_like_command(const char *a) {
    if (!*a || a[0] == '-' || strpbrk(a, "/.")) return false;
    FILE *f = fopen(a, "rb");
    if (f) {
        fclose(f);
        return false;
    }
    for (const char *p = a; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '_'))
            return false;
    return true;
}

int cli_main(int argc, char **argv) {
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(overview(), stdout);
        return SYS_EXIT_OK;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("ttlx %s\n", TTLX_VERSION);
        return SYS_EXIT_OK;
    }
    const ttlx_command_t *c = argc >= 2 ? command_find(argv[1]) : NULL;
    if (c) return c->fn(argc - 1, argv + 1);
    if (argc >= 2 && looks_like_command(argv[1])) {
        const char *names[NCOMMANDS];
        for (size_t k = 0; k < NCOMMANDS; k++)
            names[k] = commands[k].name; /* the explorer's row has none: skipped */
        const char *best = ttlx_near(argv[1], names, NCOMMANDS);
        if (best)
            return cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", argv[1],
                                   best);
        return cli_usage_error(NULL, "unknown command '%s', and no such FILE", argv[1]);
    }
    return cmd_explore(argc, argv);
}

int cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sys_verror(fmt, ap); /* one line: a name's newline shows as \x0a */
    va_end(ap);
    if (cmd)
        fprintf(stderr, "Try 'ttlx help %s'.\n", cmd);
    else
        fputs("Try 'ttlx --help'.\n", stderr);
    return SYS_EXIT_USAGE;
}

int cmd_help(int argc, char **argv) {
    if (argc < 2) {
        fputs(overview(), stdout);
        return SYS_EXIT_OK;
    }
    const ttlx_command_t *c = command_find(argv[1]);
    if (!c) return cli_usage_error(NULL, "no help for '%s': not a command", argv[1]);
    if (!c->help) return c->fn(2, (char *[]){(char *)c->name, "--help", NULL});
    fputs(c->help, stdout);
    return SYS_EXIT_OK;
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

int cli_open_opts_parse(sys_open_opts_t *o, const char *cmd, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    const char **slot = NULL;
    if (!strcmp(a, "--device") || !strcmp(a, "-d"))
        slot = &o->device;
    else if (!strcmp(a, "--func"))
        slot = &o->func;
    else if (strcmp(a, "--bind"))
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(cmd, "%s needs a value", a);
        return -1;
    }
    const char *v = argv[++*i];
    if (slot) {
        *slot = v;
        return 1;
    }
    size_t max_binds = sizeof o->binds / sizeof o->binds[0];
    if (o->nbinds >= max_binds) {
        cli_usage_error(cmd, "at most %zu --bind options", max_binds);
        return -1;
    }
    if (!parse_binding(v, &o->binds[o->nbinds])) {
        cli_usage_error(cmd, "--bind takes NAME=VALUE with a positive integer VALUE, not '%s'", v);
        return -1;
    }
    o->nbinds++;
    return 1;
}

ttlx_module_t *cli_open(const char *path, const sys_open_opts_t *o, ttlx_device_t *dev,
                        size_t *func_index) {
    static char msg[16384]; /* a module's every function name may be listed */
    ttlx_module_t *mod = sys_open_file(path, o, dev, func_index, msg, sizeof msg);
    if (!mod) sys_error("%s", msg);
    return mod;
}
