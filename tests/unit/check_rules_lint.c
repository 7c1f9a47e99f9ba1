/* The rules lint (src/rules/rules_lint.c) against a hand-made table of facts. */
#include "testutil.h"

#include "../../src/rules/rules.h"
#include "../../src/rules/rules_lint.h"
#include "../../src/util/buf.h"
#include "../../src/util/error.h"

static const char *const fields[] = { "pci_dev.vpci", "pci_dev.lock", "domain.pci_lock", "vpci.lock", NULL };
static const struct { const char *name; int nparams; } funcs[] = {
	{ "_spin_lock", 1 }, { "_spin_unlock", 1 }, { "do_softirq", 0 }, { "printk", -1 }, { NULL, 0 },
};
static const char *const classes[] = { "_pcidevs_lock", "domain.pci_lock", "vpci.lock", NULL };

static int f_field(void *ctx, const char *sname, const char *field)
{
	(void)ctx;
	size_t n = strlen(sname);
	for (int i = 0; fields[i]; i++)
		if (!strncmp(fields[i], sname, n) && fields[i][n] == '.' && (!field || !strcmp(fields[i] + n + 1, field)))
			return 1;
	return 0;
}

static int f_func(void *ctx, const char *name, int *np)
{
	(void)ctx;
	for (int i = 0; funcs[i].name; i++)
		if (!strcmp(funcs[i].name, name)) {
			*np = funcs[i].nparams;
			return 1;
		}
	return 0;
}

static int f_class(void *ctx, const char *cls)
{
	(void)ctx;
	for (int i = 0; classes[i]; i++)
		if (!strcmp(classes[i], cls))
			return 1;
	return 0;
}

static void collect(void *ctx, rules_lint_kind kind, const char *path, const char *msg)
{
	la_buf_printf(ctx, "%s%s: %s\n", kind == LINT_UNRESOLVED ? "" : "mistake: ", path, msg);
}

/* Lint `json`; the warnings, one per line, in *out (malloc'd). */
static int lint_text(const char *json, char **out)
{
	char *dir = t_mkdtemp();
	char *path = t_fmt("%s/r.json", dir);
	t_write(path, json);
	rules *r = NULL;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());
	rules_lint_facts facts = { NULL, f_field, f_func, f_class };
	la_buf b = LA_BUF_INIT;
	la_buf_puts(&b, "");
	int n = rules_lint(r, &facts, collect, &b);
	rules_free(r);
	t_rmtree(dir);
	free(path);
	free(dir);
	*out = la_buf_detach(&b);
	return n;
}

START_TEST(test_lint_clean)
{
	char *out;
	int n = lint_text("{\"primitives\": {\"_spin_lock\": {\"acquire\": 0, \"mode\": \"exclusive\"},"
			  " \"_spin_unlock\": {\"release\": 0}},"
			  " \"guards\": [{\"field\": \"pci_dev.vpci\", \"access\": {\"any\": [\"_pcidevs_lock\", \"domain.pci_lock\"]}}],"
			  " \"order\": [[\"_pcidevs_lock\", \"domain.pci_lock\", \"vpci.lock\"]],"
			  " \"exclusive\": [\"vpci.lock\"],"
			  " \"forbidden_under_lock\": [{\"function\": \"do_softirq\", \"reason\": \"r\"}]}",
			  &out);
	ck_assert_msg(n == 0, "%s", out);
	free(out);
}
END_TEST

START_TEST(test_lint_names)
{
	char *out;
	int n = lint_text("{\"primitives\": {\"_spin_lokc\": {\"acquire\": 0, \"mode\": \"exclusive\"},"
			  " \"_spin_lock\": {\"acquire\": 99, \"mode\": \"exclusive\"},"
			  " \"printk\": {\"release\": 5}, \"\": {\"release\": 0},"
			  " \"_spin_lock_recursive\": {\"acquire\": 0, \"mode\": \"recursive\", \"versions\": \"4.3 to 4.18\"}},"
			  " \"guards\": [{\"field\": \"pci_dev.vpic\", \"access\": {\"any\": [\"domain.pci_lok\"]}},"
			  "   {\"field\": \"no_such.f\", \"read\": {\"all\": [\"_pcidevs_lok\"]}},"
			  "   {\"field\": \"pci_dev.*\", \"except\": [\"lokc\"], \"access\": {\"any\": [\"_pcidevs_lock\"]}}],"
			  " \"forbidden_under_lock\": [{\"function\": \"do_sofirq\", \"reason\": \"r\"}]}",
			  &out);
	ck_assert_str_contains(out, "$.primitives._spin_lokc: primitive \"_spin_lokc\" matches no function");
	ck_assert_str_contains(out, "$.primitives._spin_lock.acquire: lock argument 99 is beyond _spin_lock()'s 1 parameter");
	ck_assert_str_lacks(out, "printk");   /* variadic: any index may be right */
	ck_assert_str_lacks(out, "_spin_lock_recursive");   /* only some versions have it */
	ck_assert_str_contains(out, "$.primitives: empty primitive name");
	ck_assert_str_contains(out, "$.guards[0].field: no access to pci_dev.vpic");
	ck_assert_str_contains(out, "$.guards[0].read.any[0]: lock class \"domain.pci_lok\" matches no lock");
	ck_assert_str_lacks(out, "$.guards[0].write");   /* "access": reported once */
	ck_assert_str_contains(out, "$.guards[1].field: no access to any field of struct no_such");
	ck_assert_str_contains(out, "$.guards[1].read.all[0]: lock class \"_pcidevs_lok\"");
	ck_assert_str_contains(out, "$.guards[2].except[0]: no access to pci_dev.lokc");
	ck_assert_str_contains(out, "$.forbidden_under_lock[0].function: function \"do_sofirq\" is not defined");
	ck_assert_int_eq(n, 9);
	free(out);
}
END_TEST

START_TEST(test_lint_repeats)
{
	char *out;
	int n = lint_text("{\"order\": [[\"_pcidevs_lock\", \"domain.pci_lock\"], [\"vpci.lock\", \"_pcidevs_lock\"],"
			  "   [\"domain.pci_lock\", \"vpci.lock\", \"_pcidevs_lock\"]],"
			  " \"exclusive\": [\"vpci.lock\", \"domain.pci_lock\", \"vpci.lock\"],"
			  " \"ignore\": [{\"check\": \"guard\", \"function\": \"do_softirq\", \"reason\": \"a\"},"
			  "   {\"check\": \"guard\", \"function\": \"do_softirq\", \"reason\": \"b\"},"
			  "   {\"check\": \"order\", \"function\": \"do_softirq\", \"reason\": \"c\"}]}",
			  &out);
	ck_assert_str_contains(out, "$.order[2]: puts \"domain.pci_lock\" before \"_pcidevs_lock\", the reverse of $.order[0]");
	ck_assert_str_contains(out, "$.exclusive[2]: \"vpci.lock\" is already at $.exclusive[0]");
	ck_assert_str_contains(out, "$.ignore[1]: the same finding as $.ignore[0]");
	ck_assert_str_lacks(out, "$.ignore[2]");
	ck_assert_msg(n == 3, "%s", out);
	free(out);
}
END_TEST

START_TEST(test_lint_utf8)
{
	ck_assert(rules_lint_utf8_ok("plain"));
	ck_assert(rules_lint_utf8_ok("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92"));
	ck_assert(!rules_lint_utf8_ok("bad \xff"));
	ck_assert(!rules_lint_utf8_ok("overlong \xc0\xaf"));
	ck_assert(!rules_lint_utf8_ok("surrogate \xed\xa0\x80"));
	ck_assert(!rules_lint_utf8_ok("cut \xe2\x82"));
	char *out;
	int n = lint_text("{\"description\": \"bad \xff\", \"exclusive\": [\"vpci.lock\\u0000\"],"
			  " \"forbidden_under_lock\": [{\"function\": \"do_softirq\", \"reason\": \"\xc0\xaf\"}]}",
			  &out);
	ck_assert_str_contains(out, "$.description: invalid UTF-8");
	ck_assert_str_contains(out, "$.forbidden_under_lock[0].reason: invalid UTF-8");
	ck_assert_msg(n >= 2, "%s", out);
	free(out);
}
END_TEST

Suite *suite_rules_lint(void)
{
	Suite *s = suite_create("rules_lint");
	TCase *tc = tcase_create("lint");
	tcase_add_test(tc, test_lint_clean);
	tcase_add_test(tc, test_lint_names);
	tcase_add_test(tc, test_lint_repeats);
	tcase_add_test(tc, test_lint_utf8);
	suite_add_tcase(s, tc);
	return s;
}
