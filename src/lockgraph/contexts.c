/* Calling-context lock sets (contexts.h). */
#include "contexts.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct ctx_list {
	lk_lockset *sets;
	int n;
	int busy, done, overflow;
} ctx_list;

struct lk_contexts {
	const lk_prog *p;
	ctx_list *fn;            /* per function */
};

int lk_lockset_find(const lk_lockclass *v, int n, const char *cls)
{
	for (int i = 0; i < n; i++)
		if (v[i].cls == cls)
			return i;
	return -1;
}

/* base ∪ held, a lock in both exclusive when either says so; locks held on
 * some paths only, or unnamed classes, are left out */
static lk_lockset set_union(const lk_lockset *base, const lk_held *held, int nheld)
{
	lk_lockset u = { xmalloc(sizeof(lk_lockclass) * (size_t)((base ? base->n : 0) + nheld + 1)), 0 };
	if (base && base->n)
		memcpy(u.v, base->v, sizeof(lk_lockclass) * (size_t)base->n);
	u.n = base ? base->n : 0;
	for (int i = 0; i < nheld; i++) {
		if (held[i].maybe || strcmp(held[i].cls, "?") == 0)
			continue;
		int excl = held[i].mode != LOCK_SHARED, k = lk_lockset_find(u.v, u.n, held[i].cls);
		if (k < 0)
			u.v[u.n++] = (lk_lockclass){ held[i].cls, excl };
		else
			u.v[k].exclusive |= excl;
	}
	return u;
}

static int set_equal(const lk_lockset *a, const lk_lockset *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++) {
		int k = lk_lockset_find(b->v, b->n, a->v[i].cls);
		if (k < 0 || b->v[k].exclusive != a->v[i].exclusive)
			return 0;
	}
	return 1;
}

/* Add base ∪ held unless the list has that set already. */
static void add_context(ctx_list *l, const lk_lockset *base, const lk_held *held, int nheld)
{
	lk_lockset set = set_union(base, held, nheld);
	for (int i = 0; i < l->n; i++)
		if (set_equal(&l->sets[i], &set)) {
			free(set.v);
			return;
		}
	l->sets = xrealloc(l->sets, sizeof(*l->sets) * (size_t)(l->n + 1));
	l->sets[l->n++] = set;
}

static void list_clear(ctx_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->sets[i].v);
	l->n = 0;
}

static const ctx_list *contexts_of(lk_contexts *cx, int fi)
{
	ctx_list *l = &cx->fn[fi];
	const lk_fn *fn = &cx->p->fn[fi];
	if (l->done || l->busy)   /* busy: a cycle through fi; the caller copes */
		return l;
	l->busy = 1;
	for (int s = 0; s < fn->nsites && !l->overflow; s++) {
		const lk_site *site = &fn->sites[s];
		const ctx_list *up = contexts_of(cx, site->caller);
		if (!up->done) {   /* round a cycle: the caller's entry context stands for its contexts */
			const lk_fn *caller = &cx->p->fn[site->caller];
			lk_lockset entry = set_union(NULL, caller->entry, caller->nentry);
			add_context(l, &entry, site->held, site->nheld);
			free(entry.v);
		}
		for (int k = 0; up->done && k < up->n; k++)
			add_context(l, &up->sets[k], site->held, site->nheld);
		l->overflow = l->n > LK_CONTEXTS;
	}
	if (l->overflow || !fn->nsites) {   /* too many, or a root: the entry context */
		list_clear(l);
		add_context(l, NULL, fn->entry, fn->nentry);
	}
	l->busy = 0;
	l->done = 1;
	return l;
}

lk_contexts *lk_contexts_new(const lk_prog *p)
{
	lk_contexts *cx = xcalloc(1, sizeof(*cx));
	cx->p = p;
	cx->fn = xcalloc((size_t)p->nfn + 1, sizeof(*cx->fn));
	return cx;
}

const lk_prog *lk_contexts_prog(const lk_contexts *cx)
{
	return cx->p;
}

const lk_lockset *lk_contexts_of(lk_contexts *cx, int fi, int *n)
{
	const ctx_list *l = contexts_of(cx, fi);
	*n = l->n;
	return l->sets;
}

void lk_contexts_free(lk_contexts *cx)
{
	if (!cx)
		return;
	for (int i = 0; i < cx->p->nfn; i++) {
		list_clear(&cx->fn[i]);
		free(cx->fn[i].sets);
	}
	free(cx->fn);
	free(cx);
}
