/*
 * test_svg.c - the SVG export names tile owners in text as well as colour
 * (core id cN in every core and tile cell, a legend when cells are tiny)
 * and spreads core colours by the golden angle: the SVG is parsed back and
 * the hues of neighbouring core ids are measured.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"
#include "ttlx_func.h"
#include "ttlx_load.h"
#include "app_support.h"
#include "xml_check.h"

/* Hue of the n-th core cell's fill ("hsl(H,"), -1 when it has none. */
static int nth_core_hue(const char *svg, int n) {
    const char *p = svg;
    for (int k = 0; k <= n; k++) {
        p = strstr(p, "<rect class=\"core\"");
        if (!p) return -1;
        p++;
    }
    const char *f = strstr(p, "fill=\"hsl(");
    const char *end = strstr(p, "</rect>");
    if (!f || !end || f > end) return -1;
    return atoi(f + strlen("fill=\"hsl("));
}

static int count_of(const char *s, const char *what) {
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

static void svg_owner_text_and_hues(void **state) {
    (void)state;
    /* round_robin: 96 shards on all 64 cores, so every core cell is coloured */
    ttlx_module_t *m = app_load_sample("round_robin.json");
    char *svg = app_render(m, EXPORT_SVG, NULL);
    xml_counts_t c;
    if (!xml_check(svg, &c)) fail_msg("not well-formed: %s", c.error);
    int hue[64];
    for (int i = 0; i < 64; i++) {
        hue[i] = nth_core_hue(svg, i);
        assert_in_range(hue[i], 0, 359);
    }
    /* neighbouring ids are far apart on the colour wheel */
    int min_next = 360;
    for (int i = 0; i + 1 < 64; i++) {
        int d = abs(hue[i + 1] - hue[i]);
        if (d > 180) d = 360 - d;
        if (d < min_next) min_next = d;
    }
    assert_true(min_next >= 100);
    int d023 = abs(hue[23] - hue[0]);
    if (d023 > 180) d023 = 360 - d023;
    assert_true(d023 >= 30); /* were 1 degree apart */
    assert_int_equal(hue[0], 0);
    assert_int_equal(hue[1], 137);
    assert_int_equal(hue[2], 275);
    /* every core cell names its id in text */
    assert_int_equal(count_of(svg, "class=\"id\">c"), 64);
    assert_non_null(strstr(svg, "class=\"id\">c0</text>"));
    assert_non_null(strstr(svg, "class=\"id\">c63</text>"));
    assert_non_null(strstr(svg, "core id cN, N = y * 8 + x"));
    /* cache is 96 x 4 tiles, drawn 2 x 1 tiles a cell (48 x 4 cells of 14
     * pixels): each cell names its owner */
    assert_int_equal(count_of(svg, "class=\"tid\">c"), 48 * 4);
    /* out is DRAM: its tiles name their bank */
    assert_true(count_of(svg, "class=\"tid\">b") > 0);
    ttlx_free(svg);
    ttlx_module_free(m);
    /* tiny cells get a legend instead: 65536x65536 aggregates to 64x64
     * cells of 8 pixels over 8 banks */
    m = app_load("{\"name\": \"big\", \"device\": \"blackhole_p150\", \"buffers\": ["
                 "{\"name\": \"H\", \"shape\": [65536, 65536], \"dtype\": \"bfloat16\"},"
                 "{\"name\": \"W\", \"shape\": [100, 3000], \"dtype\": \"float32\"}],"
                 "\"attrs\": {\"tt.user_layout\": {\"W\": {\"memory\": \"L1\"}}}}",
                 "big.json");
    ttlx_error_t err = {0};
    svg = export_render(m, 0, ttlx_device_find("blackhole_p150"), EXPORT_SVG, NULL, 0, NULL, &err);
    assert_non_null(svg);
    if (!xml_check(svg, &c)) fail_msg("not well-formed: %s", c.error);
    assert_int_equal(count_of(svg, "class=\"tid\""), 0);
    /* H samples the first tile of each 32 x 32 block: all on bank 0 */
    assert_non_null(strstr(svg, "class=\"key\">b0</text>"));
    assert_null(strstr(svg, "class=\"key\">b1</text>"));
    /* W (4 x 94 tiles, 4 x 47 cells of 8 pixels) on the L1 banks: each
     * core its swatch, id and coordinates */
    assert_non_null(strstr(svg, "class=\"key\">c0 (0,0)</text>"));
    assert_non_null(strstr(svg, "class=\"key\">c12 (1,1)</text>"));
    int keys = count_of(svg, "<rect class=\"key\"");
    assert_true(keys > 20);
    ttlx_free(svg);
    ttlx_module_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(svg_owner_text_and_hues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
