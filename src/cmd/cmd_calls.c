/* lockaudit calls FUNC: callers and callees, indirect calls resolved through
 * the stored function-pointer flows. */
#include "cmd.h"
#include "../lockgraph/fnptr.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"
#include "../util/path.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit calls FUNC [--db FILE]\n"
	"\n"
	"Show the callers and callees of FUNC. Calls through function pointers\n"
	"(struct fields, parameters, globals, Xen's alternative_call) are resolved to\n"
	"every function whose address was ever stored into that slot.\n"
	"\n"
	"  --db FILE    database written by `lockaudit scan` (default " LA_DEFAULT_DB ")\n";

typedef struct calls_ctx {
	store *s;
	const char *root;
	sqlite3_stmt *name_of;   /* usr -> name, file, line */
} calls_ctx;

static void print_func_name(calls_ctx *c, const char *usr, la_buf *out)
{
	sqlite3_bind_text(c->name_of, 1, usr, -1, SQLITE_STATIC);
	if (sqlite3_step(c->name_of) == SQLITE_ROW)
		la_buf_printf(out, "%s (%s:%d)", sqlite3_column_text(c->name_of, 0),
			      la_display_path(c->root, (const char *)sqlite3_column_text(c->name_of, 1)),
			      sqlite3_column_int(c->name_of, 2));
	else
		la_buf_puts(out, usr);
	sqlite3_reset(c->name_of);
}

/* Human form of a slot key: param:USR#1 -> "parameter 1 of f". */
static void print_slot(calls_ctx *c, const char *key, la_buf *out)
{
	const char *hash;
	if (strncmp(key, "param:", 6) == 0 && (hash = strrchr(key, '#'))) {
		char *usr = xstrndup(key + 6, (size_t)(hash - key - 6));
		la_buf_printf(out, "parameter %s of ", hash + 1);
		sqlite3_bind_text(c->name_of, 1, usr, -1, SQLITE_STATIC);
		la_buf_puts(out, sqlite3_step(c->name_of) == SQLITE_ROW
				 ? (const char *)sqlite3_column_text(c->name_of, 0) : usr);
		sqlite3_reset(c->name_of);
		free(usr);
	} else {
		la_buf_puts(out, key);
	}
}

static int show_callers(calls_ctx *c, const char *usr, const char *name)
{
	sqlite3 *db = store_db(c->s);
	sqlite3_stmt *st;
	/* direct calls by USR; callers that only saw a declaration share it */
	if (sqlite3_prepare_v2(db,
			       "SELECT fl.path, c.line, c.col, f.name, c.kind, c.fnkey FROM call c "
			       "JOIN func f ON f.id = c.func_id JOIN file fl ON fl.id = c.file_id "
			       "WHERE c.callee_usr = ?1 OR (?2 IS NOT NULL AND c.fnkey = ?2) "
			       "ORDER BY fl.path, c.line", -1, &st, NULL) != SQLITE_OK)
		return LA_EDB;
	la_strset slots = LA_STRSET_INIT;
	int err = lg_fnptr_slots(c->s, usr, &slots);
	int n = 0;
	printf("  callers:\n");
	for (size_t k = 0; k <= slots.n && err >= 0; k++) {
		sqlite3_bind_text(st, 1, k == 0 ? usr : "", -1, SQLITE_STATIC);
		if (k == 0)
			sqlite3_bind_null(st, 2);
		else
			sqlite3_bind_text(st, 2, slots.items[k - 1], -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			la_buf via = LA_BUF_INIT;
			if (k)
				print_slot(c, slots.items[k - 1], &via);
			printf("    %s:%d:%d: %s%s%s%s\n",
			       la_display_path(c->root, (const char *)sqlite3_column_text(st, 0)),
			       sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), sqlite3_column_text(st, 3),
			       k ? " (indirect, through " : "", k ? via.ptr : "", k ? ")" : "");
			la_buf_free(&via);
			n++;
		}
		sqlite3_reset(st);
	}
	if (!n)
		printf("    (none recorded: an entry point, or only called from unscanned code)\n");
	(void)name;
	sqlite3_finalize(st);
	la_strset_free(&slots);
	return err;
}

static int show_callees(calls_ctx *c, sqlite3_int64 func_id)
{
	sqlite3 *db = store_db(c->s);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT fl.path, c.line, c.col, c.kind, c.callee, c.callee_usr, c.fnkey, c.args "
			       "FROM call c JOIN file fl ON fl.id = c.file_id WHERE c.func_id = ?1 "
			       "ORDER BY c.line, c.col", -1, &st, NULL) != SQLITE_OK)
		return LA_EDB;
	sqlite3_bind_int64(st, 1, func_id);
	int n = 0, err = LA_OK;
	printf("  callees:\n");
	while (sqlite3_step(st) == SQLITE_ROW && err >= 0) {
		const char *kind = (const char *)sqlite3_column_text(st, 3);
		const char *callee = (const char *)sqlite3_column_text(st, 4);
		const char *key = (const char *)sqlite3_column_text(st, 6);
		printf("    %s:%d:%d: %s(%s)", la_display_path(c->root, (const char *)sqlite3_column_text(st, 0)),
		       sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), callee ? callee : "?",
		       sqlite3_column_text(st, 7) ? (const char *)sqlite3_column_text(st, 7) : "");
		if (strcmp(kind, "direct") != 0) {
			la_strset targets = LA_STRSET_INIT;
			if (key)
				err = lg_fnptr_targets(c->s, key, &targets);
			printf(" [%s via %s] ->", kind, key ? key : "an unnamed pointer");
			if (!targets.n)
				printf(" (no stored target)");
			for (size_t i = 0; i < targets.n; i++) {
				la_buf b = LA_BUF_INIT;
				print_func_name(c, targets.items[i], &b);
				printf("%s %s", i ? "," : "", b.ptr);
				la_buf_free(&b);
			}
			la_strset_free(&targets);
		}
		putchar('\n');
		n++;
	}
	if (!n)
		printf("    (none)\n");
	sqlite3_finalize(st);
	return err;
}

int cmd_calls(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dbpath = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(usage_text);
	if (cmd_empty_path("calls", "--db", dbpath, NULL))
		return EXIT_TOOL;
	const char *name = argv[optind];
	store *s;
	if (store_open(dbpath, STORE_OPEN_READ, &s) < 0)
		return cmd_fail();
	calls_ctx c = { s, NULL, NULL };
	char *root = NULL;
	store_meta_get(s, "root", &root);
	c.root = root;
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st = NULL;
	int rc = EXIT_OK, n = 0, err = LA_OK;
	if (sqlite3_prepare_v2(db, "SELECT fn.name, fl.path, fn.line FROM func fn JOIN file fl ON fl.id = fn.file_id "
				   "WHERE fn.usr = ?1 LIMIT 1", -1, &c.name_of, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT fn.id, fn.usr, fl.path, fn.line, fn.params FROM func fn "
				   "JOIN file fl ON fl.id = fn.file_id WHERE fn.name = ?1 OR fn.usr = ?1 "
				   "ORDER BY fl.path", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, sqlite3_errmsg(db));
		rc = EXIT_TOOL;
		goto out;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && err >= 0) {
		const char *usr = (const char *)sqlite3_column_text(st, 1);
		printf("%s(%s)  %s:%d\n", name, sqlite3_column_text(st, 4),
		       la_display_path(root, (const char *)sqlite3_column_text(st, 2)), sqlite3_column_int(st, 3));
		char *u = xstrdup(usr);
		err = show_callers(&c, u, name);
		if (err >= 0)
			err = show_callees(&c, sqlite3_column_int64(st, 0));
		free(u);
		n++;
	}
	if (err < 0) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, sqlite3_errmsg(db));
		rc = EXIT_TOOL;
	} else if (!n) {
		fprintf(stderr, "lockaudit: no function named '%s' in %s\n", name, dbpath);
		rc = EXIT_TOOL;
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(c.name_of);
	free(root);
	store_close(s);
	return rc;
}
