/* Ranges of integer locals along a path: enough to follow a counted retry
 * loop (`for ( try = 0; try < 3; try++ ) { lock; if ( ok ) break; unlock; }
 * if ( try == 3 ) bail;`, Xen's evtchn_fifo_set_pending()) and know which
 * exit still holds the lock. A local gets a range from a constant
 * assignment, keeps it through `x = x + c`, and branches on `x OP const`
 * narrow it, or end a path whose range contradicts them. Joins take the
 * union; flow.c widens a range that keeps growing at a loop head. */
#include "analysis.h"

#include <limits.h>
#include <string.h>

#define RANGE_MIN LLONG_MIN
#define RANGE_MAX LLONG_MAX

static int find(const lk_state *s, const char *local)
{
	for (int i = 0; i < s->nranges; i++)
		if (s->ranges[i].local == local || strcmp(s->ranges[i].local, local) == 0)
			return i;
	return -1;
}

static lk_state *drop(la_arena *a, const lk_state *s, int i)
{
	lk_state *c = lk_state_copy(a, s);
	c->ranges[i] = c->ranges[--c->nranges];
	return c;
}

static lk_state *set(la_arena *a, const lk_state *s, const char *local, long long lo, long long hi)
{
	int i = find(s, local);
	lk_state *c = lk_state_copy(a, s);
	if (i < 0) {
		lk_range *r = la_arena_alloc(a, sizeof(lk_range) * (size_t)(s->nranges + 1));
		if (s->nranges)
			memcpy(r, s->ranges, sizeof(lk_range) * (size_t)s->nranges);
		c->ranges = r;
		i = c->nranges++;
		c->ranges[i].local = local;
	}
	c->ranges[i].lo = lo;
	c->ranges[i].hi = hi;
	return c;
}

static long long add_sat(long long v, long long d)
{
	if (v == RANGE_MIN || v == RANGE_MAX)
		return v;
	if (d > 0 && v > RANGE_MAX - 1 - d)
		return RANGE_MAX;
	if (d < 0 && v < RANGE_MIN + 1 - d)
		return RANGE_MIN;
	return v + d;
}

lk_state *lk_range_assign(la_arena *a, const lk_state *s, const char *local, const ir_expr *rhs, int addr_taken)
{
	int i = find(s, local);
	if (!addr_taken && rhs && rhs->kind == IR_E_INT)
		return set(a, s, local, rhs->ival, rhs->ival);
	if (!addr_taken && i >= 0 && rhs && rhs->kind == IR_E_BINOP && rhs->name && rhs->a && rhs->b &&
	    rhs->a->kind == IR_E_LOCAL && strcmp(rhs->a->name, local) == 0 && rhs->b->kind == IR_E_INT &&
	    (strcmp(rhs->name, "+") == 0 || strcmp(rhs->name, "-") == 0)) {
		long long d = rhs->name[0] == '+' ? rhs->b->ival : -rhs->b->ival;
		return set(a, s, local, add_sat(s->ranges[i].lo, d), add_sat(s->ranges[i].hi, d));
	}
	return i >= 0 ? drop(a, s, i) : (lk_state *)s;
}

/* `local OP k` as lo..hi bounds when true; 0 when not such a test. */
static int bounds(const ir_expr *c, int truth, const char **local, long long *lo, long long *hi)
{
	const char *op;
	const ir_expr *l, *k;
	if (c->kind == IR_E_LOCAL) {
		op = "!=", l = c, k = NULL;
	} else if (c->kind == IR_E_BINOP && c->name && c->a && c->b) {
		op = c->name, l = c->a, k = c->b;
		if (l->kind == IR_E_INT && k->kind == IR_E_LOCAL) {   /* 3 > x: x < 3 */
			static const char *const sw[][2] = { { "<", ">" }, { ">", "<" }, { "<=", ">=" }, { ">=", "<=" },
							     { "==", "==" }, { "!=", "!=" } };
			const char *o = NULL;
			for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]) && !o; i++)
				if (strcmp(op, sw[i][0]) == 0)
					o = sw[i][1];
			if (!o)
				return 0;
			op = o, l = c->b, k = c->a;
		}
		if (l->kind != IR_E_LOCAL || k->kind != IR_E_INT)
			return 0;
	} else
		return 0;
	long long v = k ? k->ival : 0;
	if (!truth) {   /* the negation */
		static const char *const neg[][2] = { { "<", ">=" }, { ">=", "<" }, { ">", "<=" }, { "<=", ">" },
						      { "==", "!=" }, { "!=", "==" } };
		const char *o = NULL;
		for (size_t i = 0; i < sizeof(neg) / sizeof(neg[0]) && !o; i++)
			if (strcmp(op, neg[i][0]) == 0)
				o = neg[i][1];
		if (!o)
			return 0;
		op = o;
	}
	*local = l->name;
	*lo = RANGE_MIN, *hi = RANGE_MAX;
	if (strcmp(op, "<") == 0)
		*hi = add_sat(v, -1);
	else if (strcmp(op, "<=") == 0)
		*hi = v;
	else if (strcmp(op, ">") == 0)
		*lo = add_sat(v, 1);
	else if (strcmp(op, ">=") == 0)
		*lo = v;
	else if (strcmp(op, "==") == 0)
		*lo = *hi = v;
	else if (strcmp(op, "!=") == 0)
		return 2;   /* a hole: only an exact range can contradict it */
	else
		return 0;
	return 1;
}

lk_state *lk_range_branch(la_arena *a, lk_state *s, const ir_expr *c, int truth)
{
	const char *local;
	long long lo, hi;
	int kind = c ? bounds(c, truth, &local, &lo, &hi) : 0;
	if (!kind)
		return s;
	int i = find(s, local);
	if (i < 0)
		return s;   /* nothing known: a branch alone makes no range worth keeping */
	const lk_range *r = &s->ranges[i];
	if (kind == 2) {   /* local != v */
		long long v = c->kind == IR_E_LOCAL ? 0 : (c->a->kind == IR_E_INT ? c->a->ival : c->b->ival);
		if (r->lo == v && r->hi == v)
			return NULL;
		return s;
	}
	long long nlo = r->lo > lo ? r->lo : lo, nhi = r->hi < hi ? r->hi : hi;
	if (nlo > nhi)
		return NULL;   /* this edge cannot be taken on this path */
	if (nlo == r->lo && nhi == r->hi)
		return s;
	return set(a, s, r->local, nlo, nhi);
}

int lk_ranges_equal(const lk_state *x, const lk_state *y)
{
	if (x->nranges != y->nranges)
		return 0;
	for (int i = 0; i < x->nranges; i++) {
		int j = find(y, x->ranges[i].local);
		if (j < 0 || y->ranges[j].lo != x->ranges[i].lo || y->ranges[j].hi != x->ranges[i].hi)
			return 0;
	}
	return 1;
}

void lk_ranges_join(la_arena *a, lk_state *c, const lk_state *x, const lk_state *y)
{
	c->ranges = la_arena_alloc(a, sizeof(lk_range) * (size_t)(x->nranges + 1));
	c->nranges = 0;
	for (int i = 0; i < x->nranges; i++) {
		int j = find(y, x->ranges[i].local);
		if (j < 0)
			continue;
		lk_range r = x->ranges[i];
		if (y->ranges[j].lo < r.lo)
			r.lo = y->ranges[j].lo;
		if (y->ranges[j].hi > r.hi)
			r.hi = y->ranges[j].hi;
		c->ranges[c->nranges++] = r;
	}
}

/* The constant nearest to v, above it (up) or below it, that f compares
 * `local` with; infinity when none (widening with thresholds: a loop that
 * counts to 3 settles at 3 at once, one that counts to n at infinity). */
const ir_expr *lk_block_counts(const ir_block *bl, long long *k)
{
	const ir_expr *c = bl->nsucc == 2 ? bl->cond : NULL;
	while (c && c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0)
		c = c->a;
	if (!c || c->kind != IR_E_BINOP || !c->a || !c->b)
		return NULL;
	const ir_expr *l = c->a->kind == IR_E_LOCAL ? c->a : c->b, *v = l == c->a ? c->b : c->a;
	if (l->kind != IR_E_LOCAL || v->kind != IR_E_INT)
		return NULL;
	*k = v->ival;
	return l;
}

static long long threshold(const ir_func *f, const char *local, long long v, int up)
{
	long long best = up ? RANGE_MAX : RANGE_MIN, k;
	for (int b = 0; f && b < f->nblocks; b++) {
		const ir_expr *l = lk_block_counts(f->blocks[b], &k);
		if (l && strcmp(l->name, local) == 0 && (up ? k >= v && k < best : k <= v && k > best))
			best = k;
	}
	return best;
}

void lk_ranges_widen(lk_state *now, const lk_state *before, const ir_func *f)
{
	for (int i = 0; i < now->nranges; i++) {
		int j = find(before, now->ranges[i].local);
		if (j < 0)
			continue;
		lk_range *r = &now->ranges[i];
		if (r->lo < before->ranges[j].lo)
			r->lo = threshold(f, r->local, r->lo, 0);
		if (r->hi > before->ranges[j].hi)
			r->hi = threshold(f, r->local, r->hi, 1);
	}
}
