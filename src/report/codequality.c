/* GitLab code quality: a JSON array of Code Climate issues, which GitLab
 * shows in merge requests (artifacts:reports:codequality). GitLab reads
 * description, check_name, fingerprint, severity, location.path and
 * location.lines.begin. */
#include "report.h"
#include "json_out.h"
#include "../util/buf.h"

#include <cjson/cJSON.h>
#include <string.h>

/* GitLab's severities: info, minor, major, critical, blocker. */
static const char *severity_of(const char *severity)
{
	if (severity && strcmp(severity, "error") == 0)
		return "critical";
	if (severity && strcmp(severity, "note") == 0)
		return "minor";
	return "major";
}

int report_codequality(FILE *out, const report_input *in)
{
	const selection *sel = in->sel;
	cJSON *doc = cJSON_CreateArray();
	la_buf b = LA_BUF_INIT;
	for (int i = 0; i < sel->n; i++) {
		const selected *it = &sel->v[i];
		const finding *f = it->f;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "issue");
		la_buf_clear(&b);
		la_buf_printf(&b, "%s", f->message ? f->message : "");
		if (it->ignored || it->suppressed)
			la_buf_printf(&b, " (%s: %s)", it->ignored ? "ignored" : "suppressed",
				      it->ignored ? it->ignored : it->suppressed->reason);
		cJSON_AddStringToObject(o, "description", b.ptr);
		la_buf_clear(&b);
		la_buf_printf(&b, "lockaudit-%s", f->check);
		cJSON_AddStringToObject(o, "check_name", b.ptr);
		cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
		cJSON_AddStringToObject(o, "severity", severity_of(f->severity));
		cJSON *cats = cJSON_AddArrayToObject(o, "categories");
		cJSON_AddItemToArray(cats, cJSON_CreateString("Bug Risk"));
		cJSON *loc = cJSON_AddObjectToObject(o, "location");
		cJSON_AddStringToObject(loc, "path", f->file ? f->file : "");
		cJSON *lines = cJSON_AddObjectToObject(loc, "lines");
		cJSON_AddNumberToObject(lines, "begin", f->line > 0 ? f->line : 1);
		cJSON_AddItemToArray(doc, o);
	}
	la_buf_free(&b);
	return report_json_emit(out, doc, "code quality");
}
