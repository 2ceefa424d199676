/*
 * test_ui.c - unit tests of the explorer's modules without a terminal: the
 * cell grid, the sandboxed theme loader, mouse hits running the same code
 * as keys, hint editing with undo/redo and the change diff, atomic saving,
 * zoom for a 4M-tile buffer, and the too-small screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sys/atomic_write.h"
#include "ui/draw.h"
#include "ui/ui.h"
#include "ui/ui_apply.h"
#include "ui/ui_ask.h"
#include "ui/ui_complete.h"
#include "ui/ui_lesson.h"
#include "ttlx_load.h"
#include "ttlx_text.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char sample[] =
    "{\"name\": \"mm\", \"buffers\": ["
    "{\"name\": \"A\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"B\", \"shape\": [256, 256], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"C\", \"shape\": [256, 256], \"dtype\": \"bfloat16\", \"role\": \"output\"}],"
    "\"attrs\": {\"tt.user_layout\": {\"A\": {\"memory\": \"L1\", \"layout\": \"sharded\","
    " \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [2, 4], \"shard_shape_elems\": [128, "
    "64]}}}}}";

static ui_t u;
static ui_screen_t scr;

static void open_sample(void) {
    ui_init(&u);
    assert_true(ui_open_string(&u, sample, sizeof sample - 1, "mm.json", NULL));
    assert_true(ui_screen_resize(&scr, 120, 36));
    ui_frame(&u, &scr);
}

static void close_sample(void) {
    ui_free(&u);
    ui_screen_free(&scr);
}

/* The text of one screen row, trailing blanks dropped. */
static const char *row_text(const ui_screen_t *s, int y) {
    static char buf[4096];
    size_t k = 0;
    for (int x = 0; x < s->w && k + 5 < sizeof buf; x++)
        k += (size_t)ttlx_utf8_encode(s->cells[y * s->w + x].ch, buf + k);
    while (k && buf[k - 1] == ' ')
        k--;
    buf[k] = '\0';
    return buf;
}

static bool screen_has(const ui_screen_t *s, const char *text) {
    for (int y = 0; y < s->h; y++)
        if (strstr(row_text(s, y), text)) return true;
    return false;
}

static void test_screen_text(void **state) {
    (void)state;
    ui_screen_t s = {0};
    assert_true(ui_screen_resize(&s, 10, 2));
    assert_int_equal(ui_puts(&s, 0, 0, -1, 1,
                             "ab\xe2\x9c\x93"
                             "cdefghijkl"),
                     10); /* clipped */
    assert_int_equal(s.cells[2].ch, 0x2713);
    assert_int_equal(s.cells[2].style, 1);
    assert_int_equal(ui_puts(&s, 8, 1, 5, 0, "xyz"), 2);
    /* controls are drawn as their escapes (ttlx_text.h), cut like text */
    assert_int_equal(ui_puts(&s, 0, 1, 8, 0, "\x01\t"), 8);
    assert_int_equal(s.cells[10].ch, '\\');
    assert_int_equal(s.cells[11].ch, 'x');
    assert_int_equal(s.cells[13].ch, '1');
    assert_int_equal(s.cells[17].ch, '9');
    assert_int_equal(ui_text_width("\x01\t"), 8);
    {
        /* C1 (U+009B), a raw 0x9b byte, bidi overrides and isolates: the
         * same escapes `infer` prints; wide characters stay one '?' */
        ui_screen_t b = {0};
        assert_true(ui_screen_resize(&b, 40, 1));
        const char *t = "a\xc2\x9b"
                        "b\x9b"
                        "c\xe2\x80\xae"
                        "d\xe2\x81\xa6"
                        "e\xe4\xb8\x80";
        assert_int_equal(ui_puts(&b, 0, 0, -1, 0, t), 28);
        assert_int_equal(ui_text_width(t), 28);
        assert_string_equal(row_text(&b, 0), "a\\u009bb\\x9bc\\u202ed\\u2066e?");
        ui_screen_free(&b);
    }
    /* cut text ends in an ellipsis; text that fits does not */
    assert_int_equal(s.cells[9].ch, 0x2026);
    assert_int_equal(s.cells[19].ch, 0x2026);
    assert_int_equal(ui_puts(&s, 3, 1, 4, 0, "abcd"), 4);
    assert_int_equal(s.cells[16].ch, 'd');
    assert_int_equal(ui_puts(&s, 3, 1, 4, 0, "abc   "), 4); /* trailing blanks are not text */
    assert_int_equal(s.cells[16].ch, ' ');
    ui_puts(&s, 3, 1, 4, 0, "    ");
    {
        /* a number is never cut from its unit: the whole token goes */
        ui_screen_t n = {0};
        assert_true(ui_screen_resize(&n, 12, 2));
        ui_puts(&n, 0, 0, 9, 0, "size 172.0K total");
        assert_string_equal(row_text(&n, 0), "size \xe2\x80\xa6");
        ui_puts(&n, 0, 1, 8, 0, "a b (+12) c");
        assert_string_equal(row_text(&n, 1), "a b \xe2\x80\xa6");
        ui_puts(&n, 0, 0, 9, 0, "word wordy word"); /* words are cut with the ellipsis */
        assert_string_equal(row_text(&n, 0), "word wor\xe2\x80\xa6");
        ui_screen_free(&n);
    }
    s.ascii = true;
    assert_int_equal(ui_puts(&s, 0, 0, 4, 0, "abcdef"), 4);
    assert_int_equal(s.cells[3].ch, '~');
    assert_int_equal(ui_glyph(&s, UI_G_MARK_ERROR), 'X');
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ui_screen_write(&s, f, NULL, NULL);
    fclose(f);
    assert_string_equal(text, "abc~defgh?\n\\x0    9x?\n");
    free(text);
    ui_screen_free(&s);
}

static char tmpdir[64];

static const char *write_theme(const char *name, const char *body) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s.lua", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(body, f);
    fclose(f);
    return path;
}

static void test_theme_sandbox(void **state) {
    (void)state;
    ui_theme_t t;
    ui_theme_fallback(&t);
    char err[300];
    /* a data table loads; unnamed styles keep the fallback */
    assert_true(
        ui_theme_load(&t, write_theme("good", "return { l1 = { fg = \"#123456\", bold = true } }"),
                      err, sizeof err));
    assert_string_equal(t.name, "good");
    assert_int_equal(t.styles[UI_STYLE_L1].fg, 0x123456);
    assert_true(t.styles[UI_STYLE_L1].attrs & UI_ATTR_BOLD);
    /* no libraries: os, io, require are absent */
    assert_false(
        ui_theme_load(&t, write_theme("evil", "os.execute('true') return {}"), err, sizeof err));
    assert_non_null(strstr(err, "os"));
    assert_false(ui_theme_load(&t, write_theme("req", "require('x') return {}"), err, sizeof err));
    /* a runaway theme is stopped */
    assert_false(ui_theme_load(&t, write_theme("loop", "while true do end"), err, sizeof err));
    assert_non_null(strstr(err, "budget"));
    /* bad values name the style */
    assert_false(ui_theme_load(&t, write_theme("bad", "return { dram = { fg = \"red\" } }"), err,
                               sizeof err));
    assert_non_null(strstr(err, "dram"));
    assert_false(ui_theme_load(&t, write_theme("num", "return 42"), err, sizeof err));
    assert_false(ui_theme_load(&t, "no-such-theme", err, sizeof err));
    assert_string_equal(t.name, "good"); /* failures leave the theme as it was */
    /* the shipped themes all load */
    static const char *const shipped[] = {"default", "light", "high-contrast", "colorblind"};
    for (size_t i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/themes/%s.lua", TTLX_SOURCE_DIR, shipped[i]);
        assert_true(ui_theme_load(&t, path, err, sizeof err));
    }
    assert_int_equal(ui_rgb_to_256(0xff0000), 196);
    assert_int_equal(ui_rgb_to_16(0xffffff), 15);
}

static const ui_hit_t *find_hit(ui_hit_kind_t k, int64_t a, int64_t b) {
    for (int i = 0; i < u.nhits; i++)
        if (u.hits[i].kind == k && u.hits[i].a == a && u.hits[i].b == b) return &u.hits[i];
    return NULL;
}

static void test_mouse_runs_key_code(void **state) {
    (void)state;
    open_sample();
    const ui_hit_t *h = find_hit(UI_HIT_BUFFER, 2, 0);
    assert_non_null(h);
    ui_click(&u, h->x + 1, h->y);
    assert_int_equal(u.sel, 2);
    ui_frame(&u, &scr);
    h = find_hit(UI_HIT_TAB, UI_VIEW_TILES, 0);
    assert_non_null(h);
    ui_click(&u, h->x, h->y);
    assert_int_equal(u.view, UI_VIEW_TILES);
    ui_key(&u, '1');
    ui_select_buffer(&u, 0);
    ui_frame(&u, &scr);
    h = find_hit(UI_HIT_CORE, 3, 1);
    assert_non_null(h);
    ui_click(&u, h->x, h->y);
    assert_int_equal(u.core_x, 3);
    assert_int_equal(u.core_y, 1);
    assert_int_equal(u.focus, UI_PANE_MAIN);
    ui_frame(&u, &scr);
    assert_true(screen_has(&scr, "Core (3,1) L1 breakdown"));
    /* the same move by key */
    ui_key(&u, 'h');
    assert_int_equal(u.core_x, 2);
    /* wheel over the buffer list moves the selection like Down */
    h = find_hit(UI_HIT_BUFFER, 0, 0);
    ui_wheel(&u, h->x, h->y, 1);
    assert_int_equal(u.focus, UI_PANE_BUFFERS);
    assert_int_equal(u.sel, 2);
    close_sample();
}

static void test_edit_undo_diff(void **state) {
    (void)state;
    open_sample();
    ui_select_buffer(&u, 1);
    assert_false(u.dirty);
    int f = ui_edit_field_find("memory");
    assert_true(f >= 0);
    assert_true(ui_edit_set_text(&u, f, "L1", true));
    assert_int_equal(ttlx_result_layout(u.res, 1)->memory, TTLX_MEM_L1);
    assert_true(u.dirty);
    assert_true(u.ndiff >= 1);
    assert_non_null(strstr(u.diff[0], "B: DRAM->L1"));
    /* a bad value is a diagnostic, not a failure */
    int g = ui_edit_field_find("nd_shard.shard_shape_elems");
    assert_true(ui_edit_set_text(&u, g, "100,64", true));
    char v[64];
    ui_edit_field_value(&u, g, v, sizeof v);
    assert_string_equal(v, "100,64");
    size_t errors = 0;
    ttlx_result_diag_counts(u.res, &errors, NULL, NULL);
    assert_true(errors > 0);
    assert_true(ui_undo(&u));
    assert_true(ui_undo(&u));
    assert_int_equal(ttlx_result_layout(u.res, 1)->memory, TTLX_MEM_DRAM);
    assert_false(u.dirty);
    assert_false(ui_undo(&u));
    assert_true(ui_redo(&u));
    assert_int_equal(ttlx_result_layout(u.res, 1)->memory, TTLX_MEM_L1);
    /* cycling goes through the default */
    ui_edit_cycle(&u, f, 1); /* L1 -> unset */
    ui_edit_field_value(&u, f, v, sizeof v);
    assert_string_equal(v, "");
    /* commands run the same editor */
    ui_command(&u, "set grid 2,2");
    ui_edit_field_value(&u, ui_edit_field_find("grid"), v, sizeof v);
    assert_string_equal(v, "2,2");
    ui_command(&u, "clear");
    assert_null(ttlx_func_hint(u.func, "B"));
    close_sample();
}

/* Applying hints (the f key, the Solve view's Enter): a change is one undo
 * step; hints equal to the current ones make none and change nothing. */
static void test_apply_hints_undo(void **state) {
    (void)state;
    open_sample();
    char desc[200];
    size_t n0 = u.nundo;
    cJSON *same = cJSON_CreateObject();
    cJSON_AddItemToObject(same, "A", cJSON_Duplicate(ttlx_func_hint(u.func, "A"), true));
    assert_true(ui_apply_hints(&u, same, desc, sizeof desc));
    assert_string_equal(desc, "");
    assert_int_equal(u.nundo, n0);
    assert_false(u.dirty);
    cJSON_Delete(same);
    cJSON *to_l1 = cJSON_Parse("{\"B\": {\"memory\": \"L1\"}}");
    assert_true(ui_apply_hints(&u, to_l1, desc, sizeof desc));
    assert_string_equal(desc, "B memory \"DRAM\" -> \"L1\"");
    assert_int_equal(u.nundo, n0 + 1);
    assert_int_equal(ttlx_result_layout(u.res, 1)->memory, TTLX_MEM_L1);
    cJSON_Delete(to_l1);
    assert_true(ui_undo(&u));
    assert_int_equal(ttlx_result_layout(u.res, 1)->memory, TTLX_MEM_DRAM);
    close_sample();
}

/* Wrapping a word longer than the row cuts it between characters, never
 * inside one (a stray byte would show as an escape). */
static void test_ta_wrap_utf8(void **state) {
    (void)state;
    ui_screen_t s = {0};
    assert_true(ui_screen_resize(&s, 20, 4));
    ui_textarea_t t = {&s, 0, 0, 12, 4, 0, 0};
    ui_ta_wrap(&t, 0, "",
               "a\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92"
               "\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92");
    assert_string_equal(row_text(&s, 0), "a\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92");
    assert_string_equal(row_text(&s, 1), "\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92");
    assert_string_equal(row_text(&s, 2), "\xe2\x86\x92\xe2\x86\x92\xe2\x86\x92");
    ui_screen_free(&s);
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void test_save_atomic(void **state) {
    (void)state;
    ttlx_error_t err = {0};
    char path[256];
    snprintf(path, sizeof path, "%s/save.json", tmpdir);
    assert_true(sys_atomic_write(path, "{}\n", 3, &err));
    int before = count_entries(tmpdir);
    /* the target is a directory: rename fails, nothing is left behind */
    char dir[256];
    snprintf(dir, sizeof dir, "%s/adir", tmpdir);
    mkdir(dir, 0755);
    char inner[300];
    snprintf(inner, sizeof inner, "%s/x", dir);
    FILE *f = fopen(inner, "w");
    fclose(f);
    assert_false(sys_atomic_write(dir, "{}\n", 3, &err));
    assert_non_null(strstr(err.what, "/adir: cannot save: Is a directory"));
    assert_int_equal(count_entries(tmpdir), before + 1); /* only adir itself */
    /* a missing directory */
    assert_false(sys_atomic_write("/nonexistent-ttlx-dir/x.json", "{}", 2, &err));
    /* saving the explorer's module, then reading it back */
    open_sample();
    ui_select_buffer(&u, 1);
    ui_edit_set_text(&u, ui_edit_field_find("memory"), "L1", true);
    assert_true(ui_save(&u, path));
    assert_false(u.dirty);
    ttlx_error_t e = {0};
    ttlx_module_t *m = ttlx_module_load_file(path, NULL, 0, &e);
    assert_non_null(m);
    const cJSON *h = ttlx_func_hint(ttlx_module_func(m, 0), "B");
    assert_non_null(h);
    assert_string_equal(cJSON_GetObjectItem(h, "memory")->valuestring, "L1");
    ttlx_module_free(m);
    close_sample();
}

static void test_big_tiles_and_small_screen(void **state) {
    (void)state;
    static const char big[] =
        "{\"name\": \"big\", \"buffers\": [{\"name\": \"T\", \"shape\": [65536, 65536],"
        " \"dtype\": \"bfloat16\"}]}";
    ui_init(&u);
    assert_true(ui_open_string(&u, big, sizeof big - 1, "big.json", NULL));
    assert_true(ui_screen_resize(&scr, 200, 60));
    u.view = UI_VIEW_TILES;
    ui_frame(&u, &scr);
    /* Interleaved pages change bank every tile: the first view is 1:1,
     * where the banks can be seen taking turns, not a grid of "~~". */
    assert_int_equal(u.zoom_r, 0);
    assert_int_equal(u.zoom_c, 0);
    assert_true(screen_has(&scr, "tile view 2048 x 2048 tiles of 32x32 | zoom 1:1"));
    assert_true(screen_has(&scr, "   0 #0<#1 #2 #3 #4 #5 #6 #7 #8 #9 #A #B #0 #1"));
    ui_key(&u, UI_KEY_TAB); /* focus the view */
    ui_key(&u, '0');        /* 0 fits the whole grid */
    ui_frame(&u, &scr);
    assert_true(2048 >> u.zoom_r <= u.geom.tiles_rows);
    assert_true(2048 >> u.zoom_c <= u.geom.tiles_cols);
    assert_true(u.zoom_r > 0);
    assert_true(screen_has(&scr, "tile view 2048 x 2048 tiles"));
    ui_key(&u, '+');
    ui_key(&u, UI_KEY_END);
    assert_int_equal(u.tile_row, 2047);
    ui_frame(&u, &scr);
    assert_true(screen_has(&scr, "tile (2047,2047)"));
    assert_true(ui_screen_resize(&scr, 20, 8));
    ui_frame(&u, &scr);
    assert_true(screen_has(&scr, "need 60x16"));
    assert_true(screen_has(&scr, "have 20x8"));
    close_sample();
}

/* A pinned lesson step takes rows at the top; the panes shrink below it,
 * a text longer than the panel ends in a marker, leaving gives the rows
 * back. */
static void test_lesson_panel(void **state) {
    (void)state;
    open_sample();
    assert_true(ui_screen_resize(&scr, 80, 24));
    ui_frame(&u, &scr);
    assert_int_equal(u.geom.list_y, 1);
    assert_int_equal(u.geom.lesson_h, 0);
    int body = u.geom.main_h;
    ui_lesson_pin(&u, "demo", 2, 5, "a step", "one line of text", ">", "<", "X");
    ui_frame(&u, &scr);
    assert_int_equal(u.geom.lesson_y, 1);
    assert_int_equal(u.geom.lesson_h, 2); /* the title and one text row */
    assert_int_equal(u.geom.list_y, 3);
    assert_int_equal(u.geom.main_y, 3);
    assert_int_equal(u.geom.main_h, body - 2);
    assert_string_equal(row_text(&scr, 1),
                        " 2/5 demo: a step                                         <:back >:next "
                        "X:leave");
    assert_string_equal(row_text(&scr, 2), " one line of text");
    /* a long text: at most 3 text rows under 30 lines, then the marker; a
     * paragraph break starts a new row */
    ui_lesson_pin(&u, "demo", 1, 1, "long",
                  "first paragraph\n"
                  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
                  "omicron pi rho sigma tau upsilon phi chi psi omega alpha beta gamma delta "
                  "epsilon zeta eta theta iota kappa lambda mu",
                  "n", "p", "L");
    ui_frame(&u, &scr);
    assert_int_equal(u.geom.lesson_h, 4);
    assert_int_equal(u.geom.diag_h, 2);
    assert_string_equal(row_text(&scr, 1),
                        " 1/1 demo: long                                           p:back n:next "
                        "L:leave");
    assert_string_equal(row_text(&scr, 2), " first paragraph");
    assert_string_equal(
        row_text(&scr, 3),
        " alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi");
    assert_string_equal(
        row_text(&scr, 4),
        " omicron pi rho sigma tau upsilon phi chi psi omega alpha beta gam\xe2\x80\xa6 "
        "\xe2\x96\xbc 1 more: c");
    /* the smallest screen keeps 8 rows for the panes */
    assert_true(ui_screen_resize(&scr, 60, 16));
    ui_frame(&u, &scr);
    assert_int_equal(u.geom.diag_h, 2); /* no diagnostics: the pane is 2 rows */
    assert_int_equal(u.geom.lesson_h, 4);
    assert_int_equal(u.geom.main_h, 8);
    ui_lesson_leave(&u);
    assert_true(ui_screen_resize(&scr, 80, 24));
    ui_frame(&u, &scr);
    assert_int_equal(u.geom.lesson_h, 0);
    assert_int_equal(u.geom.list_y, 1);
    assert_int_equal(u.geom.main_h, body);
    close_sample();
}

static void test_help_from_keymap(void **state) {
    (void)state;
    open_sample();
    ui_help_line_t lines[128];
    int n = ui_help_lines(&u, lines, 128);
    bool quit = false, device = false;
    for (int i = 0; i < n; i++) {
        if (lines[i].keys && !strcmp(lines[i].keys, "q")) quit = true;
        if (lines[i].keys && !strncmp(lines[i].keys, ":device", 7)) device = true;
    }
    assert_true(quit && device);
    ui_key(&u, '?');
    ui_frame(&u, &scr);
    assert_true(screen_has(&scr, "Help: keys and commands"));
    ui_key(&u, UI_KEY_ESC);
    assert_int_equal(u.mode, UI_MODE_NORMAL);
    ui_command(&u, "nosuch");
    assert_true(u.msg_error);
    assert_string_equal(u.msg, "unknown command ':nosuch' (? lists the commands)");
    /* did-you-mean by the one rule the command line and the hints use */
    ui_command(&u, "exprot json");
    assert_string_equal(u.msg,
                        "unknown command ':exprot' (did you mean ':export'? ? lists the commands)");
    ui_command(&u, "THEME");
    assert_string_equal(u.msg,
                        "unknown command ':THEME' (did you mean ':theme'? ? lists the commands)");
    close_sample();
}

static void test_hint_diff_footer_complete(void **state) {
    (void)state;
    cJSON *mine = cJSON_Parse("{\"A\": {\"memory\": \"L1\", \"nd_shard\": {\"grid\": [2, 4]}},"
                              " \"B\": {\"memory\": \"L1\"}}");
    cJSON *theirs = cJSON_Parse("{\"A\": {\"memory\": \"L1\", \"nd_shard\": {\"grid\": [2, 2]}},"
                                " \"C\": {\"layout\": \"sharded\"}}");
    char lines[8][160];
    assert_int_equal(ui_ask_hint_diff(mine, theirs, lines, 8), 3);
    assert_string_equal(lines[0], "A nd_shard.grid: yours [2,4], file's [2,2]");
    assert_string_equal(lines[1], "B memory: yours L1, file's (unset)");
    assert_string_equal(lines[2], "C layout: yours (unset), file's sharded");
    assert_int_equal(ui_ask_hint_diff(mine, theirs, lines, 2), 2);
    assert_string_equal(lines[1], "(+2 more)");
    assert_int_equal(ui_ask_hint_diff(mine, mine, lines, 8), 1);
    assert_string_equal(lines[0], "no hint differs (the file changed elsewhere)");
    cJSON_Delete(mine);
    cJSON_Delete(theirs);
    assert_string_equal(ui_plural(1, "shard", "shards"), "shard");
    assert_string_equal(ui_plural(0, "core", "cores"), "cores");
    assert_string_equal(ui_plural(2, "core", "cores"), "cores");

    open_sample();
    char foot[300];
    ui_footer(&u, foot, sizeof foot, 200);
    assert_string_equal(foot, "j/k:move Enter:edit /:filter Tab:pane u:undo w:save q:quit ?:help");
    ui_footer(&u, foot, sizeof foot, 20);
    assert_string_equal(foot, "j/k:move ?:help");
    u.focus = UI_PANE_MAIN;
    ui_footer(&u, foot, sizeof foot, 200);
    assert_string_equal(foot, "hjkl:core a:addresses Enter:tiles f:fix n/p:buffer e:edit Tab:pane "
                              "u:undo w:save q:quit ?:help");
    u.focus = UI_PANE_DIAGS; /* f applies the selected diagnostic's fix there */
    ui_footer(&u, foot, sizeof foot, 200);
    assert_string_equal(foot, "j/k:move f:fix n/p:buffer e:edit Tab:pane u:undo w:save q:quit "
                              "?:help");
    u.focus = UI_PANE_MAIN;
    u.view = UI_VIEW_SOLVE; /* the Solve view's own keys first */
    ui_footer(&u, foot, sizeof foot, 200);
    assert_string_equal(foot, "j/k:preview Enter:apply P:pin o:objective f:fix n/p:buffer e:edit "
                              "Tab:pane u:undo w:save q:quit ?:help");
    u.view = UI_VIEW_CORES;
    ui_key(&u, ':');
    ui_key(&u, 'e');
    ui_key(&u, 'x');
    ui_key(&u, UI_KEY_TAB);
    assert_string_equal(u.cmd, "export ");
    ui_key(&u, 's');
    ui_key(&u, UI_KEY_TAB);
    assert_string_equal(u.cmd, "export svg ");
    ui_key(&u, UI_KEY_ESC);
    ui_command(&u, "e");
    assert_string_equal(u.msg, "usage: :e FILE");
    close_sample();
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ttlx-test-ui-XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_text),
        cmocka_unit_test(test_lesson_panel),
        cmocka_unit_test(test_theme_sandbox),
        cmocka_unit_test(test_mouse_runs_key_code),
        cmocka_unit_test(test_edit_undo_diff),
        cmocka_unit_test(test_apply_hints_undo),
        cmocka_unit_test(test_ta_wrap_utf8),
        cmocka_unit_test(test_save_atomic),
        cmocka_unit_test(test_big_tiles_and_small_screen),
        cmocka_unit_test(test_help_from_keymap),
        cmocka_unit_test(test_hint_diff_footer_complete),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) rc = rc ? rc : 0;
    return rc;
}
