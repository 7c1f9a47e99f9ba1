#include "sexp.h"
#include "error.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is_atom_char(int c)
{
	return c > ' ' && c != '(' && c != ')' && c != '"' && c != ';' && c < 127;
}

static int line_of(const char *text, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static void skip_space(const char *t, size_t *pos)
{
	for (;;) {
		while (t[*pos] && isspace((unsigned char)t[*pos]))
			(*pos)++;
		if (t[*pos] != ';')
			return;
		while (t[*pos] && t[*pos] != '\n')
			(*pos)++;
	}
}

static sx *read_form(la_arena *a, const char *t, size_t *pos, int *err, int depth)
{
	skip_space(t, pos);
	size_t start = *pos;
	char c = t[*pos];
	if (depth > 10000) {
		*err = la_error_code(LA_EPARSE, "line %d: nesting too deep", line_of(t, start));
		return NULL;
	}
	if (c == 0)
		return NULL;
	sx *x = la_arena_alloc(a, sizeof(*x));
	x->src = t;
	x->off = start;
	if (c == '(') {
		(*pos)++;
		/* most lists are short: their items on the stack, the rest on the heap */
		sx *local[16], **items = local;
		int n = 0, cap = 16;
		for (;;) {
			skip_space(t, pos);
			if (t[*pos] == ')') {
				(*pos)++;
				break;
			}
			if (!t[*pos]) {
				if (items != local)
					free(items);
				*err = la_error_code(LA_EPARSE, "line %d: unterminated list", line_of(t, start));
				return NULL;
			}
			sx *item = read_form(a, t, pos, err, depth + 1);
			if (!item) {
				if (items != local)
					free(items);
				return NULL;
			}
			if (n == cap) {
				cap *= 2;
				if (items == local) {
					items = xmalloc(sizeof(sx *) * (size_t)cap);
					memcpy(items, local, sizeof(local));
				} else
					items = xrealloc(items, sizeof(sx *) * (size_t)cap);
			}
			items[n++] = item;
		}
		x->kind = SX_LIST;
		x->n = n;
		x->items = la_arena_alloc(a, sizeof(sx *) * (size_t)(n ? n : 1));
		if (n)
			memcpy(x->items, items, sizeof(sx *) * (size_t)n);
		if (items != local)
			free(items);
		return x;
	}
	if (c == ')') {
		*err = la_error_code(LA_EPARSE, "line %d: unexpected ')'", line_of(t, start));
		return NULL;
	}
	if (c == '"') {
		(*pos)++;
		/* without escapes (nearly always), the bytes as they are */
		size_t end = *pos;
		while (t[end] && t[end] != '"' && t[end] != '\\')
			end++;
		if (t[end] == '"') {
			x->kind = SX_STR;
			x->s = la_arena_strndup(a, t + *pos, end - *pos);
			*pos = end + 1;
			return x;
		}
		la_buf b = LA_BUF_INIT;
		while (t[*pos] && t[*pos] != '"') {
			char ch = t[(*pos)++];
			if (ch == '\\' && t[*pos]) {
				ch = t[(*pos)++];
				if (ch == 'n')
					ch = '\n';
				else if (ch == 't')
					ch = '\t';
			}
			la_buf_putc(&b, ch);
		}
		if (t[*pos] != '"') {
			la_buf_free(&b);
			*err = la_error_code(LA_EPARSE, "line %d: unterminated string", line_of(t, start));
			return NULL;
		}
		(*pos)++;
		x->kind = SX_STR;
		x->s = la_arena_strndup(a, b.ptr ? b.ptr : "", b.len);
		la_buf_free(&b);
		return x;
	}
	while (is_atom_char((unsigned char)t[*pos]))
		(*pos)++;
	if (*pos == start) {
		/* a byte that starts no form (control, DEL, non-ASCII): reading
		 * nothing here would loop forever */
		*err = la_error_code(LA_EPARSE, "line %d: unexpected byte 0x%02x", line_of(t, start),
				     (unsigned char)c);
		return NULL;
	}
	x->kind = SX_ATOM;
	x->s = la_arena_strndup(a, t + start, *pos - start);
	return x;
}

sx *sx_read(la_arena *a, const char *text, size_t *pos, int *err)
{
	*err = LA_OK;
	return read_form(a, text, pos, err, 0);
}

int sx_line(const sx *x)
{
	return x ? line_of(x->src, x->off) : 0;
}

const char *sx_head(const sx *x)
{
	if (!x || x->kind != SX_LIST || x->n == 0 || x->items[0]->kind != SX_ATOM)
		return NULL;
	return x->items[0]->s;
}

int sx_is(const sx *x, const char *head)
{
	const char *h = sx_head(x);
	return h && strcmp(h, head) == 0;
}

sx *sx_at(const sx *x, int i)
{
	if (!x || x->kind != SX_LIST || i < 0 || i >= x->n)
		return NULL;
	return x->items[i];
}

const char *sx_str(const sx *x)
{
	if (!x || x->kind == SX_LIST)
		return NULL;
	return x->s;
}

long long sx_int(const sx *x, long long dflt)
{
	const char *s = sx_str(x);
	if (!s || !*s)
		return dflt;
	char *end;
	long long v = strtoll(s, &end, 0);
	return *end ? dflt : v;
}

void sx_put_str(la_buf *b, const char *s)
{
	la_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			la_buf_putc(b, '\\');
		if (*s == '\n') {
			la_buf_puts(b, "\\n");
			continue;
		}
		la_buf_putc(b, *s);
	}
	la_buf_putc(b, '"');
}

void sx_put_atom_or_str(la_buf *b, const char *s)
{
	int bare = *s != 0;
	for (const char *p = s; *p && bare; p++)
		bare = is_atom_char((unsigned char)*p);
	if (bare)
		la_buf_puts(b, s);
	else
		sx_put_str(b, s);
}
