/* lockaudit rules-check: lint a rules file against the scanned tree. */
#include "cmd.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/error.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage_text[] =
	"usage: lockaudit rules-check --rules FILE [--db FILE]\n"
	"\n"
	"Check that every name in the rules file resolves in the scanned tree: guarded\n"
	"structs and fields have accesses, lock classes are locks the last analysis saw\n"
	"(or fields that exist), primitives and the functions of forbidden_under_lock,\n"
	"ignore, softirq, single_cpu and allocators are defined or called, argument\n"
	"indexes are within the function's parameters; and that no exclusive or ignore\n"
	"entry repeats, no order chain reverses another, every string is UTF-8.\n"
	"Each problem is one line: lockaudit: warning: FILE: $.JSON.PATH: what is wrong.\n"
	"Nothing is written to the database.\n"
	"\n"
	"  --rules FILE  the rules to check (e.g. rules/xen-pci.json)\n"
	"  --db FILE     database written by `lockaudit scan` (default " LA_DEFAULT_DB ")\n"
	"\n"
	"Exit status: 0 no problem, 2 problems reported, 1 tool error.\n";

int cmd_rules_check(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB, *rules_path = NULL;
	int rc = cmd_db_rules_options(argc, argv, usage_text, &dbpath, &rules_path);
	if (rc >= 0)
		return rc;
	if (cmd_empty_path("rules-check", "--db", dbpath, "--rules", rules_path, NULL))
		return EXIT_TOOL;
	rules *r;
	if (rules_load(rules_path, &r) < 0)
		return cmd_fail();
	store *s;
	if (store_open(dbpath, STORE_OPEN_READ, &s) < 0) {
		rules_free(r);
		return cmd_fail();
	}
	char *analysed = NULL;
	store_meta_get(s, "analysis_facts", &analysed);
	if (!analysed)
		fprintf(stderr, "lockaudit: %s was never analysed: global lock classes are not checked "
			"(run `lockaudit analyze` first)\n", dbpath);
	free(analysed);
	int n = cmd_lint_rules(s, r, rules_path, -1);
	store_close(s);
	rules_free(r);
	if (n < 0)
		return cmd_fail();
	fprintf(stderr, "rules-check: %d problem%s in %s\n", n, n == 1 ? "" : "s", rules_path);
	return n ? EXIT_FINDINGS : EXIT_OK;
}
