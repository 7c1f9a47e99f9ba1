/* The difference between the analysis results of two revisions (DESIGN.md
 * §9): findings by fingerprint, field accesses by (struct, field, file,
 * function, expression, access mode, ordinal) with the locks held there
 * (the `held` table), and lock-order edges. No line numbers in the keys: a
 * patch that moves code does not make everything change. */
#ifndef LA_AUDIT_DIFF_H
#define LA_AUDIT_DIFF_H

struct store;

typedef struct rd_finding {
	char *fingerprint, *check, *severity, *file, *func, *message;
	int line;
} rd_finding;

typedef struct rd_lock {
	char *cls;      /* lock class, "(irqs-off)", "(no path)" */
	char *mode;     /* shared, exclusive, recursive; NULL for "(no path)" */
	int must;       /* held on every path */
} rd_lock;

typedef struct rd_access {
	char *strct, *field, *file, *func, *expr, *mode;
	int line, col;
	rd_lock *locks;   /* sorted, distinct */
	int nlocks;
} rd_access;

typedef struct rd_edge {
	char *from, *to;
} rd_edge;

/* The results of one revision. */
typedef struct rd_set {
	rd_finding *findings;
	int nfindings;
	rd_access *accesses;
	int naccesses;
	rd_edge *edges;
	int nedges;
} rd_set;

/* An access whose held locks changed (both set), or that appeared (before
 * NULL) or disappeared (after NULL). */
typedef struct rd_change {
	rd_access *before, *after;
} rd_change;

/* A field whose share of accesses under some lock (held on every path)
 * changed: per class, how many of its accesses were and are under it. */
typedef struct rd_share_lock {
	char *cls;
	int before, after;
} rd_share_lock;

typedef struct rd_share {
	char *strct, *field;
	int before_total, after_total;
	rd_share_lock *locks;   /* the classes whose share changed, sorted */
	int nlocks;
} rd_share;

typedef struct rd_diff {
	rd_finding **added, **resolved;
	int nadded, nresolved;
	rd_change *changes;     /* sorted by struct, field, file, function */
	int nchanges;
	rd_edge **edges_added, **edges_removed;
	int nedges_added, nedges_removed;
	rd_share *shares;       /* sorted by struct and field */
	int nshares;
} rd_diff;

struct rules;
/* Read an analysed database: the findings `check` shows by default with
 * these rules (checks on, not ignored, not suppressed in the source), the
 * accesses and the lock order; `root` makes paths relative (may be NULL). */
int rd_load(struct store *s, const char *root, const struct rules *r, rd_set *out);
void rd_set_free(rd_set *set);
/* Compare two sets. The diff holds copies of what differs: the sets may be
 * freed before it (an audit keeps two revisions in memory, not all). */
void rd_compare(const rd_set *before, const rd_set *after, rd_diff *out);
void rd_diff_free(rd_diff *d);
/* 1 when both lock lists are the same. */
int rd_locks_equal(const rd_access *a, const rd_access *b);
/* 1 when `l` is in the locks of `a` (class, mode and must all equal). */
int rd_has_lock(const rd_access *a, const rd_lock *l);

#endif
