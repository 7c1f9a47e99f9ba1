#include "html_data.h"
#include "html_source.h"
#include "json_out.h"
#include "report.h"
#include "../checks/check.h"
#include "../checks/checks.h"
#include "../util/buf.h"

#include <cjson/cJSON.h>

void html_findings_data(cJSON *doc, const report_input *in, html_sources *src)
{
	cJSON *checks = cJSON_AddArrayToObject(doc, "checks");
	for (int i = 0; i < la_nchecks; i++) {
		const la_check *ch = la_checks[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "id", ch->id);
		cJSON_AddStringToObject(c, "severity", checks_severity(in->opts->rules, ch));
		cJSON_AddStringToObject(c, "title", ch->title);
		cJSON_AddBoolToObject(c, "on", select_check_on(in->opts, ch));
		cJSON_AddItemToArray(checks, c);
	}
	cJSON *report = report_json_doc(in);
	cJSON_AddItemToObject(doc, "report", report);
	const selection *sel = in->sel;
	for (int i = 0; i < sel->n; i++) {
		const finding *f = sel->v[i].f;
		html_sources_want(src, f->file, f->line);
		for (int k = 0; k < f->nsteps; k++)
			html_sources_want(src, f->steps[k].file, f->steps[k].line);
	}
}

char *html_selection_text(const report_input *in)
{
	const select_opts *o = in->opts;
	la_buf b = LA_BUF_INIT;
	la_buf_puts(&b, o->all ? "every check" : o->rules ? "the checks on in the rules" : "the checks on by default");
	for (int i = 0; i < o->nenable; i++)
		la_buf_printf(&b, ", +%s", o->enable[i]);
	for (int i = 0; i < o->ndisable; i++)
		la_buf_printf(&b, ", -%s", o->disable[i]);
	if (o->show_ignored)
		la_buf_puts(&b, "; ignored and suppressed findings shown");
	if (o->baseline)
		la_buf_puts(&b, "; new findings only (baseline)");
	return la_buf_detach(&b);
}
