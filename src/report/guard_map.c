#include "guard_map.h"
#include "../lockgraph/results.h"
#include "../store/store.h"
#include "../util/error.h"
#include "../util/path.h"
#include "../util/xalloc.h"

#include <sqlite3.h>
#include <string.h>

static const char *intern(guard_map *m, const char *s)
{
	if (!s)
		s = "";
	la_strset_add(&m->names, s);
	return la_strset_get(&m->names, s);
}

static void count_lock(guard_field *f, const char *cls, int is_write)
{
	int i = 0;
	while (i < f->nlocks && f->locks[i].cls != cls)   /* interned: one pointer per class */
		i++;
	if (i == f->nlocks) {
		LA_VEC_PUSH(f->locks, f->nlocks, f->caplocks);
		f->locks[f->nlocks++] = (guard_lock){ cls, 0, 0 };
	}
	if (is_write)
		f->locks[i].writes++;
	else
		f->locks[i].reads++;
}

/* Largest share first; a stable insertion sort keeps ties in the order the
 * classes were first met (file and line order). */
static void sort_locks(guard_field *f)
{
	for (int i = 1; i < f->nlocks; i++) {
		guard_lock l = f->locks[i];
		int j = i;
		for (; j > 0 && f->locks[j - 1].reads + f->locks[j - 1].writes < l.reads + l.writes; j--)
			f->locks[j] = f->locks[j - 1];
		f->locks[j] = l;
	}
}

int guard_map_read(store *s, const char *root, const char *strct, const char *field, guard_map *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3 *db = store_db(s);
	sqlite3_stmt *st;
	/* one row per (access, lock held on every path there); NULL class: none */
	if (sqlite3_prepare_v2(db,
			       "SELECT a.id, a.struct, a.field, a.mode, fl.path, a.line, a.col, f.name, a.expr, h.class "
			       "FROM access a JOIN func f ON f.id = a.func_id JOIN file fl ON fl.id = a.file_id "
			       "LEFT JOIN held h ON h.func_id = a.func_id AND h.block = a.block AND h.idx = a.idx "
			       "AND h.must = 1 WHERE (?1 IS NULL OR a.struct = ?1) AND (?2 IS NULL OR a.field = ?2) "
			       "ORDER BY a.struct, a.field, fl.path, a.line, a.col, a.id",
			       -1, &st, NULL) != SQLITE_OK)
		return la_error_code(LA_EDB, "reading the accesses and their locks: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, strct, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	guard_field *f = NULL;
	sqlite3_int64 last = -1, last_unreached = -1;
	la_strset seen = LA_STRSET_INIT;   /* classes counted for this access */
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		const char *sname = intern(out, (const char *)sqlite3_column_text(st, 1));
		const char *fname = intern(out, (const char *)sqlite3_column_text(st, 2));
		if (!f || f->strct != sname || f->field != fname) {
			LA_VEC_PUSH(out->v, out->n, out->cap);
			f = &out->v[out->n++];
			memset(f, 0, sizeof(*f));
			f->strct = sname;
			f->field = fname;
		}
		const char *mode = (const char *)sqlite3_column_text(st, 3);
		const char *cls = (const char *)sqlite3_column_text(st, 9);
		int is_write = mode[0] == 'w', is_addr = mode[0] == 'a';
		if (id != last) {
			la_strset_free(&seen);
			if (is_addr)
				f->addrs++;
			else if (is_write)
				f->writes++;
			else
				f->reads++;
			if (!cls && !is_addr) {
				LA_VEC_PUSH(f->unguarded, f->nunguarded, f->capunguarded);
				f->unguarded[f->nunguarded++] = (guard_access){
					intern(out, la_display_path(root, (const char *)sqlite3_column_text(st, 4))),
					sqlite3_column_int(st, 5), sqlite3_column_int(st, 6), intern(out, mode),
					intern(out, (const char *)sqlite3_column_text(st, 7)),
					intern(out, (const char *)sqlite3_column_text(st, 8)) };
			}
		}
		last = id;
		if (cls && strcmp(cls, LK_NO_PATH) == 0) {
			f->unreached += id != last_unreached;
			last_unreached = id;
		} else if (cls && strcmp(cls, LK_IN_PRIMITIVE) == 0) {
			f->in_primitives++;
		} else if (cls && !is_addr && la_strset_add(&seen, cls)) {
			count_lock(f, intern(out, cls), is_write);
		}
	}
	la_strset_free(&seen);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		guard_map_free(out);
		return la_error_code(LA_EDB, "reading the accesses and their locks: %s", sqlite3_errmsg(db));
	}
	for (int i = 0; i < out->n; i++)
		sort_locks(&out->v[i]);
	return LA_OK;
}

void guard_map_free(guard_map *m)
{
	for (int i = 0; i < m->n; i++) {
		free(m->v[i].locks);
		free(m->v[i].unguarded);
	}
	free(m->v);
	la_strset_free(&m->names);
	memset(m, 0, sizeof(*m));
}
