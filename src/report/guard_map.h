/* The guard map (DESIGN.md §8): per struct field, how many of its accesses
 * happen with each lock class held on every path there, and the accesses
 * under no lock. `lockaudit guards` prints it for one struct, the HTML
 * report draws it for the whole tree. Read from the `access` and `held`
 * tables of an analysed database. */
#ifndef LA_GUARD_MAP_H
#define LA_GUARD_MAP_H

#include "../util/strset.h"

struct store;

typedef struct guard_lock {
	const char *cls;          /* lock class */
	int reads, writes;        /* accesses of the field under it */
} guard_lock;

typedef struct guard_access {
	const char *file;         /* as shown: relative to the tree's root when inside it */
	int line, col;
	const char *mode;         /* read, write */
	const char *func, *expr;
} guard_access;

typedef struct guard_field {
	const char *strct, *field;
	int reads, writes;        /* counted accesses (address-taken ones apart) */
	int addrs;                /* &p->f: reads nothing, not counted above */
	int unreached;            /* accesses no analysed path reaches */
	int in_primitives;        /* accesses in a lock primitive's own body */
	guard_lock *locks;        /* by share, largest first (then first seen) */
	int nlocks, caplocks;
	guard_access *unguarded;  /* reads and writes under no lock, by file and line */
	int nunguarded, capunguarded;
} guard_field;

typedef struct guard_map {
	guard_field *v;           /* by struct, then field */
	int n, cap;
	la_strset names;          /* owns every string the fields point to */
} guard_map;

/* The fields of struct `strct` (NULL: every struct), or only `field` of it
 * (NULL: every field). `root` makes paths relative (may be NULL). */
int guard_map_read(struct store *s, const char *root, const char *strct, const char *field, guard_map *out);
void guard_map_free(guard_map *m);

#endif
