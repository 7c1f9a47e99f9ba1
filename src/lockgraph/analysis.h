/* Whole-program lock analysis over the stored IR (DESIGN.md §5):
 * call graph -> summaries bottom-up over SCCs -> entry contexts top-down ->
 * the locks held at every access and call. */
#ifndef LA_ANALYSIS_H
#define LA_ANALYSIS_H

#include <stdint.h>

#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/strset.h"
#include "lockset.h"
#include "path.h"

typedef enum lk_cond { LK_ALWAYS, LK_IF_NONZERO, LK_IF_ZERO } lk_cond;

typedef struct lk_effect {
	rules_prim_op op;        /* PRIM_ACQUIRE or PRIM_RELEASE */
	const ir_expr *obj;      /* in the function's own terms ($0, globals) */
	int mode;
	lk_cond cond;            /* conditional acquire keyed by the return value */
} lk_effect;

/* What a call to a function does, seen from its callers. Wrappers are
 * functions whose summary acquires, releases or queries a lock. */
typedef struct lk_summary {
	lk_effect *eff;
	int neff;
	int returns_param;       /* returns parameter i, or a value true exactly when it is; -1 */
	int returns_truth;       /* always returns 0 (0) or non-zero (1); -1 otherwise */
	const ir_expr *query;    /* returns whether this lock is held (pcidevs_locked) */
	int query_mode;
	/* Preconditions from assertions not satisfied inside the function, in
	 * its own terms, disjunctions and argument tests kept:
	 * "$0 != NULL || held(_pcidevs_lock)". */
	const char **requires;
	int nrequires;
} lk_summary;

/* A call site as its callee sees it: the locks held there, in callee terms. */
typedef struct lk_site {
	int caller;
	const ir_event *call;
	lk_held *held;
	int nheld;
	int round;          /* for a caller in the callee's SCC: the round it was seen in */
	int top;            /* the caller's own entry was still "everything" (SCC rounds) */
} lk_site;

typedef struct lk_call {
	const rules_primitive *prim;   /* a lock primitive, or NULL */
	int *targets;                  /* defined functions it may call */
	int ntargets;
} lk_call;

typedef struct lk_fn {
	int64_t id;
	const char *usr, *name;
	ir_func *ir;
	lk_locals locals;
	const rules_primitive *prim;   /* the function is itself a primitive */
	lk_call *calls;                /* by call id */
	lk_summary sum;
	lk_site *sites;
	int nsites, capsites;
	lk_held *entry;                /* locks held at entry, by every caller */
	int nentry;
	int entry_top;                 /* SCC rounds: not yet known, assumed "everything" */
	int scc;
} lk_fn;

typedef struct lk_prog {
	lk_fn *fn;
	int nfn;
	la_strset usrs;                /* index = position in fn */
	const rules *rules;
	lk_interner *in;
	la_arena arena;                /* IR, summaries, contexts */
	int *scc_order;                /* function indices, callees before callers */
	int *scc_of_pos;
	int nscc;
	int round;                     /* round of the SCC being analysed (program.c) */
	struct {
		int funcs, calls_resolved, calls_indirect, targets_indirect, wrappers, collapsed, gave_up;
	} stats;
} lk_prog;

/* The callbacks that record results (program.c sets them for the final run). */
typedef struct lk_sink {
	void (*event)(void *ctx, const lk_fn *fn, int block, int idx, const ir_event *e,
		      lk_state *const *states, int n);
	void *ctx;
} lk_sink;

/* transfer.c: run the lock dataflow over one function. Collects the
 * summary when `sum` is given, records events into `sink` when given, and
 * call sites of its callees: all (LK_SITES_ALL), only callees in its own
 * SCC (LK_SITES_SCC), or none (0). */
enum { LK_SITES_NONE, LK_SITES_ALL, LK_SITES_SCC };
void lk_analyse_function(lk_prog *p, int fi, lk_state *entry, lk_summary *sum, const lk_sink *sink,
			 int record_sites);

/* Interning helpers. */
void lk_name_lock(lk_prog *p, la_arena *a, const ir_expr *obj, const char **inst, const char **cls);

/* program.c */
int lk_prog_load(store *s, const rules *r, lk_prog **out);
int lk_prog_run(lk_prog *p, const lk_sink *sink);
void lk_prog_free(lk_prog *p);

#endif
