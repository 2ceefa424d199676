/*
 * test_names.c - names and keys the way Python reads them: NFKC-equivalent
 * names are one name (ttlx_nfkc.c), keys repeated in one JSON object keep
 * their last value at every level with warning TTL011 naming the key
 * (ttlx_dupkeys.c), and kernel extents whose product overflows are error
 * TTL010 (ttlx_infer.c).
 */
#include "test_support.h"

#include "ttlx_base.h"
#include "ttlx_nfkc.h"

#include <stdlib.h>

static void expect_fold(const char *in, const char *want) {
    char *got = ttlx_name_fold(in);
    assert_non_null(got);
    if (strcmp(got, want)) fail_msg("fold(\"%s\") = \"%s\", expected \"%s\"", in, got, want);
    ttlx_free(got);
}

static void fold_forms(void **state) {
    (void)state;
    expect_fold("plain_name9", "plain_name9");
    expect_fold("\xef\xbd\x86", "f");                           /* fullwidth f U+FF46 */
    expect_fold("\xef\xbc\xa1\xef\xbc\xbf\xef\xbc\x91", "A_1"); /* Ａ＿１ */
    expect_fold("\xf0\x9d\x90\x80", "A");                       /* bold A U+1D400 */
    expect_fold("\xf0\x9d\x91\xa7", "z");                       /* italic z U+1D467 */
    expect_fold("\xf0\x9d\x9a\xa3", "z");                       /* monospace z U+1D6A3 */
    expect_fold("\xf0\x9d\x9a\xa8", "\xce\x91");                /* bold Alpha -> U+0391 */
    expect_fold("\xf0\x9d\x9b\x82", "\xce\xb1");                /* bold alpha U+1D6C2 -> U+03B1 */
    expect_fold("\xf0\x9d\x9f\x8e\xf0\x9d\x9f\xbf", "09");      /* bold 0, monospace 9 */
    expect_fold("\xef\xac\x81le", "file");                      /* fi ligature */
    expect_fold("\xef\xac\x83x", "ffix");                       /* ffi ligature */
    expect_fold("x\xc2\xb2\xe2\x82\x83", "x23");                /* superscript 2, subscript 3 */
    expect_fold("\xe2\x81\xb1\xe2\x82\x90", "ia");              /* superscript i, subscript a */
    expect_fold("\xe2\x85\xa7", "VIII");                        /* Roman numeral eight */
    expect_fold("\xe2\x84\x8e", "h");                           /* Planck constant */
    expect_fold("\xc5\xbf", "s");                               /* long s */
    expect_fold("\xc2\xb5", "\xce\xbc");                        /* micro -> mu */
    expect_fold("\xc7\x84", "D\xc5\xbd");                       /* DZ with caron */
    expect_fold("caf\xc3\xa9", "caf\xc3\xa9");                  /* not a compatibility form */
    expect_fold("a\xff"
                "b",
                "a\xff"
                "b"); /* a stray byte stays */
    assert_true(ttlx_name_eq("\xef\xbd\x86", "f"));
    assert_true(ttlx_name_eq("\xef\xac\x81", "fi"));
    assert_true(ttlx_name_eq("A", "A"));
    assert_false(ttlx_name_eq("\xef\xbd\x86", "g"));
    assert_false(ttlx_name_eq("fi", "f"));
    assert_false(ttlx_name_eq("a\xff", "a\xc3\xbf")); /* a stray byte is no U+00FF */
    /* overlong forms, surrogates and past U+10FFFF are not UTF-8: no alias */
    assert_false(ttlx_name_eq("\xe0\x81\xa6", "f"));
    assert_false(ttlx_name_eq("\xf0\x80\x81\xa6", "f"));
    assert_false(ttlx_name_eq("\xc1\xa6", "f"));
    assert_false(ttlx_name_eq("\xed\xa0\x80", "\xed\xa0\x81"));
    assert_true(ttlx_name_eq("\xe0\x81\xa6", "\xe0\x81\xa6"));
    assert_true(ttlx_name_plain("abc"));
    assert_false(ttlx_name_plain("\xef\xbd\x86"));
}

static void nfkc_buffer_names(void **state) {
    (void)state;
    ttlx_error_t err = t_load_error(
        "{\"name\": \"f\", \"buffers\": [{\"name\": \"\xef\xbd\x86\", \"shape\": [32, 32], "
        "\"dtype\": \"int8\"}, {\"name\": \"f\", \"shape\": [32, 32], \"dtype\": \"int8\"}]}");
    assert_string_equal(err.what, "buffers[1] \"f\": duplicate buffer name: \"\xef\xbd\x86\" and "
                                  "\"f\" are one name in Python (NFKC); names must be unique");
    /* A hint written in another form of the name is the buffer's hint. */
    t_run_t t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"\xef\xac\x81lter\", "
                        "\"shape\": [64, 64], \"dtype\": \"bfloat16\"}], \"attrs\": "
                        "{\"tt.user_layout\": {\"filter\": {\"memory\": \"L1\"}}}}",
                        NULL);
    assert_int_equal(ttlx_result_layout(t.r, 0)->memory, TTLX_MEM_L1);
    assert_int_equal(t_count(t.r, "TTL011"), 0);
    ttlx_func_t *f = ttlx_module_func(t.mod, 0);
    assert_int_equal(ttlx_func_find_buffer(f, "filter"), 0);
    assert_int_equal(ttlx_func_find_buffer(f, "\xef\xac\x81lter"), 0);
    assert_non_null(ttlx_func_hint(f, "\xef\xac\x81lter"));
    /* Setting it under the written name replaces the other form. */
    cJSON *h = cJSON_Parse("{\"memory\": \"DRAM\"}");
    assert_true(ttlx_func_set_hint(f, "\xef\xac\x81lter", h));
    const cJSON *ul = cJSON_GetObjectItem(ttlx_func_attrs(f), "tt.user_layout");
    assert_int_equal(cJSON_GetArraySize(ul), 1);
    assert_string_equal(ul->child->string, "\xef\xac\x81lter");
    t_free(&t);
    /* Two hints for one name: the last is used, with TTL011. */
    t = t_infer("{\"name\": \"f\", \"buffers\": [{\"name\": \"C\", \"shape\": [64, 64], "
                "\"dtype\": \"bfloat16\"}], \"attrs\": {\"tt.user_layout\": {\"C\": {\"memory\": "
                "\"DRAM\"}, \"\xef\xbc\xa3\": {\"memory\": \"L1\"}}}}",
                NULL);
    assert_int_equal(ttlx_result_layout(t.r, 0)->memory, TTLX_MEM_L1);
    const ttlx_diag_t *d = t_diag(t.r, "TTL011");
    assert_int_equal(d->severity, TTLX_SEV_WARNING);
    assert_int_equal(d->buffer, 0);
    assert_string_equal(d->message, "duplicate hint: \"C\" and \"\xef\xbc\xa3\" are one name in "
                                    "Python (NFKC); unknown which is meant, the last hint is used");
    t_free(&t);
}

/* The messages of TTL011 for repeated keys, in order. */
static void expect_dups(const ttlx_result_t *r, const char *const *want) {
    size_t k = 0;
    for (size_t i = 0; i < ttlx_result_diag_count(r); i++) {
        const ttlx_diag_t *d = ttlx_result_diag(r, i);
        if (strcmp(d->code, "TTL011")) continue;
        assert_int_equal(d->severity, TTLX_SEV_WARNING);
        assert_non_null(strstr(d->message, "unknown")); /* SPEC 4: what TTL011 says */
        if (!want[k]) fail_msg("extra TTL011: %s", d->message);
        assert_string_equal(d->message, want[k]);
        k++;
    }
    if (want[k]) fail_msg("missing TTL011: %s", want[k]);
}

static void duplicate_keys(void **state) {
    (void)state;
    t_run_t t = t_infer(
        "{\"name\": \"x\", \"name\": \"dups\", \"buffers\": ["
        "{\"name\": \"X\", \"name\": \"A\", \"shape\": [64, 64], \"dtype\": \"bfloat16\"},"
        "{\"name\": \"C\", \"shape\": [64, 64], \"dtype\": \"float32\", \"dtype\": \"bfloat16\","
        " \"role\": \"output\"}],"
        "\"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"DRAM\"},"
        " \"A\": {\"memory\": \"DRAM\", \"memory\": \"L1\", \"layout\": \"sharded\","
        "  \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [1, 1], \"grid\": [2, 2],"
        "   \"shard_shape_elems\": [32, 32]}}},"
        " \"tt.user_schedule\": {\"core_order\": \"row_major\", \"core_order\": \"col_major\"}}}",
        NULL);
    static const char *const want[] = {
        "duplicate key \"name\" in the PrimFunc (2 times): unknown which is meant, the last value "
        "is used, as in Python",
        "duplicate key \"name\" in buffers[0] (2 times): unknown which is meant, the last value is "
        "used, as in Python",
        "duplicate key \"dtype\" in buffers[1] (2 times): unknown which is meant, the last value "
        "is used, as in Python",
        "duplicate key \"A\" in attrs[\"tt.user_layout\"] (2 times): unknown which is meant, the "
        "last value is used, as "
        "in Python",
        "duplicate key \"memory\" in attrs[\"tt.user_layout\"][\"A\"] (2 times): unknown which is "
        "meant, the last value "
        "is used, as in Python",
        "duplicate key \"grid\" in attrs[\"tt.user_layout\"][\"A\"][\"nd_shard\"] (2 times): "
        "unknown which is meant, the "
        "last value is used, as in Python",
        "duplicate key \"core_order\" in attrs[\"tt.user_schedule\"] (2 times): unknown which is "
        "meant, the last value "
        "is used, as in Python",
        NULL};
    expect_dups(t.r, want);
    /* the last value, at every level */
    assert_string_equal(ttlx_result_func_name(t.r), "dups");
    const ttlx_layout_t *a = ttlx_result_layout(t.r, 0);
    assert_string_equal(a->buf->name, "A");
    assert_int_equal(a->memory, TTLX_MEM_L1);
    assert_int_equal(a->grid[0], 2);
    assert_string_equal(ttlx_result_layout(t.r, 1)->buf->dtype, "bfloat16");
    assert_true(ttlx_result_partition(t.r)->col_major);
    /* the buffers: A's diagnostics name A, the PrimFunc's none */
    assert_int_equal(ttlx_result_diag(t.r, 0)->buffer, -1);
    assert_string_equal(ttlx_result_diag(t.r, 4)->key, "memory");
    assert_int_equal(ttlx_result_diag(t.r, 4)->buffer, 0);
    /* An edit of A's hint replaces it: its notes go, the others stay. */
    ttlx_func_t *f = ttlx_module_func(t.mod, 0);
    assert_true(ttlx_func_set_hint(f, "A", cJSON_Parse("{\"memory\": \"DRAM\"}")));
    ttlx_error_t err = {0};
    ttlx_result_t *r = ttlx_infer(f, NULL, &err);
    assert_non_null(r);
    static const char *const after[] = {want[0], want[1], want[2], want[6], NULL};
    expect_dups(r, after);
    ttlx_result_free(r);
    t_free(&t);

    /* Three times, and an IRModule's own keys. */
    t = t_infer("{\"functions\": [{\"name\": \"a\", \"buffers\": [{\"name\": \"A\", \"shape\": "
                "[32], \"dtype\": \"int8\"}]}], \"functions\": [{\"name\": \"b\", \"buffers\": "
                "[{\"name\": \"B\", \"shape\": [32, 32], \"dtype\": \"int8\", \"role\": \"input\", "
                "\"role\": \"weight\", \"role\": \"output\"}]}]}",
                NULL);
    static const char *const ir[] = {"duplicate key \"functions\" in the module (2 times): unknown "
                                     "which is meant, the last value is used, as in "
                                     "Python",
                                     "duplicate key \"role\" in buffers[0] (3 times): unknown "
                                     "which is meant, the last value is used, as in Python",
                                     NULL};
    expect_dups(t.r, ir);
    assert_string_equal(ttlx_result_func_name(t.r), "b");
    assert_string_equal(ttlx_result_layout(t.r, 0)->buf->role, "output");
    t_free(&t);

    /* A load error points at the value that is used: the last. */
    ttlx_error_t e = t_load_error("{\"name\": \"f\", \"buffers\": [{\"name\": \"A\", \"shape\": "
                                  "[1], \"dtype\": \"int8\", \"dtype\": \"nope\"}]}");
    assert_int_equal(e.col, 81); /* the second "dtype"'s value */
    assert_string_equal(e.what, "buffers[0] \"A\": unknown dtype \"nope\"");
}

static void kernel_overflow(void **state) {
    (void)state;
    static const char *const kernels[] = {"[2147483647, 2147483647, 3]",
                                          "[2147483648, 2147483648, 2]", NULL};
    static const char *const texts[] = {"[2147483647, 2147483647, 3]",
                                        "[2147483648, 2147483648, 2]"};
    for (int k = 0; kernels[k]; k++) {
        char json[600];
        snprintf(json, sizeof json,
                 "{\"name\": \"k\", \"buffers\": [{\"name\": \"A\", \"shape\": [64, 64], "
                 "\"dtype\": \"bfloat16\"}, {\"name\": \"C\", \"shape\": [64, 96], \"dtype\": "
                 "\"bfloat16\", \"role\": \"output\"}], \"kernel\": %s}",
                 kernels[k]);
        t_run_t t = t_infer(json, NULL);
        const ttlx_diag_t *d = t_diag(t.r, "TTL010");
        char want[300];
        snprintf(want, sizeof want,
                 "kernel %s: the launch grid has 2^63 blocks or more (the product of the extents "
                 "overflows); the work partition uses the output tile grid instead",
                 texts[k]);
        assert_string_equal(d->message, want);
        assert_int_equal(d->severity, TTLX_SEV_ERROR);
        assert_int_equal(d->buffer, -1);
        assert_string_equal(d->key, "kernel");
        assert_int_equal(t_count(t.r, "TTL017"), 0);
        const ttlx_partition_t *p = ttlx_result_partition(t.r);
        assert_int_equal(p->mt, 2);
        assert_int_equal(p->nt, 3);
        int64_t sum = 0;
        for (size_t c = 0; c < p->ncores; c++)
            sum += p->cores[c].count;
        assert_int_equal(sum, 6);
        assert_int_equal(p->ncores, 6);
        t_free(&t);
    }
    /* The largest grid that fits is no error: 2^31 * 2^31 * 1 = 2^62. */
    t_run_t t = t_infer("{\"name\": \"k\", \"buffers\": [{\"name\": \"C\", \"shape\": [64, 64], "
                        "\"dtype\": \"bfloat16\"}], \"kernel\": [2147483648, 2147483648]}",
                        NULL);
    assert_int_equal(t_count(t.r, "TTL010"), 0);
    assert_int_equal(ttlx_result_partition(t.r)->mt, INT64_C(2147483648));
    t_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_forms),
        cmocka_unit_test(nfkc_buffer_names),
        cmocka_unit_test(duplicate_keys),
        cmocka_unit_test(kernel_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
