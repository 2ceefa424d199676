/*
 * status.h - the program's exit statuses (SPEC 6), one list for every
 * room that ends the process: 0 no error diagnostics, 1 error
 * diagnostics, 2 bad input or usage.
 */
#ifndef TTLX_SYS_STATUS_H
#define TTLX_SYS_STATUS_H

enum { SYS_EXIT_OK = 0, SYS_EXIT_ERRORS = 1, SYS_EXIT_USAGE = 2 };

#endif
