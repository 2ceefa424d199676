/*
 * ui_edit.h - changing the hints: the hint editor's fields, undo/redo of
 * hint edits as whole tt.user_layout snapshots, saving the module back to
 * its file atomically, and exports next to it.
 */
#ifndef TTLX_UI_EDIT_H
#define TTLX_UI_EDIT_H

#include "ui/state.h"

int ui_edit_field_count(void);
/* The schema key of field i (ttlx_hint.h); NULL out of range. */
const ttlx_hint_key_t *ui_edit_field_key(int i);
/* Field label ("memory", "nd_shard.grid"). */
const char *ui_edit_field_name(int i);
/* The field's value in the selected buffer's hint as text ("" when unset). */
void ui_edit_field_value(const ui_t *u, int i, char *out, size_t n);
/* Sets field i of the selected buffer's hint from text ("" removes it) and
 * reruns; push_undo records an undo step first. */
bool ui_edit_set_text(ui_t *u, int i, const char *text, bool push_undo);
/* Cycles field i through its choices (dir +1/-1), pushing an undo step. */
void ui_edit_cycle(ui_t *u, int i, int dir);
/* Field index by name ("memory", "grid", "nd_shard.grid"), -1 unknown. */
int ui_edit_field_find(const char *name);
/* Key handling in the editor overlay. */
void ui_edit_key(ui_t *u, int key);
/* Opens the editor on the selected buffer's first field; the change diff is
 * measured from the layout at this moment until the editor closes. */
void ui_edit_open(ui_t *u);
/* Closes the editor: forgets the start layout and clears the status
 * message. */
void ui_edit_close(ui_t *u);

/* Records the current hints as one undo step (clears redo). */
void ui_undo_push(ui_t *u);
/* Records `before` (tt.user_layout before an edit made elsewhere, e.g. by
 * a script; ownership moves in) as one undo step and reruns. */
void ui_hints_edited(ui_t *u, cJSON *before);
/* Undo / redo of hint edits. */
bool ui_undo(ui_t *u);
bool ui_redo(ui_t *u);

/* Saves the module with its hints (atomically) to path, or to the opened
 * file when path is NULL. Sets the status message; returns success. When
 * the opened file was written by someone else since it was loaded, nothing
 * is written: the user is asked "overwrite? [y/N]" (ui_ask.h). */
bool ui_save(ui_t *u, const char *path);
/* ui_save, then quit (also after a "y" to that question). */
bool ui_save_quit(ui_t *u, const char *path);
/* ui_save without the question: the user said overwrite. */
bool ui_save_over(ui_t *u, const char *path);
/* `:export FMT [FILE]` and the `x` key (arg ""): writes an export next to
 * the file (never over it). */
void ui_export(ui_t *u, const char *arg);

#endif
