/*
 * export.c - the one format table of the exporter: each format's name and
 * other spellings, the file suffixes it goes with, its writer and its help
 * line. Parsing a format name, `ttlx export --help`, rendering and writing
 * all read this table; the writers live one per file (fmt_*.c).
 */
#include "export/export_internal.h"
#include "sys/atomic_write.h"
#include "sys/file.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct export_format_entry {
    export_format_t fmt;
    const char *name;
    const char *alias;  /* another spelling accepted by --format, or NULL */
    const char *suffix; /* the default output next to the input: never the input itself */
    export_writer_fn write;
    const char *help; /* for `ttlx export --help`; continuation lines pre-indented */
} export_format_entry_t;

static const export_format_entry_t formats[] = {
    {EXPORT_JSON, "json", NULL, ".hints.json", export_write_json,
     "the PrimFunc JSON (every function of a module)"},
    {EXPORT_PYTHON, "python", "py", "_layout.py", export_write_python,
     "a ready `func = annotate_tt_layout(func, {...})` call to paste\n"
     "             into a TileLang program (the selected function)"},
    {EXPORT_TVMSCRIPT, "tvmscript", "tvm", ".hints.py", export_write_tvmscript,
     "the TVMScript with an updated T.func_attr; a TVMScript FILE keeps\n"
     "             every other byte, a JSON FILE becomes a generated @T.prim_func"},
    {EXPORT_PLAN, "plan", "tt.plan.json", ".tt.plan.json", export_write_plan,
     "tt.plan.json: schema_version, core_grid, core_ranges,\n"
     "             work_partition and layouts of the inferred function"},
    {EXPORT_SVG, "svg", NULL, ".svg", export_write_svg,
     "the core grid, DRAM banks and tile grid of every buffer, with a\n"
     "             legend (tile grids over 64x64 cells draw blocks of tiles)"},
    {EXPORT_TTNN, "ttnn", NULL, "_ttnn.py", export_write_ttnn,
     "a Python module building the ttnn.MemoryConfig of every buffer\n"
     "             (None and the reason where TTNN has no equivalent)"},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

static const export_format_entry_t *entry_of(export_format_t fmt) {
    for (size_t i = 0; i < NFORMATS; i++)
        if (formats[i].fmt == fmt) return &formats[i];
    return NULL;
}

bool export_format_parse(const char *name, export_format_t *out) {
    if (!name) return false;
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcmp(name, formats[i].name)) {
            *out = formats[i].fmt;
            return true;
        }
    for (size_t i = 0; i < NFORMATS; i++)
        if (formats[i].alias && !strcmp(name, formats[i].alias)) {
            *out = formats[i].fmt;
            return true;
        }
    return false;
}

const char *export_format_name(export_format_t fmt) {
    const export_format_entry_t *e = entry_of(fmt);
    return e ? e->name : "?";
}

const char *export_format_names(const char *sep) {
    static char buf[160];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NFORMATS && used < sizeof buf; i++)
        used +=
            (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? sep : "", formats[i].name);
    return buf;
}

const char *export_format_suffix(export_format_t fmt) {
    const export_format_entry_t *e = entry_of(fmt);
    return e ? e->suffix : ".out";
}

void export_formats_help(FILE *out) {
    for (size_t i = 0; i < NFORMATS; i++)
        fprintf(out, "  %-10s %s\n", formats[i].name, formats[i].help);
}

char *export_render(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                    export_format_t fmt, const char *source, size_t source_len, size_t *len_out,
                    ttlx_error_t *err) {
    if (func_index >= ttlx_module_func_count(mod)) {
        ttlx_error_set(err, 0, 0, "no function %zu in the module", func_index);
        return NULL;
    }
    const export_format_entry_t *e = entry_of(fmt);
    if (!e) {
        ttlx_error_set(err, 0, 0, "unknown export format");
        return NULL;
    }
    export_input_t in = {mod, func_index, dev ? dev : ttlx_device_default(), source, source_len};
    size_t len = 0;
    char *text = e->write(&in, &len, err);
    if (text && len_out) *len_out = len;
    return text;
}

bool export_write_atomic_expect(const char *path, const char *data, size_t len,
                                const sys_file_id_t *expect, ttlx_error_t *err) {
    char msg[sizeof err->what];
    if (sys_atomic_write_expect(path, data, len, expect, msg, sizeof msg)) return true;
    ttlx_error_set(err, 0, 0, "%s", msg);
    return false;
}

bool export_write_atomic(const char *path, const char *data, size_t len, ttlx_error_t *err) {
    return export_write_atomic_expect(path, data, len, NULL, err);
}

const sys_file_id_t *export_expect_for(const char *target, const char *src_path,
                                       const sys_file_id_t *src_id) {
    if (!src_id || !src_id->valid || !target) return NULL;
    if (src_path && !strcmp(target, src_path)) return src_id;
    struct stat st; /* another name of the same file */
    if (stat(target, &st) == 0 && (uint64_t)st.st_dev == src_id->dev &&
        (uint64_t)st.st_ino == src_id->ino)
        return src_id;
    return NULL;
}

/* The text mod was loaded from, when fmt keeps it: a TVMScript module
 * exported as TVMScript. *source NULL otherwise. False when it is needed
 * and cannot be read. */
static bool read_source_for(ttlx_module_t *mod, export_format_t fmt, const char *source_path,
                            char **source, size_t *source_len, ttlx_error_t *err) {
    *source = NULL;
    *source_len = 0;
    if (fmt != EXPORT_TVMSCRIPT || !source_path || strcmp(ttlx_module_format(mod), "tvmscript"))
        return true;
    char msg[sizeof err->what];
    *source = sys_file_read(source_path, source_len, msg, sizeof msg);
    if (!*source) ttlx_error_set(err, 0, 0, "%s", msg);
    return *source != NULL;
}

bool export_to_file(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                    export_format_t fmt, const char *source_path, const char *out_path,
                    ttlx_error_t *err) {
    return export_to_file_expect(mod, func_index, dev, fmt, source_path, NULL, out_path, err);
}

bool export_to_file_expect(ttlx_module_t *mod, size_t func_index, const ttlx_device_t *dev,
                           export_format_t fmt, const char *source_path,
                           const sys_file_id_t *source_id, const char *out_path,
                           ttlx_error_t *err) {
    bool to_stdout = !out_path || !strcmp(out_path, "-");
    const sys_file_id_t *expect =
        to_stdout ? NULL : export_expect_for(out_path, source_path, source_id);
    char msg[sizeof err->what];
    if (expect && !sys_file_unchanged(out_path, expect, msg, sizeof msg)) {
        ttlx_error_set(err, 0, 0, "%s", msg);
        return false;
    }
    char *source = NULL;
    size_t source_len = 0;
    if (!read_source_for(mod, fmt, source_path, &source, &source_len, err)) return false;
    size_t len = 0;
    char *text = export_render(mod, func_index, dev, fmt, source, source_len, &len, err);
    ttlx_free(source);
    if (!text) return false;
    bool ok;
    if (to_stdout) {
        ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
        if (!ok) ttlx_error_set(err, 0, 0, "cannot write to standard output");
    } else {
        ok = export_write_atomic_expect(out_path, text, len, expect, err);
    }
    ttlx_free(text);
    return ok;
}
