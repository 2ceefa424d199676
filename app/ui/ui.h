/*
 * ui.h - the explorer as the rest of the program sees it (`ttlx` and
 * `ttlx render`, the ncurses backend, the benchmark, the tests): its state
 * (state.h), keys and mouse (input.h), frames (frame.h), hint editing
 * (ui_edit.h) and views (view.h). Files inside the explorer include only
 * the headers they need, never this one.
 */
#ifndef TTLX_UI_H
#define TTLX_UI_H

#include "ui/frame.h"
#include "ui/input.h"
#include "ui/state.h"
#include "ui/ui_edit.h"
#include "ui/view.h"

#endif
