#include "numarg.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int la_parse_long_arg(const char *opt, const char *what, const char *arg, long min, long max, long *out)
{
	char *end = NULL;
	errno = 0;
	/* strtol accepts leading blanks and a sign: a blank is not a number here */
	long v = arg && *arg && !isspace((unsigned char)*arg) ? strtol(arg, &end, 10) : 0;
	if (!end || end == arg || *end || errno == ERANGE || v < min || v > max)
		return la_error_code(LA_EINVAL, "%s takes %s from %ld to %ld, not '%s'", opt, what, min, max,
				     arg ? arg : "");
	*out = v;
	return LA_OK;
}
