/* Handlers handed over to registration functions of the rules
 * (open_softirq(nr, handler), request_irq(irq, flags, handler, ...)): a
 * function designator as the handler argument of a direct call. Shared by
 * the softirq roots of forbidden-call and the IRQ roots of the analysis. */
#include "analysis.h"

#include <string.h>

int lk_fn_of_expr(const lk_prog *p, const ir_expr *x)
{
	while (x && x->kind == IR_E_ADDR)
		x = x->a;
	if (!x || x->kind != IR_E_FUNC || !x->sname)
		return -1;
	return (int)la_strset_index(&p->usrs, x->sname);
}

int lk_fn_by_name(const lk_prog *p, const char *name)
{
	for (int i = 0; i < p->nfn; i++)
		if (p->fn[i].name && strcmp(p->fn[i].name, name) == 0)
			return i;
	return -1;
}

void lk_registrations(const lk_prog *p, const rules_softirq_reg *regs, int nregs, lk_reg_fn cb, void *ctx)
{
	if (!nregs)
		return;
	for (int fi = 0; fi < p->nfn; fi++) {
		const ir_func *ir = p->fn[fi].ir;
		for (int b = 0; ir && b < ir->nblocks; b++)
			for (int j = 0; j < ir->blocks[b]->nev; j++) {
				const ir_event *e = &ir->blocks[b]->ev[j];
				if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || !e->u.call.name)
					continue;
				for (int k = 0; k < nregs; k++) {
					const rules_softirq_reg *g = &regs[k];
					if (strcmp(g->function, e->u.call.name) != 0 || g->handler >= e->u.call.nargs)
						continue;
					int h = lk_fn_of_expr(p, e->u.call.args[g->handler]);
					if (h >= 0)
						cb(ctx, h, fi, g, e);
				}
			}
	}
}
