/* Running the lock analysis and the checks on a scanned database (used by
 * `analyze`, the commands that analyse on demand, and `audit`). */
#ifndef LA_ANALYSE_H
#define LA_ANALYSE_H

#include "../lockgraph/results.h"

/* Analyse with rules `r` (read from r->path), storing the results and the
 * findings; *stored and *shown count the findings (all, and those of
 * enabled checks not ignored). */
int scan_analyse(store *s, const rules *r, lk_report *rep, int *stored, int *shown);

#endif
