/*
 * ui_hooks.h - the Lua engine (lua_api.h) as the explorer's optional layer
 * (ui_layer_t in state.h): started and stopped by the command line; the
 * explorer reaches it only through u->layer.
 */
#ifndef TTLX_UI_HOOKS_H
#define TTLX_UI_HOOKS_H

#include "ui/state.h"

/* Starts the Lua engine after the module is open (init.lua, then script
 * when not NULL) and sets u->layer. Messages go to the status line. The
 * nallowed paths of the command line (NULL entries skipped) are the files
 * scripts may use besides the loaded one (lua_engine_allow_path). */
void ui_hooks_start(ui_t *u, const char *script, bool trust, const char *const *allowed,
                    size_t nallowed);
/* Stops it and frees its state (u->ext); u->layer becomes NULL. */
void ui_hooks_stop(ui_t *u);

#endif
