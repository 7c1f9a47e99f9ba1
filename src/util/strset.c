#include "strset.h"
#include "hash.h"
#include "xalloc.h"

#include <string.h>

static size_t find(const la_strset *s, const char *str)
{
	size_t h = la_hash_str(LA_HASH_INIT, str) & (s->capslots - 1);
	while (s->slots[h] && strcmp(s->items[s->slots[h] - 1], str) != 0)
		h = (h + 1) & (s->capslots - 1);
	return h;
}

int la_strset_has(const la_strset *s, const char *str)
{
	return s->capslots && s->slots[find(s, str)] != 0;
}

long la_strset_index(const la_strset *s, const char *str)
{
	if (!s->capslots)
		return -1;
	size_t h = find(s, str);
	return s->slots[h] ? (long)s->slots[h] - 1 : -1;
}

const char *la_strset_get(const la_strset *s, const char *str)
{
	if (!s->capslots)
		return NULL;
	size_t h = find(s, str);
	return s->slots[h] ? s->items[s->slots[h] - 1] : NULL;
}

int la_strset_add(la_strset *s, const char *str)
{
	if ((s->n + 1) * 2 > s->capslots) {
		size_t ncap = s->capslots ? s->capslots * 2 : 64;
		free(s->slots);
		s->slots = xcalloc(ncap, sizeof(size_t));
		s->capslots = ncap;
		for (size_t i = 0; i < s->n; i++)
			s->slots[find(s, s->items[i])] = i + 1;
	}
	size_t h = find(s, str);
	if (s->slots[h])
		return 0;
	LA_VEC_PUSH(s->items, s->n, s->capitems);
	s->items[s->n++] = xstrdup(str);
	s->slots[h] = s->n;
	return 1;
}

void la_strset_free(la_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
