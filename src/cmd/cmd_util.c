#include "cmd.h"
#include "../report/select.h"
#include "../util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cmd_fail(void)
{
	fprintf(stderr, "lockaudit: error: %s\n", la_error_last());
	return EXIT_TOOL;
}

int cmd_option_error(const char *cmd)
{
	fprintf(stderr, "lockaudit %s: %s\n", cmd, la_error_last());
	return EXIT_TOOL;
}

#include <getopt.h>

int cmd_db_rules_options(int argc, char **argv, const char *usage, const char **dbpath, const char **rules_path)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "rules", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': *dbpath = optarg; break;
		case 'r': *rules_path = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage);
		}
	}
	if (optind != argc || !*rules_path)
		return cmd_usage_error(usage);
	return -1;
}

int cmd_usage_error(const char *usage)
{
	fputs(usage, stderr);
	return EXIT_TOOL;
}

int cmd_empty_path(const char *cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	int empty = 0;
	for (const char *opt; !empty && (opt = va_arg(ap, const char *));) {
		const char *val = va_arg(ap, const char *);
		if (val && !*val) {
			fprintf(stderr, "lockaudit %s: %s takes a path, not an empty string\n", cmd, opt);
			empty = 1;
		}
	}
	va_end(ap);
	return empty;
}

#include "../scan/analyse.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/buf.h"

#include <stdlib.h>

/* The analysis with rules already loaded from r->path. */
static int run_loaded_analysis(store *s, const rules *r, int quiet)
{
	lk_report rep;
	int stored, shown;
	int err = scan_analyse(s, r, &rep, &stored, &shown);
	if (err < 0)
		return err;
	if (!quiet && rep.outside_tus)
		fprintf(stderr, "analyze: %d TU%s not analysed: %s\n", rep.outside_tus,
			rep.outside_tus == 1 ? "" : "s", "no macro of the rules' \"scope\" defined (host tools built alongside)");
	if (!quiet)
		fprintf(stderr,
			"analyze: %d functions (%d inferred wrappers), %d of %d indirect calls resolved, "
			"%ld held-lock rows, %d blocks joined past the path limit%s; "
			"%d findings (%d from enabled checks, not ignored: `lockaudit check`); "
			"load %.2f s, analysis %.2f s, total %.2f s\n",
			rep.funcs, rep.wrappers, rep.indirect_resolved, rep.calls_indirect, rep.rows, rep.collapsed,
			rep.gave_up ? " (some functions hit the iteration cap)" : "", stored, shown, rep.load_s,
			rep.analyse_s, rep.total_s);
	/* names in the rules that the tree does not have (a typo is silent otherwise) */
	err = quiet ? LA_OK : cmd_lint_rules(s, r, r->path, 5);
	return err < 0 ? err : LA_OK;
}

int cmd_run_analysis(store *s, const char *rules_path, int quiet)
{
	rules *r;
	if (rules_load(rules_path, &r) < 0)
		return LA_ERR;
	int err = run_loaded_analysis(s, r, quiet);
	rules_free(r);
	return err;
}

int cmd_open_analysed(const char *dbpath, const char *rules_opt, store **out)
{
	return cmd_open_analysed_rules(dbpath, rules_opt, out, NULL);
}

int cmd_open_analysed_rules(const char *dbpath, const char *rules_opt, store **out, rules **rules_out)
{
	*out = NULL;
	if (rules_out)
		*rules_out = NULL;
	store *s;
	/* read-only first: a fresh analysis needs no write, so a database in a
	 * read-only place can still be asked */
	if (store_open(dbpath, STORE_OPEN_READ, &s) < 0)
		return LA_ERR;
	char *facts = NULL, *done = NULL, *rules_path = NULL, *rules_hash = NULL, *version = NULL;
	store_meta_get(s, "facts_generation", &facts);
	store_meta_get(s, "analysis_version", &version);
	store_meta_get(s, "analysis_facts", &done);
	store_meta_get(s, "analysis_rules", &rules_path);
	store_meta_get(s, "analysis_rules_hash", &rules_hash);
	const char *use = rules_opt ? rules_opt : (rules_path && *rules_path ? rules_path : NULL);
	rules *r = NULL;
	int err = LA_OK;
	if (!use && !done) {
		err = la_error("%s: not analysed yet; give the rules with --rules FILE (e.g. rules/xen-pci.json)",
			       dbpath);
	} else if (use && (err = rules_load(use, &r)) >= 0) {
		/* loaded once: the hash is of the bytes parsed (USE may be a pipe) */
		char *abs = realpath(use, NULL);
		int stale = !done || !facts || strcmp(done, facts) != 0 || !rules_path || !abs || !version ||
			    strcmp(version, LK_ANALYSIS_VERSION) != 0 ||
			    strcmp(rules_path, abs) != 0 || !rules_hash || strcmp(r->hash, rules_hash) != 0;
		free(abs);
		if (stale) {
			store_close(s);
			s = NULL;
			if (store_open(dbpath, STORE_OPEN_WRITE, &s) < 0) {
				char why[1024];
				snprintf(why, sizeof(why), "%s", la_error_last());
				err = la_error_code(LA_EDB, "%s; the analysis is out of date: run `lockaudit "
						    "analyze` where it can write", why);
			} else {
				fprintf(stderr, "lockaudit: facts, rules or lockaudit changed since the last "
					"analysis; analysing with %s\n", use);
				err = run_loaded_analysis(s, r, 0);
			}
		}
	}
	free(facts);
	free(done);
	free(version);
	free(rules_path);
	free(rules_hash);
	if (err < 0) {
		rules_free(r);
		store_close(s);
		return err;
	}
	if (rules_out)
		*rules_out = r;
	else
		rules_free(r);
	*out = s;
	return LA_OK;
}

#include "../util/xalloc.h"
#include <sqlite3.h>

static int has_access(store *s, const char *sname, const char *fname)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(store_db(s), "SELECT 1 FROM access WHERE struct = ?1 AND (?2 IS NULL OR field = ?2) "
				   "LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, sname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fname, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

void cmd_resolve_field(store *s, const char *spec, char **sname, char **fname)
{
	if (strncmp(spec, "struct ", 7) == 0)
		spec += 7;
	char *copy = xstrdup(spec);
	char *dot = strrchr(copy, '.');
	/* "vpci.header.nr": struct vpci.header (an unnamed member), field nr;
	 * "vpci.header" alone may also be a struct name */
	if (dot && dot[1]) {
		*dot = 0;
		if (has_access(s, copy, dot + 1) || !has_access(s, spec, NULL)) {
			*sname = copy;
			*fname = xstrdup(dot + 1);
			return;
		}
	}
	free(copy);
	*sname = xstrdup(spec);
	*fname = NULL;
}

void cmd_list_add(const char ***v, int *n, int *cap, const char *value)
{
	LA_VEC_PUSH(*v, *n, *cap);
	(*v)[(*n)++] = value;
}

int cmd_select_option(cmd_select_args *a, int opt, const char *arg)
{
	switch (opt) {
	case 'd': a->dbpath = arg; return 1;
	case 'r': a->rules_path = arg; return 1;
	case 'e': cmd_list_add(&a->enable, &a->nenable, &a->capenable, arg); return 1;
	case 'x': cmd_list_add(&a->disable, &a->ndisable, &a->capdisable, arg); return 1;
	case 'a': a->all = 1; return 1;
	case 'i': a->show_ignored = 1; return 1;
	case 'b': a->baseline = arg; return 1;
	case 'o': a->output = arg; return 1;
	default: return 0;
	}
}

int cmd_select_init(const cmd_select_args *a, select_opts *out)
{
	*out = (select_opts){ NULL, a->enable, a->nenable, a->disable, a->ndisable, a->all, a->show_ignored, NULL, NULL };
	return select_check_ids(out);
}
