/* Private to the transfer functions (transfer.c, lockname.c, assertion.c,
 * precond.c, branch.c, sites.c, summary.c): the state of one function's
 * analysis, shared by the flow engine's callbacks. */
#ifndef LOCKAUDIT_LOCKGRAPH_TRANSFER_INT_H
#define LOCKAUDIT_LOCKGRAPH_TRANSFER_INT_H

#include "analysis.h"
#include "flow.h"

typedef struct exit_rec {
	lk_state *s;
	const ir_expr *ret;
} exit_rec;

typedef struct req_list {
	lk_req *v;
	int n, cap;
} req_list;

typedef struct tctx {
	lk_prog *p;
	int fi;
	lk_fn *fn;
	lk_summary *sum;            /* being computed, or NULL */
	const lk_sink *sink;
	int record_sites;
	int final;                  /* in the flow engine's final pass */
	exit_rec *exits;
	int nexits, capexits;
	req_list req;               /* preconditions seen (summary run) */
} tctx;

/* lockname.c: the lock a primitive's argument names, and a held lock for it */
const ir_expr *lk_lock_obj(tctx *t, la_arena *a, const ir_expr *arg);
lk_held lk_make_held(tctx *t, la_arena *a, const ir_expr *obj, int mode, lk_how how, ir_loc at);

/* transfer.c: the lock a query call answers for, or NULL */
const ir_expr *lk_query_of_call(tctx *t, la_arena *a, int call_id, int *mode);

/* assertion.c */
lk_state *lk_event_assert(tctx *t, la_arena *a, const ir_event *e, lk_state *s, int block);

/* precond.c: an assertion written down as a precondition of the function */
void lk_note_requirement(tctx *t, la_arena *a, const lk_state *s, const ir_event *e, int truth, int block);
/* ... the rules' precondition of the function ("preconditions") ... */
void lk_rules_requirement(tctx *t);
/* ... and what a callee's requirement leaves for the callers, at a call on
 * every path (final pass: all the states before the call) */
void lk_inherit_requirements(tctx *t, int block, const ir_event *e, lk_state *const *states, int n);

/* branch.c: facts and trylock results where a condition has a truth */
const ir_expr *lk_normalise_cond(const ir_expr *c, int *truth);
lk_state *lk_branch_on(tctx *t, la_arena *a, lk_state *s, const ir_expr *cond, int truth);
lk_state *lk_on_edge(void *ctx, la_arena *a, const ir_block *b, int k, lk_state *s);

/* sites.c: call sites recorded at the callees */
void lk_on_observe(void *ctx, int block, int idx, const ir_event *e, lk_state *const *states, int n);

/* summary.c: ways out of the function, and its summary */
void lk_on_path_exit(void *ctx, const lk_state *s, const ir_event *ret);
void lk_build_summary(tctx *t, la_arena *a, lk_summary *sum);

#endif
