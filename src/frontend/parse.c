/* One TU: parse with libclang, collect what the lowering needs (assertion
 * and annotation macro expansions), lower every function definition, write
 * the TU stream:
 *
 *   (lair 1) (tu "file") (parse-ms N) (diag ...)... (include "path")...
 *   (suppress ...)... (func ...) [(diag "warning" ...)]... (flow ...)...
 *   (status ok|failed) (done)
 *
 * The (done) line tells the parent the worker finished writing. */
#include "lower_int.h"
#include "source.h"
#include "../util/error.h"
#include "../util/sexp.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define MAX_DIAGS 50

typedef struct tu_walk {
	fe_tu *t;
	CXCursor *funcs;
	int nfuncs, capfuncs;
	CXCursor *vars;
	int nvars, capvars;
} tu_walk;

static int is_assert_macro(const fe_config *cfg, const char *name)
{
	for (int i = 0; i < cfg->nassert_macros; i++)
		if (strcmp(cfg->assert_macros[i], name) == 0)
			return 1;
	return 0;
}

static void record_macro(fe_tu *t, CXCursor c, const char *name, fe_macro **v, int *n, int *cap)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned l, col, off1, off2;
	clang_getFileLocation(clang_getRangeStart(r), &f1, &l, &col, &off1);
	clang_getFileLocation(clang_getRangeEnd(r), &f2, &l, &col, &off2);
	LA_VEC_PUSH(*v, *n, *cap);
	fe_macro *m = &(*v)[(*n)++];
	m->file = f1;
	m->start = off1;
	m->name_end = off1 + (unsigned)strlen(name);
	m->end = off2;
	m->name = la_arena_strdup(&t->arena, name);
}

static enum CXChildVisitResult top_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	tu_walk *w = data;
	fe_tu *t = w->t;
	switch (clang_getCursorKind(c)) {
	case CXCursor_MacroExpansion: {
		CXString s = clang_getCursorSpelling(c);
		const char *name = clang_getCString(s);
		if (name && is_assert_macro(t->cfg, name))
			record_macro(t, c, name, &t->macros, &t->nmacros, &t->capmacros);
		if (name && ir_annot_kind_of(name) >= 0)   /* whatever the rules' list says */
			record_macro(t, c, name, &t->annots, &t->nannots, &t->capannots);
		clang_disposeString(s);
		break;
	}
	case CXCursor_FunctionDecl:
		if (clang_isCursorDefinition(c)) {
			LA_VEC_PUSH(w->funcs, w->nfuncs, w->capfuncs);
			w->funcs[w->nfuncs++] = c;
		}
		break;
	case CXCursor_VarDecl:
		if (!clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(c))) {
			LA_VEC_PUSH(w->vars, w->nvars, w->capvars);
			w->vars[w->nvars++] = c;
		}
		break;
	default:
		break;
	}
	return CXChildVisit_Continue;
}

static int macro_cmp(const void *a, const void *b)
{
	const fe_macro *x = a, *y = b;
	if (x->file != y->file)
		return (uintptr_t)x->file < (uintptr_t)y->file ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

typedef struct inclusions {
	fe_tu *t;
	la_buf *b;
	CXFile *files;
	int n, cap;
} inclusions;

static void inclusion_visit(CXFile f, CXSourceLocation *stack, unsigned len, CXClientData data)
{
	(void)stack;
	(void)len;
	inclusions *in = data;
	la_buf_puts(in->b, "(include ");
	sx_put_str(in->b, fe_file_name(in->t, f));
	la_buf_puts(in->b, ")\n");
	LA_VEC_PUSH(in->files, in->n, in->cap);
	in->files[in->n++] = f;
}

static const char *severity_name(enum CXDiagnosticSeverity s)
{
	switch (s) {
	case CXDiagnostic_Fatal: return "fatal";
	case CXDiagnostic_Error: return "error";
	case CXDiagnostic_Warning: return "warning";
	default: return "note";
	}
}

static int is_known_header_func(fe_tu *t, CXCursor fn)
{
	if (!t->cfg->known_header_funcs)
		return 0;
	la_arena tmp = LA_ARENA_INIT;
	ir_loc loc = fe_loc(t, fn);
	la_buf k = LA_BUF_INIT;
	la_buf_printf(&k, "%s\t%s:%d", fe_usr(&tmp, fn), loc.file, loc.line);
	int found = la_strset_has(t->cfg->known_header_funcs, k.ptr);
	la_buf_free(&k);
	la_arena_free(&tmp);
	return found;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void write_flows(fe_tu *t, la_buf *b)
{
	for (int i = 0; i < t->nflows; i++) {
		fe_flow *f = &t->flows[i];
		la_buf_puts(b, "(flow ");
		sx_put_str(b, f->dst);
		la_buf_puts(b, f->src_is_func ? " func " : " key ");
		sx_put_str(b, f->src);
		la_buf_putc(b, ' ');
		sx_put_str(b, f->src_name ? f->src_name : "");
		la_buf_putc(b, ' ');
		sx_put_str(b, f->in_func ? f->in_func : "");
		la_buf_putc(b, ' ');
		sx_put_str(b, f->loc.file ? f->loc.file : "");
		la_buf_printf(b, " %d %d)\n", f->loc.line, f->loc.col);
	}
}

int fe_lower_tu(const fe_tu_cmd *cmd, const fe_config *cfg, FILE *out)
{
	fe_tu t;
	memset(&t, 0, sizeof(t));
	t.cfg = cfg;
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "(lair %d)\n(tu ", IR_TEXT_VERSION);
	sx_put_str(&b, cmd->file);
	la_buf_puts(&b, ")\n");

	CXIndex idx = clang_createIndex(0, 0);
	/* No KeepGoing: it downgrades fatal errors (a missing header) to errors,
	 * and such a TU must be reported failed, not stored half-parsed. */
	unsigned opts = CXTranslationUnit_DetailedPreprocessingRecord;
	double t0 = now_ms();
	/* a revision's files: present ones replace the work tree's (a file the
	 * revision lacks stays visible: libclang cannot hide one) */
	const fe_source *src = cfg->source;
	struct CXUnsavedFile *unsaved = xcalloc((size_t)(src ? src->n : 0) + 1, sizeof(*unsaved));
	unsigned nunsaved = 0;
	for (int i = 0; src && i < src->n; i++)
		if (src->files[i].data) {
			unsaved[nunsaved].Filename = src->files[i].path;
			unsaved[nunsaved].Contents = src->files[i].data;
			unsaved[nunsaved].Length = (unsigned long)src->files[i].len;
			nunsaved++;
		}
	enum CXErrorCode rc = clang_parseTranslationUnit2(idx, cmd->file, (const char *const *)cmd->argv,
							   cmd->argc, unsaved, nunsaved, opts, &t.tu);
	free(unsaved);
	la_buf_printf(&b, "(parse-ms %.0f)\n", now_ms() - t0);
	if (rc != CXError_Success) {
		la_buf_printf(&b, "(diag \"fatal\" \"\" 0 0 \"libclang could not parse the file (error %d)\")\n"
			      "(status failed)\n(done)\n", (int)rc);
		fputs(b.ptr, out);
		la_buf_free(&b);
		clang_disposeIndex(idx);
		return LA_OK;
	}
	t.tu = t.tu;
	int fatal = 0, ndiag = 0;
	unsigned nd = clang_getNumDiagnostics(t.tu);
	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = clang_getDiagnostic(t.tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		if (sev >= CXDiagnostic_Error) {
			fatal |= sev == CXDiagnostic_Fatal;
			if (ndiag++ < MAX_DIAGS) {
				CXFile f;
				unsigned line, col, off;
				clang_getFileLocation(clang_getDiagnosticLocation(d), &f, &line, &col, &off);
				la_buf_printf(&b, "(diag \"%s\" ", severity_name(sev));
				sx_put_str(&b, fe_file_name(&t, f));
				la_buf_printf(&b, " %u %u ", line, col);
				CXString s = clang_getDiagnosticSpelling(d);
				sx_put_str(&b, clang_getCString(s));
				clang_disposeString(s);
				la_buf_puts(&b, ")\n");
			}
		}
		clang_disposeDiagnostic(d);
	}
	inclusions inc = { &t, &b, NULL, 0, 0 };
	clang_getInclusions(t.tu, inclusion_visit, &inc);
	for (int i = 0; i < inc.n; i++)
		fe_write_suppressions(&t, inc.files[i], &b);
	free(inc.files);
	fputs(b.ptr, out);
	la_buf_clear(&b);

	tu_walk w;
	memset(&w, 0, sizeof(w));
	w.t = &t;
	clang_visitChildren(clang_getTranslationUnitCursor(t.tu), top_visit, &w);
	if (t.nmacros)   /* no assertion macro: t.macros is NULL, which qsort must not get */
		qsort(t.macros, (size_t)t.nmacros, sizeof(fe_macro), macro_cmp);
	if (t.nannots)
		qsort(t.annots, (size_t)t.nannots, sizeof(fe_macro), macro_cmp);

	const char *main_file = fe_file_name(&t, clang_getFile(t.tu, cmd->file));
	int too_deep = 0;
	for (int i = 0; i < w.nfuncs && !too_deep; i++) {
		CXFile file;
		clang_getFileLocation(clang_getCursorLocation(w.funcs[i]), &file, NULL, NULL, NULL);
		if (fe_file_name(&t, file) != main_file && is_known_header_func(&t, w.funcs[i]))
			continue;   /* another TU stored it */
		la_arena fa = LA_ARENA_INIT;
		ir_func *f;
		ir_loc at;
		if (fe_lower_function(&t, w.funcs[i], &f, &fa, &at) < 0) {
			/* the TU fails with this diagnostic; its stored facts stay */
			too_deep = 1;
			la_buf_printf(&b, "(diag \"fatal\" ");
			sx_put_str(&b, at.file ? at.file : "");
			la_buf_printf(&b, " %d %d ", at.line, at.col);
			la_buf b2 = LA_BUF_INIT;
			la_buf_printf(&b2, "expression nested deeper than %d in %s()", FE_MAX_EXPR_DEPTH, f->name);
			sx_put_str(&b, b2.ptr);
			la_buf_free(&b2);
			la_buf_puts(&b, ")\n");
			fputs(b.ptr, out);
			la_buf_clear(&b);
			ir_func_free(f);
			la_arena_free(&fa);
			break;
		}
		ir_func_write(&b, f);
		if (t.warnings.len)   /* about this function's annotations */
			la_buf_put(&b, t.warnings.ptr, t.warnings.len);
		la_buf_clear(&t.warnings);
		fputs(b.ptr, out);
		la_buf_clear(&b);
		ir_func_free(f);
		la_arena_free(&fa);
	}
	for (int i = 0; i < w.nvars; i++) {
		la_arena tmp = LA_ARENA_INIT;
		char key[1024];
		snprintf(key, sizeof(key), "var:%s", fe_usr(&tmp, w.vars[i]));
		fe_flows_from_init(&t, clang_Cursor_getVarDeclInitializer(w.vars[i]),
				   clang_getCursorType(w.vars[i]), NULL, key, NULL, NULL);
		la_arena_free(&tmp);
	}
	write_flows(&t, &b);
	la_buf_printf(&b, "(status %s)\n(done)\n", fatal || too_deep ? "failed" : "ok");
	fputs(b.ptr, out);
	fflush(out);

	la_buf_free(&b);
	free(w.funcs);
	free(w.vars);
	free(t.macros);
	free(t.annots);
	la_buf_free(&t.warnings);
	free(t.names);
	free(t.flows);
	free(t.nr);
	free(t.file_tab);
	la_strset_free(&t.fn_names);
	free(t.fn_usrs);
	la_strset_free(&t.var_names);
	free(t.var_decls);
	la_arena_free(&t.arena);
	clang_disposeTranslationUnit(t.tu);
	clang_disposeIndex(idx);
	return LA_OK;
}
