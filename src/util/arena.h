/* Arena allocator: IR nodes of one function or TU live and die together. */
#ifndef LA_ARENA_H
#define LA_ARENA_H

#include <stddef.h>

typedef struct la_arena_chunk la_arena_chunk;
typedef struct la_arena {
	la_arena_chunk *head;
	size_t used;     /* bytes used in head */
	size_t total;    /* bytes allocated over all chunks, for stats */
} la_arena;

#define LA_ARENA_INIT { NULL, 0, 0 }

void *la_arena_alloc(la_arena *a, size_t n);   /* zeroed, 16-aligned */
char *la_arena_strdup(la_arena *a, const char *s);
char *la_arena_strndup(la_arena *a, const char *s, size_t n);
void la_arena_free(la_arena *a);

#endif
