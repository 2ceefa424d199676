/*
 * bench_render.c - explorer speed: (1) one frame of a 4,194,304-tile
 * buffer at 200x60, composed into the off-screen cell grid and flushed to
 * an ncurses screen on /dev/null (target < 5 ms); (2) a hint edit on a
 * 1,000-buffer PrimFunc until the new frame is composed (target < 16 ms).
 * Prints the figures; a benchmark, not a test.
 */
#include "ui/ui.h"
#include "ui/ui_term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const char big_json[] =
    "{\"name\": \"big\", \"device\": \"wormhole_n150\", \"buffers\": ["
    "{\"name\": \"T\", \"shape\": [65536, 65536], \"dtype\": \"bfloat16\"},"
    "{\"name\": \"S\", \"shape\": [65536, 65536], \"dtype\": \"bfloat16\", \"role\": \"output\"}],"
    "\"attrs\": {\"tt.user_layout\": {\"S\": {\"memory\": \"L1\", \"layout\": \"sharded\","
    " \"nd_shard\": {\"axes\": [\"M\", \"N\"], \"grid\": [8, 8], \"shard_shape_elems\": [8192, "
    "8192]}}}}}";

/* A PrimFunc of n buffers, a third of them N-D sharded in L1 and a third
 * L1 interleaved, all small enough to be valid. */
static char *many_buffers_json(int n) {
    size_t cap = (size_t)n * 400 + 1024, k = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    k += (size_t)snprintf(s + k, cap - k, "{\"name\": \"many\", \"buffers\": [");
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(
            s + k, cap - k, "%s{\"name\": \"b%d\", \"shape\": [256, 512], \"dtype\": \"bfloat16\"}",
            i ? "," : "", i);
    k += (size_t)snprintf(s + k, cap - k, "], \"attrs\": {\"tt.user_layout\": {");
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (i % 3 == 0)
            k += (size_t)snprintf(
                s + k, cap - k,
                "%s\"b%d\": {\"memory\": \"L1\", \"layout\": \"sharded\", \"nd_shard\": {\"axes\": "
                "[\"M\", \"N\"], \"grid\": [2, 4], \"shard_shape_elems\": [128, 128]}}",
                first ? "" : ",", i);
        else if (i % 3 == 1)
            k += (size_t)snprintf(s + k, cap - k, "%s\"b%d\": {\"memory\": \"DRAM\"}",
                                  first ? "" : ",", i);
        else
            continue;
        first = false;
    }
    snprintf(s + k, cap - k, "}}}");
    return s;
}

typedef struct stats {
    double min, max, sum;
    int n;
} stats_t;

static void stat_add(stats_t *s, double v) {
    if (!s->n || v < s->min) s->min = v;
    if (!s->n || v > s->max) s->max = v;
    s->sum += v;
    s->n++;
}

static void report(const char *what, const stats_t *s, double target) {
    double mean = s->sum / s->n;
    printf("%-58s mean %7.3f ms  min %7.3f  max %7.3f  (target < %g ms: %s)\n", what, mean, s->min,
           s->max, target, mean < target ? "ok" : "SLOW");
}

int main(void) {
    static ui_t u;
    ui_screen_t scr = {0};
    if (!ui_screen_resize(&scr, 200, 60)) return 1;

    /* ncurses on /dev/null: a real flush without a terminal */
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *term = out && in ? newterm("xterm-256color", out, in) : NULL;
    if (term) set_term(term);

    /* (1) a 4M-tile buffer */
    ui_init(&u);
    if (!ui_open_string(&u, big_json, sizeof big_json - 1, "big.json", NULL)) return 1;
    const ttlx_layout_t *l = ttlx_result_layout(u.res, 0);
    printf("buffer T: %lld x %lld = %lld tiles; S: L1 sharded 8x8\n", (long long)l->view_rows,
           (long long)l->view_cols, (long long)(l->view_rows * l->view_cols));
    if (term) ui_term_apply_theme(&u);
    static const struct {
        ui_view_t view;
        int buffer;
        int zoom; /* -1 fit */
        const char *name;
    } cases[] = {
        {UI_VIEW_TILES, 0, -1, "Tiles, T interleaved, zoom to fit (aggregate cells)"},
        {UI_VIEW_TILES, 0, 0, "Tiles, T interleaved, zoom 1:1 (one cell per tile)"},
        {UI_VIEW_TILES, 1, -1, "Tiles, S sharded, zoom to fit"},
        {UI_VIEW_CORES, 1, -1, "Cores, S sharded (grid, heat map, breakdown)"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ui_select_buffer(&u, cases[c].buffer);
        u.view = cases[c].view;
        u.zoom_fit = cases[c].zoom < 0;
        if (cases[c].zoom >= 0) u.zoom_r = u.zoom_c = cases[c].zoom;
        ui_frame(&u, &scr); /* warm up, settle geometry */
        stats_t compose = {0}, flush = {0}, full = {0};
        for (int i = 0; i < 200; i++) {
            u.tile_row = (int64_t)i * 9973 % l->view_rows; /* move around the tensor */
            u.tile_col = (int64_t)i * 7919 % l->view_cols;
            double t0 = now_ms();
            ui_frame(&u, &scr);
            double t1 = now_ms();
            stat_add(&compose, t1 - t0);
            if (term) {
                ui_term_flush(&scr);
                wnoutrefresh(stdscr);
                doupdate();
                stat_add(&flush, now_ms() - t0);
                /* the worst case: every cell copied (first frame, resize) */
                double t2 = now_ms();
                ui_term_invalidate();
                ui_frame(&u, &scr);
                ui_term_flush(&scr);
                wnoutrefresh(stdscr);
                doupdate();
                stat_add(&full, now_ms() - t2);
            }
        }
        char what[160];
        snprintf(what, sizeof what, "frame 200x60, compose: %s", cases[c].name);
        report(what, &compose, 5.0);
        if (term) {
            snprintf(what, sizeof what, "frame 200x60, compose + ncurses flush: %s", cases[c].name);
            report(what, &flush, 5.0);
            snprintf(what, sizeof what, "frame 200x60, compose + full flush (all cells): %s",
                     cases[c].name);
            report(what, &full, 5.0);
        }
    }
    ui_free(&u);

    /* (2) a hint edit on 1,000 buffers until the new frame */
    char *many = many_buffers_json(1000);
    ui_init(&u);
    if (!many || !ui_open_string(&u, many, strlen(many), "many.json", NULL)) return 1;
    free(many);
    u.view = UI_VIEW_CORES;
    ui_select_buffer(&u, 1);
    ui_frame(&u, &scr);
    int mem = ui_edit_field_find("memory");
    stats_t edit = {0};
    for (int i = 0; i < 100; i++) {
        double t0 = now_ms();
        ui_edit_set_text(&u, mem, i % 2 ? "DRAM" : "L1", true); /* rerun inference */
        ui_frame(&u, &scr);
        if (term) {
            ui_term_flush(&scr);
            wnoutrefresh(stdscr);
            doupdate();
        }
        stat_add(&edit, now_ms() - t0);
    }
    report("hint edit -> inference -> new frame, 1,000 buffers", &edit, 16.0);
    stats_t inf = {0};
    for (int i = 0; i < 50; i++) {
        double t0 = now_ms();
        ttlx_result_t *r = ttlx_infer(u.func, &u.dev, NULL);
        stat_add(&inf, now_ms() - t0);
        ttlx_result_free(r);
    }
    report("  of which ttlx_infer alone (core), 1,000 buffers", &inf, 16.0);
    ui_free(&u);
    if (term) {
        endwin();
        delscreen(term);
    }
    if (out) fclose(out);
    if (in) fclose(in);
    ui_screen_free(&scr);
    return 0;
}
