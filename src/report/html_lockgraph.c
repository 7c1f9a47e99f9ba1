#include "html_lockgraph.h"
#include "html_page.h"
#include "json_out.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/cycles.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Drawing units (px); the labels are 11px monospace, about 6.7px a character. */
#define CHAR_W 6.7
#define PAD_X 8.0
#define GAP_X 70.0     /* between columns: room for the edges' curves */
#define ROW 34.0       /* from one node's top to the next one's in a column */
#define MARGIN 16.0
#define COMP_GAP 28.0  /* between components, stacked */
#define SWEEPS 8       /* barycentre passes (each down and up) */

static const char *intern(lockgraph *g, const char *s)
{
	la_strset_add(&g->names, s ? s : "");
	return la_strset_get(&g->names, s ? s : "");
}

static int node_id(lockgraph *g, const char *name)
{
	const char *n = intern(g, name);
	for (int i = g->nnodes - 1; i >= 0; i--)   /* interned: compare pointers */
		if (g->nodes[i].name == n)
			return i;
	LA_VEC_PUSH(g->nodes, g->nnodes, g->capnodes);
	lg_node *v = &g->nodes[g->nnodes];
	memset(v, 0, sizeof(*v));
	v->name = n;
	return g->nnodes++;
}

void lockgraph_add(lockgraph *g, const char *from, const char *to, int count, const char *func, const char *file,
		   int line)
{
	int a = node_id(g, from), b = node_id(g, to);
	LA_VEC_PUSH(g->edges, g->nedges, g->capedges);
	g->edges[g->nedges++] = (lg_edge){ a, b, count, intern(g, func), intern(g, file), line, 0 };
}

int lockgraph_read(store *s, lockgraph *g)
{
	memset(g, 0, sizeof(*g));
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'lock_edge'", -1, &st,
			       NULL) != SQLITE_OK)
		return la_error_code(LA_EDB, "reading the lock-order graph: %s", sqlite3_errmsg(db));
	int have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!have)
		return LA_OK;   /* never analysed: no graph */
	if (sqlite3_prepare_v2(db, "SELECT from_class, to_class, count, func, file, line FROM lock_edge "
			       "ORDER BY from_class, to_class", -1, &st, NULL) != SQLITE_OK)
		return la_error_code(LA_EDB, "reading the lock-order graph: %s", sqlite3_errmsg(db));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		lockgraph_add(g, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
			      sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 3),
			      (const char *)sqlite3_column_text(st, 4), sqlite3_column_int(st, 5));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		lockgraph_free(g);
		return la_error_code(LA_EDB, "reading the lock-order graph: %s", sqlite3_errmsg(db));
	}
	return LA_OK;
}

/* ---- structure: out-edges, cycles, weakly connected components ---- */

typedef struct csr {
	int *off, *edge;   /* the edges leaving node v: edge[off[v] .. off[v+1]) */
} csr;

static void csr_build(const lockgraph *g, csr *c)
{
	c->off = xcalloc((size_t)g->nnodes + 1, sizeof(int));
	c->edge = xmalloc(sizeof(int) * (size_t)(g->nedges + 1));
	for (int e = 0; e < g->nedges; e++)
		c->off[g->edges[e].from + 1]++;
	for (int v = 0; v < g->nnodes; v++)
		c->off[v + 1] += c->off[v];
	int *fill = xmalloc(sizeof(int) * (size_t)(g->nnodes + 1));
	memcpy(fill, c->off, sizeof(int) * (size_t)g->nnodes);
	for (int e = 0; e < g->nedges; e++)
		c->edge[fill[g->edges[e].from]++] = e;
	free(fill);
}

static void mark_cycles(lockgraph *g, const csr *c)
{
	int n = g->nnodes;
	/* the successors of each node, as util/cycles.h reads a graph */
	int *adj = xmalloc(sizeof(int) * (size_t)(g->nedges + 1)), *comp = xmalloc(sizeof(int) * (size_t)n);
	for (int k = 0; k < g->nedges; k++)
		adj[k] = g->edges[c->edge[k]].to;
	la_digraph dg = { n, c->off, adj };
	int nscc = la_scc(&dg, comp);
	for (int v = 0; v < n; v++)
		g->nodes[v].scc = comp[v];
	free(adj);
	free(comp);
	int *size = xcalloc((size_t)nscc, sizeof(int));
	for (int v = 0; v < n; v++)
		size[g->nodes[v].scc]++;
	g->ncycles = 0;
	for (int k = 0; k < nscc; k++)
		g->ncycles += size[k] > 1;
	for (int v = 0; v < n; v++)
		g->nodes[v].cycle = size[g->nodes[v].scc] > 1;
	for (int e = 0; e < g->nedges; e++) {
		lg_edge *ed = &g->edges[e];
		/* in one component, `to` reaches `from` again: the edge is on a cycle */
		ed->cycle = ed->from != ed->to && g->nodes[ed->from].scc == g->nodes[ed->to].scc;
	}
	free(size);
}

static int uf_find(int *parent, int v)
{
	while (parent[v] != v)
		v = parent[v] = parent[parent[v]];
	return v;
}

/* Weakly connected components, numbered by their first node. */
static int components(lockgraph *g)
{
	int n = g->nnodes, ncomp = 0;
	int *parent = xmalloc(sizeof(int) * (size_t)n), *num = xmalloc(sizeof(int) * (size_t)n);
	for (int v = 0; v < n; v++)
		parent[v] = v, num[v] = -1;
	for (int e = 0; e < g->nedges; e++) {
		int a = uf_find(parent, g->edges[e].from), b = uf_find(parent, g->edges[e].to);
		if (a != b)
			parent[a > b ? a : b] = a < b ? a : b;
	}
	for (int v = 0; v < n; v++) {
		int r = uf_find(parent, v);
		if (num[r] < 0)
			num[r] = ncomp++;
		g->nodes[v].comp = num[r];
	}
	free(parent);
	free(num);
	return ncomp;
}

/* ---- layers: longest path over the graph with the DFS back edges turned ---- */

typedef struct dfs {
	const lockgraph *g;
	const csr *c;
	char *state;       /* 0 new, 1 on the path, 2 done */
	char *back;        /* per edge: closes a cycle, drawn backwards */
	int *pre, npre;    /* discovery order: the first order of a column */
} dfs;

static void dfs_visit(dfs *d, int v)
{
	d->state[v] = 1;
	d->pre[v] = d->npre++;
	for (int k = d->c->off[v]; k < d->c->off[v + 1]; k++) {
		int e = d->c->edge[k], w = d->g->edges[e].to;
		if (d->state[w] == 1)
			d->back[e] = 1;
		else if (!d->state[w])
			dfs_visit(d, w);
	}
	d->state[v] = 2;
}

static void assign_layers(lockgraph *g, const char *back)
{
	int n = g->nnodes;
	int *indeg = xcalloc((size_t)n, sizeof(int)), *queue = xmalloc(sizeof(int) * (size_t)n);
	int *off = xcalloc((size_t)n + 1, sizeof(int)), *succ = xmalloc(sizeof(int) * (size_t)(g->nedges + 1));
	/* the acyclic graph: self loops out, back edges reversed */
	for (int e = 0; e < g->nedges; e++) {
		const lg_edge *ed = &g->edges[e];
		if (ed->from != ed->to)
			off[(back[e] ? ed->to : ed->from) + 1]++;
	}
	for (int v = 0; v < n; v++)
		off[v + 1] += off[v];
	int *fill = xmalloc(sizeof(int) * (size_t)(n + 1));
	memcpy(fill, off, sizeof(int) * (size_t)n);
	for (int e = 0; e < g->nedges; e++) {
		const lg_edge *ed = &g->edges[e];
		if (ed->from == ed->to)
			continue;
		int a = back[e] ? ed->to : ed->from, b = back[e] ? ed->from : ed->to;
		succ[fill[a]++] = b;
		indeg[b]++;
	}
	int head = 0, tail = 0;
	for (int v = 0; v < n; v++) {
		g->nodes[v].layer = 0;
		if (!indeg[v])
			queue[tail++] = v;
	}
	while (head < tail) {
		int v = queue[head++];
		for (int k = off[v]; k < off[v + 1]; k++) {
			int w = succ[k];
			if (g->nodes[v].layer + 1 > g->nodes[w].layer)
				g->nodes[w].layer = g->nodes[v].layer + 1;
			if (--indeg[w] == 0)
				queue[tail++] = w;
		}
	}
	free(fill);
	free(indeg);
	free(queue);
	free(off);
	free(succ);
}

/* ---- order in each column, then coordinates ---- */

typedef struct column {
	int *v, n, cap;
} column;

static const lockgraph *sort_graph;   /* qsort has no context argument */
static const double *sort_key;

static int by_key(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	if (sort_key[x] != sort_key[y])
		return sort_key[x] < sort_key[y] ? -1 : 1;
	return sort_graph->nodes[x].order - sort_graph->nodes[y].order;   /* stable */
}

/* Centred place of v in its column: columns of different sizes line up. */
static double centred(const lockgraph *g, const column *cols, int v)
{
	const lg_node *nd = &g->nodes[v];
	return nd->order - (cols[nd->layer].n - 1) / 2.0;
}

/* One sweep over the columns of a component: each node's key is the mean
 * place of its neighbours in the columns before (down) or after (up). */
static void sweep(lockgraph *g, column *cols, int ncols, int down, double *key)
{
	for (int i = 0; i < ncols; i++) {
		int L = down ? i : ncols - 1 - i;
		column *col = &cols[L];
		for (int k = 0; k < col->n; k++) {
			int v = col->v[k];
			double sum = 0;
			int cnt = 0;
			for (int e = 0; e < g->nedges; e++) {
				const lg_edge *ed = &g->edges[e];
				int w = ed->from == v ? ed->to : ed->to == v ? ed->from : -1;
				if (w < 0 || w == v || g->nodes[w].comp != g->nodes[v].comp)
					continue;
				if (down ? g->nodes[w].layer < L : g->nodes[w].layer > L) {
					sum += centred(g, cols, w);
					cnt++;
				}
			}
			key[v] = cnt ? sum / cnt : centred(g, cols, v);
		}
		sort_graph = g;
		sort_key = key;
		qsort(col->v, (size_t)col->n, sizeof(int), by_key);
		for (int k = 0; k < col->n; k++)
			g->nodes[col->v[k]].order = k;
	}
}

/* Lay out component `comp` with its top at `top`; returns its height and
 * sets *width. */
static double layout_component(lockgraph *g, int comp, const int *pre, double top, double *width)
{
	int ncols = 0;
	for (int v = 0; v < g->nnodes; v++)
		if (g->nodes[v].comp == comp && g->nodes[v].layer + 1 > ncols)
			ncols = g->nodes[v].layer + 1;
	column *cols = xcalloc((size_t)ncols, sizeof(column));
	/* first order: discovery order of the DFS (neighbours stay close) */
	int *byPre = xmalloc(sizeof(int) * (size_t)g->nnodes);
	for (int v = 0; v < g->nnodes; v++)
		byPre[pre[v]] = v;
	for (int k = 0; k < g->nnodes; k++) {
		int v = byPre[k];
		if (g->nodes[v].comp != comp)
			continue;
		column *c = &cols[g->nodes[v].layer];
		LA_VEC_PUSH(c->v, c->n, c->cap);
		g->nodes[v].order = c->n;
		c->v[c->n++] = v;
	}
	free(byPre);
	double *key = xmalloc(sizeof(double) * (size_t)g->nnodes);
	for (int s = 0; s < SWEEPS; s++) {
		sweep(g, cols, ncols, 1, key);
		sweep(g, cols, ncols, 0, key);
	}
	free(key);
	int rows = 0;
	for (int L = 0; L < ncols; L++)
		if (cols[L].n > rows)
			rows = cols[L].n;
	double x = MARGIN;
	for (int L = 0; L < ncols; L++) {
		double colw = 0;
		for (int k = 0; k < cols[L].n; k++) {
			lg_node *nd = &g->nodes[cols[L].v[k]];
			nd->w = PAD_X * 2 + CHAR_W * (double)strlen(nd->name);
			if (nd->w > colw)
				colw = nd->w;
		}
		double y0 = top + (rows - cols[L].n) * ROW / 2.0;
		for (int k = 0; k < cols[L].n; k++) {
			lg_node *nd = &g->nodes[cols[L].v[k]];
			nd->x = x;
			nd->y = y0 + k * ROW;
		}
		x += colw + GAP_X;
		free(cols[L].v);
	}
	free(cols);
	*width = x - GAP_X + MARGIN;
	return rows * ROW - (ROW - LG_NODE_H);
}

void lockgraph_layout(lockgraph *g)
{
	g->width = g->height = 0;
	if (!g->nnodes)
		return;
	csr c;
	csr_build(g, &c);
	mark_cycles(g, &c);
	int ncomp = components(g);
	dfs d = { g, &c, xcalloc((size_t)g->nnodes, 1), xcalloc((size_t)g->nedges + 1, 1),
		  xmalloc(sizeof(int) * (size_t)g->nnodes), 0 };
	for (int v = 0; v < g->nnodes; v++)
		if (!d.state[v])
			dfs_visit(&d, v);
	assign_layers(g, d.back);
	/* components by size, largest on top; ties by their first node */
	int *size = xcalloc((size_t)ncomp, sizeof(int)), *order = xmalloc(sizeof(int) * (size_t)ncomp);
	for (int v = 0; v < g->nnodes; v++)
		size[g->nodes[v].comp]++;
	for (int k = 0; k < ncomp; k++)
		order[k] = k;
	for (int i = 1; i < ncomp; i++) {
		int k = order[i], j = i;
		for (; j > 0 && size[order[j - 1]] < size[k]; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	double top = MARGIN;
	for (int i = 0; i < ncomp; i++) {
		double w;
		top += layout_component(g, order[i], d.pre, top, &w) + COMP_GAP;
		if (w > g->width)
			g->width = w;
	}
	g->height = top - COMP_GAP + MARGIN;
	free(size);
	free(order);
	free(d.state);
	free(d.back);
	free(d.pre);
	free(c.off);
	free(c.edge);
}

/* ---- output ---- */

static void edge_path(la_buf *b, const lockgraph *g, const lg_edge *e)
{
	const lg_node *a = &g->nodes[e->from], *z = &g->nodes[e->to];
	double h = LG_NODE_H;
	if (e->from == e->to) {   /* a class taken while another instance of it is held */
		double x = a->x + a->w, y = a->y;
		la_buf_printf(b, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x - 14, y, x - 14, y - 20, x + 16, y - 12, x,
			      y + 6);
	} else if (z->layer > a->layer) {
		double ax = a->x + a->w, ay = a->y + h / 2, zx = z->x, zy = z->y + h / 2, dx = (zx - ax) / 2;
		la_buf_printf(b, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", ax, ay, ax + dx, ay, zx - dx, zy, zx, zy);
	} else {                  /* back to an earlier column: a curve below */
		double ax = a->x, ay = a->y + h / 2, zx = z->x + z->w, zy = z->y + h / 2;
		double sag = 30 + (ax - zx) * 0.08;
		la_buf_printf(b, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", ax, ay, ax - 40, ay + sag, zx + 40, zy + sag, zx,
			      zy);
	}
}

void lockgraph_svg(const lockgraph *g, la_buf *out)
{
	if (!g->nedges)
		return;
	la_buf_printf(out,
		      "<svg class=\"lockgraph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		      "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"lock-order graph\">\n"
		      "<defs><marker id=\"lg-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
		      "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#8a93a5\"/></marker>"
		      "<marker id=\"lg-arrow-cyc\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
		      "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#c62828\"/></marker></defs>\n",
		      g->width, g->height, g->width, g->height);
	la_buf d = LA_BUF_INIT;
	for (int i = 0; i < g->nedges; i++) {
		const lg_edge *e = &g->edges[i];
		const char *from = g->nodes[e->from].name, *to = g->nodes[e->to].name;
		la_buf_clear(&d);
		edge_path(&d, g, e);
		la_buf_printf(out, "<g class=\"lg-e\" data-from=\"");
		html_escape(out, from);
		la_buf_puts(out, "\" data-to=\"");
		html_escape(out, to);
		la_buf_puts(out, "\"><title>");
		html_escape(out, from);
		la_buf_puts(out, " \xe2\x86\x92 ");
		html_escape(out, to);
		la_buf_puts(out, ": ");
		if (e->from == e->to) {
			la_buf_puts(out, "one ");
			html_escape(out, to);
			la_buf_puts(out, " taken while another is held");
		} else {
			html_escape(out, to);
			la_buf_puts(out, " taken while ");
			html_escape(out, from);
			la_buf_puts(out, " is held");
		}
		la_buf_printf(out, ", %d time%s; witness: ", e->count, e->count == 1 ? "" : "s");
		html_escape(out, e->func);
		la_buf_puts(out, "() at ");
		html_escape(out, e->file);
		la_buf_printf(out, ":%d</title><path class=\"lg-edge-hit\" d=\"%s\"/><path class=\"lg-edge%s\" d=\"%s\" "
			      "marker-end=\"url(#lg-arrow%s)\"/></g>\n", e->line, d.ptr, e->cycle ? " cyc" : "", d.ptr,
			      e->cycle ? "-cyc" : "");
	}
	la_buf_free(&d);
	for (int v = 0; v < g->nnodes; v++) {
		const lg_node *nd = &g->nodes[v];
		int out_n = 0, in_n = 0;
		for (int i = 0; i < g->nedges; i++) {
			out_n += g->edges[i].from == v;
			in_n += g->edges[i].to == v;
		}
		la_buf_printf(out, "<g class=\"lg-node%s\" data-lock=\"", nd->cycle ? " cyc" : "");
		html_escape(out, nd->name);
		la_buf_printf(out, "\" transform=\"translate(%.1f %.1f)\"><title>", nd->x, nd->y);
		html_escape(out, nd->name);
		la_buf_printf(out, ": held while taking %d class%s, taken while holding %d%s</title>"
			      "<rect width=\"%.1f\" height=\"%.0f\"/><text x=\"%.0f\" y=\"15\">", out_n,
			      out_n == 1 ? "" : "es", in_n, nd->cycle ? "; on a cycle" : "", nd->w, LG_NODE_H, PAD_X);
		html_escape(out, nd->name);
		la_buf_puts(out, "</text></g>\n");
	}
	la_buf_puts(out, "</svg>\n");
}

cJSON *lockgraph_json(const lockgraph *g)
{
	cJSON *o = cJSON_CreateObject(), *nodes = cJSON_AddArrayToObject(o, "nodes");
	for (int v = 0; v < g->nnodes; v++)
		cJSON_AddItemToArray(nodes, cJSON_CreateString(g->nodes[v].name));
	cJSON *edges = cJSON_AddArrayToObject(o, "edges");
	for (int i = 0; i < g->nedges; i++) {
		const lg_edge *e = &g->edges[i];
		cJSON *a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, cJSON_CreateNumber(e->from));
		cJSON_AddItemToArray(a, cJSON_CreateNumber(e->to));
		cJSON_AddItemToArray(a, cJSON_CreateNumber(e->count));
		cJSON_AddItemToArray(a, cJSON_CreateString(e->func));
		cJSON_AddItemToArray(a, cJSON_CreateString(e->file));
		cJSON_AddItemToArray(a, cJSON_CreateNumber(e->line));
		cJSON_AddItemToArray(edges, a);
	}
	cJSON *cycles = cJSON_AddArrayToObject(o, "cycles");
	/* each component of two classes or more, its classes by name */
	char *done = xcalloc((size_t)g->nnodes + 1, 1);
	for (int v = 0; v < g->nnodes; v++) {
		if (!g->nodes[v].cycle || done[v])
			continue;
		const char **names = xmalloc(sizeof(char *) * (size_t)g->nnodes);
		int n = 0;
		for (int w = v; w < g->nnodes; w++)
			if (g->nodes[w].scc == g->nodes[v].scc) {
				done[w] = 1;
				names[n++] = g->nodes[w].name;
			}
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
				const char *t = names[j];
				names[j] = names[j - 1];
				names[j - 1] = t;
			}
		cJSON *c = cJSON_CreateArray();
		for (int i = 0; i < n; i++)
			cJSON_AddItemToArray(c, cJSON_CreateString(names[i]));
		cJSON_AddItemToArray(cycles, c);
		free(names);
	}
	free(done);
	return o;
}

void lockgraph_free(lockgraph *g)
{
	free(g->nodes);
	free(g->edges);
	la_strset_free(&g->names);
	memset(g, 0, sizeof(*g));
}
