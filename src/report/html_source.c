#include "html_source.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void html_sources_init(html_sources *hs, const char *root, int context)
{
	memset(hs, 0, sizeof(*hs));
	hs->root = root;
	hs->context = context;
}

void html_sources_want(html_sources *hs, const char *file, int line)
{
	if (!file || !*file || line <= 0)
		return;
	la_strset_add(&hs->files, file);
	long i = la_strset_index(&hs->files, file);
	while (i >= hs->caplines) {
		int ncap = hs->caplines ? hs->caplines * 2 : 16;
		hs->lines = xrealloc(hs->lines, sizeof(*hs->lines) * (size_t)ncap);
		memset(hs->lines + hs->caplines, 0, sizeof(*hs->lines) * (size_t)(ncap - hs->caplines));
		hs->caplines = ncap;
	}
	struct html_lines *l = &hs->lines[i];
	LA_VEC_PUSH(l->v, l->n, l->cap);
	l->v[l->n++] = line;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The lines of a file's text: starts[k] is where line k+1 begins. */
static int split_lines(const char *text, size_t len, size_t **starts)
{
	int n = 0, cap = 0;
	*starts = NULL;
	for (size_t p = 0; p < len;) {
		LA_VEC_PUSH(*starts, n, cap);
		(*starts)[n++] = p;
		const char *nl = memchr(text + p, '\n', len - p);
		p = nl ? (size_t)(nl - text) + 1 : len;
	}
	return n;
}

static cJSON *line_json(const char *text, size_t len, const size_t *starts, int nlines, int k)
{
	size_t from = starts[k], to = k + 1 < nlines ? starts[k + 1] : len;
	while (to > from && (text[to - 1] == '\n' || text[to - 1] == '\r'))
		to--;
	la_buf b = LA_BUF_INIT;
	la_buf_put(&b, text + from, to - from > HTML_SOURCE_MAX_LINE ? HTML_SOURCE_MAX_LINE : to - from);
	if (to - from > HTML_SOURCE_MAX_LINE)
		la_buf_puts(&b, " \xe2\x80\xa6");   /* an ellipsis */
	cJSON *s = cJSON_CreateString(b.ptr ? b.ptr : "");
	la_buf_free(&b);
	return s;
}

/* [[FIRST, [lines]], ...] for one file's wanted lines (sorted). */
static cJSON *excerpts(const char *text, size_t len, const int *want, int nwant, int context)
{
	size_t *starts;
	int nlines = split_lines(text, len, &starts);
	cJSON *chunks = cJSON_CreateArray();
	int i = 0;
	while (i < nwant) {
		int lo = want[i] - context, hi = want[i] + context;
		/* merge the next wanted lines whose excerpts touch this one */
		while (++i < nwant && want[i] - context <= hi + 1)
			hi = want[i] + context;
		if (lo < 1)
			lo = 1;
		if (hi > nlines)
			hi = nlines;
		if (lo > hi)
			continue;
		cJSON *chunk = cJSON_CreateArray(), *lines = cJSON_CreateArray();
		cJSON_AddItemToArray(chunk, cJSON_CreateNumber(lo));
		for (int k = lo; k <= hi; k++)
			cJSON_AddItemToArray(lines, line_json(text, len, starts, nlines, k - 1));
		cJSON_AddItemToArray(chunk, lines);
		cJSON_AddItemToArray(chunks, chunk);
	}
	free(starts);
	return chunks;
}

/* A file of the tree, under the report's root when relative. */
static int read_tree_file(void *ctx, const char *file, la_buf *out)
{
	const html_sources *hs = ctx;
	la_buf path = LA_BUF_INIT;
	if (file[0] != '/' && hs->root)
		la_buf_printf(&path, "%s/", hs->root);
	la_buf_puts(&path, file);
	int err = la_buf_read_file(out, path.ptr);
	la_buf_free(&path);
	return err;
}

cJSON *html_sources_json(const html_sources *hs, int *nread)
{
	return html_sources_json_from(hs, read_tree_file, (void *)hs, nread);
}

cJSON *html_sources_json_from(const html_sources *hs, html_read_fn read, void *ctx, int *nread)
{
	cJSON *out = cJSON_CreateObject();
	*nread = 0;
	la_buf text = LA_BUF_INIT;
	for (size_t i = 0; i < hs->files.n; i++) {
		const char *file = hs->files.items[i];
		la_buf_clear(&text);
		if (read(ctx, file, &text) < 0) {
			la_error_clear();
			continue;
		}
		struct html_lines *l = &hs->lines[i];
		qsort(l->v, (size_t)l->n, sizeof(int), int_cmp);
		cJSON_AddItemToObject(out, file, excerpts(text.ptr ? text.ptr : "", text.len, l->v, l->n, hs->context));
		(*nread)++;
	}
	la_buf_free(&text);
	return out;
}

void html_sources_free(html_sources *hs)
{
	for (size_t i = 0; i < hs->files.n; i++)
		free(hs->lines[i].v);
	free(hs->lines);
	la_strset_free(&hs->files);
	memset(hs, 0, sizeof(*hs));
}
