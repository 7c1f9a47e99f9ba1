/* File paths as shown to people. */
#ifndef LA_UTIL_PATH_H
#define LA_UTIL_PATH_H

/* `path` relative to the scanned tree's root when it is inside it (the root
 * stored by scan, meta "root"), else `path` itself; NULL stays NULL. The
 * same form in findings, their steps and every command's output. */
const char *la_display_path(const char *root, const char *path);

#endif
