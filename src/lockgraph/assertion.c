/* Assertions: what an assertion macro's argument says about the locks held
 * and the path's facts. */
#include "transfer_int.h"
#include "../rules/assert_macros.h"

#include <string.h>

/* Locks an assertion's condition says are held (conjunctions only), and
 * the IRQ state it states. */
static lk_state *assume(tctx *t, la_arena *a, lk_state *s, const ir_expr *c, int truth, const ir_event *e)
{
	if (!c)
		return s;
	if (c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0)
		return assume(t, a, s, c->a, !truth, e);
	if (c->kind == IR_E_BINOP && c->name && truth && strcmp(c->name, "&&") == 0)
		return assume(t, a, assume(t, a, s, c->a, 1, e), c->b, 1, e);
	if (c->kind == IR_E_BINOP && c->name && !truth && strcmp(c->name, "||") == 0)
		return assume(t, a, assume(t, a, s, c->a, 0, e), c->b, 0, e);
	if (c->kind == IR_E_CALLRET && lk_irq_is_query(t, (int)c->ival))
		return lk_irq_assume(t, a, s, truth, e);
	if (c->kind != IR_E_CALLRET || !truth)
		return s;
	int mode;
	const ir_expr *obj = lk_query_of_call(t, a, (int)c->ival, &mode);
	if (!obj)
		return s;
	lk_held h = lk_make_held(t, a, obj, mode, LK_ASSERTED, e->loc);
	const lk_held *o = lk_state_find(s, h.inst, h.cls);
	if (o && !o->maybe)
		return s;
	/* the one lock of this class callers hold but that could not be named
	 * here is the one the assertion names: name it, so that an unlock by
	 * that name releases it (vpci_msix_arch_print) */
	if (!o) {
		int unnamed = -1, nclass = 0;
		for (int i = 0; i < s->nheld; i++)
			if (s->held[i].cls == h.cls) {
				nclass++;
				if (s->held[i].inst[0] == '?' && !s->held[i].maybe)
					unnamed = i;
			}
		if (nclass == 1 && unnamed >= 0) {
			lk_state *r = lk_state_copy(a, s);
			r->held[unnamed].inst = h.inst;
			r->held[unnamed].obj = h.obj;
			return r;
		}
	}
	if (o) {
		lk_state *r = lk_state_copy(a, s);
		for (int i = 0; i < r->nheld; i++)
			if (r->held[i].inst == h.inst && r->held[i].cls == h.cls)
				r->held[i].maybe = 0;
		return r;
	}
	return lk_state_acquire(a, s, &h);
}

lk_state *lk_event_assert(tctx *t, la_arena *a, const ir_event *e, lk_state *s, int block)
{
	const rules_assert_meaning *m = rules_assert_meaning_of(e->u.assert_.macro);
	if (!m)
		return s;
	if (m->lock_arg) {
		const ir_expr *obj = lk_lock_obj(t, a, e->u.assert_.cond);
		lk_held h = lk_make_held(t, a, obj, m->mode, LK_ASSERTED, e->loc);
		/* an annotation is a contract: the callers must hold it (a
		 * lockdep_assert_held() in the body is only a statement) */
		if (m->annotation && t->sum && t->final)
			lk_note_lock_requirement(t, a, s, e, h.obj, m->mode, block);
		return lk_state_find(s, h.inst, h.cls) ? s : lk_state_acquire(a, s, &h);
	}
	if (t->sum && t->final)
		lk_note_requirement(t, a, s, e, !m->negated, block);
	s = assume(t, a, s, e->u.assert_.cond, !m->negated, e);
	/* past BUG_ON(desc == NULL), desc is not NULL (and a lock handed
	 * over with it is held); a path that contradicts it stops here */
	return lk_branch_on(t, a, s, e->u.assert_.cond, !m->negated);
}
