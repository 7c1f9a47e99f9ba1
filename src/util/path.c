#include "path.h"

#include <string.h>

int la_path_matches(const char *path, const char *query, const char *root)
{
	if (!path || !query)
		return 0;
	while (query[0] == '.' && query[1] == '/') {
		query += 2;
		while (*query == '/')
			query++;
	}
	if (!*query)
		return 0;
	if (strcmp(path, query) == 0)
		return 1;
	const char *rel = la_display_path(root, path);
	if (rel != path && strcmp(rel, query) == 0)
		return 1;
	size_t n = strlen(path), q = strlen(query);
	/* a suffix that starts a component: "/" + query ends the path */
	return q < n && path[n - q - 1] == '/' && strcmp(path + n - q, query) == 0;
}

const char *la_display_path(const char *root, const char *path)
{
	size_t n = root ? strlen(root) : 0;
	if (path && n && strncmp(path, root, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}
