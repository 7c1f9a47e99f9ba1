/* precondition: a call to a function whose assertions require a lock (or a
 * lock unless an argument says otherwise: ASSERT(d || pcidevs_locked()))
 * from a path that does not satisfy them. The trace is the call chain along
 * which the lock is not held. */
#include "check.h"
#include "../rules/assert_macros.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* __must_hold(x) on the function, not an assertion in its body */
static int is_annotation(const char *macro)
{
	const rules_assert_meaning *m = macro ? rules_assert_meaning_of(macro) : NULL;
	return m && m->annotation;
}

static void report(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_fn *callee, const lk_req *req,
		   const char *const *missing, const int *modes, int nmissing)
{
	lk_prog *p = check_prog(c);
	la_buf cls = LA_BUF_INIT, shown = LA_BUF_INIT, what = LA_BUF_INIT;
	for (int i = 0; i < nmissing; i++) {
		la_buf_printf(&cls, "%s%s", i ? "," : "", missing[i]);
		la_buf_printf(&what, "%s%s%s", i ? " or " : "", missing[i], modes[i] == LOCK_ANY ? "" : " (write)");
	}
	lk_chain ch;
	if (nmissing && !check_context_chain(c, fn, e, missing, modes, nmissing, 0, &ch)) {
		lk_chain_free(&ch);   /* every caller holds one of them */
		la_buf_free(&cls);
		la_buf_free(&what);
		la_buf_free(&shown);
		return;
	}
	if (!nmissing)
		memset(&ch, 0, sizeof(ch));
	lk_req_render(&shown, p, fn, e, req->cond);
	const char *via = nmissing ? check_ignored_via(c, fn, e, check_fn_name(callee), missing, modes, nmissing, &ch) : NULL;
	finding *f = check_report(c, fn, e->loc, check_fn_name(callee), cls.ptr,
				  "call to %s() without %s held: it requires %s", check_fn_name(callee),
				  nmissing ? what.ptr : "the lock", shown.ptr);
	if (f && via && !f->ignored)
		f->ignored = via;
	if (f) {
		la_buf note = LA_BUF_INIT;
		la_buf_printf(&note, "without %s", what.ptr);
		check_trace_chain(c, f, &ch, note.ptr);
		la_buf_free(&note);
		finding_add_step(f, "call", f->file, e->loc.line, e->loc.col, f->func, "%s() calls %s() without %s",
				 f->func, check_fn_name(callee), what.ptr);
		/* an inherited requirement: down to the assertion it comes from */
		const lk_fn *in = callee;
		for (; req->via_fn >= 0; req = req->via_req) {
			const lk_fn *next = &p->fn[req->via_fn];
			ir_loc at = req->via_call->loc;
			la_buf_clear(&shown);   /* what the callee requires, in this caller's names */
			lk_req_render(&shown, p, in, req->via_call, req->via_req->cond);
			finding_add_step(f, "call", at.file, at.line, at.col, check_fn_name(in),
					 "%s() calls %s() on every path, which requires %s", check_fn_name(in),
					 check_fn_name(next), shown.ptr);
			in = next;
		}
		la_buf_clear(&shown);   /* the assertion as the source writes it */
		if (req->assertion && req->assertion->u.assert_.text)
			la_buf_puts(&shown, req->assertion->u.assert_.text);
		else if (req->assertion)
			ir_expr_render(&shown, req->assertion->u.assert_.cond, in->ir, 1);
		if (req->reason)
			finding_add_step(f, "assert", req->at.file, req->at.line, req->at.col, check_fn_name(in),
					 "%s() requires %s (rules: preconditions: %s)", check_fn_name(in), req->text,
					 req->reason);
		else
			finding_add_step(f, "assert", req->at.file, req->at.line, req->at.col, check_fn_name(in),
					 "%s() %s %s(%s)", check_fn_name(in), is_annotation(req->macro) ? "is annotated" : "asserts",
					 req->macro, shown.ptr ? shown.ptr : req->text);
	}
	lk_chain_free(&ch);
	la_buf_free(&cls);
	la_buf_free(&what);
	la_buf_free(&shown);
}

static void precondition_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT)
		return;
	int id = e->u.call.id;
	if (id < 0 || id >= fn->ir->ncalls || fn->calls[id].ntargets != 1)
		return;
	lk_prog *p = check_prog(c);
	const lk_fn *callee = &p->fn[fn->calls[id].targets[0]];
	for (int r = 0; r < callee->sum.nrequires; r++) {
		const lk_req_node *cond = callee->sum.requires[r].cond;
		int max = lk_req_count(cond, LK_REQ_HELD);   /* every lock of it may be missing */
		const char **missing = xmalloc(sizeof(char *) * (size_t)(max + 1));
		int *modes = xmalloc(sizeof(int) * (size_t)(max + 1));
		for (int j = 0; j < n; j++) {
			int nmissing = 0;
			if (lk_req_eval(p, fn, e, cond, states[j], missing, modes, &nmissing, max) == 0) {
				report(c, fn, e, callee, &callee->sum.requires[r], missing, modes, nmissing);
				break;
			}
		}
		free(missing);
		free(modes);
	}
}

const la_check check_precondition = {
	.id = "precondition",
	.severity = "warning",
	.enabled = 1,
	.title = "call to a function whose assertions require a lock the caller does not hold",
	.description = "A call to a function whose assertions (ASSERT(pcidevs_locked())) or __must_hold() annotation "
		"require a lock that the caller does not hold on that path; the trace is the chain of callers along "
		"which it is not held.",
	.event = precondition_event,
};
