/* Two instances of one lock class held at once: the search shared by
 * same-class ("exclusive" classes) and class-nesting (every other class). */
#ifndef LA_NESTING_H
#define LA_NESTING_H

#include "check.h"

typedef struct nest_hit {
	const lk_held *held;     /* the other instance, in fn's terms */
	const lk_site *site;     /* NULL: held on this path; else the call site whose caller holds it */
} nest_hit;

/* Does `h`, held when `l` is acquired (on this path when `site` is NULL,
 * else by the caller at `site`), count as a second instance? */
typedef int (*nest_accept_fn)(check_ctx *c, const lk_held *h, const lk_held *l, const lk_site *site);

/* Another instance of l's class held when fn acquires l: on this path
 * (every merged path), else by the caller at one of fn's call sites (the
 * entry context keeps only what every caller holds). 1 when found. */
int nest_find(check_ctx *c, const lk_fn *fn, const lk_state *before, const lk_held *l, nest_accept_fn accept, nest_hit *out);

/* Report it at e: "acquiring A while B is held: two CLS locks at once%s"
 * (the suffix says more), with the trace: the chain of callers holding
 * one, where it was taken, and the second acquire. */
void nest_report(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_held *l, const nest_hit *hit,
		 const char *suffix);

#endif
