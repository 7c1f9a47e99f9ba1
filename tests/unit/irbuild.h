/* Hand-built programs for the lock analysis tests (DESIGN.md §2: analysis
 * and checks run on IR without SQLite). Functions are written in the IR's
 * text form (docs/ir.md), with ' for " so they read as C string literals:
 *
 *   irb_func(&b, "f", "(params ('l' 'spinlock_t *'))"
 *            " (block 0 (call 0 direct '_spin_lock' '' '' 0:2:5 (param 0 'l')) (term -))");
 *
 * Every function is in file /src/t.c (location file index 0) with USR
 * "c:@F@NAME"; a direct call with an empty USR gets its callee's, and the
 * call count comes from the highest call id. */
#ifndef LA_IRBUILD_H
#define LA_IRBUILD_H

#include "lockgraph/analysis.h"
#include "rules/rules.h"

#define IRB_FILE "/src/t.c"

typedef struct irb {
	lk_prog_input in;
	rules *r;
	lk_prog *p;
} irb;

/* Start a program analysed under the rules in `rules_json`. */
void irb_init(irb *b, const char *rules_json);
/* Add function `name`: `body` is its text form after the header (params,
 * then blocks). */
void irb_func(irb *b, const char *name, const char *body);
/* Function `fn` flows into the function-pointer slot `slot` (what an
 * indirect call with that key may call). */
void irb_flow(irb *b, const char *slot, const char *fn);
/* lk_prog_build on what was added (the test fails on an error). */
lk_prog *irb_build(irb *b);
/* A function of the built program by name (the test fails without it). */
lk_fn *irb_fn(irb *b, const char *name);
void irb_free(irb *b);

#endif
