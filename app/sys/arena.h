/*
 * arena.h - a one-shot bump allocator for short command-line runs.
 * `ttlx infer` allocates tens of thousands of small objects and frees them
 * all at exit; on virtual machines each first touch of a 4 KiB page costs
 * microseconds, so one mapping backed by transparent huge pages makes the
 * run several times faster. Blocks outside the arena fall back to libc.
 */
#ifndef TTLX_ARENA_H
#define TTLX_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Maps an arena of about size_hint bytes and installs it as the core's
 * allocator (ttlx_set_allocator). Safe to skip: on failure nothing changes. */
void sys_arena_install(size_t size_hint);
/* sys_arena_install sized for the file at path, when it is over 64 KiB
 * (smaller inputs gain nothing): about 24 bytes of model per input byte.
 * Not at all when the environment has TTLX_NO_ARENA set (not "0"): the
 * C library's allocator then, to compare the two. */
void sys_arena_for_file(const char *path);
/* True when an arena is installed and every block allocated since came
 * from it: then releasing the arena frees everything, and a one-shot run
 * can skip walking its structures to free them one by one. */
bool sys_arena_holds_all(void);
/* Bytes of the arena handed out so far (its high-water mark). */
size_t sys_arena_used(void);
/* Restores the libc allocator and unmaps the arena. Only call when nothing
 * allocated from the arena is still in use. */
void sys_arena_release(void);

#endif
