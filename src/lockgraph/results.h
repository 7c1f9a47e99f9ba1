/* Running the lock analysis on a database and storing its results. */
#ifndef LA_RESULTS_H
#define LA_RESULTS_H

#include "../rules/rules.h"
#include "../store/store.h"

typedef struct lk_report {
	int funcs, wrappers, calls_indirect, indirect_resolved, collapsed, gave_up;
	long rows;
	double load_s, analyse_s, total_s;
} lk_report;

/* The pseudo-lock recorded where IRQs are disabled by a primitive. */
#define LK_IRQS_OFF "(irqs-off)"
/* The class recorded for an event no analysed path reaches. */
#define LK_NO_PATH "(no path)"

int lk_analyse_db(store *s, const rules *r, const char *rules_path, lk_report *rep);

#endif
