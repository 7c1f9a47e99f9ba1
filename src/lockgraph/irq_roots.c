/* Where the IRQ state at a function's entry is not what its callers show
 * (rules "irq"): interrupt entry runs with IRQs disabled, hypercall entry
 * and softirq handlers with IRQs enabled. A function the rules name has
 * that state whatever its recorded callers do (they are assembly, or the
 * hardware); a handler handed to a registration function has it at the
 * calls through pointers (its dispatcher's), and is met with its direct
 * callers. */
#include "analysis.h"

#include <string.h>

static int irq_of_rules(int irqs)
{
	return irqs == RULES_IRQS_OFF ? LK_IRQ_OFF : irqs == RULES_IRQS_ON ? LK_IRQ_ON : LK_IRQ_UNKNOWN;
}

/* registered several ways: what they all say */
static void mark_handler(lk_fn *fn, int irq)
{
	fn->irq_reg = fn->irq_reg ? lk_irq_meet(fn->irq_reg, irq) : irq;
}

static void registered(void *ctx, int handler, int caller, const rules_softirq_reg *g, const ir_event *call)
{
	(void)caller;
	(void)call;
	lk_prog *p = ctx;
	mark_handler(&p->fn[handler], irq_of_rules(g->irqs ? g->irqs : p->rules->irq.softirq));
	if (g->holds)
		p->fn[handler].reg_holds = lk_intern(p->in, g->holds);
}

/* A handler runs only while it is registered: a field that is stable
 * while it is (Linux's "irq_type must be stable while the IRQ handler is
 * registered") needs no lock in it. The pseudo-lock says so to the guards,
 * and passes to what the handler calls like a lock. */
void lk_entry_add_registration(lk_prog *p, lk_fn *fn)
{
	if (!fn->reg_holds)
		return;
	for (int i = 0; i < fn->nentry; i++)
		if (fn->entry[i].cls == fn->reg_holds)
			return;
	lk_held *e = la_arena_alloc(&p->arena, sizeof(lk_held) * (size_t)(fn->nentry + 1));
	if (fn->nentry)
		memcpy(e, fn->entry, sizeof(lk_held) * (size_t)fn->nentry);
	memset(&e[fn->nentry], 0, sizeof(lk_held));
	e[fn->nentry].inst = e[fn->nentry].cls = fn->reg_holds;
	e[fn->nentry].mode = LOCK_SHARED;
	e[fn->nentry].count = 1;
	e[fn->nentry].how = LK_INHERITED;
	fn->entry = e;
	fn->nentry++;
}

static void name_roots(lk_prog *p, char *const *names, int n, int irq)
{
	for (int i = 0; i < n; i++) {
		int f = lk_fn_by_name(p, names[i]);
		if (f >= 0)
			p->fn[f].irq_root = irq;
	}
}

void lk_irq_roots_compute(lk_prog *p)
{
	const rules *r = p->rules;
	if (!r || !r->irq.present)
		return;
	name_roots(p, r->irq.off, r->irq.noff, LK_IRQ_OFF);
	name_roots(p, r->irq.on, r->irq.non, LK_IRQ_ON);
	for (int i = 0; i < r->irq.nasms; i++) {
		int f = lk_fn_by_name(p, r->irq.asms[i].function);
		if (f >= 0)
			p->fn[f].irq_asm = &r->irq.asms[i];
	}
	lk_registrations(p, r->irq.regs, r->irq.nregs, registered, p);
	if (!r->irq.softirq)
		return;
	lk_registrations(p, r->softirq.regs, r->softirq.nregs, registered, p);
	int irq = irq_of_rules(r->irq.softirq);
	for (int i = 0; i < r->softirq.nhandlers; i++) {
		int f = lk_fn_by_name(p, r->softirq.handlers[i]);
		if (f >= 0)
			mark_handler(&p->fn[f], irq);
	}
}
