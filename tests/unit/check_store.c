/* src/store: the database file, one TU's facts written from a worker
 * stream, failures that keep the previous facts, and fingerprints. */
#include "testutil.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "ir/ir.h"
#include "store/store.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/strset.h"

#include "suites.h"

static char *tmpdir, *dbpath, *main_c, *header_h;
static fe_tu_cmd cmd;
static char *cmd_argv[] = { "-DX=1", "-Iinc", NULL };

static const char main_text[] = "#include \"h.h\"\nint f(struct s *p) { spin_lock(&p->lock); }\n";
static const char header_text[] = "struct s { int lock; };\n";

static void setup(void)
{
	tmpdir = t_mkdtemp();
	dbpath = t_fmt("%s/la.db", tmpdir);
	main_c = t_fmt("%s/x/a.c", tmpdir);
	header_h = t_fmt("%s/x/h.h", tmpdir);
	t_write(main_c, main_text);
	t_write(header_h, header_text);
	memset(&cmd, 0, sizeof(cmd));
	cmd.index = 4;
	cmd.directory = t_fmt("%s/x", tmpdir);
	cmd.file = main_c;
	cmd.argv = cmd_argv;
	cmd.argc = 2;
}

static void teardown(void)
{
	t_rmtree(tmpdir);
	free(cmd.directory);
	free(header_h);
	free(main_c);
	free(dbpath);
	free(tmpdir);
}

/* A worker stream as src/frontend/parse.c writes it (docs/ir.md); @D@ is
 * the temporary directory. */
static const char stream_text[] =
	"(lair 1)\n"
	"(tu \"@D@/x/a.c\")\n"
	"(parse-ms 7)\n"
	"(include \"@D@/x/a.c\")\n"
	"(include \"@D@/x/h.h\")\n"
	"(func 1 \"f\" \"c:@F@f\" 0:2:5 (static 0) (inline 0) (ncalls 1)\n"
	" (files \"@D@/x/a.c\")\n"
	" (params (\"p\" \"struct s *\"))\n"
	" (block 0\n"
	"  (access \"s\" \"lock\" addr 1 0:2:33 (param 0 \"p\"))\n"
	"  (call 0 direct \"spin_lock\" \"c:@F@spin_lock\" \"\" 0:2:22 (addr (fld \"s\" \"lock\" 1 (param 0 \"p\"))))\n"
	"  (assert \"ASSERT\" 0:2:40 (bin \"||\" (param 0 \"p\") (ret 0 \"spin_lock\")))\n"
	"  (term -)))\n"
	"(func 1 \"h_inline\" \"c:@F@h_inline\" 0:3:1 (static 1) (inline 1) (ncalls 0)\n"
	" (files \"@D@/x/h.h\")\n"
	" (params)\n"
	" (block 0\n"
	"  (return 0:3:20 (int 0))\n"
	"  (term -)))\n"
	"(flow \"ops.read\" func \"c:@F@f\" \"f\" \"\" \"@D@/x/a.c\" 9 1)\n"
	"(status ok)\n"
	"(done)\n";

static char *stream(void)
{
	return t_subst_dir(stream_text, tmpdir);
}

/* --- SQL helpers --- */

/* First column of the first row as a new string (NULL for no row / NULL). */
static char *q_str(store *s, const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
		      sqlite3_errmsg(store_db(s)));
	char *r = NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r;
}

static long long q_int(store *s, const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
		      sqlite3_errmsg(store_db(s)));
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

#define CK_Q_STR(s, sql, want) do { \
	char *_got = q_str((s), (sql)); \
	const char *_want = (want); \
	ck_assert_msg(_got && _want && strcmp(_got, _want) == 0, "%s: got \"%s\", expected \"%s\"", (sql), \
		      _got ? _got : "(null)", _want ? _want : "(null)"); \
	free(_got); \
} while (0)

#define CK_Q_NULL(s, sql) do { \
	char *_got = q_str((s), (sql)); \
	ck_assert_msg(_got == NULL, "%s: got \"%s\", expected NULL", (sql), _got); \
} while (0)

static store *open_db(int flags)
{
	store *s = NULL;
	int err = store_open(dbpath, flags, &s);
	ck_assert_msg(err == LA_OK, "store_open: %s", la_error_last());
	ck_assert_ptr_nonnull(s);
	return s;
}

static void ingest_ok(store *s, const char *text, store_ingest_stats *st)
{
	store_ingest_stats dummy;
	int err = store_tu_ingest(s, &cmd, "salt", text, 2048, st ? st : &dummy, NULL);
	ck_assert_msg(err == LA_OK, "ingest: %s", la_error_last());
}

/* The facts a TU contributed (diagnostics aside), as one comparable string. */
static char *facts(store *s)
{
	static const char *const tables[] = { "func", "access", "call", "assertion", "fnptr_flow", "tu_include" };
	la_buf b = LA_BUF_INIT;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *sql = t_fmt("SELECT count(*) FROM %s", tables[i]);
		la_buf_printf(&b, "%s=%lld ", tables[i], q_int(s, sql));
		free(sql);
	}
	char *ir = q_str(s, "SELECT group_concat(ir, '|') FROM (SELECT ir FROM func ORDER BY usr)");
	la_buf_puts(&b, ir ? ir : "");
	free(ir);
	return la_buf_detach(&b);
}

/* --- opening --- */

START_TEST(test_store_create_and_reopen)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *v = NULL;
	ck_assert_int_eq(store_meta_get(s, "schema_version", &v), LA_OK);
	char want[16];
	snprintf(want, sizeof(want), "%d", STORE_SCHEMA_VERSION);
	ck_assert_str_eq(v, want);
	free(v);
	CK_Q_STR(s, "PRAGMA journal_mode", "wal");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
			      "('meta', 'file', 'tu', 'tu_include', 'diag', 'func', 'access', 'call', "
			      "'assertion', 'fnptr_flow')"), 10);
	ck_assert_int_eq(store_meta_set(s, "root", "/src/xen"), LA_OK);
	ck_assert_int_eq(store_meta_set(s, "root", "/src/xen2"), LA_OK);   /* replaces */
	store_close(s);

	s = open_db(STORE_OPEN_READ);
	ck_assert_int_eq(store_meta_get(s, "root", &v), LA_OK);
	ck_assert_str_eq(v, "/src/xen2");
	free(v);
	ck_assert_int_eq(store_meta_get(s, "absent", &v), LA_OK);
	ck_assert_ptr_null(v);
	/* read-only really is read-only */
	ck_assert_int_lt(store_exec(s, "INSERT INTO meta VALUES('k', 'v')"), 0);
	store_close(s);

	s = open_db(STORE_OPEN_CREATE);   /* reopening for writing keeps the data */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM meta WHERE key = 'root'"), 1);
	store_close(s);
}
END_TEST

START_TEST(test_store_open_missing)
{
	store *s = (store *)0x1;
	ck_assert_int_eq(store_open(dbpath, STORE_OPEN_READ, &s), LA_ENOTFOUND);
	ck_assert_ptr_null(s);
	ck_assert_str_contains(la_error_last(), dbpath);
	ck_assert_str_contains(la_error_last(), "lockaudit scan");
	ck_assert_int_ne(access(dbpath, F_OK), 0);   /* not created by a reader */
}
END_TEST

START_TEST(test_store_other_schema_version)
{
	store *s = open_db(STORE_OPEN_CREATE);
	ck_assert_int_eq(store_exec(s, "UPDATE meta SET value = '99' WHERE key = 'schema_version'"), LA_OK);
	store_close(s);
	for (int flags = STORE_OPEN_READ; flags <= STORE_OPEN_CREATE; flags++) {
		s = (store *)0x1;
		la_error_clear();
		ck_assert_int_eq(store_open(dbpath, flags, &s), LA_EDB);
		ck_assert_ptr_null(s);
		ck_assert_str_contains(la_error_last(), dbpath);
		ck_assert_str_contains(la_error_last(), "schema version 99");
		char want[32];
		snprintf(want, sizeof(want), "uses %d", STORE_SCHEMA_VERSION);
		ck_assert_str_contains(la_error_last(), want);
	}
}
END_TEST

/* Schema 2 had no suppression table: a scan adds it, the others ask for one. */
START_TEST(test_store_upgrade_from_2)
{
	store *s = open_db(STORE_OPEN_CREATE);
	ck_assert_int_eq(store_exec(s, "DROP TABLE suppression; "
				       "UPDATE meta SET value = '2' WHERE key = 'schema_version'"), LA_OK);
	store_close(s);
	for (int flags = STORE_OPEN_READ; flags <= STORE_OPEN_WRITE; flags += STORE_OPEN_WRITE) {
		ck_assert_int_eq(store_open(dbpath, flags, &s), LA_EDB);
		ck_assert_str_contains(la_error_last(), "schema version 2");
		ck_assert_str_contains(la_error_last(), "run `lockaudit scan`");
	}
	s = open_db(STORE_OPEN_CREATE);
	char want[16];
	snprintf(want, sizeof(want), "%d", STORE_SCHEMA_VERSION);
	CK_Q_STR(s, "SELECT value FROM meta WHERE key = 'schema_version'", want);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM suppression"), 0);
	store_close(s);
}
END_TEST

START_TEST(test_store_foreign_file)
{
	/* an SQLite database of some other program */
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('mine');", NULL,
				      NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	store *s;
	for (int flags = STORE_OPEN_READ; flags <= STORE_OPEN_CREATE; flags++) {
		la_error_clear();
		ck_assert_int_eq(store_open(dbpath, flags, &s), LA_EDB);
		ck_assert_str_contains(la_error_last(), dbpath);
		ck_assert_str_contains(la_error_last(), "not a lockaudit database");
	}
	/* left alone: no lockaudit table was added */
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* not SQLite at all */
	char *text = t_fmt("%s/notes.txt", tmpdir);
	t_write(text, "these are not the pages of a database, but they are longer than a header would be\n");
	ck_assert_int_lt(store_open(text, STORE_OPEN_CREATE, &s), 0);
	ck_assert_str_contains(la_error_last(), text);
	la_buf b = LA_BUF_INIT;
	ck_assert_int_eq(la_buf_read_file(&b, text), LA_OK);
	ck_assert_str_eq(b.ptr, "these are not the pages of a database, but they are longer than a header would be\n");
	la_buf_free(&b);
	free(text);
}
END_TEST

START_TEST(test_store_file_ids)
{
	store *s = open_db(STORE_OPEN_CREATE);
	int64_t a, b, c;
	ck_assert_int_eq(store_file_id(s, "/p/a.c", &a), LA_OK);
	ck_assert_int_eq(store_file_id(s, "/p/b.c", &b), LA_OK);
	ck_assert_int_eq(store_file_id(s, "/p/a.c", &c), LA_OK);
	ck_assert_int_eq(a, c);
	ck_assert_int_ne(a, b);
	/* more paths than the cache's first table holds */
	for (int i = 0; i < 1500; i++) {
		char p[32];
		snprintf(p, sizeof(p), "/p/f%d.c", i);
		ck_assert_int_eq(store_file_id(s, p, &c), LA_OK);
	}
	ck_assert_int_eq(store_file_id(s, "/p/a.c", &c), LA_OK);
	ck_assert_int_eq(a, c);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM file"), 1502);
	/* an id handed out in a rolled-back transaction is not reused from the cache */
	ck_assert_int_eq(store_begin(s), LA_OK);
	ck_assert_int_eq(store_file_id(s, "/p/rolled-back.c", &c), LA_OK);
	ck_assert_int_eq(store_rollback(s), LA_OK);
	ck_assert_int_eq(store_file_id(s, "/p/rolled-back.c", &c), LA_OK);
	char *sql = t_fmt("SELECT path FROM file WHERE id = %lld", (long long)c);
	CK_Q_STR(s, sql, "/p/rolled-back.c");
	free(sql);
	store_close(s);
}
END_TEST

/* --- ingesting a TU --- */

START_TEST(test_store_ingest_rows)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	store_ingest_stats st;
	la_strset hdr = LA_STRSET_INIT;
	int err = store_tu_ingest(s, &cmd, "salt", text, 2048, &st, &hdr);
	ck_assert_msg(err == LA_OK, "%s", la_error_last());
	ck_assert_int_eq(st.funcs, 2);
	ck_assert_int_eq(st.funcs_dup, 0);
	ck_assert_int_eq(st.accesses, 1);
	ck_assert_int_eq(st.calls, 1);
	ck_assert_int_eq(st.asserts, 1);
	ck_assert_int_eq(st.flows, 1);
	/* header functions are reported so later workers skip them */
	ck_assert_uint_eq(hdr.n, 1);
	char *key = t_fmt("c:@F@h_inline\t%s:3", header_h);
	ck_assert_str_eq(hdr.items[0], key);
	free(key);
	la_strset_free(&hdr);

	/* tu */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM tu"), 1);
	CK_Q_STR(s, "SELECT status FROM tu", "ok");
	CK_Q_NULL(s, "SELECT error FROM tu");
	CK_Q_STR(s, "SELECT directory FROM tu", cmd.directory);
	CK_Q_STR(s, "SELECT args FROM tu", "-DX=1 -Iinc");
	ck_assert_int_eq(q_int(s, "SELECT entry FROM tu"), 4);
	ck_assert_int_eq(q_int(s, "SELECT parse_ms FROM tu"), 7);
	ck_assert_int_eq(q_int(s, "SELECT rss_kb FROM tu"), 2048);
	ck_assert_int_eq(q_int(s, "SELECT length(fingerprint) FROM tu"), 16);
	CK_Q_STR(s, "SELECT f.path FROM tu t JOIN file f ON f.id = t.file_id", main_c);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM tu_include"), 2);

	/* func */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 2);
	CK_Q_STR(s, "SELECT name FROM func WHERE usr = 'c:@F@f'", "f");
	CK_Q_STR(s, "SELECT params FROM func WHERE usr = 'c:@F@f'", "struct s * p");
	ck_assert_int_eq(q_int(s, "SELECT line FROM func WHERE usr = 'c:@F@f'"), 2);
	ck_assert_int_eq(q_int(s, "SELECT col FROM func WHERE usr = 'c:@F@f'"), 5);
	ck_assert_int_eq(q_int(s, "SELECT in_header FROM func WHERE usr = 'c:@F@f'"), 0);
	ck_assert_int_eq(q_int(s, "SELECT is_static + is_inline FROM func WHERE usr = 'c:@F@f'"), 0);
	ck_assert_int_eq(q_int(s, "SELECT in_header FROM func WHERE usr = 'c:@F@h_inline'"), 1);
	ck_assert_int_eq(q_int(s, "SELECT is_static FROM func WHERE usr = 'c:@F@h_inline'"), 1);
	ck_assert_int_eq(q_int(s, "SELECT is_inline FROM func WHERE usr = 'c:@F@h_inline'"), 1);
	CK_Q_STR(s, "SELECT fl.path FROM func f JOIN file fl ON fl.id = f.file_id WHERE f.usr = 'c:@F@h_inline'",
		 header_h);
	/* the IR blob is the function's own text and parses back */
	char *ir = q_str(s, "SELECT ir FROM func WHERE usr = 'c:@F@f'");
	ck_assert_ptr_nonnull(ir);
	ck_assert_int_eq(strncmp(ir, "(func 1 \"f\" \"c:@F@f\" 0:2:5", 26), 0);
	ck_assert_int_eq(ir[strlen(ir) - 1], ')');
	ck_assert_str_lacks(ir, "h_inline");
	la_arena a = LA_ARENA_INIT;
	ir_func *f;
	ck_assert_msg(ir_func_parse(&a, ir, &f) == LA_OK, "%s", la_error_last());
	ck_assert_int_eq(f->nblocks, 1);
	ck_assert_int_eq(f->blocks[0]->nev, 3);
	ir_func_free(f);
	la_arena_free(&a);
	free(ir);

	/* access */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM access"), 1);
	CK_Q_STR(s, "SELECT struct || '.' || field FROM access", "s.lock");
	CK_Q_STR(s, "SELECT mode FROM access", "addr");
	CK_Q_STR(s, "SELECT expr FROM access", "p->lock");   /* with names */
	CK_Q_STR(s, "SELECT base FROM access", "$0");        /* canonical: what .lock is selected from */
	CK_Q_STR(s, "SELECT line || ':' || col || ':' || block || ':' || idx FROM access", "2:33:0:0");
	CK_Q_STR(s, "SELECT fl.path FROM access a JOIN file fl ON fl.id = a.file_id", main_c);
	CK_Q_STR(s, "SELECT func FROM access_v", "f");

	/* call */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM call"), 1);
	CK_Q_STR(s, "SELECT kind FROM call", "direct");
	CK_Q_STR(s, "SELECT callee FROM call", "spin_lock");
	CK_Q_STR(s, "SELECT callee_usr FROM call", "c:@F@spin_lock");
	CK_Q_NULL(s, "SELECT fnkey FROM call");
	CK_Q_STR(s, "SELECT args FROM call", "&p->lock");
	CK_Q_STR(s, "SELECT call_id || ':' || block || ':' || idx || ':' || line || ':' || col FROM call",
		 "0:0:1:2:22");
	CK_Q_STR(s, "SELECT caller FROM call_v", "f");

	/* assertion */
	CK_Q_STR(s, "SELECT macro FROM assertion", "ASSERT");
	CK_Q_STR(s, "SELECT cond FROM assertion", "p || spin_lock(&p->lock)");

	/* fnptr_flow */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM fnptr_flow"), 1);
	CK_Q_STR(s, "SELECT dst || '|' || src_kind || '|' || src || '|' || src_name FROM fnptr_flow",
		 "ops.read|func|c:@F@f|f");
	CK_Q_NULL(s, "SELECT in_func_usr FROM fnptr_flow");
	CK_Q_STR(s, "SELECT line || ':' || col FROM fnptr_flow", "9:1");
	CK_Q_STR(s, "SELECT fl.path FROM fnptr_flow x JOIN file fl ON fl.id = x.file_id", main_c);

	/* and the state the next scan reads */
	store_tu_state stt;
	ck_assert_int_eq(store_tu_state_get(s, main_c, &stt), LA_OK);
	ck_assert_int_ne(stt.id, 0);
	ck_assert_int_eq(stt.ok, 1);
	CK_Q_STR(s, "SELECT fingerprint FROM tu", stt.fingerprint);
	ck_assert_int_eq(store_tu_state_get(s, "/not/scanned.c", &stt), LA_OK);
	ck_assert_int_eq(stt.id, 0);
	ck_assert_int_eq(stt.ok, 0);
	free(text);
	store_close(s);
}
END_TEST

START_TEST(test_store_ingest_replaces)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	ingest_ok(s, text, NULL);
	char *before = facts(s);
	long long tu_id = q_int(s, "SELECT id FROM tu");
	ingest_ok(s, text, NULL);
	char *after = facts(s);
	ck_assert_str_eq(after, before);   /* same rows, no duplicates */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM tu"), 1);
	ck_assert_int_eq(q_int(s, "SELECT id FROM tu"), tu_id);
	ck_assert_str_contains(before, "access=1 call=1 assertion=1 fnptr_flow=1 tu_include=2");

	/* a changed TU: its old facts go, the new ones come */
	char *changed = t_subst_dir(
		"(lair 1)\n(tu \"@D@/x/a.c\")\n(include \"@D@/x/a.c\")\n"
		"(func 1 \"g\" \"c:@F@g\" 0:5:1 (static 0) (inline 0) (ncalls 0)\n (files \"@D@/x/a.c\")\n"
		" (params (\"q\" \"struct s *\"))\n (block 0\n"
		"  (access \"s\" \"lock\" write 1 0:6:3 (param 0 \"q\"))\n"
		"  (access \"s\" \"lock\" read 1 0:7:3 (param 0 \"q\"))\n  (term -)))\n"
		"(status ok)\n(done)\n", tmpdir);
	ingest_ok(s, changed, NULL);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 1);
	CK_Q_STR(s, "SELECT name FROM func", "g");
	CK_Q_STR(s, "SELECT group_concat(mode || ' ' || expr, ', ') FROM (SELECT * FROM access ORDER BY line)",
		 "write q->lock, read q->lock");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM call"), 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM assertion"), 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM fnptr_flow"), 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM tu_include"), 1);
	free(changed);
	free(after);
	free(before);
	free(text);
	store_close(s);
}
END_TEST

/* A stream that is cut short or broken is refused as a whole: the facts of
 * the previous scan stay, byte for byte. */
START_TEST(test_store_ingest_incomplete)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	ingest_ok(s, text, NULL);
	char *before = facts(s);
	char *fp = q_str(s, "SELECT fingerprint FROM tu");
	store_ingest_stats st;

	/* no (done): the worker died after writing everything else */
	char *cut = strdup(text);
	*strstr(cut, "(done)") = 0;
	la_error_clear();
	ck_assert_int_eq(store_tu_ingest(s, &cmd, "salt", cut, 0, &st, NULL), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), main_c);
	ck_assert_str_contains(la_error_last(), "(done)");
	free(cut);

	/* cut in the middle of a function */
	cut = strdup(text);
	*strstr(cut, "  (term -)))\n(func") = 0;
	la_error_clear();
	ck_assert_int_eq(store_tu_ingest(s, &cmd, "salt", cut, 0, &st, NULL), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "unterminated list");
	free(cut);

	/* another IR version */
	char *other = t_subst_dir("(lair 2)\n(include \"@D@/x/a.c\")\n(status ok)\n(done)\n", tmpdir);
	ck_assert_int_eq(store_tu_ingest(s, &cmd, "salt", other, 0, &st, NULL), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "IR version");
	free(other);

	/* a malformed function, after a good one */
	char *bad = strdup(text);
	char *mode = strstr(bad, " addr 1 0:2:33");
	memcpy(mode, " adr  1", 7);
	ck_assert_int_eq(store_tu_ingest(s, &cmd, "salt", bad, 0, &st, NULL), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "IR line 10: expected read, write or addr");
	free(bad);

	char *after = facts(s);
	ck_assert_str_eq(after, before);
	CK_Q_STR(s, "SELECT status FROM tu", "ok");
	CK_Q_STR(s, "SELECT fingerprint FROM tu", fp);
	free(after);
	free(fp);
	free(before);
	free(text);
	store_close(s);
}
END_TEST

START_TEST(test_store_tu_fail_keeps_facts)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	ingest_ok(s, text, NULL);
	char *before = facts(s);
	char *fp = q_str(s, "SELECT fingerprint FROM tu");
	long long tu_id = q_int(s, "SELECT id FROM tu");

	/* a crashed worker's partial output: its diagnostics are kept */
	char *partial = t_subst_dir("(lair 1)\n(tu \"@D@/x/a.c\")\n"
				    "(diag \"error\" \"@D@/x/a.c\" 2 9 \"use of undeclared identifier 'q'\")\n"
				    "(func 1 \"f\" \"c:@F@f\" 0:2:5 (static 0)", tmpdir);
	ck_assert_int_eq(store_tu_fail(s, &cmd, "worker crashed (Segmentation fault)", partial, 4096), LA_OK);
	CK_Q_STR(s, "SELECT status FROM tu", "failed");
	CK_Q_STR(s, "SELECT error FROM tu", "worker crashed (Segmentation fault)");
	ck_assert_int_eq(q_int(s, "SELECT rss_kb FROM tu"), 4096);
	ck_assert_int_eq(q_int(s, "SELECT id FROM tu"), tu_id);
	CK_Q_STR(s, "SELECT fingerprint FROM tu", fp);
	CK_Q_STR(s, "SELECT severity || ' ' || line || ':' || col || ' ' || message FROM diag",
		 "error 2:9 use of undeclared identifier 'q'");
	/* the previous facts are all there */
	char *after = facts(s);
	ck_assert_str_eq(after, before);
	ck_assert_str_contains(after, "func=2 access=1 call=1 assertion=1 fnptr_flow=1 tu_include=2 ");
	free(after);
	store_tu_state stt;
	ck_assert_int_eq(store_tu_state_get(s, main_c, &stt), LA_OK);
	ck_assert_int_eq(stt.ok, 0);   /* so the next scan parses it again */

	/* failing again replaces the diagnostics, not adds to them */
	ck_assert_int_eq(store_tu_fail(s, &cmd, "timed out", NULL, 0), LA_OK);
	CK_Q_STR(s, "SELECT error FROM tu", "timed out");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM diag"), 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 2);

	/* a good scan afterwards: ok again, error cleared */
	ingest_ok(s, text, NULL);
	CK_Q_STR(s, "SELECT status FROM tu", "ok");
	CK_Q_NULL(s, "SELECT error FROM tu");
	after = facts(s);
	ck_assert_str_eq(after, before);
	free(after);
	free(partial);
	free(fp);
	free(before);
	free(text);
	store_close(s);
}
END_TEST

START_TEST(test_store_tu_fail_new_tu)
{
	store *s = open_db(STORE_OPEN_CREATE);
	ck_assert_int_eq(store_tu_fail(s, &cmd, "source file not found", NULL, 0), LA_OK);
	CK_Q_STR(s, "SELECT status || ': ' || error FROM tu", "failed: source file not found");
	CK_Q_NULL(s, "SELECT fingerprint FROM tu");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 0);
	store_close(s);
}
END_TEST

/* A worker that reported a fatal parse error: the TU is failed with the
 * diagnostics, and the facts of the previous scan stay. */
START_TEST(test_store_ingest_status_failed)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	ingest_ok(s, text, NULL);
	char *fatal = t_subst_dir("(lair 1)\n(tu \"@D@/x/a.c\")\n(parse-ms 1)\n(include \"@D@/x/a.c\")\n"
				  "(diag \"fatal\" \"@D@/x/a.c\" 1 10 \"'h.h' file not found\")\n"
				  "(status failed)\n(done)\n", tmpdir);
	ingest_ok(s, fatal, NULL);
	CK_Q_STR(s, "SELECT status || ': ' || error FROM tu", "failed: fatal parse error");
	CK_Q_STR(s, "SELECT message FROM diag WHERE severity = 'fatal'", "'h.h' file not found");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 2);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM access"), 1);
	free(fatal);
	free(text);
	store_close(s);
}
END_TEST

/* --- fingerprints --- */

static char *fingerprint(store *s, const fe_tu_cmd *c, const char *salt)
{
	char fp[17];
	int err = store_tu_fingerprint(s, q_int(s, "SELECT id FROM tu"), c, salt, fp);
	ck_assert_msg(err == LA_OK, "fingerprint: %s", la_error_last());
	return strdup(fp);
}

/* Set a file's modification time explicitly, so the test does not depend
 * on the file system's timestamp granularity. */
static void set_mtime(const char *path, time_t sec)
{
	struct timespec ts[2] = { { sec, 0 }, { sec, 0 } };
	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

START_TEST(test_store_fingerprint)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	set_mtime(header_h, 1000000000);
	ingest_ok(s, text, NULL);
	char *fp0 = q_str(s, "SELECT fingerprint FROM tu");
	char *fp = fingerprint(s, &cmd, "salt");
	ck_assert_str_eq(fp, fp0);   /* stable */
	free(fp);
	/* the file table caches each file's content hash */
	uint64_t h;
	ck_assert_int_eq(la_hash_file(header_h, &h), LA_OK);
	char hex[17];
	la_hash_hex(h, hex);
	char *sql = t_fmt("SELECT hash FROM file WHERE path = '%s'", header_h);
	CK_Q_STR(s, sql, hex);

	/* touched, same content: same fingerprint (it hashes contents) */
	set_mtime(header_h, 1000000100);
	fp = fingerprint(s, &cmd, "salt");
	ck_assert_str_eq(fp, fp0);
	free(fp);

	/* same size, other content: another fingerprint */
	t_write(header_h, "struct s { int lokk; };\n");
	set_mtime(header_h, 1000000200);
	fp = fingerprint(s, &cmd, "salt");
	ck_assert_str_ne(fp, fp0);
	free(fp);
	char *cached = q_str(s, sql);
	ck_assert_str_ne(cached, hex);   /* the cache follows */
	free(cached);

	/* back to the old content: the old fingerprint */
	t_write(header_h, header_text);
	set_mtime(header_h, 1000000300);
	fp = fingerprint(s, &cmd, "salt");
	ck_assert_str_eq(fp, fp0);
	free(fp);

	/* the main file counts like any include */
	t_write(main_c, "/* edited */\n");
	fp = fingerprint(s, &cmd, "salt");
	ck_assert_str_ne(fp, fp0);
	free(fp);
	t_write(main_c, main_text);
	set_mtime(main_c, 1000000400);
	fp = fingerprint(s, &cmd, "salt");
	ck_assert_str_eq(fp, fp0);
	free(fp);

	/* arguments, directory and frontend configuration count too */
	fp = fingerprint(s, &cmd, "other salt");
	ck_assert_str_ne(fp, fp0);
	free(fp);
	fe_tu_cmd c2 = cmd;
	char *argv2[] = { "-DX=2", "-Iinc", NULL };
	c2.argv = argv2;
	fp = fingerprint(s, &c2, "salt");
	ck_assert_str_ne(fp, fp0);
	free(fp);
	c2 = cmd;
	c2.argc = 1;
	fp = fingerprint(s, &c2, "salt");
	ck_assert_str_ne(fp, fp0);
	free(fp);
	c2 = cmd;
	c2.directory = tmpdir;
	fp = fingerprint(s, &c2, "salt");
	ck_assert_str_ne(fp, fp0);
	free(fp);

	/* an include that has gone: no fingerprint, the TU must be parsed again */
	char out[17];
	long long id = q_int(s, "SELECT id FROM tu");
	ck_assert_int_eq(unlink(header_h), 0);
	ck_assert_int_eq(store_tu_fingerprint(s, id, &cmd, "salt", out), LA_ENOTFOUND);
	ck_assert_str_contains(la_error_last(), header_h);
	/* a TU never scanned has none either */
	ck_assert_int_eq(store_tu_fingerprint(s, id + 100, &cmd, "salt", out), LA_ENOTFOUND);
	free(sql);
	free(fp0);
	free(text);
	store_close(s);
}
END_TEST

/* An include that disappears before the stream is stored: refused, and the
 * message says which file. */
START_TEST(test_store_ingest_missing_include)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = t_subst_dir("(lair 1)\n(include \"@D@/x/a.c\")\n(include \"@D@/x/gone.h\")\n"
				 "(status ok)\n(done)\n", tmpdir);
	store_ingest_stats st;
	la_error_clear();
	ck_assert_int_lt(store_tu_ingest(s, &cmd, "salt", text, 0, &st, NULL), 0);
	ck_assert_str_contains(la_error_last(), main_c);
	ck_assert_str_contains(la_error_last(), "gone.h");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM tu"), 0);
	free(text);
	store_close(s);
}
END_TEST

/* --- several TUs --- */

START_TEST(test_store_header_funcs_and_prune)
{
	store *s = open_db(STORE_OPEN_CREATE);
	char *text = stream();
	ingest_ok(s, text, NULL);
	long long id = q_int(s, "SELECT id FROM tu");

	la_strset known = LA_STRSET_INIT;
	ck_assert_int_eq(store_known_header_funcs(s, NULL, 0, &known), LA_OK);
	ck_assert_uint_eq(known.n, 1);
	char *key = t_fmt("c:@F@h_inline\t%s:3", header_h);
	ck_assert_str_eq(known.items[0], key);
	la_strset_free(&known);
	/* the TU that stored it is rescanned: it lowers it again itself */
	int64_t rescan[] = { 12345, id };
	ck_assert_int_eq(store_known_header_funcs(s, rescan, 2, &known), LA_OK);
	ck_assert_uint_eq(known.n, 0);
	la_strset_free(&known);

	/* a compile database that still has the TU: nothing pruned */
	fe_compdb db = { 0 };
	db.tus = &cmd;
	db.ntus = 1;
	int removed = -1;
	ck_assert_int_eq(store_tu_prune(s, &db, 1, &removed), LA_OK);
	ck_assert_int_eq(removed, 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 2);
	/* one without it: more than half of the TUs would go, refused unless allowed */
	db.ntus = 0;
	ck_assert_int_eq(store_tu_prune(s, &db, 0, &removed), LA_EINVAL);
	ck_assert_int_eq(removed, 1);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM func"), 2);
	/* allowed: the TU and all its facts go */
	ck_assert_int_eq(store_tu_prune(s, &db, 1, &removed), LA_OK);
	ck_assert_int_eq(removed, 1);
	char *rest = facts(s);
	ck_assert_str_eq(rest, "func=0 access=0 call=0 assertion=0 fnptr_flow=0 tu_include=0 ");
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM diag"), 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM tu"), 0);
	free(rest);
	free(key);
	free(text);
	store_close(s);
}
END_TEST

Suite *suite_store(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("open");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_create_and_reopen);
	tcase_add_test(tc, test_store_open_missing);
	tcase_add_test(tc, test_store_other_schema_version);
	tcase_add_test(tc, test_store_upgrade_from_2);
	tcase_add_test(tc, test_store_foreign_file);
	tcase_add_test(tc, test_store_file_ids);
	suite_add_tcase(s, tc);

	tc = tcase_create("ingest");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_store_ingest_rows);
	tcase_add_test(tc, test_store_ingest_replaces);
	tcase_add_test(tc, test_store_ingest_incomplete);
	tcase_add_test(tc, test_store_tu_fail_keeps_facts);
	tcase_add_test(tc, test_store_tu_fail_new_tu);
	tcase_add_test(tc, test_store_ingest_status_failed);
	tcase_add_test(tc, test_store_ingest_missing_include);
	tcase_add_test(tc, test_store_header_funcs_and_prune);
	suite_add_tcase(s, tc);

	tc = tcase_create("fingerprint");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_fingerprint);
	suite_add_tcase(s, tc);
	return s;
}
