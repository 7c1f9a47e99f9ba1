/* Serialised threads (rules "threads"). A threaded IRQ handler runs on the
 * one kernel thread of its (irq, dev_id); a kthread_run() thread runs its
 * function on its own. A function that only such a thread runs, for the
 * object its parameter points to, never runs twice at once for one object,
 * so two of its acquisitions of a lock inside that object cannot wait for
 * each other from two threads (check_order.c: pciehp's IRQ thread drops and
 * retakes its controller's reset_lock under the global rescan lock).
 *
 * A thread is a registration group: the registrations of one function for
 * one object on paths that exclude each other (pciehp starts either its
 * poll thread or its IRQ thread for a controller) are one thread; any other
 * two registrations are two threads, and so is one a loop repeats for the
 * same object. A registering function is taken to run once per object
 * (probe): registering a running thread again would be a bug of its own.
 *
 * A function is serialised on parameter P of thread T when every way in is
 * either T's registration handing the object as P, or a call from code
 * serialised on thread T passing its own object as P; its address taken
 * anywhere else (stored, passed to any other function) or a caller outside
 * T makes it unknown. Greatest fixpoint: a caller still unknown round a
 * cycle is assumed to agree until shown not to. */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { SER_UNSET = -2, SER_NONE = -1 };

typedef struct thread_reg {
	int fi;                  /* the registering function */
	const ir_event *call;
	int handler, param;
	const ir_expr *obj;      /* the object argument in fi's terms */
	int thread;              /* registration group, SER_NONE: starts several threads */
} thread_reg;

typedef struct thread_regs {
	thread_reg *v;
	int n, cap;
} thread_regs;

static int block_of(const ir_func *f, const ir_event *e)
{
	for (int b = 0; b < f->nblocks; b++)
		if (f->blocks[b]->nev && e >= f->blocks[b]->ev && e < f->blocks[b]->ev + f->blocks[b]->nev)
			return b;
	return -1;
}

/* Can the function, past event a, come to event b (a itself: in a loop)? */
static int reaches(const ir_func *f, const ir_event *a, const ir_event *b)
{
	int ba = block_of(f, a), bb = block_of(f, b);
	if (ba < 0 || bb < 0)
		return 1;
	if (ba == bb && b > a)
		return 1;
	char *seen = xcalloc((size_t)f->nblocks, 1);
	int *work = xmalloc(sizeof(int) * (size_t)f->nblocks), n = 0, found = 0;
	for (int k = 0; k < f->blocks[ba]->nsucc; k++)
		if (!seen[f->blocks[ba]->succ[k]]) {
			seen[f->blocks[ba]->succ[k]] = 1;
			work[n++] = f->blocks[ba]->succ[k];
		}
	while (n && !found) {
		int x = work[--n];
		found = x == bb;
		for (int k = 0; k < f->blocks[x]->nsucc; k++)
			if (!seen[f->blocks[x]->succ[k]]) {
				seen[f->blocks[x]->succ[k]] = 1;
				work[n++] = f->blocks[x]->succ[k];
			}
	}
	free(seen);
	free(work);
	return found;
}

static const rules_thread *thread_rule(const rules *r, const ir_event *e)
{
	if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || !e->u.call.name)
		return NULL;
	for (int i = 0; i < r->nthreads; i++)
		if (strcmp(r->threads[i].function, e->u.call.name) == 0)
			return &r->threads[i];
	return NULL;
}

/* Every registration, and every function whose address goes anywhere but
 * a registration's handler argument (escapes[fi]). */
static void collect(lk_prog *p, thread_regs *regs, char *escapes)
{
	for (int fi = 0; fi < p->nfn; fi++) {
		escapes[fi] |= p->fn[fi].stored != 0;
		const ir_func *f = p->fn[fi].ir;
		for (int b = 0; b < f->nblocks; b++)
			for (int j = 0; j < f->blocks[b]->nev; j++) {
				const ir_event *e = &f->blocks[b]->ev[j];
				if (e->kind != IR_EV_CALL)
					continue;
				const rules_thread *t = thread_rule(p->rules, e);
				for (int a = 0; a < e->u.call.nargs; a++) {
					int h = lk_fn_of_expr(p, e->u.call.args[a]);
					if (h < 0)
						continue;
					if (!t || a != t->handler || t->object >= e->u.call.nargs) {
						escapes[h] = 1;
						continue;
					}
					LA_VEC_PUSH(regs->v, regs->n, regs->cap);
					regs->v[regs->n++] = (thread_reg){
						fi, e, h, t->param,
						lk_resolve_locals(&p->arena, e->u.call.args[t->object], &p->fn[fi].locals), -1
					};
				}
			}
	}
}

/* Registration groups: one function's registrations of one object on
 * paths that exclude each other share a thread. */
static void group(const lk_prog *p, thread_regs *regs)
{
	for (int i = 0; i < regs->n; i++) {
		thread_reg *r = &regs->v[i];
		const ir_func *f = p->fn[r->fi].ir;
		if (reaches(f, r->call, r->call) && !lk_obj_through_iterator(&p->fn[r->fi], r->obj)) {
			r->thread = SER_NONE;   /* a loop starts one per turn for the same object */
			continue;
		}
		r->thread = i;
		for (int j = 0; j < i; j++) {
			thread_reg *o = &regs->v[j];
			if (o->fi != r->fi || !lk_expr_equal(o->obj, r->obj) || o->thread == SER_NONE)
				continue;
			if (reaches(f, o->call, r->call) || reaches(f, r->call, o->call)) {
				r->thread = SER_NONE;   /* two threads for one object */
				for (int k = 0; k < i; k++)
					if (regs->v[k].thread == o->thread)
						regs->v[k].thread = SER_NONE;
				break;
			}
			r->thread = o->thread;
		}
	}
}

/* The parameter of the callee that gets the caller's own object at `call`, or -1. */
static int object_arg(lk_prog *p, int caller, const ir_event *call)
{
	const lk_fn *g = &p->fn[caller];
	for (int a = 0; a < call->u.call.nargs; a++) {
		const ir_expr *x = lk_resolve_locals(&p->arena, call->u.call.args[a], &g->locals);
		if (x && x->kind == IR_E_PARAM && x->ival == g->serial_param)
			return a;
	}
	return -1;
}

/* One way into a function, met with what the others said. */
static void meet(int *param, int *thread, int p2, int t2)
{
	if (*thread == SER_NONE)
		return;
	if (t2 == SER_NONE || (*thread != SER_UNSET && (*thread != t2 || *param != p2))) {
		*thread = SER_NONE;
		return;
	}
	*thread = t2;
	*param = p2;
}

void lk_threads_compute(lk_prog *p)
{
	for (int i = 0; i < p->nfn; i++) {
		p->fn[i].serial_thread = SER_NONE;
		p->fn[i].serial_param = -1;
	}
	if (!p->rules || !p->rules->nthreads)
		return;
	thread_regs regs = { NULL, 0, 0 };
	char *escapes = xcalloc((size_t)p->nfn + 1, 1);
	collect(p, &regs, escapes);
	group(p, &regs);
	if (!regs.n) {
		free(escapes);
		return;
	}
	lk_incoming *inc = lk_incoming_new(p);
	for (int i = 0; i < p->nfn; i++)
		p->fn[i].serial_thread = escapes[i] ? SER_NONE : SER_UNSET;
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < p->nfn; i++) {
			lk_fn *fn = &p->fn[i];
			if (fn->serial_thread == SER_NONE)
				continue;
			int param = -1, thread = SER_UNSET, ways = 0;
			for (int k = 0; k < regs.n; k++)
				if (regs.v[k].handler == i) {
					ways++;
					meet(&param, &thread, regs.v[k].param, regs.v[k].thread);
				}
			for (int k = inc->start[i]; k < inc->start[i + 1]; k++) {
				const lk_fn *g = &p->fn[inc->in[k].caller];
				ways++;
				if (g->serial_thread == SER_UNSET)
					continue;
				int a = g->serial_thread == SER_NONE ? -1 : object_arg(p, inc->in[k].caller, inc->in[k].call);
				meet(&param, &thread, a, a < 0 ? SER_NONE : g->serial_thread);
			}
			if (!ways)
				thread = SER_NONE;
			if (thread != fn->serial_thread || param != fn->serial_param) {
				fn->serial_thread = thread;
				fn->serial_param = param;
				changed = 1;
			}
		}
	}
	for (int i = 0; i < p->nfn; i++)
		if (p->fn[i].serial_thread == SER_UNSET)
			p->fn[i].serial_thread = SER_NONE;
	lk_incoming_free(inc);
	free(regs.v);
	free(escapes);
}

/* Is the lock object inside the object parameter `param` points to
 * ($0->reset_lock, $0->a.b[i], container_of($0, ...)->lock), not in one
 * that a pointer stored in it leads to? */
static int inside_object(const lk_fn *fn, const ir_expr *obj, int param)
{
	while (obj && ((obj->kind == IR_E_FIELD && !obj->ival) || obj->kind == IR_E_INDEX))
		obj = obj->a;
	if (!obj || !((obj->kind == IR_E_FIELD && obj->ival) || obj->kind == IR_E_DEREF))
		return 0;
	return lk_obj_walks_from_param(fn, obj->a, param);
}

int lk_serial_thread_of(const lk_fn *fn, const ir_expr *obj)
{
	if (fn->serial_thread < 0 || !obj || !inside_object(fn, obj, fn->serial_param))
		return -1;
	return fn->serial_thread;
}
