/* irq-reenable: spin_lock_irq() (a primitive whose `irq` is "disable") where
 * IRQs are already disabled, directly or through the functions called.
 * Xen's _spin_lock_irq() asserts local_irq_is_enabled(), and the
 * spin_unlock_irq() that goes with it turns IRQs on behind the code that
 * turned them off (the S3 resume path that ran adjust_irq_affinity() with
 * IRQs off). Reported where IRQs were disabled: at the call in the function
 * that disabled them (its callees' summaries say that they rely on IRQs
 * being on), or in a root of the rules entered with IRQs off. The trace
 * goes down to the spin_lock_irq(). */
#include "check.h"

#include <stdio.h>

/* The callee through which a call reaches, with IRQs as its caller had
 * them, something that needs them enabled (-1: none; -2: the call is the
 * disable primitive itself): one target of a vendor's ops table, every
 * target of a call through a pointer with more (LK_IRQ_VENDOR_TARGETS). */
static int needs_on(const lk_prog *p, const lk_fn *fn, const ir_event *e)
{
	if (e->u.call.id < 0 || e->u.call.id >= fn->ir->ncalls)
		return -1;
	const lk_call *c = &fn->calls[e->u.call.id];
	if (c->prim)
		return c->prim->op != PRIM_IRQ && c->prim->irq == IRQ_DISABLE ? -2 : -1;
	int found = -1, all = 1;
	for (int k = 0; k < c->ntargets; k++) {
		const ir_event *on = p->fn[c->targets[k]].sum.irq_on_at;
		/* not when these arguments keep it off that path */
		if (on && lk_reaches_event(p, c->targets[k], on, (int)(fn - p->fn), e)) {
			if (found < 0)
				found = c->targets[k];
		} else {
			all = 0;
		}
	}
	return c->ntargets > LK_IRQ_VENDOR_TARGETS && !all ? -1 : found;
}

/* An inline spin_lock_irq() (an inferred wrapper): the chain ends at the
 * call to it. */
static int is_wrapper(const lk_fn *fn)
{
	return fn->sum.neff > 0 && fn->sum.irq_on_depth == 0;
}

/* The event at the end of the chain from fn's event e (and its function). */
static const ir_event *chain_end(const lk_prog *p, const lk_fn *fn, const ir_event *e, const lk_fn **efn)
{
	for (int depth = 0; depth <= LK_IRQ_ON_DEPTH + 1 && e->kind == IR_EV_CALL; depth++) {
		int t = needs_on(p, fn, e);
		if (t < 0 || !p->fn[t].sum.irq_on_at || is_wrapper(&p->fn[t]))
			break;
		fn = &p->fn[t];
		e = fn->sum.irq_on_at;
	}
	*efn = fn;
	return e;
}

/* From a call down to what needs IRQs enabled: each function's irq_on_at,
 * a disable primitive (spin_lock_irq) or an assertion. */
static void trace_down(check_ctx *c, finding *f, const lk_fn *fn, const ir_event *e)
{
	const lk_prog *p = check_prog(c);
	for (int depth = 0; depth <= LK_IRQ_ON_DEPTH + 1 && e; depth++) {
		const char *file = check_path(c, e->loc.file);
		if (e->kind == IR_EV_ASSERT) {
			finding_add_step(f, "assert", file, e->loc.line, e->loc.col, check_fn_name(fn),
					 "%s() asserts that IRQs are enabled", check_fn_name(fn));
			return;
		}
		int t = needs_on(p, fn, e);
		if (t < 0 || is_wrapper(&p->fn[t])) {
			finding_add_step(f, "acquire", file, e->loc.line, e->loc.col, check_fn_name(fn),
					 "%s() asserts that IRQs are enabled; the unlock that goes with it enables them",
					 e->u.call.name ? e->u.call.name : "?");
			return;
		}
		finding_add_step(f, "call", file, e->loc.line, e->loc.col, check_fn_name(fn),
				 "%s() calls %s() with IRQs disabled", check_fn_name(fn), check_fn_name(&p->fn[t]));
		fn = &p->fn[t];
		e = fn->sum.irq_on_at;
	}
}

static void reenable_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_CALL || !n)
		return;
	int inherited = 1;
	for (int j = 0; j < n; j++) {
		if (states[j]->irq != LK_IRQ_OFF)
			return;
		inherited &= states[j]->irq_inh;
	}
	/* IRQs off because every caller has them off: the callers' calls are
	 * the ones to report, unless the rules say this is where it starts */
	int root = fn->irq_root == LK_IRQ_OFF || fn->irq_reg == LK_IRQ_OFF;
	if (inherited && !root)
		return;
	const lk_prog *p = check_prog(c);
	int t = needs_on(p, fn, e);
	if (t == -1)
		return;
	const char *what = t >= 0 ? check_fn_name(&p->fn[t]) : e->u.call.name;
	finding *f;
	if (t == -2 || is_wrapper(&p->fn[t])) {
		f = check_report(c, fn, e->loc, what, NULL,
				 "%s() with IRQs already disabled: it asserts they are enabled, and the unlock that goes with it enables them",
				 what);
	} else {
		/* what it reaches is part of the subject: another way to the
		 * same call is another finding */
		const lk_fn *efn;
		const ir_event *end = chain_end(p, &p->fn[t], p->fn[t].sum.irq_on_at, &efn);
		char subject[256];
		const char *need = end->kind == IR_EV_ASSERT ? "an assertion" : end->u.call.name ? end->u.call.name : "?";
		snprintf(subject, sizeof(subject), "%s:%s:%s", what, check_fn_name(efn), need);
		f = check_report(c, fn, e->loc, subject, NULL,
				 "call to %s() with IRQs disabled: it reaches %s%s in %s(), which needs them enabled", what,
				 need, end->kind == IR_EV_ASSERT ? "" : "()", check_fn_name(efn));
	}
	if (!f)
		return;
	if (inherited)
		check_trace_irq(c, f, fn, LK_IRQ_OFF);
	else
		finding_add_step(f, "call", check_path(c, e->loc.file), e->loc.line, e->loc.col, check_fn_name(fn),
				 "IRQs disabled earlier in %s()", check_fn_name(fn));
	trace_down(c, f, fn, e);
}

const la_check check_irq_reenable = {
	.id = "irq-reenable",
	.severity = "warning",
	.enabled = 1,
	.title = "spin_lock_irq() reached with IRQs already disabled",
	.description = "spin_lock_irq() reached with IRQs already disabled: it asserts they are enabled, and its unlock "
		"enables them under a caller that expects them off.",
	.event = reenable_event,
};
