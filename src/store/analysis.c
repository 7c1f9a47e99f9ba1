/* Analysis results: held locks per event, entry contexts, summaries. They
 * are derived data, replaced whole by each `lockaudit analyze`. */
#include "schema.h"
#include "store_int.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

enum { R_HELD, R_ENTRY, R_SUMMARY, R_FINDING, R_STEP, R_EDGE, R_COUNT };

struct store_results {
	store *s;
	sqlite3_stmt *st[R_COUNT];
};

static const char *const results_sql[R_COUNT] = {
	[R_HELD] = "INSERT INTO held VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[R_ENTRY] = "INSERT INTO func_entry VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[R_SUMMARY] = "INSERT INTO func_summary VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[R_FINDING] = "INSERT INTO finding(check_id, severity, fingerprint, file, line, col, func, message,"
		      " subject, lock, ignored, rank) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[R_STEP] = "INSERT INTO finding_step VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[R_EDGE] = "INSERT INTO lock_edge VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

void store_results_abort(store_results *r)
{
	if (!r)
		return;
	for (int i = 0; i < R_COUNT; i++)
		sqlite3_finalize(r->st[i]);
	store_rollback(r->s);
	free(r);
}

int store_results_begin(store *s, store_results **out)
{
	store_results *r = xcalloc(1, sizeof(*r));
	r->s = s;
	int err = store_begin(s);
	if (err >= 0)
		err = store_exec(s, "DELETE FROM held; DELETE FROM func_entry; DELETE FROM func_summary");
	/* derived tables added after schema 2: recreated by every analysis, so
	 * that a database scanned earlier needs no new scan */
	if (err >= 0)
		err = store_exec(s, store_results_schema_sql);
	for (int i = 0; i < R_COUNT && err >= 0; i++)
		err = store_prepare(s, results_sql[i], &r->st[i]);
	if (err < 0) {
		store_results_abort(r);
		return err;
	}
	*out = r;
	return LA_OK;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step(store_results *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? LA_OK : store_db_error(r->s, "writing analysis results");
}

static int file_or_null(store_results *r, sqlite3_stmt *st, int i, const char *file)
{
	if (!file || !*file) {
		sqlite3_bind_null(st, i);
		return LA_OK;
	}
	int64_t id;
	int err = store_file_id(r->s, file, &id);
	if (err >= 0)
		sqlite3_bind_int64(st, i, id);
	return err;
}

int store_results_held(store_results *r, int64_t func_id, int block, int idx, const char *cls,
		       const char *inst, const char *mode, const char *how, int must, const char *at_file,
		       int at_line)
{
	sqlite3_stmt *st = r->st[R_HELD];
	sqlite3_bind_int64(st, 1, func_id);
	sqlite3_bind_int(st, 2, block);
	sqlite3_bind_int(st, 3, idx);
	bind_opt(st, 4, cls);
	bind_opt(st, 5, inst);
	bind_opt(st, 6, mode);
	bind_opt(st, 7, how);
	sqlite3_bind_int(st, 8, must);
	int err = file_or_null(r, st, 9, at_file);
	if (err < 0)
		return err;
	sqlite3_bind_int(st, 10, at_line);
	return step(r, st);
}

int store_results_entry(store_results *r, int64_t func_id, const char *cls, const char *inst,
			const char *mode, int ncallers, int64_t via_func_id, const char *via_file, int via_line)
{
	sqlite3_stmt *st = r->st[R_ENTRY];
	sqlite3_bind_int64(st, 1, func_id);
	bind_opt(st, 2, cls);
	bind_opt(st, 3, inst);
	bind_opt(st, 4, mode);
	sqlite3_bind_int(st, 5, ncallers);
	sqlite3_bind_int64(st, 6, via_func_id);
	int err = file_or_null(r, st, 7, via_file);
	if (err < 0)
		return err;
	sqlite3_bind_int(st, 8, via_line);
	return step(r, st);
}

int store_results_summary(store_results *r, int64_t func_id, const char *kind, const char *lock,
			  const char *cls, const char *mode, const char *cond)
{
	sqlite3_stmt *st = r->st[R_SUMMARY];
	sqlite3_bind_int64(st, 1, func_id);
	bind_opt(st, 2, kind);
	bind_opt(st, 3, lock);
	bind_opt(st, 4, cls);
	bind_opt(st, 5, mode);
	bind_opt(st, 6, cond);
	return step(r, st);
}

int store_results_finding(store_results *r, const store_finding *f, int64_t *id)
{
	sqlite3_stmt *st = r->st[R_FINDING];
	bind_opt(st, 1, f->check);
	bind_opt(st, 2, f->severity);
	bind_opt(st, 3, f->fingerprint);
	bind_opt(st, 4, f->file);
	sqlite3_bind_int(st, 5, f->line);
	sqlite3_bind_int(st, 6, f->col);
	bind_opt(st, 7, f->func);
	bind_opt(st, 8, f->message);
	bind_opt(st, 9, f->subject);
	bind_opt(st, 10, f->lock);
	bind_opt(st, 11, f->ignored);
	sqlite3_bind_double(st, 12, f->rank);
	int err = step(r, st);
	*id = sqlite3_last_insert_rowid(r->s->db);
	return err;
}

int store_results_step(store_results *r, int64_t finding_id, int seq, const char *kind, const char *file,
		       int line, int col, const char *func, const char *text)
{
	sqlite3_stmt *st = r->st[R_STEP];
	sqlite3_bind_int64(st, 1, finding_id);
	sqlite3_bind_int(st, 2, seq);
	bind_opt(st, 3, kind);
	bind_opt(st, 4, file);
	sqlite3_bind_int(st, 5, line);
	sqlite3_bind_int(st, 6, col);
	bind_opt(st, 7, func);
	bind_opt(st, 8, text);
	return step(r, st);
}

int store_results_edge(store_results *r, const char *from, const char *to, const char *func, const char *file,
		       int line, int col, int count)
{
	sqlite3_stmt *st = r->st[R_EDGE];
	bind_opt(st, 1, from);
	bind_opt(st, 2, to);
	bind_opt(st, 3, func);
	bind_opt(st, 4, file);
	sqlite3_bind_int(st, 5, line);
	sqlite3_bind_int(st, 6, col);
	sqlite3_bind_int(st, 7, count);
	return step(r, st);
}

int store_results_commit(store_results *r, const char *rules_path, const char *rules_hash)
{
	char *facts = NULL;
	int err = store_meta_get(r->s, "facts_generation", &facts);
	if (err >= 0)
		err = store_meta_set(r->s, "analysis_facts", facts ? facts : "0");
	if (err >= 0)
		err = store_meta_set(r->s, "analysis_rules", rules_path ? rules_path : "");
	if (err >= 0)
		err = store_meta_set(r->s, "analysis_rules_hash", rules_hash ? rules_hash : "");
	free(facts);
	for (int i = 0; i < R_COUNT; i++) {
		sqlite3_finalize(r->st[i]);
		r->st[i] = NULL;
	}
	if (err >= 0)
		err = store_commit(r->s);
	if (err < 0)
		store_rollback(r->s);
	free(r);
	return err;
}
