/*
 * fuzz.h - what every ttlx fuzz target defines: libFuzzer's entry points.
 * The same target file links either with libFuzzer (-fsanitize=fuzzer, the
 * build-fuzz tree) or with replay_main.c, which feeds it files (the normal
 * and sanitizer builds replay the regressions and seeds that way).
 */
#ifndef TTLX_FUZZ_H
#define TTLX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional one-time setup; replay_main calls it when the target has one. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
