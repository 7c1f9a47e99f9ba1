/* The pieces of `audit`: git plumbing on a scratch repository, the content
 * source, and the diff of two result sets built by hand. */
#include "testutil.h"
#include "suites.h"
#include "audit/diff.h"
#include "frontend/source.h"
#include "git/git.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/xalloc.h"

static char *repo;

static void sh(const char *cmd)
{
	char *full = t_fmt("cd '%s' && %s", repo, cmd);
	ck_assert_msg(system(full) == 0, "failed: %s", full);
	free(full);
}

#define GIT "git -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "

static void repo_setup(void)
{
	repo = t_mkdtemp();
	sh("git init -q && printf 'one\\n' > a.c && printf 'h\\n' > a.h && " GIT "add a.c a.h && "
	   GIT "commit -qm 'first subject' && printf 'two\\n' > a.c && git rm -q a.h && printf 'new\\n' > b.c && "
	   GIT "add a.c b.c && " GIT "commit -qm 'second subject'");
}

static void repo_teardown(void)
{
	t_rmtree(repo);
	free(repo);
}

START_TEST(git_ids_and_subjects)
{
	char *top, *head, *first, *subject;
	ck_assert_int_eq(git_toplevel(repo, &top), LA_OK);
	ck_assert_str_eq(top, repo);
	ck_assert_int_eq(git_commit_id(repo, "HEAD", &head), LA_OK);
	ck_assert_int_eq(strlen(head), 40);
	ck_assert_int_eq(git_commit_id(repo, "HEAD~1", &first), LA_OK);
	ck_assert_int_eq(git_subject(repo, head, &subject), LA_OK);
	ck_assert_str_eq(subject, "second subject");
	char **ids;
	int n;
	ck_assert_int_eq(git_rev_list(repo, first, head, &ids, &n), LA_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(ids[0], head);
	ck_assert_ptr_null(ids[1]);
	free(ids[0]);
	free(ids);
	char *none;
	ck_assert_int_eq(git_commit_id(repo, "nosuch", &none), LA_ENOTFOUND);
	ck_assert_str_contains(la_error_last(), "no commit named 'nosuch'");
	free(top);
	free(head);
	free(first);
	free(subject);
}
END_TEST

START_TEST(git_files_and_revision_source)
{
	la_buf b = LA_BUF_INIT;
	ck_assert_int_eq(git_show_file(repo, "HEAD~1", "a.c", &b), LA_OK);
	ck_assert_str_eq(b.ptr, "one\n");
	la_buf_clear(&b);
	ck_assert_int_eq(git_show_file(repo, "HEAD~1", "b.c", &b), LA_ENOTFOUND);
	la_buf_free(&b);
	/* the work tree is at HEAD: HEAD~1 differs in a.c, a.h (gone) and b.c (new) */
	fe_source src;
	ck_assert_int_eq(git_revision_source(repo, "HEAD~1", &src), LA_OK);
	ck_assert_int_eq(src.n, 3);
	char *a = t_fmt("%s/a.c", repo), *h = t_fmt("%s/a.h", repo), *n = t_fmt("%s/b.c", repo);
	const fe_source_file *f = fe_source_find(&src, a);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->len, 4);
	ck_assert_int_eq(memcmp(f->data, "one\n", 4), 0);
	ck_assert_int_eq(fe_source_exists(&src, h), 1);
	ck_assert_int_eq(fe_source_exists(&src, n), 0);
	uint64_t x, y;
	int overlaid;
	ck_assert_int_eq(fe_source_hash(&src, h, &x, &overlaid), LA_OK);
	ck_assert_int_eq(overlaid, 1);
	ck_assert_int_eq(fe_source_hash(&src, n, &x, &overlaid), LA_ENOTFOUND);
	/* the same bytes hash the same from the overlay and from the disk */
	sh("printf 'one\\n' > one.txt");
	char *one = t_fmt("%s/one.txt", repo);
	ck_assert_int_eq(fe_source_hash(&src, a, &x, &overlaid), LA_OK);
	ck_assert_int_eq(la_hash_file(one, &y), LA_OK);
	free(one);
	ck_assert(x == y);
	fe_source_free(&src);
	free(a);
	free(h);
	free(n);
}
END_TEST

START_TEST(git_errors_name_the_command)
{
	la_buf b = LA_BUF_INIT;
	const char *argv[] = { "cat-file", "blob", "HEAD:nosuch", NULL };
	ck_assert_int_eq(git_run(repo, argv, &b), LA_EIO);
	ck_assert_str_contains(la_error_last(), "git -C ");
	ck_assert_str_contains(la_error_last(), "cat-file blob HEAD:nosuch` failed (exit status");
	la_buf_free(&b);
	char *top;
	ck_assert_int_lt(git_toplevel("/", &top), 0);
}
END_TEST

static rd_lock L_G = { "g_lock", "exclusive", 1 }, L_O = { "obj.lock", "exclusive", 1 },
		L_OS = { "obj.lock", "shared", 1 };

START_TEST(diff_findings_accesses_edges)
{
	rd_finding fa[] = { { "0001", "guard", "warning", "a.c", "f", "m1", 1 },
			    { "0002", "guard", "warning", "a.c", "g", "m2", 2 } };
	rd_finding fb[] = { { "0002", "guard", "warning", "a.c", "g", "m2", 9 },
			    { "0003", "precondition", "warning", "a.c", "h", "m3", 3 } };
	/* sorted by struct, field, file, function, expression, mode, position */
	rd_access aa[] = {
		{ "obj", "count", "a.c", "get", "o->count", "write", 5, 1, &L_G, 1 },
		{ "obj", "count", "a.c", "put", "o->count", "write", 9, 1, &L_G, 1 },
		{ "obj", "count", "a.c", "put", "o->count", "write", 12, 1, &L_G, 1 },
		{ "obj", "count", "a.c", "zap", "o->count", "write", 20, 1, NULL, 0 },
	};
	rd_access ab[] = {
		{ "obj", "count", "a.c", "get", "o->count", "write", 7, 1, &L_O, 1 },   /* moved lines, new lock */
		{ "obj", "count", "a.c", "new", "o->count", "read", 30, 1, &L_OS, 1 },  /* appeared */
		{ "obj", "count", "a.c", "put", "o->count", "write", 10, 1, &L_G, 1 },  /* unchanged */
		{ "obj", "count", "a.c", "put", "o->count", "write", 13, 1, &L_G, 1 },
	};
	rd_edge ea[] = { { "a", "b" }, { "b", "c" } }, eb[] = { { "b", "c" }, { "c", "d" } };
	rd_set before = { fa, 2, aa, 4, ea, 2 }, after = { fb, 2, ab, 4, eb, 2 };
	rd_diff d;
	rd_compare(&before, &after, &d);
	ck_assert_int_eq(d.nadded, 1);
	ck_assert_str_eq(d.added[0]->fingerprint, "0003");
	ck_assert_int_eq(d.nresolved, 1);
	ck_assert_str_eq(d.resolved[0]->fingerprint, "0001");
	ck_assert_int_eq(d.nchanges, 3);
	ck_assert(d.changes[0].before->line == 5 && d.changes[0].after->line == 7);
	ck_assert_str_eq(d.changes[0].after->locks[0].cls, "obj.lock");
	ck_assert(d.changes[1].before == NULL && strcmp(d.changes[1].after->func, "new") == 0);
	ck_assert(strcmp(d.changes[2].before->func, "zap") == 0 && d.changes[2].after == NULL);
	ck_assert_int_eq(d.nedges_added, 1);
	ck_assert_str_eq(d.edges_added[0]->to, "d");
	ck_assert_int_eq(d.nedges_removed, 1);
	ck_assert_str_eq(d.edges_removed[0]->from, "a");
	ck_assert(rd_has_lock(&ab[1], &L_OS) && !rd_has_lock(&ab[1], &L_O));
	/* obj.count: g_lock 3/4 -> 2/4, obj.lock 0/4 -> 2/4 (shared or exclusive) */
	ck_assert_int_eq(d.nshares, 1);
	ck_assert_int_eq(d.shares[0].before_total, 4);
	ck_assert_int_eq(d.shares[0].after_total, 4);
	ck_assert_int_eq(d.shares[0].nlocks, 2);
	ck_assert_str_eq(d.shares[0].locks[0].cls, "g_lock");
	ck_assert_int_eq(d.shares[0].locks[0].before, 3);
	ck_assert_int_eq(d.shares[0].locks[0].after, 2);
	ck_assert_str_eq(d.shares[0].locks[1].cls, "obj.lock");
	ck_assert_int_eq(d.shares[0].locks[1].after, 2);
	rd_diff_free(&d);
}
END_TEST

Suite *suite_audit(void)
{
	Suite *s = suite_create("audit");
	TCase *tg = tcase_create("git");
	tcase_add_checked_fixture(tg, repo_setup, repo_teardown);
	tcase_add_test(tg, git_ids_and_subjects);
	tcase_add_test(tg, git_files_and_revision_source);
	tcase_add_test(tg, git_errors_name_the_command);
	suite_add_tcase(s, tg);
	TCase *td = tcase_create("diff");
	tcase_add_test(td, diff_findings_accesses_edges);
	suite_add_tcase(s, td);
	return s;
}
