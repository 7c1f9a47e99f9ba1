#include "flow.h"
#include "../util/xalloc.h"

#include <string.h>

typedef struct block_in {
	lk_state *s[LK_FLOW_STATES];
	int n;
	int collapsed;
	int joins;          /* joins that grew a range: past a few, growing ranges widen */
} block_in;

/* At a loop head (the target of an edge back), a range that grows at a
 * join widens to the next constant the function compares it with (a loop
 * that counts to 3 settles at once), and after this many growths to
 * infinity. Elsewhere a join is the union. */
#define LK_FLOW_WIDEN_AFTER 4

static lk_state *joined(la_arena *a, const ir_func *f, block_in *in, const lk_state *old, const lk_state *u,
			int loop_head)
{
	lk_state *j = lk_state_join(a, old, u);
	if (loop_head && !lk_ranges_equal(j, old))
		lk_ranges_widen(j, old, ++in->joins > LK_FLOW_WIDEN_AFTER ? NULL : f);
	return j;
}

/* Add state u to the entry of a block; 1 when that changed it. */
static int merge_into(la_arena *a, const ir_func *f, block_in *in, lk_state *u, int loop_head)
{
	for (int i = 0; i < in->n; i++)
		if (lk_state_equal(in->s[i], u))
			return 0;
	/* same locks, other facts: one state with the facts both agree on */
	for (int i = 0; i < in->n && !in->collapsed; i++)
		if (lk_state_same_locks(in->s[i], u)) {
			lk_state *j = joined(a, f, in, in->s[i], u, loop_head);
			j->merged = in->s[i]->merged;
			if (lk_state_equal(in->s[i], j))
				return 0;
			in->s[i] = j;
			return 1;
		}
	if (!in->collapsed && in->n < LK_FLOW_STATES) {
		in->s[in->n++] = u;
		return 1;
	}
	lk_state *j = u;
	if (in->n) {   /* what the block had, then u: a range grows only past all of it */
		lk_state *had = in->s[0];
		for (int i = 1; i < in->n; i++)
			had = lk_state_join(a, in->s[i], had);
		j = joined(a, f, in, had, u, loop_head);
	}
	if (in->collapsed && in->n == 1 && lk_state_equal(in->s[0], j))
		return 0;
	in->s[0] = j;
	in->n = 1;
	in->collapsed = 1;
	return 1;
}

/* Loop heads: targets of a back edge of a depth-first walk from the entry. */
static char *loop_heads(const ir_func *f)
{
	char *head = xcalloc((size_t)f->nblocks, 1);
	char *state = xcalloc((size_t)f->nblocks, 1);   /* 1: on the stack, 2: done */
	int (*stack)[2] = xmalloc(sizeof(*stack) * (size_t)f->nblocks), sp = 0;
	stack[sp][0] = 0, stack[sp++][1] = 0;
	state[0] = 1;
	while (sp) {
		int b = stack[sp - 1][0], k = stack[sp - 1][1]++;
		const ir_block *bl = f->blocks[b];
		if (k >= bl->nsucc) {
			state[b] = 2;
			sp--;
			continue;
		}
		int t = bl->succ[k];
		if (state[t] == 1)
			head[t] = 1;
		else if (!state[t]) {
			state[t] = 1;
			stack[sp][0] = t, stack[sp++][1] = 0;
		}
	}
	free(state);
	free(stack);
	return head;
}

static lk_state *run_block(const ir_func *f, int b, lk_state *s, const lk_flow_ops *ops, void *ctx,
			   la_arena *a)
{
	const ir_block *bl = f->blocks[b];
	for (int i = 0; i < bl->nev && s; i++)
		s = ops->event(ctx, a, b, i, &bl->ev[i], s);
	return s;
}

void lk_flow_run(const ir_func *f, lk_state *entry, const lk_flow_ops *ops, void *ctx, la_arena *a,
		 lk_flow_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	if (!f->nblocks)
		return;
	block_in *in = xcalloc((size_t)f->nblocks, sizeof(block_in));
	char *loop_head = loop_heads(f);
	int *queue = xmalloc(sizeof(int) * (size_t)f->nblocks);
	char *queued = xcalloc((size_t)f->nblocks, 1);
	int head = 0, count = 0;
	in[0].s[0] = entry;
	in[0].n = 1;
	queue[0] = 0;
	queued[0] = 1;
	count = 1;
	/* generous: joined states climb a finite lattice, this only guards bugs */
	int budget = 64 * f->nblocks + 1000;
	while (count > 0) {
		int b = queue[head];
		head = (head + 1) % f->nblocks;
		count--;
		queued[b] = 0;
		if (++stats->iterations > budget) {
			stats->gave_up = 1;
			break;
		}
		const ir_block *bl = f->blocks[b];
		for (int i = 0; i < in[b].n; i++) {
			lk_state *out = run_block(f, b, in[b].s[i], ops, ctx, a);
			if (!out || bl->noreturn)
				continue;
			for (int k = 0; k < bl->nsucc; k++) {
				lk_state *u = bl->cond ? ops->edge(ctx, a, bl, k, out) : out;
				int t = bl->succ[k];
				if (u && merge_into(a, f, &in[t], u, loop_head[t]) && !queued[t]) {
					queue[(head + count) % f->nblocks] = t;
					count++;
					queued[t] = 1;
				}
			}
		}
	}
	/* final pass: observe every event with all the states reaching it */
	lk_state **cur = xmalloc(sizeof(lk_state *) * LK_FLOW_STATES);
	for (int b = 0; b < f->nblocks; b++) {
		const ir_block *bl = f->blocks[b];
		int n = in[b].n;
		if (n)   /* a block nothing reaches has no states, and may have no array */
			memcpy(cur, in[b].s, sizeof(lk_state *) * (size_t)n);
		stats->collapsed += in[b].collapsed;
		for (int i = 0; i < bl->nev; i++) {
			if (ops->observe)   /* n == 0: no analysed path reaches it */
				ops->observe(ctx, b, i, &bl->ev[i], cur, n);
			int m = 0;
			for (int j = 0; j < n; j++) {
				lk_state *t = ops->event(ctx, a, b, i, &bl->ev[i], cur[j]);
				if (t)
					cur[m++] = t;
			}
			n = m;
		}
		if (bl->nsucc == 0 && !bl->noreturn && ops->exit) {
			const ir_event *ret = bl->nev && bl->ev[bl->nev - 1].kind == IR_EV_RETURN
						      ? &bl->ev[bl->nev - 1] : NULL;
			for (int j = 0; j < n; j++)
				ops->exit(ctx, cur[j], ret);
		}
	}
	free(cur);
	free(in);
	free(queue);
	free(queued);
	free(loop_head);
}
