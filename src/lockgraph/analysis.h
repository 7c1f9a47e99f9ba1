/* Whole-program lock analysis over the stored IR (DESIGN.md §5):
 * call graph -> summaries bottom-up over SCCs -> entry contexts top-down ->
 * the locks held at every access and call. */
#ifndef LA_ANALYSIS_H
#define LA_ANALYSIS_H

#include <stdint.h>

#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/strset.h"
#include "lockset.h"
#include "path.h"

/* LK_MAYBE: held afterwards on some paths only, not told by the value
 * returned: kept on some ways out (cpupool_dir_enter() returns an error
 * pointer without it), or taken by some of the targets of a call through a
 * pointer (node_enter() calls ->enter(), which takes cpupool_lock for one
 * directory and nothing for the others). */
typedef enum lk_cond { LK_ALWAYS, LK_IF_NONZERO, LK_IF_ZERO, LK_MAYBE } lk_cond;

typedef struct lk_effect {
	rules_prim_op op;        /* PRIM_ACQUIRE or PRIM_RELEASE */
	const ir_expr *obj;      /* in the function's own terms ($0, globals) */
	int mode;
	lk_cond cond;            /* conditional acquire keyed by the return value */
	const char *resource;    /* a resource's name (rules "resource"), NULL for a lock */
	int kind;                /* acquires: LK_KIND_* of the lock taken (atomic.c) */
} lk_effect;

/* A precondition as a formula over the function's own terms: locks held
 * (with the modes that satisfy it) and tests of parameters, with && and ||. */
typedef enum lk_req_op { LK_REQ_HELD, LK_REQ_TEST, LK_REQ_AND, LK_REQ_OR } lk_req_op;

typedef struct lk_req_node {
	lk_req_op op;
	const struct lk_req_node *l, *r;   /* AND, OR */
	const ir_expr *obj;      /* HELD: the lock object (NULL: any lock of `cls`); TEST: the tested value */
	const char *cls;         /* HELD without an object: the class (rules "preconditions"), interned */
	int modes;               /* HELD: LOCK_* bits that satisfy it */
	int truth;               /* TEST: 1 when the value must be non-zero */
} lk_req_node;

typedef struct lk_req {
	const char *text;        /* "($0 || held(_pcidevs_lock))", as stored in func_summary */
	const lk_req_node *cond;
	const char *macro;       /* the assertion it comes from */
	const ir_event *assertion;  /* that assertion (in the IR of the function that
	                             * asserts), to quote it; NULL for a rule's */
	ir_loc at;
	/* inherited: what is left of a callee's requirement at a call on every
	 * path, in this function's terms (lookup_in(d) calling
	 * pci_get_pdev(d, sbdf) requires (d || held(_pcidevs_lock))) */
	int via_fn;              /* the callee, or -1 for the function's own assertion */
	const ir_event *via_call;
	const struct lk_req *via_req;   /* the callee's requirement */
	const char *reason;      /* declared by the rules ("preconditions"): why; NULL for an assertion */
} lk_req;

/* A lock class a function takes with IRQs as its callers left them (not by
 * an _irqsave primitive): the caller's IRQ state is the one it is taken
 * with. `at` is the acquire, or the call to the callee that takes it. */
typedef struct lk_irqlock {
	const char *cls;
	const struct ir_event *at;
	int depth;               /* calls from `at` down to the acquire */
} lk_irqlock;

enum { LK_IRQ_LOCKS_MAX = 64 };   /* per function: the first ones met */

/* What a call to a function does, seen from its callers. Wrappers are
 * functions whose summary acquires, releases or queries a lock. */
typedef struct lk_summary {
	lk_effect *eff;
	int neff;
	int returns_param;       /* returns parameter i, or a value true exactly when it is; -1 */
	int returns_truth;       /* always returns 0 (0) or non-zero (1); -1 otherwise */
	const ir_expr *query;    /* returns whether this lock is held (pcidevs_locked) */
	int query_mode;
	/* Preconditions from assertions not satisfied inside the function, in
	 * its own terms, disjunctions and argument tests kept:
	 * "$0 != NULL || held(_pcidevs_lock)". */
	lk_req *requires;
	int nrequires;
	int irq_exit;            /* LK_IRQ_* on every way out; LK_IRQ_ENTRY: as the callers left it */
	int irq_saved_exit;      /* what a later restore gives back (LK_IRQ_SAVED: the callers' own) */
	const struct ir_event *irq_on_at;  /* a disable (spin_lock_irq) with IRQs as the callers left
	                          * them: the primitive, or a call to a function with one; NULL */
	int irq_on_depth;        /* calls from irq_on_at down to the disable, at most LK_IRQ_ON_DEPTH */
	int irq_off_seen;        /* asserts IRQs are disabled as the callers left them */
	lk_irqlock *irq_locks;   /* classes taken with the callers' IRQ state, LK_IRQ_ON_DEPTH deep */
	int nirq_locks;
} lk_summary;

enum { LK_IRQ_ON_DEPTH = 4 };
/* A call through a pointer with at most this many targets (an ops table
 * with one implementation per vendor: iommu_ops.resume is amd_iommu_resume
 * or vtd_resume) needs IRQs enabled when one target does; with more (the
 * callbacks of smp_call_function()), when every one does. */
enum { LK_IRQ_VENDOR_TARGETS = 2 };

/* A call site as its callee sees it: the locks held there, in callee terms. */
typedef struct lk_site {
	int caller;
	const ir_event *call;
	lk_held *held;
	const ir_expr **held_obj;   /* each lock as the caller names it, NULL when it cannot */
	int nheld;
	int round;          /* for a caller in the callee's SCC: the round it was seen in */
	int top;            /* the caller's own entry was still "everything" (SCC rounds) */
	int irq;            /* LK_IRQ_* on every path there */
} lk_site;

typedef struct lk_call {
	const rules_primitive *prim;   /* a lock primitive, or NULL */
	int *targets;                  /* defined functions it may call */
	int ntargets;
} lk_call;

/* A call that passes a function's address as an argument: a callback
 * registered with an iterator (pci_segment_iterate(seg, handler, arg)). */
typedef struct lk_reg {
	int caller;
	const ir_event *call;
} lk_reg;

typedef struct lk_fn {
	int64_t id;
	const char *usr, *name;
	ir_func *ir;
	lk_locals locals;
	const rules_primitive *prim;   /* the function is itself a primitive */
	lk_call *calls;                /* by call id */
	lk_summary sum;
	lk_site *sites;
	int nsites, capsites;
	lk_held *entry;                /* locks held at entry, by every caller */
	int nentry;
	int entry_top;                 /* SCC rounds: not yet known, assumed "everything" */
	int scc;
	lk_reg *regs;                  /* where it is passed as a callback argument */
	int nregs, capregs;
	int stored;                    /* its address is stored elsewhere (tables, fields) */
	int single;                    /* runs with one CPU online only (single_cpu.c) */
	const struct lk_stretch *stretch;  /* rules' "single_cpu" entry naming it, or NULL */
	int boot;                      /* runs only while the system boots (boot.c) */
	int after_boot;                /* runs only after boot (rules "boot": "after") */
	int irq_entry;                 /* LK_IRQ_* at entry: every caller's, or the roots' */
	int irq_root;                  /* rules "irq" "off"/"on" name it: LK_IRQ_*, else 0 */
	int irq_reg;                   /* registered as a handler that runs with LK_IRQ_*, else 0 */
	const rules_irq_asm *irq_asm;  /* rules "irq" "asm": IRQ changes next to its calls */
	const ir_expr *accessor;       /* accessor.c: the value it returns on every way out, made of
	                                * its parameters ($0, &$0->rlock), or NULL */
	int accessor_known;            /* ... computed */
	struct lk_assigns *assigns;    /* accessor.c: its assignments by target, once needed */
	int ctor_arg;                  /* constructors.c: the argument that is a new object, or -1 */
	la_strset iterators;           /* param_walk.c: locals a loop assigns at each turn ... */
	int iterators_known;           /* ... once computed */
	const char *reg_holds;         /* registered as a handler whose registration "holds" this
	                                * pseudo-lock (interned): held on entry (irq_roots.c) */
	int serial_param;              /* threads.c: runs only on one thread per object that this
	                                * parameter points to, the thread of ... */
	int serial_thread;             /* ... this registration group; -1: not known so */
} lk_fn;

typedef struct lk_prog {
	lk_fn *fn;
	int nfn;
	la_strset usrs;                /* index = position in fn */
	const rules *rules;
	lk_interner *in;
	la_arena arena;                /* IR, summaries, contexts */
	struct lk_relcache *relcache;  /* branch.c: what each comparison implies */
	struct lk_textcache *condtext; /* branch.c: each condition's text, interned */
	int *scc_order;                /* function indices, callees before callers */
	int *scc_of_pos;
	int nscc;
	int round;                     /* round of the SCC being analysed (program.c) */
	la_strset init_only;           /* immutable.c: "STRUCT.FIELD" written only in new objects */
	int init_only_known;
	int ctors_known;               /* constructors.c: fn[].ctor_arg computed */
	struct {
		int funcs, calls_resolved, calls_indirect, targets_indirect, wrappers, collapsed, gave_up;
		int outside_tus;       /* TUs outside the rules' "scope", not loaded */
	} stats;
} lk_prog;

/* A lock operation as the final pass meets it, on one path. */
typedef struct lk_lockop {
	rules_prim_op op;            /* PRIM_ACQUIRE (unconditional) or PRIM_RELEASE */
	const lk_held *lock;         /* the lock, named in the function's terms */
	const lk_held *before;       /* the same lock in the state before, or NULL */
	int irq;                     /* IRQ_* of a primitive; IRQ_KEEP through wrappers */
	int via;                     /* the wrapper called (function index), or -1 */
} lk_lockop;

/* The callbacks of the final run (results and checks). Each may be NULL.
 * `event` sees every access and call with all the states reaching it;
 * `lock_op` every acquire and release on each path; `exit` each path
 * leaving the function; `done` the end of a function. */
typedef struct lk_sink {
	void (*event)(void *ctx, const lk_fn *fn, int block, int idx, const ir_event *e,
		      lk_state *const *states, int n);
	void (*lock_op)(void *ctx, const lk_fn *fn, const ir_event *e, const lk_state *before,
			const lk_lockop *op);
	void (*exit)(void *ctx, const lk_fn *fn, const lk_state *s, const ir_event *ret);
	void (*done)(void *ctx, const lk_fn *fn);
	void *ctx;
} lk_sink;

/* transfer.c: run the lock dataflow over one function. Collects the
 * summary when `sum` is given, records events into `sink` when given, and
 * call sites of its callees: all (LK_SITES_ALL), only callees in its own
 * SCC (LK_SITES_SCC), or none (0). */
enum { LK_SITES_NONE, LK_SITES_ALL, LK_SITES_SCC };
void lk_analyse_function(lk_prog *p, int fi, lk_state *entry, lk_summary *sum, const lk_sink *sink,
			 int record_sites);

/* atomic.c: the name of the fact "a counted reference to INST was dropped
 * on this path" (value 1), which the refcount-balance check reads. */
const char *lk_put_fact_name(lk_prog *p, const char *inst);

/* immutable.c: is STRUCT.FIELD written only while its object is new (just
 * allocated by the writer), so that no call changes it once published? */
int lk_field_init_only(lk_prog *p, const char *sname, const char *field);

/* accessor.c: the value function fi returns on every way out, made of its
 * parameters (spinlock_check(l) returns &$0->rlock, a guard's constructor
 * $0); NULL otherwise. */
const ir_expr *lk_accessor_of(lk_prog *p, int fi);

/* param_walk.c: is obj reached only from fn's parameters and globals,
 * also through locals that walk from them (list iterators)? */
int lk_obj_walks_from_params(const lk_fn *fn, const ir_expr *obj);
/* ... reached from parameter `param` only, without loading a pointer
 * (the object itself, or a container_of() of it)? */
int lk_obj_walks_from_param(const lk_fn *fn, const ir_expr *obj, int param);
/* ... does function fi store its parameter `param` where others reach it
 * (a field, a global, through a pointer), return it, or give it to a
 * callee that does (a few calls down)? */
int lk_param_escapes(lk_prog *p, int fi, int param);
/* constructors.c: the argument of function fi that is a new object, as the
 * rules' "constructors" slot it is called through says, or -1. */
int lk_constructor_arg(lk_prog *p, int fi);
/* ... named through an iterator, a local a loop assigns at each turn? The
 * lock is then one of many, locked or unlocked one per turn (every vCPU's
 * mutex in KVM's sev_lock_vcpus_for_migration()): one name for all. */
int lk_obj_through_iterator(const lk_fn *fn, const ir_expr *obj);

/* lockname.c: the instance and class of a lock object, interned; every
 * place that names a lock uses these, so that the same lock has the same
 * name (a held lock is found by pointer equality of the two). */
const char *lk_lock_instance(lk_prog *p, const ir_expr *obj);
const char *lk_lock_class(lk_prog *p, const ir_expr *obj);
void lk_name_lock(lk_prog *p, la_arena *a, const ir_expr *obj, const char **inst, const char **cls);
/* The lock a lock-pointer argument in a function's own terms designates
 * (an annotation's `&s->lock`), named as the lock held after
 * spin_lock(&s->lock) is: its object, instance and class. */
const ir_expr *lk_annotation_lock(lk_prog *p, la_arena *a, const ir_expr *arg, const char **inst, const char **cls);

/* contract.c: a callee's precondition at a call site, on one path: 1 holds,
 * 0 violated, -1 unknown (a value or a lock the analysis cannot see).
 * Locks are compared by instance, then by class (d->pci_lock satisfies
 * $0->domain->pci_lock: the same lock under another name, as far as rules
 * are concerned). `missing` collects the classes of held() atoms that
 * failed and `missing_modes` the modes they accept; lk_req_render shows the
 * formula in the caller's terms. */
/* What is left of a callee's requirement n at a call on one path, in the
 * caller's terms: 1 when the path satisfies it, 0 when it violates it, -1
 * when it cannot be stated there, 2 when a formula on the caller's
 * parameters and globals is left (*out, in p's arena; `text` gets it as
 * func_summary writes requirements). */
int lk_req_residual(lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		    const lk_state *s, const lk_req_node **out, la_buf *text);
int lk_req_eval(lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n,
		const lk_state *s, const char **missing, int *missing_modes, int *nmissing, int maxmissing);
/* How many leaves of kind op (LK_REQ_HELD, LK_REQ_TEST) a formula has; its
 * held(L) are the most lk_req_eval can find missing. */
int lk_req_count(const lk_req_node *n, lk_req_op op);
void lk_req_render(la_buf *b, lk_prog *p, const lk_fn *caller, const ir_event *call, const lk_req_node *n);
/* Does a held lock satisfy a requirement for class `cls` in `modes`? 1 yes,
 * -1 on some paths (a stronger mode held on some only), 0 no. */
int lk_held_satisfies(const lk_held *h, const char *inst, const char *cls, int modes);

/* witness.c: a call chain that explains a function's entry context. The
 * steps go from the outermost caller down to the function; `end` says why
 * the chain starts where it does. */
typedef struct lk_chain_step {
	int caller;              /* function index */
	const ir_event *call;    /* the call in it */
} lk_chain_step;

enum { LK_CHAIN_ROOT, LK_CHAIN_CHANGED, LK_CHAIN_NONE };

typedef struct lk_chain {
	lk_chain_step *steps;    /* malloc'd */
	int n;
	int target;              /* the function the chain leads to */
	int end;                 /* LK_CHAIN_ROOT: the first caller has no callers;
	                          * LK_CHAIN_CHANGED: it holds the lock on entry and
	                          * dropped it (or the reverse: took it) itself;
	                          * LK_CHAIN_NONE: no such chain (cycles only) */
} lk_chain;

/* The shortest chain of call sites to function fi (to its event `at`, NULL
 * for anywhere in it) along which none of the classes is held (want_held =
 * 0) or along which one of them is held at every step (want_held = 1).
 * Classes match in the given LOCK_* modes. A caller whose constant
 * arguments make the rest of the chain unreachable (map_domain_pirq(...,
 * MAP_PIRQ_TYPE_GSI, NULL) never enables MSI) is not a step; nor is
 * function `blocked` (-1: none). With LK_WITNESS_MULTI_CPU, no call site
 * that runs with one CPU online is a step (races and deadlocks need two). */
enum { LK_WITNESS_MULTI_CPU = 1 };   /* flags: no step in single-CPU code */
void lk_witness(const lk_prog *p, int fi, const ir_event *at, const char *const *classes, const int *modes,
		int nclasses, int want_held, int blocked, int flags, lk_chain *out);
void lk_chain_free(lk_chain *c);
/* Can callee reach its event `at` when called at `call` in `caller`, with
 * the branches its arguments decide taken one way only? */
int lk_reaches_event(const lk_prog *p, int callee, const ir_event *at, int caller, const ir_event *call);
/* The bits of value e in function fn known to be 1, as the witness chains
 * know values (constants, locals assigned only constants, parameters every
 * recorded caller passes constants for): kmalloc(n, GFP_KERNEL) has
 * __GFP_DIRECT_RECLAIM set. */
unsigned long long lk_known_one_bits(const lk_prog *p, int fn, const ir_expr *e);
/* Does one of these locks (not held on some merged paths only) have one of
 * the classes, in one of its modes? */
int lk_holds_any(const lk_held *held, int n, const char *const *classes, const int *modes, int nclasses);

/* callers.c: every call that may reach each function (direct, and through
 * pointers as resolved): in[start[fi] .. start[fi + 1]). */
typedef struct lk_in_call {
	int caller;
	const ir_event *call;
} lk_in_call;
typedef struct lk_incoming {
	int *start;
	lk_in_call *in;
} lk_incoming;
lk_incoming *lk_incoming_new(const lk_prog *p);
void lk_incoming_free(lk_incoming *inc);
/* callers.c: set *flag(fn) on every function all of whose recorded calls
 * `holds` (and that has some), to a least fixpoint. */
typedef int (*lk_call_holds)(const lk_prog *p, int caller, const ir_event *call);
void lk_callers_close(lk_prog *p, int *(*flag)(lk_fn *fn), lk_call_holds holds);
/* registrations.c: the function a designator names (fn, &fn), or -1; a
 * function by name, or -1; every handler handed to one of `regs`. */
int lk_fn_of_expr(const lk_prog *p, const ir_expr *x);
int lk_fn_by_name(const lk_prog *p, const char *name);
typedef void (*lk_reg_fn)(void *ctx, int handler, int caller, const rules_softirq_reg *g, const ir_event *call);
void lk_registrations(const lk_prog *p, const rules_softirq_reg *regs, int nregs, lk_reg_fn cb, void *ctx);
/* irq_roots.c: lk_fn.irq_root and irq_reg from the rules' "irq". */
void lk_irq_roots_compute(lk_prog *p);
/* ... and a handler whose registration "holds" a pseudo-lock has it in its
 * entry context (after program.c computed the context from the call sites) */
void lk_entry_add_registration(lk_prog *p, lk_fn *fn);
/* irq.c: a function's IRQ state at entry, from its roots and the call
 * sites that count in SCC round `round`. */
int lk_irq_entry(const lk_prog *p, const lk_fn *fn, int round);
/* The IRQ state on every one of these paths (LK_IRQ_UNKNOWN when they differ). */
int lk_irq_of_states(lk_state *const *states, int n);
/* program.c: does this site count for fn's entry in SCC round `round`? */
int lk_site_counts(const lk_prog *p, const lk_fn *fn, const lk_site *s, int round);
/* An IRQ chain (witness.c): the shortest chain of call sites to fi along
 * which IRQs are `irq` (LK_IRQ_OFF / ON), up to a root of the rules, a
 * function without callers, or one that set them itself. */
void lk_irq_witness(const lk_prog *p, int fi, int irq, lk_chain *out);
/* threads.c: lk_fn.serial_param and serial_thread from the rules'
 * "threads": the function runs only on the thread a registration started
 * for the object its parameter serial_param points to. */
void lk_threads_compute(lk_prog *p);
/* ... and the thread (an index into p's registration groups) on which obj,
 * named in fn's terms, is a lock of the object fn's thread serves; -1 when
 * it is not, or fn is not serialised. */
int lk_serial_thread_of(const lk_fn *fn, const ir_expr *obj);
/* boot.c: lk_fn.boot and lk_fn.after_boot from the rules' "boot". */
void lk_boot_compute(lk_prog *p);
/* single_cpu.c: contexts with one CPU online (rules "single_cpu"): a
 * declared function's stretch, and every function all of whose recorded
 * callers call it from such code. Computed on the call graph, at load. */
void lk_single_cpu_compute(lk_prog *p);
/* Does event e of fn run with one CPU online only? */
int lk_single_cpu_at(const lk_prog *p, const lk_fn *fn, const ir_event *e);

/* program.c: what a program is built from, in memory: the defined
 * functions, one per USR, and the function-pointer flows (a slot receives a
 * function, named by its USR, or the contents of another slot), as the
 * store's func and fnptr_flow tables hold them. lk_prog_load fills one from
 * the database; tests build one by hand (tests/unit/irbuild.h). The IR and
 * the strings live in `arena`. */
typedef struct lk_prog_func {
	int64_t id;                    /* func.id: how results name the function */
	const char *usr, *name;
	ir_func *ir;                   /* allocated in the input's arena */
} lk_prog_func;

typedef struct lk_prog_flow {
	const char *dst;               /* the slot: "vpci_register.read", "param:..." */
	int is_func;                   /* src is a function's USR, else another slot */
	const char *src;
} lk_prog_flow;

typedef struct lk_prog_input {
	lk_prog_func *funcs;
	int nfuncs, capfuncs;
	lk_prog_flow *flows;
	int nflows, capflows;
	la_arena arena;
} lk_prog_input;

#define LK_PROG_INPUT_INIT { NULL, 0, 0, NULL, 0, 0, LA_ARENA_INIT }

/* The strings are copied into the input's arena; `ir` is taken over. */
void lk_prog_input_add_func(lk_prog_input *in, int64_t id, const char *usr, const char *name, ir_func *ir);
void lk_prog_input_add_flow(lk_prog_input *in, const char *dst, int is_func, const char *src);
void lk_prog_input_free(lk_prog_input *in);
/* Build the program: calls resolved (primitives by name, direct calls by
 * USR, indirect ones through the flows), callbacks and single-CPU contexts
 * found. Takes over the input's IR and arena and leaves it empty, on
 * failure too (a USR given twice is an error). */
int lk_prog_build(lk_prog_input *in, const rules *r, lk_prog **out);
/* load.c: lk_prog_build on the functions and flows of the database. */
int lk_prog_load(store *s, const rules *r, lk_prog **out);
int lk_prog_run(lk_prog *p, const lk_sink *sink);
void lk_prog_free(lk_prog *p);
void lk_relcache_free(struct lk_relcache *rc);
void lk_textcache_free(struct lk_textcache *tc);

#endif
