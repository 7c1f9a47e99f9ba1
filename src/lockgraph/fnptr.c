#include "fnptr.h"
#include "../store/store_int.h"
#include "../util/error.h"

/* Breadth-first over fnptr_flow. `backward`: from a slot to what flows in;
 * else from a function to the slots it flows into. */
static int walk(store *s, const char *start, int backward, la_strset *out)
{
	static const char *const sql[2] = {
		"SELECT dst FROM fnptr_flow WHERE src = ?1",                 /* forward */
		"SELECT src_kind, src FROM fnptr_flow WHERE dst = ?1",      /* backward */
	};
	sqlite3_stmt *st;
	int err = store_prepare(s, sql[backward], &st);
	if (err < 0)
		return err;
	la_strset seen = LA_STRSET_INIT;
	la_strset_add(&seen, start);
	for (size_t i = 0; i < seen.n; i++) {
		sqlite3_bind_text(st, 1, seen.items[i], -1, SQLITE_TRANSIENT);
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (backward) {
				const char *kind = (const char *)sqlite3_column_text(st, 0);
				const char *src = (const char *)sqlite3_column_text(st, 1);
				if (kind && src && kind[0] == 'f')
					la_strset_add(out, src);
				else if (src)
					la_strset_add(&seen, src);
			} else {
				const char *dst = (const char *)sqlite3_column_text(st, 0);
				if (dst && la_strset_add(&seen, dst))
					la_strset_add(out, dst);
			}
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	la_strset_free(&seen);
	return LA_OK;
}

int lg_fnptr_targets(store *s, const char *key, la_strset *out)
{
	return walk(s, key, 1, out);
}

int lg_fnptr_slots(store *s, const char *usr, la_strset *out)
{
	return walk(s, usr, 0, out);
}
