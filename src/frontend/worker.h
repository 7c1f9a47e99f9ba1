/* One worker process per TU (DESIGN.md §3): a crash or a timeout costs that
 * TU only. Workers write their TU stream to a temporary file; the parent
 * stores it as each one finishes. */
#ifndef LA_WORKER_H
#define LA_WORKER_H

#include <stddef.h>

#include "compdb.h"
#include "lower.h"

typedef enum fe_job_status {
	FE_JOB_OK,        /* exited 0 with complete output */
	FE_JOB_CRASH,     /* killed by a signal, or exited non-zero */
	FE_JOB_TIMEOUT,   /* ran past the per-TU timeout */
	FE_JOB_SPAWN      /* could not start (fork or temp file failed) */
} fe_job_status;

typedef struct fe_job_result {
	const fe_tu_cmd *tu;
	fe_job_status status;
	int signal;        /* FE_JOB_CRASH by signal */
	int exit_code;     /* FE_JOB_CRASH by exit */
	long rss_kb;       /* peak resident set of the worker */
	double wall_ms;
	char *output;      /* what the worker wrote (may be partial), NUL-terminated */
	size_t len;
} fe_job_result;

/* Called in the parent as each worker ends; a negative return stops the run. */
typedef int (*fe_job_done_fn)(void *ctx, const fe_job_result *r);

typedef struct fe_pool_opts {
	int jobs;          /* parallel workers */
	int timeout_s;     /* per TU; 0 = none */
} fe_pool_opts;

int fe_run_workers(fe_tu_cmd *const *tus, int n, const fe_config *cfg, const fe_pool_opts *opts,
		   fe_job_done_fn done, void *ctx);

#endif
