/* Allocation that cannot fail: out of memory is fatal for a command-line
 * analyser (there is no sensible partial result), so callers need no checks. */
#ifndef LA_XALLOC_H
#define LA_XALLOC_H

#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow a dynamic array `a` with count `n` and capacity `cap` to hold one more. */
#define LA_VEC_PUSH(a, n, cap) do { \
	if ((n) >= (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 8; \
		(a) = xrealloc((a), (size_t)(cap) * sizeof(*(a))); \
	} \
} while (0)

#endif
