/* Values that calls hand back, for naming locks. Linux's lock API goes
 * through small inline functions whose value is made of their arguments:
 * spin_lock_irqsave(l, f) expands to _raw_spin_lock_irqsave(spinlock_check(l))
 * and spinlock_check(l) returns &l->rlock; guard(mutex)(&m) declares
 * `class_mutex_t g = class_mutex_constructor(&m)`, which returns its
 * argument, and unlocks *g at the end of the scope; scoped_guard(spinlock,
 * &l) keeps `l` in the field `lock` of the struct its constructor returns
 * (`class_spinlock_t _t = { .lock = l }; ... return _t;`). A lock named
 * through such a value is named through the arguments of the call instead
 * (lk_call_values, used by lk_make_held), so that the lock the constructor
 * takes and the one the destructor drops are one. */
#include "transfer_int.h"
#include "../util/xalloc.h"

#include <string.h>

/* Assignments of one function, by target: a local (`v = ...`) or a field of
 * a local (`v.f = ...`), and how many assignments any field of a name gets
 * (`_T->lock = x` writes what `_t.lock` names when _T = &_t). */
typedef struct assign_rec {
	const char *local, *field;     /* field NULL: the local itself; local NULL: any field `field` */
	const ir_expr *rhs;
	int count;
} assign_rec;

struct lk_assigns {
	assign_rec *v;
	int n, cap;
};

static void count_assign(lk_prog *p, struct lk_assigns *as, const char *local, const char *field, const ir_expr *rhs)
{
	for (int i = 0; i < as->n; i++)
		if (((!as->v[i].local && !local) || (as->v[i].local && local && strcmp(as->v[i].local, local) == 0)) &&
		    ((!as->v[i].field && !field) || (as->v[i].field && field && strcmp(as->v[i].field, field) == 0))) {
			as->v[i].count++;
			return;
		}
	if (as->n == as->cap) {
		int cap = as->cap ? as->cap * 2 : 8;
		assign_rec *v = la_arena_alloc(&p->arena, sizeof(*v) * (size_t)cap);
		if (as->n)
			memcpy(v, as->v, sizeof(*v) * (size_t)as->n);
		as->v = v;
		as->cap = cap;
	}
	as->v[as->n++] = (assign_rec){ local, field, rhs, 1 };
}

static const struct lk_assigns *assigns_of(lk_prog *p, lk_fn *fn)
{
	if (fn->assigns)
		return fn->assigns;
	struct lk_assigns *as = la_arena_alloc(&p->arena, sizeof(*as));
	memset(as, 0, sizeof(*as));
	for (int b = 0; fn->ir && b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			const ir_expr *l = e->kind == IR_EV_ASSIGN ? e->u.assign.lhs : NULL;
			if (!l)
				continue;
			if (l->kind == IR_E_LOCAL)
				count_assign(p, as, l->name, NULL, e->u.assign.rhs);
			else if (l->kind == IR_E_PARAM)
				count_assign(p, as, "$", NULL, NULL);   /* a parameter changes: no accessor */
			else if (l->kind == IR_E_FIELD) {
				count_assign(p, as, NULL, l->name, e->u.assign.rhs);
				if (!l->ival && l->a && l->a->kind == IR_E_LOCAL)
					count_assign(p, as, l->a->name, l->name, e->u.assign.rhs);
			}
		}
	fn->assigns = as;
	return as;
}

static const assign_rec *find_assign(const struct lk_assigns *as, const char *local, const char *field)
{
	for (int i = 0; i < as->n; i++)
		if (((!as->v[i].local && !local) || (as->v[i].local && local && strcmp(as->v[i].local, local) == 0)) &&
		    ((!as->v[i].field && !field) || (as->v[i].field && field && strcmp(as->v[i].field, field) == 0)))
			return &as->v[i];
	return NULL;
}

/* v.f in fn, assigned once (and no other field f written in fn): its value. */
static const ir_expr *local_field_value(lk_prog *p, lk_fn *fn, const char *local, const char *field)
{
	const struct lk_assigns *as = assigns_of(p, fn);
	const assign_rec *r = find_assign(as, local, field), *any = find_assign(as, NULL, field);
	if (!r || r->count != 1 || !any || any->count != 1 || !r->rhs || !lk_expr_pure(r->rhs))
		return NULL;
	return lk_resolve_locals(&p->arena, r->rhs, &fn->locals);
}

static const ir_expr *rewrite(lk_prog *p, lk_fn *fn, la_arena *a, const ir_expr *e, int depth);

/* Fields of locals assigned once, in fn's own terms. */
static const ir_expr *own_fields(lk_prog *p, lk_fn *fn, la_arena *a, const ir_expr *e, int depth)
{
	if (!e || depth > 4)
		return e;
	if (e->kind == IR_E_FIELD && !e->ival && e->a && e->a->kind == IR_E_LOCAL) {
		const ir_expr *v = local_field_value(p, fn, e->a->name, e->name);
		if (v)
			return own_fields(p, fn, a, lk_simplify(a, v), depth + 1);
	}
	return e;
}

static int is_null(const ir_expr *e)
{
	return e && (e->kind == IR_E_NULL || (e->kind == IR_E_INT && e->ival == 0));
}

/* A local assigned several times, each time the same value or NULL (a
 * conditional guard's constructor: `_t = _T; if (...) _t = NULL;`): that
 * value, in fn's terms; NULL otherwise. */
static const ir_expr *value_or_null(lk_prog *p, lk_fn *fn, const char *local)
{
	const ir_expr *v = NULL;
	for (int b = 0; b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			const ir_expr *l = e->kind == IR_EV_ASSIGN ? e->u.assign.lhs : NULL;
			if (!l || l->kind != IR_E_LOCAL || strcmp(l->name, local) != 0 || is_null(e->u.assign.rhs))
				continue;
			const ir_expr *r = e->u.assign.rhs ? lk_resolve_locals(&p->arena, e->u.assign.rhs, &fn->locals) : NULL;
			if (!r || (v && !lk_expr_equal(v, r)))
				return NULL;
			v = r;
		}
	return v;
}

/* A parameter, or the address of a member of what it points to ($0,
 * &$0->a.b): a value no load between the calls can change. */
static int param_address(const ir_expr *e)
{
	if (e && e->kind == IR_E_PARAM)
		return 1;
	if (!e || e->kind != IR_E_ADDR)
		return 0;
	for (e = e->a; e && e->kind == IR_E_FIELD && !e->ival; e = e->a)
		;
	return e && e->kind == IR_E_FIELD && e->ival && e->a && e->a->kind == IR_E_PARAM;
}

/* The value fi returns on every way out, made of its parameters, or NULL.
 * A way out that returns NULL names no lock: it does not count when the
 * others return a parameter, or a member's address in what it points to
 * (a conditional guard's constructor returns its lock or NULL); a value
 * read from memory (Xen's pirq_spin_lock_irq_desc() returns
 * &irq_desc[pirq->arch.irq], re-read in a loop, or NULL) is no name. */
static const ir_expr *returned_value(lk_prog *p, int fi)
{
	lk_fn *fn = &p->fn[fi];
	if (fn->accessor_known)
		return fn->accessor;
	fn->accessor_known = 1;
	if (fn->prim || !fn->ir || find_assign(assigns_of(p, fn), "$", NULL))
		return NULL;
	const ir_expr *v = NULL;
	int nulls = 0;
	for (int b = 0; b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			if (e->kind != IR_EV_RETURN)
				continue;
			const ir_expr *r = e->u.ret.value ? lk_resolve_locals(&p->arena, e->u.ret.value, &fn->locals) : NULL;
			if (r && r->kind == IR_E_LOCAL && (r = value_or_null(p, fn, r->name)) && !param_address(r))
				return NULL;
			if (is_null(r)) {
				nulls++;
				continue;
			}
			r = r ? own_fields(p, fn, &p->arena, lk_simplify(&p->arena, r), 0) : NULL;
			if (!r || !lk_expr_pure(r) || !lk_expr_rooted_in_params(r) || !lk_expr_contains_param(r) ||
			    (v && !lk_expr_equal(v, r)))
				return NULL;
			v = r;
		}
	if (nulls && !param_address(v))
		return NULL;
	fn->accessor = v;
	return v;
}

/* The local fi returns on every way out (a struct built there), or NULL. */
static const char *returned_local(const lk_fn *fn)
{
	const char *name = NULL;
	for (int b = 0; fn->ir && b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			if (e->kind != IR_EV_RETURN)
				continue;
			const ir_expr *r = e->u.ret.value;
			if (!r || r->kind != IR_E_LOCAL || (name && strcmp(name, r->name) != 0))
				return NULL;
			name = r->name;
		}
	return name;
}

const ir_expr *lk_accessor_of(lk_prog *p, int fi)
{
	return returned_value(p, fi);
}

/* The direct call with one target that value v of fn is the result of: a
 * call's value itself, or a local assigned only from it. */
static const ir_event *call_of(lk_prog *p, lk_fn *fn, const ir_expr *v, int *target)
{
	if (v && v->kind == IR_E_LOCAL) {
		const assign_rec *r = find_assign(assigns_of(p, fn), v->name, NULL);
		v = r && r->count == 1 ? r->rhs : NULL;
	}
	if (!v || v->kind != IR_E_CALLRET)
		return NULL;
	int id = (int)v->ival;
	const ir_event *call = ir_func_call(fn->ir, id);
	if (!call || id >= fn->ir->ncalls || call->u.call.how != IR_CALL_DIRECT || fn->calls[id].ntargets != 1)
		return NULL;
	*target = fn->calls[id].targets[0];
	return call;
}

/* One node of e (its parts already rewritten) in the caller's terms, or NULL. */
static const ir_expr *rewrite_node(lk_prog *p, lk_fn *fn, la_arena *a, const ir_expr *e)
{
	int target;
	const ir_event *call;
	if (e->kind == IR_E_LOCAL) {
		/* _T = &_t: the address of a local does not change, whoever
		 * writes to the local */
		const assign_rec *r = find_assign(assigns_of(p, fn), e->name, NULL);
		if (r && r->count == 1 && r->rhs && r->rhs->kind == IR_E_ADDR && r->rhs->a &&
		    r->rhs->a->kind == IR_E_LOCAL)
			return r->rhs;
	}
	if ((e->kind == IR_E_LOCAL || e->kind == IR_E_CALLRET) && (call = call_of(p, fn, e, &target))) {
		const ir_expr *v = returned_value(p, target);
		v = v ? lk_subst_params(a, v, call->u.call.args, call->u.call.nargs) : NULL;
		return v ? lk_resolve_locals(a, v, &fn->locals) : NULL;
	}
	if (e->kind != IR_E_FIELD || e->ival || !e->a)
		return NULL;
	if ((call = call_of(p, fn, e->a, &target))) {
		/* a field of the struct a call returned (a lock guard's `lock`) */
		const char *ret = returned_local(&p->fn[target]);
		const ir_expr *v = ret ? local_field_value(p, &p->fn[target], ret, e->name) : NULL;
		v = v && lk_expr_rooted_in_params(v) ? lk_subst_params(a, v, call->u.call.args, call->u.call.nargs) : NULL;
		return v ? lk_resolve_locals(a, v, &fn->locals) : NULL;
	}
	return e->a->kind == IR_E_LOCAL ? local_field_value(p, fn, e->a->name, e->name) : NULL;
}

static const ir_expr *rewrite(lk_prog *p, lk_fn *fn, la_arena *a, const ir_expr *e, int depth)
{
	if (!e || depth > 6)
		return e;
	if (e->a || e->b || e->c) {
		const ir_expr *x = rewrite(p, fn, a, e->a, depth), *y = rewrite(p, fn, a, e->b, depth),
			      *z = rewrite(p, fn, a, e->c, depth);
		if (x != e->a || y != e->b || z != e->c) {
			ir_expr *c = ir_expr_new(a, e->kind);
			*c = *e;
			c->a = (ir_expr *)x;
			c->b = (ir_expr *)y;
			c->c = (ir_expr *)z;
			e = lk_simplify(a, c);
		}
	}
	const ir_expr *v = rewrite_node(p, fn, a, e);
	return v ? rewrite(p, fn, a, lk_simplify(a, v), depth + 1) : e;
}

const ir_expr *lk_call_values(tctx *t, la_arena *a, const ir_expr *obj)
{
	return rewrite(t->p, t->fn, a, obj, 0);
}
