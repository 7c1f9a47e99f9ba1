/* Properties a function has because every call of it has them: it runs with
 * one CPU online (single_cpu.c), it runs only while the system boots
 * (boot.c). Computed on the call graph turned upside down. */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>

typedef struct incoming {
	int caller;
	const ir_event *call;
} incoming;

void lk_callers_close(lk_prog *p, int *(*flag)(lk_fn *fn), lk_call_holds holds)
{
	/* every call that may reach each function: in[start[i] .. start[i+1]) */
	int *start = xcalloc((size_t)p->nfn + 1, sizeof(int));
	incoming *in = NULL;
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
							in[fill[c->targets[t]]++] = (incoming){ i, e };
						else
							start[c->targets[t] + 1]++;
				}
		}
		if (pass)
			break;
		for (int i = 0; i < p->nfn; i++)
			start[i + 1] += start[i];
		in = xmalloc(sizeof(incoming) * (size_t)(start[p->nfn] + 1));
		fill = xmalloc(sizeof(int) * (size_t)(p->nfn + 1));
		for (int i = 0; i < p->nfn; i++)
			fill[i] = start[i];
	}
	/* least fixpoint: a cycle entered only from such calls stays without
	 * the property, which only costs findings */
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < p->nfn; i++) {
			if (*flag(&p->fn[i]) || start[i] == start[i + 1])
				continue;
			int all = 1;
			for (int k = start[i]; k < start[i + 1] && all; k++)
				all = holds(p, in[k].caller, in[k].call);
			if (all)
				changed = *flag(&p->fn[i]) = 1;
		}
	}
	free(in);
	free(fill);
	free(start);
}
