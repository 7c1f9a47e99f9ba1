/* libFuzzer harnesses (tests/fuzz/<name>_fuzz.c): each defines the libFuzzer
 * entry point, which calls a loader on the input held in memory; nothing is
 * written anywhere. The fuzz build (-DLOCKAUDIT_FUZZ=ON, bench/fuzz.sh)
 * links them with libFuzzer; the normal build links each with replay.c,
 * which runs the entry point on the seeds and on the crash regressions. */
#ifndef LA_FUZZ_H
#define LA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as la_buf_read_file gives it: a NUL-terminated copy (the loaders
 * never read past LEN; the NUL is what a file read adds). Caller frees. */
char *fuzz_text(const uint8_t *data, size_t size);

#endif
