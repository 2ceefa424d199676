/*
 * fmt_tvmscript.c - the `tvmscript` export: a TVMScript source re-printed
 * with updated T.func_attr dicts (every other byte kept), or, for a module
 * loaded from JSON, a generated @T.prim_func per function.
 */
#include "export/export_internal.h"
#include "ttlx_tvmscript.h"

#include <stdint.h>
#include <string.h>

/* ----------------------------------------------------------- attributes */

/* The attributes a TVMScript function carries: tt.device and the buffer
 * roles (which the importer reads back into "device" and "role"), then
 * the function's attrs with the current hints. Caller owns. */
static cJSON *script_attrs(const ttlx_func_t *f) {
    cJSON *a = cJSON_CreateObject();
    if (!a) return NULL;
    const char *dev = ttlx_func_device_name(f);
    if (dev && !cJSON_AddStringToObject(a, "tt.device", dev)) goto oom;
    cJSON *roles = NULL;
    for (size_t i = 0; i < ttlx_func_buffer_count(f); i++) {
        const ttlx_buffer_info_t *bi = ttlx_func_buffer(f, i);
        if (!bi->role) continue;
        if (!roles && !(roles = cJSON_AddObjectToObject(a, "tt.buffer_roles"))) goto oom;
        if (!cJSON_AddStringToObject(roles, bi->name, bi->role)) goto oom;
    }
    for (const cJSON *c = ttlx_func_attrs(f)->child; c; c = c->next) {
        if (!strcmp(c->string, "tt.device") || !strcmp(c->string, "tt.buffer_roles")) continue;
        cJSON *copy = cJSON_Duplicate(c, true);
        if (!copy || !cJSON_AddItemToObject(a, c->string, copy)) {
            cJSON_Delete(copy);
            goto oom;
        }
    }
    return a;
oom:
    cJSON_Delete(a);
    return NULL;
}

static bool is_identifier(const char *s) {
    if (!s || !*s || (*s >= '0' && *s <= '9')) return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
              (*c >= '0' && *c <= '9') || *c >= 0x80))
            return false;
    return true;
}

/* ----------------------------------------------------------- TVMScript */

/* One @T.prim_func generated from the model, indented by ind spaces. */
static bool tvmscript_function(ttlx_sb_t *b, const ttlx_func_t *f, int ind, ttlx_error_t *err) {
    const char *name = ttlx_func_name(f);
    if (!is_identifier(name)) {
        ttlx_error_set(err, 0, 0, "function name \"%.60s\" is not a Python identifier", name);
        return false;
    }
    export_spaces(b, ind);
    ttlx_sb_puts(b, "@T.prim_func\n");
    export_spaces(b, ind);
    ttlx_sb_printf(b, "def %s(", name);
    int open_col = ind + 5 + (int)strlen(name);
    for (size_t i = 0; i < ttlx_func_buffer_count(f); i++) {
        const ttlx_buffer_info_t *bi = ttlx_func_buffer(f, i);
        if (!is_identifier(bi->name)) {
            ttlx_error_set(err, 0, 0, "buffer name \"%.60s\" is not a Python identifier", bi->name);
            return false;
        }
        if (i) {
            ttlx_sb_puts(b, ",\n");
            export_spaces(b, open_col);
        }
        ttlx_sb_printf(b, "%s: T.Buffer((", bi->name);
        for (int d = 0; d < bi->rank; d++)
            ttlx_sb_printf(b, "%s%lld", d ? ", " : "", (long long)bi->shape[d]);
        ttlx_sb_printf(b, "%s), \"%s\")", bi->rank == 1 ? "," : "", bi->dtype);
    }
    ttlx_sb_puts(b, "):\n");
    const char *desc = ttlx_func_description(f);
    if (desc && *desc) {
        export_spaces(b, ind + 4);
        bool plain = !strstr(desc, "\"") && !strchr(desc, '\\');
        for (const unsigned char *c = (const unsigned char *)desc; *c && plain; c++)
            plain = *c >= 0x20 && *c != 0x7F;
        if (plain) /* the docstring is the description */
            ttlx_sb_printf(b, "\"\"\"%s\"\"\"\n", desc);
        else {
            export_py_string(b, desc);
            ttlx_sb_puts(b, "\n");
        }
    }
    cJSON *attrs = script_attrs(f);
    if (!attrs) {
        ttlx_error_set(err, 0, 0, "out of memory");
        return false;
    }
    if (attrs->child) {
        export_spaces(b, ind + 4);
        ttlx_sb_puts(b, "T.func_attr(");
        export_py_pretty(b, attrs, ind + 16, ind + 4);
        ttlx_sb_puts(b, ")\n");
    }
    cJSON_Delete(attrs);
    int64_t ext[3];
    int n = ttlx_func_kernel(f, ext);
    if (n > 0) {
        static const char *const vars[] = {"bx", "(bx, by)", "(bx, by, bz)"};
        export_spaces(b, ind + 4);
        ttlx_sb_puts(b, "with T.Kernel(");
        for (int k = 0; k < n; k++)
            ttlx_sb_printf(b, "%s%lld", k ? ", " : "", (long long)ext[k]);
        ttlx_sb_printf(b, ") as %s:\n", vars[n - 1]);
        export_spaces(b, ind + 8);
    } else {
        export_spaces(b, ind + 4);
    }
    ttlx_sb_puts(b, "T.evaluate(0)\n");
    return true;
}

static char *tvmscript_generate(ttlx_module_t *mod, size_t *len, ttlx_error_t *err) {
    ttlx_sb_t b = {0};
    size_t n = ttlx_module_func_count(mod);
    if (n > 1) ttlx_sb_puts(&b, "# from tvm.script import ir as I\n");
    ttlx_sb_puts(&b, "# from tvm.script import tir as T\n\n");
    if (n > 1) ttlx_sb_puts(&b, "@I.ir_module\nclass Module:\n");
    for (size_t i = 0; i < n; i++) {
        if (i) ttlx_sb_puts(&b, "\n");
        if (!tvmscript_function(&b, ttlx_module_func(mod, i), n > 1 ? 4 : 0, err)) {
            ttlx_sb_free(&b);
            return NULL;
        }
    }
    if (b.failed) {
        ttlx_sb_free(&b);
        ttlx_error_set(err, 0, 0, "out of memory");
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* The source text with each function's T.func_attr dict replaced (or a
 * T.func_attr line inserted) and every other byte kept. */
static char *tvmscript_splice(ttlx_module_t *mod, const char *src, size_t src_len, size_t *len,
                              ttlx_error_t *err) {
    ttlx_tvmscript_site_t *sites = NULL;
    size_t nsites = 0;
    ttlx_error_t perr = {0};
    if (!ttlx_tvmscript_sites(src, src_len, NULL, 0, &sites, &nsites, &perr)) {
        ttlx_error_set(err, perr.line, perr.col, "the TVMScript source no longer reads: %s",
                       perr.what);
        return NULL;
    }
    if (nsites != ttlx_module_func_count(mod)) {
        ttlx_free(sites);
        ttlx_error_set(err, 0, 0,
                       "the file no longer matches what was loaded (%zu functions, "
                       "expected %zu); reload it first",
                       nsites, ttlx_module_func_count(mod));
        return NULL;
    }
    ttlx_sb_t b = {0};
    size_t at = 0;
    bool ok = true;
    for (size_t i = 0; i < nsites && ok; i++) {
        const ttlx_tvmscript_site_t *s = &sites[i];
        const ttlx_func_t *f = ttlx_module_func(mod, i);
        if (s->attr_calls > 1) {
            ttlx_error_set(err, 0, 0,
                           "function '%s' has %d T.func_attr calls; merge them into "
                           "one to export TVMScript",
                           ttlx_func_name(f), s->attr_calls);
            ok = false;
            break;
        }
        cJSON *attrs = script_attrs(f);
        if (!attrs) {
            ttlx_error_set(err, 0, 0, "out of memory");
            ok = false;
            break;
        }
        int indent = (int)s->indent_len + (s->indent_is_def ? 4 : 0);
        if (s->has_attr) {
            /* Column of the dict: where its line starts to the '{'. */
            size_t ls = s->attr_start;
            while (ls > 0 && src[ls - 1] != '\n' && src[ls - 1] != '\r')
                ls--;
            ttlx_sb_putn(&b, src + at, s->attr_start - at);
            export_py_pretty(&b, attrs, (int)(s->attr_start - ls), indent);
            at = s->attr_end;
        } else if (attrs->child) {
            if (s->insert_at == SIZE_MAX) {
                ttlx_error_set(err, 0, 0,
                               "function '%s' has its body on the def line; put it "
                               "on its own line to export TVMScript",
                               ttlx_func_name(f));
                ok = false;
                cJSON_Delete(attrs);
                break;
            }
            ttlx_sb_putn(&b, src + at, s->insert_at - at);
            if (s->newline_first) ttlx_sb_puts(&b, "\n");
            if (s->indent_is_def) {
                ttlx_sb_putn(&b, src + s->indent_start, s->indent_len);
                export_spaces(&b, 4);
            } else {
                ttlx_sb_putn(&b, src + s->indent_start, s->indent_len);
            }
            ttlx_sb_puts(&b, "T.func_attr(");
            export_py_pretty(&b, attrs, indent + 12, indent);
            /* End the line as the file ends its lines. */
            bool crlf =
                s->insert_at >= 2 && src[s->insert_at - 1] == '\n' && src[s->insert_at - 2] == '\r';
            ttlx_sb_puts(&b, crlf ? ")\r\n" : ")\n");
            at = s->insert_at;
        }
        cJSON_Delete(attrs);
    }
    ttlx_free(sites);
    if (ok) ttlx_sb_putn(&b, src + at, src_len - at);
    if (ok && b.failed) {
        ttlx_error_set(err, 0, 0, "out of memory");
        ok = false;
    }
    if (!ok) {
        ttlx_sb_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? b.data : ttlx_calloc(1, 1);
}

/* The whole module: spliced into its own TVMScript source when it was
 * loaded from one, else generated. */
char *export_write_tvmscript(const export_input_t *in, size_t *len, ttlx_error_t *err) {
    if (in->source && !strcmp(ttlx_module_format(in->mod), "tvmscript"))
        return tvmscript_splice(in->mod, in->source, in->source_len, len, err);
    return tvmscript_generate(in->mod, len, err);
}
