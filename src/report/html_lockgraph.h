/* The lock-order graph of the HTML report: nodes are lock classes, an edge
 * A -> B says B was acquired while A was held (the `lock_edge` table, with
 * its witness). Edges between classes of one strongly connected component
 * lie on a cycle: both orders happen. The layout is computed here (no
 * library): per weakly connected component, classes in columns by the
 * longest path from the classes taken first (cycles broken at the DFS back
 * edges), each column ordered by the barycentre of its neighbours, the
 * components stacked. */
#ifndef LA_HTML_LOCKGRAPH_H
#define LA_HTML_LOCKGRAPH_H

#include "../util/strset.h"

struct store;
struct cJSON;
struct la_buf;

typedef struct lg_edge {
	int from, to;              /* node indices */
	int count;                 /* acquisitions met with this pair */
	const char *func, *file;   /* the witness */
	int line;
	int cycle;                 /* both ends in one cycle of classes */
} lg_edge;

typedef struct lg_node {
	const char *name;
	int scc;                   /* strongly connected component */
	int cycle;                 /* its component has two classes or more */
	int comp;                  /* weakly connected component */
	int layer, order;          /* column, and place in it */
	double x, y, w;            /* top left corner and width (height LG_NODE_H) */
} lg_node;

typedef struct lockgraph {
	lg_node *nodes;
	int nnodes, capnodes;
	lg_edge *edges;
	int nedges, capedges;
	int ncycles;               /* strongly connected components of two classes or more */
	double width, height;      /* of the drawing, after lockgraph_layout */
	la_strset names;           /* owns the strings */
} lockgraph;

#define LG_NODE_H 22.0

/* Add an edge (its classes become nodes on first sight). */
void lockgraph_add(lockgraph *g, const char *from, const char *to, int count, const char *func, const char *file,
		   int line);
/* Every row of `lock_edge` (none before the first analysis). */
int lockgraph_read(struct store *s, lockgraph *g);
/* Cycles, then positions. */
void lockgraph_layout(lockgraph *g);
/* <svg class="lockgraph">...</svg>, text escaped; every node a
 * <g class="lg-node" data-lock=CLASS> with a <title>, every edge a
 * <g class="lg-e"> whose <title> names its witness. Nothing when the
 * graph has no edge. */
void lockgraph_svg(const lockgraph *g, struct la_buf *out);
/* {"nodes": [names], "edges": [[from, to, count, func, file, line], ...],
 *  "cycles": [[names of one component], ...]} for the page's lists. */
struct cJSON *lockgraph_json(const lockgraph *g);
void lockgraph_free(lockgraph *g);

#endif
