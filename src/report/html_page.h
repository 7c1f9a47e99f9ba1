/* The frame of lockaudit's HTML pages (the report and the audit page): one
 * self-contained file made of the template src/report/html/page.html, its
 * CSS, the shared script and the page's own script, the page's data as
 * JSON and, for the report, the lock-order graph as inline SVG. Nothing in
 * it refers to anything outside the file (its Content-Security-Policy
 * forbids every fetch), so it works from file:// and as a CI artifact. */
#ifndef LA_HTML_PAGE_H
#define LA_HTML_PAGE_H

#include <stdio.h>

struct cJSON;
struct la_buf;

typedef struct html_page {
	const char *title;          /* plain text (escaped here) */
	const char *script;         /* the page's script, after common.js */
	const struct cJSON *data;   /* the page's data: LA.data in the scripts */
	const char *svg;            /* markup for #la-svg (trusted: built with html_escape), or NULL */
} html_page;

/* Write the page. Fails (LA_EINVAL) when an asset would end its own
 * element early (a "</script" in a script), and on a write error (LA_EIO). */
int html_page_write(FILE *out, const html_page *p);

/* Text for HTML content and attribute values: & < > " ' escaped. */
void html_escape(struct la_buf *b, const char *s);

/* JSON text that is safe inside <script type="application/json">: every
 * < > & and U+2028/U+2029 written as \uXXXX escapes (they can only occur in
 * strings), so no "</script>" or "<!--" in the data can end the element. */
void html_json_for_script(struct la_buf *b, const char *json);

#endif
