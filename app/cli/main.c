/*
 * main.c - ttlx entry point: the command table in cli.c does the rest.
 */
#include "cli/cli.h"

#include <signal.h>

int main(int argc, char **argv) {
    /* Over the file-size limit (ulimit -f) a write must fail with EFBIG,
     * which every save reports (the original kept, no temporary file left),
     * not kill the program with unsaved edits in the explorer. */
    signal(SIGXFSZ, SIG_IGN);
    return cli_main(argc, argv);
}
