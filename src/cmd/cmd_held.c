/* lockaudit held FILE:LINE: the locks held at the accesses and calls of a
 * line, and why: acquired where, or inherited from which callers (followed
 * up the call chain). */
#include "cmd.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"
#include "../util/path.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit held FILE:LINE [--db FILE] [--rules FILE]\n"
	"       lockaudit held --file FILE [--db FILE] [--rules FILE]\n"
	"\n"
	"The locks held at each access and call on that line, on every path or on\n"
	"some, and why: acquired at which line, asserted, or inherited because every\n"
	"caller holds it (with one caller per step up the chain).\n"
	"\n"
	"With --file, one line per access and call of FILE, in the compact form the\n"
	"test corpus uses: LINE FUNC EVENT | CLASS[=INSTANCE]:MODE[:HOW][?] ... (the\n"
	"instance when it has a name here), where MODE is\n"
	"r (shared), x (exclusive) or R (recursive), HOW is i (inherited) or s\n"
	"(asserted) when not acquired here, and ? marks a lock held on some paths\n"
	"only; `-` is no lock, `unreachable` no analysed path, `primitive` the\n"
	"body of a declared lock primitive (not analysed).\n"
	"\n"
	"  --db FILE     database (default " LA_DEFAULT_DB ")\n"
	"  --rules FILE  rules to analyse with when the analysis is missing or stale\n";

typedef struct held_ctx {
	store *s;
	const char *root;
	sqlite3_stmt *locks, *entry, *site;
} held_ctx;

/* Why `cls` is held at entry of func_id: one caller per step. */
static void explain_inherited(held_ctx *c, sqlite3_int64 func_id, const char *cls, int depth)
{
	if (depth > 12)
		return;
	sqlite3_bind_int64(c->entry, 1, func_id);
	sqlite3_bind_text(c->entry, 2, cls, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(c->entry) != SQLITE_ROW) {
		sqlite3_reset(c->entry);
		return;
	}
	int ncallers = sqlite3_column_int(c->entry, 0);
	sqlite3_int64 via = sqlite3_column_int64(c->entry, 1);
	char *via_name = xstrdup(sqlite3_column_text(c->entry, 2) ? (const char *)sqlite3_column_text(c->entry, 2) : "?");
	char *via_file = xstrdup(sqlite3_column_text(c->entry, 3) ? (const char *)sqlite3_column_text(c->entry, 3) : "?");
	int via_line = sqlite3_column_int(c->entry, 4);
	sqlite3_reset(c->entry);
	printf("%*s<- held by all %d caller%s, e.g. %s at %s:%d", 6 + 2 * depth, "", ncallers,
	       ncallers == 1 ? "" : "s", via_name, la_display_path(c->root, via_file), via_line);
	/* how that caller holds it at the call */
	sqlite3_bind_int64(c->site, 1, via);
	sqlite3_bind_int(c->site, 2, via_line);
	sqlite3_bind_text(c->site, 3, cls, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(c->site) == SQLITE_ROW) {
		const char *how = (const char *)sqlite3_column_text(c->site, 0);
		if (strcmp(how, "inherited") == 0) {
			putchar('\n');
			sqlite3_reset(c->site);
			explain_inherited(c, via, cls, depth + 1);
		} else {
			printf(" (%s there at line %d)\n", how, sqlite3_column_int(c->site, 1));
			sqlite3_reset(c->site);
		}
	} else {
		putchar('\n');
		sqlite3_reset(c->site);
	}
	free(via_name);
	free(via_file);
}

static void print_locks(held_ctx *c, sqlite3_int64 func_id, int block, int idx)
{
	sqlite3_bind_int64(c->locks, 1, func_id);
	sqlite3_bind_int(c->locks, 2, block);
	sqlite3_bind_int(c->locks, 3, idx);
	int n = 0;
	while (sqlite3_step(c->locks) == SQLITE_ROW) {
		const char *cls = (const char *)sqlite3_column_text(c->locks, 0);
		const char *inst = (const char *)sqlite3_column_text(c->locks, 1);
		const char *mode = (const char *)sqlite3_column_text(c->locks, 2);
		const char *how = (const char *)sqlite3_column_text(c->locks, 3);
		int must = sqlite3_column_int(c->locks, 4);
		const char *at = (const char *)sqlite3_column_text(c->locks, 5);
		int at_line = sqlite3_column_int(c->locks, 6);
		if (strcmp(how, "unreachable") == 0) {
			printf("    on no analysed path (it follows a call that does not return)\n");
			n++;
			continue;
		}
		if (strcmp(how, "primitive") == 0) {
			printf("    in a lock primitive's own code (the rules declare it; not analysed)\n");
			n++;
			continue;
		}
		printf("    %s %s (%s)", must ? "holds" : "may hold", cls, mode);
		if (inst && strcmp(inst, "?") != 0 && strcmp(inst, cls) != 0)
			printf(" as %s", inst);
		if (!must)
			printf(" on some paths");
		if (strcmp(how, "inherited") == 0) {
			printf(": inherited\n");
			char *cl = xstrdup(cls);
			explain_inherited(c, func_id, cl, 0);
			free(cl);
		} else {
			printf(": %s at %s:%d\n", how, at ? la_display_path(c->root, at) : "?", at_line);
		}
		n++;
	}
	sqlite3_reset(c->locks);
	if (!n)
		printf("    no lock held\n");
}

/* la_path_match(PATH, QUERY, ROOT) in SQL: la_path_matches(), so that a
 * file name is compared exactly (LIKE would take % and _ as wildcards). */
static void path_match_fn(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	(void)argc;
	sqlite3_result_int(ctx, la_path_matches((const char *)sqlite3_value_text(v[0]),
						(const char *)sqlite3_value_text(v[1]),
						(const char *)sqlite3_value_text(v[2])));
}

static int register_path_match(store *s)
{
	if (sqlite3_create_function(store_db(s), "la_path_match", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    path_match_fn, NULL, NULL) != SQLITE_OK)
		return la_error_code(LA_EDB, "cannot register la_path_match: %s", sqlite3_errmsg(store_db(s)));
	return LA_OK;
}

/* Every event of a file with its locks, one line each (tests carry this). */
static int list_file(store *s, const char *file, const char *root)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s),
			       "WITH ev AS (SELECT a.func_id, a.block, a.idx, a.file_id, a.line, a.col, "
			       "  a.mode || ' ' || a.struct || '.' || a.field AS what FROM access a "
			       "  UNION ALL SELECT c.func_id, c.block, c.idx, c.file_id, c.line, c.col, "
			       "  'call ' || c.callee FROM call c) "
			       "SELECT ev.line, f.name, ev.what, group_concat(CASE "
			       "  WHEN h.how = 'unreachable' THEN 'unreachable' "
			       "  WHEN h.how = 'primitive' THEN 'primitive' "
			       "  WHEN h.class IS NULL THEN '-' "
			       "  ELSE h.class || CASE WHEN h.instance IS NULL OR h.instance IN ('?', h.class) THEN '' "
			       "  ELSE '=' || h.instance END || ':' || CASE h.mode WHEN 'shared' THEN 'r' WHEN 'recursive' THEN 'R' ELSE 'x' END "
			       "  || CASE h.how WHEN 'inherited' THEN ':i' WHEN 'asserted' THEN ':s' ELSE '' END "
			       "  || CASE h.must WHEN 1 THEN '' ELSE '?' END END, ' ') "
			       "FROM ev JOIN func f ON f.id = ev.func_id JOIN file fl ON fl.id = ev.file_id "
			       "LEFT JOIN (SELECT * FROM held ORDER BY class, instance) h ON h.func_id = ev.func_id "
			       "  AND h.block = ev.block AND h.idx = ev.idx "
			       "WHERE la_path_match(fl.path, ?1, ?2) "
			       "GROUP BY ev.func_id, ev.block, ev.idx ORDER BY ev.line, ev.col, ev.func_id, ev.block, ev.idx",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "lockaudit: error: %s\n", sqlite3_errmsg(store_db(s)));
		return EXIT_TOOL;
	}
	sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, root ? root : "", -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		printf("%d %s %s | %s\n", sqlite3_column_int(st, 0), sqlite3_column_text(st, 1),
		       sqlite3_column_text(st, 2), sqlite3_column_text(st, 3));
		n++;
	}
	sqlite3_finalize(st);
	if (!n) {
		fprintf(stderr, "lockaudit: no access or call recorded in %s\n", file);
		return EXIT_TOOL;
	}
	return EXIT_OK;
}

/* A positive number that ends `s` after its last ':', cut off; -1 if none. */
static long cut_number(char *s)
{
	char *colon = strrchr(s, ':'), *end;
	if (!colon || colon[1] < '0' || colon[1] > '9')
		return -1;
	errno = 0;
	long v = strtol(colon + 1, &end, 10);
	if (*end || errno == ERANGE || v <= 0 || v > INT_MAX)
		return -1;
	*colon = 0;
	return v;
}

/* FILE:LINE, or FILE:LINE:COL as `check` prints it: cut to FILE. */
static int split_location(char *where, long *line, long *col)
{
	long a = cut_number(where);
	if (a < 0 || !*where)
		return LA_EINVAL;
	char *save = xstrdup(where);
	long b = cut_number(where);
	if (b > 0 && *where) {
		*line = b;
		*col = a;
	} else {
		strcpy(where, save);
		*line = a;
		*col = 0;
	}
	free(save);
	return LA_OK;
}

int cmd_held(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB, *rules_path = NULL, *file = NULL;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "rules", required_argument, NULL, 'r' },
		{ "file", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dbpath = optarg; break;
		case 'r': rules_path = optarg; break;
		case 'f': file = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (cmd_empty_path("held", "--db", dbpath, "--rules", rules_path, "--file", file, NULL))
		return EXIT_TOOL;
	if (file) {
		if (optind != argc)
			return cmd_usage_error(usage_text);
		store *s;
		if (cmd_open_analysed(dbpath, rules_path, &s) < 0)
			return cmd_fail();
		if (register_path_match(s) < 0) {
			store_close(s);
			return cmd_fail();
		}
		char *root = NULL;
		store_meta_get(s, "root", &root);
		int rc = list_file(s, file, root);
		free(root);
		store_close(s);
		return rc;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(usage_text);
	char *where = xstrdup(argv[optind]);
	long line, col;
	if (split_location(where, &line, &col) < 0) {
		fprintf(stderr, "lockaudit held: expected FILE:LINE or FILE:LINE:COL, not '%s'\n", argv[optind]);
		free(where);
		return EXIT_TOOL;
	}
	store *s;
	if (cmd_open_analysed(dbpath, rules_path, &s) < 0) {
		free(where);
		return cmd_fail();
	}
	if (register_path_match(s) < 0) {
		free(where);
		store_close(s);
		return cmd_fail();
	}
	char *root = NULL;
	store_meta_get(s, "root", &root);
	held_ctx c = { s, root, NULL, NULL, NULL };
	sqlite3 *db = store_db(s);
	sqlite3_stmt *ev = NULL;
	int rc = EXIT_OK;
	if (sqlite3_prepare_v2(db, "SELECT class, instance, mode, how, must, fl.path, at_line FROM held "
				   "LEFT JOIN file fl ON fl.id = held.at_file_id "
				   "WHERE func_id = ?1 AND block = ?2 AND idx = ?3 ORDER BY must DESC, class",
			       -1, &c.locks, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT e.ncallers, e.via_func_id, f.name, fl.path, e.via_line FROM func_entry e "
				   "LEFT JOIN func f ON f.id = e.via_func_id LEFT JOIN file fl ON fl.id = e.via_file_id "
				   "WHERE e.func_id = ?1 AND e.class = ?2", -1, &c.entry, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT h.how, h.at_line FROM call cl JOIN held h ON h.func_id = cl.func_id "
				   "AND h.block = cl.block AND h.idx = cl.idx WHERE cl.func_id = ?1 AND cl.line = ?2 "
				   "AND h.class = ?3 AND h.must = 1 LIMIT 1", -1, &c.site, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 'access', a.func_id, a.block, a.idx, fl.path, a.line, a.col, f.name, "
				   "a.mode || ' ' || a.struct || '.' || a.field || ': ' || a.expr "
				   "FROM access a JOIN func f ON f.id = a.func_id JOIN file fl ON fl.id = a.file_id "
				   "WHERE a.line = ?2 AND (?4 = 0 OR a.col = ?4) AND la_path_match(fl.path, ?1, ?3) "
				   "UNION ALL SELECT 'call', c.func_id, c.block, c.idx, fl.path, c.line, c.col, f.name, "
				   "'call ' || c.callee || '(' || c.args || ')' "
				   "FROM call c JOIN func f ON f.id = c.func_id JOIN file fl ON fl.id = c.file_id "
				   "WHERE c.line = ?2 AND (?4 = 0 OR c.col = ?4) AND la_path_match(fl.path, ?1, ?3) "
				   "ORDER BY 7, 1", -1, &ev, NULL) != SQLITE_OK) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, sqlite3_errmsg(db));
		rc = EXIT_TOOL;
		goto out;
	}
	sqlite3_bind_text(ev, 1, where, -1, SQLITE_STATIC);
	sqlite3_bind_int(ev, 2, (int)line);
	sqlite3_bind_text(ev, 3, root ? root : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(ev, 4, (int)col);
	int n = 0;
	for (;;) {
		if (sqlite3_step(ev) != SQLITE_ROW) {
			if (n || !col)
				break;
			/* nothing at that column (a finding's own column): the whole line */
			col = 0;
			sqlite3_reset(ev);
			sqlite3_bind_int(ev, 4, 0);
			continue;
		}
		printf("%s:%d:%d: in %s: %s\n", la_display_path(root, (const char *)sqlite3_column_text(ev, 4)),
		       sqlite3_column_int(ev, 5), sqlite3_column_int(ev, 6), sqlite3_column_text(ev, 7),
		       sqlite3_column_text(ev, 8));
		print_locks(&c, sqlite3_column_int64(ev, 1), sqlite3_column_int(ev, 2), sqlite3_column_int(ev, 3));
		n++;
	}
	if (!n) {
		fprintf(stderr, "lockaudit: no access or call recorded at %s:%ld\n", where, line);
		rc = EXIT_TOOL;
	}
out:
	sqlite3_finalize(ev);
	sqlite3_finalize(c.locks);
	sqlite3_finalize(c.entry);
	sqlite3_finalize(c.site);
	free(root);
	free(where);
	store_close(s);
	return rc;
}
