/* Source excerpts for the HTML report: the lines around every place a
 * finding or a step of its trace points at, read from the tree when the
 * report is made (the page must not need the tree to be read). */
#ifndef LA_HTML_SOURCE_H
#define LA_HTML_SOURCE_H

#include "../util/strset.h"

struct cJSON;

typedef struct html_sources {
	const char *root;      /* relative paths are under it */
	int context;           /* lines before and after each wanted line */
	la_strset files;       /* as findings show them */
	struct html_lines {
		int *v;
		int n, cap;
	} *lines;              /* per file, the lines wanted */
	int caplines;
} html_sources;

void html_sources_init(html_sources *hs, const char *root, int context);
void html_sources_want(html_sources *hs, const char *file, int line);
/* {"FILE": [[FIRST, ["line", ...]], ...], ...}: overlapping excerpts of a
 * file merged, lines cut at HTML_SOURCE_MAX_LINE bytes. A file that cannot
 * be read (the tree moved, a generated file gone) is left out: the page
 * says "source not available" there. *nread counts the files read. */
struct cJSON *html_sources_json(const html_sources *hs, int *nread);
/* The same with the files' text from `read` (a git revision's, for the
 * audit page): it fills `out` with FILE (as findings show it) and returns
 * LA_OK, or an error for a file it cannot give (left out, as above). */
struct la_buf;
typedef int (*html_read_fn)(void *ctx, const char *file, struct la_buf *out);
struct cJSON *html_sources_json_from(const html_sources *hs, html_read_fn read, void *ctx, int *nread);
void html_sources_free(html_sources *hs);

#define HTML_SOURCE_MAX_LINE 400

#endif
