/*
 * view_solve.h - what the rest of the explorer asks of the Solve view
 * (view_solve.c): its pinned buffers (the list marks them, P toggles one),
 * ending a preview, and the state's lifetime.
 */
#ifndef TTLX_UI_VIEW_SOLVE_H
#define TTLX_UI_VIEW_SOLVE_H

#include "ui/state.h"

/* True when buffer i is pinned: the solver keeps its hint. */
bool ui_solve_pinned(const ui_t *u, int i);
/* P: pins or frees the selected buffer; the solve runs again. */
void ui_solve_pin_toggle(ui_t *u);
/* ui_solve_reset and ui_solve_free are declared in state.h (state.c
 * calls them). */

#endif
