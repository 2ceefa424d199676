/*
 * ui_term.h - the ncurses backend of the explorer: terminal set-up and
 * restore, colour depth detection (truecolor, 256, 16, monochrome;
 * NO_COLOR), flushing a composed cell grid once per frame, and the input
 * loop (keys, mouse, resize, file watching with a 100 ms input timeout).
 */
#ifndef TTLX_UI_TERM_H
#define TTLX_UI_TERM_H

#include "ui/ui.h"

/* Runs the explorer on the terminal until the user quits. theme is a theme
 * name or NULL ($TTLX_THEME, else "default"). Returns the exit status;
 * the terminal is restored on every path. */
int ui_term_run(ui_t *u, const char *theme);

/* For the current ncurses screen: picks the colour mode (sets
 * u->color_mode) and builds colour pairs from u->theme. */
void ui_term_apply_theme(ui_t *u);
/* Copies a composed frame to the current ncurses screen (no refresh):
 * only the cells that differ from the previous flush. */
void ui_term_flush(const ui_screen_t *s);
/* Forgets the previous flush: the next one copies every cell. */
void ui_term_invalidate(void);

#endif
