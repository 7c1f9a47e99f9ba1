#include "path.h"
#include "lockset.h"
#include "../util/xalloc.h"

#include <string.h>

static ir_expr *clone1(la_arena *a, const ir_expr *e)
{
	ir_expr *c = ir_expr_new(a, e->kind);
	*c = *e;
	return c;
}

int lk_expr_equal(const ir_expr *x, const ir_expr *y)
{
	if (x == y)
		return 1;
	if (!x || !y || x->kind != y->kind || x->ival != y->ival)
		return 0;
	switch (x->kind) {
	case IR_E_LOCAL:
	case IR_E_UNOP:
	case IR_E_BINOP:
		if (!x->name || !y->name || strcmp(x->name, y->name) != 0)
			return 0;
		break;
	case IR_E_GLOBAL:
	case IR_E_FUNC:
		if (!x->name || !y->name || strcmp(x->name, y->name) != 0)
			return 0;
		break;
	case IR_E_FIELD:
		if (!x->name || !y->name || strcmp(x->name, y->name) != 0 || !x->sname || !y->sname ||
		    strcmp(x->sname, y->sname) != 0)
			return 0;
		break;
	case IR_E_UNKNOWN:
	case IR_E_CALLRET:
		return 0;   /* two unknowns are not known to be equal */
	default:
		break;
	}
	return lk_expr_equal(x->a, y->a) && lk_expr_equal(x->b, y->b) && lk_expr_equal(x->c, y->c);
}

const ir_expr *lk_expr_clone(la_arena *a, const ir_expr *e)
{
	if (!e)
		return NULL;
	ir_expr *c = clone1(a, e);
	c->name = e->name ? la_arena_strdup(a, e->name) : NULL;
	c->sname = e->sname ? la_arena_strdup(a, e->sname) : NULL;
	c->a = (ir_expr *)lk_expr_clone(a, e->a);
	c->b = (ir_expr *)lk_expr_clone(a, e->b);
	c->c = (ir_expr *)lk_expr_clone(a, e->c);
	return c;
}

int lk_expr_pure(const ir_expr *e)
{
	if (!e)
		return 1;
	if (e->kind == IR_E_UNKNOWN || e->kind == IR_E_CALLRET || e->kind == IR_E_STR)
		return 0;
	return lk_expr_pure(e->a) && lk_expr_pure(e->b) && lk_expr_pure(e->c);
}

int lk_expr_rooted_in_params(const ir_expr *e)
{
	if (!e)
		return 1;
	switch (e->kind) {
	case IR_E_LOCAL:
	case IR_E_UNKNOWN:
	case IR_E_CALLRET:
		return 0;
	default:
		return lk_expr_rooted_in_params(e->a) && lk_expr_rooted_in_params(e->b) &&
		       lk_expr_rooted_in_params(e->c);
	}
}

const ir_expr *lk_simplify(la_arena *a, const ir_expr *e)
{
	if (!e)
		return e;
	if (e->kind == IR_E_DEREF && e->a && e->a->kind == IR_E_ADDR)
		return lk_simplify(a, e->a->a);
	if (e->kind == IR_E_ADDR && e->a && e->a->kind == IR_E_DEREF)
		return lk_simplify(a, e->a->a);
	if (e->kind == IR_E_FIELD && e->a) {
		const ir_expr *base = lk_simplify(a, e->a);
		ir_expr *c = clone1(a, e);
		if (e->ival && base->kind == IR_E_ADDR) {          /* (&x)->f */
			c->ival = 0;
			base = base->a;
		} else if (!e->ival && base->kind == IR_E_DEREF) {  /* (*p).f */
			c->ival = 1;
			base = base->a;
		}
		c->a = (ir_expr *)base;
		return c;
	}
	if (e->kind == IR_E_INDEX || e->kind == IR_E_DEREF || e->kind == IR_E_ADDR) {
		ir_expr *c = clone1(a, e);
		c->a = (ir_expr *)lk_simplify(a, e->a);
		return c;
	}
	return e;
}

const ir_expr *lk_obj_of_arg(la_arena *a, const ir_expr *arg)
{
	if (!arg)
		return NULL;
	if (arg->kind == IR_E_ADDR)
		return lk_simplify(a, arg->a);
	ir_expr *d = ir_expr_new(a, IR_E_DEREF);
	d->a = (ir_expr *)arg;
	return lk_simplify(a, d);
}

static const ir_expr *subst(la_arena *a, const ir_expr *e, ir_expr *const *args, int nargs, int *bad)
{
	if (!e)
		return e;
	if (e->kind == IR_E_PARAM) {
		if (e->ival < 0 || e->ival >= nargs || !args[e->ival]) {
			*bad = 1;
			return e;
		}
		return args[e->ival];
	}
	if (!e->a && !e->b && !e->c)
		return e;
	ir_expr *c = clone1(a, e);
	c->a = (ir_expr *)subst(a, e->a, args, nargs, bad);
	c->b = (ir_expr *)subst(a, e->b, args, nargs, bad);
	c->c = (ir_expr *)subst(a, e->c, args, nargs, bad);
	return c;
}

const ir_expr *lk_subst_params(la_arena *a, const ir_expr *e, ir_expr *const *args, int nargs)
{
	int bad = 0;
	const ir_expr *r = subst(a, e, args, nargs, &bad);
	return bad ? NULL : lk_simplify(a, r);
}

static const ir_expr *to_callee(la_arena *a, const ir_expr *e, ir_expr *const *args, int nargs)
{
	if (!e)
		return e;
	for (int i = 0; i < nargs; i++) {
		const ir_expr *arg = args[i];
		if (!arg || !lk_expr_pure(arg) || arg->kind == IR_E_INT || arg->kind == IR_E_NULL)
			continue;
		ir_expr *p = NULL;
		if (lk_expr_equal(e, arg)) {
			p = ir_expr_new(a, IR_E_PARAM);
		} else if (arg->kind == IR_E_ADDR && lk_expr_equal(e, arg->a)) {
			p = ir_expr_new(a, IR_E_DEREF);
			p->a = ir_expr_new(a, IR_E_PARAM);
			p->a->ival = i;
			return p;
		}
		if (p) {
			p->ival = i;
			return p;
		}
	}
	switch (e->kind) {
	case IR_E_GLOBAL:
	case IR_E_INT:
	case IR_E_NULL:
	case IR_E_FUNC:
		return e;
	case IR_E_FIELD:
	case IR_E_DEREF:
	case IR_E_ADDR:
	case IR_E_INDEX: {
		const ir_expr *base = to_callee(a, e->a, args, nargs);
		if (!base)
			return NULL;
		ir_expr *c = clone1(a, e);
		c->a = (ir_expr *)base;
		if (e->kind == IR_E_INDEX) {
			c->b = (ir_expr *)to_callee(a, e->b, args, nargs);
			if (!c->b)
				c->b = ir_expr_new(a, IR_E_UNKNOWN);
		}
		return c;
	}
	default:
		return NULL;   /* a caller local, a call result, ... */
	}
}

const ir_expr *lk_to_callee(la_arena *a, const ir_expr *e, ir_expr *const *args, int nargs)
{
	const ir_expr *r = to_callee(a, e, args, nargs);
	return r ? lk_simplify(a, r) : NULL;
}

static void find_addr_taken(la_arena *a, const ir_expr *e, lk_locals *out, int *cap)
{
	if (!e)
		return;
	if (e->kind == IR_E_ADDR && e->a && e->a->kind == IR_E_LOCAL && !lk_locals_addr_taken(out, e->a->name)) {
		if (out->naddr == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			const char **n = la_arena_alloc(a, sizeof(char *) * (size_t)*cap);
			if (out->naddr)
				memcpy(n, out->addr_taken, sizeof(char *) * (size_t)out->naddr);
			out->addr_taken = n;
		}
		out->addr_taken[out->naddr++] = e->a->name;
	}
	find_addr_taken(a, e->a, out, cap);
	find_addr_taken(a, e->b, out, cap);
	find_addr_taken(a, e->c, out, cap);
}

int lk_locals_truth_used(const lk_locals *l, const char *name)
{
	for (int i = 0; i < l->ntruth_used; i++)
		if (strcmp(l->truth_used[i], name) == 0)
			return 1;
	return 0;
}

int lk_locals_addr_taken(const lk_locals *l, const char *name)
{
	for (int i = 0; i < l->naddr; i++)
		if (strcmp(l->addr_taken[i], name) == 0)
			return 1;
	return 0;
}

int lk_locals_counted(const lk_locals *l, const char *name)
{
	for (int i = 0; i < l->ncounted; i++)
		if (strcmp(l->counted[i], name) == 0)
			return 1;
	return 0;
}

/* The locals some branch compares with a constant (`try < 3`): a range is
 * worth keeping only for them (it costs states everywhere else). */
static void find_counted(la_arena *a, const ir_func *f, lk_locals *out)
{
	int cap = 0;
	long long k;
	for (int b = 0; b < f->nblocks; b++) {
		const ir_expr *l = lk_block_counts(f->blocks[b], &k);
		if (!l || lk_locals_counted(out, l->name))
			continue;
		if (out->ncounted == cap) {
			cap = cap ? cap * 2 : 4;
			const char **n = la_arena_alloc(a, sizeof(char *) * (size_t)cap);
			if (out->ncounted)
				memcpy(n, out->counted, sizeof(char *) * (size_t)out->ncounted);
			out->counted = n;
		}
		out->counted[out->ncounted++] = l->name;
	}
}

/* Does the value read a local that is assigned more than once, never (an
 * asm output), or through its address? Then it names different objects at
 * different times (`old_q = &old_v->queue[lp]` with old_v and lp re-read
 * later), and the local that holds it may not be replaced by it: the
 * local's own name is the better one (`return lock;` hands over `*lock`). */
static int mentions_changing(const ir_expr *v, const char *const *names, const int *count, int n,
			     const lk_locals *l)
{
	if (!v)
		return 0;
	if (v->kind == IR_E_LOCAL && v->name) {
		if (lk_locals_addr_taken(l, v->name))
			return 1;
		for (int j = 0; j < n; j++)
			if (strcmp(names[j], v->name) == 0)
				return count[j] > 1;
		return 1;   /* never assigned here: written by asm (per_cpu()'s __ptr) */
	}
	return mentions_changing(v->a, names, count, n, l) || mentions_changing(v->b, names, count, n, l) ||
	       mentions_changing(v->c, names, count, n, l);
}

static void note_truth_used(la_arena *a, lk_locals *out, const char *name)
{
	if (lk_locals_truth_used(out, name))
		return;
	const char **n = la_arena_alloc(a, sizeof(char *) * (size_t)(out->ntruth_used + 1));
	if (out->ntruth_used)
		memcpy(n, out->truth_used, sizeof(char *) * (size_t)out->ntruth_used);
	n[out->ntruth_used++] = name;
	out->truth_used = n;
}

void lk_locals_build(la_arena *a, const ir_func *f, lk_locals *out)
{
	int capaddr = 0;
	out->naddr = 0;
	out->addr_taken = NULL;
	out->counted = NULL;
	out->ncounted = 0;
	out->truth_used = NULL;
	out->ntruth_used = 0;
	for (int b = 0; b < f->nblocks; b++)
		for (int i = 0; i < f->blocks[b]->nev; i++) {
			const ir_event *e = &f->blocks[b]->ev[i];
			switch (e->kind) {
			case IR_EV_CALL:
				for (int k = 0; k < e->u.call.nargs; k++)
					find_addr_taken(a, e->u.call.args[k], out, &capaddr);
				break;
			case IR_EV_ASSIGN:
				find_addr_taken(a, e->u.assign.rhs, out, &capaddr);
				break;
			case IR_EV_RETURN:
				find_addr_taken(a, e->u.ret.value, out, &capaddr);
				if (e->u.ret.value && e->u.ret.value->kind == IR_E_LOCAL)
					note_truth_used(a, out, e->u.ret.value->name);
				break;
			default:
				break;
			}
		}
	/* locals tested for truth (`if ( !locked )`): their constants are facts */
	for (int b = 0; b < f->nblocks; b++) {
		int truth = 1;
		const ir_expr *c = f->blocks[b]->nsucc == 2 ? lk_normalise_cond(f->blocks[b]->cond, &truth) : NULL;
		if (c && c->kind == IR_E_LOCAL)
			note_truth_used(a, out, c->name);
	}
	find_counted(a, f, out);
	/* count assignments per local; keep the value of single ones */
	int cap = 16, n = 0;
	const char **names = xmalloc(sizeof(char *) * (size_t)cap);
	const ir_expr **values = xmalloc(sizeof(ir_expr *) * (size_t)cap);
	int *count = xmalloc(sizeof(int) * (size_t)cap);
	for (int b = 0; b < f->nblocks; b++)
		for (int i = 0; i < f->blocks[b]->nev; i++) {
			const ir_event *e = &f->blocks[b]->ev[i];
			if (e->kind != IR_EV_ASSIGN || !e->u.assign.lhs || e->u.assign.lhs->kind != IR_E_LOCAL)
				continue;
			const char *name = e->u.assign.lhs->name;
			int j;
			for (j = 0; j < n && strcmp(names[j], name) != 0; j++)
				;
			if (j == n) {
				if (n == cap) {
					cap *= 2;
					names = xrealloc(names, sizeof(char *) * (size_t)cap);
					values = xrealloc(values, sizeof(ir_expr *) * (size_t)cap);
					count = xrealloc(count, sizeof(int) * (size_t)cap);
				}
				names[n] = name;
				values[n] = e->u.assign.rhs;
				count[n++] = 0;
			}
			count[j]++;
		}
	out->name = la_arena_alloc(a, sizeof(char *) * (size_t)(n + 1));
	out->value = la_arena_alloc(a, sizeof(ir_expr *) * (size_t)(n + 1));
	out->n = 0;
	for (int j = 0; j < n; j++) {
		const ir_expr *v = values[j];
		if (count[j] != 1 || !v || !lk_expr_pure(v) || lk_locals_addr_taken(out, names[j]) ||
		    mentions_changing(v, names, count, n, out))
			continue;
		if (v->kind != IR_E_PARAM && v->kind != IR_E_GLOBAL && v->kind != IR_E_FIELD &&
		    v->kind != IR_E_ADDR && v->kind != IR_E_LOCAL && v->kind != IR_E_DEREF)
			continue;
		out->name[out->n] = names[j];
		out->value[out->n++] = v;
	}
	free(names);
	free(values);
	free(count);
}

static const ir_expr *resolve(la_arena *a, const ir_expr *e, const lk_locals *l, int depth)
{
	if (!e || depth > 8)
		return e;
	if (e->kind == IR_E_LOCAL) {
		for (int i = 0; i < l->n; i++)
			if (strcmp(l->name[i], e->name) == 0)
				return resolve(a, l->value[i], l, depth + 1);
		return e;
	}
	if (!e->a && !e->b && !e->c)
		return e;
	ir_expr *c = clone1(a, e);
	c->a = (ir_expr *)resolve(a, e->a, l, depth);
	c->b = (ir_expr *)resolve(a, e->b, l, depth);
	c->c = (ir_expr *)resolve(a, e->c, l, depth);
	return c;
}

const ir_expr *lk_resolve_locals(la_arena *a, const ir_expr *e, const lk_locals *l)
{
	return lk_simplify(a, resolve(a, e, l, 0));
}

void lk_class_of(la_buf *b, const ir_expr *obj)
{
	while (obj && obj->kind == IR_E_INDEX)
		obj = obj->a;   /* an array of locks is one class */
	if (!obj) {
		la_buf_puts(b, "?");
		return;
	}
	switch (obj->kind) {
	case IR_E_FIELD:
		la_buf_printf(b, "%s.%s", obj->sname ? obj->sname : "?", obj->name ? obj->name : "?");
		return;
	case IR_E_GLOBAL:
	case IR_E_LOCAL:
		la_buf_puts(b, obj->name ? obj->name : "?");
		return;
	default:
		la_buf_puts(b, "?");
		return;
	}
}

/* Equal, where a call result is itself (one call, one value). */
static int same_part(const ir_expr *x, const ir_expr *y)
{
	if (x->kind == IR_E_CALLRET || y->kind == IR_E_CALLRET)
		return x->kind == y->kind && x->ival == y->ival;
	return lk_expr_equal(x, y);
}

const ir_expr *lk_replace(la_arena *a, const ir_expr *e, const ir_expr *old, const ir_expr *new_)
{
	if (!e)
		return NULL;
	if (same_part(e, old))
		return new_;
	const ir_expr *x = lk_replace(a, e->a, old, new_), *y = lk_replace(a, e->b, old, new_),
		      *z = lk_replace(a, e->c, old, new_);
	if (x == e->a && y == e->b && z == e->c)
		return e;
	ir_expr *c = clone1(a, e);
	c->a = (ir_expr *)x;
	c->b = (ir_expr *)y;
	c->c = (ir_expr *)z;
	return c;
}

int lk_expr_contains(const ir_expr *e, const ir_expr *part)
{
	if (!e)
		return 0;
	return same_part(e, part) || lk_expr_contains(e->a, part) || lk_expr_contains(e->b, part) ||
	       lk_expr_contains(e->c, part);
}

const ir_expr *lk_ret_marker(void)
{
	static ir_expr marker = { .kind = IR_E_CALLRET, .name = "$ret", .ival = -1 };
	return &marker;
}

int lk_expr_contains_param(const ir_expr *e)
{
	if (!e)
		return 0;
	return e->kind == IR_E_PARAM || lk_expr_contains_param(e->a) || lk_expr_contains_param(e->b) ||
	       lk_expr_contains_param(e->c);
}
