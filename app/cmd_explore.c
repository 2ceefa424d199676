/* cmd_explore.c - `ttlx [FILE]`: the explorer (placeholder until the UI
 * lands: prints usage). */
#include "cli.h"

int cmd_explore(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_help(1, (char *[]){"help", NULL});
}
