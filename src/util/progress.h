/* A progress line on a terminal (scan, audit): what is done of what, the
 * failures so far and an estimate of the time left, redrawn in place. Only
 * on a terminal: in a log or a pipe it would be noise. */
#ifndef LA_PROGRESS_H
#define LA_PROGRESS_H

#include <stdio.h>

typedef struct la_progress la_progress;

/* A progress line on `out`, or NULL when `out` is no terminal or `quiet`
 * is set; every function below accepts NULL and then does nothing. */
la_progress *la_progress_new(FILE *out, int quiet);
/* What is being done: "scan", "audit [2/10] 635dd1120a01" (copied). */
void la_progress_label(la_progress *p, const char *label);
/* done of total TUs, failed so far. Redraws at most ten times a second,
 * and always when done == total. */
void la_progress_update(la_progress *p, int done, int total, int failed);
/* Erase the line (before other output, and at the end). */
void la_progress_clear(la_progress *p);
void la_progress_free(la_progress *p);

#endif
