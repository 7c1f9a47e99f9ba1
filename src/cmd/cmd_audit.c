/* lockaudit audit BASE..TIP: per commit, new and resolved findings and
 * protection changes (src/audit/, src/report/audit*.c do the work). */
#include "cmd.h"
#include "../audit/diff.h"
#include "../audit/revision.h"
#include "../git/git.h"
#include "../report/audit.h"
#include "../rules/rules.h"
#include "../scan/scan.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/numarg.h"
#include "../util/path.h"
#include "../util/progress.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: lockaudit audit [--each-commit] --rules FILE [-p DIR] [--format text|json|html] [-o FILE]\n"
	"                       [--fail-on new|none] [--cache DIR] [--seed-db FILE] [-j N] [--timeout SEC] [-v | -q]\n"
	"                       BASE..TIP\n"
	"       lockaudit audit --mbox FILE [--base REV] --rules FILE [options]\n"
	"\n"
	"Analyse BASE, then TIP (or each commit of BASE..TIP), and report per commit\n"
	"the findings it adds and resolves, the field accesses whose held locks changed\n"
	"(or that appeared or went), and the lock-order edges added or removed.\n"
	"Run it in a git checkout with a compile_commands.json; the file contents of\n"
	"each revision come from git objects: the work tree and its database are not\n"
	"touched. Each revision's results are cached, and a revision is made from the\n"
	"previous one by parsing again only the TUs whose files changed.\n"
	"\n"
	"  --each-commit      audit every commit of the range, not only TIP against BASE\n"
	"  --mbox FILE        audit the patches of FILE (git format-patch, b4) commit by commit,\n"
	"                     applied in a scratch repository on its \"base-commit:\" line\n"
	"  --base REV         with --mbox: apply the series on REV\n"
	"  --rules FILE       the rules, as for analyze (required)\n"
	"  -p DIR             directory holding compile_commands.json, or the file (default .)\n"
	"  --format FMT       text (default; for a mailing-list reply), json, or html (one\n"
	"                     self-contained page, the look of `lockaudit report`)\n"
	"  -o, --output FILE  write the audit to FILE instead of standard output\n"
	"  --fail-on WHAT     new (default): exit 2 when a commit adds a finding; none: exit 0\n"
	"  --cache DIR        where the revisions' databases are kept\n"
	"                     (default $XDG_CACHE_HOME/lockaudit/audit or ~/.cache/lockaudit/audit)\n"
	"  --seed-db FILE     make BASE, when not cached, from a copy of FILE (the work\n"
	"                     tree's database): only the TUs that differ are parsed\n"
	"  -j N               parallel workers, 1 to 1024 (default: CPUs)\n"
	"  --timeout SEC      give up on a TU after SEC seconds (default 300; 0 = never)\n"
	"  -v, --verbose      say what is scanned and analysed, with times\n"
	"  -q, --quiet        no progress line on a terminal\n"
	"\n"
	"On a terminal, stderr shows a progress line per revision: the commit, TUs\n"
	"parsed of those to parse, failures so far, and an estimate of the time left.\n"
	"\n"
	"Exit status: 0 no commit adds a finding, 1 tool error, 2 some commit adds one.\n";

typedef struct audit_opts {
	const char *dir, *rules_path, *format, *fail_on, *cache, *range, *seed, *mbox, *base, *output;
	int each, jobs, timeout_s, verbose, quiet;
} audit_opts;

static int parse_opts(int argc, char **argv, audit_opts *o)
{
	static const struct option longopts[] = {
		{ "each-commit", no_argument, NULL, 'e' }, { "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' }, { "fail-on", required_argument, NULL, 'F' },
		{ "cache", required_argument, NULL, 'c' },   { "timeout", required_argument, NULL, 't' },
		{ "mbox", required_argument, NULL, 'm' },    { "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "base", required_argument, NULL, 'b' },    { "seed-db", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },  { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	long n;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:j:o:vqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e': o->each = 1; break;
		case 'r': o->rules_path = optarg; break;
		case 'f': o->format = optarg; break;
		case 'F': o->fail_on = optarg; break;
		case 'c': o->cache = optarg; break;
		case 's': o->seed = optarg; break;
		case 'p': o->dir = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'q': o->quiet = 1; break;
		case 'm': o->mbox = optarg; break;
		case 'b': o->base = optarg; break;
		case 'o': o->output = optarg; break;
		case 'j':
			if (la_parse_long_arg("-j", "a number", optarg, 1, 1024, &n) < 0)
				return cmd_option_error("audit");
			o->jobs = (int)n;
			break;
		case 't':
			if (la_parse_long_arg("--timeout", "seconds", optarg, 0, 86400, &n) < 0)
				return cmd_option_error("audit");
			o->timeout_s = (int)n;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (optind != argc - !o->mbox || !o->rules_path || (o->base && !o->mbox))
		return cmd_usage_error(usage_text);
	o->range = o->mbox ? NULL : argv[optind];
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "html")) {
		fprintf(stderr, "lockaudit audit: --format takes text, json or html, not '%s'\n", o->format);
		return EXIT_TOOL;
	}
	if (strcmp(o->fail_on, "new") && strcmp(o->fail_on, "none")) {
		fprintf(stderr, "lockaudit audit: --fail-on takes new or none, not '%s'\n", o->fail_on);
		return EXIT_TOOL;
	}
	if (cmd_empty_path("audit", "-p", o->dir, "--rules", o->rules_path, "--cache", o->cache, "--seed-db", o->seed,
			   "--mbox", o->mbox, "-o", o->output, NULL))
		return EXIT_TOOL;
	return -1;
}

/* The results of one revision, read for the diff. */
static int load_revision(const audit_env *e, const char *dbpath, rd_set *set, int *failed)
{
	store *s;
	int err = store_open(dbpath, STORE_OPEN_READ, &s);
	if (err < 0)
		return err;
	err = store_tu_failed_count(s, failed);
	if (err >= 0)
		err = rd_load(s, e->root, e->rules, set);
	store_close(s);
	return err;
}

/* `what` labels the progress line: "base", "[2/10]" */
static int revision(const audit_env *e, const char *what, const char *commit, const char *prev, char **db,
		    int verbose)
{
	char label[64];
	snprintf(label, sizeof(label), "audit %s %.12s", what, commit);
	la_progress_label(e->progress, label);
	audit_rev_stats st;
	int err = audit_revision(e, commit, prev, db, &st);
	if (err >= 0 && verbose) {
		if (st.reused)
			fprintf(stderr, "audit: %.12s: cached (%s)\n", commit, *db);
		else
			fprintf(stderr, "audit: %.12s: %d TUs parsed (%d failed), %d unchanged, in %.1f s; "
				"analysis %.1f s%s\n", commit, st.scan.ok + st.scan.failed, st.scan.failed,
				st.scan.skipped, st.scan.secs, st.analyse_s,
				st.analysis_kept ? " (none needed: no fact changed)" : "");
	}
	return err;
}

/* A file as findings show it (relative to the compile database's
 * directory) at commit REV, for the HTML page's excerpts: git names it
 * from the work tree's top. */
static int read_at_revision(void *ctx, const char *rev, const char *file, la_buf *out)
{
	const audit_env *e = ctx;
	size_t ntop = strlen(e->top);
	if (file[0] == '/')
		return la_error_code(LA_ENOTFOUND, "%s: outside the work tree", file);
	la_buf path = LA_BUF_INIT;
	if (strncmp(e->root, e->top, ntop) == 0 && e->root[ntop] == '/')
		la_buf_printf(&path, "%s/", e->root + ntop + 1);
	la_buf_puts(&path, file);
	int err = git_show_file(e->top, rev, path.ptr, out);
	la_buf_free(&path);
	return err;
}

/* The report in the format asked for, to -o FILE or standard output. */
static int write_report(const audit_env *e, const audit_opts *o, const char *base, const audit_commit *cs, int n)
{
	FILE *out = o->output ? fopen(o->output, "w") : stdout;
	if (!out)
		return la_error_code(LA_EIO, "%s: cannot write: %s", o->output, strerror(errno));
	int err = LA_OK;
	if (strcmp(o->format, "json") == 0) {
		err = audit_report_json(out, base, cs, n);
	} else if (strcmp(o->format, "html") == 0) {
		audit_html_meta meta = { e->top, o->mbox ? o->mbox : o->range, e->rules->path, read_at_revision,
					 (void *)e };
		err = audit_report_html(out, base, cs, n, &meta);
	} else {
		audit_report_text(out, base, cs, n);
	}
	if (o->output && (ferror(out) | (fclose(out) != 0)) && err >= 0)
		err = la_error_code(LA_EIO, "%s: cannot write: %s", o->output, strerror(errno));
	return err;
}

/* Analyse each commit after BASE and diff it with the one before; two
 * revisions' results are in memory at a time. */
static int run(const audit_env *e, const audit_opts *o, const char *base, char **commits, int n)
{
	audit_commit *cs = xcalloc((size_t)n + 1, sizeof(*cs));
	rd_diff *diffs = xcalloc((size_t)n + 1, sizeof(*diffs));
	rd_set sets[2];
	memset(sets, 0, sizeof(sets));
	char *prev = NULL, *cur = NULL;
	int failed, adds = 0;
	int err = revision(e, "base", base, o->seed, &prev, o->verbose);
	if (err >= 0)
		err = load_revision(e, prev, &sets[0], &failed);
	for (int k = 0; err >= 0 && k < n; k++) {
		audit_commit *c = &cs[k];
		c->id = commits[k];
		c->diff = &diffs[k];
		rd_set *before = &sets[k % 2], *after = &sets[(k + 1) % 2];
		char what[32];
		snprintf(what, sizeof(what), "[%d/%d]", k + 1, n);
		if ((err = revision(e, what, c->id, prev, &cur, o->verbose)) < 0 ||
		    (err = load_revision(e, cur, after, &c->failed_tus)) < 0 ||
		    (err = git_subject(e->top, c->id, (char **)&c->subject)) < 0)
			break;
		rd_compare(before, after, &diffs[k]);
		rd_set_free(before);
		adds += diffs[k].nadded;
		free(prev);
		prev = cur;
		cur = NULL;
	}
	if (err >= 0)
		err = write_report(e, o, base, cs, n);
	rd_set_free(&sets[0]);
	rd_set_free(&sets[1]);
	for (int i = 0; i < n; i++) {
		rd_diff_free(&diffs[i]);
		free((char *)cs[i].subject);
	}
	free(diffs);
	free(cs);
	free(prev);
	free(cur);
	if (err < 0)
		return cmd_fail();
	return adds && strcmp(o->fail_on, "new") == 0 ? EXIT_FINDINGS : EXIT_OK;
}

/* BASE..TIP: TIP, or with --each-commit every commit of the range. */
static int range_commits(const char *top, const audit_opts *o, char **base, char ***commits, int *n)
{
	const char *dots = strstr(o->range, "..");
	if (!dots || dots == o->range || !dots[2] || dots[2] == '.')
		return la_error_code(LA_EINVAL, "give the commits as BASE..TIP, not '%s'", o->range);
	char *base_rev = xstrndup(o->range, (size_t)(dots - o->range)), *tip = NULL;
	int err = git_commit_id(top, base_rev, base);
	if (err >= 0)
		err = git_commit_id(top, dots + 2, &tip);
	if (err >= 0 && o->each) {
		err = git_rev_list(top, *base, tip, commits, n);
	} else if (err >= 0) {
		*commits = xcalloc(2, sizeof(**commits));
		(*commits)[(*n)++] = xstrdup(tip);
	}
	if (err >= 0 && !*n)
		err = la_error_code(LA_EINVAL, "%s has no commits", o->range);
	free(base_rev);
	free(tip);
	return err;
}

/* The series of an mbox, applied in a scratch directory (removed by the caller). */
static int mbox_commits(const char *top, const audit_opts *o, char **base, char ***commits, int *n,
			char **scratch)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/lockaudit-mbox-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl))
		return la_error_code(LA_EIO, "%s: cannot create a scratch directory", tmpl);
	*scratch = xstrdup(tmpl);
	return git_mbox_apply(top, o->mbox, o->base, tmpl, base, commits, n);
}

int cmd_audit(int argc, char **argv)
{
	audit_opts o = { ".", NULL, "text", "new", NULL, NULL, NULL, NULL, NULL, NULL, 0,
			 (int)sysconf(_SC_NPROCESSORS_ONLN), 300, 0, 0 };
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;
	fe_compdb db;
	memset(&db, 0, sizeof(db));
	rules *rl = NULL;
	char *top = NULL, *base = NULL, *cache = NULL, **commits = NULL, *root = NULL, *scratch = NULL;
	int n = 0;
	rc = EXIT_TOOL;
	if (fe_compdb_load(o.dir, &db) < 0 || rules_load(o.rules_path, &rl) < 0) {
		rc = cmd_fail();
		goto out;
	}
	root = xstrdup(db.path);
	*strrchr(root, '/') = 0;   /* db.path names the file in its directory */
	char *absroot = realpath(root, NULL);
	if (absroot) {
		free(root);
		root = absroot;
	}
	if (git_toplevel(root, &top) < 0 ||
	    (o.mbox ? mbox_commits(top, &o, &base, &commits, &n, &scratch)
		    : range_commits(top, &o, &base, &commits, &n)) < 0) {
		rc = cmd_fail();
		goto out;
	}
	cache = o.cache ? xstrdup(o.cache) : audit_default_cache_dir();
	audit_env env = { top, &db, root, rl, { 0 }, o.jobs, o.timeout_s, o.verbose, cache, "",
			  la_progress_new(stderr, o.quiet) };
	scan_config(rl, &env.cfg);
	rc = audit_env_init(&env) < 0 ? cmd_fail() : run(&env, &o, base, commits, n);
	la_progress_free(env.progress);
out:
	for (int i = 0; commits && i < n; i++)
		free(commits[i]);
	free(commits);
	if (scratch)
		la_rmtree(scratch);
	free(scratch);
	free(cache);
	free(base);
	free(top);
	free(root);
	rules_free(rl);
	fe_compdb_free(&db);
	return rc;
}
