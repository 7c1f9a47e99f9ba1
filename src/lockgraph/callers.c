/* Properties a function has because every call of it has them: it runs with
 * one CPU online (single_cpu.c), it runs only while the system boots
 * (boot.c), it runs on one thread per object (threads.c). Computed on the
 * call graph turned upside down. */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>

lk_incoming *lk_incoming_new(const lk_prog *p)
{
	lk_incoming *inc = xcalloc(1, sizeof(*inc));
	inc->start = xcalloc((size_t)p->nfn + 1, sizeof(int));
	int *fill = NULL;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < p->nfn; i++) {
			const ir_func *f = p->fn[i].ir;
			for (int b = 0; b < f->nblocks; b++)
				for (int k = 0; k < f->blocks[b]->nev; k++) {
					const ir_event *e = &f->blocks[b]->ev[k];
					if (e->kind != IR_EV_CALL || e->u.call.id < 0 || e->u.call.id >= f->ncalls)
						continue;
					const lk_call *c = &p->fn[i].calls[e->u.call.id];
					for (int t = 0; t < c->ntargets; t++)
						if (pass)
							inc->in[fill[c->targets[t]]++] = (lk_in_call){ i, e };
						else
							inc->start[c->targets[t] + 1]++;
				}
		}
		if (pass)
			break;
		for (int i = 0; i < p->nfn; i++)
			inc->start[i + 1] += inc->start[i];
		inc->in = xmalloc(sizeof(lk_in_call) * (size_t)(inc->start[p->nfn] + 1));
		fill = xmalloc(sizeof(int) * (size_t)(p->nfn + 1));
		for (int i = 0; i < p->nfn; i++)
			fill[i] = inc->start[i];
	}
	free(fill);
	return inc;
}

void lk_incoming_free(lk_incoming *inc)
{
	if (!inc)
		return;
	free(inc->in);
	free(inc->start);
	free(inc);
}

void lk_callers_close(lk_prog *p, int *(*flag)(lk_fn *fn), lk_call_holds holds)
{
	lk_incoming *inc = lk_incoming_new(p);
	/* least fixpoint: a cycle entered only from such calls stays without
	 * the property, which only costs findings */
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < p->nfn; i++) {
			if (*flag(&p->fn[i]) || inc->start[i] == inc->start[i + 1])
				continue;
			int all = 1;
			for (int k = inc->start[i]; k < inc->start[i + 1] && all; k++)
				all = holds(p, inc->in[k].caller, inc->in[k].call);
			if (all)
				changed = *flag(&p->fn[i]) = 1;
		}
	}
	lk_incoming_free(inc);
}
