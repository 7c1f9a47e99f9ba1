/* Reachability over the analysed call graph: the functions a set of roots
 * may call, through direct calls and function pointers as the analysis
 * resolved them (lk_fn.calls), each with a shortest chain of calls from a
 * root. The forbidden-call check asks it what softirq handlers can reach.
 *
 * A call through a parameter (an iterator calling its callback) goes only
 * to the function passed for that parameter by the call that led there,
 * when the chain says which: pci_segments_iterate(handler, arg) reached
 * from one user calls that user's handler, not every handler ever passed.
 * Such a function is therefore visited once per call that reaches it. */
#ifndef LA_REACH_H
#define LA_REACH_H

#include "analysis.h"
#include "../util/strset.h"

typedef struct lk_reach_node {
	int fn;
	int from;                   /* the node of the caller, -1 for a root */
	const ir_event *call;       /* the call in the caller, NULL for a root */
} lk_reach_node;

typedef struct lk_reach {
	lk_reach_node *nodes;       /* nearest first */
	int n, cap;
	int *first;                 /* per function: its first (nearest) node, -1 */
	la_strset seen;             /* "fn call": functions visited per call */
	signed char *pcalls;        /* per function: calls through a parameter (-1: not known yet) */
} lk_reach;

/* Whether the call event `e` of function fi is followed to function
 * `target`, one of its targets (all are when NULL). */
typedef int (*lk_reach_follow)(const lk_prog *p, int fi, const ir_event *e, int target, void *arg);

/* Breadth first from the roots, so each chain is a shortest one. */
void lk_reach_run(const lk_prog *p, const int *roots, int nroots, lk_reach_follow follow, void *arg,
		  lk_reach *out);
/* The chain from fi's root down to fi, through its first node: steps
 * outermost first, target fi, end LK_CHAIN_ROOT, or LK_CHAIN_NONE when fi
 * was not reached (lk_chain_free it). */
void lk_reach_chain(const lk_reach *r, int fi, lk_chain *out);
/* The root of fi's chain, or -1 when fi was not reached. */
int lk_reach_root(const lk_reach *r, int fi);
void lk_reach_free(lk_reach *r);

#endif
