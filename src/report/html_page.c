#include "html_page.h"
#include "html_assets.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void html_escape(la_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': la_buf_puts(b, "&amp;"); break;
		case '<': la_buf_puts(b, "&lt;"); break;
		case '>': la_buf_puts(b, "&gt;"); break;
		case '"': la_buf_puts(b, "&quot;"); break;
		case '\'': la_buf_puts(b, "&#39;"); break;
		default: la_buf_putc(b, *s);
		}
	}
}

void html_json_for_script(la_buf *b, const char *json)
{
	for (const unsigned char *p = (const unsigned char *)json; *p; p++) {
		if (*p == '<' || *p == '>' || *p == '&')
			la_buf_printf(b, "\\u%04x", *p);
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			la_buf_printf(b, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else
			la_buf_putc(b, (char)*p);
	}
}

static const char *find_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return s;
	return NULL;
}

/* An asset that contained these would close its element (or open an HTML
 * comment inside a script) before its end. */
static int asset_fits(const char *what, const char *text, const char *const *forbidden)
{
	for (; *forbidden; forbidden++)
		if (find_nocase(text, *forbidden))
			return la_error_code(LA_EINVAL, "HTML page asset %s contains \"%s\": it cannot be inlined", what,
					     *forbidden);
	return LA_OK;
}

typedef struct piece {
	const char *marker;
	const char *text;      /* written as it is */
	int escape;            /* or HTML-escaped */
} piece;

int html_page_write(FILE *out, const html_page *p)
{
	static const char *const in_script[] = { "</script", "<!--", NULL };
	static const char *const in_style[] = { "</style", NULL };
	if (asset_fits("page.css", la_html_css, in_style) < 0 || asset_fits("common.js", la_html_common_js, in_script) < 0 ||
	    asset_fits("the page's script", p->script, in_script) < 0)
		return LA_EINVAL;
	char *json = cJSON_PrintUnformatted(p->data);
	if (!json)
		return la_error_code(LA_ENOMEM, "out of memory writing the HTML page's data");
	la_buf data = LA_BUF_INIT, js = LA_BUF_INIT;
	html_json_for_script(&data, json);
	free(json);
	la_buf_puts(&js, la_html_common_js);
	la_buf_puts(&js, p->script);
	const piece pieces[] = {
		{ "<!--la:title-->", p->title, 1 }, { "/*la:css*/", la_html_css, 0 },
		{ "<!--la:svg-->", p->svg ? p->svg : "", 0 }, { "<!--la:data-->", data.ptr, 0 },
		{ "/*la:js*/", js.ptr, 0 },
	};
	int err = LA_OK;
	la_buf esc = LA_BUF_INIT;
	const char *t = la_html_page;
	while (*t && err >= 0) {
		const char *a = strstr(t, "<!--la:"), *c = strstr(t, "/*la:");
		const char *m = !a ? c : !c ? a : a < c ? a : c;
		if (!m) {
			fputs(t, out);
			break;
		}
		fwrite(t, 1, (size_t)(m - t), out);
		const piece *pc = NULL;
		for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]) && !pc; i++)
			if (strncmp(m, pieces[i].marker, strlen(pieces[i].marker)) == 0)
				pc = &pieces[i];
		if (!pc) {
			err = la_error_code(LA_EINVAL, "page.html: unknown marker at \"%.20s\"", m);
			break;
		}
		if (pc->escape) {
			la_buf_clear(&esc);
			html_escape(&esc, pc->text);
			fputs(esc.ptr ? esc.ptr : "", out);
		} else {
			fputs(pc->text, out);
		}
		t = m + strlen(pc->marker);
	}
	la_buf_free(&esc);
	la_buf_free(&data);
	la_buf_free(&js);
	if (err >= 0 && ferror(out))
		err = la_error_code(LA_EIO, "cannot write the HTML page: %s", strerror(errno));
	return err;
}
