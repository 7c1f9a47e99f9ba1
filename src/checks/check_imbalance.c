/* imbalance: a function that returns with a lock it took held on some paths
 * and released on others, when the return value does not say which (that
 * would be a conditional acquire, like a trylock wrapper), and the release
 * of a lock that is not held on that path. */
#include "check.h"
#include "../util/xalloc.h"

#include <stdlib.h>

typedef struct exit_rec {
	const lk_state *s;
	const ir_event *ret;
} exit_rec;

typedef struct imbalance_state {
	exit_rec *x;
	int n, cap;
} imbalance_state;

static imbalance_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(imbalance_state));
}

static void imbalance_exit(check_ctx *c, const lk_fn *fn, const lk_state *s, const ir_event *ret)
{
	(void)fn;
	imbalance_state *st = get_state(c);
	LA_VEC_PUSH(st->x, st->n, st->cap);
	st->x[st->n++] = (exit_rec){ s, ret };
}

/* The function's summary says it acquires this lock (always or by its
 * return value): its callers know, nothing is unbalanced. */
static int summarised(const lk_fn *fn, const lk_held *h)
{
	for (int i = 0; i < fn->sum.neff; i++)
		if (fn->sum.eff[i].op == PRIM_ACQUIRE && h->obj && lk_expr_equal(fn->sum.eff[i].obj, h->obj))
			return 1;
	return 0;
}

static void imbalance_done(check_ctx *c, const lk_fn *fn)
{
	imbalance_state *st = get_state(c);
	for (int x = 0; x < st->n; x++) {
		const lk_state *s = st->x[x].s;
		for (int i = 0; i < s->nheld; i++) {
			const lk_held *h = &s->held[i];
			if (h->how != LK_ACQUIRED || h->maybe || summarised(fn, h))
				continue;
			const ir_expr *rv = st->x[x].ret ? st->x[x].ret->u.ret.value : NULL;
			if (rv && rv->kind == IR_E_LOCAL && h->obj && lk_expr_contains(h->obj, rv))
				continue;   /* handed over in the return value: the summary says so */
			int y;
			for (y = 0; y < st->n && lk_state_find(st->x[y].s, h->inst, h->cls); y++)
				;
			if (y == st->n)
				continue;   /* held on every way out: the function hands it over on purpose */
			const ir_event *ret = st->x[x].ret, *other = st->x[y].ret;
			ir_loc at = ret ? ret->loc : h->at;
			char *text = check_lock_text(fn, h);
			finding *f = check_report(c, fn, at, h->cls, h->cls,
						  "%s() returns with %s held here but not on other paths", check_fn_name(fn),
						  text);
			if (f) {
				check_trace_acquired(c, f, h, fn);
				finding_add_step(f, "return", f->file, at.line, at.col, f->func, "returns with %s held", text);
				if (other)
					finding_add_step(f, "return", f->file, other->loc.line, other->loc.col, f->func,
							 "returns without it");
			}
			free(text);
		}
	}
	st->n = 0;
}

static void imbalance_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			 const lk_lockop *op)
{
	(void)before;
	const lk_held *l = op->lock;
	/* releasing a lock of the caller's (rooted in parameters or a global)
	 * makes an unlock wrapper; only a lock of its own is judged here */
	if (op->op != PRIM_RELEASE || op->before || !l->obj || l->inst[0] == '?' || lk_expr_rooted_in_params(l->obj))
		return;
	char *text = check_lock_text(fn, l);
	finding *f = check_report(c, fn, e->loc, l->cls, l->cls, "release of %s, which is not held on this path", text);
	if (f)
		finding_add_step(f, "release", f->file, e->loc.line, e->loc.col, f->func, "%s released", text);
	free(text);
}

static void imbalance_free(void *vst)
{
	imbalance_state *st = vst;
	free(st->x);
	free(st);
}

const la_check check_imbalance = {
	.id = "imbalance",
	.severity = "warning",
	.enabled = 0,   /* per-CPU locks named differently at each use and correlated branches: see its page */
	.title = "lock held on some return paths only, or released when not held",
	.lock_op = imbalance_op,
	.exit = imbalance_exit,
	.done = imbalance_done,
	.free_state = imbalance_free,
};
