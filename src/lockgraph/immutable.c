/* Fields written only while their object is new: every write to the field
 * in the program is through a local that holds what an allocator returned
 * in that function (`ev = kzalloc(...); ev->test_mem = test_mem;`). Once
 * the object is published nobody writes the field again, so a branch fact
 * about it (`if ( ioeventfd->test_mem )`) survives the calls between two
 * tests of it. Computed once per program, on first use. */
#include "analysis.h"
#include "../util/buf.h"

#include <stdlib.h>
#include <string.h>

/* The block before b when b has exactly one, or -1. */
static int only_pred(const ir_func *f, int b)
{
	int pred = -1;
	for (int x = 0; x < f->nblocks; x++)
		for (int k = 0; k < f->blocks[x]->nsucc; k++)
			if (f->blocks[x]->succ[k] == b) {
				if (pred >= 0 && pred != x)
					return -1;
				pred = x;
			}
	return pred;
}

enum { BACK_BLOCKS = 32 };

/* Does the write at event `at` of block b go to an object an allocator just
 * returned: is the last assignment of its base local before it, on the one
 * way there (through blocks with a single predecessor), from an allocator? */
static int new_object(const lk_prog *p, const lk_fn *fn, int b, int at, const ir_expr *base)
{
	if (!base || base->kind != IR_E_LOCAL || lk_locals_addr_taken(&fn->locals, base->name))
		return 0;
	for (int steps = 0; b >= 0 && steps < BACK_BLOCKS; steps++) {
		const ir_block *bl = fn->ir->blocks[b];
		for (int i = at - 1; i >= 0; i--) {
			const ir_event *e = &bl->ev[i];
			if (e->kind != IR_EV_ASSIGN || !e->u.assign.lhs || e->u.assign.lhs->kind != IR_E_LOCAL ||
			    strcmp(e->u.assign.lhs->name, base->name) != 0)
				continue;
			const ir_expr *v = e->u.assign.rhs;
			const ir_event *call = v && v->kind == IR_E_CALLRET ? ir_func_call(fn->ir, (int)v->ival) : NULL;
			return call && call->u.call.how == IR_CALL_DIRECT && rules_is_allocator(p->rules, call->u.call.name);
		}
		b = only_pred(fn->ir, b);
		at = b >= 0 ? fn->ir->blocks[b]->nev : 0;
	}
	return 0;
}

static void compute(lk_prog *p)
{
	la_strset written = LA_STRSET_INIT, later = LA_STRSET_INIT;
	la_buf k = LA_BUF_INIT;
	for (int fi = 0; fi < p->nfn; fi++) {
		const lk_fn *fn = &p->fn[fi];
		for (int b = 0; fn->ir && b < fn->ir->nblocks; b++)
			for (int i = 0; i < fn->ir->blocks[b]->nev; i++) {
				const ir_event *e = &fn->ir->blocks[b]->ev[i];
				if (e->kind != IR_EV_ACCESS || e->u.access.mode == IR_READ || !e->u.access.sname)
					continue;
				la_buf_clear(&k);
				la_buf_printf(&k, "%s.%s", e->u.access.sname, e->u.access.field);
				/* its address taken: written by whoever it is given to */
				if (e->u.access.mode == IR_WRITE && new_object(p, fn, b, i, e->u.access.base))
					la_strset_add(&written, k.ptr);
				else
					la_strset_add(&later, k.ptr);
			}
	}
	for (size_t i = 0; i < written.n; i++)
		if (!la_strset_has(&later, written.items[i]))
			la_strset_add(&p->init_only, written.items[i]);
	la_buf_free(&k);
	la_strset_free(&written);
	la_strset_free(&later);
	p->init_only_known = 1;
}

int lk_field_init_only(lk_prog *p, const char *sname, const char *field)
{
	if (!p->init_only_known)
		compute(p);
	if (!sname || !field || !p->init_only.n)
		return 0;
	la_buf k = LA_BUF_INIT;
	la_buf_printf(&k, "%s.%s", sname, field);
	int r = la_strset_has(&p->init_only, k.ptr);
	la_buf_free(&k);
	return r;
}
