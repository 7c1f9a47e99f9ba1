/* Fuzz the compile-database reader (fe_compdb_parse: JSON, entries, shell
 * splitting of "command", the flag filter). The path does not exist: the
 * reader only takes relative directories from it. */
#include "fuzz.h"
#include "frontend/compdb.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	fe_compdb db;
	int err = fe_compdb_parse("/nonexistent/lockaudit-fuzz/compile_commands.json", text, size, &db);
	if (err < 0 ? db.ntus != 0 || !*la_error_last() : db.ntus < 1)
		abort();
	for (int i = 0; i < db.ntus; i++)   /* what the scan relies on */
		if (db.tus[i].file[0] != '/' || db.tus[i].directory[0] != '/' || db.tus[i].argv[db.tus[i].argc])
			abort();
	fe_compdb_free(&db);
	la_error_clear();
	free(text);
	return 0;
}
