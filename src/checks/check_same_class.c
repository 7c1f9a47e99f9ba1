/* same-class: two instances of a class the rules call "exclusive" held at
 * once (two vpci->lock: the modify_bars deadlock), in any order. Other
 * classes are class-nesting's. */
#include "check.h"
#include "nesting.h"

static int any_instance(check_ctx *c, const lk_held *h, const lk_held *l, const lk_site *site)
{
	(void)c;
	(void)h;
	(void)l;
	(void)site;
	return 1;   /* the mode does not matter: the class must never nest */
}

static void same_class_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			  const lk_lockop *op)
{
	nest_hit hit;
	if (op->op == PRIM_ACQUIRE && rules_is_exclusive(check_rules(c), op->lock->cls) &&
	    nest_find(c, fn, before, op->lock, any_instance, &hit))
		nest_report(c, fn, e, op->lock, &hit, "");
}

const la_check check_same_class = {
	.id = "same-class",
	.severity = "error",
	.enabled = 1,
	.title = "two instances of an \"exclusive\" lock class held at once",
	.description = "Two instances of a lock class the rules declare \"exclusive\" held at once (two devices' "
		"vpci->lock): two CPUs taking them in opposite orders deadlock.",
	.lock_op = same_class_op,
};
