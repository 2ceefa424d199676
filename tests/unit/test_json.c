/*
 * test_json.c - the loader's fast JSON parser (ttlx_json.c) against cJSON:
 * on every text it accepts it must build exactly cJSON's tree (types,
 * values bit for bit, strings, links, the first child's prev pointing at
 * the last) and stop where cJSON stops; everything outside its strict
 * subset it must decline, so that cJSON decides; out of memory is not a
 * decline.
 */
#include "test_support.h"
#include "ttlx_internal.h"
#include "ttlx_json.h"

#include <math.h>
#include <stdlib.h>

/* Compares two trees; fails the test with the path of the first difference. */
static void same_tree(const cJSON *a, const cJSON *b, const char *path) {
    for (int k = 0; a || b; k++, a = a->next, b = b->next) {
        if (!a || !b) fail_msg("%s[%d]: one list is longer", path, k);
        if ((a->type & 0xFF) != (b->type & 0xFF))
            fail_msg("%s[%d]: type %d, cJSON %d", path, k, a->type & 0xFF, b->type & 0xFF);
        if (a->valueint != b->valueint)
            fail_msg("%s[%d]: valueint %d, cJSON %d", path, k, a->valueint, b->valueint);
        if (memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)))
            fail_msg("%s[%d]: valuedouble %.17g, cJSON %.17g", path, k, a->valuedouble,
                     b->valuedouble);
        if (!a->valuestring != !b->valuestring ||
            (a->valuestring && strcmp(a->valuestring, b->valuestring)))
            fail_msg("%s[%d]: valuestring differs", path, k);
        if (!a->string != !b->string || (a->string && strcmp(a->string, b->string)))
            fail_msg("%s[%d]: key differs", path, k);
        if (!a->child != !b->child) fail_msg("%s[%d]: one has children", path, k);
        if (a->child) {
            /* cJSON keeps the last child in the first one's prev. */
            const cJSON *last = a->child;
            while (last->next)
                last = last->next;
            if (a->child->prev != last)
                fail_msg("%s[%d]: first child's prev is not the last", path, k);
            for (const cJSON *c = a->child; c->next; c = c->next)
                if (c->next->prev != c) fail_msg("%s[%d]: broken prev link", path, k);
            char sub[256];
            snprintf(sub, sizeof sub, "%s[%d]", path, k);
            same_tree(a->child, b->child, sub);
        }
        if (k == 0 && !path[0]) break; /* the root has no siblings */
    }
}

/* The fast parser must accept text and agree with cJSON. */
static void agrees(const char *text) {
    size_t len = strlen(text);
    const char *end1 = NULL, *end2 = NULL;
    bool declined = true;
    cJSON *mine = ttlx_json_parse(text, len, &end1, &declined);
    if (!mine) fail_msg("declined (%d) strict JSON: %s", declined, text);
    cJSON *ref = cJSON_ParseWithLengthOpts(text, len, &end2, false);
    if (!ref) fail_msg("cJSON refused: %s", text);
    same_tree(mine, ref, "");
    assert_ptr_equal(end1, end2);
    cJSON_Delete(mine);
    cJSON_Delete(ref);
}

/* The fast parser must leave text to cJSON. */
static void declines(const char *text, size_t len) {
    const char *end = NULL;
    bool declined = false;
    cJSON *mine = ttlx_json_parse(text, len, &end, &declined);
    if (mine) fail_msg("accepted what it should decline: %.*s", (int)len, text);
    assert_true(declined);
}

static void test_values_match_cjson(void **state) {
    (void)state;
    static const char *const texts[] = {
        "{}",
        "[]",
        "0",
        "-0",
        "7",
        "-12",
        "true",
        "false",
        "null",
        "\"\"",
        "\"x\"",
        " \t\r\n{ \"a\" : 1 , \"b\" : [ 1 , 2 ] } ",
        "{\"name\": \"m\", \"buffers\": [{\"name\": \"A\", \"shape\": [256, 512], "
        "\"dtype\": \"bfloat16\"}], \"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", "
        "\"layout\": \"sharded\", \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [4, 4], "
        "\"shard_shape_elems\": [64, 128], \"order\": \"col_major\"}}}}}",
        /* integers at the edges of the fast path, of int and of doubles */
        "[999999999999999, -999999999999999, 1000000000000000, 9007199254740993, "
        "18446744073709551616, 2147483647, 2147483648, -2147483648, -2147483649, "
        "123456789012345678901234567890]",
        /* fractions and exponents go through strtod, as in cJSON */
        "[0.5, -0.25, 1e5, 1E5, 1e+5, 1e-5, 2.5e10, 1e400, -1e400, 1e-400, 0.1, 3.14159265358979]",
        /* escapes other than \\u, UTF-8 text, keys that are and are not common */
        "{\"q\\\"t\": \"a\\\\b\\/c\\bd\\fe\\nf\\rg\\th\", \"name\": \"caf\xc3\xa9 \xe2\x82\xac\", "
        "\"dtype\": \"x\", \"shapes\": 2, \"\": 3}",
        /* duplicate keys are kept in order, as cJSON keeps them */
        "{\"name\": \"a\", \"name\": \"b\", \"shape\": [], \"shape\": {}}",
        "[[[[[[[[[[1]]]]]]]]], {\"a\": {\"b\": {\"c\": [true, false, null]}}}]",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        agrees(texts[k]);
}

static void test_common_keys_are_static_and_survive_edits(void **state) {
    (void)state;
    const char *text = "{\"name\": \"m\", \"custom\": 1}";
    const char *end;
    bool declined;
    cJSON *doc = ttlx_json_parse(text, strlen(text), &end, &declined);
    assert_non_null(doc);
    cJSON *name = cJSON_GetObjectItemCaseSensitive(doc, "name");
    cJSON *custom = cJSON_GetObjectItemCaseSensitive(doc, "custom");
    assert_true(name->type & cJSON_StringIsConst);
    assert_false(custom->type & cJSON_StringIsConst);
    assert_true(cJSON_IsString(name));
    assert_string_equal(name->valuestring, "m");
    /* cJSON's own edits work on such a tree and free what they should. */
    assert_true(cJSON_ReplaceItemInObjectCaseSensitive(doc, "name", cJSON_CreateString("n")));
    cJSON *copy = cJSON_Duplicate(doc, true);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(copy, "name")->valuestring, "n");
    cJSON_AddItemToObject(doc, "more", cJSON_CreateNumber(2));
    assert_int_equal(cJSON_GetArraySize(doc), 3);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(doc, "more")->valueint, 2);
    cJSON_Delete(copy);
    cJSON_Delete(doc);
}

static void test_declines_outside_strict_json(void **state) {
    (void)state;
    static const char *const texts[] = {
        "",
        "   ",
        "{",
        "[1,",
        "{\"a\" 1}",
        "{\"a\": 1,}",
        "[1,]",
        "[01]",
        "[1.]",
        "[.5]",
        "[1e]",
        "[-]",
        "[+1]",
        "[0x10]",
        "[NaN]",
        "[tru]",
        "[nul]",
        "[falsey]",
        "{a: 1}",
        "{'a': 1}",
        "[\"\\u00e9\"]",
        "[\"\\x\"]",
        "[\"a\tb\"]",
        "[\"open",
        "\xef\xbb\xbf{}",
        "\f{}",
        "[1]\v",
        "{\"a\":1}}",
        "[1 2]",
        /* numbers cJSON reads further than JSON does (found by fuzzing) */
        "005",
        "0.5.3",
        "1e5e",
        "-0-",
        "7+",
        "[005]",
        /* 64 characters: cJSON reads numbers up to 63 */
        "[1234567890123456789012345678901234567890123456789012345678901234]",
    };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        /* "{\"a\":1}}" and "[1]\v" parse: trailing text is the caller's check. */
        if (!strcmp(texts[k], "{\"a\":1}}") || !strcmp(texts[k], "[1]\v")) {
            const char *end;
            bool declined;
            cJSON *doc = ttlx_json_parse(texts[k], strlen(texts[k]), &end, &declined);
            assert_non_null(doc);
            assert_int_equal(end - texts[k],
                             strchr(texts[k], texts[k][0] == '{' ? '}' : ']') - texts[k] + 1);
            cJSON_Delete(doc);
            continue;
        }
        declines(texts[k], strlen(texts[k]));
    }
    /* An embedded NUL ends nothing early: it is a byte cJSON must judge. */
    declines("[\"a\0b\"]", 7);
}

static void test_nesting_limit_is_cjsons(void **state) {
    (void)state;
    static char deep[2 * (CJSON_NESTING_LIMIT + 1) + 1];
    static const int depths[] = {1, CJSON_NESTING_LIMIT - 1, CJSON_NESTING_LIMIT,
                                 CJSON_NESTING_LIMIT + 1};
    for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
        int d = depths[k];
        size_t n = 0;
        for (int i = 0; i < d; i++)
            deep[n++] = '[';
        for (int i = 0; i < d; i++)
            deep[n++] = ']';
        deep[n] = '\0';
        if (d <= CJSON_NESTING_LIMIT) {
            agrees(deep);
        } else {
            declines(deep, n);
            assert_null(cJSON_ParseWithLengthOpts(deep, n, NULL, false));
        }
    }
}

static long left;
static void *counting_malloc(size_t n) {
    if (left == 0) return NULL;
    left--;
    return malloc(n);
}
static void *counting_realloc(void *p, size_t n) {
    if (left == 0) return NULL;
    left--;
    return realloc(p, n);
}

static void test_out_of_memory_is_not_a_decline(void **state) {
    (void)state;
    const char *text = "{\"name\": \"m\", \"custom\": [1, \"two\", {\"k\": null}]}";
    ttlx_allocator_t failing = {counting_malloc, counting_realloc, free, NULL};
    ttlx_set_allocator(&failing);
    int refused = 0;
    for (long n = 0; n < 40; n++) {
        left = n;
        const char *end;
        bool declined = true;
        cJSON *doc = ttlx_json_parse(text, strlen(text), &end, &declined);
        if (doc) {
            cJSON_Delete(doc);
            break;
        }
        assert_false(declined);
        refused++;
    }
    ttlx_set_allocator(NULL);
    /* 7 nodes and 4 strings ("m", "custom", "two", "k"; the key "name" is
     * static): each of the 11 allocations can fail, and only then. */
    assert_int_equal(refused, 11);
}

/* The public reader: the fast path, else cJSON's own reading. */
static void test_read_falls_back_to_cjson(void **state) {
    (void)state;
    const char *end = NULL;
    cJSON *a = ttlx_json_read("{\"a\": [1, 2]}", 14, &end);
    assert_non_null(a);
    assert_int_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "a"), 1)->valueint, 2);
    cJSON_Delete(a);
    /* cJSON reads a leading zero and a form feed; the fast path declines them. */
    cJSON *b = ttlx_json_read("\f[01]", 6, &end);
    assert_non_null(b);
    assert_int_equal(b->child->valueint, 1);
    cJSON_Delete(b);
    assert_null(ttlx_json_read("[1,", 3, &end));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_match_cjson),
        cmocka_unit_test(test_common_keys_are_static_and_survive_edits),
        cmocka_unit_test(test_declines_outside_strict_json),
        cmocka_unit_test(test_nesting_limit_is_cjsons),
        cmocka_unit_test(test_out_of_memory_is_not_a_decline),
        cmocka_unit_test(test_read_falls_back_to_cjson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
