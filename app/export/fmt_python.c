/*
 * fmt_python.c - Python literals (dicts inline when they fit, one item a
 * line when not) and the `python` export: an annotate_tt_layout(...) call.
 */
#include "export/export_internal.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------ Python literals */

void export_py_string(ttlx_sb_t *b, const char *s) {
    ttlx_sb_putn(b, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"':
            ttlx_sb_puts(b, "\\\"");
            break;
        case '\\':
            ttlx_sb_puts(b, "\\\\");
            break;
        case '\n':
            ttlx_sb_puts(b, "\\n");
            break;
        case '\r':
            ttlx_sb_puts(b, "\\r");
            break;
        case '\t':
            ttlx_sb_puts(b, "\\t");
            break;
        default:
            if (*c < 0x20 || *c == 0x7F)
                ttlx_sb_printf(b, "\\x%02x", *c);
            else
                ttlx_sb_putn(b, (const char *)c, 1);
        }
    }
    ttlx_sb_putn(b, "\"", 1);
}

static void py_inline(ttlx_sb_t *b, const cJSON *v) {
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        ttlx_sb_putn(b, obj ? "{" : "[", 1);
        for (const cJSON *c = v->child; c; c = c->next) {
            if (obj) {
                export_py_string(b, c->string ? c->string : "");
                ttlx_sb_puts(b, ": ");
            }
            py_inline(b, c);
            if (c->next) ttlx_sb_puts(b, ", ");
        }
        ttlx_sb_putn(b, obj ? "}" : "]", 1);
    } else if (cJSON_IsString(v)) {
        export_py_string(b, v->valuestring);
    } else if (cJSON_IsRaw(v)) {
        ttlx_sb_puts(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        export_put_number(b, v);
    } else if (cJSON_IsTrue(v)) {
        ttlx_sb_puts(b, "True");
    } else if (cJSON_IsFalse(v)) {
        ttlx_sb_puts(b, "False");
    } else {
        ttlx_sb_puts(b, "None");
    }
}

void export_py_pretty(ttlx_sb_t *b, const cJSON *v, int col, int indent) {
    ttlx_sb_t flat = {0};
    py_inline(&flat, v);
    if (flat.failed) {
        b->failed = true;
        ttlx_sb_free(&flat);
        return;
    }
    bool fits = col + (int)flat.len <= EXPORT_LINE_WIDTH;
    if (fits || !(cJSON_IsObject(v) || cJSON_IsArray(v)) || !v->child) {
        ttlx_sb_putn(b, flat.data ? flat.data : "", flat.len);
        ttlx_sb_free(&flat);
        return;
    }
    ttlx_sb_free(&flat);
    bool obj = cJSON_IsObject(v);
    ttlx_sb_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = v->child; c; c = c->next) {
        export_spaces(b, indent + 4);
        int at = indent + 4;
        if (obj) {
            size_t before = b->len;
            export_py_string(b, c->string ? c->string : "");
            ttlx_sb_puts(b, ": ");
            at += (int)(b->len - before);
        }
        export_py_pretty(b, c, at, indent + 4);
        ttlx_sb_puts(b, ",\n");
    }
    export_spaces(b, indent);
    ttlx_sb_puts(b, obj ? "}" : "]");
}

/* -------------------------------------------------------------- python */

/* A ready `func = annotate_tt_layout(func, {...})` call for the selected
 * function, to paste into a TileLang program, with the import it needs:
 * TileLang's Tenstorrent backend exports annotate_tt_layout from its
 * tilelang.tenstorrent package (earlier trees called it tilelang.tt). */
char *export_write_python(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    const ttlx_device_t *dev = in->dev;
    const ttlx_func_t *f = ttlx_module_func(in->mod, in->func_index);
    cJSON *hints = ttlx_func_hints_copy(f);
    if (!hints) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    ttlx_sb_t b = {0};
    ttlx_sb_printf(&b, "# Layout hints for `%s` from ttlx %s (device %s).\n", ttlx_func_name(f),
                   TTLX_VERSION, dev->name);
    ttlx_sb_puts(&b, "# Paste into the TileLang program, after `func` is built:\n");
    ttlx_sb_puts(&b, "from tilelang.tenstorrent import annotate_tt_layout\n");
    ttlx_sb_puts(&b, "func = annotate_tt_layout(func, ");
    export_py_pretty(&b, hints, 32, 0);
    ttlx_sb_puts(&b, ")\n");
    cJSON_Delete(hints);
    if (b.failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}
