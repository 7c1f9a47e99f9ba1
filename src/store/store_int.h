/* Internals of src/store/. */
#ifndef LA_STORE_INT_H
#define LA_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

typedef struct store_file_slot {
	char *path;
	int64_t id;
} store_file_slot;

struct store {
	sqlite3 *db;
	char *path;
	store_file_slot *files;   /* path -> id cache, open addressing */
	size_t nfiles, capfiles;
	const struct fe_source *source;   /* store_set_source; NULL: the disk */
};

/* Prepare, or LA_EDB naming the database and the SQL. */
int store_prepare(store *s, const char *sql, sqlite3_stmt **st);
int store_db_error(store *s, const char *what);
/* Delete a TU's facts (and its tu row when with_row), or only its diagnostics. */
int store_tu_clear(store *s, int64_t tu_id, int with_row);
int store_tu_clear_diags(store *s, int64_t tu_id);

#endif
