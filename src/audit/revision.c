#include "revision.h"
#include "../frontend/source.h"
#include "../git/git.h"
#include "../lockgraph/results.h"
#include "../scan/analyse.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "../util/version.h"
#include "../util/xalloc.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int err = LA_OK;
	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c != '/' && c != 0)
			continue;
		*s = 0;
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			err = la_error_code(LA_EIO, "%s: cannot create the cache directory: %s", p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return err;
}

char *audit_default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	la_buf b = LA_BUF_INIT;
	if (xdg && *xdg == '/')
		la_buf_printf(&b, "%s/lockaudit/audit", xdg);
	else
		la_buf_printf(&b, "%s/.cache/lockaudit/audit", home && *home ? home : "/tmp");
	return la_buf_detach(&b);
}

int audit_env_init(audit_env *e)
{
	char *salt = scan_salt(&e->cfg);
	uint64_t h = la_hash_str(LA_HASH_INIT, LOCKAUDIT_VERSION);
	h = la_hash_str(h, LK_ANALYSIS_VERSION);
	h = la_hash_str(h, e->rules->hash);
	h = la_hash_str(h, salt);
	free(salt);
	for (int i = 0; i < e->db->ntus; i++) {
		const fe_tu_cmd *tu = &e->db->tus[i];
		h = la_hash_str(h, tu->directory);
		h = la_hash_str(h, tu->file);
		for (int j = 0; j < tu->argc; j++)
			h = la_hash_str(h, tu->argv[j]);
	}
	la_hash_hex(h, e->key);
	return make_dirs(e->cache_dir);
}

/* 1 when the stored analysis is of these facts, these rules and this
 * lockaudit: a commit that changes no TU (documentation, tools) needs none. */
static int analysis_current(store *s, const rules *r)
{
	static const char *const keys[] = { "facts_generation", "analysis_facts", "analysis_rules_hash",
					     "analysis_version" };
	char *v[4] = { NULL, NULL, NULL, NULL };
	for (int i = 0; i < 4; i++)
		store_meta_get(s, keys[i], &v[i]);
	int current = v[0] && v[1] && v[2] && v[3] && strcmp(v[0], v[1]) == 0 && strcmp(v[2], r->hash) == 0 &&
		      strcmp(v[3], LK_ANALYSIS_VERSION) == 0;
	for (int i = 0; i < 4; i++)
		free(v[i]);
	return current;
}

/* Scan REV's contents into the database at PATH and analyse it. */
static int build(const audit_env *e, const char *commit, const char *path, audit_rev_stats *st)
{
	fe_source src;
	int err = git_revision_source(e->top, commit, &src);
	if (err < 0)
		return err;
	store *s;
	if ((err = store_open(path, STORE_OPEN_CREATE, &s)) < 0) {
		fe_source_free(&src);
		return err;
	}
	/* a revision's compile database may name files it does not have: prune freely */
	scan_opts so = { e->jobs, e->timeout_s, 0, 1, e->verbose, &src, e->progress };
	err = scan_run(s, e->db, &e->cfg, e->root, &so, &st->scan);
	st->analysis_kept = err >= 0 && analysis_current(s, e->rules);
	if (err >= 0 && !st->analysis_kept) {
		double t0 = now_s();
		lk_report rep;
		int stored, shown;
		err = scan_analyse(s, e->rules, &rep, &stored, &shown);
		st->analyse_s = now_s() - t0;
	}
	if (err >= 0)
		err = store_meta_set(s, "audit_commit", commit);
	/* a cached database is only read from now on: without WAL, reading it
	 * leaves no -wal and -shm files beside it */
	if (err >= 0)
		err = store_exec(s, "PRAGMA journal_mode=DELETE");
	store_close(s);
	fe_source_free(&src);
	malloc_trim(0);   /* the analysis's heap: workers forked next need not carry it */
	return err;
}

int audit_revision(const audit_env *e, const char *commit, const char *prev_db, char **dbpath,
		   audit_rev_stats *st)
{
	memset(st, 0, sizeof(*st));
	la_buf path = LA_BUF_INIT, tmp = LA_BUF_INIT;
	la_buf_printf(&path, "%s/%s-%s.db", e->cache_dir, commit, e->key);
	*dbpath = NULL;
	if (access(path.ptr, F_OK) == 0) {
		st->reused = 1;
		*dbpath = la_buf_detach(&path);
		return LA_OK;
	}
	/* built under another name, renamed when complete: an interrupted
	 * audit leaves no half-made revision in the cache */
	la_buf_printf(&tmp, "%s.tmp%ld", path.ptr, (long)getpid());
	unlink(tmp.ptr);
	int err = LA_OK;
	if (prev_db) {
		store *prev;
		if ((err = store_open(prev_db, STORE_OPEN_READ, &prev)) >= 0) {
			err = store_copy(prev, tmp.ptr);
			store_close(prev);
		}
	}
	if (err >= 0)
		err = build(e, commit, tmp.ptr, st);
	if (err >= 0 && rename(tmp.ptr, path.ptr) != 0)
		err = la_error_code(LA_EIO, "%s: cannot rename to %s: %s", tmp.ptr, path.ptr, strerror(errno));
	if (err < 0) {
		la_error_prefix("commit %.12s: ", commit);
		static const char *const sfx[] = { "", "-wal", "-shm" };
		for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
			la_buf x = LA_BUF_INIT;
			la_buf_printf(&x, "%s%s", tmp.ptr, sfx[i]);
			unlink(x.ptr);
			la_buf_free(&x);
		}
		la_buf_free(&path);
	} else {
		*dbpath = la_buf_detach(&path);
	}
	la_buf_free(&tmp);
	return err;
}
