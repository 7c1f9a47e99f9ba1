/* The summary of a function: its ways out (exit records), and from them
 * the locks it acquires or releases for its callers, what it returns. */
#include "transfer_int.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

void lk_on_path_exit(void *ctx, const lk_state *s, const ir_event *ret)
{
	tctx *t = ctx;
	t->final = 1;
	/* rules "asm" "return": also where the function falls off its end
	 * (a return event has applied it already: a second restore is none) */
	s = lk_irq_asm_exit(t, s);
	if (t->sink && t->sink->exit)
		t->sink->exit(t->sink->ctx, t->fn, s, ret);
	if (!t->sum)
		return;
	LA_VEC_PUSH(t->exits, t->nexits, t->capexits);
	t->exits[t->nexits].s = (lk_state *)s;
	t->exits[t->nexits].ret = ret ? ret->u.ret.value : NULL;
	t->nexits++;
}

/* --- summaries --- */

static int ret_class(const ir_expr *r)   /* 0 zero, 1 non-zero, -1 unknown */
{
	return lk_const_truth(r);
}

static void add_effect(lk_prog *p, lk_summary *sum, rules_prim_op op, const ir_expr *obj, int mode, lk_cond cond,
		       const char *resource)
{
	for (int i = 0; i < sum->neff; i++)
		if (sum->eff[i].op == op && lk_expr_equal(sum->eff[i].obj, obj))
			return;
	lk_effect *n = la_arena_alloc(&p->arena, sizeof(lk_effect) * (size_t)(sum->neff + 1));
	if (sum->neff)
		memcpy(n, sum->eff, sizeof(lk_effect) * (size_t)sum->neff);
	n[sum->neff].op = op;
	n[sum->neff].obj = lk_expr_clone(&p->arena, obj);
	n[sum->neff].mode = mode;
	n[sum->neff].cond = cond;
	n[sum->neff].resource = resource;
	sum->eff = n;
	sum->neff++;
}

static const ir_expr *through_identity(tctx *t, const ir_expr *r)
{
	for (int depth = 0; r && r->kind == IR_E_CALLRET && depth < 8; depth++) {
		const ir_event *call = ir_func_call(t->fn->ir, (int)r->ival);
		if (!call || call->u.call.id >= t->fn->ir->ncalls)
			return r;
		const lk_call *c = &t->fn->calls[call->u.call.id];
		if (call->u.call.how != IR_CALL_DIRECT || c->ntargets != 1)
			return r;
		int k = t->p->fn[c->targets[0]].sum.returns_param;
		if (k < 0 || k >= call->u.call.nargs)
			return r;
		r = call->u.call.args[k];
	}
	return r;
}

/* 0 or 1 when the value is a known truth (a constant, a call to a
 * function that always returns one), else -1 */
static int truth_of(tctx *t, const ir_expr *r)
{
	if (!r)
		return -1;
	if (r->kind == IR_E_INT)
		return r->ival != 0;
	if (r->kind == IR_E_NULL)
		return 0;
	if (r->kind != IR_E_CALLRET)
		return -1;
	const ir_event *call = ir_func_call(t->fn->ir, (int)r->ival);
	if (!call || call->u.call.id >= t->fn->ir->ncalls || call->u.call.how != IR_CALL_DIRECT)
		return -1;
	const lk_call *c = &t->fn->calls[call->u.call.id];
	return c->ntargets == 1 ? t->p->fn[c->targets[0]].sum.returns_truth : -1;
}

/* The value exit x returns, with `c ? a : b` decided by the path's facts
 * (return info ? lookup(info) : NULL). */
static const ir_expr *exit_value(tctx *t, la_arena *a, int x)
{
	const ir_expr *rv = t->exits[x].ret;
	for (int depth = 0; rv && rv->kind == IR_E_COND && depth < 4; depth++) {
		int truth = 1;
		const ir_expr *c = lk_normalise_cond(rv->a, &truth);
		la_buf b = LA_BUF_INIT;
		ir_expr_render(&b, c, NULL, 0);
		const char *cond = lk_intern(t->p->in, b.ptr ? b.ptr : "?");
		la_buf_free(&b);
		int v = -1;
		const lk_state *s = t->exits[x].s;
		for (int i = 0; i < s->nfacts && v < 0; i++)
			if (s->facts[i].cond == cond)
				v = s->facts[i].value == truth;
		if (v < 0)
			return rv;
		rv = v ? rv->b : rv->c;
	}
	(void)a;
	return rv;
}

/* A lock reached through the returned value, in terms of $ret: desc->lock
 * for `return desc;`, and also when desc resolved to &irq_desc[irq] made
 * the lock irq_desc[irq].lock. NULL otherwise. */
static const ir_expr *handed_over(tctx *t, la_arena *a, const ir_expr *obj, const ir_expr *rv)
{
	if (!obj || !rv || rv->kind != IR_E_LOCAL)
		return NULL;
	if (lk_expr_contains(obj, rv))
		return lk_replace(a, obj, rv, lk_ret_marker());
	const ir_expr *r = lk_resolve_locals(a, rv, &t->fn->locals);
	if (r && r->kind == IR_E_ADDR && r->a && lk_expr_contains(obj, r->a)) {
		ir_expr *d = ir_expr_new(a, IR_E_DEREF);
		d->a = (ir_expr *)lk_ret_marker();
		return lk_simplify(a, lk_replace(a, obj, r->a, d));
	}
	return NULL;
}

/* Does local rv name a conditional acquire of the same kind of lock as h,
 * not tested yet on this path? */
static int pending_here(const lk_state *s, const ir_expr *rv, const lk_held *h)
{
	int id = lk_state_alias(s, rv->name);
	const lk_try *tr = id >= 0 ? lk_state_try(s, id) : NULL;
	return tr && !tr->release && tr->when_nonzero && tr->lock.cls == h->cls && tr->lock.inst == h->inst;
}

/* Is the parameter through which obj is reached NULL on this way out
 * (a branch fact says so)? For a lock (not a resource), also a pointer on
 * the way: a lock guard's destructor unlocks only `if ( _T->lock )`. A
 * reference kept in a field (Xen's gnttab_copy_buf.domain) is stored there
 * by callees the analysis does not follow: its release stays conditional. */
static int null_param_exit(tctx *t, const lk_state *s, const lk_held *rel)
{
	const ir_expr *obj = rel->obj, *r = obj;
	int null = 0;
	while (r && r->kind != IR_E_PARAM && r->a) {
		r = r->a;
		null = null || (!rel->resource && r->kind != IR_E_ADDR && lk_known_null(t, s, r));
	}
	return r && r->kind == IR_E_PARAM && r != obj && (null || lk_known_null(t, s, r));
}

/* 0 or 1 when the value exit x returns is known zero or not: a constant,
 * or a variable a branch on the path decided (`if ( rc ) goto fail;`). */
static int exit_truth(tctx *t, int x)
{
	return lk_value_truth(t->p->in, t->exits[x].s, t->exits[x].ret);
}

/* Is the caller's lock `rel` given back on this way out (released, and not
 * taken again)? */
static int gives_back(const lk_state *s, const lk_held *rel)
{
	const lk_held *o = lk_state_find(s, rel->inst, rel->cls);
	for (int j = 0; j < s->nrel; j++)
		if (s->rel[j].inst == rel->inst && s->rel[j].how != LK_GIVEN_BACK)
			return !o;
	return 0;
}

/* The callers' lock released on the ways out that return NULL (or 0) only,
 * kept on the others: released when the value says so
 * (sched_wait_rendezvous_in() drops the runqueue lock and returns NULL). */
static void cond_releases(tctx *t, lk_summary *sum)
{
	for (int x0 = 0; x0 < t->nexits; x0++)
		for (int i = 0; i < t->exits[x0].s->nrel; i++) {
			const lk_held *rel = &t->exits[x0].s->rel[i];
			int on_zero = 1, on_nonzero = 1, some = 0, all = 1;
			if (rel->how == LK_GIVEN_BACK)
				continue;
			for (int y = 0; y < t->nexits && (on_zero || on_nonzero); y++) {
				int r = gives_back(t->exits[y].s, rel);
				/* an unknown value returned without releasing counts as
				 * non-zero, as a lookup's result does */
				int rc = exit_truth(t, y);
				on_zero &= rc == 0 ? r : !r;
				/* or on the errors only (hvm_ioreq_server_init() before
				 * a608c40d4ffc): given back exactly when non-zero */
				on_nonzero &= rc < 0 ? 0 : rc == 1 ? r : !r;
				some |= r;
				all &= r;
			}
			if ((on_zero || on_nonzero) && some && !all)
				add_effect(t->p, sum, PRIM_RELEASE, rel->obj, 0, on_zero ? LK_IF_ZERO : LK_IF_NONZERO, rel->resource);
		}
}

void lk_build_summary(tctx *t, la_arena *a, lk_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->returns_param = -1;
	sum->returns_truth = -1;
	if (!t->nexits)
		return;
	/* an unlock wrapper releases on every path out, but those where the
	 * pointer to the lock is NULL (`if ( !d ) return;`): a caller that
	 * holds the lock passes no NULL */
	for (int x0 = 0; x0 < t->nexits; x0++) {
		const lk_state *e0 = t->exits[x0].s;
		for (int i = 0; i < e0->nrel; i++) {
			int all = e0->rel[i].how != LK_GIVEN_BACK;
			for (int x = 0; x < t->nexits && all; x++) {
				int found = null_param_exit(t, t->exits[x].s, &e0->rel[i]);
				for (int j = 0; j < t->exits[x].s->nrel && !found; j++)
					found = t->exits[x].s->rel[j].inst == e0->rel[i].inst &&
						t->exits[x].s->rel[j].how != LK_GIVEN_BACK;
				all = found;
			}
			if (all)
				add_effect(t->p, sum, PRIM_RELEASE, e0->rel[i].obj, 0, LK_ALWAYS, e0->rel[i].resource);
		}
	}
	cond_releases(t, sum);
	/* acquired and kept: on every exit, or keyed by the return value */
	for (int x = 0; x < t->nexits; x++) {
		const lk_state *s = t->exits[x].s;
		for (int i = 0; i < s->nheld; i++) {
			const lk_held *h = &s->held[i];
			if (h->how != LK_ACQUIRED || !h->obj || !lk_expr_rooted_in_params(h->obj) ||
			    handed_over(t, a, h->obj, t->exits[x].ret))
				continue;   /* not the caller's to see, or handed over in the return value */
			int on_nonzero = 1, on_zero = 1, always = 1, callers = 0;
			for (int y = 0; y < t->nexits; y++) {
				const lk_held *o = lk_state_find(t->exits[y].s, h->inst, h->cls);
				callers |= o && o->how != LK_ACQUIRED;
				int held = o && !o->maybe;
				int rc = exit_truth(t, y);
				always &= held;
				/* an unknown value returned with the lock held counts as
				 * non-zero when the paths without it return 0 or NULL
				 * (g2m_portio_find_and_lock returns the entry it found) */
				on_nonzero &= rc == 1 ? held : rc == 0 ? !held : held;
				on_zero &= rc == 0 ? held : rc == 1 ? !held : 0;
			}
			if (callers)
				continue;   /* asserted held on entry, dropped and taken again: not ours */
			if (always)
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_ALWAYS, h->resource);
			else if (on_nonzero)
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_IF_NONZERO, h->resource);
			else if (on_zero)
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_IF_ZERO, h->resource);
			else if (t->fn->stored)
				/* a callback (stored in an ops table) that keeps it on
				 * some ways out, not told by the value returned
				 * (cpupool_dir_enter() returns an error pointer without
				 * it): its pointer callers hold it on some paths. Not
				 * for direct callees: a function that forgets to unlock
				 * on one path is an imbalance, reported there. */
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_MAYBE, h->resource);
		}
	}
	/* taken by some of the targets of a call through a pointer and kept on
	 * a way out: held on some paths after a call to us (node_enter() calls
	 * ->enter(), which takes cpupool_lock for one directory only) */
	for (int x = 0; x < t->nexits; x++)
		for (int i = 0; i < t->exits[x].s->nheld; i++) {
			const lk_held *h = &t->exits[x].s->held[i];
			if (h->how == LK_SOME_PATHS && h->obj && lk_expr_rooted_in_params(h->obj))
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_MAYBE, h->resource);
		}
	/* locks handed over in the return value: `return desc;` with desc->lock
	 * held, `return NULL;` (or another constant) without */
	for (int x = 0; x < t->nexits; x++) {
		const lk_state *s = t->exits[x].s;
		const ir_expr *rv = t->exits[x].ret;
		if (!rv || rv->kind != IR_E_LOCAL)
			continue;
		for (int i = 0; i < s->nheld; i++) {
			const lk_held *h = &s->held[i];
			const ir_expr *obj = h->how == LK_ACQUIRED && !h->maybe ? handed_over(t, a, h->obj, rv) : NULL;
			if (!obj)
				continue;
			int always = 1, on_nonzero = 1;
			for (int y = 0; y < t->nexits; y++) {
				const ir_expr *ry = t->exits[y].ret;
				const lk_held *o = lk_state_find(t->exits[y].s, h->inst, h->cls);
				int same = ry && ry->kind == IR_E_LOCAL && lk_expr_equal(ry, rv);
				int held = o && !o->maybe && same;
				always &= held;
				/* or the value of a lookup not tested yet, which holds it
				 * when non-NULL (get_pg_owner(): a reference to dom_io,
				 * to dom_xen, or what rcu_lock_domain_by_any_id() found) */
				on_nonzero &= held || exit_truth(t, y) == 0 || (same && pending_here(t->exits[y].s, ry, h));
			}
			if (always || on_nonzero)
				add_effect(t->p, sum, PRIM_ACQUIRE, obj, h->mode, always ? LK_ALWAYS : LK_IF_NONZERO, h->resource);
		}
	}
	/* return f(...) where f hands over a lock in its value, the others
	 * return NULL: we hand it over too (domain_spin_lock_irq_desc) */
	for (int x = 0; x < t->nexits; x++) {
		const ir_expr *rv = exit_value(t, a, x);
		const lk_try *tr = rv && rv->kind == IR_E_CALLRET ? lk_state_try(t->exits[x].s, (int)rv->ival) : NULL;
		/* `d = f(); return d;`: the pending result is named by the local */
		const ir_expr *raw = t->exits[x].ret;
		if (!tr && raw && raw->kind == IR_E_LOCAL) {
			int id = lk_state_alias(t->exits[x].s, raw->name);
			tr = id >= 0 ? lk_state_try(t->exits[x].s, id) : NULL;
		}
		if (tr && tr->lock.obj && !lk_expr_contains(tr->lock.obj, rv) && raw && raw->kind == IR_E_LOCAL &&
		    lk_expr_contains(tr->lock.obj, raw))
			rv = raw;
		if (!tr || tr->release || !tr->lock.obj || !tr->when_nonzero || !lk_expr_contains(tr->lock.obj, rv))
			continue;
		int ok = 1;
		for (int y = 0; y < t->nexits && ok; y++)
			ok = y == x || ret_class(exit_value(t, a, y)) == 0;
		if (ok)
			add_effect(t->p, sum, PRIM_ACQUIRE, lk_replace(a, tr->lock.obj, rv, lk_ret_marker()), tr->lock.mode,
				   tr->always ? LK_ALWAYS : LK_IF_NONZERO, tr->lock.resource);
	}
	/* return f(...) of a trylock, or of a local holding its result: conditional acquire */
	const ir_expr *r0 = t->exits[0].ret;
	int id0 = !r0 ? -1 : r0->kind == IR_E_CALLRET ? (int)r0->ival
		  : r0->kind == IR_E_LOCAL ? lk_state_alias(t->exits[0].s, r0->name) : -1;
	if (id0 >= 0 && r0->kind == IR_E_LOCAL && lk_result_tested(t->fn->ir, id0, r0->name))
		id0 = -1;   /* decided on the way (`if ( got ) { ... unlock }`): not the callers' to test */
	if (t->nexits == 1 && id0 >= 0) {
		const lk_try *tr = lk_state_try(t->exits[0].s, id0);
		if (tr && !tr->release && tr->lock.obj && lk_expr_rooted_in_params(tr->lock.obj))
			add_effect(t->p, sum, PRIM_ACQUIRE, tr->lock.obj, tr->lock.mode,
				   tr->when_nonzero ? LK_IF_NONZERO : LK_IF_ZERO, tr->lock.resource);
	}
	/* constant truth: return true; return barrier_lock_true(); */
	int rt = -2;
	for (int x = 0; x < t->nexits; x++) {
		int v = truth_of(t, through_identity(t, t->exits[x].ret));
		rt = rt == -2 ? v : rt == v ? rt : -1;
	}
	sum->returns_truth = rt >= 0 ? rt : -1;
	/* identity: every return gives back the same parameter (possibly
	 * through other identity functions: lock_evaluate_nospec() returns
	 * arch_lock_evaluate_nospec(c)), or a constant whose truth is the
	 * parameter's on that path (if ( c ) return true; else return false;) */
	int rp = -2;
	for (int x = 0; x < t->nexits; x++) {
		const ir_expr *r = through_identity(t, t->exits[x].ret);
		int p = r && r->kind == IR_E_PARAM ? (int)r->ival : -1;
		int v = p < 0 ? truth_of(t, r) : -1;
		for (int i = 0; v >= 0 && p < 0 && i < t->fn->ir->nparams; i++) {
			char name[16];
			snprintf(name, sizeof(name), "$%d", i);
			const char *cond = lk_intern(t->p->in, name);
			for (int k = 0; k < t->exits[x].s->nfacts; k++)
				if (t->exits[x].s->facts[k].cond == cond && t->exits[x].s->facts[k].value == v)
					p = i;
		}
		rp = rp == -2 ? p : rp == p ? rp : -1;
	}
	sum->returns_param = rp >= 0 ? rp : -1;
	/* query wrapper: every return is the same is-locked query */
	const ir_expr *q = NULL;
	int qmode = 0, ok = 1;
	for (int x = 0; x < t->nexits && ok; x++) {
		const ir_expr *r = t->exits[x].ret;
		/* !!x is x as a truth value (Xen's pcidevs_locked() before 4.19) */
		while (r && r->kind == IR_E_UNOP && r->name && !strcmp(r->name, "!") && r->a &&
		       r->a->kind == IR_E_UNOP && r->a->name && !strcmp(r->a->name, "!"))
			r = r->a->a;
		int mode = 0;
		const ir_expr *obj = r && r->kind == IR_E_CALLRET ? lk_query_of_call(t, a, (int)r->ival, &mode) : NULL;
		if (!obj || !lk_expr_rooted_in_params(obj) || (q && !lk_expr_equal(q, obj)))
			ok = 0;
		q = obj;
		qmode = mode;
	}
	if (ok && q) {
		sum->query = lk_expr_clone(&t->p->arena, q);
		sum->query_mode = qmode;
	}
}
