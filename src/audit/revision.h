/* The analysed database of one git revision, kept in a cache directory
 * (DESIGN.md §9): CACHE/<commit>-<key>.db, where the key covers the
 * lockaudit and analysis versions, the rules' hash, the frontend
 * configuration and the compile database. A revision not in the cache
 * starts from a copy of the previous revision's database and parses again
 * only the TUs whose main file or included files differ, their contents
 * read from git objects (the work tree is not touched). */
#ifndef LA_AUDIT_REVISION_H
#define LA_AUDIT_REVISION_H

#include "../frontend/compdb.h"
#include "../frontend/lower.h"
#include "../rules/rules.h"
#include "../scan/scan.h"

typedef struct audit_env {
	const char *top;          /* the git work tree's top directory */
	const fe_compdb *db;      /* the work tree's compile database */
	const char *root;         /* its directory (absolute) */
	const rules *rules;
	fe_config cfg;            /* assertion macros */
	int jobs, timeout_s, verbose;
	const char *cache_dir;
	char key[17];             /* set by audit_env_init */
	struct la_progress *progress;   /* TUs parsed, on a terminal; NULL: none */
} audit_env;

/* Compute the cache key and create the cache directory. */
int audit_env_init(audit_env *e);

typedef struct audit_rev_stats {
	int reused;        /* found in the cache */
	scan_stats scan;   /* when not reused */
	double analyse_s;
	int analysis_kept; /* no fact changed: the previous revision's analysis stands */
} audit_rev_stats;

/* The database of COMMIT (a full id), made from PREV_DB (the previous
 * revision's, or NULL: every TU is parsed) when not cached. *dbpath is the
 * cached file; caller frees. */
int audit_revision(const audit_env *e, const char *commit, const char *prev_db, char **dbpath,
		   audit_rev_stats *st);

/* The default cache directory: $XDG_CACHE_HOME/lockaudit/audit, else
 * $HOME/.cache/lockaudit/audit. Caller frees. */
char *audit_default_cache_dir(void);

#endif
