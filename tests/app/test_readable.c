/*
 * test_readable.c - the contrast rule and the glyph table: every theme
 * (every themes/NAME.lua and the built-in fallback) gives readable pairs at 8, 16,
 * 256 colours and truecolor; ASCII and Unicode glyphs each keep one meaning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/ui_screen.h"
#include "ui/ui_theme.h"

/* The measure, exactly: WCAG 2 contrast of sRGB colours. */
static void test_contrast_measure(void **state) {
    (void)state;
    assert_true(fabs(ui_contrast_ratio(0xffffff, 0x000000) - 21.0) < 1e-9);
    assert_true(fabs(ui_contrast_ratio(0x000000, 0xffffff) - 21.0) < 1e-9);
    assert_true(fabs(ui_contrast_ratio(0x123456, 0x123456) - 1.0) < 1e-9);
    /* grey 0x80: luminance 0.2158605, ratio (0.2658605 / 0.05) */
    assert_true(fabs(ui_contrast_ratio(0x808080, 0x000000) - 5.3172) < 1e-3);
    /* dark red on black is under the threshold, bright red over it */
    assert_true(ui_contrast_ratio(0x800000, 0x000000) < UI_MIN_CONTRAST);
    assert_true(ui_contrast_ratio(0xff0000, 0x000000) >= UI_MIN_CONTRAST);
    /* palette colours back to RGB */
    assert_int_equal(ui_term_color_rgb(8, 16, false), 0x808080);
    assert_int_equal(ui_term_color_rgb(196, 256, false), 0xff0000);
    assert_int_equal(ui_term_color_rgb(240, 256, false), 0x585858);
    assert_int_equal(ui_term_color_rgb(0x123456, 1 << 24, false), 0x123456);
    assert_int_equal(ui_term_color_rgb(UI_COLOR_DEFAULT, 16, true), UI_DEFAULT_BG_RGB);
    assert_int_equal(ui_term_color_rgb(UI_COLOR_DEFAULT, 16, false), UI_DEFAULT_FG_RGB);
}

static void test_pair_rules(void **state) {
    (void)state;
    /* both defaults: the terminal's own pair */
    assert_true(ui_pair_readable((ui_color_pair_t){UI_COLOR_DEFAULT, UI_COLOR_DEFAULT}, 8));
    /* black on the default background: unreadable on a dark terminal */
    assert_false(ui_pair_readable((ui_color_pair_t){0, UI_COLOR_DEFAULT}, 8));
    assert_false(ui_pair_readable((ui_color_pair_t){16, UI_COLOR_DEFAULT}, 256));
    /* fg == bg */
    assert_false(ui_pair_readable((ui_color_pair_t){7, 7}, 16));
    /* black on a light background is fine */
    assert_true(ui_pair_readable((ui_color_pair_t){0, 7}, 8));
    /* navy on default: contrast 1.3 */
    assert_false(ui_pair_readable((ui_color_pair_t){4, UI_COLOR_DEFAULT}, 8));
    assert_true(ui_pair_readable((ui_color_pair_t){2, UI_COLOR_DEFAULT}, 8));
}

/* Every style of t is readable at 8, 16, 256 colours and truecolor; returns
 * how many pairs were checked. */
static int check_theme(const ui_theme_t *t) {
    static const int depths[4] = {8, 16, 256, 1 << 24};
    int n = 0;
    for (int k = 0; k < 4; k++) {
        ui_color_pair_t p[UI_STYLE_COUNT];
        ui_theme_pairs(t, depths[k], p);
        for (int s = 0; s < UI_STYLE_COUNT; s++, n++) {
            if (!ui_pair_readable(p[s], depths[k]))
                fail_msg("theme %s, %d colours: style %s is unreadable (fg %d, bg %d)", t->name,
                         depths[k], ui_style_name(s), (int)p[s].fg, (int)p[s].bg);
            if (depths[k] <= 16) { /* palette indices only */
                assert_true(p[s].fg >= -1 && p[s].fg < depths[k]);
                assert_true(p[s].bg >= -1 && p[s].bg < depths[k]);
            }
        }
    }
    return n;
}

static void test_every_theme_readable(void **state) {
    (void)state;
    ui_theme_t t;
    ui_theme_fallback(&t);
    assert_int_equal(check_theme(&t), 4 * UI_STYLE_COUNT);
    /* the bug this rule fixes: with 8 colours the dim greys (axis labels,
     * borders, heat under 25%) mapped to black on the default background */
    ui_color_pair_t p[UI_STYLE_COUNT];
    ui_theme_pairs(&t, 8, p);
    assert_int_not_equal(p[UI_STYLE_HEAT0].fg, 0);
    assert_int_not_equal(p[UI_STYLE_BORDER].fg, 0);
    assert_int_not_equal(p[UI_STYLE_DIM].fg, 0);
    /* a pair that was readable keeps the nearest colour */
    assert_int_equal(p[UI_STYLE_NORMAL].fg, 7);
    assert_int_equal(p[UI_STYLE_NORMAL].bg, UI_COLOR_DEFAULT);
    /* and the SGR text no longer says black foreground for them */
    const char *sgr = ui_theme_sgr(&t, UI_STYLE_HEAT0, UI_COLORS_16);
    assert_null(strstr(sgr, ";30;"));
    int themes = 0;
    DIR *d = opendir(TTLX_SOURCE_DIR "/themes");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".lua")) continue;
        char path[600], err[300];
        snprintf(path, sizeof path, "%s/themes/%s", TTLX_SOURCE_DIR, e->d_name);
        ui_theme_fallback(&t);
        if (!ui_theme_load(&t, path, err, sizeof err)) fail_msg("%s: %s", path, err);
        check_theme(&t);
        themes++;
    }
    closedir(d);
    assert_true(themes >= 4);
}

/* The rule repairs an unreadable theme and leaves readable pairs alone. */
static void test_rule_repairs(void **state) {
    (void)state;
    ui_theme_t t;
    ui_theme_fallback(&t);
    t.styles[UI_STYLE_L1] = (ui_style_def_t){0x000000, UI_COLOR_DEFAULT, 0, 0};
    t.styles[UI_STYLE_DRAM] = (ui_style_def_t){0x303030, 0x303030, 0, 0};
    ui_color_pair_t p[UI_STYLE_COUNT];
    ui_theme_pairs(&t, 256, p);
    assert_true(ui_pair_readable(p[UI_STYLE_L1], 256));
    assert_true(ui_pair_readable(p[UI_STYLE_DRAM], 256));
    assert_int_equal(p[UI_STYLE_DRAM].bg, 236); /* the background stays */
    ui_theme_pairs(&t, 1 << 24, p);
    assert_int_equal(p[UI_STYLE_NORMAL].fg, 0xd0d0d0); /* readable: as the theme says */
    assert_true(ui_pair_readable(p[UI_STYLE_L1], 1 << 24));
}

/* Two glyphs share a form only when they mean the same thing. */
static void test_glyphs_unique(void **state) {
    (void)state;
    for (int ascii = 0; ascii < 2; ascii++)
        for (int a = 0; a < UI_G_COUNT; a++) {
            uint32_t fa = ui_glyph_form((ui_glyph_t)a, ascii);
            assert_int_not_equal(fa, 0);
            assert_int_not_equal(fa, ' ');
            if (ascii) assert_true(fa > 0x20 && fa < 0x7f);
            for (int b = a + 1; b < UI_G_COUNT; b++)
                if (fa == ui_glyph_form((ui_glyph_t)b, ascii) &&
                    ui_glyph_meaning((ui_glyph_t)a) != ui_glyph_meaning((ui_glyph_t)b))
                    fail_msg("%s glyph %d and %d share '%c' with different meanings",
                             ascii ? "ASCII" : "Unicode", a, b, ascii ? (char)fa : '?');
        }
    /* the old clash: '+' meant both "ok" and "<50%" */
    assert_int_not_equal(ui_glyph_form(UI_G_MARK_OK, true), ui_glyph_form(UI_G_HEAT2, true));
    assert_int_equal(ui_glyph_form(UI_G_ELLIPSIS, true), '~');
    assert_int_equal(ui_glyph_form(UI_G_ELLIPSIS, false), 0x2026);
    assert_int_equal(ui_glyph_form(UI_G_MORE, true), 'v');
    /* the shared ones are the same meaning by design */
    assert_int_equal(ui_glyph_meaning(UI_G_TL), ui_glyph_meaning(UI_G_BR));
    assert_int_equal(ui_glyph_meaning(UI_G_NONE), ui_glyph_meaning(UI_G_HEAT0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_measure),     cmocka_unit_test(test_pair_rules),
        cmocka_unit_test(test_every_theme_readable), cmocka_unit_test(test_rule_repairs),
        cmocka_unit_test(test_glyphs_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
