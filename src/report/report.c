/* `lockaudit check` from the database to the output: read the findings,
 * select, write one format (or a new baseline), and say what was left out. */
#include "report.h"
#include "../store/store.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const report_format formats[] = {
	{ "text", report_text },
	{ "json", report_json },
	{ "sarif", report_sarif },
	{ "codequality", report_codequality },
};

const report_format *report_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const char *report_format_names(void)
{
	return "text|json|sarif|codequality";
}

static int write_output(const report_request *rq, const report_input *in)
{
	if (!rq->output)
		return rq->format->write(stdout, in);
	FILE *out = fopen(rq->output, "w");
	if (!out)
		return la_error_code(LA_EIO, "%s: cannot write: %s", rq->output, strerror(errno));
	int err = rq->format->write(out, in);
	if ((ferror(out) | (fclose(out) != 0)) && err >= 0)
		err = la_error_code(LA_EIO, "%s: cannot write: %s", rq->output, strerror(errno));
	return err;
}

static void print_summary(const selection *sel, const report_request *rq)
{
	for (int i = 0; i < sel->nunmatched; i++)
		fprintf(stderr, "lockaudit: warning: %s:%d: lockaudit suppression ignore[%s] matches no finding\n",
			sel->unmatched[i]->file, sel->unmatched[i]->line, sel->unmatched[i]->check);
	fprintf(stderr, "%s: %d %sfinding%s", rq->command ? rq->command : "check", sel->n, rq->baseline ? "new " : "",
		sel->n == 1 ? "" : "s");
	const char *sep = " (";
	if (rq->baseline) {
		fprintf(stderr, "%s%d in the baseline", sep, sel->known);
		sep = ", ";
	}
	if (sel->suppressed) {
		fprintf(stderr, "%s%d suppressed inline", sep, sel->suppressed);
		sep = ", ";
	}
	if (rq->select.show_ignored && sel->ignored) {
		fprintf(stderr, "%s%d ignored by the rules", sep, sel->ignored);
		sep = ", ";
	}
	if (*sep == ',')
		fputc(')', stderr);
	if (rq->baseline)
		fprintf(stderr, "; %d baseline entr%s gone", sel->ngone, sel->ngone == 1 ? "y is" : "ies are");
	fputc('\n', stderr);
}

static int update_baseline(const selection *sel, const char *path)
{
	const finding **fs;
	int n = select_failing(sel, &fs);
	int err = baseline_write(path, fs, n);
	free(fs);
	if (err >= 0)
		fprintf(stderr, "check: wrote %d fingerprint%s to %s\n", n, n == 1 ? "" : "s", path);
	return err;
}

int report_check(store *s, const report_request *rq, int *exit_status)
{
	*exit_status = EXIT_SUCCESS;
	finding_set fs;
	baseline base = { 0 };
	suppression_set sups = { 0 };
	selection sel = { 0 };
	select_opts o = rq->select;
	char *root = NULL, *rules_path = NULL;
	int err = finding_read(s, rq->order, &fs);
	if (err < 0)
		return err;
	if (rq->baseline && (err = baseline_load(rq->baseline, &base)) >= 0)
		o.baseline = &base;
	if (err >= 0)
		err = store_meta_get(s, "root", &root);
	if (err >= 0)
		err = suppression_read(s, root, &sups);
	o.suppressions = &sups;
	if (err >= 0)
		err = store_meta_get(s, "analysis_rules", &rules_path);
	if (err >= 0)
		err = select_findings(&fs, &o, &sel);
	if (err >= 0 && rq->update_baseline) {
		err = update_baseline(&sel, rq->update_baseline);
	} else if (err >= 0) {
		int status = sel.failing ? 2 : 0;
		report_input in = { &sel, &o, { root, rules_path, rq->command_line, status }, rq->no_trace, s };
		err = write_output(rq, &in);
		if (err >= 0) {
			print_summary(&sel, rq);
			*exit_status = status;
		}
	}
	selection_free(&sel);
	suppression_set_free(&sups);
	baseline_free(&base);
	finding_set_free(&fs);
	free(root);
	free(rules_path);
	return err;
}
