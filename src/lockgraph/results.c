/* Writing what the analysis found: the locks held at every access and call
 * (all paths: must; some paths: maybe), each function's entry context with
 * a witness caller, and the inferred summaries (wrappers). */
#include "results.h"
#include "analysis.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *mode_name(int mode)
{
	return mode == LOCK_SHARED ? "shared" : mode == LOCK_RECURSIVE ? "recursive" : "exclusive";
}

static const char *how_name(int how)
{
	return how == LK_INHERITED ? "inherited" : how == LK_ASSERTED ? "asserted"
	       : how == LK_SOME_PATHS ? "some-paths" : "acquired";
}

typedef struct sink_ctx {
	store_results *r;
	int err;
	long rows;
	const lk_observer *obs;
} sink_ctx;

/* The observer's callbacks, after the results writer's own. */
static void fwd_lock_op(void *vctx, const lk_fn *fn, const ir_event *e, const lk_state *before,
			const lk_lockop *op)
{
	sink_ctx *c = vctx;
	if (c->obs->sink->lock_op)
		c->obs->sink->lock_op(c->obs->ctx, fn, e, before, op);
}

static void fwd_exit(void *vctx, const lk_fn *fn, const lk_state *s, const ir_event *ret)
{
	sink_ctx *c = vctx;
	if (c->obs->sink->exit)
		c->obs->sink->exit(c->obs->ctx, fn, s, ret);
}

static void fwd_done(void *vctx, const lk_fn *fn)
{
	sink_ctx *c = vctx;
	if (c->obs->sink->done)
		c->obs->sink->done(c->obs->ctx, fn);
}

static void write_event(void *vctx, const lk_fn *fn, int block, int idx, const ir_event *e,
			lk_state *const *states, int n)
{
	sink_ctx *c = vctx;
	if (c->obs && c->obs->sink && c->obs->sink->event)
		c->obs->sink->event(c->obs->ctx, fn, block, idx, e, states, n);
	if (c->err < 0 || (e->kind != IR_EV_ACCESS && e->kind != IR_EV_CALL))
		return;
	if (!n) {   /* after a noreturn call on every path, or an analysis gap */
		c->err = store_results_held(c->r, fn->id, block, idx, LK_NO_PATH, NULL, NULL, "unreachable", 1,
					    NULL, 0);
		c->rows++;
		return;
	}
	/* IRQs known disabled (here or by the callers): a pseudo-lock, so
	 * that guards and held show it like the locks */
	int off_all = 1, off_some = 0;
	for (int j = 0; j < n; j++) {
		off_all &= states[j]->irq == LK_IRQ_OFF;
		off_some |= states[j]->irq == LK_IRQ_OFF;
	}
	if (off_some) {
		c->err = store_results_held(c->r, fn->id, block, idx, LK_IRQS_OFF, NULL, "exclusive", "acquired",
					    off_all, NULL, 0);
		c->rows++;
		if (c->err < 0)
			return;
	}
	/* every lock held on at least one path, once */
	for (int j = 0; j < n; j++)
		for (int i = 0; i < states[j]->nheld; i++) {
			const lk_held *h = &states[j]->held[i];
			int first = 1, must = !h->maybe;
			for (int k = 0; k < j && first; k++)
				first = lk_state_find(states[k], h->inst, h->cls) == NULL;
			if (!first)
				continue;
			for (int k = 0; k < n && must; k++) {
				const lk_held *o = lk_state_find(states[k], h->inst, h->cls);
				must = o && !o->maybe;
			}
			c->err = store_results_held(c->r, fn->id, block, idx, h->cls, h->inst, mode_name(h->mode),
						    how_name(h->how), must, h->at.file, h->at.line);
			c->rows++;
			if (c->err < 0)
				return;
		}
}

static int write_entries_and_summaries(lk_prog *p, store_results *r)
{
	int err = LA_OK;
	la_buf lock = LA_BUF_INIT;
	for (int i = 0; i < p->nfn && err >= 0; i++) {
		lk_fn *fn = &p->fn[i];
		for (int k = 0; k < fn->nentry && err >= 0; k++) {
			const lk_held *h = &fn->entry[k];
			const lk_site *w = fn->nsites ? &fn->sites[0] : NULL;
			err = store_results_entry(r, fn->id, h->cls, h->inst, mode_name(h->mode), fn->nsites,
						  w ? p->fn[w->caller].id : 0, w ? w->call->loc.file : NULL,
						  w ? w->call->loc.line : 0);
		}
		const lk_summary *s = &fn->sum;
		for (int k = 0; k < s->neff && err >= 0; k++) {
			la_buf_clear(&lock);
			ir_expr_render(&lock, s->eff[k].obj, NULL, 0);
			la_buf cls = LA_BUF_INIT;
			lk_class_of(&cls, s->eff[k].obj);
			static const char *const conds[] = { "always", "if-nonzero", "if-zero", "maybe" };
			err = store_results_summary(r, fn->id, s->eff[k].op == PRIM_RELEASE ? "releases" : "acquires",
						    lock.ptr, cls.ptr, s->eff[k].op == PRIM_RELEASE ? NULL
						    : mode_name(s->eff[k].mode), conds[s->eff[k].cond]);
			la_buf_free(&cls);
		}
		if (s->query && err >= 0) {
			la_buf_clear(&lock);
			ir_expr_render(&lock, s->query, NULL, 0);
			la_buf cls = LA_BUF_INIT;
			lk_class_of(&cls, s->query);
			err = store_results_summary(r, fn->id, "queries", lock.ptr, cls.ptr,
						    s->query_mode == LOCK_ANY ? "any" : mode_name(s->query_mode), NULL);
			la_buf_free(&cls);
		}
		for (int k = 0; k < s->nrequires && err >= 0; k++)
			err = store_results_summary(r, fn->id, "requires", s->requires[k].text, NULL, NULL, NULL);
		if (s->returns_param >= 0 && err >= 0) {
			char buf[32];
			snprintf(buf, sizeof(buf), "$%d", s->returns_param);
			err = store_results_summary(r, fn->id, "returns", buf, NULL, NULL, NULL);
		}
	}
	la_buf_free(&lock);
	return err;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The accesses and calls in the bodies of declared primitives
 * (pci_cfg_access_lock() sets the flag it locks with): one row each, so
 * that they are not taken for accesses under no lock. */
static int write_primitive_bodies(const lk_prog *p, store_results *res, long *rows)
{
	for (int fi = 0; fi < p->nfn; fi++) {
		const lk_fn *fn = &p->fn[fi];
		if (!fn->prim || !fn->ir)
			continue;
		for (int b = 0; b < fn->ir->nblocks; b++)
			for (int j = 0; j < fn->ir->blocks[b]->nev; j++) {
				const ir_event *e = &fn->ir->blocks[b]->ev[j];
				if (e->kind != IR_EV_ACCESS && e->kind != IR_EV_CALL)
					continue;
				int err = store_results_held(res, fn->id, b, j, LK_IN_PRIMITIVE, NULL, NULL, "primitive", 1,
							     NULL, 0);
				if (err < 0)
					return err;
				(*rows)++;
			}
	}
	return LA_OK;
}

int lk_analyse_db(store *s, const rules *r, const char *rules_path, lk_report *rep, const lk_observer *obs)
{
	memset(rep, 0, sizeof(*rep));
	double t0 = now_s();
	lk_prog *p;
	int err = lk_prog_load(s, r, &p);
	if (err < 0)
		return err;
	double t1 = now_s();
	store_results *res;
	if ((err = store_results_begin(s, &res)) < 0) {
		lk_prog_free(p);
		return err;
	}
	sink_ctx c = { res, LA_OK, 0, obs };
	lk_sink sink = { write_event, NULL, NULL, NULL, &c };
	if (obs && obs->sink) {
		sink.lock_op = fwd_lock_op;
		sink.exit = fwd_exit;
		sink.done = fwd_done;
	}
	if (obs && obs->start)
		obs->start(obs->ctx, p);
	lk_prog_run(p, &sink);
	err = c.err;
	if (err >= 0)
		err = write_primitive_bodies(p, res, &c.rows);
	if (err >= 0 && obs && obs->finish)
		err = obs->finish(obs->ctx, p, res);
	double t2 = now_s();
	if (err >= 0)
		err = write_entries_and_summaries(p, res);
	if (err < 0) {
		store_results_abort(res);
		lk_prog_free(p);
		return err;
	}
	/* the hash of the bytes the rules were parsed from: the file is not
	 * read again (it may be a pipe, or have changed since) */
	err = store_results_commit(res, rules_path, rules_path && r ? r->hash : "");
	rep->funcs = p->nfn;
	rep->wrappers = p->stats.wrappers;
	rep->calls_indirect = p->stats.calls_indirect;
	rep->indirect_resolved = p->stats.targets_indirect;
	rep->rows = c.rows;
	rep->collapsed = p->stats.collapsed;
	rep->gave_up = p->stats.gave_up;
	rep->outside_tus = p->stats.outside_tus;
	rep->load_s = t1 - t0;
	rep->analyse_s = t2 - t1;
	rep->total_s = now_s() - t0;
	lk_prog_free(p);
	return err;
}
