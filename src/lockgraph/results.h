/* Running the lock analysis on a database and storing its results. */
#ifndef LA_RESULTS_H
#define LA_RESULTS_H

#include "../rules/rules.h"
#include "../store/store.h"

typedef struct lk_report {
	int funcs, wrappers, calls_indirect, indirect_resolved, collapsed, gave_up, outside_tus;
	long rows;
	double load_s, analyse_s, total_s;
} lk_report;

/* Bumped when the analysis or the checks change what they store, so that
 * commands analyse again instead of answering from old results. */
#define LK_ANALYSIS_VERSION "10"   /* 10: the annotation check, __must_hold() a precondition; 9: conditional guards (copies of parameters keep their truth, NULL ways out name no lock); 8: seqcount sections ("reenter"), a lock released unheld then retaken is the callers', primitive bodies recorded; 7: lock order cycles closed only by one thread per object (rules "threads") left out; 6: decided call results dropped, constants as facts only where read, precondition sides decided by an argument left out */

/* The pseudo-lock recorded where IRQs are disabled by a primitive. */
#define LK_IRQS_OFF "(irqs-off)"
/* The class recorded for an event no analysed path reaches. */
#define LK_NO_PATH "(no path)"
/* The class recorded for an event of a function the rules declare a lock
 * primitive: its body is the lock's own code, not analysed. */
#define LK_IN_PRIMITIVE "(lock primitive)"

/* Someone who watches the final run along with the results writer (the
 * checks): `sink` gets the same callbacks (its ctx is `ctx`), `start` comes
 * before the run, `finish` after it, inside the results transaction. */
struct lk_prog;
typedef struct lk_observer {
	const struct lk_sink *sink;
	void (*start)(void *ctx, struct lk_prog *p);
	int (*finish)(void *ctx, struct lk_prog *p, store_results *r);
	void *ctx;
} lk_observer;

/* Records rules_path and r->hash as the rules the results come from. */
int lk_analyse_db(store *s, const rules *r, const char *rules_path, lk_report *rep, const lk_observer *obs);

#endif
