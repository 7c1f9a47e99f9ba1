/* The assertion macros lockaudit knows: which ones `scan` records when the
 * rules name none, and how the analysis reads each one's argument. One
 * table for both, so that a macro added for the one is known to the other.
 * Plain strings and ints: the frontend and the lockgraph both use it. */
#ifndef LA_ASSERT_MACROS_H
#define LA_ASSERT_MACROS_H

typedef struct rules_assert_meaning {
	const char *macro;
	int negated;        /* BUG_ON(x): x must be false */
	int lock_arg;       /* lockdep_assert_held(l): the argument is the lock */
	int mode;           /* LOCK_* of a lock argument */
	int annotation;     /* __must_hold(l): an annotation of the function, not a
	                     * statement: its lock is a precondition of the callers */
} rules_assert_meaning;

/* The built-in macro names, in the table's order (the scan's fingerprint
 * salt lists them in this order). */
extern const char *const rules_default_assert_macros[];
extern const int rules_ndefault_assert_macros;

/* How `macro`'s argument reads, or NULL for a macro of no known meaning. */
const rules_assert_meaning *rules_assert_meaning_of(const char *macro);

#endif
