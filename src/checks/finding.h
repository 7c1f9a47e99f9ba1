/* Findings: what a check reports, with a trace of steps (DESIGN.md §7). */
#ifndef LA_FINDING_H
#define LA_FINDING_H

typedef struct finding_step {
	const char *kind;        /* "acquire", "release", "call", "return", "branch", "assert", "access" */
	char *file;
	int line, col;
	char *func;
	char *text;
} finding_step;

typedef struct finding {
	const char *check;
	const char *severity;
	char *file;
	int line, col;
	char *func;
	char *message;
	char *subject;           /* a field, a callee, a lock class */
	char *lock;              /* the lock class it is about, or NULL */
	char fingerprint[17];    /* hash of check, file, function, subject, lock, ordinal: no lines */
	const char *ignored;     /* the rules' reason when an ignore entry matches (not owned) */
	double rank;             /* evidence, for checks that rank (higher first) */
	finding_step *steps;
	int nsteps, capsteps;
} finding;

void finding_add_step(finding *f, const char *kind, const char *file, int line, int col, const char *func,
		      const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void finding_free(finding *f);

#endif
