/* lockaudit report -o FILE: the findings, the guard map and the lock-order
 * graph as one self-contained HTML page (src/report/html*.c). This file
 * only reads the options. */
#include "cmd.h"
#include "../report/report.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/error.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: lockaudit report [--db FILE] [--rules FILE] [--enable ID] [--disable ID] [--all]\n"
	"                        [--show-ignored] [--baseline FILE] -o FILE\n"
	"\n"
	"Write one self-contained HTML page (no network, works from file:// and as a\n"
	"CI artifact): the findings (sortable, filterable by check, severity, file and\n"
	"lock, counts per check), each with its trace as numbered steps over the\n"
	"source lines around them (read from the tree now), the guard map (per struct\n"
	"field, the share of accesses under each lock, and the accesses under none),\n"
	"the lock-order graph (cycles in red; hover an edge for its witness) and the\n"
	"run's metadata. Keys: left and right arrows go through the steps and on to\n"
	"the previous or next finding. Analyses first when the facts, the rules or\n"
	"lockaudit changed since the last analysis.\n"
	"\n"
	"  --db FILE         database written by `lockaudit scan` (default " LA_DEFAULT_DB ")\n"
	"  --rules FILE      rules to analyse with (default: those of the last analysis)\n"
	"  --enable ID       also show check ID (repeatable; lockaudit check --list)\n"
	"  --disable ID      do not show check ID (repeatable)\n"
	"  --all             show every check, including those off by default\n"
	"  --show-ignored    also show findings that the rules' \"ignore\" entries or\n"
	"                    `lockaudit: ignore[ID] reason` comments suppress (marked)\n"
	"  --baseline FILE   show only the findings whose fingerprint is not in FILE\n"
	"  -o, --output FILE the page to write (- for standard output)\n"
	"\n"
	"Exit status: 0 page written (whatever it shows: `check` is the gate), 1 tool error.\n";

typedef struct opts {
	cmd_select_args sel;
} opts;

static int run(const opts *o)
{
	static const report_format html = { "html", report_html };
	report_request rq;
	memset(&rq, 0, sizeof(rq));
	if (cmd_select_init(&o->sel, &rq.select) < 0)
		return cmd_fail();
	rq.order = FINDING_ORDER_LOCATION;
	rq.format = &html;
	rq.output = strcmp(o->sel.output, "-") == 0 ? NULL : o->sel.output;
	rq.baseline = o->sel.baseline;
	rq.command = "report";
	store *s;
	rules *r = NULL;
	if (cmd_open_analysed_rules(o->sel.dbpath, o->sel.rules_path, &s, &r) < 0)
		return cmd_fail();
	rq.select.rules = r;
	int status, rc = report_check(s, &rq, &status) < 0 ? cmd_fail() : EXIT_OK;
	struct stat sb;
	if (rc == EXIT_OK && rq.output && stat(rq.output, &sb) == 0)
		fprintf(stderr, "report: wrote %s (%.0f KB)\n", rq.output, (double)sb.st_size / 1024);
	rules_free(r);
	store_close(s);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	opts o;
	memset(&o, 0, sizeof(o));
	o.sel.dbpath = LA_DEFAULT_DB;
	static const struct option longopts[] = { CMD_SELECT_LONGOPTS, { NULL, 0, NULL, 0 } };
	int opt, rc = -1;
	optind = 1;
	while (rc < 0 && (opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (cmd_select_option(&o.sel, opt, optarg))
			continue;
		switch (opt) {
		case 'h': fputs(usage_text, stdout); rc = EXIT_OK; break;
		default: rc = cmd_usage_error(usage_text);
		}
	}
	if (rc < 0 && (optind != argc || !o.sel.output)) {
		if (!o.sel.output && optind == argc)
			fprintf(stderr, "lockaudit report: give the page to write with -o FILE\n");
		rc = cmd_usage_error(usage_text);
	}
	if (rc < 0 && cmd_empty_path("report", "--db", o.sel.dbpath, "--rules", o.sel.rules_path, "-o", o.sel.output,
				     "--baseline", o.sel.baseline, NULL))
		rc = EXIT_TOOL;
	if (rc < 0)
		rc = run(&o);
	free(o.sel.enable);
	free(o.sel.disable);
	return rc;
}
