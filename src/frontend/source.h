/* Where the frontend and the fingerprints read file contents (DESIGN.md §9):
 * the file system, overlaid with files whose contents come from elsewhere
 * (a git revision). The overlay is handed to libclang as unsaved files, so a
 * revision is parsed without checking it out. A NULL source is the file
 * system alone. */
#ifndef LA_SOURCE_H
#define LA_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct fe_source_file {
	char *path;     /* absolute */
	char *data;     /* NULL: the file does not exist in this source */
	size_t len;
} fe_source_file;

typedef struct fe_source {
	char *label;    /* for messages: "revision 635dd1120a" */
	fe_source_file *files;   /* sorted by path once fe_source_seal ran */
	int n, cap;
} fe_source;

void fe_source_init(fe_source *s, const char *label);
/* Overlay PATH (absolute) with LEN bytes of DATA (taken over; NULL: absent). */
void fe_source_add(fe_source *s, const char *path, char *data, size_t len);
/* Sort for lookups; call once after the last fe_source_add. */
void fe_source_seal(fe_source *s);
/* The overlay entry of PATH, or NULL when the file system has it. */
const fe_source_file *fe_source_find(const fe_source *s, const char *path);
/* 1 when PATH exists in the source, else 0. */
int fe_source_exists(const fe_source *s, const char *path);
/* Hash of PATH's contents (the same value la_hash_file gives for the same
 * bytes); LA_ENOTFOUND when absent. *overlaid says whether it came from the
 * overlay (such hashes must not be cached by mtime). */
int fe_source_hash(const fe_source *s, const char *path, uint64_t *out, int *overlaid);
void fe_source_free(fe_source *s);

#endif
