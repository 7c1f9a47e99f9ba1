/* The stored findings and their traces, read in two queries (findings, then
 * every step in finding order) rather than one query per finding: Xen's
 * `--all` has hundreds of findings with thousands of steps. */
#include "finding_read.h"
#include "store_int.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const order_sql[] = {
	[FINDING_ORDER_LOCATION] = "ORDER BY file, line, col, check_id, id",
	[FINDING_ORDER_RANK] = "ORDER BY rank DESC, file, line, col, check_id, id",
};

typedef struct by_id {
	sqlite3_int64 id;
	finding *f;
} by_id;

static int by_id_cmp(const void *a, const void *b)
{
	sqlite3_int64 x = ((const by_id *)a)->id, y = ((const by_id *)b)->id;
	return (x > y) - (x < y);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? xstrdup(t) : NULL;
}

/* The set's copy of a column's text (NULL stays NULL). */
static const char *name_col(finding_set *fs, sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	la_strset_add(&fs->names, t);
	return la_strset_get(&fs->names, t);
}

static int has_finding_table(store *s)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'finding_step'", -1,
			       &st, NULL) != SQLITE_OK)
		return 0;
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

typedef struct id_index {
	by_id *v;
	int n, cap;
} id_index;

static int read_findings(store *s, int order, finding_set *fs, id_index *ids)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT id, check_id, severity, fingerprint, file, line, col, func, message, subject, lock, ignored, "
		 "rank FROM finding %s", order_sql[order]);
	sqlite3_stmt *st;
	int err = store_prepare(s, sql, &st);
	if (err < 0)
		return err;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		finding *f = xcalloc(1, sizeof(*f));
		f->check = name_col(fs, st, 1);
		f->severity = name_col(fs, st, 2);
		const char *fp = (const char *)sqlite3_column_text(st, 3);
		snprintf(f->fingerprint, sizeof(f->fingerprint), "%s", fp ? fp : "");
		f->file = dup_col(st, 4);
		f->line = sqlite3_column_int(st, 5);
		f->col = sqlite3_column_int(st, 6);
		f->func = dup_col(st, 7);
		f->message = dup_col(st, 8);
		f->subject = dup_col(st, 9);
		f->lock = dup_col(st, 10);
		f->ignored = name_col(fs, st, 11);
		f->rank = sqlite3_column_double(st, 12);
		LA_VEC_PUSH(fs->v, fs->n, fs->cap);
		fs->v[fs->n++] = f;
		LA_VEC_PUSH(ids->v, ids->n, ids->cap);
		ids->v[ids->n++] = (by_id){ sqlite3_column_int64(st, 0), f };
	}
	if (rc != SQLITE_DONE)
		err = store_db_error(s, "reading findings");
	sqlite3_finalize(st);
	return err;
}

static int read_steps(store *s, finding_set *fs, const id_index *ids)
{
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT finding_id, kind, file, line, col, func, text FROM finding_step "
				"ORDER BY finding_id, seq", &st);
	if (err < 0)
		return err;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		by_id key = { sqlite3_column_int64(st, 0), NULL };
		const by_id *hit = bsearch(&key, ids->v, (size_t)ids->n, sizeof(*ids->v), by_id_cmp);
		if (!hit)
			continue;   /* a step of no finding: nothing to show it with */
		finding *f = hit->f;
		LA_VEC_PUSH(f->steps, f->nsteps, f->capsteps);
		finding_step *sp = &f->steps[f->nsteps++];
		sp->kind = name_col(fs, st, 1);
		sp->file = dup_col(st, 2);
		sp->line = sqlite3_column_int(st, 3);
		sp->col = sqlite3_column_int(st, 4);
		sp->func = dup_col(st, 5);
		sp->text = dup_col(st, 6);
	}
	if (rc != SQLITE_DONE)
		err = store_db_error(s, "reading finding steps");
	sqlite3_finalize(st);
	return err;
}

int finding_read(store *s, int order, finding_set *out)
{
	memset(out, 0, sizeof(*out));
	if (order != FINDING_ORDER_LOCATION && order != FINDING_ORDER_RANK)
		return la_error_code(LA_EINVAL, "finding_read: unknown order %d", order);
	if (!has_finding_table(s))
		return la_error_code(LA_ENOTFOUND, "%s: no findings stored: the database was never analysed "
				     "(run `lockaudit analyze --rules FILE`)", s->path);
	id_index ids = { NULL, 0, 0 };
	int err = read_findings(s, order, out, &ids);
	if (err >= 0 && ids.n) {   /* no finding: ids.v is NULL, which qsort must not get */
		qsort(ids.v, (size_t)ids.n, sizeof(*ids.v), by_id_cmp);
		err = read_steps(s, out, &ids);
	}
	free(ids.v);
	if (err < 0)
		finding_set_free(out);
	return err;
}

void finding_set_free(finding_set *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < fs->n; i++)
		finding_free(fs->v[i]);
	free(fs->v);
	la_strset_free(&fs->names);
	memset(fs, 0, sizeof(*fs));
}
