#include "json.h"
#include "error.h"

#include <cjson/cJSON.h>

static int line_at(const char *text, size_t len, const char *where)
{
	int line = 1;
	for (const char *p = text; where && p < where && p < text + len; p++)
		line += *p == '\n';
	return line;
}

int la_json_parse(const char *path, const char *text, size_t len, cJSON **out)
{
	*out = NULL;
	const char *end = NULL;
	/* Not require_null_terminated: cJSON then skips whitespace and accepts
	 * a NUL byte as the end, and "{}\0xyz" would pass. The parse end is
	 * checked here instead, against the whole length. */
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root)
		return la_error_code(LA_EPARSE, "%s:%d: malformed JSON", path, line_at(text, len, end));
	const char *p = end ? end : text + len;
	while (p < text + len && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p < text + len) {
		cJSON_Delete(root);
		return la_error_code(LA_EPARSE, "%s:%d: trailing data after the JSON document", path,
				     line_at(text, len, p));
	}
	*out = root;
	return LA_OK;
}
