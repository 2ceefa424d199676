/*
 * ui_edit.c - the hint editor (fields of SPEC 2 for the selected buffer),
 * undo/redo of hint edits through whole tt.user_layout snapshots, and
 * saving the module back to its file atomically (JSON, or TVMScript through
 * the exporter), and `:export`. Values are stored as the user typed them;
 * the core validates them (a bad value is a diagnostic).
 */
#include "ui/ui_edit.h"
#include "export/export.h"
#include "ttlx_fix.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The editor's fields in the order it shows them. Names, kinds and the
 * values cycled through come from the hint schema (ttlx_hint.h). */
static const ttlx_hint_key_id_t field_keys[] = {
    TTLX_HK_MEMORY,       TTLX_HK_LAYOUT,      TTLX_HK_TILE_SHAPE,  TTLX_HK_DTYPE,
    TTLX_HK_AXES,         TTLX_HK_GRID,        TTLX_HK_SHARD_SHAPE, TTLX_HK_ORDER,
    TTLX_HK_DISTRIBUTION, TTLX_HK_ALIGN_TILES, TTLX_HK_CB_DEPTH,
};
#define UI_EDIT_FIELDS ((int)(sizeof field_keys / sizeof field_keys[0]))

static const ttlx_hint_key_t *fkey(int i) {
    return ttlx_hint_key(field_keys[i]);
}

int ui_edit_field_count(void) {
    return UI_EDIT_FIELDS;
}

const ttlx_hint_key_t *ui_edit_field_key(int i) {
    return i < 0 || i >= UI_EDIT_FIELDS ? NULL : fkey(i);
}

const char *ui_edit_field_name(int i) {
    return i < 0 || i >= UI_EDIT_FIELDS ? "?" : fkey(i)->name;
}

int ui_edit_field_find(const char *name) {
    for (int i = 0; i < UI_EDIT_FIELDS; i++)
        if (!strcasecmp(name, fkey(i)->leaf) || !strcasecmp(name, fkey(i)->name)) return i;
    return -1;
}

/* The nd_shard object's key in a hint. */
static const char *nd_key(void) {
    return ttlx_hint_key(TTLX_HK_ND_SHARD)->leaf;
}

static const char *sel_name(const ui_t *u) {
    if (!u->func || u->sel < 0) return NULL;
    return ttlx_func_buffer(u->func, (size_t)u->sel)->name;
}

static const cJSON *field_item(const ui_t *u, int i) {
    const char *name = sel_name(u);
    const cJSON *h = name ? ttlx_func_hint(u->func, name) : NULL;
    if (!h) return NULL;
    if (fkey(i)->in_nd_shard) h = cJSON_GetObjectItemCaseSensitive(h, nd_key());
    return cJSON_IsObject(h) ? cJSON_GetObjectItemCaseSensitive(h, fkey(i)->leaf) : NULL;
}

/* A JSON value as compact editable text: lists as "a,b", strings bare. */
static void value_text(const cJSON *v, char *out, size_t n) {
    out[0] = '\0';
    if (!v) return;
    if (cJSON_IsString(v)) {
        snprintf(out, n, "%s", v->valuestring);
    } else if (cJSON_IsArray(v)) {
        size_t k = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            char item[64];
            value_text(e, item, sizeof item);
            k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%s", k ? "," : "", item);
            if (k >= n) break;
        }
    } else {
        char *s = cJSON_PrintUnformatted(v);
        if (s) snprintf(out, n, "%s", s);
        cJSON_free(s);
    }
}

void ui_edit_field_value(const ui_t *u, int i, char *out, size_t n) {
    value_text(field_item(u, i), out, n);
    if (fkey(i)->kind == TTLX_HINT_TILE_SHAPE && cJSON_IsArray(field_item(u, i))) {
        char *c = strchr(out, ',');
        if (c) *c = 'x';
    }
}

/* Parses one token: an integer when it is one, else a string. */
static cJSON *token_value(const char *t, size_t len) {
    char buf[64];
    if (len >= sizeof buf) len = sizeof buf - 1;
    memcpy(buf, t, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (len && !*end && !errno) return cJSON_CreateNumber((double)v);
    return cJSON_CreateString(buf);
}

/* Text to JSON for a field; NULL for "" (remove the key). */
static cJSON *parse_field(int i, const char *text) {
    while (*text == ' ')
        text++;
    if (!*text) return NULL;
    ttlx_hint_kind_t kind = fkey(i)->kind;
    switch (kind) {
    case TTLX_HINT_INT:
        return token_value(text, strlen(text));
    case TTLX_HINT_BOOL:
        if (!strcasecmp(text, "true") || !strcmp(text, "1") || !strcasecmp(text, "yes"))
            return cJSON_CreateTrue();
        if (!strcasecmp(text, "false") || !strcmp(text, "0") || !strcasecmp(text, "no"))
            return cJSON_CreateFalse();
        return cJSON_CreateString(text);
    case TTLX_HINT_TILE_SHAPE:
    case TTLX_HINT_INT_LIST:
    case TTLX_HINT_LABEL_LIST: {
        cJSON *arr = cJSON_CreateArray();
        const char *p = text;
        const char *seps = kind == TTLX_HINT_LABEL_LIST ? "[](), \"'" : "[](), x\"'";
        while (arr && *p) {
            p += strspn(p, seps);
            size_t len = strcspn(p, seps);
            if (!len) break;
            cJSON *v = kind == TTLX_HINT_LABEL_LIST ? NULL : token_value(p, len);
            if (!v) {
                char tok[64];
                snprintf(tok, sizeof tok, "%.*s", (int)len, p);
                v = cJSON_CreateString(tok);
            }
            cJSON_AddItemToArray(arr, v);
            p += len;
        }
        return arr;
    }
    default: /* a choice or a dtype: as typed */
        return cJSON_CreateString(text);
    }
}

/* The field of a schema key, -1 when the editor has none. */
static int field_of(ttlx_hint_key_id_t id) {
    for (int i = 0; i < UI_EDIT_FIELDS; i++)
        if (field_keys[i] == id) return i;
    return -1;
}

/* Grid and shard shape follow each other: a new grid sets the shard shape
 * (tile-aligned, covering; the core's ttlx_hint_follow) and the other way
 * round, unless the user set the other one in this edit. Outside the
 * editor (:set) each change is an edit of its own. */
static void follow(ui_t *u, cJSON *h, int i) {
    if (u->mode != UI_MODE_EDIT) u->edit_typed = 0;
    u->edit_typed |= 1u << i;
    ttlx_hint_key_id_t id = fkey(i)->id;
    int other = id == TTLX_HK_GRID          ? field_of(TTLX_HK_SHARD_SHAPE)
                : id == TTLX_HK_SHARD_SHAPE ? field_of(TTLX_HK_GRID)
                                            : -1;
    if (other < 0 || (u->edit_typed & (1u << other))) return;
    ttlx_hint_follow(h, ttlx_func_buffer(u->func, (size_t)u->sel), id);
}

/* Says on the status line what the edit changed in the hint when one list
 * followed the other ("grid [2, 4] -> [4, 4], shard_shape_elems ..."). */
static void say_follow(ui_t *u, int i, const cJSON *before) {
    ttlx_hint_key_id_t id = fkey(i)->id;
    if (id != TTLX_HK_GRID && id != TTLX_HK_SHARD_SHAPE) return;
    cJSON *after = ttlx_fix_canonical_hint(u->func, (size_t)u->sel);
    char d[360];
    ttlx_fix_describe(before, after, true, d, sizeof d);
    cJSON_Delete(after);
    if (strstr(d, "grid") && strstr(d, "shard_shape_elems"))
        ui_message(u, false, "%s %s", ttlx_func_buffer(u->func, (size_t)u->sel)->name, d);
}

bool ui_edit_set_text(ui_t *u, int i, const char *text, bool push_undo) {
    const char *name = sel_name(u);
    if (!name || i < 0 || i >= UI_EDIT_FIELDS) return false;
    if (push_undo) ui_undo_push(u);
    const cJSON *old = ttlx_func_hint(u->func, name);
    cJSON *h = old ? cJSON_Duplicate(old, true) : cJSON_CreateObject();
    if (!h) return false;
    if (!cJSON_IsObject(h)) {
        cJSON_Delete(h);
        h = cJSON_CreateObject();
    }
    cJSON *parent = h;
    const char *leaf = fkey(i)->leaf;
    if (fkey(i)->in_nd_shard) {
        parent = cJSON_GetObjectItemCaseSensitive(h, nd_key());
        if (!cJSON_IsObject(parent)) {
            cJSON_DeleteItemFromObjectCaseSensitive(h, nd_key());
            parent = cJSON_AddObjectToObject(h, nd_key());
        }
    }
    cJSON *v = parse_field(i, text);
    if (v) {
        if (cJSON_GetObjectItemCaseSensitive(parent, leaf))
            cJSON_ReplaceItemInObjectCaseSensitive(parent, leaf, v);
        else
            cJSON_AddItemToObject(parent, leaf, v);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(parent, leaf);
    }
    if (fkey(i)->in_nd_shard && !parent->child)
        cJSON_DeleteItemFromObjectCaseSensitive(h, nd_key());
    follow(u, h, i);
    bool ok;
    cJSON *before = ttlx_fix_canonical_hint(u->func, (size_t)u->sel);
    if (!h->child) {
        cJSON_Delete(h);
        ok = ttlx_func_set_hint(u->func, name, NULL);
    } else
        ok = ttlx_func_set_hint(u->func, name, h);
    ui_rerun(u);
    say_follow(u, i, u->mode == UI_MODE_EDIT && u->edit_hint0 ? u->edit_hint0 : before);
    cJSON_Delete(before);
    return ok;
}

void ui_edit_cycle(ui_t *u, int i, int dir) {
    const char *const *c = fkey(i)->values;
    if (!c) {
        ui_message(u, false, "%s takes a typed value: press Enter", ui_edit_field_name(i));
        return;
    }
    int n = 0;
    while (c[n])
        n++;
    char cur[160];
    ui_edit_field_value(u, i, cur, sizeof cur);
    /* position 0 is "unset" (the default), then the choices */
    int pos = 0;
    for (int k = 0; k < n; k++)
        if (!strcasecmp(cur, c[k])) pos = k + 1;
    pos = ((pos + dir) % (n + 1) + n + 1) % (n + 1);
    ui_edit_set_text(u, i, pos ? c[pos - 1] : "", true);
}

void ui_edit_open(ui_t *u) {
    if (u->sel < 0) return;
    ui_preview_end(u); /* the editor shows and changes your hints */
    u->mode = UI_MODE_EDIT, u->edit_typing = false, u->edit_field = 0;
    u->edit_typed = 0;
    cJSON_Delete(u->edit_hint0);
    u->edit_hint0 = u->func ? ttlx_fix_canonical_hint(u->func, (size_t)u->sel) : NULL;
    /* the layout before the editor opened, which the diff is measured from,
     * is the result on screen: the first rerun keeps it (state.c) */
    ttlx_result_free(u->edit_base);
    u->edit_base = NULL;
}

void ui_edit_close(ui_t *u) {
    u->mode = UI_MODE_NORMAL;
    u->edit_typed = 0;
    cJSON_Delete(u->edit_hint0);
    u->edit_hint0 = NULL;
    u->edit_typing = false;
    u->edit_pushed = false;
    ttlx_result_free(u->edit_base);
    u->edit_base = NULL;
    u->msg[0] = '\0'; /* a hint such as "press Enter" is stale once closed */
}

static void finish_typing(ui_t *u, bool keep) {
    if (!keep && u->edit_pushed) {
        ui_undo(u); /* back to the state before typing */
        if (u->nredo) cJSON_Delete(u->redo[--u->nredo]);
    }
    u->edit_typing = false;
    u->edit_pushed = false;
}

void ui_edit_key(ui_t *u, int key) {
    if (u->sel < 0) {
        ui_edit_close(u);
        return;
    }
    if (u->edit_typing) {
        if (key == UI_KEY_ENTER)
            finish_typing(u, true);
        else if (key == UI_KEY_ESC)
            finish_typing(u, false);
        else {
            size_t n = strlen(u->edit_text);
            if (key == UI_KEY_BACKSPACE || key == 127 || key == 8) {
                if (!n) return;
                while (n > 0 && (u->edit_text[n - 1] & 0xC0) == 0x80)
                    n--;
                u->edit_text[n ? n - 1 : 0] = '\0';
            } else if (key >= 0x20 && key < 0x7F) {
                if (n + 2 > sizeof u->edit_text) return;
                u->edit_text[n] = (char)key;
                u->edit_text[n + 1] = '\0';
            } else
                return;
            /* validated as you type: every keystroke reruns inference */
            ui_edit_set_text(u, u->edit_field, u->edit_text, !u->edit_pushed);
            u->edit_pushed = true;
        }
        return;
    }
    switch (key) {
    case UI_KEY_UP:
    case 'k':
        u->edit_field = (u->edit_field + UI_EDIT_FIELDS - 1) % UI_EDIT_FIELDS;
        break;
    case UI_KEY_DOWN:
    case 'j':
    case UI_KEY_TAB:
        u->edit_field = (u->edit_field + 1) % UI_EDIT_FIELDS;
        break;
    case UI_KEY_LEFT:
    case 'h':
        ui_edit_cycle(u, u->edit_field, -1);
        break;
    case UI_KEY_RIGHT:
    case 'l':
    case ' ':
        ui_edit_cycle(u, u->edit_field, 1);
        break;
    case UI_KEY_ENTER:
        ui_edit_field_value(u, u->edit_field, u->edit_text, sizeof u->edit_text);
        u->edit_typing = true;
        u->edit_pushed = false;
        break;
    case UI_KEY_DELETE:
    case 'x':
        ui_edit_set_text(u, u->edit_field, "", true);
        break;
    case 'u':
        if (!ui_undo(u)) ui_message(u, false, "nothing to undo");
        break;
    case 'U':
    case 18:
        if (!ui_redo(u)) ui_message(u, false, "nothing to redo");
        break;
    case 'w':
        ui_save(u, NULL);
        break;
    case UI_KEY_ESC:
    case 'q':
    case 'e':
        ui_edit_close(u);
        break;
    default:
        break;
    }
}

/* ---- undo / redo ---------------------------------------------------------- */

static bool stack_push(cJSON ***s, size_t *n, size_t *cap, cJSON *v) {
    if (!v) return false;
    if (*n == *cap) {
        cJSON **ns = ttlx_grow(*s, cap, *n + 1, sizeof *ns);
        if (!ns) {
            cJSON_Delete(v);
            return false;
        }
        *s = ns;
    }
    (*s)[(*n)++] = v;
    return true;
}

/* Records snapshot (hints before an edit; ownership moves in) as one undo
 * step. A new edit starts a new history: redo is cleared. */
static void undo_record(ui_t *u, cJSON *snapshot) {
    stack_push(&u->undo, &u->nundo, &u->capundo, snapshot);
    for (size_t i = 0; i < u->nredo; i++)
        cJSON_Delete(u->redo[i]);
    u->nredo = 0;
}

void ui_undo_push(ui_t *u) {
    if (!u->func) return;
    undo_record(u, ttlx_func_hints_copy(u->func));
}

void ui_hints_edited(ui_t *u, cJSON *before) {
    if (before) undo_record(u, before);
    ui_rerun(u);
}

/* Moves the current hints onto one stack and installs the top of the other. */
static bool swap_hints(ui_t *u, cJSON ***from, size_t *nfrom, cJSON ***to, size_t *nto,
                       size_t *capto) {
    if (!u->func || !*nfrom) return false;
    if (!stack_push(to, nto, capto, ttlx_func_hints_copy(u->func))) return false;
    cJSON *h = (*from)[--*nfrom];
    ttlx_func_set_hints(u->func, h);
    ui_rerun(u);
    return true;
}

bool ui_undo(ui_t *u) {
    return swap_hints(u, &u->undo, &u->nundo, &u->redo, &u->nredo, &u->capredo);
}

bool ui_redo(ui_t *u) {
    return swap_hints(u, &u->redo, &u->nredo, &u->undo, &u->nundo, &u->capundo);
}

/* ---- saving ----------------------------------------------------------------- */

/* Writes the module to target atomically through the one save rule: over
 * the file's current text (TVMScript keeps all but T.func_attr, JSON only
 * the values that changed). checked: the opened file is first compared
 * with the one loaded; when someone else wrote it, the user is asked. */
static bool save(ui_t *u, const char *path, bool checked, bool quit) {
    if (!u->mod) return false;
    if (!path && !u->path) {
        ui_message(u, true, "the built-in sample has no file: save a copy with :w FILE");
        return false;
    }
    char target[1024];
    ttlx_error_t err = {0};
    snprintf(target, sizeof target, "%s", path ? path : u->path);
    if (checked && u->path && !strcmp(target, u->path) && ui_file_changed_since_load(u)) {
        ui_ask_begin(u, UI_MODE_ASK_OVERWRITE, target, quit);
        return false;
    }
    /* The one save rule (export/save.c) decides JSON or TVMScript, as
     * ttlx.save does, and refuses to clobber a file changed since it was
     * loaded (a change between the question above and the write) unless
     * the user said overwrite: then the file's current text is read. */
    const sys_file_id_t *id = checked && u->have_loaded_id ? &u->loaded_id : NULL;
    if (!export_save(u->mod, u->path, target, id, &err)) {
        ui_message(u, true, "save failed, the file is unchanged: %s", err.what);
        return false;
    }
    const char *note = "";
    bool tvm_in = !strcmp(ttlx_module_format(u->mod), "tvmscript");
    bool kept_text = false; /* the loaded TVMScript text, new T.func_attr */
    if (export_save_format(ttlx_module_format(u->mod), u->path, target) == EXPORT_TVMSCRIPT) {
        kept_text = tvm_in;
        note = tvm_in ? " (TVMScript: the file's text kept, T.func_attr updated)"
                      : " (TVMScript: a generated @T.prim_func)";
    }
    if (!u->path) u->path = strdup(target); /* the sample now has a file */
    bool same_file = u->path && !strcmp(target, u->path);
    if (same_file || kept_text) {
        cJSON_Delete(u->saved_hints);
        u->saved_hints = ttlx_func_hints_copy(u->func);
        cJSON_free(u->saved_text);
        u->saved_text = NULL;
        u->dirty = false;
    }
    if (same_file) ui_watch_update(u); /* our own write is no change on disk */
    ui_message(u, false, "saved hints to %s%s", target, note);
    return true;
}

bool ui_save(ui_t *u, const char *path) {
    return save(u, path, true, false);
}

bool ui_save_quit(ui_t *u, const char *path) {
    if (!save(u, path, true, true)) return false;
    u->quit = true;
    return true;
}

bool ui_save_over(ui_t *u, const char *path) {
    return save(u, path, false, false);
}

/* ---- exports ----------------------------------------------------------------- */

void ui_export(ui_t *u, const char *arg) {
    char fmtname[32] = "python", out[1024] = "";
    size_t k = strcspn(arg, " \t");
    if (k && k < sizeof fmtname) snprintf(fmtname, sizeof fmtname, "%.*s", (int)k, arg);
    const char *rest = arg + k;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    snprintf(out, sizeof out, "%s", rest);
    export_format_t fmt;
    if (!export_format_parse(fmtname, &fmt)) {
        ui_message(u, true, "export: no format '%s' (%s)", fmtname, export_format_names(", "));
        return;
    }
    if (!out[0]) {
        char base[900];
        snprintf(base, sizeof base, "%s", u->path ? u->path : "ttlx-sample");
        char *dot = strrchr(base, '.'), *slash = strrchr(base, '/');
        if (dot && (!slash || dot > slash)) *dot = '\0';
        snprintf(out, sizeof out, "%s%s", base, export_format_suffix(fmt));
    }
    ttlx_error_t err = {0};
    if (!export_to_file(u->mod, u->func_index, &u->dev, fmt, u->path, out, &err)) {
        char msg[700];
        ui_message(u, true, "export failed: %s", ttlx_error_format(&err, out, msg, sizeof msg));
        return;
    }
    ui_message(u, false, "exported %s to %s", export_format_name(fmt), out);
}
