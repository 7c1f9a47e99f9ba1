/* lockaudit_tests: every unit suite in one Check runner.
 *
 * Tests run in fork mode (Check's default; CK_FORK=no in the environment
 * turns it off for a debugger), so a crashing test is reported as an error
 * and the run goes on. CK_RUN_SUITE=store or CK_RUN_CASE=... select tests. */
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>

/* The suites, in the order they run. Adding a suite is one line here. */
static Suite *(*const suites[])(void) = {
	suite_util,
	suite_compdb,
	suite_ir,
	suite_store,
	suite_rules,
	suite_rules_lint,
	suite_lockgraph,
	suite_report,
	suite_html,
	suite_audit,
#ifdef HAVE_SUITE_LOWER
	suite_lower,   /* tests/unit/check_lower.c: tests/CMakeLists.txt defines
			* HAVE_SUITE_LOWER when that file exists */
#endif
};

int main(void)
{
	size_t n = sizeof(suites) / sizeof(suites[0]);
	SRunner *sr = srunner_create(suites[0]());
	for (size_t i = 1; i < n; i++)
		srunner_add_suite(sr, suites[i]());
	if (!getenv("CK_FORK"))
		srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
