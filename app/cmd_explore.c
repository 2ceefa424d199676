/* cmd_explore.c - `ttlx [FILE]`: the explorer. Until the terminal UI lands,
 * `ttlx` alone prints usage and `ttlx FILE` prints the inference summary. */
#include "cli.h"

int cmd_explore(int argc, char **argv) {
    if (argc < 2) return cmd_help(1, (char *[]){"help", NULL});
    if (argv[1][0] == '-') return ttlx_usage_error(NULL, "unknown option '%s'", argv[1]);
    return cmd_infer(argc, argv);
}
