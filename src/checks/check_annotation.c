/* annotation: a function whose ways out break its lock context annotation
 * (Linux's sparse annotations, docs/analysis.md#annotations):
 * __acquires(x) returning without x; __releases(x) returning with x still
 * held (its callers hand x over: it counts as held on entry); __must_hold(x)
 * returning without x (held on entry: the frontend asserts it there). The
 * lock is named as the analysis names held locks, in the function's terms. */
#include "check.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>

typedef struct exit_rec {
	const lk_state *s;
	const ir_event *ret;     /* NULL: falls off the end */
} exit_rec;

typedef struct op_rec {     /* a lock taken or released in the function */
	const char *inst, *cls;
} op_rec;

typedef struct annotation_state {
	exit_rec *x;
	int n, cap;
	op_rec *ops;
	int nops, capops;
} annotation_state;

static void annotation_exit(check_ctx *c, const lk_fn *fn, const lk_state *s, const ir_event *ret)
{
	if (!fn->ir->nannots)
		return;
	annotation_state *st = check_state_get(c, sizeof(annotation_state));
	LA_VEC_PUSH(st->x, st->n, st->cap);
	st->x[st->n++] = (exit_rec){ s, ret };
}

static void annotation_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
			  const lk_lockop *op)
{
	(void)e;
	(void)before;
	if (!fn->ir->nannots)
		return;
	annotation_state *st = check_state_get(c, sizeof(annotation_state));
	LA_VEC_PUSH(st->ops, st->nops, st->capops);
	st->ops[st->nops++] = (op_rec){ op->lock->inst, op->lock->cls };
}

static int same_lock(const char *inst, const char *cls, const char *inst2, const char *cls2)
{
	return inst == inst2 || (cls == cls2 && cls[0] != '?');
}

/* Does the function do anything to the lock that the analysis sees: take
 * it (trylocks too) or release it on some path? One that does not takes
 * it below the primitives of the rules (do_raw_spin_lock() is annotated
 * __acquires(lock) and calls arch_spin_lock()): nothing to judge. */
static int touches(const annotation_state *st, const char *inst, const char *cls)
{
	for (int i = 0; i < st->nops; i++)
		if (same_lock(inst, cls, st->ops[i].inst, st->ops[i].cls))
			return 1;
	for (int k = 0; k < st->n; k++) {
		const lk_state *s = st->x[k].s;
		for (int i = 0; i < s->nheld; i++)
			if (s->held[i].how == LK_ACQUIRED && same_lock(inst, cls, s->held[i].inst, s->held[i].cls))
				return 1;
		for (int i = 0; i < s->nrel; i++)
			if (same_lock(inst, cls, s->rel[i].inst, s->rel[i].cls))
				return 1;
	}
	return 0;
}

/* Is the lock held on this way out: 1, 0, or -1 when it cannot be told
 * (held on some merged paths only; or another lock of its class is, which
 * may be the same lock under another name). */
static int held_here(const lk_state *s, const char *inst, const char *cls)
{
	int r = 0;
	for (int i = 0; i < s->nheld; i++) {
		const lk_held *h = &s->held[i];
		if (h->inst == inst && h->cls == cls)
			return h->maybe ? -1 : 1;
		if (h->cls == cls && cls[0] != '?')
			r = -1;
	}
	return r;
}

/* Released on this path: by the function or by a callee (by class too, as
 * a release under another name). */
static int released_here(const lk_state *s, const char *inst, const char *cls)
{
	for (int i = 0; i < s->nrel; i++)
		if (same_lock(inst, cls, s->rel[i].inst, s->rel[i].cls))
			return 1;
	return 0;
}

static int held_on_entry(const lk_fn *fn, const char *inst)
{
	for (int i = 0; i < fn->nentry; i++)
		if (fn->entry[i].inst == inst)
			return 1;
	return 0;
}

/* Does this way out break the annotation? */
static int breaks(const lk_fn *fn, const ir_annot *an, const lk_state *s, const char *inst, const char *cls)
{
	int held = held_here(s, inst, cls);
	switch (an->kind) {
	case IR_ANNOT_ACQUIRES:
	case IR_ANNOT_MUST_HOLD:
		return held == 0;
	case IR_ANNOT_RELEASES:
		/* not held, and never was on this path: the callers' lock kept */
		return held == 1 || (held == 0 && !released_here(s, inst, cls) && !held_on_entry(fn, inst));
	}
	return 0;
}

static void report(check_ctx *c, const lk_fn *fn, const ir_annot *an, const exit_rec *x, const char *inst,
		   const char *cls, const ir_expr *obj)
{
	const ir_func *ir = fn->ir;
	const char *macro = ir_annot_macro(an->kind);
	ir_loc at = x->ret ? x->ret->loc : ir->end.file ? ir->end : ir->loc;
	la_buf lock = LA_BUF_INIT, arg = LA_BUF_INIT;
	ir_expr_render(&lock, obj, ir, 1);
	if (an->text)
		la_buf_puts(&arg, an->text);
	else
		ir_expr_render(&arg, an->lock, ir, 1);
	int releases = an->kind == IR_ANNOT_RELEASES;
	finding *f = check_report(c, fn, at, macro, cls, "%s() returns %s %s%s here, against its annotation %s(%s) (line %d)",
				  check_fn_name(fn), releases ? "with" : "without", lock.ptr,
				  releases ? " still held" : " held", macro, arg.ptr, an->loc.line);
	if (f) {
		const char *promise = an->kind == IR_ANNOT_ACQUIRES ? "it returns with %s held"
				      : an->kind == IR_ANNOT_RELEASES ? "its callers hand %s over, and it returns without it"
				      : "%s is held on entry and on every way out";
		la_buf says = LA_BUF_INIT;
		la_buf_printf(&says, promise, lock.ptr);
		finding_add_step(f, "assert", check_path(c, an->loc.file), an->loc.line, an->loc.col, f->func,
				 "%s() is annotated %s(%s): %s", f->func, macro, arg.ptr, says.ptr);
		la_buf_free(&says);
		const lk_held *h = lk_state_find(x->s, inst, cls);
		if (releases && h && (h->how == LK_ACQUIRED || h->how == LK_INHERITED))
			check_trace_acquired(c, f, h, fn);   /* where the lock kept comes from */
		finding_add_step(f, "return", f->file, at.line, at.col, f->func, "%s %s %s%s",
				 x->ret ? "returns" : "falls off its end", releases ? "with" : "without", lock.ptr,
				 releases ? " held" : "");
	}
	la_buf_free(&lock);
	la_buf_free(&arg);
}

static void annotation_done(check_ctx *c, const lk_fn *fn)
{
	annotation_state *st = *check_state(c);
	if (!st || !fn->ir->nannots)
		return;
	lk_prog *p = check_prog(c);
	for (int i = 0; i < fn->ir->nannots; i++) {
		const ir_annot *an = &fn->ir->annots[i];
		const char *inst, *cls;
		const ir_expr *obj = lk_annotation_lock(p, &p->arena, an->lock, &inst, &cls);
		if (!obj || !touches(st, inst, cls))
			continue;
		for (int k = 0; k < st->n; k++)
			if (breaks(fn, an, st->x[k].s, inst, cls))
				report(c, fn, an, &st->x[k], inst, cls, obj);
	}
	st->n = st->nops = 0;
}

static void annotation_free(void *vst)
{
	annotation_state *st = vst;
	free(st->x);
	free(st->ops);
	free(st);
}

const la_check check_annotation = {
	.id = "annotation",
	.severity = "warning",
	.enabled = 1,
	.title = "function whose ways out break its __acquires/__releases/__must_hold annotation",
	.description = "A function annotated __acquires(x) that returns without x held, __releases(x) that returns "
		"with x still held (x counts as held on entry, given by the caller), or __must_hold(x) that "
		"returns without x, on some way out.",
	.lock_op = annotation_op,
	.exit = annotation_exit,
	.done = annotation_done,
	.free_state = annotation_free,
};
