/* Elementary cycles of a directed graph, bounded: the lock-order check
 * reports every cycle of classes, and a dense graph has exponentially many,
 * so the search per strongly connected component stops after a budget and
 * says so instead of running on. */
#ifndef LA_CYCLES_H
#define LA_CYCLES_H

/* The graph: n nodes, the successors of node i are adj[off[i] .. off[i+1]),
 * each list sorted ascending and without repeats (the cycles then come out
 * in a fixed order: by their least node, then by their successors). */
typedef struct la_digraph {
	int n;
	const int *off, *adj;
} la_digraph;

typedef struct la_cycle_cb {
	/* a cycle: nodes[0] is its least node, nodes[i] -> nodes[i+1 mod len] */
	void (*cycle)(void *ctx, const int *nodes, int len);
	/* the search in one component stopped: `nodes` (ascending) are the
	 * component, `found` the cycles reported from it before it stopped */
	void (*truncated)(void *ctx, const int *nodes, int n, long found);
	void *ctx;
} la_cycle_cb;

/* Strongly connected components (Tarjan): comp[v] for each of the n
 * nodes, numbered in the order they close; returns how many. The lists
 * need not be sorted for this. */
int la_scc(const la_digraph *g, int *comp);

/* Every elementary cycle (two or more nodes; self loops are ignored), at
 * most max_cycles and max_steps edge visits per component. Returns how many
 * components were cut short. */
int la_cycles(const la_digraph *g, long max_cycles, long max_steps, const la_cycle_cb *cb);

#endif
