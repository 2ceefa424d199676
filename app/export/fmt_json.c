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

const export_json_style_t EXPORT_JSON_STYLE_EXPORT = {true, false, false};
const export_json_style_t EXPORT_JSON_STYLE_LUA = {false, true, true};

/* ------------------------------------------------------------- numbers */

static void put_number(ttlx_sb_t *b, const cJSON *v, bool exact) {
    double d = v->valuedouble;
    char buf[64];
    if (!isfinite(d)) {
        ttlx_sb_puts(b, "null");
        return;
    }
    if (d == floor(d) && fabs(d) <= 9007199254740992.0) {
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    } else {
        if (exact) {
            snprintf(buf, sizeof buf, "%.17g", d);
        } else {
            snprintf(buf, sizeof buf, "%.15g", d);
            if (strtod(buf, NULL) != d) snprintf(buf, sizeof buf, "%.17g", d);
        }
        const char *point = localeconv()->decimal_point;
        if (point && point[0] && point[0] != '.')
            for (char *c = buf; *c; c++)
                if (*c == point[0]) *c = '.';
    }
    ttlx_sb_puts(b, buf);
}

void export_put_number(ttlx_sb_t *b, const cJSON *v) {
    put_number(b, v, false);
}

/* ---------------------------------------------------------------- JSON */

static bool json_scalar(const cJSON *v) {
    return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

/* A string (a value or a key), quoted and escaped in style st. */
static void put_string(ttlx_sb_t *b, const char *s, const export_json_style_t *st) {
    if (!st->cjson_strings) {
        ttlx_sb_json_string(b, s);
        return;
    }
    cJSON item = {0};
    item.type = cJSON_String;
    item.valuestring = (char *)s;
    char *text = cJSON_PrintUnformatted(&item);
    if (!text) {
        b->failed = true;
        return;
    }
    ttlx_sb_puts(b, text);
    cJSON_free(text);
}

static void json_scalar_value(ttlx_sb_t *b, const cJSON *v, const export_json_style_t *st) {
    if (cJSON_IsString(v))
        put_string(b, v->valuestring, st);
    else if (cJSON_IsRaw(v))
        ttlx_sb_puts(b, v->valuestring);
    else if (cJSON_IsNumber(v))
        put_number(b, v, st->exact_numbers);
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

static void json_inline(ttlx_sb_t *b, const cJSON *v, const export_json_style_t *st) {
    if (json_scalar(v)) {
        json_scalar_value(b, v, st);
        return;
    }
    bool obj = cJSON_IsObject(v);
    ttlx_sb_putn(b, obj ? "{" : "[", 1);
    for (const cJSON *c = v->child; c; c = c->next) {
        if (obj) {
            put_string(b, c->string ? c->string : "", st);
            ttlx_sb_puts(b, ": ");
        }
        json_inline(b, c, st);
        if (c->next) ttlx_sb_puts(b, ", ");
    }
    ttlx_sb_putn(b, obj ? "}" : "]", 1);
}

/* Objects one key a line, except small flat ones (as the samples are
 * written) when st fits objects; lists of scalars on one line. */
static void json_block(ttlx_sb_t *b, const cJSON *v, int base, int unit, int col,
                       const export_json_style_t *st) {
    if (json_scalar(v)) {
        json_scalar_value(b, v, st);
        return;
    }
    bool obj = cJSON_IsObject(v);
    if (!v->child) {
        ttlx_sb_puts(b, obj ? "{}" : "[]");
        return;
    }
    if (json_flat_list(v)) {
        json_inline(b, v, st);
        return;
    }
    if (st->fit_objects && json_inline_ok(v)) {
        ttlx_sb_t flat = {0};
        json_inline(&flat, v, st);
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
            put_string(b, c->string ? c->string : "", st);
            ttlx_sb_puts(b, ": ");
        }
        json_block(b, c, base + unit, unit, base + unit + (int)(b->len - before), st);
        ttlx_sb_puts(b, c->next ? ",\n" : "\n");
    }
    export_spaces(b, base);
    ttlx_sb_puts(b, obj ? "}" : "]");
}

void export_json_block(ttlx_sb_t *b, const cJSON *v, int base, int unit, int col) {
    json_block(b, v, base, unit, col, &EXPORT_JSON_STYLE_EXPORT);
}

char *export_json_text_len(const cJSON *v, size_t *len, ttlx_error_t *err) {
    ttlx_sb_t b = {0};
    json_block(&b, v, 0, 2, 0, &EXPORT_JSON_STYLE_EXPORT);
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
    return export_json_text_styled(v, &EXPORT_JSON_STYLE_EXPORT);
}

char *export_json_text_styled(const cJSON *v, const export_json_style_t *st) {
    if (!v) return NULL;
    ttlx_sb_t b = {0};
    json_block(&b, v, 0, 2, 0, st);
    ttlx_sb_putn(&b, "\n", 1);
    return ttlx_sb_take(&b);
}

/* The module's document; over the text it was loaded from when there is
 * one (only the changed values rewritten), else printed whole. */
char *export_write_json(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    const cJSON *doc = ttlx_module_json(in->mod);
    char *text = in->source ? export_json_splice(doc, in->source, in->source_len, len) : NULL;
    return text ? text : export_json_text_len(doc, len, err);
}
