/* Reports of the findings (`lockaudit check`): one formatter per format,
 * each in its own file, all fed the same selection (select.h). */
#ifndef LA_REPORT_H
#define LA_REPORT_H

#include <stdio.h>

#include "select.h"

struct store;
struct rules;

/* What a format may say about the run besides the findings. */
typedef struct report_meta {
	const char *root;           /* absolute path of the scanned tree (meta "root"), or NULL */
	const char *rules_path;     /* the rules of the analysis, or NULL */
	const char *command_line;   /* the command as run (SARIF invocation), or NULL */
	int exit_status;            /* what the command exits with */
} report_meta;

typedef struct report_input {
	const selection *sel;
	const select_opts *opts;
	report_meta meta;
	int no_trace;               /* text: the finding lines only */
	struct store *store;        /* html: the guard map and lock-order graph come from it */
} report_input;

typedef struct report_format {
	const char *name;           /* as given to --format */
	int (*write)(FILE *out, const report_input *in);
} report_format;

/* text.c: GCC's format, `file:line:col: severity: message [lockaudit-ID]`
 * and one `note:` line per step. */
int report_text(FILE *out, const report_input *in);
/* json.c: docs/report-json.md (schema "lockaudit-findings", version 1). */
int report_json(FILE *out, const report_input *in);
/* sarif.c: SARIF 2.1.0. */
int report_sarif(FILE *out, const report_input *in);
/* codequality.c: GitLab code quality (a JSON array of issues). */
int report_codequality(FILE *out, const report_input *in);
/* html_report.c: one self-contained HTML page (`lockaudit report`): the
 * findings with their traces, and from in->store the guard map and the
 * lock-order graph. */
int report_html(FILE *out, const report_input *in);

/* The format called name, or NULL. */
const report_format *report_format_find(const char *name);
/* "text|json|sarif|codequality" for usage messages. */
const char *report_format_names(void);

/* One `lockaudit check`: read, select, write. */
typedef struct report_request {
	select_opts select;         /* rules, checks on/off, show_ignored; baseline and
	                             * suppressions are filled in from the paths below */
	int order;                  /* FINDING_ORDER_* */
	const report_format *format;
	const char *output;         /* file to write, NULL: stdout */
	const char *baseline;       /* --baseline FILE, or NULL */
	const char *update_baseline;/* --update-baseline FILE, or NULL: write it, no report */
	const char *command_line;
	int no_trace;
	const char *command;        /* names the summary line on stderr; NULL: "check" */
} report_request;

/* Run it on an analysed database. *exit_status: 0 nothing failing, 2
 * findings that fail (not ignored, suppressed or in the baseline). The
 * summary line and warnings (unmatched suppressions) go to stderr. */
int report_check(struct store *s, const report_request *rq, int *exit_status);

#endif
