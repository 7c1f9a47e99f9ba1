/* forbidden-call: a call the rules forbid while a lock is held
 * ("forbidden_under_lock"). An entry "when": "always" forbids it under any
 * lock (or its "locks"); "softirq-blocks" only under a lock that a softirq
 * handler may wait for: process_pending_softirqs() runs the handlers on the
 * spot, so a handler that blocks on a lock its caller holds never returns.
 * Those locks are computed at the end of the run: the handlers come from
 * the rules' "softirq" registrations, the functions they reach from the
 * call graph (reach.h), and the blocking acquisitions (not trylocks) from
 * the lock_op hook. */
#include "check.h"
#include "../lockgraph/origin.h"
#include "../lockgraph/reach.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A function's first blocking acquisition of a lock (class, instance and mode). */
typedef struct fc_acq {
	const char *cls;           /* interned by the analysis */
	const ir_expr *obj;        /* the lock in the function's terms (program arena), or NULL */
	int fn, via, mode;
	ir_loc at;
} fc_acq;

/* A finding under a softirq-blocks entry, kept only if its lock is one a
 * handler may wait for. */
typedef struct fc_cand {
	finding *f;
	const rules_forbidden *fb;
	const char *cls;
	const ir_expr *obj;        /* the lock held, in fn's terms (program arena), NULL when unnamed */
	int fn;
	int read_only;             /* held for reading on every path */
	char *text;                /* the lock as the message names it */
} fc_cand;

/* A handler and where it was registered (reg NULL: listed in the rules). */
typedef struct fc_root {
	int fn, caller, number;    /* number: the softirq that runs it, or -1 */
	const ir_event *reg;
} fc_root;

typedef struct fc_state {
	la_strset keys;            /* "fn\tclass\tinstance\tmode": one acquisition each */
	fc_acq *a;
	int na, capa;
	fc_cand *c;
	int nc, capc;
} fc_state;

static fc_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(fc_state));
}

static int forbids(const rules_forbidden *fb, const char *cls)
{
	if (!fb->nclasses)
		return 1;
	for (int i = 0; i < fb->nclasses; i++)
		if (strcmp(fb->classes[i], cls) == 0)
			return 1;
	return 0;
}

/* "if_arg": the call is forbidden only with one of the bits set in the
 * argument (kmalloc(size, GFP_KERNEL): __GFP_DIRECT_RECLAIM); an argument
 * whose bits are not known does not count. */
static int arg_condition(check_ctx *c, const lk_fn *fn, const ir_event *e, const rules_forbidden *fb)
{
	if (fb->if_arg < 0)
		return 1;
	if (fb->if_arg >= e->u.call.nargs)
		return 0;
	const lk_prog *p = check_prog(c);
	return (lk_known_one_bits(p, (int)(fn - p->fn), e->u.call.args[fb->if_arg]) & fb->if_bits) != 0;
}

/* Does the entry forbid the call under this held lock? */
static int forbids_held(const rules_forbidden *fb, const lk_held *h)
{
	if (h->maybe || h->resource)
		return 0;
	return fb->when == FORBID_ATOMIC ? (h->kind & LK_KIND_ATOMIC) : forbids(fb, h->cls);
}

/* "atomic": with IRQs disabled and no atomic lock held (which would be
 * reported by itself), the call is reported once, for the IRQ state. */
static void forbidden_irqs_off(check_ctx *c, const lk_fn *fn, const ir_event *e, const rules_forbidden *fb,
			       lk_state *const *states, int n)
{
	int off = 0, inherited = 1;
	for (int j = 0; j < n; j++) {
		for (int i = 0; i < states[j]->nheld; i++)
			if (forbids_held(fb, &states[j]->held[i]))
				return;
		if (states[j]->irq == LK_IRQ_OFF) {
			off = 1;
			inherited &= states[j]->irq_inh;
		}
	}
	if (!off)
		return;
	finding *f = check_report(c, fn, e->loc, e->u.call.name, "(irqs-off)", "call to %s() with IRQs disabled",
				  e->u.call.name);
	if (!f)
		return;
	if (inherited)
		check_trace_irq(c, f, fn, LK_IRQ_OFF);
	else
		finding_add_step(f, "call", f->file, e->loc.line, e->loc.col, f->func, "IRQs disabled earlier in %s()",
				 f->func);
	finding_add_step(f, "call", f->file, e->loc.line, e->loc.col, f->func, "%s() called (%s)", e->u.call.name,
			 fb->reason);
}

static void forbidden_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || !e->u.call.name)
		return;
	const rules_forbidden *fb = rules_find_forbidden(check_rules(c), e->u.call.name);
	if (!fb || !arg_condition(c, fn, e, fb))
		return;
	if (fb->when == FORBID_ATOMIC)
		forbidden_irqs_off(c, fn, e, fb, states, n);
	for (int j = 0; j < n; j++)
		for (int i = 0; i < states[j]->nheld; i++) {
			const lk_held *h = &states[j]->held[i];
			if (!forbids_held(fb, h))
				continue;
			char *text = check_lock_text(fn, h);
			finding *f = check_report(c, fn, e->loc, e->u.call.name, h->cls, "call to %s() with %s held",
						  e->u.call.name, text);
			if (f) {
				const char *cls[1] = { h->cls };
				int modes[1] = { LOCK_ANY };
				check_trace_entry(c, f, fn, e, cls, modes, 1, 1, "holding it");
				check_trace_acquired(c, f, h, fn);
				finding_add_step(f, "call", f->file, e->loc.line, e->loc.col, f->func, "%s() called (%s)",
						 e->u.call.name, fb->reason);
			}
			if (f && fb->when == FORBID_SOFTIRQ_BLOCKS) {
				fc_state *st = get_state(c);
				LA_VEC_PUSH(st->c, st->nc, st->capc);
				const ir_expr *obj = h->obj ? lk_expr_clone(&check_prog(c)->arena, h->obj) : NULL;
				int read_only = h->mode == LOCK_SHARED && !h->mixed;
				st->c[st->nc++] = (fc_cand){ f, fb, h->cls, obj, (int)(fn - check_prog(c)->fn), read_only, text };
			} else {
				free(text);
			}
		}
}

/* Every unconditional acquisition waits for the lock, in any mode (a reader
 * queues behind a waiting writer in Xen's rwlocks); trylocks and
 * conditional acquires never come here. */
static void forbidden_lock_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			      const lk_lockop *op)
{
	(void)e;
	(void)before;
	if (op->op != PRIM_ACQUIRE || op->lock->cls[0] == '?' || !check_rules(c)->softirq.present)
		return;
	fc_state *st = get_state(c);
	int fi = (int)(fn - check_prog(c)->fn);
	la_buf k = LA_BUF_INIT;
	la_buf_printf(&k, "%d\t%s\t%s\t%d", fi, op->lock->cls, op->lock->inst, op->lock->mode);
	if (la_strset_add(&st->keys, k.ptr)) {
		LA_VEC_PUSH(st->a, st->na, st->capa);
		const ir_expr *obj = op->lock->obj ? lk_expr_clone(&check_prog(c)->arena, op->lock->obj) : NULL;
		st->a[st->na++] = (fc_acq){ op->lock->cls, obj, fi, op->via, op->lock->mode, op->lock->at };
	}
	la_buf_free(&k);
}

/* --- the handlers and what they wait for (at finish) --- */

typedef struct fc_roots {
	fc_root *v;
	int n, cap;
} fc_roots;

static void registered(void *ctx, int handler, int caller, const rules_softirq_reg *g, const ir_event *e)
{
	fc_roots *rs = ctx;
	const ir_expr *nr = g->number >= 0 && g->number < e->u.call.nargs ? e->u.call.args[g->number] : NULL;
	LA_VEC_PUSH(rs->v, rs->n, rs->cap);
	rs->v[rs->n++] = (fc_root){ handler, caller, nr && nr->kind == IR_E_INT ? (int)nr->ival : -1, e };
}

/* The handlers handed to a registration function of the rules (a function
 * designator as the handler argument), and those the rules list. */
static void find_roots(const lk_prog *p, const rules *r, fc_root **out, int *n)
{
	fc_roots rs = { NULL, 0, 0 };
	lk_registrations(p, r->softirq.regs, r->softirq.nregs, registered, &rs);
	for (int i = 0; i < r->softirq.nhandlers; i++) {
		int h = lk_fn_by_name(p, r->softirq.handlers[i]);
		if (h < 0)
			continue;
		LA_VEC_PUSH(rs.v, rs.n, rs.cap);
		rs.v[rs.n++] = (fc_root){ h, -1, -1, NULL };
	}
	*out = rs.v;
	*n = rs.n;
}

/* How the handlers' calls are followed. */
typedef struct fc_follow {
	const char *is_handler;
	int boot;                  /* the forbidden call is in boot code */
} fc_follow;

/* The dispatchers' calls (__do_softirq() through softirq_handlers[],
 * execute_timer() through t->function, do_tasklet_work() through t->func)
 * reach every function stored in the same slot: handlers, which are roots
 * of their own, and functions registered some other way that softirqs do
 * not run (Xen's tasklet_init() tasklets run in the idle vCPU). So an
 * indirect call that may reach a handler is not followed. A handler that
 * boot code lets run does not reach what runs only after boot. */
static int follow_call(const lk_prog *p, int fi, const ir_event *e, int target, void *arg)
{
	const fc_follow *how = arg;
	if (how->boot && p->fn[target].after_boot)
		return 0;
	if (e->u.call.how == IR_CALL_DIRECT)
		return 1;
	const lk_call *call = &p->fn[fi].calls[e->u.call.id];
	for (int t = 0; t < call->ntargets; t++)
		if (how->is_handler[call->targets[t]])
			return 0;
	return 1;
}

static int skipped(const rules_forbidden *fb, int number)
{
	for (int i = 0; number >= 0 && i < fb->nskips; i++)
		if (fb->skips[i] == number)
			return 1;
	return 0;
}

/* What one softirq-blocks entry's handlers wait for: per class, the first
 * acquisition met breadth first from the handlers (a shortest chain). */
typedef struct fc_waits {
	lk_reach reach;
	la_strset classes;
	int *acq;                  /* per class: index into fc_state.a */
	int *root;                 /* per function: its handler's index into roots */
} fc_waits;

static void compute_waits(check_ctx *c, const rules_forbidden *fb, const fc_root *roots, int nroots,
			  fc_follow *how, fc_waits *w)
{
	const lk_prog *p = check_prog(c);
	const fc_state *st = get_state(c);
	int *rs = xcalloc((size_t)nroots + 1, sizeof(int)), nrs = 0;
	w->root = xcalloc((size_t)p->nfn + 1, sizeof(int));
	for (int i = 0; i < p->nfn; i++)
		w->root[i] = -1;
	for (int i = 0; i < nroots; i++)
		if (!skipped(fb, roots[i].number) && w->root[roots[i].fn] < 0) {
			w->root[roots[i].fn] = i;
			rs[nrs++] = roots[i].fn;
		}
	/* a handler that is after boot is no root for boot code either */
	for (int i = 0; i < nrs; i++)
		if (how->boot && p->fn[rs[i]].after_boot)
			rs[i] = -1;
	lk_reach_run(p, rs, nrs, follow_call, how, &w->reach);
	free(rs);
	/* the acquisitions of each function, in the order the run met them */
	int *first = xcalloc((size_t)p->nfn + 1, sizeof(int)), *next = xcalloc((size_t)st->na + 1, sizeof(int));
	for (int i = 0; i < p->nfn; i++)
		first[i] = -1;
	for (int i = st->na - 1; i >= 0; i--) {
		next[i] = first[st->a[i].fn];
		first[st->a[i].fn] = i;
	}
	memset(&w->classes, 0, sizeof(w->classes));
	w->acq = xcalloc((size_t)st->na + 1, sizeof(int));
	for (int k = 0; k < w->reach.n; k++)
		for (int i = first[w->reach.nodes[k].fn]; i >= 0; i = next[i])
			if (la_strset_add(&w->classes, st->a[i].cls))
				w->acq[w->classes.n - 1] = i;
	free(first);
	free(next);
}

static void free_waits(fc_waits *w)
{
	lk_reach_free(&w->reach);
	la_strset_free(&w->classes);
	free(w->acq);
	free(w->root);
}

/* The handler, its registration and its chain of calls to the acquisition,
 * through the call site `via` of the acquiring function (the one that
 * passes the object both may be) when there is one. */
static void trace_waiter(check_ctx *c, finding *f, const fc_waits *w, const fc_root *roots, const fc_acq *a,
			 const lk_site *via)
{
	const lk_prog *p = check_prog(c);
	lk_chain ch;
	if (via && lk_reach_root(&w->reach, via->caller) < 0)
		via = NULL;
	lk_reach_chain(&w->reach, via ? via->caller : a->fn, &ch);
	if (via) {   /* ... and the call into the acquiring function */
		ch.steps = xrealloc(ch.steps, sizeof(*ch.steps) * (size_t)(ch.n + 1));
		ch.steps[ch.n++] = (lk_chain_step){ via->caller, via->call };
		ch.target = a->fn;
	}
	int hfn = lk_reach_root(&w->reach, ch.n ? ch.steps[0].caller : a->fn);
	const fc_root *r = &roots[w->root[hfn]];
	const char *h = check_fn_name(&p->fn[hfn]);
	if (r->reg)
		finding_add_step(f, "call", check_path(c, r->reg->loc.file), r->reg->loc.line, r->reg->loc.col,
				 check_fn_name(&p->fn[r->caller]), "%s() registers softirq handler %s()",
				 r->reg->u.call.name, h);
	else
		finding_add_step(f, "call", check_path(c, p->fn[hfn].ir->loc.file), p->fn[hfn].ir->loc.line,
				 p->fn[hfn].ir->loc.col, h, "%s() is a softirq handler (rules: softirq.handlers)", h);
	for (int i = 0; i < ch.n; i++) {
		const lk_fn *caller = &p->fn[ch.steps[i].caller];
		const lk_fn *callee = &p->fn[i + 1 < ch.n ? ch.steps[i + 1].caller : ch.target];
		ir_loc at = ch.steps[i].call->loc;
		finding_add_step(f, "call", check_path(c, at.file), at.line, at.col, check_fn_name(caller),
				 "%s() calls %s()", check_fn_name(caller), check_fn_name(callee));
	}
	lk_chain_free(&ch);
	const char *fname = check_fn_name(&p->fn[a->fn]);
	la_buf through = LA_BUF_INIT;
	if (a->via >= 0)
		la_buf_printf(&through, " through %s()", check_fn_name(&p->fn[a->via]));
	finding_add_step(f, "acquire", check_path(c, a->at.file), a->at.line, a->at.col, fname,
			 "%s acquired in %s()%s%s, waiting for it", a->cls, fname, through.ptr ? through.ptr : "",
			 a->mode == LOCK_SHARED ? " for reading" : "");
	la_buf_free(&through);
}

/* The nearest acquisition of the class by a handler that may be the lock
 * held here: its object may come from where the held one does (origin.h:
 * the private rangeset a caller just made is not the dying domain's
 * irq_caps that an RCU callback locks); only one for writing when
 * `writers`. -1 when there is none. */
static int same_lock_waiter(check_ctx *c, const fc_cand *cd, const fc_waits *w, int writers, char **common,
			    const lk_site **via)
{
	const lk_prog *p = check_prog(c);
	const fc_state *st = get_state(c);
	lk_origins held = { LA_STRSET_INIT, 0, NULL, NULL };
	if (cd->obj)
		lk_origins_of_lock(p, cd->fn, cd->obj, NULL, &held);
	else
		lk_origins_of_entry(p, cd->fn, cd->cls, &held);
	char *reached = xcalloc((size_t)p->nfn + 1, 1);
	for (int i = 0; i < w->reach.n; i++)
		reached[w->reach.nodes[i].fn] = 1;
	lk_origin_scope handlers_only = { reached, -1, -1, 0 };
	int best = -1;
	for (int i = 0; i < st->na; i++) {
		const fc_acq *a = &st->a[i];
		if (strcmp(a->cls, cd->cls) != 0 || !reached[a->fn] || (writers && a->mode == LOCK_SHARED) ||
		    (best >= 0 && w->reach.first[a->fn] >= w->reach.first[st->a[best].fn]))
			continue;
		lk_origins o = { LA_STRSET_INIT, 0, NULL, NULL };
		if (a->obj)
			lk_origins_of_lock(p, a->fn, a->obj, &handlers_only, &o);
		else
			o.any = 1;
		if (lk_origins_meet(&held, &o)) {
			best = i;
			free(*common);
			*common = lk_origins_common(&held, &o, via);
		}
		lk_origins_free(&o);
	}
	free(reached);
	lk_origins_free(&held);
	return best;
}

/* Keep a finding whose lock a handler may wait for, with the handler's
 * chain; take back the others. A handler's reader waits for a held read
 * lock only behind a writer queued between the two; during boot the other
 * CPUs run only softirq work, so in boot code only a handler that writes
 * can make it wait (`boot`). */
static void judge(check_ctx *c, fc_cand *cd, const fc_waits *w, const fc_root *roots, int boot)
{
	const lk_prog *p = check_prog(c);
	char *common = NULL;
	const lk_site *via = NULL;
	int waiter = la_strset_index(&w->classes, cd->cls) < 0
			     ? -1
			     : same_lock_waiter(c, cd, w, boot && cd->read_only, &common, &via);
	if (waiter < 0) {
		check_withdraw(c, cd->f);
		return;
	}
	const fc_acq *a = &get_state(c)->a[waiter];
	/* the handler of the chain the trace shows: through `via` when given */
	int hfn = via ? lk_reach_root(&w->reach, via->caller) : -1;
	if (hfn < 0)
		hfn = lk_reach_root(&w->reach, a->fn);
	la_buf m = LA_BUF_INIT;
	la_buf_printf(&m, "call to %s() with %s held, which softirq handler %s() may wait for", cd->fb->function,
		      cd->text, check_fn_name(&p->fn[hfn]));
	free(cd->f->message);
	cd->f->message = la_buf_detach(&m);
	trace_waiter(c, cd->f, w, roots, a, via);
	finding_add_step(cd->f, "acquire", cd->f->file, cd->f->line, cd->f->col, cd->f->func,
			 "the lock held here and the one a handler takes there may be one object: both may come from %s",
			 common);
	free(common);
}

static void forbidden_finish(check_ctx *c)
{
	fc_state *st = get_state(c);
	if (!st->nc)
		return;
	const lk_prog *p = check_prog(c);
	fc_root *roots;
	int nroots;
	find_roots(p, check_rules(c), &roots, &nroots);
	char *is_handler = xcalloc((size_t)p->nfn + 1, 1);
	for (int i = 0; i < nroots; i++)
		is_handler[roots[i].fn] = 1;
	/* one lock set per entry (entries may skip different softirqs) */
	const rules *r = check_rules(c);
	for (int j = 0; j < r->nforbidden; j++) {
		const rules_forbidden *fb = &r->forbidden[j];
		int used = 0;
		for (int i = 0; i < st->nc && !used; i++)
			used = st->c[i].fb == fb;
		if (!used)
			continue;
		/* boot code first (when the rules say what runs only after boot) */
		for (int boot = r->boot.nafter ? 1 : 0; boot >= 0; boot--) {
			int any = 0;
			for (int i = 0; i < st->nc && !any; i++)
				any = st->c[i].fb == fb && (r->boot.nafter ? p->fn[st->c[i].fn].boot : 0) == boot;
			if (!any)
				continue;
			fc_follow how = { is_handler, boot };
			fc_waits w;
			memset(&w, 0, sizeof(w));
			compute_waits(c, fb, roots, nroots, &how, &w);
			for (int i = 0; i < st->nc; i++)
				if (st->c[i].fb == fb && (r->boot.nafter ? p->fn[st->c[i].fn].boot : 0) == boot)
					judge(c, &st->c[i], &w, roots, boot);
			free_waits(&w);
		}
	}
	free(is_handler);
	free(roots);
}

static void forbidden_free(void *vst)
{
	fc_state *st = vst;
	la_strset_free(&st->keys);
	free(st->a);
	for (int i = 0; i < st->nc; i++)
		free(st->c[i].text);
	free(st->c);
	free(st);
}

const la_check check_forbidden_call = {
	.id = "forbidden-call",
	.severity = "warning",
	.enabled = 1,
	.title = "call forbidden by the rules (\"forbidden_under_lock\") made with a lock held",
	.description = "A call that the rules forbid while a lock is held (\"forbidden_under_lock\", e.g. "
		"process_pending_softirqs(), whose softirq handlers may wait for that lock).",
	.event = forbidden_event,
	.lock_op = forbidden_lock_op,
	.finish = forbidden_finish,
	.free_state = forbidden_free,
};
