/* The unit test suites, one per tests/unit/check_*.c file. A new suite is
 * declared here and added to the list in main.c. */
#ifndef LA_TEST_SUITES_H
#define LA_TEST_SUITES_H

#include <check.h>

Suite *suite_util(void);      /* check_util.c: buf, arena, strset, hash, sexp */
Suite *suite_compdb(void);    /* check_compdb.c: paths, shell words, compile_commands.json */
Suite *suite_ir(void);        /* check_ir.c: IR text round trip, prune, rendering */
Suite *suite_store(void);     /* check_store.c: schema, TU ingest, fingerprints */
Suite *suite_rules(void);     /* check_rules.c: rules files */
Suite *suite_rules_lint(void); /* check_rules_lint.c: rules lint against a table of facts */
Suite *suite_lockgraph(void); /* check_lockgraph.c: analysis and checks on hand-built IR */
Suite *suite_report(void);    /* check_report.c: finding reader, baseline, report selection */
Suite *suite_html(void);     /* check_html.c: HTML page frame, excerpts, lock-order graph */
Suite *suite_audit(void);     /* check_audit.c: git plumbing, content source, result diff */
Suite *suite_lower(void);     /* check_lower.c: libclang lowering (listed when built) */

#endif
