#include "baseline.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const baseline_entry *)a)->fingerprint, ((const baseline_entry *)b)->fingerprint);
}

static int is_fingerprint(const char *w, size_t n)
{
	if (n != 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)w[i]) || isupper((unsigned char)w[i]))
			return 0;
	return 1;
}

static int parse_line(const char *path, int lineno, char *line, baseline *b)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return LA_OK;
	size_t n = strcspn(line, " \t");
	if (!is_fingerprint(line, n))
		return la_error_code(LA_EPARSE, "%s:%d: expected a fingerprint of 16 lower-case hex digits, not '%.*s'",
				     path, lineno, (int)(n > 40 ? 40 : n), line);
	LA_VEC_PUSH(b->v, b->n, b->cap);
	baseline_entry *e = &b->v[b->n++];
	memcpy(e->fingerprint, line, 16);
	e->fingerprint[16] = 0;
	const char *rest = line + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	e->text = xstrdup(rest);
	return LA_OK;
}

int baseline_load(const char *path, baseline *out)
{
	memset(out, 0, sizeof(*out));
	la_buf text = LA_BUF_INIT;
	int err = la_buf_read_file(&text, path);
	if (err < 0) {
		la_buf_free(&text);
		return err;
	}
	char *p = text.ptr ? text.ptr : "";
	for (int lineno = 1; *p && err >= 0; lineno++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		size_t len = strlen(p);
		if (len && p[len - 1] == '\r')
			p[len - 1] = 0;
		err = parse_line(path, lineno, p, out);
		p = nl ? nl + 1 : p + len;
	}
	la_buf_free(&text);
	if (err < 0) {
		baseline_free(out);
		return err;
	}
	if (out->n)
		qsort(out->v, (size_t)out->n, sizeof(*out->v), entry_cmp);
	int k = 0;   /* a fingerprint listed twice counts once */
	for (int i = 0; i < out->n; i++) {
		if (k && strcmp(out->v[k - 1].fingerprint, out->v[i].fingerprint) == 0) {
			free(out->v[i].text);
			continue;
		}
		out->v[k++] = out->v[i];
	}
	out->n = k;
	return LA_OK;
}

const baseline_entry *baseline_find(const baseline *b, const char *fp)
{
	if (!b || !b->n)
		return NULL;
	baseline_entry key;
	snprintf(key.fingerprint, sizeof(key.fingerprint), "%s", fp);
	return bsearch(&key, b->v, (size_t)b->n, sizeof(*b->v), entry_cmp);
}

void baseline_free(baseline *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->n; i++)
		free(b->v[i].text);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

static int finding_fp_cmp(const void *a, const void *b)
{
	return strcmp((*(const finding *const *)a)->fingerprint, (*(const finding *const *)b)->fingerprint);
}

/* One line of text: a message never holds a newline today, but a baseline
 * line must stay one line whatever a check writes. */
static void put_oneline(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

int baseline_write(const char *path, const finding *const *fs, int n)
{
	const finding **sorted = xmalloc((size_t)(n ? n : 1) * sizeof(*sorted));
	memcpy(sorted, fs, (size_t)n * sizeof(*sorted));
	if (n)
		qsort(sorted, (size_t)n, sizeof(*sorted), finding_fp_cmp);
	/* a new file renamed over the old one: a failed write keeps the old baseline */
	la_buf tmp = LA_BUF_INIT;
	la_buf_printf(&tmp, "%s.tmp", path);
	FILE *out = fopen(tmp.ptr, "w");
	if (!out) {
		free(sorted);
		la_buf_free(&tmp);
		return la_error_code(LA_EIO, "%s: cannot write: %s", path, strerror(errno));
	}
	fputs("# lockaudit baseline: fingerprints of accepted findings (lockaudit check --baseline FILE).\n"
	      "# Written by lockaudit check --update-baseline; only the first word of a line counts.\n", out);
	for (int i = 0; i < n; i++) {
		const finding *f = sorted[i];
		if (i && strcmp(sorted[i - 1]->fingerprint, f->fingerprint) == 0)
			continue;
		fprintf(out, "%s %s %s %s(): ", f->fingerprint, f->check, f->file ? f->file : "?",
			f->func ? f->func : "?");
		put_oneline(out, f->message);
		fputc('\n', out);
	}
	free(sorted);
	int err = LA_OK;
	if (ferror(out) | (fclose(out) != 0) || rename(tmp.ptr, path) != 0) {
		err = la_error_code(LA_EIO, "%s: cannot write: %s", path, strerror(errno));
		remove(tmp.ptr);
	}
	la_buf_free(&tmp);
	return err;
}
