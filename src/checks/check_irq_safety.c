/* irq-safety: a lock class taken with IRQs disabled somewhere (an _irq or
 * _irqsave primitive, or inside such a section) and with IRQs enabled
 * elsewhere: an interrupt taken while the second holder has it spins on a
 * lock its own CPU holds. Both witnesses are shown. */
#include "check.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdlib.h>

typedef struct witness {
	int fn;
	ir_loc at;
	int have;
} witness;

typedef struct irq_class {
	const char *cls;
	witness off, on;
} irq_class;

typedef struct irq_state {
	la_strset names;     /* index = position in v */
	irq_class *v;
	int n, cap;
} irq_state;

static irq_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(irq_state));
}

static void irq_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before, const lk_lockop *op)
{
	if (op->op != PRIM_ACQUIRE || op->lock->cls[0] == '?')
		return;
	irq_state *st = get_state(c);
	if (la_strset_add(&st->names, op->lock->cls)) {
		LA_VEC_PUSH(st->v, st->n, st->cap);
		st->v[st->n++] = (irq_class){ op->lock->cls, { 0 }, { 0 } };
	}
	irq_class *k = &st->v[la_strset_index(&st->names, op->lock->cls)];
	int off = before->irq_off || op->irq == IRQ_DISABLE || op->irq == IRQ_SAVE;
	witness *w = off ? &k->off : &k->on;
	if (!w->have || check_loc_before(e->loc, w->at))
		*w = (witness){ (int)(fn - check_prog(c)->fn), e->loc, 1 };
}

static void irq_finish(check_ctx *c)
{
	irq_state *st = get_state(c);
	lk_prog *p = check_prog(c);
	for (int i = 0; i < st->n; i++) {
		const irq_class *k = &st->v[i];
		if (!k->off.have || !k->on.have)
			continue;
		const lk_fn *on = &p->fn[k->on.fn], *off = &p->fn[k->off.fn];
		finding *f = check_report(c, on, k->on.at, k->cls, k->cls,
					  "%s taken with IRQs enabled here, and with IRQs disabled in %s()", k->cls,
					  check_fn_name(off));
		if (f) {
			finding_add_step(f, "acquire", k->off.at.file, k->off.at.line, k->off.at.col, check_fn_name(off),
					 "%s taken with IRQs disabled", k->cls);
			finding_add_step(f, "acquire", f->file, k->on.at.line, k->on.at.col, f->func,
					 "%s taken with IRQs enabled (as far as this function shows)", k->cls);
		}
	}
}

static void irq_free(void *vst)
{
	irq_state *st = vst;
	la_strset_free(&st->names);
	free(st->v);
	free(st);
}

const la_check check_irq_safety = {
	.id = "irq-safety",
	.severity = "warning",
	.enabled = 0,   /* IRQ state is not yet followed across calls: see docs/checks/irq-safety.md */
	.title = "lock class taken both with IRQs disabled and with IRQs enabled",
	.lock_op = irq_op,
	.finish = irq_finish,
	.free_state = irq_free,
};
