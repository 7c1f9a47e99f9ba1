/* order: lock classes taken in an order the rules forbid ("order": earlier
 * classes first), or in a cycle of any length somewhere in the program (A
 * under B, B under C, C under A: one finding per cycle, with the witness of
 * every edge), unless the rules call one of its edges guarded
 * ("guarded_order"). Every edge goes to the lock_edge table. */
#include "check.h"
#include "../util/buf.h"
#include "../util/cycles.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds of the cycle search per strongly connected component of the
 * graph: a component cut short is reported, never dropped in silence. */
enum { MAX_CYCLES = 200, MAX_STEPS = 200000 };

/* Callers looked at for locks that some callers hold (not all, so not in
 * the entry context): up to UP_DEPTH calls up, UP_FUNCS functions per
 * acquire. One call up: on Xen staging two gave 61 cycles (374 edges, most
 * through printk's console_lock and callers that hold a lock on a path
 * that never reaches the acquire), three one component of 50 classes. */
enum { UP_DEPTH = 1, UP_FUNCS = 64 };

/* One call of a chain: `caller` calls the function below it at `call`
 * (kept by value: fn->sites may move while the analysis runs). */
typedef struct upstep {
	int caller;
	const ir_event *call;
} upstep;

typedef struct edge {
	const char *from, *to;     /* classes (interned by the analysis) */
	int fn;                    /* first witness: function index ... */
	ir_loc at;                 /* ... the acquire of `to` ... */
	lk_held held;              /* ... with `from` held on this path (nup = 0) ... */
	upstep up[UP_DEPTH];       /* ... or by up[nup-1].caller at its call, where
	                            * up[i].caller calls up[i-1].caller (up[0]: fn) */
	int nup;
	int count;
	int multi;                 /* places with more than one CPU online; the
	                            * witness is one of them when there is one */
	/* at every place, the thread (threads.c) on whose own object `from`
	 * is held / `to` is taken, else -1 */
	int thread_from, thread_to;
} edge;

typedef struct order_state {
	la_strset keys;            /* "from\tto", index = position in e */
	edge *e;
	int n, cap;
	la_strset seen_sites;      /* acquires whose callers' locks were looked at */
} order_state;

static order_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(order_state));
}

/* Is (multi, nup, at) a better witness than w's? One from code that runs
 * with other CPUs up if there is one, then the one with `from` held
 * closest (on the path itself best), then the first in file order. */
static int better_witness(const edge *w, int multi, int nup, ir_loc at)
{
	if (!w->count || multi != (w->multi > 0))
		return !w->count || multi;
	if (nup != w->nup)
		return nup < w->nup;
	return check_loc_before(at, w->at);
}

static void add_edge(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_held *h, const lk_held *l,
		     const upstep *up, int nup, int multi)
{
	order_state *st = get_state(c);
	la_buf key = LA_BUF_INIT;
	la_buf_printf(&key, "%s\t%s", h->cls, l->cls);
	if (la_strset_add(&st->keys, key.ptr)) {
		LA_VEC_PUSH(st->e, st->n, st->cap);
		memset(&st->e[st->n++], 0, sizeof(edge));
	}
	edge *w = &st->e[la_strset_index(&st->keys, key.ptr)];
	la_buf_free(&key);
	int tf = lk_serial_thread_of(fn, h->obj), tt = lk_serial_thread_of(fn, l->obj);
	if (!w->count) {
		w->thread_from = tf;
		w->thread_to = tt;
	}
	if (w->thread_from != tf)
		w->thread_from = -1;
	if (w->thread_to != tt)
		w->thread_to = -1;
	if (better_witness(w, multi, nup, e->loc)) {
		int count = w->count, m = w->multi, wtf = w->thread_from, wtt = w->thread_to;
		*w = (edge){ .from = h->cls, .to = l->cls, .fn = (int)(fn - check_prog(c)->fn), .at = e->loc,
			     .held = *h, .nup = nup, .count = count, .multi = m, .thread_from = wtf,
			     .thread_to = wtt };
		if (nup)
			memcpy(w->up, up, sizeof(upstep) * (size_t)nup);
		w->held.obj = NULL;   /* it lives in the function's scratch arena */
	}
	w->count++;
	w->multi += multi;
}

static int orders(const lk_held *h, const lk_held *l)
{
	return !h->maybe && h->cls != l->cls && h->cls[0] != '?';
}

/* A wrapper (pcidevs_lock()): its callers see its acquire as theirs, and
 * their edges are recorded there. */
static int acquires_for_callers(const lk_fn *fn)
{
	for (int i = 0; i < fn->sum.neff; i++)
		if (fn->sum.eff[i].op == PRIM_ACQUIRE)
			return 1;
	return 0;
}

/* Locks that callers hold when fn acquires l, up to UP_DEPTH calls up:
 * each class gives one edge per acquire, from the closest caller holding
 * it. A caller is assumed to keep what its own callers hold until it calls
 * on (releasing a lock it did not take is rare, and `imbalance`'s). */
static void caller_edges(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			 const lk_held *l, int multi)
{
	const lk_prog *p = check_prog(c);
	struct node {
		int fn, parent, depth;
		upstep step;       /* how fn of this node calls the parent's */
		int multi;
	} q[UP_FUNCS];
	const char *done[64];
	int nq = 0, ndone = 0;
	q[nq++] = (struct node){ (int)(fn - p->fn), -1, 0, { -1, NULL }, multi };
	for (int head = 0; head < nq; head++) {
		const lk_fn *g = &p->fn[q[head].fn];
		if (q[head].depth >= UP_DEPTH)
			continue;
		for (int k = 0; k < g->nsites; k++) {
			const lk_site *site = &g->sites[k];
			/* recorded while the caller's entry was still unknown (SCC rounds) */
			if (site->top)
				continue;
			int m = q[head].multi && !lk_single_cpu_at(p, &p->fn[site->caller], site->call);
			upstep up[UP_DEPTH];
			int nup = q[head].depth + 1;
			up[nup - 1] = (upstep){ site->caller, site->call };
			for (int x = head, i = nup - 2; x > 0; x = q[x].parent, i--)
				up[i] = q[x].step;
			for (int i = 0; i < site->nheld; i++) {
				const lk_held *h = &site->held[i];
				int seen = 0;
				for (int j = 0; j < ndone && !seen; j++)
					seen = done[j] == h->cls;
				if (seen || !orders(h, l) || check_holds(before, h->cls, LOCK_ANY) == 1)
					continue;
				if (ndone < (int)(sizeof(done) / sizeof(done[0])))
					done[ndone++] = h->cls;
				add_edge(c, fn, e, h, l, up, nup, m);
			}
			int visited = 0;
			for (int x = 0; x < nq && !visited; x++)
				visited = q[x].fn == site->caller;
			if (!visited && nq < UP_FUNCS)
				q[nq++] = (struct node){ site->caller, head, q[head].depth + 1, up[nup - 1], m };
		}
	}
}

static void order_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before, const lk_lockop *op)
{
	const lk_held *l = op->lock;
	/* taking again a (recursive) lock already held orders nothing: it was
	 * taken before the locks acquired since; nor does taking one that never
	 * waits (an RCU read-side section) */
	if (op->op != PRIM_ACQUIRE || l->cls[0] == '?' || (op->before && !op->before->maybe) ||
	    (l->kind & LK_KIND_NOWAIT))
		return;
	int multi = !lk_single_cpu_at(check_prog(c), fn, e);
	for (int i = 0; i < before->nheld; i++)
		if (orders(&before->held[i], l))
			add_edge(c, fn, e, &before->held[i], l, NULL, 0, multi);
	/* once per acquire, not once per path */
	order_state *st = get_state(c);
	char key[64];
	snprintf(key, sizeof(key), "%p", (const void *)e);
	if (fn->nsites && !acquires_for_callers(fn) && la_strset_add(&st->seen_sites, key))
		caller_edges(c, fn, e, before, l, multi);
}

static void add_witness(check_ctx *c, finding *f, const edge *w)
{
	const lk_fn *fn = &check_prog(c)->fn[w->fn];
	if (w->nup) {
		const lk_prog *p = check_prog(c);
		const upstep *top = &w->up[w->nup - 1];
		lk_site site = { .caller = top->caller, .call = top->call };
		const lk_fn *below = w->nup > 1 ? &p->fn[w->up[w->nup - 2].caller] : fn;
		check_trace_site(c, f, below, &site, w->from, w->from, "holding it");
		for (int i = w->nup - 2; i >= 0; i--) {
			const char *caller = check_fn_name(&p->fn[w->up[i].caller]);
			const char *callee = check_fn_name(i ? &p->fn[w->up[i - 1].caller] : fn);
			finding_add_step(f, "call", w->up[i].call->loc.file, w->up[i].call->loc.line,
					 w->up[i].call->loc.col, caller, "%s() calls %s()", caller, callee);
		}
	} else {
		const char *cls[1] = { w->from };
		int modes[1] = { LOCK_ANY };
		check_trace_entry(c, f, fn, NULL, cls, modes, 1, 1, "holding it");
		check_trace_acquired(c, f, &w->held, fn);
	}
	finding_add_step(f, "acquire", w->at.file, w->at.line, w->at.col, check_fn_name(fn),
			 "%s acquired while %s is held (%d place%s)", w->to, w->from, w->count, w->count == 1 ? "" : "s");
}

/* Against the rules' order: 1 (reported), 0 in it, -1 not both in one chain. */
static int check_declared(check_ctx *c, const edge *w)
{
	const rules *r = check_rules(c);
	int cf, pf, ct, pt;
	if (!rules_order_of(r, w->from, &cf, &pf) || !rules_order_of(r, w->to, &ct, &pt) || cf != ct)
		return -1;
	if (pt > pf)
		return 0;
	char subject[512];
	snprintf(subject, sizeof(subject), "%s -> %s", w->from, w->to);
	finding *f = check_report(c, &check_prog(c)->fn[w->fn], w->at, subject, w->to,
				  "%s acquired while %s is held: the rules order %s before %s", w->to, w->from, w->to,
				  w->from);
	if (f)
		add_witness(c, f, w);
	return 1;
}

/* The graph the cycles are searched in: nodes are classes sorted by name,
 * each edge knows the order_state edge it stands for. */
typedef struct graph {
	check_ctx *c;
	order_state *st;
	const char **names;        /* sorted */
	int n;
	int *off, *adj, *eix;      /* eix[k]: st->e index of adj[k] */
} graph;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int node_of(const graph *g, const char *cls)
{
	const char **p = bsearch(&cls, g->names, (size_t)g->n, sizeof(*g->names), cmp_str);
	return p ? (int)(p - g->names) : -1;
}

static const edge *edge_between(const graph *g, int a, int b)
{
	for (int k = g->off[a]; k < g->off[a + 1]; k++)
		if (g->adj[k] == b)
			return &g->st->e[g->eix[k]];
	return NULL;
}

/* Does the cycle pass through a class that only one thread per object
 * takes and holds on it? Every place that takes the class on the way in
 * and every place that holds it on the way out does so on its own object
 * of one thread (threads.c): two threads waiting for each other there
 * would wait on two objects' locks, and one object's lock is one thread's. */
static int closed_by_one_thread(const graph *g, const int *nodes, int len)
{
	for (int i = 0; i < len; i++) {
		const edge *in = edge_between(g, nodes[(i + len - 1) % len], nodes[i]);
		const edge *out = edge_between(g, nodes[i], nodes[(i + 1) % len]);
		if (in && out && in->thread_to >= 0 && in->thread_to == out->thread_from)
			return 1;
	}
	return 0;
}

static void report_cycle(void *ctx, const int *nodes, int len)
{
	const graph *g = ctx;
	check_ctx *c = g->c;
	const lk_prog *p = check_prog(c);
	if (closed_by_one_thread(g, nodes, len))
		return;
	/* reported at the edge out of the least class */
	const edge *first = edge_between(g, nodes[0], nodes[1]);
	la_buf subject = LA_BUF_INIT, path = LA_BUF_INIT;
	la_buf_printf(&subject, "%s", g->names[nodes[0]]);
	for (int i = 1; i < len; i++)
		la_buf_printf(&subject, " -> %s", g->names[nodes[i]]);
	la_buf_printf(&path, "%s -> %s", subject.ptr, g->names[nodes[0]]);
	finding *f;
	if (len == 2) {
		const edge *back = edge_between(g, nodes[1], nodes[0]);
		f = check_report(c, &p->fn[first->fn], first->at, subject.ptr, first->from,
				 "lock order cycle: %s acquired while %s is held here, and the reverse in %s()", first->to,
				 first->from, check_fn_name(&p->fn[back->fn]));
	} else {
		f = check_report(c, &p->fn[first->fn], first->at, subject.ptr, first->from,
				 "lock order cycle of %d classes: %s; %s acquired while %s is held here", len, path.ptr,
				 first->to, first->from);
	}
	for (int i = 0; f && i < len; i++)
		add_witness(c, f, edge_between(g, nodes[i], nodes[(i + 1) % len]));
	la_buf_free(&subject);
	la_buf_free(&path);
}

static void report_truncated(void *ctx, const int *nodes, int n, long found)
{
	const graph *g = ctx;
	check_ctx *c = g->c;
	const lk_prog *p = check_prog(c);
	const edge *first = NULL;
	for (int k = g->off[nodes[0]]; k < g->off[nodes[0] + 1] && !first; k++)
		first = &g->st->e[g->eix[k]];
	la_buf subject = LA_BUF_INIT;
	for (int i = 0; i < n; i++)
		la_buf_printf(&subject, "%s%s", i ? ", " : "", g->names[nodes[i]]);
	check_report(c, &p->fn[first->fn], first->at, subject.ptr, first->from,
		     "lock order: %d classes take each other in cycles (%s); the search stopped after %ld cycles and "
		     "%d steps, so some cycles among them are not reported",
		     n, subject.ptr, found, MAX_STEPS);
	la_buf_free(&subject);
}

/* Can edge w close a cycle? Taken with other CPUs up, not against the
 * rules' order (reported as such), not guarded by the rules. */
static int in_graph(check_ctx *c, const edge *w, int declared)
{
	return w->multi && declared <= 0 && !rules_find_guarded_edge(check_rules(c), w->from, w->to);
}

static void find_cycles(check_ctx *c, order_state *st, const char *use)
{
	graph g = { c, st, xmalloc(sizeof(char *) * (size_t)(2 * st->n + 1)), 0, NULL, NULL, NULL };
	for (int i = 0; i < st->n; i++)
		if (use[i]) {
			g.names[g.n++] = st->e[i].from;
			g.names[g.n++] = st->e[i].to;
		}
	qsort(g.names, (size_t)g.n, sizeof(*g.names), cmp_str);
	int m = 0;
	for (int i = 0; i < g.n; i++)
		if (!m || strcmp(g.names[m - 1], g.names[i]) != 0)
			g.names[m++] = g.names[i];
	g.n = m;
	/* adjacency sorted by target: counting sort by source, then by target */
	g.off = xcalloc((size_t)g.n + 1, sizeof(int));
	g.adj = xmalloc(sizeof(int) * (size_t)st->n + 1);
	g.eix = xmalloc(sizeof(int) * (size_t)st->n + 1);
	for (int i = 0; i < st->n; i++)
		if (use[i])
			g.off[node_of(&g, st->e[i].from) + 1]++;
	for (int i = 0; i < g.n; i++)
		g.off[i + 1] += g.off[i];
	int *fill = xcalloc((size_t)g.n + 1, sizeof(int));
	for (int i = 0; i < st->n; i++)
		if (use[i]) {
			int a = node_of(&g, st->e[i].from), b = node_of(&g, st->e[i].to), k = g.off[a] + fill[a]++;
			/* insertion keeps each list sorted (lists are short) */
			while (k > g.off[a] && g.adj[k - 1] > b) {
				g.adj[k] = g.adj[k - 1];
				g.eix[k] = g.eix[k - 1];
				k--;
			}
			g.adj[k] = b;
			g.eix[k] = i;
		}
	la_digraph dg = { g.n, g.off, g.adj };
	la_cycle_cb cb = { report_cycle, report_truncated, &g };
	la_cycles(&dg, MAX_CYCLES, MAX_STEPS, &cb);
	free(fill);
	free(g.names);
	free(g.off);
	free(g.adj);
	free(g.eix);
}

static void order_finish(check_ctx *c)
{
	order_state *st = get_state(c);
	lk_prog *p = check_prog(c);
	char *use = xcalloc((size_t)st->n + 1, 1);
	for (int i = 0; i < st->n; i++) {
		const edge *w = &st->e[i];
		check_record_edge(c, w->from, w->to, &p->fn[w->fn], w->at, w->count);
		if (!w->multi)
			continue;   /* taken with one CPU online only: no other CPU can wait the other way */
		use[i] = in_graph(c, w, check_declared(c, w));
	}
	find_cycles(c, st, use);
	free(use);
}

static void order_free(void *vst)
{
	order_state *st = vst;
	la_strset_free(&st->keys);
	la_strset_free(&st->seen_sites);
	free(st->e);
	free(st);
}

const la_check check_order = {
	.id = "order",
	.severity = "warning",
	.enabled = 1,
	.title = "locks taken against the rules' order, or in a cycle of any length",
	.description = "A lock class taken while a class that the rules' \"order\" puts after it is held, or lock "
		"classes taken in a cycle of any length: two CPUs following the two orders deadlock.",
	.between_cpus = 1,
	.lock_op = order_op,
	.finish = order_finish,
	.free_state = order_free,
};
