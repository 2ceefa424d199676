/*
 * ui_ask.h - never losing an edit: the questions the explorer asks before
 * anything could replace unsaved hints or overwrite someone else's write.
 * A file changed on disk under unsaved edits asks "[k]eep mine, [t]ake the
 * file's, [d]iff"; a save over a file changed since it was loaded asks
 * "overwrite? [y/N]"; `:e` with unsaved edits asks "[w]rite, [d]iscard,
 * [c]ancel". Taking the file's hints is one undo step.
 */
#ifndef TTLX_UI_ASK_H
#define TTLX_UI_ASK_H

#include "ui/state.h"

/* The watched file changed and reads as mod (ownership moves in): without
 * unsaved edits it is installed at once (one undo step), with them the
 * explorer asks first. */
void ui_ask_disk_changed(ui_t *u, ttlx_module_t *mod);
/* Asks before a save to target (the opened file) that someone else wrote
 * since it was loaded; quit: quit once the save is done. */
void ui_ask_overwrite(ui_t *u, const char *target, bool quit);
/* `:e FILE` / `:open FILE`: opens path, asking first over unsaved edits. */
void ui_ask_open(ui_t *u, const char *path);
/* A key while one of the questions is up (the UI_MODE_ASK_* modes). */
void ui_ask_key(ui_t *u, int key);
/* The question of the current mode for the status line ("" when none). */
const char *ui_ask_prompt(const ui_t *u, char *buf, size_t n);
/* Fills lines with the hint-by-hint difference of two tt.user_layout
 * objects ("B memory: yours L1, file's DRAM"); returns the count (at most
 * cap, the last line then says how many more). */
int ui_ask_hint_diff(const cJSON *mine, const cJSON *theirs, char (*lines)[160], int cap);

#endif
