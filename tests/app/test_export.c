/*
 * test_export.c - app/export/: the SVG parsed back by a small XML
 * well-formedness checker that counts the cells exactly; the plan's core
 * ranges and work items; TVMScript re-printing that keeps every other byte
 * (replacing or inserting T.func_attr); python and json exports; the
 * atomic writer; JSON saved over its own text; the format table; and the
 * one save rule (export_save_format, export_save).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "export/export.h"
#include "sys/atomic_write.h"
#include "sys/file.h"
#include "ttlx_func.h"
#include "ttlx_load.h"

#include "app_support.h"
#include "xml_check.h"

/* --------------------------------------------------------- helpers */

static cJSON *hint(const char *json) {
    cJSON *h = cJSON_Parse(json);
    assert_non_null(h);
    return h;
}

/* ------------------------------------------------------------- SVG */

static void svg_cells_exact(void **state) {
    (void)state;
    ttlx_module_t *m = app_load_sample("matmul_sharded.json");
    char *svg = app_render(m, EXPORT_SVG, NULL);
    xml_counts_t c;
    if (!xml_check(svg, &c)) fail_msg("not well-formed: %s", c.error);
    /* A is L1: the 8x8 core grid; B and C are DRAM: 12 banks each; three
     * 8x8-tile buffers. */
    assert_int_equal(c.core, 64);
    assert_int_equal(c.bank, 24);
    assert_int_equal(c.tile, 3 * 64);
    assert_non_null(strstr(svg, "<title>core (0,0): 8 tiles, 16384 bytes</title>"));
    assert_non_null(strstr(svg, "<title>tile (7,7): core (3,1), shard 7</title>"));
    ttlx_free(svg);
    ttlx_module_free(m);
}

static void svg_aggregates_huge_tensors(void **state) {
    (void)state;
    /* 65536x65536 is 2048x2048 tiles: 32x32 tiles a cell, 64x64 cells.
     * 100x3000 is 4x94 tiles: 1x2 tiles a cell, 4x47 cells. Blackhole has
     * 8 DRAM banks. */
    ttlx_module_t *m =
        app_load("{\"name\": \"big\", \"device\": \"blackhole_p150\", \"buffers\": ["
                 "{\"name\": \"H\", \"shape\": [65536, 65536], \"dtype\": \"bfloat16\"},"
                 "{\"name\": \"W\", \"shape\": [100, 3000], \"dtype\": \"float32\"}],"
                 "\"attrs\": {\"tt.user_layout\": {\"W\": {\"memory\": \"L1\"}}}}",
                 "big.json");
    ttlx_error_t err = {0};
    const ttlx_device_t *dev = ttlx_device_find("blackhole_p150");
    char *svg = export_render(m, 0, dev, EXPORT_SVG, NULL, 0, NULL, &err);
    assert_non_null(svg);
    xml_counts_t c;
    if (!xml_check(svg, &c)) fail_msg("not well-formed: %s", c.error);
    assert_int_equal(c.tile, 64 * 64 + 4 * 47);
    assert_int_equal(c.bank, 8);
    assert_int_equal(c.core, 11 * 10);
    assert_non_null(strstr(svg, "each cell is 32 x 32 tiles"));
    assert_non_null(strstr(svg, "each cell is 1 x 2 tiles"));
    ttlx_free(svg);
    ttlx_module_free(m);
}

static void svg_escapes_text(void **state) {
    (void)state;
    ttlx_module_t *m = app_load("{\"name\": \"a<b>&'\\\"\", \"buffers\": ["
                                "{\"name\": \"x&y\", \"shape\": [40], \"dtype\": \"int8\"}]}",
                                "e.json");
    char *svg = app_render(m, EXPORT_SVG, NULL);
    xml_counts_t c;
    if (!xml_check(svg, &c)) fail_msg("not well-formed: %s", c.error);
    assert_non_null(strstr(svg, "a&lt;b&gt;&amp;&apos;&quot; on wormhole_n150"));
    assert_non_null(strstr(svg, "x&amp;y [40] int8"));
    /* Padding is marked by a dashed outline and said in the tooltip. */
    assert_non_null(
        strstr(svg, "stroke-dasharray=\"2,1\"><title>tile (0,1): DRAM bank 1, page 0, padding"));
    ttlx_free(svg);
    ttlx_module_free(m);
}

static void xml_checker_rejects(void **state) {
    (void)state;
    static const char *bad[] = {"<a><b></a></b>", "<a x=1/>", "<a>&bogus;</a>", "<a/><b/>",
                                "<a x=\"<\"/>",   "<a>",      "text<a/>"};
    xml_counts_t c;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (xml_check(bad[i], &c)) fail_msg("accepted: %s", bad[i]);
    assert_true(
        xml_check("<?xml version=\"1.0\"?>\n<a><rect class=\"tile\"/><!-- c --></a>\n", &c));
    assert_int_equal(c.tile, 1);
}

/* ------------------------------------------------------------- plan */

static void plan_ranges_and_work(void **state) {
    (void)state;
    /* 10 output tiles (kernel 10x1): cores 0..9 of the 8x8 grid, one each. */
    ttlx_module_t *m =
        app_load("{\"name\": \"p\", \"kernel\": [10], \"buffers\": ["
                 "{\"name\": \"C\", \"shape\": [32, 320], \"dtype\": \"bfloat16\"}]}",
                 "p.json");
    char *text = app_render(m, EXPORT_PLAN, NULL);
    cJSON *plan = cJSON_Parse(text);
    assert_non_null(plan);
    assert_int_equal(cJSON_GetObjectItem(plan, "schema_version")->valueint, 1);
    char *ranges = cJSON_PrintUnformatted(cJSON_GetObjectItem(plan, "core_ranges"));
    assert_string_equal(ranges,
                        "[{\"start\":[0,0],\"extent\":[8,1]},{\"start\":[0,1],\"extent\":[2,1]}]");
    cJSON_free(ranges);
    cJSON *wp = cJSON_GetObjectItem(plan, "work_partition");
    assert_int_equal(cJSON_GetArraySize(wp), 10);
    char *w9 = cJSON_PrintUnformatted(cJSON_GetObjectItem(wp, "(1,1)"));
    assert_string_equal(w9, "[{\"io\":0,\"jo\":9,\"tile_order\":\"row_major\"}]");
    cJSON_free(w9);
    char *lay = cJSON_PrintUnformatted(cJSON_GetObjectItem(plan, "layouts"));
    assert_string_equal(lay, "{\"C\":{\"shard\":\"DRAM\",\"interleave\":true,\"tile_id_order\":"
                             "\"row_major\",\"dtype\":\"bfloat16\",\"tile_shape\":[32,32],"
                             "\"page_size\":2048}}");
    cJSON_free(lay);
    cJSON_Delete(plan);
    ttlx_free(text);
    ttlx_module_free(m);
}

/* ----------------------------------------------------------- python */

static void python_call(void **state) {
    (void)state;
    ttlx_module_t *m = app_load("{\"name\": \"k\", \"buffers\": ["
                                "{\"name\": \"A\", \"shape\": [64, 64], \"dtype\": \"float32\"}],"
                                "\"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", "
                                "\"align_tiles\": false, \"x\": null, \"s\": \"q\\\"\\n\"}}}}",
                                "k.json");
    char *text = app_render(m, EXPORT_PYTHON, NULL);
    assert_string_equal(
        text, "# Layout hints for `k` from ttlx " TTLX_VERSION " (device wormhole_n150).\n"
              "# Paste into the TileLang program, after `func` is built:\n"
              "from tilelang.tenstorrent import annotate_tt_layout\n"
              "func = annotate_tt_layout(func, {\n"
              "    \"A\": {\"memory\": \"L1\", \"align_tiles\": False, \"x\": None, "
              "\"s\": \"q\\\"\\n\"},\n"
              "})\n");
    ttlx_free(text);
    ttlx_module_free(m);
}

/* ------------------------------------------------------------- ttnn */

/* The ttnn export of the selected function: one MemoryConfig per buffer,
 * None with the reason where TTNN has none, names made identifiers. */
static void ttnn_module(void **state) {
    (void)state;
    ttlx_module_t *m =
        app_load("{\"functions\": ["
                 "{\"name\": \"first\", \"buffers\": ["
                 "{\"name\": \"Z\", \"shape\": [32, 32], \"dtype\": \"float32\"}]},"
                 "{\"name\": \"k\", \"buffers\": ["
                 "{\"name\": \"a-b\", \"shape\": [64, 128], \"dtype\": \"bfloat16\"},"
                 "{\"name\": \"in\", \"shape\": [256, 64], \"dtype\": \"bfloat16\"},"
                 "{\"name\": \"w\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"}],"
                 "\"attrs\": {\"tt.user_layout\": {"
                 "\"a-b\": {\"memory\": \"L1\"},"
                 "\"in\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": "
                 "{\"axes\": [\"M\", \"N\"], \"grid\": [4, 1], "
                 "\"shard_shape_elems\": [64, 64]}},"
                 "\"w\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": "
                 "{\"axes\": [\"M\", \"N\"], \"grid\": [2, 2], "
                 "\"shard_shape_elems\": [32, 32], \"order\": \"block_linear(2)\"}}}}}]}",
                 "k.json");
    ttlx_error_t err = {0};
    size_t len = 0;
    char *text = export_render(m, 1, NULL, EXPORT_TTNN, NULL, 0, &len, &err);
    if (!text) fail_msg("render: %s", err.what);
    assert_int_equal(strlen(text), len);
    assert_string_equal(
        text, "# TTNN MemoryConfigs for the buffers of k on wormhole_n150 (written by ttlx).\n"
              "import ttnn\n"
              "\n"
              "# a-b: L1 interleaved\n"
              "# ttlx numbers L1 banks in raster order; tt-metal permutes its L1 bank ids\n"
              "a_b = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.INTERLEAVED, ttnn.BufferType.L1)\n"
              "\n"
              "# in: L1 sharded\n"
              "in_ = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.HEIGHT_SHARDED, ttnn.BufferType.L1, "
              "ttnn.ShardSpec(ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), "
              "ttnn.CoreCoord(0, 3))}), [64, 64], ttnn.ShardOrientation.ROW_MAJOR))\n"
              "\n"
              "# w: L1 sharded\n"
              "# no TTNN equivalent: block_linear(2) has no TTNN ShardOrientation; shown as its "
              "row_major placement\n"
              "w = None\n");
    ttlx_free(text);
    ttlx_module_free(m);
}

/* -------------------------------------------------------- TVMScript */

static const char script_no_attr[] =
    "# from tvm.script import tir as T\n"
    "\n"
    "@T.prim_func\n"
    "def f(A: T.Buffer((64, 64), \"float32\"),   # a comment (kept)\n"
    "      B: T.Buffer((64,), \"float32\")):\n"
    "    \"\"\"Doc.\"\"\"\n"
    "    for i in range(64):\n"
    "        B[i] = A[i, 0]\n";

static void tvmscript_inserts_after_docstring(void **state) {
    (void)state;
    ttlx_module_t *m = app_load(script_no_attr, "f.py");
    assert_true(ttlx_func_set_hint(ttlx_module_func(m, 0), "A", hint("{\"memory\": \"L1\"}")));
    char *text = app_render(m, EXPORT_TVMSCRIPT, script_no_attr);
    assert_string_equal(text,
                        "# from tvm.script import tir as T\n"
                        "\n"
                        "@T.prim_func\n"
                        "def f(A: T.Buffer((64, 64), \"float32\"),   # a comment (kept)\n"
                        "      B: T.Buffer((64,), \"float32\")):\n"
                        "    \"\"\"Doc.\"\"\"\n"
                        "    T.func_attr({\"tt.user_layout\": {\"A\": {\"memory\": \"L1\"}}})\n"
                        "    for i in range(64):\n"
                        "        B[i] = A[i, 0]\n");
    /* Read back: the hint is there. */
    ttlx_module_t *back = app_load(text, "back.py");
    const cJSON *h = ttlx_func_hint(ttlx_module_func(back, 0), "A");
    assert_string_equal(cJSON_GetObjectItem(h, "memory")->valuestring, "L1");
    ttlx_module_free(back);
    ttlx_free(text);
    ttlx_module_free(m);
}

static void tvmscript_insert_keeps_crlf(void **state) {
    (void)state;
    static const char src[] = "@T.prim_func\r\ndef f(A: T.Buffer((4,), \"int8\")):\r\n"
                              "  T.evaluate(0)\r\n";
    ttlx_module_t *m = app_load(src, "crlf.py");
    assert_true(ttlx_func_set_hint(ttlx_module_func(m, 0), "A", hint("{\"cb_depth\": 4}")));
    char *text = app_render(m, EXPORT_TVMSCRIPT, src);
    assert_string_equal(text, "@T.prim_func\r\ndef f(A: T.Buffer((4,), \"int8\")):\r\n"
                              "  T.func_attr({\"tt.user_layout\": {\"A\": {\"cb_depth\": 4}}})\r\n"
                              "  T.evaluate(0)\r\n");
    ttlx_free(text);
    ttlx_module_free(m);
}

static int fail_after = -1;
static void *counting_malloc(size_t n) {
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return malloc(n);
}
static void *counting_realloc(void *p, size_t n) {
    if (fail_after == 0) return NULL;
    if (fail_after > 0) fail_after--;
    return realloc(p, n);
}

/* Every format survives the failure of any one allocation: NULL and a
 * message, nothing leaked (the sanitizer build checks). */
static void allocation_failure_in_every_format(void **state) {
    (void)state;
    ttlx_module_t *m = app_load_sample("matmul_sharded.py");
    char path[1024];
    snprintf(path, sizeof path, "%s/samples/matmul_sharded.py", TTLX_SOURCE_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char src[65536];
    size_t n = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[n] = '\0';
    ttlx_allocator_t counting = {counting_malloc, counting_realloc, free, NULL};
    for (int fmt = 0; fmt <= EXPORT_TTNN; fmt++) {
        size_t failures = 0;
        for (int k = 0; k < 100000; k++) {
            ttlx_set_allocator(&counting);
            fail_after = k;
            ttlx_error_t err = {0};
            char *text = export_render(m, 0, NULL, (export_format_t)fmt, src, n, NULL, &err);
            fail_after = -1;
            ttlx_set_allocator(NULL);
            if (text) {
                ttlx_free(text);
                break;
            }
            assert_true(err.what[0] != '\0');
            failures++;
        }
        if (failures < 3) fail_msg("format %d failed only %zu times", fmt, failures);
    }
    ttlx_module_free(m);
}

static void tvmscript_replaces_dict_only(void **state) {
    (void)state;
    static const char src[] = "@T.prim_func\n"
                              "def f(A: T.Buffer((64, 64), \"float32\")):\r\n"
                              "\tT.func_attr({'tt.user_layout': {'A': {'memory': 'DRAM'}},  # old\n"
                              "\t             \"keep\": T.int32(3)})  # trailing\n"
                              "\tT.evaluate(0)\n";
    ttlx_module_t *m = app_load(src, "f.py");
    assert_true(ttlx_func_set_hint(ttlx_module_func(m, 0), "A", hint("{\"memory\": \"L1\"}")));
    char *text = app_render(m, EXPORT_TVMSCRIPT, src);
    assert_string_equal(text, "@T.prim_func\n"
                              "def f(A: T.Buffer((64, 64), \"float32\")):\r\n"
                              "\tT.func_attr({\"tt.user_layout\": {\"A\": {\"memory\": \"L1\"}}, "
                              "\"keep\": 3})  # trailing\n"
                              "\tT.evaluate(0)\n");
    ttlx_free(text);
    ttlx_module_free(m);
}

static void tvmscript_refusals(void **state) {
    (void)state;
    static const char two[] = "@T.prim_func\ndef f(A: T.Buffer((4,), \"int8\")):\n"
                              "    T.func_attr({\"a\": 1})\n    T.func_attr({\"b\": 2})\n";
    ttlx_module_t *m = app_load(two, "two.py");
    ttlx_error_t err = {0};
    assert_null(export_render(m, 0, NULL, EXPORT_TVMSCRIPT, two, strlen(two), NULL, &err));
    assert_non_null(strstr(err.what, "function 'f' has 2 T.func_attr calls"));
    ttlx_module_free(m);

    static const char inline_body[] = "@T.prim_func\ndef f(A: T.Buffer((4,), \"int8\")): pass\n";
    m = app_load(inline_body, "i.py");
    assert_true(ttlx_func_set_hint(ttlx_module_func(m, 0), "A", hint("{}")));
    assert_null(
        export_render(m, 0, NULL, EXPORT_TVMSCRIPT, inline_body, strlen(inline_body), NULL, &err));
    assert_non_null(strstr(err.what, "has its body on the def line"));
    ttlx_module_free(m);

    m = app_load(
        "{\"name\": \"f\", \"buffers\": [{\"name\": \"my-buf\", \"shape\": [4], \"dtype\": "
        "\"int8\"}]}",
        "n.json");
    assert_null(export_render(m, 0, NULL, EXPORT_TVMSCRIPT, NULL, 0, NULL, &err));
    assert_non_null(strstr(err.what, "buffer name \"my-buf\" is not a Python identifier"));
    assert_null(export_render(m, 3, NULL, EXPORT_JSON, NULL, 0, NULL, &err));
    assert_non_null(strstr(err.what, "no function 3"));
    ttlx_module_free(m);
}

static void tvmscript_generated_reads_back(void **state) {
    (void)state;
    ttlx_module_t *m = app_load_sample("two_kernels.json");
    char *text = app_render(m, EXPORT_TVMSCRIPT, NULL);
    ttlx_module_t *back = app_load(text, "gen.py");
    cJSON *a = ttlx_module_to_json(m), *b = ttlx_module_to_json(back);
    char *ta = cJSON_PrintUnformatted(a), *tb = cJSON_PrintUnformatted(b);
    assert_string_equal(ta, tb);
    cJSON_free(ta);
    cJSON_free(tb);
    cJSON_Delete(a);
    cJSON_Delete(b);
    ttlx_module_free(back);
    ttlx_free(text);
    ttlx_module_free(m);
}

/* ------------------------------------------------------------- JSON */

static void json_reads_back(void **state) {
    (void)state;
    ttlx_module_t *m = app_load_sample("matmul_sharded.py");
    char *text = app_render(m, EXPORT_JSON, NULL);
    ttlx_module_t *back = app_load(text, "back.json");
    assert_string_equal(ttlx_module_format(back), "json");
    cJSON *a = ttlx_module_to_json(m), *b = ttlx_module_to_json(back);
    assert_true(cJSON_Compare(a, b, true));
    cJSON_Delete(a);
    cJSON_Delete(b);
    ttlx_module_free(back);
    ttlx_free(text);
    ttlx_module_free(m);
}

static void format_names(void **state) {
    (void)state;
    export_format_t f;
    const char *names[] = {"json", "python", "tvmscript", "plan", "svg", "ttnn"};
    for (int i = 0; i < 6; i++) {
        assert_true(export_format_parse(names[i], &f));
        assert_int_equal(f, i);
        assert_string_equal(export_format_name(f), names[i]);
    }
    assert_true(export_format_parse("py", &f));
    assert_int_equal(f, EXPORT_PYTHON);
    assert_false(export_format_parse("pdf", &f));
    assert_false(export_format_parse(NULL, &f));
}

/* ------------------------------------------------------ atomic write */

static void atomic_write(void **state) {
    (void)state;
    char dir[] = "/tmp/ttlx-export-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], sub[256];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    ttlx_error_t err = {0};
    assert_true(export_write_atomic(path, "first\n", 6, &err));
    chmod(path, 0600);
    assert_true(export_write_atomic(path, "second\n", 7, &err));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 7);
    /* A directory in the way: the write fails, nothing else appears. */
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_false(export_write_atomic(sub, "x", 1, &err));
    assert_non_null(strstr(err.what, "/sub: cannot save: Is a directory"));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 2", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    assert_false(export_write_atomic("/nonexistent-ttlx-dir/x", "x", 1, &err));
    assert_non_null(strstr(err.what, "/nonexistent-ttlx-dir/x: cannot create a temporary file "
                                     "beside it: No such file or directory"));
}

/* ------------------------------------------- JSON saved over its text */

static const char hand_json[] =
    "{\n"
    "    \"name\": \"demo\",\n"
    "    \"buffers\": [\n"
    "        {\"name\": \"A\", \"shape\": [256, 512], \"dtype\": \"bfloat16\"},\n"
    "        {\"name\": \"B\",   \"shape\": [512, 256], \"dtype\": \"bfloat16\"}\n"
    "    ],\n"
    "    \"attrs\": {\n"
    "        \"tt.user_layout\": {\n"
    "            \"A\": {\"memory\": \"L1\"},\n"
    "            \"B\": {\"memory\": \"DRAM\",   \"layout\": \"interleaved\"}\n"
    "        }\n"
    "    }\n"
    "}\n";

/* Loads text from a file, applies edit, saves over it (or next to it) and
 * returns what was written. */
static char *save_func_after(const char *text, size_t fi, void (*edit)(ttlx_func_t *),
                             bool same_file) {
    char src[] = "/tmp/ttlx-save-XXXXXX";
    int fd = mkstemp(src);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_file(src, NULL, 0, &err);
    if (!m) fail_msg("load: %s", err.what);
    edit(ttlx_module_func(m, fi));
    char out[sizeof src + 4];
    snprintf(out, sizeof out, "%s%s", src, same_file ? "" : ".out");
    assert_true(export_save_json(m, src, out, &err));
    ttlx_module_free(m);
    FILE *f = fopen(out, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    if (!same_file) {
        /* The source stays as it was. */
        FILE *g = fopen(src, "rb");
        char orig[4096];
        size_t k = fread(orig, 1, sizeof orig - 1, g);
        orig[k] = '\0';
        fclose(g);
        assert_string_equal(orig, text);
        unlink(out);
    }
    unlink(src);
    return buf;
}

static char *save_after(const char *text, void (*edit)(ttlx_func_t *), bool same_file) {
    return save_func_after(text, 0, edit, same_file);
}

static void edit_a_to_dram(ttlx_func_t *f) {
    assert_true(ttlx_func_set_hint(f, "A", hint("{\"memory\": \"DRAM\"}")));
}
static void drop_b(ttlx_func_t *f) {
    assert_true(ttlx_func_set_hint(f, "B", NULL));
}
static void add_b_shard(ttlx_func_t *f) {
    assert_true(ttlx_func_set_hint(f, "B", NULL));
    assert_true(ttlx_func_set_hint(f, "B", hint("{\"memory\": \"L1\", \"layout\": \"sharded\"}")));
}
static void add_x(ttlx_func_t *f) {
    assert_true(ttlx_func_set_hint(f, "X", hint("{\"memory\": \"L1\"}")));
}
static void nothing(ttlx_func_t *f) {
    (void)f;
}
static void shard_a(ttlx_func_t *f) {
    assert_true(ttlx_func_set_hint(f, "A",
                                   hint("{\"memory\": \"L1\", \"layout\": \"sharded\", "
                                        "\"nd_shard\": {\"axes\": [\"M\", \"N\"], "
                                        "\"grid\": [2, 4], \"shard_shape_elems\": [128, 256]}}")));
}

/* text with its one occurrence of from replaced by to. */
static const char *with(const char *text, const char *from, const char *to) {
    static char out[4096];
    const char *at = strstr(text, from);
    assert_non_null(at);
    assert_null(strstr(at + 1, from));
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static void save_json_keeps_the_text(void **state) {
    (void)state;
    /* An unchanged module saves byte for byte. */
    assert_string_equal(save_after(hand_json, nothing, true), hand_json);
    /* One hint changed: that value changes, nothing else. */
    assert_string_equal(
        save_after(hand_json, edit_a_to_dram, false),
        with(hand_json, "\"A\": {\"memory\": \"L1\"}", "\"A\": {\"memory\": \"DRAM\"}"));
    /* The last hint removed: its line and the comma before it go. */
    assert_string_equal(
        save_after(hand_json, drop_b, true),
        with(hand_json,
             ",\n            \"B\": {\"memory\": \"DRAM\",   \"layout\": \"interleaved\"}", ""));
    /* A changed one-line value is printed anew in place, still one line. */
    assert_string_equal(save_after(hand_json, add_b_shard, true),
                        with(hand_json, "{\"memory\": \"DRAM\",   \"layout\": \"interleaved\"}",
                             "{\"memory\": \"L1\", \"layout\": \"sharded\"}"));
    /* A value too long for its line is laid out in the file's own indent
     * step (4 spaces here). */
    assert_string_equal(save_after(hand_json, shard_a, true),
                        with(hand_json, "\"A\": {\"memory\": \"L1\"}",
                             "\"A\": {\n"
                             "                \"memory\": \"L1\",\n"
                             "                \"layout\": \"sharded\",\n"
                             "                \"nd_shard\": {\n"
                             "                    \"axes\": [\"M\", \"N\"],\n"
                             "                    \"grid\": [2, 4],\n"
                             "                    \"shard_shape_elems\": [128, 256]\n"
                             "                }\n"
                             "            }"));
    /* A new hint goes last, laid out like the hint before it. */
    assert_string_equal(save_after(hand_json, add_x, true),
                        with(hand_json, "\"interleaved\"}\n",
                             "\"interleaved\"},\n            \"X\": {\"memory\": \"L1\"}\n"));
}

static void save_json_adds_attrs_and_falls_back(void **state) {
    (void)state;
    /* An IRModule: the second function gains a hint; the first, and the
     * empty attrs the loader gives a function without any, stay out. */
    const char *ir =
        "{\n"
        "  \"functions\": [\n"
        "    {\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [64, 64], \"dtype\": "
        "\"int8\"}]},\n"
        "    {\n"
        "      \"name\": \"g\",\n"
        "      \"buffers\": [{\"name\": \"X\", \"shape\": [64, 64], \"dtype\": \"int8\"}]\n"
        "    }\n"
        "  ]\n"
        "}\n";
    assert_string_equal(
        save_func_after(ir, 1, add_x, true),
        "{\n"
        "  \"functions\": [\n"
        "    {\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [64, 64], \"dtype\": "
        "\"int8\"}]},\n"
        "    {\n"
        "      \"name\": \"g\",\n"
        "      \"buffers\": [{\"name\": \"X\", \"shape\": [64, 64], \"dtype\": \"int8\"}],\n"
        "      \"attrs\": {\n"
        "        \"tt.user_layout\": {\n"
        "          \"X\": {\"memory\": \"L1\"}\n"
        "        }\n"
        "      }\n"
        "    }\n"
        "  ]\n"
        "}\n");
    /* No attrs yet: they are added after the last member. */
    const char *bare = "{\"name\": \"m\", \"buffers\": [\n"
                       "  {\"name\": \"X\", \"shape\": [64, 64], \"dtype\": \"float32\"}\n"
                       "]}\n";
    assert_string_equal(save_after(bare, add_x, true),
                        "{\"name\": \"m\", \"buffers\": [\n"
                        "  {\"name\": \"X\", \"shape\": [64, 64], \"dtype\": \"float32\"}\n"
                        "], \"attrs\": {\n"
                        "  \"tt.user_layout\": {\n"
                        "    \"X\": {\"memory\": \"L1\"}\n"
                        "  }\n"
                        "}}\n");
    /* Duplicate keys cannot be rewritten in place: the module is printed
     * whole, exactly as `ttlx export --format json` prints it. */
    const char *dup = "{\"name\": \"m\", \"name\": \"m\", \"buffers\": [\n"
                      "  {\"name\": \"X\", \"shape\": [64, 64], \"dtype\": \"float32\"}]}\n";
    char *saved = save_after(dup, add_x, true);
    ttlx_module_t *m = app_load(dup, "dup.json");
    add_x(ttlx_module_func(m, 0));
    char *whole = app_render(m, EXPORT_JSON, NULL);
    assert_string_equal(saved, whole);
    ttlx_free(whole);
    ttlx_module_free(m);
}

/* ---------------------------------------------------- the format table */

static void format_table(void **state) {
    (void)state;
    assert_string_equal(export_format_suffix(EXPORT_JSON), ".hints.json");
    assert_string_equal(export_format_suffix(EXPORT_PYTHON), "_layout.py");
    assert_string_equal(export_format_suffix(EXPORT_TVMSCRIPT), ".hints.py");
    assert_string_equal(export_format_suffix(EXPORT_PLAN), ".tt.plan.json");
    assert_string_equal(export_format_suffix(EXPORT_SVG), ".svg");
    assert_string_equal(export_format_suffix(EXPORT_TTNN), "_ttnn.py");
    export_format_t f;
    assert_true(export_format_parse("tvm", &f));
    assert_int_equal(f, EXPORT_TVMSCRIPT);
    assert_true(export_format_parse("tt.plan.json", &f));
    assert_int_equal(f, EXPORT_PLAN);
    /* One help line per format, each starting with its name. */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    export_formats_help(out);
    fclose(out);
    const char *names[] = {"json", "python", "tvmscript", "plan", "svg", "ttnn"};
    for (int i = 0; i < 6; i++) {
        char line[32];
        snprintf(line, sizeof line, "\n  %-10s ", names[i]);
        assert_non_null(i ? strstr(buf, line) : strstr(buf, line + 1));
    }
    free(buf);
    /* The JSON text is the one every export writes. */
    ttlx_module_t *m = app_load_sample("two_kernels.json");
    char *a = export_json_text(ttlx_module_json(m)), *b = app_render(m, EXPORT_JSON, NULL);
    assert_string_equal(a, b);
    ttlx_free(a);
    ttlx_free(b);
    assert_null(export_json_text(NULL));
    ttlx_module_free(m);
}

/* ------------------------------------------------------- the save rule */

static void save_rule_decisions(void **state) {
    (void)state;
    static const struct {
        const char *module_format, *src, *target;
        export_format_t want;
    } cases[] = {
        /* The target's extension decides... */
        {"json", "a.json", "b.json", EXPORT_JSON},
        {"json", "a.json", "b.py", EXPORT_TVMSCRIPT},
        {"json", "a.json", "b.tvm", EXPORT_TVMSCRIPT},
        {"json", "a.json", "dir/B.PY", EXPORT_TVMSCRIPT},
        {"json", NULL, "b.py", EXPORT_TVMSCRIPT},
        {"tvmscript", "a.py", "b.py", EXPORT_TVMSCRIPT},
        {"tvmscript", "a.py", "b.json", EXPORT_JSON},
        {"tvmscript", "a.py", "B.Json", EXPORT_JSON},
        {"tvmscript", NULL, "b.json", EXPORT_JSON},
        /* ...an unknown or missing one keeps the module's format... */
        {"json", "a.json", "b.txt", EXPORT_JSON},
        {"json", "a.json", "noext", EXPORT_JSON},
        {"tvmscript", "a.py", "b.txt", EXPORT_TVMSCRIPT},
        {"tvmscript", "a.py", "b.py.bak", EXPORT_TVMSCRIPT},
        {"json", "a.json", "b.json.bak", EXPORT_JSON},
        {"tvmscript", "a.py", "json", EXPORT_TVMSCRIPT},
        /* ...and so does saving back to the file it came from, whatever
         * that file is called (TVMScript is also known by its text). */
        {"tvmscript", "kernel.json", NULL, EXPORT_TVMSCRIPT},
        {"tvmscript", "kernel.json", "kernel.json", EXPORT_TVMSCRIPT},
        {"tvmscript", "kernel.txt", NULL, EXPORT_TVMSCRIPT},
        {"json", "a.json", NULL, EXPORT_JSON},
        {"json", "a.json", "a.json", EXPORT_JSON},
        {"json", NULL, NULL, EXPORT_JSON},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        export_format_t got =
            export_save_format(cases[i].module_format, cases[i].src, cases[i].target);
        if (got != cases[i].want)
            fail_msg("case %zu: %s from %s to %s: got %s, want %s", i, cases[i].module_format,
                     cases[i].src ? cases[i].src : "(none)",
                     cases[i].target ? cases[i].target : "(source)", export_format_name(got),
                     export_format_name(cases[i].want));
    }
}

/* The whole of a file (static buffer), or NULL when it cannot be opened. */
static const char *slurp(const char *path) {
    static char buf[65536];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* sys_file_identity and sys_atomic_write_expect with their message in err. */
static bool id_msg(const char *path, sys_file_id_t *id, char *err, size_t n) {
    ttlx_error_t e = {0};
    bool ok = sys_file_identity(path, id, &e);
    snprintf(err, n, "%s", e.what);
    return ok;
}

static bool write_msg(const char *path, const char *data, size_t len, const sys_file_id_t *id,
                      char *err, size_t n) {
    ttlx_error_t e = {0};
    bool ok = sys_atomic_write_expect(path, data, len, id, &e);
    snprintf(err, n, "%s", e.what);
    return ok;
}

/* export_save with its message in err (as the explorer shows it). */
static bool save_msg(ttlx_module_t *m, const char *src, const char *target, const sys_file_id_t *id,
                     char *err, size_t n) {
    ttlx_error_t e = {0};
    bool ok = export_save(m, src, target, id, &e);
    snprintf(err, n, "%s", e.what);
    return ok;
}

static ttlx_module_t *load_path(const char *path) {
    ttlx_error_t err = {0};
    ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &err);
    if (!m) fail_msg("load %s: %s", path, err.what);
    return m;
}

static void save_writes_what_the_rule_says(void **state) {
    (void)state;
    char dir[] = "/tmp/ttlx-save-rule.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char src[300], out[300], err[700];

    /* A JSON module saved as .py becomes a generated @T.prim_func, the
     * same text `ttlx export --format tvmscript` writes. */
    snprintf(src, sizeof src, "%s/k.json", dir);
    spit(src, hand_json);
    ttlx_module_t *m = load_path(src);
    snprintf(out, sizeof out, "%s/k.py", dir);
    if (!save_msg(m, src, out, NULL, err, sizeof err)) fail_msg("save: %s", err);
    char *want = app_render(m, EXPORT_TVMSCRIPT, NULL);
    assert_string_equal(slurp(out), want);
    ttlx_free(want);
    ttlx_module_t *back = load_path(out);
    assert_string_equal(ttlx_module_format(back), "tvmscript");
    ttlx_module_free(back);
    /* Saved back over itself (no target) it stays JSON, byte for byte. */
    if (!save_msg(m, src, NULL, NULL, err, sizeof err)) fail_msg("save: %s", err);
    assert_string_equal(slurp(src), hand_json);
    /* To an unknown extension: still JSON. */
    snprintf(out, sizeof out, "%s/k.txt", dir);
    if (!save_msg(m, src, out, NULL, err, sizeof err)) fail_msg("save: %s", err);
    assert_string_equal(slurp(out), hand_json);
    ttlx_module_free(m);

    /* A TVMScript module: over itself it keeps every byte; as .json it
     * becomes the PrimFunc JSON; to an unknown extension, TVMScript. */
    char sample[1024];
    snprintf(sample, sizeof sample, "%s/samples/matmul_sharded.py", TTLX_SOURCE_DIR);
    char *script = ttlx_strdup(slurp(sample));
    snprintf(src, sizeof src, "%s/t.py", dir);
    spit(src, script);
    m = load_path(src);
    if (!save_msg(m, src, NULL, NULL, err, sizeof err)) fail_msg("save: %s", err);
    want = app_render(m, EXPORT_TVMSCRIPT, script);
    assert_string_equal(slurp(src), want);
    ttlx_free(want);
    snprintf(out, sizeof out, "%s/t.json", dir);
    if (!save_msg(m, src, out, NULL, err, sizeof err)) fail_msg("save: %s", err);
    want = app_render(m, EXPORT_JSON, NULL);
    assert_string_equal(slurp(out), want);
    ttlx_free(want);
    snprintf(out, sizeof out, "%s/t.txt", dir);
    if (!save_msg(m, src, out, NULL, err, sizeof err)) fail_msg("save: %s", err);
    assert_string_equal(slurp(out), slurp(src));

    /* TVMScript is re-printed from its text: with the text gone there is
     * no save, and the target is not created. */
    assert_int_equal(unlink(src), 0);
    snprintf(out, sizeof out, "%s/gone.py", dir);
    assert_false(save_msg(m, src, out, NULL, err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
    assert_null(slurp(out));
    ttlx_module_free(m);
    ttlx_free(script);

    /* Nowhere to save. */
    m = app_load(hand_json, "mem.json");
    assert_false(save_msg(m, NULL, NULL, NULL, err, sizeof err));
    assert_string_equal(err, "no file to save to (give a path)");
    ttlx_module_free(m);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A save never overwrites what changed on disk since the module was
 * loaded: the identity taken at load time (sys_file_identity) must still
 * describe the file, by its stat and by its content. */
static void save_refuses_a_file_changed_since_loaded(void **state) {
    (void)state;
    char dir[] = "/tmp/ttlx-save-changed.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char src[300], out[300], err[700], want[800];
    snprintf(src, sizeof src, "%s/k.json", dir);
    spit(src, hand_json);
    sys_file_id_t id;
    assert_true(id_msg(src, &id, err, sizeof err));
    assert_true(id.valid);
    assert_int_equal(id.size_bytes, (int64_t)strlen(hand_json));
    ttlx_module_t *m = load_path(src);

    /* Someone else rewrites it (another size): refused, their text kept. */
    char *theirs = ttlx_strdup(hand_json);
    size_t n = strlen(theirs);
    char *edited = malloc(n + 2);
    memcpy(edited, theirs, n);
    memcpy(edited + n, "\n", 2);
    spit(src, edited);
    snprintf(want, sizeof want, "%s changed on disk since it was loaded; not overwritten", src);
    assert_false(save_msg(m, src, NULL, &id, err, sizeof err));
    assert_string_equal(err, want);
    assert_string_equal(slurp(src), edited);
    /* Named as the target too, and through another name of it. */
    assert_false(save_msg(m, src, src, &id, err, sizeof err));
    assert_string_equal(err, want);
    snprintf(out, sizeof out, "%s/./k.json", dir);
    assert_false(save_msg(m, src, out, &id, err, sizeof err));
    snprintf(want, sizeof want, "%s changed on disk since it was loaded; not overwritten", out);
    assert_string_equal(err, want);
    assert_string_equal(slurp(src), edited);

    /* Same size, same modification time, other bytes: the hash tells. */
    spit(src, hand_json);
    assert_true(id_msg(src, &id, err, sizeof err));
    theirs[0] = theirs[0] == '{' ? ' ' : '{';
    spit(src, theirs);
    struct timespec times[2] = {
        {0, UTIME_OMIT}, {(time_t)(id.mtime_ns / 1000000000), (long)(id.mtime_ns % 1000000000)}};
    assert_int_equal(utimensat(AT_FDCWD, src, times, 0), 0);
    snprintf(want, sizeof want, "%s changed on disk since it was loaded; not overwritten", src);
    assert_false(save_msg(m, src, NULL, &id, err, sizeof err));
    assert_string_equal(err, want);
    assert_string_equal(slurp(src), theirs);

    /* The same bytes under a new inode and time (an editor's rewrite):
     * nothing would be lost, the save goes on. */
    spit(src, hand_json);
    assert_true(id_msg(src, &id, err, sizeof err));
    snprintf(out, sizeof out, "%s/k.tmp", dir);
    spit(out, hand_json);
    assert_int_equal(rename(out, src), 0);
    if (!save_msg(m, src, NULL, &id, err, sizeof err)) fail_msg("save: %s", err);
    assert_string_equal(slurp(src), hand_json);
    /* Unchanged: saves. A copy elsewhere is not checked against it. */
    assert_true(id_msg(src, &id, err, sizeof err));
    if (!save_msg(m, src, NULL, &id, err, sizeof err)) fail_msg("save: %s", err);
    spit(src, edited);
    snprintf(out, sizeof out, "%s/copy.json", dir);
    if (!save_msg(m, src, out, &id, err, sizeof err)) fail_msg("save: %s", err);
    assert_string_equal(slurp(out), edited); /* over the source's text as it is now */
    /* Gone: nothing to overwrite, the save writes it anew. */
    assert_int_equal(unlink(src), 0);
    if (!save_msg(m, src, NULL, &id, err, sizeof err)) fail_msg("save: %s", err);
    assert_non_null(slurp(src));

    /* The writer checks again just before its rename, and leaves no
     * temporary file when it refuses. */
    spit(src, hand_json);
    assert_true(id_msg(src, &id, err, sizeof err));
    spit(src, edited);
    assert_false(write_msg(src, "x", 1, &id, err, sizeof err));
    snprintf(want, sizeof want, "%s changed on disk since it was loaded; not overwritten", src);
    assert_string_equal(err, want);
    assert_string_equal(slurp(src), edited);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls -A %s | grep -c '^\\.k\\.json\\.' > /dev/null", dir);
    assert_int_not_equal(system(cmd), 0);

    /* No identity of what is not a regular file. */
    snprintf(out, sizeof out, "%s/fifo", dir);
    assert_int_equal(mkfifo(out, 0600), 0);
    assert_false(id_msg(out, &id, err, sizeof err));
    assert_false(id.valid);
    snprintf(want, sizeof want, "%s: not a regular file (a FIFO)", out);
    assert_string_equal(err, want);

    ttlx_module_free(m);
    ttlx_free(theirs);
    free(edited);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(svg_cells_exact),
        cmocka_unit_test(svg_aggregates_huge_tensors),
        cmocka_unit_test(svg_escapes_text),
        cmocka_unit_test(xml_checker_rejects),
        cmocka_unit_test(plan_ranges_and_work),
        cmocka_unit_test(python_call),
        cmocka_unit_test(ttnn_module),
        cmocka_unit_test(tvmscript_inserts_after_docstring),
        cmocka_unit_test(tvmscript_replaces_dict_only),
        cmocka_unit_test(tvmscript_insert_keeps_crlf),
        cmocka_unit_test(allocation_failure_in_every_format),
        cmocka_unit_test(tvmscript_refusals),
        cmocka_unit_test(tvmscript_generated_reads_back),
        cmocka_unit_test(json_reads_back),
        cmocka_unit_test(format_names),
        cmocka_unit_test(atomic_write),
        cmocka_unit_test(save_json_keeps_the_text),
        cmocka_unit_test(save_json_adds_attrs_and_falls_back),
        cmocka_unit_test(format_table),
        cmocka_unit_test(save_rule_decisions),
        cmocka_unit_test(save_writes_what_the_rule_says),
        cmocka_unit_test(save_refuses_a_file_changed_since_loaded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
