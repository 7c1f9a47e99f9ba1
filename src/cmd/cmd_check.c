/* lockaudit check: the findings of the check catalogue, in one of the
 * report formats (src/report/). This file only reads the options. */
#include "cmd.h"
#include "../checks/check.h"
#include "../checks/checks.h"
#include "../report/report.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit check [--db FILE] [--rules FILE] [--enable ID] [--disable ID] [--all]\n"
	"                       [--show-ignored] [--no-trace] [--sort location|rank]\n"
	"                       [--format text|json|sarif|codequality] [-o FILE]\n"
	"                       [--baseline FILE | --update-baseline FILE] [--list]\n"
	"\n"
	"Print the findings of the checks (docs/checks/), by default as\n"
	"  file:line:col: warning: message [lockaudit-ID]\n"
	"followed by `note:` lines for the steps of the trace (call chain, acquire,\n"
	"release, assert). Analyses first when the facts, the rules or lockaudit\n"
	"changed since the last analysis. Paths are relative to the scanned tree.\n"
	"\n"
	"  --db FILE         database written by `lockaudit scan` (default " LA_DEFAULT_DB ")\n"
	"  --rules FILE      rules to analyse with (default: those of the last analysis)\n"
	"  --enable ID       also show check ID (repeatable; see --list)\n"
	"  --disable ID      do not show check ID (repeatable)\n"
	"  --all             show every check, including those off by default\n"
	"  --show-ignored    also show findings that the rules' \"ignore\" entries or\n"
	"                    `lockaudit: ignore[ID] reason` comments suppress\n"
	"  --no-trace        text: one line per finding, no notes\n"
	"  --sort KEY        location (default) or rank (evidence first: inferred-guard)\n"
	"  --format FMT      text (default), json (docs/report-json.md), sarif (SARIF 2.1.0)\n"
	"                    or codequality (GitLab code quality)\n"
	"  -o FILE           write the report to FILE instead of stdout\n"
	"  --baseline FILE   report and fail only on findings whose fingerprint is not\n"
	"                    in FILE; say how many of its entries are gone\n"
	"  --update-baseline FILE\n"
	"                    write the fingerprints of the findings shown to FILE\n"
	"                    (replacing it) instead of a report; exit 0\n"
	"  --list            list the checks, their severity and whether they are on\n"
	"\n"
	"Exit status: 0 no finding fails, 2 findings shown (not ignored, suppressed\n"
	"or in the baseline), 1 tool error.\n";

typedef struct opts {
	cmd_select_args sel;
	const char *sort, *format, *update_baseline;
	int no_trace, list;
} opts;

static void list_checks(const rules *r)
{
	for (int i = 0; i < la_nchecks; i++) {
		const la_check *ch = la_checks[i];
		printf("%-15s %-8s %-4s %s\n", ch->id, r ? checks_severity(r, ch) : ch->severity,
		       (r ? checks_enabled(r, ch) : ch->enabled) ? "on" : "off", ch->title);
	}
}

/* "lockaudit check --format sarif ...", for SARIF's invocation: the words
 * as given, those with a space or a quote single-quoted. */
static char *command_line(int argc, char **argv)
{
	la_buf b = LA_BUF_INIT;
	la_buf_puts(&b, "lockaudit");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (*a && !strpbrk(a, " \t\n'\"\\$`")) {
			la_buf_printf(&b, " %s", a);
			continue;
		}
		la_buf_puts(&b, " '");
		for (; *a; a++)
			la_buf_puts(&b, *a == '\'' ? "'\\''" : (char[]){ *a, 0 });
		la_buf_putc(&b, '\'');
	}
	return la_buf_detach(&b);
}

static int run(opts *o, int argc, char **argv)
{
	report_request rq;
	memset(&rq, 0, sizeof(rq));
	if (cmd_select_init(&o->sel, &rq.select) < 0)
		return cmd_fail();
	rq.order = o->sort && strcmp(o->sort, "rank") == 0 ? FINDING_ORDER_RANK : FINDING_ORDER_LOCATION;
	rq.format = report_format_find(o->format ? o->format : "text");
	rq.output = o->sel.output;
	rq.baseline = o->sel.baseline;
	rq.update_baseline = o->update_baseline;
	rq.no_trace = o->no_trace;
	store *s;
	rules *r = NULL;
	if (cmd_open_analysed_rules(o->sel.dbpath, o->sel.rules_path, &s, &r) < 0)
		return cmd_fail();
	rq.select.rules = r;
	char *cmdline = command_line(argc, argv);
	rq.command_line = cmdline;
	int status;
	int rc = report_check(s, &rq, &status) < 0 ? cmd_fail() : status;
	free(cmdline);
	rules_free(r);
	store_close(s);
	return rc;
}

static int bad_options(const opts *o)
{
	if (cmd_empty_path("check", "--db", o->sel.dbpath, "--rules", o->sel.rules_path, "-o", o->sel.output, "--baseline",
			   o->sel.baseline, "--update-baseline", o->update_baseline, NULL))
		return 1;
	if (o->sort && strcmp(o->sort, "rank") != 0 && strcmp(o->sort, "location") != 0) {
		fprintf(stderr, "lockaudit check: --sort takes location or rank, not '%s'\n", o->sort);
		return 1;
	}
	if (o->format && !report_format_find(o->format)) {
		fprintf(stderr, "lockaudit check: --format takes %s, not '%s'\n", report_format_names(), o->format);
		return 1;
	}
	if (o->sel.baseline && o->update_baseline) {
		fprintf(stderr, "lockaudit check: --baseline and --update-baseline do not go together "
				"(the new baseline holds every finding shown)\n");
		return 1;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	opts o;
	memset(&o, 0, sizeof(o));
	o.sel.dbpath = LA_DEFAULT_DB;
	static const struct option longopts[] = {
		CMD_SELECT_LONGOPTS,
		{ "no-trace", no_argument, NULL, 'n' },      { "sort", required_argument, NULL, 's' },
		{ "list", no_argument, NULL, 'l' },          { "format", required_argument, NULL, 'f' },
		{ "update-baseline", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (cmd_select_option(&o.sel, opt, optarg))
			continue;
		switch (opt) {
		case 'n': o.no_trace = 1; break;
		case 's': o.sort = optarg; break;
		case 'l': o.list = 1; break;
		case 'f': o.format = optarg; break;
		case 'u': o.update_baseline = optarg; break;
		case 'h': fputs(usage_text, stdout); free(o.sel.enable); free(o.sel.disable); return EXIT_OK;
		default: free(o.sel.enable); free(o.sel.disable); return cmd_usage_error(usage_text);
		}
	}
	if (optind != argc) {
		rc = cmd_usage_error(usage_text);
	} else if (bad_options(&o)) {
		rc = EXIT_TOOL;
	} else if (o.list) {
		rules *r = NULL;
		if (o.sel.rules_path && rules_load(o.sel.rules_path, &r) < 0)
			rc = cmd_fail();
		else {
			list_checks(r);
			rc = EXIT_OK;
		}
		rules_free(r);
	} else {
		rc = run(&o, argc, argv);
	}
	free(o.sel.enable);
	free(o.sel.disable);
	return rc;
}
