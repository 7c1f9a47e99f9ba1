/* Branches: trylock results and branch facts where a condition has a
 * truth, with what a comparison implies about the others of its operands. */
#include "transfer_int.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strip `!`, `== 0`, `!= 0` and `c ? 1 : 0` (a statement-expression
 * trylock: `spin_trylock(l) ? 1 : ({ restore; 0; })`); *truth flips with
 * each negation. */
const ir_expr *lk_normalise_cond(const ir_expr *c, int *truth)
{
	for (;;) {
		if (c && c->kind == IR_E_COND && c->b && c->c && c->b->kind == IR_E_INT && c->c->kind == IR_E_INT &&
		    (c->b->ival != 0) != (c->c->ival != 0)) {
			if (c->b->ival == 0)
				*truth = !*truth;
			c = c->a;
		} else if (c && c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0) {
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
 * taken: what a call may change. Not a field written only while its object
 * was new (immutable.c), read through what does not change either. */
static int reads_memory(tctx *t, const ir_expr *e)
{
	if (!e)
		return 0;
	if (e->kind == IR_E_FIELD && lk_field_init_only(t->p, e->sname, e->name))
		return reads_memory(t, e->a);
	if (e->kind == IR_E_GLOBAL || e->kind == IR_E_FIELD || e->kind == IR_E_DEREF || e->kind == IR_E_INDEX)
		return 1;
	if (e->kind == IR_E_LOCAL && lk_locals_addr_taken(&t->fn->locals, e->name))
		return 1;
	return reads_memory(t, e->a) || reads_memory(t, e->b) || reads_memory(t, e->c);
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
	signed char rel[NREL];        /* the relations of a to b where cond[k] is true */
	signed char flip[NREL];       /* cond[k] is kept negated (`x == 0` as `x`) */
	signed char self;             /* the relations where the comparison is true */
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
	for (size_t i = 0; i < sizeof(relations) / sizeof(relations[0]); i++)
		if (strcmp(c->name, relations[i].op) == 0)
			e->self = (signed char)relations[i].rel;
	for (int k = 0; k < NREL; k++) {
		int i = k / 2, swap = k % 2;
		ir_expr *x = ir_expr_new(a, IR_E_BINOP);
		*x = *c;
		x->name = swap ? relations[i].swapped : relations[i].op;
		if (swap) {
			x->a = c->b;
			x->b = c->a;
		}
		/* `x != 0` is kept as the fact `x`, as `if ( x )` tests it: after
		 * `if ( rc < 0 )`, `if ( rc )` is decided */
		int same = 1;
		const ir_expr *nx = lk_normalise_cond(x, &same);
		la_buf b = LA_BUF_INIT;
		ir_expr_render(&b, nx, NULL, 0);
		e->cond[k] = lk_intern(t->p->in, b.ptr);
		la_buf_free(&b);
		e->rel[k] = (signed char)relations[i].rel;
		e->flip[k] = (signed char)!same;
	}
}

/* The facts a comparison taken with this truth gives about the other
 * comparisons of its operands, from what the path already knew of them
 * too (`a > b` and `a < b` both false: `a != b` is false), into values[];
 * 0 when the path cannot exist. */
static int rel_values(const rel_entry *e, const lk_state *s, int truth, signed char *values)
{
	int possible = truth ? e->self : 7 & ~e->self;
	for (int k = 0; k < NREL; k++)
		for (int i = 0; i < s->nfacts; i++)
			if (s->facts[i].cond == e->cond[k]) {
				int v = s->facts[i].value != e->flip[k];
				possible &= v ? e->rel[k] : 7 & ~e->rel[k];
			}
	if (!possible)
		return 0;
	for (int k = 0; k < NREL; k++) {
		int m = possible & e->rel[k];
		int v = m == possible ? 1 : m == 0 ? 0 : -1;
		values[k] = (signed char)(v >= 0 && e->flip[k] ? !v : v);
	}
	return 1;
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

/* The interned text of a condition (an IR node: the same at every visit),
 * rendered once. */
struct lk_textcache {
	const ir_expr **key;
	const char **text;
	size_t cap, n;
};

void lk_textcache_free(struct lk_textcache *tc)
{
	if (tc) {
		free(tc->key);
		free(tc->text);
	}
	free(tc);
}

const char *lk_expr_text(tctx *t, const ir_expr *c)
{
	struct lk_textcache *tc = t->p->condtext;
	if (!tc)
		tc = t->p->condtext = xcalloc(1, sizeof(*tc));
	if (2 * (tc->n + 1) > tc->cap) {   /* grow and rehash */
		struct lk_textcache old = *tc;
		tc->cap = old.cap ? 2 * old.cap : 1024;
		tc->key = xcalloc(tc->cap, sizeof(*tc->key));
		tc->text = xcalloc(tc->cap, sizeof(*tc->text));
		for (size_t k = 0; k < old.cap; k++)
			if (old.key[k]) {
				size_t h = ((uintptr_t)old.key[k] >> 4) & (tc->cap - 1);
				while (tc->key[h])
					h = (h + 1) & (tc->cap - 1);
				tc->key[h] = old.key[k];
				tc->text[h] = old.text[k];
			}
		free(old.key);
		free(old.text);
	}
	size_t h = ((uintptr_t)c >> 4) & (tc->cap - 1);
	while (tc->key[h] && tc->key[h] != c)
		h = (h + 1) & (tc->cap - 1);
	if (!tc->key[h]) {
		la_buf buf = LA_BUF_INIT;
		ir_expr_render(&buf, c, NULL, 0);
		tc->key[h] = c;
		tc->text[h] = lk_intern(t->p->in, buf.ptr ? buf.ptr : "");
		tc->n++;
		la_buf_free(&buf);
	}
	return tc->text[h];
}

/* Does the callee of call `id` only compare what it is given (`return
 * d->domain_id >= DOMID_FIRST_RESERVED;`: is_system_domain())? */
static int predicate_call(tctx *t, int id)
{
	if (id < 0 || id >= t->fn->ir->ncalls || t->fn->calls[id].ntargets != 1)
		return 0;
	const ir_func *f = t->p->fn[t->fn->calls[id].targets[0]].ir;
	if (!f || f->nblocks != 1 || f->ncalls || !f->blocks[0]->nev)
		return 0;
	const ir_event *r = &f->blocks[0]->ev[f->blocks[0]->nev - 1];
	const ir_expr *v = r->kind == IR_EV_RETURN ? r->u.ret.value : NULL;
	int truth = 1;
	v = lk_normalise_cond(v, &truth);
	return v && v->kind == IR_E_BINOP && v->name && strchr("<>=!", v->name[0]);
}

static int is_var(const ir_expr *e)
{
	return e && (e->kind == IR_E_LOCAL || e->kind == IR_E_PARAM);
}

/* The local or parameter whose value the test compares with something
 * other than NULL, or gives to a predicate (`d != dom_io`,
 * `!is_system_domain(d)`), or NULL. */
static const ir_expr *value_tested(tctx *t, const ir_expr *c)
{
	if (c->kind == IR_E_BINOP && c->name && (!strcmp(c->name, "==") || !strcmp(c->name, "!="))) {
		if (is_var(c->a) && c->b && lk_const_truth(c->b) < 0)
			return c->a;
		if (is_var(c->b) && c->a && lk_const_truth(c->a) < 0)
			return c->b;
		return NULL;
	}
	if (c->kind != IR_E_CALLRET || !predicate_call(t, (int)c->ival))
		return NULL;
	const ir_event *call = ir_func_call(t->fn->ir, (int)c->ival);
	const ir_expr *p = NULL;
	for (int i = 0; call && i < call->u.call.nargs; i++)
		if (is_var(call->u.call.args[i]))
			p = p ? NULL : call->u.call.args[i];
	return p;
}

/* A reference taken or dropped according to the pointer's value (`if ( d
 * && d != dom_io ) rcu_unlock_domain(d);`: system domains are used without
 * one): whether it is held after the test is not known from the path, so a
 * reference to *d becomes held on some paths, and a release of it after
 * the test is not judged (the fact "@d" says so until d is assigned). */
static lk_state *value_dependent(tctx *t, la_arena *a, lk_state *s, const ir_expr *c)
{
	const ir_expr *p = value_tested(t, c);
	if (!p)
		return s;
	const ir_expr *rp = lk_resolve_locals(a, p, &t->fn->locals);
	lk_state *r = NULL;
	for (int i = 0; i < s->nheld; i++)
		if (s->held[i].resource && !s->held[i].maybe && s->held[i].obj && s->held[i].obj->kind == IR_E_DEREF &&
		    (lk_expr_equal(s->held[i].obj->a, p) || lk_expr_equal(s->held[i].obj->a, rp))) {
			if (!r)
				r = lk_state_copy(a, s);
			r->held[i].maybe = 1;
		}
	int contradicts;
	return lk_state_add_fact(a, r ? r : s, lk_value_fact(t->p->in, p), 1, 0, &contradicts);
}

/* A conditional acquire or release whose condition holds on this edge. */
static lk_state *resolve_try(la_arena *a, lk_state *r, const lk_try *tr)
{
	if (!tr->release)
		return lk_state_acquire(a, r, &tr->lock);
	int found;
	const lk_held *o = lk_state_find(r, tr->lock.inst, tr->lock.cls);
	lk_held given = o ? *o : tr->lock;
	r = lk_state_release(a, r, tr->lock.inst, tr->lock.cls, &found);
	if (!found || given.how != LK_ACQUIRED)
		return r;
	/* remembered: a release of it later on this path is a double release
	 * (a608c40d4ffc) */
	given.how = LK_GIVEN_BACK;
	given.at = tr->lock.at;
	return lk_state_add_released(a, r, &given);
}

/* What the state becomes where `cond` has the given truth (a branch taken,
 * or an assertion that holds): trylock results, facts; NULL when the path
 * cannot exist. */
lk_state *lk_branch_on(tctx *t, la_arena *a, lk_state *s, const ir_expr *cond, int truth)
{
	const ir_expr *c = lk_normalise_cond(cond, &truth);
	if (!c)
		return s;
	/* a pending result is named by the local, or by the pointer it was
	 * stored through (`(*d = rcu_lock_domain_by_id(id)) == NULL`) */
	int call_id = c->kind == IR_E_CALLRET ? (int)c->ival
		      : c->kind == IR_E_LOCAL ? lk_state_alias(s, c->name)
		      : c->kind == IR_E_DEREF && s->naliases ? lk_state_alias(s, lk_expr_text(t, c))
							  : -1;
	/* the result is a fact of the path: a second test of it (the `? 1 :
	 * 0` of a statement-expression trylock) is decided by the first */
	const char *decided = call_id >= 0 ? lk_call_fact(t, call_id) : NULL;
	for (int i = 0; decided && i < s->nfacts; i++)
		if (s->facts[i].cond == decided)
			return s->facts[i].value == truth ? s : NULL;
	const lk_try *tr = call_id >= 0 ? lk_state_try(s, call_id) : NULL;
	if (tr) {
		int contradicts;
		lk_state *r = lk_state_add_fact(a, s, decided, truth, 0, &contradicts);
		/* every lock the call's value speaks for (sched_wait_rendezvous_in()
		 * returns NULL having dropped both *lock and the RCU section) */
		for (int i = 0; i < s->ntries && r; i++)
			if (s->tries[i].call_id == call_id && truth == s->tries[i].when_nonzero)
				r = resolve_try(a, r, &s->tries[i]);
		/* decided: the pending results go, so that paths that differ
		 * only in them are one state again */
		return lk_state_drop_try(a, r, call_id);
	}
	if (!(s = lk_range_branch(a, s, c, truth)))
		return NULL;
	s = value_dependent(t, a, s, c);
	if (!lk_expr_pure(c) || c->kind == IR_E_INT)
		return s;
	/* a pointer a held lock was reached through is not NULL: after
	 * spin_lock(&d->lock), `if ( d == NULL )` cannot be taken */
	if (!truth && (c->kind == IR_E_LOCAL || c->kind == IR_E_PARAM || c->kind == IR_E_FIELD))
		for (int i = 0; i < s->nheld; i++)
			if (!s->held[i].maybe && derefs(s->held[i].obj, lk_resolve_locals(a, c, &t->fn->locals)))
				return NULL;
	int contradicts;
	lk_state *r = lk_state_add_fact(a, s, lk_expr_text(t, c), truth, reads_memory(t, c), &contradicts);
	const rel_entry *rel = contradicts ? NULL : rel_of(t, a, c);
	signed char values[NREL];
	if (rel && !rel_values(rel, r, truth, values))
		return NULL;
	if (rel)
		r = lk_state_add_facts(a, r, rel->cond, values, NREL, reads_memory(t, c), &contradicts);
	return contradicts ? NULL : r;
}

int lk_result_tested(const ir_func *f, int call_id, const char *local)
{
	for (int b = 0; b < f->nblocks; b++) {
		int truth = 1;
		const ir_expr *c = f->blocks[b]->nsucc == 2 ? lk_normalise_cond(f->blocks[b]->cond, &truth) : NULL;
		if (c && ((c->kind == IR_E_CALLRET && c->ival == call_id) ||
			  (c->kind == IR_E_LOCAL && local && strcmp(c->name, local) == 0)))
			return 1;
	}
	return 0;
}

int lk_known_null(tctx *t, const lk_state *s, const ir_expr *e)
{
	if (lk_state_fact_of(t->p->in, s, e) == 0)
		return 1;
	/* or a local that holds it and was tested (a conditional guard's
	 * destructor: `struct mutex *_T = *p; if (_T) mutex_unlock(_T);`) */
	const lk_locals *l = &t->fn->locals;
	for (int i = 0; i < l->n && s->nfacts; i++)
		if (l->value[i] && lk_expr_equal(l->value[i], e)) {
			ir_expr local = { .kind = IR_E_LOCAL, .name = l->name[i] };
			if (lk_state_fact_of(t->p->in, s, &local) == 0)
				return 1;
		}
	return 0;
}

const char *lk_call_fact(tctx *t, int call_id)
{
	char name[32];
	snprintf(name, sizeof(name), "call#%d", call_id);
	return lk_intern(t->p->in, name);
}

static int int_label(const char *l, long long *v)
{
	char *end;
	if (!l || !*l)
		return 0;
	*v = strtoll(l, &end, 10);
	return *end == '\0';
}

/* "v == 3" for switch value v and case label 3, as a branch on `v == 3`
 * writes it (so the two kinds of test know of each other). */
static const char *case_fact(tctx *t, const char *v, long long label)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s == %lld", v, label);
	return lk_intern(t->p->in, buf);
}

/* Is another value of v known on this path (a fact "v == X" true, X not
 * label)? */
static int other_case_known(const lk_state *s, const char *v, long long label)
{
	size_t n = strlen(v);
	for (int i = 0; i < s->nfacts; i++) {
		long long x;
		const char *c = s->facts[i].cond;
		if (s->facts[i].value == 1 && strncmp(c, v, n) == 0 && strncmp(c + n, " == ", 4) == 0 &&
		    int_label(c + n + 4, &x) && x != label)
			return 1;
	}
	return 0;
}

/* A switch edge: the case taken is a fact of the path, so a second switch
 * on the same value (or an `if ( v == 3 )`) follows the first
 * (xenmem_add_to_physmap_one() takes the grant-table lock in one switch on
 * `space` and drops it in a later one). */
static lk_state *switch_edge(tctx *t, la_arena *a, const ir_block *b, int k, lk_state *s)
{
	if (!b->cond || !b->label || !lk_expr_pure(b->cond) || b->cond->kind == IR_E_INT)
		return s;
	const char *v = lk_expr_text(t, b->cond);
	int memory = reads_memory(t, b->cond), contradicts = 0;
	long long label;
	if (int_label(b->label[k], &label)) {
		if (other_case_known(s, v, label))
			return NULL;
		s = lk_state_add_fact(a, s, case_fact(t, v, label), 1, memory, &contradicts);
		return contradicts ? NULL : s;
	}
	if (!b->label[k] || strcmp(b->label[k], "default") != 0)
		return s;
	for (int j = 0; j < b->nsucc && s; j++)
		if (j != k && int_label(b->label[j], &label)) {
			s = lk_state_add_fact(a, s, case_fact(t, v, label), 0, memory, &contradicts);
			if (contradicts)
				return NULL;
		}
	return s;
}

lk_state *lk_on_edge(void *ctx, la_arena *a, const ir_block *b, int k, lk_state *s)
{
	/* a switch with two ways out (one case and default) is no `if`: its
	 * edges are labelled with the case values, an if's "true"/"false" */
	if (b->nsucc > 2 || (b->nsucc == 2 && b->label && b->label[0] && strcmp(b->label[0], "true") != 0))
		return switch_edge(ctx, a, b, k, s);
	if (b->nsucc != 2)
		return s;
	return lk_branch_on(ctx, a, s, b->cond, k == 0);
}
