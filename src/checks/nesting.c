/* Two instances of one lock class held at once (nesting.h). */
#include "nesting.h"
#include "../util/buf.h"

#include <stdlib.h>
#include <string.h>

static int other_instance(check_ctx *c, const lk_held *h, const lk_held *l, nest_accept_fn accept,
			  const lk_site *site)
{
	return !h->maybe && strcmp(h->cls, l->cls) == 0 && h->inst != l->inst && accept(c, h, l, site);
}

int nest_find(check_ctx *c, const lk_fn *fn, const lk_state *before, const lk_held *l, nest_accept_fn accept, nest_hit *out)
{
	for (int i = 0; i < before->nheld; i++)
		if (other_instance(c, &before->held[i], l, accept, NULL)) {
			*out = (nest_hit){ &before->held[i], NULL };
			return 1;
		}
	/* not held here on every path, but held by some caller: the entry
	 * context (what every caller holds) does not show it, a call site does
	 * (modify_bars called by a register handler that holds its device's
	 * vpci->lock) */
	for (int k = 0; k < fn->nsites; k++) {
		const lk_site *site = &fn->sites[k];
		for (int i = 0; i < site->nheld; i++)
			if (other_instance(c, &site->held[i], l, accept, site)) {
				*out = (nest_hit){ &site->held[i], site };
				return 1;
			}
	}
	return 0;
}

void nest_report(check_ctx *c, const lk_fn *fn, const ir_event *e, const lk_held *l, const nest_hit *hit,
		 const char *suffix)
{
	const lk_prog *p = check_prog(c);
	const lk_held *h = hit->held;
	char *a = check_lock_text(fn, l), *b = check_lock_text(fn, h);
	const char *cls[1] = { h->cls };
	int modes[1] = { LOCK_ANY };
	finding *f;
	if (!hit->site) {
		f = check_report(c, fn, e->loc, l->cls, l->cls, "acquiring %s while %s is held: two %s locks at once%s", a,
				 b, l->cls, suffix);
		if (f) {
			check_trace_entry(c, f, fn, e, cls, modes, 1, 1, "holding one");
			check_trace_acquired(c, f, h, fn);
		}
	} else {
		const lk_fn *caller = &p->fn[hit->site->caller];
		f = check_report(c, fn, e->loc, l->cls, l->cls,
				 "acquiring %s while %s may be held by the caller %s(): two %s locks at once%s", a, b,
				 check_fn_name(caller), l->cls, suffix);
		if (f) {
			/* the caller's step names the lock as the caller does */
			const ir_expr *obj = hit->site->held_obj ? hit->site->held_obj[h - hit->site->held] : NULL;
			la_buf at_caller = LA_BUF_INIT;
			if (obj)
				ir_expr_render(&at_caller, obj, caller->ir, 1);
			check_trace_site(c, f, fn, hit->site, h->cls, obj ? at_caller.ptr : b, "holding one");
			la_buf_free(&at_caller);
		}
	}
	if (f)
		finding_add_step(f, "acquire", f->file, e->loc.line, e->loc.col, f->func, "%s acquired", a);
	free(a);
	free(b);
}
