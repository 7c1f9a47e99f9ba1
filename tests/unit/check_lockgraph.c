/* src/lockgraph and src/checks on hand-built IR (irbuild.h): summaries,
 * entry contexts, trylocks, preconditions, calls through pointers, modes,
 * and a check's finding, without a database. */
#include "testutil.h"

#include "irbuild.h"
#include "checks/check.h"
#include "checks/checks.h"
#include "lockgraph/contexts.h"
#include "lockgraph/origin.h"
#include "util/buf.h"
#include "util/error.h"

#include "suites.h"

/* Xen's spinlock and rwlock primitives, and one guarded field. */
static const char *const RULES =
	"{ \"primitives\": {\n"
	"    \"_spin_lock\": { \"acquire\": 0, \"mode\": \"exclusive\" },\n"
	"    \"_spin_unlock\": { \"release\": 0 },\n"
	"    \"_spin_trylock\": { \"try\": 0, \"mode\": \"exclusive\" },\n"
	"    \"_spin_is_locked\": { \"query\": 0 },\n"
	"    \"_read_lock\": { \"acquire\": 0, \"mode\": \"shared\" },\n"
	"    \"_write_lock\": { \"acquire\": 0, \"mode\": \"exclusive\" } },\n"
	"  \"guards\": [ { \"field\": \"dev.n\", \"read\": { \"any\": [\"L\"] }, \"write\": { \"all\": [\"L\"] } } ] }\n";

/* IR text snippets: the global lock L, and calls taking or dropping it. */
#define L_ADDR "(addr (global 'L' 'c:@L'))"
#define LOCK(id, line) "(call " #id " direct '_spin_lock' '' '' 0:" #line ":5 " L_ADDR ")"
#define UNLOCK(id, line) "(call " #id " direct '_spin_unlock' '' '' 0:" #line ":5 " L_ADDR ")"
#define WRITE_N(line) "(access 'dev' 'n' write 0 0:" #line ":5 (global 'd' 'c:@d'))"

/* --- a sink that records what the final run sees --- */

/* One line per access and call: "FN:LINE LOCKS", each lock on some path as
 * INST(MODES,HOW): its modes on the paths ("x/s": exclusive on one, shared
 * on another), how the first path holds it, "?" when not held on every
 * path; "-" for none; a call
 * to a function with a precondition adds " req=V,...", lk_req_eval per path. */
typedef struct recorder {
	lk_prog *p;
	la_buf log;
} recorder;

static const char *how_text(int how)
{
	return how == LK_INHERITED ? "inherited" : how == LK_ASSERTED ? "asserted"
	       : how == LK_SOME_PATHS ? "some-paths" : "acquired";
}

static void record_requires(recorder *r, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	int id = e->u.call.id;
	if (id < 0 || id >= fn->ir->ncalls || fn->calls[id].ntargets != 1)
		return;
	const lk_fn *callee = &r->p->fn[fn->calls[id].targets[0]];
	for (int k = 0; k < callee->sum.nrequires; k++) {
		la_buf_puts(&r->log, " req=");
		for (int j = 0; j < n; j++)
			la_buf_printf(&r->log, "%s%d", j ? "," : "",
				      lk_req_eval(r->p, fn, e, callee->sum.requires[k].cond, states[j], NULL, NULL, NULL, 0));
	}
}

static void record_event(void *ctx, const lk_fn *fn, int block, int idx, const ir_event *e, lk_state *const *states,
			 int n)
{
	(void)block;
	(void)idx;
	recorder *r = ctx;
	if (e->kind != IR_EV_ACCESS && e->kind != IR_EV_CALL)
		return;
	la_buf_printf(&r->log, "%s:%d", fn->name, e->loc.line);
	int any = 0;
	for (int j = 0; j < n; j++)
		for (int i = 0; i < states[j]->nheld; i++) {
			const lk_held *h = &states[j]->held[i];
			int first = 1, must = 1;
			for (int k = 0; k < j && first; k++)
				first = lk_state_find(states[k], h->inst, h->cls) == NULL;
			for (int k = 0; k < n && must; k++) {
				const lk_held *o = lk_state_find(states[k], h->inst, h->cls);
				must = o && !o->maybe;
			}
			if (!first)
				continue;
			la_buf_printf(&r->log, " %s(", h->inst);
			char modes[4] = "";   /* each mode it has on some path, in path order */
			for (int k = j; k < n; k++) {
				const lk_held *o = lk_state_find(states[k], h->inst, h->cls);
				const char *m = !o ? NULL : o->mode == LOCK_SHARED ? "s" : o->mode == LOCK_RECURSIVE ? "r" : "x";
				if (!m || strstr(modes, m))
					continue;
				la_buf_printf(&r->log, "%s%s", modes[0] ? "/" : "", m);
				strcat(modes, m);
			}
			la_buf_printf(&r->log, ",%s)%s", how_text(h->how), must ? "" : "?");
			any = 1;
		}
	if (!any)
		la_buf_puts(&r->log, n ? " -" : " (no path)");
	if (e->kind == IR_EV_CALL)
		record_requires(r, fn, e, states, n);
	la_buf_putc(&r->log, '\n');
}

/* Build and run the program; the log of its final run. */
static char *run(irb *b)
{
	recorder r = { irb_build(b), LA_BUF_INIT };
	lk_sink sink = { record_event, NULL, NULL, NULL, &r };
	ck_assert_int_eq(lk_prog_run(b->p, &sink), LA_OK);
	la_buf_putc(&r.log, 0);   /* an empty log is still a string */
	return la_buf_detach(&r.log);
}

/* The log line of the event of fn at `line` (the first), without "FN:LINE". */
static char *at(const char *log, const char *fn, int line)
{
	char *key = t_fmt("\n%s:%d ", fn, line);
	char *text = t_fmt("\n%s", log);
	const char *p = strstr(text, key);
	ck_assert_msg(p != NULL, "no event of %s at line %d in:\n%s", fn, line, log);
	p += strlen(key);
	char *out = strndup(p, strcspn(p, "\n"));
	free(key);
	free(text);
	return out;
}

#define ck_assert_held(log, fn, line, want) do { \
	char *_got = at((log), (fn), (line)); \
	ck_assert_str_eq(_got, (want)); \
	free(_got); \
} while (0)

static char *render(const ir_expr *e)
{
	la_buf b = LA_BUF_INIT;
	ir_expr_render(&b, e, NULL, 0);
	return la_buf_detach(&b);
}

/* --- tests --- */

/* f(l) takes *l: its summary acquires $0's object, and a caller of f(&L)
 * holds L afterwards; unlock(l) releases it. */
START_TEST(test_wrapper_summary)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "lock", "(params ('l' 'spinlock_t *'))"
		 " (block 0 (call 0 direct '_spin_lock' '' '' 0:2:5 (param 0 'l')) (term -))");
	irb_func(&b, "unlock", "(params ('l' 'spinlock_t *'))"
		 " (block 0 (call 0 direct '_spin_unlock' '' '' 0:3:5 (param 0 'l')) (term -))");
	irb_func(&b, "g", "(params) (block 0"
		 " (call 0 direct 'lock' '' '' 0:10:5 " L_ADDR ") " WRITE_N(11)
		 " (call 1 direct 'unlock' '' '' 0:12:5 " L_ADDR ") " WRITE_N(13) " (term -))");
	char *log = run(&b);
	const lk_summary *s = &irb_fn(&b, "lock")->sum;
	ck_assert_int_eq(s->neff, 1);
	ck_assert_int_eq(s->eff[0].op, PRIM_ACQUIRE);
	ck_assert_int_eq(s->eff[0].cond, LK_ALWAYS);
	ck_assert_int_eq(s->eff[0].mode, LOCK_EXCLUSIVE);
	char *obj = render(s->eff[0].obj);
	ck_assert_str_eq(obj, "*$0");
	free(obj);
	ck_assert_int_eq(irb_fn(&b, "unlock")->sum.eff[0].op, PRIM_RELEASE);
	ck_assert_held(log, "g", 10, "-");
	ck_assert_held(log, "g", 11, "L(x,acquired)");
	ck_assert_held(log, "g", 12, "L(x,acquired)");
	ck_assert_held(log, "g", 13, "-");
	ck_assert_int_eq(b.p->stats.wrappers, 2);
	free(log);
	irb_free(&b);
}
END_TEST

/* g holds L when it calls h: h's entry has L, inherited, and h's access
 * sees it; k is called by one caller with L and one without: nothing. */
START_TEST(test_entry_context)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "h", "(params) (block 0 " WRITE_N(2) " (term -))");
	irb_func(&b, "k", "(params) (block 0 " WRITE_N(4) " (term -))");
	irb_func(&b, "g", "(params) (block 0 " LOCK(0, 10)
		 " (call 1 direct 'h' '' '' 0:11:5) (call 2 direct 'k' '' '' 0:12:5) " UNLOCK(3, 13) " (term -))");
	irb_func(&b, "m", "(params) (block 0 (call 0 direct 'k' '' '' 0:20:5) (term -))");
	char *log = run(&b);
	const lk_fn *h = irb_fn(&b, "h");
	ck_assert_int_eq(h->nentry, 1);
	ck_assert_str_eq(h->entry[0].inst, "L");
	ck_assert_str_eq(h->entry[0].cls, "L");
	ck_assert_int_eq(h->entry[0].how, LK_INHERITED);
	ck_assert_int_eq(h->entry[0].mode, LOCK_EXCLUSIVE);
	ck_assert_int_eq(h->nsites, 1);
	ck_assert_held(log, "h", 2, "L(x,inherited)");
	ck_assert_int_eq(irb_fn(&b, "k")->nentry, 0);
	ck_assert_int_eq(irb_fn(&b, "k")->nsites, 2);
	ck_assert_held(log, "k", 4, "-");
	free(log);
	irb_free(&b);
}
END_TEST

/* IRQ state: the irqsave in g reaches h (off at entry); k is called from
 * a root entered with IRQs off and one entered with them on (unknown); j
 * only from the second (on). The inline lockirq() carries _spin_lock_irq's
 * effect (IRQs off after it, and it needs them on), and g gives back the
 * state it found. */
START_TEST(test_irq_state)
{
	irb b;
	irb_init(&b, "{ \"primitives\": {\n"
		 "    \"_spin_lock_irqsave\": { \"acquire\": 0, \"irq\": \"save\" },\n"
		 "    \"_spin_unlock_irqrestore\": { \"release\": 0, \"irq\": \"restore\" },\n"
		 "    \"_spin_lock_irq\": { \"acquire\": 0, \"irq\": \"disable\" } },\n"
		 "  \"irq\": { \"off\": [\"entry_off\"], \"on\": [\"entry_on\"] } }\n");
	irb_func(&b, "lockirq", "(params ('l' 'spinlock_t *'))"
		 " (block 0 (call 0 direct '_spin_lock_irq' '' '' 0:2:5 (param 0 'l')) (term -))");
	irb_func(&b, "h", "(params) (block 0 " WRITE_N(4) " (term -))");
	irb_func(&b, "j", "(params) (block 0 " WRITE_N(5) " (term -))");
	irb_func(&b, "k", "(params) (block 0 " WRITE_N(6) " (term -))");
	irb_func(&b, "g", "(params) (block 0 (call 0 direct '_spin_lock_irqsave' '' '' 0:10:5 " L_ADDR ")"
		 " (call 1 direct 'h' '' '' 0:11:5)"
		 " (call 2 direct '_spin_unlock_irqrestore' '' '' 0:12:5 " L_ADDR " (local 'flags')) (term -))");
	irb_func(&b, "entry_off", "(params) (block 0 (call 0 direct 'k' '' '' 0:20:5) (call 1 direct 'g' '' '' 0:21:5) (term -))");
	irb_func(&b, "entry_on", "(params) (block 0 (call 0 direct 'k' '' '' 0:30:5) (call 1 direct 'j' '' '' 0:31:5) (term -))");
	char *log = run(&b);
	ck_assert_int_eq(irb_fn(&b, "h")->irq_entry, LK_IRQ_OFF);
	ck_assert_int_eq(irb_fn(&b, "j")->irq_entry, LK_IRQ_ON);
	ck_assert_int_eq(irb_fn(&b, "k")->irq_entry, LK_IRQ_UNKNOWN);
	ck_assert_int_eq(irb_fn(&b, "entry_off")->irq_entry, LK_IRQ_OFF);
	ck_assert_int_eq(irb_fn(&b, "g")->irq_entry, LK_IRQ_OFF);
	const lk_summary *w = &irb_fn(&b, "lockirq")->sum;
	ck_assert_int_eq(w->irq_exit, LK_IRQ_OFF);
	ck_assert_ptr_nonnull(w->irq_on_at);
	ck_assert_int_eq(irb_fn(&b, "g")->sum.irq_exit, LK_IRQ_ENTRY);
	ck_assert_ptr_null(irb_fn(&b, "g")->sum.irq_on_at);
	/* lock_irq() in g would need IRQs on: h's and j's take nothing */
	ck_assert_int_eq(irb_fn(&b, "h")->sum.nirq_locks, 0);
	free(log);
	irb_free(&b);
}
END_TEST

/* k is called with L held from g and with M (read) held from m: its entry
 * context holds neither, its calling contexts are {L} and {M shared}. */
START_TEST(test_calling_contexts)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "k", "(params) (block 0 " WRITE_N(4) " (term -))");
	irb_func(&b, "g", "(params) (block 0 " LOCK(0, 10) " (call 1 direct 'k' '' '' 0:11:5) " UNLOCK(2, 12)
		 " (term -))");
	irb_func(&b, "m", "(params) (block 0 (call 0 direct '_read_lock' '' '' 0:20:5 (addr (global 'M' 'c:@M')))"
		 " (call 1 direct 'k' '' '' 0:21:5) (term -))");
	free(run(&b));
	lk_contexts *cx = lk_contexts_new(b.p);
	int n;
	const lk_lockset *sets = lk_contexts_of(cx, (int)(irb_fn(&b, "k") - b.p->fn), &n);
	ck_assert_int_eq(irb_fn(&b, "k")->nentry, 0);
	ck_assert_int_eq(n, 2);
	/* sites in source order: g's call (line 11), then m's (line 21) */
	ck_assert_int_eq(sets[0].n, 1);
	ck_assert_str_eq(sets[0].v[0].cls, "L");
	ck_assert(sets[0].v[0].exclusive);
	ck_assert_int_eq(sets[1].n, 1);
	ck_assert_str_eq(sets[1].v[0].cls, "M");
	ck_assert(!sets[1].v[0].exclusive);
	/* g and m are roots: their one context is their (empty) entry */
	lk_contexts_of(cx, (int)(irb_fn(&b, "g") - b.p->fn), &n);
	ck_assert_int_eq(n, 1);
	lk_contexts_free(cx);
	irb_free(&b);
}
END_TEST

/* The origins of what a pointer points to (origin.h), as text. */
static char *origins_text(irb *b, const char *fn, const ir_expr *ptr, const lk_origin_scope *scope)
{
	lk_origins o = { LA_STRSET_INIT, 0, NULL, NULL };
	lk_origins_of_pointer(b->p, (int)(irb_fn(b, fn) - b->p->fn), ptr, scope, &o);
	la_buf t = LA_BUF_INIT;
	if (o.any)
		la_buf_puts(&t, "*any*");
	for (size_t i = 0; !o.any && i < o.tokens.n; i++)
		la_buf_printf(&t, "%s%s", i ? " " : "", o.tokens.items[i]);
	la_buf_putc(&t, 0);
	lk_origins_free(&o);
	return la_buf_detach(&t);
}

#define ck_assert_origins(b, fn, ptr, scope, want) do { \
	char *_o = origins_text((b), (fn), (ptr), (scope)); \
	ck_assert_str_eq(_o, (want)); \
	free(_o); \
} while (0)

/* Origins: a field, a global pointer, a global object, an object an
 * allocator made and kept private, one published, and a parameter followed
 * to its callers (all of them, or only those that pass one callback). */
START_TEST(test_origins)
{
	irb b;
	irb_init(&b, "{ \"allocators\": [\"_xmalloc\"] }");
	irb_func(&b, "mk", "(params) (block 0 (call 0 direct '_xmalloc' '' '' 0:2:5 (int 8))"
		 " (assign 0:2:5 (local 'r') (ret 0 '_xmalloc')) (return 0:3:5 (local 'r')) (term -))");
	irb_func(&b, "own", "(params) (block 0 (call 0 direct 'mk' '' '' 0:5:5)"
		 " (assign 0:5:5 (local 'm') (ret 0 'mk')) (term -))");
	irb_func(&b, "pub", "(params) (block 0 (call 0 direct 'mk' '' '' 0:7:5)"
		 " (assign 0:7:5 (local 'm') (ret 0 'mk')) (assign 0:8:5 (global 'G' 'c:@G') (local 'm')) (term -))");
	irb_func(&b, "use", "(params ('p' 'struct s *')) (block 0 (term -))");
	irb_func(&b, "a", "(params ('d' 'struct dom *')) (block 0"
		 " (call 0 direct 'use' '' '' 0:10:5 (fld 'dom' 'caps' 1 (param 0 'd'))) (term -))");
	irb_func(&b, "c", "(params) (block 0 (call 0 direct 'use' '' '' 0:12:5 (global 'ro' 'c:@ro')) (term -))");
	free(run(&b));
	ir_expr field = { IR_E_FIELD, 1, "caps", "dom", NULL, NULL, NULL };
	ir_expr d = { IR_E_PARAM, 0, "d", NULL, NULL, NULL, NULL };
	field.a = &d;
	ck_assert_origins(&b, "a", &field, NULL, "dom.caps");
	ir_expr ro = { IR_E_GLOBAL, 0, "ro", "c:@ro", NULL, NULL, NULL };
	ck_assert_origins(&b, "c", &ro, NULL, "*ro");
	ir_expr obj = { IR_E_GLOBAL, 0, "tbl", "c:@tbl", NULL, NULL, NULL };
	ir_expr addr = { IR_E_ADDR, 0, NULL, NULL, &obj, NULL, NULL };
	ck_assert_origins(&b, "c", &addr, NULL, "&tbl");
	ir_expr m = { IR_E_LOCAL, 0, "m", NULL, NULL, NULL, NULL };
	ck_assert_origins(&b, "own", &m, NULL, "new:mk@own");   /* mk() returns what _xmalloc made */
	ck_assert_origins(&b, "pub", &m, NULL, "*any*");        /* stored in a global */
	ir_expr p = { IR_E_PARAM, 0, "p", NULL, NULL, NULL, NULL };
	ck_assert_origins(&b, "use", &p, NULL, "dom.caps *ro");  /* both callers, in source order */
	char *only_c = calloc((size_t)b.p->nfn + 1, 1);
	only_c[irb_fn(&b, "c") - b.p->fn] = 1;
	lk_origin_scope scope = { only_c, -1, -1, 0 };
	ck_assert_origins(&b, "use", &p, &scope, "*ro");
	free(only_c);
	/* a parameter nobody passes: anything */
	ck_assert_origins(&b, "a", &d, NULL, "*any*");
	lk_origins x = { LA_STRSET_INIT, 0, NULL, NULL }, y = { LA_STRSET_INIT, 0, NULL, NULL };
	lk_origins_of_pointer(b.p, (int)(irb_fn(&b, "a") - b.p->fn), &field, NULL, &x);
	lk_origins_of_pointer(b.p, (int)(irb_fn(&b, "c") - b.p->fn), &ro, NULL, &y);
	ck_assert(!lk_origins_meet(&x, &y));
	ck_assert(!lk_origins_private(&x));
	lk_origins_free(&x);
	lk_origins_free(&y);
	irb_free(&b);
}
END_TEST

/* if (_spin_trylock(&L)) { L held } else { not held }, also through !. */
START_TEST(test_trylock_branch)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "f", "(params)"
		 " (block 0 (call 0 direct '_spin_trylock' '' '' 0:2:9 " L_ADDR ")"
		 "  (term (ret 0 '_spin_trylock') (1 'true') (2 'false')))"
		 " (block 1 " WRITE_N(3) " " UNLOCK(1, 4) " (return 0:5:9) (term -))"
		 " (block 2 " WRITE_N(6) " (return 0:7:5) (term -))");
	irb_func(&b, "neg", "(params)"
		 " (block 0 (call 0 direct '_spin_trylock' '' '' 0:12:9 " L_ADDR ")"
		 "  (term (un '!' (ret 0 '_spin_trylock')) (1 'true') (2 'false')))"
		 " (block 1 " WRITE_N(13) " (return 0:14:9) (term -))"
		 " (block 2 " WRITE_N(15) " " UNLOCK(1, 16) " (term -))");
	char *log = run(&b);
	ck_assert_held(log, "f", 2, "-");
	ck_assert_held(log, "f", 3, "L(x,acquired)");
	ck_assert_held(log, "f", 4, "L(x,acquired)");
	ck_assert_held(log, "f", 6, "-");
	ck_assert_held(log, "neg", 13, "-");
	ck_assert_held(log, "neg", 15, "L(x,acquired)");
	free(log);
	irb_free(&b);
}
END_TEST

/* h asserts that L is held: its summary requires held(L), which a caller
 * without L violates and a caller with L satisfies. */
START_TEST(test_precondition)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "h", "(params)"
		 " (block 0 (call 0 direct '_spin_is_locked' '' '' 0:2:12 " L_ADDR ")"
		 "  (assert 'ASSERT' 0:2:5 (ret 0 '_spin_is_locked')) " WRITE_N(3) " (term -))");
	irb_func(&b, "without", "(params) (block 0 (call 0 direct 'h' '' '' 0:10:5) (term -))");
	irb_func(&b, "with", "(params) (block 0 " LOCK(0, 20) " (call 1 direct 'h' '' '' 0:21:5) "
		 UNLOCK(2, 22) " (term -))");
	char *log = run(&b);
	const lk_summary *s = &irb_fn(&b, "h")->sum;
	ck_assert_int_eq(s->nrequires, 1);
	ck_assert_str_eq(s->requires[0].text, "held(L)");
	ck_assert_str_eq(s->requires[0].macro, "ASSERT");
	ck_assert_int_eq(s->requires[0].cond->op, LK_REQ_HELD);
	ck_assert_held(log, "without", 10, "- req=0");
	ck_assert_held(log, "with", 21, "L(x,acquired) req=1");
	/* after the assertion h has L, whoever called it (a query: shared) */
	ck_assert_held(log, "h", 3, "L(s,asserted)");

	/* and the classes the violation misses */
	const lk_fn *without = irb_fn(&b, "without");
	const ir_event *call = ir_func_call(without->ir, 0);
	la_arena a = LA_ARENA_INIT;
	const char *missing[1];
	int modes[1], nmissing = 0;
	ck_assert_int_eq(lk_req_eval(b.p, without, call, s->requires[0].cond, lk_state_empty(&a), missing, modes,
				     &nmissing, 1), 0);
	ck_assert_int_eq(nmissing, 1);
	ck_assert_str_eq(missing[0], "L");
	ck_assert_int_eq(modes[0], LOCK_ANY);
	la_arena_free(&a);
	free(log);
	irb_free(&b);
}
END_TEST

/* A call through ops.enter: when both targets take L, L is held after the
 * call; when only one does, it is held "maybe" (some paths). */
static char *run_fnptr(irb *b, int both)
{
	irb_init(b, RULES);
	irb_func(b, "t1", "(params) (block 0 " LOCK(0, 2) " (term -))");
	irb_func(b, "t2", both ? "(params) (block 0 " LOCK(0, 4) " (term -))" : "(params) (block 0 (term -))");
	irb_func(b, "c", "(params ('o' 'struct ops *'))"
		 " (block 0 (call 0 indirect 'o->enter' '' 'ops.enter' 0:10:5) " WRITE_N(11) " (term -))");
	irb_func(b, "after", "(params) (block 0 " WRITE_N(20) " (term -))");
	irb_func(b, "c2", "(params ('o' 'struct ops *'))"
		 " (block 0 (call 0 indirect 'o->enter' '' 'ops.enter' 0:30:5) (call 1 direct 'after' '' '' 0:31:5)"
		 " (term -))");
	irb_flow(b, "ops.enter", "t1");
	irb_flow(b, "ops.enter", "t2");
	return run(b);
}

START_TEST(test_fnptr_targets)
{
	irb b;
	char *log = run_fnptr(&b, 1);
	const lk_call *call = &irb_fn(&b, "c")->calls[0];
	ck_assert_int_eq(call->ntargets, 2);
	ck_assert_int_eq(b.p->stats.targets_indirect, 2);
	ck_assert_held(log, "c", 11, "L(x,acquired)");
	ck_assert_held(log, "after", 20, "L(x,inherited)");
	free(log);
	irb_free(&b);

	log = run_fnptr(&b, 0);
	ck_assert_held(log, "c", 11, "L(x,some-paths)?");
	const lk_fn *after = irb_fn(&b, "after");
	ck_assert_int_eq(after->nentry, 1);
	ck_assert_int_eq(after->entry[0].maybe, 1);
	ck_assert_int_eq(after->entry[0].how, LK_SOME_PATHS);
	ck_assert_held(log, "after", 20, "L(x,some-paths)?");
	free(log);
	irb_free(&b);
}
END_TEST

/* L write-locked on one path and read-locked on the other when h is
 * called: h's entry has it shared, flagged mixed. */
START_TEST(test_mixed_mode)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "h", "(params) (block 0 " WRITE_N(2) " (term -))");
	irb_func(&b, "c", "(params ('w' 'int'))"
		 " (block 0 (term (param 0 'w') (1 'true') (2 'false')))"
		 " (block 1 (call 0 direct '_write_lock' '' '' 0:11:9 " L_ADDR ") (term - (3)))"
		 " (block 2 (call 1 direct '_read_lock' '' '' 0:13:9 " L_ADDR ") (term - (3)))"
		 " (block 3 (call 2 direct 'h' '' '' 0:14:5) (term -))");
	char *log = run(&b);
	ck_assert_held(log, "c", 14, "L(x/s,acquired)");   /* one state per path */
	const lk_fn *h = irb_fn(&b, "h");
	ck_assert_int_eq(h->nentry, 1);
	ck_assert_str_eq(h->entry[0].inst, "L");
	ck_assert_int_eq(h->entry[0].mode, LOCK_SHARED);
	ck_assert_int_eq(h->entry[0].mixed, 1);
	ck_assert_int_eq(h->entry[0].maybe, 0);
	ck_assert_held(log, "h", 2, "L(s,inherited)");
	free(log);
	irb_free(&b);
}
END_TEST

/* Boot code: a function in a boot section, and one only it calls; one that
 * run-time code calls too is not; "after" marks its function. */
START_TEST(test_boot_code)
{
	irb b;
	irb_init(&b, "{\"boot\": {\"sections\": [\".init.text\"], "
		     "\"after\": [{\"function\": \"teardown\", \"reason\": \"r\"}]}}");
	irb_func(&b, "init_fn", "(section '.init.text') (params)"
		 " (block 0 (call 0 direct 'helper' '' '' 0:2:5) (call 1 direct 'shared' '' '' 0:3:5) (term -))");
	irb_func(&b, "helper", "(params) (block 0 (call 0 direct 'leaf' '' '' 0:6:5) (term -))");
	irb_func(&b, "leaf", "(params) (block 0 (term -))");
	irb_func(&b, "shared", "(params) (block 0 (term -))");
	irb_func(&b, "run", "(params) (block 0 (call 0 direct 'shared' '' '' 0:9:5) (term -))");
	irb_func(&b, "other", "(section '.text.unlikely') (params) (block 0 (term -))");
	irb_func(&b, "teardown", "(params) (block 0 (term -))");
	irb_build(&b);
	ck_assert_int_eq(irb_fn(&b, "init_fn")->boot, 1);
	ck_assert_int_eq(irb_fn(&b, "helper")->boot, 1);
	ck_assert_int_eq(irb_fn(&b, "leaf")->boot, 1);
	ck_assert_int_eq(irb_fn(&b, "shared")->boot, 0);
	ck_assert_int_eq(irb_fn(&b, "run")->boot, 0);
	ck_assert_int_eq(irb_fn(&b, "other")->boot, 0);
	ck_assert_int_eq(irb_fn(&b, "teardown")->after_boot, 1);
	ck_assert_int_eq(irb_fn(&b, "run")->after_boot, 0);
	irb_free(&b);
}
END_TEST

/* The checks on hand-built IR: dev.n is written under L in one function
 * and without it in another, so `guard` reports the second; `double-lock`
 * a function taking L that its caller already holds. */
START_TEST(test_checks_without_store)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "locked", "(params) (block 0 " LOCK(0, 2) " " WRITE_N(3) " " UNLOCK(1, 4) " (term -))");
	irb_func(&b, "racy", "(params) (block 0 " WRITE_N(10) " (term -))");
	irb_func(&b, "relock", "(params) (block 0 " LOCK(0, 20) " " UNLOCK(1, 21) " (term -))");
	irb_func(&b, "outer", "(params) (block 0 " LOCK(0, 30) " (call 1 direct 'relock' '' '' 0:31:5) "
		 UNLOCK(2, 32) " (term -))");
	lk_prog *p = irb_build(&b);
	checks_run *cr;
	ck_assert_int_eq(checks_new(b.r, "/src", &cr), LA_OK);
	const lk_observer *obs = checks_observer(cr);
	obs->start(obs->ctx, p);
	ck_assert_int_eq(lk_prog_run(p, obs->sink), LA_OK);
	checks_finish(cr, p);
	int n;
	const finding *const *fs = checks_findings(cr, &n);
	ck_assert_int_eq(n, 2);
	const finding *guard = strcmp(fs[0]->check, "guard") == 0 ? fs[0] : fs[1];
	const finding *dbl = guard == fs[0] ? fs[1] : fs[0];
	ck_assert_str_eq(guard->check, "guard");
	ck_assert_str_eq(guard->file, "t.c");
	ck_assert_int_eq(guard->line, 10);
	ck_assert_str_eq(guard->func, "racy");
	ck_assert_str_eq(guard->subject, "dev.n");
	ck_assert_str_contains(guard->message, "dev.n");
	ck_assert_str_eq(dbl->check, "double-lock");
	ck_assert_str_eq(dbl->func, "relock");
	ck_assert_int_eq(dbl->line, 20);
	ck_assert_int_eq((int)strlen(dbl->fingerprint), 16);
	checks_free(cr);
	irb_free(&b);
}
END_TEST

/* A USR given twice is refused, and the input is still freed. */
START_TEST(test_build_duplicate)
{
	irb b;
	irb_init(&b, RULES);
	irb_func(&b, "f", "(params) (block 0 (term -))");
	irb_func(&b, "f", "(params) (block 0 (term -))");
	ck_assert_int_eq(lk_prog_build(&b.in, b.r, &b.p), LA_EINVAL);
	ck_assert_ptr_null(b.p);
	ck_assert_int_eq(b.in.nfuncs, 0);
	irb_free(&b);
}
END_TEST

Suite *suite_lockgraph(void)
{
	Suite *s = suite_create("lockgraph");
	TCase *tc = tcase_create("program");
	tcase_add_test(tc, test_wrapper_summary);
	tcase_add_test(tc, test_entry_context);
	tcase_add_test(tc, test_irq_state);
	tcase_add_test(tc, test_calling_contexts);
	tcase_add_test(tc, test_origins);
	tcase_add_test(tc, test_trylock_branch);
	tcase_add_test(tc, test_precondition);
	tcase_add_test(tc, test_fnptr_targets);
	tcase_add_test(tc, test_mixed_mode);
	tcase_add_test(tc, test_build_duplicate);
	tcase_add_test(tc, test_boot_code);
	suite_add_tcase(s, tc);
	tc = tcase_create("checks");
	tcase_add_test(tc, test_checks_without_store);
	suite_add_tcase(s, tc);
	return s;
}
