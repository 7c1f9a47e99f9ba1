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

const ir_expr *lk_lock_obj(tctx *t, la_arena *a, const ir_expr *arg)
{
	return lk_resolve_locals(a, lk_obj_of_arg(a, arg), &t->fn->locals);
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
	lk_name_lock(t->p, a, obj, &h.inst, &h.cls);
	h.obj = obj;
	h.mode = (unsigned char)(mode == LOCK_ANY ? LOCK_SHARED : mode);
	h.count = 1;
	h.how = (unsigned char)how;
	h.at = at;
	return h;
}
