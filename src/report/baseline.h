/* Baseline files: the fingerprints of accepted findings, for a CI gate that
 * fails only on new ones (`lockaudit check --baseline FILE`). One finding
 * per line, sorted by fingerprint:
 *
 *   # lockaudit baseline (lockaudit check --update-baseline FILE)
 *   1f0e...16 hex digits  CHECK  FILE  FUNC(): MESSAGE
 *
 * Only the first word counts; the rest is for people reading the file or
 * its diff. Blank lines and lines starting with '#' are comments. */
#ifndef LA_BASELINE_H
#define LA_BASELINE_H

#include "../checks/finding.h"

typedef struct baseline_entry {
	char fingerprint[17];
	char *text;            /* the rest of its line */
} baseline_entry;

typedef struct baseline {
	baseline_entry *v;     /* sorted by fingerprint, no repeats */
	int n, cap;
} baseline;

/* Errors name the file and line ("lockaudit.baseline:3: expected a
 * fingerprint of 16 hex digits, not 'xyz'"). */
int baseline_load(const char *path, baseline *out);
/* The entry with fingerprint fp, or NULL. */
const baseline_entry *baseline_find(const baseline *b, const char *fp);
void baseline_free(baseline *b);
/* Write the fingerprints of fs[0..n) to path (replacing it). */
int baseline_write(const char *path, const finding *const *fs, int n);

#endif
