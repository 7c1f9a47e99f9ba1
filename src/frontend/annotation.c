/* Lock context annotations after a function's declarator, as Linux writes
 * them for sparse: `f(struct kvm_pic *s) __acquires(&s->lock) { ... }`.
 * Without __CHECKER__ the macros expand to nothing, so the AST has no trace
 * of them: parse.c records their expansions, and here the argument is read
 * from its tokens with a grammar small enough to need no AST:
 *
 *     [&|*]* IDENT ( (->|.) IDENT | [INTEGER] )*
 *
 * IDENT is a parameter or a file-scope variable; the declared types name
 * each field's struct as lower.c names it for the same access written in
 * the body, so that the analysis gives the lock the same name. */
#include "lower_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct annot_reader {
	fe_tu *t;
	la_arena *a;             /* the function's IR */
	la_arena tmp;            /* token spellings */
	CXToken *toks;
	unsigned ntoks, pos;
	const fe_kids *params;
	const char *why;         /* the first reason the argument cannot be read */
} annot_reader;

static const char *tok_text(annot_reader *r, unsigned i)
{
	return i < r->ntoks ? fe_cxstr(&r->tmp, clang_getTokenSpelling(r->t->tu, r->toks[i])) : "";
}

static int at(annot_reader *r, const char *s)
{
	return strcmp(tok_text(r, r->pos), s) == 0;
}

static int is_ident(annot_reader *r)
{
	return r->pos < r->ntoks && clang_getTokenKind(r->toks[r->pos]) == CXToken_Identifier;
}

static void fail(annot_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(annot_reader *r, const char *fmt, ...)
{
	if (r->why)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->why = la_arena_strdup(&r->tmp, buf);
}

/* A field called `name` of record type `ty`, looking into C11 anonymous
 * members, whose fields are the record's. */
static int find_field(annot_reader *r, CXType ty, const char *name, CXCursor *out)
{
	CXCursor rec = clang_getTypeDeclaration(clang_getCanonicalType(ty));
	fe_kids kids = fe_children(&r->tmp, rec);
	for (int i = 0; i < kids.n; i++) {
		enum CXCursorKind k = clang_getCursorKind(kids.v[i]);
		/* libclang shows an anonymous member as its record, not its field */
		if ((k == CXCursor_StructDecl || k == CXCursor_UnionDecl) && clang_Cursor_isAnonymousRecordDecl(kids.v[i])) {
			if (find_field(r, clang_getCursorType(kids.v[i]), name, out))
				return 1;
			continue;
		}
		if (k != CXCursor_FieldDecl)
			continue;
		const char *field = fe_spelling(&r->tmp, kids.v[i]);
		CXType fty = clang_getCursorType(kids.v[i]);
		if (!*field || clang_Cursor_isAnonymousRecordDecl(clang_getTypeDeclaration(fty))) {
			if (find_field(r, fty, name, out))
				return 1;
		} else if (strcmp(field, name) == 0) {
			*out = kids.v[i];
			return 1;
		}
	}
	return 0;
}

static int is_record(CXType ty)
{
	CXType c = clang_getCanonicalType(ty);
	return c.kind == CXType_Record;
}

/* IDENT: a parameter, else a file-scope variable. */
static ir_expr *root(annot_reader *r, const ir_func *f, CXType *ty)
{
	if (!is_ident(r)) {
		fail(r, "expected a parameter or a variable at \"%s\"", tok_text(r, r->pos));
		return NULL;
	}
	const char *name = tok_text(r, r->pos++);
	for (int i = 0; i < r->params->n; i++)
		if (strcmp(fe_spelling(&r->tmp, r->params->v[i]), name) == 0) {
			ir_expr *e = ir_expr_new(r->a, IR_E_PARAM);
			e->ival = i;
			e->name = la_arena_strdup(r->a, name);
			*ty = clang_getCursorType(r->params->v[i]);
			return e;
		}
	CXCursor var;
	if (fe_file_var(r->t, name, &var)) {
		*ty = clang_getCursorType(var);
		return fe_global_ref(r->a, var, f->name);
	}
	fail(r, "%s is neither a parameter nor a file-scope variable", name);
	return NULL;
}

/* `->f` / `.f` after base of type *ty. */
static ir_expr *field_step(annot_reader *r, ir_expr *base, CXType *ty, int arrow)
{
	const char *op = arrow ? "->" : ".";
	CXType rec = arrow ? clang_getPointeeType(clang_getCanonicalType(*ty)) : *ty;
	if ((arrow && clang_getCanonicalType(*ty).kind != CXType_Pointer) || !is_record(rec)) {
		fail(r, "%s applied to something that is not a struct or union", op);
		return NULL;
	}
	r->pos++;
	if (!is_ident(r)) {
		fail(r, "expected a field name at \"%s\"", tok_text(r, r->pos));
		return NULL;
	}
	const char *name = tok_text(r, r->pos++);
	CXCursor fd;
	if (!find_field(r, rec, name, &fd)) {
		fail(r, "%s has no field %s",
		     fe_record_name(r->t, clang_getTypeDeclaration(clang_getCanonicalType(rec))), name);
		return NULL;
	}
	*ty = clang_getCursorType(fd);
	return fe_field_ref(r->t, r->a, fd, base, arrow);
}

/* `[N]` after base of type *ty. */
static ir_expr *index_step(annot_reader *r, ir_expr *base, CXType *ty)
{
	CXType c = clang_getCanonicalType(*ty);
	r->pos++;
	const char *n = tok_text(r, r->pos);
	char *end;
	long long v = strtoll(n, &end, 0);
	if (r->pos >= r->ntoks || clang_getTokenKind(r->toks[r->pos]) != CXToken_Literal || end == n || *end) {
		fail(r, "expected an integer index at \"%s\"", n);
		return NULL;
	}
	r->pos++;
	if (!at(r, "]")) {
		fail(r, "expected ] at \"%s\"", tok_text(r, r->pos));
		return NULL;
	}
	r->pos++;
	if (c.kind == CXType_Pointer)
		*ty = clang_getPointeeType(c);
	else if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
		*ty = clang_getArrayElementType(c);
	else {
		fail(r, "[] applied to something that is not an array or pointer");
		return NULL;
	}
	ir_expr *e = ir_expr_new(r->a, IR_E_INDEX);
	e->a = base;
	e->b = ir_expr_new(r->a, IR_E_INT);
	e->b->ival = v;
	return e;
}

/* MACRO ( [&|*]* IDENT steps* ): the lock expression, or NULL (r->why). */
static ir_expr *read_argument(annot_reader *r, const ir_func *f)
{
	r->pos = 1;   /* past the macro's name */
	if (!at(r, "(")) {
		fail(r, "expected ( at \"%s\"", tok_text(r, r->pos));
		return NULL;
	}
	r->pos++;
	unsigned first_prefix = r->pos;
	while (at(r, "&") || at(r, "*"))
		r->pos++;
	unsigned end_prefix = r->pos;
	CXType ty;
	ir_expr *e = root(r, f, &ty);
	while (e) {
		if (at(r, "->") || at(r, "."))
			e = field_step(r, e, &ty, at(r, "->"));
		else if (at(r, "["))
			e = index_step(r, e, &ty);
		else
			break;
	}
	if (!e)
		return NULL;
	/* the extent may end at the `)` or take it in */
	if (r->pos < r->ntoks && !(at(r, ")") && r->pos + 1 == r->ntoks)) {
		fail(r, "unexpected \"%s\"", tok_text(r, r->pos));
		return NULL;
	}
	for (unsigned i = end_prefix; i > first_prefix; i--) {   /* the innermost first */
		ir_expr *u = ir_expr_new(r->a, strcmp(tok_text(r, i - 1), "&") == 0 ? IR_E_ADDR : IR_E_DEREF);
		u->a = e;
		e = u;
	}
	return e;
}

static unsigned offset_of(CXSourceLocation loc, CXFile *file)
{
	unsigned line, col, off;
	clang_getExpansionLocation(loc, file, &line, &col, &off);
	return off;
}

static void lower_one(fe_tu *t, const fe_macro *m, const fe_kids *params, ir_func *f)
{
	CXSourceRange range = clang_getRange(clang_getLocationForOffset(t->tu, m->file, m->start),
					     clang_getLocationForOffset(t->tu, m->file, m->end));
	annot_reader r = { t, f->arena, LA_ARENA_INIT, NULL, 0, 0, params, NULL };
	clang_tokenize(t->tu, range, &r.toks, &r.ntoks);
	ir_expr *lock = read_argument(&r, f);
	unsigned line, col;
	clang_getFileLocation(clang_getLocationForOffset(t->tu, m->file, m->start), NULL, &line, &col, NULL);
	ir_loc loc = { fe_file_name(t, m->file), (int)line, (int)col };
	const char *text = fe_macro_arg_text(t, f->arena, m);
	if (lock)
		ir_func_add_annot(f, (ir_annot_kind)ir_annot_kind_of(m->name), loc, lock, text);
	else
		fe_warn(t, loc, "%s(%s) on %s() not understood (%s); the annotation is left out", m->name,
			text ? text : "", f->name, r.why ? r.why : "?");
	clang_disposeTokens(t->tu, r.toks, r.ntoks);
	la_arena_free(&r.tmp);
}

void fe_lower_annotations(fe_tu *t, CXCursor fn, CXCursor body, const fe_kids *params, ir_func *f)
{
	if (!t->nannots || clang_Cursor_isNull(body))
		return;
	CXFile file, body_file;
	unsigned from = offset_of(clang_getRangeStart(clang_getCursorExtent(fn)), &file);
	unsigned to = offset_of(clang_getRangeStart(clang_getCursorExtent(body)), &body_file);
	if (!file || file != body_file)
		return;
	/* t->annots is sorted by (file, start) in parse.c: the first at or after `from` */
	int lo = 0, hi = t->nannots;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const fe_macro *m = &t->annots[mid];
		if ((uintptr_t)m->file < (uintptr_t)file || (m->file == file && m->start < from))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < t->nannots && t->annots[i].file == file && t->annots[i].start < to; i++)
		lower_one(t, &t->annots[i], params, f);
}
