/* Call sites: the locks held at every call, recorded at each callee for its
 * entry context, with what callbacks inherit from their iterators. */
#include "transfer_int.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Held on this path, or maybe held because a call through a pointer may
 * have taken it (the callee then gets it "maybe" too). */
/* A resource (an RCU reference) is no context its callees run in. */
static int held_for_callees(const lk_held *h)
{
	return h && !h->resource && (!h->maybe || h->how == LK_SOME_PATHS);
}

/* Locks held on every state (and not only on some paths). */
static int must_held(lk_state *const *states, int n, const lk_held **out, int max)
{
	int m = 0;
	if (!n)
		return 0;
	for (int i = 0; i < states[0]->nheld && m < max; i++) {
		const lk_held *h = &states[0]->held[i];
		int all = held_for_callees(h);
		for (int j = 1; j < n && all; j++)
			all = held_for_callees(lk_state_find(states[j], h->inst, h->cls));
		if (all)
			out[m++] = h;
	}
	return m;
}

/* The mode a lock is held in on every path (the weakest), whether a
 * stronger one is held on some (the mode then depends on a value), and
 * whether a call through a pointer took it on some paths only. */
static void mode_on_every_path(lk_held *h, lk_state *const *states, int n)
{
	for (int j = 0; j < n; j++) {
		const lk_held *o = lk_state_find(states[j], h->inst, h->cls);
		if (!o)
			continue;
		h->mixed |= o->mixed;
		h->maybe |= o->maybe;
		if (o->mode != h->mode) {
			h->mode = LOCK_SHARED;
			h->mixed = 1;
		}
	}
}

/* Locks held as seen by the callee, named there only when global. */
typedef struct lockvec {
	lk_held *v;
	int n, cap;
} lockvec;

static void lockvec_free(lockvec *lv)
{
	free(lv->v);
	memset(lv, 0, sizeof(*lv));
}

/* Keep in `into` only the locks also in `other`, in into's order. */
static void lockvec_intersect(lockvec *into, const lockvec *other)
{
	int m = 0;
	for (int i = 0; i < into->n; i++)
		for (int j = 0; j < other->n; j++)
			if (into->v[i].inst == other->v[j].inst && into->v[i].cls == other->v[j].cls) {
				into->v[m++] = into->v[i];
				break;
			}
	into->n = m;
}

static void lockvec_add(lockvec *lv, tctx *t, const lk_held *h)
{
	lk_held x = *h;
	if (!x.obj || !lk_expr_rooted_in_params(x.obj) || lk_expr_contains_param(x.obj)) {
		x.obj = NULL;
		x.inst = lk_intern(t->p->in, "?");
	}
	for (int i = 0; i < lv->n; i++)
		if (lv->v[i].inst == x.inst && lv->v[i].cls == x.cls)
			return;
	LA_VEC_PUSH(lv->v, lv->n, lv->cap);
	lv->v[lv->n++] = x;
}

static int reaches(const lk_prog *p, int from, int to, int depth)
{
	if (from == to)
		return 1;
	if (depth == 0)
		return 0;
	const lk_fn *fn = &p->fn[from];
	for (int c = 0; c < fn->ir->ncalls; c++)
		for (int k = 0; k < fn->calls[c].ntargets; k++)
			if (reaches(p, fn->calls[c].targets[k], to, depth - 1))
				return 1;
	return 0;
}

/* A callback T called by us (F) through a pointer runs while the iterator
 * it was given to is still on the stack: pci_segment_iterate(seg, handler)
 * takes pcidevs_lock and calls iterate_all, which calls handler. So T also
 * has what is held at every registration (C calls G passing T) plus what G
 * holds at each of its own calls of F. Only for functions whose address
 * goes nowhere else, and when G reaches F in a few calls; 0 otherwise.
 * `out` starts empty and is the caller's to free. */
static int callback_held(tctx *t, const lk_fn *cb, lockvec *out)
{
	const lk_prog *p = t->p;
	out->n = 0;
	if (cb->stored || !cb->nregs)
		return 0;
	for (int r = 0; r < cb->nregs; r++) {
		const lk_reg *reg = &cb->regs[r];
		const lk_fn *caller = &p->fn[reg->caller];
		int id = reg->call->u.call.id;
		if (id < 0 || id >= caller->ir->ncalls || caller->calls[id].ntargets != 1)
			return 0;
		int g = caller->calls[id].targets[0];
		if (!reaches(p, g, t->fi, 3))
			return 0;
		const lk_fn *gf = &p->fn[g];
		const lk_site *at = NULL;
		for (int k = 0; k < gf->nsites && !at; k++)
			if (gf->sites[k].call == reg->call)
				at = &gf->sites[k];
		if (!at)
			return 0;   /* the registration was not analysed yet: nothing known */
		lockvec here = { NULL, 0, 0 };
		for (int i = 0; i < at->nheld; i++)
			lockvec_add(&here, t, &at->held[i]);
		/* what G holds at every call of ours */
		int first = 1;
		lockvec mine = { NULL, 0, 0 };
		for (int k = 0; k < t->fn->nsites; k++) {
			const lk_site *s = &t->fn->sites[k];
			if (s->caller != g)
				continue;
			lockvec cur = { NULL, 0, 0 };
			for (int i = 0; i < s->nheld; i++)
				lockvec_add(&cur, t, &s->held[i]);
			if (first) {
				mine = cur;
				first = 0;
				continue;
			}
			lockvec_intersect(&mine, &cur);
			lockvec_free(&cur);
		}
		for (int i = 0; i < mine.n; i++)
			lockvec_add(&here, t, &mine.v[i]);
		lockvec_free(&mine);
		if (r == 0) {
			lockvec_free(out);
			*out = here;
			continue;
		}
		lockvec_intersect(out, &here);
		lockvec_free(&here);
	}
	return out->n;
}

static void record_site(tctx *t, const ir_event *e, lk_state *const *states, int n)
{
	int id = e->u.call.id;
	if (id < 0 || id >= t->fn->ir->ncalls)
		return;
	const lk_call *c = &t->fn->calls[id];
	if (c->prim || !c->ntargets)
		return;
	la_arena tmp = LA_ARENA_INIT;
	/* what every state holds is some of what the first one holds */
	const lk_held **held = la_arena_alloc(&tmp, sizeof(*held) * (size_t)(states[0]->nheld + 1));
	int nh = must_held(states, n, held, states[0]->nheld);
	ir_expr **args = la_arena_alloc(&tmp, sizeof(ir_expr *) * (size_t)(e->u.call.nargs + 1));
	for (int i = 0; i < e->u.call.nargs; i++)
		args[i] = (ir_expr *)lk_resolve_locals(&tmp, e->u.call.args[i], &t->fn->locals);
	for (int k = 0; k < c->ntargets; k++) {
		lk_fn *callee = &t->p->fn[c->targets[k]];
		if (t->record_sites == LK_SITES_SCC && callee->scc != t->fn->scc)
			continue;
		LA_VEC_PUSH(callee->sites, callee->nsites, callee->capsites);
		lk_site *site = &callee->sites[callee->nsites++];
		site->caller = t->fi;
		site->round = t->p->round;
		site->top = t->fn->entry_top;
		site->call = e;
		site->irq = lk_irq_of_states(states, n);
		lockvec cbh = { NULL, 0, 0 };
		if (e->u.call.how != IR_CALL_DIRECT)
			callback_held(t, callee, &cbh);
		site->nheld = nh;
		site->held = la_arena_alloc(&t->p->arena, sizeof(lk_held) * (size_t)(nh + cbh.n + 1));
		site->held_obj = la_arena_alloc(&t->p->arena, sizeof(ir_expr *) * (size_t)(nh + cbh.n + 1));
		for (int i = 0; i < nh; i++) {
			lk_held h = *held[i];
			site->held_obj[i] = h.obj ? lk_expr_clone(&t->p->arena, h.obj) : NULL;
			mode_on_every_path(&h, states, n);
			const ir_expr *obj = h.obj ? lk_to_callee(&tmp, h.obj, args, e->u.call.nargs) : NULL;
			if (obj) {
				obj = lk_expr_clone(&t->p->arena, obj);
				lk_name_lock(t->p, &tmp, obj, &h.inst, &h.cls);
			} else {
				h.inst = lk_intern(t->p->in, "?");   /* held, but not nameable there */
			}
			h.obj = obj;
			h.how = LK_INHERITED;
			h.at = e->loc;
			site->held[i] = h;
		}
		for (int i = 0; i < cbh.n; i++) {
			int dup = 0;
			for (int j = 0; j < site->nheld && !dup; j++)
				if (site->held[j].cls == cbh.v[i].cls) {
					dup = 1;
					/* read-locked by every user of the iterator,
					 * write-locked by the one that passed this callback */
					if (site->held[j].mode == LOCK_SHARED && cbh.v[i].mode != LOCK_SHARED)
						site->held[j].mode = cbh.v[i].mode;
				}
			if (!dup) {
				cbh.v[i].how = LK_INHERITED;
				cbh.v[i].at = e->loc;
				site->held_obj[site->nheld] = NULL;   /* held where the callback was passed on */
				site->held[site->nheld++] = cbh.v[i];
			}
		}
		lockvec_free(&cbh);
	}
	la_arena_free(&tmp);
}

void lk_on_observe(void *ctx, int block, int idx, const ir_event *e, lk_state *const *states, int n)
{
	tctx *t = ctx;
	t->final = 1;
	if (t->record_sites && e->kind == IR_EV_CALL && n)
		record_site(t, e, states, n);
	lk_inherit_requirements(t, block, e, states, n);
	if (t->sink && t->sink->event)
		t->sink->event(t->sink->ctx, t->fn, block, idx, e, states, n);
}
