/*
 * cli.h - the command line: the command table, shared option handling
 * (--device, --bind, --func) and the three error levels of the program.
 * Every command is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * command name; it returns the process exit status (0, 1 errors found,
 * 2 bad input or usage). The cmd_*.c files include this header for the
 * shared helpers; cli.c knows them only by the declarations below.
 */
#ifndef TTLX_CLI_H
#define TTLX_CLI_H

#include "sys/open.h"
#include "sys/status.h"
#include "ttlx_device.h"
#include "ttlx_func.h"

#include <stdio.h>

int cmd_infer(int argc, char **argv);   /* cmd_infer.c */
int cmd_devices(int argc, char **argv); /* cmd_devices.c */
int cmd_help(int argc, char **argv);    /* cli.c */
int cmd_render(int argc, char **argv);  /* cmd_render.c (UI) */
int cmd_run(int argc, char **argv);     /* cmd_run.c (Lua) */
int cmd_export(int argc, char **argv);  /* cmd_export.c (export) */
int cmd_explore(int argc, char **argv); /* cmd_explore.c (UI): `ttlx [FILE]` */

/* The whole program: options of ttlx itself (-h, --version), then the
 * command table, else the explorer. Returns the exit status. */
int cli_main(int argc, char **argv);

/* Usage error: "ttlx: MSG" plus a --help hint on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Consumes a shared option at argv[*i] (advancing *i past its value).
 * Returns 1 when consumed, 0 when not a shared option, -1 on a usage error
 * (already reported). */
int cli_open_opts_parse(sys_open_opts_t *o, const char *cmd, int argc, char **argv, int *i);

/* Opens path with its device (sys_open_file in sys/open.h). On failure
 * prints "ttlx: FILE:LINE:COL: what" and returns NULL. *func_index is the
 * selected function. */
ttlx_module_t *cli_open(const char *path, const sys_open_opts_t *o, ttlx_device_t *dev,
                        size_t *func_index);

/* The help text of command cmd (NULL: the overview of every command), or
 * NULL when cmd is not a command or prints its own (export: run it with
 * --help). */
const char *cli_command_help(const char *cmd);

#endif
