/* inferred-guard (no rule): a field accessed under one lock class almost
 * everywhere, but not at a few places. Ranked by evidence: how many
 * accesses hold the lock and how few do not. */
#include "check.h"
#include "../util/buf.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_GUARDED 5          /* accesses under the lock before it counts as evidence */
#define MAX_EXCEPTIONS 3       /* more unguarded places than this: not a convention */
#define MIN_RATIO 0.8

typedef struct acc {
	int fn;
	ir_loc at;
	int write;
	const char **cls;          /* classes held on every path (interned) */
	int ncls;
} acc;

typedef struct field_rec {
	char *name;
	acc *a;
	int n, cap;
} field_rec;

typedef struct ig_state {
	la_strset names;
	field_rec *f;
	int n, cap;
	la_arena arena;
} ig_state;

static ig_state *get_state(check_ctx *c)
{
	return check_state_get(c, sizeof(ig_state));
}

static void ig_event(check_ctx *c, const lk_fn *fn, const ir_event *e, lk_state *const *states, int n)
{
	if (e->kind != IR_EV_ACCESS || e->u.access.mode == IR_ADDR || !n)
		return;
	if (rules_find_guard(check_rules(c), e->u.access.sname, e->u.access.field))
		return;   /* a rule says it: the guard check judges */
	ig_state *st = get_state(c);
	la_buf key = LA_BUF_INIT;
	la_buf_printf(&key, "%s.%s", e->u.access.sname, e->u.access.field);
	if (la_strset_add(&st->names, key.ptr)) {
		LA_VEC_PUSH(st->f, st->n, st->cap);
		st->f[st->n++] = (field_rec){ la_buf_detach(&key), NULL, 0, 0 };
	}
	field_rec *fr = &st->f[la_strset_index(&st->names, key.ptr ? key.ptr : st->f[st->n - 1].name)];
	la_buf_free(&key);
	LA_VEC_PUSH(fr->a, fr->n, fr->cap);
	acc *a = &fr->a[fr->n++];
	*a = (acc){ (int)(fn - check_prog(c)->fn), e->loc, e->u.access.mode == IR_WRITE, NULL, 0 };
	a->cls = la_arena_alloc(&st->arena, sizeof(char *) * (size_t)(states[0]->nheld + 1));
	for (int i = 0; i < states[0]->nheld; i++) {
		const lk_held *h = &states[0]->held[i];
		int all = !h->maybe && !h->resource && h->cls[0] != '?';
		for (int j = 1; j < n && all; j++) {
			const lk_held *o = lk_state_find(states[j], h->inst, h->cls);
			all = o && !o->maybe;
		}
		if (all)
			a->cls[a->ncls++] = h->cls;
	}
}

static int holds(const acc *a, const char *cls)
{
	for (int i = 0; i < a->ncls; i++)
		if (a->cls[i] == cls)
			return 1;
	return 0;
}

static void judge(check_ctx *c, const field_rec *fr)
{
	lk_prog *p = check_prog(c);
	/* the class held at most accesses (the first seen among equals), counted
	 * in one pass: list_head.next has thousands of accesses */
	const char **cls = NULL;
	int *cnt = NULL, ncls = 0, capcls = 0, capcnt = 0;
	for (int i = 0; i < fr->n; i++)
		for (int k = 0; k < fr->a[i].ncls; k++) {
			int seen = 0;   /* two locks of one class: one access */
			for (int m = 0; m < k && !seen; m++)
				seen = fr->a[i].cls[m] == fr->a[i].cls[k];
			if (seen)
				continue;
			int j;
			for (j = 0; j < ncls && cls[j] != fr->a[i].cls[k]; j++)
				;
			if (j == ncls) {
				LA_VEC_PUSH(cls, ncls, capcls);
				LA_VEC_PUSH(cnt, j, capcnt);
				cls[ncls++] = fr->a[i].cls[k];
				cnt[j] = 0;
			}
			cnt[j]++;
		}
	const char *best = NULL;
	int nbest = 0;
	for (int j = 0; j < ncls; j++)
		if (cnt[j] > nbest) {
			best = cls[j];
			nbest = cnt[j];
		}
	free(cls);
	free(cnt);
	int miss = fr->n - nbest;
	if (!best || nbest < MIN_GUARDED || miss == 0 || miss > MAX_EXCEPTIONS || (double)nbest / fr->n < MIN_RATIO)
		return;
	for (int i = 0; i < fr->n; i++) {
		const acc *a = &fr->a[i];
		if (holds(a, best))
			continue;
		const lk_fn *fn = &p->fn[a->fn];
		const char *cls[1] = { best };
		int modes[1] = { LOCK_ANY };
		lk_chain ch;
		if (!check_context_chain(c, fn, NULL, cls, modes, 1, 0, &ch)) {
			lk_chain_free(&ch);
			continue;
		}
		finding *f = check_report(c, fn, a->at, fr->name, best,
					  "%s %s without %s, which is held at %d of its %d accesses", a->write ? "write to" : "read of",
					  fr->name, best, nbest, fr->n);
		if (f) {
			f->rank = nbest * log2(1.0 + nbest) / miss;
			char note[256];
			snprintf(note, sizeof(note), "without %s", best);
			check_trace_chain(c, f, &ch, note);
			finding_add_step(f, "access", f->file, a->at.line, a->at.col, f->func, "accessed here without %s",
					 best);
		}
		lk_chain_free(&ch);
	}
}

static void ig_finish(check_ctx *c)
{
	ig_state *st = get_state(c);
	for (int i = 0; i < st->n; i++)
		judge(c, &st->f[i]);
}

static void ig_free(void *vst)
{
	ig_state *st = vst;
	for (int i = 0; i < st->n; i++) {
		free(st->f[i].name);
		free(st->f[i].a);
	}
	free(st->f);
	la_strset_free(&st->names);
	la_arena_free(&st->arena);
	free(st);
}

const la_check check_inferred_guard = {
	.id = "inferred-guard",
	.severity = "warning",
	.enabled = 0,   /* a convention, not a rule: turn on to explore a tree */
	.title = "(no rule) field accessed under one lock almost everywhere, but not here",
	.description = "(No rule.) A field accessed under one lock class almost everywhere, but not here: a convention "
		"of the code that this access breaks. Ranked by evidence; off by default.",
	.event = ig_event,
	.finish = ig_finish,
	.free_state = ig_free,
};
