/* double-lock: acquiring a lock already held on this path (directly, through
 * a wrapper, or held by every caller). Recursive locks are exempt. */
#include "check.h"

#include <stdlib.h>

static void double_lock_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			   const lk_lockop *op)
{
	(void)before;
	const lk_held *h = op->before, *l = op->lock;
	if (op->op != PRIM_ACQUIRE || !h || h->maybe || h->inst[0] == '?')
		return;
	/* a loop that locks one object per turn through its iterator
	 * (list_for_each_entry(dev, ...) pci_dev_lock(dev)): one name, many locks */
	if (lk_obj_through_iterator(fn, l->obj))
		return;
	if (h->mode == LOCK_RECURSIVE || l->mode == LOCK_RECURSIVE)
		return;
	char *text = check_lock_text(fn, l);
	const char *how = h->mode == LOCK_SHARED && l->mode == LOCK_SHARED
				  ? " (read-locked twice: deadlocks when a writer waits in between)" : "";
	finding *f = check_report(c, fn, e->loc, h->cls, h->cls, "acquiring %s, which is already held%s", text, how);
	if (f) {
		const char *cls[1] = { h->cls };
		int modes[1] = { LOCK_ANY };
		check_trace_entry(c, f, fn, e, cls, modes, 1, 1, "holding it");
		check_trace_acquired(c, f, h, fn);
		finding_add_step(f, "acquire", f->file, e->loc.line, e->loc.col, f->func, "%s acquired again%s%s%s",
				 text, op->via >= 0 ? " by " : "",
				 op->via >= 0 ? check_fn_name(&check_prog(c)->fn[op->via]) : "", op->via >= 0 ? "()" : "");
	}
	free(text);
}

const la_check check_double_lock = {
	.id = "double-lock",
	.severity = "error",
	.enabled = 1,
	.title = "non-recursive lock acquired while already held",
	.description = "A non-recursive lock acquired while it may already be held: directly, through a wrapper, or "
		"because every caller holds it. The CPU then spins on itself forever.",
	.lock_op = double_lock_op,
};
