/*
 * ui_theme.c - style names, the compiled-in fallback theme, the sandboxed
 * Lua theme loader and colour-depth mapping (truecolor, 256, 16, mono).
 */
#include "ui/ui_theme.h"
#include "sys/file.h"

#include <dirent.h>
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const style_names[UI_STYLE_COUNT] = {
    "normal",   "dim",    "title",   "title_focus", "tab",        "tab_active",    "border",
    "selected", "cursor", "status",  "status_key",  "message",    "message_error", "input",
    "l1",       "dram",   "sharded", "interleaved", "diag_error", "diag_warning",  "diag_info",
    "ok",       "fix",    "tile",    "padding",     "highlight",  "hold",          "heat0",
    "heat1",    "heat2",  "heat3",   "heat4",       "over",       "pal0",          "pal1",
    "pal2",     "pal3",   "pal4",    "pal5",        "diff",       "popup",         "popup_title",
};

const char *ui_style_name(int style) {
    return style >= 0 && style < UI_STYLE_COUNT ? style_names[style] : NULL;
}

#define D UI_COLOR_DEFAULT
#define B UI_ATTR_BOLD
#define U UI_ATTR_UNDERLINE
#define R UI_ATTR_REVERSE
#define M UI_ATTR_DIM

/* Fallback: a dark theme on the terminal's own background. */
static const ui_style_def_t fallback[UI_STYLE_COUNT] = {
    [UI_STYLE_NORMAL] = {0xd0d0d0, D, 0, 0},
    [UI_STYLE_DIM] = {0x808080, D, 0, M},
    [UI_STYLE_TITLE] = {0xafafaf, 0x303030, B, B},
    [UI_STYLE_TITLE_FOCUS] = {0x000000, 0x5fafd7, B, R | B},
    [UI_STYLE_TAB] = {0xafafaf, 0x303030, 0, 0},
    [UI_STYLE_TAB_ACTIVE] = {0x000000, 0x5fafd7, B, R | B},
    [UI_STYLE_BORDER] = {0x6c6c6c, D, 0, 0},
    [UI_STYLE_SELECTED] = {0xffffff, 0x005f87, B, R},
    [UI_STYLE_CURSOR] = {0x000000, 0xffd75f, B, R | B},
    [UI_STYLE_STATUS] = {0xd0d0d0, 0x303030, 0, R},
    [UI_STYLE_STATUS_KEY] = {0xffd75f, 0x303030, B, R | B},
    [UI_STYLE_MESSAGE] = {0x87d7ff, 0x303030, B, R},
    [UI_STYLE_MESSAGE_ERROR] = {0xffffff, 0xaf0000, B, R | B},
    [UI_STYLE_INPUT] = {0xffffff, 0x262626, 0, U},
    [UI_STYLE_L1] = {0x5fd7ff, D, B, B},
    [UI_STYLE_DRAM] = {0xd7af5f, D, 0, 0},
    [UI_STYLE_SHARDED] = {0x87d787, D, 0, 0},
    [UI_STYLE_INTERLEAVED] = {0xafafaf, D, 0, 0},
    [UI_STYLE_DIAG_ERROR] = {0xff5f5f, D, B, B},
    [UI_STYLE_DIAG_WARNING] = {0xffd75f, D, 0, U},
    [UI_STYLE_DIAG_INFO] = {0x87afd7, D, 0, 0},
    [UI_STYLE_OK] = {0x87d787, D, 0, 0},
    [UI_STYLE_FIX] = {0x87d7af, D, 0, 0},
    [UI_STYLE_TILE] = {0xd0d0d0, D, 0, 0},
    [UI_STYLE_PADDING] = {0x6c6c6c, D, 0, M},
    [UI_STYLE_HIGHLIGHT] = {0x000000, 0x87d7ff, B, R | B},
    [UI_STYLE_HOLD] = {0xffffff, D, B, B},
    [UI_STYLE_HEAT0] = {0x585858, D, 0, M},
    [UI_STYLE_HEAT1] = {0x5f87af, D, 0, 0},
    [UI_STYLE_HEAT2] = {0x5faf5f, D, 0, 0},
    [UI_STYLE_HEAT3] = {0xd7af00, D, 0, B},
    [UI_STYLE_HEAT4] = {0xff8700, D, B, B},
    [UI_STYLE_OVER] = {0xffffff, 0xaf0000, B, R | B},
    [UI_STYLE_PAL0] = {0x5fafff, D, 0, 0},
    [UI_STYLE_PAL1] = {0xffaf5f, D, 0, 0},
    [UI_STYLE_PAL2] = {0x87d787, D, 0, 0},
    [UI_STYLE_PAL3] = {0xd787d7, D, 0, 0},
    [UI_STYLE_PAL4] = {0xd7d75f, D, 0, 0},
    [UI_STYLE_PAL5] = {0x5fd7d7, D, 0, 0},
    [UI_STYLE_DIFF] = {0xd7afff, D, 0, 0},
    [UI_STYLE_POPUP] = {0xe4e4e4, 0x262626, 0, 0},
    [UI_STYLE_POPUP_TITLE] = {0x000000, 0x5fafd7, B, R | B},
};

void ui_theme_fallback(ui_theme_t *t) {
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "builtin");
    memcpy(t->styles, fallback, sizeof fallback);
}

/* ---- Lua loading: a data-only sandbox ---------------------------------- */

typedef struct {
    size_t used, cap;
} cap_alloc_t;

/* A capped allocator: a theme is a small table; anything bigger is hostile. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    cap_alloc_t *a = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        a->used -= old;
        free(ptr);
        return NULL;
    }
    if (nsize > old && a->used + (nsize - old) > a->cap) return NULL;
    void *p = realloc(ptr, nsize);
    if (p) a->used = a->used - old + nsize;
    return p;
}

static void budget_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    luaL_error(L, "runs too long (instruction budget exhausted)");
}

static bool parse_color(const char *s, int32_t *out) {
    if (!strcasecmp(s, "default") || !strcasecmp(s, "none")) {
        *out = UI_COLOR_DEFAULT;
        return true;
    }
    if (s[0] != '#' || strlen(s) != 7) return false;
    char *end;
    long v = strtol(s + 1, &end, 16);
    if (*end) return false;
    *out = (int32_t)v;
    return true;
}

static unsigned parse_attr_list(const char *s) {
    unsigned a = 0;
    if (strstr(s, "bold")) a |= UI_ATTR_BOLD;
    if (strstr(s, "underline")) a |= UI_ATTR_UNDERLINE;
    if (strstr(s, "reverse")) a |= UI_ATTR_REVERSE;
    if (strstr(s, "dim")) a |= UI_ATTR_DIM;
    return a;
}

/* Reads the style table at the top of the stack into d. */
static bool read_style(lua_State *L, const char *name, ui_style_def_t *d, char *err,
                       size_t errsize) {
    static const char *const color_keys[2] = {"fg", "bg"};
    for (int k = 0; k < 2; k++) {
        int t = lua_getfield(L, -1, color_keys[k]);
        if (t == LUA_TSTRING) {
            if (!parse_color(lua_tostring(L, -1), k ? &d->bg : &d->fg)) {
                snprintf(err, errsize, "style '%s': %s must be \"#rrggbb\" or \"default\"", name,
                         color_keys[k]);
                lua_pop(L, 1);
                return false;
            }
        } else if (t != LUA_TNIL) {
            snprintf(err, errsize, "style '%s': %s must be a string", name, color_keys[k]);
            lua_pop(L, 1);
            return false;
        }
        lua_pop(L, 1);
    }
    static const struct {
        const char *key;
        unsigned bit;
    } flags[] = {{"bold", UI_ATTR_BOLD},
                 {"underline", UI_ATTR_UNDERLINE},
                 {"reverse", UI_ATTR_REVERSE},
                 {"dim", UI_ATTR_DIM}};
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        if (lua_getfield(L, -1, flags[k].key) == LUA_TBOOLEAN) {
            if (lua_toboolean(L, -1))
                d->attrs |= flags[k].bit;
            else
                d->attrs &= ~flags[k].bit;
        }
        lua_pop(L, 1);
    }
    if (lua_getfield(L, -1, "mono") == LUA_TSTRING) d->mono = parse_attr_list(lua_tostring(L, -1));
    lua_pop(L, 1);
    return true;
}

static bool theme_path(const char *name, char *out, size_t outsize) {
    if (strchr(name, '/')) {
        snprintf(out, outsize, "%s", name);
        return true;
    }
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    const char *dirs[3] = {getenv("TTLX_THEME_DIR"), NULL, TTLX_SOURCE_DIR "/themes"};
    char home[512] = "";
    const char *h = getenv("HOME");
    if (h) {
        snprintf(home, sizeof home, "%s/.config/ttlx/themes", h);
        dirs[1] = home;
    }
    for (int i = 0; i < 3; i++) {
        if (!dirs[i] || !*dirs[i]) continue;
        snprintf(out, outsize, "%s/%s.lua", dirs[i], name);
        if (access(out, R_OK) == 0) return true; /* never open: a FIFO would block */
    }
    return false;
}

/* Every error about a theme file is "theme PATH: what", whatever said
 * it: the file reader ("PATH: why"), Lua with a position ("PATH:3: why",
 * the path maybe shortened to "...tail", becomes "line 3: why") or
 * without one ("not enough memory", "C stack overflow", "attempt to load
 * a binary chunk"). */
static void theme_error(char *err, size_t errsize, const char *path, const char *msg) {
    size_t n = strlen(path);
    if (!strncmp(msg, path, n) && !strncmp(msg + n, ": ", 2)) {
        msg += n + 2;
    } else {
        /* Lua's "CHUNK:LINE: why", CHUNK the path or "..." and its tail */
        const char *c = strstr(msg, ":");
        size_t cn = c ? (size_t)(c - msg) : 0;
        bool chunk = c && cn &&
                     (cn == n ? !strncmp(msg, path, n)
                              : cn > 3 && cn - 3 <= n && !strncmp(msg, "...", 3) &&
                                    !strncmp(msg + 3, path + n - (cn - 3), cn - 3));
        size_t digits = chunk ? strspn(c + 1, "0123456789") : 0;
        if (digits && !strncmp(c + 1 + digits, ": ", 2)) {
            snprintf(err, errsize, "theme %s: line %.*s: %s", path, (int)digits, c + 1,
                     c + 1 + digits + 2);
            return;
        }
    }
    snprintf(err, errsize, "theme %s: %s", path, msg);
}

/* Through the one file reader (a FIFO or a device is refused, never
 * waited on); over 64 KiB is not a theme. */
static char *read_small_file(const char *path, size_t *len, char *err, size_t errsize) {
    ttlx_error_t e = {0};
    char *text = sys_file_read(path, len, &e);
    if (!text) theme_error(err, errsize, path, e.what);
    if (text && *len > 65536) {
        ttlx_free(text);
        theme_error(err, errsize, path, "cannot read theme (over 64 KiB)");
        return NULL;
    }
    return text;
}

bool ui_theme_load(ui_theme_t *t, const char *name, char *err, size_t errsize) {
    char path[1024];
    if (!theme_path(name, path, sizeof path)) {
        snprintf(err, errsize, "no theme named '%s'", name);
        return false;
    }
    size_t len;
    char *text = read_small_file(path, &len, err, errsize);
    if (!text) return false;
    cap_alloc_t alloc = {0, 4u << 20};
    lua_State *L = lua_newstate(capped_alloc, &alloc);
    if (!L) {
        ttlx_free(text);
        theme_error(err, errsize, path, "out of memory");
        return false;
    }
    /* No libraries are opened: the chunk can build tables and nothing else. */
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1000000);
    char chunk[1040];
    snprintf(chunk, sizeof chunk, "@%s", path);
    bool ok = false;
    ui_theme_t nt = *t;
    ui_theme_fallback(&nt);
    if (luaL_loadbufferx(L, text, len, chunk, "t") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        theme_error(err, errsize, path, m ? m : "theme failed");
    } else if (!lua_istable(L, -1)) {
        theme_error(err, errsize, path, "a theme must return a table");
    } else {
        ok = true;
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(nt.name, sizeof nt.name, "%.*s", (int)(strcspn(base, ".")), base);
        /* normal first: other styles inherit its colours */
        for (int s = 0; s < UI_STYLE_COUNT && ok; s++) {
            if (lua_getfield(L, -1, style_names[s]) == LUA_TTABLE) {
                if (s != UI_STYLE_NORMAL) {
                    nt.styles[s].fg = nt.styles[UI_STYLE_NORMAL].fg;
                    nt.styles[s].bg = nt.styles[UI_STYLE_NORMAL].bg;
                    nt.styles[s].attrs = 0;
                }
                char e2[200];
                if (!read_style(L, style_names[s], &nt.styles[s], e2, sizeof e2)) {
                    theme_error(err, errsize, path, e2);
                    ok = false;
                }
            }
            lua_pop(L, 1);
        }
        /* Styles the theme does not name sit on its background. */
        for (int s = 1; s < UI_STYLE_COUNT && ok; s++)
            if (nt.styles[s].bg == UI_COLOR_DEFAULT)
                nt.styles[s].bg = nt.styles[UI_STYLE_NORMAL].bg;
    }
    lua_close(L);
    ttlx_free(text);
    if (ok) *t = nt;
    return ok;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp((const char *)a, (const char *)b);
}

size_t ui_theme_list(char names[][32], size_t cap) {
    size_t n = 0;
    const char *dirs[3] = {getenv("TTLX_THEME_DIR"), NULL, TTLX_SOURCE_DIR "/themes"};
    char home[512] = "";
    const char *h = getenv("HOME");
    if (h) {
        snprintf(home, sizeof home, "%s/.config/ttlx/themes", h);
        dirs[1] = home;
    }
    for (int i = 0; i < 3; i++) {
        if (!dirs[i] || !*dirs[i]) continue;
        DIR *d = opendir(dirs[i]);
        if (!d) continue;
        struct dirent *e;
        while ((e = readdir(d)) && n < cap) {
            size_t l = strlen(e->d_name);
            if (l < 5 || l - 4 >= 32 || strcmp(e->d_name + l - 4, ".lua")) continue;
            char nm[32];
            snprintf(nm, sizeof nm, "%.*s", (int)(l - 4), e->d_name);
            bool dup = false;
            for (size_t k = 0; k < n; k++)
                dup |= !strcmp(names[k], nm);
            if (!dup) memcpy(names[n++], nm, sizeof nm);
        }
        closedir(d);
    }
    qsort(names, n, sizeof names[0], cmp_names);
    return n;
}

/* ---- colour depth ------------------------------------------------------- */

const char *ui_color_mode_name(ui_color_mode_t m) {
    static const char *const n[] = {"monochrome", "16 colours", "256 colours", "truecolor"};
    return n[m];
}

static int sq(int v) {
    return v * v;
}

int ui_rgb_to_256(int32_t rgb) {
    int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
    static const int steps[6] = {0, 95, 135, 175, 215, 255};
    int ci[3], cv[3], in[3] = {r, g, b};
    for (int k = 0; k < 3; k++) {
        int best = 0;
        for (int s = 1; s < 6; s++)
            if (abs(steps[s] - in[k]) < abs(steps[best] - in[k])) best = s;
        ci[k] = best;
        cv[k] = steps[best];
    }
    int cube = 16 + 36 * ci[0] + 6 * ci[1] + ci[2];
    int dcube = sq(cv[0] - r) + sq(cv[1] - g) + sq(cv[2] - b);
    int avg = (r + g + b) / 3;
    int gi = avg < 8 ? 0 : avg > 238 ? 23 : (avg - 8) / 10;
    int gv = 8 + 10 * gi;
    int dgray = sq(gv - r) + sq(gv - g) + sq(gv - b);
    return dgray < dcube ? 232 + gi : cube;
}

static const int32_t pal16[16] = {0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080,
                                  0x008080, 0xc0c0c0, 0x808080, 0xff0000, 0x00ff00, 0xffff00,
                                  0x0000ff, 0xff00ff, 0x00ffff, 0xffffff};

int ui_rgb_to_16(int32_t rgb) {
    const int32_t *pal = pal16;
    int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
    int best = 0, bd = 1 << 30;
    for (int i = 0; i < 16; i++) {
        int d =
            sq(((pal[i] >> 16) & 255) - r) + sq(((pal[i] >> 8) & 255) - g) + sq((pal[i] & 255) - b);
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

/* ---- the contrast rule ------------------------------------------------- */

int ui_color_mode_count(ui_color_mode_t m) {
    return m == UI_COLORS_TRUE ? 1 << 24 : m == UI_COLORS_256 ? 256 : m == UI_COLORS_16 ? 16 : 0;
}

/* RGB of xterm-256 palette entry i. */
static int32_t rgb_of_256(int i) {
    if (i < 16) return pal16[i];
    if (i >= 232) {
        int v = 8 + 10 * (i - 232);
        return (v << 16) | (v << 8) | v;
    }
    static const int steps[6] = {0, 95, 135, 175, 215, 255};
    i -= 16;
    return (steps[i / 36] << 16) | (steps[(i / 6) % 6] << 8) | steps[i % 6];
}

int32_t ui_term_color_rgb(int32_t c, int ncolors, bool is_bg) {
    if (c == UI_COLOR_DEFAULT) return is_bg ? UI_DEFAULT_BG_RGB : UI_DEFAULT_FG_RGB;
    if (ncolors >= (1 << 24)) return c;
    return rgb_of_256(c);
}

/* Relative luminance (WCAG 2) of an RGB colour. */
static double luminance(int32_t rgb) {
    double ch[3];
    for (int k = 0; k < 3; k++) {
        double v = ((rgb >> (16 - 8 * k)) & 255) / 255.0;
        ch[k] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

double ui_contrast_ratio(int32_t a, int32_t b) {
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

bool ui_pair_readable(ui_color_pair_t p, int ncolors) {
    if (p.fg == UI_COLOR_DEFAULT && p.bg == UI_COLOR_DEFAULT) return true;
    if (p.fg == p.bg) return false;
    int32_t fg = ui_term_color_rgb(p.fg, ncolors, false);
    int32_t bg = ui_term_color_rgb(p.bg, ncolors, true);
    if (p.bg == UI_COLOR_DEFAULT && fg == 0x000000) return false;
    return ui_contrast_ratio(fg, bg) >= UI_MIN_CONTRAST;
}

/* The nearest terminal colour of an RGB colour. */
static int32_t to_term(int32_t c, int ncolors) {
    if (c == UI_COLOR_DEFAULT || ncolors >= (1 << 24)) return c;
    if (ncolors >= 256) return ui_rgb_to_256(c);
    int i = ui_rgb_to_16(c);
    return ncolors >= 16 ? i : i & 7;
}

static int rgb_dist(int32_t a, int32_t b) {
    return sq(((a >> 16) & 255) - ((b >> 16) & 255)) + sq(((a >> 8) & 255) - ((b >> 8) & 255)) +
           sq((a & 255) - (b & 255));
}

void ui_theme_pairs(const ui_theme_t *t, int ncolors, ui_color_pair_t out[UI_STYLE_COUNT]) {
    /* truecolor picks replacements among the 256 palette's colours */
    int cands = ncolors >= 256 ? 256 : ncolors >= 16 ? 16 : 8;
    for (int s = 0; s < UI_STYLE_COUNT; s++) {
        const ui_style_def_t *d = &t->styles[s];
        ui_color_pair_t p = {to_term(d->fg, ncolors), to_term(d->bg, ncolors)};
        if (!ui_pair_readable(p, ncolors)) {
            int32_t want = d->fg == UI_COLOR_DEFAULT ? UI_DEFAULT_FG_RGB : d->fg;
            int32_t best = p.fg;
            int bd = -1;
            for (int i = 0; i < cands; i++) {
                int32_t rgb = rgb_of_256(i);
                ui_color_pair_t q = {ncolors >= (1 << 24) ? rgb : i, p.bg};
                if (!ui_pair_readable(q, ncolors)) continue;
                int dist = rgb_dist(rgb, want);
                if (bd < 0 || dist < bd) {
                    bd = dist;
                    best = q.fg;
                }
            }
            p.fg = best;
        }
        out[s] = p;
    }
}

static int sgr_color(char *p, size_t n, int32_t c, bool bg, ui_color_mode_t mode) {
    if (c == UI_COLOR_DEFAULT) return snprintf(p, n, ";%d", bg ? 49 : 39);
    switch (mode) {
    case UI_COLORS_TRUE:
        return snprintf(p, n, ";%d;2;%d;%d;%d", bg ? 48 : 38, (c >> 16) & 255, (c >> 8) & 255,
                        c & 255);
    case UI_COLORS_256:
        return snprintf(p, n, ";%d;5;%d", bg ? 48 : 38, (int)c);
    case UI_COLORS_16:
        return snprintf(p, n, ";%d", (c < 8 ? 30 : 90) + (c & 7) + (bg ? 10 : 0));
    default:
        return 0;
    }
}

const char *ui_theme_sgr(const ui_theme_t *t, int style, ui_color_mode_t mode) {
    static char buf[96];
    const ui_style_def_t *d = &t->styles[style < 0 || style >= UI_STYLE_COUNT ? 0 : style];
    unsigned a = mode == UI_COLORS_MONO ? d->mono : d->attrs;
    int n = snprintf(buf, sizeof buf, "\x1b[0");
    if (a & UI_ATTR_BOLD) n += snprintf(buf + n, sizeof buf - (size_t)n, ";1");
    if (a & UI_ATTR_DIM) n += snprintf(buf + n, sizeof buf - (size_t)n, ";2");
    if (a & UI_ATTR_UNDERLINE) n += snprintf(buf + n, sizeof buf - (size_t)n, ";4");
    if (a & UI_ATTR_REVERSE) n += snprintf(buf + n, sizeof buf - (size_t)n, ";7");
    if (mode != UI_COLORS_MONO) {
        /* the pairs are worked out once per theme and mode */
        static ui_style_def_t seen[UI_STYLE_COUNT];
        static ui_color_mode_t seen_mode = UI_COLORS_MONO;
        static ui_color_pair_t pairs[UI_STYLE_COUNT];
        if (seen_mode != mode || memcmp(seen, t->styles, sizeof seen)) {
            ui_theme_pairs(t, ui_color_mode_count(mode), pairs);
            memcpy(seen, t->styles, sizeof seen);
            seen_mode = mode;
        }
        ui_color_pair_t p = pairs[style < 0 || style >= UI_STYLE_COUNT ? 0 : style];
        n += sgr_color(buf + n, sizeof buf - (size_t)n, p.fg, false, mode);
        n += sgr_color(buf + n, sizeof buf - (size_t)n, p.bg, true, mode);
    }
    snprintf(buf + n, sizeof buf - (size_t)n, "m");
    return buf;
}
