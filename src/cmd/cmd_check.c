/* lockaudit check: the findings of the check catalogue, in GCC's format. */
#include "cmd.h"
#include "../checks/check.h"
#include "../checks/checks.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit check [--db FILE] [--rules FILE] [--enable ID] [--disable ID] [--all]\n"
	"                       [--show-ignored] [--no-trace] [--sort location|rank] [--list]\n"
	"\n"
	"Print the findings of the checks (docs/checks/) as\n"
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
	"  --show-ignored    also show findings the rules' \"ignore\" entries match\n"
	"  --no-trace        one line per finding, no notes\n"
	"  --sort KEY        location (default) or rank (evidence first: inferred-guard)\n"
	"  --list            list the checks, their severity and whether they are on\n"
	"\n"
	"Exit status: 0 no findings, 2 findings shown, 1 tool error.\n";

typedef struct opts {
	const char *dbpath, *rules_path, *sort;
	const char **enable, **disable;
	int nenable, ndisable, capenable, capdisable;
	int all, show_ignored, no_trace, list;
} opts;

static int named(const char *const *v, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

static int check_ids_known(const opts *o)
{
	for (int k = 0; k < 2; k++) {
		const char *const *v = k ? o->disable : o->enable;
		for (int i = 0; i < (k ? o->ndisable : o->nenable); i++)
			if (!check_find(v[i]))
				return la_error("unknown check '%s' (lockaudit check --list shows them)", v[i]);
	}
	return LA_OK;
}

static int shown(const opts *o, const rules *r, const la_check *ch)
{
	if (named(o->disable, o->ndisable, ch->id))
		return 0;
	return o->all || named(o->enable, o->nenable, ch->id) || checks_enabled(r, ch);
}

static void list_checks(const rules *r)
{
	for (int i = 0; i < la_nchecks; i++) {
		const la_check *ch = la_checks[i];
		printf("%-15s %-8s %-4s %s\n", ch->id, r ? checks_severity(r, ch) : ch->severity,
		       (r ? checks_enabled(r, ch) : ch->enabled) ? "on" : "off", ch->title);
	}
}

static void print_steps(sqlite3_stmt *st, sqlite3_int64 id)
{
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("%s:%d:%d: note: %s\n", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "?",
		       sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
}

static int print_findings(store *s, const rules *r, const opts *o, int *count)
{
	sqlite3 *db = store_db(s);
	const char *sql = o->sort && strcmp(o->sort, "rank") == 0
				  ? "SELECT id, check_id, severity, file, line, col, message, ignored FROM finding "
				    "ORDER BY rank DESC, file, line, col"
				  : "SELECT id, check_id, severity, file, line, col, message, ignored FROM finding "
				    "ORDER BY file, line, col, check_id";
	sqlite3_stmt *st, *steps;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return la_error_code(LA_EDB, "reading findings: %s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "SELECT file, line, col, text FROM finding_step WHERE finding_id = ?1 ORDER BY seq",
			       -1, &steps, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return la_error_code(LA_EDB, "reading finding steps: %s", sqlite3_errmsg(db));
	}
	*count = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 1);
		const la_check *ch = check_find(id);
		const char *ignored = (const char *)sqlite3_column_text(st, 7);
		if (!ch || !shown(o, r, ch) || (ignored && !o->show_ignored))
			continue;
		printf("%s:%d:%d: %s: %s [lockaudit-%s]%s%s%s\n", (const char *)sqlite3_column_text(st, 3),
		       sqlite3_column_int(st, 4), sqlite3_column_int(st, 5), (const char *)sqlite3_column_text(st, 2),
		       (const char *)sqlite3_column_text(st, 6), id, ignored ? " (ignored: " : "", ignored ? ignored : "",
		       ignored ? ")" : "");
		if (!o->no_trace)
			print_steps(steps, sqlite3_column_int64(st, 0));
		(*count)++;
	}
	sqlite3_finalize(steps);
	sqlite3_finalize(st);
	return LA_OK;
}

static int run(opts *o)
{
	if (check_ids_known(o) < 0)
		return cmd_fail();
	store *s;
	rules *r = NULL;
	if (cmd_open_analysed_rules(o->dbpath, o->rules_path, &s, &r) < 0)
		return cmd_fail();
	int rc = EXIT_OK, count = 0;
	if (print_findings(s, r, o, &count) < 0)
		rc = cmd_fail();
	else if (count)
		rc = EXIT_FINDINGS;
	if (rc != EXIT_TOOL)
		fprintf(stderr, "check: %d finding%s\n", count, count == 1 ? "" : "s");
	rules_free(r);
	store_close(s);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	opts o;
	memset(&o, 0, sizeof(o));
	o.dbpath = LA_DEFAULT_DB;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },      { "rules", required_argument, NULL, 'r' },
		{ "enable", required_argument, NULL, 'e' },  { "disable", required_argument, NULL, 'x' },
		{ "all", no_argument, NULL, 'a' },           { "show-ignored", no_argument, NULL, 'i' },
		{ "no-trace", no_argument, NULL, 'n' },      { "sort", required_argument, NULL, 's' },
		{ "list", no_argument, NULL, 'l' },          { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': o.dbpath = optarg; break;
		case 'r': o.rules_path = optarg; break;
		case 'e':
			LA_VEC_PUSH(o.enable, o.nenable, o.capenable);
			o.enable[o.nenable++] = optarg;
			break;
		case 'x':
			LA_VEC_PUSH(o.disable, o.ndisable, o.capdisable);
			o.disable[o.ndisable++] = optarg;
			break;
		case 'a': o.all = 1; break;
		case 'i': o.show_ignored = 1; break;
		case 'n': o.no_trace = 1; break;
		case 's': o.sort = optarg; break;
		case 'l': o.list = 1; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: free(o.enable); free(o.disable); return cmd_usage_error(usage_text);
		}
	}
	if (cmd_empty_path("check", "--db", o.dbpath, "--rules", o.rules_path, NULL)) {
		free(o.enable);
		free(o.disable);
		return EXIT_TOOL;
	}
	if (optind != argc || (o.sort && strcmp(o.sort, "rank") != 0 && strcmp(o.sort, "location") != 0)) {
		free(o.enable);
		free(o.disable);
		return cmd_usage_error(usage_text);
	}
	if (o.list) {
		rules *r = NULL;
		if (o.rules_path && rules_load(o.rules_path, &r) < 0)
			rc = cmd_fail();
		else {
			list_checks(r);
			rc = EXIT_OK;
		}
		rules_free(r);
	} else {
		rc = run(&o);
	}
	free(o.enable);
	free(o.disable);
	return rc;
}
