/*
 * input.h - what the user does to the explorer: the key map and its
 * actions, the ':' command table (input.c), and mouse clicks and wheel
 * steps (mouse.c: mapped through the clickable regions the last frame
 * recorded).
 */
#ifndef TTLX_UI_INPUT_H
#define TTLX_UI_INPUT_H

#include "ui/state.h"

/* Handles one key (UI_KEY_* or a codepoint). */
void ui_key(ui_t *u, int key);
/* Mouse: a click or a wheel step (dir -1 up, +1 down) at a screen cell. */
void ui_click(ui_t *u, int x, int y);
void ui_wheel(ui_t *u, int x, int y, int dir);
/* Runs a ':' command line (without the colon). */
void ui_command(ui_t *u, const char *line);
/* The footer: the keys that work in the focused pane ("Tab:pane u:undo"),
 * the view's own first when the main pane has the focus, as many as fit in
 * width columns. From the key map and the views' ops; returns the width. */
int ui_footer(const ui_t *u, char *buf, size_t n, int width);
/* The i-th ':' command's name, NULL past the end. */
const char *ui_command_name(size_t i);
/* Fills up to cap lines of help (section titles have keys == NULL);
 * returns the count. Generated from the key map, the views and the
 * command table, then what the layer (scripts) added. */
int ui_help_lines(const ui_t *u, ui_help_line_t *out, int cap);

#endif
