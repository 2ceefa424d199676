/*
 * ui_hooks.h - where the explorer calls into optional layers: the Lua
 * console (app/lua_api.h, branch `lua`) and the exporters (app/export.h,
 * branch `tvmscript`). Each hook answers "not available in this build"
 * until its layer is merged and wired in ui_hooks.c.
 */
#ifndef TTLX_UI_HOOKS_H
#define TTLX_UI_HOOKS_H

#include "ui.h"

/* `:lua CODE`: runs a line of Lua. */
void ui_hook_lua(ui_t *u, const char *code);
/* `:source FILE`: runs a Lua file. */
void ui_hook_source(ui_t *u, const char *path);
/* `:export FMT [FILE]` and the `x` key (arg ""): writes an export. */
void ui_hook_export(ui_t *u, const char *arg);
/* A key the key map does not bind (Lua `ttlx.bind`); true when handled. */
bool ui_hook_key(ui_t *u, int key);
/* A ':' command the table does not know (Lua `ttlx.command`). */
bool ui_hook_command(ui_t *u, const char *name, const char *arg);

#endif
