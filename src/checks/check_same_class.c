/* same-class: two instances of a class the rules call "exclusive" held at
 * once (two vpci->lock: the modify_bars deadlock). */
#include "check.h"

#include <stdlib.h>
#include <string.h>

static void same_class_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			  const lk_lockop *op)
{
	const lk_held *l = op->lock;
	if (op->op != PRIM_ACQUIRE || !rules_is_exclusive(check_rules(c), l->cls))
		return;
	for (int i = 0; i < before->nheld; i++) {
		const lk_held *h = &before->held[i];
		if (h->maybe || strcmp(h->cls, l->cls) != 0 || h->inst == l->inst)
			continue;
		char *a = check_lock_text(fn, l), *b = check_lock_text(fn, h);
		finding *f = check_report(c, fn, e->loc, l->cls, l->cls,
					  "acquiring %s while %s is held: two %s locks at once", a, b, l->cls);
		if (f) {
			const char *cls[1] = { h->cls };
			int modes[1] = { LOCK_ANY };
			check_trace_entry(c, f, fn, e, cls, modes, 1, 1, "holding one");
			check_trace_acquired(c, f, h, fn);
			finding_add_step(f, "acquire", f->file, e->loc.line, e->loc.col, f->func, "%s acquired", a);
		}
		free(a);
		free(b);
		return;
	}
	/* not held here on every path, but held by some caller: the entry
	 * context (what every caller holds) does not show it, a call site does
	 * (modify_bars called by a register handler that holds its device's
	 * vpci->lock) */
	const lk_prog *p = check_prog(c);
	for (int k = 0; k < fn->nsites; k++) {
		const lk_site *site = &fn->sites[k];
		for (int i = 0; i < site->nheld; i++) {
			const lk_held *h = &site->held[i];
			if (h->maybe || strcmp(h->cls, l->cls) != 0 || h->inst == l->inst)
				continue;
			char *a = check_lock_text(fn, l), *b = check_lock_text(fn, h);
			finding *f = check_report(c, fn, e->loc, l->cls, l->cls,
						  "acquiring %s while %s may be held by the caller %s(): two %s locks at once",
						  a, b, check_fn_name(&p->fn[site->caller]), l->cls);
			if (f) {
				lk_chain ch = { 0 };
				const char *cls[1] = { h->cls };
				int modes[1] = { LOCK_ANY };
				check_context_chain(c, &p->fn[site->caller], site->call, cls, modes, 1, 1, &ch);
				check_trace_chain(c, f, &ch, "holding one");
				lk_chain_free(&ch);
				finding_add_step(f, "call", site->call->loc.file, site->call->loc.line, site->call->loc.col,
						 check_fn_name(&p->fn[site->caller]), "%s() calls %s() holding %s",
						 check_fn_name(&p->fn[site->caller]), check_fn_name(fn), b);
				finding_add_step(f, "acquire", f->file, e->loc.line, e->loc.col, f->func, "%s acquired", a);
			}
			free(a);
			free(b);
			return;
		}
	}
}

const la_check check_same_class = {
	.id = "same-class",
	.severity = "error",
	.enabled = 1,
	.title = "two instances of an \"exclusive\" lock class held at once",
	.lock_op = same_class_op,
};
