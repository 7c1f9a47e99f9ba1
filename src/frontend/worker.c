#include "worker.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct running {
	pid_t pid;
	int index;
	char *path;     /* the worker's output file */
	double start;
} running;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Test hook (like git's GIT_TEST_*): LOCKAUDIT_TEST_WORKER=crash:NAME or
 * hang:NAME makes the worker for a file ending in NAME misbehave, so the
 * crash and timeout paths are tested for real. */
static void test_fault(const fe_tu_cmd *tu)
{
	const char *spec = getenv("LOCKAUDIT_TEST_WORKER");
	if (!spec)
		return;
	const char *colon = strchr(spec, ':');
	if (!colon)
		return;
	size_t fl = strlen(tu->file), nl = strlen(colon + 1);
	if (nl > fl || strcmp(tu->file + fl - nl, colon + 1) != 0)
		return;
	if (strncmp(spec, "crash:", 6) == 0)
		raise(SIGSEGV);
	if (strncmp(spec, "hang:", 5) == 0)
		for (;;)
			pause();
}

static void child(const fe_tu_cmd *tu, const fe_config *cfg, const char *path, int timeout_s, pid_t parent)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* a scan killed with -9 cannot stop its workers: they stop with it.
	 * The parent may have died before the call: then it is not ours. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(122);
	if (timeout_s > 0)
		alarm((unsigned)timeout_s);
	FILE *out = fopen(path, "w");
	if (!out)
		_exit(120);
	/* relative -I and -include paths are relative to the entry's directory */
	if (chdir(tu->directory) != 0) {
		fprintf(out, "(lair 1)\n(diag \"fatal\" \"\" 0 0 \"cannot enter directory %s\")\n"
			"(status failed)\n(done)\n", tu->directory);
		fclose(out);
		_exit(0);
	}
	test_fault(tu);
	int err = fe_lower_tu(tu, cfg, out);
	if (fclose(out) != 0 || err < 0)
		_exit(121);
	_exit(0);
}

static int finish(running *r, int status, struct rusage *ru, fe_tu_cmd *const *tus,
		  fe_job_done_fn done, void *ctx)
{
	fe_job_result res;
	memset(&res, 0, sizeof(res));
	res.tu = tus[r->index];
	res.rss_kb = ru->ru_maxrss;
	res.wall_ms = now_ms() - r->start;
	la_buf out = LA_BUF_INIT;
	if (la_buf_read_file(&out, r->path) < 0)
		la_buf_put(&out, "", 0);
	unlink(r->path);
	res.output = out.ptr;
	res.len = out.len;
	if (WIFSIGNALED(status)) {
		res.signal = WTERMSIG(status);
		res.status = res.signal == SIGALRM ? FE_JOB_TIMEOUT : FE_JOB_CRASH;
	} else if (WEXITSTATUS(status) != 0) {
		res.exit_code = WEXITSTATUS(status);
		res.status = FE_JOB_CRASH;
	} else {
		res.status = FE_JOB_OK;
	}
	int rc = done(ctx, &res);
	la_buf_free(&out);
	return rc;
}

int fe_run_workers(fe_tu_cmd *const *tus, int n, const fe_config *cfg, const fe_pool_opts *opts,
		   fe_job_done_fn done, void *ctx)
{
	int jobs = opts->jobs > 0 ? opts->jobs : 1;
	running *run = xcalloc((size_t)jobs, sizeof(*run));
	const char *tmpenv = getenv("TMPDIR");
	la_buf dirb = LA_BUF_INIT;
	la_buf_printf(&dirb, "%s/lockaudit-XXXXXX", tmpenv && *tmpenv ? tmpenv : "/tmp");
	char *dir = mkdtemp(dirb.ptr);
	if (!dir) {
		int err = la_error_code(LA_EIO, "%s: cannot create a temporary directory: %s", dirb.ptr,
					strerror(errno));
		la_buf_free(&dirb);
		free(run);
		return err;
	}
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	interrupted = 0;
	fflush(NULL);   /* children must not flush the parent's buffers */

	int next = 0, nrun = 0, err = LA_OK;
	while ((next < n && err >= 0 && !interrupted) || nrun > 0) {
		while (next < n && nrun < jobs && err >= 0 && !interrupted) {
			running *r = NULL;
			for (int i = 0; i < jobs; i++)
				if (!run[i].pid) {
					r = &run[i];
					break;
				}
			r->index = next++;
			la_buf p = LA_BUF_INIT;
			la_buf_printf(&p, "%s/tu-%d.lair", dir, r->index);
			r->path = la_buf_detach(&p);
			r->start = now_ms();
			pid_t parent = getpid();
			pid_t pid = fork();
			if (pid == 0)
				child(tus[r->index], cfg, r->path, opts->timeout_s, parent);
			if (pid < 0) {
				fe_job_result res;
				memset(&res, 0, sizeof(res));
				res.tu = tus[r->index];
				res.status = FE_JOB_SPAWN;
				if (done(ctx, &res) < 0)
					err = LA_ERR;
				free(r->path);
				r->path = NULL;
				continue;
			}
			r->pid = pid;
			nrun++;
		}
		if (!nrun)
			break;
		int status;
		struct rusage ru;
		pid_t pid = wait4(-1, &status, 0, &ru);
		if (pid < 0) {
			if (errno == EINTR) {
				if (interrupted)
					for (int i = 0; i < jobs; i++)
						if (run[i].pid)
							kill(run[i].pid, SIGTERM);
				continue;
			}
			err = la_error_code(LA_EIO, "waiting for workers: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < jobs; i++) {
			if (run[i].pid != pid)
				continue;
			nrun--;
			run[i].pid = 0;
			if (interrupted)
				unlink(run[i].path);
			else if (finish(&run[i], status, &ru, tus, done, ctx) < 0 && err >= 0)
				err = LA_ERR;
			free(run[i].path);
			run[i].path = NULL;
			break;
		}
	}
	rmdir(dir);
	la_buf_free(&dirb);
	free(run);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (interrupted && err >= 0)
		err = la_error_code(LA_ERR, "interrupted; the database keeps every TU stored so far");
	return err;
}
