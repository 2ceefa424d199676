/*
 * ui_ask.c - never losing an edit: a file changed on disk under unsaved
 * hints asks before anything replaces them (keep mine / take the file's,
 * which is one undo step / the hint-by-hint difference); a save over a
 * file someone else wrote since it was loaded asks "overwrite?"; `:e`
 * over unsaved hints asks "write, discard, cancel".
 */
#include "ui/ui_ask.h"
#include "ui/ui_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Installs the changed file as one undo step: u brings the hints back. */
static void take_file(ui_t *u) {
    ttlx_module_t *m = u->disk_mod;
    u->disk_mod = NULL;
    ui_undo_push(u);
    ui_reinstall_module(u, m);
}

static void ask_done(ui_t *u) {
    u->mode = u->ask_return;
    u->ask_diff = false;
    free(u->ask_path);
    u->ask_path = NULL;
    if (u->disk_mod) { /* the file changed again while another question was up */
        ttlx_module_t *m = u->disk_mod;
        u->disk_mod = NULL;
        ui_ask_disk_changed(u, m);
    }
}

bool ui_poll_file(ui_t *u, int64_t now_ms) {
    if (now_ms - u->last_poll_ms < UI_POLL_MS) return false;
    bool changed = u->layer && u->layer->poll(u);
    if (!u->path) {
        u->last_poll_ms = now_ms;
        return changed;
    }
    u->last_poll_ms = now_ms;
    ui_file_id_t now;
    if (!ui_file_id_take(u->path, &now))
        return changed; /* gone for now: keep the last good state */
    if (ui_file_id_same(&now, &u->seen_id)) return changed;
    u->seen_id = now;
    ttlx_error_t err = {0};
    sys_file_id_t id;
    bool have_id = sys_file_identity(u->path, &id, NULL);
    ttlx_module_t *mod = ttlx_module_load_file(u->path, NULL, 0, &err);
    if (!mod) {
        char msg[600];
        ui_message(u, true, "reload failed, showing the last good state: %s",
                   ttlx_error_format(&err, u->path, msg, sizeof msg));
        return true;
    }
    u->have_disk_id = have_id;
    if (have_id) u->disk_id = id;
    ui_ask_disk_changed(u, mod); /* reloads, or asks first over unsaved edits */
    return true;
}

void ui_ask_disk_changed(ui_t *u, ttlx_module_t *mod) {
    ttlx_module_free(u->disk_mod);
    u->disk_mod = mod;
    if (u->mode == UI_MODE_ASK_OVERWRITE || u->mode == UI_MODE_ASK_OPEN)
        return; /* asked once the current question is answered */
    if (!u->dirty && u->mode != UI_MODE_ASK_RELOAD) {
        take_file(u);
        ui_message(u, false, "%s changed on disk: reloaded", u->path);
        return;
    }
    bool diff = u->mode == UI_MODE_ASK_RELOAD && u->ask_diff;
    ui_ask_begin(u, UI_MODE_ASK_RELOAD, NULL, false);
    if (diff) ui_ask_key(u, 'd'); /* the difference shown is the newest */
}

/* Opens path, dropping the current hints (the undo history belongs to the
 * file it was made on). */
static void open_now(ui_t *u, const char *path) {
    char err[700];
    if (!ui_load_path(u, path, err, sizeof err)) {
        ui_message(u, true, "open: %s", err);
        return;
    }
    for (size_t i = 0; i < u->nundo; i++)
        cJSON_Delete(u->undo[i]);
    for (size_t i = 0; i < u->nredo; i++)
        cJSON_Delete(u->redo[i]);
    u->nundo = u->nredo = 0;
    ttlx_module_free(u->disk_mod);
    u->disk_mod = NULL;
    ui_message(u, false, "opened %s", path);
}

void ui_ask_open(ui_t *u, const char *path) {
    if (!*path) {
        ui_message(u, true, "usage: :e FILE");
        return;
    }
    if (!u->dirty) {
        open_now(u, path);
        return;
    }
    ui_ask_begin(u, UI_MODE_ASK_OPEN, path, false);
}

const char *ui_ask_prompt(const ui_t *u, char *buf, size_t n) {
    const char *file = u->path ? u->path : "the file";
    switch (u->mode) {
    case UI_MODE_ASK_RELOAD:
        snprintf(buf, n,
                 "%s changed on disk and you have unsaved edits: [k]eep mine, [t]ake the "
                 "file's, [d]iff",
                 file);
        break;
    case UI_MODE_ASK_OVERWRITE:
        snprintf(buf, n, "%s changed on disk since it was loaded: overwrite? [y/N]",
                 u->ask_path ? u->ask_path : file);
        break;
    case UI_MODE_ASK_OPEN:
        snprintf(buf, n, "unsaved edits: [w]rite, [d]iscard, [c]ancel (then open %s)",
                 u->ask_path ? u->ask_path : "?");
        break;
    default:
        if (n) buf[0] = '\0';
        break;
    }
    return buf;
}

/* ---- the hint-by-hint difference ----------------------------------------- */

/* A hint value as short text: strings bare, the rest compact JSON. */
static void value_text(const cJSON *v, char *out, size_t n) {
    if (!v) {
        snprintf(out, n, "(unset)");
        return;
    }
    if (cJSON_IsString(v)) {
        snprintf(out, n, "%s", v->valuestring);
        return;
    }
    char *s = cJSON_PrintUnformatted(v);
    snprintf(out, n, "%s", s ? s : "?");
    free(s);
}

static bool same_value(const cJSON *a, const cJSON *b) {
    if (!a || !b) return a == b;
    return cJSON_Compare(a, b, true);
}

typedef struct diff_out {
    char (*lines)[160];
    int cap, n, more;
} diff_out_t;

static void add_line(diff_out_t *o, const char *buf, const char *key, const cJSON *a,
                     const cJSON *b) {
    if (o->n >= o->cap - 1) {
        o->more++;
        return;
    }
    char ta[64], tb[64];
    value_text(a, ta, sizeof ta);
    value_text(b, tb, sizeof tb);
    snprintf(o->lines[o->n++], sizeof o->lines[0], "%.40s %.40s: yours %.30s, file's %.30s", buf,
             key, ta, tb);
}

/* One key of two hint objects (prefix "nd_shard." for the nested one). */
static void diff_key(diff_out_t *o, const char *buf, const char *prefix, const char *key,
                     const cJSON *a, const cJSON *b) {
    char name[96];
    snprintf(name, sizeof name, "%s%s", prefix, key);
    if (!*prefix && (cJSON_IsObject(a) || cJSON_IsObject(b)) && (!a || cJSON_IsObject(a)) &&
        (!b || cJSON_IsObject(b))) {
        const cJSON *e;
        snprintf(name, sizeof name, "%s.", key);
        cJSON_ArrayForEach(e, a) {
            diff_key(o, buf, name, e->string, e, cJSON_GetObjectItemCaseSensitive(b, e->string));
        }
        cJSON_ArrayForEach(e, b) {
            if (!cJSON_GetObjectItemCaseSensitive(a, e->string))
                diff_key(o, buf, name, e->string, NULL, e);
        }
        return;
    }
    if (!same_value(a, b)) add_line(o, buf, name, a, b);
}

static void diff_hint(diff_out_t *o, const char *buf, const cJSON *a, const cJSON *b) {
    const cJSON *e;
    if (a && !cJSON_IsObject(a)) a = NULL;
    if (b && !cJSON_IsObject(b)) b = NULL;
    cJSON_ArrayForEach(e, a) {
        diff_key(o, buf, "", e->string, e, cJSON_GetObjectItemCaseSensitive(b, e->string));
    }
    cJSON_ArrayForEach(e, b) {
        if (!cJSON_GetObjectItemCaseSensitive(a, e->string))
            diff_key(o, buf, "", e->string, NULL, e);
    }
}

int ui_ask_hint_diff(const cJSON *mine, const cJSON *theirs, char (*lines)[160], int cap) {
    diff_out_t o = {lines, cap, 0, 0};
    if (cap < 2) return 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, mine) {
        diff_hint(&o, e->string, e, cJSON_GetObjectItemCaseSensitive(theirs, e->string));
    }
    cJSON_ArrayForEach(e, theirs) {
        if (!cJSON_GetObjectItemCaseSensitive(mine, e->string)) diff_hint(&o, e->string, NULL, e);
    }
    if (o.more)
        snprintf(lines[o.n++], sizeof lines[0], "(+%d more)", o.more);
    else if (!o.n)
        snprintf(lines[o.n++], sizeof lines[0], "no hint differs (the file changed elsewhere)");
    return o.n;
}

/* The changed file's function of the same name (else its first). */
static const ttlx_func_t *disk_func(const ui_t *u) {
    size_t n = ttlx_module_func_count(u->disk_mod);
    for (size_t k = 0; k < n && u->func; k++)
        if (!strcmp(ttlx_func_name(ttlx_module_func(u->disk_mod, k)), ttlx_func_name(u->func)))
            return ttlx_module_func(u->disk_mod, k);
    return n ? ttlx_module_func(u->disk_mod, 0) : NULL;
}

static void show_diff(ui_t *u) {
    const ttlx_func_t *f = disk_func(u);
    cJSON *mine = u->func ? ttlx_func_hints_copy(u->func) : NULL;
    cJSON *theirs = f ? ttlx_func_hints_copy(f) : NULL;
    u->nask_lines = ui_ask_hint_diff(mine, theirs, u->ask_lines, UI_ASK_LINES);
    cJSON_Delete(mine);
    cJSON_Delete(theirs);
    u->ask_diff = true;
}

/* ---- answers ------------------------------------------------------------- */

void ui_ask_key(ui_t *u, int key) {
    char file[300];
    snprintf(file, sizeof file, "%s", u->path ? u->path : "the file");
    switch (u->mode) {
    case UI_MODE_ASK_RELOAD:
        if (key == 'd' || key == 'D') {
            if (u->disk_mod) show_diff(u);
        } else if (key == 't' || key == 'T') {
            if (u->disk_mod) take_file(u);
            ask_done(u);
            ui_message(u, false, "took %s as it is on disk (u brings your edits back)", file);
        } else if (key == 'k' || key == 'K' || key == UI_KEY_ESC) {
            ttlx_module_free(u->disk_mod);
            u->disk_mod = NULL;
            u->disk_differs = true;
            ask_done(u);
            ui_message(u, false, "kept your edits; %s differs on disk (w asks before overwriting)",
                       file);
        }
        return;
    case UI_MODE_ASK_OVERWRITE: {
        char target[1024];
        snprintf(target, sizeof target, "%s", u->ask_path ? u->ask_path : file);
        bool quit = u->ask_quit;
        u->ask_quit = false;
        if (key == 'y' || key == 'Y') { /* the write replaces what changed on disk */
            ttlx_module_free(u->disk_mod);
            u->disk_mod = NULL;
        }
        ask_done(u);
        if (key == 'y' || key == 'Y') {
            if (ui_save_over(u, target) && quit) u->quit = true;
        } else {
            ui_message(u, false, "not saved: %s was changed by another writer; your edits are kept",
                       target);
        }
        return;
    }
    case UI_MODE_ASK_OPEN: {
        char target[1024];
        snprintf(target, sizeof target, "%s", u->ask_path ? u->ask_path : "");
        if (key == 'w' || key == 'W') {
            ask_done(u);
            if (ui_save(u, NULL)) open_now(u, target);
        } else if (key == 'd' || key == 'D') {
            ask_done(u);
            open_now(u, target);
        } else if (key == 'c' || key == 'C' || key == UI_KEY_ESC || key == 'q') {
            ask_done(u);
            ui_message(u, false, "not opened %s: your edits are kept", target);
        }
        return;
    }
    default:
        return;
    }
}
