/* cmd_run.c - `ttlx run` (placeholder until its issue lands). */
#include "cli.h"

int cmd_run(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "ttlx: 'run' is not available in this build yet\n");
    return TTLX_EXIT_USAGE;
}
