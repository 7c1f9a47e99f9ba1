/* A patch series from an mbox, applied without a work tree: git mailsplit
 * and mailinfo, then per patch read-tree, apply --cached, write-tree and
 * commit-tree with a scratch index in a scratch bare repository. */
#include "git.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The value of the mbox's "base-commit: ID" line (b4, format-patch --base). */
static int find_base(const char *mbox, char **base)
{
	la_buf text = LA_BUF_INIT;
	int err = la_buf_read_file(&text, mbox);
	if (err < 0) {
		la_buf_free(&text);
		return err;
	}
	for (const char *p = text.ptr; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, "base-commit: ", 13) == 0) {
			size_t n = strcspn(p + 13, " \r\n");
			*base = xstrndup(p + 13, n);
			la_buf_free(&text);
			return LA_OK;
		}
	}
	la_buf_free(&text);
	return la_error_code(LA_EINVAL, "%s: no \"base-commit:\" line; give the base with --base REV", mbox);
}

/* The "Key: value" line of mailinfo's output, or "". Caller frees. */
static char *info_field(const char *info, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = info; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && p[kl] == ':' && p[kl + 1] == ' ')
			return xstrndup(p + kl + 2, strcspn(p + kl + 2, "\n"));
	return xstrdup("");
}

/* One patch (the mailsplit file PATH) on PARENT: the new commit's id. */
static int apply_one(const char *git_dir, const char *scratch, const char *path, int nr, const char *parent,
		     char **id, int *skipped)
{
	la_buf msg = LA_BUF_INIT, patch = LA_BUF_INIT, info = LA_BUF_INIT, tree = LA_BUF_INIT;
	la_buf_printf(&msg, "%s/msg", scratch);
	la_buf_printf(&patch, "%s/patch", scratch);
	const char *mi[] = { "mailinfo", msg.ptr, patch.ptr, NULL };
	int err = git_run_env(git_dir, NULL, path, mi, &info);
	la_buf_putc(&info, 0);
	char *subject = info_field(info.ptr, "Subject"), *author = info_field(info.ptr, "Author");
	char *email = info_field(info.ptr, "Email"), *date = info_field(info.ptr, "Date");
	la_buf body = LA_BUF_INIT;
	*skipped = 0;
	if (err >= 0 && (la_buf_read_file(&body, patch.ptr) < 0 || body.len == 0)) {
		*skipped = 1;   /* a cover letter */
		goto out;
	}
	la_buf index = LA_BUF_INIT, e1 = LA_BUF_INIT, e2 = LA_BUF_INIT, e3 = LA_BUF_INIT, e4 = LA_BUF_INIT;
	la_buf_printf(&index, "GIT_INDEX_FILE=%s/index", scratch);
	la_buf_printf(&e1, "GIT_AUTHOR_NAME=%s", *author ? author : "unknown");
	la_buf_printf(&e2, "GIT_AUTHOR_EMAIL=%s", email);
	/* the committer date is the author's: the same mbox gives the same
	 * commit ids, so a second audit finds them in the cache */
	la_buf_printf(&e3, "GIT_AUTHOR_DATE=%s", date);
	la_buf_printf(&e4, "GIT_COMMITTER_DATE=%s", date);
	const char *env[] = { index.ptr, e1.ptr, e2.ptr, e3.ptr, e4.ptr, "GIT_COMMITTER_NAME=lockaudit",
			      "GIT_COMMITTER_EMAIL=lockaudit@localhost", NULL };
	const char *rt[] = { "read-tree", parent, NULL };
	const char *ap[] = { "apply", "--cached", patch.ptr, NULL };
	const char *wt[] = { "write-tree", NULL };
	la_buf ign = LA_BUF_INIT;
	if (err >= 0)
		err = git_run_env(git_dir, env, NULL, rt, &ign);
	if (err >= 0 && (err = git_run_env(git_dir, env, NULL, ap, &ign)) < 0)
		la_error_prefix("patch %d (%s) does not apply on %.12s: ", nr, subject, parent);
	if (err >= 0 && (err = git_run_env(git_dir, env, NULL, wt, &tree)) >= 0) {
		la_buf_putc(&tree, 0);
		tree.ptr[strcspn(tree.ptr, "\n")] = 0;
		const char *ct[] = { "commit-tree", tree.ptr, "-p", parent, "-m", subject, "-F", msg.ptr, NULL };
		la_buf out = LA_BUF_INIT;
		if ((err = git_run_env(git_dir, env, NULL, ct, &out)) >= 0) {
			la_buf_putc(&out, 0);
			out.ptr[strcspn(out.ptr, "\n")] = 0;
			*id = la_buf_detach(&out);
		}
		la_buf_free(&out);
	}
	la_buf_free(&ign);
	la_buf_free(&index);
	la_buf_free(&e1);
	la_buf_free(&e2);
	la_buf_free(&e3);
	la_buf_free(&e4);
out:
	free(subject);
	free(author);
	free(email);
	free(date);
	la_buf_free(&body);
	la_buf_free(&msg);
	la_buf_free(&patch);
	la_buf_free(&info);
	la_buf_free(&tree);
	return err;
}

int git_mbox_apply(const char *top, const char *mbox, const char *base, const char *scratch, char **base_out,
		   char ***ids, int *n)
{
	*ids = NULL;
	*n = 0;
	*base_out = NULL;
	char *base_rev = NULL, *objects = NULL;
	la_buf git_dir = LA_BUF_INIT, out = LA_BUF_INIT, parts = LA_BUF_INIT, alt = LA_BUF_INIT;
	int err = base ? LA_OK : find_base(mbox, &base_rev);
	if (err >= 0)
		err = git_commit_id(top, base ? base : base_rev, base_out);
	const char *od[] = { "rev-parse", "--path-format=absolute", "--git-common-dir", NULL };
	if (err >= 0 && (err = git_run(top, od, &out)) >= 0) {
		la_buf_putc(&out, 0);
		out.ptr[strcspn(out.ptr, "\n")] = 0;
		la_buf_printf(&alt, "%s/objects", out.ptr);
		objects = la_buf_detach(&alt);
	}
	la_buf_printf(&git_dir, "%s/repo.git", scratch);
	const char *init[] = { "init", "-q", "--bare", git_dir.ptr, NULL };
	la_buf_clear(&out);
	if (err >= 0)
		err = git_run(scratch, init, &out);
	if (err >= 0) {
		la_buf_printf(&alt, "%s/objects/info/alternates", git_dir.ptr);
		FILE *f = fopen(alt.ptr, "w");
		if (!f || fprintf(f, "%s\n", objects) < 0 || fclose(f) != 0)
			err = la_error_code(LA_EIO, "%s: cannot write", alt.ptr);
	}
	la_buf_printf(&parts, "-o%s/parts", scratch);
	const char *split[] = { "mailsplit", parts.ptr, mbox, NULL };
	la_buf_clear(&out);
	if (err >= 0) {
		la_buf_clear(&alt);
		la_buf_printf(&alt, "%s/parts", scratch);
		if (mkdir(alt.ptr, 0777) != 0)
			err = la_error_code(LA_EIO, "%s: %s", alt.ptr, strerror(errno));
	}
	if (err >= 0)
		err = git_run(git_dir.ptr, split, &out);
	int count = err >= 0 ? atoi(out.ptr ? out.ptr : "0") : 0;
	int cap = 0;
	char *parent = *base_out ? xstrdup(*base_out) : NULL;
	for (int i = 1; err >= 0 && i <= count; i++) {
		la_buf path = LA_BUF_INIT;
		la_buf_printf(&path, "%s/parts/%04d", scratch, i);
		char *id = NULL;
		int skipped;
		err = apply_one(git_dir.ptr, scratch, path.ptr, i, parent, &id, &skipped);
		la_buf_free(&path);
		if (err >= 0 && !skipped) {
			LA_VEC_PUSH(*ids, *n, cap);
			(*ids)[(*n)++] = id;
			free(parent);
			parent = xstrdup(id);
		}
	}
	free(parent);
	if (err >= 0 && !*n)
		err = la_error_code(LA_EINVAL, "%s: no patch in the mbox", mbox);
	if (err >= 0) {
		la_buf_clear(&alt);
		la_buf_printf(&alt, "%s/objects", git_dir.ptr);
		setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", alt.ptr, 1);
		LA_VEC_PUSH(*ids, *n, cap);
		(*ids)[*n] = NULL;
	} else {
		la_error_prefix("%s: ", mbox);
		for (int i = 0; i < *n; i++)
			free((*ids)[i]);
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	free(base_rev);
	free(objects);
	la_buf_free(&git_dir);
	la_buf_free(&out);
	la_buf_free(&parts);
	la_buf_free(&alt);
	return err;
}
