#include "audit.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static cJSON *finding_json(const rd_finding *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
	cJSON_AddStringToObject(o, "check", f->check);
	cJSON_AddStringToObject(o, "severity", f->severity);
	cJSON_AddStringToObject(o, "file", f->file);
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddStringToObject(o, "function", f->func);
	cJSON_AddStringToObject(o, "message", f->message);
	return o;
}

static cJSON *locks_json(const rd_access *a)
{
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; a && i < a->nlocks; i++) {
		cJSON *l = cJSON_CreateObject();
		cJSON_AddStringToObject(l, "class", a->locks[i].cls);
		if (a->locks[i].mode)
			cJSON_AddStringToObject(l, "mode", a->locks[i].mode);
		else
			cJSON_AddNullToObject(l, "mode");
		cJSON_AddBoolToObject(l, "must", a->locks[i].must);
		cJSON_AddItemToArray(arr, l);
	}
	return arr;
}

static cJSON *change_json(const rd_change *c)
{
	const rd_access *a = c->after ? c->after : c->before;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", !c->before ? "appeared" : !c->after ? "disappeared" : "held-changed");
	cJSON_AddStringToObject(o, "struct", a->strct);
	cJSON_AddStringToObject(o, "field", a->field);
	cJSON_AddStringToObject(o, "function", a->func);
	cJSON_AddStringToObject(o, "expr", a->expr);
	cJSON_AddStringToObject(o, "access", a->mode);
	cJSON_AddStringToObject(o, "file", a->file);
	cJSON_AddNumberToObject(o, "line", a->line);
	if (c->before)
		cJSON_AddItemToObject(o, "before", locks_json(c->before));
	if (c->after)
		cJSON_AddItemToObject(o, "after", locks_json(c->after));
	return o;
}

static cJSON *edges_json(rd_edge *const *e, int n)
{
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "from", e[i]->from);
		cJSON_AddStringToObject(o, "to", e[i]->to);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *findings_json(rd_finding *const *f, int n)
{
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, finding_json(f[i]));
	return arr;
}

cJSON *audit_json_doc(const char *base, const audit_commit *cs, int n)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "base", base);
	cJSON *commits = cJSON_AddArrayToObject(root, "commits");
	for (int k = 0; k < n; k++) {
		const rd_diff *d = cs[k].diff;
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "commit", cs[k].id);
		cJSON_AddStringToObject(c, "subject", cs[k].subject);
		cJSON_AddNumberToObject(c, "failed_tus", cs[k].failed_tus);
		cJSON_AddBoolToObject(c, "cached", cs[k].reused);
		cJSON_AddItemToObject(c, "new", findings_json(d->added, d->nadded));
		cJSON_AddItemToObject(c, "resolved", findings_json(d->resolved, d->nresolved));
		cJSON *ch = cJSON_AddArrayToObject(c, "protection_changes");
		for (int i = 0; i < d->nchanges; i++)
			cJSON_AddItemToArray(ch, change_json(&d->changes[i]));
		cJSON *shares = cJSON_AddArrayToObject(c, "guard_shares");
		for (int i = 0; i < d->nshares; i++) {
			const rd_share *sh = &d->shares[i];
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "struct", sh->strct);
			cJSON_AddStringToObject(o, "field", sh->field);
			cJSON_AddNumberToObject(o, "before_total", sh->before_total);
			cJSON_AddNumberToObject(o, "after_total", sh->after_total);
			cJSON *locks = cJSON_AddArrayToObject(o, "locks");
			for (int k = 0; k < sh->nlocks; k++) {
				cJSON *l = cJSON_CreateObject();
				cJSON_AddStringToObject(l, "class", sh->locks[k].cls);
				cJSON_AddNumberToObject(l, "before", sh->locks[k].before);
				cJSON_AddNumberToObject(l, "after", sh->locks[k].after);
				cJSON_AddItemToArray(locks, l);
			}
			cJSON_AddItemToArray(shares, o);
		}
		cJSON_AddItemToObject(c, "lock_order_added", edges_json(d->edges_added, d->nedges_added));
		cJSON_AddItemToObject(c, "lock_order_removed", edges_json(d->edges_removed, d->nedges_removed));
		cJSON_AddItemToArray(commits, c);
	}
	return root;
}

int audit_report_json(FILE *out, const char *base, const audit_commit *cs, int n)
{
	cJSON *root = audit_json_doc(base, cs, n);
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return la_error_code(LA_ENOMEM, "out of memory writing the audit as JSON");
	fputs(text, out);
	fputc('\n', out);
	free(text);
	return LA_OK;
}
