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
	const char *cls = lk_lock_class(p, n->obj);
	const ir_expr *x = at_caller(a, caller, call, n->obj);
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

static int eval_test(lk_prog *p, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		     const lk_state *s)
{
	const ir_expr *raw = lk_subst_params(a, n->obj, call->u.call.args, call->u.call.nargs);
	if (!raw)
		return -1;
	const ir_expr *x = lk_resolve_locals(a, raw, &caller->locals);
	int v = -1;
	if (x->kind == IR_E_NULL)
		v = 0;
	else if (x->kind == IR_E_INT)
		v = x->ival != 0;
	else if (x->kind == IR_E_ADDR)
		v = 1;   /* &object is never NULL */
	else {
		/* a branch on this path tested it, under either name */
		const ir_expr *names[2] = { raw, x };
		for (int k = 0; k < 2 && v < 0; k++) {
			la_buf b = LA_BUF_INIT;
			ir_expr_render(&b, names[k], NULL, 0);
			const char *cond = lk_intern(p->in, b.ptr ? b.ptr : "?");
			la_buf_free(&b);
			for (int i = 0; i < s->nfacts && v < 0; i++)
				if (s->facts[i].cond == cond)
					v = s->facts[i].value != 0;
		}
	}
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

int lk_req_nheld(const lk_req_node *n)
{
	if (!n)
		return 0;
	if (n->op == LK_REQ_HELD)
		return 1;
	return n->op == LK_REQ_TEST ? 0 : lk_req_nheld(n->l) + lk_req_nheld(n->r);
}

int lk_req_eval(lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		const lk_state *s, const char **missing, int *missing_modes, int *nmissing, int maxmissing)
{
	la_arena a = LA_ARENA_INIT;
	int v = eval(p, &a, caller, call, n, s, missing, missing_modes, nmissing, maxmissing);
	la_arena_free(&a);
	return v;
}

static void render(la_buf *b, la_arena *a, const lk_fn *caller, const ir_event *call, const lk_req_node *n)
{
	const ir_expr *x = n->obj ? at_caller(a, caller, call, n->obj) : NULL;
	switch (n->op) {
	case LK_REQ_HELD:
		la_buf_puts(b, n->modes == LOCK_ANY ? "held(" : "held_exclusive(");
		if (x)
			ir_expr_render(b, x, caller->ir, 1);
		else
			lk_class_of(b, n->obj);
		la_buf_puts(b, ")");
		break;
	case LK_REQ_TEST:
		la_buf_puts(b, n->truth ? "" : "!");
		ir_expr_render(b, x ? x : n->obj, x ? caller->ir : NULL, x != NULL);
		break;
	case LK_REQ_AND:
	case LK_REQ_OR:
		la_buf_puts(b, "(");
		render(b, a, caller, call, n->l);
		la_buf_puts(b, n->op == LK_REQ_AND ? " && " : " || ");
		render(b, a, caller, call, n->r);
		la_buf_puts(b, ")");
		break;
	}
}

void lk_req_render(la_buf *b, lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n)
{
	(void)p;
	la_arena a = LA_ARENA_INIT;
	render(b, &a, caller, call, n);
	la_arena_free(&a);
}
