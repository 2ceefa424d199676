/*
 * ui_apply.h - applying hints that ttlx computed (a diagnostic's fix_hints,
 * a solver alternative) to the module on screen as one undo step, and
 * saying in one line what changed: the `f` key and the Solve view's Enter.
 */
#ifndef TTLX_UI_APPLY_H
#define TTLX_UI_APPLY_H

#include "ui/state.h"

/* Replaces the hints of the buffers that map ({buffer: complete hint})
 * names, as one undo step, and reruns. desc gets what changed, buffer by
 * buffer ("A grid [1, 1] -> [4, 4]; B memory DRAM -> L1"; "" when nothing
 * did; then no undo step is made). False on allocation failure or a bad
 * map, and then the hints are as they were. */
bool ui_apply_hints(ui_t *u, const cJSON *map, char *desc, size_t n);

/* The `f` key: applies the fix of the selected diagnostic (the diagnostics
 * pane has the focus) or of the selected buffer's first fixable
 * diagnostic, errors first (other panes). The status line says what
 * changed, or why nothing did. */
void ui_apply_fix(ui_t *u);

#endif
