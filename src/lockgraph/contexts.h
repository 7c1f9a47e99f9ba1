/* The locks held in each calling context of a function. A function's entry
 * context is what *every* caller holds; two of its accesses may still be
 * kept apart in each context it is called in (set up under pcidevs_lock
 * from one hypercall, under d->pci_lock from another). A context is the
 * locks held at one call site plus one context of that caller, up the call
 * graph; distinct sets only, at most LK_CONTEXTS per function. Past that,
 * the entry context (the intersection) stands for all, and a caller met
 * again round a cycle stands with its entry context: both are subsets of
 * the real ones, so a user asking "can these two run at once?" gets "yes"
 * more often, never less. */
#ifndef LA_CONTEXTS_H
#define LA_CONTEXTS_H

#include "analysis.h"

enum { LK_CONTEXTS = 16 };

/* A lock class held on every path, and whether it keeps every other holder
 * out (exclusive or recursive on every path: not a read lock, not mixed). */
typedef struct lk_lockclass {
	const char *cls;         /* interned by the analysis */
	int exclusive;
} lk_lockclass;

typedef struct lk_lockset {
	lk_lockclass *v;
	int n;
} lk_lockset;

typedef struct lk_contexts lk_contexts;

lk_contexts *lk_contexts_new(const lk_prog *p);
const lk_prog *lk_contexts_prog(const lk_contexts *cx);
/* The lock sets of fi's calling contexts (computed on first use), *n of them. */
const lk_lockset *lk_contexts_of(lk_contexts *cx, int fi, int *n);
void lk_contexts_free(lk_contexts *cx);

/* Position of a class in a set, or -1 (classes are interned: compared by pointer). */
int lk_lockset_find(const lk_lockclass *v, int n, const char *cls);

#endif
