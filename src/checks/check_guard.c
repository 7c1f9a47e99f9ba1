/* guard: an access to a field without the locks its rule demands
 * (rules "guards"; mode-aware: a read may need any of several locks, a
 * write all of them, some in write mode). */
#include "check.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 satisfied, 0 violated, -1 unknown (held on merged paths only). */
static int lockset_holds(const rules_lockset *ls, const lk_state *s, int *missing, int *nmissing)
{
	int sat = 0, unsure = 0, bad = 0;
	for (int i = 0; i < ls->nlocks; i++) {
		int h = check_holds(s, ls->locks[i].cls, ls->locks[i].modes);
		sat += h == 1;
		unsure += h < 0;
		if (h == 0) {
			bad++;
			missing[(*nmissing)++] = i;
		}
	}
	if (ls->any)
		return sat ? 1 : unsure ? -1 : 0;
	return bad ? 0 : unsure ? -1 : 1;
}

static void guard_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_ACCESS || e->u.access.mode == IR_ADDR)
		return;
	const rules_guard *g = rules_find_guard(check_rules(c), e->u.access.sname, e->u.access.field);
	if (!g)
		return;
	int write = e->u.access.mode == IR_WRITE;
	const rules_lockset *ls = write ? &g->write : &g->read;
	if (!ls->present)
		return;
	/* the rule's locks missing on one path: at most all of them */
	int *missing = xmalloc(sizeof(int) * (size_t)(ls->nlocks + 1));
	const char **classes = xmalloc(sizeof(char *) * (size_t)(ls->nlocks + 1));
	int *modes = xmalloc(sizeof(int) * (size_t)(ls->nlocks + 1));
	for (int j = 0; j < n; j++) {
		int nmissing = 0;
		if (lockset_holds(ls, states[j], missing, &nmissing) != 0)
			continue;
		la_buf what = LA_BUF_INIT, cls = LA_BUF_INIT;
		for (int i = 0; i < nmissing; i++) {
			char *t = check_ref_text(&ls->locks[missing[i]]);
			la_buf_printf(&what, "%s%s", i ? (ls->any ? " or " : " and ") : "", t);
			la_buf_printf(&cls, "%s%s", i ? "," : "", ls->locks[missing[i]].cls);
			free(t);
			classes[i] = ls->locks[missing[i]].cls;
			modes[i] = ls->locks[missing[i]].modes;
		}
		lk_chain ch;
		int real = check_context_chain(c, fn, e, classes, modes, ls->any ? nmissing : 1, 0, &ch);
		for (int i = 1; !ls->any && real && i < nmissing; i++) {   /* all: any one missing everywhere */
			lk_chain_free(&ch);
			real = check_context_chain(c, fn, e, &classes[i], &modes[i], 1, 0, &ch);
		}
		if (!real) {
			lk_chain_free(&ch);
			la_buf_free(&what);
			la_buf_free(&cls);
			continue;
		}
		char subject[256];
		snprintf(subject, sizeof(subject), "%s.%s", e->u.access.sname, e->u.access.field);
		const char *via = check_ignored_via(c, fn, e, subject, classes, modes, nmissing, &ch);
		finding *f = check_report(c, fn, e->loc, subject, cls.ptr, "%s %s without %s held", write ? "write to" : "read of",
					  subject, what.ptr);
		if (f && via && !f->ignored)
			f->ignored = via;
		if (f) {
			/* the caller chain along which it is not held, then the locks
			 * that are held (a read lock where a write lock is needed) */
			la_buf note = LA_BUF_INIT;
			la_buf_printf(&note, "without %s", what.ptr);
			check_trace_chain(c, f, &ch, note.ptr);
			la_buf_free(&note);
			for (int i = 0; i < states[j]->nheld; i++)
				for (int k = 0; k < nmissing; k++)
					if (strcmp(states[j]->held[i].cls, classes[k]) == 0) {
						check_trace_acquired(c, f, &states[j]->held[i], fn);
						break;
					}
			finding_add_step(f, "access", f->file, e->loc.line, e->loc.col, f->func, "%s %s%s%s",
					 write ? "written here" : "read here", g->reason ? "(rule: " : "",
					 g->reason ? g->reason : "", g->reason ? ")" : "");
		}
		lk_chain_free(&ch);
		la_buf_free(&what);
		la_buf_free(&cls);
		break;   /* one finding per access, on the first path that shows it */
	}
	free(missing);
	free(classes);
	free(modes);
}

const la_check check_guard = {
	.id = "guard",
	.severity = "warning",
	.enabled = 1,
	.title = "field accessed without the locks its rule (\"guards\") demands",
	.event = guard_event,
};
