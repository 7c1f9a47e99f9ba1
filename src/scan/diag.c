/* Why a worker's TU failed, from its output stream. */
#include "scan.h"
#include "../util/buf.h"
#include "../util/arena.h"
#include "../util/path.h"
#include "../util/sexp.h"

#include <string.h>

const char *scan_first_diag(const char *output, const char *root, la_buf *b)
{
	/* the fatal one says why the TU failed; errors may come before it */
	const char *d = output ? strstr(output, "(diag \"fatal\"") : NULL;
	if (!d && output)
		d = strstr(output, "(diag ");
	if (!d)
		return NULL;
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err;
	sx *x = sx_read(&a, d, &pos, &err);
	if (sx_is(x, "diag") && x->n >= 6) {
		const char *file = sx_str(sx_at(x, 2));
		la_buf_printf(b, "%s:%lld:%lld: %s: %s", file && *file ? la_display_path(root, file) : "?",
			      sx_int(sx_at(x, 3), 0), sx_int(sx_at(x, 4), 0), sx_str(sx_at(x, 1)),
			      sx_str(sx_at(x, 5)) ? sx_str(sx_at(x, 5)) : "");
	} else {
		const char *e = strchr(d, '\n');
		la_buf_put(b, d, e ? (size_t)(e - d) : strlen(d));
	}
	la_arena_free(&a);
	return b->ptr;
}
