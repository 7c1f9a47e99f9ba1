#include "rules.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <cjson/cJSON.h>
#include <string.h>

typedef int (*rules_kind_fn)(rules *r, const cJSON *v, const char *jpath);

static int rule_error(const rules *r, const char *jpath, const char *what)
{
	return la_error_code(LA_EPARSE, "%s: %s: %s", r->path, jpath, what);
}

static int load_description(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsString(v))
		return rule_error(r, jpath, "expected a string");
	r->description = xstrdup(v->valuestring);
	return LA_OK;
}

static int load_assert_macros(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsArray(v))
		return rule_error(r, jpath, "expected an array of macro names");
	int i = 0, cap = 0;
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "%s[%d]", jpath, i);
		if (!cJSON_IsString(e) || !*e->valuestring) {
			int err = rule_error(r, p.ptr, "expected a macro name (a non-empty string)");
			la_buf_free(&p);
			return err;
		}
		la_buf_free(&p);
		LA_VEC_PUSH(r->assert_macros, r->nassert_macros, cap);
		r->assert_macros[r->nassert_macros++] = xstrdup(e->valuestring);
	}
	return LA_OK;
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

/* "primitives": { "_spin_lock": { "acquire": 0, "mode": "exclusive" }, ... } */
static int load_primitive(rules *r, const char *name, const cJSON *v, const char *jpath)
{
	static const char *const ops[] = { "acquire", "release", "try", "query" };
	static const char *const modes[] = { "shared", "exclusive", "recursive", "any" };
	static const int mode_values[] = { LOCK_SHARED, LOCK_EXCLUSIVE, LOCK_RECURSIVE, LOCK_ANY };
	static const char *const irqs[] = { "keep", "disable", "enable", "save", "restore" };
	static const int irq_values[] = { IRQ_KEEP, IRQ_DISABLE, IRQ_ENABLE, IRQ_SAVE, IRQ_RESTORE };
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object such as {\"acquire\": 0, \"mode\": \"exclusive\"}");
	rules_primitive p = { xstrdup(name), PRIM_ACQUIRE, -1, LOCK_EXCLUSIVE, IRQ_KEEP };
	int err = LA_OK, nops = 0;
	la_buf kp = LA_BUF_INIT;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		la_buf_clear(&kp);
		la_buf_printf(&kp, "%s.%s", jpath, k->string);
		int op = -1;
		for (int i = 0; i < 4; i++)
			if (strcmp(k->string, ops[i]) == 0)
				op = i;
		if (op >= 0) {
			if (!cJSON_IsNumber(k) || k->valueint < 0 || k->valuedouble != k->valueint)
				err = rule_error(r, kp.ptr, "expected the index of the lock argument (0, 1, ...)");
			p.op = (rules_prim_op)op;
			p.arg = k->valueint;
			nops++;
		} else if (strcmp(k->string, "mode") == 0) {
			err = lookup_word(r, kp.ptr, k, modes, mode_values, 4, &p.mode);
		} else if (strcmp(k->string, "irq") == 0) {
			err = lookup_word(r, kp.ptr, k, irqs, irq_values, 5, &p.irq);
		} else {
			err = rule_error(r, kp.ptr, "unknown key (known: acquire, release, try, query, mode, irq)");
		}
	}
	la_buf_free(&kp);
	if (err >= 0 && nops != 1)
		err = rule_error(r, jpath, "needs exactly one of acquire, release, try, query");
	if (err >= 0 && p.op == PRIM_QUERY && !cJSON_GetObjectItemCaseSensitive(v, "mode"))
		p.mode = LOCK_ANY;
	if (err < 0) {
		free(p.function);
		return err;
	}
	LA_VEC_PUSH(r->primitives, r->nprimitives, r->capprimitives);
	r->primitives[r->nprimitives++] = p;
	return LA_OK;
}

static int load_primitives(rules *r, const cJSON *v, const char *jpath)
{
	if (!cJSON_IsObject(v))
		return rule_error(r, jpath, "expected an object mapping function names to primitives");
	int err = LA_OK;
	for (const cJSON *k = v->child; k && err >= 0; k = k->next) {
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "%s.%s", jpath, k->string);
		err = load_primitive(r, k->string, k, p.ptr);
		la_buf_free(&p);
	}
	return err;
}

const rules_primitive *rules_find_primitive(const rules *r, const char *function)
{
	for (int i = 0; r && i < r->nprimitives; i++)
		if (strcmp(r->primitives[i].function, function) == 0)
			return &r->primitives[i];
	return NULL;
}

/* The kinds a rules file may hold; one entry per kind. */
static const struct {
	const char *key;
	rules_kind_fn load;
} kinds[] = {
	{ "description", load_description },
	{ "assert_macros", load_assert_macros },
	{ "primitives", load_primitives },
};

int rules_load(const char *path, rules **out)
{
	*out = NULL;
	la_buf text = LA_BUF_INIT;
	int err = la_buf_read_file(&text, path);
	if (err < 0)
		return err;
	rules *r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	cJSON *root = cJSON_ParseWithLength(text.ptr, text.len);
	if (!root) {
		const char *where = cJSON_GetErrorPtr();
		int line = 1;
		for (const char *p = text.ptr; where && p < where && *p; p++)
			line += *p == '\n';
		err = la_error_code(LA_EPARSE, "%s:%d: malformed JSON", path, line);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		err = rule_error(r, "$", "expected an object");
		goto out;
	}
	for (const cJSON *k = root->child; k && err >= 0; k = k->next) {
		size_t i, n = sizeof(kinds) / sizeof(kinds[0]);
		for (i = 0; i < n && strcmp(kinds[i].key, k->string) != 0; i++)
			;
		la_buf p = LA_BUF_INIT;
		la_buf_printf(&p, "$.%s", k->string);
		if (i == n) {
			la_buf known = LA_BUF_INIT;
			for (size_t j = 0; j < n; j++)
				la_buf_printf(&known, "%s%s", j ? ", " : "", kinds[j].key);
			la_buf msg = LA_BUF_INIT;
			la_buf_printf(&msg, "unknown key (known: %s)", known.ptr);
			err = rule_error(r, p.ptr, msg.ptr);
			la_buf_free(&msg);
			la_buf_free(&known);
		} else {
			err = kinds[i].load(r, k, p.ptr);
		}
		la_buf_free(&p);
	}
out:
	cJSON_Delete(root);
	la_buf_free(&text);
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
	for (int i = 0; i < r->nassert_macros; i++)
		free(r->assert_macros[i]);
	for (int i = 0; i < r->nprimitives; i++)
		free(r->primitives[i].function);
	free(r->primitives);
	free(r->assert_macros);
	free(r->description);
	free(r->path);
	free(r);
}
