/* forbidden-call: a call the rules forbid while a lock is held
 * ("forbidden_under_lock": process_pending_softirqs() in Xen). */
#include "check.h"

#include <stdlib.h>
#include <string.h>

static int forbids(const rules_forbidden *fb, const char *cls)
{
	if (!fb->nclasses)
		return 1;
	for (int i = 0; i < fb->nclasses; i++)
		if (strcmp(fb->classes[i], cls) == 0)
			return 1;
	return 0;
}

static void forbidden_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_CALL || e->u.call.how != IR_CALL_DIRECT || !e->u.call.name)
		return;
	const rules_forbidden *fb = rules_find_forbidden(check_rules(c), e->u.call.name);
	if (!fb)
		return;
	for (int j = 0; j < n; j++)
		for (int i = 0; i < states[j]->nheld; i++) {
			const lk_held *h = &states[j]->held[i];
			if (h->maybe || !forbids(fb, h->cls))
				continue;
			char *text = check_lock_text(fn, h);
			finding *f = check_report(c, fn, e->loc, e->u.call.name, h->cls, "call to %s() with %s held",
						  e->u.call.name, text);
			if (f) {
				const char *cls[1] = { h->cls };
				int modes[1] = { LOCK_ANY };
				check_trace_entry(c, f, fn, e, cls, modes, 1, 1, "holding it");
				check_trace_acquired(c, f, h, fn);
				finding_add_step(f, "call", f->file, e->loc.line, e->loc.col, f->func, "%s() called (%s)",
						 e->u.call.name, fb->reason);
			}
			free(text);
		}
}

const la_check check_forbidden_call = {
	.id = "forbidden-call",
	.severity = "warning",
	.enabled = 1,
	.title = "call forbidden by the rules (\"forbidden_under_lock\") made with a lock held",
	.event = forbidden_event,
};
