/* Formatters of an audit (`lockaudit audit`): one per format. */
#ifndef LA_REPORT_AUDIT_H
#define LA_REPORT_AUDIT_H

#include <stdio.h>

#include "../audit/diff.h"

typedef struct audit_commit {
	const char *id;          /* full commit id */
	const char *subject;
	const rd_diff *diff;     /* against the previous revision */
	int failed_tus;          /* TUs that failed to parse at this revision */
	int reused;              /* results came from the cache */
} audit_commit;

/* Text for a mailing-list reply: per commit its subject, the counts, then
 * the details. */
void audit_report_text(FILE *out, const char *base, const audit_commit *cs, int n);
/* One JSON document: {"base": ..., "commits": [...]}. Returns LA_OK or an error. */
int audit_report_json(FILE *out, const char *base, const audit_commit *cs, int n);
/* That document, to build on (the HTML page's data). */
struct cJSON;
struct cJSON *audit_json_doc(const char *base, const audit_commit *cs, int n);

struct la_buf;
/* What the HTML page says about the run besides the commits. */
typedef struct audit_html_meta {
	const char *tree;        /* the git work tree's top directory */
	const char *range;       /* BASE..TIP as given, or the mbox's path */
	const char *rules;       /* the rules file */
	/* FILE (as findings show it) at commit REV into out, for the
	 * excerpts; NULL: the page has none */
	int (*read_at)(void *ctx, const char *rev, const char *file, struct la_buf *out);
	void *read_ctx;
} audit_html_meta;
/* One self-contained HTML page (html_audit.c), the look of `lockaudit report`. */
int audit_report_html(FILE *out, const char *base, const audit_commit *cs, int n, const audit_html_meta *meta);

/* "mapping_lock (exclusive)", "x (shared, some paths)", "(no path)" */
void audit_lock_name(struct la_buf *b, const rd_lock *l);
/* What a protection change is, as the text says it: "lost A; gained B;
 * still held: C", "new access, under A", "access removed (was no lock held)". */
void audit_change_text(struct la_buf *b, const rd_change *c);
/* Counts of a diff's access changes: protection changed, appeared, disappeared. */
void audit_change_counts(const rd_diff *d, int *changed, int *appeared, int *gone);

#endif
