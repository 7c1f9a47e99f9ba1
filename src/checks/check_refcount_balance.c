/* refcount-balance: counted references (rules primitives with "resource"
 * and "refcount": pci_dev_get()/pci_dev_put(), the pci_get_*() lookups,
 * get_device()/put_device(), kref and refcount_t) taken and not dropped on
 * a way out, dropped twice on one path, or used after they were dropped.
 *
 * A reference is the caller's when the summary says the function takes it
 * (a get wrapper, a lookup returning what it found) or it is named through
 * the parameters (whose lifetime rules the callers know), and handed over
 * when it is returned or stored where others reach it (a field, a global,
 * through a pointer): neither is a leak. Dropping a reference this path
 * holds leaves the fact "put:OBJECT" on the path (transfer.c); a second
 * drop, an access through the object or passing it to a call then reads
 * it. */
#include "check.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct rc_exit {
	const lk_state *s;
	const ir_event *ret;
} rc_exit;

typedef struct rc_state {
	rc_exit *x;
	int n, cap;
} rc_state;

static rc_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(rc_state));
}

static int counted(const lk_held *h)
{
	return h && h->resource && (h->kind & LK_KIND_REFCOUNT);
}

/* Has this path dropped the reference named inst? */
static int put_on_path(check_ctx *c, const lk_state *s, const char *inst)
{
	const char *name = lk_put_fact_name(check_prog(c), inst);
	for (int i = 0; i < s->nfacts; i++)
		if (s->facts[i].cond == name)
			return s->facts[i].value == 1;
	return 0;
}

static void rc_lock_op(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_state *before,
		       const lk_lockop *op)
{
	const lk_held *l = op->lock;
	if (op->op != PRIM_RELEASE || !counted(l) || op->before || !put_on_path(c, before, l->inst))
		return;
	char *text = check_lock_text(fn, l);
	finding *f = check_report(c, fn, e->loc, l->cls, l->inst, "%s dropped twice on this path", text);
	if (f)
		finding_add_step(f, "release", f->file, e->loc.line, e->loc.col, f->func,
				 "%s dropped again: it was dropped earlier on this path", text);
	free(text);
}

/* The object a pointer value points to, named as held references are. */
static const char *pointee(check_ctx *c, const lk_fn *fn, const ir_expr *ptr, la_arena *a)
{
	if (!ptr || (ptr->kind != IR_E_LOCAL && ptr->kind != IR_E_PARAM && ptr->kind != IR_E_FIELD))
		return NULL;
	ir_expr *d = ir_expr_new(a, IR_E_DEREF);
	d->a = (ir_expr *)lk_resolve_locals(a, ptr, &fn->locals);
	return lk_lock_instance(check_prog(c), lk_simplify(a, d));
}

/* A path on which `inst` was dropped reaches e. The object of a loop's
 * iterator is the container's too (list_for_each_entry() with a get and a
 * put per turn reads the next link through it): not judged. */
static int after_put(check_ctx *c, const lk_fn *fn, const ir_expr *ptr, lk_state *const *states, int n,
		     const char *inst)
{
	if (lk_obj_through_iterator(fn, ptr))
		return 0;
	for (int j = 0; inst && j < n; j++)
		if (put_on_path(c, states[j], inst))
			return 1;
	return 0;
}

static void report_use(check_ctx *c, const lk_fn *fn, const ir_event *e, const char *inst, const char *how)
{
	finding *f = check_report(c, fn, e->loc, inst, inst, "%s %s after its reference was dropped", how, inst);
	if (f)
		finding_add_step(f, "call", f->file, e->loc.line, e->loc.col, f->func,
				 "%s is used here; a path to here dropped the reference to it", inst);
}

static void rc_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	la_arena a = LA_ARENA_INIT;
	if (e->kind == IR_EV_ACCESS && e->u.access.arrow) {
		const char *inst = pointee(c, fn, e->u.access.base, &a);
		if (after_put(c, fn, e->u.access.base, states, n, inst))
			report_use(c, fn, e, inst, "access through");
	} else if (e->kind == IR_EV_CALL && e->u.call.id >= 0 && e->u.call.id < fn->ir->ncalls) {
		const rules_primitive *pr = fn->calls[e->u.call.id].prim;
		for (int i = 0; i < e->u.call.nargs && !(pr && pr->op == PRIM_RELEASE); i++) {
			const char *inst = pointee(c, fn, e->u.call.args[i], &a);
			if (after_put(c, fn, e->u.call.args[i], states, n, inst)) {
				report_use(c, fn, e, inst, "call passing");
				break;
			}
		}
	}
	la_arena_free(&a);
}

static void rc_exit_hook(check_ctx *c, const lk_fn *fn, const lk_state *s, const ir_event *ret)
{
	(void)fn;
	rc_state *st = get_state(c);
	LA_VEC_PUSH(st->x, st->n, st->cap);
	st->x[st->n++] = (rc_exit){ s, ret };
}

/* The pointer a reference's object hangs off: p for *p, p->refcount or
 * p->a.b; NULL when it is not a pointer's. */
static const ir_expr *owner(const ir_expr *obj)
{
	while (obj && obj->kind == IR_E_FIELD && !obj->ival && obj->a)
		obj = obj->a;
	if (obj && obj->kind == IR_E_FIELD && obj->ival)
		return obj->a;
	return obj && obj->kind == IR_E_DEREF ? obj->a : NULL;
}

/* A value as the pointer it is: a call that returns its argument
 * (pci_dev_get(p), get_task_struct(p): a "returns" primitive or an
 * accessor) is that argument. */
static const ir_expr *through_call(lk_prog *p, const lk_fn *fn, const ir_expr *v, la_arena *a)
{
	for (int depth = 0; v && v->kind == IR_E_CALLRET && depth < 4; depth++) {
		int id = (int)v->ival;
		const ir_event *call = ir_func_call(fn->ir, id);
		if (!call || id >= fn->ir->ncalls)
			break;
		const lk_call *c = &fn->calls[id];
		if (c->prim && c->prim->returns >= 0 && c->prim->returns < call->u.call.nargs) {
			v = call->u.call.args[c->prim->returns];
			continue;
		}
		const ir_expr *r = c->ntargets == 1 ? lk_accessor_of(p, c->targets[0]) : NULL;
		r = r ? lk_subst_params(a, r, call->u.call.args, call->u.call.nargs) : NULL;
		if (!r)
			break;
		v = r;
	}
	return v;
}

static int same_pointer(lk_prog *p, const lk_fn *fn, const ir_expr *v, const ir_expr *ptr, la_arena *a)
{
	/* c ? ptr : NULL returns it on one side */
	if (v && v->kind == IR_E_COND)
		return same_pointer(p, fn, v->b, ptr, a) || same_pointer(p, fn, v->c, ptr, a);
	/* container_of(ptr, T, m) is ptr minus an offset: the same object */
	while (v && v->kind == IR_E_BINOP && v->name && (!strcmp(v->name, "-") || !strcmp(v->name, "+")) && v->a)
		v = v->a;
	v = through_call(p, fn, v, a);
	return v && (lk_expr_equal(v, ptr) || lk_expr_equal(lk_resolve_locals(a, v, &fn->locals), ptr));
}

/* Is the pointer the reference hangs off stored where others reach it,
 * anywhere in the function (a field, a global, through a pointer),
 * returned (a lookup returning what it found, with its reference), or
 * given to a call that stores it (vfio_pci_core_register_dev_region()
 * keeps its `data`)? */
static int handed_over(check_ctx *c, const lk_fn *fn, const ir_expr *obj)
{
	const ir_expr *ptr = owner(obj);
	if (!ptr)
		return 0;
	lk_prog *p = check_prog(c);
	la_arena a = LA_ARENA_INIT;
	int found = 0;
	for (int b = 0; fn->ir && b < fn->ir->nblocks && !found; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev && !found; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			if (e->kind == IR_EV_CALL && e->u.call.how == IR_CALL_DIRECT && e->u.call.id >= 0 &&
			    e->u.call.id < fn->ir->ncalls && fn->calls[e->u.call.id].ntargets == 1)
				for (int k = 0; k < e->u.call.nargs && !found; k++)
					found = same_pointer(p, fn, e->u.call.args[k], ptr, &a) &&
						lk_param_escapes(p, fn->calls[e->u.call.id].targets[0], k);
			const ir_expr *v = e->kind == IR_EV_ASSIGN ? e->u.assign.rhs : e->kind == IR_EV_RETURN ? e->u.ret.value : NULL;
			if (!v || (e->kind == IR_EV_ASSIGN && (!e->u.assign.lhs || e->u.assign.lhs->kind == IR_E_LOCAL)))
				continue;
			found = found || same_pointer(p, fn, v, ptr, &a);
		}
	la_arena_free(&a);
	return found;
}

/* The function's summary takes it for its callers (a get wrapper:
 * pci_dev_get() of a parameter, a lookup returning what it found). */
static int summarised(const lk_fn *fn, const lk_held *h)
{
	for (int i = 0; i < fn->sum.neff; i++)
		if (fn->sum.eff[i].op == PRIM_ACQUIRE && fn->sum.eff[i].cond != LK_MAYBE &&
		    lk_expr_equal(fn->sum.eff[i].obj, h->obj))
			return 1;
	return 0;
}

/* Does the value returned say it keeps the reference: kept exactly on the
 * ways out that return 0 (pci_device_probe() keeps its pci_dev_get() when
 * the driver's probe succeeded)? Keeping it on the error paths only is no
 * such contract: that is the leak. */
static int told_by_value(check_ctx *c, const rc_state *st, const lk_held *h)
{
	for (int y = 0; y < st->n; y++) {
		const lk_held *o = lk_state_find(st->x[y].s, h->inst, h->cls);
		int held = o && !o->maybe;
		const ir_expr *r = st->x[y].ret ? st->x[y].ret->u.ret.value : NULL;
		int v = lk_const_truth(r);
		if (v < 0 && r && (r->kind == IR_E_LOCAL || r->kind == IR_E_PARAM))
			v = lk_state_fact_of(check_prog(c)->in, st->x[y].s, r);
		if (v < 0 || held != (v == 0))
			return 0;
	}
	return 1;
}

static void rc_done(check_ctx *c, const lk_fn *fn)
{
	rc_state *st = get_state(c);
	la_strset seen = LA_STRSET_INIT;
	for (int x = 0; x < st->n; x++) {
		const lk_state *s = st->x[x].s;
		for (int i = 0; i < s->nheld; i++) {
			const lk_held *h = &s->held[i];
			/* the caller's (a get wrapper), one per turn of a loop (an
			 * iterator's), handed over, or told by the value returned */
			if (!counted(h) || h->how != LK_ACQUIRED || h->maybe || !h->obj || summarised(fn, h) ||
			    lk_expr_contains_param(h->obj) ||
			    lk_obj_through_iterator(fn, h->obj) || handed_over(c, fn, h->obj) || told_by_value(c, st, h) ||
			    !la_strset_add(&seen, h->inst))
				continue;
			const ir_event *ret = st->x[x].ret;
			ir_loc at = ret ? ret->loc : h->at;
			char *text = check_lock_text(fn, h);
			finding *f = check_report(c, fn, at, h->cls, h->inst, "%s taken at line %d is not dropped on this way out",
						  text, h->at.line);
			if (f) {
				check_trace_acquired(c, f, h, fn);
				finding_add_step(f, "return", f->file, at.line, at.col, f->func, "returns with %s", text);
			}
			free(text);
		}
	}
	la_strset_free(&seen);
	st->n = 0;
}

static void rc_free(void *vst)
{
	rc_state *st = vst;
	free(st->x);
	free(st);
}

const la_check check_refcount_balance = {
	.id = "refcount-balance",
	.severity = "warning",
	.enabled = 1,
	.resources = 1,
	.title = "counted reference not dropped on a way out, dropped twice, or used after it was dropped",
	.event = rc_event,
	.lock_op = rc_lock_op,
	.exit = rc_exit_hook,
	.done = rc_done,
	.free_state = rc_free,
};
