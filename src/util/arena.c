#include "arena.h"
#include "xalloc.h"

#include <string.h>

#define CHUNK_SIZE (64 * 1024)

struct la_arena_chunk {
	la_arena_chunk *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

void *la_arena_alloc(la_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->used + n > a->head->size) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
		la_arena_chunk *c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->total += size;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *la_arena_strndup(la_arena *a, const char *s, size_t n)
{
	char *p = la_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *la_arena_strdup(la_arena *a, const char *s)
{
	return s ? la_arena_strndup(a, s, strlen(s)) : NULL;
}

void la_arena_free(la_arena *a)
{
	la_arena_chunk *c = a->head;
	while (c) {
		la_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->used = a->total = 0;
}
