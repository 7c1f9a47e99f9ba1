/* lockaudit guards STRUCT[.FIELD]: which locks guard each field, measured
 * over every access: the share of accesses under each lock class, and the
 * accesses under none, with their locations. */
#include "cmd.h"
#include "../report/guard_map.h"
#include "../store/store.h"
#include "../util/error.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit guards STRUCT[.FIELD] [--db FILE] [--rules FILE] [--all]\n"
	"\n"
	"For each field: its accesses (reads, writes), for each lock class the share\n"
	"of accesses under it (held on every path there), and the accesses under no\n"
	"lock with their locations (the first 10 per field; --all for every one).\n"
	"Address-taken accesses (&p->f) are counted apart: they read nothing.\n"
	"\n"
	"  --db FILE     database (default " LA_DEFAULT_DB ")\n"
	"  --rules FILE  rules to analyse with when the analysis is missing or stale\n"
	"  --all         list every unguarded access\n";

static void print_field(const guard_field *f, int all)
{
	int total = f->reads + f->writes;
	printf("%s.%s: %d accesses (%d read, %d write)%s", f->strct, f->field, total, f->reads, f->writes,
	       f->addrs ? "" : "\n");
	if (f->addrs)
		printf(", %d address-taken\n", f->addrs);
	for (int k = 0; k < f->nlocks; k++) {
		const guard_lock *l = &f->locks[k];
		int n = l->reads + l->writes;
		printf("  %-28s %4d of %d (%3.0f%%)  reads %d/%d, writes %d/%d\n", l->cls, n, total,
		       total ? 100.0 * n / total : 0.0, l->reads, f->reads, l->writes, f->writes);
	}
	if (f->unreached)
		printf("  on no analysed path (after noreturn calls): %d\n", f->unreached);
	if (f->in_primitives)
		printf("  in the lock primitives' own code (not analysed): %d\n", f->in_primitives);
	if (f->nunguarded) {
		printf("  under no lock: %d\n", f->nunguarded);
		for (int k = 0; k < f->nunguarded && (all || k < 10); k++) {
			const guard_access *a = &f->unguarded[k];
			printf("    %s:%d:%d: %s in %s: %s\n", a->file, a->line, a->col, a->mode, a->func, a->expr);
		}
		if (!all && f->nunguarded > 10)
			printf("    ... %d more (--all)\n", f->nunguarded - 10);
	}
}

int cmd_guards(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB, *rules_path = NULL;
	int all = 0;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "rules", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dbpath = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'a': all = 1; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(usage_text);
	if (cmd_empty_path("guards", "--db", dbpath, "--rules", rules_path, NULL))
		return EXIT_TOOL;
	store *s;
	if (cmd_open_analysed(dbpath, rules_path, &s) < 0)
		return cmd_fail();
	char *sname, *fname;
	cmd_resolve_field(s, argv[optind], &sname, &fname);
	char *root = NULL;
	store_meta_get(s, "root", &root);
	int rc = EXIT_OK;
	guard_map m;
	if (guard_map_read(s, root, sname, fname, &m) < 0) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, la_error_last());
		rc = EXIT_TOOL;
		goto out;
	}
	if (!m.n) {
		fprintf(stderr, "lockaudit: no access to %s%s%s recorded in %s\n", sname, fname ? "." : "",
			fname ? fname : "", dbpath);
		rc = EXIT_TOOL;
	}
	for (int i = 0; i < m.n; i++)
		print_field(&m.v[i], all);
	guard_map_free(&m);
out:
	free(root);
	free(sname);
	free(fname);
	store_close(s);
	return rc;
}
