/* Single-CPU contexts (DESIGN.md §7: "boot before secondary CPUs, S3 with
 * CPUs offline"). The rules name a function and the calls that bound the
 * stretch of it that runs with one CPU online ("single_cpu"); a function
 * runs with one CPU online when every recorded call of it does. Races and
 * deadlocks between CPUs need two, so the checks about them skip such code. */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Per block of a declared function: 1 when it starts with one CPU online on
 * every path to it, 0 when not, -1 not reached yet. */
typedef struct lk_stretch {
	const rules_single_cpu *rule;
	signed char *in;
} lk_stretch;

/* The state after event e, from the state before it. */
static int step(const rules_single_cpu *r, const ir_event *e, int single)
{
	if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || !e->u.call.name)
		return single;
	if (r->until && strcmp(e->u.call.name, r->until) == 0)
		return 0;
	if (r->from && strcmp(e->u.call.name, r->from) == 0)
		return 1;
	return single;
}

/* Must-dataflow over the blocks: single on every path. */
static void stretch_compute(la_arena *a, const ir_func *f, lk_stretch *st)
{
	st->in = la_arena_alloc(a, (size_t)f->nblocks + 1);
	memset(st->in, -1, (size_t)f->nblocks + 1);
	if (!f->nblocks)
		return;
	int *work = xmalloc(sizeof(int) * (size_t)(f->nblocks + 1)), n = 0;
	char *queued = xcalloc((size_t)f->nblocks, 1);
	st->in[0] = st->rule->from ? 0 : 1;
	work[n++] = 0;
	queued[0] = 1;
	while (n) {
		int b = work[--n];
		queued[b] = 0;
		const ir_block *bl = f->blocks[b];
		int s = st->in[b];
		for (int i = 0; i < bl->nev; i++)
			s = step(st->rule, &bl->ev[i], s);
		for (int k = 0; k < bl->nsucc; k++) {
			int t = bl->succ[k];
			int joined = st->in[t] < 0 ? s : st->in[t] && s;
			if (joined == st->in[t])
				continue;
			st->in[t] = (signed char)joined;
			if (!queued[t]) {
				queued[t] = 1;
				work[n++] = t;
			}
		}
	}
	free(work);
	free(queued);
}

int lk_single_cpu_at(const lk_prog *p, const lk_fn *fn, const ir_event *e)
{
	(void)p;
	if (fn->single)
		return 1;
	if (!fn->stretch || !e)
		return 0;
	const ir_func *f = fn->ir;
	for (int b = 0; b < f->nblocks; b++) {
		const ir_block *bl = f->blocks[b];
		if (!bl->nev || e < bl->ev || e >= bl->ev + bl->nev)
			continue;
		int s = fn->stretch->in[b];
		for (const ir_event *x = bl->ev; x < e; x++)
			s = step(fn->stretch->rule, x, s);
		return s == 1;
	}
	return 0;
}

static int *single_flag(lk_fn *fn)
{
	return &fn->single;
}

static int single_call(const lk_prog *p, int caller, const ir_event *call)
{
	return lk_single_cpu_at(p, &p->fn[caller], call);
}

void lk_single_cpu_compute(lk_prog *p)
{
	const rules *r = p->rules;
	if (!r || !r->nsingle_cpu)
		return;
	for (int i = 0; i < p->nfn; i++)
		for (int k = 0; k < r->nsingle_cpu; k++)
			if (p->fn[i].name && strcmp(p->fn[i].name, r->single_cpu[k].function) == 0) {
				lk_stretch *st = la_arena_alloc(&p->arena, sizeof(*st));
				st->rule = &r->single_cpu[k];
				stretch_compute(&p->arena, p->fn[i].ir, st);
				p->fn[i].stretch = st;
				p->fn[i].single = !st->rule->from && !st->rule->until;
			}
	lk_callers_close(p, single_flag, single_call);
}
