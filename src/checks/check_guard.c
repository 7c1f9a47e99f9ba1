/* guard: an access to a field without the locks its rule demands
 * (rules "guards"; mode-aware: a read may need any of several locks, a
 * write all of them, some in write mode).
 *
 * Breaking the rule is not enough: the access must also have a conflicting
 * access somewhere (the same field, one of the two a write) with which it
 * shares no lock that keeps them apart. A field that every accessor touches
 * under one lock the rule did not name (vPCI state set up and torn down only
 * under pcidevs_lock) is protected by that lock, whatever the rule says; so
 * the findings are held back until every access has been seen (finish). */
#include "check.h"
#include "../lockgraph/contexts.h"
#include "../lockgraph/origin.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 satisfied, 0 violated, -1 unknown (held on merged paths only). */
static int lockset_holds(const rules_lockset *ls, const lk_state *s, int *missing, int *nmissing)
{
	int sat = 0, unsure = 0, bad = 0;
	for (int i = 0; i < ls->nlocks; i++) {
		int h = check_holds(s, ls->locks[i].cls, ls->locks[i].modes);
		sat += h == 1;
		unsure += h < 0;
		if (h == 0) {
			bad++;
			missing[(*nmissing)++] = i;
		}
	}
	if (ls->any)
		return sat ? 1 : unsure ? -1 : 0;
	return bad ? 0 : unsure ? -1 : 1;
}

/* An access to a guarded field, with the locks held on every path to it. */
typedef struct guarded_access {
	const char *field;       /* "STRUCT.FIELD", interned */
	int write;               /* a write, or its address taken (it may be written through it) */
	int addr;                /* its address taken */
	const lk_fn *fn;
	ir_loc at;
	lk_lockclass *locks;
	int nlocks;
} guarded_access;

/* A finding held back until its conflicting access is known. */
typedef struct guard_candidate {
	finding *f;
	int access;              /* index in accesses */
	const rules_guard *g;
} guard_candidate;

typedef struct guard_state {
	guarded_access *acc;
	int nacc, capacc;
	guard_candidate *cand;
	int ncand, capcand;
	la_strset taken;         /* the lock classes some analysed code acquires */
} guard_state;

static guard_state *state_of(check_ctx *c)
{
	return check_state_get(c, sizeof(guard_state));
}

/* Record the access with the locks every state holds (not "maybe"). */
static int record_access(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	guard_state *gs = state_of(c);
	char field[256];
	snprintf(field, sizeof(field), "%s.%s", e->u.access.sname, e->u.access.field);
	LA_VEC_PUSH(gs->acc, gs->nacc, gs->capacc);
	guarded_access *a = &gs->acc[gs->nacc];
	*a = (guarded_access){ lk_intern(check_prog(c)->in, field), e->u.access.mode != IR_READ,
			       e->u.access.mode == IR_ADDR, fn, e->loc, NULL, 0 };
	for (int i = 0; n > 0 && i < states[0]->nheld; i++) {
		const lk_held *h = &states[0]->held[i];
		if (h->maybe || h->resource || strcmp(h->cls, "?") == 0)
			continue;
		int everywhere = 1, exclusive = h->mode != LOCK_SHARED;
		for (int j = 1; j < n && everywhere; j++) {
			int mode = check_holds(states[j], h->cls, LOCK_ANY) == 1 ? LOCK_SHARED : 0;
			if (mode && check_holds(states[j], h->cls, LOCK_EXCLUSIVE | LOCK_RECURSIVE) != 1)
				exclusive = 0;
			everywhere = mode != 0;
		}
		if (!everywhere)
			continue;
		a->locks = xrealloc(a->locks, (size_t)(a->nlocks + 1) * sizeof(*a->locks));
		a->locks[a->nlocks++] = (lk_lockclass){ h->cls, exclusive };
	}
	return gs->nacc++;
}

/* Does a lock both hold, exclusively on at least one side, keep the two
 * apart? (Two readers of an rwlock are not kept apart.) */
static int excluded(const lk_lockclass *a, int na, const lk_lockclass *b, int nb)
{
	for (int i = 0; i < na; i++) {
		int k = lk_lockset_find(b, nb, a[i].cls);
		if (k >= 0 && (a[i].exclusive || b[k].exclusive))
			return 1;
	}
	return 0;
}

/* The locks of an access in one of its calling contexts. malloc'd. */
static lk_lockclass *in_context(const guarded_access *a, const lk_lockset *ctx, int *n)
{
	lk_lockclass *u = xmalloc(sizeof(*u) * (size_t)(a->nlocks + ctx->n + 1));
	if (ctx->n)
		memcpy(u, ctx->v, sizeof(*u) * (size_t)ctx->n);
	int m = ctx->n;
	for (int k = 0; k < a->nlocks; k++) {
		int j = lk_lockset_find(u, m, a->locks[k].cls);
		if (j < 0)
			u[m++] = a->locks[k];
		else
			u[j].exclusive |= a->locks[k].exclusive;
	}
	*n = m;
	return u;
}

/* Can the two accesses run at the same time on two CPUs, in some pair of
 * their calling contexts? Then the locks of each in that pair. */
static int may_overlap(lk_contexts *cx, const guarded_access *a, const guarded_access *b,
		       lk_lockclass **la, int *na, lk_lockclass **lb, int *nb)
{
	const lk_prog *p = lk_contexts_prog(cx);
	int nca, ncb;
	const lk_lockset *ca = lk_contexts_of(cx, (int)(a->fn - p->fn), &nca);
	const lk_lockset *cb = lk_contexts_of(cx, (int)(b->fn - p->fn), &ncb);
	for (int i = 0; i < nca; i++)
		for (int k = 0; k < ncb; k++) {
			*la = in_context(a, &ca[i], na);
			*lb = in_context(b, &cb[k], nb);
			if (!excluded(*la, *na, *lb, *nb))
				return 1;
			free(*la);
			free(*lb);
		}
	*la = *lb = NULL;
	return 0;
}

/* An object this function made and never lets out needs no lock: nothing
 * stores it where another CPU can reach it, returns it, or passes it to a
 * call (which might: list_add(&v->list, ...)). (origin.h) */
static int unpublished(check_ctx *c, const lk_fn *fn, const ir_event *e)
{
	if (!e->u.access.arrow || !e->u.access.base)
		return 0;
	lk_prog *p = check_prog(c);
	/* a constructor's new object (rules "constructors") */
	if (lk_obj_walks_from_param(fn, e->u.access.base, lk_constructor_arg(p, (int)(fn - p->fn))))
		return 1;
	lk_origins o = { LA_STRSET_INIT, 0, NULL, NULL };
	lk_origin_scope strict = { NULL, -1, -1, 1 };
	lk_origins_of_pointer(p, (int)(fn - p->fn), e->u.access.base, &strict, &o);
	int private = lk_origins_private(&o);
	lk_origins_free(&o);
	return private;
}

static void guard_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_ACCESS || n == 0)
		return;
	const rules_guard *g = rules_find_guard(check_rules(c), e->u.access.sname, e->u.access.field);
	if (!g || lk_single_cpu_at(check_prog(c), fn, e) || unpublished(c, fn, e))
		return;   /* no other CPU to race with, nor to conflict with */
	int acc = record_access(c, fn, e, states, n);
	if (e->u.access.mode == IR_ADDR)
		return;   /* a conflicting access for others, not reported itself */
	int write = e->u.access.mode == IR_WRITE;
	const rules_lockset *ls = write ? &g->write : &g->read;
	if (!ls->present)
		return;
	/* the rule's locks missing on one path: at most all of them */
	int *missing = xmalloc(sizeof(int) * (size_t)(ls->nlocks + 1));
	const char **classes = xmalloc(sizeof(char *) * (size_t)(ls->nlocks + 1));
	int *modes = xmalloc(sizeof(int) * (size_t)(ls->nlocks + 1));
	for (int j = 0; j < n; j++) {
		int nmissing = 0;
		if (lockset_holds(ls, states[j], missing, &nmissing) != 0)
			continue;
		la_buf what = LA_BUF_INIT, cls = LA_BUF_INIT;
		for (int i = 0; i < nmissing; i++) {
			char *t = check_ref_text(&ls->locks[missing[i]]);
			la_buf_printf(&what, "%s%s", i ? (ls->any ? " or " : " and ") : "", t);
			la_buf_printf(&cls, "%s%s", i ? "," : "", ls->locks[missing[i]].cls);
			free(t);
			classes[i] = ls->locks[missing[i]].cls;
			modes[i] = ls->locks[missing[i]].modes;
		}
		lk_chain ch;
		int real = check_context_chain(c, fn, e, classes, modes, ls->any ? nmissing : 1, 0, &ch);
		for (int i = 1; !ls->any && real && i < nmissing; i++) {   /* all: any one missing everywhere */
			lk_chain_free(&ch);
			real = check_context_chain(c, fn, e, &classes[i], &modes[i], 1, 0, &ch);
		}
		if (!real) {
			lk_chain_free(&ch);
			la_buf_free(&what);
			la_buf_free(&cls);
			continue;
		}
		char subject[256];
		snprintf(subject, sizeof(subject), "%s.%s", e->u.access.sname, e->u.access.field);
		const char *via = check_ignored_via(c, fn, e, subject, classes, modes, nmissing, &ch);
		finding *f = check_report(c, fn, e->loc, subject, cls.ptr, "%s %s without %s held", write ? "write to" : "read of",
					  subject, what.ptr);
		if (f && via && !f->ignored)
			f->ignored = via;
		if (f) {
			guard_state *gs = state_of(c);
			LA_VEC_PUSH(gs->cand, gs->ncand, gs->capcand);
			gs->cand[gs->ncand++] = (guard_candidate){ f, acc, g };
			/* the caller chain along which it is not held, then the locks
			 * that are held (a read lock where a write lock is needed) */
			la_buf note = LA_BUF_INIT;
			la_buf_printf(&note, "without %s", what.ptr);
			check_trace_chain(c, f, &ch, note.ptr);
			la_buf_free(&note);
			for (int i = 0; i < states[j]->nheld; i++)
				for (int k = 0; k < nmissing; k++)
					if (strcmp(states[j]->held[i].cls, classes[k]) == 0) {
						check_trace_acquired(c, f, &states[j]->held[i], fn);
						break;
					}
			finding_add_step(f, "access", f->file, e->loc.line, e->loc.col, f->func, "%s%s%s%s",
					 write ? "written here" : "read here", g->reason ? " (rule: " : "",
					 g->reason ? g->reason : "", g->reason ? ")" : "");
		}
		lk_chain_free(&ch);
		la_buf_free(&what);
		la_buf_free(&cls);
		break;   /* one finding per access, on the first path that shows it */
	}
	free(missing);
	free(classes);
	free(modes);
}

/* Which conflicting access to show: a plain write before an address taken
 * (which may only be read through), another function before the access's
 * own, then the first in file order, so that the trace does not depend on
 * the order the functions were analysed in. */
static int better_partner(const guarded_access *a, const guarded_access *b, const guarded_access *than)
{
	if (b->addr != than->addr)
		return !b->addr;
	if ((b->fn != a->fn) != (than->fn != a->fn))
		return b->fn != a->fn;
	return check_loc_before(b->at, than->at);
}

static char *locks_text(const lk_lockclass *l, int n)
{
	la_buf b = LA_BUF_INIT;
	for (int i = 0; i < n; i++)
		la_buf_printf(&b, "%s%s%s", i ? ", " : "", l[i].cls, l[i].exclusive ? "" : " (read)");
	if (!n)
		la_buf_puts(&b, "no lock");
	return la_buf_detach(&b);
}

static void guard_lock_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			  const lk_lockop *op)
{
	(void)fn;
	(void)e;
	(void)before;
	if (op->op == PRIM_ACQUIRE)
		la_strset_add(&state_of(c)->taken, op->lock->cls);
}

/* A guard that names a lock class no analysed code takes was written for
 * another version of the code (Xen's domain.pci_lock came with 4.19): its
 * discipline is not this tree's. analyze's rules warning names the class. */
static int of_this_tree(const guard_state *gs, const rules *r, const rules_guard *g)
{
	const rules_lockset *sets[2] = { &g->read, &g->write };
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < sets[s]->nlocks; i++)
			if (la_strset_index(&gs->taken, sets[s]->locks[i].cls) < 0 &&
			    !rules_is_registration_lock(r, sets[s]->locks[i].cls) && !rules_is_resource_name(r, sets[s]->locks[i].cls))
				return 0;
	return 1;
}

/* Keep a finding only when its guard is this tree's, and some access to
 * its field (itself included, on another CPU, when it writes) may overlap
 * with it; name that access and the locks of both in the calling contexts
 * that let them meet. */
static void guard_finish(check_ctx *c)
{
	guard_state *gs = *check_state(c);
	if (!gs)
		return;
	lk_contexts *cx = lk_contexts_new(check_prog(c));
	for (int i = 0; i < gs->ncand; i++) {
		if (!of_this_tree(gs, check_rules(c), gs->cand[i].g)) {
			check_withdraw(c, gs->cand[i].f);
			continue;
		}
		const guarded_access *a = &gs->acc[gs->cand[i].access];
		const guarded_access *other = NULL;
		lk_lockclass *la = NULL, *lb = NULL;
		int na = 0, nb = 0;
		for (int k = 0; k < gs->nacc; k++) {
			const guarded_access *b = &gs->acc[k];
			lk_lockclass *ta, *tb;
			int nta, ntb;
			if (b->field != a->field || !(a->write || b->write) || (other && !better_partner(a, b, other)) ||
			    !may_overlap(cx, a, b, &ta, &nta, &tb, &ntb))
				continue;
			free(la);
			free(lb);
			other = b, la = ta, na = nta, lb = tb, nb = ntb;
		}
		finding *f = gs->cand[i].f;
		if (!other) {
			check_withdraw(c, f);
			continue;
		}
		char *here = locks_text(la, na), *there = locks_text(lb, nb);
		finding_add_step(f, "access", other->at.file, other->at.line, other->at.col, check_fn_name(other->fn),
				 "%s %s in %s(), holding %s, can run at the same time as this access, holding %s",
				 other == a ? "the same" : "conflicting",
				 other->addr ? "use of the address" : other->write ? "write" : "read",
				 check_fn_name(other->fn), there, here);
		free(here);
		free(there);
		free(la);
		free(lb);
	}
	lk_contexts_free(cx);
}

static void guard_free_state(void *st)
{
	guard_state *gs = st;
	for (int i = 0; i < gs->nacc; i++)
		free(gs->acc[i].locks);
	free(gs->acc);
	free(gs->cand);
	la_strset_free(&gs->taken);
	free(gs);
}

const la_check check_guard = {
	.id = "guard",
	.severity = "warning",
	.enabled = 1,
	.title = "field accessed without the locks its rule (\"guards\") demands",
	.description = "An access to a struct field without the locks its rule in \"guards\" demands: a read may accept "
		"any of several locks, a write needs all of them, some for writing. Two CPUs may then race on "
		"the field.",
	.between_cpus = 1,
	.event = guard_event,
	.lock_op = guard_lock_op,
	.finish = guard_finish,
	.free_state = guard_free_state,
};
