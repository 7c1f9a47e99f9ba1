/* A set of strings (open addressing), owning copies; keeps insertion order. */
#ifndef LA_STRSET_H
#define LA_STRSET_H

#include <stddef.h>

typedef struct la_strset {
	char **items;        /* in insertion order */
	size_t n, capitems;
	size_t *slots;       /* index + 1 into items, 0 = empty */
	size_t capslots;
} la_strset;

#define LA_STRSET_INIT { NULL, 0, 0, NULL, 0 }

/* Returns 1 when added, 0 when already present. */
int la_strset_add(la_strset *s, const char *str);
int la_strset_has(const la_strset *s, const char *str);
/* Position of str in insertion order, or -1. */
long la_strset_index(const la_strset *s, const char *str);
/* The set's own copy of str, or NULL. */
const char *la_strset_get(const la_strset *s, const char *str);
void la_strset_free(la_strset *s);

#endif
