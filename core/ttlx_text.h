/*
 * ttlx_text.h - THE terminal-safe form of text that comes from input.
 * Names, messages that quote names, device profile names, script and theme
 * errors: before any of them reaches a terminal (a summary, an error on
 * stderr, a cell of the explorer's screen), each character that could
 * steer the terminal or reorder what it shows is written as a visible
 * escape instead:
 *   - C0 controls and DEL (a byte below 0x20, 0x7f):     \x1b  \x0a  \x7f
 *   - C1 controls U+0080..U+009F (the CSI U+009B too):  \u009b
 *   - bidi embeddings, overrides, isolates and marks:    \u202e  \u2066
 *     (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C) and the
 *     line and paragraph separators U+2028, U+2029
 *   - a byte that is not part of valid UTF-8 (the raw CSI byte 0x9b, an
 *     overlong form, a surrogate):                      \x9b
 * Everything else is kept as it is, backslashes included. JSON output
 * does not go through here: it is data, escaped by the JSON writer.
 * The string builder appends the same form (ttlx_sb_safe in ttlx_sb.h).
 * Includes only libc.
 */
#ifndef TTLX_TEXT_H
#define TTLX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest escape of one unit ("\u202e") plus its NUL. */
#define TTLX_TEXT_ESC_MAX 8

/* True when codepoint cp is shown as an escape (the list above). */
bool ttlx_text_unsafe(uint32_t cp);

/* Reads one unit of s (s[0] != '\0'): a valid UTF-8 character or one byte
 * that is not valid UTF-8. Returns the bytes it takes (1..4). *cp receives
 * the codepoint (an invalid byte: U+FFFD). esc receives the unit's escape
 * ("\x1b", "\u202e", "\x9b" for an invalid byte) when it must be shown
 * escaped, else "". With keep_lines, '\n' and '\t' are kept as they are. */
size_t ttlx_text_next(const char *s, uint32_t *cp, char esc[TTLX_TEXT_ESC_MAX], bool keep_lines);

/* True when s needs no escape at all. */
bool ttlx_text_is_safe(const char *s);

/* Writes the safe form of s into buf (size bytes, NUL-terminated; cut
 * before a unit or escape that does not fit whole) and returns buf. */
const char *ttlx_text_safe(char *buf, size_t size, const char *s);

/* Decodes one character of s (avail >= 1 bytes readable): the length of a
 * valid UTF-8 sequence (shortest form, no surrogate, at most U+10FFFF)
 * with *cp set, or 0 when s[0] starts none. The one decoder: the escapes
 * here and the name folding (ttlx_nfkc.c) use it. */
size_t ttlx_utf8_decode(const char *s, size_t avail, uint32_t *cp);

/* Writes codepoint cp (below 0x110000) as UTF-8 into out; returns the
 * bytes written (1..4). The one encoder: the screen, the TVMScript string
 * literals and the name folding all use it. */
int ttlx_utf8_encode(uint32_t cp, char out[4]);

/* ttlx_text_next over a string of n bytes (n >= 1) that may hold NULs. */
size_t ttlx_text_next_n(const char *s, size_t n, uint32_t *cp, char esc[TTLX_TEXT_ESC_MAX],
                        bool keep_lines);

#endif
