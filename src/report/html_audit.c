/* `lockaudit audit --format html`: the audit as one self-contained page,
 * the frame and look of the report (html_page.c, page.css, common.js) with
 * its own script (html/audit.js) over the audit's JSON document. */
#include "audit.h"
#include "html_assets.h"
#include "html_meta.h"
#include "html_page.h"
#include "html_source.h"
#include "json_out.h"
#include "../util/buf.h"

#include <cjson/cJSON.h>

/* Each protection change gets the text's description of it ("lost A;
 * still held: B"), so that the page says it in the same words. */
static void describe_changes(cJSON *doc, const audit_commit *cs, int n)
{
	cJSON *commits = cJSON_GetObjectItemCaseSensitive(doc, "commits");
	la_buf b = LA_BUF_INIT;
	for (int k = 0; k < n; k++) {
		cJSON *changes = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(commits, k), "protection_changes");
		for (int i = 0; i < cs[k].diff->nchanges; i++) {
			la_buf_clear(&b);
			audit_change_text(&b, &cs[k].diff->changes[i]);
			cJSON_AddStringToObject(cJSON_GetArrayItem(changes, i), "text", b.ptr ? b.ptr : "");
		}
	}
	la_buf_free(&b);
}

enum { AUDIT_CONTEXT_LINES = 3, AUDIT_EXCERPT_CHANGES = 500 };

typedef struct rev_reader {
	const audit_html_meta *m;
	const char *rev;
} rev_reader;

static int read_rev(void *ctx, const char *file, la_buf *out)
{
	const rev_reader *rr = ctx;
	return rr->m->read_at(rr->m->read_ctx, rr->rev, file, out);
}

/* Excerpts of commit k (`sources`: its new findings and the accesses that
 * changed or appeared) and of the revision before it (`sources_before`:
 * the resolved findings and the accesses that went away), each read from
 * its own revision. The first AUDIT_EXCERPT_CHANGES changes of a commit
 * get one; a series that touches thousands of accesses stays a page. */
static void add_sources(cJSON *doc, const char *base, const audit_commit *cs, int n, const audit_html_meta *m)
{
	cJSON *commits = cJSON_GetObjectItemCaseSensitive(doc, "commits");
	for (int k = 0; k < n; k++) {
		const rd_diff *d = cs[k].diff;
		html_sources after, before;
		html_sources_init(&after, NULL, AUDIT_CONTEXT_LINES);
		html_sources_init(&before, NULL, AUDIT_CONTEXT_LINES);
		for (int i = 0; i < d->nadded; i++)
			html_sources_want(&after, d->added[i]->file, d->added[i]->line);
		for (int i = 0; i < d->nresolved; i++)
			html_sources_want(&before, d->resolved[i]->file, d->resolved[i]->line);
		for (int i = 0; i < d->nchanges && i < AUDIT_EXCERPT_CHANGES; i++) {
			const rd_change *c = &d->changes[i];
			if (c->after)
				html_sources_want(&after, c->after->file, c->after->line);
			else
				html_sources_want(&before, c->before->file, c->before->line);
		}
		int nread;
		rev_reader ra = { m, cs[k].id }, rb = { m, k ? cs[k - 1].id : base };
		cJSON *c = cJSON_GetArrayItem(commits, k);
		cJSON_AddItemToObject(c, "sources", html_sources_json_from(&after, read_rev, &ra, &nread));
		cJSON_AddItemToObject(c, "sources_before", html_sources_json_from(&before, read_rev, &rb, &nread));
		html_sources_free(&after);
		html_sources_free(&before);
	}
}

int audit_report_html(FILE *out, const char *base, const audit_commit *cs, int n, const audit_html_meta *m)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "kind", "audit");
	/* no "commit": the work tree's HEAD is not what was audited */
	cJSON *meta = html_meta_json(NULL, m->rules);
	if (m->tree)
		cJSON_ReplaceItemInObjectCaseSensitive(meta, "tree", cJSON_CreateString(m->tree));
	report_json_str(meta, "range", m->range);
	cJSON_AddItemToObject(doc, "meta", meta);
	cJSON *audit = audit_json_doc(base, cs, n);
	describe_changes(audit, cs, n);
	if (m->read_at)
		add_sources(audit, base, cs, n, m);
	cJSON_AddNumberToObject(doc, "context", AUDIT_CONTEXT_LINES);
	cJSON_AddItemToObject(doc, "audit", audit);
	la_buf title = LA_BUF_INIT;
	la_buf_printf(&title, "lockaudit audit: %s", m->range ? m->range : base);
	html_page page = { title.ptr, la_html_audit_js, doc, NULL };
	int err = html_page_write(out, &page);
	cJSON_Delete(doc);
	la_buf_free(&title);
	return err;
}
