/* SARIF 2.1.0 (OASIS), as GitHub code scanning and other CI annotators read
 * it: one rule per check, one result per finding, its trace as a code flow
 * whose thread-flow locations carry the step kinds, the fingerprints as
 * partialFingerprints, paths relative to the tree under %SRCROOT%. */
#include "report.h"
#include "json_out.h"
#include "../checks/check.h"
#include "../checks/checks.h"
#include "../util/buf.h"
#include "../util/version.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <string.h>

#ifndef LOCKAUDIT_DOCS_URI   /* set by CMake: where docs/ is, as an absolute URI ending in '/' */
#define LOCKAUDIT_DOCS_URI "file:///usr/share/doc/lockaudit/"
#endif

/* A path as a URI reference: RFC 3986 unreserved characters and '/' as
 * they are, every other byte percent-encoded. */
static void put_uri_path(la_buf *b, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			la_buf_putc(b, (char)*p);
		else
			la_buf_printf(b, "%%%02X", *p);
	}
}

static cJSON *artifact_location(const char *path)
{
	cJSON *o = cJSON_CreateObject();
	la_buf uri = LA_BUF_INIT;
	if (path && path[0] == '/') {   /* outside the tree: as it is */
		la_buf_puts(&uri, "file://");
		put_uri_path(&uri, path);
		cJSON_AddStringToObject(o, "uri", uri.ptr);
	} else {
		put_uri_path(&uri, path && *path ? path : "unknown");
		cJSON_AddStringToObject(o, "uri", uri.ptr);
		cJSON_AddStringToObject(o, "uriBaseId", "SRCROOT");
	}
	la_buf_free(&uri);
	return o;
}

static cJSON *location(const char *file, int line, int col, const char *func, const char *text)
{
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	cJSON_AddItemToObject(phys, "artifactLocation", artifact_location(file));
	if (line > 0) {   /* SARIF lines and columns start at 1 */
		cJSON *region = cJSON_AddObjectToObject(phys, "region");
		cJSON_AddNumberToObject(region, "startLine", line);
		if (col > 0)
			cJSON_AddNumberToObject(region, "startColumn", col);
	}
	if (func) {
		cJSON *logical = cJSON_AddArrayToObject(loc, "logicalLocations");
		cJSON *fn = cJSON_CreateObject();
		cJSON_AddStringToObject(fn, "name", func);
		cJSON_AddStringToObject(fn, "kind", "function");
		cJSON_AddItemToArray(logical, fn);
	}
	if (text) {
		cJSON *msg = cJSON_AddObjectToObject(loc, "message");
		cJSON_AddStringToObject(msg, "text", text);
	}
	return loc;
}

static const char *level_of(const char *severity)
{
	return severity && (strcmp(severity, "error") == 0 || strcmp(severity, "note") == 0) ? severity : "warning";
}

/* SARIF's threadFlowLocation kinds (§3.38.8) for a step kind; ours is
 * kept in the location's properties too. */
static void add_kinds(cJSON *tfl, const char *kind)
{
	static const struct { const char *ours, *sarif[2]; } map[] = {
		{ "acquire", { "acquire", "lock" } }, { "release", { "release", "lock" } },
		{ "call", { "call", "function" } },   { "return", { "return", "function" } },
		{ "branch", { "branch", NULL } },     { "assert", { "lock", "caution" } },
		{ "access", { "memory", NULL } },
	};
	cJSON *kinds = cJSON_AddArrayToObject(tfl, "kinds");
	for (size_t i = 0; kind && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].ours, kind) == 0)
			for (int k = 0; k < 2 && map[i].sarif[k]; k++)
				cJSON_AddItemToArray(kinds, cJSON_CreateString(map[i].sarif[k]));
	if (!cJSON_GetArraySize(kinds))
		cJSON_AddItemToArray(kinds, cJSON_CreateString("unknown"));
}

static cJSON *code_flows(const finding *f)
{
	cJSON *flows = cJSON_CreateArray();
	cJSON *flow = cJSON_CreateObject();
	cJSON *threads = cJSON_AddArrayToObject(flow, "threadFlows");
	cJSON *thread = cJSON_CreateObject();
	cJSON *locs = cJSON_AddArrayToObject(thread, "locations");
	for (int k = 0; k < f->nsteps; k++) {
		const finding_step *s = &f->steps[k];
		cJSON *tfl = cJSON_CreateObject();
		cJSON_AddItemToObject(tfl, "location", location(s->file, s->line, s->col, s->func, s->text));
		add_kinds(tfl, s->kind);
		cJSON_AddNumberToObject(tfl, "executionOrder", k + 1);
		cJSON *props = cJSON_AddObjectToObject(tfl, "properties");
		report_json_str(props, "lockaudit/kind", s->kind);
		cJSON_AddItemToArray(locs, tfl);
	}
	cJSON_AddItemToArray(threads, thread);
	cJSON_AddItemToArray(flows, flow);
	return flows;
}

static int rule_index(const char *id)
{
	for (int i = 0; i < la_nchecks; i++)
		if (strcmp(la_checks[i]->id, id) == 0)
			return i;
	return -1;
}

static cJSON *result(const selected *it, int with_baseline)
{
	const finding *f = it->f;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "ruleId", f->check);
	int idx = rule_index(f->check);
	if (idx >= 0)
		cJSON_AddNumberToObject(r, "ruleIndex", idx);
	cJSON_AddStringToObject(r, "level", level_of(f->severity));
	cJSON *msg = cJSON_AddObjectToObject(r, "message");
	cJSON_AddStringToObject(msg, "text", f->message ? f->message : "");
	cJSON *locs = cJSON_AddArrayToObject(r, "locations");
	cJSON_AddItemToArray(locs, location(f->file, f->line, f->col, f->func, NULL));
	cJSON *fp = cJSON_AddObjectToObject(r, "partialFingerprints");
	cJSON_AddStringToObject(fp, "lockaudit/v1", f->fingerprint);
	if (f->nsteps)
		cJSON_AddItemToObject(r, "codeFlows", code_flows(f));
	if (it->ignored || it->suppressed) {
		cJSON *sups = cJSON_AddArrayToObject(r, "suppressions");
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "kind", it->ignored ? "external" : "inSource");
		cJSON_AddStringToObject(s, "justification", it->ignored ? it->ignored : it->suppressed->reason);
		if (it->suppressed)
			cJSON_AddItemToObject(s, "location", location(it->suppressed->file, it->suppressed->line, 0,
									 NULL, NULL));
		cJSON_AddItemToArray(sups, s);
	}
	if (with_baseline)
		cJSON_AddStringToObject(r, "baselineState", "new");
	cJSON *props = cJSON_AddObjectToObject(r, "properties");
	report_json_str(props, "function", f->func);
	report_json_str(props, "subject", f->subject);
	report_json_str(props, "lock", f->lock);
	cJSON_AddNumberToObject(props, "rank", f->rank);
	return r;
}

static cJSON *rule(const la_check *ch, const select_opts *o)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "id", ch->id);   /* no "name": SARIF wants it unlike the id */
	cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
	cJSON_AddStringToObject(sd, "text", ch->title);
	cJSON *fd = cJSON_AddObjectToObject(r, "fullDescription");
	cJSON_AddStringToObject(fd, "text", ch->description ? ch->description : ch->title);
	cJSON *cfg = cJSON_AddObjectToObject(r, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level", level_of(checks_severity(o->rules, ch)));
	cJSON_AddBoolToObject(cfg, "enabled", select_check_on(o, ch));
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "%schecks/%s.md", LOCKAUDIT_DOCS_URI, ch->id);
	cJSON_AddStringToObject(r, "helpUri", b.ptr);
	la_buf_free(&b);
	cJSON *help = cJSON_AddObjectToObject(r, "help");
	cJSON_AddStringToObject(help, "text", ch->description ? ch->description : ch->title);
	return r;
}

static cJSON *notification(const suppression *sp)
{
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "level", "warning");
	cJSON *msg = cJSON_AddObjectToObject(n, "message");
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "lockaudit suppression ignore[%s] matches no finding", sp->check);
	cJSON_AddStringToObject(msg, "text", b.ptr);
	la_buf_free(&b);
	cJSON *locs = cJSON_AddArrayToObject(n, "locations");
	cJSON_AddItemToArray(locs, location(sp->file, sp->line, 0, NULL, NULL));
	return n;
}

int report_sarif(FILE *out, const report_input *in)
{
	const selection *sel = in->sel;
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(doc, "version", "2.1.0");
	cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
	cJSON *run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);

	cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
	cJSON_AddStringToObject(driver, "name", "lockaudit");
	cJSON_AddStringToObject(driver, "version", LOCKAUDIT_VERSION);
	cJSON_AddStringToObject(driver, "semanticVersion", LOCKAUDIT_VERSION);
	cJSON_AddStringToObject(driver, "informationUri", LOCKAUDIT_DOCS_URI "usage.md");
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	for (int i = 0; i < la_nchecks; i++)
		cJSON_AddItemToArray(rules, rule(la_checks[i], in->opts));

	cJSON *invocations = cJSON_AddArrayToObject(run, "invocations");
	cJSON *inv = cJSON_CreateObject();
	cJSON_AddItemToArray(invocations, inv);
	cJSON_AddBoolToObject(inv, "executionSuccessful", in->meta.exit_status != 1);
	cJSON_AddNumberToObject(inv, "exitCode", in->meta.exit_status);
	if (in->meta.command_line)
		cJSON_AddStringToObject(inv, "commandLine", in->meta.command_line);
	if (sel->nunmatched) {
		cJSON *notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
		for (int i = 0; i < sel->nunmatched; i++)
			cJSON_AddItemToArray(notes, notification(sel->unmatched[i]));
	}

	if (in->meta.root && in->meta.root[0] == '/') {
		cJSON *base = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "originalUriBaseIds"), "SRCROOT");
		la_buf uri = LA_BUF_INIT;
		la_buf_puts(&uri, "file://");
		put_uri_path(&uri, in->meta.root);
		if (uri.ptr[uri.len - 1] != '/')
			la_buf_putc(&uri, '/');
		cJSON_AddStringToObject(base, "uri", uri.ptr);
		la_buf_free(&uri);
	}

	cJSON *results = cJSON_AddArrayToObject(run, "results");
	for (int i = 0; i < sel->n; i++)
		cJSON_AddItemToArray(results, result(&sel->v[i], in->opts->baseline != NULL));
	return report_json_emit(out, doc, "SARIF");
}
