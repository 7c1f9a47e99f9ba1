#include "rules_lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct lint {
	const rules *r;
	const rules_lint_facts *f;
	rules_lint_warn_fn warn;
	void *wctx;
	int n;
} lint;

static void report(lint *l, rules_lint_kind kind, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void report(lint *l, rules_lint_kind kind, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->warn(l->wctx, kind, path, msg);
	l->n++;
}

int rules_lint_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p) {
		unsigned c = *p;
		int n;
		unsigned min, v;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, min = 0x80, v = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, min = 0x800, v = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, min = 0x10000, v = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (p[i] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* A string of the rules at `path`: valid UTF-8? Returns whether it is, so
 * that names are only looked up when they can be printed. */
static int utf8(lint *l, const char *path, const char *s)
{
	if (!s || rules_lint_utf8_ok(s))
		return 1;
	report(l, LINT_MISTAKE, path, "invalid UTF-8 in the string");
	return 0;
}

static void function(lint *l, const char *path, const char *name, const char *what)
{
	int np;
	if (!name || !utf8(l, path, name))
		return;
	if (!*name)
		report(l, LINT_MISTAKE, path, "empty function name");
	else if (!l->f->function_exists(l->f->ctx, name, &np))
		report(l, LINT_UNRESOLVED, path, "%s \"%s\" is not defined or called anywhere in the scanned tree", what, name);
}

/* A parameter index of a function that exists. */
static void argument(lint *l, const char *path, const char *name, int arg, const char *what)
{
	int np = -1;
	if (name && *name && rules_lint_utf8_ok(name) && l->f->function_exists(l->f->ctx, name, &np) &&
	    np >= 0 && arg >= np)
		report(l, LINT_MISTAKE, path, "%s %d is beyond %s()'s %d parameter%s (the first is 0)", what, arg, name, np,
		       np == 1 ? "" : "s");
}

static void lock_class(lint *l, const char *path, const char *cls)
{
	if (!cls || !utf8(l, path, cls) || rules_is_registration_lock(l->r, cls) || rules_is_resource_name(l->r, cls))
		return;   /* (a registration's pseudo-lock is held by its handlers, never taken) */
	int seen = l->f->lock_class_seen(l->f->ctx, cls);
	if (seen > 0)
		return;
	/* a lock in a struct whose field exists is a lock of the tree, held
	 * or not; a global one can only be known from the analysis */
	const char *dot = strrchr(cls, '.');
	if (dot) {
		char sname[512];
		size_t n = (size_t)(dot - cls);
		if (n < sizeof(sname)) {
			memcpy(sname, cls, n);
			sname[n] = 0;
			if (l->f->field_exists(l->f->ctx, sname, dot + 1))
				return;
		}
		report(l, LINT_UNRESOLVED, path, "lock class \"%s\" matches no lock the analysis saw and no field of the scanned tree",
		       cls);
	} else if (seen == 0) {
		report(l, LINT_UNRESOLVED, path, "lock class \"%s\" matches no lock the analysis saw", cls);
	}
}

static void lockset(lint *l, const char *base, const char *mode, const rules_lockset *ls)
{
	for (int k = 0; ls->present && k < ls->nlocks; k++) {
		char path[512];
		snprintf(path, sizeof(path), "%s.%s.%s[%d]", base, mode, ls->any ? "any" : "all", k);
		lock_class(l, path, ls->locks[k].cls);
	}
}

static int same_lockset(const rules_lockset *a, const rules_lockset *b)
{
	if (a->present != b->present || a->any != b->any || a->nlocks != b->nlocks)
		return 0;
	for (int k = 0; k < a->nlocks; k++)
		if (strcmp(a->locks[k].cls, b->locks[k].cls) != 0 || a->locks[k].modes != b->locks[k].modes)
			return 0;
	return 1;
}

static void guards(lint *l)
{
	for (int i = 0; i < l->r->nguards; i++) {
		const rules_guard *g = &l->r->guards[i];
		char base[64], path[128];
		snprintf(base, sizeof(base), "$.guards[%d]", i);
		snprintf(path, sizeof(path), "%s.field", base);
		if (utf8(l, path, g->sname) && utf8(l, path, g->field)) {
			if (!l->f->field_exists(l->f->ctx, g->sname, NULL))
				report(l, LINT_UNRESOLVED, path, "no access to any field of struct %s in the scanned tree", g->sname);
			else if (g->field && !l->f->field_exists(l->f->ctx, g->sname, g->field))
				report(l, LINT_UNRESOLVED, path, "no access to %s.%s in the scanned tree (struct %s has accesses)",
				       g->sname, g->field, g->sname);
		}
		for (int k = 0; k < g->nexcept; k++) {
			snprintf(path, sizeof(path), "%s.except[%d]", base, k);
			if (utf8(l, path, g->except[k]) && l->f->field_exists(l->f->ctx, g->sname, NULL) &&
			    !l->f->field_exists(l->f->ctx, g->sname, g->except[k]))
				report(l, LINT_UNRESOLVED, path, "no access to %s.%s in the scanned tree", g->sname, g->except[k]);
		}
		/* "access" sets read and write alike: one report for both */
		int both = same_lockset(&g->read, &g->write);
		lockset(l, base, "read", &g->read);
		if (!both)
			lockset(l, base, "write", &g->write);
		snprintf(path, sizeof(path), "%s.reason", base);
		utf8(l, path, g->reason);
	}
}

static void primitives(lint *l)
{
	for (int i = 0; i < l->r->nprimitives; i++) {
		const rules_primitive *p = &l->r->primitives[i];
		static const char *const ops[] = { "acquire", "release", "try", "query", "irq", "downgrade" };
		char path[512];
		snprintf(path, sizeof(path), "$.primitives.%s", p->function);
		if (!utf8(l, "$.primitives", p->function))
			continue;
		if (!*p->function) {
			report(l, LINT_MISTAKE, "$.primitives", "empty primitive name \"\"");
			continue;
		}
		/* an API only some versions have may be missing from this tree */
		if (!p->versions && !l->f->function_exists(l->f->ctx, p->function, &(int){ 0 })) {
			report(l, LINT_UNRESOLVED, path, "primitive \"%s\" matches no function defined or called in the scanned tree",
			       p->function);
			continue;
		}
		if (p->op == PRIM_IRQ || p->arg == RULES_ARG_RETURN || p->arg == RULES_ARG_GLOBAL)
			continue;   /* no lock argument to check */
		snprintf(path, sizeof(path), "$.primitives.%s.%s", p->function, ops[p->op]);
		argument(l, path, p->function, p->arg, "lock argument");
	}
}

/* Each pair a-before-b of the chains against the later chains. */
static void orders(lint *l)
{
	for (int i = 0; i < l->r->norders; i++) {
		char **c = l->r->orders[i];
		for (int a = 0; c[a]; a++) {
			char path[64];
			snprintf(path, sizeof(path), "$.order[%d][%d]", i, a);
			lock_class(l, path, c[a]);
		}
		for (int j = 0; j < i; j++) {
			char **d = l->r->orders[j];
			for (int a = 0; c[a]; a++)
				for (int b = a + 1; c[b]; b++)
					for (int x = 0; d[x]; x++)
						for (int y = x + 1; d[y]; y++)
							if (!strcmp(c[a], d[y]) && !strcmp(c[b], d[x])) {
								char path[64];
								snprintf(path, sizeof(path), "$.order[%d]", i);
								report(l, LINT_MISTAKE, path,
								       "puts \"%s\" before \"%s\", the reverse of $.order[%d]",
								       c[a], c[b], j);
							}
		}
	}
}

static void exclusive(lint *l)
{
	for (int i = 0; i < l->r->nexclusive; i++) {
		char path[64];
		snprintf(path, sizeof(path), "$.exclusive[%d]", i);
		lock_class(l, path, l->r->exclusive[i]);
		for (int j = 0; j < i; j++)
			if (!strcmp(l->r->exclusive[i], l->r->exclusive[j])) {
				report(l, LINT_MISTAKE, path, "\"%s\" is already at $.exclusive[%d]", l->r->exclusive[i], j);
				break;
			}
	}
}

static void forbidden(lint *l)
{
	for (int i = 0; i < l->r->nforbidden; i++) {
		const rules_forbidden *f = &l->r->forbidden[i];
		char path[96];
		snprintf(path, sizeof(path), "$.forbidden_under_lock[%d].function", i);
		function(l, path, f->function, "function");
		for (int k = 0; k < f->nclasses; k++) {
			snprintf(path, sizeof(path), "$.forbidden_under_lock[%d].locks[%d]", i, k);
			lock_class(l, path, f->classes[k]);
		}
		snprintf(path, sizeof(path), "$.forbidden_under_lock[%d].reason", i);
		utf8(l, path, f->reason);
	}
	for (int i = 0; i < l->r->nguarded; i++) {
		const rules_guarded_edge *g = &l->r->guarded[i];
		char path[96];
		snprintf(path, sizeof(path), "$.guarded_order[%d].held", i);
		lock_class(l, path, g->held);
		snprintf(path, sizeof(path), "$.guarded_order[%d].acquired", i);
		lock_class(l, path, g->acquired);
		snprintf(path, sizeof(path), "$.guarded_order[%d].reason", i);
		utf8(l, path, g->reason);
	}
	for (int i = 0; i < l->r->nnesting; i++) {
		const rules_nesting *n = &l->r->nesting[i];
		char path[96];
		snprintf(path, sizeof(path), "$.nesting[%d].class", i);
		lock_class(l, path, n->cls);
		snprintf(path, sizeof(path), "$.nesting[%d].function", i);
		if (!n->versions)   /* a helper only some versions have may be missing from this tree */
			function(l, path, n->function, "function");
		else
			utf8(l, path, n->function);
		snprintf(path, sizeof(path), "$.nesting[%d].reason", i);
		utf8(l, path, n->reason);
	}
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void ignores(lint *l)
{
	for (int i = 0; i < l->r->nignores; i++) {
		const rules_ignore *ig = &l->r->ignores[i];
		char path[64];
		snprintf(path, sizeof(path), "$.ignore[%d].function", i);
		function(l, path, ig->function, "function");
		snprintf(path, sizeof(path), "$.ignore[%d].via", i);
		function(l, path, ig->via, "function");
		snprintf(path, sizeof(path), "$.ignore[%d].subject", i);
		utf8(l, path, ig->subject);
		snprintf(path, sizeof(path), "$.ignore[%d].reason", i);
		utf8(l, path, ig->reason);
		for (int j = 0; j < i; j++) {
			const rules_ignore *o = &l->r->ignores[j];
			if (same_str(ig->check, o->check) && same_str(ig->function, o->function) &&
			    same_str(ig->subject, o->subject) && same_str(ig->via, o->via)) {
				snprintf(path, sizeof(path), "$.ignore[%d]", i);
				report(l, LINT_MISTAKE, path, "the same finding as $.ignore[%d] (check, function, subject and via)", j);
				break;
			}
		}
	}
}

static void functions(lint *l)
{
	char path[96];
	for (int i = 0; i < l->r->nallocators; i++) {
		snprintf(path, sizeof(path), "$.allocators[%d]", i);
		function(l, path, l->r->allocators[i], "allocator");
	}
	for (int i = 0; i < l->r->nassert_macros; i++) {
		snprintf(path, sizeof(path), "$.assert_macros[%d]", i);
		utf8(l, path, l->r->assert_macros[i]);
	}
	const rules_softirq *sq = &l->r->softirq;
	for (int i = 0; i < sq->nregs; i++) {
		snprintf(path, sizeof(path), "$.softirq.registrations[%d].function", i);
		function(l, path, sq->regs[i].function, "function");
		snprintf(path, sizeof(path), "$.softirq.registrations[%d].handler", i);
		argument(l, path, sq->regs[i].function, sq->regs[i].handler, "handler argument");
		snprintf(path, sizeof(path), "$.softirq.registrations[%d].number", i);
		if (sq->regs[i].number >= 0)
			argument(l, path, sq->regs[i].function, sq->regs[i].number, "number argument");
	}
	for (int i = 0; i < sq->nhandlers; i++) {
		snprintf(path, sizeof(path), "$.softirq.handlers[%d]", i);
		function(l, path, sq->handlers[i], "handler");
	}
	for (int i = 0; i < l->r->nsingle_cpu; i++) {
		const rules_single_cpu *s = &l->r->single_cpu[i];
		snprintf(path, sizeof(path), "$.single_cpu[%d].function", i);
		function(l, path, s->function, "function");
		snprintf(path, sizeof(path), "$.single_cpu[%d].from", i);
		function(l, path, s->from, "function");
		snprintf(path, sizeof(path), "$.single_cpu[%d].until", i);
		function(l, path, s->until, "function");
	}
	for (int i = 0; i < l->r->npreconditions; i++) {
		snprintf(path, sizeof(path), "$.preconditions[%d].function", i);
		function(l, path, l->r->preconditions[i].function, "function");
	}
	for (int i = 0; i < l->r->nthreads; i++) {
		const rules_thread *t = &l->r->threads[i];
		snprintf(path, sizeof(path), "$.threads[%d].function", i);
		function(l, path, t->function, "function");
		snprintf(path, sizeof(path), "$.threads[%d].handler", i);
		argument(l, path, t->function, t->handler, "handler argument");
		snprintf(path, sizeof(path), "$.threads[%d].object", i);
		argument(l, path, t->function, t->object, "object argument");
	}
	for (int i = 0; i < l->r->boot.nafter; i++) {
		snprintf(path, sizeof(path), "$.boot.after[%d].function", i);
		function(l, path, l->r->boot.after[i].function, "function");
	}
}

int rules_lint(const rules *r, const rules_lint_facts *facts, rules_lint_warn_fn warn, void *warn_ctx)
{
	lint l = { r, facts, warn, warn_ctx, 0 };
	utf8(&l, "$.description", r->description);
	primitives(&l);
	functions(&l);
	guards(&l);
	orders(&l);
	exclusive(&l);
	forbidden(&l);
	ignores(&l);
	return l.n;
}
