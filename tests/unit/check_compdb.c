/* src/frontend/compdb.c and flags.c: reading compile_commands.json and
 * turning GCC command lines into libclang arguments. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "frontend/compdb.h"
#include "util/error.h"

#include "suites.h"

static char *tmpdir;

static void setup_tmp(void)
{
	tmpdir = t_mkdtemp();
}

static void teardown_tmp(void)
{
	t_rmtree(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
}

/* --- paths and shell words --- */

START_TEST(test_path_normalise)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "/a/b/../c", "/a/c" },
		{ "/a/./b/", "/a/b" },
		{ "a/../../b", "../b" },
		{ "/..", "/" },
		{ "/a/b/c/../../d", "/a/d" },
		{ ".", "." },
		{ "a/b/..", "a" },
		{ "../../x", "../../x" },
		{ "/a//b", "/a/b" },
		{ "/", "/" },
		{ "", "." },
		{ "./", "." },
		{ "a/..", "." },
		{ "a/../..", ".." },
		{ "/a/b/../../..", "/" },
		{ "../a/../b", "../b" },
		{ "a/x../..", "a" },          /* "x.." is a name, not ".." */
		{ "/a/..b/c", "/a/..b/c" },
		{ "./dir/x.c", "dir/x.c" },
		{ "//srv///x/./y/", "/srv/x/y" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		fe_path_normalise(buf);
		ck_assert_msg(strcmp(buf, cases[i].out) == 0, "normalise(\"%s\") = \"%s\", expected \"%s\"",
			      cases[i].in, buf, cases[i].out);
	}
}
END_TEST

static void free_argv(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static void expect_words(const char *cmd, const char *const *want, int nwant)
{
	char **argv = NULL;
	int argc = -1;
	ck_assert_msg(fe_shell_split(cmd, &argv, &argc) == LA_OK, "split(%s): %s", cmd, la_error_last());
	ck_assert_msg(argc == nwant, "split(%s): %d words, expected %d", cmd, argc, nwant);
	for (int i = 0; i < nwant; i++)
		ck_assert_msg(strcmp(argv[i], want[i]) == 0, "split(%s): word %d is [%s], expected [%s]", cmd,
			      i, argv[i], want[i]);
	ck_assert_ptr_null(argv[argc]);
	free_argv(argv, argc);
}

#define WORDS(cmd, ...) do { \
	static const char *const _w[] = { __VA_ARGS__ }; \
	expect_words(cmd, _w, (int)(sizeof(_w) / sizeof(_w[0]))); \
} while (0)

START_TEST(test_shell_split)
{
	WORDS("gcc -c  x.c\t-o x.o\n", "gcc", "-c", "x.c", "-o", "x.o");
	WORDS("cc '-DMSG=\"hi there\"' x.c", "cc", "-DMSG=\"hi there\"", "x.c");
	WORDS("cc \"-DMSG=\\\"hi there\\\"\"", "cc", "-DMSG=\"hi there\"");
	/* in double quotes a backslash only escapes " \\ $ ` and newline */
	WORDS("cc \"a\\b\" \"c\\\\d\" \"\\$x\"", "cc", "a\\b", "c\\d", "$x");
	/* outside quotes it escapes anything, including a space */
	WORDS("cc my\\ dir/x.c a\\'b", "cc", "my dir/x.c", "a'b");
	/* in single quotes nothing is special */
	WORDS("cc 'a\\b \"c\"'", "cc", "a\\b \"c\"");
	/* quotes join with the rest of the word; empty quotes are a word */
	WORDS("cc -I'my inc'/sub \"\" ''", "cc", "-Imy inc/sub", "", "");
	WORDS("  \t ");   /* no words */
}
END_TEST

START_TEST(test_shell_split_unterminated)
{
	static const char *const bad[] = { "cc \"-DX=1", "cc 'abc", "cc ok \"a\\\"" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char **argv = (char **)0x1;
		int argc = -1;
		la_error_clear();
		ck_assert_int_eq(fe_shell_split(bad[i], &argv, &argc), LA_EPARSE);
		ck_assert_str_contains(la_error_last(), "unterminated quote");
		ck_assert_ptr_eq(argv, (char **)0x1);   /* untouched on error */
	}
}
END_TEST

/* --- compile_commands.json --- */

/* Write a compile database built with cJSON (no escaping by hand). Each
 * entry: directory, file, and either arguments (NULL-terminated) or command. */
typedef struct entry {
	const char *directory, *file, *command;
	const char *args[40];
} entry;

static char *write_compdb(const char *path, const entry *e, int n)
{
	cJSON *root = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		char *dir = t_subst_dir(e[i].directory, tmpdir), *file = t_subst_dir(e[i].file, tmpdir);
		cJSON_AddStringToObject(o, "directory", dir);
		cJSON_AddStringToObject(o, "file", file);
		free(dir);
		free(file);
		if (e[i].command) {
			cJSON_AddStringToObject(o, "command", e[i].command);
		} else {
			cJSON *a = cJSON_AddArrayToObject(o, "arguments");
			for (int j = 0; e[i].args[j]; j++) {
				char *arg = t_subst_dir(e[i].args[j], tmpdir);
				cJSON_AddItemToArray(a, cJSON_CreateString(arg));
				free(arg);
			}
		}
		cJSON_AddItemToArray(root, o);
	}
	char *text = cJSON_Print(root);
	char *full = t_fmt("%s/%s", tmpdir, path);
	t_write(full, text);
	cJSON_free(text);
	cJSON_Delete(root);
	return full;
}

static void load_ok(const char *path, fe_compdb *db)
{
	int err = fe_compdb_load(path, db);
	ck_assert_msg(err == LA_OK, "loading %s: %s", path, la_error_last());
}

/* The flags lockaudit appends after the compile database's own. */
static int is_appended(const char *arg)
{
	return strncmp(arg, "-Wno-", 5) == 0 || strncmp(arg, "-ferror-limit=", 14) == 0;
}

/* argv starts with exactly `want`, then only lockaudit's own flags. */
static void expect_argv(const fe_tu_cmd *tu, const char *const *want, int nwant)
{
	ck_assert_msg(tu->argc >= nwant, "%s: %d arguments, expected at least %d", tu->file, tu->argc, nwant);
	for (int i = 0; i < nwant; i++) {
		char *w = t_subst_dir(want[i], tmpdir);
		ck_assert_msg(strcmp(tu->argv[i], w) == 0, "%s: argument %d is [%s], expected [%s]", tu->file, i,
			      tu->argv[i], w);
		free(w);
	}
	for (int i = nwant; i < tu->argc; i++)
		ck_assert_msg(is_appended(tu->argv[i]), "%s: unexpected argument %d [%s]", tu->file, i,
			      tu->argv[i]);
	ck_assert_ptr_null(tu->argv[tu->argc]);
}

#define ARGV(tu, ...) do { \
	static const char *const _a[] = { __VA_ARGS__ }; \
	expect_argv(tu, _a, (int)(sizeof(_a) / sizeof(_a[0]))); \
} while (0)

START_TEST(test_compdb_arguments)
{
	entry e[] = { {
		"@D@/build", "@D@/src/x.c", NULL,
		{ "gcc", "-std=gnu11", "-c", "-o", "x.o", "-MD", "-MF", "x.d", "-Werror",
		  "-mindirect-branch=thunk-extern", "-mpreferred-stack-boundary=3", "-fconserve-stack",
		  "-mskip-rax-setup", "-enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang",
		  "-Wa,--noexecstack", "-DA=1", "-I../inc", "-include", "cfg.h",
		  "-D", "B", "-I", "/abs/inc", "-Wall", "-Werror=format", "-MT", "x.o", "-###", "-v", "../src/x.c", NULL },
	} };
	char *path = write_compdb("compile_commands.json", e, 1);
	fe_compdb db;
	load_ok(tmpdir, &db);   /* a directory: its compile_commands.json */
	ck_assert_str_eq(db.path, path);
	ck_assert_int_eq(db.ntus, 1);
	ck_assert_int_eq(db.nskipped, 0);
	ck_assert_int_eq(db.nduplicates, 0);
	const fe_tu_cmd *tu = &db.tus[0];
	ck_assert_int_eq(tu->index, 0);
	char *want = t_fmt("%s/build", tmpdir);
	ck_assert_str_eq(tu->directory, want);
	free(want);
	want = t_fmt("%s/src/x.c", tmpdir);
	ck_assert_str_eq(tu->file, want);
	free(want);
	/* argv[0] (the compiler), output, dependency files, -Werror, GCC-only
	 * code generation flags, assembler options and the source itself are
	 * gone; -D/-I/-include keep their order and their separate values */
	ARGV(tu, "-std=gnu11", "-DA=1", "-I../inc", "-include", "cfg.h", "-D", "B", "-I", "/abs/inc", "-Wall");
	fe_compdb_free(&db);
	ck_assert_int_eq(db.ntus, 0);
	ck_assert_ptr_null(db.tus);
	free(path);
}
END_TEST

START_TEST(test_compdb_command)
{
	entry e[] = { {
		"@D@", "src/y.c",
		"cc -c \"-DMSG=\\\"hi there\\\"\" -I 'my inc' -fconserve-stack src/y.c -o y.o -Wa,-W", { NULL },
	} };
	char *path = write_compdb("compile_commands.json", e, 1);
	fe_compdb db;
	load_ok(path, &db);   /* the file itself */
	ck_assert_int_eq(db.ntus, 1);
	char *want = t_fmt("%s/src/y.c", tmpdir);
	ck_assert_str_eq(db.tus[0].file, want);   /* relative "file": against "directory" */
	free(want);
	ck_assert_str_eq(db.tus[0].directory, tmpdir);
	ARGV(&db.tus[0], "-DMSG=\"hi there\"", "-I", "my inc");
	fe_compdb_free(&db);
	free(path);
}
END_TEST

/* A relative "directory" is taken relative to the folder holding the JSON
 * file, whatever the current directory is. */
START_TEST(test_compdb_relative_directory)
{
	entry e[] = { { "../proj/./obj/..", "a.c", NULL, { "cc", "-c", "a.c", NULL } } };
	char *path = write_compdb("sub/compile_commands.json", e, 1);
	ck_assert_int_eq(chdir("/"), 0);
	fe_compdb db;
	char *sub = t_fmt("%s/sub", tmpdir);
	load_ok(sub, &db);
	ck_assert_int_eq(db.ntus, 1);
	char *want = t_fmt("%s/proj", tmpdir);
	ck_assert_str_eq(db.tus[0].directory, want);
	free(want);
	want = t_fmt("%s/proj/a.c", tmpdir);
	ck_assert_str_eq(db.tus[0].file, want);
	free(want);
	ARGV(&db.tus[0]);   /* only lockaudit's own flags: -c and a.c are gone */
	fe_compdb_free(&db);

	/* the same through a relative path to the JSON file */
	ck_assert_int_eq(chdir(tmpdir), 0);
	load_ok("sub/compile_commands.json", &db);
	want = t_fmt("%s/proj/a.c", tmpdir);
	ck_assert_str_eq(db.tus[0].file, want);
	free(want);
	fe_compdb_free(&db);
	free(sub);
	free(path);
}
END_TEST

START_TEST(test_compdb_skip_and_duplicates)
{
	entry e[] = {
		{ "@D@", "head.S", NULL, { "gcc", "-c", "head.S", NULL } },
		{ "@D@", "a.c", NULL, { "gcc", "-DFIRST", "-c", "a.c", NULL } },
		{ "@D@", "inc/x.h", NULL, { "gcc", "-c", "inc/x.h", NULL } },
		{ "@D@", "b.c", NULL, { "gcc", "-c", "b.c", NULL } },
		{ "@D@/sub/..", "./a.c", NULL, { "gcc", "-DSECOND", "-c", "a.c", NULL } },
		{ "@D@", "pre.i", NULL, { "gcc", "-c", "pre.i", NULL } },
	};
	char *path = write_compdb("compile_commands.json", e, 6);
	fe_compdb db;
	load_ok(path, &db);
	ck_assert_int_eq(db.nskipped, 2);      /* .S and .h */
	ck_assert_int_eq(db.nduplicates, 1);   /* a.c again, under another spelling */
	ck_assert_int_eq(db.ntus, 3);
	char *want = t_fmt("%s/a.c", tmpdir);
	ck_assert_str_eq(db.tus[0].file, want);
	free(want);
	ck_assert_int_eq(db.tus[0].index, 1);   /* entry numbers are kept for messages */
	ARGV(&db.tus[0], "-DFIRST");            /* the first one wins */
	ck_assert_int_eq(db.tus[1].index, 3);
	ck_assert_int_eq(db.tus[2].index, 5);   /* preprocessed C is C */
	fe_compdb_free(&db);
	free(path);
}
END_TEST

/* Xen writes the source as "./arch/x86/.../x.c" relative to "directory"
 * while "file" is absolute: it is still recognised and removed. */
START_TEST(test_compdb_source_removed)
{
	entry e[] = {
		{ "@D@", "@D@/dir/x.c", NULL, { "gcc", "-c", "./dir/x.c", "-o", "dir/x.o", "-DX", NULL } },
		{ "@D@/dir", "@D@/dir/y.c", NULL, { "gcc", "-c", "../dir/./y.c", "-DY", NULL } },
		{ "@D@/dir", "z.c", NULL, { "gcc", "-c", "@D@/dir/z.c", "-DZ", "other.c", NULL } },
	};
	char *path = write_compdb("compile_commands.json", e, 3);
	fe_compdb db;
	load_ok(path, &db);
	ck_assert_int_eq(db.ntus, 3);
	ARGV(&db.tus[0], "-DX");
	ARGV(&db.tus[1], "-DY");
	ARGV(&db.tus[2], "-DZ", "other.c");   /* another file is not the source */
	fe_compdb_free(&db);
	free(path);
}
END_TEST

/* The bundled example, as the scan sees it. */
START_TEST(test_compdb_example)
{
	const char *src = getenv("LOCKAUDIT_SRC");
	ck_assert_msg(src != NULL, "LOCKAUDIT_SRC must name the source tree");
	char *dir = t_fmt("%s/examples/minixen", src);
	char *real = realpath(dir, NULL);
	ck_assert_ptr_nonnull(real);
	fe_compdb db;
	load_ok(dir, &db);
	ck_assert_int_eq(db.ntus, 9);
	for (int i = 0; i < db.ntus; i++) {
		const fe_tu_cmd *tu = &db.tus[i];
		ck_assert_int_eq(tu->index, i);
		ck_assert_str_eq(tu->directory, real);
		ck_assert_int_eq(strncmp(tu->file, real, strlen(real)), 0);
		ARGV(tu, "-std=gnu11", "-O2", "-fno-common", "-nostdinc", "-fno-builtin", "-Iinclude", "-include",
		     "include/xen/config.h", "-Wall", "-D__XEN__");
	}
	char *want = t_fmt("%s/drivers/vpci.c", real);
	ck_assert_str_eq(db.tus[8].file, want);
	free(want);
	fe_compdb_free(&db);
	free(real);
	free(dir);
}
END_TEST

/* --- malformed input: the message names the file and the place --- */

static void expect_load_error(const char *name, const char *text, const char *const *msgs, int nmsgs)
{
	char *path = t_fmt("%s/%s", tmpdir, name);
	t_write(path, text);
	fe_compdb db;
	la_error_clear();
	ck_assert_int_eq(fe_compdb_load(path, &db), LA_EPARSE);
	ck_assert_str_contains(la_error_last(), path);
	for (int i = 0; i < nmsgs; i++)
		ck_assert_str_contains(la_error_last(), msgs[i]);
	ck_assert_int_eq(db.ntus, 0);   /* nothing half-loaded */
	ck_assert_ptr_null(db.tus);
	free(path);
}

#define LOAD_ERROR(name, text, ...) do { \
	static const char *const _m[] = { __VA_ARGS__ }; \
	expect_load_error(name, text, _m, (int)(sizeof(_m) / sizeof(_m[0]))); \
} while (0)

START_TEST(test_compdb_not_json)
{
	LOAD_ERROR("cc1.json",
		   "[\n  {\"directory\": \"/\",\n   \"file\": oops, \"arguments\": []}\n]\n",
		   ":3: malformed JSON");
	/* truncated, as a killed build leaves it */
	LOAD_ERROR("cc2.json", "[\n {\"directory\": \"/\", \"file\": \"a.c\",\n  \"arguments\": [\"cc\",\n",
		   "malformed JSON");
	LOAD_ERROR("cc3.json", "", "malformed JSON");
}
END_TEST

START_TEST(test_compdb_not_array)
{
	LOAD_ERROR("cc.json", "{\"directory\": \"/\", \"file\": \"a.c\", \"command\": \"cc a.c\"}",
		   "expected a JSON array");
}
END_TEST

/* Entries are numbered from 0, like JSON array indexes (jq '.[2]'). */
START_TEST(test_compdb_bad_entries)
{
	LOAD_ERROR("missing_file.json",
		   "[{\"directory\": \"/\", \"file\": \"a.c\", \"arguments\": [\"cc\", \"a.c\"]},\n"
		   " {\"directory\": \"/\", \"file\": \"b.c\", \"arguments\": [\"cc\", \"b.c\"]},\n"
		   " {\"directory\": \"/\", \"arguments\": [\"cc\", \"c.c\"]}]\n",
		   "entry 2: ", "\"file\" must be a string");
	LOAD_ERROR("number_arg.json",
		   "[{\"directory\": \"/\", \"file\": \"a.c\", \"arguments\": [\"cc\", \"a.c\"]},\n"
		   " {\"directory\": \"/\", \"file\": \"b.c\", \"arguments\": [\"cc\", 3, \"b.c\"]}]\n",
		   "entry 1: ", "\"arguments\"[1] must be a string");
	LOAD_ERROR("args_not_array.json",
		   "[{\"directory\": \"/\", \"file\": \"a.c\", \"arguments\": \"cc a.c\"}]",
		   "entry 0: ", "\"arguments\" must be an array");
	LOAD_ERROR("no_directory.json", "[{\"file\": \"a.c\", \"command\": \"cc a.c\"}]",
		   "entry 0: ", "\"directory\" must be a string");
	LOAD_ERROR("no_command.json", "[{\"directory\": \"/\", \"file\": \"a.c\"}]",
		   "entry 0: ", "needs \"arguments\" or \"command\"");
	LOAD_ERROR("not_object.json", "[\"cc a.c\"]", "entry 0: ", "expected an object");
	LOAD_ERROR("empty_args.json", "[{\"directory\": \"/\", \"file\": \"a.c\", \"arguments\": []}]",
		   "entry 0: ", "empty command line");
	LOAD_ERROR("quote.json", "[{\"directory\": \"/\", \"file\": \"a.c\", \"command\": \"cc 'a.c\"}]",
		   "entry 0: ", "unterminated quote");
}
END_TEST

START_TEST(test_compdb_missing)
{
	fe_compdb db;
	ck_assert_int_eq(fe_compdb_load(tmpdir, &db), LA_EIO);
	char *want = t_fmt("%s/compile_commands.json", tmpdir);
	ck_assert_str_contains(la_error_last(), want);
	free(want);
}
END_TEST

Suite *suite_compdb(void)
{
	Suite *s = suite_create("compdb");
	TCase *tc = tcase_create("words");
	tcase_add_test(tc, test_path_normalise);
	tcase_add_test(tc, test_shell_split);
	tcase_add_test(tc, test_shell_split_unterminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_add_test(tc, test_compdb_arguments);
	tcase_add_test(tc, test_compdb_command);
	tcase_add_test(tc, test_compdb_relative_directory);
	tcase_add_test(tc, test_compdb_skip_and_duplicates);
	tcase_add_test(tc, test_compdb_source_removed);
	tcase_add_test(tc, test_compdb_example);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_add_test(tc, test_compdb_not_json);
	tcase_add_test(tc, test_compdb_not_array);
	tcase_add_test(tc, test_compdb_bad_entries);
	tcase_add_test(tc, test_compdb_missing);
	suite_add_tcase(s, tc);
	return s;
}
