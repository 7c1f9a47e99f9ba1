#include "suppression.h"
#include "store_int.h"
#include "../util/error.h"
#include "../util/path.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

int suppression_read(store *s, const char *root, suppression_set *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT DISTINCT fl.path, sp.line, sp.end_line, sp.check_id, sp.reason "
				"FROM suppression sp JOIN file fl ON fl.id = sp.file_id "
				"ORDER BY fl.path, sp.line, sp.check_id, sp.reason", &st);
	if (err < 0)
		return err;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		LA_VEC_PUSH(out->v, out->n, out->cap);
		suppression *sp = &out->v[out->n++];
		const char *path = (const char *)sqlite3_column_text(st, 0);
		sp->file = xstrdup(la_display_path(root, path ? path : ""));
		sp->line = sqlite3_column_int(st, 1);
		sp->end_line = sqlite3_column_int(st, 2);
		sp->check = store_col_text(st, 3);
		sp->reason = store_col_text(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		suppression_set_free(out);
		return store_db_error(s, "reading the suppressions");
	}
	return LA_OK;
}

void suppression_set_free(suppression_set *ss)
{
	if (!ss)
		return;
	for (int i = 0; i < ss->n; i++) {
		free(ss->v[i].file);
		free(ss->v[i].check);
		free(ss->v[i].reason);
	}
	free(ss->v);
	memset(ss, 0, sizeof(*ss));
}
