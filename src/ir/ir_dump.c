/* Human-readable CFG listing, used by `lockaudit ir` and by the lowering
 * tests, whose expected output is this text. Lines, not columns, are shown
 * so expectations stay readable. */
#include "ir.h"
#include "../util/error.h"
#include "../util/sexp.h"

#include <string.h>

static void dump_event(la_buf *b, const ir_event *e, const ir_func *f)
{
	switch (e->kind) {
	case IR_EV_CALL:
		la_buf_printf(b, "call%s#%d ", e->u.call.how == IR_CALL_ASM ? " asm" :
			      e->u.call.how == IR_CALL_INDIRECT ? "*" : "", e->u.call.id);
		la_buf_puts(b, e->u.call.name ? e->u.call.name : "?");
		la_buf_putc(b, '(');
		for (int i = 0; i < e->u.call.nargs; i++) {
			if (i)
				la_buf_puts(b, ", ");
			ir_expr_render(b, e->u.call.args[i], f, 0);
		}
		la_buf_putc(b, ')');
		if (e->u.call.how != IR_CALL_DIRECT)
			la_buf_printf(b, " [%s]", e->u.call.fnkey ? e->u.call.fnkey : "?");
		break;
	case IR_EV_ACCESS:
		la_buf_printf(b, "%s %s.%s ", ir_mode_name(e->u.access.mode), e->u.access.sname,
			      e->u.access.field);
		ir_expr_render(b, e->u.access.base, f, 0);
		break;
	case IR_EV_ASSERT:
		la_buf_printf(b, "assert %s(", e->u.assert_.macro);
		ir_expr_render(b, e->u.assert_.cond, f, 0);
		la_buf_putc(b, ')');
		break;
	case IR_EV_ASSIGN:
		la_buf_puts(b, "assign ");
		ir_expr_render(b, e->u.assign.lhs, f, 0);
		la_buf_puts(b, " = ");
		ir_expr_render(b, e->u.assign.rhs, f, 0);
		break;
	case IR_EV_RETURN:
		la_buf_puts(b, "return");
		if (e->u.ret.value) {
			la_buf_putc(b, ' ');
			ir_expr_render(b, e->u.ret.value, f, 0);
		}
		break;
	}
	la_buf_printf(b, " @%d\n", e->loc.line);
}

void ir_func_dump(la_buf *b, const ir_func *f)
{
	la_buf_printf(b, "func %s(", f->name);
	for (int i = 0; i < f->nparams; i++)
		la_buf_printf(b, "%s$%d %s", i ? ", " : "", i, f->params[i].name ? f->params[i].name : "");
	la_buf_puts(b, ")");
	if (f->section)
		la_buf_printf(b, " in %s", f->section);
	la_buf_putc(b, '\n');
	for (int i = 0; i < f->nannots; i++) {
		la_buf_printf(b, " annot %s(", ir_annot_macro(f->annots[i].kind));
		ir_expr_render(b, f->annots[i].lock, f, 0);
		la_buf_printf(b, ") @%d\n", f->annots[i].loc.line);
	}
	for (int i = 0; i < f->nblocks; i++) {
		const ir_block *bl = f->blocks[i];
		la_buf_printf(b, " b%d:\n", bl->id);
		for (int j = 0; j < bl->nev; j++) {
			la_buf_puts(b, "  ");
			dump_event(b, &bl->ev[j], f);
		}
		la_buf_puts(b, "  -> ");
		if (bl->noreturn)
			la_buf_puts(b, "noreturn");
		else if (bl->nsucc == 0)
			la_buf_puts(b, "exit");
		else if (bl->cond) {
			la_buf_puts(b, bl->nsucc == 2 && bl->label && bl->label[0] &&
					       bl->label[0][0] == 't' ? "if " : "switch ");
			ir_expr_render(b, bl->cond, f, 0);
			la_buf_puts(b, ":");
			for (int s = 0; s < bl->nsucc; s++)
				la_buf_printf(b, " %s b%d", bl->label && bl->label[s] ? bl->label[s] : "?",
					      bl->succ[s]);
		} else {
			for (int s = 0; s < bl->nsucc; s++)
				la_buf_printf(b, "%sb%d", s ? " " : "", bl->succ[s]);
		}
		la_buf_putc(b, '\n');
	}
}

/* Dump every function of a TU stream (src/frontend/parse.c) defined in
 * `only_file` (all when NULL). */
int ir_stream_dump(const char *text, const char *only_file, la_buf *out)
{
	size_t pos = 0;
	int err = LA_OK;
	sx *x;
	la_arena a = LA_ARENA_INIT;
	while ((x = sx_read(&a, text, &pos, &err)) != NULL) {
		if (sx_is(x, "func")) {
			ir_func *f;
			if ((err = ir_func_read(&a, x, &f)) < 0)
				break;
			if (!only_file || (f->loc.file && strcmp(f->loc.file, only_file) == 0))
				ir_func_dump(out, f);
			ir_func_free(f);
		} else if (sx_is(x, "diag") && sx_str(sx_at(x, 1)) && strcmp(sx_str(sx_at(x, 1)), "warning") == 0) {
			/* lockaudit's own warnings about the source (an annotation it
			 * cannot read): (diag "warning" FILE LINE COL MESSAGE) */
			const char *file = sx_str(sx_at(x, 2));
			if (!only_file || (file && strcmp(file, only_file) == 0))
				la_buf_printf(out, "warning @%lld: %s\n", sx_int(sx_at(x, 3), 0),
					      sx_str(sx_at(x, 5)) ? sx_str(sx_at(x, 5)) : "");
		} else if (sx_is(x, "flow")) {
			/* (flow DST func|key SRC SRC-NAME IN-FUNC FILE LINE COL) */
			const char *file = sx_str(sx_at(x, 6));
			if (!only_file || (file && strcmp(file, only_file) == 0)) {
				const char *name = sx_str(sx_at(x, 4));
				la_buf_printf(out, "flow %s <- %s %s @%s\n", sx_str(sx_at(x, 1)),
					      sx_str(sx_at(x, 2)),
					      name && *name ? name : sx_str(sx_at(x, 3)), sx_str(sx_at(x, 7)));
			}
		}
		la_arena_free(&a);
	}
	la_arena_free(&a);
	return err;
}
