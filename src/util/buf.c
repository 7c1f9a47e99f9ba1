#include "buf.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void la_buf_grow(la_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
}

void la_buf_put(la_buf *b, const char *s, size_t n)
{
	la_buf_grow(b, n);
	if (n)   /* (NULL, 0) is an empty string too */
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = 0;
}

void la_buf_puts(la_buf *b, const char *s)
{
	la_buf_put(b, s, strlen(s));
}

void la_buf_putc(la_buf *b, char c)
{
	la_buf_put(b, &c, 1);
}

void la_buf_vprintf(la_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	char small[256];
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		la_buf_put(b, small, (size_t)n);
	} else if (n >= 0) {
		la_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void la_buf_printf(la_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	la_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void la_buf_clear(la_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = 0;
}

char *la_buf_detach(la_buf *b)
{
	char *p = b->ptr ? b->ptr : xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void la_buf_free(la_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int la_buf_read_file(la_buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return la_error_code(LA_EIO, "%s: %s", path, strerror(errno));
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		la_buf_put(b, tmp, n);
	int err = ferror(f);
	fclose(f);
	if (err)
		return la_error_code(LA_EIO, "%s: read error", path);
	if (!b->ptr)
		la_buf_put(b, "", 0);
	return LA_OK;
}
