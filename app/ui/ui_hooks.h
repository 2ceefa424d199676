/*
 * ui_hooks.h - where the explorer calls into the Lua engine (lua_api.h)
 * and the exporters (export.h), kept apart from the UI's own state and
 * drawing.
 */
#ifndef TTLX_UI_HOOKS_H
#define TTLX_UI_HOOKS_H

#include "ui/ui.h"

/* Starts the Lua engine after the module is open (init.lua, then script
 * when not NULL). Messages go to the status line. */
void ui_hooks_start(ui_t *u, const char *script, bool trust);
/* Stops them and frees their state (u->ext). */
void ui_hooks_stop(ui_t *u);

/* `:lua CODE`: runs a line of Lua. */
void ui_hook_lua(ui_t *u, const char *code);
/* `:source FILE`: runs a Lua file (and watches it). */
void ui_hook_source(ui_t *u, const char *path);
/* `:export FMT [FILE]` and the `x` key (arg ""): writes an export. */
void ui_hook_export(ui_t *u, const char *arg);
/* Writes the module back as TVMScript to target (the loaded text with new
 * T.func_attr dicts), atomically; false with err filled on failure. */
bool ui_hook_save_tvmscript(ui_t *u, const char *target, char *err, size_t errsize);
/* A key the key map does not bind (Lua `ttlx.bind`); true when handled. */
bool ui_hook_key(ui_t *u, int key);
/* A ':' command the table does not know (Lua `ttlx.command`). */
bool ui_hook_command(ui_t *u, const char *name, const char *arg);
/* Help lines for keys and commands that scripts registered; returns how
 * many were written (<= cap). */
int ui_hook_help(const ui_t *u, ui_help_line_t *out, int cap);
/* A new module was loaded or reloaded (Lua "load" event). */
void ui_hook_loaded(ui_t *u);
/* Inference was rerun and u->res is new (Lua "infer" event). */
void ui_hook_inferred(ui_t *u);
/* Reruns watched Lua files that changed; true when the screen changed. */
bool ui_hook_poll(ui_t *u);

#endif
