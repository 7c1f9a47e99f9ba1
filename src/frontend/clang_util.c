/* Small libclang helpers with caches; every libclang string is copied into an
 * arena and disposed here so callers never juggle CXString. */
#include "lower_int.h"
#include "../util/sexp.h"
#include "../util/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct { CXCursor *v; int n, cap; } *k = data;
	LA_VEC_PUSH(k->v, k->n, k->cap);
	k->v[k->n++] = c;
	return CXChildVisit_Continue;
}

fe_kids fe_children(la_arena *a, CXCursor c)
{
	static struct { CXCursor *v; int n, cap; } tmp;   /* reused scratch */
	tmp.n = 0;
	clang_visitChildren(c, collect, &tmp);
	fe_kids k = { NULL, tmp.n };
	if (tmp.n) {
		k.v = la_arena_alloc(a, sizeof(CXCursor) * (size_t)tmp.n);
		memcpy(k.v, tmp.v, sizeof(CXCursor) * (size_t)tmp.n);
	}
	return k;
}

char *fe_cxstr(la_arena *a, CXString s)
{
	const char *p = clang_getCString(s);
	char *r = la_arena_strdup(a, p ? p : "");
	clang_disposeString(s);
	return r;
}

char *fe_spelling(la_arena *a, CXCursor c)
{
	return fe_cxstr(a, clang_getCursorSpelling(c));
}

char *fe_usr(la_arena *a, CXCursor c)
{
	return fe_cxstr(a, clang_getCursorUSR(c));
}

/* CXFile -> name, open addressing on the pointer. */
typedef struct fe_file_slot {
	CXFile f;
	const char *name;
} fe_file_slot;

const char *fe_file_name(fe_tu *t, CXFile f)
{
	if (!f)
		return "";
	fe_file_slot *file_tab = t->file_tab;
	size_t file_cap = t->file_cap;
	if (t->file_n * 2 >= file_cap) {
		size_t ncap = file_cap ? file_cap * 2 : 1024;
		fe_file_slot *nt = xcalloc(ncap, sizeof(*nt));
		for (size_t i = 0; i < file_cap; i++)
			if (file_tab[i].f) {
				size_t h = ((uintptr_t)file_tab[i].f >> 4) & (ncap - 1);
				while (nt[h].f)
					h = (h + 1) & (ncap - 1);
				nt[h] = file_tab[i];
			}
		free(file_tab);
		t->file_tab = file_tab = nt;
		t->file_cap = file_cap = ncap;
	}
	size_t h = ((uintptr_t)f >> 4) & (file_cap - 1);
	while (file_tab[h].f) {
		if (file_tab[h].f == f)
			return file_tab[h].name;
		h = (h + 1) & (file_cap - 1);
	}
	CXString s = clang_File_tryGetRealPathName(f);
	const char *p = clang_getCString(s);
	if (!p || !*p) {
		clang_disposeString(s);
		s = clang_getFileName(f);
		p = clang_getCString(s);
	}
	file_tab[h].f = f;
	file_tab[h].name = la_arena_strdup(&t->arena, p ? p : "");
	clang_disposeString(s);
	t->file_n++;
	return file_tab[h].name;
}

ir_loc fe_loc(fe_tu *t, CXCursor c)
{
	CXFile f;
	unsigned line, col, off;
	clang_getFileLocation(clang_getCursorLocation(c), &f, &line, &col, &off);
	ir_loc loc = { fe_file_name(t, f), (int)line, (int)col };
	return loc;
}

ir_loc fe_loc_end(fe_tu *t, CXCursor c)
{
	CXFile f;
	unsigned line, col, off;
	clang_getFileLocation(clang_getRangeEnd(clang_getCursorExtent(c)), &f, &line, &col, &off);
	ir_loc loc = { fe_file_name(t, f), (int)line, (int)(col > 1 ? col - 1 : col) };
	return loc;
}

static enum CXChildVisitResult add_file_scope(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	fe_tu *t = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl)
		return CXChildVisit_Continue;
	char *name = fe_spelling(&t->arena, c);
	if (!name)
		return CXChildVisit_Continue;
	if (k == CXCursor_FunctionDecl && la_strset_add(&t->fn_names, name)) {
		t->fn_usrs = xrealloc(t->fn_usrs, sizeof(*t->fn_usrs) * t->fn_names.n);
		t->fn_usrs[t->fn_names.n - 1] = fe_usr(&t->arena, c);
	} else if (k == CXCursor_VarDecl && la_strset_add(&t->var_names, name)) {
		t->var_decls = xrealloc(t->var_decls, sizeof(*t->var_decls) * t->var_names.n);
		t->var_decls[t->var_names.n - 1] = c;
	}
	return CXChildVisit_Continue;
}

static void build_scope(fe_tu *t)
{
	if (!t->scope_built)
		clang_visitChildren(clang_getTranslationUnitCursor(t->tu), add_file_scope, t);
	t->scope_built = 1;
}

const char *fe_function_usr(fe_tu *t, const char *name)
{
	build_scope(t);
	long i = la_strset_index(&t->fn_names, name);
	return i >= 0 ? t->fn_usrs[i] : NULL;
}

int fe_file_var(fe_tu *t, const char *name, CXCursor *decl)
{
	build_scope(t);
	long i = la_strset_index(&t->var_names, name);
	if (i >= 0)
		*decl = t->var_decls[i];
	return i >= 0;
}

ir_expr *fe_global_ref(la_arena *a, CXCursor d, const char *func_name)
{
	ir_expr *e = ir_expr_new(a, IR_E_GLOBAL);
	e->name = fe_spelling(a, d);
	e->sname = fe_usr(a, d);
	CXCursor parent = clang_getCursorSemanticParent(d);
	if (clang_getCursorKind(parent) == CXCursor_FunctionDecl && func_name) {
		char buf[512];   /* function-scope static: name it after the function */
		snprintf(buf, sizeof(buf), "%s::%s", func_name, e->name);
		e->name = la_arena_strdup(a, buf);
	}
	return e;
}

ir_expr *fe_field_ref(fe_tu *t, la_arena *a, CXCursor fd, ir_expr *base, int arrow)
{
	ir_expr *e = ir_expr_new(a, IR_E_FIELD);
	e->a = base;
	e->sname = fe_record_name(t, clang_getCursorSemanticParent(fd));
	e->name = fe_spelling(a, fd);
	e->ival = arrow;
	return e;
}

void fe_warn(fe_tu *t, ir_loc at, const char *fmt, ...)
{
	la_buf msg = LA_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	la_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	la_buf_puts(&t->warnings, "(diag \"warning\" ");
	sx_put_str(&t->warnings, at.file ? at.file : "");
	la_buf_printf(&t->warnings, " %d %d ", at.line, at.col);
	sx_put_str(&t->warnings, msg.ptr ? msg.ptr : "");
	la_buf_puts(&t->warnings, ")\n");
	la_buf_free(&msg);
}

int fe_type_is_pointer(CXType ty)
{
	CXType c = clang_getCanonicalType(ty);
	return c.kind == CXType_Pointer;
}

int fe_type_is_fnptr(CXType ty)
{
	CXType c = clang_getCanonicalType(ty);
	if (c.kind == CXType_FunctionProto || c.kind == CXType_FunctionNoProto)
		return 1;
	if (c.kind != CXType_Pointer)
		return 0;
	CXType p = clang_getCanonicalType(clang_getPointeeType(c));
	return p.kind == CXType_FunctionProto || p.kind == CXType_FunctionNoProto;
}

static int is_expr_kind(enum CXCursorKind k)
{
	return clang_isExpression(k);
}

struct last_kid {
	CXCursor last;
	int n;
};

static enum CXChildVisitResult last_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	struct last_kid *k = data;
	k->last = c;
	k->n++;
	return CXChildVisit_Continue;
}

CXCursor fe_strip(CXCursor c)
{
	for (;;) {
		enum CXCursorKind k = clang_getCursorKind(c);
		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr && k != CXCursor_CStyleCastExpr)
			return c;
		struct last_kid lk = { clang_getNullCursor(), 0 };
		clang_visitChildren(c, last_visit, &lk);
		/* An unexposed expression with several children is not a cast. */
		if (lk.n == 0 || (k == CXCursor_UnexposedExpr && lk.n != 1) ||
		    !is_expr_kind(clang_getCursorKind(lk.last)))
			return c;
		c = lk.last;
	}
}

/* The function a callee or value expression designates directly, if any
 * (foo, &foo, *foo, (cast)foo). */
int fe_func_ref(CXCursor c, CXCursor *decl)
{
	for (;;) {
		c = fe_strip(c);
		enum CXCursorKind k = clang_getCursorKind(c);
		if (k == CXCursor_UnaryOperator) {
			enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(c);
			if (op != CXUnaryOperator_AddrOf && op != CXUnaryOperator_Deref)
				return 0;
			la_arena tmp = LA_ARENA_INIT;
			fe_kids kids = fe_children(&tmp, c);
			CXCursor next = kids.n ? kids.v[kids.n - 1] : clang_getNullCursor();
			la_arena_free(&tmp);
			if (clang_Cursor_isNull(next))
				return 0;
			c = next;
			continue;
		}
		if (k != CXCursor_DeclRefExpr)
			return 0;
		CXCursor d = clang_getCursorReferenced(c);
		if (clang_getCursorKind(d) != CXCursor_FunctionDecl)
			return 0;
		*decl = d;
		return 1;
	}
}

/* --- record names --- */

typedef struct fe_name_cache {
	CXCursor c;
	const char *name;
} fe_name_cache;

static int unnamed(const char *s)
{
	return !*s || strstr(s, "(unnamed") || strstr(s, "(anonymous");
}

static CXCursor type_record(CXType ty)
{
	CXType c = clang_getCanonicalType(ty);
	while (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
		c = clang_getCanonicalType(clang_getArrayElementType(c));
	return clang_getTypeDeclaration(c);
}

static const char *compute_record_name(fe_tu *t, CXCursor rec)
{
	la_arena *a = &t->arena;
	const char *sp = fe_spelling(a, rec);
	if (!unnamed(sp))
		return sp;
	CXCursor parent = clang_getCursorSemanticParent(rec);
	enum CXCursorKind pk = clang_getCursorKind(parent);
	int parent_is_record = pk == CXCursor_StructDecl || pk == CXCursor_UnionDecl;
	/* C11 anonymous member: its fields are the parent's fields. */
	if (parent_is_record && clang_Cursor_isAnonymousRecordDecl(rec))
		return fe_record_name(t, parent);
	if (parent_is_record) {
		la_arena tmp = LA_ARENA_INIT;
		fe_kids kids = fe_children(&tmp, parent);
		const char *r = NULL;
		for (int i = 0; i < kids.n && !r; i++) {
			if (clang_getCursorKind(kids.v[i]) != CXCursor_FieldDecl)
				continue;
			CXCursor d = type_record(clang_getCursorType(kids.v[i]));
			if (clang_equalCursors(d, rec)) {
				la_buf b = LA_BUF_INIT;
				la_buf_printf(&b, "%s.%s", fe_record_name(t, parent), fe_spelling(&tmp, kids.v[i]));
				r = la_arena_strdup(a, b.ptr);
				la_buf_free(&b);
			}
		}
		la_arena_free(&tmp);
		if (r)
			return r;
	}
	/* typedef struct { ... } name_t; */
	const char *ts = fe_cxstr(a, clang_getTypeSpelling(clang_getCursorType(rec)));
	if (!unnamed(ts))
		return ts;
	ir_loc loc = fe_loc(t, rec);
	la_buf b = LA_BUF_INIT;
	const char *base = strrchr(loc.file, '/');
	la_buf_printf(&b, "anon@%s:%d", base ? base + 1 : loc.file, loc.line);
	const char *r = la_arena_strdup(a, b.ptr);
	la_buf_free(&b);
	return r;
}

/* Open addressing on clang_hashCursor; t->capnames is a power of two. */
const char *fe_record_name(fe_tu *t, CXCursor rec)
{
	unsigned h = clang_hashCursor(rec);
	if (t->capnames) {
		for (int i = (int)(h & (unsigned)(t->capnames - 1)); t->names[i].name;
		     i = (i + 1) & (t->capnames - 1))
			if (clang_equalCursors(t->names[i].c, rec))
				return t->names[i].name;
	}
	const char *name = compute_record_name(t, rec);
	if ((t->nnames + 1) * 2 > t->capnames) {
		int ncap = t->capnames ? t->capnames * 2 : 256;
		fe_name_cache *nt = xcalloc((size_t)ncap, sizeof(*nt));
		for (int i = 0; i < t->capnames; i++) {
			if (!t->names[i].name)
				continue;
			int j = (int)(clang_hashCursor(t->names[i].c) & (unsigned)(ncap - 1));
			while (nt[j].name)
				j = (j + 1) & (ncap - 1);
			nt[j] = t->names[i];
		}
		free(t->names);
		t->names = nt;
		t->capnames = ncap;
	}
	int i = (int)(h & (unsigned)(t->capnames - 1));
	while (t->names[i].name)
		i = (i + 1) & (t->capnames - 1);
	t->names[i].c = rec;
	t->names[i].name = name;
	t->nnames++;
	return name;
}

/* --- noreturn --- */

typedef struct fe_nr {
	const char *usr;
	int noreturn;
} fe_nr;

int fe_is_noreturn(fe_tu *t, CXCursor fn)
{
	la_arena tmp = LA_ARENA_INIT;
	const char *usr = fe_usr(&tmp, fn);
	for (int i = 0; i < t->nnr; i++)
		if (strcmp(t->nr[i].usr, usr) == 0) {
			la_arena_free(&tmp);
			return t->nr[i].noreturn;
		}
	/* libclang has no noreturn query; the function type prints the attribute. */
	const char *ts = fe_cxstr(&tmp, clang_getTypeSpelling(clang_getCursorType(fn)));
	int nr = strstr(ts, "noreturn") != NULL || strstr(ts, "_Noreturn") != NULL;
	if (!nr) {
		fe_kids kids = fe_children(&tmp, fn);
		/* C11 _Noreturn is an unexposed attribute with no spelling: read its token */
		for (int i = 0; i < kids.n && !nr; i++) {
			if (!clang_isAttribute(clang_getCursorKind(kids.v[i])))
				continue;
			CXToken *toks;
			unsigned ntoks;
			clang_tokenize(t->tu, clang_getCursorExtent(kids.v[i]), &toks, &ntoks);
			for (unsigned j = 0; j < ntoks && !nr; j++) {
				const char *s = fe_cxstr(&tmp, clang_getTokenSpelling(t->tu, toks[j]));
				nr = strcmp(s, "_Noreturn") == 0 || strstr(s, "noreturn") != NULL;
			}
			clang_disposeTokens(t->tu, toks, ntoks);
		}
	}
	LA_VEC_PUSH(t->nr, t->nnr, t->capnr);
	t->nr[t->nnr].usr = la_arena_strdup(&t->arena, usr);
	t->nr[t->nnr].noreturn = nr;
	t->nnr++;
	la_arena_free(&tmp);
	return nr;
}

/* --- macro expansions of assertion macros --- */

const fe_macro *fe_macro_at(fe_tu *t, CXCursor c)
{
	if (!t->nmacros)
		return NULL;
	CXFile f;
	unsigned line, col, off;
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, &line, &col, &off);
	/* sorted by (file, start) in parse.c */
	int lo = 0, hi = t->nmacros - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const fe_macro *m = &t->macros[mid];
		if ((uintptr_t)m->file < (uintptr_t)f || (m->file == f && m->start < off))
			lo = mid + 1;
		else if (m->file == f && m->start == off)
			return m;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Findings quote an assertion or annotation as written (`d ||
 * pcidevs_locked()`), not as lowered (rw_is_write_locked() is a macro too). */
const char *fe_macro_arg_text(fe_tu *t, la_arena *a, const fe_macro *m)
{
	size_t size = 0;
	const char *data = clang_getFileContents(t->tu, m->file, &size);
	if (!data || m->end > size || m->name_end >= m->end)
		return NULL;
	const char *open = memchr(data + m->name_end, '(', m->end - m->name_end);
	const char *close = data + m->end;
	while (close > data + m->name_end && *close != ')')
		close--;
	if (!open || close <= open)
		return NULL;
	la_buf b = LA_BUF_INIT;
	int space = 0;
	for (const char *p = open + 1; p < close; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\\') {
			space = b.len > 0;
			continue;
		}
		if (space)
			la_buf_putc(&b, ' ');
		space = 0;
		la_buf_putc(&b, *p);
	}
	const char *text = b.len ? la_arena_strdup(a, b.ptr) : NULL;
	la_buf_free(&b);
	return text;
}
