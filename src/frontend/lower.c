/* Lowering one function definition from libclang's AST to the IR CFG.
 *
 * lower_stmt() builds blocks and edges; lower_expr() appends events to the
 * current block in evaluation order and returns the value as an ir_expr;
 * lower_cond() lowers a condition with short-circuit edges. Unevaluated
 * operands (sizeof, typeof, offsetof) are walked in "quiet" mode: values
 * are computed, nothing is emitted, and calls seen there are remembered so
 * that an inline-asm call of a function pointer (Xen's alternative_call())
 * can be recorded with the arguments of its type-checking call. */
#include "lower_int.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lctx_local {
	CXCursor decl;
	const char *name;
} lctx_local;

/* A variable with __attribute__((cleanup(fn))): fn(&var) runs whenever the
 * variable goes out of scope (Linux's guard(), scoped_guard(), __free()).
 * The cleanups in scope form a stack whose nodes point down; a scope keeps
 * its top, and leaving scopes (the end of a block, break, continue,
 * return, goto) runs the nodes above the top of the scope left to. */
typedef struct lctx_cleanup {
	const char *var;                /* the local's IR name */
	const char *fn, *usr;           /* the cleanup function */
	const struct lctx_cleanup *up;
} lctx_cleanup;

typedef struct lctx_label {
	const char *name;
	ir_block *b;
	int placed;                     /* the label statement was lowered ... */
	const lctx_cleanup *top;        /* ... with these cleanups in scope */
} lctx_label;

/* A goto to a label not lowered yet, with cleanups in scope: its block runs
 * those the label is outside of, once the label says which. */
typedef struct lctx_goto {
	const char *label;
	ir_block *b;
	const lctx_cleanup *top;
	ir_loc at;
} lctx_goto;

typedef struct lctx_uneval {
	const char *callee;     /* rendered callee expression */
	ir_expr **args;
	int nargs;
} lctx_uneval;

/* A switch being lowered. */
typedef struct lctx_switch {
	ir_block *head;
	int has_default;
	CXCursor enum_decl;    /* the switched value's enum type, or null */
	la_strset cases;       /* constant case values ("%lld"), for enum_decl */
	int unknown_case;      /* a case value not a constant, or a range */
} lctx_switch;

typedef struct lctx {
	fe_tu *t;
	la_arena *a;            /* IR of this function */
	la_arena scratch;       /* cursor arrays, freed at the end */
	ir_func *f;
	ir_block *cur;          /* NULL after return/goto/break: code is dead */
	CXCursor fn;
	fe_kids params;
	int quiet;
	ir_block **brk, **cont;
	const lctx_cleanup **brk_top, **cont_top;   /* the cleanups in scope at each target */
	int nloop, caploop;
	const lctx_cleanup *cleanups;   /* in scope here */
	lctx_goto *gotos;
	int ngotos, capgotos;
	struct lctx_switch *sw;
	int nsw, capsw;
	lctx_label *labels;
	int nlabels, caplabels;
	lctx_local *locals;
	int nlocals, caplocals;
	lctx_uneval *uneval;
	int nuneval, capuneval;
	int depth;              /* lower_expr/lower_cond frames on the stack */
	int too_deep;           /* FE_MAX_EXPR_DEPTH reached: the function fails */
	ir_loc deep_at;         /* where, first */
} lctx;

static ir_expr *lower_expr(lctx *L, CXCursor c, ir_mode mode);
static void lower_stmt(lctx *L, CXCursor c);
static ir_expr *lower_cond(lctx *L, CXCursor c, ir_block *t, ir_block *f);
static void run_cleanups(lctx *L, const lctx_cleanup *from, const lctx_cleanup *to, ir_loc at);

/* --- small helpers --- */

static enum CXCursorKind kind_of(CXCursor c)
{
	return clang_getCursorKind(c);
}

static ir_block *new_block(lctx *L)
{
	return ir_block_new(L->f);
}

static void jump(lctx *L, ir_block *to)
{
	if (L->cur)
		ir_block_edge(L->f, L->cur, to, NULL);
}

static ir_block *current(lctx *L)
{
	if (!L->cur)
		L->cur = new_block(L);   /* unreachable code; pruned later */
	return L->cur;
}

static ir_expr *mk(lctx *L, ir_expr_kind k)
{
	return ir_expr_new(L->a, k);
}

static ir_expr *mk_op(lctx *L, ir_expr_kind k, const char *op, ir_expr *a, ir_expr *b)
{
	ir_expr *e = mk(L, k);
	e->name = op;
	e->a = a;
	e->b = b;
	return e;
}

static ir_event *emit_at(lctx *L, ir_event_kind k, ir_loc at)
{
	static ir_event dummy;
	if (L->quiet) {
		memset(&dummy, 0, sizeof(dummy));
		return &dummy;
	}
	return ir_block_add(L->f, current(L), k, at);
}

static ir_event *emit(lctx *L, ir_event_kind k, CXCursor at)
{
	return emit_at(L, k, L->quiet ? (ir_loc){ 0 } : fe_loc(L->t, at));
}

/* Expression children only (skips TypeRef, MemberRef designators, ...). */
static fe_kids expr_kids(lctx *L, CXCursor c)
{
	fe_kids k = fe_children(&L->scratch, c);
	int n = 0;
	for (int i = 0; i < k.n; i++)
		if (clang_isExpression(kind_of(k.v[i])))
			k.v[n++] = k.v[i];
	k.n = n;
	return k;
}

static const char *render(lctx *L, const ir_expr *e)
{
	la_buf b = LA_BUF_INIT;
	ir_expr_render(&b, e, L->f, 0);
	const char *s = la_arena_strdup(L->a, b.ptr ? b.ptr : "");
	la_buf_free(&b);
	return s;
}

static int param_index(lctx *L, CXCursor d)
{
	for (int i = 0; i < L->params.n; i++)
		if (clang_equalCursors(L->params.v[i], d))
			return i;
	return -1;
}

/* Locals get a name unique in the function: shadowed names get a suffix. */
static const char *local_name(lctx *L, CXCursor d)
{
	for (int i = 0; i < L->nlocals; i++)
		if (clang_equalCursors(L->locals[i].decl, d))
			return L->locals[i].name;
	const char *base = fe_spelling(L->a, d);
	const char *name = base;
	int clash = 0;
	for (int i = 0; i < L->nlocals; i++)
		if (strncmp(L->locals[i].name, base, strlen(base)) == 0 &&
		    (L->locals[i].name[strlen(base)] == 0 || L->locals[i].name[strlen(base)] == '\''))
			clash++;
	if (clash) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s'%d", base, clash + 1);
		name = la_arena_strdup(L->a, buf);
	}
	LA_VEC_PUSH(L->locals, L->nlocals, L->caplocals);
	L->locals[L->nlocals].decl = d;
	L->locals[L->nlocals].name = name;
	L->nlocals++;
	return name;
}

static int is_global_var(CXCursor d)
{
	return clang_Cursor_hasVarDeclGlobalStorage(d) == 1;
}

static ir_expr *global_ref(lctx *L, CXCursor d)
{
	return fe_global_ref(L->a, d, L->f->name);
}

/* The function-pointer key of an expression that holds a function pointer:
 * "vpci_register.read", "param:USR#N", "var:USR", "local:USR:name". NULL when
 * the expression is not a slot we can name. */
static const char *fnkey_of(lctx *L, CXCursor c)
{
	char buf[1024];
	for (;;) {
		c = fe_strip(c);
		enum CXCursorKind k = kind_of(c);
		if (k == CXCursor_UnaryOperator &&
		    clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_Deref) {
			fe_kids kids = expr_kids(L, c);
			if (!kids.n)
				return NULL;
			c = kids.v[0];
			continue;
		}
		if (k == CXCursor_ArraySubscriptExpr) {
			fe_kids kids = expr_kids(L, c);
			if (!kids.n)
				return NULL;
			c = kids.v[0];
			continue;
		}
		break;
	}
	switch (kind_of(c)) {
	case CXCursor_MemberRefExpr: {
		CXCursor fd = clang_getCursorReferenced(c);
		if (kind_of(fd) != CXCursor_FieldDecl)
			return NULL;
		snprintf(buf, sizeof(buf), "%s.%s", fe_record_name(L->t, clang_getCursorSemanticParent(fd)),
			 fe_spelling(&L->scratch, fd));
		return la_arena_strdup(L->a, buf);
	}
	case CXCursor_DeclRefExpr: {
		CXCursor d = clang_getCursorReferenced(c);
		if (kind_of(d) == CXCursor_ParmDecl) {
			int i = param_index(L, d);
			if (i < 0)
				return NULL;
			snprintf(buf, sizeof(buf), "param:%s#%d", L->f->usr, i);
		} else if (kind_of(d) == CXCursor_VarDecl && is_global_var(d)) {
			snprintf(buf, sizeof(buf), "var:%s", fe_usr(&L->scratch, d));
		} else if (kind_of(d) == CXCursor_VarDecl) {
			snprintf(buf, sizeof(buf), "local:%s:%s", L->f->usr, local_name(L, d));
		} else
			return NULL;
		return la_arena_strdup(L->a, buf);
	}
	default:
		return NULL;
	}
}

static const char *key_of_value(void *ctx, CXCursor value)
{
	return fnkey_of(ctx, value);
}

/* Record that the value `val` (a function or a function-pointer slot) flows
 * into the slot designated by `dst`. */
static void flow_into(lctx *L, const char *dst, CXCursor val, CXCursor at)
{
	if (!dst || L->quiet)
		return;
	/* c ? f : g and GNU f ?: g (an unexposed node): every arm flows */
	CXCursor v = fe_strip(val);
	if (kind_of(v) == CXCursor_ConditionalOperator || kind_of(v) == CXCursor_UnexposedExpr) {
		fe_kids kids = expr_kids(L, v);
		int first = kind_of(v) == CXCursor_ConditionalOperator ? 1 : 0;
		if (kids.n >= 2) {
			for (int i = first; i < kids.n; i++)
				flow_into(L, dst, kids.v[i], at);
			return;
		}
	}
	CXCursor fd;
	if (fe_func_ref(val, &fd)) {
		fe_flow_add(L->t, dst, 1, fe_usr(L->a, fd), fe_spelling(L->a, fd), L->f->usr, fe_loc(L->t, at));
		return;
	}
	if (!fe_type_is_fnptr(clang_getCursorType(val)))
		return;
	const char *src = fnkey_of(L, val);
	if (src && strcmp(src, dst) != 0)
		fe_flow_add(L->t, dst, 0, src, NULL, L->f->usr, fe_loc(L->t, at));
}

/* --- expressions --- */

static ir_expr *lower_decl_ref(lctx *L, CXCursor c)
{
	CXCursor d = clang_getCursorReferenced(c);
	ir_expr *e;
	switch (kind_of(d)) {
	case CXCursor_ParmDecl:
		e = mk(L, IR_E_PARAM);
		e->ival = param_index(L, d);
		e->name = fe_spelling(L->a, d);
		if (e->ival < 0)
			e->kind = IR_E_UNKNOWN;
		return e;
	case CXCursor_VarDecl:
		if (is_global_var(d))
			return global_ref(L, d);
		e = mk(L, IR_E_LOCAL);
		e->name = local_name(L, d);
		return e;
	case CXCursor_FunctionDecl:
		e = mk(L, IR_E_FUNC);
		e->name = fe_spelling(L->a, d);
		e->sname = fe_usr(L->a, d);
		return e;
	case CXCursor_EnumConstantDecl:
		e = mk(L, IR_E_INT);
		e->ival = clang_getEnumConstantDeclValue(d);
		return e;
	default:
		return mk(L, IR_E_UNKNOWN);
	}
}

static ir_expr *lower_member(lctx *L, CXCursor c, ir_mode mode)
{
	fe_kids kids = expr_kids(L, c);
	CXCursor fd = clang_getCursorReferenced(c);
	int arrow = 0;
	ir_expr *base;
	if (kids.n) {
		arrow = fe_type_is_pointer(clang_getCursorType(kids.v[0]));
		/* a->f loads the pointer a; s.f is part of the object s */
		base = lower_expr(L, kids.v[0], arrow ? IR_READ : mode);
	} else {
		base = mk(L, IR_E_UNKNOWN);
	}
	if (kind_of(fd) != CXCursor_FieldDecl)
		return mk(L, IR_E_UNKNOWN);
	const char *field = fe_spelling(L->a, fd);
	/* the implicit step through a C11 anonymous struct/union member: its
	 * fields are named as the enclosing struct's (clang 19 spells the step
	 * "union pci_dev::(anonymous at ...)") */
	if (!*field || clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(clang_getCursorType(fd))))
		return base;
	ir_expr *e = fe_field_ref(L->t, L->a, fd, base, arrow);
	ir_event *ev = emit(L, IR_EV_ACCESS, c);
	ev->u.access.sname = e->sname;
	ev->u.access.field = e->name;
	ev->u.access.mode = mode;
	ev->u.access.base = base;
	ev->u.access.arrow = arrow;
	return e;
}

static ir_expr **lower_args(lctx *L, fe_kids kids, int first, int *nargs)
{
	int n = kids.n - first;
	ir_expr **args = la_arena_alloc(L->a, sizeof(ir_expr *) * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		args[i] = lower_expr(L, kids.v[first + i], IR_READ);
	*nargs = n > 0 ? n : 0;
	return args;
}

static ir_expr *call_result(lctx *L, ir_event *ev, const char *name)
{
	ir_expr *e = mk(L, IR_E_CALLRET);
	e->ival = ev->u.call.id;
	e->name = name;
	return e;
}

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static ir_expr *lower_builtin(lctx *L, const char *name, fe_kids kids)
{
	if (strcmp(name, "__builtin_unreachable") == 0 || strcmp(name, "__builtin_trap") == 0) {
		if (!L->quiet) {
			current(L)->noreturn = 1;
			L->cur = NULL;
		}
		return mk(L, IR_E_UNKNOWN);
	}
	if (starts_with(name, "__builtin_expect")) {
		ir_expr *v = kids.n > 1 ? lower_expr(L, kids.v[1], IR_READ) : mk(L, IR_E_UNKNOWN);
		for (int i = 2; i < kids.n; i++)
			lower_expr(L, kids.v[i], IR_READ);
		return v;
	}
	/* __builtin_constant_p and friends do not evaluate their operand */
	int unevaluated = strcmp(name, "__builtin_constant_p") == 0 ||
			  strcmp(name, "__builtin_types_compatible_p") == 0 ||
			  strcmp(name, "__builtin_object_size") == 0;
	L->quiet += unevaluated;
	for (int i = 1; i < kids.n; i++)
		lower_expr(L, kids.v[i], IR_READ);
	L->quiet -= unevaluated;
	return mk(L, IR_E_UNKNOWN);
}

static void remember_uneval(lctx *L, ir_expr *callee, ir_expr **args, int nargs)
{
	LA_VEC_PUSH(L->uneval, L->nuneval, L->capuneval);
	L->uneval[L->nuneval].callee = render(L, callee);
	L->uneval[L->nuneval].args = args;
	L->uneval[L->nuneval].nargs = nargs;
	L->nuneval++;
}

static ir_expr *lower_call(lctx *L, CXCursor c)
{
	fe_kids kids = expr_kids(L, c);
	if (!kids.n)
		return mk(L, IR_E_UNKNOWN);
	CXCursor fd;
	int nargs;
	if (fe_func_ref(kids.v[0], &fd)) {
		const char *name = fe_spelling(L->a, fd);
		if (starts_with(name, "__builtin_") && !starts_with(name, "__builtin_mem"))
			return lower_builtin(L, name, kids);
		const char *usr = fe_usr(L->a, fd);
		ir_expr **args = lower_args(L, kids, 1, &nargs);
		if (L->quiet) {
			ir_expr *callee = mk(L, IR_E_FUNC);
			callee->name = name;
			callee->sname = usr;
			remember_uneval(L, callee, args, nargs);
			return mk(L, IR_E_UNKNOWN);
		}
		for (int i = 0; i < nargs; i++) {
			char key[1024];
			snprintf(key, sizeof(key), "param:%s#%d", usr, i);
			flow_into(L, key, kids.v[1 + i], kids.v[1 + i]);
		}
		ir_event *ev = emit(L, IR_EV_CALL, c);
		ev->u.call.id = L->f->ncalls++;
		ev->u.call.how = IR_CALL_DIRECT;
		ev->u.call.name = name;
		ev->u.call.usr = usr;
		ev->u.call.args = args;
		ev->u.call.nargs = nargs;
		ir_expr *r = call_result(L, ev, name);
		if (fe_is_noreturn(L->t, fd)) {
			current(L)->noreturn = 1;
			L->cur = NULL;
		}
		return r;
	}
	/* Indirect: reading the pointer is an access, then the arguments. */
	ir_expr *callee = lower_expr(L, kids.v[0], IR_READ);
	ir_expr **args = lower_args(L, kids, 1, &nargs);
	if (L->quiet) {
		remember_uneval(L, callee, args, nargs);
		return mk(L, IR_E_UNKNOWN);
	}
	ir_event *ev = emit(L, IR_EV_CALL, c);
	ev->u.call.id = L->f->ncalls++;
	ev->u.call.how = IR_CALL_INDIRECT;
	ev->u.call.name = render(L, callee);
	if (callee->kind == IR_E_DEREF) {   /* (*fp)(...), not *fp(...) */
		char buf[1024];
		snprintf(buf, sizeof(buf), "(%s)", ev->u.call.name);
		ev->u.call.name = la_arena_strdup(L->a, buf);
	}
	ev->u.call.fnkey = fnkey_of(L, kids.v[0]);
	ev->u.call.args = args;
	ev->u.call.nargs = nargs;
	return call_result(L, ev, ev->u.call.name);
}

/* x++, x += n: for a local stepped by a constant, `x = x + n` (a retry
 * loop's counter); otherwise the new value is not tracked, but that it
 * changed is */
static void assign_step(lctx *L, ir_expr *lhs, const ir_expr *step, int sign, CXCursor at)
{
	ir_event *ev = emit(L, IR_EV_ASSIGN, at);
	ev->u.assign.lhs = lhs;
	if (lhs->kind == IR_E_LOCAL && step && step->kind == IR_E_INT && sign) {
		ir_expr *n = mk(L, IR_E_INT);
		n->ival = step->ival;
		ev->u.assign.rhs = mk_op(L, IR_E_BINOP, sign > 0 ? "+" : "-", lhs, n);
	} else
		ev->u.assign.rhs = mk(L, IR_E_UNKNOWN);
}

static ir_expr *lower_unary(lctx *L, CXCursor c, ir_mode mode)
{
	fe_kids kids = expr_kids(L, c);
	if (!kids.n)
		return mk(L, IR_E_UNKNOWN);
	CXCursor x = kids.v[0];
	ir_expr *v;
	switch (clang_getCursorUnaryOperatorKind(c)) {
	case CXUnaryOperator_AddrOf:
		v = lower_expr(L, x, IR_ADDR);
		if (v->kind == IR_E_FUNC)
			return v;
		return mk_op(L, IR_E_ADDR, NULL, v, NULL);
	case CXUnaryOperator_Deref:
		v = lower_expr(L, x, IR_READ);
		if (v->kind == IR_E_FUNC)
			return v;
		return mk_op(L, IR_E_DEREF, NULL, v, NULL);
	case CXUnaryOperator_PostInc:
	case CXUnaryOperator_PostDec:
	case CXUnaryOperator_PreInc:
	case CXUnaryOperator_PreDec: {
		enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
		ir_expr *one = mk(L, IR_E_INT);
		one->ival = 1;
		v = lower_expr(L, x, IR_WRITE);
		assign_step(L, v, one, op == CXUnaryOperator_PostInc || op == CXUnaryOperator_PreInc ? 1 : -1, c);
		return v;
	}
	case CXUnaryOperator_LNot:
		return mk_op(L, IR_E_UNOP, "!", lower_expr(L, x, IR_READ), NULL);
	case CXUnaryOperator_Minus:
		v = lower_expr(L, x, IR_READ);
		if (v->kind == IR_E_INT) {
			ir_expr *n = mk(L, IR_E_INT);
			n->ival = -v->ival;
			return n;
		}
		return mk_op(L, IR_E_UNOP, "-", v, NULL);
	case CXUnaryOperator_Not:
		return mk_op(L, IR_E_UNOP, "~", lower_expr(L, x, IR_READ), NULL);
	default:   /* +x, __extension__, __real__, __imag__ */
		return lower_expr(L, x, mode);
	}
}

static const char *binop_spelling(lctx *L, enum CXBinaryOperatorKind op)
{
	return fe_cxstr(L->a, clang_getBinaryOperatorKindSpelling(op));
}

/* && / || / ?: as values still need their control flow: the right operand
 * is evaluated only on some paths. */
static ir_expr *lower_logical_value(lctx *L, CXCursor c)
{
	ir_block *t = new_block(L), *f = new_block(L), *join = new_block(L);
	ir_expr *v = lower_cond(L, c, t, f);
	L->cur = t;
	jump(L, join);
	L->cur = f;
	jump(L, join);
	L->cur = join;
	return v;
}

static ir_expr *lower_binary(lctx *L, CXCursor c, ir_mode mode)
{
	fe_kids kids = expr_kids(L, c);
	if (kids.n < 2)
		return mk(L, IR_E_UNKNOWN);
	enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
	switch (op) {
	case CXBinaryOperator_Assign: {
		ir_expr *rv = lower_expr(L, kids.v[1], IR_READ);
		ir_expr *lv = lower_expr(L, kids.v[0], IR_WRITE);
		ir_event *ev = emit(L, IR_EV_ASSIGN, c);
		ev->u.assign.lhs = lv;
		ev->u.assign.rhs = rv;
		if (fe_type_is_fnptr(clang_getCursorType(kids.v[0])))
			flow_into(L, fnkey_of(L, kids.v[0]), kids.v[1], c);
		return lv;
	}
	case CXBinaryOperator_LAnd:
	case CXBinaryOperator_LOr:
		if (L->quiet)
			return mk_op(L, IR_E_BINOP, op == CXBinaryOperator_LAnd ? "&&" : "||",
				     lower_expr(L, kids.v[0], IR_READ), lower_expr(L, kids.v[1], IR_READ));
		return lower_logical_value(L, c);
	case CXBinaryOperator_Comma:
		lower_expr(L, kids.v[0], IR_READ);
		return lower_expr(L, kids.v[1], mode);
	default: {
		ir_expr *a = lower_expr(L, kids.v[0], IR_READ);
		ir_expr *b = lower_expr(L, kids.v[1], IR_READ);
		return mk_op(L, IR_E_BINOP, binop_spelling(L, op), a, b);
	}
	}
}

static ir_expr *lower_conditional(lctx *L, CXCursor c, ir_mode mode)
{
	fe_kids kids = expr_kids(L, c);
	if (kids.n < 3) {
		for (int i = 0; i < kids.n; i++)
			lower_expr(L, kids.v[i], IR_READ);
		return mk(L, IR_E_UNKNOWN);
	}
	ir_expr *e = mk(L, IR_E_COND);
	if (L->quiet) {
		e->a = lower_expr(L, kids.v[0], IR_READ);
		e->b = lower_expr(L, kids.v[1], mode);
		e->c = lower_expr(L, kids.v[2], mode);
		return e;
	}
	ir_block *t = new_block(L), *f = new_block(L), *join = new_block(L);
	e->a = lower_cond(L, kids.v[0], t, f);
	L->cur = t;
	e->b = lower_expr(L, kids.v[1], mode);
	jump(L, join);
	L->cur = f;
	e->c = lower_expr(L, kids.v[2], mode);
	jump(L, join);
	L->cur = join;
	return e;
}

static ir_expr *lower_int_literal(lctx *L, CXCursor c)
{
	ir_expr *e = mk(L, IR_E_INT);
	CXEvalResult r = clang_Cursor_Evaluate(c);
	if (r && clang_EvalResult_getKind(r) == CXEval_Int)
		e->ival = clang_EvalResult_getAsLongLong(r);
	else
		e->kind = IR_E_UNKNOWN;
	if (r)
		clang_EvalResult_dispose(r);
	return e;
}

/* ({ ...; value; }) */
static ir_expr *lower_stmt_expr(lctx *L, CXCursor c)
{
	fe_kids kids = fe_children(&L->scratch, c);
	if (kids.n != 1 || kind_of(kids.v[0]) != CXCursor_CompoundStmt)
		return mk(L, IR_E_UNKNOWN);
	fe_kids body = fe_children(&L->scratch, kids.v[0]);
	const lctx_cleanup *outside = L->cleanups;
	for (int i = 0; i + 1 < body.n; i++)
		lower_stmt(L, body.v[i]);
	ir_expr *v = mk(L, IR_E_UNKNOWN);
	if (body.n && clang_isExpression(kind_of(body.v[body.n - 1])))
		v = lower_expr(L, body.v[body.n - 1], IR_READ);
	else if (body.n)
		lower_stmt(L, body.v[body.n - 1]);
	if (L->cleanups != outside && !L->quiet)
		run_cleanups(L, L->cleanups, outside, fe_loc_end(L->t, kids.v[0]));
	L->cleanups = outside;
	return v;
}

/* sizeof / _Alignof / offsetof / typeof operands: not evaluated. */
static ir_expr *lower_unevaluated(lctx *L, CXCursor c)
{
	fe_kids kids = expr_kids(L, c);
	L->quiet++;
	for (int i = 0; i < kids.n; i++)
		lower_expr(L, kids.v[i], IR_READ);
	L->quiet--;
	return mk(L, IR_E_UNKNOWN);
}

/* The recursion of lower_expr/lower_cond follows the expression's nesting,
 * which C does not bound (`a + a + ... + a` is 10,000 levels deep): deeper
 * than FE_MAX_EXPR_DEPTH, the expression is not lowered, and the function
 * (so the TU) fails with that location instead of overflowing the stack. */
static int enter_expr(lctx *L, CXCursor c)
{
	if (L->depth >= FE_MAX_EXPR_DEPTH) {
		if (!L->too_deep)
			L->deep_at = fe_loc(L->t, c);
		L->too_deep = 1;
		return 0;
	}
	L->depth++;
	return 1;
}

static ir_expr *lower_expr_nested(lctx *L, CXCursor c, ir_mode mode);

/* _Generic evaluates only the association whose type is the controlling
 * expression's. libclang shows the controlling expression and the
 * associations' expressions, not their types; the kernel's seqlock API
 * (seqprop_ptr(s) and kin) picks, among five, the call to the function
 * whose first parameter points to that type (__seqprop_spinlock_ptr() for
 * a seqcount_spinlock_t). The one association that calls such a function
 * is taken; anything less clear gives the null cursor (every operand is
 * then evaluated, the value unknown). */
static CXCursor generic_association(lctx *L, CXCursor c)
{
	fe_kids k = fe_children(&L->scratch, c);
	if (k.n < 2 || !clang_isExpression(kind_of(k.v[0])))
		return clang_getNullCursor();
	CXType want = clang_getUnqualifiedType(clang_getCanonicalType(clang_getCursorType(k.v[0])));
	CXCursor match = clang_getNullCursor();
	int nmatch = 0;
	for (int i = 1; i < k.n; i++) {
		CXCursor e = fe_strip(k.v[i]);
		if (kind_of(e) != CXCursor_CallExpr)
			continue;
		CXType ft = clang_getCursorType(clang_getCursorReferenced(e));
		if (clang_getNumArgTypes(ft) < 1)
			continue;
		CXType p = clang_getCanonicalType(clang_getArgType(ft, 0));
		if (p.kind != CXType_Pointer)
			continue;
		CXType pointee = clang_getUnqualifiedType(clang_getCanonicalType(clang_getPointeeType(p)));
		if (clang_equalTypes(pointee, want)) {
			match = k.v[i];
			nmatch++;
		}
	}
	return nmatch == 1 ? match : clang_getNullCursor();
}

static ir_expr *lower_expr(lctx *L, CXCursor c, ir_mode mode)
{
	if (!enter_expr(L, c))
		return mk(L, IR_E_UNKNOWN);
	ir_expr *e = lower_expr_nested(L, c, mode);
	L->depth--;
	return e;
}

static ir_expr *lower_expr_nested(lctx *L, CXCursor c, ir_mode mode)
{
	enum CXCursorKind k = kind_of(c);
	switch (k) {
	case CXCursor_ParenExpr: {
		fe_kids kids = expr_kids(L, c);
		return kids.n ? lower_expr(L, kids.v[0], mode) : mk(L, IR_E_UNKNOWN);
	}
	case CXCursor_UnexposedExpr: {
		fe_kids all = fe_children(&L->scratch, c);
		fe_kids kids = expr_kids(L, c);
		if (all.n == 1 && kids.n == 1)
			return lower_expr(L, kids.v[0], mode);   /* implicit cast */
		for (int i = 0; i < kids.n; i++)
			lower_expr(L, kids.v[i], IR_READ);
		return mk(L, IR_E_UNKNOWN);
	}
	case CXCursor_CStyleCastExpr: {
		fe_kids kids = expr_kids(L, c);
		if (!kids.n)
			return mk(L, IR_E_UNKNOWN);
		/* expressions before the operand come from typeof() in the type */
		L->quiet++;
		for (int i = 0; i + 1 < kids.n; i++)
			lower_expr(L, kids.v[i], IR_READ);
		L->quiet--;
		ir_expr *v = lower_expr(L, kids.v[kids.n - 1], mode);
		if (v->kind == IR_E_INT && v->ival == 0 && fe_type_is_pointer(clang_getCursorType(c)))
			return mk(L, IR_E_NULL);
		return v;
	}
	case CXCursor_DeclRefExpr:
		return lower_decl_ref(L, c);
	case CXCursor_MemberRefExpr:
		return lower_member(L, c, mode);
	case CXCursor_CallExpr:
		return lower_call(L, c);
	case CXCursor_UnaryOperator:
		return lower_unary(L, c, mode);
	case CXCursor_BinaryOperator:
		return lower_binary(L, c, mode);
	case CXCursor_CompoundAssignOperator: {
		fe_kids kids = expr_kids(L, c);
		if (kids.n < 2)
			return mk(L, IR_E_UNKNOWN);
		ir_expr *step = lower_expr(L, kids.v[1], IR_READ);
		ir_expr *lv = lower_expr(L, kids.v[0], IR_WRITE);
		enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
		assign_step(L, lv, step, op == CXBinaryOperator_AddAssign ? 1 : op == CXBinaryOperator_SubAssign ? -1 : 0, c);
		return lv;
	}
	case CXCursor_ConditionalOperator:
		return lower_conditional(L, c, mode);
	case CXCursor_ArraySubscriptExpr: {
		fe_kids kids = expr_kids(L, c);
		if (kids.n < 2)
			return mk(L, IR_E_UNKNOWN);
		CXType bt = clang_getCanonicalType(clang_getCursorType(fe_strip(kids.v[0])));
		int is_array = bt.kind == CXType_ConstantArray || bt.kind == CXType_IncompleteArray ||
			       bt.kind == CXType_VariableArray;
		ir_expr *e = mk(L, IR_E_INDEX);
		e->a = lower_expr(L, kids.v[0], is_array ? mode : IR_READ);
		e->b = lower_expr(L, kids.v[1], IR_READ);
		return e;
	}
	case CXCursor_IntegerLiteral:
	case CXCursor_CharacterLiteral:
		return lower_int_literal(L, c);
	case CXCursor_StringLiteral:
		return mk(L, IR_E_STR);
	case CXCursor_GNUNullExpr:
		return mk(L, IR_E_NULL);
	case CXCursor_StmtExpr:
		return lower_stmt_expr(L, c);
	case CXCursor_UnaryExpr:
		return lower_unevaluated(L, c);
	case CXCursor_GenericSelectionExpr: {
		CXCursor chosen = generic_association(L, c);
		if (!clang_Cursor_isNull(chosen))
			return lower_expr(L, chosen, mode);
		goto operands;
	}
	default:
	operands: {
		/* init lists, compound literals, _Generic, ...: evaluate operands */
		fe_kids kids = expr_kids(L, c);
		for (int i = 0; i < kids.n; i++)
			lower_expr(L, kids.v[i], IR_READ);
		return mk(L, IR_E_UNKNOWN);
	}
	}
}

/* --- conditions --- */

static CXCursor strip_cond(lctx *L, CXCursor c)
{
	for (;;) {
		c = fe_strip(c);
		CXCursor fd;
		if (kind_of(c) != CXCursor_CallExpr)
			return c;
		fe_kids kids = expr_kids(L, c);
		if (kids.n < 2 || !fe_func_ref(kids.v[0], &fd) ||
		    !starts_with(fe_spelling(&L->scratch, fd), "__builtin_expect"))
			return c;
		for (int i = 2; i < kids.n; i++)
			lower_expr(L, kids.v[i], IR_READ);
		c = kids.v[1];
	}
}

static ir_expr *lower_cond_nested(lctx *L, CXCursor c, ir_block *t, ir_block *f);

/* Lower condition c: control reaches t when it is true, f when false.
 * Returns the condition as a value tree; leaves L->cur NULL. */
static ir_expr *lower_cond(lctx *L, CXCursor c, ir_block *t, ir_block *f)
{
	if (!enter_expr(L, c)) {
		jump(L, t);
		jump(L, f);
		L->cur = NULL;
		return mk(L, IR_E_UNKNOWN);
	}
	ir_expr *e = lower_cond_nested(L, c, t, f);
	L->depth--;
	return e;
}

static ir_expr *lower_cond_nested(lctx *L, CXCursor c, ir_block *t, ir_block *f)
{
	c = strip_cond(L, c);
	enum CXCursorKind k = kind_of(c);
	if (k == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot) {
		fe_kids kids = expr_kids(L, c);
		if (kids.n == 1)
			return mk_op(L, IR_E_UNOP, "!", lower_cond(L, kids.v[0], f, t), NULL);
	}
	if (k == CXCursor_BinaryOperator) {
		enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
		fe_kids kids = expr_kids(L, c);
		if (kids.n == 2 && (op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr)) {
			ir_block *mid = new_block(L);
			ir_expr *a = op == CXBinaryOperator_LAnd ? lower_cond(L, kids.v[0], mid, f)
								 : lower_cond(L, kids.v[0], t, mid);
			L->cur = mid;
			ir_expr *b = lower_cond(L, kids.v[1], t, f);
			return mk_op(L, IR_E_BINOP, op == CXBinaryOperator_LAnd ? "&&" : "||", a, b);
		}
		if (kids.n == 2 && op == CXBinaryOperator_Comma) {
			lower_expr(L, kids.v[0], IR_READ);
			return lower_cond(L, kids.v[1], t, f);
		}
	}
	if (k == CXCursor_ConditionalOperator) {
		fe_kids kids = expr_kids(L, c);
		if (kids.n == 3) {
			ir_block *bt = new_block(L), *bf = new_block(L);
			ir_expr *e = mk(L, IR_E_COND);
			e->a = lower_cond(L, kids.v[0], bt, bf);
			L->cur = bt;
			e->b = lower_cond(L, kids.v[1], t, f);
			L->cur = bf;
			e->c = lower_cond(L, kids.v[2], t, f);
			return e;
		}
	}
	ir_expr *v = lower_expr(L, c, IR_READ);
	if (v->kind == IR_E_INT) {
		jump(L, v->ival ? t : f);
		L->cur = NULL;
		return v;
	}
	if (v->kind == IR_E_NULL) {
		jump(L, f);
		L->cur = NULL;
		return v;
	}
	ir_block *b = current(L);
	b->cond = v;
	ir_block_edge(L->f, b, t, "true");
	ir_block_edge(L->f, b, f, "false");
	L->cur = NULL;
	return v;
}

/* --- assertions --- */

struct arg_search {
	const fe_macro *m;
	CXCursor found;
};

static enum CXChildVisitResult find_arg(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct arg_search *s = data;
	if (clang_isExpression(kind_of(c))) {
		CXFile f;
		unsigned line, col, off;
		clang_getFileLocation(clang_getCursorLocation(c), &f, &line, &col, &off);
		if (f && clang_File_isEqual(f, s->m->file) && off >= s->m->name_end && off <= s->m->end) {
			s->found = c;
			return CXChildVisit_Break;
		}
	}
	return CXChildVisit_Recurse;
}

/* The outermost expression written inside the macro's parentheses: tokens
 * from the macro body map to the macro name, argument tokens to where they
 * are written. */
static int lower_assert(lctx *L, CXCursor c, const fe_macro *m)
{
	struct arg_search s = { m, clang_getNullCursor() };
	clang_visitChildren(c, find_arg, &s);
	if (clang_Cursor_isNull(s.found))
		return 0;
	ir_expr *cond = lower_expr(L, s.found, IR_READ);
	ir_event *ev = emit(L, IR_EV_ASSERT, c);
	ev->u.assert_.macro = m->name;
	ev->u.assert_.cond = cond;
	ev->u.assert_.text = fe_macro_arg_text(L->t, L->a, m);
	return 1;
}

/* --- statements --- */

static ir_block *label_block(lctx *L, const char *name)
{
	for (int i = 0; i < L->nlabels; i++)
		if (strcmp(L->labels[i].name, name) == 0)
			return L->labels[i].b;
	LA_VEC_PUSH(L->labels, L->nlabels, L->caplabels);
	L->labels[L->nlabels].name = la_arena_strdup(L->a, name);
	L->labels[L->nlabels].b = new_block(L);
	return L->labels[L->nlabels++].b;
}

static lctx_label *find_label(lctx *L, const char *name)
{
	label_block(L, name);
	for (int i = 0; i < L->nlabels; i++)
		if (strcmp(L->labels[i].name, name) == 0)
			return &L->labels[i];
	return NULL;
}

/* The calls of the cleanups from `from` down to (not including) `to`, at `at`. */
static void run_cleanups(lctx *L, const lctx_cleanup *from, const lctx_cleanup *to, ir_loc at)
{
	if (L->quiet || !L->cur)
		return;
	for (const lctx_cleanup *n = from; n && n != to; n = n->up) {
		ir_expr *var = mk(L, IR_E_LOCAL);
		var->name = n->var;
		ir_expr *addr = mk(L, IR_E_ADDR);
		addr->a = var;
		ir_event *ev = emit_at(L, IR_EV_CALL, at);
		ev->u.call.id = L->f->ncalls++;
		ev->u.call.how = IR_CALL_DIRECT;
		ev->u.call.name = n->fn;
		ev->u.call.usr = n->usr;
		ev->u.call.args = la_arena_alloc(L->a, sizeof(ir_expr *));
		ev->u.call.args[0] = addr;
		ev->u.call.nargs = 1;
	}
}

/* A goto from the current block: through a block that runs the cleanups
 * the label is outside of (known now for a label above, at the label for
 * one below). */
static void goto_label(lctx *L, const char *name, ir_loc at)
{
	lctx_label *lb = find_label(L, name);
	if (!L->cur)
		return;
	if (lb->placed || !L->cleanups) {
		run_cleanups(L, L->cleanups, lb->placed ? lb->top : NULL, at);
		jump(L, lb->b);
		return;
	}
	ir_block *g = new_block(L);
	jump(L, g);
	LA_VEC_PUSH(L->gotos, L->ngotos, L->capgotos);
	L->gotos[L->ngotos++] = (lctx_goto){ lb->name, g, L->cleanups, at };
}

/* The label is lowered here: the gotos above it that wait for it run the
 * cleanups between theirs and its. With `placed` 0 (end of the function,
 * the label never lowered) they run none. */
static void place_label(lctx *L, lctx_label *lb, int placed)
{
	lb->placed = placed;
	lb->top = L->cleanups;
	ir_block *cur = L->cur;
	for (int i = 0; i < L->ngotos; i++) {
		if (!L->gotos[i].b || strcmp(L->gotos[i].label, lb->name) != 0)
			continue;
		L->cur = L->gotos[i].b;
		if (placed)
			run_cleanups(L, L->gotos[i].top, lb->top, L->gotos[i].at);
		jump(L, lb->b);
		L->gotos[i].b = NULL;
	}
	L->cur = cur;
}

static void push_loop(lctx *L, ir_block *brk, ir_block *cont)
{
	if (L->nloop >= L->caploop) {
		L->caploop = L->caploop ? L->caploop * 2 : 16;
		L->brk = xrealloc(L->brk, sizeof(*L->brk) * (size_t)L->caploop);
		L->cont = xrealloc(L->cont, sizeof(*L->cont) * (size_t)L->caploop);
		L->brk_top = xrealloc(L->brk_top, sizeof(*L->brk_top) * (size_t)L->caploop);
		L->cont_top = xrealloc(L->cont_top, sizeof(*L->cont_top) * (size_t)L->caploop);
	}
	L->brk[L->nloop] = brk;
	L->cont[L->nloop] = cont;
	L->brk_top[L->nloop] = L->cleanups;
	L->cont_top[L->nloop] = L->cleanups;
	L->nloop++;
}

static int innermost_cont(lctx *L)
{
	for (int i = L->nloop - 1; i >= 0; i--)
		if (L->cont[i])
			return i;
	return -1;
}

/* The cleanup function a variable declares, from its printed declaration
 * (libclang does not expose the attribute): `__attribute__((cleanup(fn)))`. */
static void declare_cleanup(lctx *L, CXCursor v, const char *var)
{
	fe_kids kids = fe_children(&L->scratch, v);
	int attrs = 0;
	for (int i = 0; i < kids.n && !attrs; i++)
		attrs = clang_isAttribute(kind_of(kids.v[i]));
	if (!attrs || L->quiet)
		return;
	CXPrintingPolicy pol = clang_getCursorPrintingPolicy(v);
	clang_PrintingPolicy_setProperty(pol, CXPrintingPolicy_TerseOutput, 1);
	char *decl = fe_cxstr(&L->scratch, clang_getCursorPrettyPrinted(v, pol));
	clang_PrintingPolicy_dispose(pol);
	static const char key[] = "__attribute__((cleanup(";
	char *at = decl ? strstr(decl, key) : NULL, *end;
	if (!at || !(end = strchr(at + sizeof(key) - 1, ')')))
		return;
	*end = '\0';
	const char *fn = at + sizeof(key) - 1;
	const char *usr = fe_function_usr(L->t, fn);
	if (!usr)
		return;
	lctx_cleanup *n = la_arena_alloc(&L->scratch, sizeof(*n));
	n->var = var;
	n->fn = la_arena_strdup(L->a, fn);
	n->usr = usr;
	n->up = L->cleanups;
	L->cleanups = n;
}

/* The fields a struct initialiser sets (`class_spinlock_t _t = { .lock = l }`). */
typedef struct field_inits {
	lctx *L;
	CXCursor *field, *value;
	int n, cap;
} field_inits;

static void note_field_init(void *ctx, CXCursor field, CXCursor value)
{
	field_inits *fi = ctx;
	if (fi->n == fi->cap) {
		fi->cap = fi->cap ? fi->cap * 2 : 8;
		CXCursor *f = la_arena_alloc(&fi->L->scratch, sizeof(CXCursor) * (size_t)fi->cap);
		CXCursor *v = la_arena_alloc(&fi->L->scratch, sizeof(CXCursor) * (size_t)fi->cap);
		if (fi->n) {
			memcpy(f, fi->field, sizeof(CXCursor) * (size_t)fi->n);
			memcpy(v, fi->value, sizeof(CXCursor) * (size_t)fi->n);
		}
		fi->field = f;
		fi->value = v;
	}
	fi->field[fi->n] = field;
	fi->value[fi->n++] = value;
}

static int is_path(const ir_expr *e)
{
	switch (e->kind) {
	case IR_E_PARAM: case IR_E_LOCAL: case IR_E_GLOBAL: case IR_E_FIELD: case IR_E_ADDR: case IR_E_DEREF:
		return 1;
	default:
		return 0;
	}
}

/* A struct local initialised from a list: the whole is unknown, and each
 * field set to a path (a parameter, &x, p->f) is assigned it, so that a
 * lock guard's `_t = { .lock = l }` names l in `_t.lock`. 0 when the list
 * does not map onto the fields (the caller lowers it as a whole). */
static int lower_struct_init(lctx *L, CXCursor v, CXCursor init, ir_expr *lhs)
{
	init = fe_strip(init);
	field_inits fi = { L, NULL, NULL, 0, 0 };
	if (L->quiet || kind_of(init) != CXCursor_InitListExpr ||
	    fe_init_fields(&L->scratch, init, clang_getCursorType(v), note_field_init, &fi) != expr_kids(L, init).n)
		return 0;
	ir_expr **vals = la_arena_alloc(&L->scratch, sizeof(ir_expr *) * (size_t)(fi.n + 1));
	for (int i = 0; i < fi.n; i++)
		vals[i] = lower_expr(L, fi.value[i], IR_READ);
	ir_event *ev = emit(L, IR_EV_ASSIGN, v);
	ev->u.assign.lhs = lhs;
	ev->u.assign.rhs = mk(L, IR_E_UNKNOWN);
	for (int i = 0; i < fi.n; i++) {
		if (!is_path(vals[i]))
			continue;
		ir_expr *f = fe_field_ref(L->t, L->a, fi.field[i], lhs, 0);
		ev = emit(L, IR_EV_ASSIGN, fi.value[i]);
		ev->u.assign.lhs = f;
		ev->u.assign.rhs = vals[i];
	}
	return 1;
}

static void lower_var_decl(lctx *L, CXCursor v)
{
	CXCursor init = clang_Cursor_getVarDeclInitializer(v);
	fe_kids kids = fe_children(&L->scratch, v);
	/* typeof() and array bounds in the declarator are not executed as
	 * written here (VLA bounds are, rarely matters for locking) */
	L->quiet++;
	for (int i = 0; i < kids.n; i++)
		if (clang_isExpression(kind_of(kids.v[i])) &&
		    (clang_Cursor_isNull(init) || !clang_equalCursors(kids.v[i], init)))
			lower_expr(L, kids.v[i], IR_READ);
	L->quiet--;
	if (is_global_var(v)) {   /* function-scope static: initialised once, statically */
		if (!clang_Cursor_isNull(init))
			fe_flows_from_init(L->t, init, clang_getCursorType(v), L->f->usr, NULL, NULL, NULL);
		return;
	}
	ir_expr *lhs = mk(L, IR_E_LOCAL);
	lhs->name = local_name(L, v);
	if (clang_Cursor_isNull(init)) {
		declare_cleanup(L, v, lhs->name);
		return;
	}
	int by_field = lower_struct_init(L, v, init, lhs);
	ir_expr *rv = by_field ? NULL : lower_expr(L, init, IR_READ);
	char key[1024];
	snprintf(key, sizeof(key), "local:%s:%s", L->f->usr, lhs->name);
	if (kind_of(fe_strip(init)) == CXCursor_InitListExpr)
		fe_flows_from_init(L->t, fe_strip(init), clang_getCursorType(v), L->f->usr,
				   la_arena_strdup(L->a, key), key_of_value, L);
	else if (fe_type_is_fnptr(clang_getCursorType(v)))
		flow_into(L, la_arena_strdup(L->a, key), init, v);
	if (!by_field) {
		ir_event *ev = emit(L, IR_EV_ASSIGN, v);
		ev->u.assign.lhs = lhs;
		ev->u.assign.rhs = rv;
	}
	declare_cleanup(L, v, lhs->name);
}

/* The for statement's children come without empty slots; tell init, cond
 * and inc apart by shape (cond is a test, init/inc have side effects). */
static int looks_like_side_effect(CXCursor c)
{
	c = fe_strip(c);
	switch (kind_of(c)) {
	case CXCursor_DeclStmt:
	case CXCursor_CompoundAssignOperator:
		return 1;
	case CXCursor_BinaryOperator: {
		enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(c);
		return op == CXBinaryOperator_Assign || op == CXBinaryOperator_Comma;
	}
	case CXCursor_UnaryOperator: {
		enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
		return op == CXUnaryOperator_PostInc || op == CXUnaryOperator_PostDec ||
		       op == CXUnaryOperator_PreInc || op == CXUnaryOperator_PreDec;
	}
	default:
		return 0;
	}
}

static void lower_for(lctx *L, CXCursor c)
{
	fe_kids kids = fe_children(&L->scratch, c);
	if (!kids.n)
		return;
	CXCursor none = clang_getNullCursor(), init = none, cond = none, inc = none;
	CXCursor body = kids.v[kids.n - 1];
	int n = kids.n - 1;
	if (n == 3) {
		init = kids.v[0];
		cond = kids.v[1];
		inc = kids.v[2];
	} else if (n == 2) {
		if (!looks_like_side_effect(kids.v[0])) {
			cond = kids.v[0];
			inc = kids.v[1];
		} else if (!looks_like_side_effect(kids.v[1])) {
			init = kids.v[0];
			cond = kids.v[1];
		} else {
			init = kids.v[0];
			inc = kids.v[1];
		}
	} else if (n == 1) {
		if (looks_like_side_effect(kids.v[0]))
			init = kids.v[0];
		else
			cond = kids.v[0];
	}
	/* a variable declared in init (scoped_guard()'s) lives until the loop ends */
	const lctx_cleanup *outside = L->cleanups;
	if (!clang_Cursor_isNull(init))
		lower_stmt(L, init);
	const lctx_cleanup *inside = L->cleanups;
	ir_block *head = new_block(L), *bodyb = new_block(L), *exit = new_block(L), *incb = new_block(L);
	jump(L, head);
	L->cur = head;
	if (!clang_Cursor_isNull(cond))
		lower_cond(L, cond, bodyb, exit);
	else
		jump(L, bodyb);
	push_loop(L, exit, incb);
	L->cur = bodyb;
	lower_stmt(L, body);
	jump(L, incb);
	L->cur = incb;
	if (!clang_Cursor_isNull(inc))
		lower_expr(L, inc, IR_READ);
	jump(L, head);
	L->nloop--;
	L->cur = exit;
	run_cleanups(L, inside, outside, fe_loc_end(L->t, c));
	L->cleanups = outside;
}

static const char *case_label(lctx *L, CXCursor c)
{
	fe_kids kids = fe_children(&L->scratch, c);
	la_buf b = LA_BUF_INIT;
	L->quiet++;
	for (int i = 0; i + 1 < kids.n; i++) {
		ir_expr *v = lower_expr(L, kids.v[i], IR_READ);
		if (i)
			la_buf_puts(&b, " ... ");
		if (v->kind == IR_E_INT || v->kind == IR_E_NULL)
			ir_expr_render(&b, v, L->f, 0);
		else
			la_buf_puts(&b, fe_cxstr(&L->scratch, clang_getCursorSpelling(kids.v[i])));
	}
	L->quiet--;
	const char *s = la_arena_strdup(L->a, b.ptr ? b.ptr : "?");
	la_buf_free(&b);
	return s;
}

/* A switch over an enum that has a case for every enumerator and no
 * default leaves the switch only through its cases: the kernel's state
 * machines (__scoped_seqlock_next()) switch over every state and rely on
 * -Wswitch, not on a default, and a value outside the enum is not one the
 * code means to handle. The enum of the switched value before promotion. */
static CXCursor switched_enum(CXCursor cond)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(fe_strip(cond)));
	return t.kind == CXType_Enum ? clang_getTypeDeclaration(t) : clang_getNullCursor();
}

static void note_case(lctx_switch *sw, fe_kids kids)
{
	if (clang_Cursor_isNull(sw->enum_decl))
		return;
	CXEvalResult r = kids.n == 2 ? clang_Cursor_Evaluate(kids.v[0]) : NULL;
	if (!r || clang_EvalResult_getKind(r) != CXEval_Int) {
		sw->unknown_case = 1;   /* a GNU case range, or not a constant */
	} else {
		char key[32];
		snprintf(key, sizeof(key), "%lld", clang_EvalResult_getAsLongLong(r));
		la_strset_add(&sw->cases, key);
	}
	if (r)
		clang_EvalResult_dispose(r);
}

struct enum_cover {
	const la_strset *cases;
	int all;
};

static enum CXChildVisitResult enumerator_covered(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct enum_cover *ec = data;
	if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl)
		return CXChildVisit_Continue;
	char key[32];
	snprintf(key, sizeof(key), "%lld", clang_getEnumConstantDeclValue(c));
	if (la_strset_index(ec->cases, key) < 0) {
		ec->all = 0;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

static int covers_enum(const lctx_switch *sw)
{
	if (clang_Cursor_isNull(sw->enum_decl) || sw->unknown_case || !sw->cases.n)
		return 0;
	struct enum_cover ec = { &sw->cases, 1 };
	clang_visitChildren(sw->enum_decl, enumerator_covered, &ec);
	return ec.all;
}

static void lower_stmt(lctx *L, CXCursor c)
{
	enum CXCursorKind k = kind_of(c);
	const fe_macro *m = L->quiet ? NULL : fe_macro_at(L->t, c);
	if (m && k != CXCursor_CompoundStmt && lower_assert(L, c, m))
		return;
	switch (k) {
	case CXCursor_CompoundStmt: {
		const lctx_cleanup *outside = L->cleanups;
		fe_kids kids = fe_children(&L->scratch, c);
		for (int i = 0; i < kids.n; i++)
			lower_stmt(L, kids.v[i]);
		if (L->cleanups != outside && !L->quiet)
			run_cleanups(L, L->cleanups, outside, fe_loc_end(L->t, c));
		L->cleanups = outside;
		return;
	}
	case CXCursor_DeclStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		for (int i = 0; i < kids.n; i++)
			if (kind_of(kids.v[i]) == CXCursor_VarDecl)
				lower_var_decl(L, kids.v[i]);
		return;
	}
	case CXCursor_IfStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		if (kids.n < 2)
			return;
		ir_block *t = new_block(L), *join = new_block(L);
		ir_block *f = kids.n > 2 ? new_block(L) : join;
		lower_cond(L, kids.v[0], t, f);
		L->cur = t;
		lower_stmt(L, kids.v[1]);
		jump(L, join);
		if (kids.n > 2) {
			L->cur = f;
			lower_stmt(L, kids.v[2]);
			jump(L, join);
		}
		L->cur = join;
		return;
	}
	case CXCursor_WhileStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		if (kids.n < 2)
			return;
		ir_block *head = new_block(L), *body = new_block(L), *exit = new_block(L);
		jump(L, head);
		L->cur = head;
		lower_cond(L, kids.v[0], body, exit);
		push_loop(L, exit, head);
		L->cur = body;
		lower_stmt(L, kids.v[1]);
		jump(L, head);
		L->nloop--;
		L->cur = exit;
		return;
	}
	case CXCursor_DoStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		if (kids.n < 2)
			return;
		ir_block *body = new_block(L), *condb = new_block(L), *exit = new_block(L);
		jump(L, body);
		push_loop(L, exit, condb);
		L->cur = body;
		lower_stmt(L, kids.v[0]);
		jump(L, condb);
		L->nloop--;
		L->cur = condb;
		lower_cond(L, kids.v[1], body, exit);   /* while (0): no back edge */
		L->cur = exit;
		return;
	}
	case CXCursor_ForStmt:
		lower_for(L, c);
		return;
	case CXCursor_SwitchStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		if (kids.n < 2)
			return;
		ir_expr *v = lower_expr(L, kids.v[0], IR_READ);
		ir_block *head = current(L), *exit = new_block(L);
		head->cond = v;
		L->cur = NULL;   /* code before the first label is unreachable */
		LA_VEC_PUSH(L->sw, L->nsw, L->capsw);
		memset(&L->sw[L->nsw], 0, sizeof(L->sw[L->nsw]));
		L->sw[L->nsw].head = head;
		L->sw[L->nsw].enum_decl = switched_enum(kids.v[0]);
		L->nsw++;
		push_loop(L, exit, NULL);
		lower_stmt(L, kids.v[kids.n - 1]);
		jump(L, exit);
		L->nloop--;
		L->nsw--;
		if (!L->sw[L->nsw].has_default && !covers_enum(&L->sw[L->nsw]))
			ir_block_edge(L->f, head, exit, "default");
		la_strset_free(&L->sw[L->nsw].cases);
		L->cur = exit;
		return;
	}
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		ir_block *b = new_block(L);
		jump(L, b);   /* fallthrough from the previous case */
		if (L->nsw) {
			const char *label = "default";
			if (k == CXCursor_CaseStmt) {
				label = case_label(L, c);
				note_case(&L->sw[L->nsw - 1], kids);
			} else
				L->sw[L->nsw - 1].has_default = 1;
			ir_block_edge(L->f, L->sw[L->nsw - 1].head, b, label);
		}
		L->cur = b;
		if (kids.n)
			lower_stmt(L, kids.v[kids.n - 1]);
		return;
	}
	case CXCursor_BreakStmt:
		if (L->nloop) {
			run_cleanups(L, L->cleanups, L->brk_top[L->nloop - 1], fe_loc(L->t, c));
			jump(L, L->brk[L->nloop - 1]);
		}
		L->cur = NULL;
		return;
	case CXCursor_ContinueStmt: {
		int to = innermost_cont(L);
		if (to >= 0) {
			run_cleanups(L, L->cleanups, L->cont_top[to], fe_loc(L->t, c));
			jump(L, L->cont[to]);
		}
		L->cur = NULL;
		return;
	}
	case CXCursor_ReturnStmt: {
		fe_kids kids = expr_kids(L, c);
		ir_expr *v = kids.n ? lower_expr(L, kids.v[0], IR_READ) : NULL;
		/* the value is computed before the cleanups run (return_ptr()) */
		run_cleanups(L, L->cleanups, NULL, fe_loc(L->t, c));
		ir_event *ev = emit(L, IR_EV_RETURN, c);
		ev->u.ret.value = v;
		L->cur = NULL;
		return;
	}
	case CXCursor_GotoStmt: {
		fe_kids kids = fe_children(&L->scratch, c);
		if (kids.n)
			goto_label(L, fe_spelling(&L->scratch, kids.v[0]), fe_loc(L->t, c));
		L->cur = NULL;
		return;
	}
	case CXCursor_IndirectGotoStmt:
		/* goto *p: successors unknown; treat as leaving the function */
		lower_expr(L, fe_children(&L->scratch, c).v[0], IR_READ);
		L->cur = NULL;
		return;
	case CXCursor_LabelStmt: {
		lctx_label *lb = find_label(L, fe_spelling(&L->scratch, c));
		ir_block *b = lb->b;
		jump(L, b);
		place_label(L, lb, 1);
		L->cur = b;
		fe_kids kids = fe_children(&L->scratch, c);
		if (kids.n)
			lower_stmt(L, kids.v[kids.n - 1]);
		return;
	}
	case CXCursor_GCCAsmStmt: {
		/* An asm that takes a function pointer as an operand calls it
		 * (Xen's alternative_call); its arguments are those of the
		 * type-checking call in sizeof()/typeof() just before. */
		fe_kids kids = expr_kids(L, c);
		const char **done = NULL;   /* callees already called: each once */
		int ndone = 0, capdone = 0;
		for (int i = 0; i < kids.n; i++) {
			ir_expr *v = lower_expr(L, kids.v[i], IR_READ);
			if (L->quiet || !fe_type_is_fnptr(clang_getCursorType(kids.v[i])))
				continue;
			const char *callee = render(L, v);
			int seen = 0;
			for (int j = 0; j < ndone; j++)
				seen |= strcmp(done[j], callee) == 0;
			if (seen)
				continue;
			LA_VEC_PUSH(done, ndone, capdone);
			done[ndone++] = callee;
			ir_event *ev = emit(L, IR_EV_CALL, c);
			ev->u.call.id = L->f->ncalls++;
			CXCursor fd;
			if (fe_func_ref(kids.v[i], &fd)) {
				ev->u.call.how = IR_CALL_DIRECT;
				ev->u.call.usr = fe_usr(L->a, fd);
			} else {
				ev->u.call.how = IR_CALL_ASM;
				ev->u.call.fnkey = fnkey_of(L, kids.v[i]);
			}
			ev->u.call.name = callee;
			for (int j = L->nuneval - 1; j >= 0; j--)
				if (strcmp(L->uneval[j].callee, callee) == 0) {
					ev->u.call.args = L->uneval[j].args;
					ev->u.call.nargs = L->uneval[j].nargs;
					break;
				}
		}
		free(done);
		return;
	}
	case CXCursor_NullStmt:
		return;
	default:
		if (clang_isExpression(k)) {
			lower_expr(L, c, IR_READ);
			return;
		}
		/* attributed statements (fallthrough), nested declarations, ... */
		{
			fe_kids kids = fe_children(&L->scratch, c);
			for (int i = 0; i < kids.n; i++)
				if (clang_isStatement(kind_of(kids.v[i])) || clang_isExpression(kind_of(kids.v[i])))
					lower_stmt(L, kids.v[i]);
		}
		return;
	}
}

/* The section a function is placed in (Xen's __init: ".init.text"). libclang
 * exposes no section attribute, only an unexposed one; the declaration
 * printed without its body spells it, so print only functions that have
 * some attribute. */
static const char *section_of(la_arena *a, CXCursor fn, const fe_kids *kids)
{
	int attrs = 0;
	for (int i = 0; i < kids->n && !attrs; i++)
		attrs = clang_isAttribute(kind_of(kids->v[i]));
	if (!attrs)
		return NULL;
	CXPrintingPolicy pol = clang_getCursorPrintingPolicy(fn);
	clang_PrintingPolicy_setProperty(pol, CXPrintingPolicy_TerseOutput, 1);
	char *decl = fe_cxstr(a, clang_getCursorPrettyPrinted(fn, pol));
	clang_PrintingPolicy_dispose(pol);
	static const char key[] = "__attribute__((section(\"";
	char *at = decl ? strstr(decl, key) : NULL, *end;
	if (!at || !(end = strchr(at + sizeof(key) - 1, '"')))
		return NULL;
	*end = '\0';
	return at + sizeof(key) - 1;
}

int fe_lower_function(fe_tu *t, CXCursor fn, ir_func **out, la_arena *a, ir_loc *err_at)
{
	lctx L;
	memset(&L, 0, sizeof(L));
	L.t = t;
	L.a = a;
	L.fn = fn;
	L.f = ir_func_new(a, fe_spelling(a, fn), fe_usr(a, fn));
	L.f->loc = fe_loc(t, fn);
	L.f->is_static = clang_Cursor_getStorageClass(fn) == CX_SC_Static;
	L.f->is_inline = clang_Cursor_isFunctionInlined(fn) != 0;
	int np = clang_Cursor_getNumArguments(fn);
	if (np < 0)
		np = 0;
	L.params.n = np;
	L.params.v = la_arena_alloc(&L.scratch, sizeof(CXCursor) * (size_t)(np + 1));
	L.f->nparams = np;
	L.f->params = la_arena_alloc(a, sizeof(ir_param) * (size_t)(np + 1));
	for (int i = 0; i < np; i++) {
		CXCursor p = clang_Cursor_getArgument(fn, (unsigned)i);
		L.params.v[i] = p;
		L.f->params[i].name = fe_spelling(a, p);
		L.f->params[i].type = fe_cxstr(a, clang_getTypeSpelling(clang_getCursorType(p)));
	}
	fe_kids kids = fe_children(&L.scratch, fn);
	L.f->section = section_of(a, fn, &kids);
	CXCursor body = clang_getNullCursor();
	for (int i = 0; i < kids.n; i++)
		if (kind_of(kids.v[i]) == CXCursor_CompoundStmt)
			body = kids.v[i];
	L.cur = new_block(&L);
	fe_lower_annotations(t, fn, body, &L.params, L.f);
	/* __must_hold(x): x is held on entry, which an assertion there says to
	 * the analysis and, as a precondition, to the callers */
	for (int i = 0; i < L.f->nannots; i++) {
		const ir_annot *an = &L.f->annots[i];
		if (an->kind != IR_ANNOT_MUST_HOLD)
			continue;
		ir_event *ev = emit_at(&L, IR_EV_ASSERT, an->loc);
		ev->u.assert_.macro = ir_annot_macro(an->kind);
		ev->u.assert_.cond = an->lock;
		ev->u.assert_.text = an->text;
	}
	if (!clang_Cursor_isNull(body)) {
		L.f->end = fe_loc_end(t, body);
		lower_stmt(&L, body);
	}
	for (int i = 0; i < L.nlabels; i++)   /* gotos to labels never lowered */
		if (!L.labels[i].placed)
			place_label(&L, &L.labels[i], 0);
	ir_func_prune(L.f);
	free(L.brk);
	free(L.cont);
	free(L.brk_top);
	free(L.cont_top);
	free(L.gotos);
	free(L.sw);
	free(L.labels);
	free(L.locals);
	free(L.uneval);
	la_arena_free(&L.scratch);
	*out = L.f;
	if (L.too_deep) {
		*err_at = L.deep_at;
		return la_error_code(LA_EPARSE, "%s:%d:%d: expression nested deeper than %d in %s()",
				     L.deep_at.file ? L.deep_at.file : "?", L.deep_at.line, L.deep_at.col,
				     FE_MAX_EXPR_DEPTH, L.f->name);
	}
	return LA_OK;
}
