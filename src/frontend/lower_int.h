/* Internals shared by the frontend's libclang files (not for other dirs). */
#ifndef LA_LOWER_INT_H
#define LA_LOWER_INT_H

#include <clang-c/Index.h>

#include "../ir/ir.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "lower.h"

/* A function-pointer flow: the value `src` (a function, or another key)
 * flows into the slot `dst` (struct field, parameter, global variable). */
typedef struct fe_flow {
	const char *dst;
	int src_is_func;
	const char *src;        /* function USR or key */
	const char *src_name;   /* function name, for display */
	const char *in_func;    /* USR of the function where it happens, or NULL */
	ir_loc loc;
} fe_flow;

/* Per-TU state. */
typedef struct fe_tu {
	CXTranslationUnit tu;
	const fe_config *cfg;
	la_arena arena;          /* TU lifetime: names, flows */
	/* assert macro expansions: (file, offset) -> macro name, end offset */
	struct fe_macro *macros;
	int nmacros, capmacros;
	/* lock context annotation expansions (__must_hold, ...), sorted the same way */
	struct fe_macro *annots;
	int nannots, capannots;
	/* lockaudit's own warnings about the source, as (diag "warning" ...)
	 * records, written to the stream after the function they are about */
	la_buf warnings;
	/* record name cache */
	struct fe_name_cache *names;
	int nnames, capnames;
	fe_flow *flows;
	int nflows, capflows;
	/* noreturn cache: USR -> 0/1 */
	struct fe_nr *nr;
	int nnr, capnr;
	struct fe_file_slot *file_tab;
	size_t file_cap, file_n;
	/* file-scope functions and variables by name (index = position in
	 * fn_usrs, var_decls), built when a cleanup attribute or an annotation
	 * first names one */
	la_strset fn_names;
	const char **fn_usrs;
	la_strset var_names;
	CXCursor *var_decls;
	int scope_built;
} fe_tu;

typedef struct fe_macro {
	CXFile file;
	unsigned start, name_end, end;
	const char *name;
} fe_macro;

/* clang helpers (clang_util.c) */
typedef struct fe_kids {
	CXCursor *v;
	int n;
} fe_kids;
fe_kids fe_children(la_arena *a, CXCursor c);
char *fe_spelling(la_arena *a, CXCursor c);
char *fe_usr(la_arena *a, CXCursor c);
char *fe_cxstr(la_arena *a, CXString s);   /* copies and disposes */
ir_loc fe_loc(fe_tu *t, CXCursor c);       /* file location of the cursor */
const char *fe_file_name(fe_tu *t, CXFile f);
const char *fe_record_name(fe_tu *t, CXCursor record);
int fe_type_is_fnptr(CXType ty);
int fe_type_is_pointer(CXType ty);
CXCursor fe_strip(CXCursor c);             /* parens, implicit casts */
/* The function an expression designates directly (foo, &foo, *foo, (cast)foo). */
int fe_func_ref(CXCursor c, CXCursor *decl);
int fe_is_noreturn(fe_tu *t, CXCursor fn);
const fe_macro *fe_macro_at(fe_tu *t, CXCursor c);
/* The USR of the file-scope function called `name` in this TU, or NULL. */
const char *fe_function_usr(fe_tu *t, const char *name);
/* The file-scope variable called `name` in this TU: 1 and *decl, or 0. */
int fe_file_var(fe_tu *t, const char *name, CXCursor *decl);
/* What the source writes between a macro's parentheses, white space
 * collapsed, in a's memory; NULL when it cannot be read. */
const char *fe_macro_arg_text(fe_tu *t, la_arena *a, const fe_macro *m);
/* IR names, one helper each so that every place names alike: a global
 * variable (a function-scope static is `func::name`, func_name given), and
 * the field fd of base (its struct named as fe_record_name does). */
ir_expr *fe_global_ref(la_arena *a, CXCursor d, const char *func_name);
ir_expr *fe_field_ref(fe_tu *t, la_arena *a, CXCursor fd, ir_expr *base, int arrow);
/* A (diag "warning" ...) record at `at` for t->warnings; printf-style. */
void fe_warn(fe_tu *t, ir_loc at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The location of the end of c's extent (a compound statement's `}`). */
ir_loc fe_loc_end(fe_tu *t, CXCursor c);

/* lower.c: the IR of one function definition. An expression nested deeper
 * than FE_MAX_EXPR_DEPTH is an error (LA_EPARSE, located at *err_at): *out is
 * then still set, with that expression left unknown. */
#define FE_MAX_EXPR_DEPTH 1000
int fe_lower_function(fe_tu *t, CXCursor fn, ir_func **out, la_arena *a, ir_loc *err_at);
/* fnptr.c: flows from an initialiser of `ty`. Inside a function, `key_of`
 * names a value that is itself a function-pointer slot (a parameter, a
 * field, a local); at file scope it is NULL (only functions are constant). */
typedef const char *(*fe_key_of_fn)(void *ctx, CXCursor value);
void fe_flows_from_init(fe_tu *t, CXCursor init, CXType ty, const char *in_func, const char *lhs_key,
			fe_key_of_fn key_of, void *ctx);
/* The fields a struct initialiser list `init` of type `ty` sets, with their
 * values, in order (designated or positional; the last designator of .a.b
 * names the field): how many it gave fn. */
typedef void (*fe_field_init_fn)(void *ctx, CXCursor field, CXCursor value);
int fe_init_fields(la_arena *a, CXCursor init, CXType ty, fe_field_init_fn fn, void *ctx);
void fe_flow_add(fe_tu *t, const char *dst, int src_is_func, const char *src,
		 const char *src_name, const char *in_func, ir_loc loc);

/* annotation.c: the lock context annotations written between the start of
 * definition fn and its body (`f(struct s *s) __acquires(&s->lock) {`),
 * added to f; params are fn's parameters. One whose argument cannot be
 * read gets a warning and is left out. */
void fe_lower_annotations(fe_tu *t, CXCursor fn, CXCursor body, const fe_kids *params, ir_func *f);

/* suppress.c: the `(suppress ...)` records of one file's lockaudit comments. */
void fe_write_suppressions(fe_tu *t, CXFile file, la_buf *b);

#endif
