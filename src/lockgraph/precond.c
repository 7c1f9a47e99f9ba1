/* Preconditions: an assertion on every path of the function, written in
 * the callers' terms (summary kind `requires`). */
#include "transfer_int.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* held(LOCK), or held_exclusive(LOCK) for an exclusive `mode`, with
 * *has_lock set when path s does not hold it; NULL when the lock is not
 * made of parameters and globals (the callers cannot name it). */
static const lk_req_node *held_node(tctx *t, la_arena *a, const lk_state *s, const ir_expr *obj, int mode,
				    la_buf *out, int *has_lock)
{
	if (!lk_expr_rooted_in_params(obj))
		return NULL;
	const char *inst, *cls;
	lk_name_lock(t->p, a, obj, &inst, &cls);
	const lk_held *h = lk_state_find(s, inst, cls);
	la_buf_printf(out, "held%s(%s)", mode == LOCK_EXCLUSIVE ? "_exclusive" : "", inst);
	*has_lock |= !(h && !h->maybe);
	lk_req_node *n = la_arena_alloc(&t->p->arena, sizeof(*n));
	n->op = LK_REQ_HELD;
	n->obj = lk_expr_clone(&t->p->arena, obj);
	n->modes = mode == LOCK_EXCLUSIVE ? LOCK_EXCLUSIVE | LOCK_RECURSIVE : LOCK_ANY;
	return n;
}

/* An assertion's condition as a precondition on the function's caller:
 * held(LOCK) for lock queries not satisfied here, pointer tests on
 * parameters, && and || kept; as text and as a formula (in p's arena).
 * NULL when a part cannot be stated in the caller's terms (then a
 * disjunction says nothing). */
static const lk_req_node *formula(tctx *t, la_arena *a, const lk_state *s, const ir_expr *c, int truth,
				  la_buf *out, int *has_lock)
{
	if (!c)
		return NULL;
	if (c->kind == IR_E_UNOP && c->name && strcmp(c->name, "!") == 0)
		return formula(t, a, s, c->a, !truth, out, has_lock);
	lk_req_node *n = NULL;
	if (c->kind == IR_E_BINOP && c->name && (strcmp(c->name, "&&") == 0 || strcmp(c->name, "||") == 0)) {
		/* De Morgan under negation */
		int is_and = (c->name[0] == '&') == truth;
		la_buf l = LA_BUF_INIT, r = LA_BUF_INIT;
		const lk_req_node *nl = formula(t, a, s, c->a, truth, &l, has_lock);
		const lk_req_node *nr = formula(t, a, s, c->b, truth, &r, has_lock);
		const lk_req_node *res = NULL;
		if (nl && nr) {
			la_buf_printf(out, "(%s %s %s)", l.ptr, is_and ? "&&" : "||", r.ptr);
			n = la_arena_alloc(&t->p->arena, sizeof(*n));
			n->op = is_and ? LK_REQ_AND : LK_REQ_OR;
			n->l = nl;
			n->r = nr;
			res = n;
		} else if (is_and && (nl || nr)) {   /* a conjunct we cannot state is dropped */
			la_buf_puts(out, nl ? l.ptr : r.ptr);
			res = nl ? nl : nr;
		}
		la_buf_free(&l);
		la_buf_free(&r);
		return res;
	}
	if (c->kind == IR_E_CALLRET) {
		int mode;
		const ir_expr *obj = lk_query_of_call(t, a, (int)c->ival, &mode);
		return obj && truth ? held_node(t, a, s, obj, mode, out, has_lock) : NULL;
	}
	if ((c->kind == IR_E_PARAM || c->kind == IR_E_FIELD) && lk_expr_rooted_in_params(c)) {
		la_buf_printf(out, "%s", truth ? "" : "!");
		ir_expr_render(out, c, NULL, 0);
		n = la_arena_alloc(&t->p->arena, sizeof(*n));
		n->op = LK_REQ_TEST;
		n->obj = lk_expr_clone(&t->p->arena, c);
		n->truth = truth;
		return n;
	}
	return NULL;
}

/* Is block b on every path from the entry to a return? An assertion only on
 * some paths (inside `if ( table[i] )`) says nothing about the callers. */
static int on_every_path(const ir_func *f, int b)
{
	if (b == 0)
		return 1;
	char *seen = xcalloc((size_t)f->nblocks, 1);
	int *stack = xmalloc(sizeof(int) * (size_t)f->nblocks);
	int n = 0, avoidable = 0;
	stack[n++] = 0;
	seen[0] = 1;
	seen[b] = 1;   /* paths may not go through it */
	while (n && !avoidable) {
		const ir_block *bl = f->blocks[stack[--n]];
		if (!bl->nsucc && !bl->noreturn)
			avoidable = 1;
		for (int k = 0; k < bl->nsucc; k++)
			if (!seen[bl->succ[k]]) {
				seen[bl->succ[k]] = 1;
				stack[n++] = bl->succ[k];
			}
	}
	free(seen);
	free(stack);
	return !avoidable;
}

/* Add a requirement unless one with the same text is there; NULL when not added. */
static lk_req *add_requirement(tctx *t, const char *text_buf, const lk_req_node *n)
{
	const char *text = lk_intern(t->p->in, text_buf);
	for (int i = 0; i < t->req.n; i++)
		if (t->req.v[i].text == text)
			return NULL;
	LA_VEC_PUSH(t->req.v, t->req.n, t->req.cap);
	lk_req *r = &t->req.v[t->req.n++];
	memset(r, 0, sizeof(*r));
	r->text = text;
	r->cond = n;
	r->via_fn = -1;
	return r;
}

static void note(tctx *t, const ir_event *e, const lk_req_node *n, const char *text, int has_lock)
{
	lk_req *r = n && has_lock ? add_requirement(t, text, n) : NULL;
	if (r) {
		r->macro = e->u.assert_.macro;
		r->assertion = e;
		r->at = e->loc;
	}
}

void lk_note_requirement(tctx *t, la_arena *a, const lk_state *s, const ir_event *e, int truth, int block)
{
	if (!on_every_path(t->fn->ir, block))
		return;
	la_buf b = LA_BUF_INIT;
	int has_lock = 0;
	const lk_req_node *n = formula(t, a, s, e->u.assert_.cond, truth, &b, &has_lock);
	note(t, e, n, b.ptr, has_lock);
	la_buf_free(&b);
}

void lk_note_lock_requirement(tctx *t, la_arena *a, const lk_state *s, const ir_event *e, const ir_expr *obj,
			      int mode, int block)
{
	if (!obj || !on_every_path(t->fn->ir, block))
		return;
	la_buf b = LA_BUF_INIT;
	int has_lock = 0;
	const lk_req_node *n = held_node(t, a, s, obj, mode, &b, &has_lock);
	note(t, e, n, b.ptr, has_lock);
	la_buf_free(&b);
}

void lk_rules_requirement(tctx *t)
{
	const rules_precondition *pc = rules_find_precondition(t->p->rules, t->fn->name);
	if (!pc || !t->sum || !pc->requires.nlocks)
		return;
	la_buf text = LA_BUF_INIT;
	const lk_req_node *cond = NULL;
	for (int i = 0; i < pc->requires.nlocks; i++) {
		lk_req_node *h = la_arena_alloc(&t->p->arena, sizeof(*h));
		h->op = LK_REQ_HELD;
		h->cls = lk_intern(t->p->in, pc->requires.locks[i].cls);
		h->modes = pc->requires.locks[i].modes;
		la_buf_printf(&text, "%sheld%s(%s)", i ? (pc->requires.any ? " || " : " && ") : "",
			      h->modes == LOCK_ANY ? "" : "_exclusive", h->cls);
		if (cond) {
			lk_req_node *j = la_arena_alloc(&t->p->arena, sizeof(*j));
			j->op = pc->requires.any ? LK_REQ_OR : LK_REQ_AND;
			j->l = cond;
			j->r = h;
			cond = j;
		} else
			cond = h;
	}
	if (pc->requires.nlocks > 1) {
		la_buf wrapped = LA_BUF_INIT;
		la_buf_printf(&wrapped, "(%s)", text.ptr);
		la_buf_free(&text);
		text = wrapped;
	}
	lk_req *r = add_requirement(t, text.ptr, cond);
	if (r) {
		r->macro = "rules";
		r->at = t->fn->ir->loc;
		r->reason = pc->reason;
	}
	la_buf_free(&text);
}

void lk_inherit_requirements(tctx *t, int block, const ir_event *e, lk_state *const *states, int n)
{
	if (!t->sum || !n || e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || e->u.call.id < 0 ||
	    e->u.call.id >= t->fn->ir->ncalls || t->fn->calls[e->u.call.id].ntargets != 1)
		return;
	int ci = t->fn->calls[e->u.call.id].targets[0];
	const lk_fn *callee = &t->p->fn[ci];
	if (!callee->sum.nrequires || !on_every_path(t->fn->ir, block))
		return;
	for (int k = 0; k < callee->sum.nrequires; k++) {
		/* the same formula left on every path, or nothing: a path that
		 * satisfies it or breaks it (the precondition check's business
		 * here) leaves the callers nothing to require */
		const lk_req_node *left = NULL;
		la_buf text = LA_BUF_INIT;
		int same = 1;
		for (int j = 0; j < n && same; j++) {
			const lk_req_node *rn;
			la_buf one = LA_BUF_INIT;
			int v = lk_req_residual(t->p, t->fn, e, callee->sum.requires[k].cond, states[j], &rn, &one);
			if (v != 2 || !lk_req_count(rn, LK_REQ_HELD) || !lk_req_count(rn, LK_REQ_TEST))
				same = 0;   /* no lock, or only locks: the callers' contexts say those */
			else if (!j) {
				left = rn;
				la_buf_puts(&text, one.ptr);
			} else
				same = strcmp(text.ptr, one.ptr) == 0;
			la_buf_free(&one);
		}
		lk_req *r = same && left ? add_requirement(t, text.ptr, left) : NULL;
		if (r) {
			r->macro = callee->sum.requires[k].macro;
			r->at = callee->sum.requires[k].at;
			r->via_fn = ci;
			r->via_call = e;
			r->via_req = &callee->sum.requires[k];
		}
		la_buf_free(&text);
	}
}
