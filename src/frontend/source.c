#include "source.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void fe_source_init(fe_source *s, const char *label)
{
	memset(s, 0, sizeof(*s));
	s->label = xstrdup(label ? label : "the file system");
}

void fe_source_add(fe_source *s, const char *path, char *data, size_t len)
{
	LA_VEC_PUSH(s->files, s->n, s->cap);
	fe_source_file *f = &s->files[s->n++];
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const fe_source_file *)a)->path, ((const fe_source_file *)b)->path);
}

void fe_source_seal(fe_source *s)
{
	if (s->n)
		qsort(s->files, (size_t)s->n, sizeof(*s->files), cmp_file);
}

const fe_source_file *fe_source_find(const fe_source *s, const char *path)
{
	if (!s || !s->n)
		return NULL;
	fe_source_file key = { (char *)path, NULL, 0 };
	return bsearch(&key, s->files, (size_t)s->n, sizeof(*s->files), cmp_file);
}

int fe_source_exists(const fe_source *s, const char *path)
{
	const fe_source_file *f = fe_source_find(s, path);
	if (f)
		return f->data != NULL;
	struct stat st;
	return stat(path, &st) == 0;
}

int fe_source_hash(const fe_source *s, const char *path, uint64_t *out, int *overlaid)
{
	const fe_source_file *f = fe_source_find(s, path);
	*overlaid = f != NULL;
	if (!f)
		return la_hash_file(path, out);
	if (!f->data)
		return la_error_code(LA_ENOTFOUND, "%s: not in %s", path, s->label);
	*out = la_hash_bytes(LA_HASH_INIT, f->data, f->len);
	return LA_OK;
}

void fe_source_free(fe_source *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	free(s->files);
	free(s->label);
	memset(s, 0, sizeof(*s));
}
