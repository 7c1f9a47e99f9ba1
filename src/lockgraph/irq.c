/* IRQ state on each path (DESIGN.md §7: "IRQ state flows through calls and
 * function pointers like held locks"): tri-state, off / on / unknown, and
 * in a summary "as the callers left it" / "what they saved". Primitives of
 * the rules set it (_spin_lock_irqsave, local_irq_disable), a callee's
 * summary says what a call does to it (Xen's inline spin_lock_irq()), an
 * assertion of local_irq_is_enabled() states it, the rules' "asm" entries
 * stand for inline asm the IR does not show, and a function starts with
 * what every call site had (program.c) or what the rules' roots say. */
#include "transfer_int.h"

#include "../util/xalloc.h"

#include <string.h>

/* A restore of flags the function was given (an irqrestore wrapper). */
static int flags_passed_in(const ir_event *e)
{
	for (int i = 0; e->kind == IR_EV_CALL && i < e->u.call.nargs; i++)
		if (e->u.call.args[i] && e->u.call.args[i]->kind == IR_E_PARAM)
			return 1;
	return 0;
}

/* Where a summary starts relying on IRQs being enabled as its callers
 * left them (a disable that asserts it, or an assertion). */
static void note_on_at(tctx *t, const lk_state *s, const ir_event *e, int depth)
{
	/* after an assertion that they are disabled, "as the callers left
	 * them" cannot also be enabled: inline asm changed them unseen */
	if (s->irq == LK_IRQ_ENTRY && t->sum && !t->irq_on_at && !t->irq_off_seen) {
		t->irq_on_at = e;
		t->irq_on_depth = depth;
	}
}

lk_state *lk_irq_prim(tctx *t, la_arena *a, const lk_state *s, int irq, const ir_event *e)
{
	lk_state *r;
	switch (irq) {
	case IRQ_DISABLE:
		note_on_at(t, s, e, 0);   /* spin_lock_irq() asserts IRQs are enabled */
		return lk_state_set_irq(a, s, LK_IRQ_OFF);
	case IRQ_SAVE:
		r = lk_state_set_irq(a, s, LK_IRQ_OFF);
		r->irq_saved = s->irq;
		return r;
	case IRQ_ENABLE:
		return lk_state_set_irq(a, s, LK_IRQ_ON);
	case IRQ_RESTORE: {
		/* what the matching save saw. No save seen in a summary, and
		 * flags not passed in: the save was inline asm the IR does not
		 * show (Xen's local_irq_save()), which saved the callers' state */
		int saved = s->irq_saved == LK_IRQ_SAVED && (!e || !flags_passed_in(e)) ? LK_IRQ_ENTRY : s->irq_saved;
		r = lk_state_set_irq(a, s, saved);
		r->irq_inh = saved == LK_IRQ_ENTRY;
		return r;
	}
	default:
		return (lk_state *)s;
	}
}

/* A lock taken on some ways out only, told by the value returned
 * (pirq_spin_lock_irq_desc() returns the descriptor locked with IRQs off,
 * or NULL with IRQs as they were): the IRQ state goes with the lock. */
static int conditional(const lk_summary *sum)
{
	for (int i = 0; i < sum->neff; i++)
		if (sum->eff[i].op == PRIM_ACQUIRE && sum->eff[i].cond != LK_ALWAYS)
			return 1;
	return 0;
}

/* A callee's symbolic state in the caller's terms. A callee whose ways out
 * disagree (and hands over no lock on some of them only) is taken as balanced, as calls through unresolved pointers are
 * for the locks: Xen's functions give back the IRQ state they found, and
 * the ones that do not (spin_lock_irq(), a function that returns with a
 * lock taken by spin_lock_irqsave()) say so on every way out. */
static int subst(const lk_summary *sum, int x, const lk_state *s)
{
	if (x == LK_IRQ_UNKNOWN && !conditional(sum))
		x = LK_IRQ_ENTRY;
	return x == LK_IRQ_ENTRY ? s->irq : x == LK_IRQ_SAVED ? s->irq_saved : x;
}

lk_state *lk_irq_call(tctx *t, la_arena *a, lk_state *s, const int *targets, int n, const ir_event *e)
{
	if (!n)
		return s;
	int irq = -1, saved = -1, on = n > LK_IRQ_VENDOR_TARGETS, depth = 0;
	for (int k = 0; k < n; k++) {
		const lk_summary *sum = &t->p->fn[targets[k]].sum;
		/* a save wrapper (rspin_lock_irqsave()) saves the caller's state;
		 * the saves and restores inside other callees are their own */
		int wrapper = sum->irq_exit == LK_IRQ_OFF && sum->irq_saved_exit == LK_IRQ_ENTRY;
		int x = subst(sum, sum->irq_exit, s), y = wrapper ? s->irq : s->irq_saved;
		irq = k ? lk_irq_meet(irq, x) : x;
		saved = k ? lk_irq_meet(saved, y) : y;
		/* _disable_pit_irq(false) never calls the init callback */
		int needs = sum->irq_on_at && lk_reaches_event(t->p, targets[k], sum->irq_on_at, t->fi, e);
		if (n > LK_IRQ_VENDOR_TARGETS)
			on &= needs;   /* every one of many callbacks (smp_call_function()'s) */
		else
			on |= needs;   /* the one of a vendor's ops table that is installed */
		if (needs && sum->irq_on_depth + 1 > depth)
			depth = sum->irq_on_depth + 1;
	}
	/* a few calls deep only: further down, "on some path" is too weak to
	 * say this code needs IRQs enabled (the nested-HVM flush under
	 * update_vcpu_system_time()) */
	if (on && depth <= LK_IRQ_ON_DEPTH)
		note_on_at(t, s, e, depth);
	if (irq == s->irq && saved == s->irq_saved)
		return s;
	lk_state *r = irq == s->irq ? lk_state_copy(a, s) : lk_state_set_irq(a, s, irq);
	r->irq_saved = (signed char)saved;
	return r;
}

int lk_irq_prim_of_targets(const lk_prog *p, const int *targets, int n)
{
	int irq = -1, on = 1;
	for (int k = 0; k < n; k++) {
		irq = k ? lk_irq_meet(irq, p->fn[targets[k]].sum.irq_exit) : p->fn[targets[k]].sum.irq_exit;
		on &= p->fn[targets[k]].sum.irq_on_at != NULL;
	}
	switch (irq) {
	case LK_IRQ_OFF: return on ? IRQ_DISABLE : IRQ_SAVE;
	case LK_IRQ_ON: return IRQ_ENABLE;
	case LK_IRQ_SAVED: return IRQ_RESTORE;
	default: return IRQ_KEEP;
	}
}

lk_state *lk_irq_asm(tctx *t, la_arena *a, lk_state *s, const ir_event *e)
{
	const rules_irq_asm *r = t->fn->irq_asm;
	if (!r)
		return s;
	/* "entry": at the start (e NULL); "return": at every way out */
	const char *at = !e ? "entry" : e->kind == IR_EV_RETURN ? "return"
			 : e->kind == IR_EV_CALL && e->u.call.how == IR_CALL_DIRECT ? e->u.call.name : NULL;
	for (int k = 0; at && k < r->nat; k++)
		if (strcmp(r->at[k].call, at) == 0)
			s = lk_irq_prim(t, a, s, r->at[k].irq, NULL);
	return s;
}

const lk_state *lk_irq_asm_exit(tctx *t, const lk_state *s)
{
	static const ir_event ret = { .kind = IR_EV_RETURN };
	return t->fn->irq_asm ? lk_irq_asm(t, t->arena, (lk_state *)s, &ret) : s;
}

int lk_irq_is_query(const tctx *t, int call_id)
{
	if (call_id < 0 || call_id >= t->fn->ir->ncalls)
		return 0;
	const rules_primitive *pr = t->fn->calls[call_id].prim;
	return pr && pr->op == PRIM_IRQ && pr->irq == IRQ_QUERY;
}

lk_state *lk_irq_assume(tctx *t, la_arena *a, lk_state *s, int enabled, const ir_event *e)
{
	/* a summary keeps "as the callers left it": the assertion is about
	 * them, and says where the function relies on them */
	if (enabled)
		note_on_at(t, s, e, 0);
	else if (s->irq == LK_IRQ_ENTRY && t->sum)
		t->irq_off_seen = 1;
	int irq = enabled ? LK_IRQ_ON : LK_IRQ_OFF;
	if (s->irq == LK_IRQ_ENTRY || s->irq == irq)
		return s;
	lk_state *r = lk_state_copy(a, s);
	r->irq = (signed char)irq;   /* what the callers gave: irq_inh unchanged */
	return r;
}

int lk_irq_of_states(lk_state *const *states, int n)
{
	int irq = n ? states[0]->irq : LK_IRQ_UNKNOWN;
	for (int j = 1; j < n; j++)
		irq = lk_irq_meet(irq, states[j]->irq);
	return irq;
}

static void add_irq_lock(tctx *t, const char *cls, const ir_event *e, int depth)
{
	if (cls[0] == '?' || t->nirq_locks >= LK_IRQ_LOCKS_MAX)
		return;
	for (int i = 0; i < t->nirq_locks; i++)
		if (t->irq_locks[i].cls == cls)
			return;
	LA_VEC_PUSH(t->irq_locks, t->nirq_locks, t->capirq_locks);
	t->irq_locks[t->nirq_locks++] = (lk_irqlock){ cls, e, depth };
}

void lk_irq_note_lock(tctx *t, const lk_state *s, const char *cls, const ir_event *e, int irq)
{
	/* after ASSERT(!local_irq_is_enabled()) they are known off */
	if (t->sum && s->irq == LK_IRQ_ENTRY && !t->irq_off_seen && irq != IRQ_DISABLE && irq != IRQ_SAVE)
		add_irq_lock(t, cls, e, 0);
}

void lk_irq_note_callee_locks(tctx *t, const lk_state *s, const int *targets, int n, const ir_event *e)
{
	if (!t->sum || s->irq != LK_IRQ_ENTRY || t->irq_off_seen)
		return;
	for (int k = 0; k < n; k++) {
		const lk_summary *sum = &t->p->fn[targets[k]].sum;
		for (int i = 0; i < sum->nirq_locks; i++)
			if (sum->irq_locks[i].depth < LK_IRQ_ON_DEPTH)
				add_irq_lock(t, sum->irq_locks[i].cls, e, sum->irq_locks[i].depth + 1);
	}
}

void lk_irq_summary(const tctx *t, lk_summary *sum)
{
	sum->irq_exit = LK_IRQ_ENTRY;   /* never returns: nothing for the callers */
	sum->irq_saved_exit = LK_IRQ_SAVED;
	for (int x = 0; x < t->nexits; x++) {
		/* a function that needs IRQs enabled at entry and leaves them
		 * enabled leaves them as it found them */
		int irq = t->exits[x].s->irq == LK_IRQ_ON && t->irq_on_at ? LK_IRQ_ENTRY : t->exits[x].s->irq;
		sum->irq_exit = x ? lk_irq_meet(sum->irq_exit, irq) : irq;
		sum->irq_saved_exit = x ? lk_irq_meet(sum->irq_saved_exit, t->exits[x].s->irq_saved)
					: t->exits[x].s->irq_saved;
	}
	/* one that never returns (machine_halt(): a crash or shutdown path)
	 * breaks nothing for its callers by turning IRQs on */
	sum->irq_on_at = t->nexits ? t->irq_on_at : NULL;
	sum->irq_on_depth = t->irq_on_depth;
	sum->irq_off_seen = t->irq_off_seen;
	sum->irq_locks = la_arena_alloc(&t->p->arena, sizeof(lk_irqlock) * (size_t)(t->nirq_locks + 1));
	for (int i = 0; i < t->nirq_locks; i++)
		sum->irq_locks[i] = t->irq_locks[i];
	sum->nirq_locks = t->nirq_locks;
}

int lk_irq_entry(const lk_prog *p, const lk_fn *fn, int round)
{
	if (fn->irq_root)
		return fn->irq_root;
	int irq = fn->irq_reg ? fn->irq_reg : -1;
	for (int s = 0; s < fn->nsites; s++) {
		const lk_site *site = &fn->sites[s];
		/* a registered handler's calls through pointers are its
		 * dispatcher's: the registration says how those run */
		if (site->top || !lk_site_counts(p, fn, site, round) ||
		    (fn->irq_reg && site->call->u.call.how != IR_CALL_DIRECT))
			continue;
		irq = irq < 0 ? site->irq : lk_irq_meet(irq, site->irq);
	}
	/* every caller has them on, and the function asserts they are off:
	 * inline asm the IR does not show disabled them on the way
	 * (do_livepatch_work()'s local_irq_save()), so "on" is not known */
	if (irq == LK_IRQ_ON && fn->sum.irq_off_seen)
		return LK_IRQ_UNKNOWN;
	return irq < 0 ? LK_IRQ_UNKNOWN : irq;
}
