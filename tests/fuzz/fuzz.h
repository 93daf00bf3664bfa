/*
 * fuzz.h - what the libFuzzer targets (tests/fuzz/fuzz_*.c) share: opening
 * an analyzer, a scratch directory removed at exit, and a check that stops
 * the run with a message when an invariant of the library is broken.
 */
#ifndef SOU_FUZZ_H
#define SOU_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "sou/analyze.h"

/* libFuzzer's entry points, which every target defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with "fuzz: what" when cond is false, so libFuzzer records the
 * input as a crash: the library broke a promise of its header. */
#define FUZZ_ASSERT(cond, what)                                                                    \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__FILE__, __LINE__, (what));                                                 \
    } while (0)

void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* An analyzer in the named mode ("words+grams", "words", "icu",
 * "bigrams"), or exits with the library's message. Owned by the caller. */
sou_analyzer *fuzz_analyzer(const char *mode);

/* A fresh scratch directory, removed with everything in it when the
 * process exits. Borrowed: static storage. */
const char *fuzz_scratch_dir(void);

/* Writes data[0..size) to dir/name, replacing it; exits on failure.
 * Returns the path, borrowed until the next call. */
const char *fuzz_write_file(const char *dir, const char *name, const uint8_t *data, size_t size);

/* Builds a tiny index of a few APEC documents and glossary senses in
 * dir/db with the default analysis, as sou-index would (fuzz_index.c), or
 * exits with the library's message. Returns its path: static storage. */
const char *fuzz_build_index(const char *dir);

#endif
