/* The incremental scan (used by `scan` and `audit`): which TUs of a compile
 * database to parse again, the workers, and storing what they wrote. */
#ifndef LA_SCAN_H
#define LA_SCAN_H

#include "../frontend/compdb.h"
#include "../frontend/lower.h"

struct store;
struct fe_source;
struct la_buf;

typedef struct scan_opts {
	int jobs;         /* parallel workers */
	int timeout_s;    /* per TU; 0 = none */
	int full;         /* parse every TU, changed or not */
	int prune;        /* allow pruning more than half of the stored TUs */
	int verbose;      /* print each TU as it is stored */
	/* contents to parse (a git revision); NULL: the file system */
	const struct fe_source *source;
	/* TUs done / total on a terminal (src/util/progress.h); NULL: none */
	struct la_progress *progress;
} scan_opts;

typedef struct scan_stats {
	int ntus, ok, failed, skipped, pruned;
	double secs;
	long max_rss_kb;
	int funcs, funcs_dup, accesses, calls, flows, asserts;
} scan_stats;

struct rules;
/* The frontend configuration for the rules (NULL: the built-in assertion
 * macros). */
void scan_config(const struct rules *r, fe_config *cfg);
/* The frontend configuration's salt of the TU fingerprints. Caller frees. */
char *scan_salt(const fe_config *cfg);

/* Scan the TUs of `db` into `s`: those whose fingerprint (arguments, salt,
 * contents of the files they included, read through opts->source) changed
 * are parsed again. `cfg` gives the assertion macros; its other fields are
 * set here. `root` shortens paths in messages. Returns LA_EINVAL when the
 * pruning would remove more than half of the stored TUs (st->pruned says how
 * many; nothing changed), another error code on a tool error; failed TUs are
 * counted in st->failed, not an error. */
int scan_run(struct store *s, const fe_compdb *db, const fe_config *cfg, const char *root,
	     const scan_opts *opts, scan_stats *st);

/* The diagnostic that says why a worker's TU failed (the fatal one, else the
 * first error), as FILE:LINE:COL: SEVERITY: MESSAGE appended to b; NULL if none. */
const char *scan_first_diag(const char *output, const char *root, struct la_buf *b);
/* lockaudit's own warnings in a worker's stream (an annotation it cannot
 * read), one `lockaudit: FILE:LINE:COL: warning: MESSAGE` line each on out:
 * how many. */
int scan_print_warnings(const char *output, const char *root, FILE *out);

#endif
