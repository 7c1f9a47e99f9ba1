/* The JSON report: every field of every finding and of its steps, with
 * the counts of the selection. The schema is docs/report-json.md; a change
 * to it that removes or renames a field bumps REPORT_JSON_VERSION. */
#include "report.h"
#include "json_out.h"
#include "../util/version.h"

#include <cjson/cJSON.h>

#define REPORT_JSON_VERSION 1

static cJSON *step_json(const finding_step *s)
{
	cJSON *o = cJSON_CreateObject();
	report_json_str(o, "kind", s->kind);
	report_json_str(o, "file", s->file);
	cJSON_AddNumberToObject(o, "line", s->line);
	cJSON_AddNumberToObject(o, "col", s->col);
	report_json_str(o, "function", s->func);
	report_json_str(o, "text", s->text);
	return o;
}

static cJSON *suppression_json(const suppression *sp)
{
	cJSON *o = cJSON_CreateObject();
	report_json_str(o, "file", sp->file);
	cJSON_AddNumberToObject(o, "line", sp->line);
	cJSON_AddNumberToObject(o, "end_line", sp->end_line);
	report_json_str(o, "check", sp->check);
	report_json_str(o, "reason", sp->reason);
	return o;
}

static cJSON *finding_json(const selected *it, int with_steps)
{
	const finding *f = it->f;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
	report_json_str(o, "check", f->check);
	report_json_str(o, "severity", f->severity);
	report_json_str(o, "file", f->file);
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddNumberToObject(o, "col", f->col);
	report_json_str(o, "function", f->func);
	report_json_str(o, "message", f->message);
	report_json_str(o, "subject", f->subject);
	report_json_str(o, "lock", f->lock);
	cJSON_AddNumberToObject(o, "rank", f->rank);
	report_json_str(o, "ignored", it->ignored);
	if (it->suppressed)
		cJSON_AddItemToObject(o, "suppressed", suppression_json(it->suppressed));
	else
		cJSON_AddNullToObject(o, "suppressed");
	cJSON *steps = cJSON_AddArrayToObject(o, "steps");
	for (int k = 0; with_steps && k < f->nsteps; k++)
		cJSON_AddItemToArray(steps, step_json(&f->steps[k]));
	return o;
}

cJSON *report_json_doc(const report_input *in)
{
	const selection *sel = in->sel;
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "schema", "lockaudit-findings");
	cJSON_AddNumberToObject(doc, "version", REPORT_JSON_VERSION);
	cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
	cJSON_AddStringToObject(tool, "name", "lockaudit");
	cJSON_AddStringToObject(tool, "version", LOCKAUDIT_VERSION);
	report_json_str(doc, "root", in->meta.root);
	report_json_str(doc, "rules", in->meta.rules_path);
	cJSON_AddNumberToObject(doc, "exit_status", in->meta.exit_status);
	cJSON *counts = cJSON_AddObjectToObject(doc, "counts");
	cJSON_AddNumberToObject(counts, "findings", sel->n);
	cJSON_AddNumberToObject(counts, "failing", sel->failing);
	cJSON_AddNumberToObject(counts, "stored", sel->total);
	cJSON_AddNumberToObject(counts, "check_off", sel->off);
	cJSON_AddNumberToObject(counts, "ignored", sel->ignored);
	cJSON_AddNumberToObject(counts, "suppressed", sel->suppressed);
	cJSON_AddNumberToObject(counts, "in_baseline", sel->known);
	cJSON_AddNumberToObject(counts, "baseline_gone", sel->ngone);
	cJSON *fs = cJSON_AddArrayToObject(doc, "findings");
	for (int i = 0; i < sel->n; i++)
		cJSON_AddItemToArray(fs, finding_json(&sel->v[i], !in->no_trace));
	cJSON *gone = cJSON_AddArrayToObject(doc, "baseline_gone");
	for (int i = 0; i < sel->ngone; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "fingerprint", sel->gone[i]->fingerprint);
		report_json_str(o, "text", sel->gone[i]->text);
		cJSON_AddItemToArray(gone, o);
	}
	cJSON *unmatched = cJSON_AddArrayToObject(doc, "unmatched_suppressions");
	for (int i = 0; i < sel->nunmatched; i++)
		cJSON_AddItemToArray(unmatched, suppression_json(sel->unmatched[i]));
	return doc;
}

int report_json(FILE *out, const report_input *in)
{
	return report_json_emit(out, report_json_doc(in), "JSON");
}
