/* Growable byte buffer, always NUL-terminated. */
#ifndef LA_BUF_H
#define LA_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct la_buf {
	char *ptr;
	size_t len, cap;
} la_buf;

#define LA_BUF_INIT { NULL, 0, 0 }

void la_buf_grow(la_buf *b, size_t extra);
void la_buf_put(la_buf *b, const char *s, size_t n);
void la_buf_puts(la_buf *b, const char *s);
void la_buf_putc(la_buf *b, char c);
void la_buf_printf(la_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void la_buf_vprintf(la_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void la_buf_clear(la_buf *b);
/* Detach the string; caller frees. Never NULL. */
char *la_buf_detach(la_buf *b);
void la_buf_free(la_buf *b);
/* Read a whole file; LA_EIO with message naming the path on failure. */
int la_buf_read_file(la_buf *b, const char *path);

#endif
