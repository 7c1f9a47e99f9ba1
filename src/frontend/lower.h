/* Frontend entry point: parse one TU with libclang and write its facts (IR of
 * every function, function-pointer flows, includes, diagnostics) as text. */
#ifndef LA_LOWER_H
#define LA_LOWER_H

#include <stdio.h>

#include "compdb.h"

struct la_strset;

typedef struct fe_config {
	/* Macros whose argument is a lock contract (ASSERT, BUG_ON, ...);
	 * rules_default_assert_macros when the rules name none. */
	const char *const *assert_macros;
	int nassert_macros;
	/* Header functions already in the database, "usr\tfile:line": not
	 * lowered again. The scan adds to it as TUs are stored, and each worker
	 * is forked with the set as it is then. May be NULL. */
	const struct la_strset *known_header_funcs;
	/* File contents overlaid on the file system (a git revision): given to
	 * libclang as unsaved files. NULL: the file system alone. */
	const struct fe_source *source;
} fe_config;

/* Bumped whenever the lowering changes what it produces, so that a scan
 * parses again the TUs stored by an older lockaudit. */
#define FE_LOWERING_VERSION 12   /* 9: (suppress ...) records; 10: cleanup variables, struct initialisers;
                                  * 11: one _Generic association, switches over every enumerator;
                                  * 12: lock context annotations (__must_hold, __acquires, __releases),
                                  * the body's end */

/* Parse and lower one TU, writing the TU text stream (docs/ir.md) to out.
 * Returns LA_OK, or an error when libclang could not produce a TU at all;
 * a TU with fatal diagnostics is written with (status failed). */
int fe_lower_tu(const fe_tu_cmd *cmd, const fe_config *cfg, FILE *out);

#endif
