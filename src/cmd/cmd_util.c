#include "cmd.h"
#include "../util/error.h"

#include <stdio.h>
#include <string.h>

int cmd_fail(void)
{
	fprintf(stderr, "lockaudit: error: %s\n", la_error_last());
	return EXIT_TOOL;
}

int cmd_usage_error(const char *usage)
{
	fputs(usage, stderr);
	return EXIT_TOOL;
}

const char *cmd_display_path(const char *root, const char *path)
{
	size_t n = root ? strlen(root) : 0;
	if (n && strncmp(path, root, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}
