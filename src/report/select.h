/* Which findings a report shows (DESIGN.md §8): one selection for every
 * format. A finding read from the store goes through, in this order:
 *
 *   check off        (its default, the rules' "checks", --enable/--disable/--all)
 *   ignored          (an "ignore" entry of the rules matched it at analysis)
 *   suppressed       (a `lockaudit: ignore[CHECK] reason` comment on its line
 *                     or the line before)
 *   in the baseline  (its fingerprint is in the --baseline file)
 *
 * and is counted at the first that holds. Ignored and suppressed findings
 * are still listed with show_ignored (marked, never failing); the others
 * are shown and fail the gate. */
#ifndef LA_REPORT_SELECT_H
#define LA_REPORT_SELECT_H

#include "baseline.h"
#include "../store/finding_read.h"
#include "../store/suppression.h"

struct rules;
struct la_check;

typedef struct select_opts {
	const struct rules *rules;            /* on/off per check; NULL: the checks' defaults */
	const char *const *enable;            /* check ids also shown */
	int nenable;
	const char *const *disable;           /* check ids not shown (wins over enable and all) */
	int ndisable;
	int all;                              /* every check */
	int show_ignored;                     /* also list ignored and suppressed findings */
	const baseline *baseline;             /* NULL: no gate, every finding is new */
	const suppression_set *suppressions;  /* NULL: none */
} select_opts;

typedef struct selected {
	const finding *f;
	const char *ignored;                  /* the rules' reason, or NULL */
	const suppression *suppressed;        /* the comment that suppresses it, or NULL */
} selected;

typedef struct selection {
	selected *v;                          /* what to report, in the finding set's order */
	int n, cap;
	int total;                            /* findings read */
	int off;                              /* of checks that are off */
	int ignored;                          /* matched by the rules' ignore entries */
	int suppressed;                       /* matched by an inline suppression */
	int known;                            /* in the baseline */
	int failing;                          /* shown, not ignored nor suppressed: exit status 2 */
	const baseline_entry **gone;          /* baseline entries no current finding has (fixed) */
	int ngone, capgone;
	const suppression **unmatched;        /* suppressions that match no finding at all */
	int nunmatched, capunmatched;
} selection;

/* Every id of enable and disable names a check ("unknown check 'x'" else). */
int select_check_ids(const select_opts *o);
/* Is check ch on with these options. */
int select_check_on(const select_opts *o, const struct la_check *ch);
/* Select from fs. A suppression without a reason, or naming no check, is
 * an error (LA_EPARSE) naming its file:line; nothing is selected then. */
int select_findings(const finding_set *fs, const select_opts *o, selection *out);
/* The findings a new baseline holds: those selected and failing. *out is
 * malloc'd (free it), pointing into the set. */
int select_failing(const selection *sel, const finding ***out);
void selection_free(selection *sel);

#endif
