/* The built-in assertion macros and their meanings (assert_macros.h). */
#include "assert_macros.h"
#include "rules.h"

#include <string.h>

/* name, negated, lock argument, mode */
#define ASSERT_MACROS(X)                                        \
	X("ASSERT", 0, 0, 0)                                    \
	X("BUG_ON", 1, 0, 0)                                    \
	X("WARN_ON", 1, 0, 0)                                   \
	X("WARN_ON_ONCE", 1, 0, 0)                              \
	X("lockdep_assert_held", 0, 1, LOCK_ANY)                \
	X("lockdep_assert_held_write", 0, 1, LOCK_EXCLUSIVE)    \
	X("lockdep_assert_held_read", 0, 1, LOCK_SHARED)        \
	X("assert", 0, 0, 0)

/* Annotations of a function that the frontend turns into an assertion at
 * its entry (ir.h: IR_ANNOT_MUST_HOLD): the same reading, and a contract
 * for the callers. Not in the scan's list: they are read whatever the
 * rules' "assert_macros" say, and never from inside a body. */
#define ANNOTATION_MACROS(X)                                    \
	X("__must_hold", 0, 1, LOCK_ANY)

#define AS_MEANING(name, neg, lock, mode) { name, neg, lock, mode, 0 },
#define AS_ANNOTATION(name, neg, lock, mode) { name, neg, lock, mode, 1 },
#define AS_NAME(name, neg, lock, mode) name,

static const rules_assert_meaning meanings[] = { ASSERT_MACROS(AS_MEANING) ANNOTATION_MACROS(AS_ANNOTATION) };

const char *const rules_default_assert_macros[] = { ASSERT_MACROS(AS_NAME) };
const int rules_ndefault_assert_macros =
	(int)(sizeof(rules_default_assert_macros) / sizeof(rules_default_assert_macros[0]));

const rules_assert_meaning *rules_assert_meaning_of(const char *macro)
{
	for (size_t i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (strcmp(meanings[i].macro, macro) == 0)
			return &meanings[i];
	return NULL;
}
