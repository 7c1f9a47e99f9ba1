/* Reading the stored findings back: the rows of `finding` and
 * `finding_step` (docs/schema.md#findings) as the `finding` structures the
 * checks made. Every report format starts here (src/report/). */
#ifndef LA_FINDING_READ_H
#define LA_FINDING_READ_H

#include "../checks/finding.h"
#include "../util/strset.h"

struct store;

typedef struct finding_set {
	finding **v;           /* in the order asked for; each with its steps */
	int n, cap;
	la_strset names;       /* owns what the findings point to without owning:
	                        * check ids, severities, step kinds, ignore reasons */
} finding_set;

enum {
	FINDING_ORDER_LOCATION,   /* file, line, column, check (`check`'s default) */
	FINDING_ORDER_RANK        /* evidence first (rank, higher first), then location */
};

/* Read every stored finding, of every check, ignored or not. A database
 * never analysed has no finding table: LA_ENOTFOUND with a message saying
 * so. */
int finding_read(struct store *s, int order, finding_set *out);
void finding_set_free(finding_set *fs);

#endif
