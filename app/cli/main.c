/*
 * main.c - ttlx entry point: the command table in cli.c does the rest.
 */
#include "cli/cli.h"

int main(int argc, char **argv) {
    return ttlx_cli_main(argc, argv);
}
