/* Witness call chains for entry contexts (DESIGN.md §5: "each context keeps
 * a witness call chain for traces"). Entry contexts are intersections over
 * call sites, so "not held on entry" always has a caller that does not hold
 * the lock; this walks such callers up to a root, breadth first, so the
 * chain shown is a shortest one. */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

int lk_holds_any(const lk_held *held, int n, const char *const *classes, const int *modes, int nclasses)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < nclasses; k++)
			if (!held[i].maybe && strcmp(held[i].cls, classes[k]) == 0 && ((held[i].mode & modes[k]) || held[i].mixed))
				return 1;
	return 0;
}

void lk_chain_free(lk_chain *c)
{
	free(c->steps);
	memset(c, 0, sizeof(*c));
}

static int const_value(const ir_expr *e, long long *v);

/* The truth of a condition: a constant, or &object (never NULL, though its
 * value is unknown, so it is no constant in comparisons). */
static int truth_value(const ir_expr *e, long long *v)
{
	if (e && e->kind == IR_E_ADDR) {
		*v = 1;
		return 1;
	}
	if (e && e->kind == IR_E_UNOP && e->name && strcmp(e->name, "!") == 0 && e->a && e->a->kind == IR_E_ADDR) {
		*v = 0;
		return 1;
	}
	return const_value(e, v);
}

/* The value of a constant expression (after arguments replaced parameters). */
static int const_value(const ir_expr *e, long long *v)
{
	long long a, b;
	if (!e)
		return 0;
	switch (e->kind) {
	case IR_E_INT:
		*v = e->ival;
		return 1;
	case IR_E_NULL:
		*v = 0;
		return 1;
	case IR_E_UNOP:
		if (!e->name || !const_value(e->a, &a))
			return 0;
		if (strcmp(e->name, "!") == 0)
			*v = !a;
		else if (strcmp(e->name, "-") == 0)
			*v = -a;
		else
			return 0;
		return 1;
	case IR_E_BINOP:
		if (!e->name)
			return 0;
		/* a known side decides && and || */
		if (strcmp(e->name, "&&") == 0 || strcmp(e->name, "||") == 0) {
			int and = e->name[0] == '&';
			int ka = truth_value(e->a, &a), kb = truth_value(e->b, &b);
			int dominant = !and;   /* false decides an &&, true an || */
			if ((ka && (a != 0) == dominant) || (kb && (b != 0) == dominant)) {
				*v = dominant;
				return 1;
			}
			if (ka && kb) {
				*v = and ? a && b : a || b;
				return 1;
			}
			return 0;
		}
		if (!const_value(e->a, &a) || !const_value(e->b, &b))
			return 0;
		if (!strcmp(e->name, "==")) *v = a == b;
		else if (!strcmp(e->name, "!=")) *v = a != b;
		else if (!strcmp(e->name, "<")) *v = a < b;
		else if (!strcmp(e->name, "<=")) *v = a <= b;
		else if (!strcmp(e->name, ">")) *v = a > b;
		else if (!strcmp(e->name, ">=")) *v = a >= b;
		else if (!strcmp(e->name, "&")) *v = a & b;
		else if (!strcmp(e->name, "|")) *v = a | b;
		else return 0;
		return 1;
	default:
		return 0;
	}
}

/* Can fn reach event `at` when called with these arguments? Branches whose
 * condition the constant arguments decide take one way only. */
static int reaches_event(const lk_fn *fn, const ir_event *at, ir_expr *const *args, int nargs)
{
	const ir_func *f = fn->ir;
	int target = -1;
	for (int b = 0; b < f->nblocks && target < 0; b++)
		if (f->blocks[b]->nev && at >= f->blocks[b]->ev && at < f->blocks[b]->ev + f->blocks[b]->nev)
			target = b;
	if (target < 0 || !f->nblocks)
		return 1;
	la_arena a = LA_ARENA_INIT;
	char *seen = xcalloc((size_t)f->nblocks, 1);
	int *stack = xmalloc(sizeof(int) * (size_t)f->nblocks);
	int n = 0, found = 0;
	stack[n++] = 0;
	seen[0] = 1;
	while (n && !found) {
		const ir_block *bl = f->blocks[stack[--n]];
		if (bl->id == target || stack[n] == target) {
			found = 1;
			break;
		}
		long long v;
		int only = -1;
		if (bl->nsucc == 2 && bl->cond) {
			const ir_expr *c = lk_subst_params(&a, bl->cond, args, nargs);
			if (c && truth_value(c, &v))
				only = v ? 0 : 1;
		}
		for (int k = 0; k < bl->nsucc; k++) {
			int s = bl->succ[k];
			if ((only >= 0 && k != only) || seen[s])
				continue;
			seen[s] = 1;
			stack[n++] = s;
		}
	}
	free(seen);
	free(stack);
	la_arena_free(&a);
	return found;
}

void lk_witness(const lk_prog *p, int fi, const ir_event *at, const char *const *classes, const int *modes,
		int nclasses, int want_held, int blocked, lk_chain *out)
{
	memset(out, 0, sizeof(*out));
	out->end = LK_CHAIN_NONE;
	out->target = fi;
	/* parent[f]: the callee f was reached from and the site used */
	int *from = xmalloc(sizeof(int) * (size_t)p->nfn);
	const lk_site **via = xmalloc(sizeof(*via) * (size_t)p->nfn);
	int *queue = xmalloc(sizeof(int) * (size_t)p->nfn);
	const ir_event **cont = xmalloc(sizeof(*cont) * (size_t)p->nfn);   /* where the chain goes on in f */
	for (int i = 0; i < p->nfn; i++)
		from[i] = -2;
	cont[fi] = at;
	int head = 0, tail = 0, found = -1;
	from[fi] = -1;
	queue[tail++] = fi;
	if (!p->fn[fi].nsites)
		out->end = LK_CHAIN_ROOT;   /* nobody calls it: the chain is empty */
	while (head < tail && found < 0) {
		int f = queue[head++];
		const lk_fn *fn = &p->fn[f];
		if (!fn->nsites && f != fi) {
			found = f;
			out->end = LK_CHAIN_ROOT;
			break;
		}
		for (int k = 0; k < fn->nsites && found < 0; k++) {
			const lk_site *s = &fn->sites[k];
			if (lk_holds_any(s->held, s->nheld, classes, modes, nclasses) != want_held)
				continue;
			int c = s->caller;
			if (from[c] != -2 || c == blocked)
				continue;
			if (cont[f] && !reaches_event(fn, cont[f], s->call->u.call.args, s->call->u.call.nargs))
				continue;   /* with these arguments the chain cannot go on in f */
			from[c] = f;
			via[c] = s;
			cont[c] = s->call;
			const lk_fn *cf = &p->fn[c];
			if (lk_holds_any(cf->entry, cf->nentry, classes, modes, nclasses) != want_held) {
				found = c;   /* the caller itself took or dropped it */
				out->end = LK_CHAIN_CHANGED;
			} else if (!cf->nsites) {
				found = c;
				out->end = LK_CHAIN_ROOT;
			} else {
				queue[tail++] = c;
			}
		}
	}
	if (found >= 0) {
		int n = 0;
		for (int c = found; c != fi; c = from[c])
			n++;
		out->steps = xmalloc(sizeof(lk_chain_step) * (size_t)(n + 1));
		out->n = n;
		int i = 0;
		for (int c = found; c != fi; c = from[c], i++) {
			out->steps[i].caller = c;
			out->steps[i].call = via[c]->call;
		}
	}
	free(from);
	free(via);
	free(queue);
	free(cont);
}
