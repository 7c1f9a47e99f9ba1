/* The intraprocedural engine: a forward worklist over one function's CFG.
 * It walks blocks and edges and merges states; what an event or an edge
 * does to a state is the caller's business (transfer.c, branch.c, ...).
 * Each block keeps up to LK_FLOW_STATES states, one per combination of branch facts, so
 * `if (x) lock(); ... if (x) unlock();` stays exact; past that they are
 * joined into one (locks held on some paths only become "maybe"). */
#ifndef LA_FLOW_H
#define LA_FLOW_H

#include "lockset.h"

#define LK_FLOW_STATES 4

typedef struct lk_flow_ops {
	/* The state after event e; NULL ends the path (a noreturn call). */
	lk_state *(*event)(void *ctx, la_arena *a, int block, int idx, const ir_event *e, lk_state *s);
	/* The state along successor k of b; NULL when the edge cannot be taken. */
	lk_state *(*edge)(void *ctx, la_arena *a, const ir_block *b, int k, lk_state *s);
	/* Final pass only: the states just before event e (all paths; none
	 * when no path reaches it). */
	void (*observe)(void *ctx, int block, int idx, const ir_event *e, lk_state *const *states, int n);
	/* Final pass only: a path leaves the function; ret is its return event or NULL. */
	void (*exit)(void *ctx, const lk_state *s, const ir_event *ret);
} lk_flow_ops;

typedef struct lk_flow_stats {
	int iterations;     /* block visits */
	int collapsed;      /* blocks whose states had to be joined */
	int gave_up;        /* hit the iteration cap: results are the last ones */
} lk_flow_stats;

void lk_flow_run(const ir_func *f, lk_state *entry, const lk_flow_ops *ops, void *ctx, la_arena *a,
		 lk_flow_stats *stats);

#endif
