/* irq-safety: a lock class taken with IRQs known disabled somewhere (an
 * _irq or _irqsave primitive, inside such a section, or with IRQs off at
 * every call of the function) and with IRQs known enabled elsewhere (a root
 * of the rules, such as a hypercall or a softirq handler, reaches it with
 * IRQs on along every call). Xen's check_lock() stops on the second kind
 * once a lock has been seen with the first: an interrupt taken while the
 * IRQs-on holder has it spins on a lock its own CPU holds. A lock a callee
 * takes with IRQs as its callers left them (xfree()'s pool lock) counts at
 * each call where the caller's state is known. Both witnesses are shown,
 * with the chains of callers that give their IRQ state and the calls down
 * to the acquisition. */
#include "check.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdlib.h>

enum { LK_IRQ_WITNESS_DEPTH = 1 };

typedef struct witness {
	int fn;
	ir_loc at;
	int have;
	int inherited;           /* the IRQ state came from the callers: show the chain */
	int callee;              /* taken inside this callee (-1: here) ... */
	const ir_event *down;    /* ... at this event of it */
} witness;

typedef struct irq_class {
	const char *cls;
	witness off, on;
} irq_class;

typedef struct irq_state {
	la_strset names;     /* index = position in v */
	la_strset sleeping;  /* classes taken by primitives that do not spin (mutexes, rwsems) */
	irq_class *v;
	int n, cap;
} irq_state;

static irq_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(irq_state));
}

static void note(check_ctx *c, const char *cls, int off, const witness *w)
{
	irq_state *st = get_state(c);
	if (la_strset_add(&st->names, cls)) {
		LA_VEC_PUSH(st->v, st->n, st->cap);
		st->v[st->n++] = (irq_class){ cls, { 0 }, { 0 } };
	}
	irq_class *k = &st->v[la_strset_index(&st->names, cls)];
	witness *o = off ? &k->off : &k->on;
	/* one taken right there before one in a callee, then the first in
	 * source order */
	int direct = w->callee < 0, odirect = o->callee < 0;
	if (!o->have || direct > odirect || (direct == odirect && check_loc_before(w->at, o->at)))
		*o = *w;
}

/* Boot code and code that runs with one CPU online (Xen's S3 path, where
 * spin_debug_disable() also turns check_lock() off): only what the
 * function itself shows counts there, not a state from its callers or a
 * lock deep in its callees. */
static int quiet_code(const lk_prog *p, const lk_fn *fn, const ir_event *e)
{
	return fn->boot || lk_single_cpu_at(p, fn, e);
}

/* Do the rules say which primitives spin ("context": "atomic")? Then the
 * others sleep (Linux's mutexes and rw semaphores): taking one with IRQs
 * disabled is a sleep in atomic context (forbidden-call), not a lock an
 * interrupt could spin on. */
static int rules_tell_spinning(const rules *r)
{
	for (int i = 0; r && i < r->nprimitives; i++)
		if (r->primitives[i].atomic)
			return 1;
	return 0;
}

static void irq_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before, const lk_lockop *op)
{
	if (op->op != PRIM_ACQUIRE || op->lock->cls[0] == '?')
		return;
	if (!(op->lock->kind & LK_KIND_ATOMIC) && rules_tell_spinning(check_rules(c)))
		la_strset_add(&get_state(c)->sleeping, op->lock->cls);
	int by_op = op->irq == IRQ_DISABLE || op->irq == IRQ_SAVE;
	int off = by_op || before->irq == LK_IRQ_OFF, on = !off && before->irq == LK_IRQ_ON;
	if (!off && !on)
		return;   /* not known: no witness either way */
	witness w = { (int)(fn - check_prog(c)->fn), e->loc, 1, !by_op && before->irq_inh, -1, NULL };
	if (w.inherited && quiet_code(check_prog(c), fn, e))
		return;
	note(c, op->lock->cls, off, &w);
}

/* Calls whose callees (or their callees: one level down, not deeper, as
 * the calls further down may not be taken) take locks with the caller's
 * IRQ state. */
static void irq_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_CALL || !n || e->u.call.id < 0 || e->u.call.id >= fn->ir->ncalls)
		return;
	int irq = lk_irq_of_states(states, n), inherited = 1;
	if (irq != LK_IRQ_OFF && irq != LK_IRQ_ON)
		return;
	for (int j = 0; j < n; j++)
		inherited &= states[j]->irq_inh;
	const lk_prog *p = check_prog(c);
	if (quiet_code(p, fn, e))
		return;
	const lk_call *cl = &fn->calls[e->u.call.id];
	for (int k = 0; !cl->prim && k < cl->ntargets; k++) {
		const lk_summary *sum = &p->fn[cl->targets[k]].sum;
		for (int i = 0; i < sum->nirq_locks; i++) {
			const lk_irqlock *l = &sum->irq_locks[i];
			if (l->depth > LK_IRQ_WITNESS_DEPTH || !lk_reaches_event(p, cl->targets[k], l->at, (int)(fn - p->fn), e))
				continue;   /* these arguments keep it off that path */
			witness w = { (int)(fn - p->fn), e->loc, 1, inherited, cl->targets[k], l->at };
			note(c, l->cls, irq == LK_IRQ_OFF, &w);
		}
	}
}

/* From a call down to where a callee takes the class. */
static void trace_down(check_ctx *c, finding *f, const char *cls, int fi, const ir_event *at, const char *state)
{
	const lk_prog *p = check_prog(c);
	for (int depth = 0; depth <= LK_IRQ_ON_DEPTH + 1 && at; depth++) {
		const lk_fn *fn = &p->fn[fi];
		const lk_call *cl = at->kind == IR_EV_CALL ? &fn->calls[at->u.call.id] : NULL;
		const ir_event *next = NULL;
		for (int k = 0; cl && !cl->prim && k < cl->ntargets && !next; k++) {
			const lk_summary *sum = &p->fn[cl->targets[k]].sum;
			for (int i = 0; i < sum->nirq_locks && !next; i++)
				if (sum->irq_locks[i].cls == cls) {
					next = sum->irq_locks[i].at;
					finding_add_step(f, "call", check_path(c, at->loc.file), at->loc.line, at->loc.col,
							 check_fn_name(fn), "%s() calls %s() with IRQs %s", check_fn_name(fn),
							 check_fn_name(&p->fn[cl->targets[k]]), state);
					fi = cl->targets[k];
				}
		}
		if (!next) {
			finding_add_step(f, "acquire", check_path(c, at->loc.file), at->loc.line, at->loc.col,
					 check_fn_name(fn), "%s taken with IRQs %s", cls, state);
			return;
		}
		at = next;
	}
}

/* Where the class is taken, and the callers that give the IRQ state there. */
static void trace_witness(check_ctx *c, finding *f, const char *cls, const witness *w, int irq)
{
	const lk_fn *fn = &check_prog(c)->fn[w->fn];
	const char *state = irq == LK_IRQ_OFF ? "disabled" : "enabled";
	if (w->inherited)
		check_trace_irq(c, f, fn, irq);
	if (w->callee >= 0) {
		finding_add_step(f, "call", check_path(c, w->at.file), w->at.line, w->at.col, check_fn_name(fn),
				 "%s() calls %s() with IRQs %s", check_fn_name(fn),
				 check_fn_name(&check_prog(c)->fn[w->callee]), state);
		trace_down(c, f, cls, w->callee, w->down, state);
		return;
	}
	finding_add_step(f, "acquire", check_path(c, w->at.file), w->at.line, w->at.col, check_fn_name(fn),
			 "%s taken with IRQs %s%s", cls, state, w->inherited ? " (as its callers leave them)" : "");
}

static void irq_finish(check_ctx *c)
{
	irq_state *st = get_state(c);
	lk_prog *p = check_prog(c);
	for (int i = 0; i < st->n; i++) {
		const irq_class *k = &st->v[i];
		if (!k->off.have || !k->on.have || la_strset_has(&st->sleeping, k->cls))
			continue;
		const lk_fn *on = &p->fn[k->on.fn], *off = &p->fn[k->off.fn];
		finding *f = check_report(c, on, k->on.at, k->cls, k->cls,
					  "%s taken with IRQs enabled here, and with IRQs disabled in %s()", k->cls,
					  check_fn_name(off));
		if (f) {
			trace_witness(c, f, k->cls, &k->off, LK_IRQ_OFF);
			trace_witness(c, f, k->cls, &k->on, LK_IRQ_ON);
		}
	}
}

static void irq_free(void *vst)
{
	irq_state *st = vst;
	la_strset_free(&st->names);
	la_strset_free(&st->sleeping);
	free(st->v);
	free(st);
}

const la_check check_irq_safety = {
	.id = "irq-safety",
	.severity = "warning",
	.enabled = 1,
	.title = "lock class taken both with IRQs disabled and with IRQs enabled",
	.description = "A lock class taken with IRQs known disabled in one place and with IRQs known enabled in "
		"another: an interrupt taking it on a CPU that holds it with IRQs enabled deadlocks.",
	.event = irq_event,
	.lock_op = irq_op,
	.finish = irq_finish,
	.free_state = irq_free,
};
