/* Git plumbing for `audit`: each function runs `git` (no libgit2) in a
 * repository and reads its output; a failure returns LA_EIO (LA_ENOTFOUND
 * for a missing object) with git's own message and the command run. The
 * work tree and the index are never written. */
#ifndef LA_GIT_H
#define LA_GIT_H

#include <stddef.h>

struct la_buf;
struct fe_source;

/* Run `git -C REPO ARGV...` (ARGV NULL-terminated), appending its standard
 * output to `out`. Exit status 0 is LA_OK; else the error names the command
 * and quotes git's standard error. */
int git_run(const char *repo, const char *const *argv, struct la_buf *out);

/* The same with variables ENV ("NAME=value", NULL-terminated; may be NULL)
 * added to git's environment and its standard input read from the file IN
 * (NULL: /dev/null). */
int git_run_env(const char *repo, const char *const *env, const char *in, const char *const *argv,
		struct la_buf *out);

/* The patches of MBOX (git format-patch, b4) as commits on BASE (NULL: the
 * mbox's "base-commit:" line), made in a scratch bare repository in
 * SCRATCH (an empty directory) that borrows the objects of TOP's
 * repository: nothing is written to TOP's repository or work tree. The
 * commits are made visible to every git command this process runs next
 * (GIT_ALTERNATE_OBJECT_DIRECTORIES). Patches without a diff (a cover
 * letter) are skipped; one that does not apply is an error naming it.
 * *base_out and *ids (*n, oldest first, NULL-terminated): caller frees. */
int git_mbox_apply(const char *top, const char *mbox, const char *base, const char *scratch, char **base_out,
		   char ***ids, int *n);

/* The top directory of the work tree that holds DIR (absolute). Caller frees. */
int git_toplevel(const char *dir, char **top);
/* The full commit id REV names. Caller frees. */
int git_commit_id(const char *repo, const char *rev, char **id);
/* The commits of BASE..TIP, oldest first (reverse topological order);
 * *ids is NULL-terminated, *n its length. Caller frees each and the array. */
int git_rev_list(const char *repo, const char *base, const char *tip, char ***ids, int *n);
/* The subject line of a commit. Caller frees. */
int git_subject(const char *repo, const char *commit, char **subject);
/* A file's contents at a commit (PATH relative to the top directory):
 * LA_ENOTFOUND when the commit has no such file. */
int git_show_file(const char *repo, const char *commit, const char *path, struct la_buf *out);
/* The content source of commit REV for the work tree at TOP: every file
 * that differs between the work tree and REV (`git diff --name-status REV`,
 * so uncommitted changes are undone too) overlaid with its contents at REV,
 * or marked absent. Untracked files are not in it (the disk has them). */
int git_revision_source(const char *top, const char *rev, struct fe_source *out);

#endif
