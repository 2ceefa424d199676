/*
 * input.c - what the user does: the key map and its actions, the ':'
 * command table (and the help generated from both); the mouse is in
 * mouse.c. Moves in the main pane go
 * to the current view's ops (view.h); keys and commands the explorer does
 * not know go to the optional layer (u->layer).
 */
#include "ui/input.h"
#include "ui/ui_apply.h"
#include "ui/ui_ask.h"
#include "ui/ui_complete.h"
#include "ui/ui_edit.h"
#include "ui/view.h"
#include "ui/view_solve.h"
#include "ui/view_cores.h"
#include "ui/view_tiles.h"
#include "ttlx_near.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- key map ------------------------------------------------------------ */

typedef enum {
    A_UP,
    A_DOWN,
    A_LEFT,
    A_RIGHT,
    A_PGUP,
    A_PGDN,
    A_HOME,
    A_END,
    A_NEXT_PANE,
    A_PREV_PANE,
    A_ENTER,
    A_ESC,
    A_VIEW,
    A_NEXT_VIEW,
    A_PREV_VIEW,
    A_NEXT_BUFFER,
    A_PREV_BUFFER,
    A_EDIT,
    A_FIX,
    A_PIN,
    A_UNDO,
    A_REDO,
    A_SAVE,
    A_DEVICES,
    A_ZOOM_IN,
    A_ZOOM_OUT,
    A_ZOOM_FIT,
    A_ADDRESSES,
    A_THEME,
    A_EXPORT,
    A_FILTER,
    A_COMMAND,
    A_HELP,
    A_CONSOLE,
    A_QUIT,
} action_t;

typedef struct keybind {
    int k1, k2;
    const char *keys;
    action_t act;
    int arg;
    const char *help;
    const char *foot; /* the footer's "key:what" ("e:edit"), NULL: not shown */
    unsigned panes;   /* where the footer shows it: 1 << ui_pane_t */
} keybind_t;

#define P_LIST (1u << UI_PANE_BUFFERS)
#define P_MAIN (1u << UI_PANE_MAIN)
#define P_DIAG (1u << UI_PANE_DIAGS)
#define P_ALL (P_LIST | P_MAIN | P_DIAG)

static const keybind_t keymap[] = {
    {UI_KEY_UP, 'k', "Up k", A_UP, 0, "move up: buffer, core, tile row, diagnostic", "j/k:move",
     P_LIST | P_DIAG},
    {UI_KEY_DOWN, 'j', "Down j", A_DOWN, 0, "move down", NULL, 0},
    {UI_KEY_LEFT, 'h', "Left h", A_LEFT, 0, "move left (core, tile); previous view in the list",
     NULL, 0},
    {UI_KEY_RIGHT, 'l', "Right l", A_RIGHT, 0, "move right (core, tile); next view in the list",
     NULL, 0},
    {UI_KEY_PGUP, 0, "PgUp", A_PGUP, 0, "page up", NULL, 0},
    {UI_KEY_PGDN, 0, "PgDn", A_PGDN, 0, "page down", NULL, 0},
    {UI_KEY_HOME, 'g', "Home g", A_HOME, 0, "first", NULL, 0},
    {UI_KEY_END, 'G', "End G", A_END, 0, "last", NULL, 0},
    {UI_KEY_TAB, 0, "Tab", A_NEXT_PANE, 0, "next pane: buffers, view, diagnostics", "Tab:pane",
     P_ALL},
    {UI_KEY_BTAB, 0, "S-Tab", A_PREV_PANE, 0, "previous pane", NULL, 0},
    {UI_KEY_ENTER, 0, "Enter", A_ENTER, 0, "edit hints (buffers); jump to the core/tile (view)",
     "Enter:edit", P_LIST},
    {UI_KEY_ESC, 0, "Esc", A_ESC, 0, "close, clear the filter, dismiss the message", NULL, 0},
    {0, 0, NULL, A_VIEW, 0, NULL, NULL, 0}, /* the views' keys: 1 Cores ... (view.c) */
    {']', 0, "]", A_NEXT_VIEW, 0, "next view", NULL, 0},
    {'[', 0, "[", A_PREV_VIEW, 0, "previous view", NULL, 0},
    {'f', 0, "f", A_FIX, 0,
     "apply a fix as one undo step: the selected diagnostic's (diagnostics pane), else the "
     "selected buffer's first fixable one, errors first",
     "f:fix", P_DIAG | P_MAIN},
    {'J', 'n', "J n", A_NEXT_BUFFER, 0, "next buffer (from any pane)", "n/p:buffer",
     P_MAIN | P_DIAG},
    {'K', 'p', "K p", A_PREV_BUFFER, 0, "previous buffer", NULL, 0},
    {'e', 0, "e", A_EDIT, 0, "edit the selected buffer's hints", "e:edit", P_MAIN | P_DIAG},
    {'u', 0, "u", A_UNDO, 0, "undo the last hint edit", "u:undo", P_ALL},
    {'U', 18, "U C-r", A_REDO, 0, "redo", NULL, 0},
    {'w', 0, "w", A_SAVE, 0, "save hints into the file (atomic)", "w:save", P_ALL},
    {'P', 0, "P", A_PIN, 0, "pin or free the selected buffer for the solver (Solve view)", NULL, 0},
    {'d', 0, "d", A_DEVICES, 0, "choose the device from a list", NULL, 0},
    {'+', '=', "+ =", A_ZOOM_IN, 0, "zoom in (Tiles)", NULL, 0},
    {'-', 0, "-", A_ZOOM_OUT, 0, "zoom out: aggregate tiles (Tiles)", NULL, 0},
    {'0', 0, "0", A_ZOOM_FIT, 0, "fit the tile grid (Tiles)", NULL, 0},
    {'a', 0, "a", A_ADDRESSES, 0, "L1 address map of the cursor core, or back to the grid (Cores)",
     NULL, 0},
    {'t', 0, "t", A_THEME, 0, "next theme", NULL, 0},
    {'x', 0, "x", A_EXPORT, 0, "export the hints as an annotate_tt_layout call (FILE_layout.py)",
     NULL, 0},
    {'/', 0, "/", A_FILTER, 0, "filter buffers by name", "/:filter", P_LIST},
    {':', 0, ":", A_COMMAND, 0, "command line (commands below)", NULL, 0},
    {'?', 0, "?", A_HELP, 0, "this help", "?:help", P_ALL},
    {'c', 0, "c", A_CONSOLE, 0, "console: what scripts printed (lessons, sweeps)", NULL, 0},
    {'q', 0, "q", A_QUIT, 0, "quit (asks first when hints are unsaved)", "q:quit", P_ALL},
};

/* ---- command table ------------------------------------------------------ */

typedef struct command {
    const char *name;
    const char *args;
    void (*fn)(ui_t *u, const char *arg);
    const char *help;
} command_t;

static void uc_device(ui_t *u, const char *arg);
static void uc_console(ui_t *u, const char *arg);
static void uc_view(ui_t *u, const char *arg);
static void uc_buffer(ui_t *u, const char *arg);
static void uc_write(ui_t *u, const char *arg);
static void uc_wq(ui_t *u, const char *arg);
static void uc_open(ui_t *u, const char *arg);
static void uc_quit(ui_t *u, const char *arg);
static void uc_quit_force(ui_t *u, const char *arg);
static void uc_theme(ui_t *u, const char *arg);
static void uc_set(ui_t *u, const char *arg);
static void uc_clear(ui_t *u, const char *arg);
static void uc_undo(ui_t *u, const char *arg);
static void uc_redo(ui_t *u, const char *arg);
static void uc_zoom(ui_t *u, const char *arg);
static void uc_func(ui_t *u, const char *arg);
static void uc_lua(ui_t *u, const char *arg);
static void uc_source(ui_t *u, const char *arg);
static void uc_export(ui_t *u, const char *arg);
static void uc_help(ui_t *u, const char *arg);

static const command_t commands[] = {
    {"device", "NAME", uc_device, "switch device (no NAME: the list)"},
    {"view", "NAME", uc_view, "cores, tiles, projection, work, metadata or solve"},
    {"buffer", "NAME", uc_buffer, "select a buffer"},
    {"set", "KEY VALUE", uc_set, "set a hint key of the buffer (e.g. :set nd_shard.grid 2,4)"},
    {"clear", "[KEY]", uc_clear, "remove a hint key, or the buffer's whole hint"},
    {"undo", "", uc_undo, "undo the last hint edit"},
    {"redo", "", uc_redo, "redo"},
    {"w", "[FILE]", uc_write, "save hints (atomic); FILE saves a copy there"},
    {"wq", "", uc_wq, "save and quit"},
    {"e", "FILE", uc_open, "open another file (asks first over unsaved hints)"},
    {"open", "FILE", uc_open, "the same as :e"},
    {"q", "", uc_quit, "quit (refuses with unsaved hints)"},
    {"q!", "", uc_quit_force, "quit, dropping unsaved hints"},
    {"theme", "NAME", uc_theme, "load themes/NAME.lua (no NAME: list)"},
    {"zoom", "N|fit", uc_zoom, "Tiles: N tiles per cell side (a power of 2)"},
    {"func", "NAME", uc_func, "open another function of the IRModule"},
    {"lua", "CODE", uc_lua, "run a line of Lua (ttlx API; print shows below)"},
    {"source", "FILE", uc_source, "run a Lua file; rerun when it is saved"},
    {"export", "FMT [FILE]", uc_export, "json, python, tvmscript, plan, svg or ttnn"},
    {"help", "", uc_help, "this help"},
    {"console", "", uc_console, "show what scripts printed (also the c key)"},
};

const char *ui_command_name(size_t i) {
    return i < sizeof commands / sizeof commands[0] ? commands[i].name : NULL;
}

int ui_footer(const ui_t *u, char *buf, size_t n, int width) {
    size_t at = 0;
    int used = 0;
    if (n) buf[0] = '\0';
    const char *items[64];
    int ni = 0;
    char view_keys[160] = "", lesson_keys[3][32];
    if (u->lesson.on) { /* a pinned lesson step: its keys come first */
        snprintf(lesson_keys[0], sizeof lesson_keys[0], "%s:next", u->lesson.next_key);
        snprintf(lesson_keys[1], sizeof lesson_keys[1], "%s:back", u->lesson.prev_key);
        snprintf(lesson_keys[2], sizeof lesson_keys[2], "%s:leave", u->lesson.leave_key);
        for (int k = 0; k < 3; k++)
            items[ni++] = lesson_keys[k];
    }
    if (u->focus == UI_PANE_MAIN && ui_view(u->view)->keys) {
        /* the view's own keys first: its ops table gives them */
        snprintf(view_keys, sizeof view_keys, "%s", ui_view(u->view)->keys);
        for (char *tok = strtok(view_keys, " "); tok && ni < 32; tok = strtok(NULL, " "))
            items[ni++] = tok;
    }
    /* the pane's own keys, then those of every pane; the help key (A_HELP)
     * always ends the footer when anything fits */
    const char *help = NULL;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof keymap / sizeof keymap[0] && ni < 64; i++) {
            const keybind_t *k = &keymap[i];
            if (!k->foot || !(k->panes & (1u << u->focus))) continue;
            if (k->act == A_HELP)
                help = k->foot;
            else if ((k->panes == P_ALL) == (pass == 1))
                items[ni++] = k->foot;
        }
    int reserve = help ? (int)strlen(help) + 1 : 0;
    if (help) items[ni++] = help;
    for (int i = 0; i < ni; i++) {
        bool last = help && i == ni - 1;
        int w = (int)strlen(items[i]) + (used ? 1 : 0);
        if (used + w + (last ? 0 : reserve) > width || at + (size_t)w + 1 > n) {
            if (last || !help) break;
            i = ni - 2; /* skip to the help key */
            continue;
        }
        at += (size_t)snprintf(buf + at, n - at, "%s%s", used ? " " : "", items[i]);
        used += w;
    }
    return used;
}

int ui_help_lines(const ui_t *u, ui_help_line_t *out, int cap) {
    int n = 0;
#define ADD(k, h)                                                                                  \
    do {                                                                                           \
        if (n < cap) out[n++] = (ui_help_line_t){(k), (h)};                                        \
    } while (0)
    ADD(NULL, "Keys");
    static char view_keys[UI_VIEW_COUNT][8];
    for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++) {
        if (keymap[i].act != A_VIEW) {
            ADD(keymap[i].keys, keymap[i].help);
            continue;
        }
        for (int v = 0; v < UI_VIEW_COUNT; v++) { /* the views' own keys */
            int k = ttlx_utf8_encode((uint32_t)ui_view(v)->key, view_keys[v]);
            view_keys[v][k] = '\0';
            ADD(view_keys[v], ui_view(v)->help);
        }
    }
    for (int v = 0; v < UI_VIEW_COUNT; v++) { /* keys that work in one view */
        const ui_view_ops_t *o = ui_view(v);
        if (!o->nhelp_keys) continue;
        ADD(NULL, o->help_title);
        for (int i = 0; i < o->nhelp_keys; i++)
            ADD(o->help_keys[i].keys, o->help_keys[i].help);
    }
    ADD(NULL, "Hint editor (e or Enter on a buffer)");
    ADD("Up/Down", "choose a field");
    ADD("Left/Right", "cycle the field's values (validated at once)");
    ADD("Enter", "type a value (rerun on every key); Enter keeps it");
    ADD("Del x", "remove the field from the hint");
    ADD("grid, shard", "a new grid sets shard_shape_elems (tile-aligned, covering the buffer) "
                       "and the other way round, unless you typed that one in this edit");
    ADD("Esc", "cancel typing / close the editor");
    ADD(NULL, "Mouse");
    ADD("click", "select a buffer, tab, core, bank, tile or diagnostic");
    ADD("wheel", "scroll the pane under the pointer");
    ADD(NULL, "Commands (:)");
    static char lines[sizeof commands / sizeof commands[0]][64];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        snprintf(lines[i], sizeof lines[i], ":%s %s", commands[i].name, commands[i].args);
        ADD(lines[i], commands[i].help);
    }
    if (u->layer) n += u->layer->help(u, out + n, cap - n); /* added by scripts */
#undef ADD
    return n;
}

/* ---- actions ------------------------------------------------------------ */

static void move_list(ui_t *u, int delta) {
    if (!u->nvisible) return;
    int pos = ui_visible_pos(u, u->sel);
    if (pos < 0)
        pos = 0;
    else
        pos += delta;
    if (pos < 0) pos = 0;
    if (pos >= u->nvisible) pos = u->nvisible - 1;
    ui_select_buffer(u, u->visible[pos]);
}

static void next_theme(ui_t *u) {
    char names[32][32];
    size_t n = ui_theme_list(names, 32);
    if (!n) {
        ui_message(u, true, "no theme files found (themes/*.lua); using the built-in theme");
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], u->theme.name)) k = i + 1;
    uc_theme(u, names[k % n]);
}

static void request_quit(ui_t *u) {
    if (u->dirty) {
        u->mode = UI_MODE_CONFIRM_QUIT;
        return;
    }
    u->quit = true;
}

static void do_action(ui_t *u, action_t a, int arg) {
    int page = u->geom.body_rows > 2 ? u->geom.body_rows - 1 : 5;
    switch (a) {
    case A_UP:
    case A_DOWN: {
        int d = a == A_UP ? -1 : 1;
        if (u->focus == UI_PANE_BUFFERS)
            move_list(u, d);
        else if (u->focus == UI_PANE_DIAGS)
            ui_select_diag(u, u->diag_sel + d);
        else
            ui_view(u->view)->move(u, 0, d);
        break;
    }
    case A_LEFT:
    case A_RIGHT: {
        int d = a == A_LEFT ? -1 : 1;
        if (u->focus == UI_PANE_MAIN)
            ui_view(u->view)->move(u, d, 0);
        else
            ui_view_set(u, (int)u->view + d);
        break;
    }
    case A_PGUP:
    case A_PGDN: {
        int d = a == A_PGUP ? -1 : 1;
        if (u->focus == UI_PANE_BUFFERS)
            move_list(u, d * (page / 2 > 0 ? page / 2 : 1));
        else if (u->focus == UI_PANE_DIAGS)
            ui_select_diag(u, u->diag_sel + d * 3);
        else
            ui_view(u->view)->page(u, d);
        break;
    }
    case A_HOME:
    case A_END: {
        bool home = a == A_HOME;
        if (u->focus == UI_PANE_BUFFERS)
            move_list(u, home ? -(1 << 30) : (1 << 30));
        else if (u->focus == UI_PANE_DIAGS)
            ui_select_diag(u, home ? 0 : 1 << 30);
        else
            ui_view(u->view)->jump(u, home);
        break;
    }
    case A_NEXT_PANE:
        u->focus = (ui_pane_t)((u->focus + 1) % UI_PANE_COUNT);
        break;
    case A_PREV_PANE:
        u->focus = (ui_pane_t)((u->focus + UI_PANE_COUNT - 1) % UI_PANE_COUNT);
        break;
    case A_ENTER:
        if (u->focus == UI_PANE_BUFFERS) {
            ui_edit_open(u);
        } else if (u->focus == UI_PANE_DIAGS) {
            ui_select_diag(u, u->diag_sel);
            u->focus = UI_PANE_BUFFERS;
        } else if (ui_view(u->view)->enter) {
            ui_view(u->view)->enter(u);
        }
        break;
    case A_ESC:
        if (u->preview >= 0) {
            ui_preview_end(u); /* the Solve view's cursor goes back to "now" */
            ui_message(u, false, "preview ended: your hints are shown again");
        } else if (u->msg[0])
            u->msg[0] = '\0';
        else if (u->filter[0]) {
            u->filter[0] = '\0';
            ui_filter_apply(u);
        }
        break;
    case A_VIEW:
        ui_view_set(u, arg);
        break;
    case A_NEXT_VIEW:
        ui_view_set(u, (int)u->view + 1);
        break;
    case A_PREV_VIEW:
        ui_view_set(u, (int)u->view - 1);
        break;
    case A_NEXT_BUFFER:
        move_list(u, 1);
        break;
    case A_PREV_BUFFER:
        move_list(u, -1);
        break;
    case A_EDIT:
        ui_edit_open(u);
        break;
    case A_FIX:
        if (u->preview >= 0)
            ui_message(u, false,
                       "previewing alternative %d: Enter (Solve view) applies it, Esc ends the "
                       "preview",
                       u->preview + 1);
        else
            ui_apply_fix(u);
        break;
    case A_PIN:
        ui_solve_pin_toggle(u);
        break;
    case A_UNDO:
        if (!ui_undo(u)) ui_message(u, false, "nothing to undo");
        break;
    case A_REDO:
        if (!ui_redo(u)) ui_message(u, false, "nothing to redo");
        break;
    case A_SAVE:
        ui_save(u, NULL);
        break;
    case A_DEVICES: {
        u->mode = UI_MODE_DEVICES;
        u->dev_sel = 0;
        for (size_t i = 0; i < ttlx_device_builtin_count(); i++)
            if (!strcmp(ttlx_device_builtin(i)->name, u->dev.name)) u->dev_sel = (int)i;
        break;
    }
    case A_ZOOM_IN:
        ui_tiles_zoom(u, -1);
        break;
    case A_ZOOM_OUT:
        ui_tiles_zoom(u, 1);
        break;
    case A_ZOOM_FIT:
        ui_tiles_zoom_fit(u);
        break;
    case A_ADDRESSES:
        ui_cores_addresses(u);
        break;
    case A_THEME:
        next_theme(u);
        break;
    case A_EXPORT:
        ui_export(u, "");
        break;
    case A_FILTER:
        u->mode = UI_MODE_FILTER;
        u->focus = UI_PANE_BUFFERS;
        break;
    case A_COMMAND:
        u->mode = UI_MODE_COMMAND;
        u->cmd[0] = '\0';
        u->comp_active = false;
        break;
    case A_HELP:
        u->mode = UI_MODE_HELP;
        u->help_scroll = 0;
        u->help_typing = false;
        u->help_find[0] = '\0';
        u->help_match = -1;
        break;
    case A_CONSOLE:
        u->mode = UI_MODE_CONSOLE;
        u->con_scroll = 0;
        break;
    case A_QUIT:
        request_quit(u);
        break;
    }
}

/* Appends a codepoint to a UTF-8 line buffer; Backspace removes one. */
static void line_edit(char *buf, size_t cap, int key) {
    size_t n = strlen(buf);
    if (key == UI_KEY_BACKSPACE || key == 8 || key == 127) {
        while (n > 0 && (buf[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0) n--;
        buf[n] = '\0';
        return;
    }
    if (key < 0x20 || key >= 0x110000 || key == 0x7F) return;
    char b[5];
    int k = ttlx_utf8_encode((uint32_t)key, b);
    if (n + (size_t)k + 1 > cap) return;
    memcpy(buf + n, b, (size_t)k);
    buf[n + (size_t)k] = '\0';
}

static void key_device_list(ui_t *u, int key) {
    int n = (int)ttlx_device_builtin_count();
    if (key == UI_KEY_UP || key == 'k')
        u->dev_sel = (u->dev_sel + n - 1) % n;
    else if (key == UI_KEY_DOWN || key == 'j')
        u->dev_sel = (u->dev_sel + 1) % n;
    else if (key == UI_KEY_ENTER) {
        u->mode = UI_MODE_NORMAL;
        uc_device(u, ttlx_device_builtin((size_t)u->dev_sel)->name);
    } else if (key == UI_KEY_ESC || key == 'q' || key == 'd')
        u->mode = UI_MODE_NORMAL;
}

/* Case-insensitive substring test (ASCII folding). */
static bool has_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (!strncasecmp(hay, needle, n)) return true;
    return false;
}

/* Finds the help line matching u->help_find from line `from` in direction
 * dir (+1/-1), wrapping; shows it or says "no match". */
static void help_find(ui_t *u, int from, int dir) {
    ui_help_line_t lines[128];
    int n = ui_help_lines(u, lines, 128);
    if (!u->help_find[0] || !n) return;
    for (int k = 0; k < n; k++) {
        int i = ((from + dir * k) % n + n) % n;
        if (has_ci(lines[i].keys, u->help_find) || has_ci(lines[i].help, u->help_find)) {
            u->help_match = i;
            u->help_scroll = i > 2 ? i - 2 : 0;
            ui_message(u, false, "/%s: line %d of %d", u->help_find, i + 1, n);
            return;
        }
    }
    u->help_match = -1;
    ui_message(u, true, "no match for '%s' in the help", u->help_find);
}

/* The help's search: / types it, Enter finds, n / N the next / previous
 * match. True when the key was the search's. */
static bool help_search_key(ui_t *u, int key) {
    if (u->help_typing) {
        if (key == UI_KEY_ENTER) {
            u->help_typing = false;
            help_find(u, 0, 1);
        } else if (key == UI_KEY_ESC) {
            u->help_typing = false;
            u->help_find[0] = '\0';
            u->msg[0] = '\0';
        } else
            line_edit(u->help_find, sizeof u->help_find, key);
        return true;
    }
    if (key == '/') {
        u->help_typing = true;
        u->help_find[0] = '\0';
        u->help_match = -1;
        u->msg[0] = '\0';
        return true;
    }
    if ((key == 'n' || key == 'N') && u->help_find[0]) {
        int dir = key == 'n' ? 1 : -1;
        help_find(u, u->help_match < 0 ? 0 : u->help_match + dir, dir);
        return true;
    }
    return false;
}

void ui_key(ui_t *u, int key) {
    if (key == '\n' || key == '\r') key = UI_KEY_ENTER;
    switch (u->mode) {
    case UI_MODE_CONSOLE:
        /* Up scrolls back into older lines; any other key closes. */
        if (key == UI_KEY_UP || key == 'k')
            u->con_scroll++;
        else if (key == UI_KEY_DOWN || key == 'j')
            u->con_scroll -= u->con_scroll > 0;
        else if (key == UI_KEY_PGUP)
            u->con_scroll += 10;
        else if (key == UI_KEY_PGDN || key == ' ')
            u->con_scroll = u->con_scroll > 10 ? u->con_scroll - 10 : 0;
        else if (key == UI_KEY_HOME || key == 'g')
            u->con_scroll = 1 << 20; /* clamped when drawn */
        else if (key == UI_KEY_END || key == 'G')
            u->con_scroll = 0;
        else {
            u->mode = UI_MODE_NORMAL;
            /* A key bound by a script (a lesson's next/previous) still works. */
            if (key != UI_KEY_ESC && key != 'q' && key != 'c') ui_key(u, key);
        }
        return;
    case UI_MODE_HELP:
        if (help_search_key(u, key)) return;
        if (key == UI_KEY_DOWN || key == 'j')
            u->help_scroll++;
        else if (key == UI_KEY_UP || key == 'k')
            u->help_scroll -= u->help_scroll > 0;
        else if (key == UI_KEY_PGDN || key == ' ')
            u->help_scroll += 10;
        else if (key == UI_KEY_PGUP)
            u->help_scroll = u->help_scroll > 10 ? u->help_scroll - 10 : 0;
        else if (key == UI_KEY_END || key == 'G')
            u->help_scroll = 1 << 20; /* clamped when drawn */
        else if (key == UI_KEY_HOME || key == 'g')
            u->help_scroll = 0;
        else
            u->mode = UI_MODE_NORMAL;
        return;
    case UI_MODE_FILTER:
        if (key == UI_KEY_ENTER)
            u->mode = UI_MODE_NORMAL;
        else if (key == UI_KEY_ESC) {
            u->filter[0] = '\0';
            u->mode = UI_MODE_NORMAL;
        } else if (key == UI_KEY_UP || key == UI_KEY_DOWN) {
            move_list(u, key == UI_KEY_UP ? -1 : 1);
            return;
        } else
            line_edit(u->filter, sizeof u->filter, key);
        ui_filter_apply(u);
        u->list_top = 0;
        if (u->nvisible && ui_visible_pos(u, u->sel) < 0) ui_select_buffer(u, u->visible[0]);
        return;
    case UI_MODE_COMMAND:
        if (key == UI_KEY_TAB) {
            ui_complete(u, ui_command_name);
            return;
        }
        u->comp_active = false;
        if (key == UI_KEY_ENTER) {
            char line[256];
            snprintf(line, sizeof line, "%s", u->cmd);
            u->mode = UI_MODE_NORMAL;
            ui_command(u, line);
        } else if (key == UI_KEY_ESC) {
            u->mode = UI_MODE_NORMAL;
        } else if ((key == UI_KEY_BACKSPACE || key == 127 || key == 8) && !u->cmd[0]) {
            u->mode = UI_MODE_NORMAL;
        } else
            line_edit(u->cmd, sizeof u->cmd, key);
        return;
    case UI_MODE_EDIT:
        ui_edit_key(u, key);
        return;
    case UI_MODE_DEVICES:
        key_device_list(u, key);
        return;
    case UI_MODE_CONFIRM_QUIT:
        if (key == 'q' || key == 'y' || key == 'Q')
            u->quit = true;
        else if (key == 'w' && !u->path) {
            /* the built-in sample or a lesson's function has no file: ask
             * for one on the command line rather than refuse */
            u->mode = UI_MODE_COMMAND;
            snprintf(u->cmd, sizeof u->cmd, "wq ");
        } else if (key == 'w') {
            u->mode = UI_MODE_NORMAL;
            ui_save_quit(u, NULL); /* may ask "overwrite?" first */
        } else
            u->mode = UI_MODE_NORMAL;
        return;
    case UI_MODE_ASK_RELOAD:
    case UI_MODE_ASK_OVERWRITE:
    case UI_MODE_ASK_OPEN:
        ui_ask_key(u, key);
        return;
    case UI_MODE_NORMAL:
        break;
    }
    if (key != UI_KEY_ESC) u->msg[0] = '\0';
    for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++) {
        if (keymap[i].act == A_VIEW) {
            for (int v = 0; v < UI_VIEW_COUNT; v++)
                if (ui_view(v)->key == key) {
                    do_action(u, A_VIEW, v);
                    return;
                }
        } else if (keymap[i].k1 == key || (keymap[i].k2 && keymap[i].k2 == key)) {
            do_action(u, keymap[i].act, keymap[i].arg);
            return;
        }
    }
    if (ui_view(u->view)->on_key && ui_view(u->view)->on_key(u, key)) return;
    if (u->layer && u->layer->key(u, key)) return;
}

/* ---- commands ----------------------------------------------------------- */

static void uc_console(ui_t *u, const char *arg) {
    (void)arg;
    u->mode = UI_MODE_CONSOLE;
    u->con_scroll = 0;
}

static void uc_device(ui_t *u, const char *arg) {
    if (!*arg) {
        do_action(u, A_DEVICES, 0);
        return;
    }
    ttlx_device_t d;
    ttlx_error_t err = {0};
    if (!ttlx_device_resolve(arg, &d, &err)) {
        ui_message(u, true, "device: %s", err.what);
        return;
    }
    ui_set_device(u, &d);
    ui_message(u, false, "device %s (%dx%d cores, %d DRAM banks)", d.name, d.grid_x, d.grid_y,
               d.dram_banks);
}

static void uc_view(ui_t *u, const char *arg) {
    int v = ui_view_parse(arg);
    char views[120];
    if (v < 0)
        ui_message(u, true, "no view '%s' (%s)", arg, ui_view_list(views, sizeof views));
    else
        ui_view_set(u, v);
}

static void uc_buffer(ui_t *u, const char *arg) {
    int i = u->func ? ttlx_func_find_buffer(u->func, arg) : -1;
    if (i < 0)
        ui_message(u, true, "no buffer named '%s'", arg);
    else {
        if (ui_visible_pos(u, i) < 0) {
            u->filter[0] = '\0';
            ui_filter_apply(u);
        }
        ui_select_buffer(u, i);
    }
}

static void uc_write(ui_t *u, const char *arg) {
    ui_save(u, *arg ? arg : NULL);
}

static void uc_wq(ui_t *u, const char *arg) {
    ui_save_quit(u, *arg ? arg : NULL);
}

static void uc_open(ui_t *u, const char *arg) {
    ui_ask_open(u, arg);
}

static void uc_quit(ui_t *u, const char *arg) {
    (void)arg;
    if (u->dirty && !u->path)
        ui_message(u, true,
                   "unsaved hint edits: :wq FILE to save a copy, :q! to quit without saving");
    else if (u->dirty)
        ui_message(u, true, "unsaved hint edits: :w to save, :q! to quit without saving");
    else
        u->quit = true;
}

static void uc_quit_force(ui_t *u, const char *arg) {
    (void)arg;
    u->quit = true;
}

static void uc_theme(ui_t *u, const char *arg) {
    if (!*arg) {
        char names[32][32], list[400] = "";
        size_t n = ui_theme_list(names, 32);
        for (size_t i = 0; i < n; i++) {
            strncat(list, " ", sizeof list - strlen(list) - 1);
            strncat(list, names[i], sizeof list - strlen(list) - 1);
        }
        ui_message(u, false, "themes:%s (now %s, %s)", n ? list : " none found", u->theme.name,
                   ui_color_mode_name(u->color_mode));
        return;
    }
    char err[300];
    if (!ui_theme_load(&u->theme, arg, err, sizeof err)) {
        ui_message(u, true, "%s", err);
        return;
    }
    u->theme_gen++; /* the backend rebuilds its colour pairs */
    ui_message(u, false, "theme %s (%s)", u->theme.name, ui_color_mode_name(u->color_mode));
}

static void uc_set(ui_t *u, const char *arg) {
    char key[64];
    size_t k = strcspn(arg, " \t");
    if (!k || k >= sizeof key) {
        ui_message(u, true,
                   "usage: :set KEY VALUE (keys: memory, layout, tile_shape, dtype, axes, grid, "
                   "shard_shape_elems, order, distribution, align_tiles, cb_depth)");
        return;
    }
    memcpy(key, arg, k);
    key[k] = '\0';
    const char *val = arg + k;
    while (*val == ' ' || *val == '\t')
        val++;
    int f = ui_edit_field_find(key);
    if (f < 0) {
        ui_message(u, true, "no hint key '%s'", key);
        return;
    }
    if (u->sel < 0) return;
    ui_edit_set_text(u, f, val, true);
}

static void uc_clear(ui_t *u, const char *arg) {
    if (u->sel < 0) return;
    if (*arg) {
        int f = ui_edit_field_find(arg);
        if (f < 0)
            ui_message(u, true, "no hint key '%s'", arg);
        else
            ui_edit_set_text(u, f, "", true);
        return;
    }
    ui_undo_push(u);
    ttlx_func_set_hint(u->func, ttlx_func_buffer(u->func, (size_t)u->sel)->name, NULL);
    ui_rerun(u);
}

static void uc_undo(ui_t *u, const char *arg) {
    (void)arg;
    do_action(u, A_UNDO, 0);
}

static void uc_redo(ui_t *u, const char *arg) {
    (void)arg;
    do_action(u, A_REDO, 0);
}

static void uc_zoom(ui_t *u, const char *arg) {
    if (!strcmp(arg, "fit") || !*arg) {
        do_action(u, A_ZOOM_FIT, 0);
        return;
    }
    ui_tiles_zoom_cells(u, strtol(arg, NULL, 10));
}

static void uc_func(ui_t *u, const char *arg) {
    if (!*arg) {
        char list[400] = "";
        for (size_t k = 0; k < ttlx_module_func_count(u->mod); k++) {
            strncat(list, " ", sizeof list - strlen(list) - 1);
            strncat(list, ttlx_func_name(ttlx_module_func(u->mod, k)),
                    sizeof list - strlen(list) - 1);
        }
        ui_message(u, false, "functions:%s (now %s)", list, ttlx_func_name(u->func));
        return;
    }
    for (size_t k = 0; k < ttlx_module_func_count(u->mod); k++)
        if (!strcmp(ttlx_func_name(ttlx_module_func(u->mod, k)), arg)) {
            ui_switch_func(u, k);
            return;
        }
    ui_message(u, true, "no function named '%s'", arg);
}

static void uc_lua(ui_t *u, const char *arg) {
    if (u->layer)
        u->layer->lua(u, arg);
    else
        ui_message(u, true, ":lua: the Lua engine is not running");
}

static void uc_source(ui_t *u, const char *arg) {
    if (u->layer)
        u->layer->source(u, arg);
    else
        ui_message(u, true, ":source: the Lua engine is not running");
}

static void uc_export(ui_t *u, const char *arg) {
    ui_export(u, arg);
}

static void uc_help(ui_t *u, const char *arg) {
    (void)arg;
    do_action(u, A_HELP, 0);
}

void ui_command(ui_t *u, const char *line) {
    while (*line == ' ')
        line++;
    char name[32];
    size_t k = strcspn(line, " \t");
    if (!k) return;
    if (k >= sizeof name) k = sizeof name - 1;
    memcpy(name, line, k);
    name[k] = '\0';
    const char *arg = line + strcspn(line, " \t");
    while (*arg == ' ' || *arg == '\t')
        arg++;
    char argbuf[256];
    snprintf(argbuf, sizeof argbuf, "%s", arg);
    size_t n = strlen(argbuf);
    while (n && (argbuf[n - 1] == ' ' || argbuf[n - 1] == '\t'))
        argbuf[--n] = '\0';
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, name)) {
            commands[i].fn(u, argbuf);
            return;
        }
    if (u->layer && u->layer->command(u, name, argbuf)) return;
    /* did-you-mean by the one rule (ttlx_near.h) */
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        names[i] = commands[i].name;
    const char *near = ttlx_near(name, names, sizeof names / sizeof names[0]);
    if (near)
        ui_message(u, true, "unknown command ':%s' (did you mean ':%s'? ? lists the commands)",
                   name, near);
    else
        ui_message(u, true, "unknown command ':%s' (? lists the commands)", name);
}
