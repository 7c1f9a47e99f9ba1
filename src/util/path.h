/* File paths as shown to people. */
#ifndef LA_UTIL_PATH_H
#define LA_UTIL_PATH_H

/* `path` relative to the scanned tree's root when it is inside it (the root
 * stored by scan, meta "root"), else `path` itself; NULL stays NULL. The
 * same form in findings, their steps and every command's output. */
const char *la_display_path(const char *root, const char *path);

/* Whether the stored absolute `path` is the file a person named `query`:
 * the same path, the path relative to `root`, or its trailing components
 * (`vpci.c`, `drivers/vpci.c`; never part of a component). Leading `./`
 * is ignored. Compared exactly: no character is a wildcard. */
int la_path_matches(const char *path, const char *query, const char *root);

/* Remove DIR and everything below it (a scratch directory); errors ignored. */
void la_rmtree(const char *dir);

#endif
