#include "ir.h"
#include "../util/xalloc.h"

#include <string.h>

ir_func *ir_func_new(la_arena *a, const char *name, const char *usr)
{
	ir_func *f = la_arena_alloc(a, sizeof(*f));
	f->arena = a;
	f->name = la_arena_strdup(a, name);
	f->usr = la_arena_strdup(a, usr);
	return f;
}

ir_block *ir_block_new(ir_func *f)
{
	ir_block *b = la_arena_alloc(f->arena, sizeof(*b));
	b->id = f->nblocks;
	LA_VEC_PUSH(f->blocks, f->nblocks, f->capblocks);
	f->blocks[f->nblocks++] = b;
	return b;
}

ir_event *ir_block_add(ir_func *f, ir_block *b, ir_event_kind kind, ir_loc loc)
{
	(void)f;
	LA_VEC_PUSH(b->ev, b->nev, b->capev);
	ir_event *e = &b->ev[b->nev++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->loc = loc;
	return e;
}

void ir_block_edge(ir_func *f, ir_block *from, ir_block *to, const char *label)
{
	(void)f;
	LA_VEC_PUSH(from->succ, from->nsucc, from->capsucc);
	from->label = xrealloc(from->label, sizeof(*from->label) * (size_t)from->capsucc);
	from->succ[from->nsucc] = to->id;
	from->label[from->nsucc] = label;
	from->nsucc++;
}

ir_expr *ir_expr_new(la_arena *a, ir_expr_kind kind)
{
	ir_expr *e = la_arena_alloc(a, sizeof(*e));
	e->kind = kind;
	return e;
}

static const char *const annot_macros[] = {
	[IR_ANNOT_MUST_HOLD] = "__must_hold",
	[IR_ANNOT_ACQUIRES] = "__acquires",
	[IR_ANNOT_RELEASES] = "__releases",
};

const char *ir_annot_macro(ir_annot_kind k)
{
	return (unsigned)k < sizeof(annot_macros) / sizeof(annot_macros[0]) ? annot_macros[k] : "?";
}

int ir_annot_kind_of(const char *macro)
{
	for (size_t i = 0; macro && i < sizeof(annot_macros) / sizeof(annot_macros[0]); i++)
		if (strcmp(annot_macros[i], macro) == 0)
			return (int)i;
	return -1;
}

ir_annot *ir_func_add_annot(ir_func *f, ir_annot_kind kind, ir_loc loc, ir_expr *lock, const char *text)
{
	LA_VEC_PUSH(f->annots, f->nannots, f->capannots);
	ir_annot *an = &f->annots[f->nannots++];
	an->kind = kind;
	an->loc = loc;
	an->lock = lock;
	an->text = text;
	return an;
}

/* Where control really goes from block b: through empty blocks that only
 * jump on (the lowering makes many), stopping at a cycle of empty blocks. */
static int forward_target(const ir_func *f, int b)
{
	for (int steps = 0; steps < f->nblocks; steps++) {
		const ir_block *bl = f->blocks[b];
		if (bl->nev || bl->cond || bl->nsucc != 1 || bl->noreturn || bl->succ[0] == b)
			return b;
		b = bl->succ[0];
	}
	return b;
}

void ir_func_prune(ir_func *f)
{
	if (!f->nblocks)
		return;
	for (int i = 0; i < f->nblocks; i++) {
		ir_block *b = f->blocks[i];
		for (int j = 0; j < b->nsucc; j++)
			b->succ[j] = forward_target(f, b->succ[j]);
	}
	int *map = xmalloc(sizeof(int) * (size_t)f->nblocks);
	int *stack = xmalloc(sizeof(int) * (size_t)f->nblocks);
	for (int i = 0; i < f->nblocks; i++)
		map[i] = -1;
	int sp = 0;
	stack[sp++] = 0;
	map[0] = 0;
	while (sp) {
		ir_block *b = f->blocks[stack[--sp]];
		for (int i = 0; i < b->nsucc; i++)
			if (map[b->succ[i]] < 0) {
				map[b->succ[i]] = 0;
				stack[sp++] = b->succ[i];
			}
	}
	int n = 0;
	for (int i = 0; i < f->nblocks; i++) {
		if (map[i] < 0) {
			free(f->blocks[i]->ev);
			free(f->blocks[i]->succ);
			free(f->blocks[i]->label);
			continue;
		}
		map[i] = n;
		f->blocks[n] = f->blocks[i];
		f->blocks[n]->id = n;
		n++;
	}
	f->nblocks = n;
	for (int i = 0; i < n; i++) {
		ir_block *b = f->blocks[i];
		for (int j = 0; j < b->nsucc; j++)
			b->succ[j] = map[b->succ[j]];
	}
	free(map);
	free(stack);
}

const char *ir_mode_name(ir_mode m)
{
	switch (m) {
	case IR_READ: return "read";
	case IR_WRITE: return "write";
	case IR_ADDR: return "addr";
	}
	return "?";
}

const ir_event *ir_func_call(const ir_func *f, int id)
{
	for (int i = 0; i < f->nblocks; i++)
		for (int j = 0; j < f->blocks[i]->nev; j++) {
			const ir_event *e = &f->blocks[i]->ev[j];
			if (e->kind == IR_EV_CALL && e->u.call.id == id)
				return e;
		}
	return NULL;
}

static int binop_prec(const char *op)
{
	static const struct { const char *op; int prec; } tab[] = {
		{ "*", 10 }, { "/", 10 }, { "%", 10 }, { "+", 9 }, { "-", 9 },
		{ "<<", 8 }, { ">>", 8 }, { "<", 7 }, { ">", 7 }, { "<=", 7 },
		{ ">=", 7 }, { "==", 6 }, { "!=", 6 }, { "&", 5 }, { "^", 4 },
		{ "|", 3 }, { "&&", 2 }, { "||", 1 },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(tab[i].op, op) == 0)
			return tab[i].prec;
	return 0;
}

static void render(la_buf *b, const ir_expr *e, const ir_func *f, int names, int prec)
{
	if (!e) {
		la_buf_puts(b, "?");
		return;
	}
	switch (e->kind) {
	case IR_E_UNKNOWN: la_buf_puts(b, "?"); break;
	case IR_E_INT: la_buf_printf(b, "%lld", e->ival); break;
	case IR_E_NULL: la_buf_puts(b, "NULL"); break;
	case IR_E_STR: la_buf_puts(b, "\"...\""); break;
	case IR_E_PARAM:
		/* the analysis makes parameters of its own (summaries, requirements)
		 * without a name: the function's declaration has it */
		if (names && e->name && *e->name)
			la_buf_puts(b, e->name);
		else if (names && f && e->ival >= 0 && e->ival < f->nparams && f->params[e->ival].name &&
			 *f->params[e->ival].name)
			la_buf_puts(b, f->params[e->ival].name);
		else
			la_buf_printf(b, "$%lld", e->ival);
		break;
	case IR_E_LOCAL:
	case IR_E_GLOBAL:
	case IR_E_FUNC:
		la_buf_puts(b, e->name ? e->name : "?");
		break;
	case IR_E_FIELD:
		render(b, e->a, f, names, 100);
		la_buf_puts(b, e->ival ? "->" : ".");
		la_buf_puts(b, e->name);
		break;
	case IR_E_DEREF:
		if (prec > 50) la_buf_putc(b, '(');
		la_buf_putc(b, '*');
		render(b, e->a, f, names, 50);
		if (prec > 50) la_buf_putc(b, ')');
		break;
	case IR_E_ADDR:
		if (prec > 50) la_buf_putc(b, '(');
		la_buf_putc(b, '&');
		render(b, e->a, f, names, 50);
		if (prec > 50) la_buf_putc(b, ')');
		break;
	case IR_E_INDEX:
		render(b, e->a, f, names, 100);
		la_buf_putc(b, '[');
		render(b, e->b, f, names, 0);
		la_buf_putc(b, ']');
		break;
	case IR_E_CALLRET: {
		/* the arguments live on the call event: find it when we can */
		const ir_event *call = f ? ir_func_call(f, (int)e->ival) : NULL;
		la_buf_printf(b, "%s(", e->name ? e->name : "?");
		for (int i = 0; call && i < call->u.call.nargs; i++) {
			if (i)
				la_buf_puts(b, ", ");
			render(b, call->u.call.args[i], f, names, 0);
		}
		la_buf_putc(b, ')');
		break;
	}
	case IR_E_UNOP:
		if (prec > 50) la_buf_putc(b, '(');
		la_buf_puts(b, e->name);
		/* "-" then "-x" or "-1" must not print as "--" (a decrement) */
		if (e->name && (e->name[0] == '-' || e->name[0] == '+') && e->a &&
		    ((e->a->kind == IR_E_UNOP && e->a->name && e->a->name[0] == e->name[0]) ||
		     (e->a->kind == IR_E_INT && e->a->ival < 0 && e->name[0] == '-')))
			la_buf_putc(b, ' ');
		render(b, e->a, f, names, 50);
		if (prec > 50) la_buf_putc(b, ')');
		break;
	case IR_E_BINOP: {
		int p = binop_prec(e->name);
		if (prec > p) la_buf_putc(b, '(');
		render(b, e->a, f, names, p);
		la_buf_printf(b, " %s ", e->name);
		render(b, e->b, f, names, p + 1);
		if (prec > p) la_buf_putc(b, ')');
		break;
	}
	case IR_E_COND:
		if (prec > 0) la_buf_putc(b, '(');
		render(b, e->a, f, names, 1);
		la_buf_puts(b, " ? ");
		render(b, e->b, f, names, 1);
		la_buf_puts(b, " : ");
		render(b, e->c, f, names, 1);
		if (prec > 0) la_buf_putc(b, ')');
		break;
	}
}

void ir_expr_render(la_buf *b, const ir_expr *e, const ir_func *f, int names)
{
	render(b, e, f, names, 0);
}

void ir_func_free(ir_func *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->nblocks; i++) {
		free(f->blocks[i]->ev);
		free(f->blocks[i]->succ);
		free(f->blocks[i]->label);
	}
	free(f->blocks);
	f->blocks = NULL;
	f->nblocks = 0;
	free(f->annots);
	f->annots = NULL;
	f->nannots = f->capannots = 0;
}
