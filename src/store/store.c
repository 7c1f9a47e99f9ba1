#include "store_int.h"
#include "schema.h"
#include "../util/error.h"
#include "../util/buf.h"
#include "../util/hash.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int store_db_error(store *s, const char *what)
{
	return la_error_code(LA_EDB, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

int store_prepare(store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_db_error(s, "preparing a statement");
	return LA_OK;
}

int store_exec(store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int err = la_error_code(LA_EDB, "%s: %s", s->path, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return err;
	}
	return LA_OK;
}

/* LA_ENOTFOUND: no meta table (an empty or foreign file); LA_EIO: SQLite
 * could not read it at all (a WAL database in a directory it cannot write,
 * a locked or unreadable file), with the message set. */
static int schema_version(store *s, int *version)
{
	sqlite3_stmt *st;
	*version = 0;
	int rc = sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_ERROR)
		return la_error_code(LA_EIO, "%s", sqlite3_errmsg(s->db));
	if (rc != SQLITE_OK)
		return LA_ENOTFOUND;   /* no meta table: empty or foreign file */
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return LA_OK;
}

static int is_empty(store *s)
{
	sqlite3_stmt *st;
	int empty = 1;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			empty = sqlite3_column_int(st, 0) == 0;
		sqlite3_finalize(st);
	}
	return empty;
}

/* Why `path` cannot be written, for an error message. */
static const char *why_not_writable(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0;   /* "/x.db" -> "/" */
	else
		snprintf(dir, sizeof(dir), ".");
	if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
		return "read-only file";
	if (access(dir, W_OK) != 0)
		return "read-only directory: SQLite keeps its -wal and -shm files next to the database";
	return "no write access";
}

/* `file:PATH?immutable=1`: read a database whose directory cannot be
 * written (SQLite cannot make the -shm file a WAL database needs). */
static int open_immutable(store *s)
{
	la_buf uri = LA_BUF_INIT;
	la_buf_puts(&uri, "file:");
	for (const char *p = s->path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			la_buf_printf(&uri, "%%%02X", (unsigned char)*p);
		else
			la_buf_putc(&uri, *p);
	}
	la_buf_puts(&uri, "?immutable=1");
	sqlite3_close_v2(s->db);
	s->db = NULL;
	int rc = sqlite3_open_v2(uri.ptr, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	la_buf_free(&uri);
	return rc == SQLITE_OK ? LA_OK : LA_EIO;
}

/* A new database: the schema, once. Two scans may create it at the same
 * time: the second waits for the first's transaction (BEGIN IMMEDIATE and
 * the busy timeout) and then finds the schema there. */
static int create_schema(store *s)
{
	int err, version;
	if ((err = store_begin(s)) < 0)
		return err;
	if (schema_version(s, &version) == LA_OK) {
		store_commit(s);
		return LA_OK;   /* another process made it meanwhile */
	}
	if (!is_empty(s)) {
		store_rollback(s);
		return la_error_code(LA_EDB, "%s: not a lockaudit database", s->path);
	}
	char sql[128];
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES('schema_version', '%d')", STORE_SCHEMA_VERSION);
	if ((err = store_exec(s, store_schema_sql)) < 0 || (err = store_exec(s, sql)) < 0) {
		store_rollback(s);
		return err;
	}
	if ((err = store_commit(s)) < 0)
		return err;
	/* WAL: readers (queries) do not block a running scan */
	return store_exec(s, "PRAGMA journal_mode=WAL");
}

/* Schema 2 lacks the suppression table; its TUs were stored by an older
 * lowering, so the scan that adds the table parses every TU again
 * (FE_LOWERING_VERSION is part of their fingerprints) and fills it. */
static int upgrade_from_2(store *s)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'", STORE_SCHEMA_VERSION);
	int err = store_begin(s);
	if (err >= 0 && (err = store_exec(s, store_suppression_schema_sql)) >= 0 && (err = store_exec(s, sql)) >= 0)
		return store_commit(s);
	store_rollback(s);
	return err;
}

int store_open(const char *path, int flags, store **out)
{
	*out = NULL;
	if (!(flags & STORE_OPEN_CREATE) && access(path, F_OK) != 0)
		return la_error_code(LA_ENOTFOUND, "%s: no such database (run `lockaudit scan` first)", path);
	store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	int oflags = (flags & STORE_OPEN_CREATE) ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
		   : (flags & STORE_OPEN_WRITE) ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		int err = la_error_code(LA_EDB, "%s: cannot open: %s", path,
					s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return err;
	}
	sqlite3_busy_timeout(s->db, 10000);
	int version, err = schema_version(s, &version);
	if (err == LA_EIO && !(flags & (STORE_OPEN_CREATE | STORE_OPEN_WRITE)) && open_immutable(s) == LA_OK) {
		sqlite3_busy_timeout(s->db, 10000);
		err = schema_version(s, &version);
	}
	if (err == LA_EIO) {
		char why[512];
		snprintf(why, sizeof(why), "%s", la_error_last());
		err = (flags & (STORE_OPEN_CREATE | STORE_OPEN_WRITE))
			      ? la_error_code(LA_EDB, "%s: cannot write the database (%s; SQLite: %s)", path,
					      why_not_writable(path), why)
			      : la_error_code(LA_EDB, "%s: cannot read the database: %s", path, why);
		goto fail;
	}
	if (err < 0) {
		if (!(flags & STORE_OPEN_CREATE)) {
			err = la_error_code(LA_EDB, "%s: not a lockaudit database", path);
			goto fail;
		}
		/* emptiness is decided inside create_schema's transaction: another
		 * scan may be creating the schema right now */
		if ((err = create_schema(s)) < 0)
			goto fail;
	} else if (version == 2 && (flags & STORE_OPEN_CREATE)) {
		if ((err = upgrade_from_2(s)) < 0)
			goto fail;
	} else if (version == 2) {
		err = la_error_code(LA_EDB, "%s: schema version 2, this lockaudit uses %d: run `lockaudit scan` "
				    "to bring it up to date (it parses every TU again)", path, STORE_SCHEMA_VERSION);
		goto fail;
	} else if (version != STORE_SCHEMA_VERSION) {
		err = la_error_code(LA_EDB, "%s: schema version %d, this lockaudit uses %d; "
				    "remove the file and scan again", path, version, STORE_SCHEMA_VERSION);
		goto fail;
	}
	store_exec(s, "PRAGMA synchronous=NORMAL");
	*out = s;
	return LA_OK;
fail:
	store_close(s);
	return err;
}

void store_close(store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	for (size_t i = 0; i < s->capfiles; i++)
		free(s->files[i].path);
	free(s->files);
	free(s->path);
	free(s);
}

struct sqlite3 *store_db(store *s)
{
	return s->db;
}

char *store_col_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return xstrdup(t ? t : "");
}

int store_begin(store *s)
{
	return store_exec(s, "BEGIN IMMEDIATE");
}

int store_commit(store *s)
{
	return store_exec(s, "COMMIT");
}

int store_rollback(store *s)
{
	/* file ids created in the transaction are gone: forget the cache */
	for (size_t i = 0; i < s->capfiles; i++) {
		free(s->files[i].path);
		s->files[i].path = NULL;
	}
	s->nfiles = 0;
	return sqlite3_get_autocommit(s->db) ? LA_OK : store_exec(s, "ROLLBACK");
}

static store_file_slot *file_slot(store *s, const char *path)
{
	if ((s->nfiles + 1) * 2 > s->capfiles) {
		size_t ncap = s->capfiles ? s->capfiles * 2 : 1024;
		store_file_slot *nt = xcalloc(ncap, sizeof(*nt));
		for (size_t i = 0; i < s->capfiles; i++) {
			if (!s->files[i].path)
				continue;
			size_t h = la_hash_str(LA_HASH_INIT, s->files[i].path) & (ncap - 1);
			while (nt[h].path)
				h = (h + 1) & (ncap - 1);
			nt[h] = s->files[i];
		}
		free(s->files);
		s->files = nt;
		s->capfiles = ncap;
	}
	size_t h = la_hash_str(LA_HASH_INIT, path) & (s->capfiles - 1);
	while (s->files[h].path && strcmp(s->files[h].path, path) != 0)
		h = (h + 1) & (s->capfiles - 1);
	return &s->files[h];
}

int store_file_id(store *s, const char *path, int64_t *id)
{
	store_file_slot *slot = file_slot(s, path);
	if (slot->path) {
		*id = slot->id;
		return LA_OK;
	}
	sqlite3_stmt *st;
	int err = store_prepare(s, "INSERT INTO file(path) VALUES(?1) ON CONFLICT(path) DO UPDATE "
				"SET path = excluded.path RETURNING id", &st);
	if (err < 0)
		return err;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		err = store_db_error(s, "recording a file");
		sqlite3_finalize(st);
		return err;
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	slot->path = xstrdup(path);
	slot->id = *id;
	s->nfiles++;
	return LA_OK;
}

int store_meta_set(store *s, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int err = store_prepare(s, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)", &st);
	if (err < 0)
		return err;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? LA_OK : store_db_error(s, "writing meta");
}

int store_meta_get(store *s, const char *key, char **out)
{
	sqlite3_stmt *st;
	*out = NULL;
	int err = store_prepare(s, "SELECT value FROM meta WHERE key = ?1", &st);
	if (err < 0)
		return err;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		*out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return LA_OK;
}

int store_copy(store *from, const char *to)
{
	sqlite3 *dst;
	if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		int err = la_error_code(LA_EDB, "%s: cannot create: %s", to, dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close_v2(dst);
		return err;
	}
	/* the backup API reads a consistent snapshot, WAL included */
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", from->db, "main");
	int rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(dst);
	if (b)
		sqlite3_backup_finish(b);
	int err = LA_OK;
	if (rc != SQLITE_DONE)
		err = la_error_code(LA_EDB, "copying %s to %s: %s", from->path, to, sqlite3_errmsg(dst));
	sqlite3_close_v2(dst);
	return err;
}
