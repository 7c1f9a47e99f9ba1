/* Preconditions at call sites: a callee's requirement (from its assertions,
 * in its own terms) read in the caller's terms and checked against one
 * path's state. Three-valued, so that what the analysis cannot see (a value
 * tested nowhere, a lock held on some merged paths only) is "unknown" and
 * not a finding. */
#include "analysis.h"
#include "../util/buf.h"

#include <string.h>

int lk_held_satisfies(const lk_held *h, const char *inst, const char *cls, int modes)
{
	if (h->inst != inst && h->cls != cls)
		return 0;
	return (h->mode & modes) ? 1 : h->mixed ? -1 : 0;
}

/* The callee-terms expression in the caller's terms, or NULL. */
static const ir_expr *at_caller(la_arena *a, const lk_fn *caller, const ir_event *call, const ir_expr *e)
{
	const ir_expr *x = lk_subst_params(a, e, call->u.call.args, call->u.call.nargs);
	return x ? lk_resolve_locals(a, x, &caller->locals) : NULL;
}

static int eval_held(lk_prog *p, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		     const lk_state *s, const char **missing, int *missing_modes, int *nmissing, int maxmissing)
{
	/* the class from the callee's terms; the instance, when it can be
	 * named, in the caller's, as held locks are named there */
	const char *cls = n->obj ? lk_lock_class(p, n->obj) : n->cls;
	const ir_expr *x = n->obj ? at_caller(a, caller, call, n->obj) : NULL;
	const char *inst = x ? lk_lock_instance(p, x) : NULL;
	int unsure = 0;
	for (int i = 0; i < s->nheld; i++) {
		const lk_held *h = &s->held[i];
		int sat = lk_held_satisfies(h, inst, cls, n->modes);
		if (!sat)
			continue;
		if (sat > 0 && !h->maybe)
			return 1;
		unsure = 1;
	}
	if (unsure)
		return -1;
	if (missing && *nmissing < maxmissing) {
		missing_modes[*nmissing] = n->modes;
		missing[(*nmissing)++] = cls;
	}
	return 0;
}

/* The truth of a test of x on path s (constants, branch facts), or -1. */
static int test_value(lk_prog *p, const ir_expr *raw, const ir_expr *x, const lk_state *s)
{
	if (x->kind == IR_E_NULL)
		return 0;
	if (x->kind == IR_E_INT)
		return x->ival != 0;
	if (x->kind == IR_E_ADDR)
		return 1;
	const ir_expr *names[2] = { raw, x };
	for (int k = 0; k < 2; k++) {
		la_buf b = LA_BUF_INIT;
		ir_expr_render(&b, names[k], NULL, 0);
		const char *cond = lk_intern(p->in, b.ptr ? b.ptr : "?");
		la_buf_free(&b);
		for (int i = 0; i < s->nfacts; i++)
			if (s->facts[i].cond == cond)
				return s->facts[i].value != 0;
	}
	return -1;
}

static int eval_test(lk_prog *p, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		     const lk_state *s)
{
	const ir_expr *raw = lk_subst_params(a, n->obj, call->u.call.args, call->u.call.nargs);
	if (!raw)
		return -1;
	int v = test_value(p, raw, lk_resolve_locals(a, raw, &caller->locals), s);
	return v < 0 ? -1 : v == n->truth;
}

static int eval(lk_prog *p, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		const lk_state *s, const char **missing, int *missing_modes, int *nmissing, int maxmissing)
{
	switch (n->op) {
	case LK_REQ_HELD:
		return eval_held(p, a, caller, call, n, s, missing, missing_modes, nmissing, maxmissing);
	case LK_REQ_TEST:
		return eval_test(p, a, caller, call, n, s);
	case LK_REQ_AND:
	case LK_REQ_OR: {
		int l = eval(p, a, caller, call, n->l, s, missing, missing_modes, nmissing, maxmissing);
		int r = eval(p, a, caller, call, n->r, s, missing, missing_modes, nmissing, maxmissing);
		int dominant = n->op == LK_REQ_AND ? 0 : 1;   /* false decides an &&, true an || */
		if (l == dominant || r == dominant)
			return dominant;
		return l < 0 || r < 0 ? -1 : !dominant;
	}
	}
	return -1;
}

int lk_req_count(const lk_req_node *n, lk_req_op op)
{
	if (!n)
		return 0;
	if (n->op == LK_REQ_HELD || n->op == LK_REQ_TEST)
		return n->op == op;
	return lk_req_count(n->l, op) + lk_req_count(n->r, op);
}

int lk_req_eval(lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		const lk_state *s, const char **missing, int *missing_modes, int *nmissing, int maxmissing)
{
	la_arena a = LA_ARENA_INIT;
	int v = eval(p, &a, caller, call, n, s, missing, missing_modes, nmissing, maxmissing);
	la_arena_free(&a);
	return v;
}

static lk_req_node *req_node(lk_prog *p, lk_req_op op)
{
	lk_req_node *n = la_arena_alloc(&p->arena, sizeof(*n));
	n->op = op;
	return n;
}

static int residual(lk_prog *p, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		    const lk_state *s, const lk_req_node **out, la_buf *text)
{
	*out = NULL;
	switch (n->op) {
	case LK_REQ_HELD: {
		int v = eval_held(p, a, caller, call, n, s, NULL, NULL, NULL, 0);
		if (v)
			return v;   /* held (1), or held on some paths only (-1) */
		if (!n->obj) {   /* a class: the same requirement */
			la_buf_printf(text, "held%s(%s)", n->modes == LOCK_ANY ? "" : "_exclusive", n->cls);
			*out = n;
			return 2;
		}
		const ir_expr *x = at_caller(&p->arena, caller, call, n->obj);
		if (!x || !lk_expr_rooted_in_params(x))
			return -1;
		lk_req_node *r = req_node(p, LK_REQ_HELD);
		r->obj = x;
		r->modes = n->modes;
		la_buf_printf(text, "held%s(%s)", n->modes == LOCK_ANY ? "" : "_exclusive", lk_lock_instance(p, x));
		*out = r;
		return 2;
	}
	case LK_REQ_TEST: {
		const ir_expr *raw = lk_subst_params(a, n->obj, call->u.call.args, call->u.call.nargs);
		if (!raw)
			return -1;
		const ir_expr *x = lk_resolve_locals(&p->arena, raw, &caller->locals);
		int v = test_value(p, raw, x, s);
		if (v >= 0)
			return v == n->truth;
		if ((x->kind != IR_E_PARAM && x->kind != IR_E_FIELD) || !lk_expr_rooted_in_params(x))
			return -1;
		lk_req_node *r = req_node(p, LK_REQ_TEST);
		r->obj = x;
		r->truth = n->truth;
		la_buf_puts(text, n->truth ? "" : "!");
		ir_expr_render(text, x, NULL, 0);
		*out = r;
		return 2;
	}
	case LK_REQ_AND:
	case LK_REQ_OR: {
		la_buf lt = LA_BUF_INIT, rt = LA_BUF_INIT;
		const lk_req_node *ln, *rn;
		int l = residual(p, a, caller, call, n->l, s, &ln, &lt);
		int r = residual(p, a, caller, call, n->r, s, &rn, &rt);
		int is_and = n->op == LK_REQ_AND, v;
		if (l == !is_and || r == !is_and)
			v = !is_and;                           /* false decides an &&, true an || */
		else if (l == 2 && r == 2) {
			lk_req_node *c = req_node(p, n->op);
			c->l = ln;
			c->r = rn;
			la_buf_printf(text, "(%s %s %s)", lt.ptr, is_and ? "&&" : "||", rt.ptr);
			*out = c;
			v = 2;
		} else if (l == 2 && (r == is_and || (is_and && r < 0))) {
			/* true && X, false || X: X; an unknown conjunct is dropped (a
			 * weaker requirement), an unknown disjunct makes it unknown */
			la_buf_puts(text, lt.ptr);
			*out = ln;
			v = 2;
		} else if (r == 2 && (l == is_and || (is_and && l < 0))) {
			la_buf_puts(text, rt.ptr);
			*out = rn;
			v = 2;
		} else
			v = l < 0 || r < 0 || l == 2 || r == 2 ? -1 : is_and;
		la_buf_free(&lt);
		la_buf_free(&rt);
		return v;
	}
	}
	return -1;
}

int lk_req_residual(lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		    const lk_state *s, const lk_req_node **out, la_buf *text)
{
	la_arena a = LA_ARENA_INIT;
	int v = residual(p, &a, caller, call, n, s, out, text);
	la_arena_free(&a);
	return v;
}

/* The truth of a test the caller's argument decides (`d` given NULL), or -1. */
static int decided(la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n)
{
	if (n->op != LK_REQ_TEST || !n->obj)
		return -1;
	int v = lk_const_truth(at_caller(a, caller, call, n->obj));
	return v < 0 ? -1 : n->truth ? v : !v;
}

static void render(la_buf *b, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n)
{
	const ir_expr *x = n->obj ? at_caller(a, caller, call, n->obj) : NULL;
	switch (n->op) {
	case LK_REQ_HELD:
		la_buf_puts(b, n->modes == LOCK_ANY ? "held(" : "held_exclusive(");
		if (x)
			ir_expr_render(b, x, caller->ir, 1);
		else if (n->obj)
			lk_class_of(b, n->obj);
		else
			la_buf_puts(b, n->cls);
		la_buf_puts(b, ")");
		break;
	case LK_REQ_TEST:
		la_buf_puts(b, n->truth ? "" : "!");
		ir_expr_render(b, x ? x : n->obj, x ? caller->ir : NULL, x != NULL);
		break;
	case LK_REQ_AND:
	case LK_REQ_OR: {
		/* pci_get_pdev(NULL, sbdf) requires held(_pcidevs_lock), not
		 * (NULL || held(_pcidevs_lock)) */
		int neutral = n->op == LK_REQ_OR ? 0 : 1;
		if (decided(a, caller, call, n->l) == neutral) {
			render(b, a, caller, call, n->r);
			break;
		}
		if (decided(a, caller, call, n->r) == neutral) {
			render(b, a, caller, call, n->l);
			break;
		}
		la_buf_puts(b, "(");
		render(b, a, caller, call, n->l);
		la_buf_puts(b, n->op == LK_REQ_AND ? " && " : " || ");
		render(b, a, caller, call, n->r);
		la_buf_puts(b, ")");
		break;
	}
	}
}

void lk_req_render(la_buf *b, lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n)
{
	(void)p;
	la_arena a = LA_ARENA_INIT;
	render(b, &a, caller, call, n);
	la_arena_free(&a);
}
