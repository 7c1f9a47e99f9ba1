/* `lockaudit audit --format html`: the audit as one self-contained page,
 * the frame and look of the report (html_page.c, page.css, common.js) with
 * its own script (html/audit.js) over the audit's JSON document. */
#include "audit.h"
#include "html_assets.h"
#include "html_meta.h"
#include "html_page.h"
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
	cJSON_AddItemToObject(doc, "audit", audit);
	la_buf title = LA_BUF_INIT;
	la_buf_printf(&title, "lockaudit audit: %s", m->range ? m->range : base);
	html_page page = { title.ptr, la_html_audit_js, doc, NULL };
	int err = html_page_write(out, &page);
	cJSON_Delete(doc);
	la_buf_free(&title);
	return err;
}
