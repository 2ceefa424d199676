/*
 * ui_hooks.c - where the explorer meets the Lua engine (lua_api.h), as
 * its optional layer: `:lua`, `:source`, script keys and commands and
 * their help, the load and infer events, watched scripts. The explorer
 * reaches all of this through the ui_layer_t table set here.
 */
#include "ui/ui_hooks.h"
#include "ui/ui_edit.h"
#include "ui/ui_lesson.h"
#include "ui/view.h"
#include "ui/view_tiles.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lua/lua_api.h"

/* What a script asked of the views (ttlx.select, ttlx.view, ...), in call
 * order: applied once the run has ended and the rerun its hint edits cause
 * has made u->res current, so a lesson step that changes hints and then
 * points at a tile sees the new layout. Dropped when the run fails. */
typedef enum { OP_SELECT, OP_VIEW, OP_CORE, OP_TILE, OP_ZOOM } view_op_kind_t;
typedef struct view_op {
    view_op_kind_t kind;
    int64_t a, b;
    char name[256]; /* OP_SELECT: the buffer */
} view_op_t;
#define MAX_VIEW_OPS 32

/* The engine and what it watches. */
typedef struct lua_ext {
    lua_engine_t *eng;
    struct {
        char *path;
        struct timespec mtime;
        off_t size;
    } files[16];
    size_t nfiles;
    bool redraw, edited; /* during one top-level run */
    bool infer_pending;  /* a rerun happened while a script was running */
    int printed;         /* lines printed during the current top-level run */
    bool in_infer_event; /* the "infer" handlers are running */
    view_op_t ops[MAX_VIEW_OPS];
    int nops;
} lua_ext_t;

static lua_engine_t *engine(ui_t *u) {
    return u->ext ? ((lua_ext_t *)u->ext)->eng : NULL;
}

/* print() in the explorer: every line goes to the console (c), the last
 * one to the status line. */
static void on_output(void *ud, const char *text, size_t len) {
    ui_t *u = ud;
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    ui_console_add(u, text, len);
    lua_ext_t *x = u->ext;
    if (x) {
        for (size_t k = 0; k < len; k++)
            x->printed += text[k] == '\n';
        x->printed++;
    }
    const char *last = text;
    for (const char *p = text; p < text + len; p++)
        if (*p == '\n') last = p + 1;
    size_t n = (size_t)(text + len - last);
    ui_message(u, false, "%.*s", (int)(n > 380 ? 380 : n), last);
}

static ttlx_module_t *h_module(void *ud, size_t *fi, const char **path) {
    ui_t *u = ud;
    if (fi) *fi = u->func_index;
    if (path) *path = u->path;
    return u->mod;
}

static const ttlx_device_t *h_device(void *ud) {
    return &((ui_t *)ud)->dev;
}

static bool h_set_device(void *ud, const ttlx_device_t *dev, char *err, size_t n) {
    (void)err;
    (void)n;
    ui_set_device(ud, dev);
    return true;
}

static bool h_load(void *ud, const char *path, char *err, size_t n) {
    return ui_load_path(ud, path, err, n);
}

static bool h_save(void *ud, const char *path, char *err, size_t n) {
    ui_t *u = ud;
    bool ok = ui_save(u, path);
    if (!ok) snprintf(err, n, "%s", u->msg);
    return ok;
}

static void h_hints_edited(void *ud, cJSON *before, const char *label) {
    ui_t *u = ud;
    (void)label;
    if (u->ext) ((lua_ext_t *)u->ext)->edited = true;
    ui_hints_edited(u, before); /* one undo step, rerun with the diff */
}

static bool h_adopt(void *ud, ttlx_module_t *mod, char *err, size_t n) {
    (void)err;
    (void)n;
    ui_adopt_module(ud, mod);
    return true;
}

/* Queues a view request (the newest MAX_VIEW_OPS are kept). */
static void queue_op(ui_t *u, view_op_kind_t kind, int64_t a, int64_t b, const char *name) {
    lua_ext_t *x = u->ext;
    if (!x) return;
    if (x->nops == MAX_VIEW_OPS) {
        memmove(x->ops, x->ops + 1, sizeof x->ops - sizeof x->ops[0]);
        x->nops--;
    }
    view_op_t *op = &x->ops[x->nops++];
    *op = (view_op_t){.kind = kind, .a = a, .b = b};
    snprintf(op->name, sizeof op->name, "%s", name ? name : "");
}

static void h_select(void *ud, const char *buffer) {
    queue_op(ud, OP_SELECT, 0, 0, buffer);
}

static const char *h_selected(void *ud) {
    ui_t *u = ud;
    return u->func && u->sel >= 0 ? ttlx_func_buffer(u->func, (size_t)u->sel)->name : NULL;
}

static void h_view(void *ud, int index) {
    queue_op(ud, OP_VIEW, index, 0, NULL);
}

static void h_cursor_core(void *ud, int cx, int cy) {
    queue_op(ud, OP_CORE, cx, cy, NULL);
}

static void h_cursor_tile(void *ud, int64_t row, int64_t col) {
    queue_op(ud, OP_TILE, row, col, NULL);
}

static void h_zoom(void *ud, int64_t tiles) {
    queue_op(ud, OP_ZOOM, tiles, 0, NULL);
}

static void h_lesson(void *ud, const lua_engine_lesson_t *l) {
    if (!l)
        ui_lesson_leave(ud);
    else
        ui_lesson_pin(ud, l->title, l->step, l->steps, l->step_title, l->text, l->next_key,
                      l->prev_key, l->leave_key);
}

/* Applies the queued view requests in order (their arguments were checked
 * by the engine against the same state). */
static void apply_ops(ui_t *u) {
    lua_ext_t *x = u->ext;
    for (int k = 0; k < x->nops; k++) {
        const view_op_t *op = &x->ops[k];
        switch (op->kind) {
        case OP_SELECT: {
            int i = u->func ? ttlx_func_find_buffer(u->func, op->name) : -1;
            if (i >= 0) ui_select_buffer(u, i);
            break;
        }
        case OP_VIEW:
            ui_view_set(u, (int)op->a);
            break;
        case OP_CORE:
            if (op->a < u->dev.grid_x && op->b < u->dev.grid_y) {
                u->core_x = (int)op->a;
                u->core_y = (int)op->b;
            }
            break;
        case OP_TILE:
            ui_tiles_cursor(u, op->a, op->b);
            break;
        case OP_ZOOM:
            ui_tiles_zoom_cells(u, (long)op->a);
            ui_tiles_cursor(u, u->tile_row, u->tile_col); /* the viewport from the layout */
            break;
        }
    }
    x->nops = 0;
}

static void h_redraw(void *ud) {
    ui_t *u = ud;
    if (u->ext) ((lua_ext_t *)u->ext)->redraw = true; /* settled in report() */
}

static void track_files(ui_t *u) {
    lua_ext_t *x = u->ext;
    size_t n = 0;
    const char *const *f = lua_engine_watched_files(x->eng, &n);
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < x->nfiles; k++)
            known |= !strcmp(x->files[k].path, f[i]);
        if (known || x->nfiles >= sizeof x->files / sizeof x->files[0]) continue;
        struct stat st;
        char *p = strdup(f[i]);
        if (!p) continue;
        x->files[x->nfiles].path = p;
        x->files[x->nfiles].mtime = stat(p, &st) == 0 ? st.st_mtim : (struct timespec){0, 0};
        x->files[x->nfiles].size = stat(p, &st) == 0 ? st.st_size : 0;
        x->nfiles++;
    }
}

static void hook_inferred(ui_t *u);

/* After one top-level run: rerun when the script changed something that
 * hints_edited did not already cover, show an error, watch new files. */
static void report(ui_t *u, lua_engine_status_t st, const char *what) {
    lua_ext_t *x = u->ext;
    if (x->redraw && !x->edited) ui_rerun(u);
    x->redraw = x->edited = false;
    if (st == LUA_ENGINE_ERROR) {
        ui_message(u, true, "%s: %s", what, lua_engine_error_line(engine(u)));
        x->nops = 0;
    } else
        apply_ops(u);
    track_files(u);
    /* A run that printed several lines (a sweep table) opens the console so
     * none of it is lost; one line fits the status line. A pinned lesson
     * step keeps the views in sight: what it printed waits behind c. */
    if (x->printed > 1 && u->lesson.on && st != LUA_ENGINE_ERROR)
        ui_message(u, false, "c shows what was printed (%d lines)", x->printed);
    else if (x->printed > 1 && u->mode == UI_MODE_NORMAL) {
        u->mode = UI_MODE_CONSOLE;
        u->con_scroll = 0;
    }
    x->printed = 0;
    /* Reruns caused by the script itself fire "infer" once it has returned. */
    if (x->infer_pending && !lua_engine_busy(x->eng)) {
        x->infer_pending = false;
        hook_inferred(u);
    }
}

static const ui_layer_t layer;

void ui_hooks_start(ui_t *u, const char *script, bool trust, const char *const *allowed,
                    size_t nallowed) {
    lua_ext_t *x = calloc(1, sizeof *x);
    if (!x) return;
    static lua_engine_host_t host; /* copied by the engine */
    host = (lua_engine_host_t){.ud = u,
                               .module = h_module,
                               .device = h_device,
                               .set_device = h_set_device,
                               .load = h_load,
                               .save = h_save,
                               .hints_edited = h_hints_edited,
                               .adopt = h_adopt,
                               .select = h_select,
                               .selected = h_selected,
                               .view = h_view,
                               .cursor_core = h_cursor_core,
                               .cursor_tile = h_cursor_tile,
                               .zoom = h_zoom,
                               .lesson = h_lesson,
                               .redraw = h_redraw};
    lua_engine_opts_t o = {0};
    o.view_names = ui_view_names(&o.nview_names);
    o.trust = trust;
    o.output = on_output;
    o.output_ud = u;
    o.host = &host;
    x->eng = lua_engine_new(&o);
    if (!x->eng) {
        free(x);
        ui_message(u, true, "Lua: out of memory; scripting is off");
        return;
    }
    u->ext = x;
    u->layer = &layer;
    for (size_t i = 0; i < nallowed; i++)
        if (allowed[i]) lua_engine_allow_path(x->eng, allowed[i]);
    if (lua_engine_load_init(x->eng) < 0)
        ui_message(u, true, "init.lua: %s", lua_engine_error_line(x->eng));
    if (script) report(u, lua_engine_run_file(x->eng, script), script);
    track_files(u);
}

void ui_hooks_stop(ui_t *u) {
    lua_ext_t *x = u->ext;
    if (!x) return;
    lua_engine_free(x->eng);
    for (size_t k = 0; k < x->nfiles; k++)
        free(x->files[k].path);
    free(x);
    u->ext = NULL;
    u->layer = NULL;
}

static void hook_lua(ui_t *u, const char *code) {
    if (!engine(u)) {
        ui_message(u, true, ":lua: the Lua engine is not running");
        return;
    }
    report(u, lua_engine_run_string(engine(u), code), ":lua");
}

static void hook_source(ui_t *u, const char *path) {
    if (!engine(u)) {
        ui_message(u, true, ":source: the Lua engine is not running");
        return;
    }
    if (!*path) {
        ui_message(u, true, "usage: :source FILE.lua");
        return;
    }
    report(u, lua_engine_run_file(engine(u), path), path);
}

static void key_name(int key, char *out, size_t n) {
    if (key >= 1 && key <= 26 && key != 9 && key != 13)
        snprintf(out, n, "C-%c", 'a' + key - 1);
    else if (key >= 0x20 && key < 0x110000) {
        char b[5];
        int k = ttlx_utf8_encode((uint32_t)key, b);
        snprintf(out, n, "%.*s", k, b);
    } else
        out[0] = '\0';
}

static bool hook_key(ui_t *u, int key) {
    if (!engine(u)) return false;
    char name[16];
    key_name(key, name, sizeof name);
    if (!name[0]) return false;
    lua_engine_status_t st = lua_engine_run_key(engine(u), name);
    if (st == LUA_ENGINE_NOT_FOUND) return false;
    report(u, st, name);
    return true;
}

static bool hook_command(ui_t *u, const char *name, const char *arg) {
    if (!engine(u)) return false;
    lua_engine_status_t st = lua_engine_run_command(engine(u), name, arg);
    if (st == LUA_ENGINE_NOT_FOUND) return false;
    report(u, st, name);
    return true;
}

static int hook_help(const ui_t *u, ui_help_line_t *out, int cap) {
    const lua_ext_t *x = u->ext;
    if (!x || cap < 1) return 0;
    int n = 0;
    size_t nk = lua_engine_key_count(x->eng), nc = lua_engine_command_count(x->eng);
    if (!nk && !nc) return 0;
    static char names[64][48];
    out[n++] = (ui_help_line_t){NULL, "From scripts (ttlx.bind, ttlx.command)"};
    for (size_t i = 0; i < nk && n < cap && n < 64; i++) {
        const lua_engine_binding_t *b = lua_engine_key_at(x->eng, i);
        snprintf(names[n], sizeof names[n], "%s", b->name);
        out[n] = (ui_help_line_t){names[n], b->help};
        n++;
    }
    for (size_t i = 0; i < nc && n < cap && n < 64; i++) {
        const lua_engine_binding_t *b = lua_engine_command_at(x->eng, i);
        snprintf(names[n], sizeof names[n], ":%s", b->name);
        out[n] = (ui_help_line_t){names[n], b->help};
        n++;
    }
    return n;
}

static void hook_loaded(ui_t *u) {
    if (engine(u) && lua_engine_has_handlers(engine(u), "load"))
        report(u, lua_engine_fire(engine(u), "load", NULL), "load handler");
}

static void hook_inferred(ui_t *u) {
    lua_ext_t *x = u->ext;
    if (!x || !u->res || x->in_infer_event || !lua_engine_has_handlers(x->eng, "infer")) return;
    if (lua_engine_busy(x->eng)) {
        x->infer_pending = true;
        return;
    }
    x->in_infer_event = true;
    lua_engine_status_t st = lua_engine_fire(x->eng, "infer", u->res);
    report(u, st, "infer handler");
    x->in_infer_event = false;
}

static bool hook_poll(ui_t *u) {
    lua_ext_t *x = u->ext;
    if (!x) return false;
    bool any = false;
    for (size_t k = 0; k < x->nfiles; k++) {
        struct stat st;
        if (stat(x->files[k].path, &st) != 0) continue;
        if (st.st_mtim.tv_sec == x->files[k].mtime.tv_sec &&
            st.st_mtim.tv_nsec == x->files[k].mtime.tv_nsec && st.st_size == x->files[k].size)
            continue;
        x->files[k].mtime = st.st_mtim;
        x->files[k].size = st.st_size;
        ui_message(u, false, "%s changed: rerun", x->files[k].path); /* print() may override */
        report(u, lua_engine_run_file(x->eng, x->files[k].path), x->files[k].path);
        any = true;
    }
    return any;
}

static const ui_layer_t layer = {
    .loaded = hook_loaded,
    .inferred = hook_inferred,
    .poll = hook_poll,
    .key = hook_key,
    .command = hook_command,
    .help = hook_help,
    .lua = hook_lua,
    .source = hook_source,
};
