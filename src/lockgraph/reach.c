#include "reach.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* k when e calls through parameter k of the function `usr`, else -1. */
static int param_call(const ir_event *e, const char *usr)
{
	const char *key = e->u.call.fnkey;
	size_t n = usr ? strlen(usr) : 0;
	if (e->u.call.how == IR_CALL_DIRECT || !key || !n || strncmp(key, "param:", 6) != 0 ||
	    strncmp(key + 6, usr, n) != 0 || key[6 + n] != '#')
		return -1;
	return atoi(key + 7 + n);
}

/* The function passed for parameter k of node `at`'s function, following
 * parameters passed on up the chain; -1 when the chain does not say. */
static int bound_callback(const lk_prog *p, const lk_reach *r, int at, int k)
{
	while (at >= 0 && r->nodes[at].call) {
		const ir_event *call = r->nodes[at].call;
		if (k < 0 || k >= call->u.call.nargs)
			return -1;
		const ir_expr *x = call->u.call.args[k];
		while (x && x->kind == IR_E_ADDR)
			x = x->a;
		if (x && x->kind == IR_E_FUNC && x->sname)
			return (int)la_strset_index(&p->usrs, x->sname);
		if (!x || x->kind != IR_E_PARAM)
			return -1;
		k = (int)x->ival;
		at = r->nodes[at].from;
	}
	return -1;
}

static int has_param_calls(const lk_prog *p, int fi)
{
	const ir_func *ir = p->fn[fi].ir;
	for (int b = 0; ir && b < ir->nblocks; b++)
		for (int j = 0; j < ir->blocks[b]->nev; j++)
			if (ir->blocks[b]->ev[j].kind == IR_EV_CALL && param_call(&ir->blocks[b]->ev[j], ir->usr) >= 0)
				return 1;
	return 0;
}

static void visit(const lk_prog *p, lk_reach *r, int fi, int from, const ir_event *call)
{
	if (r->first[fi] >= 0) {
		if (r->pcalls[fi] < 0)
			r->pcalls[fi] = (signed char)has_param_calls(p, fi);
		if (!call || !r->pcalls[fi])
			return;
		la_buf key = LA_BUF_INIT;
		la_buf_printf(&key, "%d %p", fi, (const void *)call);
		int fresh = la_strset_add(&r->seen, key.ptr);
		la_buf_free(&key);
		if (!fresh)
			return;
	}
	LA_VEC_PUSH(r->nodes, r->n, r->cap);
	r->nodes[r->n] = (lk_reach_node){ fi, from, call };
	if (r->first[fi] < 0)
		r->first[fi] = r->n;
	r->n++;
}

void lk_reach_run(const lk_prog *p, const int *roots, int nroots, lk_reach_follow follow, void *arg,
		  lk_reach *out)
{
	memset(out, 0, sizeof(*out));
	out->first = xcalloc((size_t)p->nfn + 1, sizeof(int));
	out->pcalls = xcalloc((size_t)p->nfn + 1, 1);
	for (int i = 0; i < p->nfn; i++) {
		out->first[i] = -1;
		out->pcalls[i] = -1;
	}
	for (int i = 0; i < nroots; i++)
		if (roots[i] >= 0 && roots[i] < p->nfn)
			visit(p, out, roots[i], -1, NULL);
	for (int k = 0; k < out->n; k++) {
		int fi = out->nodes[k].fn;
		const lk_fn *fn = &p->fn[fi];
		if (!fn->ir || fn->prim)
			continue;   /* a primitive's body is not analysed either */
		for (int b = 0; b < fn->ir->nblocks; b++) {
			const ir_block *bl = fn->ir->blocks[b];
			for (int j = 0; j < bl->nev; j++) {
				const ir_event *e = &bl->ev[j];
				if (e->kind != IR_EV_CALL || e->u.call.id < 0 || e->u.call.id >= fn->ir->ncalls)
					continue;
				const lk_call *c = &fn->calls[e->u.call.id];
				if (!c->ntargets)
					continue;
				int only = bound_callback(p, out, k, param_call(e, fn->ir->usr));
				for (int t = 0; t < c->ntargets; t++)
					if ((only < 0 || c->targets[t] == only) &&
					    (!follow || follow(p, fi, e, c->targets[t], arg)))
						visit(p, out, c->targets[t], k, e);
			}
		}
	}
}

int lk_reach_root(const lk_reach *r, int fi)
{
	int at = fi >= 0 ? r->first[fi] : -1;
	if (at < 0)
		return -1;
	while (r->nodes[at].from >= 0)
		at = r->nodes[at].from;
	return r->nodes[at].fn;
}

void lk_reach_chain(const lk_reach *r, int fi, lk_chain *out)
{
	memset(out, 0, sizeof(*out));
	out->target = fi;
	int at = fi >= 0 ? r->first[fi] : -1;
	out->end = at >= 0 ? LK_CHAIN_ROOT : LK_CHAIN_NONE;
	int n = 0;
	for (int a = at; a >= 0 && r->nodes[a].from >= 0; a = r->nodes[a].from)
		n++;
	out->steps = xcalloc((size_t)n + 1, sizeof(*out->steps));
	out->n = n;
	for (int a = at, k = n - 1; k >= 0; a = r->nodes[a].from, k--)
		out->steps[k] = (lk_chain_step){ r->nodes[r->nodes[a].from].fn, r->nodes[a].call };
}

void lk_reach_free(lk_reach *r)
{
	free(r->nodes);
	free(r->first);
	free(r->pcalls);
	la_strset_free(&r->seen);
	memset(r, 0, sizeof(*r));
}
