/*
 * cmd_render.c - `ttlx render`: composes one explorer frame off-screen and
 * prints it as text (plain, or with ANSI colours for --color), for docs,
 * issues and golden tests. Same drawing code as the live explorer.
 */
#include "cli/cli.h"
#include "sys/say.h"
#include "ui/ui.h"
#include "ui/view.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static const char *render_sgr(int style, void *ud) {
    const ui_t *u = ud;
    return ui_theme_sgr(&u->theme, style, u->color_mode);
}

static bool parse_dim(const char *s, int *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 2000) return false;
    *out = (int)v;
    return true;
}

int cmd_render(int argc, char **argv) {
    sys_open_opts_t o = {0};
    const char *view = NULL, *buffer = NULL, *theme = NULL, *file = NULL;
    int w = 120, h = 40;
    bool color = false, ascii = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_open_opts_parse(&o, "render", argc, argv, &i);
        if (r < 0) return SYS_EXIT_USAGE;
        if (r > 0) continue;
        bool has_val = i + 1 < argc;
        if (!strcmp(a, "--view") && has_val)
            view = argv[++i];
        else if (!strcmp(a, "--buffer") && has_val)
            buffer = argv[++i];
        else if (!strcmp(a, "--theme") && has_val)
            theme = argv[++i];
        else if (!strcmp(a, "--width") && has_val) {
            if (!parse_dim(argv[++i], &w))
                return cli_usage_error("render", "--width takes 1..2000, not '%s'", argv[i]);
        } else if (!strcmp(a, "--height") && has_val) {
            if (!parse_dim(argv[++i], &h))
                return cli_usage_error("render", "--height takes 1..2000, not '%s'", argv[i]);
        } else if (!strcmp(a, "--color"))
            color = true;
        else if (!strcmp(a, "--ascii"))
            ascii = true;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(cli_command_help("render"), stdout);
            return SYS_EXIT_OK;
        } else if (a[0] == '-' && a[1])
            return cli_usage_error("render", "unknown option '%s'", a);
        else if (!file)
            file = a;
        else
            return cli_usage_error("render", "one FILE only ('%s' is extra)", a);
    }
    if (!file) return cli_usage_error("render", "a FILE is needed");
    /* A theme maps styles to colours and attributes; plain text has
     * neither, so it would be silently ignored: say so, then render. */
    if (theme && !color)
        sys_error("render: --theme %s has no effect without --color (a theme sets colours only)",
                  theme);
    int v = -1;
    char views[120];
    if (view && (v = ui_view_parse(view)) < 0)
        return cli_usage_error("render", "no view '%s' (%s)", view,
                               ui_view_list(views, sizeof views));
    setlocale(LC_ALL, "");
    static ui_t u; /* large: keep it off the stack */
    ui_init(&u);
    u.ascii = ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
    if (!ui_open(&u, file, &o)) {
        ui_free(&u);
        return SYS_EXIT_USAGE;
    }
    if (v >= 0) u.view = (ui_view_t)v;
    if (buffer) {
        int bi = ttlx_func_find_buffer(u.func, buffer);
        if (bi < 0) {
            sys_error("%s: no buffer named '%s'", file, buffer);
            ui_free(&u);
            return SYS_EXIT_USAGE;
        }
        ui_select_buffer(&u, bi);
    }
    if (color) {
        const char *ct = getenv("COLORTERM");
        u.color_mode = getenv("NO_COLOR") && *getenv("NO_COLOR")                  ? UI_COLORS_MONO
                       : ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")) ? UI_COLORS_TRUE
                                                                                  : UI_COLORS_256;
        char err[300];
        if (!ui_theme_load(&u.theme, theme ? theme : "default", err, sizeof err) && theme) {
            sys_error("%s", err);
            ui_free(&u);
            return SYS_EXIT_USAGE;
        }
    }
    ui_screen_t s = {0};
    if (!ui_screen_resize(&s, w, h)) {
        sys_error("render: out of memory");
        ui_free(&u);
        return SYS_EXIT_USAGE;
    }
    s.ascii = u.ascii;
    /* The first layout fixes the geometry the cursor logic depends on. */
    ui_frame(&u, &s);
    ui_frame(&u, &s);
    ui_screen_write(&s, stdout, color ? render_sgr : NULL, &u);
    ui_screen_free(&s);
    size_t errors = 0;
    ttlx_result_diag_counts(u.res, &errors, NULL, NULL);
    ui_free(&u);
    return errors ? SYS_EXIT_ERRORS : SYS_EXIT_OK;
}
