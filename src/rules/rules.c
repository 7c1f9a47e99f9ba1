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

/* The kinds a rules file may hold; one entry per kind. */
static const struct {
	const char *key;
	rules_kind_fn load;
} kinds[] = {
	{ "description", load_description },
	{ "assert_macros", load_assert_macros },
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
	free(r->assert_macros);
	free(r->description);
	free(r->path);
	free(r);
}
