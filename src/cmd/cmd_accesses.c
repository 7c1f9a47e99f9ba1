/* lockaudit accesses STRUCT[.FIELD]: every stored access to a field. */
#include "cmd.h"
#include "../store/store.h"
#include "../util/error.h"
#include "../util/xalloc.h"
#include "../util/path.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit accesses STRUCT[.FIELD] [--db FILE] [--mode read|write|addr] [--in FUNC]\n"
	"\n"
	"List every access to a struct's fields (or one field): location, function,\n"
	"mode and the expression, e.g. `lockaudit accesses pci_dev.vpci`.\n"
	"\n"
	"  --db FILE    database written by `lockaudit scan` (default " LA_DEFAULT_DB ")\n"
	"  --mode MODE  only reads, writes or address-taken accesses\n"
	"  --in FUNC    only accesses inside function FUNC\n";

int cmd_accesses(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB, *mode = NULL, *in = NULL;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "mode", required_argument, NULL, 'm' },
		{ "in", required_argument, NULL, 'i' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dbpath = optarg; break;
		case 'm': mode = optarg; break;
		case 'i': in = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(usage_text);
	if (cmd_empty_path("accesses", "--db", dbpath, NULL))
		return EXIT_TOOL;
	if (mode && strcmp(mode, "read") && strcmp(mode, "write") && strcmp(mode, "addr")) {
		fprintf(stderr, "lockaudit accesses: --mode is read, write or addr, not '%s'\n", mode);
		return EXIT_TOOL;
	}
	store *s;
	if (store_open(dbpath, STORE_OPEN_READ, &s) < 0)
		return cmd_fail();
	char *sname, *field;
	cmd_resolve_field(s, argv[optind], &sname, &field);
	char *root = NULL;
	store_meta_get(s, "root", &root);
	sqlite3_stmt *st;
	int rc = EXIT_OK;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT fl.path, a.line, a.col, f.name, a.mode, a.struct, a.field, a.expr "
			       "FROM access a JOIN func f ON f.id = a.func_id JOIN file fl ON fl.id = a.file_id "
			       "WHERE a.struct = ?1 AND (?2 IS NULL OR a.field = ?2) AND (?3 IS NULL OR a.mode = ?3) "
			       "AND (?4 IS NULL OR f.name = ?4) ORDER BY fl.path, a.line, a.col",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, sqlite3_errmsg(store_db(s)));
		rc = EXIT_TOOL;
		goto out;
	}
	sqlite3_bind_text(st, 1, sname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, in, -1, SQLITE_STATIC);
	int n = 0, counts[3] = { 0, 0, 0 };
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 4);
		printf("%s:%d:%d: %-5s %s.%s in %s: %s\n",
		       la_display_path(root, (const char *)sqlite3_column_text(st, 0)),
		       sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), m, sqlite3_column_text(st, 5),
		       sqlite3_column_text(st, 6), sqlite3_column_text(st, 3), sqlite3_column_text(st, 7));
		counts[m[0] == 'r' ? 0 : m[0] == 'w' ? 1 : 2]++;
		n++;
	}
	sqlite3_finalize(st);
	if (n)
		fprintf(stderr, "%d accesses: %d read, %d write, %d address-taken\n", n, counts[0], counts[1],
			counts[2]);
	else
		fprintf(stderr, "no access to %s%s%s recorded\n", sname, field ? "." : "", field ? field : "");
out:
	free(root);
	free(sname);
	free(field);
	store_close(s);
	return rc;
}
