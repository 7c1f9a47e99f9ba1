/* lockaudit scan: compile database -> libclang workers -> SQLite. */
#include "cmd.h"
#include "../frontend/compdb.h"
#include "../frontend/lower.h"
#include "../frontend/worker.h"
#include "../ir/ir.h"
#include "../rules/assert_macros.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/strset.h"
#include "../util/xalloc.h"
#include "../util/numarg.h"
#include "../util/path.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Limits of the numeric options: more workers than this only exhausts
 * memory; a day is longer than any TU takes. */
#define LA_MAX_JOBS 1024
#define LA_MAX_TIMEOUT_S 86400

static const char usage_text[] =
	"usage: lockaudit scan [-p DIR] [--db FILE] [-j N] [--timeout SEC] [--rules FILE] [--full] [--prune] [-v]\n"
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
	"\n"
	"Exit status: 0 all TUs ok, 1 tool error, 3 some TU failed (the others are stored).\n";

typedef struct scan_ctx {
	store *s;
	const char *salt;
	const char *root;
	la_strset *header_funcs;
	int verbose;
	int done, total, ok, failed;
	long max_rss_kb;
	store_ingest_stats sum;
} scan_ctx;

static int job_done(void *vctx, const fe_job_result *r)
{
	scan_ctx *c = vctx;
	const char *file = la_display_path(c->root, r->tu->file);
	char why[256] = "";
	c->done++;
	if (r->rss_kb > c->max_rss_kb)
		c->max_rss_kb = r->rss_kb;
	int err = LA_OK;
	switch (r->status) {
	case FE_JOB_OK: {
		store_ingest_stats st;
		err = store_tu_ingest(c->s, r->tu, c->salt, r->output, r->rss_kb, &st, c->header_funcs);
		if (err >= 0 && strstr(r->output, "\n(status failed)")) {
			la_buf d = LA_BUF_INIT;
			snprintf(why, sizeof(why), "fatal parse error: %s",
				 cmd_first_diag(r->output, c->root, &d) ? d.ptr : "(no diagnostic)");
			la_buf_free(&d);
		} else if (err >= 0) {
			c->sum.funcs += st.funcs;
			c->sum.funcs_dup += st.funcs_dup;
			c->sum.accesses += st.accesses;
			c->sum.calls += st.calls;
			c->sum.flows += st.flows;
			c->sum.asserts += st.asserts;
		}
		break;
	}
	case FE_JOB_TIMEOUT:
		snprintf(why, sizeof(why), "timed out");
		break;
	case FE_JOB_CRASH:
		if (r->signal)
			snprintf(why, sizeof(why), "worker crashed (%s)", strsignal(r->signal));
		else
			snprintf(why, sizeof(why), "worker exited with status %d", r->exit_code);
		break;
	case FE_JOB_SPAWN:
		snprintf(why, sizeof(why), "could not start a worker");
		break;
	}
	if (err < 0) {
		/* the tool failed on this TU's facts: say so, keep going */
		snprintf(why, sizeof(why), "could not store: %s", la_error_last());
	}
	if (why[0]) {
		c->failed++;
		if (r->status != FE_JOB_OK || err < 0)
			store_tu_fail(c->s, r->tu, why, r->output, r->rss_kb);
		fprintf(stderr, "lockaudit: %s: TU failed (compile_commands.json entry %d): %s\n", file,
			r->tu->index, why);
	} else {
		c->ok++;
		if (c->verbose)
			fprintf(stderr, "[%d/%d] %s (%.0f ms, %ld MB)\n", c->done, c->total, file, r->wall_ms,
				r->rss_kb / 1024);
	}
	return LA_OK;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *make_salt(const fe_config *cfg)
{
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "lair%d-lower%d", IR_TEXT_VERSION, FE_LOWERING_VERSION);
	for (int i = 0; i < cfg->nassert_macros; i++)
		la_buf_printf(&b, "|%s", cfg->assert_macros[i]);
	return la_buf_detach(&b);
}

int cmd_scan(int argc, char **argv)
{
	const char *dir = ".", *dbpath = LA_DEFAULT_DB, *rules_path = NULL;
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), timeout_s = 300, full = 0, verbose = 0, prune = 0;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "timeout", required_argument, NULL, 't' },
		{ "rules", required_argument, NULL, 'r' }, { "full", no_argument, NULL, 'F' },
		{ "prune", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:j:vh", longopts, NULL)) != -1) {
		long n;
		switch (opt) {
		case 'p': dir = optarg; break;
		case 'd': dbpath = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'F': full = 1; break;
		case 'P': prune = 1; break;
		case 'v': verbose = 1; break;
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

	double t0 = now_s();
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
	memset(&cfg, 0, sizeof(cfg));
	if (rl && rl->nassert_macros) {
		cfg.assert_macros = (const char *const *)rl->assert_macros;
		cfg.nassert_macros = rl->nassert_macros;
	} else {
		cfg.assert_macros = rules_default_assert_macros;
		cfg.nassert_macros = rules_ndefault_assert_macros;
	}
	char *salt = make_salt(&cfg);
	char *root = xstrdup(db.path);
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = 0;
	char *absroot = realpath(slash ? root : ".", NULL);

	store *s = NULL;
	int rc = EXIT_TOOL, pruned = 0;
	if (store_open(dbpath, STORE_OPEN_CREATE, &s) < 0) {
		rc = cmd_fail();
		goto out;
	}
	/* before anything is written: a refused scan leaves the database as it was */
	int err = store_tu_prune(s, &db, prune, &pruned);
	if (err == LA_EINVAL) {
		fprintf(stderr, "lockaudit: error: %s: %d would be pruned; nothing was changed. "
			"Pass --prune to remove more than half of the stored TUs\n", la_error_last(), pruned);
		goto out;
	}
	if (err < 0 || store_meta_set(s, "root", absroot ? absroot : root) < 0) {
		rc = cmd_fail();
		goto out;
	}

	scan_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.s = s;
	ctx.salt = salt;
	ctx.root = absroot ? absroot : root;
	ctx.verbose = verbose;
	fe_tu_cmd **todo = xmalloc(sizeof(*todo) * (size_t)(db.ntus + 1));
	int64_t *rescan_ids = xmalloc(sizeof(int64_t) * (size_t)(db.ntus + 1));
	int ntodo = 0, nrescan = 0, skipped = 0, missing = 0;
	for (int i = 0; i < db.ntus; i++) {
		fe_tu_cmd *tu = &db.tus[i];
		struct stat st;
		if (stat(tu->file, &st) != 0) {
			char why[512];
			snprintf(why, sizeof(why), "source file not found: %s", tu->file);
			fprintf(stderr, "lockaudit: %s: entry %d: %s\n", db.path, tu->index, why);
			if (store_tu_fail(s, tu, why, NULL, 0) < 0) {
				rc = cmd_fail();
				free(todo);
				free(rescan_ids);
				goto out;
			}
			missing++;
			continue;
		}
		store_tu_state stt;
		if (store_tu_state_get(s, tu->file, &stt) < 0) {
			rc = cmd_fail();
			free(todo);
			free(rescan_ids);
			goto out;
		}
		char fp[17];
		if (!full && stt.ok && stt.fingerprint[0] &&
		    store_tu_fingerprint(s, stt.id, tu, salt, fp) == LA_OK && strcmp(fp, stt.fingerprint) == 0) {
			skipped++;
			continue;
		}
		if (stt.id)
			rescan_ids[nrescan++] = stt.id;
		todo[ntodo++] = tu;
	}
	la_strset known = LA_STRSET_INIT;
	if (store_known_header_funcs(s, rescan_ids, nrescan, &known) < 0) {
		rc = cmd_fail();
		free(todo);
		free(rescan_ids);
		goto out;
	}
	cfg.known_header_funcs = &known;
	ctx.header_funcs = &known;
	ctx.total = ntodo;
	fe_pool_opts popts = { jobs, timeout_s };
	err = fe_run_workers(todo, ntodo, &cfg, &popts, job_done, &ctx);
	double secs = now_s() - t0;
	fprintf(stderr,
		"scan: %d TUs: %d ok, %d failed, %d skipped (unchanged)%s in %.1f s with -j %d; "
		"stored %d functions (%d header duplicates skipped), %d accesses, %d calls, "
		"%d function-pointer flows, %d assertions; peak worker RSS %ld MB\n",
		db.ntus, ctx.ok, ctx.failed + missing, skipped, pruned ? " (removed ones pruned)" : "", secs, jobs,
		ctx.sum.funcs, ctx.sum.funcs_dup, ctx.sum.accesses, ctx.sum.calls, ctx.sum.flows,
		ctx.sum.asserts, ctx.max_rss_kb / 1024);
	la_strset_free(&known);
	free(todo);
	free(rescan_ids);
	if (err < 0)
		rc = cmd_fail();
	else
		rc = ctx.failed + missing ? EXIT_TU_FAILED : EXIT_OK;
out:
	store_close(s);
	free(absroot);
	free(root);
	free(salt);
	rules_free(rl);
	fe_compdb_free(&db);
	return rc;
}
