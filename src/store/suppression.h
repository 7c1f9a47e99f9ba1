/* Inline suppressions: a comment `lockaudit: ignore[CHECK] reason` (block
 * or line comment) in the source, recorded by the scan (they are facts of
 * the source, like the assertions) and matched against findings by the
 * report selection (src/report/select.h). */
#ifndef LA_SUPPRESSION_H
#define LA_SUPPRESSION_H

typedef struct suppression {
	char *file;            /* as findings show paths: relative to the scanned tree */
	int line, end_line;    /* the lines the comment spans */
	char *check;           /* the CHECK between the brackets ("" when there is none) */
	char *reason;          /* the text after the brackets ("" when there is none) */
} suppression;

typedef struct suppression_set {
	suppression *v;        /* sorted by file and line */
	int n, cap;
} suppression_set;

struct store;
/* The suppressions the scan recorded, with paths shown relative to `root`
 * (meta "root"; NULL: as stored). A comment in a header that several TUs
 * include is one suppression. */
int suppression_read(struct store *s, const char *root, suppression_set *out);
void suppression_set_free(suppression_set *ss);

#endif
