/* Diagnostics in a worker's output stream: why its TU failed, and
 * lockaudit's own warnings about the source. */
#include "scan.h"
#include "../util/buf.h"
#include "../util/arena.h"
#include "../util/path.h"
#include "../util/sexp.h"

#include <stdio.h>
#include <string.h>

/* FILE:LINE:COL: SEVERITY: MESSAGE of a (diag ...) record; 0 if it is none */
static int put_diag(la_buf *b, const sx *x, const char *root)
{
	if (!sx_is(x, "diag") || x->n < 6)
		return 0;
	const char *file = sx_str(sx_at(x, 2));
	la_buf_printf(b, "%s:%lld:%lld: %s: %s", file && *file ? la_display_path(root, file) : "?",
		      sx_int(sx_at(x, 3), 0), sx_int(sx_at(x, 4), 0), sx_str(sx_at(x, 1)),
		      sx_str(sx_at(x, 5)) ? sx_str(sx_at(x, 5)) : "");
	return 1;
}

int scan_print_warnings(const char *output, const char *root, FILE *out)
{
	static const char key[] = "\n(diag \"warning\"";
	int n = 0;
	for (const char *d = output ? strstr(output, key) : NULL; d; d = strstr(d + 1, key)) {
		la_arena a = LA_ARENA_INIT;
		size_t pos = 0;
		int err;
		la_buf b = LA_BUF_INIT;
		if (put_diag(&b, sx_read(&a, d + 1, &pos, &err), root)) {
			fprintf(out, "lockaudit: %s\n", b.ptr);
			n++;
		}
		la_buf_free(&b);
		la_arena_free(&a);
	}
	return n;
}

const char *scan_first_diag(const char *output, const char *root, la_buf *b)
{
	/* the fatal one says why the TU failed; errors may come before it
	 * (warnings are lockaudit's own about the source: no failure) */
	const char *d = output ? strstr(output, "(diag \"fatal\"") : NULL;
	if (!d && output)
		d = strstr(output, "(diag \"error\"");
	if (!d)
		return NULL;
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err;
	sx *x = sx_read(&a, d, &pos, &err);
	if (!put_diag(b, x, root)) {
		const char *e = strchr(d, '\n');
		la_buf_put(b, d, e ? (size_t)(e - d) : strlen(d));
	}
	la_arena_free(&a);
	return b->ptr;
}
