/* cmd_render.c - `ttlx render` (placeholder until its issue lands). */
#include "cli.h"

int cmd_render(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "ttlx: 'render' is not available in this build yet\n");
    return TTLX_EXIT_USAGE;
}
