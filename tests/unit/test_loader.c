/*
 * test_loader.c - the PrimFunc JSON loader (SPEC 1.1, 1.3): what it accepts,
 * the IRModule form, hint editing, and one clear error with a position for
 * every kind of bad input.
 */
#include "test_support.h"

static void loads_spec_example(void **state) {
    (void)state;
    ttlx_module_t *m = t_load(
        "{\"name\": \"matmul\", \"description\": \"d\", \"buffers\": ["
        "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"C\", \"shape\": [4, 256, 256], \"dtype\": \"fp32\", \"role\": \"output\"}],"
        "\"kernel\": [8, 4, 2], \"device\": \"blackhole_p150\","
        "\"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\"}}, \"custom\": 7}}");
    assert_string_equal(ttlx_module_format(m), "json");
    assert_int_equal(ttlx_module_func_count(m), 1);
    ttlx_func_t *f = ttlx_module_func(m, 0);
    assert_string_equal(ttlx_func_name(f), "matmul");
    assert_string_equal(ttlx_func_description(f), "d");
    assert_int_equal(ttlx_func_buffer_count(f), 2);
    const ttlx_buffer_info_t *c = ttlx_func_buffer(f, 1);
    assert_string_equal(c->name, "C");
    assert_string_equal(c->dtype, "float32");
    assert_string_equal(c->role, "output");
    assert_int_equal(c->rank, 3);
    assert_int_equal(c->elems, 4 * 256 * 256);
    int64_t ext[3];
    assert_int_equal(ttlx_func_kernel(f, ext), 3);
    assert_int_equal(ext[0], 8);
    assert_int_equal(ext[1], 4);
    assert_int_equal(ext[2], 2);
    assert_string_equal(ttlx_func_device_name(f), "blackhole_p150");
    assert_int_equal(ttlx_func_find_buffer(f, "C"), 1);
    assert_int_equal(ttlx_func_find_buffer(f, "D"), -1);
    const cJSON *hint = ttlx_func_hint(f, "A");
    assert_string_equal(cJSON_GetObjectItem(hint, "memory")->valuestring, "L1");
    assert_int_equal(cJSON_GetObjectItem(ttlx_func_attrs(f), "custom")->valueint, 7);
    ttlx_module_free(m);
}

/* Dtypes TVM prints that tt-metal cannot store load as written (TTL016 is
 * inference's business); names that are no dtype stay load errors. */
static void dtypes_without_format_load(void **state) {
    (void)state;
    ttlx_module_t *m = t_load("{\"name\": \"f\", \"buffers\": ["
                              "{\"name\": \"I\", \"shape\": [4], \"dtype\": \"int64\"},"
                              "{\"name\": \"B\", \"shape\": [4], \"dtype\": \"bool\"},"
                              "{\"name\": \"F\", \"shape\": [4], \"dtype\": \"float8_e5m2\"},"
                              "{\"name\": \"V\", \"shape\": [4], \"dtype\": \"int8x4\"}]}");
    ttlx_func_t *f = ttlx_module_func(m, 0);
    assert_string_equal(ttlx_func_buffer(f, 0)->dtype, "int64");
    assert_string_equal(ttlx_func_buffer(f, 1)->dtype, "bool");
    assert_string_equal(ttlx_func_buffer(f, 2)->dtype, "float8_e5m2");
    assert_string_equal(ttlx_func_buffer(f, 3)->dtype, "int8x4");
    ttlx_module_free(m);
    ttlx_error_t err = t_load_error("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", "
                                    "\"shape\": [4], \"dtype\": \"complex64\"}]}");
    assert_string_equal(err.what, "buffers[0] \"A\": unknown dtype \"complex64\"");
}

static void irmodule_form(void **state) {
    (void)state;
    ttlx_module_t *m = t_load("{\"functions\": [{\"name\": \"a\", \"buffers\": []},"
                              "{\"name\": \"b\", \"buffers\": [{\"name\": \"x\", \"shape\": [7], "
                              "\"dtype\": \"int8\"}]}]}");
    assert_int_equal(ttlx_module_func_count(m), 2);
    assert_string_equal(ttlx_func_name(ttlx_module_func(m, 1)), "b");
    assert_int_equal(ttlx_func_buffer_count(ttlx_module_func(m, 0)), 0);
    assert_null(ttlx_module_func(m, 2));
    ttlx_module_free(m);
}

static void sixty_four_bit_shapes(void **state) {
    (void)state;
    /* 2^40 elements is fine. */
    t_run_t run = t_one("[1048576, 1048576]", "bfloat16", NULL, NULL);
    const ttlx_layout_t *L = ttlx_result_layout(run.r, 0);
    assert_int_equal(L->buf->elems, 1099511627776LL);
    assert_int_equal(L->pages, 1073741824LL); /* 32768 x 32768 tiles */
    /* 2^30 pages over 12 banks: 89,478,486 pages x 2048 B per bank > 1 GiB. */
    assert_int_equal(L->pages_per_bank, 89478486LL);
    assert_int_equal(L->bytes_per_bank, 183251939328LL);
    assert_int_equal(t_count(run.r, "TTL014"), 1);
    t_free(&run);
    /* A product that overflows 2^63 is a clear error. */
    ttlx_error_t e = t_load_error(
        "{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [4294967296, 4294967296, 4],"
        " \"dtype\": \"int8\"}]}");
    assert_contains(e.what, "buffers[0] \"A\": the shape has more than 2^63 elements");
    /* Beyond 2^53 a JSON number is not exact: rejected, not rounded. */
    e = t_load_error(
        "{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [18014398509481985],"
        " \"dtype\": \"int8\"}]}");
    assert_contains(e.what, "shape[0] must be a positive integer below 2^53");
}

static void syntax_errors_have_positions(void **state) {
    (void)state;
    ttlx_error_t e = t_load_error("{\n  \"name\": \"f\",\n  \"buffers\": [,]\n}");
    assert_int_equal(e.line, 3);
    assert_int_equal(e.col, 15);
    assert_contains(e.what, "malformed JSON near ',]'");
    e = t_load_error("{\"name\": \"f\", \"buffers\": [");
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 27);
    assert_contains(e.what, "unexpected end of input ('[' opened at 1:26 is never closed)");
    e = t_load_error("{\"name\": \"f\",\n \"buffers\": [], \"x\": \"abc");
    assert_contains(e.what, "(the string opened at 2:22 is never closed)");
    e = t_load_error("{\"name\": \"f\", \"buffers\": []}\n  trailing");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 3);
    assert_contains(e.what, "unexpected text after the JSON document");
    e = t_load_error("   \n\t ");
    assert_contains(e.what, "empty input");
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_string("{\"a\"\0:1}", 8, "t.json", NULL, 0, &err));
    assert_int_equal(err.col, 5);
    assert_contains(err.what, "NUL byte");
    char buf[256];
    assert_string_equal(ttlx_error_format(&err, "k.json", buf, sizeof buf),
                        "k.json:1:5: NUL byte in the input (not a text file?)");
}

static void semantic_errors_name_the_place(void **state) {
    (void)state;
    static const struct {
        const char *json, *what;
    } cases[] = {
        {"[]", "expected a PrimFunc object or {\"functions\": [...]}"},
        {"{\"buffers\": []}", "the PrimFunc: \"name\" (a non-empty string) is required"},
        {"{\"name\": \"f\"}", "\"buffers\" (a list of buffer objects) is required"},
        {"{\"name\": \"f\", \"buffers\": [7]}", "buffers[0]: a buffer must be an object"},
        {"{\"name\": \"f\", \"buffers\": [{\"shape\": [1], \"dtype\": \"int8\"}]}",
         "buffers[0]: \"name\" must be a non-empty string"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [], \"dtype\": \"int8\"}]}",
         "buffers[0] \"A\": \"shape\" must be a list of 1 to 8 positive integers"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [1,1,1,1,1,1,1,1,1], "
         "\"dtype\": \"int8\"}]}",
         "\"shape\" must be a list of 1 to 8 positive integers"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [0], \"dtype\": \"int8\"}]}",
         "buffers[0] \"A\": shape[0] must be a positive integer"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [2.5], \"dtype\": "
         "\"int8\"}]}",
         "shape[0] must be a positive integer"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [\"n\"], \"dtype\": "
         "\"int8\"}]}",
         "shape[0] must be a positive integer below 2^53, not a non-number"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [2], \"dtype\": "
         "\"bfloat61\"}]}",
         "unknown dtype \"bfloat61\" (did you mean \"bfloat16\"?)"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [2], \"dtype\": 3}]}",
         "\"dtype\" must be a string"},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [2], \"dtype\": \"int8\", "
         "\"role\": \"scratch\"}]}",
         "\"role\" must be \"input\", \"output\" or \"weight\""},
        {"{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [2], \"dtype\": \"int8\"},"
         "{\"name\": \"A\", \"shape\": [2], \"dtype\": \"int8\"}]}",
         "buffers[1] \"A\": duplicate buffer name"},
        {"{\"name\": \"f\", \"buffers\": [], \"kernel\": [8, 0]}", "kernel[1] must be a positive"},
        {"{\"name\": \"f\", \"buffers\": [], \"kernel\": [1, 2, 3, 4]}",
         "\"kernel\" must be [x], [x, y] or [x, y, z]"},
        {"{\"name\": \"f\", \"buffers\": [], \"device\": 5}", "\"device\" must be a device name"},
        {"{\"name\": \"f\", \"buffers\": [], \"attrs\": []}", "\"attrs\" must be an object"},
        {"{\"functions\": []}", "\"functions\" must be a non-empty list"},
        {"{\"functions\": [{\"name\": \"a\", \"buffers\": []}, {\"name\": \"b\"}]}",
         "functions[1]: \"buffers\" (a list of buffer objects) is required"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ttlx_error_t e = t_load_error(cases[k].json);
        if (!strstr(e.what, cases[k].what))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", k, e.what, cases[k].what);
    }
}

static void hint_editing_round_trips(void **state) {
    (void)state;
    ttlx_module_t *m =
        t_load("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [64, 64],"
               " \"dtype\": \"bfloat16\"}]}");
    ttlx_func_t *f = ttlx_module_func(m, 0);
    assert_null(ttlx_func_hint(f, "A"));
    assert_true(ttlx_func_set_hint(f, "A", cJSON_Parse("{\"memory\": \"L1\"}")));
    assert_string_equal(cJSON_GetObjectItem(ttlx_func_hint(f, "A"), "memory")->valuestring, "L1");
    cJSON *snap = ttlx_func_hints_copy(f);
    assert_true(ttlx_func_set_hint(f, "A", cJSON_Parse("{\"memory\": \"DRAM\"}")));
    assert_string_equal(cJSON_GetObjectItem(ttlx_func_hint(f, "A"), "memory")->valuestring, "DRAM");
    assert_true(ttlx_func_set_hints(f, snap)); /* undo */
    assert_string_equal(cJSON_GetObjectItem(ttlx_func_hint(f, "A"), "memory")->valuestring, "L1");
    cJSON *out = ttlx_module_to_json(m);
    char *text = cJSON_PrintUnformatted(out);
    assert_string_equal(text, "{\"name\":\"f\",\"buffers\":[{\"name\":\"A\",\"shape\":[64,64],"
                              "\"dtype\":\"bfloat16\"}],\"attrs\":{\"tt.user_layout\":{\"A\":"
                              "{\"memory\":\"L1\"}}}}");
    cJSON_free(text);
    cJSON_Delete(out);
    assert_true(ttlx_func_set_hint(f, "A", NULL));
    assert_null(ttlx_func_hint(f, "A"));
    assert_true(ttlx_func_set_hints(f, NULL));
    cJSON *empty = ttlx_func_hints_copy(f);
    assert_int_equal(cJSON_GetArraySize(empty), 0);
    cJSON_Delete(empty);
    ttlx_module_free(m);
}

static void missing_file(void **state) {
    (void)state;
    ttlx_error_t err = {0};
    assert_null(ttlx_module_load_file("/nonexistent/x.json", NULL, 0, &err));
    assert_contains(err.what, "cannot open: No such file or directory");
}

/* Semantic errors point at the value concerned. */
static void semantic_errors_have_positions(void **state) {
    (void)state;
    ttlx_error_t e =
        t_load_error("{\"name\": \"f\",\n \"buffers\": [\n"
                     "  {\"name\": \"A\", \"shape\": [64, 64], \"dtype\": \"int8\"},\n"
                     "  {\"name\": \"B\", \"shape\": [64, -3], \"dtype\": \"int8\"}]}");
    assert_int_equal(e.line, 4);
    assert_int_equal(e.col, 31);
    e = t_load_error("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": [1], \"dtype\": "
                     "\"int8\"},\n{\"name\": \"A\", \"shape\": [1], \"dtype\": \"int8\"}]}");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 10);
    assert_contains(e.what, "duplicate buffer name");
    /* An escaped NUL would cut a name short: refused where it stands; an
     * escaped backslash followed by "u0000" is ordinary text. */
    e = t_load_error("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\\u0000B\", \"shape\": [1], "
                     "\"dtype\": \"int8\"}]}");
    assert_int_equal(e.line, 1);
    assert_int_equal(e.col, 38);
    assert_contains(e.what, "\\u0000 (a NUL character) in a string is not supported");
    ttlx_module_t *m = t_load("{\"name\": \"f\\\\u0000\", \"buffers\": []}");
    assert_string_equal(ttlx_func_name(ttlx_module_func(m, 0)), "f\\u0000");
    ttlx_module_free(m);
    e = t_load_error("{\"functions\": [{\"name\": \"a\", \"buffers\": []},\n"
                     "  {\"name\": \"b\", \"buffers\": [], \"kernel\": [4, \"x\"]}]}");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 46);
    assert_contains(e.what, "functions[1]: kernel[1] must be a positive integer");
    /* A missing key points at the object that lacks it. */
    e = t_load_error(
        "{\"name\": \"f\", \"buffers\": [\n    {\"name\": \"A\", \"dtype\": \"int8\"}]}");
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 5);
}

/* Which format a file is read as: TVMScript by extension or leading text. */
static void format_detection(void **state) {
    (void)state;
    assert_true(ttlx_load_is_tvmscript("k.py", "{}", 2));
    assert_true(ttlx_load_is_tvmscript("dir/K.TVM", NULL, 0));
    assert_false(ttlx_load_is_tvmscript("k.json", "{}", 2));
    assert_false(ttlx_load_is_tvmscript(NULL, NULL, 0));
    static const char *yes[] = {"# from tvm.script import tir as T\n",
                                "\n\n  @T.prim_func\ndef f(): pass",
                                "@I.ir_module\nclass M:",
                                "from tvm.script import tir as T",
                                "import tvm\n",
                                "#from tvm.script import tir as T",
                                "# a comment\n# another\n\n@T.prim_func",
                                "\xEF\xBB\xBF@T.prim_func",
                                "import tilelang.language as T"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!ttlx_load_is_tvmscript("x.json", yes[i], strlen(yes[i])))
            fail_msg("not detected: %s", yes[i]);
    static const char *no[] = {"{\"name\": \"f\"}", "",         "   \n", "# only a comment",
                               "@T.prim_fun",       "importtvm"};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (ttlx_load_is_tvmscript(NULL, no[i], strlen(no[i])))
            fail_msg("wrongly detected: %s", no[i]);
    /* len bounds the look: the prefix must be within it. */
    assert_false(ttlx_load_is_tvmscript(NULL, "@T.prim_func", 5));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_spec_example),
        cmocka_unit_test(irmodule_form),
        cmocka_unit_test(sixty_four_bit_shapes),
        cmocka_unit_test(syntax_errors_have_positions),
        cmocka_unit_test(semantic_errors_name_the_place),
        cmocka_unit_test(hint_editing_round_trips),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(semantic_errors_have_positions),
        cmocka_unit_test(format_detection),
        cmocka_unit_test(dtypes_without_format_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
