/* Function-pointer flows out of initialisers: designated initialisers of
 * ops tables (`.read = vpci_hw_read16`), positional ones, arrays of handlers
 * and nested aggregates. Assignments and call arguments are in lower.c. */
#include "lower_int.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

void fe_flow_add(fe_tu *t, const char *dst, int src_is_func, const char *src,
		 const char *src_name, const char *in_func, ir_loc loc)
{
	/* the GNU ?: node repeats its first operand: skip an identical record */
	for (int i = t->nflows - 1; i >= 0 && i >= t->nflows - 8; i--) {
		fe_flow *o = &t->flows[i];
		if (o->loc.line == loc.line && o->loc.col == loc.col && o->src_is_func == src_is_func &&
		    strcmp(o->dst, dst) == 0 && strcmp(o->src, src) == 0 && o->loc.file == loc.file)
			return;
	}
	LA_VEC_PUSH(t->flows, t->nflows, t->capflows);
	fe_flow *f = &t->flows[t->nflows++];
	f->dst = la_arena_strdup(&t->arena, dst);
	f->src_is_func = src_is_func;
	f->src = la_arena_strdup(&t->arena, src);
	f->src_name = src_name ? la_arena_strdup(&t->arena, src_name) : NULL;
	f->in_func = in_func ? la_arena_strdup(&t->arena, in_func) : NULL;
	f->loc = loc;
}

static void init_value(fe_tu *t, CXCursor value, CXType ty, const char *key, const char *in_func,
		       fe_key_of_fn key_of, void *ctx)
{
	CXCursor v = fe_strip(value);
	/* c ? f : g, GNU f ?: g: every arm may be stored */
	enum CXCursorKind k = clang_getCursorKind(v);
	if (k == CXCursor_ConditionalOperator || k == CXCursor_UnexposedExpr) {
		la_arena tmp = LA_ARENA_INIT;
		fe_kids kids = fe_children(&tmp, v);
		if (kids.n >= 2) {
			for (int i = k == CXCursor_ConditionalOperator ? 1 : 0; i < kids.n; i++)
				if (clang_isExpression(clang_getCursorKind(kids.v[i])))
					init_value(t, kids.v[i], ty, key, in_func, key_of, ctx);
			la_arena_free(&tmp);
			return;
		}
		la_arena_free(&tmp);
	}
	if (clang_getCursorKind(v) == CXCursor_InitListExpr) {
		fe_flows_from_init(t, v, ty, in_func, key, key_of, ctx);
		return;
	}
	CXCursor fd;
	if (!key || !fe_type_is_fnptr(ty))
		return;
	if (fe_func_ref(v, &fd)) {
		la_arena tmp = LA_ARENA_INIT;
		fe_flow_add(t, key, 1, fe_usr(&tmp, fd), fe_spelling(&tmp, fd), in_func, fe_loc(t, value));
		la_arena_free(&tmp);
	} else if (key_of && fe_type_is_fnptr(clang_getCursorType(v))) {
		/* { .handler = handler }: a parameter or another slot */
		const char *src = key_of(ctx, v);
		if (src && strcmp(src, key) != 0)
			fe_flow_add(t, key, 0, src, NULL, in_func, fe_loc(t, value));
	}
}

static const char *field_key(fe_tu *t, la_arena *a, CXCursor field)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s.%s", fe_record_name(t, clang_getCursorSemanticParent(field)),
		 fe_spelling(a, field));
	return la_arena_strdup(a, buf);
}

/* A designated initialiser shows as an unexposed expression whose children
 * are the designators (MemberRef for .field, an index for [i]) then the value. */
static int designated(la_arena *a, CXCursor c, fe_kids *kids)
{
	if (clang_getCursorKind(c) != CXCursor_UnexposedExpr)
		return 0;
	*kids = fe_children(a, c);
	if (kids->n < 2)
		return 0;
	enum CXCursorKind k0 = clang_getCursorKind(kids->v[0]);
	return k0 == CXCursor_MemberRef || (clang_isExpression(k0) && kids->n >= 2 &&
					    clang_getCursorKind(kids->v[kids->n - 1]) != CXCursor_MemberRef);
}

int fe_init_fields(la_arena *a, CXCursor init, CXType ty, fe_field_init_fn fn, void *ctx)
{
	CXType ct = clang_getCanonicalType(ty);
	if (ct.kind != CXType_Record || clang_getCursorKind(init) != CXCursor_InitListExpr)
		return 0;
	fe_kids kids = fe_children(a, init);
	fe_kids all = fe_children(a, clang_getTypeDeclaration(ct));
	CXCursor *fields = la_arena_alloc(a, sizeof(CXCursor) * (size_t)(all.n + 1));
	int nf = 0, n = 0;
	for (int i = 0; i < all.n; i++)
		if (clang_getCursorKind(all.v[i]) == CXCursor_FieldDecl)
			fields[nf++] = all.v[i];
	int pos = 0;
	for (int i = 0; i < kids.n; i++) {
		fe_kids d;
		CXCursor field = clang_getNullCursor(), value = kids.v[i];
		if (designated(a, kids.v[i], &d) && clang_getCursorKind(d.v[0]) == CXCursor_MemberRef) {
			/* .a.b = v: the last designator names the field */
			int last = 0;
			for (int j = 0; j < d.n - 1; j++)
				if (clang_getCursorKind(d.v[j]) == CXCursor_MemberRef)
					last = j;
			field = clang_getCursorReferenced(d.v[last]);
			value = d.v[d.n - 1];
			for (int j = 0; j < nf; j++)
				if (clang_equalCursors(fields[j], clang_getCursorReferenced(d.v[0])))
					pos = j + 1;
		} else if (pos < nf) {
			field = fields[pos++];
		}
		if (clang_Cursor_isNull(field) || clang_getCursorKind(field) != CXCursor_FieldDecl)
			continue;
		fn(ctx, field, value);
		n++;
	}
	return n;
}

typedef struct flows_ctx {
	fe_tu *t;
	la_arena *a;
	const char *in_func;
	fe_key_of_fn key_of;
	void *ctx;
} flows_ctx;

static void field_flows(void *ctx, CXCursor field, CXCursor value)
{
	flows_ctx *fc = ctx;
	init_value(fc->t, value, clang_getCursorType(field), field_key(fc->t, fc->a, field), fc->in_func, fc->key_of,
		   fc->ctx);
}

void fe_flows_from_init(fe_tu *t, CXCursor init, CXType ty, const char *in_func, const char *lhs_key,
			fe_key_of_fn key_of, void *ctx)
{
	la_arena a = LA_ARENA_INIT;
	init = fe_strip(init);
	if (clang_getCursorKind(init) == CXCursor_CompoundLiteralExpr) {
		fe_kids k = fe_children(&a, init);
		if (k.n)
			init = k.v[k.n - 1];
	}
	if (clang_getCursorKind(init) != CXCursor_InitListExpr) {
		init_value(t, init, ty, lhs_key, in_func, key_of, ctx);
		la_arena_free(&a);
		return;
	}
	CXType ct = clang_getCanonicalType(ty);
	fe_kids kids = fe_children(&a, init);
	if (ct.kind == CXType_Record) {
		flows_ctx fc = { t, &a, in_func, key_of, ctx };
		fe_init_fields(&a, init, ct, field_flows, &fc);
	} else if (ct.kind == CXType_ConstantArray || ct.kind == CXType_IncompleteArray) {
		CXType elem = clang_getArrayElementType(ct);
		for (int i = 0; i < kids.n; i++) {
			fe_kids d;
			CXCursor value = kids.v[i];
			if (designated(&a, kids.v[i], &d))   /* [IDX] = value */
				value = d.v[d.n - 1];
			init_value(t, value, elem, lhs_key, in_func, key_of, ctx);
		}
	}
	la_arena_free(&a);
}
