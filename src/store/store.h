/* The SQLite database (DESIGN.md §4, docs/schema.md). Every write of a TU
 * happens in one transaction, so a killed scan leaves the previous state. */
#ifndef LA_STORE_H
#define LA_STORE_H

#include <stdint.h>

#include "../frontend/compdb.h"

#define STORE_SCHEMA_VERSION 3

struct la_strset;

typedef struct store store;
struct sqlite3;
struct sqlite3_stmt;

/* READ: an existing database, read-only. WRITE: an existing database, to
 * update (analysis results). CREATE: created when missing (scan). */
enum { STORE_OPEN_READ = 0, STORE_OPEN_CREATE = 1, STORE_OPEN_WRITE = 2 };

/* Open (and with STORE_OPEN_CREATE, create) the database. A database with
 * another schema_version is refused with a message saying what to do,
 * except that a scan (STORE_OPEN_CREATE) brings schema 2 up to date. */
int store_open(const char *path, int flags, store **out);
void store_close(store *s);
struct sqlite3 *store_db(store *s);
/* Column i of the current row as a malloc'd string ("" for NULL). */
char *store_col_text(struct sqlite3_stmt *st, int i);

int store_begin(store *s);
int store_commit(store *s);
int store_rollback(store *s);
/* Run SQL without results; LA_EDB with sqlite's message on failure. */
int store_exec(store *s, const char *sql);
/* Copy the whole database into a new file TO (which must not exist). */
int store_copy(store *from, const char *to);

/* meta table: "root" is the directory of the scanned compile_commands.json. */
int store_meta_set(store *s, const char *key, const char *value);
/* *out is NULL when the key is absent; caller frees. */
int store_meta_get(store *s, const char *key, char **out);

/* Get or create the id of a path. */
int store_file_id(store *s, const char *path, int64_t *id);

/* --- scanning (store_tu.c) --- */

typedef struct store_tu_state {
	int64_t id;             /* 0 when the TU was never scanned */
	int ok;                 /* last scan status was ok */
	char fingerprint[17];   /* of the last successful scan */
} store_tu_state;

int store_tu_state_get(store *s, const char *file, store_tu_state *st);
/* How many TUs are stored with a status other than ok. */
int store_tu_failed_count(store *s, int *n);

/* Fingerprint of a TU now: its arguments, `salt` (frontend configuration),
 * and the contents of the files it included at its last scan (file hashes
 * cached by mtime and size). Returns LA_ENOTFOUND when an included file has
 * gone (the TU must be rescanned). */
int store_tu_fingerprint(store *s, int64_t tu_id, const fe_tu_cmd *cmd, const char *salt, char out[17]);
/* Read the files of `src` from it, not from the disk, in the fingerprints
 * (the contents a scan parses: a git revision). NULL: the disk. The source
 * must outlive its use by the store. */
struct fe_source;
void store_set_source(store *s, const struct fe_source *src);

typedef struct store_ingest_stats {
	int funcs, funcs_dup, accesses, calls, flows, asserts;
} store_ingest_stats;

/* Replace the facts of one TU with the worker output `text`. */
/* Header functions seen are added to `header_funcs` when it is not NULL. */
int store_tu_ingest(store *s, const fe_tu_cmd *cmd, const char *salt, const char *text,
		    long rss_kb, store_ingest_stats *st, struct la_strset *header_funcs);
/* Record a failed TU: keeps its previous facts, replaces its diagnostics
 * with `diags` (worker output, may be partial or NULL) and `error`. */
int store_tu_fail(store *s, const fe_tu_cmd *cmd, const char *error, const char *diags, long rss_kb);

/* Header functions stored by TUs not in `rescan` (ids), as "usr\tfile:line"
 * keys added to `out`, so workers do not lower them again. */
int store_known_header_funcs(store *s, const int64_t *rescan, int nrescan, struct la_strset *out);

/* --- analysis results (analysis.c) --- */

typedef struct store_results store_results;
/* Start replacing all analysis results (one transaction). */
int store_results_begin(store *s, store_results **out);
int store_results_held(store_results *r, int64_t func_id, int block, int idx, const char *cls,
		       const char *inst, const char *mode, const char *how, int must, const char *at_file,
		       int at_line);
int store_results_entry(store_results *r, int64_t func_id, const char *cls, const char *inst,
			const char *mode, int ncallers, int64_t via_func_id, const char *via_file, int via_line);
int store_results_summary(store_results *r, int64_t func_id, const char *kind, const char *lock,
			  const char *cls, const char *mode, const char *cond);
/* A finding of a check (src/checks) and the steps of its trace. */
typedef struct store_finding {
	const char *check, *severity, *fingerprint, *file, *func, *message, *subject, *lock, *ignored;
	int line, col;
	double rank;
} store_finding;
int store_results_finding(store_results *r, const store_finding *f, int64_t *id);
int store_results_step(store_results *r, int64_t finding_id, int seq, const char *kind, const char *file,
		       int line, int col, const char *func, const char *text);
/* Lock order: `to` acquired while `from` is held, `count` times; one witness. */
int store_results_edge(store_results *r, const char *from, const char *to, const char *func, const char *file,
		       int line, int col, int count);
/* Commit, recording which facts and rules the results come from. */
int store_results_commit(store_results *r, const char *rules_path, const char *rules_hash);
void store_results_abort(store_results *r);

/* Drop TUs whose file is not in the compile database any more. Unless
 * allow_most, dropping more than half of the stored TUs is refused: nothing
 * changes, *removed is how many would go, and the result is LA_EINVAL. */
int store_tu_prune(store *s, const fe_compdb *db, int allow_most, int *removed);

#endif
