/*
 * lua_internal.h - what the files of the Lua engine share and nobody else
 * sees: the engine struct, the registries' types, and the helpers one file
 * defines for the others. Each group of prototypes names the file that
 * owns it.
 */
#ifndef TTLX_LUA_INTERNAL_H
#define TTLX_LUA_INTERNAL_H

#include "lua/lua_api.h"

#include <lauxlib.h>
#include <lua.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The small-block pool: sizes up to POOL_MAX in POOL_GRAIN steps, carved
 * from one reserved region of POOL_BYTES (committed by the kernel as it is
 * touched), so whether a block is the pool's is an address comparison. */
#define POOL_GRAIN 16
#if defined(__SANITIZE_ADDRESS__)
#define POOL_MAX 0 /* let AddressSanitizer see every Lua block */
#else
#define POOL_MAX 256
#endif
#define POOL_BYTES ((size_t)32 << 20)
typedef struct pool_block {
    struct pool_block *next;
} pool_block_t;

/* A registered command, key binding or event handler. */
typedef struct reg_entry {
    lua_engine_binding_t pub; /* points into the owned strings below */
    char *name, *help, *source;
    int ref; /* the function, in the registry */
} reg_entry_t;

typedef struct reg_list {
    reg_entry_t *v;
    size_t n, cap;
} reg_list_t;

/* A path untrusted scripts may use (access.c): resolved; a folder allows
 * everything under it. */
typedef struct access_entry {
    char *path;
    bool folder;
} access_entry_t;

/* The events scripts can handle (ttlx.on). */
enum { EV_LOAD, EV_INFER, EV_COUNT };

struct lua_engine {
    lua_State *L;
    pool_block_t *pool_free[POOL_MAX / POOL_GRAIN + 1];
    char *pool_base, *pool_pos, *pool_end; /* NULL when there is no pool */
    bool trust;
    long budget_ms; /* < 0: unlimited */
    size_t cap_bytes, used_bytes;
    bool cap_hit;
    char cap_where[256];
    /* What the core allocates during a top-level call counts against the
     * same cap (ttlx_alloc_account_set): account.held is its net growth. */
    ttlx_alloc_account_t account;
    ttlx_alloc_account_t *account_before;
    bool account_on;
    bool core_refused; /* the account refused since the last memory error */
    bool budget_on, expired;
    struct timespec deadline;
    int depth; /* nesting of protected top-level calls */

    void (*output)(void *ud, const char *text, size_t len);
    void *output_ud;
    lua_engine_host_t host;
    bool hosted;
    const char *const *view_names; /* ttlx.view's names (the explorer's view table) */
    size_t nview_names;
    /* the buffer ttlx.select chose: headless for good, in the explorer for
     * the rest of the top-level call (then the explorer's selection) */
    char *selected;

    /* headless state */
    ttlx_module_t *mod;
    size_t func_index;
    ttlx_device_t dev;
    char *path;
    sys_file_id_t path_id; /* path as loaded: ttlx.save never clobbers newer content */
    bool have_path_id;
    unsigned generation; /* bumped on every load */

    /* rollback of the current top-level call */
    bool dirty;
    cJSON *snapshot;
    ttlx_func_t *snap_func;
    unsigned snap_gen;
    bool dev_changed;
    ttlx_device_t dev_before;

    /* resources a Lua error could otherwise leak (longjmp): freed on the
     * next use and by lua_engine_free */
    ttlx_result_t *result;
    cJSON *scratch;

    reg_list_t commands, keys, events[EV_COUNT];
    const char *current_source; /* the file being run, "" otherwise */
    char **watched;
    size_t nwatched, capwatched;
    int ttlx_ref; /* the ttlx table */
    bool in_infer_event;
    bool infer_event_edited; /* the last top-level call was an "infer"
                                event whose handlers changed the hints */

    access_entry_t *allowed; /* besides the loaded file and the current folder */
    size_t nallowed, capallowed;

    char *error;
    char error_line[512];
};

/* The engine a state belongs to (kept in the state's extra space). */
static inline lua_engine_t *engine_of(lua_State *L) {
    return *(lua_engine_t **)lua_getextraspace(L);
}

/* ---- engine.c: state, protected calls, output --------------------- */

/* The instruction budget, for code that runs long in C: whether the time
 * is up (ud: the engine), and the budget error (does not return). */
bool engine_budget_expired(void *ud);
void engine_raise_budget(lua_State *L, void *ud);

/* Raises "WHO: memory limit of N MiB reached (...)" when the core was
 * refused memory under the cap during this call, else "WHO: out of
 * memory". Does not return. */
int engine_error_memory(lua_State *L, const char *who);
/* A core call (or a conversion) failed with message what: the memory error
 * above when an allocation failed since fails_before (ttlx_alloc_failures()
 * read before the call) or what is empty, else "WHO: WHAT". Does not
 * return. */
int engine_error_core(lua_State *L, const char *who, const char *what, size_t fails_before);
/* Whether an allocation failed (or the cap refused one) since fails_before. */
bool engine_memory_failed(lua_State *L, size_t fails_before);
/* Starts and stops counting the core's allocations against the cap. */
void engine_account_on(lua_engine_t *e);
void engine_account_off(lua_engine_t *e);

/* The current function, module (with its index and file) and device. */
ttlx_func_t *engine_cur_func(lua_engine_t *e);
ttlx_module_t *engine_cur_module(lua_engine_t *e, size_t *fi, const char **path);
const ttlx_device_t *engine_cur_device(lua_engine_t *e);
/* The current function, or a Lua error saying none is loaded. */
ttlx_func_t *engine_need_func(lua_State *L, lua_engine_t *e);
/* Frees the engine-held result / scratch cJSON (see struct lua_engine). */
void engine_drop_result(lua_engine_t *e);
void engine_drop_scratch(lua_engine_t *e);
/* Records the hints before the first edit of a top-level call. */
void engine_note_hint_edit(lua_State *L, lua_engine_t *e, ttlx_func_t *f);
/* Switches the device (through the host when it lends one). */
bool engine_switch_device(lua_engine_t *e, const ttlx_device_t *dev, char *err, size_t errsize);
/* Records the device before the first change of a top-level call. */
void engine_note_device_change(lua_engine_t *e);
/* Writes script output to the engine's output callback (or stdout). */
void engine_out_text(lua_engine_t *e, const char *s, size_t n);
/* The traceback handler of every protected call. */
int engine_msg_handler(lua_State *L);
/* Keeps msg (may be NULL) as the last error and its first line. */
void engine_set_error(lua_engine_t *e, const char *msg);
/* Arms the budget and the rollback for a top-level call. */
void engine_begin_run(lua_engine_t *e);
/* Calls the function below nargs arguments on the stack, protected, with a
 * traceback; see engine.c. */
lua_engine_status_t engine_protected_call(lua_engine_t *e, int nargs, int nresults,
                                          const char *label);

/* ---- registry.c: commands, keys, events --------------------------- */

/* Drops the entries a script registered (it is being rerun). */
void reg_drop_source(lua_State *L, reg_list_t *l, const char *source);
void reg_free(lua_State *L, reg_list_t *l);
/* Runs the handlers of event ev with the value at stack index arg. */
void reg_fire_handlers(lua_State *L, lua_engine_t *e, int ev, int arg, bool isolate);
int l_on(lua_State *L);
int l_command(lua_State *L);
int l_bind(lua_State *L);
int l_commands(lua_State *L);
int l_keys(lua_State *L);

/* ---- access.c: which files a script may open ---------------------- */

/* Allows path (a folder when folder is set or it is one) to untrusted
 * scripts; false when it cannot be resolved or out of memory. */
bool access_add(lua_engine_t *e, const char *path, bool folder);
void access_free(lua_engine_t *e);
/* Raises "WHO: PATH is outside the allowed paths (...); run with --trust
 * to allow it" unless the script is trusted or may use path. */
void access_check(lua_State *L, lua_engine_t *e, const char *who, const char *path);

/* ---- sandbox.c ---------------------------------------------------- */

/* Opens the selected standard libraries with their guards. */
void sandbox_open(lua_State *L);

/* ---- ttlx_table.c ------------------------------------------------- */

/* Builds the globals, the ttlx table and the prelude (run in a pcall). */
int table_setup_state(lua_State *L);

/* ---- the bindings: ttlx.* functions, one file per group ----------- */

/* bind_module.c: the current PrimFunc, its buffers, the device, loading. */
int bind_push_func_table(lua_State *L, lua_engine_t *e);
int l_func(lua_State *L);
int l_buffers(lua_State *L);
int l_device(lua_State *L);
int l_devices(lua_State *L);
int l_load(lua_State *L);
int l_new_func(lua_State *L);
/* bind_hints.c: reading and setting hints. */
/* Converts the table at idx to cJSON (ownership moves to the caller, who
 * keeps it in e->scratch while a Lua error could strike); raises a Lua
 * error prefixed with what when the value cannot be stored. */
cJSON *bind_table_to_json(lua_State *L, lua_engine_t *e, int idx, const char *what);
int l_hint(lua_State *L);
int l_clear_hint(lua_State *L);
int l_hints(lua_State *L);
int l_hint_schema(lua_State *L);
/* bind_infer.c: inference and its results. */
const ttlx_result_t *bind_run_infer(lua_State *L, lua_engine_t *e);
int l_infer(lua_State *L);
int l_infer_json(lua_State *L);
int l_diagnostics(lua_State *L);
int l_place(lua_State *L);
int l_core(lua_State *L);
/* bind_fix.c: applying a diagnostic's fix. */
int l_apply_fix(lua_State *L);
/* bind_solve.c: the layout solver. */
int l_solve(lua_State *L);
/* bind_files.c: JSON text, saving and exporting. */
int l_json(lua_State *L);
int l_save(lua_State *L);
int l_export(lua_State *L);
/* bind_console.c: print, io.write and the explorer's views. */
int l_print(lua_State *L);
int l_sandbox_write(lua_State *L);
/* bind_views.c: driving the explorer's views (checked, no-ops headless)
 * and the lesson step pinned over them. */
int l_select(lua_State *L);
int l_view(lua_State *L);
int l_cursor_core(lua_State *L);
int l_cursor_tile(lua_State *L);
int l_zoom(lua_State *L);
/* The prelude's own: pins a lesson step in the explorer (no-op headless). */
int l_lesson_pin(lua_State *L);

#endif
