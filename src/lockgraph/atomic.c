/* Kinds of locks: a lock that forbids sleeping ("context": "atomic"
 * primitives: Linux's spinlocks, rwlocks, RCU read-side sections), and one
 * taken without waiting ("waits": false: rcu_read_lock(), srcu_read_lock()),
 * keep what they are through wrappers: spin_lock(l) takes l the way
 * _raw_spin_lock() does. A held lock carries its kind (lk_held.kind); a
 * summary's acquire gets it from the lock held on the function's ways out,
 * named the same way (or, for a lock handed over in the return value, of
 * the same class). */
#include "transfer_int.h"

#include "../util/buf.h"

#include <string.h>

int rules_prim_kind(const rules_primitive *pr)
{
	return (pr->atomic ? LK_KIND_ATOMIC : 0) | (pr->nowait ? LK_KIND_NOWAIT : 0) |
	       (pr->refcount ? LK_KIND_REFCOUNT : 0) | (pr->reenter ? LK_KIND_REENTER : 0);
}

const char *lk_put_fact_name(lk_prog *p, const char *inst)
{
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "put:%s", inst);
	const char *name = lk_intern(p->in, b.ptr);
	la_buf_free(&b);
	return name;
}

lk_state *lk_put_fact(tctx *t, la_arena *a, lk_state *s, const char *inst, int value)
{
	const char *name = lk_put_fact_name(t->p, inst);
	for (int i = 0; i < s->nfacts; i++)
		if (s->facts[i].cond == name) {
			if (s->facts[i].value == value)
				return s;
			lk_state *c = lk_state_copy(a, s);   /* taken again: not put any more */
			lk_fact *f = la_arena_alloc(a, sizeof(lk_fact) * (size_t)c->nfacts);
			memcpy(f, c->facts, sizeof(lk_fact) * (size_t)c->nfacts);
			f[i].value = (short)value;
			c->facts = f;
			return c;
		}
	int contradicts;
	return lk_state_add_fact(a, s, name, value, 0, &contradicts);
}

static int held_kind(const lk_held *h, const char *inst, const char *cls)
{
	if (h->how != LK_ACQUIRED || !(h->inst == inst || (strcmp(cls, "?") != 0 && h->cls == cls)))
		return 0;
	return h->kind;
}

void lk_mark_effect_kinds(tctx *t, lk_summary *sum)
{
	for (int i = 0; i < sum->neff; i++) {
		lk_effect *ef = &sum->eff[i];
		if (!ef->obj)
			continue;
		const char *inst = lk_lock_instance(t->p, ef->obj), *cls = lk_lock_class(t->p, ef->obj);
		for (int x = 0; x < t->nexits; x++) {
			const lk_state *s = t->exits[x].s;
			if (ef->op == PRIM_RELEASE) {   /* the callers' lock, dropped: recorded in rel */
				for (int k = 0; k < s->nrel; k++)
					if (s->rel[k].inst == inst)
						ef->kind |= s->rel[k].kind;
				continue;
			}
			for (int k = 0; k < s->nheld; k++)
				ef->kind |= held_kind(&s->held[k], inst, cls);
			for (int k = 0; k < s->ntries; k++)
				if (!s->tries[k].release)
					ef->kind |= held_kind(&s->tries[k].lock, inst, cls);
		}
	}
}
