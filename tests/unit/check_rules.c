/* src/rules: rules files. Every error names the file and the JSON path. */
#include "testutil.h"

#include "rules/rules.h"
#include "util/error.h"

#include "suites.h"

static char *tmpdir;

static void setup_tmp(void)
{
	tmpdir = t_mkdtemp();
}

static void teardown_tmp(void)
{
	t_rmtree(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
}

static char *write_rules(const char *name, const char *text)
{
	char *path = t_fmt("%s/%s", tmpdir, name);
	t_write(path, text);
	return path;
}

START_TEST(test_rules_valid)
{
	char *path = write_rules("xen.json", "{\n  \"description\": \"Xen PCI locking\",\n"
				 "  \"assert_macros\": [\"ASSERT\", \"BUG_ON\", \"lockdep_assert_held\"]\n}\n");
	rules *r = NULL;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->path, path);
	ck_assert_str_eq(r->description, "Xen PCI locking");
	ck_assert_int_eq(r->nassert_macros, 3);
	ck_assert_str_eq(r->assert_macros[0], "ASSERT");
	ck_assert_str_eq(r->assert_macros[1], "BUG_ON");
	ck_assert_str_eq(r->assert_macros[2], "lockdep_assert_held");
	rules_free(r);

	/* every key is optional */
	char *empty = write_rules("empty.json", "{}");
	ck_assert_int_eq(rules_load(empty, &r), LA_OK);
	ck_assert_ptr_null(r->description);
	ck_assert_int_eq(r->nassert_macros, 0);
	rules_free(r);
	rules_free(NULL);
	free(empty);
	free(path);
}
END_TEST

/* The rules file shipped with lockaudit loads. */
START_TEST(test_rules_shipped)
{
	const char *src = getenv("LOCKAUDIT_SRC");
	ck_assert_msg(src != NULL, "LOCKAUDIT_SRC must name the source tree");
	char *path = t_fmt("%s/rules/xen-pci.json", src);
	rules *r;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());
	ck_assert_int_ge(r->nassert_macros, 1);
	ck_assert_str_eq(r->assert_macros[0], "ASSERT");

	/* Xen's discipline, from the comment above pci_lock in struct domain */
	const rules_guard *g = rules_find_guard(r, "domain", "pdev_list");
	ck_assert_ptr_nonnull(g);
	ck_assert(g->read.present && g->read.any && g->read.nlocks == 2);
	ck_assert_str_eq(g->read.locks[0].cls, "_pcidevs_lock");
	ck_assert_str_eq(g->read.locks[1].cls, "domain.pci_lock");
	ck_assert_int_eq(g->read.locks[1].modes, LOCK_ANY);
	ck_assert(g->write.present && !g->write.any && g->write.nlocks == 2);
	ck_assert_int_eq(g->write.locks[1].modes, LOCK_EXCLUSIVE | LOCK_RECURSIVE);
	g = rules_find_guard(r, "pci_dev", "domain_list");
	ck_assert(g && g->read.any && g->write.nlocks == 2);
	g = rules_find_guard(r, "pci_dev", "vpci");
	ck_assert(g && g->read.any && g->read.nlocks == 2);
	/* writers hold both, as the comment above Xen's pci_lock says */
	ck_assert(!g->write.any && g->write.nlocks == 2);
	ck_assert_str_eq(g->write.locks[0].cls, "_pcidevs_lock");
	ck_assert_str_eq(g->write.locks[1].cls, "domain.pci_lock");
	ck_assert_int_eq(g->write.locks[1].modes, LOCK_EXCLUSIVE | LOCK_RECURSIVE);
	g = rules_find_guard(r, "vpci", "rebar");
	/* its own lock, or d->pci_lock for writing (which keeps out every user) */
	ck_assert(g && g->field == NULL && g->read.any && g->read.nlocks == 2);
	ck_assert_str_eq(g->write.locks[0].cls, "vpci.lock");
	ck_assert_str_eq(g->write.locks[1].cls, "domain.pci_lock");
	ck_assert_int_eq(g->write.locks[1].modes, LOCK_EXCLUSIVE | LOCK_RECURSIVE);
	ck_assert_ptr_null(rules_find_guard(r, "vpci", "lock"));
	for (int i = 0; i < r->nguards; i++)
		ck_assert_msg(r->guards[i].reason && *r->guards[i].reason, "guard %d has no reason", i);

	int chain = -1, pos = -1;
	ck_assert_int_eq(r->norders, 1);
	ck_assert(rules_order_of(r, "_pcidevs_lock", &chain, &pos) && chain == 0 && pos == 0);
	ck_assert(rules_order_of(r, "domain.pci_lock", &chain, &pos) && chain == 0 && pos == 1);
	ck_assert(rules_order_of(r, "vpci.lock", &chain, &pos) && chain == 0 && pos == 2);
	ck_assert_ptr_null(r->orders[0][3]);
	ck_assert(rules_is_exclusive(r, "vpci.lock"));
	ck_assert(!rules_is_exclusive(r, "domain.pci_lock"));
	const rules_forbidden *f = rules_find_forbidden(r, "process_pending_softirqs");
	ck_assert(f && f->classes == NULL && f->nclasses == 0 && f->reason && *f->reason);
	/* path-based ignores only, each with its reason */
	ck_assert_int_gt(r->nignores, 0);
	for (int i = 0; i < r->nignores; i++)
		ck_assert(r->ignores[i].via && r->ignores[i].reason && *r->ignores[i].reason);
	ck_assert_ptr_null(rules_find_ignore(r, "guard", "init_msi", "vpci.msi"));
	ck_assert_int_eq(r->nchecks, 0);
	rules_free(r);
	free(path);
}
END_TEST

/* Every rule kind, and the lookups the checks use. */
START_TEST(test_rules_kinds)
{
	char *path = write_rules("kinds.json",
		"{\n"
		" \"guards\": [\n"
		"  {\"field\": \"pci_dev.vpci\", \"reason\": \"removal\",\n"
		"   \"read\": {\"any\": [\"_pcidevs_lock\", \"domain.pci_lock:read\"]},\n"
		"   \"write\": {\"all\": [\"_pcidevs_lock\", \"domain.pci_lock:write\"]}},\n"
		"  {\"field\": \"pci_dev.*\", \"except\": [\"vpci\", \"lock\"],\n"
		"   \"access\": {\"all\": [\"_pcidevs_lock\"]}},\n"
		"  {\"field\": \"domain.arch.flags\", \"write\": {\"any\": [\"domain.lock\"]}},\n"
		"  {\"field\": \"vpci.*\", \"access\": {\"all\": [\"vpci.lock\"]}}\n"
		" ],\n"
		" \"order\": [[\"_pcidevs_lock\", \"domain.pci_lock\", \"vpci.lock\"], [\"a\", \"b\"]],\n"
		" \"exclusive\": [\"vpci.lock\"],\n"
		" \"forbidden_under_lock\": [\n"
		"  {\"function\": \"process_pending_softirqs\", \"reason\": \"softirqs take locks\"},\n"
		"  {\"function\": \"do_softirq\", \"when\": \"softirq-blocks\", \"skips_softirqs\": [2, 3], \"reason\": \"r\"},\n"
		"  {\"function\": \"msleep\", \"locks\": [\"vpci.lock\", \"x\"], \"reason\": \"sleeps\"}\n"
		" ],\n"
		" \"softirq\": {\"registrations\": [{\"function\": \"open_softirq\", \"handler\": 1, \"number\": 0},\n"
		"   {\"function\": \"init_timer\", \"handler\": 1}], \"handlers\": [\"h\"], \"reason\": \"r\"},\n"
		" \"ignore\": [\n"
		"  {\"check\": \"guard\", \"function\": \"f\", \"subject\": \"pci_dev.vpci\", \"reason\": \"one\"},\n"
		"  {\"check\": \"order\", \"reason\": \"two\"},\n"
		"  {\"function\": \"g\", \"reason\": \"three\"}\n"
		" ],\n"
		" \"checks\": {\"inferred-guard\": {\"enabled\": false, \"severity\": \"note\"},\n"
		"            \"guard\": {\"severity\": \"error\"}, \"order\": {}}\n"
		"}\n");
	rules *r = NULL;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());

	ck_assert_int_eq(r->nguards, 4);
	const rules_guard *g = &r->guards[0];
	ck_assert_str_eq(g->sname, "pci_dev");
	ck_assert_str_eq(g->field, "vpci");
	ck_assert_str_eq(g->reason, "removal");
	ck_assert(g->read.present && g->read.any);
	ck_assert_int_eq(g->read.nlocks, 2);
	ck_assert_str_eq(g->read.locks[0].cls, "_pcidevs_lock");
	ck_assert_int_eq(g->read.locks[0].modes, LOCK_ANY);
	ck_assert_str_eq(g->read.locks[1].cls, "domain.pci_lock");
	ck_assert_int_eq(g->read.locks[1].modes, LOCK_ANY);
	ck_assert(g->write.present && !g->write.any);
	ck_assert_int_eq(g->write.nlocks, 2);
	ck_assert_str_eq(g->write.locks[1].cls, "domain.pci_lock");
	ck_assert_int_eq(g->write.locks[1].modes, LOCK_EXCLUSIVE | LOCK_RECURSIVE);
	/* "access" is the same lockset for both modes */
	g = &r->guards[1];
	ck_assert_str_eq(g->sname, "pci_dev");
	ck_assert_ptr_null(g->field);
	ck_assert_ptr_null(g->reason);
	ck_assert_int_eq(g->nexcept, 2);
	ck_assert_str_eq(g->except[1], "lock");
	ck_assert(g->read.present && g->write.present && !g->read.any && !g->write.any);
	ck_assert(g->read.nlocks == 1 && g->write.nlocks == 1);
	ck_assert_str_eq(g->write.locks[0].cls, "_pcidevs_lock");
	ck_assert_ptr_ne(g->read.locks, g->write.locks);
	/* split at the last dot; a write-only rule says nothing for reads */
	g = &r->guards[2];
	ck_assert_str_eq(g->sname, "domain.arch");
	ck_assert_str_eq(g->field, "flags");
	ck_assert(!g->read.present && g->write.present && g->write.any);

	/* exact field before STRUCT.*, and STRUCT.* minus its except list */
	ck_assert_ptr_eq(rules_find_guard(r, "pci_dev", "vpci"), &r->guards[0]);
	ck_assert_ptr_eq(rules_find_guard(r, "pci_dev", "sbdf"), &r->guards[1]);
	ck_assert_ptr_null(rules_find_guard(r, "pci_dev", "lock"));
	ck_assert_ptr_eq(rules_find_guard(r, "domain.arch", "flags"), &r->guards[2]);
	ck_assert_ptr_null(rules_find_guard(r, "domain", "flags"));
	ck_assert_ptr_eq(rules_find_guard(r, "vpci", "lock"), &r->guards[3]);
	ck_assert_ptr_null(rules_find_guard(r, "domain", "pdev_list"));

	int chain = -1, pos = -1;
	ck_assert_int_eq(r->norders, 2);
	ck_assert_str_eq(r->orders[0][2], "vpci.lock");
	ck_assert_ptr_null(r->orders[0][3]);
	ck_assert_ptr_null(r->orders[1][2]);
	ck_assert_int_eq(rules_order_of(r, "domain.pci_lock", &chain, &pos), 1);
	ck_assert(chain == 0 && pos == 1);
	ck_assert_int_eq(rules_order_of(r, "b", &chain, &pos), 1);
	ck_assert(chain == 1 && pos == 1);
	ck_assert_int_eq(rules_order_of(r, "domain.lock", &chain, &pos), 0);

	ck_assert_int_eq(r->nexclusive, 1);
	ck_assert(rules_is_exclusive(r, "vpci.lock"));
	ck_assert(!rules_is_exclusive(r, "_pcidevs_lock"));

	ck_assert_int_eq(r->nforbidden, 3);
	const rules_forbidden *f = rules_find_forbidden(r, "process_pending_softirqs");
	ck_assert(f && f->classes == NULL && f->nclasses == 0 && f->when == FORBID_ALWAYS);
	const rules_forbidden *ds = rules_find_forbidden(r, "do_softirq");
	ck_assert(ds && ds->when == FORBID_SOFTIRQ_BLOCKS && ds->nskips == 2 && ds->skips[1] == 3);
	ck_assert(r->softirq.present && r->softirq.nregs == 2 && r->softirq.nhandlers == 1);
	const rules_softirq_reg *sr = rules_find_softirq_reg(r, "open_softirq");
	ck_assert(sr && sr->handler == 1 && sr->number == 0);
	sr = rules_find_softirq_reg(r, "init_timer");
	ck_assert(sr && sr->handler == 1 && sr->number == -1);
	ck_assert_ptr_null(rules_find_softirq_reg(r, "tasklet_init"));
	ck_assert_str_eq(f->reason, "softirqs take locks");
	f = rules_find_forbidden(r, "msleep");
	ck_assert(f && f->nclasses == 2);
	ck_assert_str_eq(f->classes[0], "vpci.lock");
	ck_assert_str_eq(f->classes[1], "x");
	ck_assert_ptr_null(rules_find_forbidden(r, "schedule"));

	/* an entry's given members must all equal the finding's; absent ones match anything */
	ck_assert_int_eq(r->nignores, 3);
	ck_assert_ptr_eq(rules_find_ignore(r, "guard", "f", "pci_dev.vpci"), &r->ignores[0]);
	ck_assert_ptr_null(rules_find_ignore(r, "guard", "f", "pci_dev.sbdf"));
	ck_assert_ptr_null(rules_find_ignore(r, "guard", "f", NULL));
	ck_assert_ptr_null(rules_find_ignore(r, "guard", "h", "pci_dev.vpci"));
	ck_assert_ptr_eq(rules_find_ignore(r, "order", "h", "x"), &r->ignores[1]);
	ck_assert_ptr_eq(rules_find_ignore(r, "order", NULL, NULL), &r->ignores[1]);
	ck_assert_ptr_eq(rules_find_ignore(r, "guard", "g", "pci_dev.vpci"), &r->ignores[2]);
	ck_assert_ptr_eq(rules_find_ignore(r, NULL, "g", NULL), &r->ignores[2]);
	ck_assert_ptr_null(rules_find_ignore(r, NULL, "f", "pci_dev.vpci"));
	ck_assert_ptr_null(rules_find_ignore(r, NULL, NULL, NULL));

	ck_assert_int_eq(r->nchecks, 3);
	const rules_check_cfg *c = rules_find_check(r, "inferred-guard");
	ck_assert(c && c->enabled == 0);
	ck_assert_str_eq(c->severity, "note");
	c = rules_find_check(r, "guard");
	ck_assert(c && c->enabled == -1);
	ck_assert_str_eq(c->severity, "error");
	c = rules_find_check(r, "order");
	ck_assert(c && c->enabled == -1 && c->severity == NULL);
	ck_assert_ptr_null(rules_find_check(r, "same-class"));
	rules_free(r);

	/* lookups on no rules at all */
	ck_assert_ptr_null(rules_find_guard(NULL, "vpci", "lock"));
	ck_assert_int_eq(rules_order_of(NULL, "vpci.lock", &chain, &pos), 0);
	ck_assert(!rules_is_exclusive(NULL, "vpci.lock"));
	ck_assert_ptr_null(rules_find_nesting(NULL, "vpci.lock", "f"));
	ck_assert_ptr_null(rules_find_forbidden(NULL, "f"));
	ck_assert_ptr_null(rules_find_ignore(NULL, "guard", "f", "x"));
	ck_assert_ptr_null(rules_find_check(NULL, "guard"));
	free(path);
}
END_TEST

/* The error names the file loaded, or with `in_include` the file it
 * includes that the messages name. */
static void expect_error_in(const char *name, const char *text, int in_include, const char *const *msgs, int nmsgs)
{
	char *path = write_rules(name, text);
	rules *r = (rules *)0x1;
	la_error_clear();
	ck_assert_int_eq(rules_load(path, &r), LA_EPARSE);
	ck_assert_ptr_null(r);
	if (!in_include)
		ck_assert_str_contains(la_error_last(), path);
	for (int i = 0; i < nmsgs; i++)
		ck_assert_str_contains(la_error_last(), msgs[i]);
	free(path);
}

#define RULES_ERROR(name, text, ...) do { \
	static const char *const _m[] = { __VA_ARGS__ }; \
	expect_error_in(name, text, 0, _m, (int)(sizeof(_m) / sizeof(_m[0]))); \
} while (0)
#define INCLUDED_ERROR(name, text, ...) do { \
	static const char *const _m[] = { __VA_ARGS__ }; \
	expect_error_in(name, text, 1, _m, (int)(sizeof(_m) / sizeof(_m[0]))); \
} while (0)

START_TEST(test_rules_irq)
{
	char *path = write_rules("irq.json",
		"{\n"
		" \"primitives\": {\"local_irq_disable\": {\"irq\": \"disable\"},\n"
		"   \"local_irq_is_enabled\": {\"irq\": \"query\"},\n"
		"   \"_spin_lock_irq\": {\"acquire\": 0, \"irq\": \"disable\"}},\n"
		" \"softirq\": {\"handlers\": [\"h\"]},\n"
		" \"irq\": {\"off\": [\"do_IRQ\"], \"on\": [\"pv_hypercall\", \"hvm_hypercall\"],\n"
		"   \"registrations\": [{\"function\": \"request_irq\", \"handler\": 2, \"irqs\": \"on\"}],\n"
		"   \"softirq\": \"on\",\n"
		"   \"asm\": [{\"function\": \"enter_state\", \"save\": \"a\", \"restore\": \"return\", \"reason\": \"r\"}],\n"
		"   \"reason\": \"r\"}\n"
		"}\n");
	rules *r = NULL;
	ck_assert_int_eq(rules_load(path, &r), LA_OK);
	const rules_primitive *p = rules_find_primitive(r, "local_irq_disable");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->op, PRIM_IRQ);
	ck_assert_int_eq(p->irq, IRQ_DISABLE);
	p = rules_find_primitive(r, "local_irq_is_enabled");
	ck_assert_int_eq(p->op, PRIM_IRQ);
	ck_assert_int_eq(p->irq, IRQ_QUERY);
	ck_assert_int_eq(rules_find_primitive(r, "_spin_lock_irq")->op, PRIM_ACQUIRE);
	ck_assert_int_eq(r->irq.present, 1);
	ck_assert_int_eq(r->irq.noff, 1);
	ck_assert_str_eq(r->irq.off[0], "do_IRQ");
	ck_assert_int_eq(r->irq.non, 2);
	ck_assert_int_eq(r->irq.nregs, 1);
	ck_assert_int_eq(r->irq.regs[0].handler, 2);
	ck_assert_int_eq(r->irq.regs[0].irqs, RULES_IRQS_ON);
	ck_assert_int_eq(r->irq.softirq, RULES_IRQS_ON);
	ck_assert_int_eq(r->irq.nasms, 1);
	ck_assert_int_eq(r->irq.asms[0].nat, 2);
	ck_assert_str_eq(r->irq.asms[0].at[0].call, "a");
	ck_assert_int_eq(r->irq.asms[0].at[0].irq, IRQ_SAVE);
	ck_assert_str_eq(r->irq.asms[0].at[1].call, "return");
	ck_assert_int_eq(r->irq.asms[0].at[1].irq, IRQ_RESTORE);
	rules_free(r);
	free(path);

	RULES_ERROR("irq_prim_none.json", "{\"primitives\": {\"f\": {\"mode\": \"shared\"}}}",
		    ": $.primitives.f: needs exactly one of acquire, release, try, query, downgrade (or only \"irq\": an IRQ primitive)");
	RULES_ERROR("irq_prim_query.json", "{\"primitives\": {\"f\": {\"acquire\": 0, \"irq\": \"query\"}}}",
		    ": $.primitives.f: \"irq\": \"query\" is for a function that only says whether IRQs are enabled");
	RULES_ERROR("irq_type.json", "{\"irq\": []}", ": $.irq: expected an object");
	RULES_ERROR("irq_both.json", "{\"irq\": {\"off\": [\"f\"], \"on\": [\"g\", \"f\"]}}",
		    ": $.irq.on[1]: \"f\" is also in \"off\" ($.irq.off[0])");
	RULES_ERROR("irq_reg_irqs.json", "{\"irq\": {\"registrations\": [{\"function\": \"r\", \"handler\": 1}]}}",
		    ": $.irq.registrations[0]: needs \"irqs\"");
	RULES_ERROR("irq_reg_number.json",
		    "{\"irq\": {\"registrations\": [{\"function\": \"r\", \"handler\": 1, \"number\": 0}]}}",
		    ": $.irq.registrations[0].number: unknown key (known: function, handler, irqs, holds)");
	RULES_ERROR("irq_reg_state.json",
		    "{\"irq\": {\"registrations\": [{\"function\": \"r\", \"handler\": 1, \"irqs\": \"maybe\"}]}}",
		    ": $.irq.registrations[0].irqs: expected one of \"off\", \"on\"");
	RULES_ERROR("irq_softirq.json", "{\"irq\": {\"softirq\": \"on\"}}",
		    ": $.irq.softirq: needs the \"softirq\" section");
	RULES_ERROR("irq_asm_none.json", "{\"irq\": {\"asm\": [{\"function\": \"f\", \"reason\": \"r\"}]}}",
		    ": $.irq.asm[0]: needs at least one of disable, enable, save, restore");
	RULES_ERROR("irq_asm_reason.json", "{\"irq\": {\"asm\": [{\"function\": \"f\", \"save\": \"entry\"}]}}",
		    ": $.irq.asm[0]: needs \"reason\"");
	RULES_ERROR("irq_asm_dup.json",
		    "{\"irq\": {\"asm\": [{\"function\": \"f\", \"save\": \"entry\", \"reason\": \"r\"}, "
		    "{\"function\": \"f\", \"enable\": \"g\", \"reason\": \"r\"}]}}",
		    ": $.irq.asm[1].function: \"f\" is already at $.irq.asm[0]");
	RULES_ERROR("irq_key.json", "{\"irq\": {\"roots\": []}}",
		    ": $.irq.roots: unknown key (known: off, on, registrations, softirq, asm, reason)");
}
END_TEST

/* "threads": one kernel thread per registration and object */
START_TEST(test_rules_threads)
{
	char *path = write_rules("threads.json",
		"{\"threads\": [{\"function\": \"request_threaded_irq\", \"handler\": 2, \"object\": 5,\n"
		"  \"param\": 1, \"reason\": \"irq_thread()\"},\n"
		" {\"function\": \"kthread_create_on_node\", \"handler\": 0, \"object\": 1, \"param\": 0,\n"
		"  \"reason\": \"kthread()\"}]}\n");
	rules *r = NULL;
	ck_assert_msg(rules_load(path, &r) == LA_OK, "%s", la_error_last());
	ck_assert_int_eq(r->nthreads, 2);
	ck_assert_str_eq(r->threads[0].function, "request_threaded_irq");
	ck_assert_int_eq(r->threads[0].handler, 2);
	ck_assert_int_eq(r->threads[0].object, 5);
	ck_assert_int_eq(r->threads[0].param, 1);
	ck_assert_str_eq(r->threads[1].reason, "kthread()");
	rules_free(r);
	free(path);

	RULES_ERROR("threads_type.json", "{\"threads\": {}}", ": $.threads: expected an array of thread-starting functions");
	RULES_ERROR("threads_param.json",
		    "{\"threads\": [{\"function\": \"t\", \"handler\": 0, \"object\": 1, \"reason\": \"r\"}]}",
		    ": $.threads[0]: needs \"function\", \"handler\", \"object\" and \"param\"");
	RULES_ERROR("threads_same.json",
		    "{\"threads\": [{\"function\": \"t\", \"handler\": 1, \"object\": 1, \"param\": 0, \"reason\": \"r\"}]}",
		    ": $.threads[0]: \"handler\" and \"object\" name the same argument");
	RULES_ERROR("threads_reason.json",
		    "{\"threads\": [{\"function\": \"t\", \"handler\": 0, \"object\": 1, \"param\": 0}]}",
		    ": $.threads[0]: needs \"reason\"");
	RULES_ERROR("threads_index.json",
		    "{\"threads\": [{\"function\": \"t\", \"handler\": -1, \"object\": 1, \"param\": 0, \"reason\": \"r\"}]}",
		    ": $.threads[0].handler: expected the index of the argument that is the thread's function");
	RULES_ERROR("threads_key.json",
		    "{\"threads\": [{\"function\": \"t\", \"arg\": 0, \"reason\": \"r\"}]}",
		    ": $.threads[0].arg: unknown key (known: function, handler, object, param, reason)");
}
END_TEST

START_TEST(test_rules_unknown_key)
{
	RULES_ERROR("bogus.json", "{\"description\": \"x\", \"bogus\": 1}", "$.bogus", "unknown key",
		    "known: description", "assert_macros");
}
END_TEST

START_TEST(test_rules_bad_values)
{
	RULES_ERROR("macro_number.json", "{\"assert_macros\": [\"ASSERT\", 7, \"BUG_ON\"]}",
		    "$.assert_macros[1]", "expected a macro name");
	RULES_ERROR("macro_empty.json", "{\"assert_macros\": [\"\"]}", "$.assert_macros[0]",
		    "non-empty string");
	RULES_ERROR("macros_string.json", "{\"assert_macros\": \"ASSERT\"}", "$.assert_macros: ",
		    "expected an array");
	RULES_ERROR("description.json", "{\"description\": [\"x\"]}", "$.description: ", "expected a string");
	RULES_ERROR("array.json", "[\"ASSERT\"]", "$: expected an object");
}
END_TEST

/* The new kinds' errors, each with the file and the exact JSON path. */
START_TEST(test_rules_kind_errors)
{
	RULES_ERROR("guard_key.json",
		    "{\"guards\": [{\"field\": \"vpci.*\", \"access\": {\"all\": [\"vpci.lock\"]}},\n"
		    " {\"field\": \"pci_dev.vpci\", \"read\": {\"any\": [\"x\"]}, \"writes\": {\"all\": [\"x\"]}}]}",
		    ": $.guards[1].writes: unknown key (known: field, except, read, write, access, reason)");
	RULES_ERROR("bad_mode.json",
		    "{\"guards\": [{\"field\": \"pci_dev.vpci\", \"read\": {\"any\": [\"_pcidevs_lock\"]},\n"
		    " \"write\": {\"all\": [\"_pcidevs_lock\", \"domain.pci_lock:writ\"]}}]}",
		    ": $.guards[0].write.all[1]: unknown lock mode \"writ\"", "\"CLASS:write\"");
	RULES_ERROR("any_all.json",
		    "{\"guards\": [{\"field\": \"pci_dev.vpci\",\n"
		    " \"read\": {\"any\": [\"_pcidevs_lock\"], \"all\": [\"domain.pci_lock\"]}}]}",
		    ": $.guards[0].read: needs exactly one of any, all");
	RULES_ERROR("ignore_reason.json",
		    "{\"ignore\": [{\"check\": \"guard\", \"reason\": \"ok\"}, {\"check\": \"order\", \"function\": \"f\"}]}",
		    ": $.ignore[1]: needs \"reason\"");
	RULES_ERROR("order_one.json", "{\"order\": [[\"a\", \"b\"], [\"_pcidevs_lock\"]]}",
		    ": $.order[1]: expected a chain of at least two lock classes");

	/* and the rest of what a rule can get wrong */
	RULES_ERROR("guard_unknown_top.json", "{\"guard\": []}", "$.guard: unknown key",
		    "guards, order, exclusive, forbidden_under_lock, guarded_order, nesting, softirq, ignore, checks");
	RULES_ERROR("dup_kind.json", "{\"exclusive\": [\"a\"], \"exclusive\": [\"b\"]}",
		    ": $.exclusive: duplicate key");
	RULES_ERROR("dup_key.json",
		    "{\"guards\": [{\"field\": \"a.b\", \"read\": {\"any\": [\"x\"]}, \"read\": {\"any\": [\"y\"]}}]}",
		    ": $.guards[0].read: duplicate key");
	RULES_ERROR("dup_guard.json",
		    "{\"guards\": [{\"field\": \"a.*\", \"read\": {\"any\": [\"x\"]}},\n"
		    " {\"field\": \"a.*\", \"write\": {\"any\": [\"x\"]}}]}",
		    ": $.guards[1].field: \"a.*\" already has a guard at $.guards[0]");
	RULES_ERROR("empty_class.json", "{\"guards\": [{\"field\": \"a.b\", \"read\": {\"any\": [\":write\"]}}]}",
		    ": $.guards[0].read.any[0]: empty lock class");
	RULES_ERROR("no_field.json", "{\"guards\": [{\"read\": {\"any\": [\"x\"]}}]}", ": $.guards[0]: needs \"field\"");
	RULES_ERROR("bad_field.json", "{\"guards\": [{\"field\": \"vpci\", \"read\": {\"any\": [\"x\"]}}]}",
		    ": $.guards[0].field: expected \"STRUCT.FIELD\" or \"STRUCT.*\"");
	RULES_ERROR("star_field.json", "{\"guards\": [{\"field\": \"*.lock\", \"read\": {\"any\": [\"x\"]}}]}",
		    ": $.guards[0].field: expected \"STRUCT.FIELD\"");
	RULES_ERROR("no_lockset.json", "{\"guards\": [{\"field\": \"a.b\", \"reason\": \"r\"}]}",
		    ": $.guards[0]: needs at least one of read, write, access");
	RULES_ERROR("access_read.json",
		    "{\"guards\": [{\"field\": \"a.b\", \"read\": {\"any\": [\"x\"]}, \"access\": {\"all\": [\"y\"]}}]}",
		    ": $.guards[0].access: not allowed together with read or write");
	RULES_ERROR("except_exact.json",
		    "{\"guards\": [{\"field\": \"a.b\", \"except\": [\"c\"], \"access\": {\"all\": [\"y\"]}}]}",
		    ": $.guards[0].except: only allowed with a \"STRUCT.*\" field");
	RULES_ERROR("except_type.json",
		    "{\"guards\": [{\"field\": \"a.*\", \"except\": [\"c\", 3], \"access\": {\"all\": [\"y\"]}}]}",
		    ": $.guards[0].except[1]: expected a field name");
	RULES_ERROR("empty_any.json", "{\"guards\": [{\"field\": \"a.b\", \"read\": {\"any\": []}}]}",
		    ": $.guards[0].read.any: expected a non-empty array of lock references");
	RULES_ERROR("lockset_key.json", "{\"guards\": [{\"field\": \"a.b\", \"read\": {\"one\": [\"x\"]}}]}",
		    ": $.guards[0].read.one: unknown key (known: any, all)");
	RULES_ERROR("empty_lockset.json", "{\"guards\": [{\"field\": \"a.b\", \"read\": {}}]}",
		    ": $.guards[0].read: needs exactly one of any, all");
	RULES_ERROR("order_dup.json", "{\"order\": [[\"a\", \"b\", \"a\"]]}",
		    ": $.order[0][2]: lock class \"a\" is already at $.order[0][0]");
	RULES_ERROR("order_mode.json", "{\"order\": [[\"a\", \"b:write\"]]}",
		    ": $.order[0][1]: expected a lock class without a mode");
	RULES_ERROR("order_flat.json", "{\"order\": [\"a\", \"b\"]}", ": $.order[0]: expected a chain");
	RULES_ERROR("exclusive_type.json", "{\"exclusive\": [\"a\", \"\"]}", ": $.exclusive[1]: expected a lock class");
	RULES_ERROR("nesting_array.json", "{\"nesting\": {\"class\": \"a\"}}",
		    ": $.nesting: expected an array of ordered nestings");
	RULES_ERROR("nesting_reason.json", "{\"nesting\": [{\"class\": \"a\", \"function\": \"f\"}]}",
		    ": $.nesting[0]: needs \"reason\"");
	RULES_ERROR("nesting_fn.json", "{\"nesting\": [{\"class\": \"a\", \"reason\": \"r\"}]}",
		    ": $.nesting[0]: needs \"class\" and \"function\"");
	RULES_ERROR("nesting_mode.json",
		    "{\"nesting\": [{\"class\": \"a:write\", \"function\": \"f\", \"reason\": \"r\"}]}",
		    ": $.nesting[0].class: expected a lock class without a mode");
	RULES_ERROR("nesting_key.json",
		    "{\"nesting\": [{\"class\": \"a\", \"functions\": [\"f\"], \"reason\": \"r\"}]}",
		    ": $.nesting[0].functions: unknown key (known: class, function, reason, versions)");
	RULES_ERROR("nesting_dup.json",
		    "{\"nesting\": [{\"class\": \"a\", \"function\": \"f\", \"reason\": \"r\"},"
		    " {\"class\": \"a\", \"function\": \"f\", \"reason\": \"s\"}]}",
		    ": $.nesting[1].function: \"a\" in \"f\" is already at $.nesting[0]");
	RULES_ERROR("guarded_reason.json", "{\"guarded_order\": [{\"held\": \"a\", \"acquired\": \"b\"}]}",
		    ": $.guarded_order[0]: needs \"reason\"");
	RULES_ERROR("guarded_same.json",
		    "{\"guarded_order\": [{\"held\": \"a\", \"acquired\": \"a\", \"reason\": \"r\"}]}",
		    ": $.guarded_order[0]: \"held\" and \"acquired\" are the same class");
	RULES_ERROR("guarded_dup.json",
		    "{\"guarded_order\": [{\"held\": \"a\", \"acquired\": \"b\", \"reason\": \"r\"},"
		    " {\"held\": \"a\", \"acquired\": \"b\", \"reason\": \"s\"}]}",
		    ": $.guarded_order[1].acquired: \"b\" under \"a\" is already at $.guarded_order[0]");
	RULES_ERROR("forbidden_reason.json", "{\"forbidden_under_lock\": [{\"function\": \"f\"}]}",
		    ": $.forbidden_under_lock[0]: needs \"reason\"");
	RULES_ERROR("forbidden_function.json", "{\"forbidden_under_lock\": [{\"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0]: needs \"function\"");
	RULES_ERROR("forbidden_locks.json",
		    "{\"forbidden_under_lock\": [{\"function\": \"f\", \"locks\": [], \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].locks: expected a non-empty array");
	RULES_ERROR("forbidden_key.json",
		    "{\"forbidden_under_lock\": [{\"function\": \"f\", \"lock\": [\"x\"], \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].lock: unknown key (known: function, when, locks, skips_softirqs, if_arg, reason)");
	RULES_ERROR("single_reason.json", "{\"single_cpu\": [{\"function\": \"f\", \"until\": \"g\"}]}",
		    ": $.single_cpu[0]: needs \"reason\"");
	RULES_ERROR("single_function.json", "{\"single_cpu\": [{\"from\": \"g\", \"reason\": \"r\"}]}",
		    ": $.single_cpu[0]: needs \"function\"");
	RULES_ERROR("single_key.json", "{\"single_cpu\": [{\"function\": \"f\", \"after\": \"g\", \"reason\": \"r\"}]}",
		    ": $.single_cpu[0].after: unknown key (known: function, from, until, reason)");
	RULES_ERROR("single_until.json", "{\"single_cpu\": [{\"function\": \"f\", \"until\": 3, \"reason\": \"r\"}]}",
		    ": $.single_cpu[0].until: expected a function name");
	RULES_ERROR("single_dup.json",
		    "{\"single_cpu\": [{\"function\": \"f\", \"reason\": \"r\"}, {\"function\": \"f\", \"reason\": \"s\"}]}",
		    ": $.single_cpu[1].function: \"f\" is already at $.single_cpu[0]");
	RULES_ERROR("single_type.json", "{\"single_cpu\": {}}", ": $.single_cpu: expected an array");
	RULES_ERROR("boot_sections.json", "{\"boot\": {\"after\": []}}",
		    ": $.boot: needs \"sections\" (non-empty): where boot code is placed");
	RULES_ERROR("boot_type.json", "{\"boot\": []}", ": $.boot: expected an object");
	RULES_ERROR("boot_section_name.json", "{\"boot\": {\"sections\": [\"\"]}}",
		    ": $.boot.sections[0]: expected a section name (a non-empty string)");
	RULES_ERROR("boot_after_reason.json",
		    "{\"boot\": {\"sections\": [\".init.text\"], \"after\": [{\"function\": \"f\"}]}}",
		    ": $.boot.after[0]: needs \"reason\" (why it cannot run while the system boots)");
	RULES_ERROR("boot_after_dup.json",
		    "{\"boot\": {\"sections\": [\".x\"], \"after\": [{\"function\": \"f\", \"reason\": \"r\"}, "
		    "{\"function\": \"f\", \"reason\": \"s\"}]}}",
		    ": $.boot.after[1].function: \"f\" is already at $.boot.after[0]");
	RULES_ERROR("pre_reason.json", "{\"preconditions\": [{\"function\": \"f\", \"requires\": {\"all\": [\"L\"]}}]}",
		    ": $.preconditions[0]: needs \"reason\" (where the code says so)");
	RULES_ERROR("pre_requires.json", "{\"preconditions\": [{\"function\": \"f\", \"reason\": \"r\"}]}",
		    ": $.preconditions[0]: needs \"requires\" (a lockset: {\"all\": [...]} or {\"any\": [...]})");
	RULES_ERROR("pre_lockset.json",
		    "{\"preconditions\": [{\"function\": \"f\", \"requires\": [\"L\"], \"reason\": \"r\"}]}",
		    ": $.preconditions[0].requires: expected {\"any\": [locks...]} or {\"all\": [locks...]}");
	RULES_ERROR("pre_dup.json",
		    "{\"preconditions\": [{\"function\": \"f\", \"requires\": {\"all\": [\"L\"]}, \"reason\": \"r\"}, "
		    "{\"function\": \"f\", \"requires\": {\"any\": [\"M\"]}, \"reason\": \"s\"}]}",
		    ": $.preconditions[1].function: \"f\" is already at $.preconditions[0]");
	RULES_ERROR("scope_defines.json", "{\"scope\": {\"reason\": \"r\"}}",
		    ": $.scope: needs \"defines\" (non-empty): a macro every TU of the program defines");
	RULES_ERROR("scope_key.json", "{\"scope\": {\"defines\": [\"X\"], \"flags\": []}}",
		    ": $.scope.flags: unknown key (known: defines, reason)");
	RULES_ERROR("boot_key.json", "{\"boot\": {\"sections\": [\".x\"], \"before\": []}}",
		    ": $.boot.before: unknown key (known: sections, after, reason)");
	RULES_ERROR("forbidden_when.json",
		    "{\"forbidden_under_lock\": [{\"function\": \"f\", \"when\": \"softirq\", \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].when: expected one of \"always\", \"softirq-blocks\"");
	RULES_ERROR("forbidden_no_softirq.json",
		    "{\"forbidden_under_lock\": [{\"function\": \"f\", \"when\": \"softirq-blocks\", \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].when: \"softirq-blocks\" needs the \"softirq\" section");
	RULES_ERROR("forbidden_when_locks.json",
		    "{\"softirq\": {\"handlers\": [\"h\"]}, \"forbidden_under_lock\": [{\"function\": \"f\", "
		    "\"when\": \"softirq-blocks\", \"locks\": [\"x\"], \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].locks: not allowed with \"when\": \"softirq-blocks\"");
	RULES_ERROR("forbidden_skips_always.json",
		    "{\"forbidden_under_lock\": [{\"function\": \"f\", \"skips_softirqs\": [3], \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].skips_softirqs: only allowed with \"when\": \"softirq-blocks\"");
	RULES_ERROR("forbidden_skips_value.json",
		    "{\"softirq\": {\"handlers\": [\"h\"]}, \"forbidden_under_lock\": [{\"function\": \"f\", "
		    "\"when\": \"softirq-blocks\", \"skips_softirqs\": [3, \"x\"], \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].skips_softirqs[1]: expected a softirq number");
	RULES_ERROR("softirq_empty.json", "{\"softirq\": {}}",
		    ": $.softirq: needs at least one of registrations, handlers");
	RULES_ERROR("softirq_key.json", "{\"softirq\": {\"registration\": []}}",
		    ": $.softirq.registration: unknown key (known: registrations, handlers, reason)");
	RULES_ERROR("softirq_reg_handler.json", "{\"softirq\": {\"registrations\": [{\"function\": \"open_softirq\"}]}}",
		    ": $.softirq.registrations[0]: needs \"handler\"");
	RULES_ERROR("softirq_reg_index.json",
		    "{\"softirq\": {\"registrations\": [{\"function\": \"init_timer\", \"handler\": -1}]}}",
		    ": $.softirq.registrations[0].handler: expected the index of the handler argument");
	RULES_ERROR("softirq_reg_dup.json",
		    "{\"softirq\": {\"registrations\": [{\"function\": \"t\", \"handler\": 1}, {\"function\": \"t\", \"handler\": 1}]}}",
		    ": $.softirq.registrations[1].function: \"t\" with handler 1 is already at $.softirq.registrations[0]");
	RULES_ERROR("softirq_handler_name.json", "{\"softirq\": {\"handlers\": [\"\"]}}",
		    ": $.softirq.handlers[0]: expected a function name");
	RULES_ERROR("forbidden_dup.json",
		    "{\"forbidden_under_lock\": [{\"function\": \"f\", \"reason\": \"r\"}, {\"function\": \"f\", \"reason\": \"s\"}]}",
		    ": $.forbidden_under_lock[1].function: \"f\" is already at $.forbidden_under_lock[0]");
	RULES_ERROR("ignore_empty_reason.json", "{\"ignore\": [{\"check\": \"guard\", \"reason\": \"\"}]}",
		    ": $.ignore[0].reason: expected a reason (a non-empty string)");
	RULES_ERROR("ignore_all.json", "{\"ignore\": [{\"reason\": \"everything\"}]}",
		    ": $.ignore[0]: needs at least one of check, function, subject");
	RULES_ERROR("ignore_key.json", "{\"ignore\": [{\"checks\": \"guard\", \"reason\": \"r\"}]}",
		    ": $.ignore[0].checks: unknown key (known: check, function, subject, via, reason)");
	RULES_ERROR("checks_severity.json", "{\"checks\": {\"guard\": {\"severity\": \"fatal\"}}}",
		    ": $.checks.guard.severity: expected one of \"error\", \"warning\", \"note\"");
	RULES_ERROR("checks_enabled.json", "{\"checks\": {\"guard\": {\"enabled\": 0}}}",
		    ": $.checks.guard.enabled: expected true or false");
	RULES_ERROR("checks_key.json", "{\"checks\": {\"guard\": {\"enable\": true}}}",
		    ": $.checks.guard.enable: unknown key (known: enabled, severity)");
	RULES_ERROR("checks_type.json", "{\"checks\": [\"guard\"]}", ": $.checks: expected an object");
	RULES_ERROR("prim_dup.json", "{\"primitives\": {\"_spin_lock\": {\"acquire\": 0, \"acquire\": 1}}}",
		    ": $.primitives._spin_lock.acquire: duplicate key");
}
END_TEST

/* rules "scope": which TUs are the program, by the macros their commands define */
/* "include": another file's kinds join the set; only primitives may come
 * from several files; errors name the file they are in. */
START_TEST(test_rules_include)
{
	char *prims = write_rules("prims.json",
		"{\"description\": \"the lock API\",\n"
		" \"lock_members\": [\"spinlock.rlock\"],\n"
		" \"primitives\": {\"_raw_spin_lock\": {\"acquire\": 0, \"context\": \"atomic\"},\n"
		"   \"rcu_read_lock\": {\"acquire\": \"global:rcu\", \"mode\": \"recursive\", \"waits\": false},\n"
		"   \"mutex_lock_killable\": {\"try\": 0, \"success\": \"zero\"},\n"
		"   \"downgrade_write\": {\"downgrade\": 0},\n"
		"   \"pci_cfg_access_lock\": {\"acquire\": 0, \"field\": \"pci_dev.block_cfg_access\"}}}\n");
	char *top = write_rules("top.json",
		"{\"description\": \"vfio\", \"include\": [\"prims.json\"],\n"
		" \"primitives\": {\"mutex_lock\": {\"acquire\": 0}},\n"
		" \"forbidden_under_lock\": [{\"function\": \"kzalloc\", \"when\": \"atomic\",\n"
		"   \"if_arg\": {\"arg\": 1, \"bits\": 1024}, \"reason\": \"sleeps\"}]}\n");
	rules *r = NULL;
	ck_assert_msg(rules_load(top, &r) == LA_OK, "%s", la_error_last());
	ck_assert_str_eq(r->description, "vfio");
	ck_assert_int_eq(r->nincludes, 1);
	ck_assert_str_eq(r->includes[0], prims);
	ck_assert(rules_is_lock_member(r, "spinlock", "rlock"));
	ck_assert(!rules_is_lock_member(r, "spinlock", "lock"));
	const rules_primitive *p = rules_find_primitive(r, "_raw_spin_lock");
	ck_assert(p && p->atomic && !p->nowait && p->arg == 0);
	ck_assert_str_eq(p->file, prims);
	p = rules_find_primitive(r, "mutex_lock");
	ck_assert(p && !p->atomic);
	ck_assert_str_eq(p->file, top);
	p = rules_find_primitive(r, "rcu_read_lock");
	ck_assert(p && p->arg == RULES_ARG_GLOBAL && p->nowait && p->mode == LOCK_RECURSIVE);
	ck_assert_str_eq(p->global, "rcu");
	p = rules_find_primitive(r, "mutex_lock_killable");
	ck_assert(p && p->op == PRIM_TRY && p->on_zero);
	p = rules_find_primitive(r, "downgrade_write");
	ck_assert(p && p->op == PRIM_DOWNGRADE);
	p = rules_find_primitive(r, "pci_cfg_access_lock");
	ck_assert(p && p->arg == 0);
	ck_assert_str_eq(p->field_struct, "pci_dev");
	ck_assert_str_eq(p->field, "block_cfg_access");
	const rules_forbidden *f = rules_find_forbidden(r, "kzalloc");
	ck_assert(f && f->when == FORBID_ATOMIC && f->if_arg == 1 && f->if_bits == 1024);
	/* the set's hash covers the included file: changing it changes the hash */
	char before[17];
	memcpy(before, r->hash, sizeof(before));
	rules_free(r);
	t_write(prims, "{\"primitives\": {\"_raw_spin_lock\": {\"acquire\": 0}}}\n");
	ck_assert_msg(rules_load(top, &r) == LA_OK, "%s", la_error_last());
	ck_assert_str_ne(r->hash, before);
	rules_free(r);
	free(prims);
	free(top);

	write_rules("a.json", "{\"guards\": [], \"include\": [\"b.json\"]}\n");
	write_rules("b.json", "{\"guards\": []}\n");
	INCLUDED_ERROR("top2.json", "{\"include\": [\"a.json\"]}",
		    "/b.json: $.guards: already given by ", "a.json (only \"primitives\" may come from several files)");
	write_rules("c.json", "{\"primitives\": {\"f\": {\"acquire\": 0}}}\n");
	INCLUDED_ERROR("top3.json", "{\"primitives\": {\"f\": {\"release\": 0}}, \"include\": [\"c.json\"]}",
		    "/c.json: $.primitives.f: \"f\" is already a primitive in ", "top3.json");
	write_rules("loop.json", "{\"include\": [\"loop.json\"]}\n");
	INCLUDED_ERROR("top4.json", "{\"include\": [\"loop.json\"]}",
		    "/loop.json: $.include[0]: \"loop.json\" includes itself");
	RULES_ERROR("top5.json", "{\"include\": [\"missing.json\"]}", ": $.include[0]: cannot include \"missing.json\"");
	write_rules("bad.json", "{\"primitives\": {\"f\": {\"acquire\": \"globl:x\"}}}\n");
	INCLUDED_ERROR("top6.json", "{\"include\": [\"bad.json\"]}",
		    "/bad.json: $.primitives.f.acquire: expected the index of the lock argument (0, 1, ...), \"return\" or \"global:NAME\"");
	RULES_ERROR("top7.json", "{\"include\": \"x.json\"}", ": $.include: expected an array of rules files");
}
END_TEST

START_TEST(test_rules_linux_errors)
{
	RULES_ERROR("p1.json", "{\"primitives\": {\"f\": {\"acquire\": 0, \"success\": \"zero\"}}}",
		    ": $.primitives.f: \"success\" is for \"try\"");
	RULES_ERROR("p2.json", "{\"primitives\": {\"f\": {\"acquire\": \"global:g\", \"field\": \"a.b\"}}}",
		    ": $.primitives.f: \"field\" needs an argument index");
	RULES_ERROR("p3.json", "{\"primitives\": {\"f\": {\"acquire\": 0, \"field\": \"ab\"}}}",
		    ": $.primitives.f.field: expected \"STRUCT.FIELD\"");
	RULES_ERROR("p4.json", "{\"primitives\": {\"f\": {\"acquire\": 0, \"context\": \"atomik\"}}}",
		    ": $.primitives.f.context: expected one of \"sleepable\", \"atomic\"");
	RULES_ERROR("p5.json", "{\"primitives\": {\"f\": {\"acquire\": 0, \"waits\": 0}}}",
		    ": $.primitives.f.waits: expected true or false");
	RULES_ERROR("p6.json", "{\"lock_members\": [\"rlock\"]}", ": $.lock_members[0]: expected \"STRUCT.FIELD\"");
	RULES_ERROR("f1.json", "{\"forbidden_under_lock\": [{\"function\": \"f\", \"when\": \"atomic\", \"locks\": [\"l\"], \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].locks: not allowed with \"when\": \"atomic\"");
	RULES_ERROR("f2.json", "{\"forbidden_under_lock\": [{\"function\": \"f\", \"if_arg\": {\"arg\": 1}, \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].if_arg: needs \"arg\" and \"bits\"");
	RULES_ERROR("f3.json", "{\"forbidden_under_lock\": [{\"function\": \"f\", \"if_arg\": {\"arg\": 1, \"bit\": 4}, \"reason\": \"r\"}]}",
		    ": $.forbidden_under_lock[0].if_arg.bit: unknown key (known: arg, bits)");
}
END_TEST

START_TEST(test_rules_scope)
{
	rules *r;
	const char *json = "{\"scope\": {\"defines\": [\"__XEN__\", \"__KERNEL__\"], \"reason\": \"r\"}}";
	ck_assert_msg(rules_parse("scope.json", json, strlen(json), &r) == LA_OK, "%s", la_error_last());
	ck_assert(rules_in_scope(r, "-m64 -D__XEN__ -O2"));
	ck_assert(rules_in_scope(r, "-D__XEN__=1"));
	ck_assert(rules_in_scope(r, "-O2 -D __KERNEL__"));
	ck_assert(rules_in_scope(r, "-D__KERNEL__"));
	ck_assert(!rules_in_scope(r, "-O2 -Wall"));
	ck_assert(!rules_in_scope(r, "-D__XEN___X -D__XENX"));
	ck_assert(!rules_in_scope(r, "-U__XEN__ -I__XEN__"));
	ck_assert(!rules_in_scope(r, ""));
	rules_free(r);
	ck_assert(rules_in_scope(NULL, ""));   /* no rules, no scope: everything */
}
END_TEST

START_TEST(test_rules_malformed_json)
{
	RULES_ERROR("broken.json", "{\n  \"description\": \"x\",\n  \"assert_macros\": [\"ASSERT\",]\n}\n",
		    ":3: malformed JSON");
	RULES_ERROR("truncated.json", "{\n \"description\": \"x\",\n", "malformed JSON");
}
END_TEST

START_TEST(test_rules_missing_file)
{
	char *path = t_fmt("%s/none.json", tmpdir);
	rules *r = (rules *)0x1;
	ck_assert_int_eq(rules_load(path, &r), LA_EIO);
	ck_assert_ptr_null(r);
	ck_assert_str_contains(la_error_last(), path);
	free(path);
}
END_TEST

Suite *suite_rules(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_add_test(tc, test_rules_valid);
	tcase_add_test(tc, test_rules_shipped);
	tcase_add_test(tc, test_rules_scope);
	tcase_add_test(tc, test_rules_kinds);
	tcase_add_test(tc, test_rules_irq);
	tcase_add_test(tc, test_rules_threads);
	tcase_add_test(tc, test_rules_include);
	tcase_add_test(tc, test_rules_linux_errors);
	tcase_add_test(tc, test_rules_unknown_key);
	tcase_add_test(tc, test_rules_bad_values);
	tcase_add_test(tc, test_rules_kind_errors);
	tcase_add_test(tc, test_rules_malformed_json);
	tcase_add_test(tc, test_rules_missing_file);
	suite_add_tcase(s, tc);
	return s;
}
