/*
 * ui_theme.h - semantic styles and themes. Views draw with a style id
 * (UI_STYLE_L1, UI_STYLE_DIAG_ERROR, ...); a theme maps each id to colours and
 * attributes. Themes are Lua files (themes/NAME.lua) returning a plain data
 * table, loaded in a fresh Lua state with no libraries; a compiled-in
 * fallback keeps the explorer usable without any theme file.
 */
#ifndef TTLX_UI_THEME_H
#define TTLX_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Style ids. Keep ui_style_names in ui_theme.c in the same order. */
typedef enum {
    UI_STYLE_NORMAL,
    UI_STYLE_DIM,
    UI_STYLE_TITLE,       /* pane titles */
    UI_STYLE_TITLE_FOCUS, /* title of the pane with the focus */
    UI_STYLE_TAB,
    UI_STYLE_TAB_ACTIVE,
    UI_STYLE_BORDER,
    UI_STYLE_SELECTED, /* list cursor */
    UI_STYLE_CURSOR,   /* core / tile cursor */
    UI_STYLE_STATUS,
    UI_STYLE_STATUS_KEY,
    UI_STYLE_MESSAGE, /* status-line information */
    UI_STYLE_MESSAGE_ERROR,
    UI_STYLE_INPUT, /* command line, filter, editor text */
    UI_STYLE_L1,
    UI_STYLE_DRAM,
    UI_STYLE_SHARDED,
    UI_STYLE_INTERLEAVED,
    UI_STYLE_DIAG_ERROR,
    UI_STYLE_DIAG_WARNING,
    UI_STYLE_DIAG_INFO,
    UI_STYLE_OK,
    UI_STYLE_FIX,
    UI_STYLE_TILE,      /* a logical tile */
    UI_STYLE_PADDING,   /* a padding tile */
    UI_STYLE_HIGHLIGHT, /* tiles of the selected core, cross-highlight */
    UI_STYLE_HOLD,      /* a core holding the selected buffer */
    UI_STYLE_HEAT0,
    UI_STYLE_HEAT1,
    UI_STYLE_HEAT2,
    UI_STYLE_HEAT3,
    UI_STYLE_HEAT4,
    UI_STYLE_OVER, /* over capacity */
    UI_STYLE_PAL0, /* tile owner palette, cycled by core/bank */
    UI_STYLE_PAL1,
    UI_STYLE_PAL2,
    UI_STYLE_PAL3,
    UI_STYLE_PAL4,
    UI_STYLE_PAL5,
    UI_STYLE_DIFF,  /* what the last change moved */
    UI_STYLE_POPUP, /* overlays: help, editor, device list */
    UI_STYLE_POPUP_TITLE,
    UI_STYLE_COUNT
} ui_style_t;

enum { UI_ATTR_BOLD = 1, UI_ATTR_UNDERLINE = 2, UI_ATTR_REVERSE = 4, UI_ATTR_DIM = 8 };
#define UI_COLOR_DEFAULT (-1)

/* One style: colours as 0xRRGGBB or UI_COLOR_DEFAULT, attributes for colour
 * terminals, and the attributes used in monochrome (meaning must survive). */
typedef struct ui_style_def {
    int32_t fg, bg;
    unsigned attrs;
    unsigned mono;
} ui_style_def_t;

typedef struct ui_theme {
    char name[32];
    ui_style_def_t styles[UI_STYLE_COUNT];
} ui_theme_t;

/* The style's name in theme files ("l1", "diag_error"), NULL past the end. */
const char *ui_style_name(int style);
/* The compiled-in fallback theme. */
void ui_theme_fallback(ui_theme_t *t);
/* Loads themes/NAME.lua: NAME is a file path when it contains '/', else it
 * is looked up in $TTLX_THEME_DIR, ~/.config/ttlx/themes, then the source
 * tree's themes/. Missing styles keep the fallback's values. Returns false
 * with a message in err on failure (t is then unchanged). */
bool ui_theme_load(ui_theme_t *t, const char *name, char *err, size_t errsize);
/* Names of the themes found (sorted, unique); returns how many (<= cap). */
size_t ui_theme_list(char names[][32], size_t cap);

/* Colour depth of a terminal. */
typedef enum { UI_COLORS_MONO, UI_COLORS_16, UI_COLORS_256, UI_COLORS_TRUE } ui_color_mode_t;
const char *ui_color_mode_name(ui_color_mode_t m);
/* Nearest xterm-256 palette index of an RGB colour. */
int ui_rgb_to_256(int32_t rgb);
/* Nearest of the 16 ANSI colours (0..15). */
int ui_rgb_to_16(int32_t rgb);
/* ---- the contrast rule ------------------------------------------------
 * Every style is drawn with a pair that stays readable on the terminal it
 * runs in. Colours are resolved in the terminal's colour space ("terminal
 * colours": a palette index for 8, 16 and 256 colours, 0xRRGGBB for
 * truecolor, UI_COLOR_DEFAULT for the terminal's own). For measuring, the
 * palette is the xterm one, the default background is taken as black (a
 * dark terminal, where black text disappears) and the default foreground as
 * UI_DEFAULT_FG_RGB. A pair is readable when fg != bg, it is not black on
 * the default background, and the WCAG contrast ratio of the two is at
 * least UI_MIN_CONTRAST; both defaults together are always readable. */
#define UI_MIN_CONTRAST 3.0
#define UI_DEFAULT_FG_RGB 0xc0c0c0
#define UI_DEFAULT_BG_RGB 0x000000
/* One style's resolved pair in terminal colours. */
typedef struct ui_color_pair {
    int32_t fg, bg;
} ui_color_pair_t;
/* Colour count of a colour mode (mono 0, 16, 256, truecolor 1<<24). */
int ui_color_mode_count(ui_color_mode_t m);
/* RGB of a terminal colour for a colour count (defaults as above). */
int32_t ui_term_color_rgb(int32_t c, int ncolors, bool is_bg);
/* WCAG 2 contrast ratio of two RGB colours (1.0 .. 21.0). */
double ui_contrast_ratio(int32_t a, int32_t b);
/* Whether a resolved pair (terminal colours) is readable, as above. */
bool ui_pair_readable(ui_color_pair_t p, int ncolors);
/* Maps every style of a theme to a readable pair for a terminal with
 * ncolors colours (8, 16, 256, or >= 1<<24 for truecolor): the nearest
 * terminal colour, and when that pair is unreadable the nearest colour to
 * the theme's foreground that is readable on the background. */
void ui_theme_pairs(const ui_theme_t *t, int ncolors, ui_color_pair_t out[UI_STYLE_COUNT]);

/* An ANSI SGR sequence for a style in a colour mode (static buffer). */
const char *ui_theme_sgr(const ui_theme_t *t, int style, ui_color_mode_t mode);

#endif
