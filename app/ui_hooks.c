/*
 * ui_hooks.c - optional layers behind the explorer's hook points. The Lua
 * layer and the exporters live on other branches; when their headers are
 * present after a merge, wire them here (and only here).
 */
#include "ui_hooks.h"

void ui_hook_lua(ui_t *u, const char *code) {
    (void)code;
    ui_message(u, true, ":lua is not available in this build (the Lua layer is not built in)");
}

void ui_hook_source(ui_t *u, const char *path) {
    (void)path;
    ui_message(u, true, ":source is not available in this build (the Lua layer is not built in)");
}

void ui_hook_export(ui_t *u, const char *arg) {
    (void)arg;
    ui_message(u, true, "export is not available in this build (the exporters are not built in)");
}

bool ui_hook_key(ui_t *u, int key) {
    (void)u;
    (void)key;
    return false;
}

bool ui_hook_command(ui_t *u, const char *name, const char *arg) {
    (void)u;
    (void)name;
    (void)arg;
    return false;
}
