#include "rules.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef int (*rules_kind_fn)(rules *r, const cJSON *v, const char *jpath);

static int rule_error(const rules *r, const char *jpath, const char *what)
{
	return la_error_code(LA_EPARSE, "%s: %s: %s", r->path, jpath, what);
}

/* rule_error() with a message made from a format */
static int rule_errorf(const rules *r, const char *jpath, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int rule_errorf(const rules *r, const char *jpath, const char *fmt, ...)
{
	la_buf msg = LA_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	la_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	int err = rule_error(r, jpath, msg.ptr);
	la_buf_free(&msg);
	return err;
}

static int unknown_key(const rules *r, const char *kpath, const char *known)
{
	return rule_errorf(r, kpath, "unknown key (known: %s)", known);
}

/* cJSON keeps every member of a duplicated key; a second one would silently
 * extend or override the first. */
static int dup_key(const rules *r, const cJSON *obj, const cJSON *k, const char *kpath)
{
	for (const cJSON *e = obj->child; e && e != k; e = e->next)
		if (strcmp(e->string, k->string) == 0)
			return rule_error(r, kpath, "duplicate key");
	return LA_OK;
}

/* The JSON path of key k of object v in *kp, once k is known not to repeat
 * an earlier key: every loader of an object walks its keys this way. */
static int key_path(const rules *r, const cJSON *v, const cJSON *k, const char *jpath, la_buf *kp)
{
	la_buf_clear(kp);
	la_buf_printf(kp, "%s.%s", jpath, k->string);
	return dup_key(r, v, k, kp->ptr);
}

static int load_description(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsString(v))
		return rule_error(r, jpath, "expected a string");
	r->description = xstrdup(v->valuestring);
	return LA_OK;
}

/* An array of names ("a macro name", "a function name"). */
static int load_name_list(const rules *r, const cJSON *v, const char *jpath, const char *what, char ***out, int *n)
{
	la_buf msg = LA_BUF_INIT;
	la_buf_printf(&msg, "expected an array of %ss", what + 2);   /* "a macro name" -> "macro names" */
	int err = cJSON_IsArray(v) ? LA_OK : rule_error(r, jpath, msg.ptr);
	int i = 0, cap = 0;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "%s[%d]", jpath, i);
		la_buf_clear(&msg);
		la_buf_printf(&msg, "expected %s (a non-empty string)", what);
		if (!cJSON_IsString(e) || !*e->valuestring)
			err = rule_error(r, p.ptr, msg.ptr);
		la_buf_free(&p);
		if (err < 0)
			break;
		LA_VEC_PUSH(*out, *n, cap);
		(*out)[(*n)++] = xstrdup(e->valuestring);
	}
	la_buf_free(&msg);
	return err;
}

static int load_assert_macros(rules *r, const cJSON *v, const char *jpath)
{
	return load_name_list(r, v, jpath, "a macro name", &r->assert_macros, &r->nassert_macros);
}

/* "allocators": functions that return a new object nobody else can reach yet */
static int load_allocators(rules *r, const cJSON *v, const char *jpath)
{
	return load_name_list(r, v, jpath, "a function name", &r->allocators, &r->nallocators);
}

/* "lock_members": ["spinlock.rlock"]: the field inside a lock type that a
 * lower layer of the API locks; the lock is the object that contains it. */
static int load_lock_members(rules *r, const cJSON *v, const char *jpath)
{
	int first = r->nlock_members;
	int err = load_name_list(r, v, jpath, "a field such as \"spinlock.rlock\"", &r->lock_members,
				 &r->nlock_members);
	for (int i = first; err >= 0 && i < r->nlock_members; i++) {
		const char *dot = strrchr(r->lock_members[i], '.');
		if (!dot || dot == r->lock_members[i] || !dot[1]) {
			la_buf p = LA_BUF_INIT;
			la_buf_printf(&p, "%s[%d]", jpath, i - first);
			err = rule_error(r, p.ptr, "expected \"STRUCT.FIELD\": the member of a lock type that is the lock");
			la_buf_free(&p);
		}
	}
	return err;
}

int rules_is_registration_lock(const rules *r, const char *cls)
{
	for (int i = 0; r && cls && i < r->irq.nregs; i++)
		if (r->irq.regs[i].holds && strcmp(r->irq.regs[i].holds, cls) == 0)
			return 1;
	return 0;
}

int rules_is_resource_name(const rules *r, const char *cls)
{
	for (int i = 0; r && cls && i < r->nprimitives; i++)
		if (r->primitives[i].resource && strcmp(r->primitives[i].resource, cls) == 0)
			return 1;
	return 0;
}

int rules_is_lock_member(const rules *r, const char *sname, const char *field)
{
	size_t n = sname ? strlen(sname) : 0;
	for (int i = 0; r && sname && field && i < r->nlock_members; i++) {
		const char *m = r->lock_members[i];
		if (strncmp(m, sname, n) == 0 && m[n] == '.' && strcmp(m + n + 1, field) == 0)
			return 1;
	}
	return 0;
}

int rules_is_allocator(const rules *r, const char *function)
{
	for (int i = 0; r && function && i < r->nallocators; i++)
		if (strcmp(r->allocators[i], function) == 0)
			return 1;
	return 0;
}

static int lookup_word(const rules *r, const char *jpath, const cJSON *v, const char *const *words,
		       const int *values, int n, int *out)
{
	if (cJSON_IsString(v))
		for (int i = 0; i < n; i++)
			if (strcmp(v->valuestring, words[i]) == 0) {
				*out = values[i];
				return LA_OK;
			}
	la_buf msg = LA_BUF_INIT;
	la_buf_puts(&msg, "expected one of");
	for (int i = 0; i < n; i++)
		la_buf_printf(&msg, "%s \"%s\"", i ? "," : "", words[i]);
	int err = rule_error(r, jpath, msg.ptr);
	la_buf_free(&msg);
	return err;
}

/* An argument index (0, 1, ...). */
static int load_index(const rules *r, const cJSON *v, const char *jpath, const char *what, int *out)
{
	if (!cJSON_IsNumber(v) || v->valueint < 0 || v->valuedouble != v->valueint) {
		return rule_errorf(r, jpath, "expected the index of %s (0, 1, ...)", what);
	}
	*out = v->valueint;
	return LA_OK;
}

static int load_name(const rules *r, const cJSON *v, const char *jpath, const char *what, char **out);

/* true or false; `meaning` says what true or false means, in the error */
static int load_bool(const rules *r, const cJSON *v, const char *jpath, const char *meaning, int *out)
{
	if (!cJSON_IsBool(v)) {
		return rule_errorf(r, jpath, "expected true or false (%s)", meaning);
	}
	*out = cJSON_IsTrue(v);
	return LA_OK;
}

/* The value of an operation: the lock argument's index, "return" (the
 * object the call returns) or "global:NAME" (a lock no argument names:
 * Linux's rcu_read_lock()). */
static int load_prim_target(const rules *r, const cJSON *k, const char *kpath, rules_primitive *p)
{
	if (cJSON_IsString(k) && strcmp(k->valuestring, "return") == 0) {
		if (p->op != PRIM_ACQUIRE && p->op != PRIM_TRY)
			return rule_error(r, kpath, "\"return\" is for acquire and try: what the call returns is held");
		p->arg = RULES_ARG_RETURN;
		return LA_OK;
	}
	if (cJSON_IsString(k) && strncmp(k->valuestring, "global:", 7) == 0) {
		if (!k->valuestring[7])
			return rule_error(r, kpath, "expected \"global:NAME\" with the name of the lock");
		p->arg = RULES_ARG_GLOBAL;
		p->global = xstrdup(k->valuestring + 7);
		return LA_OK;
	}
	if (cJSON_IsString(k))
		return rule_error(r, kpath, "expected the index of the lock argument (0, 1, ...), \"return\" or \"global:NAME\"");
	return load_index(r, k, kpath, "the lock argument", &p->arg);
}

/* "field": "pci_dev.block_cfg_access": the lock is that field of the object
 * the argument points to. */
static int load_prim_field(const rules *r, const cJSON *k, const char *kpath, rules_primitive *p)
{
	const char *s = cJSON_IsString(k) ? k->valuestring : NULL;
	const char *dot = s ? strrchr(s, '.') : NULL;
	if (!dot || dot == s || !dot[1])
		return rule_error(r, kpath, "expected \"STRUCT.FIELD\": the field of the argument's object that is the lock");
	free(p->field_struct);
	free(p->field);
	p->field_struct = xstrndup(s, (size_t)(dot - s));
	p->field = xstrdup(dot + 1);
	return LA_OK;
}

static void free_primitive(rules_primitive *p)
{
	free(p->function);
	free(p->versions);
	free(p->resource);
	free(p->global);
	free(p->field_struct);
	free(p->field);
}

/* "primitives": { "_spin_lock": { "acquire": 0, "mode": "exclusive" }, ... } */
static int load_primitive(rules *r, const char *name, const cJSON *v, const char *jpath)
{
	static const char *const ops[] = { "acquire", "release", "try", "query", "downgrade" };
	static const int op_values[] = { PRIM_ACQUIRE, PRIM_RELEASE, PRIM_TRY, PRIM_QUERY, PRIM_DOWNGRADE };
	static const char *const modes[] = { "shared", "exclusive", "recursive", "any" };
	static const int mode_values[] = { LOCK_SHARED, LOCK_EXCLUSIVE, LOCK_RECURSIVE, LOCK_ANY };
	static const char *const irqs[] = { "keep", "disable", "enable", "save", "restore", "query" };
	static const int irq_values[] = { IRQ_KEEP, IRQ_DISABLE, IRQ_ENABLE, IRQ_SAVE, IRQ_RESTORE, IRQ_QUERY };
	static const char *const successes[] = { "nonzero", "zero" };
	static const char *const contexts[] = { "sleepable", "atomic" };
	static const int bool_values[] = { 0, 1 };
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"acquire\": 0, \"mode\": \"exclusive\"}");
	const rules_primitive *other = rules_find_primitive(r, name);
	if (other) {   /* in another file of the set (a file's own duplicates are duplicate keys) */
		return rule_errorf(r, jpath, "\"%s\" is already a primitive in %s", name, other->file);
	}
	rules_primitive p;
	memset(&p, 0, sizeof(p));
	p.function = xstrdup(name);
	p.op = PRIM_ACQUIRE;
	p.arg = -1;
	p.mode = LOCK_EXCLUSIVE;
	p.irq = IRQ_KEEP;
	p.file = r->path;
	p.returns = -1;
	p.out = -1;
	p.drops = -1;
	int err = LA_OK, nops = 0;
	const cJSON *success = NULL;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		int op = -1;
		for (int i = 0; i < (int)(sizeof(ops) / sizeof(ops[0])); i++)
			if (strcmp(k->string, ops[i]) == 0)
				op = op_values[i];
		if (op >= 0) {
			p.op = (rules_prim_op)op;
			nops++;
			err = load_prim_target(r, k, kp.ptr, &p);
		} else if (strcmp(k->string, "resource") == 0) {
			free(p.resource);
			err = load_name(r, k, kp.ptr, "the name of the resource", &p.resource);
		} else if (strcmp(k->string, "returns") == 0) {
			err = load_index(r, k, kp.ptr, "the argument the call returns", &p.returns);
		} else if (strcmp(k->string, "mode") == 0) {
			err = lookup_word(r, kp.ptr, k, modes, mode_values, 4, &p.mode);
		} else if (strcmp(k->string, "irq") == 0) {
			err = lookup_word(r, kp.ptr, k, irqs, irq_values, 6, &p.irq);
		} else if (strcmp(k->string, "success") == 0) {
			success = k;
			err = lookup_word(r, kp.ptr, k, successes, bool_values, 2, &p.on_zero);
		} else if (strcmp(k->string, "context") == 0) {
			err = lookup_word(r, kp.ptr, k, contexts, bool_values, 2, &p.atomic);
		} else if (strcmp(k->string, "field") == 0) {
			err = load_prim_field(r, k, kp.ptr, &p);
		} else if (strcmp(k->string, "indirect") == 0) {
			err = load_bool(r, k, kp.ptr, "true: the argument points to a pointer to the lock", &p.indirect);
		} else if (strcmp(k->string, "refcount") == 0) {
			err = load_bool(r, k, kp.ptr, "true: a counted reference", &p.refcount);
		} else if (strcmp(k->string, "reenter") == 0) {
			err = load_bool(r, k, kp.ptr, "true: taking it again while held changes nothing", &p.reenter);
		} else if (strcmp(k->string, "drops") == 0) {
			err = load_index(r, k, kp.ptr, "the argument whose reference the call drops", &p.drops);
		} else if (strcmp(k->string, "out") == 0) {
			err = load_index(r, k, kp.ptr, "the argument through which the call says whether it took the lock", &p.out);
		} else if (strcmp(k->string, "waits") == 0) {
			int waits = 1;
			err = load_bool(r, k, kp.ptr, "false: taking it never waits", &waits);
			p.nowait = !waits;
		} else if (strcmp(k->string, "versions") == 0) {
			free(p.versions);
			err = load_name(r, k, kp.ptr, "the versions that have it", &p.versions);
		} else {
			err = rule_error(r, kp.ptr, "unknown key (known: acquire, release, try, query, downgrade, mode, irq, "
						    "success, context, waits, reenter, field, indirect, out, refcount, drops, versions, resource, returns)");
		}
	}
	la_buf_free(&kp);
	/* an IRQ primitive has no lock: only "irq" (local_irq_disable) */
	if (err >= 0 && nops == 0 && p.irq != IRQ_KEEP)
		p.op = PRIM_IRQ;
	else if (err >= 0 && nops != 1)
		err = rule_error(r, jpath, "needs exactly one of acquire, release, try, query, downgrade (or only \"irq\": an IRQ primitive)");
	if (err >= 0 && p.irq == IRQ_QUERY && p.op != PRIM_IRQ)
		err = rule_error(r, jpath, "\"irq\": \"query\" is for a function that only says whether IRQs are enabled: no lock argument");
	if (err >= 0 && success && p.op != PRIM_TRY && !(p.op == PRIM_RELEASE && p.out >= 0))
		err = rule_error(r, jpath, "\"success\" is for \"try\" (or a release with \"out\"): the value that says the call took (released) the lock");
	if (err >= 0 && p.out >= 0 && p.op != PRIM_TRY && p.op != PRIM_RELEASE)
		err = rule_error(r, jpath, "\"out\" is for \"try\" and \"release\": the argument through which the call says whether it did");
	if (err >= 0 && p.refcount && !p.resource)
		err = rule_error(r, jpath, "\"refcount\" needs \"resource\" (the name of the reference)");
	if (err >= 0 && p.drops >= 0 && (!p.resource || (p.op != PRIM_ACQUIRE && p.op != PRIM_TRY)))
		err = rule_error(r, jpath, "\"drops\" is for a resource's acquire or try (a lookup that drops the reference to where it starts)");
	if (err >= 0 && p.indirect && (p.arg < 0 || p.field))
		err = rule_error(r, jpath, "\"indirect\" needs an argument index and no \"field\"");
	if (err >= 0 && p.field && p.arg < 0)
		err = rule_error(r, jpath, "\"field\" needs an argument index: the lock is that field of the argument's object");
	if (err >= 0 && p.returns >= 0 && (p.op != PRIM_ACQUIRE || p.arg != p.returns))
		err = rule_error(r, jpath, "\"returns\" is for an acquire that returns the object it takes (\"acquire\": N, \"returns\": N)");
	if (err >= 0 && p.op == PRIM_QUERY && !cJSON_GetObjectItemCaseSensitive(v, "mode"))
		p.mode = LOCK_ANY;
	if (err < 0) {
		free_primitive(&p);
		return err;
	}
	LA_VEC_PUSH(r->primitives, r->nprimitives, r->capprimitives);
	r->primitives[r->nprimitives++] = p;
	la_strset_add(&r->primitive_index, p.function);   /* index = position: names are unique */
	return LA_OK;
}

static int load_primitives(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object mapping function names to primitives");
	int err = LA_OK;
	/* tens of thousands of primitives: duplicates found by hash, not by
	 * scanning the keys before each one */
	la_strset seen = LA_STRSET_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "%s.%s", jpath, k->string);
		err = la_strset_add(&seen, k->string) ? load_primitive(r, k->string, k, p.ptr)
						      : rule_error(r, p.ptr, "duplicate key");
		la_buf_free(&p);
	}
	la_strset_free(&seen);
	return err;
}

const rules_primitive *rules_find_primitive(const rules *r, const char *function)
{
	long i = r ? la_strset_index(&r->primitive_index, function) : -1;
	return i >= 0 ? &r->primitives[i] : NULL;
}

/* A function name, field name, check id or reason: a non-empty string. */
static int load_name(const rules *r, const cJSON *v, const char *jpath, const char *what, char **out)
{
	if (!cJSON_IsString(v) || !*v->valuestring) {
		return rule_errorf(r, jpath, "expected %s (a non-empty string)", what);
	}
	*out = xstrdup(v->valuestring);
	return LA_OK;
}

/* A lock class in "order", "exclusive" and "forbidden_under_lock". These
 * rules are about holding the lock at all, so a mode would mean nothing. */
static int load_class(const rules *r, const cJSON *v, const char *jpath, char **out)
{
	if (!cJSON_IsString(v) || !*v->valuestring)
		return rule_error(r, jpath, "expected a lock class such as \"_pcidevs_lock\" or \"domain.pci_lock\"");
	if (strchr(v->valuestring, ':'))
		return rule_error(r, jpath, "expected a lock class without a mode (no \":read\" or \":write\" here)");
	*out = xstrdup(v->valuestring);
	return LA_OK;
}

static void free_strs(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* An array of lock classes into *out and *n (empty on entry; freed by the
 * caller on error too). */
static int load_classes(const rules *r, const cJSON *v, const char *jpath, const char *expected,
			char ***out, int *n)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, expected);
	int i = 0, cap = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		char *cls = NULL;
		err = load_class(r, e, p.ptr, &cls);
		if (err < 0)
			break;
		LA_VEC_PUSH(*out, *n, cap);
		(*out)[(*n)++] = cls;
	}
	la_buf_free(&p);
	return err;
}

/* "CLASS", "CLASS:read" or "CLASS:write". A write hold also satisfies a read
 * rule, so "read" accepts any mode; a recursive lock (pcidevs_lock) held is
 * held exclusively, so "write" accepts both exclusive and recursive holds. */
static int load_lockref(const rules *r, const cJSON *v, const char *jpath, rules_lockref *out)
{
	if (!cJSON_IsString(v))
		return rule_error(r, jpath, "expected a lock reference (\"CLASS\", \"CLASS:read\" or \"CLASS:write\")");
	const char *s = v->valuestring, *mode = strchr(s, ':');
	size_t n = mode ? (size_t)(mode - s) : strlen(s);
	int modes = LOCK_ANY;
	if (mode && strcmp(mode + 1, "write") == 0) {
		modes = LOCK_EXCLUSIVE | LOCK_RECURSIVE;
	} else if (mode && strcmp(mode + 1, "read") != 0) {
		return rule_errorf(r, jpath, "unknown lock mode \"%s\" (expected \"CLASS\", \"CLASS:read\" or \"CLASS:write\")",
				   mode + 1);
	}
	if (n == 0)
		return rule_error(r, jpath, "empty lock class (expected \"CLASS\", \"CLASS:read\" or \"CLASS:write\")");
	out->cls = xstrndup(s, n);
	out->modes = modes;
	return LA_OK;
}

static void free_lockset(rules_lockset *ls)
{
	for (int i = 0; i < ls->nlocks; i++)
		free(ls->locks[i].cls);
	free(ls->locks);
}

/* "any" or "all": a non-empty array of lock references. */
static int load_locklist(const rules *r, const cJSON *v, const char *jpath, rules_lockset *out)
{
	if (!cJSON_IsArray(v) || !v->child)
		return rule_error(r, jpath, "expected a non-empty array of lock references");
	out->present = 1;
	out->any = strcmp(v->string, "any") == 0;
	int i = 0, cap = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		rules_lockref ref;
		err = load_lockref(r, e, p.ptr, &ref);
		if (err < 0)
			break;
		LA_VEC_PUSH(out->locks, out->nlocks, cap);
		out->locks[out->nlocks++] = ref;
	}
	la_buf_free(&p);
	return err;
}

/* {"any": [...]} or {"all": [...]}: *out is zeroed on entry and freed by the
 * caller on error too. */
static int load_lockset(const rules *r, const cJSON *v, const char *jpath, rules_lockset *out)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected {\"any\": [locks...]} or {\"all\": [locks...]}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		la_buf_clear(&kp);
		la_buf_printf(&kp, "%s.%s", jpath, k->string);
		if (strcmp(k->string, "any") != 0 && strcmp(k->string, "all") != 0)
			err = unknown_key(r, kp.ptr, "any, all");
		else if (out->present)
			err = rule_error(r, jpath, "needs exactly one of any, all");
		else
			err = load_locklist(r, k, kp.ptr, out);
	}
	la_buf_free(&kp);
	if (err >= 0 && !out->present)
		err = rule_error(r, jpath, "needs exactly one of any, all");
	return err;
}

static void copy_lockset(rules_lockset *dst, const rules_lockset *src)
{
	*dst = *src;
	dst->locks = xcalloc((size_t)src->nlocks, sizeof(*dst->locks));
	for (int i = 0; i < src->nlocks; i++) {
		dst->locks[i].cls = xstrdup(src->locks[i].cls);
		dst->locks[i].modes = src->locks[i].modes;
	}
}

static void free_guard(rules_guard *g)
{
	free(g->sname);
	free(g->field);
	free_strs(g->except, g->nexcept);
	free_lockset(&g->read);
	free_lockset(&g->write);
	free(g->reason);
}

/* "STRUCT.FIELD" or "STRUCT.*", split at the last dot as `lockaudit guards`
 * splits its argument. */
static int load_guard_field(const rules *r, const cJSON *v, const char *jpath, rules_guard *g)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	const char *dot = s ? strrchr(s, '.') : NULL;
	const char *star = s ? strchr(s, '*') : NULL;
	/* A "*" is only the whole field part. */
	if (!dot || dot == s || !dot[1] || (star && (star != dot + 1 || dot[2])))
		return rule_error(r, jpath, "expected \"STRUCT.FIELD\" or \"STRUCT.*\"");
	g->sname = xstrndup(s, (size_t)(dot - s));
	g->field = strcmp(dot + 1, "*") == 0 ? NULL : xstrdup(dot + 1);
	return LA_OK;
}

static int load_except(const rules *r, const cJSON *v, const char *jpath, rules_guard *g)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, "expected an array of field names");
	int i = 0, cap = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		char *field = NULL;
		err = load_name(r, e, p.ptr, "a field name", &field);
		if (err < 0)
			break;
		LA_VEC_PUSH(g->except, g->nexcept, cap);
		g->except[g->nexcept++] = field;
	}
	la_buf_free(&p);
	return err;
}

/* { "field": "pci_dev.vpci", "read": {"any": [...]}, "write": {"all": [...]}, "reason": "..." } */
static int load_guard(const rules *r, const cJSON *v, const char *jpath, rules_guard *g)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath,
				  "expected an object such as {\"field\": \"vpci.*\", \"access\": {\"all\": [\"vpci.lock\"]}}");
	const cJSON *except = NULL;
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "field") == 0) {
			err = load_guard_field(r, k, kp.ptr, g);
		} else if (strcmp(k->string, "except") == 0) {
			except = k;
			err = load_except(r, k, kp.ptr, g);
		} else if (strcmp(k->string, "read") == 0) {
			err = load_lockset(r, k, kp.ptr, &g->read);
		} else if (strcmp(k->string, "write") == 0) {
			err = load_lockset(r, k, kp.ptr, &g->write);
		} else if (strcmp(k->string, "access") == 0) {
			/* Checked here whatever the key order, so read is still empty. */
			if (cJSON_GetObjectItemCaseSensitive(v, "read") ||
			    cJSON_GetObjectItemCaseSensitive(v, "write"))
				err = rule_error(r, kp.ptr, "not allowed together with read or write (access sets both)");
			else
				err = load_lockset(r, k, kp.ptr, &g->read);
			if (err >= 0)
				copy_lockset(&g->write, &g->read);
		} else if (strcmp(k->string, "reason") == 0) {
			if (!cJSON_IsString(k))
				err = rule_error(r, kp.ptr, "expected a string");
			else
				g->reason = xstrdup(k->valuestring);
		} else {
			err = unknown_key(r, kp.ptr, "field, except, read, write, access, reason");
		}
	}
	if (err >= 0 && !g->sname)
		err = rule_error(r, jpath, "needs \"field\"");
	if (err >= 0 && except && g->field) {
		la_buf_clear(&kp);
		la_buf_printf(&kp, "%s.except", jpath);
		err = rule_error(r, kp.ptr, "only allowed with a \"STRUCT.*\" field");
	}
	if (err >= 0 && !g->read.present && !g->write.present)
		err = rule_error(r, jpath, "needs at least one of read, write, access");
	la_buf_free(&kp);
	return err;
}

/* An array kind: every element loaded by one(r, element, "$.kind[i]", i),
 * in order, stopping at the first error. The array `*vec` of elements of
 * `size` bytes is allocated for all of them first, so that `one` appends
 * without growing it. */
typedef int (*element_fn)(rules *r, const cJSON *e, const char *epath, const char *jpath);

static int each_element(rules *r, const cJSON *v, const char *jpath, const char *expected, void **vec,
			size_t size, element_fn one)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, expected);
	*vec = xcalloc((size_t)cJSON_GetArraySize(v) + 1, size);
	int i = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		err = one(r, e, p.ptr, jpath);
	}
	la_buf_free(&p);
	return err;
}

/* "X" already has an entry at $.kind[j]: an error at the new entry's `key`. */
static int already_at(const rules *r, const char *epath, const char *key, const char *what, const char *jpath, int j)
{
	la_buf p = LA_BUF_INIT, msg = LA_BUF_INIT;
	la_buf_printf(&p, "%s.%s", epath, key);
	la_buf_printf(&msg, "%s at %s[%d]", what, jpath, j);
	int err = rule_error(r, p.ptr, msg.ptr);
	la_buf_free(&p);
	la_buf_free(&msg);
	return err;
}

/* Kinds with one entry per function: the `function` member (at offset `off`
 * of each of the n entries of vec) must not be taken yet. */
static int unique_function(const rules *r, const void *vec, int n, size_t size, size_t off, const char *name,
			   const char *epath, const char *jpath)
{
	for (int j = 0; j < n; j++)
		if (strcmp(*(char *const *)((const char *)vec + (size_t)j * size + off), name) == 0) {
			la_buf what = LA_BUF_INIT;
			la_buf_printf(&what, "\"%s\" is already", name);
			int err = already_at(r, epath, "function", what.ptr, jpath, j);
			la_buf_free(&what);
			return err;
		}
	return LA_OK;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int guard_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	rules_guard g;
	memset(&g, 0, sizeof(g));
	int err = load_guard(r, e, epath, &g);
	for (int j = 0; err >= 0 && j < r->nguards; j++)
		if (strcmp(r->guards[j].sname, g.sname) == 0 && same_str(r->guards[j].field, g.field)) {
			la_buf what = LA_BUF_INIT;
			la_buf_printf(&what, "\"%s.%s\" already has a guard", g.sname, g.field ? g.field : "*");
			err = already_at(r, epath, "field", what.ptr, jpath, j);
			la_buf_free(&what);
		}
	if (err < 0)
		free_guard(&g);
	else
		r->guards[r->nguards++] = g;
	return err;
}

/* "guards": [...]. Two rules for one field are an error: the lookup would
 * silently use the first. */
static int load_guards(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of guards", (void **)&r->guards, sizeof(rules_guard),
			    guard_element);
}

/* One chain of "order": at least two classes, outermost first, none twice
 * (a class cannot come before itself). NULL-terminated in *out. */
static int load_chain(const rules *r, const cJSON *v, const char *jpath, char ***out)
{
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 2)
		return rule_error(r, jpath, "expected a chain of at least two lock classes, outermost first");
	char **chain = NULL;
	int n = 0;
	int err = load_classes(r, v, jpath, "expected an array of lock classes", &chain, &n);
	for (int i = 1; err >= 0 && i < n; i++)
		for (int j = 0; err >= 0 && j < i; j++) {
			if (strcmp(chain[i], chain[j]) != 0)
				continue;
			la_buf p = LA_BUF_INIT, msg = LA_BUF_INIT;
			la_buf_printf(&p, "%s[%d]", jpath, i);
			la_buf_printf(&msg, "lock class \"%s\" is already at %s[%d]", chain[i], jpath, j);
			err = rule_error(r, p.ptr, msg.ptr);
			la_buf_free(&msg);
			la_buf_free(&p);
		}
	if (err < 0) {
		free_strs(chain, n);
		return err;
	}
	chain = xrealloc(chain, (size_t)(n + 1) * sizeof(*chain));
	chain[n] = NULL;
	*out = chain;
	return LA_OK;
}

static void free_chain(char **chain)
{
	for (char **c = chain; c && *c; c++)
		free(*c);
	free(chain);
}

static int chain_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	(void)jpath;
	char **chain = NULL;
	int err = load_chain(r, e, epath, &chain);
	if (err >= 0)
		r->orders[r->norders++] = chain;
	return err;
}

/* "order": [["_pcidevs_lock", "domain.pci_lock", "vpci.lock"], ...] */
static int load_order(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of chains such as [[\"_pcidevs_lock\", \"domain.pci_lock\"]]",
			    (void **)&r->orders, sizeof(char **), chain_element);
}

/* "exclusive": ["vpci.lock"] */
static int load_exclusive(rules *r, const cJSON *v, const char *jpath)
{
	return load_classes(r, v, jpath, "expected an array of lock classes", &r->exclusive, &r->nexclusive);
}

static void free_forbidden(rules_forbidden *f)
{
	free(f->function);
	free_strs(f->classes, f->nclasses);
	free(f->skips);
	free(f->reason);
}

/* "skips_softirqs": [2, 3]: softirq numbers, as a registration's `number`
 * argument gives them. */
static int load_skips(const rules *r, const cJSON *v, const char *jpath, rules_forbidden *f)
{
	if (!cJSON_IsArray(v) || !v->child)
		return rule_error(r, jpath, "expected a non-empty array of softirq numbers");
	f->skips = xcalloc((size_t)cJSON_GetArraySize(v), sizeof(int));
	int i = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		if (!cJSON_IsNumber(e) || e->valueint < 0 || e->valuedouble != e->valueint)
			err = rule_error(r, p.ptr, "expected a softirq number (0, 1, ...)");
		else
			f->skips[f->nskips++] = e->valueint;
	}
	la_buf_free(&p);
	return err;
}

/* "if_arg": { "arg": 1, "bits": 1024 }: forbidden only when that argument
 * has one of the bits set (kmalloc(size, GFP_KERNEL) sleeps, GFP_ATOMIC
 * does not). */
static int load_if_arg(const rules *r, const cJSON *v, const char *jpath, rules_forbidden *f)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"arg\": 1, \"bits\": 1024}");
	int err = LA_OK, have_arg = 0;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "arg") == 0) {
			err = load_index(r, k, kp.ptr, "the argument tested", &f->if_arg);
			have_arg = 1;
		} else if (strcmp(k->string, "bits") == 0) {
			if (!cJSON_IsNumber(k) || k->valuedouble < 1 || k->valuedouble != (double)(long long)k->valuedouble)
				err = rule_error(r, kp.ptr, "expected a positive integer: the bits of which one must be set");
			else
				f->if_bits = (unsigned long long)k->valuedouble;
		} else {
			err = unknown_key(r, kp.ptr, "arg, bits");
		}
	}
	la_buf_free(&kp);
	if (err >= 0 && (!have_arg || !f->if_bits))
		err = rule_error(r, jpath, "needs \"arg\" and \"bits\"");
	return err;
}

/* { "function": "process_pending_softirqs", "when": "softirq-blocks", "locks": [...], "reason": "..." } */
static int load_forbidden_one(const rules *r, const cJSON *v, const char *jpath, rules_forbidden *f)
{
	static const char *const whens[] = { "always", "softirq-blocks", "atomic" };
	static const int when_values[] = { FORBID_ALWAYS, FORBID_SOFTIRQ_BLOCKS, FORBID_ATOMIC };
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"function\": \"f\", \"reason\": \"why\"}");
	int err = LA_OK, when = FORBID_ALWAYS;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "function") == 0) {
			err = load_name(r, k, kp.ptr, "a function name", &f->function);
		} else if (strcmp(k->string, "when") == 0) {
			err = lookup_word(r, kp.ptr, k, whens, when_values, 3, &when);
			f->when = (rules_forbid_when)when;
		} else if (strcmp(k->string, "locks") == 0) {
			/* "Any lock" is said by leaving the key out, not by []. */
			if (!cJSON_IsArray(k) || !k->child)
				err = rule_error(r, kp.ptr,
						 "expected a non-empty array of lock classes (leave \"locks\" out for any lock)");
			else
				err = load_classes(r, k, kp.ptr, "expected an array of lock classes", &f->classes,
						   &f->nclasses);
		} else if (strcmp(k->string, "skips_softirqs") == 0) {
			err = load_skips(r, k, kp.ptr, f);
		} else if (strcmp(k->string, "if_arg") == 0) {
			err = load_if_arg(r, k, kp.ptr, f);
		} else if (strcmp(k->string, "reason") == 0) {
			err = load_name(r, k, kp.ptr, "a reason", &f->reason);
		} else {
			err = unknown_key(r, kp.ptr, "function, when, locks, skips_softirqs, if_arg, reason");
		}
	}
	if (err >= 0 && f->when == FORBID_ATOMIC && f->nclasses) {
		la_buf_clear(&kp);
		la_buf_printf(&kp, "%s.locks", jpath);
		err = rule_error(r, kp.ptr, "not allowed with \"when\": \"atomic\" (the locks are those taken by \"context\": \"atomic\" primitives)");
	}
	/* the lock set of softirq-blocks is computed, so a list of classes
	 * would contradict it; skipped softirqs mean nothing for "always" */
	if (err >= 0 && f->when == FORBID_SOFTIRQ_BLOCKS && f->nclasses) {
		la_buf_clear(&kp);
		la_buf_printf(&kp, "%s.locks", jpath);
		err = rule_error(r, kp.ptr, "not allowed with \"when\": \"softirq-blocks\" (the locks are those softirq handlers wait for)");
	}
	if (err >= 0 && f->when != FORBID_SOFTIRQ_BLOCKS && f->nskips) {
		la_buf_clear(&kp);
		la_buf_printf(&kp, "%s.skips_softirqs", jpath);
		err = rule_error(r, kp.ptr, "only allowed with \"when\": \"softirq-blocks\"");
	}
	la_buf_free(&kp);
	if (err >= 0 && !f->function)
		err = rule_error(r, jpath, "needs \"function\"");
	if (err >= 0 && !f->reason)
		err = rule_error(r, jpath, "needs \"reason\"");
	return err;
}

static int forbidden_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	rules_forbidden f;
	memset(&f, 0, sizeof(f));
	f.if_arg = -1;
	int err = load_forbidden_one(r, e, epath, &f);
	if (err >= 0)
		err = unique_function(r, r->forbidden, r->nforbidden, sizeof(*r->forbidden),
				      offsetof(rules_forbidden, function), f.function, epath, jpath);
	if (err < 0)
		free_forbidden(&f);
	else
		r->forbidden[r->nforbidden++] = f;
	return err;
}

/* "forbidden_under_lock": [...]. One entry per function, since the lookup
 * returns one. */
static int load_forbidden(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of forbidden calls", (void **)&r->forbidden,
			    sizeof(rules_forbidden), forbidden_element);
}

static void free_guarded_edge(rules_guarded_edge *g)
{
	free(g->held);
	free(g->acquired);
	free(g->reason);
}

/* The members of an object of one rules entry, by a table: each key at
 * most once, of the kind its spec says; any other key is an error that
 * lists the known ones in the table's order. */
typedef enum { MEMBER_NAME, MEMBER_INDEX, MEMBER_CLASS, MEMBER_LOCKSET } member_kind;

typedef struct member_spec {
	const char *key;
	member_kind kind;
	void *out;            /* char ** (NAME, CLASS), int * (INDEX), rules_lockset * (LOCKSET) */
	const char *what;     /* NAME and INDEX: what the value is, for errors ("a reason") */
} member_spec;

static int load_members(const rules *r, const cJSON *e, const char *epath, const member_spec *m, size_t n,
			const char *example)
{
	if (!cJSON_IsObject(e))
		return rule_errorf(r, epath, "expected an object such as %s", example);
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = e->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, e, k, epath, &kp)) < 0)
			break;
		size_t i = 0;
		while (i < n && strcmp(m[i].key, k->string) != 0)
			i++;
		if (i == n) {
			la_buf known = LA_BUF_INIT;
			for (size_t x = 0; x < n; x++)
				la_buf_printf(&known, "%s%s", x ? ", " : "", m[x].key);
			err = unknown_key(r, kp.ptr, known.ptr);
			la_buf_free(&known);
		} else if (m[i].kind == MEMBER_NAME) {
			err = load_name(r, k, kp.ptr, m[i].what, m[i].out);
		} else if (m[i].kind == MEMBER_INDEX) {
			err = load_index(r, k, kp.ptr, m[i].what, m[i].out);
		} else if (m[i].kind == MEMBER_CLASS) {
			err = load_class(r, k, kp.ptr, m[i].out);
		} else {
			err = load_lockset(r, k, kp.ptr, m[i].out);
		}
	}
	la_buf_free(&kp);
	return err;
}

/* { "held": "irq_desc.lock", "acquired": "irq_ratelimit_lock", "reason": "..." } */
static int load_guarded_edge(const rules *r, const cJSON *v, const char *jpath, rules_guarded_edge *g)
{
	const member_spec m[] = {
		{ "held", MEMBER_CLASS, &g->held, NULL },
		{ "acquired", MEMBER_CLASS, &g->acquired, NULL },
		{ "reason", MEMBER_NAME, &g->reason, "a reason" },
	};
	int err = load_members(r, v, jpath, m, 3, "{\"held\": \"a\", \"acquired\": \"b\", \"reason\": \"why\"}");
	if (err >= 0 && (!g->held || !g->acquired))
		err = rule_error(r, jpath, "needs \"held\" and \"acquired\"");
	/* it takes a cycle out of the findings, so it must say why */
	if (err >= 0 && !g->reason)
		err = rule_error(r, jpath, "needs \"reason\" (the condition that keeps the reverse order away)");
	if (err >= 0 && strcmp(g->held, g->acquired) == 0)
		err = rule_error(r, jpath, "\"held\" and \"acquired\" are the same class");
	return err;
}

static int guarded_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	rules_guarded_edge g;
	memset(&g, 0, sizeof(g));
	int err = load_guarded_edge(r, e, epath, &g);
	for (int j = 0; err >= 0 && j < r->nguarded; j++)
		if (strcmp(r->guarded[j].held, g.held) == 0 && strcmp(r->guarded[j].acquired, g.acquired) == 0) {
			la_buf what = LA_BUF_INIT;
			la_buf_printf(&what, "\"%s\" under \"%s\" is already", g.acquired, g.held);
			err = already_at(r, epath, "acquired", what.ptr, jpath, j);
			la_buf_free(&what);
		}
	if (err < 0)
		free_guarded_edge(&g);
	else
		r->guarded[r->nguarded++] = g;
	return err;
}

/* "guarded_order": [...] */
static int load_guarded_order(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of guarded edges", (void **)&r->guarded,
			    sizeof(rules_guarded_edge), guarded_element);
}

static void free_nesting(rules_nesting *n)
{
	free(n->cls);
	free(n->function);
	free(n->reason);
	free(n->versions);
}

/* { "class": "grant_table.lock", "function": "double_gt_lock", "reason": "..." } */
static int nesting_element(rules *r, const cJSON *v, const char *epath, const char *jpath)
{
	rules_nesting g;
	memset(&g, 0, sizeof(g));
	const member_spec m[] = {
		{ "class", MEMBER_CLASS, &g.cls, NULL },
		{ "function", MEMBER_NAME, &g.function, "a function name" },
		{ "reason", MEMBER_NAME, &g.reason, "a reason" },
		{ "versions", MEMBER_NAME, &g.versions, "the versions that have it" },
	};
	int err = load_members(r, v, epath, m, 4, "{\"class\": \"a\", \"function\": \"f\", \"reason\": \"why\"}");
	if (err >= 0 && (!g.cls || !g.function))
		err = rule_error(r, epath, "needs \"class\" and \"function\"");
	/* it takes findings away, so it must say what order the function keeps */
	if (err >= 0 && !g.reason)
		err = rule_error(r, epath, "needs \"reason\" (the order in which the function takes the two locks)");
	for (int j = 0; err >= 0 && j < r->nnesting; j++)
		if (strcmp(r->nesting[j].cls, g.cls) == 0 && strcmp(r->nesting[j].function, g.function) == 0) {
			la_buf what = LA_BUF_INIT;
			la_buf_printf(&what, "\"%s\" in \"%s\" is already", g.cls, g.function);
			err = already_at(r, epath, "function", what.ptr, jpath, j);
			la_buf_free(&what);
		}
	if (err < 0)
		free_nesting(&g);
	else
		r->nesting[r->nnesting++] = g;
	return err;
}

/* "nesting": [...] */
static int load_nesting(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of ordered nestings", (void **)&r->nesting,
			    sizeof(rules_nesting), nesting_element);
}

/* { "function": "open_softirq", "handler": 1, "number": 0 }; in "irq",
 * { "function": "request_irq", "handler": 2, "irqs": "on" } */
static int load_softirq_reg(const rules *r, const cJSON *v, const char *jpath, rules_softirq_reg *g, int irq)
{
	static const char *const states[] = { "off", "on" };
	static const int state_values[] = { RULES_IRQS_OFF, RULES_IRQS_ON };
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"function\": \"open_softirq\", \"handler\": 1}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "function") == 0)
			err = load_name(r, k, kp.ptr, "a function name", &g->function);
		else if (strcmp(k->string, "handler") == 0)
			err = load_index(r, k, kp.ptr, "the handler argument", &g->handler);
		else if (strcmp(k->string, "number") == 0 && !irq)
			err = load_index(r, k, kp.ptr, "the softirq number argument", &g->number);
		else if (strcmp(k->string, "irqs") == 0 && irq)
			err = lookup_word(r, kp.ptr, k, states, state_values, 2, &g->irqs);
		else if (strcmp(k->string, "holds") == 0 && irq) {
			free(g->holds);
			err = load_name(r, k, kp.ptr, "the name of the pseudo-lock its handlers hold", &g->holds);
		} else
			err = unknown_key(r, kp.ptr, irq ? "function, handler, irqs, holds" : "function, handler, number");
	}
	la_buf_free(&kp);
	if (err >= 0 && !g->function)
		err = rule_error(r, jpath, "needs \"function\"");
	if (err >= 0 && g->handler < 0)
		err = rule_error(r, jpath, "needs \"handler\" (the index of the handler argument)");
	if (err >= 0 && irq && !g->irqs)
		err = rule_error(r, jpath, "needs \"irqs\" (\"off\" or \"on\": how the handlers are called)");
	return err;
}

static int load_softirq_regs(rules *r, const cJSON *v, const char *jpath, rules_softirq_reg **regs, int *nregs,
			     int irq)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, "expected an array of registration functions");
	*regs = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(rules_softirq_reg));
	int i = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		rules_softirq_reg g = { NULL, -1, -1, 0, NULL };
		err = load_softirq_reg(r, e, p.ptr, &g, irq);
		/* one entry per function and handler (vfio_virqfd_enable() takes two) */
		for (int j = 0; err >= 0 && j < *nregs; j++)
			if (strcmp((*regs)[j].function, g.function) == 0 && (*regs)[j].handler == g.handler) {
				la_buf what = LA_BUF_INIT;
				la_buf_printf(&what, "\"%s\" with handler %d is already", g.function, g.handler);
				err = already_at(r, p.ptr, "function", what.ptr, jpath, j);
				la_buf_free(&what);
			}
		if (err < 0) {
			free(g.function);
			free(g.holds);
		} else {
			(*regs)[(*nregs)++] = g;
		}
	}
	la_buf_free(&p);
	return err;
}

static int load_softirq_handlers(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, "expected an array of function names");
	int i = 0, cap = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s[%d]", jpath, i);
		char *name = NULL;
		err = load_name(r, e, p.ptr, "a function name", &name);
		if (err < 0)
			break;
		LA_VEC_PUSH(r->softirq.handlers, r->softirq.nhandlers, cap);
		r->softirq.handlers[r->softirq.nhandlers++] = name;
	}
	la_buf_free(&p);
	return err;
}

/* "softirq": { "registrations": [...], "handlers": [...], "reason": "..." } */
static int load_softirq(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath,
				  "expected an object such as {\"registrations\": [{\"function\": \"open_softirq\", \"handler\": 1}]}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "registrations") == 0)
			err = load_softirq_regs(r, k, kp.ptr, &r->softirq.regs, &r->softirq.nregs, 0);
		else if (strcmp(k->string, "handlers") == 0)
			err = load_softirq_handlers(r, k, kp.ptr);
		else if (strcmp(k->string, "reason") == 0) {
			char *reason = NULL;
			err = load_name(r, k, kp.ptr, "a reason", &reason);
			free(reason);   /* for people only */
		} else
			err = unknown_key(r, kp.ptr, "registrations, handlers, reason");
	}
	la_buf_free(&kp);
	if (err >= 0 && !r->softirq.nregs && !r->softirq.nhandlers)
		err = rule_error(r, jpath, "needs at least one of registrations, handlers (non-empty)");
	r->softirq.present = 1;
	return err;
}

/* After every kind is loaded (the keys come in any order): a lock set that
 * softirq handlers decide needs to know where the handlers come from. */
static int check_softirq_users(const rules *r)
{
	if (r->irq.softirq && !r->softirq.present)
		return rule_error(r, "$.irq.softirq", "needs the \"softirq\" section (where the softirq handlers are registered)");
	for (int i = 0; i < r->nforbidden; i++)
		if (r->forbidden[i].when == FORBID_SOFTIRQ_BLOCKS && !r->softirq.present) {
			char jpath[64];
			snprintf(jpath, sizeof(jpath), "$.forbidden_under_lock[%d].when", i);
			return rule_error(r, jpath,
					  "\"softirq-blocks\" needs the \"softirq\" section (where the softirq handlers are registered)");
		}
	return LA_OK;
}

const rules_softirq_reg *rules_find_softirq_reg(const rules *r, const char *function)
{
	for (int i = 0; r && i < r->softirq.nregs; i++)
		if (strcmp(r->softirq.regs[i].function, function) == 0)
			return &r->softirq.regs[i];
	return NULL;
}

static void free_ignore(rules_ignore *ig)
{
	free(ig->check);
	free(ig->function);
	free(ig->subject);
	free(ig->via);
	free(ig->reason);
}

/* { "check": "guard", "function": "f", "subject": "pci_dev.vpci", "reason": "..." } */
static int load_ignore_one(const rules *r, const cJSON *v, const char *jpath, rules_ignore *ig)
{
	const member_spec m[] = {
		{ "check", MEMBER_NAME, &ig->check, "a check id" },
		{ "function", MEMBER_NAME, &ig->function, "a function name" },
		{ "subject", MEMBER_NAME, &ig->subject, "a field, callee or lock class" },
		{ "via", MEMBER_NAME, &ig->via, "a function name" },
		{ "reason", MEMBER_NAME, &ig->reason, "a reason" },
	};
	int err = load_members(r, v, jpath, m, 5,
			       "{\"check\": \"guard\", \"function\": \"f\", \"reason\": \"why\"}");
	/* An ignore hides findings, so it must say why, and must not hide all. */
	if (err >= 0 && !ig->reason)
		err = rule_error(r, jpath, "needs \"reason\" (why the findings are ignored)");
	if (err >= 0 && !ig->check && !ig->function && !ig->subject)
		err = rule_error(r, jpath, "needs at least one of check, function, subject");
	return err;
}

static int ignore_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	(void)jpath;
	rules_ignore ig;
	memset(&ig, 0, sizeof(ig));
	int err = load_ignore_one(r, e, epath, &ig);
	if (err < 0)
		free_ignore(&ig);
	else
		r->ignores[r->nignores++] = ig;
	return err;
}

/* "ignore": [...] */
static int load_ignores(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of ignore entries", (void **)&r->ignores,
			    sizeof(rules_ignore), ignore_element);
}

static void free_single_cpu(rules_single_cpu *sc)
{
	free(sc->function);
	free(sc->from);
	free(sc->until);
	free(sc->reason);
}

/* { "function": "__start_xen", "until": "smp_prepare_cpus", "reason": "..." } */
static int single_cpu_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	rules_single_cpu sc;
	memset(&sc, 0, sizeof(sc));
	const member_spec m[] = {
		{ "function", MEMBER_NAME, &sc.function, "a function name" },
		{ "from", MEMBER_NAME, &sc.from, "a function name" },
		{ "until", MEMBER_NAME, &sc.until, "a function name" },
		{ "reason", MEMBER_NAME, &sc.reason, "a reason" },
	};
	int err = load_members(r, e, epath, m, 4, "{\"function\": \"f\", \"reason\": \"why\"}");
	if (err >= 0 && !sc.function)
		err = rule_error(r, epath, "needs \"function\"");
	if (err >= 0 && !sc.reason)
		err = rule_error(r, epath, "needs \"reason\" (why only one CPU is online there)");
	if (err >= 0)
		err = unique_function(r, r->single_cpu, r->nsingle_cpu, sizeof(*r->single_cpu),
				      offsetof(rules_single_cpu, function), sc.function, epath, jpath);
	if (err < 0)
		free_single_cpu(&sc);
	else
		r->single_cpu[r->nsingle_cpu++] = sc;
	return err;
}

/* "single_cpu": [...]. One entry per function: a function has one stretch. */
static int load_single_cpu(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of single-CPU contexts", (void **)&r->single_cpu,
			    sizeof(rules_single_cpu), single_cpu_element);
}

/* { "function": "complete_domain_destroy", "reason": "..." } */
static int after_boot_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	rules_after_boot ab = { NULL, NULL };
	const member_spec m[] = {
		{ "function", MEMBER_NAME, &ab.function, "a function name" },
		{ "reason", MEMBER_NAME, &ab.reason, "a reason" },
	};
	int err = load_members(r, e, epath, m, 2, "{\"function\": \"f\", \"reason\": \"why\"}");
	if (err >= 0 && !ab.function)
		err = rule_error(r, epath, "needs \"function\"");
	if (err >= 0 && !ab.reason)
		err = rule_error(r, epath, "needs \"reason\" (why it cannot run while the system boots)");
	if (err >= 0)
		err = unique_function(r, r->boot.after, r->boot.nafter, sizeof(*r->boot.after),
				      offsetof(rules_after_boot, function), ab.function, epath, jpath);
	if (err < 0) {
		free(ab.function);
		free(ab.reason);
	} else
		r->boot.after[r->boot.nafter++] = ab;
	return err;
}

/* "boot": { "sections": [".init.text"], "after": [...], "reason": "..." } */
static int load_boot(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"sections\": [\".init.text\"]}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "sections") == 0)
			err = load_name_list(r, k, kp.ptr, "a section name", &r->boot.sections, &r->boot.nsections);
		else if (strcmp(k->string, "after") == 0)
			err = each_element(r, k, kp.ptr, "expected an array of functions that run only after boot",
					   (void **)&r->boot.after, sizeof(rules_after_boot), after_boot_element);
		else if (strcmp(k->string, "reason") == 0) {
			char *reason = NULL;
			err = load_name(r, k, kp.ptr, "a reason", &reason);
			free(reason);   /* for people only */
		} else
			err = unknown_key(r, kp.ptr, "sections, after, reason");
	}
	la_buf_free(&kp);
	if (err >= 0 && !r->boot.nsections)
		err = rule_error(r, jpath, "needs \"sections\" (non-empty): where boot code is placed");
	return err;
}

static void free_irq_asm(rules_irq_asm *ia)
{
	free(ia->function);
	free(ia->reason);
	for (int i = 0; i < ia->nat; i++)
		free(ia->at[i].call);
	free(ia->at);
}

/* { "function": "enter_state", "save": "spin_debug_disable", "restore": "spin_debug_enable", "reason": "..." } */
static int irq_asm_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	static const char *const keys[] = { "disable", "enable", "save", "restore" };
	static const int irqs[] = { IRQ_DISABLE, IRQ_ENABLE, IRQ_SAVE, IRQ_RESTORE };
	if (!cJSON_IsObject(e))
		return rule_error(r, epath, "expected an object such as {\"function\": \"enter_state\", \"save\": \"spin_debug_disable\", \"reason\": \"...\"}");
	rules_irq_asm ia = { NULL, xcalloc(5, sizeof(rules_irq_at)), 0, NULL };
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = e->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, e, k, epath, &kp)) < 0)
			break;
		int w = -1;
		for (int i = 0; i < 4; i++)
			if (strcmp(k->string, keys[i]) == 0)
				w = i;
		if (w >= 0) {
			err = load_name(r, k, kp.ptr, "the name of the call the asm is next to", &ia.at[ia.nat].call);
			if (err >= 0)
				ia.at[ia.nat++].irq = irqs[w];
		} else if (strcmp(k->string, "function") == 0)
			err = load_name(r, k, kp.ptr, "a function name", &ia.function);
		else if (strcmp(k->string, "reason") == 0)
			err = load_name(r, k, kp.ptr, "a reason", &ia.reason);
		else
			err = unknown_key(r, kp.ptr, "function, disable, enable, save, restore, reason");
	}
	la_buf_free(&kp);
	if (err >= 0 && !ia.function)
		err = rule_error(r, epath, "needs \"function\"");
	if (err >= 0 && !ia.nat)
		err = rule_error(r, epath, "needs at least one of disable, enable, save, restore (the call the asm is next to)");
	if (err >= 0 && !ia.reason)
		err = rule_error(r, epath, "needs \"reason\" (what the inline asm does there)");
	if (err >= 0)
		err = unique_function(r, r->irq.asms, r->irq.nasms, sizeof(*r->irq.asms),
				      offsetof(rules_irq_asm, function), ia.function, epath, jpath);
	if (err < 0)
		free_irq_asm(&ia);
	else
		r->irq.asms[r->irq.nasms++] = ia;
	return err;
}

/* "irq": { "off": [...], "on": [...], "registrations": [...], "softirq": "on", "asm": [...], "reason": "..." } */
static int load_irq(rules *r, const cJSON *v, const char *jpath)
{
	static const char *const states[] = { "off", "on" };
	static const int state_values[] = { RULES_IRQS_OFF, RULES_IRQS_ON };
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"off\": [\"do_IRQ\"], \"on\": [\"pv_hypercall\"]}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "off") == 0)
			err = load_name_list(r, k, kp.ptr, "a function name", &r->irq.off, &r->irq.noff);
		else if (strcmp(k->string, "on") == 0)
			err = load_name_list(r, k, kp.ptr, "a function name", &r->irq.on, &r->irq.non);
		else if (strcmp(k->string, "registrations") == 0)
			err = load_softirq_regs(r, k, kp.ptr, &r->irq.regs, &r->irq.nregs, 1);
		else if (strcmp(k->string, "softirq") == 0)
			err = lookup_word(r, kp.ptr, k, states, state_values, 2, &r->irq.softirq);
		else if (strcmp(k->string, "asm") == 0)
			err = each_element(r, k, kp.ptr, "expected an array of functions with IRQ-changing inline asm",
					   (void **)&r->irq.asms, sizeof(rules_irq_asm), irq_asm_element);
		else if (strcmp(k->string, "reason") == 0) {
			char *reason = NULL;
			err = load_name(r, k, kp.ptr, "a reason", &reason);
			free(reason);   /* for people only */
		} else
			err = unknown_key(r, kp.ptr, "off, on, registrations, softirq, asm, reason");
	}
	la_buf_free(&kp);
	for (int i = 0; err >= 0 && i < r->irq.noff; i++)
		for (int j = 0; err >= 0 && j < r->irq.non; j++)
			if (strcmp(r->irq.off[i], r->irq.on[j]) == 0) {
				la_buf m = LA_BUF_INIT, at = LA_BUF_INIT;
				la_buf_printf(&m, "\"%s\" is also in \"off\" (%s.off[%d])", r->irq.on[j], jpath, i);
				la_buf_printf(&at, "%s.on[%d]", jpath, j);
				err = rule_error(r, at.ptr, m.ptr);
				la_buf_free(&m);
				la_buf_free(&at);
			}
	r->irq.present = 1;
	return err;
}

static void free_precondition(rules_precondition *pc)
{
	free(pc->function);
	free_lockset(&pc->requires);
	free(pc->reason);
}

/* { "function": "f", "requires": {"all": ["vpci.lock"]}, "reason": "..." } */
static int precondition_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	rules_precondition pc;
	memset(&pc, 0, sizeof(pc));
	const member_spec m[] = {
		{ "function", MEMBER_NAME, &pc.function, "a function name" },
		{ "requires", MEMBER_LOCKSET, &pc.requires, NULL },
		{ "reason", MEMBER_NAME, &pc.reason, "a reason" },
	};
	int err = load_members(r, e, epath, m, 3,
			       "{\"function\": \"f\", \"requires\": {\"all\": [\"L\"]}, \"reason\": \"why\"}");
	if (err >= 0 && !pc.function)
		err = rule_error(r, epath, "needs \"function\"");
	if (err >= 0 && !pc.requires.present)
		err = rule_error(r, epath, "needs \"requires\" (a lockset: {\"all\": [...]} or {\"any\": [...]})");
	if (err >= 0 && !pc.reason)
		err = rule_error(r, epath, "needs \"reason\" (where the code says so)");
	if (err >= 0)
		err = unique_function(r, r->preconditions, r->npreconditions, sizeof(*r->preconditions),
				      offsetof(rules_precondition, function), pc.function, epath, jpath);
	if (err < 0)
		free_precondition(&pc);
	else
		r->preconditions[r->npreconditions++] = pc;
	return err;
}

/* { "slot": "vfio_device_ops.init", "arg": 0, "reason": "..." } */
static int constructor_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	(void)jpath;
	rules_constructor c = { NULL, -1, NULL };
	const member_spec m[] = {
		{ "slot", MEMBER_NAME, &c.slot, "a function-pointer slot (STRUCT.FIELD)" },
		{ "arg", MEMBER_INDEX, &c.arg, "the argument that is the new object" },
		{ "reason", MEMBER_NAME, &c.reason, "a reason" },
	};
	int err = load_members(r, e, epath, m, 3, "{\"slot\": \"ops.init\", \"arg\": 0, \"reason\": \"why\"}");
	if (err >= 0 && (!c.slot || c.arg < 0))
		err = rule_error(r, epath, "needs \"slot\" and \"arg\"");
	if (err >= 0 && !c.reason)
		err = rule_error(r, epath, "needs \"reason\" (why the object is new there)");
	if (err < 0) {
		free(c.slot);
		free(c.reason);
	} else {
		r->constructors[r->nconstructors++] = c;
	}
	return err;
}

/* "constructors": [...] */
static int load_constructors(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of constructor slots", (void **)&r->constructors,
			    sizeof(rules_constructor), constructor_element);
}

/* { "function": "request_threaded_irq", "handler": 2, "object": 5, "param": 1, "reason": "..." } */
static int thread_element(rules *r, const cJSON *e, const char *epath, const char *jpath)
{
	(void)jpath;
	rules_thread t = { NULL, -1, -1, -1, NULL };
	const member_spec m[] = {
		{ "function", MEMBER_NAME, &t.function, "a function name" },
		{ "handler", MEMBER_INDEX, &t.handler, "the argument that is the thread's function" },
		{ "object", MEMBER_INDEX, &t.object, "the argument handed to the thread's function" },
		{ "param", MEMBER_INDEX, &t.param, "the thread function's parameter that receives it" },
		{ "reason", MEMBER_NAME, &t.reason, "a reason" },
	};
	int err = load_members(r, e, epath, m, 5,
			       "{\"function\": \"kthread_create_on_node\", \"handler\": 0, \"object\": 1, "
			       "\"param\": 0, \"reason\": \"why\"}");
	if (err >= 0 && (!t.function || t.handler < 0 || t.object < 0 || t.param < 0))
		err = rule_error(r, epath, "needs \"function\", \"handler\", \"object\" and \"param\"");
	if (err >= 0 && t.handler == t.object)
		err = rule_error(r, epath, "\"handler\" and \"object\" name the same argument");
	if (err >= 0 && !t.reason)
		err = rule_error(r, epath, "needs \"reason\" (why one thread runs the handler per object)");
	if (err < 0) {
		free(t.function);
		free(t.reason);
	} else {
		r->threads[r->nthreads++] = t;
	}
	return err;
}

/* "threads": [...] */
static int load_threads(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of thread-starting functions", (void **)&r->threads,
			    sizeof(rules_thread), thread_element);
}

/* "preconditions": [...] */
static int load_preconditions(rules *r, const cJSON *v, const char *jpath)
{
	return each_element(r, v, jpath, "expected an array of preconditions", (void **)&r->preconditions,
			    sizeof(rules_precondition), precondition_element);
}

const rules_precondition *rules_find_precondition(const rules *r, const char *function)
{
	for (int i = 0; r && function && i < r->npreconditions; i++)
		if (strcmp(r->preconditions[i].function, function) == 0)
			return &r->preconditions[i];
	return NULL;
}

/* "scope": { "defines": ["__XEN__"], "reason": "..." } */
static int load_scope(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"defines\": [\"__XEN__\"]}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "defines") == 0)
			err = load_name_list(r, k, kp.ptr, "a macro name", &r->scope.defines, &r->scope.ndefines);
		else if (strcmp(k->string, "reason") == 0) {
			char *reason = NULL;
			err = load_name(r, k, kp.ptr, "a reason", &reason);
			free(reason);   /* for people only */
		} else
			err = unknown_key(r, kp.ptr, "defines, reason");
	}
	la_buf_free(&kp);
	if (err >= 0 && !r->scope.ndefines)
		err = rule_error(r, jpath, "needs \"defines\" (non-empty): a macro every TU of the program defines");
	return err;
}

/* -DNAME, -DNAME=value, or -D NAME */
static int defines(const char *args, const char *name)
{
	size_t n = strlen(name);
	for (const char *a = args; a && *a;) {
		while (*a == ' ')
			a++;
		const char *end = strchr(a, ' ');
		size_t len = end ? (size_t)(end - a) : strlen(a);
		const char *m = NULL;
		if (len > 2 && strncmp(a, "-D", 2) == 0)
			m = a + 2;
		else if (len == 2 && strncmp(a, "-D", 2) == 0 && end) {
			m = end + 1;
			end = strchr(m, ' ');
			len = end ? (size_t)(end - a) : strlen(a);
		}
		if (m && strncmp(m, name, n) == 0 && (m[n] == '\0' || m[n] == ' ' || m[n] == '='))
			return 1;
		a += len;
	}
	return 0;
}

int rules_in_scope(const rules *r, const char *args)
{
	if (!r || !r->scope.ndefines)
		return 1;
	for (int i = 0; i < r->scope.ndefines; i++)
		if (defines(args, r->scope.defines[i]))
			return 1;
	return 0;
}

int rules_is_boot_section(const rules *r, const char *section)
{
	for (int i = 0; r && section && i < r->boot.nsections; i++)
		if (strcmp(r->boot.sections[i], section) == 0)
			return 1;
	return 0;
}

/* "inferred-guard": { "enabled": false, "severity": "note" }. The id is
 * checked against the registered checks by the caller, not here. */
static int load_check_cfg(const rules *r, const cJSON *v, const char *jpath, rules_check_cfg *c)
{
	static const char *const sevs[] = { "error", "warning", "note" };
	static const int sev_values[] = { 0, 1, 2 };
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"enabled\": false, \"severity\": \"note\"}");
	int err = LA_OK;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		if ((err = key_path(r, v, k, jpath, &kp)) < 0)
			break;
		if (strcmp(k->string, "enabled") == 0) {
			if (!cJSON_IsBool(k))
				err = rule_error(r, kp.ptr, "expected true or false");
			else
				c->enabled = cJSON_IsTrue(k);
		} else if (strcmp(k->string, "severity") == 0) {
			int sev = 0;
			err = lookup_word(r, kp.ptr, k, sevs, sev_values, 3, &sev);
			if (err >= 0)
				c->severity = xstrdup(sevs[sev]);
		} else {
			err = unknown_key(r, kp.ptr, "enabled, severity");
		}
	}
	la_buf_free(&kp);
	return err;
}

/* "checks": { "inferred-guard": {...}, ... } */
static int load_checks(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object mapping check ids to settings");
	int cap = 0, err = LA_OK;
	la_buf p = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		la_buf_clear(&p);
		la_buf_printf(&p, "%s.%s", jpath, k->string);
		rules_check_cfg c = { xstrdup(k->string), -1, NULL };
		err = dup_key(r, v, k, p.ptr);
		if (err >= 0)
			err = load_check_cfg(r, k, p.ptr, &c);
		if (err < 0) {
			free(c.id);
			free(c.severity);
			break;
		}
		LA_VEC_PUSH(r->checks, r->nchecks, cap);
		r->checks[r->nchecks++] = c;
	}
	la_buf_free(&p);
	return err;
}

const rules_guard *rules_find_guard(const rules *r, const char *sname, const char *field)
{
	for (int i = 0; r && field && i < r->nguards; i++)
		if (r->guards[i].field && strcmp(r->guards[i].sname, sname) == 0 &&
		    strcmp(r->guards[i].field, field) == 0)
			return &r->guards[i];
	for (int i = 0; r && i < r->nguards; i++) {
		const rules_guard *g = &r->guards[i];
		if (g->field || strcmp(g->sname, sname) != 0)
			continue;
		int excepted = 0;
		for (int j = 0; field && j < g->nexcept; j++)
			excepted |= strcmp(g->except[j], field) == 0;
		if (!excepted)
			return g;
	}
	return NULL;
}

int rules_order_of(const rules *r, const char *cls, int *chain, int *pos)
{
	for (int i = 0; r && i < r->norders; i++)
		for (int j = 0; r->orders[i][j]; j++)
			if (strcmp(r->orders[i][j], cls) == 0) {
				if (chain)
					*chain = i;
				if (pos)
					*pos = j;
				return 1;
			}
	return 0;
}

const rules_guarded_edge *rules_find_guarded_edge(const rules *r, const char *held, const char *acquired)
{
	for (int i = 0; r && i < r->nguarded; i++)
		if (strcmp(r->guarded[i].held, held) == 0 && strcmp(r->guarded[i].acquired, acquired) == 0)
			return &r->guarded[i];
	return NULL;
}

const rules_nesting *rules_find_nesting(const rules *r, const char *cls, const char *function)
{
	for (int i = 0; r && i < r->nnesting; i++)
		if (strcmp(r->nesting[i].cls, cls) == 0 && strcmp(r->nesting[i].function, function) == 0)
			return &r->nesting[i];
	return NULL;
}

int rules_is_exclusive(const rules *r, const char *cls)
{
	for (int i = 0; r && i < r->nexclusive; i++)
		if (strcmp(r->exclusive[i], cls) == 0)
			return 1;
	return 0;
}

const rules_forbidden *rules_find_forbidden(const rules *r, const char *function)
{
	for (int i = 0; r && i < r->nforbidden; i++)
		if (strcmp(r->forbidden[i].function, function) == 0)
			return &r->forbidden[i];
	return NULL;
}

/* A NULL member is a wildcard; a given one must equal the argument. */
static int ignore_member_matches(const char *member, const char *arg)
{
	return !member || (arg && strcmp(member, arg) == 0);
}

int rules_ignore_matches(const rules_ignore *ig, const char *check, const char *function, const char *subject)
{
	return ignore_member_matches(ig->check, check) && ignore_member_matches(ig->function, function) &&
	       ignore_member_matches(ig->subject, subject);
}

const rules_ignore *rules_find_ignore(const rules *r, const char *check, const char *function,
				      const char *subject)
{
	for (int i = 0; r && i < r->nignores; i++) {
		const rules_ignore *ig = &r->ignores[i];
		if (!ig->via && rules_ignore_matches(ig, check, function, subject))
			return ig;
	}
	return NULL;
}

const rules_check_cfg *rules_find_check(const rules *r, const char *id)
{
	for (int i = 0; r && i < r->nchecks; i++)
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	return NULL;
}

/* The kinds a rules file may hold; one entry per kind. Each loader runs at
 * most once (a duplicated key is an error), so it may grow its arrays from
 * an empty capacity. */
static const struct {
	const char *key;
	rules_kind_fn load;
} kinds[] = {
	{ "description", load_description },
	{ "assert_macros", load_assert_macros },
	{ "primitives", load_primitives },
	{ "allocators", load_allocators },
	{ "lock_members", load_lock_members },
	{ "guards", load_guards },
	{ "order", load_order },
	{ "exclusive", load_exclusive },
	{ "forbidden_under_lock", load_forbidden },
	{ "guarded_order", load_guarded_order },
	{ "nesting", load_nesting },
	{ "softirq", load_softirq },
	{ "ignore", load_ignores },
	{ "checks", load_checks },
	{ "single_cpu", load_single_cpu },
	{ "boot", load_boot },
	{ "scope", load_scope },
	{ "preconditions", load_preconditions },
	{ "constructors", load_constructors },
	{ "threads", load_threads },
	{ "irq", load_irq },
};

int rules_load(const char *path, rules **out)
{
	*out = NULL;
	la_buf text = LA_BUF_INIT;
	int err = la_buf_read_file(&text, path);
	if (err >= 0)
		err = rules_parse(path, text.ptr, text.len, out);
	la_buf_free(&text);
	return err;
}

/* The files of one rules set: the top file and those it includes, each
 * kind given by one of them (primitives by several), the files being
 * loaded (an include cycle is an error) and the hash of all their bytes. */
enum { RULES_INCLUDE_DEPTH = 8 };

typedef struct rules_doc {
	const char *from[sizeof(kinds) / sizeof(kinds[0])];   /* the file that gave each kind */
	const char *stack[RULES_INCLUDE_DEPTH + 1];
	int depth;
	uint64_t hash;
} rules_doc;

static int load_text(rules *r, rules_doc *d, const char *text, size_t len);

/* The path of an included file: absolute, or relative to the directory of
 * the file that includes it. */
static char *include_path(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	if (name[0] == '/' || !slash)
		return xstrdup(name);
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "%.*s/%s", (int)(slash - from), from, name);
	return b.ptr;
}

/* "include": ["linux-primitives.json"]: each file is loaded as part of this
 * set, with r->path naming it in its own errors. */
static int load_include(rules *r, rules_doc *d, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, "expected an array of rules files to include (paths relative to this file)");
	int i = 0, err = LA_OK;
	for (const cJSON *e = v->child; e && err >= 0; e = e->next, i++) {
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "%s[%d]", jpath, i);
		char *name = NULL;
		err = load_name(r, e, p.ptr, "a rules file", &name);
		char *path = NULL;
		if (err >= 0) {   /* kept for messages that name it later (a kind already given) */
			LA_VEC_PUSH(r->includes, r->nincludes, r->capincludes);
			path = r->includes[r->nincludes++] = include_path(r->path, name);
		}
		for (int k = 0; err >= 0 && k <= d->depth; k++)
			if (strcmp(d->stack[k], path) == 0) {
				la_buf msg = LA_BUF_INIT;
				la_buf_printf(&msg, "\"%s\" includes itself (through %s)", name, r->path);
				err = rule_error(r, p.ptr, msg.ptr);
				la_buf_free(&msg);
			}
		if (err >= 0 && d->depth >= RULES_INCLUDE_DEPTH)
			err = rule_error(r, p.ptr, "includes nested too deep");
		la_buf text = LA_BUF_INIT;
		if (err >= 0 && la_buf_read_file(&text, path) < 0) {
			la_buf msg = LA_BUF_INIT;
			la_buf_printf(&msg, "cannot include \"%s\": %s", name, la_error_last());
			err = rule_error(r, p.ptr, msg.ptr);
			la_buf_free(&msg);
		}
		if (err >= 0) {
			char *outer = r->path;
			r->path = path;
			d->stack[++d->depth] = path;
			err = load_text(r, d, text.ptr ? text.ptr : "", text.len);
			d->depth--;
			r->path = outer;
		}
		la_buf_free(&text);
		free(name);
		la_buf_free(&p);
	}
	return err;
}

/* One file of the set: its kinds, and the files it includes. A kind other
 * than "primitives" comes from one file only (its loader fills it once);
 * an included file's "description" is for its own readers. */
static int load_text(rules *r, rules_doc *d, const char *text, size_t len)
{
	d->hash = la_hash_bytes(d->hash, text, len);
	cJSON *root = NULL;
	int err = la_json_parse(r->path, text, len, &root);
	if (err >= 0 && !cJSON_IsObject(root))
		err = rule_error(r, "$", "expected an object");
	for (const cJSON *k = err >= 0 ? root->child : NULL; k && err >= 0; k = k->next) {
		size_t i, n = sizeof(kinds) / sizeof(kinds[0]);
		for (i = 0; i < n && strcmp(kinds[i].key, k->string) != 0; i++)
			;
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "$.%s", k->string);
		if (strcmp(k->string, "include") == 0) {
			err = dup_key(r, root, k, p.ptr);
			if (err >= 0)
				err = load_include(r, d, k, p.ptr);
		} else if (i == n) {
			la_buf known = LA_BUF_INIT;
			for (size_t j = 0; j < n; j++)
				la_buf_printf(&known, "%s, ", kinds[j].key);
			la_buf_puts(&known, "include");
			err = unknown_key(r, p.ptr, known.ptr);
			la_buf_free(&known);
		} else if ((err = dup_key(r, root, k, p.ptr)) < 0 || (d->depth > 0 && kinds[i].load == load_description)) {
		} else if (d->from[i] && kinds[i].load != load_primitives) {
			la_buf msg = LA_BUF_INIT;
			la_buf_printf(&msg, "already given by %s (only \"primitives\" may come from several files)", d->from[i]);
			err = rule_error(r, p.ptr, msg.ptr);
			la_buf_free(&msg);
		} else {
			d->from[i] = d->stack[d->depth];
			err = kinds[i].load(r, k, p.ptr);
		}
		la_buf_free(&p);
	}
	cJSON_Delete(root);
	return err;
}

int rules_parse(const char *path, const char *text, size_t len, rules **out)
{
	*out = NULL;
	rules *r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	rules_doc d;
	memset(&d, 0, sizeof(d));
	d.stack[0] = r->path;
	d.hash = LA_HASH_INIT;
	int err = load_text(r, &d, text, len);
	/* the set's hash: the top file's bytes, then each included file's */
	la_hash_hex(d.hash, r->hash);
	if (err >= 0)
		err = check_softirq_users(r);
	if (err < 0) {
		rules_free(r);
		return err;
	}
	*out = r;
	return LA_OK;
}

void rules_free(rules *r)
{
	if (!r)
		return;
	free_strs(r->assert_macros, r->nassert_macros);
	free_strs(r->allocators, r->nallocators);
	free_strs(r->lock_members, r->nlock_members);
	for (int i = 0; i < r->nprimitives; i++)
		free_primitive(&r->primitives[i]);
	free(r->primitives);
	la_strset_free(&r->primitive_index);
	for (int i = 0; i < r->nguards; i++)
		free_guard(&r->guards[i]);
	free(r->guards);
	for (int i = 0; i < r->norders; i++)
		free_chain(r->orders[i]);
	free(r->orders);
	free_strs(r->exclusive, r->nexclusive);
	for (int i = 0; i < r->nforbidden; i++)
		free_forbidden(&r->forbidden[i]);
	free(r->forbidden);
	for (int i = 0; i < r->nguarded; i++)
		free_guarded_edge(&r->guarded[i]);
	free(r->guarded);
	for (int i = 0; i < r->nnesting; i++)
		free_nesting(&r->nesting[i]);
	free(r->nesting);
	for (int i = 0; i < r->softirq.nregs; i++)
		free(r->softirq.regs[i].function);
	free(r->softirq.regs);
	free_strs(r->softirq.handlers, r->softirq.nhandlers);
	for (int i = 0; i < r->irq.nregs; i++) {
		free(r->irq.regs[i].function);
		free(r->irq.regs[i].holds);
	}
	free(r->irq.regs);
	free_strs(r->irq.off, r->irq.noff);
	free_strs(r->irq.on, r->irq.non);
	for (int i = 0; i < r->irq.nasms; i++)
		free_irq_asm(&r->irq.asms[i]);
	free(r->irq.asms);
	for (int i = 0; i < r->nignores; i++)
		free_ignore(&r->ignores[i]);
	free(r->ignores);
	for (int i = 0; i < r->nchecks; i++) {
		free(r->checks[i].id);
		free(r->checks[i].severity);
	}
	free(r->checks);
	for (int i = 0; i < r->nsingle_cpu; i++)
		free_single_cpu(&r->single_cpu[i]);
	free(r->single_cpu);
	free_strs(r->boot.sections, r->boot.nsections);
	free_strs(r->scope.defines, r->scope.ndefines);
	for (int i = 0; i < r->npreconditions; i++)
		free_precondition(&r->preconditions[i]);
	free(r->preconditions);
	for (int i = 0; i < r->nconstructors; i++) {
		free(r->constructors[i].slot);
		free(r->constructors[i].reason);
	}
	free(r->constructors);
	for (int i = 0; i < r->nthreads; i++) {
		free(r->threads[i].function);
		free(r->threads[i].reason);
	}
	free(r->threads);
	for (int i = 0; i < r->boot.nafter; i++) {
		free(r->boot.after[i].function);
		free(r->boot.after[i].reason);
	}
	free(r->boot.after);
	free(r->description);
	free_strs(r->includes, r->nincludes);
	free(r->path);
	free(r);
}

void rules_text_hash(const char *text, size_t len, char hex[17])
{
	la_hash_hex(la_hash_bytes(LA_HASH_INIT, text, len), hex);
}
