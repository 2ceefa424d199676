/* cmd_export.c - `ttlx export` (placeholder until its issue lands). */
#include "cli.h"

int cmd_export(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "ttlx: 'export' is not available in this build yet\n");
    return TTLX_EXIT_USAGE;
}
