/* The report layer's input: the finding reader (src/store/finding_read.c),
 * baseline files and the selection every format shares (src/report/). */
#include "testutil.h"

#include "frontend/suppress.h"
#include "report/baseline.h"
#include "report/select.h"
#include "store/finding_read.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/error.h"

#include "suites.h"

static char *tmpdir, *dbpath;

static void setup(void)
{
	tmpdir = t_mkdtemp();
	dbpath = t_fmt("%s/la.db", tmpdir);
}

static void teardown(void)
{
	t_rmtree(tmpdir);
	free(dbpath);
	free(tmpdir);
}

typedef struct t_step {
	const char *kind, *file;
	int line, col;
	const char *func, *text;
} t_step;

typedef struct t_finding {
	store_finding f;
	t_step steps[3];
	int nsteps;
} t_finding;

/* Three findings stored in an order that is neither location nor rank. */
static const t_finding stored[] = {
	{ { "precondition", "warning", "00000000000000aa", "b.c", "f", "call to g() without l held", "g", "l", NULL, 30, 5,
	    0 },
	  { { "call", "b.c", 10, 3, "root", "root() calls f()" }, { "assert", "c.c", 2, 1, "g", "g() asserts l held" } },
	  2 },
	{ { "inferred-guard", "warning", "00000000000000bb", "a.c", "h", "write to s.x without m", "s.x", "m", NULL, 7,
	    9, 4.5 },
	  { { "access", "a.c", 7, 9, "h", "s.x written" } },
	  1 },
	{ { "guard", "error", "00000000000000cc", "a.c", "k", "read of s.y without m", "s.y", "m", "a known race", 7, 2,
	    0 },
	  { { 0 } },
	  0 },
};
enum { NSTORED = sizeof(stored) / sizeof(stored[0]) };

static store *store_findings(void)
{
	store *s;
	ck_assert_int_eq(store_open(dbpath, STORE_OPEN_CREATE, &s), LA_OK);
	store_results *r;
	ck_assert_int_eq(store_results_begin(s, &r), LA_OK);
	for (int i = 0; i < NSTORED; i++) {
		int64_t id;
		ck_assert_int_eq(store_results_finding(r, &stored[i].f, &id), LA_OK);
		for (int k = 0; k < stored[i].nsteps; k++) {
			const t_step *st = &stored[i].steps[k];
			ck_assert_int_eq(store_results_step(r, id, k, st->kind, st->file, st->line, st->col, st->func,
							    st->text), LA_OK);
		}
	}
	ck_assert_int_eq(store_results_commit(r, "/r.json", "0"), LA_OK);
	return s;
}

static void assert_same(const finding *f, const t_finding *t)
{
	ck_assert_str_eq(f->check, t->f.check);
	ck_assert_str_eq(f->severity, t->f.severity);
	ck_assert_str_eq(f->fingerprint, t->f.fingerprint);
	ck_assert_str_eq(f->file, t->f.file);
	ck_assert_int_eq(f->line, t->f.line);
	ck_assert_int_eq(f->col, t->f.col);
	ck_assert_str_eq(f->func, t->f.func);
	ck_assert_str_eq(f->message, t->f.message);
	ck_assert_str_eq(f->subject, t->f.subject);
	ck_assert_str_eq(f->lock, t->f.lock);
	if (t->f.ignored)
		ck_assert_str_eq(f->ignored, t->f.ignored);
	else
		ck_assert_ptr_null(f->ignored);
	ck_assert_double_eq(f->rank, t->f.rank);
	ck_assert_int_eq(f->nsteps, t->nsteps);
	for (int k = 0; k < t->nsteps; k++) {
		const finding_step *s = &f->steps[k];
		ck_assert_str_eq(s->kind, t->steps[k].kind);
		ck_assert_str_eq(s->file, t->steps[k].file);
		ck_assert_int_eq(s->line, t->steps[k].line);
		ck_assert_int_eq(s->col, t->steps[k].col);
		ck_assert_str_eq(s->func, t->steps[k].func);
		ck_assert_str_eq(s->text, t->steps[k].text);
	}
}

/* Read in `order`; want[i] is the index in `stored` of the i-th finding. */
static void assert_read(int order, const int want[NSTORED])
{
	store *s = store_findings();
	finding_set fs;
	ck_assert_int_eq(finding_read(s, order, &fs), LA_OK);
	ck_assert_int_eq(fs.n, NSTORED);
	for (int i = 0; i < NSTORED; i++)
		assert_same(fs.v[i], &stored[want[i]]);
	finding_set_free(&fs);
	store_close(s);
}

START_TEST(test_read_location_order)
{
	/* a.c:7:2 guard, a.c:7:9 inferred-guard, b.c:30:5 precondition */
	assert_read(FINDING_ORDER_LOCATION, (const int[]){ 2, 1, 0 });
}
END_TEST

START_TEST(test_read_rank_order)
{
	/* rank 4.5 first, then by location */
	assert_read(FINDING_ORDER_RANK, (const int[]){ 1, 2, 0 });
}
END_TEST

START_TEST(test_read_never_analysed)
{
	store *s;
	ck_assert_int_eq(store_open(dbpath, STORE_OPEN_CREATE, &s), LA_OK);
	finding_set fs;
	ck_assert_int_eq(finding_read(s, FINDING_ORDER_LOCATION, &fs), LA_ENOTFOUND);
	ck_assert_str_contains(la_error_last(), "never analysed");
	ck_assert_int_eq(fs.n, 0);
	store_close(s);
}
END_TEST

START_TEST(test_read_no_findings)
{
	store *s;
	ck_assert_int_eq(store_open(dbpath, STORE_OPEN_CREATE, &s), LA_OK);
	store_results *r;
	ck_assert_int_eq(store_results_begin(s, &r), LA_OK);
	ck_assert_int_eq(store_results_commit(r, "/r.json", "0"), LA_OK);
	finding_set fs;
	ck_assert_int_eq(finding_read(s, FINDING_ORDER_RANK, &fs), LA_OK);
	ck_assert_int_eq(fs.n, 0);
	finding_set_free(&fs);
	store_close(s);
}
END_TEST

/* --- selection --- */

static finding_set read_all(void)
{
	store *s = store_findings();
	finding_set fs;
	ck_assert_int_eq(finding_read(s, FINDING_ORDER_LOCATION, &fs), LA_OK);
	store_close(s);
	return fs;
}

START_TEST(test_select_checks_on_off)
{
	finding_set fs = read_all();
	select_opts o = { 0 };
	selection sel;
	/* defaults: inferred-guard is off; the guard finding is ignored */
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.total, 3);
	ck_assert_int_eq(sel.n, 1);
	ck_assert_str_eq(sel.v[0].f->check, "precondition");
	ck_assert_int_eq(sel.off, 1);
	ck_assert_int_eq(sel.ignored, 1);
	ck_assert_int_eq(sel.failing, 1);
	selection_free(&sel);

	const char *en[] = { "inferred-guard" }, *dis[] = { "precondition" };
	o.enable = en;
	o.nenable = 1;
	o.disable = dis;
	o.ndisable = 1;
	o.show_ignored = 1;
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.n, 2);
	ck_assert_str_eq(sel.v[0].f->check, "guard");
	ck_assert_str_eq(sel.v[0].ignored, "a known race");
	ck_assert_str_eq(sel.v[1].f->check, "inferred-guard");
	ck_assert_ptr_null(sel.v[1].ignored);
	ck_assert_int_eq(sel.failing, 1);   /* an ignored finding shown never fails */
	ck_assert_int_eq(sel.off, 1);
	selection_free(&sel);

	o = (select_opts){ 0 };
	o.all = 1;
	o.disable = dis;
	o.ndisable = 1;   /* --disable wins over --all */
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.n, 1);
	ck_assert_str_eq(sel.v[0].f->check, "inferred-guard");
	selection_free(&sel);

	const char *bad[] = { "gaurd" };
	o.enable = bad;
	o.nenable = 1;
	ck_assert_int_eq(select_check_ids(&o), LA_EINVAL);
	ck_assert_str_contains(la_error_last(), "unknown check 'gaurd'");
	finding_set_free(&fs);
}
END_TEST

static void add_sup(suppression_set *ss, const char *file, int line, int end, const char *check, const char *reason)
{
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 4;
		ss->v = realloc(ss->v, (size_t)ss->cap * sizeof(*ss->v));
	}
	ss->v[ss->n++] = (suppression){ strdup(file), line, end, strdup(check), strdup(reason) };
}

START_TEST(test_select_suppressions)
{
	finding_set fs = read_all();
	suppression_set ss = { 0 };
	add_sup(&ss, "b.c", 29, 29, "precondition", "callers hold l");   /* the line before b.c:30 */
	add_sup(&ss, "a.c", 5, 5, "inferred-guard", "two lines before: too far");
	add_sup(&ss, "a.c", 7, 7, "precondition", "wrong check");
	select_opts o = { 0 };
	o.all = 1;
	o.suppressions = &ss;
	selection sel;
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.suppressed, 1);
	ck_assert_int_eq(sel.n, 1);
	ck_assert_str_eq(sel.v[0].f->check, "inferred-guard");
	ck_assert_int_eq(sel.nunmatched, 2);
	ck_assert_int_eq(sel.unmatched[0]->line, 5);
	ck_assert_int_eq(sel.unmatched[1]->line, 7);
	selection_free(&sel);

	o.show_ignored = 1;
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.n, 3);
	ck_assert_int_eq(sel.failing, 1);
	ck_assert_str_eq(sel.v[2].f->check, "precondition");
	ck_assert_ptr_nonnull(sel.v[2].suppressed);
	ck_assert_str_eq(sel.v[2].suppressed->reason, "callers hold l");
	selection_free(&sel);

	/* a comment over several lines covers the line after its last one */
	suppression_set_free(&ss);
	add_sup(&ss, "b.c", 26, 29, "precondition", "callers hold l");
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.suppressed, 1);
	ck_assert_int_eq(sel.nunmatched, 0);
	selection_free(&sel);

	add_sup(&ss, "d.c", 12, 12, "guard", "");
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "d.c:12: lockaudit suppression ignore[guard] has no reason");
	ck_assert_int_eq(sel.n, 0);
	suppression_set_free(&ss);
	add_sup(&ss, "d.c", 14, 14, "gaurd", "typo");
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "d.c:14: lockaudit suppression names an unknown check 'gaurd'");
	suppression_set_free(&ss);
	add_sup(&ss, "d.c", 15, 15, "", "no brackets");
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "d.c:15: lockaudit suppression names no check");
	suppression_set_free(&ss);
	finding_set_free(&fs);
}
END_TEST

START_TEST(test_baseline_gate)
{
	finding_set fs = read_all();
	char *path = t_fmt("%s/lockaudit.baseline", tmpdir);
	/* the baseline of today's findings, with --all */
	select_opts o = { 0 };
	o.all = 1;
	selection sel;
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	const finding **fail;
	int nfail = select_failing(&sel, &fail);
	ck_assert_int_eq(nfail, 2);
	ck_assert_int_eq(baseline_write(path, fail, nfail), LA_OK);
	free(fail);
	selection_free(&sel);

	baseline b;
	ck_assert_int_eq(baseline_load(path, &b), LA_OK);
	ck_assert_int_eq(b.n, 2);
	ck_assert_str_eq(b.v[0].fingerprint, "00000000000000aa");   /* sorted */
	ck_assert_str_eq(b.v[0].text, "precondition b.c f(): call to g() without l held");
	ck_assert_str_eq(b.v[1].fingerprint, "00000000000000bb");
	ck_assert_ptr_null(baseline_find(&b, "00000000000000cc"));

	/* the same findings: nothing new, nothing gone */
	o.baseline = &b;
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.n, 0);
	ck_assert_int_eq(sel.failing, 0);
	ck_assert_int_eq(sel.known, 2);
	ck_assert_int_eq(sel.ngone, 0);
	selection_free(&sel);
	baseline_free(&b);

	/* a baseline with one entry fixed since and without another */
	t_write(path, "# comment\n\n00000000000000bb inferred-guard a.c h(): ...\n"
		      "0123456789abcdef guard x.c gone(): fixed since\n");
	ck_assert_int_eq(baseline_load(path, &b), LA_OK);
	ck_assert_int_eq(select_findings(&fs, &o, &sel), LA_OK);
	ck_assert_int_eq(sel.n, 1);
	ck_assert_str_eq(sel.v[0].f->fingerprint, "00000000000000aa");
	ck_assert_int_eq(sel.known, 1);
	ck_assert_int_eq(sel.ngone, 1);
	ck_assert_str_eq(sel.gone[0]->fingerprint, "0123456789abcdef");
	selection_free(&sel);
	baseline_free(&b);

	t_write(path, "00000000000000bb ok\nnot-a-fingerprint x\n");
	ck_assert_int_eq(baseline_load(path, &b), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), "lockaudit.baseline:2: expected a fingerprint");
	ck_assert_int_eq(b.n, 0);
	free(path);
	finding_set_free(&fs);
}
END_TEST

/* --- suppression comments as the frontend reads them --- */

static void assert_directive(const char *comment, const char *checks, const char *reason)
{
	la_buf c = LA_BUF_INIT, r = LA_BUF_INIT;
	ck_assert_msg(fe_suppression_parse(comment, &c, &r) == 1, "not a directive: %s", comment);
	ck_assert_str_eq(c.ptr, checks);
	ck_assert_str_eq(r.ptr, reason);
	la_buf_free(&c);
	la_buf_free(&r);
}

START_TEST(test_suppression_parse)
{
	assert_directive("/* lockaudit: ignore[guard] callers hold it */", "guard", "callers hold it");
	assert_directive("//lockaudit:ignore[ guard , precondition ]: why", "guard,precondition", "why");
	assert_directive("/**\n * lockaudit: ignore[order] - one\n *   two\n */", "order", "one two");
	assert_directive("// lockaudit: ignore[guard]", "guard", "");
	assert_directive("/* lockaudit: ignore guard no brackets */", "", "ignore guard no brackets");
	assert_directive("/* lockaudit: ignore[] */", "", "");
	la_buf c = LA_BUF_INIT, r = LA_BUF_INIT;
	ck_assert_int_eq(fe_suppression_parse("/* see lockaudit: ignore[guard] x */", &c, &r), 0);
	ck_assert_int_eq(fe_suppression_parse("// lockaudit ignore[guard] x", &c, &r), 0);
	ck_assert_int_eq(fe_suppression_parse("/", &c, &r), 0);
	la_buf_free(&c);
	la_buf_free(&r);
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_read_location_order);
	tcase_add_test(tc, test_read_rank_order);
	tcase_add_test(tc, test_read_never_analysed);
	tcase_add_test(tc, test_read_no_findings);
	suite_add_tcase(s, tc);

	tc = tcase_create("select");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_select_checks_on_off);
	tcase_add_test(tc, test_select_suppressions);
	tcase_add_test(tc, test_baseline_gate);
	suite_add_tcase(s, tc);

	tc = tcase_create("suppression");
	tcase_add_test(tc, test_suppression_parse);
	suite_add_tcase(s, tc);
	return s;
}
