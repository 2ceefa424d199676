/*
 * state.c - the explorer's state: ui_t lifetime, the built-in sample,
 * opening, reloading and adopting a module, rerunning inference and the
 * diff of what the last change moved, the buffer filter and selection,
 * the status message and the console. Nothing here draws or reads keys.
 */
#include "ui/state.h"
#include "ttlx_load.h"
#include "ttlx_output.h"
#include "sys/say.h"

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

const char *ui_plural(long long n, const char *one, const char *many) {
    return n == 1 ? one : many;
}

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
    u->preview = -1;
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
    ui_preview_end(u);
    ui_solve_free(u);
    free(u->console);
    u->console = NULL;
    ttlx_result_free(u->res);
    u->res = NULL;
    ttlx_result_free(u->edit_base);
    u->edit_base = NULL;
    cJSON_Delete(u->edit_hint0);
    cJSON_Delete(u->attrs);
    ttlx_module_free(u->mod);
    free_stack(u->undo, &u->nundo);
    free_stack(u->redo, &u->nredo);
    ttlx_free(u->undo);
    ttlx_free(u->redo);
    cJSON_Delete(u->saved_hints);
    cJSON_free(u->saved_text);
    free(u->visible);
    free(u->path);
    ttlx_module_free(u->disk_mod);
    free(u->ask_path);
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

void ui_filter_apply(ui_t *u) {
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

int ui_visible_pos(const ui_t *u, int buf) {
    for (int k = 0; k < u->nvisible; k++)
        if (u->visible[k] == buf) return k;
    return -1;
}

void ui_select_buffer(ui_t *u, int i) {
    if (!u->func || i < 0 || (size_t)i >= ttlx_func_buffer_count(u->func)) return;
    if (i != u->sel) { /* a new buffer: the views start over, Tiles fits its grid */
        u->tile_row = u->tile_col = 0;
        u->pan_row = u->pan_col = 0;
        u->zoom_fit = u->zoom_first = true;
        u->scroll = 0;
    }
    u->sel = i;
    int pos = ui_visible_pos(u, i);
    if (pos >= 0) {
        int rows = u->geom.list_h > 1 ? (u->geom.list_h - 1) / 2 : 1;
        if (pos < u->list_top) u->list_top = pos;
        if (pos >= u->list_top + rows) u->list_top = pos - rows + 1;
    }
}

void ui_select_diag(ui_t *u, int i) {
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

const ttlx_layout_t *ui_selected_layout(const ui_t *u) {
    if (!u->res || u->sel < 0 || (size_t)u->sel >= ttlx_result_buffer_count(u->res)) return NULL;
    return ttlx_result_layout(u->res, (size_t)u->sel);
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
        if (u->ndiff >= UI_DIFF_LINES - 2) continue;
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
    if (changed > u->ndiff && u->ndiff < UI_DIFF_LINES) {
        int more = changed - u->ndiff;
        snprintf(u->diff[u->ndiff++], sizeof u->diff[0], "(+%d more buffers)", more);
    }
    if (ma != mb && u->ndiff < UI_DIFF_LINES)
        snprintf(u->diff[u->ndiff++], sizeof u->diff[0], "L1 max used %s->%s",
                 ui_fmt_bytes(ma, s1, sizeof s1), ui_fmt_bytes(mb, s2, sizeof s2));
    if (ea != eb && u->ndiff < UI_DIFF_LINES)
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
    cJSON_free(now);
}

/* ---- the preview of an alternative ---------------------------------------- */

void ui_preview_end(ui_t *u) {
    ttlx_result_free(u->preview_res); /* borrows preview_mod */
    u->preview_res = NULL;
    ttlx_module_free(u->preview_mod);
    u->preview_mod = NULL;
    cJSON_Delete(u->preview_attrs);
    u->preview_attrs = NULL;
    u->preview = -1;
}

bool ui_preview_show(ui_t *u, const cJSON *hints, int alt) {
    ui_preview_end(u);
    if (!u->func || !cJSON_IsObject(hints)) return false;
    ttlx_error_t err = {0};
    cJSON *doc = ttlx_func_to_json(u->func);
    ttlx_module_t *mod = doc ? ttlx_module_from_json(doc, &err) : NULL; /* takes doc */
    ttlx_func_t *f = mod ? ttlx_module_func(mod, 0) : NULL;
    bool ok = f != NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, hints) {
        if (!ok) break;
        if (!e->string || ttlx_func_find_buffer(f, e->string) < 0) continue;
        cJSON *dup = cJSON_Duplicate(e, true);
        ok = dup && ttlx_func_set_hint(f, e->string, dup);
    }
    ttlx_result_t *r = ok ? ttlx_infer(f, &u->dev, &err) : NULL;
    if (!r) {
        ttlx_module_free(mod);
        ui_message(u, true, "preview failed: %s", err.what[0] ? err.what : "out of memory");
        return false;
    }
    u->preview_mod = mod;
    u->preview_res = r;
    u->preview = alt;
    return true;
}

/* Reruns inference; track computes the diff against the previous result. */
static void rerun(ui_t *u, bool track) {
    if (!u->func) return;
    ui_preview_end(u); /* the hints or the device changed: the preview is stale */
    u->res_gen++;
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(u->func, &u->dev, &err);
    if (!r) {
        u->infer_failed = true;
        ui_message(u, true, "inference failed: %s", err.what);
        return;
    }
    u->infer_failed = false;
    if (track && u->res)
        compute_diff(u, u->mode == UI_MODE_EDIT && u->edit_base ? u->edit_base : u->res, r);
    if (u->mode == UI_MODE_EDIT && !u->edit_base)
        u->edit_base = u->res; /* the layout the editor opened on: its diffs start there */
    else
        ttlx_result_free(u->res);
    u->res = r;
    cJSON_Delete(u->attrs);
    u->attrs = NULL;
    ui_filter_apply(u);
    clamp_cursor(u);
    update_dirty(u);
    if (u->layer) u->layer->inferred(u);
}

void ui_rerun(ui_t *u) {
    rerun(u, true);
}

/* The watcher's cheap identity (stat only): device, inode, size and mtime
 * in ns. What a save compares is the fuller sys_file_identity. */
bool ui_file_id_take(const char *path, ui_file_id_t *id) {
    struct stat st;
    memset(id, 0, sizeof *id);
    if (!path || stat(path, &st) != 0) return false;
    id->valid = true;
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->size = st.st_size;
    id->mtime = st.st_mtim;
    return true;
}

bool ui_file_id_same(const ui_file_id_t *a, const ui_file_id_t *b) {
    return a->valid && b->valid && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

bool ui_file_changed_since_load(const ui_t *u) {
    /* never loaded from disk, or gone: a save writes it anew */
    if (!u->path || !u->have_loaded_id) return false;
    return !sys_file_unchanged(u->path, &u->loaded_id, NULL);
}

void ui_watch_update(ui_t *u) {
    u->have_loaded_id = u->path && sys_file_identity(u->path, &u->loaded_id, NULL);
    ui_file_id_take(u->path, &u->seen_id);
    u->disk_differs = false;
}

/* Installs a freshly loaded module, keeping the selection by name. */
static void install_module(ui_t *u, ttlx_module_t *mod, size_t fi) {
    char selname[256] = "";
    if (u->func && u->sel >= 0)
        snprintf(selname, sizeof selname, "%s", ttlx_func_buffer(u->func, (size_t)u->sel)->name);
    char funcname[256] = "";
    if (u->func) snprintf(funcname, sizeof funcname, "%s", ttlx_func_name(u->func));
    ttlx_result_free(u->res); /* borrows the old module's buffers */
    u->res = NULL;
    ttlx_result_free(u->edit_base);
    u->edit_base = NULL;
    ttlx_module_free(u->mod);
    u->mod = mod;
    ui_solve_reset(u); /* pins name the old function's buffers */
    if (funcname[0])
        for (size_t k = 0; k < ttlx_module_func_count(mod); k++)
            if (!strcmp(ttlx_func_name(ttlx_module_func(mod, k)), funcname)) fi = k;
    u->func_index = fi;
    u->func = ttlx_module_func(mod, fi);
    cJSON_Delete(u->saved_hints);
    u->saved_hints = ttlx_func_hints_copy(u->func);
    cJSON_free(u->saved_text);
    u->saved_text = NULL;
    u->ndiff = 0;
    rerun(u, false);
    int keep = selname[0] ? ttlx_func_find_buffer(u->func, selname) : -1;
    u->sel = -1;
    ui_select_buffer(u, keep >= 0 ? keep : 0);
}

/* Selects the function and the device the way the command line does
 * (sys/open.h), then installs the module; mod is freed on failure. */
static bool open_common(ui_t *u, ttlx_module_t *mod, const sys_open_opts_t *o, const char *label) {
    size_t fi = 0;
    char msg[700];
    if (!sys_open_select(mod, label, o, &u->dev, &fi, msg, sizeof msg)) {
        sys_error("%s", msg);
        ttlx_module_free(mod);
        return false;
    }
    install_module(u, mod, fi);
    if (!u->res) {
        sys_error("%s: inference failed: %s", label, u->msg);
        return false;
    }
    return true;
}

bool ui_open(ui_t *u, const char *path, const sys_open_opts_t *o) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_file(path, o ? o->binds : NULL, o ? o->nbinds : 0, &err);
    if (!mod) {
        char msg[600];
        sys_error("%s", ttlx_error_format(&err, path, msg, sizeof msg));
        return false;
    }
    free(u->path);
    u->path = strdup(path);
    if (!open_common(u, mod, o, path)) return false;
    ui_watch_update(u);
    return true;
}

bool ui_open_string(ui_t *u, const char *text, size_t len, const char *name,
                    const sys_open_opts_t *o) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod = ttlx_module_load_string(text, len, name, NULL, 0, &err);
    if (!mod) {
        char msg[600];
        sys_error("%s", ttlx_error_format(&err, name, msg, sizeof msg));
        return false;
    }
    free(u->path);
    u->path = NULL;
    return open_common(u, mod, o, name);
}

bool ui_open_sample(ui_t *u, const sys_open_opts_t *o) {
    ttlx_error_t err = {0};
    ttlx_module_t *mod =
        ttlx_module_load_string(sample_json, sizeof sample_json - 1, "sample.json", NULL, 0, &err);
    if (!mod) {
        sys_error("built-in sample: %s", err.what);
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
    install_module(u, mod, 0);
    ui_watch_update(u);
    if (u->layer) u->layer->loaded(u);
    return true;
}

void ui_adopt_module(ui_t *u, ttlx_module_t *mod) {
    u->func = NULL;
    install_module(u, mod, 0);
    if (u->layer) u->layer->loaded(u);
}

void ui_set_device(ui_t *u, const ttlx_device_t *dev) {
    u->dev = *dev;
    rerun(u, false);
    u->ndiff = 0;
}

bool ui_asking(const ui_t *u) {
    return u->mode == UI_MODE_ASK_RELOAD || u->mode == UI_MODE_ASK_OVERWRITE ||
           u->mode == UI_MODE_ASK_OPEN;
}

void ui_ask_begin(ui_t *u, ui_mode_t mode, const char *path, bool quit) {
    char *p = path ? strdup(path) : NULL;
    if (path && !p) {
        ui_message(u, true, "out of memory");
        return;
    }
    if (!ui_asking(u)) {
        if (u->mode == UI_MODE_EDIT && u->edit_typing) {
            u->edit_typing = false; /* what was typed is kept (it is in the hints) */
            u->edit_pushed = false;
        }
        u->ask_return = u->mode;
    }
    u->mode = mode;
    u->ask_diff = false;
    u->msg[0] = '\0';
    if (path) {
        free(u->ask_path);
        u->ask_path = p;
    }
    u->ask_quit = quit;
}

void ui_reinstall_module(ui_t *u, ttlx_module_t *mod) {
    install_module(u, mod, 0);
    if (u->layer) u->layer->loaded(u);
    u->have_loaded_id = u->have_disk_id; /* the text mod was read from */
    if (u->have_disk_id) u->loaded_id = u->disk_id;
    u->disk_differs = false;
}

void ui_switch_func(ui_t *u, size_t k) {
    ui_solve_reset(u);
    ttlx_result_free(u->res);
    u->res = NULL;
    u->func_index = k;
    u->func = ttlx_module_func(u->mod, k);
    cJSON_Delete(u->saved_hints);
    u->saved_hints = ttlx_func_hints_copy(u->func);
    cJSON_free(u->saved_text);
    u->saved_text = NULL;
    free_stack(u->undo, &u->nundo);
    free_stack(u->redo, &u->nredo);
    u->ndiff = 0;
    rerun(u, false);
    u->sel = -1;
    ui_select_buffer(u, 0);
}
