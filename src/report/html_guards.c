#include "html_guards.h"
#include "guard_map.h"

#include <cjson/cJSON.h>

/* The index of s in the table, added to `arr` on first sight. */
static int table_index(la_strset *set, cJSON *arr, const char *s)
{
	if (la_strset_add(set, s))
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
	return (int)la_strset_index(set, s);
}

static cJSON *triple(const char *cls, int reads, int writes)
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateString(cls));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(reads));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(writes));
	return a;
}

cJSON *html_guards_json(const guard_map *m)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *files = cJSON_AddArrayToObject(o, "files"), *funcs = cJSON_AddArrayToObject(o, "funcs");
	cJSON *fields = cJSON_AddArrayToObject(o, "fields");
	la_strset file_set = LA_STRSET_INIT, func_set = LA_STRSET_INIT;
	for (int i = 0; i < m->n; i++) {
		const guard_field *f = &m->v[i];
		cJSON *g = cJSON_CreateObject();
		cJSON_AddStringToObject(g, "s", f->strct);
		cJSON_AddStringToObject(g, "f", f->field);
		cJSON_AddNumberToObject(g, "r", f->reads);
		cJSON_AddNumberToObject(g, "w", f->writes);
		cJSON_AddNumberToObject(g, "a", f->addrs);
		cJSON_AddNumberToObject(g, "u", f->unreached);
		cJSON_AddNumberToObject(g, "p", f->in_primitives);
		cJSON *locks = cJSON_AddArrayToObject(g, "locks");
		for (int k = 0; k < f->nlocks; k++)
			cJSON_AddItemToArray(locks, triple(f->locks[k].cls, f->locks[k].reads, f->locks[k].writes));
		cJSON *ung = cJSON_AddArrayToObject(g, "ung");
		for (int k = 0; k < f->nunguarded; k++) {
			const guard_access *a = &f->unguarded[k];
			cJSON *row = cJSON_CreateArray();
			cJSON_AddItemToArray(row, cJSON_CreateNumber(table_index(&file_set, files, a->file)));
			cJSON_AddItemToArray(row, cJSON_CreateNumber(a->line));
			cJSON_AddItemToArray(row, cJSON_CreateNumber(a->col));
			cJSON_AddItemToArray(row, cJSON_CreateString(a->mode[0] == 'w' ? "w" : "r"));
			cJSON_AddItemToArray(row, cJSON_CreateNumber(table_index(&func_set, funcs, a->func)));
			cJSON_AddItemToArray(row, cJSON_CreateString(a->expr));
			cJSON_AddItemToArray(ung, row);
		}
		cJSON_AddItemToArray(fields, g);
	}
	la_strset_free(&file_set);
	la_strset_free(&func_set);
	return o;
}
