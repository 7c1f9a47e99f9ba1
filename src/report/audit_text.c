#include "audit.h"
#include "../util/buf.h"

#include <string.h>

void audit_lock_name(la_buf *b, const rd_lock *l)
{
	if (!l->mode) {
		la_buf_puts(b, l->cls);
		return;
	}
	la_buf_printf(b, "%s (%s%s)", l->cls, l->mode, l->must ? "" : ", some paths");
}

void audit_change_counts(const rd_diff *d, int *changed, int *appeared, int *gone)
{
	*changed = *appeared = *gone = 0;
	for (int i = 0; i < d->nchanges; i++) {
		const rd_change *c = &d->changes[i];
		if (!c->before)
			(*appeared)++;
		else if (!c->after)
			(*gone)++;
		else
			(*changed)++;
	}
}

/* "lost A; gained B; C: exclusive -> shared" */
static void describe_change(la_buf *b, const rd_access *before, const rd_access *after)
{
	const char *sep = "";
	for (int i = 0; i < before->nlocks; i++) {
		const rd_lock *l = &before->locks[i];
		if (rd_has_lock(after, l))
			continue;
		const rd_lock *same = NULL;   /* the class still held, another way */
		for (int j = 0; j < after->nlocks && !same; j++)
			if (strcmp(after->locks[j].cls, l->cls) == 0 && !rd_has_lock(before, &after->locks[j]))
				same = &after->locks[j];
		la_buf_puts(b, sep);
		sep = "; ";
		if (same) {
			la_buf_printf(b, "%s: ", l->cls);
			audit_lock_name(b, l);
			la_buf_puts(b, " -> ");
			audit_lock_name(b, same);
		} else {
			la_buf_puts(b, "lost ");
			audit_lock_name(b, l);
		}
	}
	for (int j = 0; j < after->nlocks; j++) {
		const rd_lock *l = &after->locks[j];
		if (rd_has_lock(before, l))
			continue;
		int mode_change = 0;
		for (int i = 0; i < before->nlocks; i++)
			if (strcmp(before->locks[i].cls, l->cls) == 0 && !rd_has_lock(after, &before->locks[i]))
				mode_change = 1;
		if (mode_change)
			continue;
		la_buf_printf(b, "%sgained ", sep);
		sep = "; ";
		audit_lock_name(b, l);
	}
	/* what did not change is half of the answer ("still held on every path") */
	const char *still = "; still held: ";
	for (int i = 0; i < after->nlocks; i++)
		if (after->locks[i].must && rd_has_lock(before, &after->locks[i])) {
			la_buf_puts(b, still);
			still = ", ";
			audit_lock_name(b, &after->locks[i]);
		}
}

static void held_list(la_buf *b, const rd_access *a)
{
	if (!a->nlocks) {
		la_buf_puts(b, "no lock held");
		return;
	}
	la_buf_puts(b, "under ");
	for (int i = 0; i < a->nlocks; i++) {
		if (i)
			la_buf_puts(b, ", ");
		audit_lock_name(b, &a->locks[i]);
	}
}

void audit_change_text(la_buf *b, const rd_change *c)
{
	if (!c->before) {
		la_buf_puts(b, "new access, ");
		held_list(b, c->after);
	} else if (!c->after) {
		la_buf_puts(b, "access removed (was ");
		held_list(b, c->before);
		la_buf_putc(b, ')');
	} else {
		describe_change(b, c->before, c->after);
	}
}

static void print_changes(FILE *out, const rd_diff *d)
{
	const char *field_s = NULL, *field_f = NULL;
	la_buf b = LA_BUF_INIT;
	for (int i = 0; i < d->nchanges; i++) {
		const rd_change *c = &d->changes[i];
		const rd_access *a = c->after ? c->after : c->before;
		if (!field_s || strcmp(field_s, a->strct) || strcmp(field_f, a->field)) {
			fprintf(out, "  %s.%s:\n", a->strct, a->field);
			field_s = a->strct;
			field_f = a->field;
		}
		la_buf_clear(&b);
		la_buf_printf(&b, "    %s:%d: %s() %s %s: ", a->file, a->line, a->func, a->mode, a->expr);
		audit_change_text(&b, c);
		fprintf(out, "%s\n", b.ptr);
	}
	la_buf_free(&b);
}

static void print_findings(FILE *out, const char *title, rd_finding *const *f, int n)
{
	if (!n)
		return;
	fprintf(out, "\n  %s:\n", title);
	for (int i = 0; i < n; i++)
		fprintf(out, "  %s:%d: %s: %s [lockaudit-%s] in %s()\n", f[i]->file, f[i]->line, f[i]->severity,
			f[i]->message, f[i]->check, f[i]->func);
}

void audit_report_text(FILE *out, const char *base, const audit_commit *cs, int n)
{
	fprintf(out, "lockaudit audit of %d commit%s on %.12s\n", n, n == 1 ? "" : "s", base);
	for (int k = 0; k < n; k++) {
		const audit_commit *c = &cs[k];
		const rd_diff *d = c->diff;
		int changed, appeared, gone;
		audit_change_counts(d, &changed, &appeared, &gone);
		fprintf(out, "\n[%d/%d] %.12s %s\n", k + 1, n, c->id, c->subject);
		fprintf(out, "  %d new finding%s, %d resolved; %d access%s changed protection, %d new, %d removed; "
			"lock order: %d edge%s added, %d removed\n",
			d->nadded, d->nadded == 1 ? "" : "s", d->nresolved, changed, changed == 1 ? "" : "es",
			appeared, gone, d->nedges_added, d->nedges_added == 1 ? "" : "s", d->nedges_removed);
		if (c->failed_tus)
			fprintf(out, "  warning: %d TU%s failed to parse at this commit (their previous facts kept)\n",
				c->failed_tus, c->failed_tus == 1 ? "" : "s");
		print_findings(out, "New findings", d->added, d->nadded);
		print_findings(out, "Resolved findings", d->resolved, d->nresolved);
		if (d->nshares) {
			fprintf(out, "\n  Guard shares (accesses under each lock on every path, before -> after):\n");
			for (int i = 0; i < d->nshares; i++) {
				const rd_share *sh = &d->shares[i];
				fprintf(out, "    %s.%s:", sh->strct, sh->field);
				for (int k = 0; k < sh->nlocks; k++)
					fprintf(out, "%s %s %d/%d -> %d/%d", k ? ";" : "", sh->locks[k].cls,
						sh->locks[k].before, sh->before_total, sh->locks[k].after, sh->after_total);
				fputc('\n', out);
			}
		}
		if (d->nchanges) {
			fprintf(out, "\n  Protection changes:\n");
			print_changes(out, d);
		}
		if (d->nedges_added || d->nedges_removed) {
			fprintf(out, "\n  Lock order:\n");
			for (int i = 0; i < d->nedges_added; i++)
				fprintf(out, "    added:   %s -> %s\n", d->edges_added[i]->from, d->edges_added[i]->to);
			for (int i = 0; i < d->nedges_removed; i++)
				fprintf(out, "    removed: %s -> %s\n", d->edges_removed[i]->from, d->edges_removed[i]->to);
		}
	}
}
