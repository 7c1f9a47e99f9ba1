/* What events do to the locks held: primitives from the rules, callee
 * summaries (inferred wrappers), assignments of trylock results; and the
 * driver that runs one function's analysis. */
#include "transfer_int.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tell the checks about an acquire or release on this path (final pass). */
static void report_lock_op(tctx *t, const ir_event *e, const lk_state *s, rules_prim_op op, const lk_held *h,
			   int irq, int via)
{
	if (!t->final || !t->sink || !t->sink->lock_op)
		return;
	int at = op == PRIM_RELEASE ? lk_state_release_index(s, h->inst, h->cls) : -1;
	lk_lockop lo = { op, h, at >= 0 ? &s->held[at] : lk_state_find(s, h->inst, h->cls), irq, via };
	t->sink->lock_op(t->sink->ctx, t->fn, e, s, &lo);
}

/* The call whose conditional acquire of h, by a wrapper, is still pending
 * (its value never tested), or -1. Releasing the lock then says that the
 * caller knows the call took it: its arguments made the acquire
 * unconditional (vfio_pci_zap_and_vma_lock(vdev, false) returns 0 without
 * the lock only when its `try` is true). */
static int untested_acquire(const lk_state *s, const lk_held *h)
{
	if (lk_state_release_index(s, h->inst, h->cls) >= 0)
		return -1;
	for (int i = 0; i < s->ntries; i++)
		if (s->tries[i].wrapper && !s->tries[i].release && !s->tries[i].always &&
		    s->tries[i].lock.inst == h->inst && s->tries[i].lock.cls == h->cls)
			return s->tries[i].call_id;
	return -1;
}

static lk_state *apply_lock_op(tctx *t, la_arena *a, lk_state *s, rules_prim_op op, const ir_expr *obj,
			       int mode, lk_cond cond, const ir_event *e, int irq, int via, const char *resource,
			       int kind)
{
	int call_id = e->u.call.id;
	lk_held h = lk_make_held(t, a, obj, mode, LK_ACQUIRED, e->loc);
	lk_held_resource(t, &h, resource);
	h.kind = (unsigned char)kind;
	/* a section begin that spins until it may start (__read_seqcount_begin()
	 * reads the counter in a loop): inside the section, it is no new acquire */
	if (op == PRIM_ACQUIRE && cond == LK_ALWAYS && (h.kind & LK_KIND_REENTER)) {
		const lk_held *o = lk_state_find(s, h.inst, h.cls);
		if (o && !o->maybe)
			return s;
	}
	if (cond == LK_ALWAYS && (op == PRIM_ACQUIRE || op == PRIM_RELEASE))
		report_lock_op(t, e, s, op, &h, irq, via);
	if (op == PRIM_ACQUIRE && cond == LK_ALWAYS && !resource)   /* a trylock cannot deadlock */
		lk_irq_note_lock(t, s, h.cls, e, irq);
	switch (op) {
	case PRIM_ACQUIRE:
		if (cond == LK_ALWAYS && (h.kind & LK_KIND_REFCOUNT))
			return lk_state_acquire(a, lk_put_fact(t, a, s, h.inst, 0), &h);
		if (cond == LK_ALWAYS)
			return lk_state_acquire(a, s, &h);
		__attribute__((fallthrough));   /* a conditional acquire is a trylock */
	case PRIM_TRY: {
		lk_try tr = { call_id, cond != LK_IF_ZERO, 0, h, 0, via >= 0 };
		return lk_state_add_try(a, s, &tr);
	}
	case PRIM_RELEASE: {
		if (cond == LK_IF_ZERO || cond == LK_IF_NONZERO) {
			/* released when the value returned says so */
			lk_try tr = { call_id, cond == LK_IF_NONZERO, 0, h, 1, via >= 0 };
			return lk_state_add_try(a, s, &tr);
		}
		int found;
		const lk_held *o = lk_state_find(s, h.inst, h.cls);
		int pending = o ? -1 : untested_acquire(s, &h);
		if (pending >= 0)
			return lk_state_drop_try(a, s, pending);
		/* dropping the caller's lock (held by contract or inherited) is
		 * a release the caller sees, even when it is taken again later */
		int callers = o && o->how != LK_ACQUIRED && o->count <= 1;
		lk_state *r = lk_state_release(a, s, h.inst, h.cls, &found);
		if ((!found || callers) && obj && lk_expr_rooted_in_params(obj))
			r = lk_state_add_released(a, r, &h);
		if (found && (h.kind & LK_KIND_REFCOUNT) && !lk_state_find(r, h.inst, h.cls))
			r = lk_put_fact(t, a, r, h.inst, 1);   /* the refcount-balance check reads it */
		return r;
	}
	case PRIM_DOWNGRADE: {
		/* downgrade_write(): still held, for reading now */
		const lk_held *o = lk_state_find(s, h.inst, h.cls);
		int at = o ? (int)(o - s->held) : lk_state_release_index(s, h.inst, h.cls);
		if (at < 0)
			return s;
		s = lk_state_copy(a, s);
		s->held[at].mode = LOCK_SHARED;
		s->held[at].mixed = 0;
		return s;
	}
	case PRIM_QUERY:
	case PRIM_IRQ:
		return s;
	}
	return s;
}

/* A lock taken (or dropped) by some of the targets of a call through a
 * pointer only: held afterwards on some paths ("maybe", LK_SOME_PATHS), so
 * that what needs it is not said to run without it, nor what it forbids
 * to run under it. */
static lk_state *on_some_paths(tctx *t, la_arena *a, lk_state *s, rules_prim_op op, const ir_expr *obj, int mode,
			       ir_loc at)
{
	lk_held h = lk_make_held(t, a, obj, mode, LK_SOME_PATHS, at);
	const lk_held *o = lk_state_find(s, h.inst, h.cls);
	if (op == PRIM_ACQUIRE && !o)
		s = lk_state_acquire(a, s, &h);
	else if (op == PRIM_RELEASE && o && !o->maybe)
		s = lk_state_copy(a, s);
	else
		return s;
	/* the state is a fresh copy: mark its lock */
	((lk_held *)lk_state_find(s, h.inst, h.cls))->maybe = 1;
	return s;
}

static int has_effect(const lk_summary *sum, const lk_effect *ef)
{
	for (int i = 0; i < sum->neff; i++)
		if (sum->eff[i].op == ef->op && sum->eff[i].cond == ef->cond && lk_expr_equal(sum->eff[i].obj, ef->obj))
			return 1;
	return 0;
}

/* A call through a pointer (or to one of several definitions) runs one of
 * its targets: an effect every target has is the call's (an ops table
 * whose every ->enter takes the same lock); one that only some have holds
 * on some paths. */
static lk_state *call_targets(tctx *t, la_arena *a, const ir_event *e, lk_state *s, const lk_call *c)
{
	s = lk_state_kill_facts(a, s, NULL);
	int irq = lk_irq_prim_of_targets(t->p, c->targets, c->ntargets);
	for (int k = 0; k < c->ntargets; k++) {
		const lk_summary *sum = &t->p->fn[c->targets[k]].sum;
		for (int i = 0; i < sum->neff; i++) {
			const lk_effect *ef = &sum->eff[i];
			int seen = 0, all = ef->cond == LK_ALWAYS;
			for (int m = 0; m < k && !seen; m++)
				seen = has_effect(&t->p->fn[c->targets[m]].sum, ef);
			for (int m = k + 1; m < c->ntargets && all; m++)
				all = has_effect(&t->p->fn[c->targets[m]].sum, ef);
			const ir_expr *obj = seen || lk_expr_contains(ef->obj, lk_ret_marker()) ? NULL
					     : lk_subst_params(a, ef->obj, e->u.call.args, e->u.call.nargs);
			if (!obj)
				continue;
			obj = lk_resolve_locals(a, obj, &t->fn->locals);
			s = all && k == 0 ? apply_lock_op(t, a, s, ef->op, obj, ef->mode, LK_ALWAYS, e, irq, c->targets[0],
							  ef->resource, ef->kind)
					  : on_some_paths(t, a, s, ef->op, obj, ef->mode, e->loc);
		}
	}
	lk_irq_note_callee_locks(t, s, c->targets, c->ntargets, e);
	return lk_irq_call(t, a, s, c->targets, c->ntargets, e);
}

/* Is the argument through which a callee reaches obj NULL here? */
static int null_arg(tctx *t, const lk_state *s, const ir_expr *obj, const ir_event *e)
{
	const ir_expr *r = obj;
	while (r && r->kind != IR_E_PARAM && r->a)
		r = r->a;
	if (!r || r->kind != IR_E_PARAM || r == obj || r->ival >= e->u.call.nargs)
		return 0;
	return lk_known_null(t, s, e->u.call.args[r->ival]);
}

/* The call whose pending conditional acquire the argument through which
 * a callee reaches obj holds (a local assigned from it), or -1. */
static int pending_arg(const lk_state *s, const ir_expr *obj, const ir_event *e)
{
	const ir_expr *r = obj;
	while (r && r->kind != IR_E_PARAM && r->a)
		r = r->a;
	if (!r || r->kind != IR_E_PARAM || r == obj || r->ival >= e->u.call.nargs)
		return -1;
	const ir_expr *arg = e->u.call.args[r->ival];
	int id = arg && arg->kind == IR_E_LOCAL ? lk_state_alias(s, arg->name) : -1;
	const lk_try *tr = id >= 0 ? lk_state_try(s, id) : NULL;
	/* a tested one is resolved: held, or not, already */
	return tr && !tr->release && !lk_state_find(s, tr->lock.inst, tr->lock.cls) ? id : -1;
}

static lk_state *event_call(tctx *t, la_arena *a, const ir_event *e, lk_state *s)
{
	int id = e->u.call.id;
	if (id < 0 || id >= t->fn->ir->ncalls)
		return s;
	const lk_call *c = &t->fn->calls[id];
	/* a call run again (in a loop) has a new result */
	for (int i = 0; i < s->nfacts; i++)
		if (strncmp(s->facts[i].cond, "call#", 5) == 0) {
			s = lk_state_kill_facts(a, s, lk_call_fact(t, id));
			break;
		}
	if (c->prim) {
		const rules_primitive *pr = c->prim;
		if (pr->op == PRIM_IRQ)   /* local_irq_disable() asserts nothing: no event to note */
			return lk_irq_prim(t, a, s, pr->irq, NULL);
		/* pci_get_device(v, d, from) drops its reference to `from` */
		const ir_expr *from = pr->drops >= 0 && pr->drops < e->u.call.nargs
				      ? lk_lock_obj(t, a, e->u.call.args[pr->drops]) : NULL;
		if (from && lk_const_truth(e->u.call.args[pr->drops]) != 0 && !lk_known_null(t, s, e->u.call.args[pr->drops]))
			s = apply_lock_op(t, a, s, PRIM_RELEASE, from, pr->mode, LK_ALWAYS, e, IRQ_KEEP, -1, pr->resource,
					  rules_prim_kind(pr));
		const ir_expr *obj = lk_prim_obj(t, a, pr, e);
		if (!obj)
			return s;
		if (pr->arg == RULES_ARG_RETURN && pr->op == PRIM_ACQUIRE) {
			/* held under the name the caller stores the value in
			 * (`f = rcu_lock_domain(dom_xen)` holds *f) */
			lk_try tr = { id, 1, 1, lk_make_held(t, a, obj, pr->mode, LK_ACQUIRED, e->loc), 0, 0 };
			lk_held_resource(t, &tr.lock, pr->resource);
			tr.lock.kind = (unsigned char)rules_prim_kind(pr);
			return lk_irq_prim(t, a, lk_state_add_try(a, s, &tr), pr->irq, e);
		}
		/* the checks see the IRQ state before the call, and the primitive's irq;
		 * a try whose success is 0 (mutex_lock_interruptible()) holds on the
		 * zero branch */
		lk_cond cond = pr->on_zero ? LK_IF_ZERO : pr->out >= 0 ? LK_IF_NONZERO : LK_ALWAYS;
		s = apply_lock_op(t, a, s, pr->op, obj, pr->mode, cond, e, pr->irq, -1, pr->resource, rules_prim_kind(pr));
		/* "out": the caller tests what the call stored in its local
		 * (get_user_pages_remote(..., &locked): `if ( locked )`) */
		const ir_expr *out = pr->out >= 0 && pr->out < e->u.call.nargs ? e->u.call.args[pr->out] : NULL;
		if (out && out->kind == IR_E_ADDR && out->a && out->a->kind == IR_E_LOCAL)
			s = lk_state_add_alias(a, s, out->a->name, e->u.call.id);
		return lk_irq_prim(t, a, s, pr->irq, e);
	}
	if (c->ntargets && (e->u.call.how != IR_CALL_DIRECT || c->ntargets > 1))
		return call_targets(t, a, e, s, c);
	const lk_summary *sum = e->u.call.how == IR_CALL_DIRECT && c->ntargets == 1
				? &t->p->fn[c->targets[0]].sum : NULL;
	/* a call may write what a branch fact was about; lock wrappers do not */
	if (!sum || (!sum->neff && !sum->query && sum->returns_param < 0))
		s = lk_state_kill_facts(a, s, NULL);
	if (!sum)
		return s;   /* indirect calls: handlers are assumed balanced */
	int irq = lk_irq_prim_of_targets(t->p, c->targets, 1);
	for (int i = 0; i < sum->neff; i++) {
		const ir_expr *obj = lk_subst_params(a, sum->eff[i].obj, e->u.call.args, e->u.call.nargs);
		if (!obj)
			continue;
		if (lk_expr_contains(obj, lk_ret_marker())) {
			/* a lock handed over in the return value: named once the
			 * caller stores the value (event_assign) or tests it */
			ir_expr *rv = ir_expr_new(a, IR_E_CALLRET);
			rv->ival = id;
			rv->name = e->u.call.name;
			obj = lk_replace(a, obj, lk_ret_marker(), rv);
			lk_try tr = { id, sum->eff[i].cond != LK_IF_ZERO, sum->eff[i].cond == LK_ALWAYS,
				      lk_make_held(t, a, obj, sum->eff[i].mode, LK_ACQUIRED, e->loc), 0, 1 };
			lk_held_resource(t, &tr.lock, sum->eff[i].resource);
			tr.lock.kind = (unsigned char)sum->eff[i].kind;
			s = lk_state_add_try(a, s, &tr);
			continue;
		}
		if (sum->eff[i].op == PRIM_RELEASE && null_arg(t, s, sum->eff[i].obj, e))
			continue;   /* unlock_dom_exc_handler(NULL) releases nothing */
		int pending = sum->eff[i].op == PRIM_RELEASE ? pending_arg(s, sum->eff[i].obj, e) : -1;
		if (pending >= 0) {
			/* the value of a conditional acquire, untested, given back to
			 * an unlock that tests it: held if and only if non-NULL, and
			 * released then (hdl = lock_dom_exc_handler(); ...
			 * unlock_dom_exc_handler(hdl);) */
			s = lk_state_drop_try(a, s, pending);
			continue;
		}
		obj = lk_resolve_locals(a, obj, &t->fn->locals);
		if (sum->eff[i].cond == LK_MAYBE)
			s = on_some_paths(t, a, s, sum->eff[i].op, obj, sum->eff[i].mode, e->loc);
		else
			s = apply_lock_op(t, a, s, sum->eff[i].op, obj, sum->eff[i].mode, sum->eff[i].cond, e,
					  irq, c->targets[0], sum->eff[i].resource, sum->eff[i].kind);
	}
	lk_irq_note_callee_locks(t, s, c->targets, 1, e);
	s = lk_irq_call(t, a, s, c->targets, 1, e);
	/* f(x) returning x unchanged passes a trylock result through
	 * (Xen: lock_evaluate_nospec(_spin_trylock(l))) */
	if (sum->returns_param >= 0 && sum->returns_param < e->u.call.nargs) {
		const ir_expr *arg = e->u.call.args[sum->returns_param];
		const lk_try *tr = arg && arg->kind == IR_E_CALLRET ? lk_state_try(s, (int)arg->ival) : NULL;
		if (tr) {
			lk_try copy = *tr;
			copy.call_id = id;
			s = lk_state_add_try(a, s, &copy);
		}
	}
	return s;
}

/* The lock a query call answers for (spin_is_locked(l), pcidevs_locked()). */
const ir_expr *lk_query_of_call(tctx *t, la_arena *a, int call_id, int *mode)
{
	const ir_event *call = ir_func_call(t->fn->ir, call_id);
	if (!call || call_id >= t->fn->ir->ncalls)
		return NULL;
	const lk_call *c = &t->fn->calls[call_id];
	if (c->prim && c->prim->op == PRIM_QUERY) {
		*mode = c->prim->mode;
		return lk_prim_obj(t, a, c->prim, call);
	}
	if (call->u.call.how == IR_CALL_DIRECT && c->ntargets == 1) {
		const lk_summary *sum = &t->p->fn[c->targets[0]].sum;
		if (sum->query) {
			const ir_expr *obj = lk_subst_params(a, sum->query, call->u.call.args, call->u.call.nargs);
			if (obj) {
				*mode = sum->query_mode;
				return lk_resolve_locals(a, obj, &t->fn->locals);
			}
		}
	}
	return NULL;
}

/* *lock = pcpu_schedule_lock_irq(cpu): a lock handed over in a call's
 * value, stored through a pointer, is taken under that name; a conditional
 * one stays pending under that name (`(*d = rcu_lock_domain_by_id(id)) ==
 * NULL`: the caller's out-parameter holds the reference when non-NULL). */
static lk_state *handed_to(tctx *t, la_arena *a, lk_state *s, const ir_expr *lhs, const ir_expr *rhs)
{
	const lk_try *tr = rhs && rhs->kind == IR_E_CALLRET ? lk_state_try(s, (int)rhs->ival) : NULL;
	if (!tr || tr->release || !tr->lock.obj || !lk_expr_contains(tr->lock.obj, rhs) || !lk_expr_pure(lhs))
		return s;
	const ir_expr *obj = lk_simplify(a, lk_replace(a, tr->lock.obj, rhs, lhs));
	lk_held h = lk_make_held(t, a, lk_resolve_locals(a, obj, &t->fn->locals), tr->lock.mode, LK_ACQUIRED,
				 tr->lock.at);
	lk_held_resource(t, &h, tr->lock.resource);
	h.kind = tr->lock.kind;
	int id = (int)rhs->ival, when = tr->when_nonzero, wrapper = tr->wrapper;
	if (tr->always)
		return lk_state_acquire(a, lk_state_drop_try(a, s, id), &h);
	lk_try nt = { id, when, 0, h, 0, wrapper };
	return lk_state_add_alias(a, lk_state_add_try(a, lk_state_drop_try(a, s, id), &nt), lk_expr_text(t, lhs), id);
}

/* f = rcu_lock_domain(dom_xen) (a primitive with "returns"): the
 * reference taken on the argument is named by the local from now on, as
 * rcu_unlock_domain(f) names it. */
static lk_state *returned_argument(tctx *t, la_arena *a, lk_state *s, const ir_expr *lhs, const ir_expr *rhs)
{
	if (!rhs || rhs->kind != IR_E_CALLRET || rhs->ival < 0 || rhs->ival >= t->fn->ir->ncalls)
		return s;
	const rules_primitive *pr = t->fn->calls[rhs->ival].prim;
	const ir_event *call = pr && pr->returns >= 0 ? ir_func_call(t->fn->ir, (int)rhs->ival) : NULL;
	if (!call || pr->returns >= call->u.call.nargs)
		return s;
	const ir_expr *obj = lk_lock_obj(t, a, call->u.call.args[pr->returns]), *named = lk_lock_obj(t, a, lhs);
	if (!obj || !named)
		return s;
	lk_held h = lk_make_held(t, a, obj, pr->mode, LK_ACQUIRED, call->loc);
	lk_held_resource(t, &h, pr->resource);
	const lk_held *o = lk_state_find(s, h.inst, h.cls);
	if (!o || o->how != LK_ACQUIRED || o->maybe)
		return s;
	lk_held n = lk_make_held(t, a, named, o->mode, LK_ACQUIRED, o->at);
	lk_held_resource(t, &n, pr->resource);
	n.kind = o->kind;
	int found;
	return lk_state_acquire(a, lk_state_release(a, s, o->inst, o->cls, &found), &n);
}

static lk_state *event_assign(tctx *t, la_arena *a, const ir_event *e, lk_state *s)
{
	const ir_expr *lhs = e->u.assign.lhs, *rhs = e->u.assign.rhs;
	if (!lhs)
		return s;
	if (lhs->kind == IR_E_DEREF)
		s = handed_to(t, a, s, lhs, rhs);
	if (lhs->kind == IR_E_FIELD || lhs->kind == IR_E_GLOBAL)
		return lk_state_kill_facts(a, s, lhs->name);
	if (lhs->kind == IR_E_PARAM) {   /* facts say $N */
		char name[16];
		snprintf(name, sizeof(name), "$%lld", lhs->ival);
		return lk_state_kill_facts(a, s, name);
	}
	if (lhs->kind != IR_E_LOCAL)
		return lk_state_kill_facts(a, s, NULL);
	if (lk_locals_counted(&t->fn->locals, lhs->name))
		s = lk_range_assign(a, s, lhs->name, rhs, lk_locals_addr_taken(&t->fn->locals, lhs->name));
	s = returned_argument(t, a, s, lhs, rhs);
	const lk_try *tr = rhs && rhs->kind == IR_E_CALLRET ? lk_state_try(s, (int)rhs->ival) : NULL;
	if (tr && tr->lock.obj && lk_expr_contains(tr->lock.obj, rhs)) {
		/* desc = pirq_spin_lock_irq_desc(...): the lock is desc->lock */
		const ir_expr *obj = lk_replace(a, tr->lock.obj, rhs, lhs);
		lk_held h = lk_make_held(t, a, obj, tr->lock.mode, LK_ACQUIRED, tr->lock.at);
		lk_held_resource(t, &h, tr->lock.resource);
		h.kind = tr->lock.kind;
		int always = tr->always, when = tr->when_nonzero, wrapper = tr->wrapper;
		s = lk_state_drop_try(a, s, (int)rhs->ival);
		if (always)
			return lk_state_acquire(a, lk_state_kill_facts(a, s, lhs->name), &h);
		lk_try nt = { (int)rhs->ival, when, 0, h, 0, wrapper };
		return lk_state_add_alias(a, lk_state_add_try(a, s, &nt), lhs->name, (int)rhs->ival);
	}
	if (tr)
		return lk_state_add_alias(a, s, lhs->name, (int)rhs->ival);
	/* ret = down_read_trylock(l) != 0 (mmap_read_trylock()): the truth of
	 * the result, kept in a local like the result itself */
	int truth = 1;
	const ir_expr *rc = rhs && (rhs->kind == IR_E_BINOP || rhs->kind == IR_E_UNOP) ? lk_normalise_cond(rhs, &truth)
										       : NULL;
	if (rc && rc->kind == IR_E_CALLRET && truth == 1 && lk_state_try(s, (int)rc->ival))
		return lk_state_add_alias(a, s, lhs->name, (int)rc->ival);
	if (rhs && rhs->kind == IR_E_LOCAL) {
		int id = lk_state_alias(s, rhs->name), param = lk_state_copied_param(s, rhs->name);
		if (id >= 0)
			return lk_state_add_alias(a, s, lhs->name, id);
		if (param >= 0)
			return lk_state_add_alias(a, s, lhs->name, LK_COPY_OF_PARAM0 - param);
	}
	/* a copy of a parameter that is returned or tested: its truth is the
	 * parameter's, which a later branch may decide (a conditional guard's
	 * constructor: `_t = _T; if (_T && !trylock(_T)) _t = NULL; return _t;`) */
	int tested = rhs && (rhs->kind == IR_E_PARAM || (rhs->kind == IR_E_LOCAL && s->nfacts) ||
			     lk_const_truth(rhs) >= 0) && lk_locals_truth_used(&t->fn->locals, lhs->name);
	if (tested && rhs->kind == IR_E_PARAM)
		return lk_state_add_alias(a, s, lhs->name, LK_COPY_OF_PARAM0 - (int)rhs->ival);
	/* a copy of a local whose truth the path knows (`t = _t;` after `_t = NULL;`) */
	int known = tested && rhs->kind == IR_E_LOCAL ? lk_value_truth(t->p->in, s, rhs) : -1;
	s = lk_state_kill_facts(a, s, lhs->name);
	if (known >= 0) {
		int contradicts;
		return lk_state_add_fact(a, s, lk_intern(t->p->in, lhs->name), known,
					 lk_locals_addr_taken(&t->fn->locals, lhs->name), &contradicts);
	}
	if ((rhs && rhs->kind == IR_E_NULL) || (tested && lk_const_truth(rhs) >= 0)) {
		/* `desc = NULL;` after the unlock: a later `if ( desc )
		 * spin_unlock(&desc->lock);` is not taken on this path; `r =
		 * -EINTR;` before the unlocks of an error path: `return r;`
		 * returns non-zero there (sev_lock_two_vms()); `locked = true;` in
		 * a loop that tests `if ( !locked )`. Constants of locals no
		 * return and no test reads make no fact: they would split the
		 * paths for nothing. */
		int contradicts;
		s = lk_state_add_fact(a, s, lk_intern(t->p->in, lhs->name), rhs->kind == IR_E_INT && rhs->ival != 0,
				      lk_locals_addr_taken(&t->fn->locals, lhs->name), &contradicts);
	}
	return s;
}

static lk_state *on_event(void *ctx, la_arena *a, int block, int idx, const ir_event *e, lk_state *s)
{
	(void)idx;
	tctx *t = ctx;
	switch (e->kind) {
	case IR_EV_CALL: return lk_irq_asm(t, a, event_call(t, a, e, s), e);
	case IR_EV_ASSERT: return lk_event_assert(t, a, e, s, block);
	case IR_EV_ASSIGN: return event_assign(t, a, e, s);
	case IR_EV_RETURN: return lk_irq_asm(t, a, s, e);
	default: return s;
	}
}

void lk_analyse_function(lk_prog *p, int fi, lk_state *entry, lk_summary *sum, const lk_sink *sink,
			 int record_sites)
{
	static const lk_flow_ops ops = { on_event, lk_on_edge, lk_on_observe, lk_on_path_exit };
	tctx t;
	memset(&t, 0, sizeof(t));
	t.p = p;
	t.fi = fi;
	t.fn = &p->fn[fi];
	t.sum = sum;
	t.sink = sink;
	t.record_sites = record_sites;
	la_arena a = LA_ARENA_INIT;
	t.arena = &a;
	lk_flow_stats st;
	lk_rules_requirement(&t);
	if (!entry) {   /* a summary: IRQs as the callers left them */
		entry = lk_state_empty(&a);
		entry->irq = LK_IRQ_ENTRY;
		entry->irq_saved = LK_IRQ_SAVED;
		entry->irq_inh = 1;
	}
	lk_flow_run(t.fn->ir, lk_irq_asm(&t, &a, entry, NULL), &ops, &t, &a, &st);
	p->stats.collapsed += st.collapsed;
	p->stats.gave_up += st.gave_up;
	if (sink && sink->done)
		sink->done(sink->ctx, t.fn);
	if (sum) {
		lk_build_summary(&t, &a, sum);
		lk_mark_effect_kinds(&t, sum);
		lk_irq_summary(&t, sum);
		sum->requires = la_arena_alloc(&p->arena, sizeof(lk_req) * (size_t)(t.req.n + 1));
		if (t.req.n)
			memcpy(sum->requires, t.req.v, sizeof(lk_req) * (size_t)t.req.n);
		sum->nrequires = t.req.n;
	}
	free(t.req.v);
	free(t.exits);
	free(t.irq_needs);
	free(t.irq_locks);
	la_arena_free(&a);
}
