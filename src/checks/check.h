/* The check catalogue (DESIGN.md §7). The analysis walks every function
 * without knowing what is looked for; each check is one file that hooks the
 * events it cares about and reports findings, and is registered in
 * check_list.c. Adding a check touches its file and that list. */
#ifndef LA_CHECK_H
#define LA_CHECK_H

#include "../lockgraph/analysis.h"
#include "finding.h"

typedef struct check_ctx check_ctx;

typedef struct la_check {
	const char *id;            /* "guard": shown as [lockaudit-guard] */
	const char *severity;      /* default: "error", "warning" or "note" */
	int enabled;               /* on by default */
	const char *title;         /* one line for `lockaudit check --list` */
	const char *description;   /* a paragraph: what it finds and why it matters (SARIF) */
	int between_cpus;          /* finds races or deadlocks, which need two CPUs: its
	                            * witness chains leave out code that runs with one
	                            * CPU online (lk_single_cpu_at) */
	int resources;             /* sees the acquisitions and releases of resources
	                            * (rules "resource": RCU references), not only locks;
	                            * held lists show both: lk_held.resource tells */
	/* Hooks, each optional. The per-function ones see the final run of the
	 * analysis (every path); `finish` runs once, after every function. */
	void (*event)(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n);
	void (*lock_op)(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			const lk_lockop *op);
	void (*exit)(check_ctx *c, const lk_fn *fn, const lk_state *s, const ir_event *ret);
	void (*done)(check_ctx *c, const lk_fn *fn);
	void (*finish)(check_ctx *c);
	void (*free_state)(void *state);
} la_check;

/* check_list.c: every check, in the order they are listed. */
extern const la_check *const la_checks[];
extern const int la_nchecks;
const la_check *check_find(const char *id);

/* What a hook may use. */
lk_prog *check_prog(check_ctx *c);
const rules *check_rules(check_ctx *c);
/* The running check's own state (NULL until it sets it). */
void **check_state(check_ctx *c);
/* The same, made (zeroed, `size` bytes) on first use; free_state frees it. */
void *check_state_get(check_ctx *c, size_t size);

/* A finding of the running check at `at` in function fn. `subject` is what
 * it is about (a field, a callee, a lock class) and, with `lock`, goes into
 * the fingerprint; the message is printf-style. Repeats of the same finding
 * at the same place (one per path) are dropped: NULL is returned then. */
finding *check_report(check_ctx *c, const lk_fn *fn, ir_loc at, const char *subject, const char *lock,
		      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Take back a finding of the running check (a check that decides at
 * `finish` whether what it saw on the way is worth reporting). */
void check_withdraw(check_ctx *c, finding *f);
/* Steps of the trace: a call chain, and where a lock was taken. */
void check_trace_chain(check_ctx *c, finding *f, const lk_chain *ch, const char *lock_text);
void check_trace_acquired(check_ctx *c, finding *f, const lk_held *h, const lk_fn *fn);
/* The chain of callers that shows fn entered with IRQs `irq` (LK_IRQ_OFF /
 * ON), from a root of the rules or a caller that set them itself. */
void check_trace_irq(check_ctx *c, finding *f, const lk_fn *fn, int irq);

/* Lock order edges for the lock_edge table (check_order.c). */
void check_record_edge(check_ctx *c, const char *from, const char *to, const lk_fn *fn, ir_loc at, int count);

/* Is a lock of class `cls` held in one of `modes` on this path: 1 yes, -1
 * on some of the paths merged into it only, 0 no. */
int check_holds(const lk_state *s, const char *cls, int modes);
/* A "CLASS" or "CLASS (write)" text for messages. malloc'd. */
char *check_ref_text(const rules_lockref *ref);
/* The chain of callers along which none of `classes` is held (want_held =
 * 0), or one is held (want_held = 1), into *ch (lk_chain_free it). Returns 0
 * when there is none although the entry context says otherwise: every
 * caller holds one of several acceptable locks, so a rule that accepts any
 * of them is met in every context. */
int check_context_chain(check_ctx *c, const lk_fn *fn, const ir_event *at, const char *const *classes,
			const int *modes, int n, int want_held, lk_chain *ch);
/* An ignore entry with "via" whose function every chain lacking the locks
 * goes through: its reason (the finding is then ignored). When another
 * chain avoids it, *ch becomes that chain and NULL is returned. */
const char *check_ignored_via(check_ctx *c, const lk_fn *fn, const ir_event *at, const char *subject,
			      const char *const *classes, const int *modes, int n, lk_chain *ch);
/* Add the witness chain explaining why none of `refs` (want_held = 0), or
 * one of them (want_held = 1), is held on entry of fn (reaching its event
 * `at`, or anywhere when NULL); nothing when fn itself changed it. */
void check_trace_entry(check_ctx *c, finding *f, const lk_fn *fn, const ir_event *at, const char *const *classes,
		       const int *modes, int n, int want_held, const char *lock_text);
/* A lock of class `cls` (shown as `text`) held by the caller at `site`
 * of fn, not by every caller: the chain of callers that brings it into the
 * caller (each step says it is `lock_text`), and the call. */
void check_trace_site(check_ctx *c, finding *f, const lk_fn *fn, const lk_site *site, const char *cls,
		      const char *text, const char *lock_text);

/* Is `a` before `b` in file order? Checks that keep one witness among many
 * keep the first in file order, so that what they show does not depend on
 * the order the scan stored the functions in. */
int check_loc_before(ir_loc a, ir_loc b);

/* Display helpers. */
const char *check_fn_name(const lk_fn *fn);
/* A source path as findings show it (relative to the scanned tree). */
const char *check_path(check_ctx *c, const char *path);
/* "pcidevs_lock" style text for a held lock: its instance in the function's
 * names, else its class. malloc'd. */
char *check_lock_text(const lk_fn *fn, const lk_held *h);

#endif
