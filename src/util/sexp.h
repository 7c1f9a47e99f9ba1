/* S-expressions: the text form of the IR (worker output and CFG blobs in the
 * DB). Readable in `sqlite3`, versioned by a leading (lair N) form. */
#ifndef LA_SEXP_H
#define LA_SEXP_H

#include "arena.h"
#include "buf.h"

typedef enum { SX_ATOM, SX_STR, SX_LIST } sx_kind;

typedef struct sx {
	sx_kind kind;
	int n;               /* list length */
	const char *s;       /* atom or string text */
	struct sx **items;   /* list items */
	const char *src;     /* the text it was read from (see sx_line) */
	size_t off;          /* byte offset of the form in src */
} sx;

/* Parse one form starting at *pos; advances *pos. Returns NULL at end of
 * input (with *err = LA_OK) or on error (*err < 0, message set). */
sx *sx_read(la_arena *a, const char *text, size_t *pos, int *err);

/* Accessors tolerate NULL and wrong kinds so callers can check once. */
int sx_is(const sx *x, const char *head);          /* (head ...) */
const char *sx_head(const sx *x);
sx *sx_at(const sx *x, int i);
const char *sx_str(const sx *x);                   /* atom or string text */
long long sx_int(const sx *x, long long dflt);
/* 1-based line of the form in its input, for error messages (0 for NULL).
 * Counted on demand, so reading stays linear in the input; the text must
 * still be alive. */
int sx_line(const sx *x);

/* Writers. */
void sx_put_str(la_buf *b, const char *s);          /* quoted, escaped */
void sx_put_atom_or_str(la_buf *b, const char *s);  /* bare if safe */

#endif
