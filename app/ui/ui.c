/*
 * ui.c - explorer state and update: opening and reloading the PrimFunc,
 * rerunning inference, the key map and its actions, mouse hits, the ':'
 * command line, and the diff of what the last change moved. Nothing here
 * draws; ui_draw.c reads this state.
 */
#include "ui/ui.h"
#include "ui/ui_hooks.h"
#include "ttlx_load.h"
#include "ttlx_output.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The built-in sample: a matmul with one L1-sharded input, one DRAM input
 * and a DRAM output; a teaching start point when ttlx runs with no FILE. */
static const char sample_json[] =
    "{\n"
    "  \"name\": \"matmul\",\n"
    "  \"description\": \"built-in sample: 256x256 matmul, A sharded in L1\",\n"
    "  \"buffers\": [\n"
    "    {\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"input\"},\n"
    "    {\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"weight\"},\n"
    "    {\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"}\n"
    "  ],\n"
    "  \"kernel\": [8, 8],\n"
    "  \"device\": \"wormhole_n150\",\n"
    "  \"attrs\": {\n"
    "    \"tt.user_layout\": {\n"
    "      \"A\": {\"memory\": \"L1\", \"layout\": \"sharded\",\n"
    "             \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4],\n"
    "                          \"shard_shape_elems\": [128, 64]}}\n"
    "    }\n"
    "  }\n"
    "}\n";

const char *ui_fmt_bytes(int64_t b, char *buf, size_t n) {
    if (b < 0)
        snprintf(buf, n, "-");
    else if (b < 1024)
        snprintf(buf, n, "%lldB", (long long)b);
    else if (b < 1024 * 1024)
        snprintf(buf, n, "%.1fK", (double)b / 1024.0);
    else if (b < 1024LL * 1024 * 1024)
        snprintf(buf, n, "%.2fM", (double)b / (1024.0 * 1024.0));
    else
        snprintf(buf, n, "%.2fG", (double)b / (1024.0 * 1024.0 * 1024.0));
    return buf;
}

void ui_message(ui_t *u, bool error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    u->msg_error = error;
}

void ui_init(ui_t *u) {
    memset(u, 0, sizeof *u);
    u->sel = -1;
    u->diag_sel = 0;
    u->focus = UI_PANE_BUFFERS;
    u->zoom_fit = u->zoom_first = true;
    ui_theme_fallback(&u->theme);
    u->color_mode = UI_COLORS_256;
}

static void free_stack(cJSON **s, size_t *n) {
    for (size_t i = 0; i < *n; i++)
        cJSON_Delete(s[i]);
    *n = 0;
}

void ui_console_add(ui_t *u, const char *text, size_t len) {
    if (!u->console) {
        u->console = calloc(UI_CONSOLE_LINES, sizeof *u->console);
        if (!u->console) return;
    }
    while (len > 0) {
        const char *nl = memchr(text, '\n', len);
        size_t n = nl ? (size_t)(nl - text) : len;
        int slot = (u->con_head + u->con_count) % UI_CONSOLE_LINES;
        if (u->con_count == UI_CONSOLE_LINES)
            u->con_head = (u->con_head + 1) % UI_CONSOLE_LINES;
        else
            u->con_count++;
        size_t keep = n < UI_CONSOLE_WIDTH - 1 ? n : UI_CONSOLE_WIDTH - 1;
        /* Cut on a UTF-8 boundary. */
        while (keep > 0 && keep < n && ((unsigned char)text[keep] & 0xC0) == 0x80)
            keep--;
        memcpy(u->console[slot], text, keep);
        u->console[slot][keep] = '\0';
        for (size_t k = 0; k < keep; k++)
            if (u->console[slot][k] == '\t' || u->console[slot][k] == '\r')
                u->console[slot][k] = ' ';
        if (!nl) break;
        text = nl + 1;
        len -= n + 1;
    }
    u->con_scroll = 0;
}

const char *ui_console_line(const ui_t *u, int i) {
    if (!u->console || i < 0 || i >= u->con_count) return NULL;
    return u->console[(u->con_head + i) % UI_CONSOLE_LINES];
}

void ui_free(ui_t *u) {
    free(u->console);
    u->console = NULL;
    ttlx_result_free(u->res);
    u->res = NULL;
    cJSON_Delete(u->attrs);
    ttlx_module_free(u->mod);
    free_stack(u->undo, &u->nundo);
    free_stack(u->redo, &u->nredo);
    free(u->undo);
    free(u->redo);
    cJSON_Delete(u->saved_hints);
    free(u->saved_text);
    free(u->visible);
    free(u->path);
    memset(u, 0, sizeof *u);
}

const cJSON *ui_attrs(ui_t *u) {
    if (!u->attrs && u->res) u->attrs = ttlx_output_attrs(u->res);
    return u->attrs;
}

/* ---- filter and selection ------------------------------------------------ */

/* Case-insensitive substring test (ASCII folding). */
static bool contains_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n)) return true;
    return n == 0;
}

static void rebuild_visible(ui_t *u) {
    size_t n = u->func ? ttlx_func_buffer_count(u->func) : 0;
    int *v = realloc(u->visible, (n ? n : 1) * sizeof *v);
    if (!v) return;
    u->visible = v;
    u->nvisible = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = ttlx_func_buffer(u->func, i)->name;
        if (!u->filter[0] || contains_ci(name, u->filter)) u->visible[u->nvisible++] = (int)i;
    }
}

static int visible_pos(const ui_t *u, int buf) {
    for (int k = 0; k < u->nvisible; k++)
        if (u->visible[k] == buf) return k;
    return -1;
}

void ui_select_buffer(ui_t *u, int i) {
    if (!u->func || i < 0 || (size_t)i >= ttlx_func_buffer_count(u->func)) return;
    if (i != u->sel) {
        u->tile_row = u->tile_col = 0;
        u->pan_row = u->pan_col = 0;
        u->zoom_fit = u->zoom_first = true;
        u->scroll = 0;
    }
    u->sel = i;
    int pos = visible_pos(u, i);
    if (pos >= 0) {
        int rows = u->geom.list_h > 1 ? (u->geom.list_h - 1) / 2 : 1;
        if (pos < u->list_top) u->list_top = pos;
        if (pos >= u->list_top + rows) u->list_top = pos - rows + 1;
    }
}

static void clamp_cursor(ui_t *u) {
    if (u->core_x >= u->dev.grid_x && u->core_y < u->dev.grid_y) u->core_x = u->dev.grid_x - 1;
    if (u->core_y > u->dev.grid_y) u->core_y = u->dev.grid_y;
    if (u->core_y == u->dev.grid_y && u->core_x >= u->dev.dram_banks)
        u->core_x = u->dev.dram_banks - 1;
    if (u->core_x < 0) u->core_x = 0;
    if (u->core_y < 0) u->core_y = 0;
    size_t nd = u->res ? ttlx_result_diag_count(u->res) : 0;
    if (u->diag_sel >= (int)nd) u->diag_sel = nd ? (int)nd - 1 : 0;
    if (u->diag_top > u->diag_sel) u->diag_top = u->diag_sel;
}

static void stack_push_undo(ui_t *u, cJSON *v) {
    if (u->nundo == u->capundo) {
        size_t nc = u->capundo ? u->capundo * 2 : 16;
        cJSON **ns = realloc(u->undo, nc * sizeof *ns);
        if (!ns) {
            cJSON_Delete(v);
            return;
        }
        u->undo = ns;
        u->capundo = nc;
    }
    u->undo[u->nundo++] = v;
}

/* ---- inference and the change diff --------------------------------------- */

static int64_t layout_cores(const ttlx_layout_t *l) {
    if (!l->placed) return 0;
    return l->has_shard ? l->cores_used : l->banks;
}

static int64_t layout_bytes(const ttlx_layout_t *l) {
    if (!l->placed) return 0;
    return l->has_shard ? l->bytes_per_core : l->bytes_per_bank;
}

static void compute_diff(ui_t *u, const ttlx_result_t *a, const ttlx_result_t *b) {
    u->ndiff = 0;
    size_t n = ttlx_result_buffer_count(b);
    if (ttlx_result_buffer_count(a) != n) return;
    char s1[32], s2[32];
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        const ttlx_layout_t *x = ttlx_result_layout(a, i), *y = ttlx_result_layout(b, i);
        bool mem = x->memory != y->memory, lay = x->layout != y->layout;
        int64_t cx = layout_cores(x), cy = layout_cores(y);
        int64_t bx = layout_bytes(x), by = layout_bytes(y);
        if (!mem && !lay && cx == cy && bx == by && x->placed == y->placed) continue;
        changed++;
        if (u->ndiff >= 6) continue;
        char *line = u->diff[u->ndiff++];
        size_t cap = sizeof u->diff[0];
        int k = snprintf(line, cap, "%s:", y->buf->name);
        if (mem)
            k += snprintf(line + k, cap - (size_t)k, " %s->%s", ttlx_memory_name(x->memory),
                          ttlx_memory_name(y->memory));
        if (lay && k < (int)cap)
            k += snprintf(line + k, cap - (size_t)k, " %s->%s", ttlx_layout_kind_name(x->layout),
                          ttlx_layout_kind_name(y->layout));
        if (cx != cy && k < (int)cap)
            k += snprintf(line + k, cap - (size_t)k, " %s %lld->%lld",
                          y->memory == TTLX_MEM_DRAM && !y->has_shard ? "banks" : "cores",
                          (long long)cx, (long long)cy);
        if (bx != by && k < (int)cap)
            snprintf(line + k, cap - (size_t)k, " %s->%s each", ui_fmt_bytes(bx, s1, sizeof s1),
                     ui_fmt_bytes(by, s2, sizeof s2));
    }
    int64_t ma = ttlx_result_max_used(a, NULL, NULL), mb = ttlx_result_max_used(b, NULL, NULL);
    size_t ea, eb;
    ttlx_result_diag_counts(a, &ea, NULL, NULL);
    ttlx_result_diag_counts(b, &eb, NULL, NULL);
    if (changed > u->ndiff && u->ndiff < 8) {
        int more = changed - u->ndiff;
        snprintf(u->diff[u->ndiff++], sizeof u->diff[0], "(+%d more buffers)", more);
    }
    if (ma != mb && u->ndiff < 8)
        snprintf(u->diff[u->ndiff++], sizeof u->diff[0], "L1 max used %s->%s",
                 ui_fmt_bytes(ma, s1, sizeof s1), ui_fmt_bytes(mb, s2, sizeof s2));
    if (ea != eb && u->ndiff < 8)
        snprintf(u->diff[u->ndiff++], sizeof u->diff[0], "errors %zu->%zu", ea, eb);
    if (!u->ndiff) snprintf(u->diff[u->ndiff++], sizeof u->diff[0], "nothing moved");
}

/* Dirty when the hints differ from the last loaded or saved ones. Compared
 * as compact text: cJSON_Compare on objects is quadratic in the keys. */
static void update_dirty(ui_t *u) {
    const cJSON *attrs = ttlx_func_attrs(u->func);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(attrs, "tt.user_layout");
    char *now = h ? cJSON_PrintUnformatted(h) : NULL;
    if (!u->saved_text && u->saved_hints) u->saved_text = cJSON_PrintUnformatted(u->saved_hints);
    const char *then = u->saved_text;
    bool empty_now = !now || !strcmp(now, "{}"), empty_then = !then || !strcmp(then, "{}");
    u->dirty = !(empty_now && empty_then) && !(now && then && !strcmp(now, then));
    free(now);
}

/* Reruns inference; track computes the diff against the previous result. */
static void rerun(ui_t *u, bool track) {
    if (!u->func) return;
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(u->func, &u->dev, &err);
    if (!r) {
        u->infer_failed = true;
        ui_message(u, true, "inference failed: %s", err.what);
        return;
    }
    u->infer_failed = false;
    if (track && u->res) compute_diff(u, u->res, r);
    ttlx_result_free(u->res);
    u->res = r;
    cJSON_Delete(u->attrs);
    u->attrs = NULL;
    rebuild_visible(u);
    clamp_cursor(u);
    update_dirty(u);
    ui_hook_inferred(u);
}

void ui_rerun(ui_t *u) {
    rerun(u, true);
}

static void watch_stat(ui_t *u) {
    struct stat st;
    u->watch_valid = u->path && stat(u->path, &st) == 0;
    if (!u->watch_valid) return;
    u->watch_mtime = st.st_mtim;
    u->watch_size = st.st_size;
    u->watch_ino = st.st_ino;
}

/* Installs a freshly loaded module, keeping the selection by name. */
static void install_module(ui_t *u, ttlx_module_t *mod, size_t fi, bool keep_device) {
    char selname[256] = "";
    if (u->func && u->sel >= 0)
        snprintf(selname, sizeof selname, "%s", ttlx_func_buffer(u->func, (size_t)u->sel)->name);
    char funcname[256] = "";
    if (u->func) snprintf(funcname, sizeof funcname, "%s", ttlx_func_name(u->func));
    ttlx_result_free(u->res); /* borrows the old module's buffers */
    u->res = NULL;
    ttlx_module_free(u->mod);
    u->mod = mod;
    if (funcname[0])
        for (size_t k = 0; k < ttlx_module_func_count(mod); k++)
            if (!strcmp(ttlx_func_name(ttlx_module_func(mod, k)), funcname)) fi = k;
    u->func_index = fi;
    u->func = ttlx_module_func(mod, fi);
    (void)keep_device;
    cJSON_Delete(u->saved_hints);
    u->saved_hints = ttlx_func_hints_copy(u->func);
    free(u->saved_text);
    u->saved_text = NULL;
    u->ndiff = 0;
    rerun(u, false);
    int keep = selname[0] ? ttlx_func_find_buffer(u->func, selname) : -1;
    u->sel = -1;
    ui_select_buffer(u, keep >= 0 ? keep : 0);
}

static bool open_common(ui_t *u, ttlx_module_t *mod, const ttlx_open_opts_t *o, const char *label) {
    size_t fi = 0;
    if (o && o->func) {
        size_t n = ttlx_module_func_count(mod);
        for (fi = 0; fi < n; fi++)
            if (!strcmp(ttlx_func_name(ttlx_module_func(mod, fi)), o->func)) break;
        if (fi == n) {
            fprintf(stderr, "ttlx: %s: no function named '%s'\n", label, o->func);
            ttlx_module_free(mod);
            return false;
        }
    }
    const char *dname =
        o && o->device ? o->device : ttlx_func_device_name(ttlx_module_func(mod, fi));
    ttlx_error_t err = {0};
    if (!dname) {
        u->dev = *ttlx_device_default();
    } else if (!ttlx_device_resolve(dname, &u->dev, &err)) {
        char msg[600];
        fprintf(stderr, "ttlx: %s\n",
                ttlx_error_format(&err, o && o->device ? NULL : label, msg, sizeof msg));
        ttlx_module_free(mod);
        return false;
    }
    install_module(u, mod, fi, false);
    if (!u->res) {
        fprintf(stderr, "ttlx: %s: inference failed: %s\n", label, u->msg);
        return false;
    }
    return true;
}

bool ui_open(ui_t *u, const char *path, const ttlx_open_opts_t *o) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_file(path, o ? o->binds : NULL, o ? o->nbinds : 0, &err);
    if (!mod) {
        char msg[600];
        fprintf(stderr, "ttlx: %s\n", ttlx_error_format(&err, path, msg, sizeof msg));
        return false;
    }
    free(u->path);
    u->path = strdup(path);
    if (!open_common(u, mod, o, path)) return false;
    watch_stat(u);
    return true;
}

bool ui_open_string(ui_t *u, const char *text, size_t len, const char *name,
                    const ttlx_open_opts_t *o) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_string(text, len, name, NULL, 0, &err);
    if (!mod) {
        char msg[600];
        fprintf(stderr, "ttlx: %s\n", ttlx_error_format(&err, name, msg, sizeof msg));
        return false;
    }
    free(u->path);
    u->path = NULL;
    return open_common(u, mod, o, name);
}

bool ui_open_sample(ui_t *u, const ttlx_open_opts_t *o) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod =
        ttlx_module_load_string(sample_json, sizeof sample_json - 1, "sample.json", NULL, 0, &err);
    if (!mod) {
        fprintf(stderr, "ttlx: built-in sample: %s\n", err.what);
        return false;
    }
    free(u->path);
    u->path = NULL;
    return open_common(u, mod, o, "<sample>");
}

bool ui_load_path(ui_t *u, const char *path, char *err, size_t errsize) {
    ttlx_error_t e = {0};
    ttlx_module_t *mod = ttlx_module_load_file(path, NULL, 0, &e);
    if (!mod) {
        ttlx_error_format(&e, path, err, errsize);
        return false;
    }
    char *p = strdup(path);
    if (!p) {
        ttlx_module_free(mod);
        snprintf(err, errsize, "out of memory");
        return false;
    }
    free(u->path);
    u->path = p;
    u->func = NULL; /* a new file: no function to keep */
    install_module(u, mod, 0, true);
    watch_stat(u);
    ui_hook_loaded(u);
    return true;
}

void ui_adopt_module(ui_t *u, ttlx_module_t *mod) {
    u->func = NULL;
    install_module(u, mod, 0, true);
    ui_hook_loaded(u);
}

void ui_set_device(ui_t *u, const ttlx_device_t *dev) {
    u->dev = *dev;
    rerun(u, false);
    u->ndiff = 0;
}

void ui_hints_edited(ui_t *u, cJSON *before) {
    if (before) {
        stack_push_undo(u, before);
        for (size_t i = 0; i < u->nredo; i++)
            cJSON_Delete(u->redo[i]);
        u->nredo = 0;
    }
    ui_rerun(u);
}

bool ui_poll_file(ui_t *u, int64_t now_ms) {
    if (now_ms - u->last_poll_ms < 500) return false;
    bool changed = ui_hook_poll(u);
    if (!u->path) {
        u->last_poll_ms = now_ms;
        return changed;
    }
    u->last_poll_ms = now_ms;
    struct stat st;
    if (stat(u->path, &st) != 0) return changed; /* gone for now: keep the last good state */
    if (u->watch_valid && st.st_mtim.tv_sec == u->watch_mtime.tv_sec &&
        st.st_mtim.tv_nsec == u->watch_mtime.tv_nsec && st.st_size == u->watch_size &&
        st.st_ino == u->watch_ino)
        return changed;
    u->watch_valid = true;
    u->watch_mtime = st.st_mtim;
    u->watch_size = st.st_size;
    u->watch_ino = st.st_ino;
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_file(u->path, NULL, 0, &err);
    if (!mod) {
        char msg[600];
        ui_message(u, true, "reload failed, showing the last good state: %s",
                   ttlx_error_format(&err, u->path, msg, sizeof msg));
        return true;
    }
    bool had_edits = u->dirty;
    install_module(u, mod, 0, true);
    ui_hook_loaded(u);
    ui_message(u, false, "%s changed on disk: reloaded%s", u->path,
               had_edits ? " (unsaved edits were replaced)" : "");
    return true;
}

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
    A_UNDO,
    A_REDO,
    A_SAVE,
    A_DEVICES,
    A_ZOOM_IN,
    A_ZOOM_OUT,
    A_ZOOM_FIT,
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
} keybind_t;

static const keybind_t keymap[] = {
    {UI_KEY_UP, 'k', "Up k", A_UP, 0, "move up: buffer, core, tile row, diagnostic"},
    {UI_KEY_DOWN, 'j', "Down j", A_DOWN, 0, "move down"},
    {UI_KEY_LEFT, 'h', "Left h", A_LEFT, 0, "move left (core, tile); previous view in the list"},
    {UI_KEY_RIGHT, 'l', "Right l", A_RIGHT, 0, "move right (core, tile); next view in the list"},
    {UI_KEY_PGUP, 0, "PgUp", A_PGUP, 0, "page up"},
    {UI_KEY_PGDN, 0, "PgDn", A_PGDN, 0, "page down"},
    {UI_KEY_HOME, 'g', "Home g", A_HOME, 0, "first"},
    {UI_KEY_END, 'G', "End G", A_END, 0, "last"},
    {UI_KEY_TAB, 0, "Tab", A_NEXT_PANE, 0, "next pane: buffers, view, diagnostics"},
    {UI_KEY_BTAB, 0, "S-Tab", A_PREV_PANE, 0, "previous pane"},
    {UI_KEY_ENTER, 0, "Enter", A_ENTER, 0, "edit hints (buffers); jump to the core/tile (view)"},
    {UI_KEY_ESC, 0, "Esc", A_ESC, 0, "close, clear the filter, dismiss the message"},
    {'1', 0, "1", A_VIEW, UI_VIEW_CORES, "Cores view: shards/banks and L1 heat map"},
    {'2', 0, "2", A_VIEW, UI_VIEW_TILES, "Tiles view: tile grid, owner of each tile"},
    {'3', 0, "3", A_VIEW, UI_VIEW_PROJECTION, "Projection view: N-D axes onto the grid"},
    {'4', 0, "4", A_VIEW, UI_VIEW_WORK, "Work view: circular buffers, work partition"},
    {'5', 0, "5", A_VIEW, UI_VIEW_METADATA, "Metadata view: tt.buffer.* and tt.cb.*"},
    {']', 0, "]", A_NEXT_VIEW, 0, "next view"},
    {'[', 0, "[", A_PREV_VIEW, 0, "previous view"},
    {'J', 'n', "J n", A_NEXT_BUFFER, 0, "next buffer (from any pane)"},
    {'K', 'p', "K p", A_PREV_BUFFER, 0, "previous buffer"},
    {'e', 0, "e", A_EDIT, 0, "edit the selected buffer's hints"},
    {'u', 0, "u", A_UNDO, 0, "undo the last hint edit"},
    {'U', 18, "U C-r", A_REDO, 0, "redo"},
    {'w', 0, "w", A_SAVE, 0, "save hints into the file (atomic)"},
    {'d', 0, "d", A_DEVICES, 0, "choose the device from a list"},
    {'+', '=', "+ =", A_ZOOM_IN, 0, "zoom in (Tiles)"},
    {'-', 0, "-", A_ZOOM_OUT, 0, "zoom out: aggregate tiles (Tiles)"},
    {'0', 0, "0", A_ZOOM_FIT, 0, "fit the tile grid (Tiles)"},
    {'t', 0, "t", A_THEME, 0, "next theme"},
    {'x', 0, "x", A_EXPORT, 0, "export the hints as an annotate_tt_layout call (FILE_layout.py)"},
    {'/', 0, "/", A_FILTER, 0, "filter buffers by name"},
    {':', 0, ":", A_COMMAND, 0, "command line (commands below)"},
    {'?', 0, "?", A_HELP, 0, "this help"},
    {'c', 0, "c", A_CONSOLE, 0, "console: what scripts printed (lessons, sweeps)"},
    {'q', 0, "q", A_QUIT, 0, "quit (asks first when hints are unsaved)"},
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
    {"view", "NAME", uc_view, "cores, tiles, projection, work or metadata"},
    {"buffer", "NAME", uc_buffer, "select a buffer"},
    {"set", "KEY VALUE", uc_set, "set a hint key of the buffer (e.g. :set nd_shard.grid 2,4)"},
    {"clear", "[KEY]", uc_clear, "remove a hint key, or the buffer's whole hint"},
    {"undo", "", uc_undo, "undo the last hint edit"},
    {"redo", "", uc_redo, "redo"},
    {"w", "[FILE]", uc_write, "save hints (atomic); FILE saves a copy there"},
    {"wq", "", uc_wq, "save and quit"},
    {"q", "", uc_quit, "quit (refuses with unsaved hints)"},
    {"q!", "", uc_quit_force, "quit, dropping unsaved hints"},
    {"theme", "NAME", uc_theme, "load themes/NAME.lua (no NAME: list)"},
    {"zoom", "N|fit", uc_zoom, "Tiles: N tiles per cell side (a power of 2)"},
    {"func", "NAME", uc_func, "open another function of the IRModule"},
    {"lua", "CODE", uc_lua, "run a line of Lua (ttlx API; print shows below)"},
    {"source", "FILE", uc_source, "run a Lua file; rerun when it is saved"},
    {"export", "FMT [FILE]", uc_export, "json, python, tvmscript, plan or svg"},
    {"help", "", uc_help, "this help"},
    {"console", "", uc_console, "show what scripts printed (also the c key)"},
};

int ui_help_lines(const ui_t *u, ui_help_line_t *out, int cap) {
    int n = 0;
#define ADD(k, h)                                                                                  \
    do {                                                                                           \
        if (n < cap) out[n++] = (ui_help_line_t){(k), (h)};                                        \
    } while (0)
    ADD(NULL, "Keys");
    for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
        ADD(keymap[i].keys, keymap[i].help);
    ADD(NULL, "Hint editor (e or Enter on a buffer)");
    ADD("Up/Down", "choose a field");
    ADD("Left/Right", "cycle the field's values (validated at once)");
    ADD("Enter", "type a value (rerun on every key); Enter keeps it");
    ADD("Del x", "remove the field from the hint");
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
    n += ui_hook_help(u, out + n, cap - n); /* keys and commands added by scripts */
#undef ADD
    return n;
}

/* ---- actions ------------------------------------------------------------ */

const char *ui_view_name(ui_view_t v) {
    static const char *const n[UI_VIEW_COUNT] = {"cores", "tiles", "projection", "work",
                                                 "metadata"};
    return v < UI_VIEW_COUNT ? n[v] : "?";
}

int ui_view_parse(const char *name) {
    for (int v = 0; v < UI_VIEW_COUNT; v++)
        if (!strncasecmp(name, ui_view_name((ui_view_t)v), strlen(name)) && *name) return v;
    return -1;
}

static const ttlx_layout_t *sel_layout(const ui_t *u) {
    if (!u->res || u->sel < 0 || (size_t)u->sel >= ttlx_result_buffer_count(u->res)) return NULL;
    return ttlx_result_layout(u->res, (size_t)u->sel);
}

/* Moves the core cursor to the owner of the tile under the tile cursor. */
static void core_from_tile(ui_t *u) {
    ttlx_place_t p;
    if (!sel_layout(u) || !ttlx_place_tile(u->res, (size_t)u->sel, u->tile_row, u->tile_col, &p))
        return;
    if (p.dram) {
        u->core_x = p.bank;
        u->core_y = u->dev.grid_y;
    } else {
        u->core_x = p.x;
        u->core_y = p.y;
    }
}

/* Keeps the tile cursor inside the grid and the viewport around it. */
static void tiles_follow(ui_t *u) {
    const ttlx_layout_t *l = sel_layout(u);
    if (!l) return;
    int64_t zr = (int64_t)1 << u->zoom_r, zc = (int64_t)1 << u->zoom_c;
    if (u->tile_row >= l->view_rows) u->tile_row = l->view_rows - 1;
    if (u->tile_col >= l->view_cols) u->tile_col = l->view_cols - 1;
    if (u->tile_row < 0) u->tile_row = 0;
    if (u->tile_col < 0) u->tile_col = 0;
    int64_t rows = u->geom.tiles_rows > 0 ? u->geom.tiles_rows : 1;
    int64_t cols = u->geom.tiles_cols > 0 ? u->geom.tiles_cols : 1;
    int64_t cr = u->tile_row / zr, cc = u->tile_col / zc;
    int64_t pr = u->pan_row / zr, pc = u->pan_col / zc;
    if (cr < pr) pr = cr;
    if (cr >= pr + rows) pr = cr - rows + 1;
    if (cc < pc) pc = cc;
    if (cc >= pc + cols) pc = cc - cols + 1;
    u->pan_row = pr * zr;
    u->pan_col = pc * zc;
    core_from_tile(u);
}

static void move_list(ui_t *u, int delta) {
    if (!u->nvisible) return;
    int pos = visible_pos(u, u->sel);
    if (pos < 0)
        pos = 0;
    else
        pos += delta;
    if (pos < 0) pos = 0;
    if (pos >= u->nvisible) pos = u->nvisible - 1;
    ui_select_buffer(u, u->visible[pos]);
}

static void select_diag(ui_t *u, int i) {
    size_t nd = u->res ? ttlx_result_diag_count(u->res) : 0;
    if (!nd) return;
    if (i < 0) i = 0;
    if (i >= (int)nd) i = (int)nd - 1;
    u->diag_sel = i;
    const ttlx_diag_t *d = ttlx_result_diag(u->res, (size_t)i);
    if (d->buffer >= 0) ui_select_buffer(u, d->buffer);
    if (d->core_x >= 0 && d->core_y >= 0) {
        u->core_x = d->core_x;
        u->core_y = d->core_y;
    }
}

static void move_main(ui_t *u, int dx, int dy) {
    switch (u->view) {
    case UI_VIEW_CORES: {
        int gy = u->dev.grid_y;
        u->core_y += dy;
        if (u->core_y < 0) u->core_y = 0;
        if (u->core_y > gy) u->core_y = gy;
        int maxx = (u->core_y == gy ? u->dev.dram_banks : u->dev.grid_x) - 1;
        u->core_x += dx;
        if (u->core_x < 0) u->core_x = 0;
        if (u->core_x > maxx) u->core_x = maxx;
        break;
    }
    case UI_VIEW_TILES: {
        u->tile_row += dy * ((int64_t)1 << u->zoom_r);
        u->tile_col += dx * ((int64_t)1 << u->zoom_c);
        tiles_follow(u);
        break;
    }
    default:
        u->scroll += dy;
        if (u->scroll < 0) u->scroll = 0;
        break;
    }
}

static void set_view(ui_t *u, int v) {
    u->view = (ui_view_t)((v + UI_VIEW_COUNT) % UI_VIEW_COUNT);
    u->scroll = 0;
}

static int log2_ceil(int64_t m) {
    int z = 0;
    while (((int64_t)1 << z) < m && z < 40)
        z++;
    return z;
}

/* Zooms both axes by dz steps of 2 (cells of one axis never go below one
 * tile nor beyond the whole axis). */
static void zoom(ui_t *u, int dz) {
    const ttlx_layout_t *l = sel_layout(u);
    if (!l) return;
    int mr = log2_ceil(l->view_rows), mc = log2_ceil(l->view_cols);
    u->zoom_r += dz;
    u->zoom_c += dz;
    if (u->zoom_r < 0) u->zoom_r = 0;
    if (u->zoom_c < 0) u->zoom_c = 0;
    if (u->zoom_r > mr) u->zoom_r = mr;
    if (u->zoom_c > mc) u->zoom_c = mc;
    u->zoom_fit = false;
    tiles_follow(u);
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
            select_diag(u, u->diag_sel + d);
        else
            move_main(u, 0, d);
        break;
    }
    case A_LEFT:
    case A_RIGHT: {
        int d = a == A_LEFT ? -1 : 1;
        if (u->focus == UI_PANE_MAIN)
            move_main(u, d, 0);
        else
            set_view(u, (int)u->view + d);
        break;
    }
    case A_PGUP:
    case A_PGDN: {
        int d = a == A_PGUP ? -1 : 1;
        if (u->focus == UI_PANE_BUFFERS)
            move_list(u, d * (page / 2 > 0 ? page / 2 : 1));
        else if (u->focus == UI_PANE_DIAGS)
            select_diag(u, u->diag_sel + d * 3);
        else if (u->view == UI_VIEW_TILES)
            move_main(u, 0, d * (u->geom.tiles_rows > 1 ? u->geom.tiles_rows - 1 : 1));
        else if (u->view == UI_VIEW_CORES)
            move_main(u, 0, d * u->dev.grid_y);
        else
            move_main(u, 0, d * page);
        break;
    }
    case A_HOME:
    case A_END: {
        bool home = a == A_HOME;
        if (u->focus == UI_PANE_BUFFERS)
            move_list(u, home ? -(1 << 30) : (1 << 30));
        else if (u->focus == UI_PANE_DIAGS)
            select_diag(u, home ? 0 : 1 << 30);
        else if (u->view == UI_VIEW_TILES) {
            u->tile_row = u->tile_col = home ? 0 : INT64_MAX / 4;
            tiles_follow(u);
        } else if (u->view == UI_VIEW_CORES) {
            u->core_x = home ? 0 : u->dev.grid_x - 1;
            u->core_y = home ? 0 : u->dev.grid_y - 1;
        } else
            u->scroll = home ? 0 : 1 << 20;
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
            if (u->sel >= 0) u->mode = UI_MODE_EDIT, u->edit_typing = false, u->edit_field = 0;
        } else if (u->focus == UI_PANE_DIAGS) {
            select_diag(u, u->diag_sel);
            u->focus = UI_PANE_BUFFERS;
        } else if (u->view == UI_VIEW_CORES) {
            set_view(u, UI_VIEW_TILES); /* see the tiles the core holds */
        } else if (u->view == UI_VIEW_TILES) {
            core_from_tile(u);
            set_view(u, UI_VIEW_CORES);
        }
        break;
    case A_ESC:
        if (u->msg[0])
            u->msg[0] = '\0';
        else if (u->filter[0]) {
            u->filter[0] = '\0';
            rebuild_visible(u);
        }
        break;
    case A_VIEW:
        set_view(u, arg);
        break;
    case A_NEXT_VIEW:
        set_view(u, (int)u->view + 1);
        break;
    case A_PREV_VIEW:
        set_view(u, (int)u->view - 1);
        break;
    case A_NEXT_BUFFER:
        move_list(u, 1);
        break;
    case A_PREV_BUFFER:
        move_list(u, -1);
        break;
    case A_EDIT:
        if (u->sel >= 0) u->mode = UI_MODE_EDIT, u->edit_typing = false, u->edit_field = 0;
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
        zoom(u, -1);
        break;
    case A_ZOOM_OUT:
        zoom(u, 1);
        break;
    case A_ZOOM_FIT:
        u->zoom_fit = true;
        u->zoom_first = false; /* asked for: the whole grid */
        u->pan_row = u->pan_col = 0;
        break;
    case A_THEME:
        next_theme(u);
        break;
    case A_EXPORT:
        uc_export(u, "");
        break;
    case A_FILTER:
        u->mode = UI_MODE_FILTER;
        u->focus = UI_PANE_BUFFERS;
        break;
    case A_COMMAND:
        u->mode = UI_MODE_COMMAND;
        u->cmd[0] = '\0';
        break;
    case A_HELP:
        u->mode = UI_MODE_HELP;
        u->help_scroll = 0;
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
    int k = ui_utf8_encode((uint32_t)key, b);
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
        rebuild_visible(u);
        u->list_top = 0;
        if (u->nvisible && visible_pos(u, u->sel) < 0) ui_select_buffer(u, u->visible[0]);
        return;
    case UI_MODE_COMMAND:
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
        else if (key == 'w') {
            if (ui_save(u, NULL))
                u->quit = true;
            else
                u->mode = UI_MODE_NORMAL;
        } else
            u->mode = UI_MODE_NORMAL;
        return;
    case UI_MODE_NORMAL:
        break;
    }
    if (key != UI_KEY_ESC) u->msg[0] = '\0';
    for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
        if (keymap[i].k1 == key || (keymap[i].k2 && keymap[i].k2 == key)) {
            do_action(u, keymap[i].act, keymap[i].arg);
            return;
        }
    if (ui_hook_key(u, key)) return;
}

/* ---- mouse ------------------------------------------------------------- */

static const ui_hit_t *hit_at(const ui_t *u, int x, int y) {
    for (int i = u->nhits - 1; i >= 0; i--) {
        const ui_hit_t *h = &u->hits[i];
        if (x >= h->x && x < h->x + h->w && y >= h->y && y < h->y + h->h) return h;
    }
    return NULL;
}

static ui_pane_t pane_at(const ui_t *u, int x, int y) {
    const ui_geom_t *g = &u->geom;
    if (y >= g->diag_y && y < g->diag_y + g->diag_h) return UI_PANE_DIAGS;
    if (x < g->list_x + g->list_w) return UI_PANE_BUFFERS;
    return UI_PANE_MAIN;
}

void ui_click(ui_t *u, int x, int y) {
    if (u->mode == UI_MODE_HELP || u->mode == UI_MODE_CONSOLE || u->mode == UI_MODE_CONFIRM_QUIT) {
        u->mode = UI_MODE_NORMAL;
        return;
    }
    const ui_hit_t *h = hit_at(u, x, y);
    if (u->mode == UI_MODE_DEVICES) {
        if (h && h->kind == UI_HIT_DEVICE) {
            u->dev_sel = (int)h->a;
            key_device_list(u, UI_KEY_ENTER);
        } else
            u->mode = UI_MODE_NORMAL;
        return;
    }
    if (u->mode == UI_MODE_EDIT) {
        if (h && h->kind == UI_HIT_FIELD) {
            if (u->edit_typing) ui_edit_key(u, UI_KEY_ENTER);
            u->edit_field = (int)h->a;
        }
        return;
    }
    if (u->mode != UI_MODE_NORMAL) u->mode = UI_MODE_NORMAL;
    if (y < u->geom.h) u->focus = pane_at(u, x, y);
    if (!h) return;
    switch (h->kind) {
    case UI_HIT_BUFFER:
        u->focus = UI_PANE_BUFFERS;
        ui_select_buffer(u, (int)h->a);
        break;
    case UI_HIT_TAB:
        set_view(u, (int)h->a);
        break;
    case UI_HIT_CORE:
    case UI_HIT_BANK:
        u->focus = UI_PANE_MAIN;
        u->core_x = (int)h->a;
        u->core_y = h->kind == UI_HIT_BANK ? u->dev.grid_y : (int)h->b;
        break;
    case UI_HIT_TILE:
        u->focus = UI_PANE_MAIN;
        u->tile_row = h->a;
        u->tile_col = h->b;
        tiles_follow(u);
        break;
    case UI_HIT_DIAG:
        u->focus = UI_PANE_DIAGS;
        select_diag(u, (int)h->a);
        break;
    default:
        break;
    }
}

void ui_wheel(ui_t *u, int x, int y, int dir) {
    if (u->mode == UI_MODE_HELP || u->mode == UI_MODE_CONSOLE) {
        ui_key(u, dir < 0 ? UI_KEY_UP : UI_KEY_DOWN);
        return;
    }
    if (u->mode != UI_MODE_NORMAL) return;
    u->focus = pane_at(u, x, y);
    for (int i = 0; i < 3; i++)
        do_action(u, dir < 0 ? A_UP : A_DOWN, 0);
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
    if (v < 0)
        ui_message(u, true, "no view '%s' (cores, tiles, projection, work, metadata)", arg);
    else
        set_view(u, v);
}

static void uc_buffer(ui_t *u, const char *arg) {
    int i = u->func ? ttlx_func_find_buffer(u->func, arg) : -1;
    if (i < 0)
        ui_message(u, true, "no buffer named '%s'", arg);
    else {
        if (visible_pos(u, i) < 0) {
            u->filter[0] = '\0';
            rebuild_visible(u);
        }
        ui_select_buffer(u, i);
    }
}

static void uc_write(ui_t *u, const char *arg) {
    ui_save(u, *arg ? arg : NULL);
}

static void uc_wq(ui_t *u, const char *arg) {
    if (ui_save(u, *arg ? arg : NULL)) u->quit = true;
}

static void uc_quit(ui_t *u, const char *arg) {
    (void)arg;
    if (u->dirty)
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
        ui_message(u, true, "theme: %s", err);
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
    long v = strtol(arg, NULL, 10);
    int z = 0;
    while (z < 40 && ((long)1 << z) < v)
        z++;
    u->zoom_r = u->zoom_c = z;
    zoom(u, 0);
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
            ttlx_result_free(u->res);
            u->res = NULL;
            u->func_index = k;
            u->func = ttlx_module_func(u->mod, k);
            cJSON_Delete(u->saved_hints);
            u->saved_hints = ttlx_func_hints_copy(u->func);
            free(u->saved_text);
            u->saved_text = NULL;
            free_stack(u->undo, &u->nundo);
            free_stack(u->redo, &u->nredo);
            u->ndiff = 0;
            rerun(u, false);
            u->sel = -1;
            ui_select_buffer(u, 0);
            return;
        }
    ui_message(u, true, "no function named '%s'", arg);
}

static void uc_lua(ui_t *u, const char *arg) {
    ui_hook_lua(u, arg);
}
static void uc_source(ui_t *u, const char *arg) {
    ui_hook_source(u, arg);
}
static void uc_export(ui_t *u, const char *arg) {
    ui_hook_export(u, arg);
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
    if (ui_hook_command(u, name, argbuf)) return;
    ui_message(u, true, "unknown command ':%s' (? lists the commands)", name);
}
