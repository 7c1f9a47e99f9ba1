/* lockaudit guards STRUCT[.FIELD]: which locks guard each field, measured
 * over every access: the share of accesses under each lock class, and the
 * accesses under none, with their locations. */
#include "cmd.h"
#include "../lockgraph/results.h"
#include "../store/store.h"
#include "../util/error.h"
#include "../util/strset.h"
#include "../util/xalloc.h"
#include "../util/path.h"

#include <getopt.h>
#include <sqlite3.h>
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

typedef struct lock_count {
	int reads, writes;
} lock_count;

typedef struct field_acc {
	char *field;
	int reads, writes, addrs;
	int unreached;       /* accesses no analysed path reaches */
	la_strset classes;
	lock_count *counts;
	int capcounts;
	char **unguarded;
	int nunguarded, capunguarded;
} field_acc;

static field_acc *field_get(field_acc **fields, int *n, int *cap, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*fields)[i].field, name) == 0)
			return &(*fields)[i];
	LA_VEC_PUSH(*fields, *n, *cap);
	field_acc *f = &(*fields)[(*n)++];
	memset(f, 0, sizeof(*f));
	f->field = xstrdup(name);
	return f;
}

static void count_lock(field_acc *f, const char *cls, int is_write)
{
	la_strset_add(&f->classes, cls);
	long i = la_strset_index(&f->classes, cls);
	while (i >= f->capcounts) {
		int ncap = f->capcounts ? f->capcounts * 2 : 8;
		f->counts = xrealloc(f->counts, sizeof(lock_count) * (size_t)ncap);
		memset(f->counts + f->capcounts, 0, sizeof(lock_count) * (size_t)(ncap - f->capcounts));
		f->capcounts = ncap;
	}
	if (is_write)
		f->counts[i].writes++;
	else
		f->counts[i].reads++;
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
	sqlite3_stmt *st;
	int rc = EXIT_OK;
	/* one row per (access, lock held on every path there); NULL class: none */
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT a.id, a.field, a.mode, fl.path, a.line, a.col, f.name, a.expr, h.class "
			       "FROM access a JOIN func f ON f.id = a.func_id JOIN file fl ON fl.id = a.file_id "
			       "LEFT JOIN held h ON h.func_id = a.func_id AND h.block = a.block AND h.idx = a.idx "
			       "AND h.must = 1 WHERE a.struct = ?1 AND (?2 IS NULL OR a.field = ?2) "
			       "ORDER BY a.field, fl.path, a.line, a.col, a.id",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, sqlite3_errmsg(store_db(s)));
		rc = EXIT_TOOL;
		goto out;
	}
	sqlite3_bind_text(st, 1, sname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fname, -1, SQLITE_STATIC);
	field_acc *fields = NULL;
	int nfields = 0, capfields = 0;
	sqlite3_int64 last = -1, last_unreached = -1;
	la_strset seen = LA_STRSET_INIT;   /* classes counted for this access */
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		field_acc *f = field_get(&fields, &nfields, &capfields, (const char *)sqlite3_column_text(st, 1));
		const char *mode = (const char *)sqlite3_column_text(st, 2);
		const char *cls = (const char *)sqlite3_column_text(st, 8);
		int is_write = mode[0] == 'w', is_addr = mode[0] == 'a';
		if (id != last) {
			la_strset_free(&seen);
			if (is_addr)
				f->addrs++;
			else if (is_write)
				f->writes++;
			else
				f->reads++;
			if (!cls && !is_addr) {
				char line[1024];
				snprintf(line, sizeof(line), "%s:%d:%d: %s in %s: %s",
					 la_display_path(root, (const char *)sqlite3_column_text(st, 3)),
					 sqlite3_column_int(st, 4), sqlite3_column_int(st, 5), mode,
					 sqlite3_column_text(st, 6), sqlite3_column_text(st, 7));
				LA_VEC_PUSH(f->unguarded, f->nunguarded, f->capunguarded);
				f->unguarded[f->nunguarded++] = xstrdup(line);
			}
		}
		last = id;
		if (cls && strcmp(cls, LK_NO_PATH) == 0) {
			f->unreached += id != last_unreached;
			last_unreached = id;
		} else if (cls && !is_addr && la_strset_add(&seen, cls))
			count_lock(f, cls, is_write);
	}
	la_strset_free(&seen);
	sqlite3_finalize(st);
	if (!nfields) {
		fprintf(stderr, "lockaudit: no access to %s%s%s recorded in %s\n", sname, fname ? "." : "",
			fname ? fname : "", dbpath);
		rc = EXIT_TOOL;
	}
	for (int i = 0; i < nfields; i++) {
		field_acc *f = &fields[i];
		int total = f->reads + f->writes;
		printf("%s.%s: %d accesses (%d read, %d write)%s", sname, f->field, total, f->reads, f->writes,
		       f->addrs ? "" : "\n");
		if (f->addrs)
			printf(", %d address-taken\n", f->addrs);
		/* classes by share, largest first */
		size_t *order = xmalloc(sizeof(size_t) * (f->classes.n + 1));
		for (size_t k = 0; k < f->classes.n; k++)
			order[k] = k;
		for (size_t k = 0; k < f->classes.n; k++)
			for (size_t j = k + 1; j < f->classes.n; j++) {
				lock_count *a = &f->counts[order[k]], *b = &f->counts[order[j]];
				if (b->reads + b->writes > a->reads + a->writes) {
					size_t tmp = order[k];
					order[k] = order[j];
					order[j] = tmp;
				}
			}
		for (size_t k = 0; k < f->classes.n; k++) {
			const lock_count *c = &f->counts[order[k]];
			int n = c->reads + c->writes;
			printf("  %-28s %4d of %d (%3.0f%%)  reads %d/%d, writes %d/%d\n", f->classes.items[order[k]], n,
			       total, total ? 100.0 * n / total : 0.0, c->reads, f->reads, c->writes, f->writes);
		}
		free(order);
		if (f->unreached)
			printf("  on no analysed path (after noreturn calls): %d\n", f->unreached);
		if (f->nunguarded) {
			printf("  under no lock: %d\n", f->nunguarded);
			for (int k = 0; k < f->nunguarded && (all || k < 10); k++)
				printf("    %s\n", f->unguarded[k]);
			if (!all && f->nunguarded > 10)
				printf("    ... %d more (--all)\n", f->nunguarded - 10);
		}
		for (int k = 0; k < f->nunguarded; k++)
			free(f->unguarded[k]);
		free(f->unguarded);
		free(f->counts);
		la_strset_free(&f->classes);
		free(f->field);
	}
	free(fields);
out:
	free(root);
	free(sname);
	free(fname);
	store_close(s);
	return rc;
}
