/*
 * ui_lesson.h - the lesson step pinned at the top of the explorer (title,
 * keys, text) while the views below show what it talks about. The Lua
 * layer pins a step (ttlx.lesson); ui_layout gives the panel its rows and
 * the panes below shrink.
 */
#ifndef TTLX_UI_LESSON_H
#define TTLX_UI_LESSON_H

#include "ui/state.h"

/* Pins a step (copied; strings cut to the room in ui_t). */
void ui_lesson_pin(ui_t *u, const char *title, int step, int steps, const char *step_title,
                   const char *text, const char *next_key, const char *prev_key,
                   const char *leave_key);
/* Unpins: the views get the rows back. */
void ui_lesson_leave(ui_t *u);
/* Rows the panel takes on a w x h screen whose diagnostics pane has diag_h
 * rows: its title row and the text wrapped to w - 2 columns, at most 4 rows
 * under 30 lines (6 under 40, else 9), and always leaving the panes below
 * 8 rows; 0 when no lesson is pinned. */
int ui_lesson_rows(const ui_t *u, int w, int h, int diag_h);
/* Draws the panel in its rows (u->geom.lesson_y, lesson_h): a text that
 * does not fit ends in a "N more" marker (c shows it all in the console). */
void ui_lesson_draw(const ui_t *u, ui_screen_t *s);

#endif
