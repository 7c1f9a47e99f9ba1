/* Text form of a function's IR. Files are numbered per function so a
 * location is the atom FILE:LINE:COL. Grammar in docs/ir.md. */
#include "ir.h"
#include "../util/error.h"
#include "../util/sexp.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* --- writing --- */

typedef struct writer {
	la_buf *b;
	const char **files;
	int nfiles, capfiles;
} writer;

static int file_index(writer *w, const char *file)
{
	if (!file)
		file = "";
	for (int i = 0; i < w->nfiles; i++)
		if (w->files[i] == file || strcmp(w->files[i], file) == 0)
			return i;
	LA_VEC_PUSH(w->files, w->nfiles, w->capfiles);
	w->files[w->nfiles] = file;
	return w->nfiles++;
}

static void put_loc(writer *w, ir_loc loc)
{
	la_buf_printf(w->b, " %d:%d:%d", file_index(w, loc.file), loc.line, loc.col);
}

static void put_s(la_buf *b, const char *s)
{
	la_buf_putc(b, ' ');
	sx_put_str(b, s ? s : "");
}

static void put_expr(la_buf *b, const ir_expr *e)
{
	la_buf_putc(b, ' ');
	if (!e) {
		la_buf_putc(b, '?');
		return;
	}
	switch (e->kind) {
	case IR_E_UNKNOWN: la_buf_putc(b, '?'); return;
	case IR_E_NULL: la_buf_puts(b, "null"); return;
	case IR_E_STR: la_buf_puts(b, "str"); return;
	case IR_E_INT: la_buf_printf(b, "(int %lld)", e->ival); return;
	case IR_E_PARAM: la_buf_printf(b, "(param %lld", e->ival); put_s(b, e->name); break;
	case IR_E_LOCAL: la_buf_puts(b, "(local"); put_s(b, e->name); break;
	case IR_E_GLOBAL: la_buf_puts(b, "(global"); put_s(b, e->name); put_s(b, e->sname); break;
	case IR_E_FUNC: la_buf_puts(b, "(func"); put_s(b, e->name); put_s(b, e->sname); break;
	case IR_E_FIELD:
		la_buf_puts(b, "(fld");
		put_s(b, e->sname);
		put_s(b, e->name);
		la_buf_printf(b, " %d", e->ival ? 1 : 0);
		put_expr(b, e->a);
		break;
	case IR_E_DEREF: la_buf_puts(b, "(deref"); put_expr(b, e->a); break;
	case IR_E_ADDR: la_buf_puts(b, "(addr"); put_expr(b, e->a); break;
	case IR_E_INDEX: la_buf_puts(b, "(index"); put_expr(b, e->a); put_expr(b, e->b); break;
	case IR_E_CALLRET: la_buf_printf(b, "(ret %lld", e->ival); put_s(b, e->name); break;
	case IR_E_UNOP: la_buf_puts(b, "(un"); put_s(b, e->name); put_expr(b, e->a); break;
	case IR_E_BINOP:
		la_buf_puts(b, "(bin");
		put_s(b, e->name);
		put_expr(b, e->a);
		put_expr(b, e->b);
		break;
	case IR_E_COND:
		la_buf_puts(b, "(cond");
		put_expr(b, e->a);
		put_expr(b, e->b);
		put_expr(b, e->c);
		break;
	}
	la_buf_putc(b, ')');
}

static const char *how_name(int how)
{
	return how == IR_CALL_ASM ? "asm" : how == IR_CALL_INDIRECT ? "indirect" : "direct";
}

static void put_event(writer *w, const ir_event *e)
{
	la_buf *b = w->b;
	la_buf_puts(b, "\n  (");
	switch (e->kind) {
	case IR_EV_CALL:
		la_buf_printf(b, "call %d %s", e->u.call.id, how_name(e->u.call.how));
		put_s(b, e->u.call.name);
		put_s(b, e->u.call.usr);
		put_s(b, e->u.call.fnkey);
		put_loc(w, e->loc);
		for (int i = 0; i < e->u.call.nargs; i++)
			put_expr(b, e->u.call.args[i]);
		break;
	case IR_EV_ACCESS:
		la_buf_puts(b, "access");
		put_s(b, e->u.access.sname);
		put_s(b, e->u.access.field);
		la_buf_printf(b, " %s %d", ir_mode_name(e->u.access.mode), e->u.access.arrow);
		put_loc(w, e->loc);
		put_expr(b, e->u.access.base);
		break;
	case IR_EV_ASSERT:
		la_buf_puts(b, "assert");
		put_s(b, e->u.assert_.macro);
		put_loc(w, e->loc);
		put_expr(b, e->u.assert_.cond);
		if (e->u.assert_.text)
			put_s(b, e->u.assert_.text);
		break;
	case IR_EV_ASSIGN:
		la_buf_puts(b, "assign");
		put_loc(w, e->loc);
		put_expr(b, e->u.assign.lhs);
		put_expr(b, e->u.assign.rhs);
		break;
	case IR_EV_RETURN:
		la_buf_puts(b, "return");
		put_loc(w, e->loc);
		if (e->u.ret.value)
			put_expr(b, e->u.ret.value);
		break;
	}
	la_buf_putc(b, ')');
}

void ir_func_write(la_buf *out, const ir_func *f)
{
	/* Body first (collecting files), then the header with the file table. */
	la_buf body = LA_BUF_INIT;
	writer w = { &body, NULL, 0, 0 };
	int floc = file_index(&w, f->loc.file);
	for (int i = 0; i < f->nannots; i++) {
		const ir_annot *an = &f->annots[i];
		la_buf_puts(&body, "\n (annot");
		put_s(&body, ir_annot_macro(an->kind));
		put_loc(&w, an->loc);
		put_expr(&body, an->lock);
		put_s(&body, an->text);
		la_buf_putc(&body, ')');
	}
	if (f->end.file) {
		la_buf_puts(&body, "\n (end");
		put_loc(&w, f->end);
		la_buf_putc(&body, ')');
	}
	for (int i = 0; i < f->nblocks; i++) {
		const ir_block *bl = f->blocks[i];
		la_buf_printf(&body, "\n (block %d", bl->id);
		for (int j = 0; j < bl->nev; j++)
			put_event(&w, &bl->ev[j]);
		la_buf_puts(&body, "\n  (term");
		if (bl->cond)
			put_expr(&body, bl->cond);
		else
			la_buf_puts(&body, " -");
		for (int j = 0; j < bl->nsucc; j++) {
			la_buf_printf(&body, " (%d", bl->succ[j]);
			if (bl->label && bl->label[j])
				put_s(&body, bl->label[j]);
			la_buf_putc(&body, ')');
		}
		la_buf_puts(&body, bl->noreturn ? ") (noreturn))" : "))");
	}
	la_buf_printf(out, "(func %d", IR_TEXT_VERSION);
	put_s(out, f->name);
	put_s(out, f->usr);
	la_buf_printf(out, " %d:%d:%d (static %d) (inline %d) (ncalls %d)\n (files", floc,
		      f->loc.line, f->loc.col, f->is_static, f->is_inline, f->ncalls);
	for (int i = 0; i < w.nfiles; i++)
		put_s(out, w.files[i]);
	la_buf_putc(out, ')');
	if (f->section) {
		la_buf_puts(out, "\n (section");
		put_s(out, f->section);
		la_buf_putc(out, ')');
	}
	la_buf_puts(out, "\n (params");
	for (int i = 0; i < f->nparams; i++) {
		la_buf_puts(out, " (");
		sx_put_str(out, f->params[i].name ? f->params[i].name : "");
		put_s(out, f->params[i].type);
		la_buf_putc(out, ')');
	}
	la_buf_putc(out, ')');
	la_buf_put(out, body.ptr ? body.ptr : "", body.len);
	la_buf_puts(out, ")\n");
	la_buf_free(&body);
	free(w.files);
}

/* --- reading --- */

typedef struct reader {
	la_arena *a;
	const char **files;
	int nfiles;
	int err;
	const sx *form;   /* the (func ...) form, for messages about missing parts */
} reader;

static int bad(reader *r, const sx *x, const char *what)
{
	if (!r->err)
		r->err = la_error_code(LA_EPARSE, "IR line %d: expected %s", sx_line(x ? x : r->form), what);
	return r->err;
}

static const char *dup_str(reader *r, const sx *x)
{
	const char *s = sx_str(x);
	if (!s)
		return NULL;
	return *s ? la_arena_strdup(r->a, s) : NULL;
}

static ir_loc get_loc(reader *r, const sx *x)
{
	ir_loc loc = { NULL, 0, 0 };
	const char *s = sx_str(x);
	int fi, line, col;
	if (!s || sscanf(s, "%d:%d:%d", &fi, &line, &col) != 3 || fi < 0 || fi >= r->nfiles) {
		bad(r, x, "a location FILE:LINE:COL");
		return loc;
	}
	loc.file = r->files[fi];
	loc.line = line;
	loc.col = col;
	return loc;
}

static ir_expr *get_expr(reader *r, const sx *x)
{
	if (!x)
		return bad(r, x, "an expression"), NULL;
	if (x->kind == SX_ATOM) {
		if (strcmp(x->s, "?") == 0)
			return ir_expr_new(r->a, IR_E_UNKNOWN);
		if (strcmp(x->s, "null") == 0)
			return ir_expr_new(r->a, IR_E_NULL);
		if (strcmp(x->s, "str") == 0)
			return ir_expr_new(r->a, IR_E_STR);
		return bad(r, x, "an expression"), NULL;
	}
	const char *h = sx_head(x);
	if (!h)
		return bad(r, x, "an expression"), NULL;
	static const struct { const char *head; ir_expr_kind kind; int nsub; } tab[] = {
		{ "int", IR_E_INT, 0 }, { "param", IR_E_PARAM, 0 }, { "local", IR_E_LOCAL, 0 },
		{ "global", IR_E_GLOBAL, 0 }, { "func", IR_E_FUNC, 0 }, { "fld", IR_E_FIELD, 1 },
		{ "deref", IR_E_DEREF, 1 }, { "addr", IR_E_ADDR, 1 }, { "index", IR_E_INDEX, 2 },
		{ "ret", IR_E_CALLRET, 0 }, { "un", IR_E_UNOP, 1 }, { "bin", IR_E_BINOP, 2 },
		{ "cond", IR_E_COND, 3 },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(tab[i].head, h) != 0)
			continue;
		ir_expr *e = ir_expr_new(r->a, tab[i].kind);
		int first_sub = x->n - tab[i].nsub;
		switch (tab[i].kind) {
		case IR_E_INT: e->ival = sx_int(sx_at(x, 1), 0); break;
		case IR_E_PARAM: e->ival = sx_int(sx_at(x, 1), 0); e->name = dup_str(r, sx_at(x, 2)); break;
		case IR_E_LOCAL: e->name = dup_str(r, sx_at(x, 1)); break;
		case IR_E_GLOBAL:
		case IR_E_FUNC: e->name = dup_str(r, sx_at(x, 1)); e->sname = dup_str(r, sx_at(x, 2)); break;
		case IR_E_FIELD:
			e->sname = dup_str(r, sx_at(x, 1));
			e->name = dup_str(r, sx_at(x, 2));
			e->ival = sx_int(sx_at(x, 3), 0);
			break;
		case IR_E_CALLRET: e->ival = sx_int(sx_at(x, 1), -1); e->name = dup_str(r, sx_at(x, 2)); break;
		case IR_E_UNOP:
		case IR_E_BINOP: e->name = dup_str(r, sx_at(x, 1)); break;
		default: break;
		}
		if (first_sub < 1)
			return bad(r, x, "more operands"), NULL;
		if (tab[i].nsub >= 1) e->a = get_expr(r, sx_at(x, first_sub));
		if (tab[i].nsub >= 2) e->b = get_expr(r, sx_at(x, first_sub + 1));
		if (tab[i].nsub >= 3) e->c = get_expr(r, sx_at(x, first_sub + 2));
		return e;
	}
	return bad(r, x, "a known expression head"), NULL;
}

static ir_mode mode_of(reader *r, const sx *x)
{
	const char *s = sx_str(x);
	if (s && strcmp(s, "read") == 0) return IR_READ;
	if (s && strcmp(s, "write") == 0) return IR_WRITE;
	if (s && strcmp(s, "addr") == 0) return IR_ADDR;
	bad(r, x, "read, write or addr");
	return IR_READ;
}

static void get_event(reader *r, ir_func *f, ir_block *bl, const sx *x)
{
	const char *h = sx_head(x);
	ir_event *e;
	if (!h) {
		bad(r, x, "an event");
		return;
	}
	if (strcmp(h, "call") == 0) {
		e = ir_block_add(f, bl, IR_EV_CALL, get_loc(r, sx_at(x, 6)));
		e->u.call.id = (int)sx_int(sx_at(x, 1), -1);
		const char *how = sx_str(sx_at(x, 2));
		e->u.call.how = !how ? IR_CALL_DIRECT : strcmp(how, "asm") == 0 ? IR_CALL_ASM
			: strcmp(how, "indirect") == 0 ? IR_CALL_INDIRECT : IR_CALL_DIRECT;
		e->u.call.name = dup_str(r, sx_at(x, 3));
		e->u.call.usr = dup_str(r, sx_at(x, 4));
		e->u.call.fnkey = dup_str(r, sx_at(x, 5));
		e->u.call.nargs = x->n - 7 > 0 ? x->n - 7 : 0;
		e->u.call.args = la_arena_alloc(r->a, sizeof(ir_expr *) * (size_t)(e->u.call.nargs + 1));
		for (int i = 0; i < e->u.call.nargs; i++)
			e->u.call.args[i] = get_expr(r, sx_at(x, 7 + i));
	} else if (strcmp(h, "access") == 0) {
		e = ir_block_add(f, bl, IR_EV_ACCESS, get_loc(r, sx_at(x, 5)));
		e->u.access.sname = dup_str(r, sx_at(x, 1));
		e->u.access.field = dup_str(r, sx_at(x, 2));
		e->u.access.mode = mode_of(r, sx_at(x, 3));
		e->u.access.arrow = (int)sx_int(sx_at(x, 4), 0);
		e->u.access.base = get_expr(r, sx_at(x, 6));
	} else if (strcmp(h, "assert") == 0) {
		e = ir_block_add(f, bl, IR_EV_ASSERT, get_loc(r, sx_at(x, 2)));
		e->u.assert_.macro = dup_str(r, sx_at(x, 1));
		e->u.assert_.cond = get_expr(r, sx_at(x, 3));
		e->u.assert_.text = dup_str(r, sx_at(x, 4));   /* absent before lowering version 9 */
	} else if (strcmp(h, "assign") == 0) {
		e = ir_block_add(f, bl, IR_EV_ASSIGN, get_loc(r, sx_at(x, 1)));
		e->u.assign.lhs = get_expr(r, sx_at(x, 2));
		e->u.assign.rhs = get_expr(r, sx_at(x, 3));
	} else if (strcmp(h, "return") == 0) {
		e = ir_block_add(f, bl, IR_EV_RETURN, get_loc(r, sx_at(x, 1)));
		if (x->n > 2)
			e->u.ret.value = get_expr(r, sx_at(x, 2));
	} else if (strcmp(h, "term") == 0) {
		const sx *c = sx_at(x, 1);
		if (!(c && c->kind == SX_ATOM && strcmp(c->s, "-") == 0))
			bl->cond = get_expr(r, c);
		for (int i = 2; i < x->n; i++) {
			const sx *s = sx_at(x, i);
			int to = (int)sx_int(sx_at(s, 0), -1);
			LA_VEC_PUSH(bl->succ, bl->nsucc, bl->capsucc);
			bl->label = xrealloc(bl->label, sizeof(*bl->label) * (size_t)bl->capsucc);
			bl->succ[bl->nsucc] = to;
			bl->label[bl->nsucc] = dup_str(r, sx_at(s, 1));
			bl->nsucc++;
		}
	} else if (strcmp(h, "noreturn") == 0) {
		bl->noreturn = 1;
	} else {
		bad(r, x, "call, access, assert, assign, return or term");
	}
}

int ir_func_read(la_arena *a, const sx *x, ir_func **out)
{
	reader r = { a, NULL, 0, LA_OK, x };
	*out = NULL;
	if (!sx_is(x, "func"))
		return bad(&r, x, "(func ...)");
	if (sx_int(sx_at(x, 1), -1) != IR_TEXT_VERSION)
		return la_error_code(LA_EPARSE, "IR line %d: IR text version %s, this lockaudit reads %d "
				     "(rescan with --full)", sx_line(x), sx_str(sx_at(x, 1)) ? sx_str(sx_at(x, 1)) : "?",
				     IR_TEXT_VERSION);
	ir_func *f = ir_func_new(a, sx_str(sx_at(x, 2)) ? sx_str(sx_at(x, 2)) : "", sx_str(sx_at(x, 3)));
	int i = 5;
	for (; i < x->n; i++) {
		const sx *item = sx_at(x, i);
		if (sx_is(item, "static"))
			f->is_static = (int)sx_int(sx_at(item, 1), 0);
		else if (sx_is(item, "inline"))
			f->is_inline = (int)sx_int(sx_at(item, 1), 0);
		else if (sx_is(item, "section"))
			f->section = dup_str(&r, sx_at(item, 1));
		else if (sx_is(item, "ncalls"))
			f->ncalls = (int)sx_int(sx_at(item, 1), 0);
		else if (sx_is(item, "files")) {
			r.nfiles = item->n - 1;
			r.files = la_arena_alloc(a, sizeof(char *) * (size_t)(r.nfiles + 1));
			for (int j = 0; j < r.nfiles; j++)
				r.files[j] = la_arena_strdup(a, sx_str(sx_at(item, j + 1)) ? sx_str(sx_at(item, j + 1)) : "");
		} else if (sx_is(item, "params")) {
			f->nparams = item->n - 1;
			f->params = la_arena_alloc(a, sizeof(ir_param) * (size_t)(f->nparams + 1));
			for (int j = 0; j < f->nparams; j++) {
				f->params[j].name = dup_str(&r, sx_at(sx_at(item, j + 1), 0));
				f->params[j].type = dup_str(&r, sx_at(sx_at(item, j + 1), 1));
			}
		} else if (sx_is(item, "annot")) {
			int kind = ir_annot_kind_of(sx_str(sx_at(item, 1)));
			if (kind < 0) {
				bad(&r, item, "an annotation macro (__must_hold, __acquires, __releases)");
				goto fail;
			}
			ir_loc at = get_loc(&r, sx_at(item, 2));
			ir_expr *lock = get_expr(&r, sx_at(item, 3));
			if (!r.err)
				ir_func_add_annot(f, (ir_annot_kind)kind, at, lock, dup_str(&r, sx_at(item, 4)));
		} else if (sx_is(item, "end")) {
			f->end = get_loc(&r, sx_at(item, 1));
		} else if (sx_is(item, "block")) {
			ir_block *bl = ir_block_new(f);
			if (sx_int(sx_at(item, 1), -1) != bl->id) {
				bad(&r, item, "blocks numbered in order");
				goto fail;
			}
			for (int j = 2; j < item->n && !r.err; j++)
				get_event(&r, f, bl, sx_at(item, j));
		} else {
			bad(&r, item, "static, inline, ncalls, files, section, params, annot, end or block");
			goto fail;
		}
		if (r.err)
			goto fail;
	}
	f->loc = get_loc(&r, sx_at(x, 4));
	for (int b = 0; b < f->nblocks && !r.err; b++)
		for (int s = 0; s < f->blocks[b]->nsucc; s++)
			if (f->blocks[b]->succ[s] < 0 || f->blocks[b]->succ[s] >= f->nblocks) {
				bad(&r, x, "successor block ids in range");
				goto fail;
			}
	if (r.err)
		goto fail;
	*out = f;
	return LA_OK;
fail:
	ir_func_free(f);   /* the blocks' arrays are on the heap, not in the arena */
	return r.err;
}

int ir_func_parse(la_arena *a, const char *text, ir_func **out)
{
	size_t pos = 0;
	int err;
	sx *x = sx_read(a, text, &pos, &err);
	if (!x)
		return err ? err : la_error_code(LA_EPARSE, "empty IR text");
	return ir_func_read(a, x, out);
}
