/* Origins of lock objects (origin.h): a field-based view of where pointers
 * come from, following parameters up through the recorded call sites. */
#include "origin.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 8 };

static void add(lk_origins *o, const char *fmt, const char *a, const char *b)
{
	la_buf t = LA_BUF_INIT;
	la_buf_printf(&t, fmt, a ? a : "?", b ? b : "?");
	if (la_strset_add(&o->tokens, t.ptr)) {
		o->via = xrealloc(o->via, sizeof(*o->via) * o->tokens.n);
		o->via[o->tokens.n - 1] = o->cur;
	}
	la_buf_free(&t);
}

/* Does a local's value reach a place another CPU can read: a field of an
 * object that is not a local, a global, or the caller (returned)? Passing
 * it to a function is not counted: a callee that stores its argument is
 * not seen (docs/analysis.md). */
/* Does the expression use the local's value (p, p->f, &p->f, ...)? */
static int uses_local(const ir_expr *x, const char *local)
{
	if (!x)
		return 0;
	if (x->kind == IR_E_LOCAL)
		return strcmp(x->name, local) == 0;
	return uses_local(x->a, local) || uses_local(x->b, local) || uses_local(x->c, local);
}

static int escapes(const ir_func *f, const char *local, int returned, int calls_publish)
{
	for (int b = 0; b < f->nblocks; b++)
		for (int j = 0; j < f->blocks[b]->nev; j++) {
			const ir_event *e = &f->blocks[b]->ev[j];
			if (calls_publish && e->kind == IR_EV_CALL)
				for (int k = 0; k < e->u.call.nargs; k++)
					if (uses_local(e->u.call.args[k], local))
						return 1;
			const ir_expr *v = e->kind == IR_EV_ASSIGN ? e->u.assign.rhs
					   : e->kind == IR_EV_RETURN ? e->u.ret.value : NULL;
			if (!v || v->kind != IR_E_LOCAL || strcmp(v->name, local) != 0)
				continue;
			if (e->kind == IR_EV_RETURN) {
				if (returned)
					return 1;
				continue;
			}
			const ir_expr *l = e->u.assign.lhs;
			while (l && (l->kind == IR_E_INDEX || (l->kind == IR_E_FIELD && !l->ival)))
				l = l->a;
			if (!l || l->kind != IR_E_LOCAL)
				return 1;
		}
	return 0;
}

/* The value of a local assigned exactly once (whatever it is), or NULL. */
static const ir_expr *only_value(const ir_func *f, const char *local)
{
	const ir_expr *v = NULL;
	for (int b = 0; b < f->nblocks; b++)
		for (int j = 0; j < f->blocks[b]->nev; j++) {
			const ir_event *e = &f->blocks[b]->ev[j];
			if (e->kind != IR_EV_ASSIGN || e->u.assign.lhs->kind != IR_E_LOCAL ||
			    strcmp(e->u.assign.lhs->name, local) != 0)
				continue;
			if (v)
				return NULL;
			v = e->u.assign.rhs;
		}
	return v;
}

/* Does call `id` of fi return a new object: a function the rules call an
 * allocator, or one whose every way out returns NULL (0) or such an object
 * it made and kept to itself (rangeset_new() returns what xmalloc() gave)? */
static int returns_new(const lk_prog *p, int fi, const ir_expr *callret, int depth)
{
	if (rules_is_allocator(p->rules, callret->name))
		return 1;
	int id = (int)callret->ival;
	if (depth > 3 || id < 0 || id >= p->fn[fi].ir->ncalls || p->fn[fi].calls[id].ntargets != 1)
		return 0;
	int g = p->fn[fi].calls[id].targets[0];
	const ir_func *f = p->fn[g].ir;
	int made = 0;
	for (int b = 0; f && b < f->nblocks; b++)
		for (int j = 0; j < f->blocks[b]->nev; j++) {
			const ir_event *e = &f->blocks[b]->ev[j];
			const ir_expr *v = e->kind == IR_EV_RETURN ? e->u.ret.value : NULL;
			if (e->kind != IR_EV_RETURN || !v || v->kind == IR_E_NULL || (v->kind == IR_E_INT && !v->ival))
				continue;
			const ir_expr *x = v->kind == IR_E_LOCAL && !lk_locals_addr_taken(&p->fn[g].locals, v->name)
					   ? only_value(f, v->name) : NULL;
			if (!x || x->kind != IR_E_CALLRET || escapes(f, v->name, 0, 0) || !returns_new(p, g, x, depth + 1))
				return 0;
			made = 1;
		}
	return made;
}

static int scope_allows(const lk_prog *p, const lk_site *s, const lk_origin_scope *scope)
{
	(void)p;
	if (!scope)
		return 1;
	if (scope->callers && !scope->callers[s->caller])
		return 0;
	if (scope->bound_param < 0)
		return 1;
	if (scope->bound_param >= s->call->u.call.nargs)
		return 0;
	const ir_expr *x = s->call->u.call.args[scope->bound_param];
	while (x && x->kind == IR_E_ADDR)
		x = x->a;
	return x && x->kind == IR_E_FUNC && x->sname &&
	       la_strset_index(&p->usrs, x->sname) == scope->bound_fn;
}

static void of_pointer(const lk_prog *p, int fi, const ir_expr *ptr, const lk_origin_scope *scope, int depth,
		       lk_origins *out);

static void of_param(const lk_prog *p, int fi, int k, const lk_origin_scope *scope, int depth, lk_origins *out)
{
	const lk_fn *fn = &p->fn[fi];
	int seen = 0;
	/* only the callers' own scope, not the one that led here */
	lk_origin_scope up = { scope ? scope->callers : NULL, -1, -1, scope ? scope->calls_publish : 0 };
	for (int s = 0; s < fn->nsites && !out->any; s++) {
		const lk_site *site = &fn->sites[s];
		if (!scope_allows(p, site, scope))
			continue;
		seen = 1;
		if (k >= site->call->u.call.nargs) {
			out->any = 1;
			break;
		}
		if (depth == 0)
			out->cur = site;
		of_pointer(p, site->caller, site->call->u.call.args[k], &up, depth + 1, out);
		if (depth == 0)
			out->cur = NULL;
	}
	if (!seen)
		out->any = 1;   /* no recorded caller: anything may come in */
}

static void of_pointer(const lk_prog *p, int fi, const ir_expr *ptr, const lk_origin_scope *scope, int depth,
		       lk_origins *out)
{
	if (out->any)
		return;
	if (!ptr || depth > MAX_DEPTH) {
		out->any = 1;
		return;
	}
	switch (ptr->kind) {
	case IR_E_PARAM:
		of_param(p, fi, (int)ptr->ival, scope, depth, out);
		return;
	case IR_E_GLOBAL:
		add(out, "*%s", ptr->name, NULL);
		return;
	case IR_E_FIELD:   /* loaded from a field */
		add(out, "%s.%s", ptr->sname, ptr->name);
		return;
	case IR_E_INDEX:   /* an element of an array field or global */
		if (ptr->a && ptr->a->kind == IR_E_FIELD)
			add(out, "%s.%s", ptr->a->sname, ptr->a->name);
		else if (ptr->a && ptr->a->kind == IR_E_GLOBAL)
			add(out, "*%s", ptr->a->name, NULL);
		else
			out->any = 1;
		return;
	case IR_E_ADDR: {   /* &object: where that object lives */
		const ir_expr *x = ptr->a;
		while (x && (x->kind == IR_E_INDEX || (x->kind == IR_E_FIELD && !x->ival)))
			x = x->a;
		if (x && x->kind == IR_E_GLOBAL)
			add(out, "&%s", x->name, NULL);
		else if (x && x->kind == IR_E_FIELD)   /* inside an object reached by pointer */
			of_pointer(p, fi, x->a, scope, depth + 1, out);
		else if (x && x->kind == IR_E_DEREF)
			of_pointer(p, fi, x->a, scope, depth + 1, out);
		else
			out->any = 1;
		return;
	}
	case IR_E_COND:
		of_pointer(p, fi, ptr->b, scope, depth + 1, out);
		of_pointer(p, fi, ptr->c, scope, depth + 1, out);
		return;
	case IR_E_LOCAL: {
		const ir_func *f = p->fn[fi].ir;
		const ir_expr *v = lk_locals_addr_taken(&p->fn[fi].locals, ptr->name) ? NULL : only_value(f, ptr->name);
		if (v && v->kind == IR_E_CALLRET)   /* made here: private while it stays here */
			if (returns_new(p, fi, v, 0) && !escapes(f, ptr->name, 1, scope && scope->calls_publish))
				add(out, "new:%s@%s", v->name, p->fn[fi].name);
			else
				out->any = 1;
		else
			of_pointer(p, fi, v, scope, depth + 1, out);
		return;
	}
	default:
		out->any = 1;
	}
}

void lk_origins_of_lock(const lk_prog *p, int fi, const ir_expr *obj, const lk_origin_scope *scope,
			lk_origins *out)
{
	/* the object holding the lock: strip the fields it is embedded by */
	const ir_expr *x = obj;
	while (x && (x->kind == IR_E_INDEX || (x->kind == IR_E_FIELD && !x->ival)))
		x = x->a;
	if (!x)
		out->any = 1;
	else if (x->kind == IR_E_GLOBAL)
		add(out, "&%s", x->name, NULL);
	else if (x->kind == IR_E_FIELD || x->kind == IR_E_DEREF)   /* p->lock, (*p).lock */
		of_pointer(p, fi, x->a, scope, 0, out);
	else
		out->any = 1;
}

void lk_origins_of_pointer(const lk_prog *p, int fi, const ir_expr *ptr, const lk_origin_scope *scope,
			   lk_origins *out)
{
	of_pointer(p, fi, ptr, scope, 0, out);
}

int lk_origins_private(const lk_origins *o)
{
	if (o->any || !o->tokens.n)
		return 0;
	for (size_t i = 0; i < o->tokens.n; i++)
		if (strncmp(o->tokens.items[i], "new:", 4) != 0)
			return 0;
	return 1;
}

void lk_origins_of_entry(const lk_prog *p, int fi, const char *cls, lk_origins *out)
{
	const lk_fn *fn = &p->fn[fi];
	if (!fn->nsites)
		out->any = 1;
	for (int s = 0; s < fn->nsites && !out->any; s++) {
		const lk_site *site = &fn->sites[s];
		const ir_expr *obj = NULL;
		int found = 0;
		for (int i = 0; i < site->nheld && !found; i++)
			if (site->held[i].cls == cls || strcmp(site->held[i].cls, cls) == 0) {
				found = 1;
				obj = site->held_obj ? site->held_obj[i] : NULL;
			}
		if (!found || !obj) {
			out->any = 1;
			break;
		}
		/* a callback called through an iterator's parameter: only the
		 * iterator's callers that pass this callback */
		lk_origin_scope scope = { NULL, -1, -1, 0 };
		const char *key = site->call->u.call.fnkey;
		const char *usr = p->fn[site->caller].usr;
		size_t n = usr ? strlen(usr) : 0;
		if (site->call->u.call.how != IR_CALL_DIRECT && key && n && strncmp(key, "param:", 6) == 0 &&
		    strncmp(key + 6, usr, n) == 0 && key[6 + n] == '#') {
			scope.bound_param = atoi(key + 7 + n);
			scope.bound_fn = fi;
		}
		lk_origins_of_lock(p, site->caller, obj, &scope, out);
	}
}

int lk_origins_meet(const lk_origins *a, const lk_origins *b)
{
	if (a->any || b->any)
		return 1;
	for (size_t i = 0; i < a->tokens.n; i++)
		if (la_strset_has(&b->tokens, a->tokens.items[i]))
			return 1;
	return 0;
}

char *lk_origins_common(const lk_origins *a, const lk_origins *b, const lk_site **via)
{
	la_buf t = LA_BUF_INIT;
	const lk_origins *known = a->any ? b : a, *other = a->any ? a : b;
	if (via)
		*via = NULL;
	if (known->any)
		la_buf_puts(&t, "anywhere (the analysis cannot follow either)");
	for (size_t i = 0, n = 0; !known->any && i < known->tokens.n; i++)
		if (other->any || la_strset_has(&other->tokens, known->tokens.items[i])) {
			if (via && !n && !b->any) {
				long k = la_strset_index(&b->tokens, known->tokens.items[i]);
				*via = k >= 0 ? b->via[k] : NULL;
			}
			la_buf_printf(&t, "%s%s", n++ ? ", " : "", known->tokens.items[i]);
		}
	return la_buf_detach(&t);
}

void lk_origins_free(lk_origins *o)
{
	la_strset_free(&o->tokens);
	free(o->via);
	memset(o, 0, sizeof(*o));
}
