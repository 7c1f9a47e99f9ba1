/* Parsing a whole JSON file held in memory: one document, nothing after it. */
#ifndef LA_JSON_H
#define LA_JSON_H

#include <stddef.h>

struct cJSON;

/* Parse TEXT (LEN bytes) as exactly one JSON document: only whitespace may
 * follow it. Errors are LA_EPARSE and name PATH and the line:
 * "rules.json:12: malformed JSON", "rules.json:40: trailing data after the
 * JSON document". The caller frees *out with cJSON_Delete. */
int la_json_parse(const char *path, const char *text, size_t len, struct cJSON **out);

#endif
