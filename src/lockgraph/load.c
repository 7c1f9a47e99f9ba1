/* Reading the program from the store: every function's IR, one definition
 * per USR (the row with the lowest id), and the function-pointer flows;
 * program.c builds the program from them (lk_prog_build). */
#include "analysis.h"
#include "../store/store_int.h"
#include "../util/error.h"

static int load_funcs(store *s, lk_prog_input *in)
{
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT id, usr, name, ir FROM func ORDER BY id", &st);
	if (err < 0)
		return err;
	la_strset seen = LA_STRSET_INIT;   /* a header's function stored by several TUs */
	while (err >= 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *usr = (const char *)sqlite3_column_text(st, 1);
		if (!la_strset_add(&seen, usr))
			continue;
		int64_t id = sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 2);
		ir_func *ir;
		if ((err = ir_func_parse(&in->arena, (const char *)sqlite3_column_text(st, 3), &ir)) < 0)
			la_error_prefix("function %s (id %lld): ", name, (long long)id);
		else
			lk_prog_input_add_func(in, id, usr, name, ir);
	}
	la_strset_free(&seen);
	sqlite3_finalize(st);
	return err;
}

static int load_flows(store *s, lk_prog_input *in)
{
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT dst, src_kind, src FROM fnptr_flow", &st);
	if (err < 0)
		return err;
	while (sqlite3_step(st) == SQLITE_ROW)
		lk_prog_input_add_flow(in, (const char *)sqlite3_column_text(st, 0),
				       sqlite3_column_text(st, 1)[0] == 'f', (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return LA_OK;
}

int lk_prog_load(store *s, const rules *r, lk_prog **out)
{
	lk_prog_input in = LK_PROG_INPUT_INIT;
	int err;
	*out = NULL;
	if ((err = load_funcs(s, &in)) < 0 || (err = load_flows(s, &in)) < 0) {
		lk_prog_input_free(&in);
		return err;
	}
	return lk_prog_build(&in, r, out);
}
