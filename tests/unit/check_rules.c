/* src/rules: rules files. Every error names the file and the JSON path. */
#include "testutil.h"

#include "rules/rules.h"
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

static char *write_rules(const char *name, const char *text)
{
	char *path = t_fmt("%s/%s", tmpdir, name);
	t_write(path, text);
	return path;
}

START_TEST(test_rules_valid)
{
	char *path = write_rules("xen.json", "{\n  \"description\": \"Xen PCI locking\",\n"
				 "  \"assert_macros\": [\"ASSERT\", \"BUG_ON\", \"lockdep_assert_held\"]\n}\n");
	rules *r = NULL;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->path, path);
	ck_assert_str_eq(r->description, "Xen PCI locking");
	ck_assert_int_eq(r->nassert_macros, 3);
	ck_assert_str_eq(r->assert_macros[0], "ASSERT");
	ck_assert_str_eq(r->assert_macros[1], "BUG_ON");
	ck_assert_str_eq(r->assert_macros[2], "lockdep_assert_held");
	rules_free(r);

	/* every key is optional */
	char *empty = write_rules("empty.json", "{}");
	ck_assert_int_eq(rules_load(empty, &r), LA_OK);
	ck_assert_ptr_null(r->description);
	ck_assert_int_eq(r->nassert_macros, 0);
	rules_free(r);
	rules_free(NULL);
	free(empty);
	free(path);
}
END_TEST

/* The rules file shipped with lockaudit loads. */
START_TEST(test_rules_shipped)
{
	const char *src = getenv("LOCKAUDIT_SRC");
	ck_assert_msg(src != NULL, "LOCKAUDIT_SRC must name the source tree");
	char *path = t_fmt("%s/rules/xen-pci.json", src);
	rules *r;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());
	ck_assert_int_ge(r->nassert_macros, 1);
	ck_assert_str_eq(r->assert_macros[0], "ASSERT");
	rules_free(r);
	free(path);
}
END_TEST

static void expect_rules_error(const char *name, const char *text, const char *const *msgs, int nmsgs)
{
	char *path = write_rules(name, text);
	rules *r = (rules *)0x1;
	la_error_clear();
	ck_assert_int_eq(rules_load(path, &r), LA_EPARSE);
	ck_assert_ptr_null(r);
	ck_assert_str_contains(la_error_last(), path);
	for (int i = 0; i < nmsgs; i++)
		ck_assert_str_contains(la_error_last(), msgs[i]);
	free(path);
}

#define RULES_ERROR(name, text, ...) do { \
	static const char *const _m[] = { __VA_ARGS__ }; \
	expect_rules_error(name, text, _m, (int)(sizeof(_m) / sizeof(_m[0]))); \
} while (0)

START_TEST(test_rules_unknown_key)
{
	RULES_ERROR("bogus.json", "{\"description\": \"x\", \"bogus\": 1}", "$.bogus", "unknown key",
		    "known: description", "assert_macros");
}
END_TEST

START_TEST(test_rules_bad_values)
{
	RULES_ERROR("macro_number.json", "{\"assert_macros\": [\"ASSERT\", 7, \"BUG_ON\"]}",
		    "$.assert_macros[1]", "expected a macro name");
	RULES_ERROR("macro_empty.json", "{\"assert_macros\": [\"\"]}", "$.assert_macros[0]",
		    "non-empty string");
	RULES_ERROR("macros_string.json", "{\"assert_macros\": \"ASSERT\"}", "$.assert_macros: ",
		    "expected an array");
	RULES_ERROR("description.json", "{\"description\": [\"x\"]}", "$.description: ", "expected a string");
	RULES_ERROR("array.json", "[\"ASSERT\"]", "$: expected an object");
}
END_TEST

START_TEST(test_rules_malformed_json)
{
	RULES_ERROR("broken.json", "{\n  \"description\": \"x\",\n  \"assert_macros\": [\"ASSERT\",]\n}\n",
		    ":3: malformed JSON");
	RULES_ERROR("truncated.json", "{\n \"description\": \"x\",\n", "malformed JSON");
}
END_TEST

START_TEST(test_rules_missing_file)
{
	char *path = t_fmt("%s/none.json", tmpdir);
	rules *r = (rules *)0x1;
	ck_assert_int_eq(rules_load(path, &r), LA_EIO);
	ck_assert_ptr_null(r);
	ck_assert_str_contains(la_error_last(), path);
	free(path);
}
END_TEST

Suite *suite_rules(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_add_test(tc, test_rules_valid);
	tcase_add_test(tc, test_rules_shipped);
	tcase_add_test(tc, test_rules_unknown_key);
	tcase_add_test(tc, test_rules_bad_values);
	tcase_add_test(tc, test_rules_malformed_json);
	tcase_add_test(tc, test_rules_missing_file);
	suite_add_tcase(s, tc);
	return s;
}
