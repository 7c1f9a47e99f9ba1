/* Helpers of the JSON-based formats (json, sarif, codequality). */
#ifndef LA_REPORT_JSON_OUT_H
#define LA_REPORT_JSON_OUT_H

#include <stdio.h>

struct cJSON;
struct report_input;

/* obj[key] = s, or null when s is NULL. */
void report_json_str(struct cJSON *obj, const char *key, const char *s);
/* Print doc to out (then a newline) and delete it; `what` names the format
 * in the out-of-memory error. */
int report_json_emit(FILE *out, struct cJSON *doc, const char *what);

/* The JSON report's document (docs/report-json.md); the HTML report's
 * data holds it too. */
struct cJSON *report_json_doc(const struct report_input *in);

#endif
