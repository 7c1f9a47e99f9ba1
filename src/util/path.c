#include "path.h"

#include <string.h>

const char *la_display_path(const char *root, const char *path)
{
	size_t n = root ? strlen(root) : 0;
	if (path && n && strncmp(path, root, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}
