/*
 * main.c - ttlx entry point: dispatches to the command table in cli.h.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(ttlx_command_help(NULL), stdout);
        return TTLX_EXIT_OK;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("ttlx %s\n", TTLX_VERSION);
        return TTLX_EXIT_OK;
    }
    if (argc >= 2) {
        static const struct {
            const char *name;
            int (*fn)(int, char **);
        } cmds[] = {
            {"infer", cmd_infer},   {"devices", cmd_devices}, {"help", cmd_help},
            {"render", cmd_render}, {"run", cmd_run},         {"export", cmd_export},
        };
        for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
            if (!strcmp(argv[1], cmds[k].name)) return cmds[k].fn(argc - 1, argv + 1);
    }
    return cmd_explore(argc, argv);
}
