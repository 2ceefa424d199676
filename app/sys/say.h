/*
 * say.h - THE way the program writes a message on stderr: "ttlx: " and the
 * message in its terminal-safe form (ttlx_text.h), so a name, a path or a
 * script's error that holds an escape sequence, a newline or a bidi
 * override shows it as \x1b, \x0a, \u202e and cannot forge a line or steer
 * the terminal. Every room above sys prints its errors through here.
 */
#ifndef TTLX_SYS_SAY_H
#define TTLX_SYS_SAY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* Prints "ttlx: MESSAGE\n" on stderr; MESSAGE (printf-style) is one line:
 * any newline in it is shown as \x0a. */
void sys_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* sys_error with a va_list (for other "ttlx: ..." printers). */
void sys_verror(const char *fmt, va_list ap);

/* Writes text to f in its terminal-safe form; with keep_lines its own
 * newlines and tabs stay (a traceback). False when writing fails. */
bool sys_put_safe(FILE *f, const char *text, bool keep_lines);

/* printf-style into f, the whole text made terminal-safe as one line
 * (no newline added). */
void sys_printf_safe(FILE *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The same with a va_list. */
void sys_vprintf_safe(FILE *f, const char *fmt, va_list ap);

#endif
