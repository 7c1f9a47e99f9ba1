/* Suppression comments: find them with libclang's tokens (so that text in a
 * string literal or in code is never taken for one), parse them as text.
 * Only files whose bytes contain "lockaudit:" are tokenized. */
#define _GNU_SOURCE   /* memmem */
#include "suppress.h"
#include "lower_int.h"
#include "../util/buf.h"
#include "../util/sexp.h"

#include <ctype.h>
#include <string.h>

#define MARK "lockaudit:"

static const char *skip_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* The comment's text without its markers; block-comment continuation
 * lines lose their leading '*'. */
static void comment_body(const char *comment, la_buf *out)
{
	size_t n = strlen(comment);
	int block = n >= 4 && strncmp(comment, "/*", 2) == 0 && strcmp(comment + n - 2, "*/") == 0;
	const char *p = comment + 2, *end = block ? comment + n - 2 : comment + n;
	if (n < 2)
		return;
	int line_start = 1;
	for (; p < end; p++) {
		if (line_start && block) {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			while (p < end && *p == '*')
				p++;
			if (p >= end)
				break;
		}
		line_start = *p == '\n';
		la_buf_putc(out, *p);
	}
}

/* Append `text` to `out` with every run of white space made one space,
 * and none at either end. */
static void put_collapsed(la_buf *out, const char *text)
{
	int space = 0;
	for (const char *p = skip_space(text); *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = 1;
			continue;
		}
		if (space)
			la_buf_putc(out, ' ');
		space = 0;
		la_buf_putc(out, *p);
	}
}

int fe_suppression_parse(const char *comment, la_buf *checks, la_buf *reason)
{
	la_buf body = LA_BUF_INIT;
	comment_body(comment, &body);
	const char *p = skip_space(body.ptr ? body.ptr : "");
	if (strncmp(p, MARK, strlen(MARK)) != 0) {
		la_buf_free(&body);
		return 0;
	}
	la_buf_clear(checks);
	la_buf_clear(reason);
	la_buf_puts(checks, "");
	la_buf_puts(reason, "");
	p = skip_space(p + strlen(MARK));
	const char *rest = p;
	if (strncmp(p, "ignore", 6) == 0 && *skip_space(p + 6) == '[') {
		const char *open = skip_space(p + 6), *close = strchr(open, ']');
		if (close) {
			for (const char *c = open + 1; c < close; c++)
				if (!isspace((unsigned char)*c))
					la_buf_putc(checks, *c);
			rest = close + 1;
		}
	}
	/* "ignore[guard]: reason" and "ignore[guard] - reason" read the same */
	rest = skip_space(rest);
	if (rest != p && (*rest == ':' || *rest == '-'))
		rest++;
	put_collapsed(reason, rest);
	la_buf_free(&body);
	return 1;
}

static void write_one(fe_tu *t, CXFile file, CXToken tok, const char *text, la_buf *checks, la_buf *reason,
		      la_buf *b)
{
	CXSourceRange r = clang_getTokenExtent(t->tu, tok);
	unsigned line, end_line;
	clang_getSpellingLocation(clang_getRangeStart(r), NULL, &line, NULL, NULL);
	clang_getSpellingLocation(clang_getRangeEnd(r), NULL, &end_line, NULL, NULL);
	if (!fe_suppression_parse(text, checks, reason))
		return;
	/* one record per check named; one with "" when none is */
	const char *c = checks->ptr;
	do {
		size_t n = strcspn(c, ",");
		la_buf_puts(b, "(suppress ");
		sx_put_str(b, fe_file_name(t, file));
		la_buf_printf(b, " %u %u ", line, end_line);
		la_buf id = LA_BUF_INIT;
		la_buf_put(&id, c, n);
		la_buf_puts(&id, "");
		sx_put_str(b, id.ptr);
		la_buf_free(&id);
		la_buf_putc(b, ' ');
		sx_put_str(b, reason->ptr);
		la_buf_puts(b, ")\n");
		c += n + (c[n] == ',');
	} while (*c);
}

void fe_write_suppressions(fe_tu *t, CXFile file, la_buf *b)
{
	size_t size = 0;
	const char *data = clang_getFileContents(t->tu, file, &size);
	if (!data || !memmem(data, size, MARK, strlen(MARK)))
		return;
	CXSourceRange all = clang_getRange(clang_getLocationForOffset(t->tu, file, 0),
					   clang_getLocationForOffset(t->tu, file, (unsigned)size));
	CXToken *toks = NULL;
	unsigned ntoks = 0;
	clang_tokenize(t->tu, all, &toks, &ntoks);
	la_buf checks = LA_BUF_INIT, reason = LA_BUF_INIT;
	for (unsigned i = 0; i < ntoks; i++) {
		if (clang_getTokenKind(toks[i]) != CXToken_Comment)
			continue;
		CXString s = clang_getTokenSpelling(t->tu, toks[i]);
		const char *text = clang_getCString(s);
		if (text && strstr(text, MARK))
			write_one(t, file, toks[i], text, &checks, &reason, b);
		clang_disposeString(s);
	}
	la_buf_free(&checks);
	la_buf_free(&reason);
	clang_disposeTokens(t->tu, toks, ntoks);
}
