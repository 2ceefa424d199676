/*
 * view_solve.c - the Solve view: the layout solver (ttlx_solve.h) run on
 * the function and device on screen, its alternatives as a table (rank,
 * Pareto mark, errors, L1 bytes, work cores, reshards, padding, worst-core
 * free) and what each changes per buffer. The cursor previews an
 * alternative in every view (ui_preview_show), Enter applies it as one
 * undo step, P pins the selected buffer (passed as keep), o switches the
 * objective. A long solve shows its progress and stops on Esc through the
 * backend's u->progress.
 */
#include "ui/view_solve.h"
#include "ttlx_solve.h"
#include "ui/draw.h"
#include "ui/ui_apply.h"
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ui_solve {
    bool *pinned; /* per buffer of the function on screen */
    size_t npinned;
    ttlx_solve_objective_t obj;
    ttlx_solution_t *sol;
    bool solved;              /* a solve ran (or failed) for res_gen `gen` */
    unsigned gen;             /* u->res_gen it ran for */
    char err[480];            /* as ttlx_error_t.what */
    ttlx_solve_metrics_t now; /* the current hints' figures */
    int64_t t0_ms;            /* the solve's start, for its progress */
};

/* Evaluations between two progress reports of the core. */
#define SOLVE_PROGRESS_EVERY 4096
/* A solve shows its progress once it has run this long. */
#define SOLVE_PROGRESS_AFTER_MS 40

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct ui_solve *state(ui_t *u) {
    if (!u->solve) u->solve = calloc(1, sizeof *u->solve);
    return u->solve;
}

void ui_solve_free(ui_t *u) {
    if (!u->solve) return;
    ttlx_solution_free(u->solve->sol);
    free(u->solve->pinned);
    free(u->solve);
    u->solve = NULL;
}

void ui_solve_reset(ui_t *u) {
    struct ui_solve *S = u->solve;
    if (!S) return;
    ttlx_solution_free(S->sol);
    S->sol = NULL;
    free(S->pinned);
    S->pinned = NULL;
    S->npinned = 0;
    S->solved = false;
}

bool ui_solve_pinned(const ui_t *u, int i) {
    const struct ui_solve *S = u->solve;
    return S && i >= 0 && (size_t)i < S->npinned && S->pinned[i];
}

/* The cursor's row: 0 the current hints ("now"), k alternative k, the one
 * previewed (u->preview is the one place that says which). */
static int cursor_row(const ui_t *u) {
    return u->preview + 1;
}

void ui_solve_pin_toggle(ui_t *u) {
    struct ui_solve *S = state(u);
    if (!S || !u->func || u->sel < 0) return;
    size_t nb = ttlx_func_buffer_count(u->func);
    if (S->npinned != nb) {
        bool *p = calloc(nb ? nb : 1, sizeof *p);
        if (!p) {
            ui_message(u, true, "out of memory");
            return;
        }
        free(S->pinned);
        S->pinned = p;
        S->npinned = nb;
    }
    bool on = S->pinned[u->sel] = !S->pinned[u->sel];
    ui_preview_end(u);
    S->solved = false; /* solved again with the new pins */
    const char *name = ttlx_func_buffer(u->func, (size_t)u->sel)->name;
    if (on)
        ui_message(u, false, "%s pinned: the solver keeps its hint (P frees it)", name);
    else
        ui_message(u, false, "%s freed: the solver may change its layout", name);
}

/* The core's progress report: shown by the backend once the solve takes
 * longer than a frame; false (Esc) cancels. */
static bool on_progress(void *ud, uint64_t evaluated) {
    ui_t *u = ud;
    int64_t ms = mono_ms() - u->solve->t0_ms;
    if (!u->progress || ms < SOLVE_PROGRESS_AFTER_MS) return true;
    char what[160];
    snprintf(what, sizeof what, " solving: %llu layouts evaluated in %.1f s (Esc cancels)",
             (unsigned long long)evaluated, (double)ms / 1000.0);
    return u->progress(u, what);
}

static void solve_now(ui_t *u, struct ui_solve *S) {
    ui_preview_end(u);
    ttlx_solution_free(S->sol);
    S->sol = NULL;
    S->err[0] = '\0';
    S->solved = true;
    S->gen = u->res_gen;
    size_t nb = ttlx_func_buffer_count(u->func);
    const char **keep = calloc(nb ? nb : 1, sizeof *keep);
    if (!keep) {
        snprintf(S->err, sizeof S->err, "out of memory");
        return;
    }
    size_t nkeep = 0;
    for (size_t i = 0; i < nb && i < S->npinned; i++)
        if (S->pinned[i]) keep[nkeep++] = ttlx_func_buffer(u->func, i)->name;
    ttlx_solve_opts_t o = {0};
    o.objective = S->obj;
    o.keep = keep;
    o.nkeep = nkeep;
    o.progress = on_progress;
    o.progress_ud = u;
    o.progress_every = SOLVE_PROGRESS_EVERY;
    S->t0_ms = mono_ms();
    ttlx_error_t err = {0};
    S->sol = ttlx_solve(u->func, &u->dev, &o, &err);
    free(keep);
    if (!S->sol) {
        snprintf(S->err, sizeof S->err, "%s", err.what[0] ? err.what : "out of memory");
        ui_message(u, true, "solve: %s (r solves again)", S->err);
    }
    ttlx_solve_measure(u->res, &S->now);
}

/* Every layout: a Solve view on screen with a stale solution solves. */
static void solve_layout(ui_t *u) {
    if (u->view != UI_VIEW_SOLVE || !u->func || !u->res || u->infer_failed) return;
    struct ui_solve *S = state(u);
    if (S && (!S->solved || S->gen != u->res_gen)) solve_now(u, S);
}

static int alt_count(const struct ui_solve *S) {
    return S && S->sol ? (int)ttlx_solution_count(S->sol) : 0;
}

/* One row of the table. */
static void metrics_row(ui_textarea_t *t, int style, bool cur, const char *rank, uint32_t mark,
                        const ttlx_solve_metrics_t *m) {
    char l1[16], pad[16], fr[16], mk[5];
    mk[ttlx_utf8_encode(mark, mk)] = '\0';
    ui_ta_printf(t, style, "%c%3s %s %3lld %8s %5lld %3lld %8s %8s", cur ? '>' : ' ', rank, mk,
                 (long long)m->errors, ui_fmt_bytes(m->l1_bytes, l1, sizeof l1),
                 (long long)m->work_cores, (long long)m->reshards,
                 ui_fmt_bytes(m->padding_bytes, pad, sizeof pad),
                 m->worst_core_free < 0 ? "over" : ui_fmt_bytes(m->worst_core_free, fr, sizeof fr));
}

static void draw_solve(ui_t *u, ui_screen_t *s) {
    const ui_geom_t *g = &u->geom;
    struct ui_solve *S = u->solve;
    ui_textarea_t t = {s, g->main_x + 1, g->main_y + 1, g->main_w - 1, g->main_h - 1, 0, 0};
    if (!S || !S->solved) {
        ui_ta_printf(&t, UI_STYLE_DIM, "no solution yet");
        return;
    }
    char pins[200] = "";
    size_t np = 0, at = 0;
    for (size_t i = 0; i < S->npinned && u->func; i++)
        if (S->pinned[i] && at < sizeof pins)
            at += (size_t)snprintf(pins + at, sizeof pins - at, "%s%s", np++ ? "," : "",
                                   ttlx_func_buffer(u->func, i)->name);
    if (!S->sol) {
        ui_ta_printf(&t, UI_STYLE_DIAG_ERROR, "%s", S->err);
        ui_ta_printf(&t, UI_STYLE_NORMAL, "r solves again, o switches the objective");
        return;
    }
    int n = alt_count(S), cur_row = cursor_row(u);
    /* rows: summary, header, now, then each alternative and its changes;
     * scrolled so that the cursor's alternative and its changes show */
    int first = 2, last = 2, total = 3;
    for (int a = 0; a < n; a++) {
        int nc = (int)ttlx_solution_change_count(S->sol, (size_t)a);
        if (cur_row == a + 1) first = total, last = total + (nc ? nc : 1);
        total += 1 + (nc ? nc : 1);
    }
    int want = last + (last + 1 < total ? 1 : 0); /* and the "more" marker */
    if (want >= t.h) t.scroll = want - t.h + 1;
    if (t.scroll > first) t.scroll = first;
    ui_ta_printf(
        &t, UI_STYLE_TITLE, "objective %s | %s | %llu evaluated | %s%s",
        ttlx_solve_objective_name(S->obj), ttlx_solution_exact(S->sol) ? "optimal" : "best found",
        (unsigned long long)ttlx_solution_evaluated(S->sol), np ? "pinned " : "no pins", pins);
    ui_ta_printf(&t, UI_STYLE_DIM, "%c%3s %s %3s %8s %5s %3s %8s %8s", ' ', "#", " ", "err", "L1",
                 "cores", "rsh", "padding", "free");
    metrics_row(&t, cur_row == 0 ? UI_STYLE_SELECTED : UI_STYLE_DIM, cur_row == 0, "now", ' ',
                &S->now);
    for (int a = 0; a < n; a++) {
        char rank[16];
        snprintf(rank, sizeof rank, "%d", a + 1);
        const ttlx_solve_metrics_t *m = ttlx_solution_metrics(S->sol, (size_t)a);
        bool cur = cur_row == a + 1;
        int st = cur ? UI_STYLE_SELECTED : m->errors ? UI_STYLE_DIAG_ERROR : UI_STYLE_NORMAL;
        metrics_row(&t, st, cur, rank,
                    ttlx_solution_pareto(S->sol, (size_t)a) ? ui_glyph(s, UI_G_PARETO) : ' ', m);
        size_t nc = ttlx_solution_change_count(S->sol, (size_t)a);
        for (size_t j = 0; j < nc; j++)
            ui_ta_printf(&t, cur ? UI_STYLE_NORMAL : UI_STYLE_DIM, "    %s",
                         ttlx_solution_change(S->sol, (size_t)a, j));
        if (!nc) ui_ta_printf(&t, UI_STYLE_DIM, "    no change: your hints");
    }
    if (!n) ui_ta_printf(&t, UI_STYLE_DIM, "  no alternative");
    ui_ta_more(&t);
}

static void set_cursor(ui_t *u, int row) {
    struct ui_solve *S = u->solve;
    if (!S || !S->sol) return;
    int n = alt_count(S);
    if (row < 0) row = 0;
    if (row > n) row = n;
    if (row == cursor_row(u)) return;
    if (row == 0)
        ui_preview_end(u);
    else /* on failure the preview is ended: the cursor is back on "now" */
        ui_preview_show(u, ttlx_solution_hints(S->sol, (size_t)row - 1), row - 1);
}

static void solve_move(ui_t *u, int dx, int dy) {
    (void)dx;
    set_cursor(u, cursor_row(u) + dy);
}

static void solve_page(ui_t *u, int dir) {
    solve_move(u, 0, dir * 5);
}

static void solve_jump(ui_t *u, bool home) {
    set_cursor(u, home ? 0 : 1 << 20);
}

static void solve_enter(ui_t *u) {
    struct ui_solve *S = u->solve;
    if (!S || !S->sol) {
        ui_message(u, false, "no alternatives: r solves again");
        return;
    }
    if (cursor_row(u) == 0) {
        ui_message(u, false, "these are your hints: j/k moves to an alternative, Enter applies it");
        return;
    }
    size_t a = (size_t)cursor_row(u) - 1;
    char what[400];
    size_t at = 0, nc = ttlx_solution_change_count(S->sol, a);
    what[0] = '\0';
    for (size_t j = 0; j < nc && at < sizeof what; j++)
        at += (size_t)snprintf(what + at, sizeof what - at, "%s%s", j ? "; " : "",
                               ttlx_solution_change(S->sol, a, j));
    char desc[360]; /* "" when the hints did not change: then there is no undo step */
    ui_preview_end(u);
    if (!ui_apply_hints(u, ttlx_solution_hints(S->sol, a), desc, sizeof desc)) {
        ui_message(u, true, "alternative %zu: out of memory, hints unchanged", a + 1);
        return;
    }
    ui_message(u, false, "alternative %zu applied: %s%s", a + 1, nc ? what : "no layout changed",
               desc[0] ? " (u undoes)" : "");
}

static bool solve_key(ui_t *u, int key) {
    struct ui_solve *S = state(u);
    if (!S) return false;
    if (key == 'o') {
        S->obj = (ttlx_solve_objective_t)((S->obj + 1) % 3);
        S->solved = false;
        ui_preview_end(u);
        static const char *const why[] = {"most L1-resident bytes first", "most work cores first",
                                          "most free L1 on the worst core first"};
        ui_message(u, false, "objective %s: %s", ttlx_solve_objective_name(S->obj), why[S->obj]);
        return true;
    }
    if (key == 'r') {
        S->solved = false;
        ui_preview_end(u);
        return true;
    }
    return false;
}

static const ui_help_line_t solve_help[] = {
    {"j/k Up/Down", "preview an alternative in every view (the status line says so)"},
    {"Enter", "apply the alternative as one undo step (u undoes)"},
    {"Esc", "end the preview: your hints are shown again"},
    {"P", "pin or free the selected buffer: the solver keeps a pinned buffer's hint"},
    {"o", "objective: l1, then cores, then headroom"},
    {"r", "solve again (after a cancelled solve)"},
};

const ui_view_ops_t ui_view_solve = {
    .name = "solve",
    .title = "Solve",
    .key = '6',
    .help = "Solve view: ranked layouts from the solver, preview and apply",
    .keys = "j/k:preview Enter:apply P:pin o:objective",
    .takes_focus = true,
    .draw = draw_solve,
    .move = solve_move,
    .page = solve_page,
    .jump = solve_jump,
    .enter = solve_enter,
    .layout = solve_layout,
    .on_key = solve_key,
    .help_title = "Solve view (6)",
    .help_keys = solve_help,
    .nhelp_keys = (int)(sizeof solve_help / sizeof solve_help[0]),
};
