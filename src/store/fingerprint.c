/* Incremental scanning: a TU's fingerprint covers its arguments, the
 * frontend configuration and the contents of every file it included.
 * File hashes are cached in `file` and recomputed only when mtime or size
 * changed, so a no-change rescan costs a stat per file. */
#include "store_int.h"
#include "../frontend/source.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int file_hash(store *s, const fe_source *src, int64_t id, const char *path, sqlite3_int64 mtime,
		     sqlite3_int64 size, const char *cached, uint64_t *out)
{
	if (fe_source_find(src, path)) {
		/* another revision's contents: never cached by the work tree's mtime */
		int overlaid;
		return fe_source_hash(src, path, out, &overlaid);
	}
	struct stat stbuf;
	if (stat(path, &stbuf) != 0)
		return la_error_code(LA_ENOTFOUND, "%s: %s", path, strerror(errno));
	sqlite3_int64 m = (sqlite3_int64)stbuf.st_mtim.tv_sec * 1000000000 + stbuf.st_mtim.tv_nsec;
	if (cached && m == mtime && (sqlite3_int64)stbuf.st_size == size) {
		*out = strtoull(cached, NULL, 16);
		return LA_OK;
	}
	int err = la_hash_file(path, out);
	if (err < 0)
		return err;
	char hex[17];
	la_hash_hex(*out, hex);
	sqlite3_stmt *st;
	if ((err = store_prepare(s, "UPDATE file SET mtime = ?2, size = ?3, hash = ?4 WHERE id = ?1", &st)) < 0)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, m);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)stbuf.st_size);
	sqlite3_bind_text(st, 4, hex, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	/* a read-only or busy database only loses the cache entry */
	(void)rc;
	return LA_OK;
}

int store_tu_fingerprint(store *s, int64_t tu_id, const fe_tu_cmd *cmd, const char *salt, char out[17])
{
	uint64_t h = la_hash_str(LA_HASH_INIT, salt ? salt : "");
	h = la_hash_str(h, cmd->directory);
	for (int i = 0; i < cmd->argc; i++)
		h = la_hash_str(h, cmd->argv[i]);
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT f.id, f.path, f.mtime, f.size, f.hash FROM tu_include i "
				   "JOIN file f ON f.id = i.file_id WHERE i.tu_id = ?1 ORDER BY f.path", &st);
	if (err < 0)
		return err;
	sqlite3_bind_int64(st, 1, tu_id);
	int n = 0;
	while ((err = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 1);
		const char *cached = (const char *)sqlite3_column_text(st, 4);
		uint64_t fh;
		int e = file_hash(s, s->source, sqlite3_column_int64(st, 0), path, sqlite3_column_int64(st, 2),
				  sqlite3_column_int64(st, 3), cached, &fh);
		if (e < 0) {
			sqlite3_finalize(st);
			return e;
		}
		h = la_hash_str(h, path);
		h = la_hash_bytes(h, &fh, sizeof(fh));
		n++;
	}
	sqlite3_finalize(st);
	if (err != SQLITE_DONE)
		return store_db_error(s, "reading a TU's includes");
	if (n == 0)   /* never parsed: no fingerprint */
		return la_error_code(LA_ENOTFOUND, "no included files recorded for this TU");
	la_hash_hex(h, out);
	return LA_OK;
}

void store_set_source(store *s, const fe_source *src)
{
	s->source = src;
}

int store_tu_state_get(store *s, const char *file, store_tu_state *stt)
{
	memset(stt, 0, sizeof(*stt));
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT t.id, t.status, t.fingerprint FROM tu t JOIN file f "
				   "ON f.id = t.file_id WHERE f.path = ?1", &st);
	if (err < 0)
		return err;
	sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		stt->id = sqlite3_column_int64(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		const char *fp = (const char *)sqlite3_column_text(st, 2);
		stt->ok = status && strcmp(status, "ok") == 0;
		if (fp)
			snprintf(stt->fingerprint, sizeof(stt->fingerprint), "%s", fp);
	}
	sqlite3_finalize(st);
	return LA_OK;
}

int store_tu_failed_count(store *s, int *n)
{
	*n = 0;
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT count(*) FROM tu WHERE status <> 'ok'", &st);
	if (err < 0)
		return err;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return LA_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int store_known_header_funcs(store *s, const int64_t *rescan, int nrescan, la_strset *out)
{
	int64_t *ids = xmalloc(sizeof(int64_t) * (size_t)(nrescan + 1));
	if (nrescan)
		memcpy(ids, rescan, sizeof(int64_t) * (size_t)nrescan);
	qsort(ids, (size_t)nrescan, sizeof(int64_t), cmp_i64);
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT fn.usr, f.path, fn.line, fn.tu_id FROM func fn "
				   "JOIN file f ON f.id = fn.file_id WHERE fn.in_header = 1", &st);
	if (err < 0) {
		free(ids);
		return err;
	}
	la_buf b = LA_BUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t tu = sqlite3_column_int64(st, 3);
		if (bsearch(&tu, ids, (size_t)nrescan, sizeof(int64_t), cmp_i64))
			continue;   /* its owner is rescanned and lowers it again */
		la_buf_clear(&b);
		la_buf_printf(&b, "%s\t%s:%d", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			      sqlite3_column_int(st, 2));
		la_strset_add(out, b.ptr);
	}
	la_buf_free(&b);
	sqlite3_finalize(st);
	free(ids);
	return LA_OK;
}

int store_tu_prune(store *s, const fe_compdb *db, int allow_most, int *removed)
{
	*removed = 0;
	char **files = xmalloc(sizeof(char *) * (size_t)(db->ntus + 1));
	for (int i = 0; i < db->ntus; i++)
		files[i] = db->tus[i].file;
	qsort(files, (size_t)db->ntus, sizeof(char *), cmp_str);
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT t.id, f.path FROM tu t JOIN file f ON f.id = t.file_id", &st);
	if (err < 0) {
		free(files);
		return err;
	}
	int64_t *gone = NULL;
	int ngone = 0, cap = 0, nstored = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		nstored++;
		const char *path = (const char *)sqlite3_column_text(st, 1);
		if (!bsearch(&path, files, (size_t)db->ntus, sizeof(char *), cmp_str)) {
			LA_VEC_PUSH(gone, ngone, cap);
			gone[ngone++] = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	free(files);
	if (!ngone)
		return LA_OK;
	if (!allow_most && 2 * ngone > nstored) {
		*removed = ngone;
		err = la_error_code(LA_EINVAL, "%s leaves out %d of the %d TUs in the database",
				    db->path ? db->path : "the compile database", ngone, nstored);
		goto out;
	}
	if ((err = store_begin(s)) < 0)
		goto out;
	for (int i = 0; i < ngone && err >= 0; i++)
		err = store_tu_clear(s, gone[i], 1);
	if (err >= 0)   /* analysis results now describe removed code */
		err = store_exec(s, "INSERT INTO meta VALUES('facts_generation', '1') ON CONFLICT(key) "
				    "DO UPDATE SET value = CAST(value AS INTEGER) + 1");
	if (err >= 0)
		err = store_commit(s);
	else
		store_rollback(s);
	*removed = ngone;
out:
	free(gone);
	return err;
}
