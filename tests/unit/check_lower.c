/* Lowering of each C construct: every file in tests/corpus/lower carries the
 * expected `lockaudit ir` listing between check-ir-start and check-ir-end
 * (regenerate after an intended change with tests/update-lower-corpus.sh and
 * review the diff). */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/lower.h"
#include "ir/ir.h"
#include "rules/assert_macros.h"
#include "util/buf.h"
#include "util/error.h"

#include "suites.h"

static const char *const corpus[] = {
	"goto.c", "switch.c", "logical.c", "stmt_expr.c", "do_while0.c", "list_for_each.c",
	"fnptr.c", "fields.c", "asserts.c", "alt_call.c", "loops.c", "noreturn.c", "sections.c", "cleanup.c",
	"generic.c", "annotations.c",
};

/* The comment block's lines without their " * " prefix. */
static char *expected_of(const char *text)
{
	const char *start = strstr(text, "check-ir-start\n");
	const char *end = strstr(text, " * check-ir-end");
	if (!start || !end || end < start)
		return NULL;
	la_buf b = LA_BUF_INIT;
	for (const char *p = start + strlen("check-ir-start\n"); p < end;) {
		const char *nl = strchr(p, '\n');
		if (strncmp(p, " * ", 3) == 0)
			p += 3;
		else if (strncmp(p, " *", 2) == 0)
			p += 2;
		la_buf_put(&b, p, (size_t)(nl - p + 1));
		p = nl + 1;
	}
	return la_buf_detach(&b);
}

static char *lower_to_text(const char *path)
{
	char *abs = realpath(path, NULL);
	ck_assert_msg(abs != NULL, "%s: missing corpus file", path);
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", abs);
	*strrchr(dir, '/') = 0;
	char *argv[] = { "-std=gnu11", "-nostdinc", NULL };
	fe_tu_cmd cmd = { 0, dir, abs, argv, 2 };
	fe_config cfg = { rules_default_assert_macros, rules_ndefault_assert_macros, NULL, NULL };
	char *stream = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&stream, &len);
	ck_assert_int_eq(fe_lower_tu(&cmd, &cfg, mem), LA_OK);
	fclose(mem);
	ck_assert_msg(strstr(stream, "(diag \"error\"") == NULL && strstr(stream, "(diag \"fatal\"") == NULL,
		      "%s does not compile:\n%s", path, stream);
	ck_assert_msg(strstr(stream, "(status ok)\n(done)\n") != NULL, "%s: incomplete stream", path);
	la_buf out = LA_BUF_INIT;
	ck_assert_int_eq(ir_stream_dump(stream, abs, &out), LA_OK);
	free(stream);
	free(abs);
	return la_buf_detach(&out);
}

START_TEST(test_lower_corpus_file)
{
	const char *src = getenv("LOCKAUDIT_SRC");
	ck_assert_msg(src != NULL, "LOCKAUDIT_SRC must name the source tree");
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/tests/corpus/lower/%s", src, corpus[_i]);
	la_buf text = LA_BUF_INIT;
	ck_assert_msg(la_buf_read_file(&text, path) == LA_OK, "%s", la_error_last());
	char *want = expected_of(text.ptr);
	ck_assert_msg(want != NULL, "%s: no check-ir-start/check-ir-end block", path);
	ck_assert_msg(strstr(want, "func ") != NULL, "%s: the expected block lists no function", path);
	char *got = lower_to_text(path);
	ck_assert_msg(strcmp(got, want) == 0, "%s: lowering differs\n--- expected\n%s--- got\n%s", path,
		      want, got);
	free(got);
	free(want);
	la_buf_free(&text);
}
END_TEST

/* The listing holds what each construct must produce; a few facts stated
 * directly so a regenerated expectation cannot silently lose them. */
START_TEST(test_lower_key_facts)
{
	const char *src = getenv("LOCKAUDIT_SRC");
	ck_assert(src != NULL);
	static const struct { const char *file, *must; } facts[] = {
		{ "alt_call.c", "call asm#0 iommu_ops.quarantine_init($0, 0) [iommu_ops.quarantine_init]" },
		{ "alt_call.c", "assign n = ?" },   /* sizeof(size_of_call(2)) is no call */
		{ "asserts.c", "assert ASSERT($0 || pcidevs_locked())" },
		{ "asserts.c", "call#3 assert_failed(\"...\") @12\n  -> noreturn" },
		{ "fnptr.c", "flow reg_ops.read <- func ignored_read" },
		{ "fnptr.c", "flow param:c:@F@add_register#0 <- func hw_read" },
		{ "fnptr.c", "flow reg_ops.write <- key param:c:@F@for_each_dev#0" },
		{ "fields.c", "write outer.a $0" },          /* anonymous union member */
		{ "fields.c", "write vpci.header.nr $0->v.header" },
		{ "fields.c", "write spinlock_t.raw $1->domain->lock" },
		{ "switch.c", "-> switch $1: 1 b2 2 b3 3 ... 5 b4 default b5" },
		{ "noreturn.c", "call#1 crash() @12\n  -> noreturn" },
		{ "sections.c", "func boot_map($0 pdev) in .init.text" },
		{ "sections.c", "func run_time($0 pdev)\n" },
		{ "do_while0.c", "call#1 _write_lock(&$0->pci_lock) @10\n  -> b2" },
		/* the annotation's field is the body's access: vpci.lock */
		{ "annotations.c", "func vpci_lock($0 v)\n annot __acquires(&$0->lock) @20\n b0:\n  addr vpci.lock $0" },
		{ "annotations.c", " annot __must_hold(&$0->locks[2]) @31\n" },
		{ "annotations.c", "  assert __must_hold(&table_lock) @31\n" },
		{ "annotations.c", "func not_understood($0 d, $1 i)\n b0:\n  -> exit\n" },
		{ "annotations.c", "warning @40: __acquires(RCU) on not_understood() not understood (RCU is neither" },
	};
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/tests/corpus/lower/%s", src, facts[i].file);
		char *got = lower_to_text(path);
		ck_assert_msg(strstr(got, facts[i].must) != NULL, "%s: missing \"%s\" in\n%s", facts[i].file,
			      facts[i].must, got);
		free(got);
	}
}
END_TEST

Suite *suite_lower(void)
{
	Suite *s = suite_create("lower");
	TCase *tc = tcase_create("corpus");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_lower_corpus_file, 0, (int)(sizeof(corpus) / sizeof(corpus[0])));
	tcase_add_test(tc, test_lower_key_facts);
	suite_add_tcase(s, tc);
	return s;
}
