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
}

const la_check check_same_class = {
	.id = "same-class",
	.severity = "error",
	.enabled = 1,
	.title = "two instances of an \"exclusive\" lock class held at once",
	.lock_op = same_class_op,
};
