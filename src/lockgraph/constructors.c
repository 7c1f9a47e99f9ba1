/* Constructors (rules "constructors"): the functions called through a
 * function-pointer slot that hands them a new object (Linux's
 * vfio_device_ops.init gets the device _vfio_alloc_device() has just
 * allocated, before anyone else can reach it). */
#include "analysis.h"

#include <string.h>

static void compute(lk_prog *p)
{
	for (int fi = 0; fi < p->nfn; fi++)
		p->fn[fi].ctor_arg = -1;
	const rules *r = p->rules;
	for (int fi = 0; r && r->nconstructors && fi < p->nfn; fi++) {
		const lk_fn *fn = &p->fn[fi];
		for (int b = 0; fn->ir && b < fn->ir->nblocks; b++)
			for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
				const ir_event *e = &fn->ir->blocks[b]->ev[i];
				if (e->kind != IR_EV_CALL || e->u.call.how == IR_CALL_DIRECT || !e->u.call.fnkey ||
				    e->u.call.id < 0 || e->u.call.id >= fn->ir->ncalls)
					continue;
				for (int k = 0; k < r->nconstructors; k++) {
					if (strcmp(r->constructors[k].slot, e->u.call.fnkey) != 0)
						continue;
					const lk_call *c = &fn->calls[e->u.call.id];
					for (int t = 0; t < c->ntargets; t++)
						p->fn[c->targets[t]].ctor_arg = r->constructors[k].arg;
				}
			}
	}
	p->ctors_known = 1;
}

int lk_constructor_arg(lk_prog *p, int fi)
{
	if (!p->ctors_known)
		compute(p);
	return p->fn[fi].ctor_arg;
}
