/* Witness call chains for entry contexts (DESIGN.md §5: "each context keeps
 * a witness call chain for traces"). Entry contexts are intersections over
 * call sites, so "not held on entry" always has a caller that does not hold
 * the lock; this walks such callers up to a root, breadth first, so the
 * chain shown is a shortest one. */
#include "analysis.h"
#include "../util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int holds_any(const lk_held *held, int n, const char *const *classes, const int *modes, int nclasses)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < nclasses; k++)
			if (!held[i].maybe && strcmp(held[i].cls, classes[k]) == 0 && (held[i].mode & modes[k]))
				return 1;
	return 0;
}

void lk_chain_free(lk_chain *c)
{
	free(c->steps);
	memset(c, 0, sizeof(*c));
}

void lk_witness(const lk_prog *p, int fi, const char *const *classes, const int *modes, int nclasses,
		int want_held, lk_chain *out)
{
	lk_witness_avoiding(p, fi, classes, modes, nclasses, want_held, -1, out);
}

void lk_witness_avoiding(const lk_prog *p, int fi, const char *const *classes, const int *modes, int nclasses,
			 int want_held, int blocked, lk_chain *out)
{
	memset(out, 0, sizeof(*out));
	out->end = LK_CHAIN_NONE;
	/* parent[f]: the callee f was reached from and the site used */
	int *from = xmalloc(sizeof(int) * (size_t)p->nfn);
	const lk_site **via = xmalloc(sizeof(*via) * (size_t)p->nfn);
	int *queue = xmalloc(sizeof(int) * (size_t)p->nfn);
	for (int i = 0; i < p->nfn; i++)
		from[i] = -2;
	int head = 0, tail = 0, found = -1;
	from[fi] = -1;
	queue[tail++] = fi;
	if (!p->fn[fi].nsites)
		out->end = LK_CHAIN_ROOT;   /* nobody calls it: the chain is empty */
	while (head < tail && found < 0) {
		int f = queue[head++];
		const lk_fn *fn = &p->fn[f];
		if (!fn->nsites && f != fi) {
			found = f;
			out->end = LK_CHAIN_ROOT;
			break;
		}
		for (int k = 0; k < fn->nsites && found < 0; k++) {
			const lk_site *s = &fn->sites[k];
			if (holds_any(s->held, s->nheld, classes, modes, nclasses) != want_held)
				continue;
			int c = s->caller;
			if (from[c] != -2 || c == blocked)
				continue;
			from[c] = f;
			via[c] = s;
			const lk_fn *cf = &p->fn[c];
			if (holds_any(cf->entry, cf->nentry, classes, modes, nclasses) != want_held) {
				found = c;   /* the caller itself took or dropped it */
				out->end = LK_CHAIN_CHANGED;
			} else if (!cf->nsites) {
				found = c;
				out->end = LK_CHAIN_ROOT;
			} else {
				queue[tail++] = c;
			}
		}
	}
	if (found >= 0) {
		int n = 0;
		for (int c = found; c != fi; c = from[c])
			n++;
		out->steps = xmalloc(sizeof(lk_chain_step) * (size_t)(n + 1));
		out->n = n;
		int i = 0;
		for (int c = found; c != fi; c = from[c], i++) {
			out->steps[i].caller = c;
			out->steps[i].call = via[c]->call;
		}
	}
	free(from);
	free(via);
	free(queue);
}
