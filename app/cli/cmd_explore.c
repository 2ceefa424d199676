/*
 * cmd_explore.c - `ttlx [FILE]`: opens the explorer on FILE, or on the
 * built-in sample without one. Parses the shared options, then hands the
 * state to the ncurses backend (ui_term.c).
 */
#include "cli/cli.h"
#include "ui/ui.h"
#include "ui/ui_hooks.h"
#include "ui/ui_term.h"

#include <string.h>

int cmd_explore(int argc, char **argv) {
    sys_open_opts_t o = {0};
    const char *file = NULL, *theme = NULL, *script = NULL;
    bool trust = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_open_opts_parse(&o, NULL, argc, argv, &i);
        if (r < 0) return SYS_EXIT_USAGE;
        if (r > 0) continue;
        if (!strcmp(a, "--theme") && i + 1 < argc)
            theme = argv[++i];
        else if (!strcmp(a, "--script") && i + 1 < argc)
            script = argv[++i];
        else if (!strcmp(a, "--trust"))
            trust = true;
        else if (a[0] == '-' && a[1])
            return cli_usage_error(NULL, "unknown option '%s'", a);
        else if (!file)
            file = a;
        else
            return cli_usage_error(NULL, "unknown command or extra FILE '%s'", a);
    }
    static ui_t u; /* large: keep it off the stack */
    ui_init(&u);
    bool ok = file ? ui_open(&u, file, &o) : ui_open_sample(&u, &o);
    if (!ok) {
        ui_free(&u);
        return SYS_EXIT_USAGE;
    }
    /* the paths of the command line: scripts may use them (lua_api.h) */
    const char *given[] = {file, script, theme, o.device};
    ui_hooks_start(&u, script, trust, given, sizeof given / sizeof given[0]);
    int rc = ui_term_run(&u, theme);
    ui_hooks_stop(&u);
    ui_free(&u);
    return rc;
}
