/* lockaudit scan: compile database -> libclang workers -> SQLite. */
#include "cmd.h"
#include "../frontend/compdb.h"
#include "../frontend/lower.h"
#include "../rules/rules.h"
#include "../scan/scan.h"
#include "../store/store.h"
#include "../util/error.h"
#include "../util/progress.h"
#include "../util/xalloc.h"
#include "../util/numarg.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Limits of the numeric options: more workers than this only exhausts
 * memory; a day is longer than any TU takes. */
#define LA_MAX_JOBS 1024
#define LA_MAX_TIMEOUT_S 86400

static const char usage_text[] =
	"usage: lockaudit scan [-p DIR] [--db FILE] [-j N] [--timeout SEC] [--rules FILE] [--full] [--prune]\n"
	"                      [-v | -q]\n"
	"\n"
	"Parse every C translation unit of DIR/compile_commands.json with libclang\n"
	"and store its facts (functions as CFGs, field accesses, calls, function-pointer\n"
	"stores, assertions) in the database. Only TUs whose arguments, source or\n"
	"included files changed since the last scan are parsed again. TUs no longer in\n"
	"the compile database are removed from the database (pruned).\n"
	"\n"
	"  -p DIR          directory holding compile_commands.json, or the file (default .)\n"
	"  --db FILE       database to create or update (default " LA_DEFAULT_DB ")\n"
	"  -j N            parallel workers, one process per TU, 1 to 1024 (default: CPUs)\n"
	"  --timeout SEC   give up on a TU after SEC seconds, 0 to 86400 (default 300; 0 = never)\n"
	"  --rules FILE    take assertion macros from a rules file (default: built in)\n"
	"  --full          parse every TU, changed or not\n"
	"  --prune         allow pruning more than half of the stored TUs (without it,\n"
	"                  such a scan is refused and changes nothing)\n"
	"  -v, --verbose   print each TU as it is stored\n"
	"  -q, --quiet     no progress line and no summary (errors and failed TUs only)\n"
	"\n"
	"On a terminal, stderr shows a progress line: TUs done of those to parse,\n"
	"failures so far, and an estimate of the time left.\n"
	"\n"
	"Exit status: 0 all TUs ok, 1 tool error, 3 some TU failed (the others are stored).\n";

int cmd_scan(int argc, char **argv)
{
	const char *dir = ".", *dbpath = LA_DEFAULT_DB, *rules_path = NULL;
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), timeout_s = 300, full = 0, verbose = 0, prune = 0, quiet = 0;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "timeout", required_argument, NULL, 't' },
		{ "rules", required_argument, NULL, 'r' }, { "full", no_argument, NULL, 'F' },
		{ "prune", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:j:vqh", longopts, NULL)) != -1) {
		long n;
		switch (opt) {
		case 'p': dir = optarg; break;
		case 'd': dbpath = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'F': full = 1; break;
		case 'P': prune = 1; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'j':
			if (la_parse_long_arg("-j", "a number", optarg, 1, LA_MAX_JOBS, &n) < 0)
				return cmd_option_error("scan");
			jobs = (int)n;
			break;
		case 't':
			if (la_parse_long_arg("--timeout", "seconds", optarg, 0, LA_MAX_TIMEOUT_S, &n) < 0)
				return cmd_option_error("scan");
			timeout_s = (int)n;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (optind != argc)
		return cmd_usage_error(usage_text);
	if (cmd_empty_path("scan", "-p", dir, "--db", dbpath, "--rules", rules_path, NULL))
		return EXIT_TOOL;
	if (jobs < 1)
		jobs = 1;
	if (jobs > LA_MAX_JOBS)   /* the CPU count, on a very large machine */
		jobs = LA_MAX_JOBS;

	/* Everything that can be wrong with the input is checked before the
	 * database is opened: a bad compile_commands.json changes nothing. */
	fe_compdb db;
	if (fe_compdb_load(dir, &db) < 0)
		return cmd_fail();
	rules *rl = NULL;
	if (rules_path && rules_load(rules_path, &rl) < 0) {
		fe_compdb_free(&db);
		return cmd_fail();
	}
	fe_config cfg;
	scan_config(rl, &cfg);
	char *root = xstrdup(db.path);
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = 0;
	char *absroot = realpath(slash ? root : ".", NULL);

	store *s = NULL;
	int rc = EXIT_TOOL;
	if (store_open(dbpath, STORE_OPEN_CREATE, &s) < 0) {
		rc = cmd_fail();
		goto out;
	}
	scan_opts so = { jobs, timeout_s, full, prune, verbose, NULL, la_progress_new(stderr, quiet) };
	la_progress_label(so.progress, "scan");
	scan_stats st;
	int err = scan_run(s, &db, &cfg, absroot ? absroot : root, &so, &st);
	la_progress_free(so.progress);
	if (err == LA_EINVAL) {
		fprintf(stderr, "lockaudit: error: %s: %d would be pruned; nothing was changed. "
			"Pass --prune to remove more than half of the stored TUs\n", la_error_last(), st.pruned);
		goto out;
	}
	if (!quiet)
		fprintf(stderr,
			"scan: %d TUs: %d ok, %d failed, %d skipped (unchanged)%s in %.1f s with -j %d; "
			"stored %d functions (%d header duplicates skipped), %d accesses, %d calls, "
			"%d function-pointer flows, %d assertions; peak worker RSS %ld MB\n",
			db.ntus, st.ok, st.failed, st.skipped, st.pruned ? " (removed ones pruned)" : "",
			st.secs, jobs, st.funcs, st.funcs_dup, st.accesses, st.calls, st.flows, st.asserts,
			st.max_rss_kb / 1024);
	if (err < 0)
		rc = cmd_fail();
	else
		rc = st.failed ? EXIT_TU_FAILED : EXIT_OK;
out:
	store_close(s);
	free(absroot);
	free(root);
	rules_free(rl);
	fe_compdb_free(&db);
	return rc;
}
