/*
 * save.c - the one save rule (export.h, export_save): which format a save
 * writes, and writing it atomically, over the file's own text where the
 * format allows (TVMScript keeps every byte but T.func_attr; JSON rewrites
 * only the values that changed).
 */
#include "export/export_internal.h"
#include "sys/file.h"
#include "ttlx_load.h"
#include "ttlx_tvmscript.h"

#include <stdio.h>
#include <string.h>

static bool ends_with_ci(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m) return false;
    for (size_t i = 0; i < m; i++) {
        char a = s[n - m + i];
        if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
        if (a != suffix[i]) return false;
    }
    return true;
}

export_format_t export_save_format(const char *module_format, const char *src_path,
                                   const char *target) {
    bool own_tvm = module_format && !strcmp(module_format, "tvmscript");
    if (!target || (src_path && !strcmp(target, src_path)))
        return own_tvm ? EXPORT_TVMSCRIPT : EXPORT_JSON;
    /* .py and .tvm are TVMScript exactly as the loader reads them. */
    if (ttlx_load_is_tvmscript(target, NULL, 0)) return EXPORT_TVMSCRIPT;
    if (ends_with_ci(target, ".json")) return EXPORT_JSON;
    return own_tvm ? EXPORT_TVMSCRIPT : EXPORT_JSON;
}

/* The text of the file mod was loaded from, when it is in mod's own
 * format and a save into fmt keeps it (*text NULL when not). A JSON text
 * that is gone is no error (the module is printed whole); TVMScript is
 * re-printed from its text, so without it there is no save. */
static bool source_for(ttlx_module_t *mod, export_format_t fmt, const char *src_path, char **text,
                       size_t *len, ttlx_error_t *err) {
    *text = NULL;
    *len = 0;
    const char *want = fmt == EXPORT_TVMSCRIPT ? "tvmscript" : "json";
    if (!src_path || strcmp(ttlx_module_format(mod), want)) return true;
    char msg[sizeof err->what];
    *text = sys_file_read(src_path, len, msg, sizeof msg);
    if (*text || fmt == EXPORT_JSON) return true;
    ttlx_error_set(err, 0, 0, "%s", msg);
    return false;
}

/* Renders mod in fmt (JSON or TVMScript, the whole module) over its source
 * and writes target atomically. */
static bool save_as(ttlx_module_t *mod, export_format_t fmt, const char *src_path,
                    const char *target, const sys_file_id_t *expect, ttlx_error_t *err) {
    char *source;
    size_t source_len, len = 0;
    if (!source_for(mod, fmt, src_path, &source, &source_len, err)) return false;
    char *text = export_render(mod, 0, NULL, fmt, source, source_len, &len, err);
    ttlx_free(source);
    if (!text) return false;
    bool ok = export_write_atomic_expect(target, text, len, expect, err);
    ttlx_free(text);
    return ok;
}

bool export_save_json(ttlx_module_t *mod, const char *source_path, const char *out_path,
                      ttlx_error_t *err) {
    return save_as(mod, EXPORT_JSON, source_path, out_path, NULL, err);
}

bool export_save(ttlx_module_t *mod, const char *src_path, const char *target,
                 const sys_file_id_t *src_id, char *err, size_t errsize) {
    if (!target) target = src_path;
    if (!target) {
        snprintf(err, errsize, "no file to save to (give a path)");
        return false;
    }
    export_format_t fmt = export_save_format(ttlx_module_format(mod), src_path, target);
    /* The file changed on disk since it was loaded: refuse before its new
     * text is read back as the base of this save (and again before the
     * rename, in the writer). */
    const sys_file_id_t *expect = export_expect_for(target, src_path, src_id);
    if (!sys_file_unchanged(target, expect, err, errsize)) return false;
    ttlx_error_t e = {0};
    if (save_as(mod, fmt, src_path, target, expect, &e)) return true;
    /* A position is in the source text (a TVMScript that no longer reads). */
    ttlx_error_format(&e, e.line ? src_path : NULL, err, errsize);
    return false;
}
