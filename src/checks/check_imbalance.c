/* imbalance: a function that returns with a lock it took held on some paths
 * and released on others, when nothing tells the paths apart (the return
 * value, as for a trylock wrapper; the condition it was taken under; the
 * callers' lock dropped on purpose), and the release of a lock that is not
 * held on that path. */
#include "check.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct exit_rec {
	const lk_state *s;
	const ir_event *ret;
} exit_rec;

typedef struct acq_rec {     /* an acquisition, with the path's facts there */
	const char *inst;
	const lk_state *before;
} acq_rec;

typedef struct rel_rec {     /* a release of a lock not held on its path */
	const ir_event *e;
	lk_held lock;            /* a copy: the hook's is a temporary */
} rel_rec;

typedef struct imbalance_state {
	exit_rec *x;
	int n, cap;
	acq_rec *acq;
	int nacq, capacq;
	rel_rec *rel;
	int nrel, caprel;
	const char **callers;   /* locks of the callers this function dropped */
	int ncallers, capcallers;
	const char **released;  /* every lock this function releases */
	int nreleased, capreleased;
} imbalance_state;

static imbalance_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(imbalance_state));
}

static void imbalance_exit(check_ctx *c, const lk_fn *fn, const lk_state *s, const ir_event *ret)
{
	(void)fn;
	imbalance_state *st = get_state(c);
	LA_VEC_PUSH(st->x, st->n, st->cap);
	st->x[st->n++] = (exit_rec){ s, ret };
}

/* The function's summary says it acquires this lock (always or by its
 * return value): its callers know, nothing is unbalanced. A callback's
 * "on some paths" is no such promise. */
static int summarised(const lk_fn *fn, const lk_held *h)
{
	for (int i = 0; i < fn->sum.neff; i++)
		if (fn->sum.eff[i].op == PRIM_ACQUIRE && fn->sum.eff[i].cond != LK_MAYBE && h->obj &&
		    lk_expr_equal(fn->sum.eff[i].obj, h->obj))
			return 1;
	return 0;
}

/* 0 or 1 when the value returned is known to be zero or not: a constant,
 * or a variable a branch on the path decided (`if ( rc ) unlock; return
 * rc;`); -1 otherwise. */
static int ret_truth(check_ctx *c, const exit_rec *x)
{
	return lk_value_truth(check_prog(c)->in, x->s, x->ret ? x->ret->u.ret.value : NULL);
}

/* Does the return value say whether the lock is held, on every way out
 * (non-zero with it and zero without, or the reverse)? An unknown value
 * returned with the lock held counts as non-zero when the ways out without
 * it return zero (a lookup returning what it found, locked). The callers
 * can test it, whether or not they can name the lock. */
static int told_by_value(check_ctx *c, const imbalance_state *st, const lk_held *h)
{
	int on_nonzero = 1, on_zero = 1;
	for (int y = 0; y < st->n; y++) {
		const lk_held *o = lk_state_find(st->x[y].s, h->inst, h->cls);
		int held = o && !o->maybe, rc = ret_truth(c, &st->x[y]);
		on_nonzero &= rc == 1 ? held : rc == 0 ? !held : held;
		on_zero &= rc == 0 ? held : rc == 1 ? !held : 0;
	}
	return on_nonzero || on_zero;
}

/* Was the lock never taken on the path to this way out: every acquisition
 * of it was under a branch fact that is false here (`if ( c ) lock` ...
 * `if ( !c ) return`; spin_lock_if(cond, l); a double-lock helper that
 * takes one lock when both are the same)? */
static int not_taken_here(const imbalance_state *st, const char *inst, const lk_state *out)
{
	int any = 0;
	for (int i = 0; i < st->nacq; i++) {
		if (st->acq[i].inst != inst)
			continue;
		any = 1;
		const lk_state *b = st->acq[i].before;
		int contradicted = 0;
		for (int k = 0; k < b->nfacts && !contradicted; k++)
			for (int m = 0; m < out->nfacts && !contradicted; m++)
				contradicted = out->facts[m].cond == b->facts[k].cond &&
					       out->facts[m].value != b->facts[k].value;
		if (!contradicted)
			return 0;
	}
	return any;
}

static int in_list(const char *const *v, int n, const char *inst)
{
	for (int i = 0; i < n; i++)
		if (v[i] == inst)
			return 1;
	return 0;
}

/* The exit without h that nothing explains, or -1. */
static int unexplained_exit(const imbalance_state *st, const lk_held *h)
{
	for (int y = 0; y < st->n; y++)
		if (!lk_state_find(st->x[y].s, h->inst, h->cls) && !not_taken_here(st, h->inst, st->x[y].s))
			return y;
	return -1;
}

static void report_exit(check_ctx *c, const lk_fn *fn, const lk_held *h, const ir_event *ret, const ir_event *other)
{
	ir_loc at = ret ? ret->loc : h->at;
	char *text = check_lock_text(fn, h);
	finding *f = check_report(c, fn, at, h->cls, h->cls, "%s() returns with %s held here but not on other paths",
				  check_fn_name(fn), text);
	if (f) {
		check_trace_acquired(c, f, h, fn);
		finding_add_step(f, "return", f->file, at.line, at.col, f->func, "returns with %s held", text);
		if (other)
			finding_add_step(f, "return", f->file, other->loc.line, other->loc.col, f->func,
					 "returns without it");
	}
	free(text);
}

/* Did this path drop the lock without holding it (its callers') before
 * taking it again? It then hands the callers their lock back:
 * __scoped_seqlock_next() ends the caller's read section and, on a
 * retry, begins the next one. */
static int callers_retaken(const lk_state *s, const lk_held *h)
{
	for (int i = 0; i < s->nrel; i++)
		if (s->rel[i].inst == h->inst && s->rel[i].cls == h->cls && s->rel[i].how != LK_GIVEN_BACK)
			return 1;
	return 0;
}

static void check_exits(check_ctx *c, const lk_fn *fn, const imbalance_state *st)
{
	for (int x = 0; x < st->n; x++) {
		const lk_state *s = st->x[x].s;
		for (int i = 0; i < s->nheld; i++) {
			const lk_held *h = &s->held[i];
			if (h->how != LK_ACQUIRED || h->maybe || (h->kind & LK_KIND_REFCOUNT) || summarised(fn, h) ||
			    in_list(st->callers, st->ncallers, h->inst) || callers_retaken(s, h) ||
			    lk_obj_through_iterator(fn, h->obj))
				continue;   /* (an iterator's lock stands for one per turn of a loop) */
			/* never released here: the ways out without it never took
			 * it, nothing was forgotten (an enter function with an
			 * early way out: efi_rs_enter(), vmx_vmcs_try_enter()) */
			if (!in_list(st->released, st->nreleased, h->inst))
				continue;
			const ir_expr *rv = st->x[x].ret ? st->x[x].ret->u.ret.value : NULL;
			if (rv && rv->kind == IR_E_LOCAL && h->obj && lk_expr_contains(h->obj, rv))
				continue;   /* handed over in the return value: the summary says so */
			int y = unexplained_exit(st, h);
			if (y < 0 || told_by_value(c, st, h))
				continue;
			report_exit(c, fn, h, st->x[x].ret, st->x[y].ret);
		}
	}
}

/* A release of a lock not held is judged when the function names the lock
 * through a local of its own (not a macro's temporary such as per_cpu()'s
 * __ptr): a lock named through a parameter or a global may be its
 * caller's, released by an unlock wrapper. */
static int own_local(const ir_expr *e)
{
	if (!e)
		return 0;
	if (e->kind == IR_E_LOCAL)
		return e->name && strncmp(e->name, "__", 2) != 0;
	return own_local(e->a) || own_local(e->b) || own_local(e->c);
}

static void check_releases(check_ctx *c, const lk_fn *fn, const imbalance_state *st)
{
	for (int i = 0; i < st->nrel; i++) {
		const lk_held *l = &st->rel[i].lock;
		const ir_event *e = st->rel[i].e;
		if (!own_local(l->obj) || lk_obj_walks_from_params(fn, l->obj) || lk_obj_through_iterator(fn, l->obj))
			continue;   /* maybe the caller's: pci_bus_unlock() walks the bus pci_bus_lock() locked */
		char *text = check_lock_text(fn, l);
		finding *f = check_report(c, fn, e->loc, l->cls, l->cls, "release of %s, which is not held on this path",
					  text);
		if (f)
			finding_add_step(f, "release", f->file, e->loc.line, e->loc.col, f->func, "%s released", text);
		free(text);
	}
}

static void imbalance_done(check_ctx *c, const lk_fn *fn)
{
	imbalance_state *st = get_state(c);
	check_exits(c, fn, st);
	check_releases(c, fn, st);
	st->n = st->nacq = st->nrel = st->ncallers = st->nreleased = 0;
}

/* Another lock of the class is held: the two names may be one object
 * (`if ( q != old_q ) spin_unlock(&old_q->lock);` after taking one lock
 * when both are the same queue). */
static int same_class_held(const lk_state *s, const lk_held *l)
{
	for (int i = 0; i < s->nheld; i++)
		if (s->held[i].cls == l->cls && l->cls[0] != '?')
			return 1;
	return 0;
}

/* The lock, taken here, that a callee released on this path. */
static const lk_held *given_back(const lk_state *s, const lk_held *l)
{
	for (int i = 0; i < s->nrel; i++)
		if (s->rel[i].how == LK_GIVEN_BACK && s->rel[i].inst == l->inst && s->rel[i].cls == l->cls)
			return &s->rel[i];
	return NULL;
}

/* The caller and a callee both release it: whatever the lock's name, the
 * second release is of a lock not held. */
static void report_double_release(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_held *l,
				  const lk_held *given)
{
	char *text = check_lock_text(fn, l);
	finding *f = check_report(c, fn, e->loc, l->cls, l->cls,
				  "release of %s, which the call at line %d released already on this path", text,
				  given->at.line);
	if (f) {
		finding_add_step(f, "release", f->file, given->at.line, given->at.col, f->func,
				 "%s released by the callee (its value says so)", text);
		finding_add_step(f, "release", f->file, e->loc.line, e->loc.col, f->func, "%s released again", text);
	}
	free(text);
}

/* A reference released after a test of its pointer's value (`if ( d &&
 * !is_system_domain(d) ) rcu_unlock_domain(d);`): the value, not the path,
 * says whether one was taken (lockgraph's branch facts name it "@d"). */
static int value_tested(check_ctx *c, const lk_state *before, const lk_held *l)
{
	if (!l->resource || !l->obj || l->obj->kind != IR_E_DEREF || !l->obj->a)
		return 0;
	const char *fact = lk_value_fact(check_prog(c)->in, l->obj->a);
	for (int i = 0; i < before->nfacts; i++)
		if (before->facts[i].cond == fact)
			return 1;
	return 0;
}

static void imbalance_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			 const lk_lockop *op)
{
	(void)fn;
	imbalance_state *st = get_state(c);
	const lk_held *l = op->lock;
	if (l->kind & LK_KIND_REFCOUNT)
		return;   /* counted references are refcount-balance's */
	if (op->op == PRIM_ACQUIRE) {
		LA_VEC_PUSH(st->acq, st->nacq, st->capacq);
		st->acq[st->nacq++] = (acq_rec){ l->inst, before };
		return;
	}
	if (op->op != PRIM_RELEASE)
		return;
	LA_VEC_PUSH(st->released, st->nreleased, st->capreleased);
	st->released[st->nreleased++] = op->before ? op->before->inst : l->inst;
	if (op->before && op->before->how != LK_ACQUIRED && op->before->how != LK_SOME_PATHS) {
		/* the callers' lock, dropped here (and maybe taken again):
		 * whether it is held on the way out is the callers' contract */
		LA_VEC_PUSH(st->callers, st->ncallers, st->capcallers);
		st->callers[st->ncallers++] = op->before->inst;
		return;
	}
	/* a state joined past the path limit lost the facts that tell its
	 * paths apart: not one path on which the lock is not held */
	if (op->before || !l->obj || l->inst[0] == '?')
		return;
	const lk_held *given = given_back(before, l);
	if (given) {
		report_double_release(c, fn, e, l, given);
		return;
	}
	if (before->merged || same_class_held(before, l) || value_tested(c, before, l))
		return;
	LA_VEC_PUSH(st->rel, st->nrel, st->caprel);
	st->rel[st->nrel++] = (rel_rec){ e, *l };
}

static void imbalance_free(void *vst)
{
	imbalance_state *st = vst;
	free(st->x);
	free(st->acq);
	free(st->rel);
	free(st->callers);
	free(st->released);
	free(st);
}

const la_check check_imbalance = {
	.id = "imbalance",
	.severity = "warning",
	.enabled = 1,
	.resources = 1,
	.title = "lock (or RCU reference) held on some return paths only, or released when not held",
	.description = "A function that returns with a lock (or an RCU reference) it took held on some paths only, or "
		"that releases a lock that is not held.",
	.lock_op = imbalance_op,
	.exit = imbalance_exit,
	.done = imbalance_done,
	.free_state = imbalance_free,
};
