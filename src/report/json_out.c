#include "json_out.h"
#include "../util/error.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

void report_json_str(cJSON *obj, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(obj, key, s);
	else
		cJSON_AddNullToObject(obj, key);
}

int report_json_emit(FILE *out, cJSON *doc, const char *what)
{
	char *text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		return la_error_code(LA_ENOMEM, "out of memory writing the %s report", what);
	fputs(text, out);
	fputc('\n', out);
	free(text);
	return LA_OK;
}
