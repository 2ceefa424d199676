/*
 * ui_apply.c - applying computed hints as one undo step: a diagnostic's
 * fix (the `f` key) and, through ui_apply_hints, a solver alternative. The
 * change is described with the core's one describer (ttlx_fix_describe).
 */
#include "ui/ui_apply.h"
#include "ttlx_fix.h"
#include "ui/ui_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ui_apply_hints(ui_t *u, const cJSON *map, char *desc, size_t n) {
    if (n) desc[0] = '\0';
    if (!u->func || !cJSON_IsObject(map)) return false;
    size_t nb = ttlx_func_buffer_count(u->func);
    /* the canonical hints before, per buffer the map names */
    cJSON **before = calloc(nb ? nb : 1, sizeof *before);
    cJSON *snapshot = ttlx_func_hints_copy(u->func);
    if (!before || !snapshot) {
        free(before);
        cJSON_Delete(snapshot);
        ui_message(u, true, "out of memory");
        return false;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, map) {
        int bi = e->string ? ttlx_func_find_buffer(u->func, e->string) : -1;
        if (bi >= 0 && !before[bi]) before[bi] = ttlx_fix_canonical_hint(u->func, (size_t)bi);
    }
    bool ok = true;
    cJSON_ArrayForEach(e, map) {
        if (!e->string || ttlx_func_find_buffer(u->func, e->string) < 0) continue;
        cJSON *dup = cJSON_Duplicate(e, true);
        ok = dup && ttlx_func_set_hint(u->func, e->string, dup) && ok;
    }
    size_t at = 0;
    for (size_t i = 0; i < nb; i++) {
        if (!before[i]) continue;
        cJSON *after = ttlx_fix_canonical_hint(u->func, i);
        char what[600];
        ttlx_fix_describe(before[i], after, true, what, sizeof what);
        if (what[0] && at < n)
            at += (size_t)snprintf(desc + at, n - at, "%s%s %s", at ? "; " : "",
                                   ttlx_func_buffer(u->func, i)->name, what);
        cJSON_Delete(after);
        cJSON_Delete(before[i]);
    }
    free(before);
    if (!ok) { /* a hint could not be set: all of them go back as they were */
        ttlx_func_set_hints(u->func, snapshot);
        if (n) desc[0] = '\0';
        return false;
    }
    cJSON *now = ttlx_func_hints_copy(u->func);
    bool same = now && cJSON_Compare(now, snapshot, true);
    cJSON_Delete(now);
    if (same)
        cJSON_Delete(snapshot); /* nothing changed: no undo step, no rerun */
    else
        ui_hints_edited(u, snapshot); /* one undo step, then the rerun */
    return true;
}

/* Rank of a severity for "errors first". */
static int sev_rank(ttlx_severity_t s) {
    return s == TTLX_SEV_ERROR ? 0 : s == TTLX_SEV_WARNING ? 1 : 2;
}

void ui_apply_fix(ui_t *u) {
    size_t nd = u->res ? ttlx_result_diag_count(u->res) : 0;
    const ttlx_diag_t *d = NULL;
    if (u->focus == UI_PANE_DIAGS) {
        if (!nd) {
            ui_message(u, false, "no diagnostics: nothing to fix");
            return;
        }
        d = ttlx_result_diag(u->res, (size_t)(u->diag_sel < (int)nd ? u->diag_sel : 0));
    } else {
        if (u->sel < 0) return;
        const char *name = ttlx_func_buffer(u->func, (size_t)u->sel)->name;
        int any = 0;
        for (size_t i = 0; i < nd; i++) {
            const ttlx_diag_t *g = ttlx_result_diag(u->res, i);
            if (g->buffer != u->sel) continue;
            any++;
            if (g->fix_hints && (!d || sev_rank(g->severity) < sev_rank(d->severity))) d = g;
        }
        if (!d) {
            if (any)
                ui_message(u, false, "no diagnostic of %s has a fix to apply", name);
            else
                ui_message(u, false, "%s has no diagnostics: nothing to fix", name);
            return;
        }
    }
    if (!d->fix_hints) {
        ui_message(u, false, "%s on %s has no fix to apply%s", d->code,
                   d->buffer_name ? d->buffer_name : "the function",
                   d->fix ? ": its fix is advice, not a hint change" : "");
        return;
    }
    char code[16], desc[360];
    snprintf(code, sizeof code, "%s", d->code); /* d goes with the rerun */
    if (!ui_apply_hints(u, d->fix_hints, desc, sizeof desc)) {
        ui_message(u, true, "fix %s: out of memory, hints unchanged", code);
        return;
    }
    ui_message(u, false, "fix %s applied: %s", code, desc[0] ? desc : "no hint changed");
}
