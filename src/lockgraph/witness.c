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

/* What is known of an integer value at a branch: bits known to be 0 and
 * known to be 1, and whether it is non-zero (&object: never NULL, though
 * its value is unknown). A constant has every bit known. Values are taken
 * as written: the IR keeps no types, so a truncation to a narrower type is
 * not seen (see docs/analysis.md). */
typedef struct kval {
	unsigned long long zero, one;
	int nonzero;
} kval;

static const kval kv_unknown = { 0, 0, 0 };

static kval kv_const(long long v)
{
	return (kval){ ~(unsigned long long)v, (unsigned long long)v, v != 0 };
}

static int kv_is_const(kval k, long long *v)
{
	if ((k.zero | k.one) != ~0ULL)
		return 0;
	*v = (long long)k.one;
	return 1;
}

/* 1 true, 0 false, -1 unknown */
static int kv_truth(kval k)
{
	return k.nonzero || k.one ? 1 : k.zero == ~0ULL ? 0 : -1;
}

/* what is known of a value that is one of the two */
static kval kv_join(kval a, kval b)
{
	return (kval){ a.zero & b.zero, a.one & b.one, kv_truth(a) == 1 && kv_truth(b) == 1 };
}

/* One step of the chain: the call in function fn with these arguments. */
typedef struct vframe {
	int fn;
	ir_expr *const *args;
	int nargs;
} vframe;

typedef struct veval {
	const lk_prog *p;
	const vframe *call;   /* the call whose arguments the chain step gives */
	int budget;           /* expressions left to look at: callers can be many */
} veval;

enum { VAL_DEPTH = 6, VAL_BUDGET = 4096, VAL_MAX_SITES = 64 };

static kval eval(veval *v, const ir_expr *e, int fn, int frame_args, int depth);

static int takes_addr_of_param(const ir_expr *e, int i)
{
	if (!e)
		return 0;
	if (e->kind == IR_E_ADDR && e->a && e->a->kind == IR_E_PARAM && e->a->ival == i)
		return 1;
	return takes_addr_of_param(e->a, i) || takes_addr_of_param(e->b, i) || takes_addr_of_param(e->c, i);
}

/* Is parameter i of f what the caller passed wherever f reads it: never
 * assigned, its address never taken? */
static int param_unchanged(const ir_func *f, int i)
{
	for (int b = 0; b < f->nblocks; b++)
		for (int k = 0; k < f->blocks[b]->nev; k++) {
			const ir_event *e = &f->blocks[b]->ev[k];
			if (e->kind == IR_EV_ASSIGN &&
			    ((e->u.assign.lhs && e->u.assign.lhs->kind == IR_E_PARAM && e->u.assign.lhs->ival == i) ||
			     takes_addr_of_param(e->u.assign.rhs, i)))
				return 0;
			if (e->kind == IR_EV_RETURN && takes_addr_of_param(e->u.ret.value, i))
				return 0;
			for (int a = 0; e->kind == IR_EV_CALL && a < e->u.call.nargs; a++)
				if (takes_addr_of_param(e->u.call.args[a], i))
					return 0;
		}
	return 1;
}

/* A parameter of fn outside the chain: what every caller passes. Only a
 * static function whose address goes nowhere has all its callers recorded. */
static kval param_everywhere(veval *v, int fn, int i, int depth)
{
	const lk_fn *f = &v->p->fn[fn];
	if (!f->ir->is_static || f->stored || f->nregs || !f->nsites || f->nsites > VAL_MAX_SITES ||
	    !param_unchanged(f->ir, i))
		return kv_unknown;
	kval r = kv_unknown;
	for (int k = 0; k < f->nsites; k++) {
		const ir_event *c = f->sites[k].call;
		if (i >= c->u.call.nargs)
			return kv_unknown;
		kval x = eval(v, c->u.call.args[i], f->sites[k].caller, 0, depth - 1);
		r = k ? kv_join(r, x) : x;
		if (kv_truth(r) < 0 && !(r.zero | r.one))
			return kv_unknown;
	}
	return r;
}

/* A local of fn: every value it is assigned (`x op= e` and `x++` are
 * recorded as `x = ?`), unless its address is taken. */
static kval local_value(veval *v, const char *name, int fn, int frame_args, int depth)
{
	const lk_fn *f = &v->p->fn[fn];
	if (lk_locals_addr_taken(&f->locals, name))
		return kv_unknown;
	kval r = kv_unknown;
	int n = 0;
	for (int b = 0; b < f->ir->nblocks; b++)
		for (int k = 0; k < f->ir->blocks[b]->nev; k++) {
			const ir_event *e = &f->ir->blocks[b]->ev[k];
			const ir_expr *l = e->kind == IR_EV_ASSIGN ? e->u.assign.lhs : NULL;
			if (!l || l->kind != IR_E_LOCAL || strcmp(l->name, name) != 0)
				continue;
			kval x = eval(v, e->u.assign.rhs, fn, frame_args, depth - 1);
			r = n++ ? kv_join(r, x) : x;
			if (!(r.zero | r.one | (unsigned long long)r.nonzero))
				return kv_unknown;
		}
	return n ? r : kv_unknown;
}

/* Comparisons: exact on constants; == and != also when known bits differ
 * below bit 31 (higher bits may be a sign extension the IR cannot see). */
static kval compare(const char *op, kval a, kval b)
{
	long long x, y;
	if (kv_is_const(a, &x) && kv_is_const(b, &y)) {
		if (!strcmp(op, "==")) return kv_const(x == y);
		if (!strcmp(op, "!=")) return kv_const(x != y);
		if (!strcmp(op, "<")) return kv_const(x < y);
		if (!strcmp(op, "<=")) return kv_const(x <= y);
		if (!strcmp(op, ">")) return kv_const(x > y);
		if (!strcmp(op, ">=")) return kv_const(x >= y);
	}
	int differ = (((a.one & b.zero) | (a.zero & b.one)) & 0x7fffffffULL) != 0 ||
		     (kv_truth(a) == 0 && kv_truth(b) == 1) || (kv_truth(a) == 1 && kv_truth(b) == 0);
	if (differ && !strcmp(op, "=="))
		return kv_const(0);
	if (differ && !strcmp(op, "!="))
		return kv_const(1);
	return kv_unknown;
}

static kval eval_binop(veval *v, const ir_expr *e, int fn, int frame_args, int depth)
{
	const char *op = e->name;
	kval a = eval(v, e->a, fn, frame_args, depth), b;
	if (!strcmp(op, "&&") || !strcmp(op, "||")) {
		int and = op[0] == '&', dominant = !and;   /* false decides an &&, true an || */
		int ta = kv_truth(a);
		if (ta >= 0 && ta == dominant)
			return kv_const(dominant);
		int tb = kv_truth(eval(v, e->b, fn, frame_args, depth));
		if (tb >= 0 && tb == dominant)
			return kv_const(dominant);
		return ta >= 0 && tb >= 0 ? kv_const(and ? ta && tb : ta || tb) : kv_unknown;
	}
	b = eval(v, e->b, fn, frame_args, depth);
	long long x, y;
	if (!strcmp(op, "&"))
		return (kval){ a.zero | b.zero, a.one & b.one, 0 };
	if (!strcmp(op, "|"))
		return (kval){ a.zero & b.zero, a.one | b.one, a.nonzero || b.nonzero };
	if (!strcmp(op, "^")) {
		unsigned long long known = (a.zero | a.one) & (b.zero | b.one), one = (a.one ^ b.one) & known;
		return (kval){ known & ~one, one, 0 };
	}
	if (kv_is_const(a, &x) && kv_is_const(b, &y)) {
		if (!strcmp(op, "+")) return kv_const((long long)((unsigned long long)x + (unsigned long long)y));
		if (!strcmp(op, "-")) return kv_const((long long)((unsigned long long)x - (unsigned long long)y));
		if (!strcmp(op, "<<") && y >= 0 && y < 63) return kv_const((long long)((unsigned long long)x << y));
	}
	return compare(op, a, b);
}

/* What is known of e in function fn; frame_args: fn's parameters are the
 * arguments of v->call (the chain step), else what every caller passes. */
static kval eval(veval *v, const ir_expr *e, int fn, int frame_args, int depth)
{
	if (!e || depth < 0 || --v->budget < 0)
		return kv_unknown;
	kval a;
	switch (e->kind) {
	case IR_E_INT:
		return kv_const(e->ival);
	case IR_E_NULL:
		return kv_const(0);
	case IR_E_ADDR:
		return (kval){ 0, 0, 1 };
	case IR_E_PARAM:
		if (frame_args)
			return e->ival < v->call->nargs && param_unchanged(v->p->fn[fn].ir, (int)e->ival) ?
				       eval(v, v->call->args[e->ival], v->call->fn, 0, depth) : kv_unknown;
		return param_everywhere(v, fn, (int)e->ival, depth);
	case IR_E_LOCAL:
		return e->name ? local_value(v, e->name, fn, frame_args, depth) : kv_unknown;
	case IR_E_COND: {
		int t = kv_truth(eval(v, e->a, fn, frame_args, depth));
		if (t >= 0)
			return eval(v, t ? e->b : e->c, fn, frame_args, depth);
		return kv_join(eval(v, e->b, fn, frame_args, depth), eval(v, e->c, fn, frame_args, depth));
	}
	case IR_E_UNOP:
		if (!e->name)
			return kv_unknown;
		a = eval(v, e->a, fn, frame_args, depth);
		if (!strcmp(e->name, "!")) {
			int t = kv_truth(a);
			return t < 0 ? kv_unknown : kv_const(!t);
		}
		if (!strcmp(e->name, "~"))
			return (kval){ a.one, a.zero, 0 };
		long long x;
		if (!strcmp(e->name, "-") && kv_is_const(a, &x))
			return kv_const((long long)(0ULL - (unsigned long long)x));
		return kv_unknown;
	case IR_E_BINOP:
		return e->name ? eval_binop(v, e, fn, frame_args, depth) : kv_unknown;
	default:
		return kv_unknown;
	}
}

unsigned long long lk_known_one_bits(const lk_prog *p, int fn, const ir_expr *e)
{
	veval v = { p, NULL, VAL_BUDGET };
	return eval(&v, e, fn, 0, VAL_DEPTH).one;
}

/* Can callee reach event `at` when called at `call` from `caller`? Branches
 * whose condition the arguments decide take one way only: constants,
 * `&object`, and the caller's own parameters and locals when what they hold
 * is known (passed on unchanged from callers that all pass constants, up to
 * VAL_DEPTH calls; assigned only constants). */
static int reaches_event(const lk_prog *p, int callee, const ir_event *at, int caller, const ir_event *call)
{
	const ir_func *f = p->fn[callee].ir;
	int target = -1;
	for (int b = 0; b < f->nblocks && target < 0; b++)
		if (f->blocks[b]->nev && at >= f->blocks[b]->ev && at < f->blocks[b]->ev + f->blocks[b]->nev)
			target = b;
	if (target < 0 || !f->nblocks)
		return 1;
	vframe fr = { caller, call->u.call.args, call->u.call.nargs };
	veval v = { p, &fr, VAL_BUDGET };
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
		int only = -1;
		if (bl->nsucc == 2 && bl->cond) {
			int t = kv_truth(eval(&v, bl->cond, callee, 1, VAL_DEPTH));
			if (t >= 0)
				only = t ? 0 : 1;
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
	return found;
}

int lk_reaches_event(const lk_prog *p, int callee, const ir_event *at, int caller, const ir_event *call)
{
	return reaches_event(p, callee, at, caller, call);
}

/* What a chain is made of: call sites that show the state (site_ok), up to
 * a caller whose own entry does not (entry_ok false: it changed it) or a
 * root (no callers, or one the predicate says starts the state). */
typedef struct walk_pred {
	int (*site_ok)(const struct walk_pred *w, const lk_site *s);
	int (*entry_ok)(const struct walk_pred *w, const lk_fn *fn);
	int (*root)(const struct walk_pred *w, const lk_fn *fn);
	const char *const *classes;
	const int *modes;
	int nclasses, want_held, irq;
} walk_pred;

static void walk(const lk_prog *p, int fi, const ir_event *at, const walk_pred *w, int blocked, int flags,
		 lk_chain *out);

static int lock_site_ok(const walk_pred *w, const lk_site *s)
{
	return lk_holds_any(s->held, s->nheld, w->classes, w->modes, w->nclasses) == w->want_held;
}

static int lock_entry_ok(const walk_pred *w, const lk_fn *fn)
{
	return lk_holds_any(fn->entry, fn->nentry, w->classes, w->modes, w->nclasses) == w->want_held;
}

static int no_callers(const walk_pred *w, const lk_fn *fn)
{
	(void)w;
	return !fn->nsites;
}

void lk_witness(const lk_prog *p, int fi, const ir_event *at, const char *const *classes, const int *modes,
		int nclasses, int want_held, int blocked, int flags, lk_chain *out)
{
	walk_pred w = { lock_site_ok, lock_entry_ok, no_callers, classes, modes, nclasses, want_held, 0 };
	walk(p, fi, at, &w, blocked, flags, out);
}

static int irq_site_ok(const walk_pred *w, const lk_site *s)
{
	return s->irq == w->irq;
}

static int irq_entry_ok(const walk_pred *w, const lk_fn *fn)
{
	return fn->irq_entry == w->irq;
}

/* the rules say how it starts (interrupt entry, a registered handler) */
static int irq_root(const walk_pred *w, const lk_fn *fn)
{
	return !fn->nsites || fn->irq_root == w->irq || fn->irq_reg == w->irq;
}

void lk_irq_witness(const lk_prog *p, int fi, int irq, lk_chain *out)
{
	walk_pred w = { irq_site_ok, irq_entry_ok, irq_root, NULL, NULL, 0, 0, irq };
	walk(p, fi, NULL, &w, -1, 0, out);
}

static void walk(const lk_prog *p, int fi, const ir_event *at, const walk_pred *w, int blocked, int flags,
		 lk_chain *out)
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
	if (w->root(w, &p->fn[fi]))
		out->end = LK_CHAIN_ROOT;   /* nobody calls it: the chain is empty */
	while (head < tail && found < 0 && out->end != LK_CHAIN_ROOT) {
		int f = queue[head++];
		const lk_fn *fn = &p->fn[f];
		if (w->root(w, fn) && f != fi) {
			found = f;
			out->end = LK_CHAIN_ROOT;
			break;
		}
		for (int k = 0; k < fn->nsites && found < 0; k++) {
			const lk_site *s = &fn->sites[k];
			if (!w->site_ok(w, s))
				continue;
			int c = s->caller;
			if (from[c] != -2 || c == blocked)
				continue;
			if ((flags & LK_WITNESS_MULTI_CPU) && lk_single_cpu_at(p, &p->fn[c], s->call))
				continue;   /* no other CPU runs there */
			if (cont[f] && !reaches_event(p, f, cont[f], c, s->call))
				continue;   /* with these arguments the chain cannot go on in f */
			from[c] = f;
			via[c] = s;
			cont[c] = s->call;
			const lk_fn *cf = &p->fn[c];
			if (!w->entry_ok(w, cf)) {
				found = c;   /* the caller itself took or dropped it */
				out->end = LK_CHAIN_CHANGED;
			} else if (w->root(w, cf)) {
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
