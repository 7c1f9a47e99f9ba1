#include "lockset.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define MAX_COUNT 3

struct lk_interner {
	la_strset set;
};

lk_interner *lk_interner_new(void)
{
	return xcalloc(1, sizeof(lk_interner));
}

const char *lk_intern(lk_interner *in, const char *s)
{
	la_strset_add(&in->set, s);
	return la_strset_get(&in->set, s);
}

void lk_interner_free(lk_interner *in)
{
	if (!in)
		return;
	la_strset_free(&in->set);
	free(in);
}

lk_state *lk_state_empty(la_arena *a)
{
	return la_arena_alloc(a, sizeof(lk_state));
}

#define COPY_ARRAY(a, dst, src, n) do { \
	if (n) { \
		(dst) = la_arena_alloc((a), sizeof(*(dst)) * (size_t)(n)); \
		memcpy((dst), (src), sizeof(*(dst)) * (size_t)(n)); \
	} else { \
		(dst) = NULL; \
	} \
} while (0)

lk_state *lk_state_copy(la_arena *a, const lk_state *s)
{
	lk_state *c = la_arena_alloc(a, sizeof(*c));
	*c = *s;
	COPY_ARRAY(a, c->held, s->held, s->nheld);
	COPY_ARRAY(a, c->facts, s->facts, s->nfacts);
	COPY_ARRAY(a, c->tries, s->tries, s->ntries);
	COPY_ARRAY(a, c->aliases, s->aliases, s->naliases);
	COPY_ARRAY(a, c->rel, s->rel, s->nrel);
	COPY_ARRAY(a, c->ranges, s->ranges, s->nranges);
	return c;
}

static int held_equal(const lk_held *x, const lk_held *y)
{
	return x->inst == y->inst && x->cls == y->cls && x->mode == y->mode && x->count == y->count &&
	       x->maybe == y->maybe && x->how == y->how && x->mixed == y->mixed;
}

int lk_state_equal(const lk_state *x, const lk_state *y)
{
	if (x->nfacts != y->nfacts || !lk_ranges_equal(x, y))
		return 0;
	for (int i = 0; i < x->nfacts; i++) {
		int found = 0;
		for (int j = 0; j < y->nfacts && !found; j++)
			found = x->facts[i].cond == y->facts[j].cond && x->facts[i].value == y->facts[j].value;
		if (!found)
			return 0;
	}
	return lk_state_same_locks(x, y);
}

/* Locals holding a call's result: they tell paths apart like the locks.
 * Copies of parameters are facts, and do not. */
static int call_aliases(const lk_state *s)
{
	int n = 0;
	for (int i = 0; i < s->naliases; i++)
		n += s->aliases[i].call_id >= 0;
	return n;
}

int lk_state_same_locks(const lk_state *x, const lk_state *y)
{
	if (x->nheld != y->nheld || x->ntries != y->ntries || call_aliases(x) != call_aliases(y) ||
	    x->nrel != y->nrel || x->irq != y->irq ||
	    x->irq_saved != y->irq_saved || x->irq_inh != y->irq_inh)
		return 0;
	for (int i = 0; i < x->nrel; i++) {
		int found = 0;
		for (int j = 0; j < y->nrel && !found; j++)
			found = x->rel[i].inst == y->rel[j].inst && x->rel[i].cls == y->rel[j].cls;
		if (!found)
			return 0;
	}
	/* arrays are kept in insertion order; compare as sets */
	for (int i = 0; i < x->nheld; i++) {
		int found = 0;
		for (int j = 0; j < y->nheld && !found; j++)
			found = held_equal(&x->held[i], &y->held[j]);
		if (!found)
			return 0;
	}
	for (int i = 0; i < x->ntries; i++) {
		int found = 0;
		for (int j = 0; j < y->ntries && !found; j++)
			found = x->tries[i].call_id == y->tries[j].call_id &&
				x->tries[i].lock.inst == y->tries[j].lock.inst;
		if (!found)
			return 0;
	}
	for (int i = 0; i < x->naliases; i++) {
		int found = x->aliases[i].call_id < 0;
		for (int j = 0; j < y->naliases && !found; j++)
			found = x->aliases[i].local == y->aliases[j].local &&
				x->aliases[i].call_id == y->aliases[j].call_id;
		if (!found)
			return 0;
	}
	return 1;
}

const lk_held *lk_state_find(const lk_state *s, const char *inst, const char *cls)
{
	for (int i = 0; i < s->nheld; i++)
		if (s->held[i].inst == inst && s->held[i].cls == cls)
			return &s->held[i];
	return NULL;
}

lk_state *lk_state_acquire(la_arena *a, const lk_state *s, const lk_held *h)
{
	lk_state *c = lk_state_copy(a, s);
	for (int i = 0; i < c->nheld; i++) {
		lk_held *o = &c->held[i];
		if (o->inst == h->inst && o->cls == h->cls) {
			if (o->count < MAX_COUNT)
				o->count++;
			o->maybe = 0;
			if (h->mode == 2 /* LOCK_EXCLUSIVE */) {
				o->mode = h->mode;
				o->mixed = 0;
			}
			return c;
		}
	}
	lk_held *nh = la_arena_alloc(a, sizeof(lk_held) * (size_t)(c->nheld + 1));
	if (c->nheld)
		memcpy(nh, c->held, sizeof(lk_held) * (size_t)c->nheld);
	nh[c->nheld] = *h;
	nh[c->nheld].count = 1;
	c->held = nh;
	c->nheld++;
	return c;
}

int lk_state_release_index(const lk_state *s, const char *inst, const char *cls)
{
	int at = -1, nclass = 0, only = -1;
	for (int i = 0; i < s->nheld; i++) {
		if (s->held[i].inst == inst && s->held[i].cls == cls)
			at = i;
		if (s->held[i].cls == cls) {
			nclass++;
			only = i;
			if (at < 0 && inst == NULL)
				at = i;
		}
	}
	/* the one lock of a class held is the one an unlock of that class
	 * releases, whatever it is called: unnamed (held by callers), or the
	 * same lock under another name (desc = pirq_spin_lock_irq_desc(...);
	 * spin_unlock(&desc->lock) where the callee locked
	 * irq_desc[irq].lock) */
	if (at < 0 && nclass == 1 && strcmp(cls, "?") != 0)
		at = only;
	return at;
}

lk_state *lk_state_release(la_arena *a, const lk_state *s, const char *inst, const char *cls, int *found)
{
	int at = lk_state_release_index(s, inst, cls);
	*found = at >= 0;
	if (at < 0)
		return (lk_state *)s;
	lk_state *c = lk_state_copy(a, s);
	if (c->held[at].count > 1) {
		c->held[at].count--;
		return c;
	}
	c->held[at] = c->held[c->nheld - 1];
	c->nheld--;
	return c;
}

lk_state *lk_state_add_fact(la_arena *a, const lk_state *s, const char *cond, int value, int memory,
			     int *contradicts)
{
	*contradicts = 0;
	for (int i = 0; i < s->nfacts; i++)
		if (s->facts[i].cond == cond) {
			*contradicts = s->facts[i].value != value;
			return (lk_state *)s;
		}
	lk_state *c = lk_state_copy(a, s);
	lk_fact *nf = la_arena_alloc(a, sizeof(lk_fact) * (size_t)(c->nfacts + 1));
	if (c->nfacts)
		memcpy(nf, c->facts, sizeof(lk_fact) * (size_t)c->nfacts);
	nf[c->nfacts].cond = cond;
	nf[c->nfacts].value = (short)value;
	nf[c->nfacts].memory = (short)memory;
	c->facts = nf;
	c->nfacts++;
	return c;
}

lk_state *lk_state_add_facts(la_arena *a, const lk_state *s, const char *const *conds, const signed char *values,
			     int n, int memory, int *contradicts)
{
	*contradicts = 0;
	lk_state *c = NULL;
	for (int k = 0; k < n && !*contradicts; k++) {
		if (values[k] < 0)
			continue;
		const lk_state *cur = c ? c : s;
		int known = 0;
		for (int i = 0; i < cur->nfacts && !known; i++)
			if (cur->facts[i].cond == conds[k]) {
				known = 1;
				*contradicts = cur->facts[i].value != values[k];
			}
		if (known)
			continue;
		if (!c) {   /* room for all of them: one copy */
			c = lk_state_copy(a, s);
			lk_fact *nf = la_arena_alloc(a, sizeof(lk_fact) * (size_t)(c->nfacts + n));
			if (c->nfacts)
				memcpy(nf, c->facts, sizeof(lk_fact) * (size_t)c->nfacts);
			c->facts = nf;
		}
		c->facts[c->nfacts].cond = conds[k];
		c->facts[c->nfacts].value = values[k];
		c->facts[c->nfacts].memory = (short)memory;
		c->nfacts++;
	}
	return c ? c : (lk_state *)s;
}

/* Does the condition text mention the variable `name` as a whole word? */
static int mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		int before = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
					    (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
		char c = p[n];
		int after = !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '\'');
		if (before && after)
			return 1;
	}
	return 0;
}

int lk_state_fact_of(lk_interner *in, const lk_state *s, const ir_expr *e)
{
	if (!s->nfacts || !e)
		return -1;
	la_buf b = LA_BUF_INIT;
	ir_expr_render(&b, e, NULL, 0);
	const char *cond = lk_intern(in, b.ptr ? b.ptr : "?");
	la_buf_free(&b);
	for (int i = 0; i < s->nfacts; i++)
		if (s->facts[i].cond == cond)
			return s->facts[i].value;
	return -1;
}

int lk_const_truth(const ir_expr *e)
{
	if (e && e->kind == IR_E_NULL)
		return 0;
	if (e && e->kind == IR_E_INT)
		return e->ival != 0;
	return -1;
}

const char *lk_value_fact(lk_interner *in, const ir_expr *p)
{
	la_buf b = LA_BUF_INIT;
	la_buf_putc(&b, '@');
	ir_expr_render(&b, p, NULL, 0);
	const char *fact = lk_intern(in, b.ptr);
	la_buf_free(&b);
	return fact;
}

int lk_value_truth(lk_interner *in, const lk_state *s, const ir_expr *e)
{
	int v = lk_const_truth(e);
	if (v >= 0 || !e || (e->kind != IR_E_LOCAL && e->kind != IR_E_PARAM))
		return v;
	if ((v = lk_state_fact_of(in, s, e)) >= 0 || e->kind != IR_E_LOCAL)
		return v;
	/* a copy of a parameter: what the path decided about the parameter */
	int param = lk_state_copied_param(s, e->name);
	if (param >= 0) {
		ir_expr p = { .kind = IR_E_PARAM, .ival = param };
		return lk_state_fact_of(in, s, &p);
	}
	/* a local holding a call's result: the branch on it recorded call#N */
	int id = lk_state_alias(s, e->name);
	if (id < 0)
		return -1;
	char name[32];
	snprintf(name, sizeof(name), "call#%d", id);
	const char *fact = lk_intern(in, name);
	for (int i = 0; i < s->nfacts; i++)
		if (s->facts[i].cond == fact)
			return s->facts[i].value;
	return -1;
}

lk_state *lk_state_kill_facts(la_arena *a, const lk_state *s, const char *name)
{
	int kill = 0;
	for (int i = 0; i < s->nfacts; i++)
		kill |= name ? mentions(s->facts[i].cond, name) : s->facts[i].memory;
	for (int i = 0; i < s->naliases; i++)
		kill |= name && strcmp(s->aliases[i].local, name) == 0;
	if (!kill)
		return (lk_state *)s;
	lk_state *c = lk_state_copy(a, s);
	int n = 0;
	for (int i = 0; i < c->nfacts; i++)
		if (!(name ? mentions(c->facts[i].cond, name) : c->facts[i].memory))
			c->facts[n++] = c->facts[i];
	c->nfacts = (short)n;
	n = 0;
	for (int i = 0; i < c->naliases; i++)
		if (!(name && strcmp(c->aliases[i].local, name) == 0))
			c->aliases[n++] = c->aliases[i];
	c->naliases = (short)n;
	return c;
}

lk_state *lk_state_add_released(la_arena *a, const lk_state *s, const lk_held *h)
{
	for (int i = 0; i < s->nrel; i++)
		if (s->rel[i].inst == h->inst && s->rel[i].cls == h->cls)
			return (lk_state *)s;
	lk_state *c = lk_state_copy(a, s);
	lk_held *nr = la_arena_alloc(a, sizeof(lk_held) * (size_t)(c->nrel + 1));
	if (c->nrel)
		memcpy(nr, c->rel, sizeof(lk_held) * (size_t)c->nrel);
	nr[c->nrel] = *h;
	c->rel = nr;
	c->nrel++;
	return c;
}

lk_state *lk_state_add_try(la_arena *a, const lk_state *s, const lk_try *t)
{
	lk_state *c = lk_state_copy(a, s);
	/* a call run again (in a loop) replaces its earlier result; one call
	 * may take several locks on one result (sev_lock_two_vms()) */
	for (int i = 0; i < c->ntries; i++)
		if (c->tries[i].call_id == t->call_id && c->tries[i].lock.inst == t->lock.inst &&
		    c->tries[i].lock.cls == t->lock.cls && c->tries[i].release == t->release) {
			lk_try *nt = la_arena_alloc(a, sizeof(lk_try) * (size_t)c->ntries);
			memcpy(nt, c->tries, sizeof(lk_try) * (size_t)c->ntries);
			nt[i] = *t;
			c->tries = nt;
			return c;
		}
	lk_try *nt = la_arena_alloc(a, sizeof(lk_try) * (size_t)(c->ntries + 1));
	if (c->ntries)
		memcpy(nt, c->tries, sizeof(lk_try) * (size_t)c->ntries);
	nt[c->ntries] = *t;
	c->tries = nt;
	c->ntries++;
	return c;
}

lk_state *lk_state_add_alias(la_arena *a, const lk_state *s, const char *local, int call_id)
{
	lk_state *c = lk_state_kill_facts(a, s, local);
	if (c == s)
		c = lk_state_copy(a, s);
	lk_alias *na = la_arena_alloc(a, sizeof(lk_alias) * (size_t)(c->naliases + 1));
	if (c->naliases)
		memcpy(na, c->aliases, sizeof(lk_alias) * (size_t)c->naliases);
	na[c->naliases].local = local;
	na[c->naliases].call_id = call_id;
	c->aliases = na;
	c->naliases++;
	return c;
}

const lk_try *lk_state_try(const lk_state *s, int call_id)
{
	for (int i = 0; i < s->ntries; i++)
		if (s->tries[i].call_id == call_id)
			return &s->tries[i];
	return NULL;
}

lk_state *lk_state_drop_try(la_arena *a, const lk_state *s, int call_id)
{
	lk_state *c = lk_state_copy(a, s);
	int m = 0;
	for (int i = 0; i < c->ntries; i++)
		if (c->tries[i].call_id != call_id)
			c->tries[m++] = c->tries[i];
	c->ntries = (short)m;
	return c;
}

int lk_state_alias(const lk_state *s, const char *local)
{
	for (int i = 0; i < s->naliases; i++)
		if (s->aliases[i].local == local || strcmp(s->aliases[i].local, local) == 0)
			return s->aliases[i].call_id >= 0 ? s->aliases[i].call_id : -1;
	return -1;
}

int lk_state_copied_param(const lk_state *s, const char *local)
{
	for (int i = 0; i < s->naliases; i++)
		if (s->aliases[i].local == local || strcmp(s->aliases[i].local, local) == 0)
			return s->aliases[i].call_id <= LK_COPY_OF_PARAM0 ? LK_COPY_OF_PARAM0 - s->aliases[i].call_id : -1;
	return -1;
}

int lk_irq_meet(int x, int y)
{
	return x == y ? x : LK_IRQ_UNKNOWN;
}

lk_state *lk_state_set_irq(la_arena *a, const lk_state *s, int irq)
{
	lk_state *c = lk_state_copy(a, s);
	c->irq = (signed char)irq;
	c->irq_inh = 0;
	return c;
}

static int fact_named(const lk_state *s, const char *cond)
{
	for (int i = 0; i < s->nfacts; i++)
		if (strcmp(s->facts[i].cond, cond) == 0)
			return i;
	return -1;
}

/* A local's truth known on both sides stays: on x it is a copy of a
 * parameter the path decided, on y a fact of its own (`_t = _T;` with _T
 * NULL, joined with `_t = NULL;` after a failed trylock). Facts of locals
 * are named by the local. */
static void copy_truths(lk_state *c, const lk_state *x, const lk_state *y)
{
	for (int i = 0; i < x->naliases; i++) {
		if (x->aliases[i].call_id > LK_COPY_OF_PARAM0)
			continue;
		char param[16];
		snprintf(param, sizeof(param), "$%d", LK_COPY_OF_PARAM0 - x->aliases[i].call_id);
		int fx = fact_named(x, param), fy = fact_named(y, x->aliases[i].local);
		if (fx < 0 || fy < 0 || x->facts[fx].value != y->facts[fy].value || fact_named(c, y->facts[fy].cond) >= 0)
			continue;
		c->facts[c->nfacts++] = y->facts[fy];
	}
}

lk_state *lk_state_join(la_arena *a, const lk_state *x, const lk_state *y)
{
	lk_state *c = lk_state_empty(a);
	c->merged = 1;
	c->irq = (signed char)lk_irq_meet(x->irq, y->irq);
	c->irq_saved = (signed char)lk_irq_meet(x->irq_saved, y->irq_saved);
	c->irq_inh = x->irq_inh && y->irq_inh;
	c->held = la_arena_alloc(a, sizeof(lk_held) * (size_t)(x->nheld + y->nheld + 1));
	for (int i = 0; i < x->nheld; i++) {
		lk_held h = x->held[i];
		const lk_held *o = lk_state_find(y, h.inst, h.cls);
		if (!o)
			h.maybe = 1;
		else {
			h.maybe |= o->maybe;
			h.mixed |= o->mixed;
			if (o->count > h.count)
				h.count = o->count;
			if (o->mode != h.mode) {
				h.mode = 1;   /* weakest: shared, and stronger on one side */
				h.mixed = 1;
			}
			/* the caller's lock on one side stays the caller's: taken
			 * again after dropping it is not an acquisition of our own */
			if (h.how == LK_ACQUIRED && o->how != LK_ACQUIRED) {
				h.how = o->how;
				h.at = o->at;
			}
		}
		c->held[c->nheld++] = h;
	}
	for (int i = 0; i < y->nheld; i++)
		if (!lk_state_find(x, y->held[i].inst, y->held[i].cls)) {
			c->held[c->nheld] = y->held[i];
			c->held[c->nheld++].maybe = 1;
		}
	/* facts and aliases true on both sides stay */
	c->facts = la_arena_alloc(a, sizeof(lk_fact) * (size_t)(x->nfacts + y->nfacts + 1));
	for (int i = 0; i < x->nfacts; i++)
		for (int j = 0; j < y->nfacts; j++)
			if (x->facts[i].cond == y->facts[j].cond && x->facts[i].value == y->facts[j].value)
				c->facts[c->nfacts++] = x->facts[i];
	copy_truths(c, x, y);
	copy_truths(c, y, x);
	c->tries = la_arena_alloc(a, sizeof(lk_try) * (size_t)(x->ntries + 1));
	for (int i = 0; i < x->ntries; i++)
		if (lk_state_try(y, x->tries[i].call_id))
			c->tries[c->ntries++] = x->tries[i];
	c->rel = la_arena_alloc(a, sizeof(lk_held) * (size_t)(x->nrel + 1));
	for (int i = 0; i < x->nrel; i++)
		for (int j = 0; j < y->nrel; j++)
			if (x->rel[i].inst == y->rel[j].inst && x->rel[i].cls == y->rel[j].cls)
				c->rel[c->nrel++] = x->rel[i];
	c->aliases = la_arena_alloc(a, sizeof(lk_alias) * (size_t)(x->naliases + 1));
	for (int i = 0; i < x->naliases; i++)
		if (x->aliases[i].call_id >= 0 ? lk_state_alias(y, x->aliases[i].local) == x->aliases[i].call_id
					       : lk_state_copied_param(y, x->aliases[i].local) ==
							 LK_COPY_OF_PARAM0 - x->aliases[i].call_id)
			c->aliases[c->naliases++] = x->aliases[i];
	lk_ranges_join(a, c, x, y);
	return c;
}
