/* lockaudit analyze: the lock-state analysis over the stored facts. */
#include "cmd.h"
#include "../store/store.h"
#include "../util/error.h"

#include <stdio.h>

static const char usage_text[] =
	"usage: lockaudit analyze --rules FILE [--db FILE]\n"
	"\n"
	"Compute the locks held at every access and call of the scanned tree:\n"
	"lock primitives come from the rules file, wrappers are inferred from their\n"
	"bodies, locks held by every caller are inherited, indirect calls follow the\n"
	"stored function-pointer flows. Then run the checks (docs/checks/) and store\n"
	"their findings. Results replace the previous ones in the database (tables\n"
	"held, func_entry, func_summary, finding, finding_step, lock_edge).\n"
	"`check`, `guards` and `held` run this themselves when the facts, the rules\n"
	"or lockaudit changed.\n"
	"\n"
	"  --rules FILE  rules: lock primitives, guards, order, ... (e.g. rules/xen-pci.json)\n"
	"  --db FILE     database written by `lockaudit scan` (default " LA_DEFAULT_DB ")\n";

int cmd_analyze(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB, *rules_path = NULL;
	int rc = cmd_db_rules_options(argc, argv, usage_text, &dbpath, &rules_path);
	if (rc >= 0)
		return rc;
	if (cmd_empty_path("analyze", "--db", dbpath, "--rules", rules_path, NULL))
		return EXIT_TOOL;
	store *s;
	if (store_open(dbpath, STORE_OPEN_WRITE, &s) < 0)
		return cmd_fail();
	rc = cmd_run_analysis(s, rules_path, 0) < 0 ? cmd_fail() : EXIT_OK;
	store_close(s);
	return rc;
}
