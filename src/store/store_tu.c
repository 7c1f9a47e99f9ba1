/* Writing one TU's facts: the worker's text stream becomes rows. The IR
 * blob is kept whole in func.ir; access, call and assertion rows are derived
 * from it so that SQL can answer questions without parsing IR. */
#include "store_int.h"
#include "../ir/ir.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "../util/sexp.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { ST_TU_UPSERT, ST_INCLUDE, ST_DIAG, ST_FUNC, ST_ACCESS, ST_CALL, ST_ASSERT, ST_FLOW, ST_SUPPRESS, ST_COUNT };

static const char *const ingest_sql[ST_COUNT] = {
	[ST_TU_UPSERT] = "INSERT INTO tu(file_id, directory, args, entry, status, error, rss_kb, scanned_at) "
			 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(file_id) DO UPDATE SET "
			 "directory = ?2, args = ?3, entry = ?4, status = ?5, error = ?6, rss_kb = ?7, "
			 "scanned_at = ?8 RETURNING id",
	[ST_INCLUDE] = "INSERT OR IGNORE INTO tu_include VALUES(?1, ?2)",
	[ST_DIAG] = "INSERT INTO diag VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_FUNC] = "INSERT OR IGNORE INTO func(usr, name, file_id, line, col, tu_id, is_static, "
		    "is_inline, in_header, params, ir) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
		    "RETURNING id",
	[ST_ACCESS] = "INSERT INTO access(func_id, block, idx, struct, field, mode, base, expr, file_id, "
		      "line, col) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_CALL] = "INSERT INTO call(func_id, block, idx, call_id, kind, callee_usr, callee, fnkey, args, "
		    "file_id, line, col) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[ST_ASSERT] = "INSERT INTO assertion(func_id, block, idx, macro, cond, file_id, line, col) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_FLOW] = "INSERT OR IGNORE INTO fnptr_flow(tu_id, dst, src_kind, src, src_name, in_func_usr, "
		    "file_id, line, col) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_SUPPRESS] = "INSERT INTO suppression VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
};

typedef struct ingest {
	store *s;
	sqlite3_stmt *st[ST_COUNT];
	int64_t tu_id;
	const char *main_file;
	store_ingest_stats *stats;
	la_strset *header_funcs;
	la_buf tmp;
} ingest;

static int step_done(ingest *g, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_db_error(g->s, what);
	return LA_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static const char *render(ingest *g, const ir_expr *e, const ir_func *f, int names)
{
	la_buf_clear(&g->tmp);
	ir_expr_render(&g->tmp, e, f, names);
	return g->tmp.ptr ? g->tmp.ptr : "";
}

static const char *call_kind(int how)
{
	return how == IR_CALL_ASM ? "asm" : how == IR_CALL_INDIRECT ? "indirect" : "direct";
}

static int derive_rows(ingest *g, int64_t func_id, const ir_func *f)
{
	for (int b = 0; b < f->nblocks; b++) {
		const ir_block *bl = f->blocks[b];
		for (int i = 0; i < bl->nev; i++) {
			const ir_event *e = &bl->ev[i];
			int64_t file_id;
			int err = store_file_id(g->s, e->loc.file ? e->loc.file : "", &file_id);
			if (err < 0)
				return err;
			sqlite3_stmt *st;
			int n;
			switch (e->kind) {
			case IR_EV_ACCESS: {
				st = g->st[ST_ACCESS];
				bind_text(st, 4, e->u.access.sname);
				bind_text(st, 5, e->u.access.field);
				bind_text(st, 6, ir_mode_name(e->u.access.mode));
				bind_text(st, 7, render(g, e->u.access.base, f, 0));
				ir_expr fe = { IR_E_FIELD, e->u.access.arrow, e->u.access.field, e->u.access.sname,
					       e->u.access.base, NULL, NULL };
				bind_text(st, 8, render(g, &fe, f, 1));
				n = 9;
				g->stats->accesses++;
				break;
			}
			case IR_EV_CALL: {
				st = g->st[ST_CALL];
				sqlite3_bind_int(st, 4, e->u.call.id);
				bind_text(st, 5, call_kind(e->u.call.how));
				bind_text(st, 6, e->u.call.usr);
				bind_text(st, 7, e->u.call.name);
				bind_text(st, 8, e->u.call.fnkey);
				la_buf args = LA_BUF_INIT;
				for (int a = 0; a < e->u.call.nargs; a++) {
					if (a)
						la_buf_puts(&args, ", ");
					ir_expr_render(&args, e->u.call.args[a], f, 1);
				}
				bind_text(st, 9, args.ptr ? args.ptr : "");
				la_buf_free(&args);
				n = 10;
				g->stats->calls++;
				break;
			}
			case IR_EV_ASSERT:
				st = g->st[ST_ASSERT];
				bind_text(st, 4, e->u.assert_.macro);
				bind_text(st, 5, render(g, e->u.assert_.cond, f, 1));
				n = 6;
				g->stats->asserts++;
				break;
			default:
				continue;
			}
			sqlite3_bind_int64(st, 1, func_id);
			sqlite3_bind_int(st, 2, b);
			sqlite3_bind_int(st, 3, i);
			sqlite3_bind_int64(st, n, file_id);
			sqlite3_bind_int(st, n + 1, e->loc.line);
			sqlite3_bind_int(st, n + 2, e->loc.col);
			if ((err = step_done(g, st, "recording an event")) < 0)
				return err;
		}
	}
	return LA_OK;
}

static int ingest_func(ingest *g, const sx *form, const char *text_start, const char *text_end)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f;
	int err = ir_func_read(&a, form, &f);
	if (err < 0) {
		la_arena_free(&a);
		return err;
	}
	int64_t file_id;
	if ((err = store_file_id(g->s, f->loc.file ? f->loc.file : "", &file_id)) < 0)
		goto out;
	sqlite3_stmt *st = g->st[ST_FUNC];
	la_buf params = LA_BUF_INIT;
	for (int i = 0; i < f->nparams; i++)
		la_buf_printf(&params, "%s%s %s", i ? ", " : "", f->params[i].type ? f->params[i].type : "?",
			      f->params[i].name ? f->params[i].name : "");
	bind_text(st, 1, f->usr);
	bind_text(st, 2, f->name);
	sqlite3_bind_int64(st, 3, file_id);
	sqlite3_bind_int(st, 4, f->loc.line);
	sqlite3_bind_int(st, 5, f->loc.col);
	sqlite3_bind_int64(st, 6, g->tu_id);
	sqlite3_bind_int(st, 7, f->is_static);
	sqlite3_bind_int(st, 8, f->is_inline);
	sqlite3_bind_int(st, 9, f->loc.file && strcmp(f->loc.file, g->main_file) != 0);
	bind_text(st, 10, params.ptr ? params.ptr : "");
	sqlite3_bind_text(st, 11, text_start, (int)(text_end - text_start), SQLITE_TRANSIENT);
	la_buf_free(&params);
	int in_header = f->loc.file && strcmp(f->loc.file, g->main_file) != 0;
	int rc = sqlite3_step(st);
	int64_t func_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = store_db_error(g->s, "recording a function");
		goto out;
	}
	if (!func_id) {   /* a header function another TU already stored */
		g->stats->funcs_dup++;
		goto out;
	}
	g->stats->funcs++;
	/* Only a function this TU now owns is known: a copy ignored because an
	 * older owner still has it must be lowered again by that owner. */
	if (in_header && g->header_funcs) {
		la_buf_clear(&g->tmp);
		la_buf_printf(&g->tmp, "%s\t%s:%d", f->usr ? f->usr : "", f->loc.file, f->loc.line);
		la_strset_add(g->header_funcs, g->tmp.ptr);
	}
	err = derive_rows(g, func_id, f);
out:
	ir_func_free(f);
	la_arena_free(&a);
	return err;
}

static int ingest_flow(ingest *g, const sx *x)
{
	int64_t file_id;
	int err = store_file_id(g->s, sx_str(sx_at(x, 6)) ? sx_str(sx_at(x, 6)) : "", &file_id);
	if (err < 0)
		return err;
	sqlite3_stmt *st = g->st[ST_FLOW];
	sqlite3_bind_int64(st, 1, g->tu_id);
	bind_text(st, 2, sx_str(sx_at(x, 1)));
	bind_text(st, 3, sx_str(sx_at(x, 2)));
	bind_text(st, 4, sx_str(sx_at(x, 3)));
	const char *name = sx_str(sx_at(x, 4)), *in = sx_str(sx_at(x, 5));
	bind_text(st, 5, name && *name ? name : NULL);
	bind_text(st, 6, in && *in ? in : NULL);
	sqlite3_bind_int64(st, 7, file_id);
	sqlite3_bind_int(st, 8, (int)sx_int(sx_at(x, 7), 0));
	sqlite3_bind_int(st, 9, (int)sx_int(sx_at(x, 8), 0));
	g->stats->flows++;
	return step_done(g, st, "recording a function-pointer flow");
}

static int ingest_suppression(ingest *g, const sx *x)
{
	int64_t file_id;
	int err = store_file_id(g->s, sx_str(sx_at(x, 1)) ? sx_str(sx_at(x, 1)) : "", &file_id);
	if (err < 0)
		return err;
	sqlite3_stmt *st = g->st[ST_SUPPRESS];
	sqlite3_bind_int64(st, 1, g->tu_id);
	sqlite3_bind_int64(st, 2, file_id);
	sqlite3_bind_int(st, 3, (int)sx_int(sx_at(x, 2), 0));
	sqlite3_bind_int(st, 4, (int)sx_int(sx_at(x, 3), 0));
	bind_text(st, 5, sx_str(sx_at(x, 4)) ? sx_str(sx_at(x, 4)) : "");
	bind_text(st, 6, sx_str(sx_at(x, 5)) ? sx_str(sx_at(x, 5)) : "");
	return step_done(g, st, "recording a suppression comment");
}

static int ingest_diag(ingest *g, const sx *x)
{
	int64_t file_id;
	int err = store_file_id(g->s, sx_str(sx_at(x, 2)) ? sx_str(sx_at(x, 2)) : "", &file_id);
	if (err < 0)
		return err;
	sqlite3_stmt *st = g->st[ST_DIAG];
	sqlite3_bind_int64(st, 1, g->tu_id);
	bind_text(st, 2, sx_str(sx_at(x, 1)));
	sqlite3_bind_int64(st, 3, file_id);
	sqlite3_bind_int(st, 4, (int)sx_int(sx_at(x, 3), 0));
	sqlite3_bind_int(st, 5, (int)sx_int(sx_at(x, 4), 0));
	bind_text(st, 6, sx_str(sx_at(x, 5)));
	return step_done(g, st, "recording a diagnostic");
}

static char *join_args(const fe_tu_cmd *cmd)
{
	la_buf b = LA_BUF_INIT;
	for (int i = 0; i < cmd->argc; i++) {
		if (i)
			la_buf_putc(&b, ' ');
		la_buf_puts(&b, cmd->argv[i]);
	}
	return la_buf_detach(&b);
}

static void ingest_finish(ingest *g)
{
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(g->st[i]);
	la_buf_free(&g->tmp);
}

/* Analysis results name the facts they were computed from. */
static int bump_generation(store *s)
{
	return store_exec(s, "INSERT INTO meta VALUES('facts_generation', '1') ON CONFLICT(key) DO UPDATE "
			     "SET value = CAST(value AS INTEGER) + 1");
}

static int run_for_tu(store *s, const char *const *sql, int n, int64_t tu_id)
{
	for (int i = 0; i < n; i++) {
		sqlite3_stmt *d;
		int err = store_prepare(s, sql[i], &d);
		if (err < 0)
			return err;
		sqlite3_bind_int64(d, 1, tu_id);
		int rc = sqlite3_step(d);
		sqlite3_finalize(d);
		if (rc != SQLITE_DONE)
			return store_db_error(s, "clearing a TU's facts");
	}
	return LA_OK;
}

/* Everything a TU contributed; the tu row itself too when with_row. */
static const char *const clear_sql[] = {
	"DELETE FROM diag WHERE tu_id = ?1",
	"DELETE FROM access WHERE func_id IN (SELECT id FROM func WHERE tu_id = ?1)",
	"DELETE FROM call WHERE func_id IN (SELECT id FROM func WHERE tu_id = ?1)",
	"DELETE FROM assertion WHERE func_id IN (SELECT id FROM func WHERE tu_id = ?1)",
	"DELETE FROM func WHERE tu_id = ?1",
	"DELETE FROM fnptr_flow WHERE tu_id = ?1",
	"DELETE FROM suppression WHERE tu_id = ?1",
	"DELETE FROM tu_include WHERE tu_id = ?1",
	"DELETE FROM tu WHERE id = ?1",
};

int store_tu_clear(store *s, int64_t tu_id, int with_row)
{
	int n = (int)(sizeof(clear_sql) / sizeof(clear_sql[0]));
	return run_for_tu(s, clear_sql, with_row ? n : n - 1, tu_id);
}

int store_tu_clear_diags(store *s, int64_t tu_id)
{
	return run_for_tu(s, clear_sql, 1, tu_id);
}

/* Prepare statements, record the TU row with `status`, drop what `clear`
 * says (0: diagnostics only, 1: all facts of the TU). */
static int ingest_start(ingest *g, store *s, const fe_tu_cmd *cmd, const char *status,
			const char *error, long rss_kb, int clear)
{
	memset(g, 0, sizeof(*g));
	g->s = s;
	g->main_file = cmd->file;
	int err;
	for (int i = 0; i < ST_COUNT; i++)
		if ((err = store_prepare(s, ingest_sql[i], &g->st[i])) < 0)
			return err;
	int64_t file_id;
	if ((err = store_file_id(s, cmd->file, &file_id)) < 0)
		return err;
	sqlite3_stmt *st = g->st[ST_TU_UPSERT];
	char *args = join_args(cmd);
	sqlite3_bind_int64(st, 1, file_id);
	bind_text(st, 2, cmd->directory);
	bind_text(st, 3, args);
	sqlite3_bind_int(st, 4, cmd->index);
	bind_text(st, 5, status);
	bind_text(st, 6, error);
	sqlite3_bind_int64(st, 7, rss_kb);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	g->tu_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	free(args);
	if (!g->tu_id)
		return store_db_error(s, "recording a TU");
	return clear ? store_tu_clear(s, g->tu_id, 0) : store_tu_clear_diags(s, g->tu_id);
}

/* Diagnostics out of a (possibly truncated) worker stream. */
static int ingest_diags_only(ingest *g, const char *text)
{
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err = LA_OK, perr;
	sx *x;
	while (text && (x = sx_read(&a, text, &pos, &perr)) != NULL) {
		/* diagnostics come first, except one that made lowering stop */
		if (sx_is(x, "diag") && (err = ingest_diag(g, x)) < 0)
			break;
		la_arena_free(&a);
	}
	la_arena_free(&a);
	return err;
}

int store_tu_fail(store *s, const fe_tu_cmd *cmd, const char *error, const char *diags, long rss_kb)
{
	ingest g;
	int err = store_begin(s);
	if (err < 0)
		return err;
	store_ingest_stats dummy;
	if ((err = ingest_start(&g, s, cmd, "failed", error, rss_kb, 0)) < 0)
		goto fail;
	g.stats = &dummy;
	if ((err = ingest_diags_only(&g, diags)) < 0)
		goto fail;
	ingest_finish(&g);
	return store_commit(s);
fail:
	ingest_finish(&g);
	store_rollback(s);
	return err;
}

int store_tu_ingest(store *s, const fe_tu_cmd *cmd, const char *salt, const char *text, long rss_kb,
		    store_ingest_stats *stats, la_strset *header_funcs)
{
	memset(stats, 0, sizeof(*stats));
	/* A worker that reported a fatal parse error: failed, facts kept. */
	if (strstr(text, "\n(status failed)"))
		return store_tu_fail(s, cmd, "fatal parse error", text, rss_kb);
	ingest g;
	la_arena a = LA_ARENA_INIT;
	int err = store_begin(s);
	if (err < 0)
		return err;
	if ((err = ingest_start(&g, s, cmd, "ok", NULL, rss_kb, 1)) < 0)
		goto fail;
	g.stats = stats;
	g.header_funcs = header_funcs;
	size_t pos = 0;
	int done = 0, perr = LA_OK;
	long parse_ms = 0;
	sx *x;
	size_t before = pos;
	while ((x = sx_read(&a, text, &pos, &perr)) != NULL) {
		const char *h = sx_head(x);
		const char *form_text = text + before;
		while (*form_text != '(' && form_text < text + pos)
			form_text++;
		before = pos;
		if (!h) {
			err = la_error_code(LA_EPARSE, "worker output line %d: expected a list", sx_line(x));
			goto fail;
		}
		if (strcmp(h, "lair") == 0) {
			if (sx_int(sx_at(x, 1), -1) != IR_TEXT_VERSION) {
				err = la_error_code(LA_EPARSE, "worker output: IR version mismatch");
				goto fail;
			}
		} else if (strcmp(h, "include") == 0) {
			int64_t fid;
			if ((err = store_file_id(s, sx_str(sx_at(x, 1)) ? sx_str(sx_at(x, 1)) : "", &fid)) < 0)
				goto fail;
			sqlite3_bind_int64(g.st[ST_INCLUDE], 1, g.tu_id);
			sqlite3_bind_int64(g.st[ST_INCLUDE], 2, fid);
			if ((err = step_done(&g, g.st[ST_INCLUDE], "recording an include")) < 0)
				goto fail;
		} else if (strcmp(h, "diag") == 0) {
			if ((err = ingest_diag(&g, x)) < 0)
				goto fail;
		} else if (strcmp(h, "func") == 0) {
			/* the blob is the form's own text (comments are not written) */
			if ((err = ingest_func(&g, x, form_text, text + pos)) < 0)
				goto fail;
		} else if (strcmp(h, "flow") == 0) {
			if ((err = ingest_flow(&g, x)) < 0)
				goto fail;
		} else if (strcmp(h, "suppress") == 0) {
			if ((err = ingest_suppression(&g, x)) < 0)
				goto fail;
		} else if (strcmp(h, "parse-ms") == 0) {
			parse_ms = (long)sx_int(sx_at(x, 1), 0);
		} else if (strcmp(h, "done") == 0) {
			done = 1;
		}
		/* tu, status: informational */
		la_arena_free(&a);
	}
	if (perr < 0) {
		err = perr;
		goto fail;
	}
	if (!done) {
		err = la_error_code(LA_EPARSE, "worker output ends early (no (done) record)");
		goto fail;
	}
	char fp[17];
	if ((err = store_tu_fingerprint(s, g.tu_id, cmd, salt, fp)) < 0)
		goto fail;
	sqlite3_stmt *st;
	if ((err = store_prepare(s, "UPDATE tu SET fingerprint = ?2, parse_ms = ?3 WHERE id = ?1", &st)) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, g.tu_id);
	sqlite3_bind_text(st, 2, fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, parse_ms);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		err = store_db_error(s, "recording a fingerprint");
		goto fail;
	}
	if ((err = bump_generation(s)) < 0)
		goto fail;
	ingest_finish(&g);
	la_arena_free(&a);
	return store_commit(s);
fail:
	la_error_prefix("%s: ", cmd->file);
	ingest_finish(&g);
	la_arena_free(&a);
	store_rollback(s);
	return err;
}
