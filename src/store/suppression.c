#include "suppression.h"

#include <stdlib.h>
#include <string.h>

void suppression_set_free(suppression_set *ss)
{
	if (!ss)
		return;
	for (int i = 0; i < ss->n; i++) {
		free(ss->v[i].file);
		free(ss->v[i].check);
		free(ss->v[i].reason);
	}
	free(ss->v);
	memset(ss, 0, sizeof(*ss));
}
