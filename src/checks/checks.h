/* Running the check catalogue with the analysis (used by the commands). */
#ifndef LA_CHECKS_H
#define LA_CHECKS_H

#include "../lockgraph/results.h"
#include "../rules/rules.h"

typedef struct checks_run checks_run;

/* Checks the rules' "checks" and "ignore" entries name known checks (errors
 * name the file and JSON path). `root` makes fingerprints independent of
 * where the tree is checked out. */
int checks_new(const rules *r, const char *root, checks_run **out);
/* Pass to lk_analyse_db: findings are stored with the analysis results. */
const lk_observer *checks_observer(checks_run *cr);
/* Without a database (tests on hand-built IR): call the observer's `start`,
 * run lk_prog_run with its `sink`, then checks_finish (the checks' `finish`
 * hooks and the fingerprints) in place of its `finish`; the findings are
 * then sorted by file and function, owned by cr. */
struct finding;
void checks_finish(checks_run *cr, struct lk_prog *p);
const struct finding *const *checks_findings(const checks_run *cr, int *n);
/* After the run: findings stored, and those of enabled checks not ignored. */
void checks_counts(const checks_run *cr, int *stored, int *shown);
void checks_free(checks_run *cr);

struct la_check;
/* On or off, and severity: the check's default, then the rules' "checks". */
int checks_enabled(const rules *r, const struct la_check *ch);
const char *checks_severity(const rules *r, const struct la_check *ch);

#endif
