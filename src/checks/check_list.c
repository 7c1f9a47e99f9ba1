/* The check catalogue: every check, registered once, in the order --list
 * shows them. */
#include "check.h"

extern const la_check check_guard, check_precondition, check_double_lock, check_same_class, check_class_nesting,
	check_order, check_imbalance, check_irq_safety, check_irq_reenable, check_forbidden_call, check_inferred_guard,
	check_refcount_balance, check_annotation;

const la_check *const la_checks[] = {
	&check_guard,
	&check_precondition,
	&check_double_lock,
	&check_same_class,
	&check_class_nesting,
	&check_order,
	&check_imbalance,
	&check_irq_safety,
	&check_irq_reenable,
	&check_forbidden_call,
	&check_inferred_guard,
	&check_refcount_balance,
	&check_annotation,
};

const int la_nchecks = sizeof(la_checks) / sizeof(la_checks[0]);
