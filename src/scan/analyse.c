#include "analyse.h"
#include "../checks/checks.h"
#include "../util/error.h"

#include <stdlib.h>

int scan_analyse(store *s, const rules *r, lk_report *rep, int *stored, int *shown)
{
	char *root = NULL;
	store_meta_get(s, "root", &root);
	checks_run *cr;
	int err = checks_new(r, root, &cr);
	if (err < 0) {
		free(root);
		return err;
	}
	/* recorded absolute: later questions may be asked from another directory */
	char *abs = realpath(r->path, NULL);
	err = lk_analyse_db(s, r, abs ? abs : r->path, rep, checks_observer(cr));
	free(abs);
	checks_counts(cr, stored, shown);
	checks_free(cr);
	free(root);
	if (err >= 0)
		err = store_meta_set(s, "analysis_version", LK_ANALYSIS_VERSION);
	return err;
}
