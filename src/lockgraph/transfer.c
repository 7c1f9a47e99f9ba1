/* What events and branches do to the locks held: primitives from the rules,
 * callee summaries (inferred wrappers), trylock results on branches,
 * assertions as facts, and the summary of the function being analysed. */
#include "analysis.h"
#include "flow.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How an assertion macro's argument reads (rules name the macros). */
static const struct {
	const char *macro;
	int negated;      /* BUG_ON(x): x must be false */
	int lock_arg;     /* lockdep_assert_held(l): the argument is the lock */
	int mode;
} assert_meaning[] = {
	{ "ASSERT", 0, 0, 0 },
	{ "assert", 0, 0, 0 },
	{ "BUG_ON", 1, 0, 0 },
	{ "WARN_ON", 1, 0, 0 },
	{ "WARN_ON_ONCE", 1, 0, 0 },
	{ "lockdep_assert_held", 0, 1, LOCK_ANY },
	{ "lockdep_assert_held_write", 0, 1, LOCK_EXCLUSIVE },
	{ "lockdep_assert_held_read", 0, 1, LOCK_SHARED },
};

typedef struct exit_rec {
	lk_state *s;
	const ir_expr *ret;
} exit_rec;

typedef struct req_list {
	lk_req *v;
	int n, cap;
} req_list;

typedef struct tctx {
	lk_prog *p;
	int fi;
	lk_fn *fn;
	lk_summary *sum;            /* being computed, or NULL */
	const lk_sink *sink;
	int record_sites;
	int final;                  /* in the flow engine's final pass */
	exit_rec *exits;
	int nexits, capexits;
	req_list req;               /* preconditions seen (summary run) */
} tctx;

/* Macro temporaries (`__ptr` of per_cpu()) get a fresh name at each use
 * (__ptr'2, __ptr'3); in a lock's name they are the same temporary, so that
 * spin_unlock(&per_cpu(t_lock, i)) releases spin_lock(&per_cpu(t_lock, i)). */
static void unnumber_temporaries(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		if (r[0] == '_' && r[1] == '_' && (r == s || !(r[-1] == '_' || (r[-1] >= 'a' && r[-1] <= 'z') ||
							   (r[-1] >= 'A' && r[-1] <= 'Z') || (r[-1] >= '0' && r[-1] <= '9')))) {
			while (*r == '_' || (*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9'))
				*w++ = *r++;
			if (*r == '\'' && r[1] >= '0' && r[1] <= '9')
				for (r++; *r >= '0' && *r <= '9'; r++)
					;
			continue;
		}
		*w++ = *r++;
	}
	*w = 0;
}

void lk_name_lock(lk_prog *p, la_arena *a, const ir_expr *obj, const char **inst, const char **cls)
{
	(void)a;
	la_buf b = LA_BUF_INIT;
	ir_expr_render(&b, obj, NULL, 0);
	if (b.ptr)
		unnumber_temporaries(b.ptr);
	*inst = lk_intern(p->in, b.ptr ? b.ptr : "?");
	la_buf_clear(&b);
	lk_class_of(&b, obj);
	*cls = lk_intern(p->in, b.ptr ? b.ptr : "?");
	la_buf_free(&b);
}

static const ir_expr *lock_obj(tctx *t, la_arena *a, const ir_expr *arg)
{
	return lk_resolve_locals(a, lk_obj_of_arg(a, arg), &t->fn->locals);
}

static lk_held make_held(tctx *t, la_arena *a, const ir_expr *obj, int mode, lk_how how, ir_loc at)
{
	lk_held h;
	memset(&h, 0, sizeof(h));
	lk_name_lock(t->p, a, obj, &h.inst, &h.cls);
	h.obj = obj;
	h.mode = (unsigned char)(mode == LOCK_ANY ? LOCK_SHARED : mode);
	h.count = 1;
	h.how = (unsigned char)how;
	h.at = at;
	return h;
}

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

static lk_state *apply_lock_op(tctx *t, la_arena *a, lk_state *s, rules_prim_op op, const ir_expr *obj,
			       int mode, lk_cond cond, const ir_event *e, int irq, int via)
{
	int call_id = e->u.call.id;
	lk_held h = make_held(t, a, obj, mode, LK_ACQUIRED, e->loc);
	if ((op == PRIM_ACQUIRE && cond == LK_ALWAYS) || op == PRIM_RELEASE)
		report_lock_op(t, e, s, op, &h, irq, via);
	switch (op) {
	case PRIM_ACQUIRE:
		if (cond == LK_ALWAYS)
			return lk_state_acquire(a, s, &h);
		__attribute__((fallthrough));   /* a conditional acquire is a trylock */
	case PRIM_TRY: {
		lk_try tr = { call_id, cond != LK_IF_ZERO, 0, h };
		return lk_state_add_try(a, s, &tr);
	}
	case PRIM_RELEASE: {
		int found;
		const lk_held *o = lk_state_find(s, h.inst, h.cls);
		/* dropping the caller's lock (held by contract or inherited) is
		 * a release the caller sees, even when it is taken again later */
		int callers = o && o->how != LK_ACQUIRED && o->count <= 1;
		lk_state *r = lk_state_release(a, s, h.inst, h.cls, &found);
		if ((!found || callers) && obj && lk_expr_rooted_in_params(obj))
			r = lk_state_add_released(a, r, &h);
		return r;
	}
	case PRIM_QUERY:
		return s;
	}
	return s;
}

static lk_state *event_call(tctx *t, la_arena *a, const ir_event *e, lk_state *s)
{
	int id = e->u.call.id;
	if (id < 0 || id >= t->fn->ir->ncalls)
		return s;
	const lk_call *c = &t->fn->calls[id];
	if (c->prim) {
		const rules_primitive *pr = c->prim;
		if (pr->arg >= e->u.call.nargs)
			return s;
		if (pr->irq == IRQ_DISABLE || pr->irq == IRQ_SAVE) {
			s = lk_state_copy(a, s);
			s->irq_off = 1;
		} else if (pr->irq == IRQ_ENABLE || pr->irq == IRQ_RESTORE) {
			s = lk_state_copy(a, s);
			s->irq_off = 0;
		}
		return apply_lock_op(t, a, s, pr->op, lock_obj(t, a, e->u.call.args[pr->arg]), pr->mode,
				     LK_ALWAYS, e, pr->irq, -1);
	}
	const lk_summary *sum = e->u.call.how == IR_CALL_DIRECT && c->ntargets == 1
				? &t->p->fn[c->targets[0]].sum : NULL;
	/* a call may write what a branch fact was about; lock wrappers do not */
	if (!sum || (!sum->neff && !sum->query && sum->returns_param < 0))
		s = lk_state_kill_facts(a, s, NULL);
	if (!sum)
		return s;   /* indirect calls: handlers are assumed balanced */
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
				      make_held(t, a, obj, sum->eff[i].mode, LK_ACQUIRED, e->loc) };
			s = lk_state_add_try(a, s, &tr);
			continue;
		}
		obj = lk_resolve_locals(a, obj, &t->fn->locals);
		s = apply_lock_op(t, a, s, sum->eff[i].op, obj, sum->eff[i].mode, sum->eff[i].cond, e, IRQ_KEEP,
				  c->targets[0]);
	}
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
static const ir_expr *query_of_call(tctx *t, la_arena *a, int call_id, int *mode)
{
	const ir_event *call = ir_func_call(t->fn->ir, call_id);
	if (!call || call_id >= t->fn->ir->ncalls)
		return NULL;
	const lk_call *c = &t->fn->calls[call_id];
	if (c->prim && c->prim->op == PRIM_QUERY && c->prim->arg < call->u.call.nargs) {
		*mode = c->prim->mode;
		return lock_obj(t, a, call->u.call.args[c->prim->arg]);
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

/* Locks an assertion's condition says are held (conjunctions only). */
static lk_state *assume(tctx *t, la_arena *a, lk_state *s, const ir_expr *c, int truth, ir_loc at)
{
	if (!c)
		return s;
	if (c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0)
		return assume(t, a, s, c->a, !truth, at);
	if (c->kind == IR_E_BINOP && c->name && truth && strcmp(c->name, "&&") == 0)
		return assume(t, a, assume(t, a, s, c->a, 1, at), c->b, 1, at);
	if (c->kind == IR_E_BINOP && c->name && !truth && strcmp(c->name, "||") == 0)
		return assume(t, a, assume(t, a, s, c->a, 0, at), c->b, 0, at);
	if (c->kind != IR_E_CALLRET || !truth)
		return s;
	int mode;
	const ir_expr *obj = query_of_call(t, a, (int)c->ival, &mode);
	if (!obj)
		return s;
	lk_held h = make_held(t, a, obj, mode, LK_ASSERTED, at);
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

/* An assertion's condition as a precondition on the function's caller:
 * held(LOCK) for lock queries not satisfied here, pointer tests on
 * parameters, && and || kept; as text and as a formula (in p's arena).
 * NULL when a part cannot be stated in the caller's terms (then a
 * disjunction says nothing). */
static const lk_req_node *formula(tctx *t, la_arena *a, const lk_state *s, const ir_expr *c, int truth,
				  la_buf *out, int *has_lock)
{
	if (!c)
		return NULL;
	if (c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0)
		return formula(t, a, s, c->a, !truth, out, has_lock);
	lk_req_node *n = NULL;
	if (c->kind == IR_E_BINOP && c->name && (strcmp(c->name, "&&") == 0 || strcmp(c->name, "||") == 0)) {
		/* De Morgan under negation */
		int is_and = (c->name[0] == '&') == truth;
		la_buf l = LA_BUF_INIT, r = LA_BUF_INIT;
		const lk_req_node *nl = formula(t, a, s, c->a, truth, &l, has_lock);
		const lk_req_node *nr = formula(t, a, s, c->b, truth, &r, has_lock);
		const lk_req_node *res = NULL;
		if (nl && nr) {
			la_buf_printf(out, "(%s %s %s)", l.ptr, is_and ? "&&" : "||", r.ptr);
			n = la_arena_alloc(&t->p->arena, sizeof(*n));
			n->op = is_and ? LK_REQ_AND : LK_REQ_OR;
			n->l = nl;
			n->r = nr;
			res = n;
		} else if (is_and && (nl || nr)) {   /* a conjunct we cannot state is dropped */
			la_buf_puts(out, nl ? l.ptr : r.ptr);
			res = nl ? nl : nr;
		}
		la_buf_free(&l);
		la_buf_free(&r);
		return res;
	}
	if (c->kind == IR_E_CALLRET) {
		int mode;
		const ir_expr *obj = query_of_call(t, a, (int)c->ival, &mode);
		if (!obj || !truth || !lk_expr_rooted_in_params(obj))
			return NULL;
		const char *inst, *cls;
		lk_name_lock(t->p, a, obj, &inst, &cls);
		const lk_held *h = lk_state_find(s, inst, cls);
		la_buf_printf(out, "held%s(%s)", mode == LOCK_EXCLUSIVE ? "_exclusive" : "", inst);
		*has_lock |= !(h && !h->maybe);
		n = la_arena_alloc(&t->p->arena, sizeof(*n));
		n->op = LK_REQ_HELD;
		n->obj = lk_expr_clone(&t->p->arena, obj);
		n->modes = mode == LOCK_EXCLUSIVE ? LOCK_EXCLUSIVE | LOCK_RECURSIVE : LOCK_ANY;
		return n;
	}
	if ((c->kind == IR_E_PARAM || c->kind == IR_E_FIELD) && lk_expr_rooted_in_params(c)) {
		la_buf_printf(out, "%s", truth ? "" : "!");
		ir_expr_render(out, c, NULL, 0);
		n = la_arena_alloc(&t->p->arena, sizeof(*n));
		n->op = LK_REQ_TEST;
		n->obj = lk_expr_clone(&t->p->arena, c);
		n->truth = truth;
		return n;
	}
	return NULL;
}

/* Is block b on every path from the entry to a return? An assertion only on
 * some paths (inside `if ( table[i] )`) says nothing about the callers. */
static int on_every_path(const ir_func *f, int b)
{
	if (b == 0)
		return 1;
	char *seen = xcalloc((size_t)f->nblocks, 1);
	int *stack = xmalloc(sizeof(int) * (size_t)f->nblocks);
	int n = 0, avoidable = 0;
	stack[n++] = 0;
	seen[0] = 1;
	seen[b] = 1;   /* paths may not go through it */
	while (n && !avoidable) {
		const ir_block *bl = f->blocks[stack[--n]];
		if (!bl->nsucc && !bl->noreturn)
			avoidable = 1;
		for (int k = 0; k < bl->nsucc; k++)
			if (!seen[bl->succ[k]]) {
				seen[bl->succ[k]] = 1;
				stack[n++] = bl->succ[k];
			}
	}
	free(seen);
	free(stack);
	return !avoidable;
}

static void note_requirement(tctx *t, la_arena *a, const lk_state *s, const ir_event *e, int truth, int block)
{
	if (!on_every_path(t->fn->ir, block))
		return;
	la_buf b = LA_BUF_INIT;
	int has_lock = 0;
	const lk_req_node *n = formula(t, a, s, e->u.assert_.cond, truth, &b, &has_lock);
	if (n && has_lock) {
		const char *text = lk_intern(t->p->in, b.ptr);
		int dup = 0;
		for (int i = 0; i < t->req.n && !dup; i++)
			dup = t->req.v[i].text == text;
		if (!dup) {
			LA_VEC_PUSH(t->req.v, t->req.n, t->req.cap);
			lk_req *r = &t->req.v[t->req.n++];
			r->text = text;
			r->cond = n;
			r->macro = e->u.assert_.macro;
			r->at = e->loc;
		}
	}
	la_buf_free(&b);
}

static lk_state *branch_on(tctx *t, la_arena *a, lk_state *s, const ir_expr *cond, int truth);

static lk_state *event_assert(tctx *t, la_arena *a, const ir_event *e, lk_state *s, int block)
{
	for (size_t i = 0; i < sizeof(assert_meaning) / sizeof(assert_meaning[0]); i++) {
		if (strcmp(assert_meaning[i].macro, e->u.assert_.macro) != 0)
			continue;
		if (assert_meaning[i].lock_arg) {
			const ir_expr *obj = lock_obj(t, a, e->u.assert_.cond);
			lk_held h = make_held(t, a, obj, assert_meaning[i].mode, LK_ASSERTED, e->loc);
			return lk_state_find(s, h.inst, h.cls) ? s : lk_state_acquire(a, s, &h);
		}
		if (t->sum && t->final)
			note_requirement(t, a, s, e, !assert_meaning[i].negated, block);
		s = assume(t, a, s, e->u.assert_.cond, !assert_meaning[i].negated, e->loc);
		/* past BUG_ON(desc == NULL), desc is not NULL (and a lock handed
		 * over with it is held); a path that contradicts it stops here */
		return branch_on(t, a, s, e->u.assert_.cond, !assert_meaning[i].negated);
	}
	return s;
}

static lk_state *event_assign(tctx *t, la_arena *a, const ir_event *e, lk_state *s)
{
	(void)t;
	const ir_expr *lhs = e->u.assign.lhs, *rhs = e->u.assign.rhs;
	if (!lhs)
		return s;
	if (lhs->kind == IR_E_FIELD || lhs->kind == IR_E_GLOBAL)
		return lk_state_kill_facts(a, s, lhs->name);
	if (lhs->kind == IR_E_PARAM) {   /* facts say $N */
		char name[16];
		snprintf(name, sizeof(name), "$%lld", lhs->ival);
		return lk_state_kill_facts(a, s, name);
	}
	if (lhs->kind != IR_E_LOCAL)
		return lk_state_kill_facts(a, s, NULL);
	const lk_try *tr = rhs && rhs->kind == IR_E_CALLRET ? lk_state_try(s, (int)rhs->ival) : NULL;
	if (tr && tr->lock.obj && lk_expr_contains(tr->lock.obj, rhs)) {
		/* desc = pirq_spin_lock_irq_desc(...): the lock is desc->lock */
		const ir_expr *obj = lk_replace(a, tr->lock.obj, rhs, lhs);
		lk_held h = make_held(t, a, obj, tr->lock.mode, LK_ACQUIRED, tr->lock.at);
		int always = tr->always, when = tr->when_nonzero;
		s = lk_state_drop_try(a, s, (int)rhs->ival);
		if (always)
			return lk_state_acquire(a, lk_state_kill_facts(a, s, lhs->name), &h);
		lk_try nt = { (int)rhs->ival, when, 0, h };
		return lk_state_add_alias(a, lk_state_add_try(a, s, &nt), lhs->name, (int)rhs->ival);
	}
	if (tr)
		return lk_state_add_alias(a, s, lhs->name, (int)rhs->ival);
	if (rhs && rhs->kind == IR_E_LOCAL) {
		int id = lk_state_alias(s, rhs->name);
		if (id >= 0)
			return lk_state_add_alias(a, s, lhs->name, id);
	}
	return lk_state_kill_facts(a, s, lhs->name);
}

static lk_state *on_event(void *ctx, la_arena *a, int block, int idx, const ir_event *e, lk_state *s)
{
	(void)idx;
	tctx *t = ctx;
	switch (e->kind) {
	case IR_EV_CALL: return event_call(t, a, e, s);
	case IR_EV_ASSERT: return event_assert(t, a, e, s, block);
	case IR_EV_ASSIGN: return event_assign(t, a, e, s);
	default: return s;
	}
}

/* Strip `!`, `== 0` and `!= 0`; *truth flips with each negation. */
static const ir_expr *normalise_cond(const ir_expr *c, int *truth)
{
	for (;;) {
		if (c && c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0) {
			*truth = !*truth;
			c = c->a;
		} else if (c && c->kind == IR_E_BINOP && c->name && c->b &&
			   (c->b->kind == IR_E_NULL || (c->b->kind == IR_E_INT && c->b->ival == 0)) &&
			   (strcmp(c->name, "==") == 0 || strcmp(c->name, "!=") == 0)) {
			if (c->name[0] == '=')
				*truth = !*truth;
			c = c->a;
		} else {
			return c;
		}
	}
}

/* Globals, fields, anything behind a pointer, locals whose address is
 * taken: what a call may change. */
static int reads_memory(const lk_locals *l, const ir_expr *e)
{
	if (!e)
		return 0;
	if (e->kind == IR_E_GLOBAL || e->kind == IR_E_FIELD || e->kind == IR_E_DEREF || e->kind == IR_E_INDEX)
		return 1;
	if (e->kind == IR_E_LOCAL && lk_locals_addr_taken(l, e->name))
		return 1;
	return reads_memory(l, e->a) || reads_memory(l, e->b) || reads_memory(l, e->c);
}

/* Does obj go through *p or p->f? */
static int derefs(const ir_expr *obj, const ir_expr *p)
{
	if (!obj)
		return 0;
	if ((obj->kind == IR_E_DEREF || (obj->kind == IR_E_FIELD && obj->ival)) && lk_expr_equal(obj->a, p))
		return 1;
	return derefs(obj->a, p) || derefs(obj->b, p) || derefs(obj->c, p);
}

/* Comparisons as sets of the three relations of a to b (1 <, 2 ==, 4 >). */
static const struct {
	const char *op, *swapped;
	int rel;
} relations[] = {
	{ "<", ">", 1 }, { "<=", ">=", 3 }, { "==", "==", 2 }, { "!=", "!=", 5 }, { ">", "<", 4 }, { ">=", "<=", 6 },
};

/* What a comparison `a op b` says about the other eleven comparisons of a
 * and b (both ways round), for each truth of it: after `if ( x > y )` was
 * taken, `x < y` and `y >= x`... are false on that path, so a later
 * `if ( x < y )` there is decided (iocaps_double_lock). Rendering and
 * interning those texts is done once per comparison, not at each edge. */
#define NREL (2 * (int)(sizeof(relations) / sizeof(relations[0])))

typedef struct rel_entry {
	const ir_expr *key;
	const char *cond[NREL];
	signed char value[2][NREL];   /* by the comparison's truth; -1: not decided */
} rel_entry;

struct lk_relcache {
	rel_entry *v;
	size_t cap, n;
};

void lk_relcache_free(struct lk_relcache *rc)
{
	if (rc)
		free(rc->v);
	free(rc);
}

static void rel_fill(tctx *t, la_arena *a, const ir_expr *c, rel_entry *e)
{
	int rel_c = -1;
	for (size_t i = 0; i < sizeof(relations) / sizeof(relations[0]); i++)
		if (strcmp(c->name, relations[i].op) == 0)
			rel_c = relations[i].rel;
	for (int k = 0; k < NREL; k++) {
		int i = k / 2, swap = k % 2;
		ir_expr *x = ir_expr_new(a, IR_E_BINOP);
		*x = *c;
		x->name = swap ? relations[i].swapped : relations[i].op;
		if (swap) {
			x->a = c->b;
			x->b = c->a;
		}
		la_buf b = LA_BUF_INIT;
		ir_expr_render(&b, x, NULL, 0);
		e->cond[k] = lk_intern(t->p->in, b.ptr);
		la_buf_free(&b);
		for (int truth = 0; truth < 2; truth++) {
			int known = truth ? rel_c : 7 & ~rel_c, rel = relations[i].rel;
			e->value[truth][k] = (signed char)((known & rel) == known ? 1 : (known & rel) == 0 ? 0 : -1);
		}
	}
}

/* The entry of comparison c (an IR node: the same at every visit), or NULL
 * when c is no comparison. */
static const rel_entry *rel_of(tctx *t, la_arena *a, const ir_expr *c)
{
	if (c->kind != IR_E_BINOP || !c->name)
		return NULL;
	size_t i;
	for (i = 0; i < sizeof(relations) / sizeof(relations[0]) && strcmp(c->name, relations[i].op) != 0; i++)
		;
	if (i == sizeof(relations) / sizeof(relations[0]))
		return NULL;
	struct lk_relcache *rc = t->p->relcache;
	if (!rc)
		rc = t->p->relcache = xcalloc(1, sizeof(*rc));
	if (2 * (rc->n + 1) > rc->cap) {   /* grow and rehash */
		struct lk_relcache old = *rc;
		rc->cap = old.cap ? 2 * old.cap : 256;
		rc->v = xcalloc(rc->cap, sizeof(rel_entry));
		for (size_t k = 0; k < old.cap; k++)
			if (old.v[k].key) {
				size_t h = ((uintptr_t)old.v[k].key >> 4) & (rc->cap - 1);
				while (rc->v[h].key)
					h = (h + 1) & (rc->cap - 1);
				rc->v[h] = old.v[k];
			}
		free(old.v);
	}
	size_t h = ((uintptr_t)c >> 4) & (rc->cap - 1);
	while (rc->v[h].key && rc->v[h].key != c)
		h = (h + 1) & (rc->cap - 1);
	if (!rc->v[h].key) {
		rc->v[h].key = c;
		rel_fill(t, a, c, &rc->v[h]);
		rc->n++;
	}
	return &rc->v[h];
}

/* What the state becomes where `cond` has the given truth (a branch taken,
 * or an assertion that holds): trylock results, facts; NULL when the path
 * cannot exist. */
static lk_state *branch_on(tctx *t, la_arena *a, lk_state *s, const ir_expr *cond, int truth)
{
	const ir_expr *c = normalise_cond(cond, &truth);
	if (!c)
		return s;
	int call_id = c->kind == IR_E_CALLRET ? (int)c->ival : c->kind == IR_E_LOCAL ? lk_state_alias(s, c->name) : -1;
	const lk_try *tr = call_id >= 0 ? lk_state_try(s, call_id) : NULL;
	if (tr) {
		if (truth == tr->when_nonzero)
			return lk_state_acquire(a, s, &tr->lock);
		return s;
	}
	if (!lk_expr_pure(c) || c->kind == IR_E_INT)
		return s;
	/* a pointer a held lock was reached through is not NULL: after
	 * spin_lock(&d->lock), `if ( d == NULL )` cannot be taken */
	if (!truth && (c->kind == IR_E_LOCAL || c->kind == IR_E_PARAM || c->kind == IR_E_FIELD))
		for (int i = 0; i < s->nheld; i++)
			if (!s->held[i].maybe && derefs(s->held[i].obj, lk_resolve_locals(a, c, &t->fn->locals)))
				return NULL;
	la_buf buf = LA_BUF_INIT;
	ir_expr_render(&buf, c, NULL, 0);
	int contradicts;
	lk_state *r = lk_state_add_fact(a, s, lk_intern(t->p->in, buf.ptr), truth, reads_memory(&t->fn->locals, c),
					&contradicts);
	la_buf_free(&buf);
	const rel_entry *rel = contradicts ? NULL : rel_of(t, a, c);
	if (rel)
		r = lk_state_add_facts(a, r, rel->cond, rel->value[truth], NREL, reads_memory(&t->fn->locals, c),
				       &contradicts);
	return contradicts ? NULL : r;
}

static lk_state *on_edge(void *ctx, la_arena *a, const ir_block *b, int k, lk_state *s)
{
	if (b->nsucc != 2)
		return s;   /* switch: no facts */
	return branch_on(ctx, a, s, b->cond, k == 0);
}

/* Locks held on every state (and not only on some paths). */
static int must_held(lk_state *const *states, int n, const lk_held **out, int max)
{
	int m = 0;
	if (!n)
		return 0;
	for (int i = 0; i < states[0]->nheld && m < max; i++) {
		const lk_held *h = &states[0]->held[i];
		int all = !h->maybe;
		for (int j = 1; j < n && all; j++) {
			const lk_held *o = lk_state_find(states[j], h->inst, h->cls);
			all = o && !o->maybe;
		}
		if (all)
			out[m++] = h;
	}
	return m;
}

/* Locks held as seen by the callee, named there only when global. */
typedef struct lockvec {
	lk_held v[32];
	int n;
} lockvec;

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
	if (lv->n < 32)
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
 * goes nowhere else, and when G reaches F in a few calls; 0 otherwise. */
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
		lockvec here = { .n = 0 };
		for (int i = 0; i < at->nheld; i++)
			lockvec_add(&here, t, &at->held[i]);
		/* what G holds at every call of ours */
		int first = 1;
		lockvec mine = { .n = 0 };
		for (int k = 0; k < t->fn->nsites; k++) {
			const lk_site *s = &t->fn->sites[k];
			if (s->caller != g)
				continue;
			lockvec cur = { .n = 0 };
			for (int i = 0; i < s->nheld; i++)
				lockvec_add(&cur, t, &s->held[i]);
			if (first) {
				mine = cur;
				first = 0;
				continue;
			}
			int m = 0;
			for (int i = 0; i < mine.n; i++)
				for (int j = 0; j < cur.n; j++)
					if (mine.v[i].inst == cur.v[j].inst && mine.v[i].cls == cur.v[j].cls) {
						mine.v[m++] = mine.v[i];
						break;
					}
			mine.n = m;
		}
		for (int i = 0; i < mine.n; i++)
			lockvec_add(&here, t, &mine.v[i]);
		if (r == 0) {
			*out = here;
			continue;
		}
		int m = 0;
		for (int i = 0; i < out->n; i++)
			for (int j = 0; j < here.n; j++)
				if (out->v[i].inst == here.v[j].inst && out->v[i].cls == here.v[j].cls) {
					out->v[m++] = out->v[i];
					break;
				}
		out->n = m;
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
	const lk_held *held[64];
	int nh = must_held(states, n, held, 64);
	la_arena tmp = LA_ARENA_INIT;
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
		lockvec cbh = { .n = 0 };
		if (e->u.call.how != IR_CALL_DIRECT)
			callback_held(t, callee, &cbh);
		site->nheld = nh;
		site->held = la_arena_alloc(&t->p->arena, sizeof(lk_held) * (size_t)(nh + cbh.n + 1));
		for (int i = 0; i < nh; i++) {
			lk_held h = *held[i];
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
				site->held[site->nheld++] = cbh.v[i];
			}
		}
	}
	la_arena_free(&tmp);
}

static void on_observe(void *ctx, int block, int idx, const ir_event *e, lk_state *const *states, int n)
{
	tctx *t = ctx;
	t->final = 1;
	if (t->record_sites && e->kind == IR_EV_CALL && n)
		record_site(t, e, states, n);
	if (t->sink && t->sink->event)
		t->sink->event(t->sink->ctx, t->fn, block, idx, e, states, n);
}

static void on_path_exit(void *ctx, const lk_state *s, const ir_event *ret)
{
	tctx *t = ctx;
	t->final = 1;
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
	if (!r)
		return -1;
	if (r->kind == IR_E_NULL)
		return 0;
	if (r->kind == IR_E_INT)
		return r->ival != 0;
	return -1;
}

static void add_effect(lk_prog *p, lk_summary *sum, rules_prim_op op, const ir_expr *obj, int mode, lk_cond cond)
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
		const ir_expr *c = normalise_cond(rv->a, &truth);
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

static void build_summary(tctx *t, la_arena *a, lk_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->returns_param = -1;
	sum->returns_truth = -1;
	if (!t->nexits)
		return;
	/* an unlock wrapper releases on every path out */
	const lk_state *e0 = t->exits[0].s;
	for (int i = 0; i < e0->nrel; i++) {
		int all = 1;
		for (int x = 1; x < t->nexits && all; x++) {
			int found = 0;
			for (int j = 0; j < t->exits[x].s->nrel && !found; j++)
				found = t->exits[x].s->rel[j].inst == e0->rel[i].inst;
			all = found;
		}
		if (all)
			add_effect(t->p, sum, PRIM_RELEASE, e0->rel[i].obj, 0, LK_ALWAYS);
	}
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
				int rc = ret_class(t->exits[y].ret);
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
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_ALWAYS);
			else if (on_nonzero)
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_IF_NONZERO);
			else if (on_zero)
				add_effect(t->p, sum, PRIM_ACQUIRE, h->obj, h->mode, LK_IF_ZERO);
		}
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
				int held = o && !o->maybe && ry && ry->kind == IR_E_LOCAL && lk_expr_equal(ry, rv);
				always &= held;
				on_nonzero &= held || ret_class(ry) == 0;
			}
			if (always || on_nonzero)
				add_effect(t->p, sum, PRIM_ACQUIRE, obj, h->mode, always ? LK_ALWAYS : LK_IF_NONZERO);
		}
	}
	/* return f(...) where f hands over a lock in its value, the others
	 * return NULL: we hand it over too (domain_spin_lock_irq_desc) */
	for (int x = 0; x < t->nexits; x++) {
		const ir_expr *rv = exit_value(t, a, x);
		const lk_try *tr = rv && rv->kind == IR_E_CALLRET ? lk_state_try(t->exits[x].s, (int)rv->ival) : NULL;
		if (!tr || !tr->lock.obj || !tr->when_nonzero || !lk_expr_contains(tr->lock.obj, rv))
			continue;
		int ok = 1;
		for (int y = 0; y < t->nexits && ok; y++)
			ok = y == x || ret_class(exit_value(t, a, y)) == 0;
		if (ok)
			add_effect(t->p, sum, PRIM_ACQUIRE, lk_replace(a, tr->lock.obj, rv, lk_ret_marker()), tr->lock.mode,
				   tr->always ? LK_ALWAYS : LK_IF_NONZERO);
	}
	/* return f(...) of a trylock: conditional acquire */
	const ir_expr *r0 = t->exits[0].ret;
	if (t->nexits == 1 && r0 && r0->kind == IR_E_CALLRET) {
		const lk_try *tr = lk_state_try(t->exits[0].s, (int)r0->ival);
		if (tr && tr->lock.obj && lk_expr_rooted_in_params(tr->lock.obj))
			add_effect(t->p, sum, PRIM_ACQUIRE, tr->lock.obj, tr->lock.mode,
				   tr->when_nonzero ? LK_IF_NONZERO : LK_IF_ZERO);
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
		int mode;
		const ir_expr *obj = r && r->kind == IR_E_CALLRET ? query_of_call(t, a, (int)r->ival, &mode) : NULL;
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

void lk_analyse_function(lk_prog *p, int fi, lk_state *entry, lk_summary *sum, const lk_sink *sink,
			 int record_sites)
{
	static const lk_flow_ops ops = { on_event, on_edge, on_observe, on_path_exit };
	tctx t;
	memset(&t, 0, sizeof(t));
	t.p = p;
	t.fi = fi;
	t.fn = &p->fn[fi];
	t.sum = sum;
	t.sink = sink;
	t.record_sites = record_sites;
	la_arena a = LA_ARENA_INIT;
	lk_flow_stats st;
	lk_flow_run(t.fn->ir, entry ? entry : lk_state_empty(&a), &ops, &t, &a, &st);
	p->stats.collapsed += st.collapsed;
	p->stats.gave_up += st.gave_up;
	if (sink && sink->done)
		sink->done(sink->ctx, t.fn);
	if (sum) {
		build_summary(&t, &a, sum);
		sum->requires = la_arena_alloc(&p->arena, sizeof(lk_req) * (size_t)(t.req.n + 1));
		if (t.req.n)
			memcpy(sum->requires, t.req.v, sizeof(lk_req) * (size_t)t.req.n);
		sum->nrequires = t.req.n;
	}
	free(t.req.v);
	free(t.exits);
	la_arena_free(&a);
}
