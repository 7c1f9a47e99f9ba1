/* The whole-program driver: build the program from its functions' IR,
 * resolve each call to a primitive or to the defined functions it may reach
 * (function pointers through the flows), order the call graph by SCCs,
 * compute summaries callees first, then entry contexts callers first,
 * recording the locks held at every event in the last pass. Reading the
 * store is load.c's: this file works on memory only, so tests can hand it
 * IR they built. */
#include "analysis.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* --- function-pointer flows, indexed by slot --- */

typedef struct flow_src {
	int is_func;
	const char *src;
} flow_src;

typedef struct flows {
	la_strset dsts;           /* index -> srcs[index] */
	flow_src **srcs;
	int *nsrcs, *capsrcs;
	size_t cap;
	la_strset memo_keys;      /* resolved keys -> memo[index] */
	int **memo;
	int *nmemo;
	size_t capmemo;
} flows;

/* `src` must outlive the index (it lives in the program's arena). */
static void flows_add(flows *fl, const char *dst, int is_func, const char *src)
{
	la_strset_add(&fl->dsts, dst);
	long i = la_strset_index(&fl->dsts, dst);
	if ((size_t)i >= fl->cap) {
		size_t ncap = fl->cap ? fl->cap * 2 : 256;
		while (ncap <= (size_t)i)
			ncap *= 2;
		fl->srcs = xrealloc(fl->srcs, sizeof(*fl->srcs) * ncap);
		fl->nsrcs = xrealloc(fl->nsrcs, sizeof(int) * ncap);
		fl->capsrcs = xrealloc(fl->capsrcs, sizeof(int) * ncap);
		for (size_t j = fl->cap; j < ncap; j++) {
			fl->srcs[j] = NULL;
			fl->nsrcs[j] = fl->capsrcs[j] = 0;
		}
		fl->cap = ncap;
	}
	LA_VEC_PUSH(fl->srcs[i], fl->nsrcs[i], fl->capsrcs[i]);
	fl->srcs[i][fl->nsrcs[i]++] = (flow_src){ is_func, src };
}

/* Function indices reachable through a slot (memoised). */
static void flows_targets(lk_prog *p, flows *fl, const char *key, int **out, int *n)
{
	long m = la_strset_index(&fl->memo_keys, key);
	if (m >= 0) {
		*out = fl->memo[m];
		*n = fl->nmemo[m];
		return;
	}
	la_strset seen = LA_STRSET_INIT;
	int *res = NULL, nres = 0, capres = 0;
	la_strset_add(&seen, key);
	for (size_t k = 0; k < seen.n; k++) {
		long i = la_strset_index(&fl->dsts, seen.items[k]);
		if (i < 0)
			continue;
		for (int j = 0; j < fl->nsrcs[i]; j++) {
			const flow_src *f = &fl->srcs[i][j];
			if (!f->is_func) {
				la_strset_add(&seen, f->src);
				continue;
			}
			long fi = la_strset_index(&p->usrs, f->src);
			int dup = 0;
			for (int x = 0; x < nres && !dup; x++)
				dup = res[x] == fi;
			if (fi >= 0 && !dup) {
				LA_VEC_PUSH(res, nres, capres);
				res[nres++] = (int)fi;
			}
		}
	}
	la_strset_free(&seen);
	la_strset_add(&fl->memo_keys, key);
	m = la_strset_index(&fl->memo_keys, key);
	if ((size_t)m >= fl->capmemo) {
		size_t ncap = fl->capmemo ? fl->capmemo * 2 : 256;
		fl->memo = xrealloc(fl->memo, sizeof(int *) * ncap);
		fl->nmemo = xrealloc(fl->nmemo, sizeof(int) * ncap);
		fl->capmemo = ncap;
	}
	fl->memo[m] = la_arena_alloc(&p->arena, sizeof(int) * (size_t)(nres + 1));
	if (nres)
		memcpy(fl->memo[m], res, sizeof(int) * (size_t)nres);
	fl->nmemo[m] = nres;
	free(res);
	*out = fl->memo[m];
	*n = nres;
}

static void flows_free(flows *fl)
{
	for (size_t i = 0; i < fl->cap; i++)
		free(fl->srcs[i]);
	free(fl->srcs);
	free(fl->nsrcs);
	free(fl->capsrcs);
	free(fl->memo);
	free(fl->nmemo);
	la_strset_free(&fl->dsts);
	la_strset_free(&fl->memo_keys);
}

/* --- loading --- */

static void resolve_calls(lk_prog *p, flows *fl, int fi)
{
	lk_fn *fn = &p->fn[fi];
	ir_func *f = fn->ir;
	fn->calls = la_arena_alloc(&p->arena, sizeof(lk_call) * (size_t)(f->ncalls + 1));
	for (int b = 0; b < f->nblocks; b++)
		for (int i = 0; i < f->blocks[b]->nev; i++) {
			const ir_event *e = &f->blocks[b]->ev[i];
			if (e->kind != IR_EV_CALL || e->u.call.id < 0 || e->u.call.id >= f->ncalls)
				continue;
			lk_call *c = &fn->calls[e->u.call.id];
			if (e->u.call.how == IR_CALL_DIRECT) {
				c->prim = e->u.call.name ? rules_find_primitive(p->rules, e->u.call.name) : NULL;
				long t = e->u.call.usr ? la_strset_index(&p->usrs, e->u.call.usr) : -1;
				if (!c->prim && t >= 0) {
					c->targets = la_arena_alloc(&p->arena, sizeof(int));
					c->targets[0] = (int)t;
					c->ntargets = 1;
					p->stats.calls_resolved++;
				}
			} else {
				p->stats.calls_indirect++;
				if (e->u.call.fnkey)
					flows_targets(p, fl, e->u.call.fnkey, &c->targets, &c->ntargets);
				p->stats.targets_indirect += c->ntargets > 0;
			}
		}
}

/* Functions passed as arguments (callbacks) and where; and whether their
 * address also goes anywhere else than into a parameter. */
static void find_callbacks(lk_prog *p, flows *fl)
{
	for (size_t d = 0; d < fl->dsts.n; d++) {
		if (strncmp(fl->dsts.items[d], "param:", 6) == 0)
			continue;
		long i = la_strset_index(&fl->dsts, fl->dsts.items[d]);
		for (int j = 0; j < fl->nsrcs[i]; j++) {
			long t = fl->srcs[i][j].is_func ? la_strset_index(&p->usrs, fl->srcs[i][j].src) : -1;
			if (t >= 0)
				p->fn[t].stored = 1;
		}
	}
	for (int i = 0; i < p->nfn; i++) {
		const ir_func *f = p->fn[i].ir;
		for (int b = 0; b < f->nblocks; b++)
			for (int k = 0; k < f->blocks[b]->nev; k++) {
				const ir_event *e = &f->blocks[b]->ev[k];
				if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT)
					continue;
				for (int a = 0; a < e->u.call.nargs; a++) {
					const ir_expr *x = e->u.call.args[a];
					long t = x && x->kind == IR_E_FUNC && x->sname ? la_strset_index(&p->usrs, x->sname) : -1;
					if (t < 0)
						continue;
					lk_fn *cb = &p->fn[t];
					LA_VEC_PUSH(cb->regs, cb->nregs, cb->capregs);
					cb->regs[cb->nregs++] = (lk_reg){ i, e };
				}
			}
	}
}

/* --- the input --- */

void lk_prog_input_add_func(lk_prog_input *in, int64_t id, const char *usr, const char *name, ir_func *ir)
{
	LA_VEC_PUSH(in->funcs, in->nfuncs, in->capfuncs);
	in->funcs[in->nfuncs++] = (lk_prog_func){ id, la_arena_strdup(&in->arena, usr),
						  la_arena_strdup(&in->arena, name), ir };
}

void lk_prog_input_add_flow(lk_prog_input *in, const char *dst, int is_func, const char *src)
{
	LA_VEC_PUSH(in->flows, in->nflows, in->capflows);
	in->flows[in->nflows++] = (lk_prog_flow){ la_arena_strdup(&in->arena, dst), is_func,
						  la_arena_strdup(&in->arena, src) };
}

void lk_prog_input_free(lk_prog_input *in)
{
	for (int i = 0; i < in->nfuncs; i++)
		ir_func_free(in->funcs[i].ir);
	free(in->funcs);
	free(in->flows);
	la_arena_free(&in->arena);
	memset(in, 0, sizeof(*in));
}

int lk_prog_build(lk_prog_input *in, const rules *r, lk_prog **out)
{
	*out = NULL;
	for (int i = 0; i < in->nfuncs; i++)
		if (!in->funcs[i].usr || !in->funcs[i].name || !in->funcs[i].ir) {
			int err = la_error_code(LA_EINVAL, "function %d of the program has no USR, name or IR", i);
			lk_prog_input_free(in);
			return err;
		}
	lk_prog *p = xcalloc(1, sizeof(*p));
	p->rules = r;
	p->in = lk_interner_new();
	/* the IR and the strings stay where they are: the arena moves over */
	p->arena = in->arena;
	memset(&in->arena, 0, sizeof(in->arena));
	p->fn = xcalloc((size_t)in->nfuncs + 1, sizeof(*p->fn));
	int err = LA_OK;
	for (int i = 0; i < in->nfuncs; i++) {
		const lk_prog_func *f = &in->funcs[i];
		if (!la_strset_add(&p->usrs, f->usr)) {
			err = la_error_code(LA_EINVAL, "function %s: USR %s given twice", f->name, f->usr);
			continue;   /* freed with the input below */
		}
		lk_fn *fn = &p->fn[p->nfn++];
		fn->id = f->id;
		fn->usr = la_strset_get(&p->usrs, f->usr);
		fn->name = f->name;
		fn->ir = f->ir;
		in->funcs[i].ir = NULL;   /* the program's now */
		fn->prim = rules_find_primitive(r, fn->name);
		fn->sum.returns_param = -1;
		fn->sum.returns_truth = -1;
		fn->sum.irq_exit = LK_IRQ_ENTRY;   /* until analysed (recursion): no change */
		fn->sum.irq_saved_exit = LK_IRQ_SAVED;
		lk_locals_build(&p->arena, fn->ir, &fn->locals);
	}
	if (err < 0) {
		lk_prog_input_free(in);
		lk_prog_free(p);
		return err;
	}
	flows fl;
	memset(&fl, 0, sizeof(fl));
	for (int i = 0; i < in->nflows; i++)
		flows_add(&fl, in->flows[i].dst, in->flows[i].is_func, in->flows[i].src);
	for (int i = 0; i < p->nfn; i++)
		resolve_calls(p, &fl, i);
	find_callbacks(p, &fl);
	flows_free(&fl);
	lk_prog_input_free(in);
	lk_single_cpu_compute(p);
	lk_boot_compute(p);
	lk_irq_roots_compute(p);
	lk_threads_compute(p);
	p->stats.funcs = p->nfn;
	*out = p;
	return LA_OK;
}

/* --- SCCs (Tarjan, iterative) --- */

static void compute_sccs(lk_prog *p)
{
	int n = p->nfn;
	int *index = xmalloc(sizeof(int) * (size_t)n), *low = xmalloc(sizeof(int) * (size_t)n);
	char *on = xcalloc((size_t)n, 1);
	int *stack = xmalloc(sizeof(int) * (size_t)n), sp = 0;
	/* explicit DFS frames: (function, next call id, next target) */
	int (*frames)[3] = xmalloc(sizeof(*frames) * (size_t)n);
	p->scc_order = xmalloc(sizeof(int) * (size_t)n);
	p->scc_of_pos = xmalloc(sizeof(int) * (size_t)n);
	int order = 0, counter = 0, nscc = 0;
	for (int i = 0; i < n; i++)
		index[i] = -1;
	for (int root = 0; root < n; root++) {
		if (index[root] >= 0)
			continue;
		int fp = 0;
		frames[fp][0] = root;
		frames[fp][1] = frames[fp][2] = 0;
		index[root] = low[root] = counter++;
		stack[sp++] = root;
		on[root] = 1;
		while (fp >= 0) {
			int v = frames[fp][0];
			lk_fn *fn = &p->fn[v];
			int pushed = 0;
			while (frames[fp][1] < fn->ir->ncalls && !pushed) {
				lk_call *c = &fn->calls[frames[fp][1]];
				if (frames[fp][2] >= c->ntargets) {
					frames[fp][1]++;
					frames[fp][2] = 0;
					continue;
				}
				int w = c->targets[frames[fp][2]++];
				if (index[w] < 0) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = 1;
					fp++;
					frames[fp][0] = w;
					frames[fp][1] = frames[fp][2] = 0;
					pushed = 1;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
			}
			if (pushed)
				continue;
			if (low[v] == index[v]) {
				int w;
				do {
					w = stack[--sp];
					on[w] = 0;
					p->fn[w].scc = nscc;
					p->scc_of_pos[order] = nscc;
					p->scc_order[order++] = w;
				} while (w != v);
				nscc++;
			}
			fp--;
			if (fp >= 0 && low[v] < low[frames[fp][0]])
				low[frames[fp][0]] = low[v];
		}
	}
	p->nscc = nscc;
	free(index);
	free(low);
	free(on);
	free(stack);
	free(frames);
}

/* --- contexts --- */

/* Most rounds for an SCC's entry contexts before falling back to a
 * pessimistic round; they stop as soon as nothing changes. */
#define LK_SCC_ROUNDS 16

/* Locks held at every call site, in the callee's terms: the same instance
 * everywhere keeps its name, the same class under other names becomes
 * unnamed ("?"). Inside a recursive SCC the entries are the greatest
 * fixpoint: sites of SCC members count from the previous round, and a
 * member called only from inside starts at "everything" (entry_top), which
 * the rounds bring down; `pessimistic` starts such members empty instead. */
static const lk_held *site_match(const lk_site *site, const lk_held *h)
{
	const lk_held *same_class = NULL;
	for (int j = 0; j < site->nheld; j++) {
		if (site->held[j].cls != h->cls)
			continue;
		if (site->held[j].inst == h->inst)
			return &site->held[j];
		if (!same_class)
			same_class = &site->held[j];
	}
	return same_class;
}

int lk_site_counts(const lk_prog *p, const lk_fn *fn, const lk_site *s, int round)
{
	return p->fn[s->caller].scc != fn->scc || s->round == round - 1;
}

/* Call sites in source order (file, line, column): the scan stores
 * functions in the order its workers finish, and the witnesses and chains
 * that read the sites must not depend on that. */
static int cmp_site(const void *x, const void *y)
{
	const ir_loc *a = &((const lk_site *)x)->call->loc, *b = &((const lk_site *)y)->call->loc;
	int d = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (d)
		return d;
	return a->line != b->line ? a->line - b->line : a->col - b->col;
}

static void compute_entry(lk_prog *p, lk_fn *fn, int round, int called_in_scc, int pessimistic)
{
	if (fn->nsites > 1)
		qsort(fn->sites, (size_t)fn->nsites, sizeof(*fn->sites), cmp_site);
	fn->nentry = 0;
	fn->entry_top = 0;
	fn->irq_entry = lk_irq_entry(p, fn, round);
	const lk_site *first = NULL;
	int counted = 0;
	for (int s = 0; s < fn->nsites; s++)
		if (lk_site_counts(p, fn, &fn->sites[s], round)) {
			counted++;
			if (!first && !fn->sites[s].top)
				first = &fn->sites[s];
		}
	if (!first) {
		/* no site with known locks: a root, or (inside an SCC, before
		 * the rounds settle) not known yet */
		fn->entry_top = called_in_scc && !pessimistic && (counted || round == 0);
		return;
	}
	fn->entry = la_arena_alloc(&p->arena, sizeof(lk_held) * (size_t)(first->nheld + 1));
	for (int i = 0; i < first->nheld; i++) {
		lk_held h = first->held[i];
		int all = 1;
		for (int s = 0; s < fn->nsites && all; s++) {
			const lk_site *site = &fn->sites[s];
			if (site == first || site->top || !lk_site_counts(p, fn, site, round))
				continue;
			const lk_held *o = site_match(site, &h);
			all = o != NULL;
			if (o && o->inst != h.inst) {
				h.inst = lk_intern(p->in, "?");
				h.obj = NULL;
			}
			if (o && o->mode != h.mode)
				h.mode = LOCK_SHARED;   /* callers differ: the witness chain finds the weaker one */
			if (o) {
				h.mixed |= o->mixed;
				h.maybe |= o->maybe;
			}
		}
		int dup = 0;
		for (int k = 0; k < fn->nentry && !dup; k++)
			dup = fn->entry[k].cls == h.cls && fn->entry[k].inst == h.inst;
		if (all && !dup) {
			/* maybe: taken at some site by some of the targets of a
			 * call through a pointer; it stays that for our callees */
			h.how = h.maybe ? LK_SOME_PATHS : LK_INHERITED;
			h.count = 1;
			fn->entry[fn->nentry++] = h;
		}
	}
}

static int same_entry(const lk_held *a, int na, const lk_held *b, int nb)
{
	if (na != nb)
		return 0;
	for (int i = 0; i < na; i++) {
		int found = 0;
		for (int j = 0; j < nb && !found; j++)
			found = a[i].cls == b[j].cls && a[i].inst == b[j].inst && a[i].mode == b[j].mode;
		if (!found)
			return 0;
	}
	return 1;
}

/* Drop the sites an SCC's own members recorded before round `keep`. */
static void drop_old_scc_sites(lk_prog *p, lk_fn *fn, int keep)
{
	int n = 0;
	for (int s = 0; s < fn->nsites; s++)
		if (p->fn[fn->sites[s].caller].scc != fn->scc || fn->sites[s].round >= keep)
			fn->sites[n++] = fn->sites[s];
	fn->nsites = n;
}

static lk_state *entry_state(la_arena *a, const lk_fn *fn)
{
	lk_state *s = lk_state_empty(a);
	s->irq = (signed char)fn->irq_entry;
	/* a restore without a save seen: inline asm saved what we were given */
	s->irq_saved = (signed char)fn->irq_entry;
	s->irq_inh = 1;
	for (int i = 0; i < fn->nentry; i++) {
		s = lk_state_acquire(a, s, &fn->entry[i]);
		if (fn->entry[i].maybe)   /* acquiring cleared it; s is a fresh copy */
			((lk_held *)lk_state_find(s, fn->entry[i].inst, fn->entry[i].cls))->maybe = 1;
	}
	return s;
}

int lk_prog_run(lk_prog *p, const lk_sink *sink)
{
	compute_sccs(p);
	/* 1. summaries, callees first; a recursive SCC is iterated a few times */
	for (int pos = 0; pos < p->nfn;) {
		int end = pos;
		while (end < p->nfn && p->scc_of_pos[end] == p->scc_of_pos[pos])
			end++;
		int rounds = end - pos > 1 ? 3 : 1;
		for (int r = 0; r < rounds; r++)
			for (int k = pos; k < end; k++) {
				lk_fn *fn = &p->fn[p->scc_order[k]];
				if (fn->prim)
					continue;
				lk_analyse_function(p, p->scc_order[k], NULL, &fn->sum, NULL, 0);
			}
		pos = end;
	}
	for (int i = 0; i < p->nfn; i++)
		p->stats.wrappers += p->fn[i].sum.neff > 0 || p->fn[i].sum.query != NULL;
	/* 2. contexts and results, callers first. An SCC (recursion, often
	 * through callbacks) is analysed in rounds: entries from the callers
	 * outside it and from its own call sites of the previous round. Every
	 * round is sound; the last one is recorded. */
	char *called_in_scc = xcalloc((size_t)p->nfn, 1);
	for (int i = 0; i < p->nfn; i++)
		for (int c = 0; c < p->fn[i].ir->ncalls; c++)
			for (int k = 0; k < p->fn[i].calls[c].ntargets; k++) {
				int t = p->fn[i].calls[c].targets[k];
				if (p->fn[t].scc == p->fn[i].scc)
					called_in_scc[t] = 1;
			}
	for (int end = p->nfn; end > 0;) {
		int start = end - 1;
		while (start > 0 && p->scc_of_pos[start - 1] == p->scc_of_pos[end - 1])
			start--;
		int recursive = 0;
		for (int k = start; k < end; k++)
			recursive |= called_in_scc[p->scc_order[k]];
		/* a cycle nobody outside calls is a root: nothing held on entry */
		int entered = 0;
		for (int k = start; k < end && !entered; k++) {
			const lk_fn *fn = &p->fn[p->scc_order[k]];
			for (int s = 0; s < fn->nsites && !entered; s++)
				entered = p->fn[fn->sites[s].caller].scc != fn->scc;
		}
		int rounds = recursive && entered ? LK_SCC_ROUNDS : recursive ? 0 : 1;
		int last = 0, pessimistic = 0;
		for (int r = 0; r < rounds + 1 && !last; r++) {
			p->round = r;
			/* out of rounds before the fixpoint: one sound pessimistic round */
			pessimistic = r == rounds;
			int changed = 0, top = 0;
			for (int k = start; k < end; k++) {
				lk_fn *fn = &p->fn[p->scc_order[k]];
				lk_held *old = fn->entry;
				int nold = fn->nentry, oldtop = fn->entry_top, oldirq = fn->irq_entry;
				compute_entry(p, fn, r, called_in_scc[p->scc_order[k]], pessimistic);
				lk_entry_add_registration(p, fn);
				changed |= oldtop != fn->entry_top || oldirq != fn->irq_entry ||
					   !same_entry(old, nold, fn->entry, fn->nentry);
				top |= fn->entry_top;
			}
			last = !recursive || pessimistic || (r > 0 && !changed && !top);
			for (int k = start; k < end; k++) {
				int fi = p->scc_order[k];
				if (p->fn[fi].prim)
					continue;
				la_arena a = LA_ARENA_INIT;
				lk_analyse_function(p, fi, entry_state(&a, &p->fn[fi]), NULL, last ? sink : NULL,
						    last ? LK_SITES_ALL : LK_SITES_SCC);
				la_arena_free(&a);
			}
			for (int k = start; k < end; k++)
				drop_old_scc_sites(p, &p->fn[p->scc_order[k]], r);
		}
		end = start;
	}
	free(called_in_scc);
	return LA_OK;
}

void lk_prog_free(lk_prog *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nfn; i++) {
		ir_func_free(p->fn[i].ir);
		free(p->fn[i].sites);
		free(p->fn[i].regs);
		la_strset_free(&p->fn[i].iterators);
	}
	free(p->fn);
	free(p->scc_order);
	free(p->scc_of_pos);
	la_strset_free(&p->usrs);
	la_strset_free(&p->init_only);
	lk_interner_free(p->in);
	lk_relcache_free(p->relcache);
	lk_textcache_free(p->condtext);
	la_arena_free(&p->arena);
	free(p);
}
