/* Rules lint against the facts (`lockaudit rules-check`, and warnings of
 * `analyze`): every name a rules file uses must resolve in the scanned tree,
 * and no entry may repeat or contradict another. Each problem is reported
 * with the JSON path of the entry. The facts come through rules_lint_facts,
 * so the lint does not depend on the database (tests pass a table). */
#ifndef LA_RULES_LINT_H
#define LA_RULES_LINT_H

#include "rules.h"

typedef struct rules_lint_facts {
	void *ctx;
	/* Is STRUCT.FIELD accessed anywhere (field NULL: any field of STRUCT)? */
	int (*field_exists)(void *ctx, const char *sname, const char *field);
	/* Is a function of that name defined or called directly? *nparams: its
	 * number of parameters, or -1 when unknown (variadic, or only called). */
	int (*function_exists)(void *ctx, const char *name, int *nparams);
	/* Did the analysis see a lock of this class held? -1: no analysis. */
	int (*lock_class_seen)(void *ctx, const char *cls);
} rules_lint_facts;

/* What kind of problem: a name this tree does not have (a typo, or a rule
 * for code another tree has: a rules file covers a whole API), or a
 * mistake whatever the tree (an argument beyond the parameters, a repeat,
 * a contradiction, bad UTF-8). */
typedef enum rules_lint_kind { LINT_UNRESOLVED, LINT_MISTAKE } rules_lint_kind;

/* Called once per problem: its kind, the JSON path ("$.guards[3].field")
 * and what is wrong. */
typedef void (*rules_lint_warn_fn)(void *ctx, rules_lint_kind kind, const char *path, const char *message);

/* Returns the number of problems reported. */
int rules_lint(const rules *r, const rules_lint_facts *facts, rules_lint_warn_fn warn, void *warn_ctx);

/* Is `s` valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF)? */
int rules_lint_utf8_ok(const char *s);

#endif
