/* Fuzz the rules loader (rules_parse: JSON, then every rule kind). */
#include "fuzz.h"
#include "rules/rules.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	rules *r = NULL;
	int err = rules_parse("fuzz-rules.json", text, size, &r);
	/* an error sets a message and returns no rules; success the reverse */
	if ((err < 0) != (r == NULL) || (err < 0 && !*la_error_last()))
		abort();
	rules_free(r);
	la_error_clear();
	free(text);
	return 0;
}
