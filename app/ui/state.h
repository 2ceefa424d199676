/*
 * state.h - the explorer's state (ui_t) and what changes the model in it:
 * its lifetime, opening and reloading a module, rerunning inference and
 * the diff of what a rerun moved, the buffer filter and selection, the
 * status message and the console. Layout facts always come from the core
 * (ttlx_infer.h); this module only remembers what the user selected and
 * edited. Keys live in input.h, drawing in frame.h and the views.
 */
#ifndef TTLX_UI_STATE_H
#define TTLX_UI_STATE_H

#include "sys/file.h"
#include "sys/open.h"
#include "ttlx_infer.h"
#include "ui/ui_screen.h"
#include "ui/ui_theme.h"

#include <sys/types.h>
#include <time.h>

typedef enum {
    UI_VIEW_CORES,
    UI_VIEW_TILES,
    UI_VIEW_PROJECTION,
    UI_VIEW_WORK,
    UI_VIEW_METADATA,
    UI_VIEW_SOLVE,
    UI_VIEW_COUNT
} ui_view_t;

typedef enum { UI_PANE_BUFFERS, UI_PANE_MAIN, UI_PANE_DIAGS, UI_PANE_COUNT } ui_pane_t;

typedef enum {
    UI_MODE_NORMAL,
    UI_MODE_FILTER,
    UI_MODE_COMMAND,
    UI_MODE_HELP,
    UI_MODE_CONSOLE,
    UI_MODE_EDIT,
    UI_MODE_DEVICES,
    UI_MODE_CONFIRM_QUIT,
    UI_MODE_ASK_RELOAD,    /* the file changed under unsaved edits: keep, take, diff */
    UI_MODE_ASK_OVERWRITE, /* a save over a file changed since it was loaded */
    UI_MODE_ASK_OPEN,      /* :e with unsaved edits: write, discard, cancel */
} ui_mode_t;

/* Keys as the update functions see them: Unicode codepoints, control codes
 * (Tab 9, Enter 13, Esc 27, Ctrl-X 1..26) and these special keys. */
enum {
    UI_KEY_UP = 0x200000,
    UI_KEY_DOWN,
    UI_KEY_LEFT,
    UI_KEY_RIGHT,
    UI_KEY_PGUP,
    UI_KEY_PGDN,
    UI_KEY_HOME,
    UI_KEY_END,
    UI_KEY_BTAB,
    UI_KEY_BACKSPACE,
    UI_KEY_DELETE,
    UI_KEY_ENTER = 13,
    UI_KEY_ESC = 27,
    UI_KEY_TAB = 9,
};

/* A clickable region recorded while drawing; mouse events map to the same
 * update functions as keys through these. */
typedef enum {
    UI_HIT_BUFFER,
    UI_HIT_TAB,
    UI_HIT_CORE,
    UI_HIT_BANK,
    UI_HIT_TILE,
    UI_HIT_DIAG,
    UI_HIT_DEVICE,
    UI_HIT_FIELD,
    UI_HIT_PANE,
} ui_hit_kind_t;

typedef struct ui_hit {
    int x, y, w, h;
    ui_hit_kind_t kind;
    int64_t a, b;
} ui_hit_t;

#define UI_MAX_HITS 4096
#define UI_MIN_W 60
#define UI_MIN_H 16

/* Screen geometry of one frame (computed by ui_layout). */
typedef struct ui_geom {
    int w, h;
    bool too_small;
    int list_x, list_y, list_w, list_h; /* buffer list, title row included */
    int main_x, main_y, main_w, main_h; /* view area, title row included */
    int diag_x, diag_y, diag_w, diag_h; /* diagnostics pane, title included */
    int lesson_y, lesson_h;             /* the pinned lesson step (0 rows: none) */
    int tiles_rows, tiles_cols;         /* tile cells visible in Tiles view */
    int body_rows;                      /* text rows of scrolling views */
} ui_geom_t;

#define UI_CONSOLE_LINES 500
#define UI_CONSOLE_WIDTH 240

#define UI_DIFF_LINES 8
#define UI_ASK_LINES 40
#define UI_COMP_MAX 48

/* Which file is on disk: device, inode, size and modification time (ns).
 * Two equal identities mean nobody wrote the file in between. */
typedef struct ui_file_id {
    bool valid;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} ui_file_id_t;

typedef struct ui {
    /* model */
    char *path; /* NULL: the built-in sample */
    ttlx_module_t *mod;
    size_t func_index;
    ttlx_func_t *func;
    ttlx_device_t dev;
    ttlx_result_t *res;
    /* The result before the hint editor opened: while it is open, the
     * change diff is measured from here (NULL when closed, and until the
     * first rerun in the editor, which keeps u->res here). */
    ttlx_result_t *edit_base;
    cJSON *attrs; /* ttlx_output_attrs, built on demand */
    bool infer_failed;

    /* selection and navigation */
    int sel; /* selected buffer index, -1 when none */
    int list_top;
    int *visible; /* buffer indices passing the filter */
    int nvisible;
    char filter[64];
    ui_view_t view;
    ui_pane_t focus;
    ui_mode_t mode;
    int core_x, core_y; /* core cursor; core_y == grid_y: DRAM bank core_x */
    int diag_sel, diag_top;
    int scroll;      /* the text views: Projection / Work / Metadata; the Cores address map */
    bool cores_addr; /* the Cores view shows the cursor core's L1 address map (key a) */

    /* The Tiles view's own state: only view_tiles.c changes it. Anonymous
     * so `ttlx render`, the benchmark and the tests keep u.zoom_r. */
    struct {
        int64_t tile_row, tile_col; /* tile cursor (2-D tile view) */
        int zoom_r, zoom_c;         /* a tile cell covers 2^zoom_r x 2^zoom_c tiles */
        bool zoom_fit;              /* fit the tile grid at the next layout */
        bool zoom_first;            /* ... as a buffer's first view: cells that would
                                       only mix owners ("~~") are made smaller */
        int64_t pan_row, pan_col;   /* first tile shown */
    };
    int help_scroll;
    char help_find[64]; /* the help's search text (/ in the help) */
    bool help_typing;   /* typing it */
    int help_match;     /* help line of the current match, -1 none */
    int dev_sel;

    /* console: what scripts printed, newest last (a ring of lines) */
    char (*console)[UI_CONSOLE_WIDTH];
    int con_count, con_head; /* lines held; index of the oldest */
    int con_scroll;          /* lines scrolled up from the newest */

    /* editing */
    cJSON **undo, **redo;
    size_t nundo, nredo, capundo, capredo;
    cJSON *saved_hints; /* hints as last loaded or saved */
    char *saved_text;   /* the same as compact text (dirty check) */
    bool dirty;
    char diff[UI_DIFF_LINES][200];
    int ndiff;
    int edit_field;
    bool edit_typing;
    bool edit_pushed; /* this typing session pushed an undo step */
    char edit_text[160];
    unsigned edit_typed; /* fields (1u << field) the user set since the editor opened */
    cJSON *edit_hint0;   /* the buffer's canonical hint when it opened */

    /* command line */
    char cmd[256];
    /* Tab completion of it (ui_complete.c): the line as typed, the
     * candidates and the one shown; a key other than Tab ends it */
    char comp_base[256];
    char comp[UI_COMP_MAX][128];
    int ncomp, comp_at;
    bool comp_active;

    /* status line message */
    char msg[400];
    bool msg_error;

    /* live file watching */
    ui_file_id_t seen_id;    /* the file as the watcher last saw it (stat only) */
    sys_file_id_t loaded_id; /* the file as loaded or last saved: w never clobbers newer content */
    bool have_loaded_id;
    int64_t last_poll_ms;

    /* never losing an edit (ui_ask.c): the questions asked when someone
     * else wrote the file since it was loaded (loaded_id above) */
    bool disk_differs;       /* edits kept over a file changed on disk */
    ttlx_module_t *disk_mod; /* the changed file, while the question is up */
    sys_file_id_t disk_id;   /* its identity, taken before it was read */
    bool have_disk_id;
    ui_mode_t ask_return; /* the mode to go back to after a question */
    bool ask_diff;        /* the hint-by-hint difference is shown */
    char ask_lines[UI_ASK_LINES][160];
    int nask_lines;
    char *ask_path; /* the save or :e target waiting for the answer */
    bool ask_quit;  /* quit once the waiting save is done */

    /* the lesson step pinned over the views (set by the Lua layer through
     * ttlx.lesson, drawn by ui_lesson.c) */
    struct ui_lesson {
        bool on;
        int step, steps;
        char title[96], step_title[128], text[1200];
        char next_key[16], prev_key[16], leave_key[16];
    } lesson;

    /* look */
    ui_theme_t theme;
    int theme_gen; /* bumped when the theme changes */
    ui_color_mode_t color_mode;
    bool ascii;

    /* The Solve view's own state (view_solve.c owns it; NULL until used):
     * the solution, its cursor, the pinned buffers, the objective. */
    struct ui_solve *solve;
    unsigned res_gen; /* bumped by every rerun: a solution older than it is stale */
    /* A preview: an alternative's hints inferred on a private copy of the
     * function. While preview_res is set every view draws it instead of
     * u->res (ui_draw swaps them); the hints themselves never change. Any
     * rerun ends it. */
    int preview;                /* the alternative (0-based), -1 none */
    ttlx_module_t *preview_mod; /* the copy preview_res borrows */
    ttlx_result_t *preview_res;
    cJSON *preview_attrs;
    /* Set by the terminal backend: shows what a long task is doing on the
     * status line and polls the keyboard; false when the user pressed Esc
     * (the task stops). NULL (render, tests): never asked. */
    bool (*progress)(struct ui *u, const char *what);

    const struct ui_layer *layer; /* the optional layer over the explorer, or NULL */
    void *ext;                    /* that layer's own state (ui_hooks.c) */
    bool quit;
    ui_geom_t geom;
    ui_hit_t hits[UI_MAX_HITS];
    int nhits;
} ui_t;

/* A help line: keys (NULL for a section title) and what they do. */
typedef struct ui_help_line {
    const char *keys;
    const char *help;
} ui_help_line_t;

/* An optional layer over the explorer (the Lua host, ui_hooks.c): told of
 * loads, reruns and polls, and asked about keys and commands the explorer
 * does not know. The layer sets u->layer when it starts; the explorer
 * never includes the layer's header. */
typedef struct ui_layer {
    void (*loaded)(ui_t *u);   /* a new module was loaded or reloaded */
    void (*inferred)(ui_t *u); /* inference was rerun; u->res is new */
    bool (*poll)(ui_t *u);     /* true when the screen changed */
    bool (*key)(ui_t *u, int key);
    bool (*command)(ui_t *u, const char *name, const char *arg);
    int (*help)(const ui_t *u, ui_help_line_t *out, int cap);
    void (*lua)(ui_t *u, const char *code);
    void (*source)(ui_t *u, const char *path);
} ui_layer_t;

/* Every how many milliseconds ui_poll_file looks at the file. */
#define UI_POLL_MS 500

/* Initialises u (theme fallback, no model). */
void ui_init(ui_t *u);
/* Releases everything u owns. */
void ui_free(ui_t *u);
/* Opens a file as `cli_open` does (device option, --func, --bind). On
 * failure prints the error to stderr and returns false. */
bool ui_open(ui_t *u, const char *path, const sys_open_opts_t *o);
/* Opens a PrimFunc held in memory (name picks the format and names it in
 * errors); nothing is watched or saved until `:w FILE`. */
bool ui_open_string(ui_t *u, const char *text, size_t len, const char *name,
                    const sys_open_opts_t *o);
/* Opens the built-in sample PrimFunc. */
bool ui_open_sample(ui_t *u, const sys_open_opts_t *o);
/* Loads path as the new module (keeps the device; the selection by
 * name). False with a message in err; the current state then stays. */
bool ui_load_path(ui_t *u, const char *path, char *err, size_t errsize);
/* Makes mod (ownership moves in) the module on screen. */
void ui_adopt_module(ui_t *u, ttlx_module_t *mod);
/* Shows function k of the module (its hints as saved, no undo history). */
void ui_switch_func(ui_t *u, size_t k);
/* Switches the device and reruns. */
void ui_set_device(ui_t *u, const ttlx_device_t *dev);
/* Reruns inference after any change of hints or device. */
void ui_rerun(ui_t *u);
/* Notes that the file at u->path was just written by us (stat now), so
 * the write does not count as a change on disk. */
void ui_watch_update(ui_t *u);
/* Installs mod (ownership moves in), read again from the watched file:
 * keeps the function and the selection by name, the undo history, and
 * notes the file's identity as loaded. */
void ui_reinstall_module(ui_t *u, ttlx_module_t *mod);
/* Takes the identity of the file at path; false when it cannot be stat'ed. */
bool ui_file_id_take(const char *path, ui_file_id_t *id);
/* Both valid and equal. */
bool ui_file_id_same(const ui_file_id_t *a, const ui_file_id_t *b);
/* One of the UI_MODE_ASK_* questions is up. */
bool ui_asking(const ui_t *u);
/* Puts a question up (mode, one of UI_MODE_ASK_*), remembering the mode to
 * go back to; path (copied; NULL keeps the last) is the file it is about,
 * quit: quit once the save asked about is done. */
void ui_ask_begin(ui_t *u, ui_mode_t mode, const char *path, bool quit);
/* True when the opened file is no longer the one loaded or last saved
 * (someone else wrote it); false when it is gone or was never loaded. */
bool ui_file_changed_since_load(const ui_t *u);
/* Status-line message (info or error). */
void ui_message(ui_t *u, bool error, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Shows (or moves) the preview of alternative alt: hints ({buffer:
 * complete hint}, borrowed) applied to a copy of the function and inferred
 * on the device. False with a status message when that fails. */
bool ui_preview_show(ui_t *u, const cJSON *hints, int alt);
/* Ends the preview (nothing when none is shown). */
void ui_preview_end(ui_t *u);

/* The Solve view's state (view_solve.c): a new module or function forgets
 * the pins and the solution; ui_free frees it. */
void ui_solve_reset(ui_t *u);
void ui_solve_free(ui_t *u);

/* Selects a buffer by index (the views forget their per-buffer state). */
void ui_select_buffer(ui_t *u, int i);
/* Selects diagnostic i (clamped to the list), its buffer and its core. */
void ui_select_diag(ui_t *u, int i);
/* The selected buffer's layout, NULL when none or no result. */
const ttlx_layout_t *ui_selected_layout(const ui_t *u);
/* Rebuilds u->visible from u->filter. */
void ui_filter_apply(ui_t *u);
/* Position of buffer buf in u->visible, -1 when filtered out. */
int ui_visible_pos(const ui_t *u, int buf);
/* The attrs document, built on first use after a rerun (may be NULL). */
const cJSON *ui_attrs(ui_t *u);

/* Appends printed text to the console, one entry per line (long lines are
 * cut at UI_CONSOLE_WIDTH - 1 bytes); the oldest lines drop out. */
void ui_console_add(ui_t *u, const char *text, size_t len);
/* The i-th console line, 0 = oldest; NULL past the end. */
const char *ui_console_line(const ui_t *u, int i);

/* one when n is 1, else many: "1 shard", "2 shards" (the status line and
 * titles say counts with the right noun). */
const char *ui_plural(long long n, const char *one, const char *many);
/* Human-readable bytes ("16.0K", "1.32M"). */
const char *ui_fmt_bytes(int64_t b, char *buf, size_t n);

#endif
