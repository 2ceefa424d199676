/*
 * ui_term.c - ncurses backend: set-up, colour pairs from the theme, one
 * flush per frame from the cell grid, and the input loop. Mouse events go
 * through ui_click/ui_wheel, which run the same update code as keys.
 */
#include "ui/ui_term.h"
#include "ui/ui_ask.h"
#include "sys/status.h"
#include "sys/say.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static attr_t style_attr[UI_STYLE_COUNT];
static short style_pair[UI_STYLE_COUNT];
/* The frame last copied to ncurses: only cells that changed are copied
 * again (setcchar per cell is the costly part of a flush). */
static ui_cell_t *shown;
static int shown_w, shown_h;

static void forget_shown(void) {
    free(shown);
    shown = NULL;
    shown_w = shown_h = 0;
}

void ui_term_invalidate(void) {
    forget_shown();
}
static volatile sig_atomic_t got_term;

static void on_term(int sig) {
    (void)sig;
    got_term = 1;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* u->progress: a long task (a solve) says what it is doing on the status
 * line, and Esc stops it. Keys other than Esc typed meanwhile are dropped. */
static bool term_progress(ui_t *u, const char *what) {
    (void)u;
    int h, w;
    getmaxyx(stdscr, h, w);
    attrset(A_REVERSE);
    mvaddnstr(h - 1, 0, what, w);
    clrtoeol();
    attrset(A_NORMAL);
    refresh();
    forget_shown(); /* the last row no longer holds the frame's cells */
    timeout(0);
    bool go = true;
    wint_t ch;
    int r;
    while ((r = get_wch(&ch)) != ERR)
        if (r == OK && ch == 27) go = false;
    timeout(100);
    return go;
}

static attr_t to_attr(unsigned a) {
    attr_t r = A_NORMAL;
    if (a & UI_ATTR_BOLD) r |= A_BOLD;
    if (a & UI_ATTR_UNDERLINE) r |= A_UNDERLINE;
    if (a & UI_ATTR_REVERSE) r |= A_REVERSE;
    if (a & UI_ATTR_DIM) r |= A_DIM;
    return r;
}

void ui_term_apply_theme(ui_t *u) {
    const char *nc = getenv("NO_COLOR");
    ui_color_mode_t mode = UI_COLORS_MONO;
    if (!(nc && *nc) && has_colors()) {
        start_color();
        use_default_colors();
        if (COLORS >= 0x1000000 || tigetflag("RGB") > 0)
            mode = UI_COLORS_TRUE;
        else if (COLORS >= 256)
            mode = UI_COLORS_256;
        else if (COLORS >= 8)
            mode = UI_COLORS_16;
    }
    u->color_mode = mode;
    forget_shown(); /* every cell must be copied again with the new colours */
    /* one contrast rule: each style's pair is made readable for COLORS */
    ui_color_pair_t pairs[UI_STYLE_COUNT];
    if (mode != UI_COLORS_MONO)
        ui_theme_pairs(&u->theme,
                       mode == UI_COLORS_TRUE ? 1 << 24
                       : COLORS >= 256        ? 256
                                              : COLORS,
                       pairs);
    for (int s = 0; s < UI_STYLE_COUNT; s++) {
        const ui_style_def_t *d = &u->theme.styles[s];
        if (mode == UI_COLORS_MONO) {
            style_attr[s] = to_attr(d->mono);
            style_pair[s] = 0;
            continue;
        }
        style_attr[s] = to_attr(d->attrs);
        style_pair[s] = (short)(s + 1);
        int fg = (int)pairs[s].fg, bg = (int)pairs[s].bg;
        if (init_extended_pair(s + 1, fg, bg) == ERR) {
            style_pair[s] = 0;
            style_attr[s] = to_attr(d->mono); /* keep the meaning visible */
        }
    }
}

void ui_term_flush(const ui_screen_t *s) {
    if (s->w != shown_w || s->h != shown_h || !shown) {
        forget_shown();
        shown = malloc((size_t)s->w * (size_t)s->h * sizeof *shown);
        if (shown) {
            shown_w = s->w;
            shown_h = s->h;
            for (size_t i = 0; i < (size_t)s->w * (size_t)s->h; i++)
                shown[i] = (ui_cell_t){0xFFFFFFFFu, 0xFF};
        }
    }
    for (int y = 0; y < s->h; y++) {
        const ui_cell_t *row = &s->cells[(size_t)y * (size_t)s->w];
        ui_cell_t *old = shown ? &shown[(size_t)y * (size_t)s->w] : NULL;
        for (int x = 0; x < s->w; x++) {
            if (old) {
                if (old[x].ch == row[x].ch && old[x].style == row[x].style) continue;
                old[x] = row[x];
            }
            wchar_t wc[2] = {(wchar_t)row[x].ch, 0};
            if (s->ascii && wc[0] >= 0x80) wc[0] = '?';
            cchar_t c;
            int st = row[x].style < UI_STYLE_COUNT ? row[x].style : 0;
            setcchar(&c, wc, style_attr[st], style_pair[st], NULL);
            mvadd_wch(y, x, &c);
        }
    }
}

static int translate_key(int r, wint_t wch) {
    if (r == KEY_CODE_YES) {
        switch (wch) {
        case KEY_UP:
            return UI_KEY_UP;
        case KEY_DOWN:
            return UI_KEY_DOWN;
        case KEY_LEFT:
            return UI_KEY_LEFT;
        case KEY_RIGHT:
            return UI_KEY_RIGHT;
        case KEY_PPAGE:
            return UI_KEY_PGUP;
        case KEY_NPAGE:
            return UI_KEY_PGDN;
        case KEY_HOME:
            return UI_KEY_HOME;
        case KEY_END:
            return UI_KEY_END;
        case KEY_BTAB:
            return UI_KEY_BTAB;
        case KEY_BACKSPACE:
            return UI_KEY_BACKSPACE;
        case KEY_DC:
            return UI_KEY_DELETE;
        case KEY_ENTER:
            return UI_KEY_ENTER;
        default:
            return -1;
        }
    }
    if (wch == 127 || wch == 8) return UI_KEY_BACKSPACE;
    return (int)wch;
}

int ui_term_run(ui_t *u, const char *theme) {
    setlocale(LC_ALL, "");
    u->ascii = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr,
                "ttlx: the explorer needs a terminal (for text output use 'ttlx render FILE')\n");
        return SYS_EXIT_USAGE;
    }
    const char *term = getenv("TERM");
    if (!term || !*term || !strcmp(term, "dumb")) {
        sys_error("TERM is '%s': the explorer needs a terminal with cursor control "
                  "(headless commands such as 'ttlx render' still work)",
                  term ? term : "");
        return SYS_EXIT_USAGE;
    }
    char thm_err[300] = "";
    const char *tname = theme ? theme : getenv("TTLX_THEME");
    if (!ui_theme_load(&u->theme, tname && *tname ? tname : "default", thm_err, sizeof thm_err)) {
        ui_theme_fallback(&u->theme);
        if (tname && *tname) ui_message(u, true, "%s (using the built-in theme)", thm_err);
    }
    if (!getenv("ESCDELAY")) set_escdelay(25);
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        sys_error("cannot open the terminal '%s' (unknown TERM?); "
                  "headless commands such as 'ttlx render' still work",
                  term);
        return SYS_EXIT_USAGE;
    }
    set_term(scr);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    timeout(100);
    u->progress = term_progress;
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    ui_term_apply_theme(u);
    int theme_gen = u->theme_gen;
    ui_screen_t s = {0};
    s.ascii = u->ascii;
    bool dirty = true;
    int rc = SYS_EXIT_OK, want_w = 0, want_h = 0;
    while (!u->quit && !got_term) {
        if (dirty) {
            int h, w;
            getmaxyx(stdscr, h, w);
            want_w = w;
            want_h = h;
            if (w != s.w || h != s.h) {
                if (!ui_screen_resize(&s, w, h)) {
                    rc = -1; /* fatal: reported once the terminal is restored */
                    break;
                }
                s.ascii = u->ascii;
                clearok(curscr, TRUE);
                forget_shown();
            }
            if (theme_gen != u->theme_gen) { /* :theme or t: new colour pairs */
                theme_gen = u->theme_gen;
                ui_term_apply_theme(u);
            }
            ui_frame(u, &s);
            ui_term_flush(&s);
            refresh();
            dirty = false;
        }
        wint_t wch;
        int r = get_wch(&wch);
        if (ui_poll_file(u, now_ms())) dirty = true;
        if (r == ERR) continue;
        dirty = true;
        if (r == KEY_CODE_YES && wch == KEY_RESIZE) continue;
        if (r == KEY_CODE_YES && wch == KEY_MOUSE) {
            MEVENT ev;
            if (getmouse(&ev) != OK) continue;
            if (ev.bstate & BUTTON4_PRESSED)
                ui_wheel(u, ev.x, ev.y, -1);
            else if (ev.bstate & BUTTON5_PRESSED)
                ui_wheel(u, ev.x, ev.y, 1);
            else if (ev.bstate & BUTTON1_PRESSED)
                ui_click(u, ev.x, ev.y);
            continue;
        }
        if (r != KEY_CODE_YES && wch == 3) { /* Ctrl-C: quit, asking first as q does */
            if (u->mode == UI_MODE_CONFIRM_QUIT)
                u->quit = true;
            else
                ui_command(u, "q");
            if (!u->quit) u->mode = UI_MODE_CONFIRM_QUIT;
            continue;
        }
        if (u->geom.too_small && u->mode == UI_MODE_NORMAL && r != KEY_CODE_YES &&
            (wch == 'q' || wch == 'Q')) {
            ui_key(u, 'q');
            continue;
        }
        int key = translate_key(r, wch);
        if (key >= 0) ui_key(u, key);
    }
    u->progress = NULL;
    endwin();
    delscreen(scr);
    forget_shown();
    ui_screen_free(&s);
    if (rc < 0) {
        fprintf(stderr, "ttlx: explorer: out of memory for a %dx%d screen\n", want_w, want_h);
        rc = SYS_EXIT_USAGE;
    }
    return rc;
}
