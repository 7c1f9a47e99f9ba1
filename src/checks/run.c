/* The checks' side of an analysis run: dispatch the final run's callbacks to
 * every check, collect findings (one per place, not one per path), give
 * them fingerprints and store them with the analysis results. */
#include "check.h"
#include "checks.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "../util/strset.h"
#include "../util/xalloc.h"
#include "../util/path.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge_rec {
	char *from, *to, *func, *file;
	int line, col, count;
} edge_rec;

struct check_ctx {
	lk_prog *p;
	const rules *r;
	const char *root;
	int cur;                     /* the check whose hook runs */
	void **state;                /* per check */
	finding **fs;
	int nfs, capfs;
	la_strset seen;              /* "check\tfile:line:col\tsubject\tlock": one finding per place */
	edge_rec *edges;
	int nedges, capedges;
};

struct checks_run {
	check_ctx c;
	lk_sink sink;
	lk_observer obs;
	int stored, shown;
};

lk_prog *check_prog(check_ctx *c) { return c->p; }
const rules *check_rules(check_ctx *c) { return c->r; }
void **check_state(check_ctx *c) { return &c->state[c->cur]; }

void *check_state_get(check_ctx *c, size_t size)
{
	void **slot = check_state(c);
	if (!*slot)
		*slot = xcalloc(1, size);
	return *slot;
}

const la_check *check_find(const char *id)
{
	for (int i = 0; i < la_nchecks; i++)
		if (strcmp(la_checks[i]->id, id) == 0)
			return la_checks[i];
	return NULL;
}

int checks_enabled(const rules *r, const la_check *ch)
{
	const rules_check_cfg *cfg = rules_find_check(r, ch->id);
	return cfg && cfg->enabled >= 0 ? cfg->enabled : ch->enabled;
}

const char *checks_severity(const rules *r, const la_check *ch)
{
	const rules_check_cfg *cfg = rules_find_check(r, ch->id);
	return cfg && cfg->severity ? cfg->severity : ch->severity;
}

const char *check_fn_name(const lk_fn *fn)
{
	return fn->name ? fn->name : "?";
}

char *check_lock_text(const lk_fn *fn, const lk_held *h)
{
	la_buf b = LA_BUF_INIT;
	if (h->resource) {   /* "the RCU domain reference to *d", "the RCU read-side section of x" */
		size_t n = strlen(h->resource);
		int ref = n >= 9 && strcmp(h->resource + n - 9, "reference") == 0;
		la_buf_printf(&b, "the %s %s ", h->resource, ref ? "to" : "of");
	}
	if (h->obj && fn)
		ir_expr_render(&b, h->obj, fn->ir, 1);
	else
		la_buf_puts(&b, h->cls);
	return la_buf_detach(&b);
}

const char *check_path(check_ctx *c, const char *path)
{
	return la_display_path(c->root, path);
}

finding *check_report(check_ctx *c, const lk_fn *fn, ir_loc at, const char *subject, const char *lock,
		      const char *fmt, ...)
{
	const la_check *ch = la_checks[c->cur];
	la_buf key = LA_BUF_INIT;
	la_buf_printf(&key, "%s\t%s:%d:%d\t%s\t%s\t%s", ch->id, at.file ? at.file : "", at.line, at.col,
		      subject ? subject : "", lock ? lock : "", check_fn_name(fn));
	int fresh = !la_strset_has(&c->seen, key.ptr);
	if (fresh)
		la_strset_add(&c->seen, key.ptr);
	la_buf_free(&key);
	if (!fresh)
		return NULL;
	finding *f = xcalloc(1, sizeof(*f));
	f->check = ch->id;
	f->severity = checks_severity(c->r, ch);
	f->file = xstrdup(la_display_path(c->root, at.file ? at.file : "?"));
	f->line = at.line;
	f->col = at.col;
	f->func = xstrdup(check_fn_name(fn));
	f->subject = subject ? xstrdup(subject) : NULL;
	f->lock = lock ? xstrdup(lock) : NULL;
	la_buf m = LA_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	la_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	f->message = la_buf_detach(&m);
	const rules_ignore *ig = rules_find_ignore(c->r, ch->id, f->func, f->subject);
	if (ig)
		f->ignored = ig->reason;
	LA_VEC_PUSH(c->fs, c->nfs, c->capfs);
	c->fs[c->nfs++] = f;
	return f;
}

int check_loc_before(ir_loc a, ir_loc b)
{
	int d = strcmp(a.file ? a.file : "", b.file ? b.file : "");
	if (d)
		return d < 0;
	return a.line != b.line ? a.line < b.line : a.col < b.col;
}

void check_withdraw(check_ctx *c, finding *f)
{
	for (int i = 0; i < c->nfs; i++)
		if (c->fs[i] == f) {
			memmove(&c->fs[i], &c->fs[i + 1], (size_t)(c->nfs - i - 1) * sizeof(*c->fs));
			c->nfs--;
			finding_free(f);
			return;
		}
}

/* why_root, why_changed: what the first step says about where the chain starts */
static void trace_chain(check_ctx *c, finding *f, const lk_chain *ch, const char *lock_text, const char *why_root,
			const char *why_changed)
{
	for (int i = 0; i < ch->n; i++) {
		const lk_fn *caller = &c->p->fn[ch->steps[i].caller];
		const char *callee = check_fn_name(&c->p->fn[i + 1 < ch->n ? ch->steps[i + 1].caller : ch->target]);
		const char *why = i > 0 ? "" : ch->end == LK_CHAIN_ROOT ? why_root : why_changed;
		ir_loc at = ch->steps[i].call->loc;
		finding_add_step(f, "call", la_display_path(c->root, at.file), at.line, at.col, check_fn_name(caller),
				 "%s() calls %s()%s%s%s", check_fn_name(caller), callee,
				 lock_text ? " " : "", lock_text ? lock_text : "", why);
	}
}

void check_trace_chain(check_ctx *c, finding *f, const lk_chain *ch, const char *lock_text)
{
	trace_chain(c, f, ch, lock_text, " (it has no analysed callers)", " (it changed the lock itself)");
}

void check_trace_irq(check_ctx *c, finding *f, const lk_fn *fn, int irq)
{
	const char *state = irq == LK_IRQ_OFF ? "disabled" : "enabled";
	lk_chain ch;
	lk_irq_witness(c->p, (int)(fn - c->p->fn), irq, &ch);
	const lk_fn *top = ch.n ? &c->p->fn[ch.steps[0].caller] : fn;
	la_buf text = LA_BUF_INIT, root = LA_BUF_INIT, changed = LA_BUF_INIT;
	la_buf_printf(&text, "with IRQs %s", state);
	if (top->irq_root == irq)
		la_buf_printf(&root, " (rules: irq.%s)", irq == LK_IRQ_OFF ? "off" : "on");
	else if (top->irq_reg == irq)
		la_buf_printf(&root, " (it is a handler that runs with IRQs %s: rules irq)", state);
	else
		la_buf_printf(&root, " (it has no analysed callers)");
	la_buf_printf(&changed, " (it %s IRQs itself)", irq == LK_IRQ_OFF ? "disabled" : "enabled");
	if (ch.n)
		trace_chain(c, f, &ch, text.ptr, root.ptr, changed.ptr);
	else if (fn->irq_root == irq || fn->irq_reg == irq)
		finding_add_step(f, "call", la_display_path(c->root, fn->ir->loc.file), fn->ir->loc.line,
				 fn->ir->loc.col, check_fn_name(fn), "%s() runs %s%s", check_fn_name(fn), text.ptr, root.ptr);
	lk_chain_free(&ch);
	la_buf_free(&text);
	la_buf_free(&root);
	la_buf_free(&changed);
}

void check_trace_acquired(check_ctx *c, finding *f, const lk_held *h, const lk_fn *fn)
{
	char *text = check_lock_text(fn, h);
	const char *what = h->how == LK_INHERITED ? "held by every caller of" :
			   h->how == LK_ASSERTED ? "asserted held in" : "acquired in";
	finding_add_step(f, h->how == LK_ASSERTED ? "assert" : "acquire", la_display_path(c->root, h->at.file), h->at.line,
			 h->at.col, check_fn_name(fn), "%s %s %s()", text, what, check_fn_name(fn));
	free(text);
}

void check_record_edge(check_ctx *c, const char *from, const char *to, const lk_fn *fn, ir_loc at, int count)
{
	LA_VEC_PUSH(c->edges, c->nedges, c->capedges);
	edge_rec *e = &c->edges[c->nedges++];
	e->from = xstrdup(from);
	e->to = xstrdup(to);
	e->func = xstrdup(check_fn_name(fn));
	e->file = xstrdup(la_display_path(c->root, at.file ? at.file : "?"));
	e->line = at.line;
	e->col = at.col;
	e->count = count;
}

int check_holds(const lk_state *s, const char *cls, int modes)
{
	int r = 0;
	for (int i = 0; i < s->nheld; i++)
		if (strcmp(s->held[i].cls, cls) == 0 && ((s->held[i].mode & modes) || s->held[i].mixed))
			r = !s->held[i].maybe && (s->held[i].mode & modes) ? 1 : r ? r : -1;
	return r;
}

char *check_ref_text(const rules_lockref *ref)
{
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "%s%s", ref->cls, ref->modes == LOCK_ANY ? "" : " (write)");
	return la_buf_detach(&b);
}

static int witness_flags(const check_ctx *c)
{
	return la_checks[c->cur]->between_cpus ? LK_WITNESS_MULTI_CPU : 0;
}

int check_context_chain(check_ctx *c, const lk_fn *fn, const ir_event *at, const char *const *classes,
			const int *modes, int n, int want_held, lk_chain *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->end = LK_CHAIN_NONE;
	if (lk_holds_any(fn->entry, fn->nentry, classes, modes, n) != want_held)
		return 1;   /* the function itself took or dropped it: its own steps say so */
	lk_witness(c->p, (int)(fn - c->p->fn), at, classes, modes, n, want_held, -1, witness_flags(c), ch);
	/* the entry context is an intersection: callers that each hold one of
	 * several acceptable locks leave none in it, yet no chain lacks them all */
	return ch->end != LK_CHAIN_NONE;
}

const char *check_ignored_via(check_ctx *c, const lk_fn *fn, const ir_event *at, const char *subject,
			      const char *const *classes, const int *modes, int n, lk_chain *ch)
{
	const char *id = la_checks[c->cur]->id;
	for (int i = 0; i < c->r->nignores; i++) {
		const rules_ignore *ig = &c->r->ignores[i];
		if (!ig->via || !rules_ignore_matches(ig, id, check_fn_name(fn), subject))
			continue;
		int via = -1;
		for (int k = 0; k < ch->n && via < 0; k++)
			if (strcmp(check_fn_name(&c->p->fn[ch->steps[k].caller]), ig->via) == 0)
				via = ch->steps[k].caller;
		if (via < 0)
			continue;
		lk_chain other;
		lk_witness(c->p, (int)(fn - c->p->fn), at, classes, modes, n, 0, via, witness_flags(c), &other);
		if (other.end == LK_CHAIN_NONE) {
			lk_chain_free(&other);
			return ig->reason;   /* every chain goes through it */
		}
		lk_chain_free(ch);
		*ch = other;   /* another path shows it: that one is the witness */
	}
	return NULL;
}

void check_trace_entry(check_ctx *c, finding *f, const lk_fn *fn, const ir_event *at, const char *const *classes,
		       const int *modes, int n, int want_held, const char *lock_text)
{
	lk_chain ch;
	check_context_chain(c, fn, at, classes, modes, n, want_held, &ch);
	check_trace_chain(c, f, &ch, lock_text);
	lk_chain_free(&ch);
}

void check_trace_site(check_ctx *c, finding *f, const lk_fn *fn, const lk_site *site, const char *cls,
		      const char *text, const char *lock_text)
{
	const lk_fn *caller = &c->p->fn[site->caller];
	const ir_event *call = site->call;
	const char *cls1[1] = { cls };
	int modes[1] = { LOCK_ANY };
	lk_chain ch;
	check_context_chain(c, caller, call, cls1, modes, 1, 1, &ch);
	check_trace_chain(c, f, &ch, lock_text);
	lk_chain_free(&ch);
	finding_add_step(f, "call", call->loc.file, call->loc.line, call->loc.col, check_fn_name(caller),
			 "%s() calls %s() holding %s", check_fn_name(caller), check_fn_name(fn), text);
}

/* --- dispatch --- */

#define FOR_EACH_HOOK(c, hook, ...)                                       \
	do {                                                              \
		for (int i_ = 0; i_ < la_nchecks; i_++)                   \
			if (la_checks[i_]->hook) {                        \
				(c)->cur = i_;                            \
				la_checks[i_]->hook((c), __VA_ARGS__);    \
			}                                                 \
	} while (0)

static void on_event(void *ctx, const lk_fn *fn, int block, int idx, const ir_event *e, lk_state *const *states,
		     int n)
{
	(void)block;
	(void)idx;
	FOR_EACH_HOOK((check_ctx *)ctx, event, fn, e, states, n);
}

/* A resource's acquisitions and releases go only to the checks that ask
 * for them (imbalance): they are no lock to order, nest or guard with. */
static void on_lock_op(void *ctx, const lk_fn *fn, const ir_event *e, const lk_state *before, const lk_lockop *op)
{
	check_ctx *c = ctx;
	for (int i = 0; i < la_nchecks; i++)
		if (la_checks[i]->lock_op && (!op->lock->resource || la_checks[i]->resources)) {
			c->cur = i;
			la_checks[i]->lock_op(c, fn, e, before, op);
		}
}

static void on_exit_path(void *ctx, const lk_fn *fn, const lk_state *s, const ir_event *ret)
{
	FOR_EACH_HOOK((check_ctx *)ctx, exit, fn, s, ret);
}

static void on_done(void *ctx, const lk_fn *fn)
{
	FOR_EACH_HOOK((check_ctx *)ctx, done, fn);
}

static void on_start(void *ctx, lk_prog *p)
{
	((checks_run *)ctx)->c.p = p;
}

/* --- fingerprints and storing --- */

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *x, const void *y)
{
	const finding *a = *(finding *const *)x, *b = *(finding *const *)y;
	int d;
	if ((d = cmp_str(a->file, b->file)) || (d = cmp_str(a->func, b->func)) || (d = strcmp(a->check, b->check)) ||
	    (d = cmp_str(a->subject, b->subject)) || (d = cmp_str(a->lock, b->lock)))
		return d;
	if (a->line != b->line)
		return a->line - b->line;
	return a->col - b->col;
}

/* The same kind of finding in the same function is told apart by its
 * ordinal, so that fingerprints survive edits that move lines. */
static void fingerprint_all(check_ctx *c)
{
	if (c->nfs)   /* no finding: c->fs is NULL, which qsort must not get */
		qsort(c->fs, (size_t)c->nfs, sizeof(finding *), cmp_finding);
	int ordinal = 0;
	for (int i = 0; i < c->nfs; i++) {
		finding *f = c->fs[i];
		const finding *prev = i ? c->fs[i - 1] : NULL;
		ordinal = prev && !cmp_str(prev->file, f->file) && !cmp_str(prev->func, f->func) &&
				  !strcmp(prev->check, f->check) && !cmp_str(prev->subject, f->subject) &&
				  !cmp_str(prev->lock, f->lock) ? ordinal + 1 : 0;
		uint64_t h = LA_HASH_INIT;
		h = la_hash_str(h, f->check);
		h = la_hash_str(h, f->file);
		h = la_hash_str(h, f->func);
		h = la_hash_str(h, f->subject ? f->subject : "");
		h = la_hash_str(h, f->lock ? f->lock : "");
		char ord[16];   /* as text: the same on every machine */
		snprintf(ord, sizeof(ord), "%d", ordinal);
		h = la_hash_str(h, ord);
		la_hash_hex(h, f->fingerprint);
	}
}

void checks_finish(checks_run *cr, lk_prog *p)
{
	check_ctx *c = &cr->c;
	c->p = p;
	for (int i = 0; i < la_nchecks; i++)
		if (la_checks[i]->finish) {
			c->cur = i;
			la_checks[i]->finish(c);
		}
	fingerprint_all(c);
}

const finding *const *checks_findings(const checks_run *cr, int *n)
{
	*n = cr->c.nfs;
	return (const finding *const *)cr->c.fs;
}

static int on_finish(void *ctx, lk_prog *p, store_results *res)
{
	checks_run *cr = ctx;
	check_ctx *c = &cr->c;
	checks_finish(cr, p);
	int err = LA_OK;
	for (int i = 0; i < c->nfs && err >= 0; i++) {
		const finding *f = c->fs[i];
		store_finding sf = { f->check, f->severity, f->fingerprint, f->file, f->func, f->message,
				     f->subject, f->lock, f->ignored, f->line, f->col, f->rank };
		int64_t id;
		err = store_results_finding(res, &sf, &id);
		for (int k = 0; k < f->nsteps && err >= 0; k++) {
			const finding_step *s = &f->steps[k];
			err = store_results_step(res, id, k, s->kind, la_display_path(c->root, s->file), s->line, s->col, s->func,
						 s->text);
		}
		cr->stored++;
		cr->shown += !f->ignored && checks_enabled(c->r, check_find(f->check));
	}
	for (int i = 0; i < c->nedges && err >= 0; i++) {
		const edge_rec *e = &c->edges[i];
		err = store_results_edge(res, e->from, e->to, e->func, e->file, e->line, e->col, e->count);
	}
	return err;
}

/* --- set-up --- */

static int unknown_check(const rules *r, const char *jpath, const char *id)
{
	la_buf known = LA_BUF_INIT;
	for (int i = 0; i < la_nchecks; i++)
		la_buf_printf(&known, "%s%s", i ? ", " : "", la_checks[i]->id);
	int err = la_error_code(LA_EPARSE, "%s: %s: unknown check \"%s\" (known: %s)", r->path, jpath, id,
				known.ptr);
	la_buf_free(&known);
	return err;
}

int checks_new(const rules *r, const char *root, checks_run **out)
{
	*out = NULL;
	for (int i = 0; i < r->nchecks; i++)
		if (!check_find(r->checks[i].id)) {
			char jpath[256];
			snprintf(jpath, sizeof(jpath), "$.checks.%s", r->checks[i].id);
			return unknown_check(r, jpath, r->checks[i].id);
		}
	for (int i = 0; i < r->nignores; i++)
		if (r->ignores[i].check && !check_find(r->ignores[i].check)) {
			char jpath[64];
			snprintf(jpath, sizeof(jpath), "$.ignore[%d].check", i);
			return unknown_check(r, jpath, r->ignores[i].check);
		}
	checks_run *cr = xcalloc(1, sizeof(*cr));
	cr->c.r = r;
	cr->c.root = root;
	cr->c.state = xcalloc((size_t)la_nchecks, sizeof(void *));
	cr->sink = (lk_sink){ on_event, on_lock_op, on_exit_path, on_done, &cr->c };
	cr->obs = (lk_observer){ &cr->sink, on_start, on_finish, cr };
	*out = cr;
	return LA_OK;
}

const lk_observer *checks_observer(checks_run *cr)
{
	return &cr->obs;
}

void checks_counts(const checks_run *cr, int *stored, int *shown)
{
	*stored = cr->stored;
	*shown = cr->shown;
}

void checks_free(checks_run *cr)
{
	if (!cr)
		return;
	for (int i = 0; i < la_nchecks; i++)
		if (cr->c.state[i] && la_checks[i]->free_state)
			la_checks[i]->free_state(cr->c.state[i]);
	free(cr->c.state);
	for (int i = 0; i < cr->c.nfs; i++)
		finding_free(cr->c.fs[i]);
	free(cr->c.fs);
	for (int i = 0; i < cr->c.nedges; i++) {
		free(cr->c.edges[i].from);
		free(cr->c.edges[i].to);
		free(cr->c.edges[i].func);
		free(cr->c.edges[i].file);
	}
	free(cr->c.edges);
	la_strset_free(&cr->c.seen);
	free(cr);
}
