/*
 * ui_hooks.h - where the explorer calls into optional layers: the Lua
 * engine (app/lua_api.h, branch `lua`) and the exporters (app/export.h,
 * branch `tvmscript`). ui_hooks.c compiles the calls when those headers are
 * present and otherwise answers "not available in this build".
 */
#ifndef TTLX_UI_HOOKS_H
#define TTLX_UI_HOOKS_H

#include "ui.h"

/* Starts the optional layers after the module is open: the Lua engine
 * (init.lua, then script when not NULL). Messages go to the status line. */
void ui_hooks_start(ui_t *u, const char *script, bool trust);
/* Stops them and frees their state (u->ext). */
void ui_hooks_stop(ui_t *u);
/* True when this build has the Lua layer. */
bool ui_hooks_have_lua(void);

/* `:lua CODE`: runs a line of Lua. */
void ui_hook_lua(ui_t *u, const char *code);
/* `:source FILE`: runs a Lua file (and watches it). */
void ui_hook_source(ui_t *u, const char *path);
/* `:export FMT [FILE]` and the `x` key (arg ""): writes an export. */
void ui_hook_export(ui_t *u, const char *arg);
/* Writes the module back as TVMScript to target (the loaded text with new
 * T.func_attr dicts), atomically: 1 done, 0 failed (err filled), -1 when
 * this build has no TVMScript exporter. */
int ui_hook_save_tvmscript(ui_t *u, const char *target, char *err, size_t errsize);
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
