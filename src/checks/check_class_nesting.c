/* class-nesting: two instances of one lock class held at once, the second
 * taken while the first is held on this path or by a caller (lockdep's
 * "possible recursive locking"). Two CPUs nesting the same two objects the
 * other way round deadlock, unless one function takes both in an order it
 * defines: the rules' "nesting" entries name those. Classes the rules call
 * "exclusive" are same-class's; the same instance taken again is
 * double-lock's. */
#include "check.h"
#include "nesting.h"

#include <string.h>

/* Not both read locks (readers do not wait for readers), and the held one
 * named: an unnamed one ("?", handed back by a callee, or a caller's lock
 * the callee cannot name) is too often an object nobody locks the other
 * way round (a temporary rangeset, the device being set up) to report. */
static int second_instance(check_ctx *c, const lk_held *h, const lk_held *l, const lk_site *site)
{
	if (h->inst[0] == '?' || (h->mode == LOCK_SHARED && l->mode == LOCK_SHARED))
		return 0;
	/* a caller the rules call an ordered nesting (double_gt_lock() calling
	 * the grant_write_lock() wrapper) */
	return !site || !rules_find_nesting(check_rules(c), l->cls, check_fn_name(&check_prog(c)->fn[site->caller]));
}

static void class_nesting_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			     const lk_lockop *op)
{
	const lk_held *l = op->lock;
	const rules *r = check_rules(c);
	if (op->op != PRIM_ACQUIRE || l->cls[0] == '?' || l->inst[0] == '?' || l->mode == LOCK_RECURSIVE ||
	    (l->kind & LK_KIND_NOWAIT) || (op->before && !op->before->maybe) || rules_is_exclusive(r, l->cls))
		return;
	/* an ordered double-lock helper, where it takes the second or where its
	 * caller calls it */
	if (rules_find_nesting(r, l->cls, check_fn_name(fn)) ||
	    (op->via >= 0 && rules_find_nesting(r, l->cls, check_fn_name(&check_prog(c)->fn[op->via]))))
		return;
	nest_hit hit;
	if (nest_find(c, fn, before, l, second_instance, &hit))
		nest_report(c, fn, e, l, &hit, " in an order the rules do not declare (\"nesting\")");
}

const la_check check_class_nesting = {
	.id = "class-nesting",
	.severity = "warning",
	.enabled = 1,
	.title = "two instances of one lock class held at once, in no declared order",
	.description = "Two instances of one lock class held at once, on this path or by a caller (lockdep's \"possible "
		"recursive locking\"), outside the functions the rules declare ordered (\"nesting\").",
	.between_cpus = 1,
	.lock_op = class_nesting_op,
};
