/*
 * test_text.c - THE terminal-safe form of text from input (ttlx_text.h):
 * exactly which characters become which escapes, cutting at a whole
 * escape, the string builder's form, and the messages that use it.
 */
#include "test_support.h"
#include "ttlx_sb.h"
#include "ttlx_text.h"

#include <stdlib.h>
#include <string.h>

static void expect_safe(const char *in, const char *want) {
    char buf[256];
    assert_string_equal(ttlx_text_safe(buf, sizeof buf, in), want);
    assert_int_equal(ttlx_text_is_safe(in), strcmp(in, want) == 0);
    ttlx_sb_t sb = {0};
    ttlx_sb_safe(&sb, in);
    char *s = ttlx_sb_take(&sb);
    assert_non_null(s);
    assert_string_equal(s, want);
    ttlx_free(s);
}

static void every_class(void **state) {
    (void)state;
    expect_safe("plain name_1", "plain name_1");
    expect_safe("back\\slash", "back\\slash"); /* kept: not a control */
    /* C0 controls and DEL: an OSC title sequence, a newline, CSI */
    expect_safe("f\x1b]0;pwned\x07\nforged", "f\\x1b]0;pwned\\x07\\x0aforged");
    expect_safe("A\x1b[2J\r\t\x7f", "A\\x1b[2J\\x0d\\x09\\x7f");
    /* C1 controls as UTF-8 (U+009B is CSI, U+0085 NEL), and U+00A0 kept */
    expect_safe("x\xc2\x9b"
                "31m\xc2\x85\xc2\x80\xc2\x9f\xc2\xa0",
                "x\\u009b31m\\u0085\\u0080\\u009f\xc2\xa0");
    /* the raw CSI byte 0x9b and other bytes that are not UTF-8 */
    expect_safe("x\x9b"
                "2J",
                "x\\x9b2J");
    expect_safe("\xc0\x9b|\xed\xa0\x80|\xe2\x80|\xf4\x90\x80\x80",
                "\\xc0\\x9b|\\xed\\xa0\\x80|\\xe2\\x80|\\xf4\\x90\\x80\\x80");
    /* bidi embeddings, overrides, isolates, marks; line separators */
    expect_safe("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae",
                "\\u202a\\u202b\\u202c\\u202d\\u202e");
    expect_safe("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069");
    expect_safe("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8\xe2\x80\xa9",
                "\\u200e\\u200f\\u061c\\u2028\\u2029");
    /* ordinary Unicode stays: accents, CJK, the ellipsis, emoji */
    expect_safe("caf\xc3\xa9 \xe4\xb8\x80 \xe2\x80\xa6 \xf0\x9f\x98\x80",
                "caf\xc3\xa9 \xe4\xb8\x80 \xe2\x80\xa6 \xf0\x9f\x98\x80");
    assert_true(ttlx_text_unsafe(0x9b));
    assert_true(ttlx_text_unsafe(0x202e));
    assert_false(ttlx_text_unsafe(0x2030));
    assert_false(ttlx_text_unsafe(0x2065));
}

static void cut_whole(void **state) {
    (void)state;
    char buf[8];
    /* "ab\x1b" needs 6 bytes plus NUL: fits; one more escape does not */
    assert_string_equal(ttlx_text_safe(buf, sizeof buf, "ab\x1b\x1b"), "ab\\x1b");
    assert_string_equal(ttlx_text_safe(buf, 5, "a\xe2\x80\xae"), "a");
    assert_string_equal(ttlx_text_safe(buf, 4, "ab\xe4\xb8\x80"), "ab");
    assert_string_equal(ttlx_text_safe(buf, 1, "abc"), "");
}

static void keep_lines(void **state) {
    (void)state;
    ttlx_sb_t sb = {0};
    const char tb[] = "x\x1b[1m: boom\nstack traceback:\n\t[C]: in ?\xe2\x80\xae";
    ttlx_sb_safe_n(&sb, tb, sizeof tb - 1, true);
    const char nul[] = {'a', '\0', 'b'};
    ttlx_sb_safe_n(&sb, nul, 3, true);
    char *s = ttlx_sb_take(&sb);
    assert_string_equal(s, "x\\x1b[1m: boom\nstack traceback:\n\t[C]: in ?\\u202ea\\x00b");
    ttlx_free(s);
}

static void next_units(void **state) {
    (void)state;
    uint32_t cp;
    char esc[TTLX_TEXT_ESC_MAX];
    assert_int_equal(ttlx_text_next("\xe2\x80\xae!", &cp, esc, false), 3);
    assert_int_equal(cp, 0x202e);
    assert_string_equal(esc, "\\u202e");
    assert_int_equal(ttlx_text_next("\xe4\xb8\x80", &cp, esc, false), 3);
    assert_string_equal(esc, "");
    assert_int_equal(ttlx_text_next("\x9b", &cp, esc, false), 1);
    assert_int_equal(cp, 0xfffd);
    assert_string_equal(esc, "\\x9b");
    assert_int_equal(ttlx_text_next("\xe2", &cp, esc, false), 1); /* cut at the NUL */
    assert_string_equal(esc, "\\xe2");
    assert_int_equal(ttlx_text_next("\n", &cp, esc, true), 1);
    assert_string_equal(esc, "");
}

/* Error records quote input in the same form. */
static void error_messages(void **state) {
    (void)state;
    ttlx_error_t e = {0};
    ttlx_error_set(&e, 1, 2, "no buffer '%s'", "x\x1b]0;t\x07\n\xc2\x9b\xe2\x80\xae\x9b");
    assert_string_equal(e.what, "no buffer 'x\\x1b]0;t\\x07\\x0a\\u009b\\u202e\\x9b'");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_class),    cmocka_unit_test(cut_whole),
        cmocka_unit_test(keep_lines),     cmocka_unit_test(next_units),
        cmocka_unit_test(error_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
