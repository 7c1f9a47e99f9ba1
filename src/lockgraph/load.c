/* Reading the program from the store: every function's IR, one definition
 * per USR (the row with the lowest id), and the function-pointer flows;
 * program.c builds the program from them (lk_prog_build). Functions of TUs
 * outside the rules' "scope" (host tools) are left out. */
#include "analysis.h"
#include "../store/store_int.h"
#include "../util/error.h"

static int load_funcs(store *s, const rules *r, lk_prog_input *in, int *outside)
{
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT f.id, f.usr, f.name, f.ir, t.args, t.id FROM func f "
				"LEFT JOIN tu t ON t.id = f.tu_id ORDER BY f.id", &st);
	if (err < 0)
		return err;
	la_strset seen = LA_STRSET_INIT;   /* a header's function stored by several TUs */
	la_strset out_tus = LA_STRSET_INIT;
	while (err >= 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *usr = (const char *)sqlite3_column_text(st, 1);
		const char *args = (const char *)sqlite3_column_text(st, 4);
		if (args && !rules_in_scope(r, args)) {
			la_strset_add(&out_tus, (const char *)sqlite3_column_text(st, 5));
			continue;
		}
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
	*outside = (int)out_tus.n;
	la_strset_free(&out_tus);
	la_strset_free(&seen);
	sqlite3_finalize(st);
	return err;
}

static int load_flows(store *s, const rules *r, lk_prog_input *in)
{
	sqlite3_stmt *st;
	int err = store_prepare(s, "SELECT w.dst, w.src_kind, w.src, t.args FROM fnptr_flow w "
				"LEFT JOIN tu t ON t.id = w.tu_id", &st);
	if (err < 0)
		return err;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (!sqlite3_column_text(st, 3) || rules_in_scope(r, (const char *)sqlite3_column_text(st, 3)))
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
	int outside = 0;
	if ((err = load_funcs(s, r, &in, &outside)) < 0 || (err = load_flows(s, r, &in)) < 0) {
		lk_prog_input_free(&in);
		return err;
	}
	if ((err = lk_prog_build(&in, r, out)) >= 0)
		(*out)->stats.outside_tus = outside;
	return err;
}
