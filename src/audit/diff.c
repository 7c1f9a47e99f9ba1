#include "diff.h"
#include "../report/select.h"
#include "../store/finding_read.h"
#include "../store/store.h"
#include "../store/suppression.h"
#include "../util/error.h"
#include "../util/buf.h"
#include "../util/path.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static void access_free(rd_access *a);
static void rd_finding_free(rd_finding *f);

static int db_error(struct store *s, const char *what)
{
	return la_error_code(LA_EDB, "%s: %s", what, sqlite3_errmsg(store_db(s)));
}

/* The findings `check` shows by default: checks on, not ignored by the
 * rules, not suppressed in the source (the report selection decides). */
static int load_findings(struct store *s, const char *root, const struct rules *r, rd_set *out)
{
	finding_set fs;
	suppression_set sup;
	selection sel;
	memset(&fs, 0, sizeof(fs));
	memset(&sup, 0, sizeof(sup));
	memset(&sel, 0, sizeof(sel));
	int err = finding_read(s, FINDING_ORDER_LOCATION, &fs);
	if (err >= 0)
		err = suppression_read(s, root, &sup);
	select_opts o = { .rules = r, .suppressions = &sup };
	if (err >= 0)
		err = select_findings(&fs, &o, &sel);
	int cap = 0;
	for (int i = 0; err >= 0 && i < sel.n; i++) {
		const finding *f = sel.v[i].f;
		if (sel.v[i].ignored || sel.v[i].suppressed)
			continue;
		LA_VEC_PUSH(out->findings, out->nfindings, cap);
		rd_finding *d = &out->findings[out->nfindings++];
		d->fingerprint = xstrdup(f->fingerprint);
		d->check = xstrdup(f->check);
		d->severity = xstrdup(f->severity ? f->severity : "");
		d->file = xstrdup(f->file ? f->file : "");
		d->line = f->line;
		d->func = xstrdup(f->func ? f->func : "");
		d->message = xstrdup(f->message ? f->message : "");
	}
	selection_free(&sel);
	suppression_set_free(&sup);
	finding_set_free(&fs);
	return err;
}

static int load_edges(struct store *s, rd_set *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s), "SELECT DISTINCT from_class, to_class FROM lock_edge ORDER BY 1, 2", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(s, "reading the lock-order edges");
	int cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		LA_VEC_PUSH(out->edges, out->nedges, cap);
		out->edges[out->nedges].from = store_col_text(st, 0);
		out->edges[out->nedges++].to = store_col_text(st, 1);
	}
	sqlite3_finalize(st);
	return LA_OK;
}

static int lock_cmp(const rd_lock *a, const rd_lock *b)
{
	int c = strcmp(a->cls, b->cls);
	if (c)
		return c;
	c = strcmp(a->mode ? a->mode : "", b->mode ? b->mode : "");
	return c ? c : b->must - a->must;
}

static int lock_qcmp(const void *a, const void *b)
{
	return lock_cmp(a, b);
}

/* `&o->lock` passed to a lock primitive is an access of the field obj.lock:
 * it says where locks are taken, not how data is protected. Drop address
 * accesses of fields that are lock classes somewhere in the results. */
static void drop_lock_operands(rd_set *out)
{
	la_strset classes = LA_STRSET_INIT;
	for (int i = 0; i < out->naccesses; i++)
		for (int j = 0; j < out->accesses[i].nlocks; j++)
			la_strset_add(&classes, out->accesses[i].locks[j].cls);
	la_buf key = LA_BUF_INIT;
	int k = 0;
	for (int i = 0; i < out->naccesses; i++) {
		rd_access *a = &out->accesses[i];
		la_buf_clear(&key);
		la_buf_printf(&key, "%s.%s", a->strct, a->field);
		if (strcmp(a->mode, "addr") == 0 && la_strset_has(&classes, key.ptr)) {
			access_free(a);
			continue;
		}
		out->accesses[k++] = *a;
	}
	out->naccesses = k;
	la_buf_free(&key);
	la_strset_free(&classes);
}

/* One row per access and held lock (NULL class: none held). */
static int load_accesses(struct store *s, const char *root, rd_set *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store_db(s),
			       "SELECT a.id, a.struct, a.field, f.path, fn.name, a.expr, a.mode, a.line, a.col, "
			       "h.class, h.mode, h.must FROM access a JOIN func fn ON fn.id = a.func_id "
			       "JOIN file f ON f.id = a.file_id LEFT JOIN held h ON h.func_id = a.func_id "
			       "AND h.block = a.block AND h.idx = a.idx ORDER BY a.id", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "reading the accesses and held locks");
	int cap = 0, lcap = 0;
	sqlite3_int64 last = -1;
	rd_access *a = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (id != last) {
			LA_VEC_PUSH(out->accesses, out->naccesses, cap);
			a = &out->accesses[out->naccesses++];
			memset(a, 0, sizeof(*a));
			a->strct = store_col_text(st, 1);
			a->field = store_col_text(st, 2);
			const char *path = (const char *)sqlite3_column_text(st, 3);
			a->file = xstrdup(la_display_path(root, path ? path : ""));
			a->func = store_col_text(st, 4);
			a->expr = store_col_text(st, 5);
			a->mode = store_col_text(st, 6);
			a->line = sqlite3_column_int(st, 7);
			a->col = sqlite3_column_int(st, 8);
			last = id;
			lcap = 0;
		}
		if (sqlite3_column_type(st, 9) == SQLITE_NULL)
			continue;
		LA_VEC_PUSH(a->locks, a->nlocks, lcap);
		rd_lock *l = &a->locks[a->nlocks++];
		l->cls = store_col_text(st, 9);
		l->mode = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL : store_col_text(st, 10);
		l->must = sqlite3_column_int(st, 11);
	}
	sqlite3_finalize(st);
	drop_lock_operands(out);
	/* one entry per class, mode and must (instances differ by naming only) */
	for (int i = 0; i < out->naccesses; i++) {
		rd_access *x = &out->accesses[i];
		if (x->nlocks > 1)
			qsort(x->locks, (size_t)x->nlocks, sizeof(rd_lock), lock_qcmp);
		int k = 0;
		for (int j = 0; j < x->nlocks; j++) {
			if (k && lock_cmp(&x->locks[k - 1], &x->locks[j]) == 0) {
				free(x->locks[j].cls);
				free(x->locks[j].mode);
				continue;
			}
			x->locks[k++] = x->locks[j];
		}
		x->nlocks = k;
	}
	return LA_OK;
}

/* the key of an access: everything but its position */
static int access_key_cmp(const rd_access *a, const rd_access *b)
{
	int c;
	if ((c = strcmp(a->strct, b->strct)) || (c = strcmp(a->field, b->field)) || (c = strcmp(a->file, b->file)) ||
	    (c = strcmp(a->func, b->func)) || (c = strcmp(a->expr, b->expr)) || (c = strcmp(a->mode, b->mode)))
		return c;
	return 0;
}

static int access_qcmp(const void *pa, const void *pb)
{
	const rd_access *a = pa, *b = pb;
	int c = access_key_cmp(a, b);
	if (c)
		return c;
	return a->line != b->line ? (a->line < b->line ? -1 : 1) : (a->col > b->col) - (a->col < b->col);
}

static int finding_qcmp(const void *a, const void *b)
{
	return strcmp(((const rd_finding *)a)->fingerprint, ((const rd_finding *)b)->fingerprint);
}

int rd_load(struct store *s, const char *root, const struct rules *r, rd_set *out)
{
	memset(out, 0, sizeof(*out));
	int err = load_findings(s, root, r, out);
	if (err >= 0)
		err = load_edges(s, out);
	if (err >= 0)
		err = load_accesses(s, root, out);
	if (err < 0) {
		rd_set_free(out);
		return err;
	}
	if (out->nfindings)
		qsort(out->findings, (size_t)out->nfindings, sizeof(rd_finding), finding_qcmp);
	if (out->naccesses)
		qsort(out->accesses, (size_t)out->naccesses, sizeof(rd_access), access_qcmp);
	return LA_OK;
}

void rd_set_free(rd_set *set)
{
	for (int i = 0; i < set->nfindings; i++)
		rd_finding_free(&set->findings[i]);
	for (int i = 0; i < set->naccesses; i++)
		access_free(&set->accesses[i]);
	for (int i = 0; i < set->nedges; i++) {
		free(set->edges[i].from);
		free(set->edges[i].to);
	}
	free(set->findings);
	free(set->accesses);
	free(set->edges);
	memset(set, 0, sizeof(*set));
}

int rd_locks_equal(const rd_access *a, const rd_access *b)
{
	if (a->nlocks != b->nlocks)
		return 0;
	for (int i = 0; i < a->nlocks; i++)
		if (lock_cmp(&a->locks[i], &b->locks[i]))
			return 0;
	return 1;
}

int rd_has_lock(const rd_access *a, const rd_lock *l)
{
	for (int i = 0; i < a->nlocks; i++)
		if (lock_cmp(&a->locks[i], l) == 0)
			return 1;
	return 0;
}

static rd_access *access_dup(const rd_access *a)
{
	if (!a)
		return NULL;
	rd_access *c = xmalloc(sizeof(*c));
	*c = (rd_access){ xstrdup(a->strct), xstrdup(a->field), xstrdup(a->file), xstrdup(a->func),
			  xstrdup(a->expr), xstrdup(a->mode), a->line, a->col, NULL, a->nlocks };
	c->locks = xcalloc((size_t)a->nlocks + 1, sizeof(rd_lock));
	for (int i = 0; i < a->nlocks; i++)
		c->locks[i] = (rd_lock){ xstrdup(a->locks[i].cls), a->locks[i].mode ? xstrdup(a->locks[i].mode) : NULL,
					 a->locks[i].must };
	return c;
}

static void access_free(rd_access *a)
{
	if (!a)
		return;
	free(a->strct);
	free(a->field);
	free(a->file);
	free(a->func);
	free(a->expr);
	free(a->mode);
	for (int j = 0; j < a->nlocks; j++) {
		free(a->locks[j].cls);
		free(a->locks[j].mode);
	}
	free(a->locks);
}

static rd_finding *finding_dup(const rd_finding *f)
{
	rd_finding *c = xmalloc(sizeof(*c));
	*c = (rd_finding){ xstrdup(f->fingerprint), xstrdup(f->check), xstrdup(f->severity), xstrdup(f->file),
			   xstrdup(f->func), xstrdup(f->message), f->line };
	return c;
}

static void rd_finding_free(rd_finding *f)
{
	free(f->fingerprint);
	free(f->check);
	free(f->severity);
	free(f->file);
	free(f->func);
	free(f->message);
}

static rd_edge *edge_dup(const rd_edge *e)
{
	rd_edge *c = xmalloc(sizeof(*c));
	*c = (rd_edge){ xstrdup(e->from), xstrdup(e->to) };
	return c;
}


/* One merge of two sorted arrays serves the three kinds of results:
 * `gone` for an element of A only, `came` for one of B only, `both` for a
 * pair (equal keys pair in order: the k-th access of `o->count` in f()
 * before with the k-th after). */
typedef struct merge_ops {
	size_t size;
	int (*cmp)(const void *a, const void *b);
	void (*gone)(rd_diff *d, const void *a);
	void (*came)(rd_diff *d, const void *b);
	void (*both)(rd_diff *d, const void *a, const void *b);
} merge_ops;

static void merge(const void *a, int na, const void *b, int nb, const merge_ops *m, rd_diff *d)
{
	const char *pa = a, *pb = b;
	int i = 0, j = 0;
	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 : m->cmp(pa + (size_t)i * m->size, pb + (size_t)j * m->size);
		if (c < 0) {
			m->gone(d, pa + (size_t)i++ * m->size);
		} else if (c > 0) {
			m->came(d, pb + (size_t)j++ * m->size);
		} else {
			if (m->both)
				m->both(d, pa + (size_t)i * m->size, pb + (size_t)j * m->size);
			i++;
			j++;
		}
	}
}

/* Append to an array whose capacity is the power of two at or above its
 * length (no capacity field: the diff's arrays are filled once). */
#define PUSH(arr, n, x) do { \
	if (((n) & ((n) - 1)) == 0) \
		(arr) = xrealloc((arr), sizeof(*(arr)) * (size_t)((n) ? 2 * (n) : 1)); \
	(arr)[(n)++] = (x); \
} while (0)

static void push_change(rd_diff *d, const rd_access *before, const rd_access *after)
{
	rd_change c = { access_dup(before), access_dup(after) };
	PUSH(d->changes, d->nchanges, c);
}

static int access_key_vcmp(const void *a, const void *b) { return access_key_cmp(a, b); }
static void access_gone(rd_diff *d, const void *a) { push_change(d, a, NULL); }
static void access_came(rd_diff *d, const void *b) { push_change(d, NULL, b); }
static void access_both(rd_diff *d, const void *a, const void *b)
{
	if (!rd_locks_equal(a, b))
		push_change(d, a, b);
}

static void finding_gone(rd_diff *d, const void *a) { PUSH(d->resolved, d->nresolved, finding_dup(a)); }
static void finding_came(rd_diff *d, const void *b) { PUSH(d->added, d->nadded, finding_dup(b)); }
static void edge_gone(rd_diff *d, const void *a) { PUSH(d->edges_removed, d->nedges_removed, edge_dup(a)); }
static void edge_came(rd_diff *d, const void *b) { PUSH(d->edges_added, d->nedges_added, edge_dup(b)); }

static int edge_cmp(const void *pa, const void *pb)
{
	const rd_edge *a = pa, *b = pb;
	int c = strcmp(a->from, b->from);
	return c ? c : strcmp(a->to, b->to);
}

/* Tally the accesses of one field (a run of the sorted array) into `sh`:
 * side 0 before, 1 after. */
static void tally(rd_share *sh, const rd_access *a, int n, int side, int *cap)
{
	for (int i = 0; i < n; i++) {
		if (side)
			sh->after_total++;
		else
			sh->before_total++;
		for (int j = 0; j < a[i].nlocks; j++) {
			const rd_lock *l = &a[i].locks[j];
			if (!l->must || !l->mode || (j && strcmp(a[i].locks[j - 1].cls, l->cls) == 0))
				continue;   /* some paths only, (no path), or the class counted */
			int k = 0;
			while (k < sh->nlocks && strcmp(sh->locks[k].cls, l->cls))
				k++;
			if (k == sh->nlocks) {
				LA_VEC_PUSH(sh->locks, sh->nlocks, *cap);
				sh->locks[sh->nlocks++] = (rd_share_lock){ xstrdup(l->cls), 0, 0 };
			}
			if (side)
				sh->locks[k].after++;
			else
				sh->locks[k].before++;
		}
	}
}

static int field_cmp(const rd_access *a, const rd_access *b)
{
	int c = strcmp(a->strct, b->strct);
	return c ? c : strcmp(a->field, b->field);
}

static int run_len(const rd_access *a, int i, int n)
{
	int j = i + 1;
	while (j < n && field_cmp(&a[i], &a[j]) == 0)
		j++;
	return j - i;
}

static int share_lock_qcmp(const void *a, const void *b)
{
	return strcmp(((const rd_share_lock *)a)->cls, ((const rd_share_lock *)b)->cls);
}

static void share_free(rd_share *sh)
{
	for (int k = 0; k < sh->nlocks; k++)
		free(sh->locks[k].cls);
	free(sh->locks);
	free(sh->strct);
	free(sh->field);
}

/* Fields present on both sides whose share under some class changed. */
static void compare_shares(const rd_set *a, const rd_set *b, rd_diff *d)
{
	int i = 0, j = 0, cap = 0;
	while (i < a->naccesses && j < b->naccesses) {
		int c = field_cmp(&a->accesses[i], &b->accesses[j]);
		int na = c <= 0 ? run_len(a->accesses, i, a->naccesses) : 0;
		int nb = c >= 0 ? run_len(b->accesses, j, b->naccesses) : 0;
		if (c == 0) {
			rd_share sh = { xstrdup(a->accesses[i].strct), xstrdup(a->accesses[i].field), 0, 0, NULL, 0 };
			int lcap = 0, changed = 0;
			tally(&sh, &a->accesses[i], na, 0, &lcap);
			tally(&sh, &b->accesses[j], nb, 1, &lcap);
			/* keep the classes whose share changed */
			for (int k = 0; k < sh.nlocks; k++) {
				if ((long)sh.locks[k].before * sh.after_total != (long)sh.locks[k].after * sh.before_total)
					sh.locks[changed++] = sh.locks[k];
				else
					free(sh.locks[k].cls);
			}
			sh.nlocks = changed;
			if (changed) {
				qsort(sh.locks, (size_t)sh.nlocks, sizeof(*sh.locks), share_lock_qcmp);
				LA_VEC_PUSH(d->shares, d->nshares, cap);
				d->shares[d->nshares++] = sh;
			} else {
				share_free(&sh);
			}
		}
		i += na;
		j += nb;
	}
}

/* for people: by file and line */
static int finding_loc_qcmp(const void *pa, const void *pb)
{
	const rd_finding *a = *(rd_finding *const *)pa, *b = *(rd_finding *const *)pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	return a->line != b->line ? (a->line < b->line ? -1 : 1) : strcmp(a->fingerprint, b->fingerprint);
}

void rd_compare(const rd_set *before, const rd_set *after, rd_diff *out)
{
	memset(out, 0, sizeof(*out));
	static const merge_ops findings = { sizeof(rd_finding), finding_qcmp, finding_gone, finding_came, NULL };
	static const merge_ops accesses = { sizeof(rd_access), access_key_vcmp, access_gone, access_came, access_both };
	static const merge_ops edges = { sizeof(rd_edge), edge_cmp, edge_gone, edge_came, NULL };
	merge(before->findings, before->nfindings, after->findings, after->nfindings, &findings, out);
	merge(before->accesses, before->naccesses, after->accesses, after->naccesses, &accesses, out);
	merge(before->edges, before->nedges, after->edges, after->nedges, &edges, out);
	compare_shares(before, after, out);
	if (out->nadded > 1)
		qsort(out->added, (size_t)out->nadded, sizeof(*out->added), finding_loc_qcmp);
	if (out->nresolved > 1)
		qsort(out->resolved, (size_t)out->nresolved, sizeof(*out->resolved), finding_loc_qcmp);
}

void rd_diff_free(rd_diff *d)
{
	for (int i = 0; i < d->nadded; i++) {
		rd_finding_free(d->added[i]);
		free(d->added[i]);
	}
	for (int i = 0; i < d->nresolved; i++) {
		rd_finding_free(d->resolved[i]);
		free(d->resolved[i]);
	}
	for (int i = 0; i < d->nchanges; i++) {
		access_free(d->changes[i].before);
		access_free(d->changes[i].after);
		free(d->changes[i].before);
		free(d->changes[i].after);
	}
	rd_edge **edges[2] = { d->edges_added, d->edges_removed };
	int nedges[2] = { d->nedges_added, d->nedges_removed };
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < nedges[k]; i++) {
			free(edges[k][i]->from);
			free(edges[k][i]->to);
			free(edges[k][i]);
		}
	for (int i = 0; i < d->nshares; i++)
		share_free(&d->shares[i]);
	free(d->shares);
	free(d->added);
	free(d->resolved);
	free(d->changes);
	free(d->edges_added);
	free(d->edges_removed);
	memset(d, 0, sizeof(*d));
}
