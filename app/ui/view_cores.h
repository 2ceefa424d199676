/*
 * view_cores.h - what the key map asks of the Cores view beyond its ops
 * table: the cursor core's L1 address map in the whole pane.
 */
#ifndef TTLX_UI_VIEW_CORES_H
#define TTLX_UI_VIEW_CORES_H

#include "ui/state.h"

/* Key a: shows the Cores view with the cursor core's L1 address map
 * filling the pane, or, when it shows already, toggles between the map
 * and the core grid. */
void ui_cores_addresses(ui_t *u);

#endif
