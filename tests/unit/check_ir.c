/* src/ir: building a function by hand, its text form both ways, pruning,
 * and rendering expressions as C. */
#include "testutil.h"

#include "ir/ir.h"
#include "util/error.h"

#include "suites.h"

static const char *const F_MAIN = "/src/drivers/vpci.c";
static const char *const F_HDR = "/src/include/xen/spinlock.h";

/* --- expression builders --- */

static ir_expr *e_new(la_arena *a, ir_expr_kind k, const char *name, const char *sname, long long ival)
{
	ir_expr *e = ir_expr_new(a, k);
	e->name = name;
	e->sname = sname;
	e->ival = ival;
	return e;
}

static ir_expr *e_param(la_arena *a, int i, const char *name)
{
	return e_new(a, IR_E_PARAM, name, NULL, i);
}

static ir_expr *e_local(la_arena *a, const char *name)
{
	return e_new(a, IR_E_LOCAL, name, NULL, 0);
}

static ir_expr *e_int(la_arena *a, long long v)
{
	return e_new(a, IR_E_INT, NULL, NULL, v);
}

static ir_expr *e_fld(la_arena *a, ir_expr *base, const char *sname, const char *field, int arrow)
{
	ir_expr *e = e_new(a, IR_E_FIELD, field, sname, arrow);
	e->a = base;
	return e;
}

static ir_expr *e_un(la_arena *a, ir_expr_kind k, const char *op, ir_expr *x)
{
	ir_expr *e = e_new(a, k, op, NULL, 0);
	e->a = x;
	return e;
}

static ir_expr *e_bin(la_arena *a, const char *op, ir_expr *x, ir_expr *y)
{
	ir_expr *e = e_new(a, IR_E_BINOP, op, NULL, 0);
	e->a = x;
	e->b = y;
	return e;
}

static ir_expr *e_cond(la_arena *a, ir_expr *c, ir_expr *x, ir_expr *y)
{
	ir_expr *e = ir_expr_new(a, IR_E_COND);
	e->a = c;
	e->b = x;
	e->c = y;
	return e;
}

static ir_expr *e_index(la_arena *a, ir_expr *x, ir_expr *i)
{
	ir_expr *e = ir_expr_new(a, IR_E_INDEX);
	e->a = x;
	e->b = i;
	return e;
}

static ir_loc loc(const char *file, int line, int col)
{
	ir_loc l = { file, line, col };
	return l;
}

static ir_event *add_call(ir_func *f, ir_block *b, int how, const char *name, const char *usr,
			  const char *fnkey, ir_loc l, int nargs, ir_expr **args)
{
	ir_event *e = ir_block_add(f, b, IR_EV_CALL, l);
	e->u.call.id = f->ncalls++;
	e->u.call.how = how;
	e->u.call.name = name;
	e->u.call.usr = usr;
	e->u.call.fnkey = fnkey;
	e->u.call.nargs = nargs;
	e->u.call.args = la_arena_alloc(f->arena, sizeof(ir_expr *) * (size_t)(nargs + 1));
	for (int i = 0; i < nargs; i++)
		e->u.call.args[i] = args[i];
	return e;
}

static ir_event *add_access(ir_func *f, ir_block *b, const char *sname, const char *field, ir_mode mode,
			    ir_expr *base, ir_loc l)
{
	ir_event *e = ir_block_add(f, b, IR_EV_ACCESS, l);
	e->u.access.sname = sname;
	e->u.access.field = field;
	e->u.access.mode = mode;
	e->u.access.base = base;
	e->u.access.arrow = 1;
	return e;
}

/*
 * int vpci_read(struct pci_dev *pdev, unsigned int reg)
 *  b0: read pci_dev.vpci; if (pdev->vpci == NULL) b1 else b2
 *  b1: _spin_lock(&pdev->vpci->lock); r->read(...); ASSERT(pdev || (pcidevs_locked() && !x)); x = r->read(); -> b3
 *  b2: panic("..."), noreturn
 *  b3: write vpci.nr; switch (x): 1 -> b4, 2 -> b5, default -> b4
 *  b4: return x
 *  b5: return
 */
static ir_func *build_func(la_arena *a)
{
	ir_func *f = ir_func_new(a, "vpci_read", "c:@F@vpci_read");
	f->loc = loc(F_MAIN, 201, 10);
	f->is_static = 1;
	f->is_inline = 0;
	f->nparams = 2;
	f->params = la_arena_alloc(a, sizeof(ir_param) * 2);
	f->params[0].name = "pdev";
	f->params[0].type = "struct pci_dev *";
	f->params[1].name = "reg";
	f->params[1].type = "unsigned int";
	ir_block *b[6];
	for (int i = 0; i < 6; i++)
		b[i] = ir_block_new(f);

	ir_expr *pdev_vpci = e_fld(a, e_param(a, 0, "pdev"), "pci_dev", "vpci", 1);
	add_access(f, b[0], "pci_dev", "vpci", IR_READ, e_param(a, 0, "pdev"), loc(F_MAIN, 205, 9));
	b[0]->cond = e_bin(a, "==", pdev_vpci, ir_expr_new(a, IR_E_NULL));
	ir_block_edge(f, b[0], b[1], "true");
	ir_block_edge(f, b[0], b[2], "false");

	ir_expr *lock_arg = e_un(a, IR_E_ADDR, NULL, e_fld(a, pdev_vpci, "vpci", "lock", 1));
	add_call(f, b[1], IR_CALL_DIRECT, "_spin_lock", "c:@F@_spin_lock", NULL, loc(F_HDR, 40, 2), 1,
		 &lock_arg);
	ir_expr *g = e_new(a, IR_E_GLOBAL, "dom_io", "c:@dom_io", 0);
	ir_expr *fn = e_new(a, IR_E_FUNC, "bar_read", "c:vpci.c@F@bar_read", 0);
	ir_expr *args[] = {
		e_param(a, 0, "pdev"), e_param(a, 1, NULL), e_int(a, -1), ir_expr_new(a, IR_E_NULL),
		ir_expr_new(a, IR_E_STR), e_local(a, "r"), g, fn, e_new(a, IR_E_CALLRET, "_spin_lock", NULL, 0),
		e_index(a, e_local(a, "bars"), e_int(a, 2)), e_un(a, IR_E_DEREF, NULL, e_local(a, "p")),
		e_cond(a, e_local(a, "d"), e_local(a, "d"), ir_expr_new(a, IR_E_NULL)),
		e_un(a, IR_E_UNOP, "~", e_int(a, 3)), ir_expr_new(a, IR_E_UNKNOWN),
	};
	int nargs = (int)(sizeof(args) / sizeof(args[0]));
	add_call(f, b[1], IR_CALL_INDIRECT, "r->read", NULL, "vpci_register.read", loc(F_MAIN, 221, 30), nargs,
		 args);
	ir_event *as = ir_block_add(f, b[1], IR_EV_ASSERT, loc(F_MAIN, 222, 5));
	as->u.assert_.macro = "ASSERT";
	as->u.assert_.cond = e_bin(a, "||", e_param(a, 0, "pdev"),
				   e_bin(a, "&&", e_new(a, IR_E_CALLRET, "pcidevs_locked", NULL, 2),
					 e_un(a, IR_E_UNOP, "!", e_local(a, "x"))));
	as->u.assert_.text = "pdev || (pcidevs_locked() && !x)";   /* as written */
	ir_event *asg = ir_block_add(f, b[1], IR_EV_ASSIGN, loc(F_MAIN, 223, 7));
	asg->u.assign.lhs = e_local(a, "x");
	asg->u.assign.rhs = e_new(a, IR_E_CALLRET, "r->read", NULL, 1);
	ir_block_edge(f, b[1], b[3], NULL);

	add_call(f, b[2], IR_CALL_ASM, "panic", NULL, "iommu_ops.panic", loc(F_MAIN, 230, 9), 0, NULL);
	b[2]->noreturn = 1;

	add_access(f, b[3], "vpci", "nr", IR_WRITE, e_fld(a, e_param(a, 0, "pdev"), "pci_dev", "vpci", 1),
		   loc(F_MAIN, 232, 5));
	b[3]->cond = e_local(a, "x");
	ir_block_edge(f, b[3], b[4], "1");
	ir_block_edge(f, b[3], b[5], "2");
	ir_block_edge(f, b[3], b[4], "default");

	ir_event *r = ir_block_add(f, b[4], IR_EV_RETURN, loc(F_MAIN, 240, 5));
	r->u.ret.value = e_local(a, "x");
	ir_block_add(f, b[5], IR_EV_RETURN, loc(F_MAIN, 242, 5));
	return f;
}

/* --- structural comparison --- */

static int str_same(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

#define CK_STR_SAME(x, y, what) \
	ck_assert_msg(str_same((x), (y)), "%s: \"%s\" != \"%s\"", what, (x) ? (x) : "(null)", (y) ? (y) : "(null)")

static void expr_same(const ir_expr *x, const ir_expr *y, const char *what)
{
	if (!x || !y) {
		ck_assert_msg(!x && !y, "%s: one expression is missing", what);
		return;
	}
	ck_assert_msg(x->kind == y->kind, "%s: kind %d != %d", what, x->kind, y->kind);
	ck_assert_msg(x->ival == y->ival, "%s: ival %lld != %lld", what, x->ival, y->ival);
	CK_STR_SAME(x->name, y->name, what);
	CK_STR_SAME(x->sname, y->sname, what);
	expr_same(x->a, y->a, what);
	expr_same(x->b, y->b, what);
	expr_same(x->c, y->c, what);
}

static void loc_same(ir_loc x, ir_loc y, const char *what)
{
	CK_STR_SAME(x.file, y.file, what);
	ck_assert_int_eq(x.line, y.line);
	ck_assert_int_eq(x.col, y.col);
}

static void func_same(const ir_func *x, const ir_func *y)
{
	CK_STR_SAME(x->name, y->name, "name");
	CK_STR_SAME(x->usr, y->usr, "usr");
	loc_same(x->loc, y->loc, "func loc");
	ck_assert_int_eq(x->is_static, y->is_static);
	ck_assert_int_eq(x->is_inline, y->is_inline);
	ck_assert_int_eq(x->ncalls, y->ncalls);
	ck_assert_int_eq(x->nparams, y->nparams);
	for (int i = 0; i < x->nparams; i++) {
		CK_STR_SAME(x->params[i].name, y->params[i].name, "param name");
		CK_STR_SAME(x->params[i].type, y->params[i].type, "param type");
	}
	ck_assert_int_eq(x->nannots, y->nannots);
	for (int i = 0; i < x->nannots; i++) {
		ck_assert_int_eq(x->annots[i].kind, y->annots[i].kind);
		loc_same(x->annots[i].loc, y->annots[i].loc, "annotation loc");
		expr_same(x->annots[i].lock, y->annots[i].lock, "annotation lock");
		CK_STR_SAME(x->annots[i].text, y->annots[i].text, "annotation text");
	}
	loc_same(x->end, y->end, "func end");
	ck_assert_int_eq(x->nblocks, y->nblocks);
	for (int i = 0; i < x->nblocks; i++) {
		const ir_block *p = x->blocks[i], *q = y->blocks[i];
		ck_assert_int_eq(p->id, q->id);
		ck_assert_int_eq(p->noreturn, q->noreturn);
		expr_same(p->cond, q->cond, "block cond");
		ck_assert_int_eq(p->nsucc, q->nsucc);
		for (int s = 0; s < p->nsucc; s++) {
			ck_assert_int_eq(p->succ[s], q->succ[s]);
			CK_STR_SAME(p->label ? p->label[s] : NULL, q->label ? q->label[s] : NULL, "edge label");
		}
		ck_assert_int_eq(p->nev, q->nev);
		for (int j = 0; j < p->nev; j++) {
			const ir_event *e = &p->ev[j], *g = &q->ev[j];
			ck_assert_int_eq(e->kind, g->kind);
			loc_same(e->loc, g->loc, "event loc");
			switch (e->kind) {
			case IR_EV_CALL:
				ck_assert_int_eq(e->u.call.id, g->u.call.id);
				ck_assert_int_eq(e->u.call.how, g->u.call.how);
				CK_STR_SAME(e->u.call.name, g->u.call.name, "callee");
				CK_STR_SAME(e->u.call.usr, g->u.call.usr, "callee usr");
				CK_STR_SAME(e->u.call.fnkey, g->u.call.fnkey, "fnkey");
				ck_assert_int_eq(e->u.call.nargs, g->u.call.nargs);
				for (int k = 0; k < e->u.call.nargs; k++)
					expr_same(e->u.call.args[k], g->u.call.args[k], "call argument");
				break;
			case IR_EV_ACCESS:
				CK_STR_SAME(e->u.access.sname, g->u.access.sname, "access struct");
				CK_STR_SAME(e->u.access.field, g->u.access.field, "access field");
				ck_assert_int_eq(e->u.access.mode, g->u.access.mode);
				ck_assert_int_eq(e->u.access.arrow, g->u.access.arrow);
				expr_same(e->u.access.base, g->u.access.base, "access base");
				break;
			case IR_EV_ASSERT:
				CK_STR_SAME(e->u.assert_.macro, g->u.assert_.macro, "assert macro");
				expr_same(e->u.assert_.cond, g->u.assert_.cond, "assert cond");
				CK_STR_SAME(e->u.assert_.text, g->u.assert_.text, "assert text");
				break;
			case IR_EV_ASSIGN:
				expr_same(e->u.assign.lhs, g->u.assign.lhs, "assign lhs");
				expr_same(e->u.assign.rhs, g->u.assign.rhs, "assign rhs");
				break;
			case IR_EV_RETURN:
				expr_same(e->u.ret.value, g->u.ret.value, "return value");
				break;
			}
		}
	}
}

/* --- text form --- */

START_TEST(test_ir_roundtrip)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f = build_func(&a);
	la_buf text = LA_BUF_INIT;
	ir_func_write(&text, f);
	/* a few fixed points of the grammar (docs/ir.md) */
	ck_assert_str_contains(text.ptr, "(func 1 \"vpci_read\" \"c:@F@vpci_read\" 0:201:10 (static 1) "
				 "(inline 0) (ncalls 3)\n (files \"/src/drivers/vpci.c\" "
				 "\"/src/include/xen/spinlock.h\")\n"
				 " (params (\"pdev\" \"struct pci_dev *\") (\"reg\" \"unsigned int\"))");
	ck_assert_str_contains(text.ptr, "(access \"pci_dev\" \"vpci\" read 1 0:205:9 (param 0 \"pdev\"))");
	ck_assert_str_contains(text.ptr, "(call 0 direct \"_spin_lock\" \"c:@F@_spin_lock\" \"\" 1:40:2 "
				 "(addr (fld \"vpci\" \"lock\" 1 (fld \"pci_dev\" \"vpci\" 1 (param 0 \"pdev\")))))");
	ck_assert_str_contains(text.ptr, "(term (bin \"==\" (fld \"pci_dev\" \"vpci\" 1 (param 0 \"pdev\")) null) "
				 "(1 \"true\") (2 \"false\"))");
	ck_assert_str_contains(text.ptr, "(term - (3))");
	ck_assert_str_contains(text.ptr, "(term -) (noreturn))");
	ck_assert_str_contains(text.ptr, "(term (local \"x\") (4 \"1\") (5 \"2\") (4 \"default\"))");

	la_arena b = LA_ARENA_INIT;
	ir_func *g = NULL;
	int err = ir_func_parse(&b, text.ptr, &g);
	ck_assert_msg(err == LA_OK, "%s\n%s", la_error_last(), text.ptr);
	func_same(f, g);
	/* writing what was read gives the same text */
	la_buf again = LA_BUF_INIT;
	ir_func_write(&again, g);
	ck_assert_str_eq(again.ptr, text.ptr);

	la_buf_free(&again);
	la_buf_free(&text);
	ir_func_free(g);
	ir_func_free(f);
	la_arena_free(&b);
	la_arena_free(&a);
}
END_TEST

/* Lock context annotations (a global's address, a parameter's field), the
 * __must_hold assertion the frontend puts at the entry, and the body's end:
 * written after the parameters, read back as they were. */
START_TEST(test_ir_annotations_roundtrip)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f = ir_func_new(&a, "pic_wait", "c:@F@pic_wait");
	f->loc = loc(F_MAIN, 40, 13);
	f->end = loc(F_MAIN, 48, 1);
	f->nparams = 1;
	f->params = la_arena_alloc(&a, sizeof(ir_param));
	f->params[0].name = "s";
	f->params[0].type = "struct pic *";
	ir_expr *cfg = e_un(&a, IR_E_ADDR, NULL, e_new(&a, IR_E_GLOBAL, "cfg_lock", "c:@cfg_lock", 0));
	ir_expr *own = e_un(&a, IR_E_ADDR, NULL, e_fld(&a, e_param(&a, 0, "s"), "pic", "lock", 1));
	ir_func_add_annot(f, IR_ANNOT_MUST_HOLD, loc(F_MAIN, 41, 2), cfg, "&cfg_lock");
	ir_func_add_annot(f, IR_ANNOT_RELEASES, loc(F_MAIN, 42, 2), own, "&s->lock");
	ir_func_add_annot(f, IR_ANNOT_ACQUIRES, loc(F_MAIN, 42, 24), e_param(&a, 0, "s"), NULL);
	ir_block *b = ir_block_new(f);
	ir_event *as = ir_block_add(f, b, IR_EV_ASSERT, loc(F_MAIN, 41, 2));
	as->u.assert_.macro = ir_annot_macro(IR_ANNOT_MUST_HOLD);
	as->u.assert_.cond = cfg;
	as->u.assert_.text = "&cfg_lock";

	la_buf text = LA_BUF_INIT;
	ir_func_write(&text, f);
	ck_assert_str_contains(text.ptr, " (params (\"s\" \"struct pic *\"))\n"
				 " (annot \"__must_hold\" 0:41:2 (addr (global \"cfg_lock\" \"c:@cfg_lock\")) \"&cfg_lock\")\n"
				 " (annot \"__releases\" 0:42:2 (addr (fld \"pic\" \"lock\" 1 (param 0 \"s\"))) \"&s->lock\")\n"
				 " (annot \"__acquires\" 0:42:24 (param 0 \"s\") \"\")\n"
				 " (end 0:48:1)\n (block 0");
	ck_assert_str_contains(text.ptr, "(assert \"__must_hold\" 0:41:2 (addr (global \"cfg_lock\" \"c:@cfg_lock\")) "
				 "\"&cfg_lock\")");
	la_arena b2 = LA_ARENA_INIT;
	ir_func *g = NULL;
	ck_assert_msg(ir_func_parse(&b2, text.ptr, &g) == LA_OK, "%s\n%s", la_error_last(), text.ptr);
	func_same(f, g);
	ck_assert_str_eq(ir_annot_macro(g->annots[1].kind), "__releases");
	ck_assert_int_eq(ir_annot_kind_of("__acquires"), IR_ANNOT_ACQUIRES);
	ck_assert_int_eq(ir_annot_kind_of("__cond_acquires"), -1);
	la_buf dump = LA_BUF_INIT;   /* the listing shows them in the function's terms */
	ir_func_dump(&dump, g);
	ck_assert_str_contains(dump.ptr, "func pic_wait($0 s)\n annot __must_hold(&cfg_lock) @41\n"
				 " annot __releases(&$0->lock) @42\n annot __acquires($0) @42\n b0:\n");

	la_buf_free(&dump);
	la_buf_free(&text);
	ir_func_free(g);
	ir_func_free(f);
	la_arena_free(&b2);
	la_arena_free(&a);
}
END_TEST

static void expect_ir_error(const char *text, const char *msg)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f = NULL;
	la_error_clear();
	ck_assert_int_eq(ir_func_parse(&a, text, &f), LA_EPARSE);
	ck_assert_ptr_null(f);   /* no half-read function handed out */
	ck_assert_str_contains(la_error_last(), msg);
	la_arena_free(&a);
}

START_TEST(test_ir_version_mismatch)
{
	expect_ir_error("(func 99 \"f\" \"c:@F@f\" 0:1:1 (files \"/a.c\") (params))",
			"IR text version 99, this lockaudit reads 1");
	expect_ir_error("(func 99 \"f\" \"c:@F@f\" 0:1:1)", "rescan with --full");
	expect_ir_error("(func \"f\")", "IR text version");
}
END_TEST

START_TEST(test_ir_parse_errors)
{
	expect_ir_error("", "empty IR text");
	expect_ir_error("(fn 1)", "IR line 1: expected (func ...)");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1 (files \"/a.c\") (block 0\n (term - (1))))",
			"successor block ids in range");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1 (files \"/a.c\") (block 1 (term -)))",
			"blocks numbered in order");
	expect_ir_error("(func 1 \"f\" \"u\" 3:1:1 (files \"/a.c\"))", "expected a location FILE:LINE:COL");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1 (files \"/a.c\") (colour 3))",
			"expected static, inline, ncalls, files, section, params, annot, end or block");
	/* errors inside the function name the line of the offending form */
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1\n (files \"/a.c\")\n (block 0\n  (jump 3)\n  (term -)))",
			"IR line 4: expected call, access, assert, assign, return or term");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1\n (files \"/a.c\")\n (block 0\n"
			"  (access \"s\" \"f\" sideways 1 0:2:3 (param 0 \"p\"))\n  (term -)))",
			"IR line 4: expected read, write or addr");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1\n (files \"/a.c\")\n (block 0\n"
			"  (return 0:2:3\n   (frob 1))\n  (term -)))",
			"IR line 5: expected a known expression head");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1 (files \"/a.c\") (block 0 (term -)) (block 1 (term - (7))))",
			"successor block ids in range");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1 (files \"/a.c\") (annot \"__cond_acquires\" 0:1:20 (param 0 \"l\") \"l\"))",
			"expected an annotation macro (__must_hold, __acquires, __releases)");
	expect_ir_error("(func 1 \"f\" \"u\" 0:1:1 (files \"/a.c\") (annot \"__acquires\" 4:1:20 (param 0 \"l\") \"l\"))",
			"expected a location FILE:LINE:COL");
}
END_TEST

/* --- pruning --- */

static ir_block *marked_block(ir_func *f, const char *mark)
{
	ir_block *b = ir_block_new(f);
	if (mark)
		add_access(f, b, "s", mark, IR_READ, e_local(f->arena, "p"), loc(F_MAIN, 1, 1));
	return b;
}

static const char *mark_of(const ir_block *b)
{
	return b->nev ? b->ev[0].u.access.field : NULL;
}

START_TEST(test_ir_prune)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f = ir_func_new(&a, "f", "c:@F@f");
	ir_block *b0 = marked_block(f, "A");
	ir_block *b1 = marked_block(f, "B");   /* unreachable */
	ir_block *b2 = marked_block(f, "C");   /* loop head */
	ir_block *b3 = marked_block(f, "D");   /* loop body */
	ir_block *b4 = marked_block(f, "E");   /* exit */
	ir_block *b5 = marked_block(f, "F");   /* unreachable, loops on itself */
	ir_block *b6 = marked_block(f, NULL);  /* empty: only jumps on */
	ir_block_edge(f, b0, b6, NULL);
	ir_block_edge(f, b1, b2, NULL);
	b2->cond = e_local(&a, "c");
	ir_block_edge(f, b2, b4, "true");
	ir_block_edge(f, b2, b3, "false");
	ir_block_edge(f, b3, b2, NULL);
	ir_block_edge(f, b5, b5, NULL);
	ir_block_edge(f, b6, b2, NULL);
	ir_func_prune(f);

	/* A C D E stay; B and F are unreachable, the empty block is jumped over */
	ck_assert_int_eq(f->nblocks, 4);
	static const char *const marks[] = { "A", "C", "D", "E" };
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(f->blocks[i]->id, i);
		ck_assert_str_eq(mark_of(f->blocks[i]), marks[i]);
	}
	ck_assert_int_eq(f->blocks[0]->nsucc, 1);
	ck_assert_int_eq(f->blocks[0]->succ[0], 1);
	ck_assert_int_eq(f->blocks[1]->nsucc, 2);
	ck_assert_int_eq(f->blocks[1]->succ[0], 3);
	ck_assert_str_eq(f->blocks[1]->label[0], "true");
	ck_assert_int_eq(f->blocks[1]->succ[1], 2);
	ck_assert_str_eq(f->blocks[1]->label[1], "false");
	ck_assert_ptr_nonnull(f->blocks[1]->cond);
	ck_assert_int_eq(f->blocks[2]->nsucc, 1);
	ck_assert_int_eq(f->blocks[2]->succ[0], 1);   /* the back edge, renumbered */
	ck_assert_int_eq(f->blocks[3]->nsucc, 0);

	/* the result is valid IR: it survives the text form */
	la_buf text = LA_BUF_INIT;
	ir_func_write(&text, f);
	ir_func *g;
	ck_assert_msg(ir_func_parse(&a, text.ptr, &g) == LA_OK, "%s", la_error_last());
	ck_assert_int_eq(g->nblocks, 4);
	ir_func_free(g);
	la_buf_free(&text);
	ir_func_free(f);
	la_arena_free(&a);
}
END_TEST

START_TEST(test_ir_prune_keeps_loops)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f = ir_func_new(&a, "spin", "c:@F@spin");
	ir_block *b0 = marked_block(f, "A");
	ir_block *dead = marked_block(f, "dead");
	ir_block *b2 = marked_block(f, NULL);   /* for (;;) ; */
	ir_block_edge(f, b0, b2, NULL);
	ir_block_edge(f, dead, b0, NULL);
	ir_block_edge(f, b2, b2, NULL);
	ir_func_prune(f);
	ck_assert_int_eq(f->nblocks, 2);
	ck_assert_str_eq(mark_of(f->blocks[0]), "A");
	ck_assert_int_eq(f->blocks[0]->succ[0], 1);
	ck_assert_int_eq(f->blocks[1]->nev, 0);
	ck_assert_int_eq(f->blocks[1]->nsucc, 1);
	ck_assert_int_eq(f->blocks[1]->succ[0], 1);   /* still an endless loop */
	ir_func_free(f);

	/* a function of one block, and one without blocks */
	f = ir_func_new(&a, "g", "c:@F@g");
	marked_block(f, "only");
	ir_func_prune(f);
	ck_assert_int_eq(f->nblocks, 1);
	ir_func_free(f);
	f = ir_func_new(&a, "h", "c:@F@h");
	ir_func_prune(f);
	ck_assert_int_eq(f->nblocks, 0);
	ir_func_free(f);
	la_arena_free(&a);
}
END_TEST

/* --- rendering --- */

static void expect_render(const ir_expr *e, const ir_func *f, int names, const char *want)
{
	la_buf b = LA_BUF_INIT;
	ir_expr_render(&b, e, f, names);
	ck_assert_msg(b.ptr && strcmp(b.ptr, want) == 0, "rendered \"%s\", expected \"%s\"", b.ptr ? b.ptr : "",
		      want);
	la_buf_free(&b);
}

START_TEST(test_ir_render_paths)
{
	la_arena a = LA_ARENA_INIT;
	ir_expr *p0 = e_param(&a, 0, "pdev");
	ir_expr *vpci_lock = e_fld(&a, e_fld(&a, p0, "pci_dev", "vpci", 1), "vpci", "lock", 1);
	expect_render(vpci_lock, NULL, 0, "$0->vpci->lock");
	expect_render(vpci_lock, NULL, 1, "pdev->vpci->lock");
	expect_render(e_fld(&a, e_param(&a, 2, NULL), "s", "x", 1), NULL, 1, "$2->x");   /* unnamed */
	expect_render(e_un(&a, IR_E_ADDR, NULL, e_fld(&a, e_local(&a, "d"), "domain", "pci_lock", 1)), NULL, 1,
		      "&d->pci_lock");
	expect_render(e_fld(&a, e_new(&a, IR_E_GLOBAL, "iommu_ops", "c:@iommu_ops", 0), "iommu_ops",
			    "quarantine_init", 0), NULL, 0, "iommu_ops.quarantine_init");
	/* postfix binds tighter than prefix: parentheses where C needs them */
	expect_render(e_fld(&a, e_un(&a, IR_E_DEREF, NULL, e_local(&a, "p")), "s", "x", 0), NULL, 0, "(*p).x");
	expect_render(e_fld(&a, e_un(&a, IR_E_ADDR, NULL, e_local(&a, "v")), "s", "x", 1), NULL, 0, "(&v)->x");
	expect_render(e_un(&a, IR_E_DEREF, NULL, e_fld(&a, e_local(&a, "p"), "s", "x", 1)), NULL, 0, "*p->x");
	expect_render(e_un(&a, IR_E_ADDR, NULL,
			   e_index(&a, e_fld(&a, p0, "vpci_header", "bars", 1), e_int(&a, 2))), NULL, 0,
		      "&$0->bars[2]");
	expect_render(e_index(&a, e_un(&a, IR_E_DEREF, NULL, e_local(&a, "pp")), e_int(&a, 0)), NULL, 0,
		      "(*pp)[0]");
	expect_render(e_un(&a, IR_E_DEREF, NULL, e_bin(&a, "+", e_local(&a, "p"), e_int(&a, 1))), NULL, 0,
		      "*(p + 1)");
	expect_render(e_index(&a, e_local(&a, "a"), e_bin(&a, "+", e_local(&a, "i"), e_int(&a, 1))), NULL, 0,
		      "a[i + 1]");
	expect_render(e_un(&a, IR_E_DEREF, NULL, e_un(&a, IR_E_DEREF, NULL, e_local(&a, "pp"))), NULL, 0,
		      "**pp");
	la_arena_free(&a);
}
END_TEST

START_TEST(test_ir_render_operators)
{
	la_arena a = LA_ARENA_INIT;
	ir_expr *x = e_local(&a, "a"), *y = e_local(&a, "b"), *z = e_local(&a, "c");
	expect_render(e_un(&a, IR_E_UNOP, "!", e_bin(&a, "&&", x, y)), NULL, 0, "!(a && b)");
	expect_render(e_bin(&a, "&&", e_un(&a, IR_E_UNOP, "!", x), y), NULL, 0, "!a && b");
	expect_render(e_bin(&a, "||", x, e_bin(&a, "&&", y, z)), NULL, 0, "a || b && c");
	expect_render(e_bin(&a, "&&", e_bin(&a, "||", x, y), z), NULL, 0, "(a || b) && c");
	expect_render(e_bin(&a, "||", e_bin(&a, "||", x, y), z), NULL, 0, "a || b || c");
	/* left associative: the right operand of equal precedence needs ( ) */
	expect_render(e_bin(&a, "-", e_bin(&a, "-", x, y), z), NULL, 0, "a - b - c");
	expect_render(e_bin(&a, "-", x, e_bin(&a, "-", y, z)), NULL, 0, "a - (b - c)");
	expect_render(e_bin(&a, "*", e_bin(&a, "+", x, y), z), NULL, 0, "(a + b) * c");
	expect_render(e_bin(&a, "==", e_bin(&a, "&", x, e_int(&a, 4)), e_int(&a, 0)), NULL, 0, "(a & 4) == 0");
	expect_render(e_bin(&a, "&", x, e_bin(&a, "==", y, z)), NULL, 0, "a & b == c");
	expect_render(e_bin(&a, "!=", x, ir_expr_new(&a, IR_E_NULL)), NULL, 0, "a != NULL");
	expect_render(e_bin(&a, "<", x, e_int(&a, -1)), NULL, 0, "a < -1");
	expect_render(e_un(&a, IR_E_UNOP, "~", e_int(&a, 3)), NULL, 0, "~3");
	/* "-" before a negative operand must not read as "--" */
	expect_render(e_un(&a, IR_E_UNOP, "-", e_un(&a, IR_E_UNOP, "-", x)), NULL, 0, "- -a");
	expect_render(e_un(&a, IR_E_UNOP, "-", e_int(&a, -5)), NULL, 0, "- -5");
	expect_render(e_un(&a, IR_E_UNOP, "!", e_un(&a, IR_E_UNOP, "!", x)), NULL, 0, "!!a");
	expect_render(e_un(&a, IR_E_UNOP, "-", e_un(&a, IR_E_UNOP, "~", x)), NULL, 0, "-~a");
	/* ?: binds loosest */
	ir_expr *c = e_cond(&a, x, e_fld(&a, x, "domain", "pci_lock", 1), ir_expr_new(&a, IR_E_NULL));
	expect_render(c, NULL, 0, "a ? a->pci_lock : NULL");
	expect_render(e_bin(&a, "==", c, y), NULL, 0, "(a ? a->pci_lock : NULL) == b");
	expect_render(e_un(&a, IR_E_ADDR, NULL, c), NULL, 0, "&(a ? a->pci_lock : NULL)");
	expect_render(e_cond(&a, e_bin(&a, "||", x, y), y, z), NULL, 0, "a || b ? b : c");
	expect_render(e_cond(&a, x, y, e_cond(&a, y, z, x)), NULL, 0, "a ? b : (b ? c : a)");
	/* leaves */
	expect_render(e_int(&a, 42), NULL, 0, "42");
	expect_render(ir_expr_new(&a, IR_E_NULL), NULL, 0, "NULL");
	expect_render(ir_expr_new(&a, IR_E_STR), NULL, 0, "\"...\"");
	expect_render(ir_expr_new(&a, IR_E_UNKNOWN), NULL, 0, "?");
	expect_render(NULL, NULL, 0, "?");
	expect_render(e_new(&a, IR_E_FUNC, "bar_read", "c:vpci.c@F@bar_read", 0), NULL, 0, "bar_read");
	la_arena_free(&a);
}
END_TEST

/* A call result shows the call's arguments when the function is given. */
START_TEST(test_ir_render_callret)
{
	la_arena a = LA_ARENA_INIT;
	ir_func *f = ir_func_new(&a, "f", "c:@F@f");
	f->nparams = 1;
	f->params = la_arena_alloc(&a, sizeof(ir_param));
	f->params[0].name = "d";
	ir_block *b = ir_block_new(f);
	add_call(f, b, IR_CALL_DIRECT, "pcidevs_locked", "c:@F@pcidevs_locked", NULL, loc(F_MAIN, 3, 5), 0, NULL);
	ir_expr *args[] = {
		e_un(&a, IR_E_ADDR, NULL, e_fld(&a, e_param(&a, 0, "d"), "domain", "pci_lock", 1)),
		e_int(&a, 1),
	};
	add_call(f, b, IR_CALL_DIRECT, "rw_is_locked", "c:@F@rw_is_locked", NULL, loc(F_MAIN, 4, 5), 2, args);
	ir_expr *r0 = e_new(&a, IR_E_CALLRET, "pcidevs_locked", NULL, 0);
	ir_expr *r1 = e_new(&a, IR_E_CALLRET, "rw_is_locked", NULL, 1);
	expect_render(r0, f, 0, "pcidevs_locked()");
	expect_render(r1, f, 0, "rw_is_locked(&$0->pci_lock, 1)");
	expect_render(r1, f, 1, "rw_is_locked(&d->pci_lock, 1)");
	expect_render(r1, NULL, 0, "rw_is_locked()");   /* no function: no arguments to show */
	expect_render(e_bin(&a, "||", e_param(&a, 0, "d"), r0), f, 1, "d || pcidevs_locked()");
	expect_render(e_un(&a, IR_E_UNOP, "!", r1), f, 1, "!rw_is_locked(&d->pci_lock, 1)");
	/* a parameter the analysis made (no name of its own) takes the
	 * function's name for it; beyond the parameters it stays $N */
	expect_render(e_fld(&a, e_param(&a, 0, NULL), "domain", "pci_lock", 1), f, 1, "d->pci_lock");
	expect_render(e_fld(&a, e_param(&a, 0, NULL), "domain", "pci_lock", 1), f, 0, "$0->pci_lock");
	expect_render(e_param(&a, 1, NULL), f, 1, "$1");
	ir_func_free(f);
	la_arena_free(&a);
}
END_TEST

START_TEST(test_ir_mode_names)
{
	ck_assert_str_eq(ir_mode_name(IR_READ), "read");
	ck_assert_str_eq(ir_mode_name(IR_WRITE), "write");
	ck_assert_str_eq(ir_mode_name(IR_ADDR), "addr");
}
END_TEST

Suite *suite_ir(void)
{
	Suite *s = suite_create("ir");
	TCase *tc = tcase_create("text");
	tcase_add_test(tc, test_ir_roundtrip);
	tcase_add_test(tc, test_ir_annotations_roundtrip);
	tcase_add_test(tc, test_ir_version_mismatch);
	tcase_add_test(tc, test_ir_parse_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("prune");
	tcase_add_test(tc, test_ir_prune);
	tcase_add_test(tc, test_ir_prune_keeps_loops);
	suite_add_tcase(s, tc);

	tc = tcase_create("render");
	tcase_add_test(tc, test_ir_render_paths);
	tcase_add_test(tc, test_ir_render_operators);
	tcase_add_test(tc, test_ir_render_callret);
	tcase_add_test(tc, test_ir_mode_names);
	suite_add_tcase(s, tc);
	return s;
}
