/* Elementary cycles (cycles.h): Tarjan's components, then in each a
 * backtracking search from each node s over the nodes above s (so each
 * cycle is found once, from its least node), with Johnson's blocking so that
 * a node known not to lead back to s is not walked again until it can. */
#include "cycles.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct tarjan {
	const la_digraph *g;
	int *index, *low, *stack, *onstack, *comp;
	int nstack, next, ncomp;
} tarjan;

static void strongconnect(tarjan *t, int v)
{
	/* recursion depth is bounded by the number of nodes (lock classes:
	 * hundreds at most) */
	t->index[v] = t->low[v] = t->next++;
	t->stack[t->nstack++] = v;
	t->onstack[v] = 1;
	for (int k = t->g->off[v]; k < t->g->off[v + 1]; k++) {
		int w = t->g->adj[k];
		if (t->index[w] < 0) {
			strongconnect(t, w);
			if (t->low[w] < t->low[v])
				t->low[v] = t->low[w];
		} else if (t->onstack[w] && t->index[w] < t->low[v]) {
			t->low[v] = t->index[w];
		}
	}
	if (t->low[v] == t->index[v]) {
		int w;
		do {
			w = t->stack[--t->nstack];
			t->onstack[w] = 0;
			t->comp[w] = t->ncomp;
		} while (w != v);
		t->ncomp++;
	}
}

typedef struct search {
	const la_digraph *g;
	const int *comp;
	int c, s;                 /* component searched, start node */
	int *path, npath;
	char *blocked;
	int **bl;                 /* Johnson's B lists */
	int *nbl, *capbl;
	long cycles, steps, max_cycles, max_steps;
	const la_cycle_cb *cb;
} search;

static int in_play(const search *x, int w)
{
	return x->comp[w] == x->c && w >= x->s;
}

static void unblock(search *x, int u)
{
	x->blocked[u] = 0;
	while (x->nbl[u]) {
		int w = x->bl[u][--x->nbl[u]];
		if (x->blocked[w])
			unblock(x, w);
	}
}

static int over(const search *x)
{
	return x->cycles >= x->max_cycles || x->steps >= x->max_steps;
}

static int circuit(search *x, int v)
{
	int found = 0;
	x->path[x->npath++] = v;
	x->blocked[v] = 1;
	for (int k = x->g->off[v]; k < x->g->off[v + 1] && !over(x); k++) {
		int w = x->g->adj[k];
		x->steps++;
		if (!in_play(x, w))
			continue;
		if (w == x->s) {
			if (x->npath > 1) {
				x->cb->cycle(x->cb->ctx, x->path, x->npath);
				x->cycles++;
			}
			found = 1;
		} else if (!x->blocked[w] && circuit(x, w)) {
			found = 1;
		}
	}
	if (found || over(x)) {
		unblock(x, v);
	} else {
		for (int k = x->g->off[v]; k < x->g->off[v + 1]; k++) {
			int w = x->g->adj[k], dup = 0;
			if (!in_play(x, w))
				continue;
			for (int i = 0; i < x->nbl[w] && !dup; i++)
				dup = x->bl[w][i] == v;
			if (!dup) {
				LA_VEC_PUSH(x->bl[w], x->nbl[w], x->capbl[w]);
				x->bl[w][x->nbl[w]++] = v;
			}
		}
	}
	x->npath--;
	return found;
}

int la_scc(const la_digraph *g, int *comp)
{
	int n = g->n;
	tarjan t = { g, xmalloc(sizeof(int) * (size_t)n), xmalloc(sizeof(int) * (size_t)n),
		     xmalloc(sizeof(int) * (size_t)n), xcalloc((size_t)n, sizeof(int)), comp, 0, 0, 0 };
	for (int i = 0; i < n; i++)
		t.index[i] = -1;
	for (int i = 0; i < n; i++)
		if (t.index[i] < 0)
			strongconnect(&t, i);
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.onstack);
	return t.ncomp;
}

int la_cycles(const la_digraph *g, long max_cycles, long max_steps, const la_cycle_cb *cb)
{
	int n = g->n, cut = 0;
	if (n <= 0)
		return 0;
	int *comp = xmalloc(sizeof(int) * (size_t)n);
	int ncomp = la_scc(g, comp);
	search x = { g, comp, 0, 0, xmalloc(sizeof(int) * (size_t)n), 0, xcalloc((size_t)n, 1),
		     xcalloc((size_t)n, sizeof(int *)), xcalloc((size_t)n, sizeof(int)), xcalloc((size_t)n, sizeof(int)),
		     0, 0, max_cycles, max_steps, cb };
	int *members = xmalloc(sizeof(int) * (size_t)n);
	/* components in the order of their least node */
	char *done = xcalloc((size_t)ncomp, 1);
	for (int first = 0; first < n; first++) {
		x.c = comp[first];
		if (done[x.c])
			continue;
		done[x.c] = 1;
		int m = 0;
		for (int i = first; i < n; i++)
			if (comp[i] == x.c)
				members[m++] = i;
		if (m < 2)
			continue;
		x.cycles = x.steps = 0;
		for (int i = 0; i < m && !over(&x); i++) {
			x.s = members[i];
			for (int j = 0; j < m; j++) {
				x.blocked[members[j]] = 0;
				x.nbl[members[j]] = 0;
			}
			circuit(&x, x.s);
		}
		if (over(&x)) {
			cut++;
			if (cb->truncated)
				cb->truncated(cb->ctx, members, m, x.cycles);
		}
	}
	for (int i = 0; i < n; i++)
		free(x.bl[i]);
	free(x.bl);
	free(x.nbl);
	free(x.capbl);
	free(x.blocked);
	free(x.path);
	free(members);
	free(done);
	free(comp);
	return cut;
}
