/*
 * ui_ask.h - never losing an edit: the questions the explorer asks before
 * anything could replace unsaved hints or overwrite someone else's write.
 * A file changed on disk under unsaved edits asks "[k]eep mine, [t]ake the
 * file's, [d]iff"; a save over a file changed since it was loaded asks
 * "overwrite? [y/N]"; `:e` with unsaved edits asks "[w]rite, [d]iscard,
 * [c]ancel". Taking the file's hints is one undo step. (A save asks its
 * question from ui_edit.c through ui_ask_begin; the answer comes here.)
 */
#ifndef TTLX_UI_ASK_H
#define TTLX_UI_ASK_H

#include "ui/state.h"

/* Checks the watched file (at most every UI_POLL_MS of now_ms): when it
 * changed, reloads and reruns, or asks first over unsaved edits. Returns
 * true when the screen needs redrawing. */
bool ui_poll_file(ui_t *u, int64_t now_ms);
/* The watched file changed and reads as mod (ownership moves in): without
 * unsaved edits it is installed at once (one undo step), with them the
 * explorer asks first. */
void ui_ask_disk_changed(ui_t *u, ttlx_module_t *mod);
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
