/* Locksets: what is held at a program point (DESIGN.md §5).
 *
 * A lock is named by the expression of the lock object (`$0->vpci->lock`,
 * `_pcidevs_lock`): its instance. Its class is the field or global it ends
 * in (`vpci.lock`, `domain.pci_lock`). Strings are interned, so equal names
 * are equal pointers. A state is one path's view: held locks, branch facts
 * known on that path, pending trylock results. */
#ifndef LA_LOCKSET_H
#define LA_LOCKSET_H

#include "../ir/ir.h"
#include "../util/arena.h"

typedef enum lk_how {
	LK_ACQUIRED,     /* taken in this function (at `at`) */
	LK_INHERITED,    /* held at entry, by every caller */
	LK_ASSERTED,     /* an assertion says it is held */
	LK_SOME_PATHS,   /* taken by a callee on some of its paths only: by some of
	                  * the targets of a call through a pointer, or kept on some
	                  * ways out (held "maybe") */
	LK_GIVEN_BACK    /* only in lk_state.rel: a lock of this function's that a
	                  * callee released on this path (its value said so) */
} lk_how;

/* What kind of lock a held lock is, from the rules' primitive that took it
 * (through wrappers too): holding an atomic one ("context": "atomic": a
 * spinlock, an RCU read-side section) forbids sleeping; a nowait one
 * ("waits": false: rcu_read_lock(), srcu_read_lock()) is taken without ever
 * waiting, so taking it closes no deadlock. */
enum { LK_KIND_ATOMIC = 1, LK_KIND_NOWAIT = 2, LK_KIND_REFCOUNT = 4, LK_KIND_REENTER = 8 };

typedef struct lk_held {
	const char *inst;        /* interned instance text, "?" when unnamed here */
	const char *cls;         /* interned class */
	const ir_expr *obj;      /* the lock object, NULL when unnamed */
	unsigned char mode;      /* LOCK_SHARED / LOCK_EXCLUSIVE / LOCK_RECURSIVE */
	unsigned char count;     /* recursive depth, capped */
	unsigned char maybe;     /* held on some of the merged paths only */
	unsigned char how;       /* lk_how */
	unsigned char mixed;     /* `mode` on every merged path, a stronger mode on some: which
	                          * one depends on a value (hpet_read() write-locks for some
	                          * registers only), so a test of the stronger mode is unknown */
	ir_loc at;               /* where acquired */
	const char *resource;    /* not a lock: a reference held like one (rules "resource"), its name */
	unsigned char kind;      /* LK_KIND_* bits from the primitive that took it */
} lk_held;

typedef struct lk_fact {
	const char *cond;        /* interned text of a side-effect-free condition */
	short value;             /* 1: true on this path, 0: false */
	short memory;            /* reads globals or memory: a call may change it */
} lk_fact;

typedef struct lk_try {
	int call_id;             /* the call whose result says whether ... */
	int when_nonzero;        /* ... it was taken: 1 on non-zero, 0 on zero */
	int always;              /* a lock handed over in the return value: taken whatever it is */
	lk_held lock;            /* ... this lock */
	int release;             /* ... released, not taken: a callee that drops its caller's
	                          * lock when it returns NULL (sched_wait_rendezvous_in()) */
	int wrapper;             /* a conditional acquire of a wrapper, not a trylock primitive */
} lk_try;

typedef struct lk_alias {
	const char *local;       /* a local that holds the result of call_id, or, with
	                          * call_id <= LK_COPY_OF_PARAM0, a copy of parameter
	                          * LK_COPY_OF_PARAM0 - call_id (a guard constructor's
	                          * `_t = _T`, NULL on failure, returned) */
	int call_id;
} lk_alias;
enum { LK_COPY_OF_PARAM0 = -2 };

/* IRQ state on a path: tri-state, plus, while a function's summary is
 * computed, "as the callers left it" and "what the callers last saved"
 * (an irqrestore wrapper gives that back), which each caller replaces by
 * its own. */
enum { LK_IRQ_UNKNOWN, LK_IRQ_OFF, LK_IRQ_ON, LK_IRQ_ENTRY, LK_IRQ_SAVED };

/* A local's value lies in lo..hi on this path (range.c). */
typedef struct lk_range {
	const char *local;
	long long lo, hi;
} lk_range;

typedef struct lk_state {
	lk_held *held;
	lk_fact *facts;
	lk_try *tries;
	lk_alias *aliases;
	lk_held *rel;            /* released here without being held: unlock wrappers;
	                          * with how LK_GIVEN_BACK, released by a callee */
	lk_range *ranges;        /* integer locals with known bounds */
	short nheld, nfacts, ntries, naliases, nrel, nranges;
	signed char irq;         /* LK_IRQ_*: on this path, IRQs are ... */
	signed char irq_saved;   /* ... and were at the last save (what a restore gives back) */
	signed char irq_inh;     /* `irq` is still what the callers gave (nothing here changed it) */
	short merged;            /* a join of several paths: facts dropped */
} lk_state;

/* Interning (one table per analysis run). */
typedef struct lk_interner lk_interner;
lk_interner *lk_interner_new(void);
const char *lk_intern(lk_interner *in, const char *s);
void lk_interner_free(lk_interner *in);

/* States live in the arena of the function being analysed; every operation
 * returns a new state and leaves its input alone. */
lk_state *lk_state_empty(la_arena *a);
lk_state *lk_state_copy(la_arena *a, const lk_state *s);
int lk_state_equal(const lk_state *x, const lk_state *y);
/* Equal but for branch facts: such paths need not be told apart. */
int lk_state_same_locks(const lk_state *x, const lk_state *y);
const lk_held *lk_state_find(const lk_state *s, const char *inst, const char *cls);
lk_state *lk_state_acquire(la_arena *a, const lk_state *s, const lk_held *h);
/* Release by instance, else (when `inst` is unnamed) the only lock of the
 * class. *found says whether a lock was released. */
/* The held lock a release of (inst, cls) releases, or -1. */
int lk_state_release_index(const lk_state *s, const char *inst, const char *cls);
lk_state *lk_state_release(la_arena *a, const lk_state *s, const char *inst, const char *cls, int *found);
lk_state *lk_state_add_fact(la_arena *a, const lk_state *s, const char *cond, int value, int memory,
			     int *contradicts);
/* Several facts at once, in one copy; values < 0 are skipped. */
lk_state *lk_state_add_facts(la_arena *a, const lk_state *s, const char *const *conds, const signed char *values,
			     int n, int memory, int *contradicts);
/* Forget facts that mention `name` (a local or a field), or with name NULL
 * every fact about memory (after a call that may write it). */
/* The truth a branch fact on this path gives expression e: 0, 1, or -1. */
int lk_state_fact_of(lk_interner *in, const lk_state *s, const ir_expr *e);
/* The truth of a constant value (0, NULL, an integer): 0 or 1, else -1. */
int lk_const_truth(const ir_expr *e);
/* 0 or 1 when a value is known zero or not on this path: a constant, a
 * local or parameter a branch decided, or a local holding a call's result
 * that a branch decided (`rv = f(); if ( rv ) return rv;`); -1 unknown. */
int lk_value_truth(lk_interner *in, const lk_state *s, const ir_expr *e);
/* The branch fact "@p": a test of pointer p's value (not a NULL test)
 * decided, on this path, whether a reference to *p is held. */
const char *lk_value_fact(lk_interner *in, const ir_expr *p);
lk_state *lk_state_kill_facts(la_arena *a, const lk_state *s, const char *name);
lk_state *lk_state_add_released(la_arena *a, const lk_state *s, const lk_held *h);
lk_state *lk_state_add_try(la_arena *a, const lk_state *s, const lk_try *t);
lk_state *lk_state_add_alias(la_arena *a, const lk_state *s, const char *local, int call_id);
const lk_try *lk_state_try(const lk_state *s, int call_id);
/* Without the pending result of call_id. */
lk_state *lk_state_drop_try(la_arena *a, const lk_state *s, int call_id);
int lk_state_alias(const lk_state *s, const char *local);   /* call id or -1 */
int lk_state_copied_param(const lk_state *s, const char *local);   /* parameter index or -1 */
/* Join of two paths: locks held on one side only become `maybe`, facts that
 * differ are dropped, counts take the larger, an IRQ state that differs is
 * unknown. */
/* Meet of two IRQ states: equal, or unknown. */
int lk_irq_meet(int x, int y);
/* The state with IRQs `irq`, set here (not the callers'): a fresh copy. */
lk_state *lk_state_set_irq(la_arena *a, const lk_state *s, int irq);
lk_state *lk_state_join(la_arena *a, const lk_state *x, const lk_state *y);

/* range.c: bounds of integer locals. An assignment sets, shifts (x = x + c)
 * or forgets a local's range; a branch on `x OP constant` narrows it, or
 * gives NULL when the path cannot take it. */
lk_state *lk_range_assign(la_arena *a, const lk_state *s, const char *local, const ir_expr *rhs, int addr_taken);
lk_state *lk_range_branch(la_arena *a, lk_state *s, const ir_expr *cond, int truth);
int lk_ranges_equal(const lk_state *x, const lk_state *y);
/* The local of a block's branch `local OP constant` (*k the constant), or NULL. */
const ir_expr *lk_block_counts(const ir_block *bl, long long *k);
/* c's ranges: those of both, as their union */
void lk_ranges_join(la_arena *a, lk_state *c, const lk_state *x, const lk_state *y);
/* a bound that grew since `before` goes to the next constant f compares
 * the local with, or to infinity (a loop that counts on) */
void lk_ranges_widen(lk_state *now, const lk_state *before, const ir_func *f);

#endif
