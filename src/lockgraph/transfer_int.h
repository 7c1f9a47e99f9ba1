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
	const ir_event *irq_on_at;  /* summary: a disable with IRQs as the callers left them */
	int irq_off_seen;           /* summary: an assertion that they are disabled then */
	int irq_on_depth;           /* calls from here down to irq_on_at's disable */
	la_arena *arena;            /* the states' */
	lk_irqlock *irq_locks;      /* summary: classes taken with the callers' IRQ state */
	int nirq_locks, capirq_locks;
	struct lk_irq_need *irq_needs;   /* per call id: whether its callees need IRQs on (irq.c) */
} tctx;

/* lockname.c: the lock a primitive's argument names, and a held lock for it */
const ir_expr *lk_lock_obj(tctx *t, la_arena *a, const ir_expr *arg);
/* ... the lock a call to primitive pr (event e) operates on: its argument's
 * object, a field of it ("field"), a global ("global:NAME") or what it
 * returns ("return"); NULL when the argument is missing */
const ir_expr *lk_prim_obj(tctx *t, la_arena *a, const rules_primitive *pr, const ir_event *e);
lk_held lk_make_held(tctx *t, la_arena *a, const ir_expr *obj, int mode, lk_how how, ir_loc at);
/* accessor.c: obj with the locals that hold what a call handed back (a
 * guard's constructor's value, a field of the struct it returns) named
 * through the call's arguments, and fields of this function's struct
 * locals set once named by their value */
const ir_expr *lk_call_values(tctx *t, la_arena *a, const ir_expr *obj);
/* h is a resource (rules "resource") of that name, held under it as its class; NULL: a lock */
void lk_held_resource(tctx *t, lk_held *h, const char *resource);

/* transfer.c: the lock a query call answers for, or NULL */
const ir_expr *lk_query_of_call(tctx *t, la_arena *a, int call_id, int *mode);

/* assertion.c */
lk_state *lk_event_assert(tctx *t, la_arena *a, const ir_event *e, lk_state *s, int block);

/* precond.c: an assertion written down as a precondition of the function */
void lk_note_requirement(tctx *t, la_arena *a, const lk_state *s, const ir_event *e, int truth, int block);
/* The same for an assertion whose argument is the lock `obj` (named as held
 * locks are): held(obj) in `mode` (an annotation's __must_hold). */
void lk_note_lock_requirement(tctx *t, la_arena *a, const lk_state *s, const ir_event *e, const ir_expr *obj,
			      int mode, int block);
/* ... the rules' precondition of the function ("preconditions") ... */
void lk_rules_requirement(tctx *t);
/* ... and what a callee's requirement leaves for the callers, at a call on
 * every path (final pass: all the states before the call) */
void lk_inherit_requirements(tctx *t, int block, const ir_event *e, lk_state *const *states, int n);

/* branch.c: facts and trylock results where a condition has a truth */
lk_state *lk_branch_on(tctx *t, la_arena *a, lk_state *s, const ir_expr *cond, int truth);
/* does a branch of f test the result of call_id, or the local holding it? */
int lk_result_tested(const ir_func *f, int call_id, const char *local);
/* does a branch fact on this path say that e is NULL (or 0)? */
int lk_known_null(tctx *t, const lk_state *s, const ir_expr *e);
/* the fact that names the result of call_id on a path (a trylock's) */
const char *lk_call_fact(tctx *t, int call_id);
/* An expression as text, interned and cached by IR node (conditions, lvalues). */
const char *lk_expr_text(tctx *t, const ir_expr *e);
lk_state *lk_on_edge(void *ctx, la_arena *a, const ir_block *b, int k, lk_state *s);

/* sites.c: call sites recorded at the callees */
void lk_on_observe(void *ctx, int block, int idx, const ir_event *e, lk_state *const *states, int n);

/* summary.c: ways out of the function, and its summary */
void lk_on_path_exit(void *ctx, const lk_state *s, const ir_event *ret);
void lk_build_summary(tctx *t, la_arena *a, lk_summary *sum);
/* atomic.c: the kind (LK_KIND_*) of the locks the summary's acquires take,
 * from the locks held on the ways out; and a primitive's */
void lk_mark_effect_kinds(tctx *t, lk_summary *sum);
int rules_prim_kind(const rules_primitive *pr);
/* The fact "put:INST": a counted reference this path held was dropped
 * (value 1), or taken again (0). */
lk_state *lk_put_fact(tctx *t, la_arena *a, lk_state *s, const char *inst, int value);

/* irq.c: the IRQ state after a primitive's `irq` (IRQ_*), and after a
 * call to these targets (their summaries; it also notes where a summary
 * relies on IRQs being enabled); the IRQ_* a call to them does, for the
 * checks' lock operations. */
lk_state *lk_irq_prim(tctx *t, la_arena *a, const lk_state *s, int irq, const ir_event *e);
lk_state *lk_irq_call(tctx *t, la_arena *a, lk_state *s, const int *targets, int n, const ir_event *e);
int lk_irq_prim_of_targets(const lk_prog *p, const int *targets, int n);
/* rules "irq" "asm": the IRQ change the inline asm next to call e (at
 * return e, at the entry when e is NULL) makes; and where the function
 * falls off its end */
lk_state *lk_irq_asm(tctx *t, la_arena *a, lk_state *s, const ir_event *e);
const lk_state *lk_irq_asm_exit(tctx *t, const lk_state *s);
/* Is call_id local_irq_is_enabled() (an "irq": "query" primitive)? An
 * assertion that IRQs are enabled (or not) at e. */
int lk_irq_is_query(const tctx *t, int call_id);
lk_state *lk_irq_assume(tctx *t, la_arena *a, lk_state *s, int enabled, const ir_event *e);
/* The IRQ part of the summary, from the ways out and what was noted. */
void lk_irq_summary(const tctx *t, lk_summary *sum);
/* Summary: a lock of class cls taken at e with IRQs as they are in s
 * (irq: the primitive's IRQ_*), and the classes callees take that way. */
void lk_irq_note_lock(tctx *t, const lk_state *s, const char *cls, const ir_event *e, int irq);
void lk_irq_note_callee_locks(tctx *t, const lk_state *s, const int *targets, int n, const ir_event *e);

#endif
