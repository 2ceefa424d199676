/*
 * fuzz_theme.c - the explorer's theme loader (ui_theme_load): arbitrary
 * bytes as a themes/NAME.lua file run in the loader's library-free, capped
 * Lua state, then every style's escape sequence in every colour mode.
 */
#include "fuzz.h"
#include "ui/ui_theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ttlx-fuzz-theme-XXXXXX";
static char path[64];

static void remove_dir(void) {
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/fuzz.lua", dir);
    atexit(remove_dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    ui_theme_t t;
    ui_theme_fallback(&t);
    char err[512];
    if (ui_theme_load(&t, path, err, sizeof err)) {
        for (int s = 0; s < UI_STYLE_COUNT; s++)
            for (int m = UI_COLORS_MONO; m <= UI_COLORS_TRUE; m++)
                if (!ui_theme_sgr(&t, s, (ui_color_mode_t)m)) abort();
    } else if (!err[0]) {
        abort(); /* a failure always says why */
    }
    return 0;
}
