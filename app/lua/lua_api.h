/*
 * lua_api.h - the Lua 5.4 scripting engine of ttlx (SPEC 8): one `ttlx`
 * table for the explorer and for `ttlx run`, sandboxed, with an instruction
 * budget and a memory cap.
 *
 * An engine works on "the current PrimFunc". Headless, the engine owns it
 * (lua_engine_set_module); in the explorer, the host lends it through the
 * callbacks of lua_engine_host_t, so the UI stays the owner of its state and
 * its undo history.
 *
 * Every call into Lua from this API is protected: it runs under lua_pcall
 * with a traceback handler, under the budget and the cap, and when it fails
 * the hints (and the device) are put back as they were before the call, the
 * error is kept for lua_engine_error(), and the engine stays usable.
 */
#ifndef TTLX_LUA_API_H
#define TTLX_LUA_API_H

#include "sys/file.h"
#include "ttlx_device.h"
#include "ttlx_func.h"
#include "ttlx_infer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lua_engine lua_engine_t;

/* A lesson step as ttlx.lesson pins it over the explorer's views. Strings
 * are valid during the call only. */
typedef struct lua_engine_lesson {
    const char *title;                           /* the lesson's */
    int step, steps;                             /* 1-based step of steps */
    const char *step_title;                      /* the step's */
    const char *text;                            /* the step's text ("\n" starts a paragraph) */
    const char *next_key, *prev_key, *leave_key; /* as ttlx.bind names them */
} lua_engine_lesson_t;

/* How the explorer lends its state to scripts. Every callback is optional;
 * leave `module` NULL to let the engine own the state (headless). Strings
 * passed to callbacks are only valid during the call. */
typedef struct lua_engine_host {
    void *ud;
    /* The current module (borrowed), the selected function's index and the
     * file it came from (may be NULL). NULL when nothing is loaded. */
    ttlx_module_t *(*module)(void *ud, size_t *func_index, const char **path);
    /* The current device (borrowed). */
    const ttlx_device_t *(*device)(void *ud);
    /* Switches the device; false with a message in err on failure. */
    bool (*set_device)(void *ud, const ttlx_device_t *dev, char *err, size_t errsize);
    /* Loads path as the new current module (ttlx.load). */
    bool (*load)(void *ud, const char *path, char *err, size_t errsize);
    /* Saves the current hints to path (NULL: the current file). Optional:
     * without it the engine writes the module's JSON itself, atomically. */
    bool (*save)(void *ud, const char *path, char *err, size_t errsize);
    /* A script changed the hints of the current function and finished
     * without error: `before` is tt.user_layout as it was before the call
     * (ownership moves to the host, cJSON_Delete it) and label says what ran
     * (":lua LINE", "key n", "command sweep", "script FILE", "event infer").
     * One call per top-level run, so a sweep is one undo step. The host
     * should record undo and rerun inference. Without it `before` is freed. */
    void (*hints_edited)(void *ud, cJSON *before, const char *label);
    /* Makes mod the current module (ttlx.new_func; ownership moves to the
     * host, which frees it even on failure). Optional: without it
     * ttlx.new_func fails in the explorer. */
    bool (*adopt)(void *ud, ttlx_module_t *mod, char *err, size_t errsize);
    /* Points the views at a buffer (ttlx.select; the name is checked). */
    void (*select)(void *ud, const char *buffer);
    /* The buffer the views show (NULL when none): what ttlx.cursor_tile and
     * ttlx.zoom check against until a script selects another. */
    const char *(*selected)(void *ud);
    /* ttlx.view: shows view `index` (its position in opts.view_names). */
    void (*view)(void *ud, int index);
    /* ttlx.cursor_core / ttlx.cursor_tile / ttlx.zoom, arguments checked:
     * a core of the device grid, a tile of the selected buffer's 2-D tile
     * view, tiles per cell side (a power of 2). */
    void (*cursor_core)(void *ud, int x, int y);
    void (*cursor_tile)(void *ud, int64_t row, int64_t col);
    void (*zoom)(void *ud, int64_t tiles);
    /* ttlx.lesson pins a step (NULL: the lesson was left). */
    void (*lesson)(void *ud, const struct lua_engine_lesson *step);
    /* Something visible changed (hints, device, module): redraw soon. */
    void (*redraw)(void *ud);
    /* ttlx.command or ttlx.bind changed the lists (refresh the help). */
    void (*bindings_changed)(void *ud);
} lua_engine_host_t;

/* Engine options; zero-initialise and fill what you need. */
typedef struct lua_engine_opts {
    bool trust;              /* lift the sandbox: all standard libraries */
    long budget_ms;          /* per top-level call; 0 = the default 1000 ms,
                                negative = unlimited */
    size_t memory_cap_bytes; /* 0 = the default 256 MiB */
    /* print/io.write output: text without a trailing NUL, one call per
     * print (ending in "\n"). NULL writes to stdout. */
    void (*output)(void *ud, const char *text, size_t len);
    void *output_ud;
    const lua_engine_host_t *host; /* NULL: headless, the engine owns state */
    /* The explorer's view names in the order of its view table: ttlx.view
     * accepts exactly these, headless too (the strings must outlive the
     * engine). None given: ttlx.view knows no view. */
    const char *const *view_names;
    size_t nview_names;
} lua_engine_opts_t;

#define LUA_ENGINE_DEFAULT_BUDGET_MS 1000L
#define LUA_ENGINE_DEFAULT_MEMORY_CAP ((size_t)256 << 20)

typedef enum {
    LUA_ENGINE_OK = 0,       /* ran to the end */
    LUA_ENGINE_ERROR = 1,    /* failed: see lua_engine_error(); state rolled back */
    LUA_ENGINE_NOT_FOUND = 2 /* no such command or key binding */
} lua_engine_status_t;

/* A new engine (caller frees with lua_engine_free); NULL on allocation
 * failure. opts may be NULL (sandboxed, defaults, stdout, headless). The
 * host struct is copied. */
lua_engine_t *lua_engine_new(const lua_engine_opts_t *opts);
void lua_engine_free(lua_engine_t *eng);

/* Headless state: the module to work on (ownership moves in; NULL to
 * drop), the selected function, the device (copied; NULL for the file's
 * device or the default) and the file it came from (copied; may be NULL,
 * used by ttlx.save()). Ignored when a host lends the module. */
void lua_engine_set_module(lua_engine_t *eng, ttlx_module_t *mod, size_t func_index,
                           const ttlx_device_t *dev, const char *path);
/* The identity of that file when it was read (sys_file_identity, taken
 * before loading): ttlx.save over the file refuses when it changed on
 * disk since. Call after lua_engine_set_module, which forgets the last. */
void lua_engine_set_source_id(lua_engine_t *eng, const sys_file_id_t *id);
/* The module the engine owns (borrowed; NULL when none or when hosted). */
ttlx_module_t *lua_engine_module(const lua_engine_t *eng);

/* Allows untrusted scripts to read and write path (a file, or everything
 * under a folder): give it the paths of the command line. Besides these,
 * they may use the loaded file and paths under the current folder and
 * under the folder of every script the engine ran; anything else is
 * refused with a message that names --trust. False when path cannot be
 * resolved or out of memory. */
bool lua_engine_allow_path(lua_engine_t *eng, const char *path);

/* Sets the global `arg`: arg[0] = script, arg[1..n] = args[0..n-1]. */
void lua_engine_set_args(lua_engine_t *eng, const char *script, int nargs, char **args);

/* Runs a script file (text chunks only) and adds it to the watched list.
 * Registrations (events, commands, keys) made by an earlier run of the same
 * file are dropped first, so rerunning a saved file does not pile them up. */
lua_engine_status_t lua_engine_run_file(lua_engine_t *eng, const char *path);
/* Runs one `:lua` line: first as "return LINE" so an expression prints its
 * value(s), else as a statement. */
lua_engine_status_t lua_engine_run_string(lua_engine_t *eng, const char *line);
/* Finds and runs init.lua: $TTLX_CONFIG (a file, or a directory holding
 * init.lua), else $XDG_CONFIG_HOME/ttlx/init.lua, else
 * ~/.config/ttlx/init.lua. Returns 0 when none exists, 1 when it ran, -1
 * when it failed (lua_engine_error()). */
int lua_engine_load_init(lua_engine_t *eng);
/* The script files run so far, in first-run order, to watch for changes
 * (rerun one with lua_engine_run_file). Borrowed; *count receives the size. */
const char *const *lua_engine_watched_files(const lua_engine_t *eng, size_t *count);

/* Fires an event: "load" (handlers get ttlx.func()) or "infer" (handlers get
 * the SPEC 6 document of r; r may be NULL to infer afresh). Every handler
 * runs; the first failure is kept in lua_engine_error() and gives
 * LUA_ENGINE_ERROR. Cheap when no handler is registered. Call "infer" after
 * every inference the host runs: when "infer" handlers edit the hints
 * (hints_edited with label "event infer"), the next "infer" fire is the
 * rerun those edits caused and is skipped, so handlers cannot loop. */
lua_engine_status_t lua_engine_fire(lua_engine_t *eng, const char *event, const ttlx_result_t *r);
bool lua_engine_has_handlers(const lua_engine_t *eng, const char *event);
/* True while a script call is running: the host must not fire events or
 * start other calls then (it defers them until the call returns). */
bool lua_engine_busy(const lua_engine_t *eng);

/* Runs a registered `:` command; args is the rest of the line, passed to
 * the function as whitespace-separated strings. */
lua_engine_status_t lua_engine_run_command(lua_engine_t *eng, const char *name, const char *args);
/* Runs the function bound to key, named as scripts give it to ttlx.bind:
 * a printable character as itself ("n", "]", "?"), Ctrl+letter as "C-n",
 * other keys in angle brackets ("<F5>", "<Tab>", "<Enter>", "<Esc>",
 * "<Up>", "<PageDown>"). The explorer should offer a key to scripts only
 * when it has no meaning of its own, and list lua_engine_key_at() in `?`. */
lua_engine_status_t lua_engine_run_key(lua_engine_t *eng, const char *key);

/* A registered command or key binding. */
typedef struct lua_engine_binding {
    const char *name;   /* command name or key */
    const char *help;   /* "" when none */
    const char *source; /* the script that registered it ("" for :lua) */
} lua_engine_binding_t;

size_t lua_engine_command_count(const lua_engine_t *eng);
const lua_engine_binding_t *lua_engine_command_at(const lua_engine_t *eng, size_t i);
size_t lua_engine_key_count(const lua_engine_t *eng);
const lua_engine_binding_t *lua_engine_key_at(const lua_engine_t *eng, size_t i);

/* The last failure: "SCRIPT:LINE: message" then "\nstack traceback:..."
 * ("" when none). Valid until the next call into the engine. */
const char *lua_engine_error(const lua_engine_t *eng);
/* Only the first line of lua_engine_error(), for a status line. */
const char *lua_engine_error_line(const lua_engine_t *eng);

/* The raw state, for tests and benchmarks that drive Lua directly (calls
 * made through it are not protected by the engine). */
struct lua_State *lua_engine_state(lua_engine_t *eng);

#endif
