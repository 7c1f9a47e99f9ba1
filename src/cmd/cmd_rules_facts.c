/* The facts the rules lint asks about (src/rules/rules_lint.h), from the
 * database, and its warnings printed for `analyze`, `check` and `rules-check`. */
#include "cmd.h"
#include "../rules/rules_lint.h"
#include "../store/store.h"
#include "../util/strset.h"

#include "../util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct db_facts {
	store *s;
	sqlite3_stmt *field, *func, *called;
	la_strset classes;      /* held, or in a lock-order edge */
	int analysed;
} db_facts;

static int db_field_exists(void *ctx, const char *sname, const char *field)
{
	db_facts *f = ctx;
	sqlite3_bind_text(f->field, 1, sname, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(f->field, 2, field, -1, SQLITE_TRANSIENT);
	int found = sqlite3_step(f->field) == SQLITE_ROW;
	sqlite3_reset(f->field);
	return found;
}

/* Parameters in a stored parameter list ("spinlock_t * lock, int n"):
 * commas outside parentheses; -1 for a variadic function. */
static int count_params(const char *params)
{
	if (!params || !*params || strcmp(params, "void") == 0)
		return 0;
	if (strstr(params, "..."))
		return -1;
	int n = 1, depth = 0;
	for (const char *p = params; *p; p++) {
		if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && depth)
			depth--;
		else if (*p == ',' && !depth)
			n++;
	}
	return n;
}

static int db_function_exists(void *ctx, const char *name, int *nparams)
{
	db_facts *f = ctx;
	*nparams = -1;
	int found = 0;
	sqlite3_bind_text(f->func, 1, name, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(f->func) == SQLITE_ROW) {
		/* a name defined twice (static functions): the larger count */
		int n = count_params((const char *)sqlite3_column_text(f->func, 0));
		if (!found || n > *nparams || n < 0)
			*nparams = found && *nparams < 0 ? -1 : n;
		found = 1;
	}
	sqlite3_reset(f->func);
	if (found)
		return 1;
	sqlite3_bind_text(f->called, 1, name, -1, SQLITE_TRANSIENT);
	found = sqlite3_step(f->called) == SQLITE_ROW;
	sqlite3_reset(f->called);
	return found;
}

static int db_lock_class_seen(void *ctx, const char *cls)
{
	db_facts *f = ctx;
	if (!f->analysed)
		return -1;
	return la_strset_has(&f->classes, cls);
}

typedef struct printer {
	const char *rules_path;
	int shown, max;
	int unresolved;   /* counted, not shown (max >= 0) */
} printer;

static void print_warning(void *ctx, rules_lint_kind kind, const char *path, const char *message)
{
	printer *p = ctx;
	if (p->max >= 0 && kind == LINT_UNRESOLVED) {
		p->unresolved++;
		return;
	}
	if (p->max >= 0 && p->shown >= p->max)
		return;
	p->shown++;
	fprintf(stderr, "lockaudit: warning: %s: %s: %s\n", p->rules_path, path, message);
}

int cmd_lint_rules(struct store *s, const rules *r, const char *rules_path, int max_shown)
{
	db_facts f;
	memset(&f, 0, sizeof(f));
	f.s = s;
	f.classes = (la_strset)LA_STRSET_INIT;
	sqlite3 *db = store_db(s);
	sqlite3_stmt *cl = NULL;
	int n = -1;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM access WHERE struct = ?1 AND (?2 IS NULL OR field = ?2) LIMIT 1",
			       -1, &f.field, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT params FROM func WHERE name = ?1", -1, &f.func, NULL) != SQLITE_OK ||
	    /* the USR of an extern function first (indexed), then any callee of that name */
	    sqlite3_prepare_v2(db, "SELECT 1 FROM call WHERE callee_usr = 'c:@F@' || ?1 "
				   "UNION ALL SELECT 1 FROM call WHERE kind = 'direct' AND callee = ?1 LIMIT 1",
			       -1, &f.called, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT DISTINCT class FROM held UNION SELECT from_class FROM lock_edge "
				   "UNION SELECT to_class FROM lock_edge", -1, &cl, NULL) != SQLITE_OK) {
		la_error_code(LA_EDB, "%s", sqlite3_errmsg(db));
		goto out;
	}
	while (sqlite3_step(cl) == SQLITE_ROW) {
		la_strset_add(&f.classes, (const char *)sqlite3_column_text(cl, 0));
		f.analysed = 1;
	}
	char *done = NULL;
	if (store_meta_get(s, "analysis_facts", &done) >= 0 && done)
		f.analysed = 1;
	free(done);
	rules_lint_facts facts = { &f, db_field_exists, db_function_exists, db_lock_class_seen };
	printer pr = { rules_path, 0, max_shown, 0 };
	n = rules_lint(r, &facts, print_warning, &pr);
	/* names a tree lacks are counted in one line: a rules file written for
	 * a whole API names much that one tree does not have */
	int more = n - pr.shown - pr.unresolved;
	if (more > 0)
		fprintf(stderr, "lockaudit: warning: %s: %d more problem%s: `lockaudit rules-check --rules %s` lists "
			"them all\n", rules_path, more, more == 1 ? "" : "s", rules_path);
	if (pr.unresolved)
		fprintf(stderr, "lockaudit: warning: %s: %d entr%s name%s nothing in this tree (a typo, or code this "
			"tree does not have): `lockaudit rules-check --rules %s` lists them\n", rules_path, pr.unresolved,
			pr.unresolved == 1 ? "y" : "ies", pr.unresolved == 1 ? "s" : "", rules_path);
out:
	sqlite3_finalize(f.field);
	sqlite3_finalize(f.func);
	sqlite3_finalize(f.called);
	sqlite3_finalize(cl);
	la_strset_free(&f.classes);
	return n;
}
