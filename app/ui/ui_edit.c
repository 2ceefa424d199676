/*
 * ui_edit.c - the hint editor (fields of SPEC 2 for the selected buffer),
 * undo/redo of hint edits through whole tt.user_layout snapshots, and
 * saving the module back to its file atomically (JSON, or TVMScript through
 * the exporter), and `:export`. Values are stored as the user typed them;
 * the core validates them (a bad value is a diagnostic).
 */
#include "ui/ui_edit.h"
#include "sys/atomic_write.h"
#include "export/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { F_CHOICE, F_INTS, F_STRS, F_INT, F_BOOL, F_TILE } field_kind_t;

typedef struct field {
    const char *key; /* key in the hint (or in nd_shard) */
    bool nd;         /* lives in nd_shard */
    field_kind_t kind;
    const char *const *choices; /* NULL-terminated, for cycling */
} field_t;

static const char *const mem_choices[] = {"DRAM", "L1", NULL};
static const char *const layout_choices[] = {"interleaved", "sharded", NULL};
static const char *const tile_choices[] = {"32x32", "16x32", "32x16", "16x16", NULL};
static const char *const dtype_choices[] = {"bfloat16",  "float16",   "float32", "int32",
                                            "uint32",    "uint16",    "int8",    "uint8",
                                            "bfloat8_b", "bfloat4_b", NULL};
static const char *const order_choices[] = {"row_major", "col_major", "match_shard",
                                            "block_linear(2)", NULL};
static const char *const dist_choices[] = {"grid_2d", "round_robin_1d", NULL};
static const char *const bool_choices[] = {"true", "false", NULL};
static const char *const depth_choices[] = {"1", "2", "3", "4", "8", "16", NULL};

static const field_t fields[] = {
    {"memory", false, F_CHOICE, mem_choices},
    {"layout", false, F_CHOICE, layout_choices},
    {"tile_shape", false, F_TILE, tile_choices},
    {"dtype", false, F_CHOICE, dtype_choices},
    {"axes", true, F_STRS, NULL},
    {"grid", true, F_INTS, NULL},
    {"shard_shape_elems", true, F_INTS, NULL},
    {"order", true, F_CHOICE, order_choices},
    {"distribution", true, F_CHOICE, dist_choices},
    {"align_tiles", true, F_BOOL, bool_choices},
    {"cb_depth", false, F_INT, depth_choices},
};
#define UI_EDIT_FIELDS ((int)(sizeof fields / sizeof fields[0]))

int ui_edit_field_count(void) {
    return UI_EDIT_FIELDS;
}

const char *ui_edit_field_name(int i) {
    static char names[UI_EDIT_FIELDS][40];
    if (i < 0 || i >= UI_EDIT_FIELDS) return "?";
    snprintf(names[i], sizeof names[i], "%s%s", fields[i].nd ? "nd_shard." : "", fields[i].key);
    return names[i];
}

int ui_edit_field_find(const char *name) {
    for (int i = 0; i < UI_EDIT_FIELDS; i++)
        if (!strcasecmp(name, fields[i].key) || !strcasecmp(name, ui_edit_field_name(i))) return i;
    return -1;
}

static const char *sel_name(const ui_t *u) {
    if (!u->func || u->sel < 0) return NULL;
    return ttlx_func_buffer(u->func, (size_t)u->sel)->name;
}

static const cJSON *field_item(const ui_t *u, int i) {
    const char *name = sel_name(u);
    const cJSON *h = name ? ttlx_func_hint(u->func, name) : NULL;
    if (!h) return NULL;
    if (fields[i].nd) h = cJSON_GetObjectItemCaseSensitive(h, "nd_shard");
    return cJSON_IsObject(h) ? cJSON_GetObjectItemCaseSensitive(h, fields[i].key) : NULL;
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
        free(s);
    }
}

void ui_edit_field_value(const ui_t *u, int i, char *out, size_t n) {
    value_text(field_item(u, i), out, n);
    if (fields[i].kind == F_TILE && cJSON_IsArray(field_item(u, i))) {
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
    switch (fields[i].kind) {
    case F_CHOICE:
        return cJSON_CreateString(text);
    case F_INT:
        return token_value(text, strlen(text));
    case F_BOOL:
        if (!strcasecmp(text, "true") || !strcmp(text, "1") || !strcasecmp(text, "yes"))
            return cJSON_CreateTrue();
        if (!strcasecmp(text, "false") || !strcmp(text, "0") || !strcasecmp(text, "no"))
            return cJSON_CreateFalse();
        return cJSON_CreateString(text);
    case F_TILE:
    case F_INTS:
    case F_STRS: {
        cJSON *arr = cJSON_CreateArray();
        const char *p = text;
        const char *seps = fields[i].kind == F_STRS ? "[](), \"'" : "[](), x\"'";
        while (arr && *p) {
            p += strspn(p, seps);
            size_t len = strcspn(p, seps);
            if (!len) break;
            cJSON *v = fields[i].kind == F_STRS ? NULL : token_value(p, len);
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
    }
    return NULL;
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
    if (fields[i].nd) {
        parent = cJSON_GetObjectItemCaseSensitive(h, "nd_shard");
        if (!cJSON_IsObject(parent)) {
            cJSON_DeleteItemFromObjectCaseSensitive(h, "nd_shard");
            parent = cJSON_AddObjectToObject(h, "nd_shard");
        }
    }
    cJSON *v = parse_field(i, text);
    if (v) {
        if (cJSON_GetObjectItemCaseSensitive(parent, fields[i].key))
            cJSON_ReplaceItemInObjectCaseSensitive(parent, fields[i].key, v);
        else
            cJSON_AddItemToObject(parent, fields[i].key, v);
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(parent, fields[i].key);
    }
    if (fields[i].nd && !parent->child) cJSON_DeleteItemFromObjectCaseSensitive(h, "nd_shard");
    bool ok;
    if (!h->child) {
        cJSON_Delete(h);
        ok = ttlx_func_set_hint(u->func, name, NULL);
    } else
        ok = ttlx_func_set_hint(u->func, name, h);
    ui_rerun(u);
    return ok;
}

void ui_edit_cycle(ui_t *u, int i, int dir) {
    const char *const *c = fields[i].choices;
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
    u->mode = UI_MODE_EDIT, u->edit_typing = false, u->edit_field = 0;
    /* the layout before the editor opened: the diff is measured from it */
    ttlx_result_free(u->edit_base);
    ttlx_error_t err = {0};
    u->edit_base = u->func ? ttlx_infer(u->func, &u->dev, &err) : NULL;
}

void ui_edit_close(ui_t *u) {
    u->mode = UI_MODE_NORMAL;
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
        size_t nc = *cap ? *cap * 2 : 16;
        cJSON **ns = realloc(*s, nc * sizeof *ns);
        if (!ns) {
            cJSON_Delete(v);
            return false;
        }
        *s = ns;
        *cap = nc;
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

bool ui_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errsize) {
    return sys_atomic_write(path, data, len, err, errsize);
}

/* Writes the module as PrimFunc JSON to target, atomically: over the
 * loaded file's text, only what changed is rewritten. */
bool ui_save(ui_t *u, const char *path) {
    if (!u->mod) return false;
    if (!path && !u->path) {
        ui_message(u, true, "the built-in sample has no file: save a copy with :w FILE");
        return false;
    }
    char target[1024], err[700];
    snprintf(target, sizeof target, "%s", path ? path : u->path);
    /* The one save rule (export/save.c) decides JSON or TVMScript, as
     * ttlx.save does. */
    const sys_file_id_t *id = u->have_loaded_id ? &u->loaded_id : NULL;
    if (!export_save(u->mod, u->path, target, id, err, sizeof err)) {
        ui_message(u, true, "save failed, the file is unchanged: %s", err);
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
        free(u->saved_text);
        u->saved_text = NULL;
        u->dirty = false;
    }
    if (same_file) ui_watch_update(u); /* our own write is no change on disk */
    ui_message(u, false, "saved hints to %s%s", target, note);
    return true;
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
