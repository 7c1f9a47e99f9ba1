/* Locals that walk: from the parameters, or through a loop.
 *
 * Locals that only walk from the parameters: a list iterator
 * (`list_for_each_entry(dev, &bus->devices, bus_list)` assigns dev from
 * bus->devices.next, then from dev->bus_list.next, each minus the member's
 * offset) reaches nothing but what the caller passed. A lock reached through
 * one may be the caller's, as one reached through a parameter may
 * (Linux's pci_bus_unlock() drops what pci_bus_lock() took). */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { WALK_DEPTH = 8 };

static int local_walks(const lk_fn *fn, const char *name, int want, const char **seen, int nseen);

/* The assignments to local `name` in fn, as (block, value) in *out (at most
 * max): how many there are. */
typedef struct assignment {
	int block;
	const ir_expr *rhs;
} assignment;

static int assignments(const lk_fn *fn, const char *name, assignment *out, int max)
{
	int n = 0;
	for (int b = 0; fn->ir && b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			const ir_expr *l = e->kind == IR_EV_ASSIGN ? e->u.assign.lhs : NULL;
			if (!l || l->kind != IR_E_LOCAL || strcmp(l->name, name) != 0)
				continue;
			if (n < max)
				out[n] = (assignment){ b, e->u.assign.rhs };
			n++;
		}
	return n;
}

enum { MAX_ASSIGNMENTS = 16 };

/* e is made of parameters (only parameter `want` when it is not -1),
 * globals (not with `want`), constants and locals that walk; an unknown
 * part only as an operand of arithmetic (container_of()'s offset). */
static int walks(const lk_fn *fn, const ir_expr *e, int in_arith, int want, const char **seen, int nseen)
{
	if (!e)
		return 1;
	switch (e->kind) {
	case IR_E_PARAM:
		return want < 0 || e->ival == want;
	case IR_E_GLOBAL:
		return want < 0;
	case IR_E_INT: case IR_E_NULL:
		return 1;
	case IR_E_UNKNOWN:
		return in_arith;
	case IR_E_LOCAL:
		return local_walks(fn, e->name, want, seen, nseen);
	case IR_E_FIELD: case IR_E_DEREF:
		/* with `want`: the object itself, not one a pointer in it leads to */
		return want < 0 && walks(fn, e->a, 0, want, seen, nseen);
	case IR_E_ADDR:
		return walks(fn, e->a, 0, want, seen, nseen);
	case IR_E_INDEX:
		return walks(fn, e->a, 0, want, seen, nseen) && walks(fn, e->b, 1, want, seen, nseen);
	case IR_E_BINOP:
		return walks(fn, e->a, 1, want, seen, nseen) && walks(fn, e->b, 1, want, seen, nseen);
	default:
		return 0;
	}
}

static int local_walks(const lk_fn *fn, const char *name, int want, const char **seen, int nseen)
{
	for (int i = 0; i < nseen; i++)
		if (strcmp(seen[i], name) == 0)
			return 1;   /* dev = dev->bus_list.next - ...: from itself */
	if (nseen >= WALK_DEPTH || lk_locals_addr_taken(&fn->locals, name))
		return 0;
	seen[nseen++] = name;
	assignment as[MAX_ASSIGNMENTS];
	int n = assignments(fn, name, as, MAX_ASSIGNMENTS);
	if (n > MAX_ASSIGNMENTS)
		return 0;
	for (int i = 0; i < n; i++)
		if (!walks(fn, as[i].rhs, 0, want, seen, nseen))
			return 0;
	return n > 0;
}

int lk_obj_walks_from_params(const lk_fn *fn, const ir_expr *obj)
{
	const char *seen[WALK_DEPTH];
	return obj && walks(fn, obj, 0, -1, seen, 0);
}

int lk_obj_walks_from_param(const lk_fn *fn, const ir_expr *obj, int param)
{
	const char *seen[WALK_DEPTH];
	return obj && param >= 0 && walks(fn, obj, 0, param, seen, 0);
}

/* Is block b on a cycle of fn's CFG (inside a loop)? */
static int in_loop(const ir_func *f, int b)
{
	char *seen = xcalloc((size_t)f->nblocks + 1, 1);
	int *stack = xmalloc(sizeof(int) * ((size_t)f->nblocks + 1)), n = 0, found = 0;
	const ir_block *bl = f->blocks[b];
	for (int k = 0; k < bl->nsucc; k++)
		if (!seen[bl->succ[k]]) {
			seen[bl->succ[k]] = 1;
			stack[n++] = bl->succ[k];
		}
	while (n && !found) {
		const ir_block *x = f->blocks[stack[--n]];
		found = x->id == b;
		for (int k = 0; k < x->nsucc; k++)
			if (!seen[x->succ[k]]) {
				seen[x->succ[k]] = 1;
				stack[n++] = x->succ[k];
			}
	}
	free(stack);
	free(seen);
	return found;
}

/* The locals a loop assigns again at each turn (iterators): assigned more
 * than once, once at least inside a loop. Computed once per function:
 * the checks ask at every lock operation. */
static void find_iterators(lk_fn *fn)
{
	la_strset count = LA_STRSET_INIT, twice = LA_STRSET_INIT;
	for (int b = 0; fn->ir && b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			const ir_expr *l = e->kind == IR_EV_ASSIGN ? e->u.assign.lhs : NULL;
			if (l && l->kind == IR_E_LOCAL && l->name && strncmp(l->name, "__", 2) != 0 &&
			    !la_strset_add(&count, l->name))
				la_strset_add(&twice, l->name);
		}
	for (size_t k = 0; k < twice.n; k++) {
		assignment as[MAX_ASSIGNMENTS];
		int n = assignments(fn, twice.items[k], as, MAX_ASSIGNMENTS), looped = 0;
		for (int i = 0; i < n && i < MAX_ASSIGNMENTS && !looped; i++)
			looped = in_loop(fn->ir, as[i].block);
		if (looped)
			la_strset_add(&fn->iterators, twice.items[k]);
	}
	la_strset_free(&count);
	la_strset_free(&twice);
	fn->iterators_known = 1;
}

int lk_obj_through_iterator(const lk_fn *fn, const ir_expr *obj)
{
	if (!obj)
		return 0;
	if (!fn->iterators_known)
		find_iterators((lk_fn *)fn);   /* a cache: the function itself does not change */
	if (obj->kind == IR_E_LOCAL)
		return obj->name && la_strset_has(&fn->iterators, obj->name);
	return lk_obj_through_iterator(fn, obj->a) || lk_obj_through_iterator(fn, obj->b) ||
	       lk_obj_through_iterator(fn, obj->c);
}

enum { ESCAPE_DEPTH = 3 };

static int escapes(lk_prog *p, int fi, int param, int depth);

/* Does value v of fn carry parameter `param` (the pointer itself, or a
 * container_of() of it)? */
static int carries(const lk_fn *fn, const ir_expr *v, int param)
{
	return v && lk_obj_walks_from_param(fn, v, param);
}

static int escapes(lk_prog *p, int fi, int param, int depth)
{
	const lk_fn *fn = &p->fn[fi];
	if (!fn->ir || fn->prim || depth > ESCAPE_DEPTH)
		return 0;
	for (int b = 0; b < fn->ir->nblocks; b++)
		for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
			const ir_event *e = &fn->ir->blocks[b]->ev[i];
			if (e->kind == IR_EV_ASSIGN && e->u.assign.lhs && e->u.assign.lhs->kind != IR_E_LOCAL &&
			    carries(fn, e->u.assign.rhs, param))
				return 1;   /* region->data = data */
			if (e->kind == IR_EV_RETURN && carries(fn, e->u.ret.value, param))
				return 1;
			if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || e->u.call.id < 0 ||
			    e->u.call.id >= fn->ir->ncalls || fn->calls[e->u.call.id].ntargets != 1)
				continue;
			for (int k = 0; k < e->u.call.nargs; k++)
				if (carries(fn, e->u.call.args[k], param) &&
				    escapes(p, fn->calls[e->u.call.id].targets[0], k, depth + 1))
					return 1;
		}
	return 0;
}

int lk_param_escapes(lk_prog *p, int fi, int param)
{
	return escapes(p, fi, param, 0);
}
