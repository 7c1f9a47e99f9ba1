#include "git.h"
#include "../frontend/source.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* "git -C REPO a b c" for messages */
static void describe(la_buf *b, const char *repo, const char *const *argv)
{
	la_buf_printf(b, "git -C %s", repo);
	for (int i = 0; argv[i]; i++)
		la_buf_printf(b, " %s", argv[i]);
}

/* Read both pipes until both close: git may fill either first. */
static void drain(int outfd, int errfd, la_buf *out, la_buf *err)
{
	struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
	la_buf *dst[2] = { out, err };
	int open_fds = 2;
	char chunk[65536];
	while (open_fds > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(p[i].fd, chunk, sizeof(chunk));
			if (n > 0) {
				la_buf_put(dst[i], chunk, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			}
		}
	}
}

int git_run(const char *repo, const char *const *argv, la_buf *out)
{
	return git_run_env(repo, NULL, NULL, argv, out);
}

int git_run_env(const char *repo, const char *const *env, const char *in, const char *const *argv, la_buf *out)
{
	int po[2], pe[2];
	if (pipe(po) != 0)
		return la_error_code(LA_EIO, "cannot run git: %s", strerror(errno));
	if (pipe(pe) != 0) {
		close(po[0]);
		close(po[1]);
		return la_error_code(LA_EIO, "cannot run git: %s", strerror(errno));
	}
	int argc = 0;
	while (argv[argc])
		argc++;
	const char **full = xcalloc((size_t)argc + 4, sizeof(*full));
	full[0] = "git";
	full[1] = "-C";
	full[2] = repo;
	memcpy(full + 3, argv, sizeof(*argv) * (size_t)argc);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		int fd = open(in ? in : "/dev/null", O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "%s: %s\n", in, strerror(errno));
			_exit(127);
		}
		dup2(fd, 0);
		for (int i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		/* never a pager, a prompt or a lock on the index */
		setenv("GIT_PAGER", "cat", 1);
		setenv("GIT_TERMINAL_PROMPT", "0", 1);
		setenv("GIT_OPTIONAL_LOCKS", "0", 1);
		execvp("git", (char *const *)full);
		fprintf(stderr, "cannot run git: %s\n", strerror(errno));
		_exit(127);
	}
	free(full);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return la_error_code(LA_EIO, "cannot run git: %s", strerror(errno));
	}
	la_buf err = LA_BUF_INIT;
	drain(po[0], pe[0], out, &err);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int rc = LA_OK;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		la_buf cmd = LA_BUF_INIT;
		describe(&cmd, repo, argv);
		while (err.len && (err.ptr[err.len - 1] == '\n' || err.ptr[err.len - 1] == '\r'))
			err.ptr[--err.len] = 0;
		rc = la_error_code(LA_EIO, "`%s` failed (%s %d)%s%s", cmd.ptr,
				   WIFEXITED(status) ? "exit status" : "signal",
				   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
				   err.len ? ": " : "", err.len ? err.ptr : "");
		la_buf_free(&cmd);
	}
	la_buf_free(&err);
	return rc;
}

/* The output's first line, without its newline. */
static int first_line(const char *repo, const char *const *argv, char **line)
{
	la_buf b = LA_BUF_INIT;
	int err = git_run(repo, argv, &b);
	if (err < 0) {
		la_buf_free(&b);
		return err;
	}
	la_buf_putc(&b, 0);
	char *nl = strchr(b.ptr, '\n');
	if (nl)
		*nl = 0;
	*line = la_buf_detach(&b);
	return LA_OK;
}

int git_toplevel(const char *dir, char **top)
{
	const char *argv[] = { "rev-parse", "--show-toplevel", NULL };
	int err = first_line(dir, argv, top);
	if (err >= 0 && !**top) {
		free(*top);
		return la_error_code(LA_EINVAL, "%s: not in a git work tree", dir);
	}
	return err;
}

int git_commit_id(const char *repo, const char *rev, char **id)
{
	la_buf spec = LA_BUF_INIT;
	la_buf_printf(&spec, "%s^{commit}", rev);
	const char *argv[] = { "rev-parse", "--verify", "--quiet", "--end-of-options", spec.ptr, NULL };
	int err = first_line(repo, argv, id);
	if (err < 0 || !**id) {
		if (err >= 0)
			free(*id);
		err = la_error_code(LA_ENOTFOUND, "%s: no commit named '%s'", repo, rev);
	}
	la_buf_free(&spec);
	return err;
}

int git_rev_list(const char *repo, const char *base, const char *tip, char ***ids, int *n)
{
	la_buf range = LA_BUF_INIT, b = LA_BUF_INIT;
	la_buf_printf(&range, "%s..%s", base, tip);
	const char *argv[] = { "rev-list", "--reverse", "--topo-order", range.ptr, "--", NULL };
	int err = git_run(repo, argv, &b);
	la_buf_free(&range);
	*ids = NULL;
	*n = 0;
	if (err < 0) {
		la_buf_free(&b);
		return err;
	}
	int cap = 0;
	char *save = NULL;
	la_buf_putc(&b, 0);
	for (char *l = strtok_r(b.ptr, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		LA_VEC_PUSH(*ids, *n, cap);
		(*ids)[(*n)++] = xstrdup(l);
	}
	LA_VEC_PUSH(*ids, *n, cap);
	(*ids)[*n] = NULL;
	la_buf_free(&b);
	return LA_OK;
}

int git_subject(const char *repo, const char *commit, char **subject)
{
	const char *argv[] = { "log", "-1", "--format=%s", commit, "--", NULL };
	return first_line(repo, argv, subject);
}

int git_show_file(const char *repo, const char *commit, const char *path, la_buf *out)
{
	la_buf spec = LA_BUF_INIT;
	la_buf_printf(&spec, "%s:%s", commit, path);
	const char *argv[] = { "cat-file", "blob", spec.ptr, NULL };
	int err = git_run(repo, argv, out);
	if (err < 0) {
		/* absent, or a real failure: ask which */
		la_buf ign = LA_BUF_INIT;
		const char *exists[] = { "cat-file", "-e", spec.ptr, NULL };
		char why[1024];
		snprintf(why, sizeof(why), "%s", la_error_last());
		if (git_run(repo, exists, &ign) < 0)
			err = la_error_code(LA_ENOTFOUND, "%s: no %s in commit %s", repo, path, commit);
		else
			err = la_error_code(LA_EIO, "%s", why);
		la_buf_free(&ign);
	}
	la_buf_free(&spec);
	return err;
}

int git_revision_source(const char *top, const char *rev, fe_source *out)
{
	la_buf label = LA_BUF_INIT, b = LA_BUF_INIT;
	la_buf_printf(&label, "revision %.12s", rev);
	fe_source_init(out, label.ptr);
	la_buf_free(&label);
	/* from REV to the work tree: 'A' is a file REV does not have */
	const char *argv[] = { "diff", "--no-renames", "--no-ext-diff", "--ignore-submodules", "--name-status", "-z",
			       rev, "--", NULL };
	int err = git_run(top, argv, &b);
	la_buf_putc(&b, 0);
	char *p = b.ptr, *end = b.ptr + b.len - 1;
	while (err >= 0 && p < end) {
		char status = p[0];
		p += strlen(p) + 1;
		if (p >= end)
			break;
		const char *rel = p;
		p += strlen(p) + 1;
		la_buf path = LA_BUF_INIT;
		la_buf_printf(&path, "%s/%s", top, rel);
		if (status == 'A') {
			fe_source_add(out, path.ptr, NULL, 0);
		} else {
			la_buf data = LA_BUF_INIT;
			err = git_show_file(top, rev, rel, &data);
			if (err == LA_ENOTFOUND) {
				fe_source_add(out, path.ptr, NULL, 0);
				err = LA_OK;
			} else if (err >= 0) {
				size_t len = data.len;
				la_buf_putc(&data, 0);   /* an empty file still has contents */
				fe_source_add(out, path.ptr, la_buf_detach(&data), len);
			}
			la_buf_free(&data);
		}
		la_buf_free(&path);
	}
	la_buf_free(&b);
	if (err < 0) {
		fe_source_free(out);
		return err;
	}
	fe_source_seal(out);
	return LA_OK;
}
