/*
 * fmt_json.c - the JSON writer of every export: 2-space steps, objects one
 * key a line unless small and flat, lists of scalars inline, numbers in
 * their shortest exact form. Stable byte for byte for the golden tests.
 */
#include "export/export_internal.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void export_spaces(ttlx_sb_t *b, int n) {
    for (int i = 0; i < n; i++)
        ttlx_sb_putn(b, " ", 1);
}

/* ------------------------------------------------------------- numbers */

void export_put_number(ttlx_sb_t *b, const cJSON *v) {
    double d = v->valuedouble;
    char buf[64];
    if (!isfinite(d)) {
        ttlx_sb_puts(b, "null");
        return;
    }
    if (d == floor(d) && fabs(d) <= 9007199254740992.0) {
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    } else {
        snprintf(buf, sizeof buf, "%.15g", d);
        if (strtod(buf, NULL) != d) snprintf(buf, sizeof buf, "%.17g", d);
        const char *point = localeconv()->decimal_point;
        if (point && point[0] && point[0] != '.')
            for (char *c = buf; *c; c++)
                if (*c == point[0]) *c = '.';
    }
    ttlx_sb_puts(b, buf);
}

/* ---------------------------------------------------------------- JSON */

static bool json_scalar(const cJSON *v) {
    return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

static void json_value(ttlx_sb_t *b, const cJSON *v, int depth, int col);

static void json_scalar_value(ttlx_sb_t *b, const cJSON *v) {
    if (cJSON_IsString(v))
        ttlx_sb_json_string(b, v->valuestring);
    else if (cJSON_IsRaw(v))
        ttlx_sb_puts(b, v->valuestring);
    else if (cJSON_IsNumber(v))
        export_put_number(b, v);
    else if (cJSON_IsTrue(v))
        ttlx_sb_puts(b, "true");
    else if (cJSON_IsFalse(v))
        ttlx_sb_puts(b, "false");
    else
        ttlx_sb_puts(b, "null");
}

/* A list of scalars. */
static bool json_flat_list(const cJSON *v) {
    if (!cJSON_IsArray(v)) return false;
    for (const cJSON *c = v->child; c; c = c->next)
        if (!json_scalar(c)) return false;
    return true;
}

/* One line: scalars, lists of scalars, objects of those. */
static bool json_inline_ok(const cJSON *v) {
    if (json_scalar(v) || json_flat_list(v)) return true;
    if (!cJSON_IsObject(v)) return false;
    for (const cJSON *c = v->child; c; c = c->next)
        if (!json_scalar(c) && !json_flat_list(c)) return false;
    return true;
}

static void json_inline(ttlx_sb_t *b, const cJSON *v) {
    if (json_scalar(v)) {
        json_scalar_value(b, v);
        return;
    }
    bool obj = cJSON_IsObject(v);
    ttlx_sb_putn(b, obj ? "{" : "[", 1);
    for (const cJSON *c = v->child; c; c = c->next) {
        if (obj) {
            ttlx_sb_json_string(b, c->string ? c->string : "");
            ttlx_sb_puts(b, ": ");
        }
        json_inline(b, c);
        if (c->next) ttlx_sb_puts(b, ", ");
    }
    ttlx_sb_putn(b, obj ? "}" : "]", 1);
}

/* Objects one key a line, except small flat ones (as the samples are
 * written); lists of scalars on one line. col: where v starts. */

static void json_value(ttlx_sb_t *b, const cJSON *v, int depth, int col) {
    export_json_block(b, v, 2 * depth, 2, col);
}

void export_json_block(ttlx_sb_t *b, const cJSON *v, int base, int unit, int col) {
    if (json_scalar(v)) {
        json_scalar_value(b, v);
        return;
    }
    bool obj = cJSON_IsObject(v);
    if (!v->child) {
        ttlx_sb_puts(b, obj ? "{}" : "[]");
        return;
    }
    if (json_flat_list(v)) {
        json_inline(b, v);
        return;
    }
    if (json_inline_ok(v)) {
        ttlx_sb_t flat = {0};
        json_inline(&flat, v);
        bool fits = !flat.failed && col + (int)flat.len <= EXPORT_LINE_WIDTH;
        if (fits) ttlx_sb_putn(b, flat.data, flat.len);
        ttlx_sb_free(&flat);
        if (fits) return;
    }
    ttlx_sb_puts(b, obj ? "{\n" : "[\n");
    for (const cJSON *c = v->child; c; c = c->next) {
        export_spaces(b, base + unit);
        size_t before = b->len;
        if (obj) {
            ttlx_sb_json_string(b, c->string ? c->string : "");
            ttlx_sb_puts(b, ": ");
        }
        export_json_block(b, c, base + unit, unit, base + unit + (int)(b->len - before));
        ttlx_sb_puts(b, c->next ? ",\n" : "\n");
    }
    export_spaces(b, base);
    ttlx_sb_puts(b, obj ? "}" : "]");
}

char *export_json_text_len(const cJSON *v, size_t *len, ttlx_error_t *err) {
    ttlx_sb_t b = {0};
    json_value(&b, v, 0, 0);
    ttlx_sb_putn(&b, "\n", 1);
    if (b.failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

char *export_json_text(const cJSON *v) {
    size_t len = 0;
    ttlx_error_t err = {0};
    return v ? export_json_text_len(v, &len, &err) : NULL;
}

/* The module's document; over the text it was loaded from when there is
 * one (only the changed values rewritten), else printed whole. */
char *export_write_json(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    const cJSON *doc = ttlx_module_json(in->mod);
    char *text = in->source ? export_json_splice(doc, in->source, in->source_len, len) : NULL;
    return text ? text : export_json_text_len(doc, len, err);
}
