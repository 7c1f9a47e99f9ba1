#include "select.h"
#include "../checks/check.h"
#include "../checks/checks.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int named(const char *const *v, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

int select_check_ids(const select_opts *o)
{
	for (int i = 0; i < o->nenable + o->ndisable; i++) {
		const char *id = i < o->nenable ? o->enable[i] : o->disable[i - o->nenable];
		if (!check_find(id))
			return la_error_code(LA_EINVAL, "unknown check '%s' (lockaudit check --list shows them)", id);
	}
	return LA_OK;
}

int select_check_on(const select_opts *o, const la_check *ch)
{
	if (named(o->disable, o->ndisable, ch->id))
		return 0;
	return o->all || named(o->enable, o->nenable, ch->id) || checks_enabled(o->rules, ch);
}

static int suppression_valid(const suppression *sp)
{
	if (!*sp->check)
		return la_error_code(LA_EPARSE, "%s:%d: lockaudit suppression names no check: write "
				     "`lockaudit: ignore[CHECK] reason`", sp->file, sp->line);
	if (!check_find(sp->check))
		return la_error_code(LA_EPARSE, "%s:%d: lockaudit suppression names an unknown check '%s' "
				     "(lockaudit check --list shows them)", sp->file, sp->line, sp->check);
	if (!*sp->reason)
		return la_error_code(LA_EPARSE, "%s:%d: lockaudit suppression ignore[%s] has no reason: "
				     "say after the brackets why the finding is wrong or accepted",
				     sp->file, sp->line, sp->check);
	return LA_OK;
}

static int suppression_matches(const suppression *sp, const finding *f)
{
	return f->line >= sp->line && f->line <= sp->end_line + 1 && strcmp(sp->check, f->check) == 0 &&
	       strcmp(sp->file, f->file ? f->file : "") == 0;
}

/* The suppression of f, marking every suppression that matches a finding. */
static const suppression *suppressed_by(const suppression_set *ss, const finding *f, char *used)
{
	const suppression *first = NULL;
	for (int i = 0; ss && i < ss->n; i++)
		if (suppression_matches(&ss->v[i], f)) {
			used[i] = 1;
			if (!first)
				first = &ss->v[i];
		}
	return first;
}

static void add(selection *out, const finding *f, const char *ignored, const suppression *sp)
{
	LA_VEC_PUSH(out->v, out->n, out->cap);
	out->v[out->n++] = (selected){ f, ignored, sp };
}

int select_findings(const finding_set *fs, const select_opts *o, selection *out)
{
	memset(out, 0, sizeof(*out));
	const suppression_set *ss = o->suppressions;
	for (int i = 0; ss && i < ss->n; i++) {
		int err = suppression_valid(&ss->v[i]);
		if (err < 0)
			return err;
	}
	char *sup_used = xcalloc((size_t)(ss && ss->n ? ss->n : 1), 1);
	char *base_used = xcalloc((size_t)(o->baseline && o->baseline->n ? o->baseline->n : 1), 1);
	out->total = fs->n;
	for (int i = 0; i < fs->n; i++) {
		const finding *f = fs->v[i];
		const la_check *ch = check_find(f->check);
		/* suppressions match findings of any check, on or off: one that
		 * matches nothing is stale whatever the options */
		const suppression *sp = suppressed_by(ss, f, sup_used);
		if (!ch || !select_check_on(o, ch)) {
			out->off++;
			continue;
		}
		if (f->ignored || sp) {
			if (f->ignored)
				out->ignored++;
			else
				out->suppressed++;
			if (o->show_ignored)
				add(out, f, f->ignored, f->ignored ? NULL : sp);
			continue;
		}
		const baseline_entry *be = baseline_find(o->baseline, f->fingerprint);
		if (be) {
			base_used[be - o->baseline->v] = 1;
			out->known++;
			continue;
		}
		add(out, f, NULL, NULL);
		out->failing++;
	}
	for (int i = 0; o->baseline && i < o->baseline->n; i++)
		if (!base_used[i]) {
			LA_VEC_PUSH(out->gone, out->ngone, out->capgone);
			out->gone[out->ngone++] = &o->baseline->v[i];
		}
	for (int i = 0; ss && i < ss->n; i++)
		if (!sup_used[i]) {
			LA_VEC_PUSH(out->unmatched, out->nunmatched, out->capunmatched);
			out->unmatched[out->nunmatched++] = &ss->v[i];
		}
	free(sup_used);
	free(base_used);
	return LA_OK;
}

int select_failing(const selection *sel, const finding ***out)
{
	int n = 0;
	*out = xmalloc((size_t)(sel->n ? sel->n : 1) * sizeof(**out));
	for (int i = 0; i < sel->n; i++)
		if (!sel->v[i].ignored && !sel->v[i].suppressed)
			(*out)[n++] = sel->v[i].f;
	return n;
}

void selection_free(selection *sel)
{
	if (!sel)
		return;
	free(sel->v);
	free(sel->gone);
	free(sel->unmatched);
	memset(sel, 0, sizeof(*sel));
}
