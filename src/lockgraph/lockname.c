/* Lock names: the instance and class of a lock object, the object a
 * primitive's argument points to, and a held lock for it. */
#include "transfer_int.h"
#include "../util/buf.h"

#include <string.h>

/* Macro temporaries (`__ptr` of per_cpu()) get a fresh name at each use
 * (__ptr'2, __ptr'3); in a lock's name they are the same temporary, so that
 * spin_unlock(&per_cpu(t_lock, i)) releases spin_lock(&per_cpu(t_lock, i)). */
static void unnumber_temporaries(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		if (r[0] == '_' && r[1] == '_' && (r == s || !(r[-1] == '_' || (r[-1] >= 'a' && r[-1] <= 'z') ||
							   (r[-1] >= 'A' && r[-1] <= 'Z') || (r[-1] >= '0' && r[-1] <= '9')))) {
			while (*r == '_' || (*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9'))
				*w++ = *r++;
			if (*r == '\'' && r[1] >= '0' && r[1] <= '9')
				for (r++; *r >= '0' && *r <= '9'; r++)
					;
			continue;
		}
		*w++ = *r++;
	}
	*w = 0;
}

const char *lk_lock_instance(lk_prog *p, const ir_expr *obj)
{
	la_buf b = LA_BUF_INIT;
	ir_expr_render(&b, obj, NULL, 0);
	if (b.ptr)
		unnumber_temporaries(b.ptr);
	const char *inst = lk_intern(p->in, b.ptr ? b.ptr : "?");
	la_buf_free(&b);
	return inst;
}

const char *lk_lock_class(lk_prog *p, const ir_expr *obj)
{
	la_buf b = LA_BUF_INIT;
	lk_class_of(&b, obj);
	const char *cls = lk_intern(p->in, b.ptr ? b.ptr : "?");
	la_buf_free(&b);
	return cls;
}

void lk_name_lock(lk_prog *p, la_arena *a, const ir_expr *obj, const char **inst, const char **cls)
{
	(void)a;
	*inst = lk_lock_instance(p, obj);
	*cls = lk_lock_class(p, obj);
}

/* An argument that is the value of an accessor (spinlock_check(l), which
 * returns &l->rlock), as the accessor's expression in this function's terms. */
static const ir_expr *through_accessors(tctx *t, la_arena *a, const ir_expr *arg)
{
	for (int depth = 0; arg && arg->kind == IR_E_CALLRET && depth < 4; depth++) {
		int id = (int)arg->ival;
		const ir_event *call = ir_func_call(t->fn->ir, id);
		if (!call || id >= t->fn->ir->ncalls || call->u.call.how != IR_CALL_DIRECT ||
		    t->fn->calls[id].ntargets != 1)
			break;
		const ir_expr *v = lk_accessor_of(t->p, t->fn->calls[id].targets[0]);
		v = v ? lk_subst_params(a, v, call->u.call.args, call->u.call.nargs) : NULL;
		if (!v)
			break;
		arg = v;
	}
	return arg;
}

const ir_expr *lk_lock_obj(tctx *t, la_arena *a, const ir_expr *arg)
{
	return lk_resolve_locals(a, lk_obj_of_arg(a, through_accessors(t, a, arg)), &t->fn->locals);
}

/* What a call returns, as the object it holds (`*ret`): `d =
 * rcu_lock_domain_by_id(id)` holds `*d` once the result is stored. */
static const ir_expr *returned_object(la_arena *a, const ir_event *e)
{
	ir_expr *r = ir_expr_new(a, IR_E_CALLRET);
	r->ival = e->u.call.id;
	r->name = e->u.call.name;
	ir_expr *d = ir_expr_new(a, IR_E_DEREF);
	d->a = r;
	return d;
}

const ir_expr *lk_prim_obj(tctx *t, la_arena *a, const rules_primitive *pr, const ir_event *e)
{
	if (pr->arg == RULES_ARG_RETURN)
		return returned_object(a, e);
	if (pr->arg == RULES_ARG_GLOBAL) {
		ir_expr *g = ir_expr_new(a, IR_E_GLOBAL);
		g->name = pr->global;
		return g;
	}
	if (pr->arg < 0 || pr->arg >= e->u.call.nargs || !e->u.call.args[pr->arg])
		return NULL;
	if (pr->indirect) {   /* follow_pte(..., &ptl): the lock is *ptl */
		const ir_expr *p = lk_lock_obj(t, a, e->u.call.args[pr->arg]);
		ir_expr *d = ir_expr_new(a, IR_E_DEREF);
		d->a = (ir_expr *)p;
		return p ? lk_simplify(a, d) : NULL;
	}
	if (!pr->field)
		return lk_lock_obj(t, a, e->u.call.args[pr->arg]);
	/* "field": the lock is arg->field (pci_cfg_access_lock(dev): dev->block_cfg_access) */
	ir_expr *f = ir_expr_new(a, IR_E_FIELD);
	f->a = (ir_expr *)through_accessors(t, a, e->u.call.args[pr->arg]);
	f->name = pr->field;
	f->sname = pr->field_struct;
	f->ival = 1;
	return lk_resolve_locals(a, lk_simplify(a, f), &t->fn->locals);
}

/* The lock a lock member stands for (rules "lock_members"): spinlock_t's
 * rlock is the spinlock itself, so `vdev->irqlock.rlock` is named
 * `vdev->irqlock` (class vfio_pci_core_device.irqlock), and `$0->rlock`
 * inside spin_lock() is `*$0`. */
static const ir_expr *strip_lock_members(const rules *r, la_arena *a, const ir_expr *obj)
{
	while (obj && obj->kind == IR_E_FIELD && obj->a && rules_is_lock_member(r, obj->sname, obj->name)) {
		if (!obj->ival) {
			obj = obj->a;
			continue;
		}
		ir_expr *d = ir_expr_new(a, IR_E_DEREF);
		d->a = obj->a;
		obj = lk_simplify(a, d);
	}
	return obj;
}

const ir_expr *lk_annotation_lock(lk_prog *p, la_arena *a, const ir_expr *arg, const char **inst, const char **cls)
{
	const ir_expr *obj = strip_lock_members(p->rules, a, lk_obj_of_arg(a, arg));
	lk_name_lock(p, a, obj, inst, cls);
	return obj;
}

void lk_held_resource(tctx *t, lk_held *h, const char *resource)
{
	if (!resource)
		return;
	h->resource = resource;
	h->cls = lk_intern(t->p->in, resource);   /* `*d` names no lock class: its class is its name */
}

lk_held lk_make_held(tctx *t, la_arena *a, const ir_expr *obj, int mode, lk_how how, ir_loc at)
{
	lk_held h;
	memset(&h, 0, sizeof(h));
	obj = strip_lock_members(t->p->rules, a, lk_call_values(t, a, obj));
	lk_name_lock(t->p, a, obj, &h.inst, &h.cls);
	h.obj = obj;
	h.mode = (unsigned char)(mode == LOCK_ANY ? LOCK_SHARED : mode);
	h.count = 1;
	h.how = (unsigned char)how;
	h.at = at;
	return h;
}
