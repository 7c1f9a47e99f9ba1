/* order: lock classes taken in an order the rules forbid ("order": earlier
 * classes first), or in both orders somewhere in the program (a cycle of
 * two; both witnesses are shown), unless the rules call one of the two
 * edges guarded ("guarded_order"). Every edge goes to the lock_edge table. */
#include "check.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge {
	const char *from, *to;     /* classes (interned by the analysis) */
	int fn;                    /* first witness: function index ... */
	ir_loc at;                 /* ... the acquire of `to` ... */
	lk_held held;              /* ... with `from` held */
	int count;
	int multi;                 /* places with more than one CPU online; the
	                            * witness is one of them when there is one */
} edge;

typedef struct order_state {
	la_strset keys;            /* "from\tto", index = position in e */
	edge *e;
	int n, cap;
} order_state;

static order_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(order_state));
}

static void order_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before, const lk_lockop *op)
{
	const lk_held *l = op->lock;
	/* taking again a (recursive) lock already held orders nothing: it was
	 * taken before the locks acquired since */
	if (op->op != PRIM_ACQUIRE || l->cls[0] == '?' || (op->before && !op->before->maybe))
		return;
	order_state *st = get_state(c);
	int multi = !lk_single_cpu_at(check_prog(c), fn, e);
	for (int i = 0; i < before->nheld; i++) {
		const lk_held *h = &before->held[i];
		if (h->maybe || h->cls == l->cls || h->cls[0] == '?')
			continue;
		la_buf key = LA_BUF_INIT;
		la_buf_printf(&key, "%s\t%s", h->cls, l->cls);
		if (la_strset_add(&st->keys, key.ptr)) {
			LA_VEC_PUSH(st->e, st->n, st->cap);
			memset(&st->e[st->n++], 0, sizeof(edge));
		}
		edge *w = &st->e[la_strset_index(&st->keys, key.ptr)];
		/* the witness: one from code that runs with other CPUs up if
		 * there is one, and among those the first in file order */
		if (!w->count || (multi && !w->multi) || (multi == (w->multi > 0) && check_loc_before(e->loc, w->at))) {
			*w = (edge){ h->cls, l->cls, (int)(fn - check_prog(c)->fn), e->loc, *h, w->count, w->multi };
			w->held.obj = NULL;   /* it lives in the function's scratch arena */
		}
		w->count++;
		w->multi += multi;
		la_buf_free(&key);
	}
}

static void add_witness(check_ctx *c, finding *f, const edge *w)
{
	const lk_fn *fn = &check_prog(c)->fn[w->fn];
	const char *cls[1] = { w->from };
	int modes[1] = { LOCK_ANY };
	check_trace_entry(c, f, fn, NULL, cls, modes, 1, 1, "holding it");
	check_trace_acquired(c, f, &w->held, fn);
	finding_add_step(f, "acquire", w->at.file, w->at.line, w->at.col, check_fn_name(fn),
			 "%s acquired while %s is held (%d place%s)", w->to, w->from, w->count, w->count == 1 ? "" : "s");
}

static void order_finish(check_ctx *c)
{
	order_state *st = get_state(c);
	const rules *r = check_rules(c);
	lk_prog *p = check_prog(c);
	for (int i = 0; i < st->n; i++) {
		const edge *w = &st->e[i];
		const lk_fn *fn = &p->fn[w->fn];
		check_record_edge(c, w->from, w->to, fn, w->at, w->count);
		if (!w->multi)
			continue;   /* taken with one CPU online only: no other CPU can wait the other way */
		int cf, pf, ct, pt;
		char subject[512];
		snprintf(subject, sizeof(subject), "%s -> %s", w->from, w->to);
		if (rules_order_of(r, w->from, &cf, &pf) && rules_order_of(r, w->to, &ct, &pt) && cf == ct) {
			if (pt < pf) {
				finding *f = check_report(c, fn, w->at, subject, w->to,
							  "%s acquired while %s is held: the rules order %s before %s",
							  w->to, w->from, w->to, w->from);
				if (f)
					add_witness(c, f, w);
			}
			continue;   /* declared pairs are judged by the declaration only */
		}
		/* a cycle of two, reported once, at the edge whose `from` sorts first */
		la_buf back = LA_BUF_INIT;
		la_buf_printf(&back, "%s\t%s", w->to, w->from);
		long k = la_strset_index(&st->keys, back.ptr);
		la_buf_free(&back);
		if (k < 0 || strcmp(w->from, w->to) > 0 || !st->e[k].multi)
			continue;
		const edge *v = &st->e[k];
		/* a guarded edge cannot close the cycle (the rules say why) */
		if (rules_find_guarded_edge(r, w->from, w->to) || rules_find_guarded_edge(r, v->from, v->to))
			continue;
		finding *f = check_report(c, fn, w->at, subject, w->from,
					  "lock order cycle: %s acquired while %s is held here, and the reverse in %s()",
					  w->to, w->from, check_fn_name(&p->fn[v->fn]));
		if (f) {
			add_witness(c, f, w);
			add_witness(c, f, v);
		}
	}
}

static void order_free(void *vst)
{
	order_state *st = vst;
	la_strset_free(&st->keys);
	free(st->e);
	free(st);
}

const la_check check_order = {
	.id = "order",
	.severity = "warning",
	.enabled = 1,
	.title = "locks taken against the rules' order, or in both orders (a cycle of two)",
	.between_cpus = 1,
	.lock_op = order_op,
	.finish = order_finish,
	.free_state = order_free,
};
