/* Rules files (rules/NAME.json, docs/rules.md): lock primitives and
 * assertion macros for the analysis; guards, lock order, exclusive classes,
 * forbidden calls, ignores and check switches for the checks. One table
 * entry per kind in rules.c. */
#ifndef LA_RULES_H
#define LA_RULES_H

#include <stddef.h>

#include "../util/strset.h"

typedef enum rules_prim_op {
	PRIM_ACQUIRE,       /* takes the lock passed as argument `arg` */
	PRIM_RELEASE,
	PRIM_TRY,           /* takes it when the call returns non-zero */
	PRIM_QUERY,         /* returns whether it is held (spin_is_locked) */
	PRIM_IRQ,           /* no lock: only its `irq` (local_irq_disable, local_irq_is_enabled) */
	PRIM_DOWNGRADE      /* keeps the lock, held shared from now on (downgrade_write) */
} rules_prim_op;

enum {                  /* lock modes (bits, so a query can accept several) */
	LOCK_SHARED = 1,
	LOCK_EXCLUSIVE = 2,
	LOCK_RECURSIVE = 4,
	LOCK_ANY = 7
};

/* What a primitive does to the IRQ state; IRQ_QUERY (PRIM_IRQ only) returns
 * whether IRQs are enabled (local_irq_is_enabled). */
enum { IRQ_KEEP, IRQ_DISABLE, IRQ_ENABLE, IRQ_SAVE, IRQ_RESTORE, IRQ_QUERY };

typedef struct rules_primitive {
	char *function;
	rules_prim_op op;
	int arg;            /* index of the lock argument */
	int mode;           /* LOCK_*: acquired mode, or for a query the modes it answers for */
	int irq;            /* IRQ_* */
	char *versions;     /* "versions": the tree versions that have it (others may not: no lint warning) */
	char *resource;     /* "resource": not a lock but a reference held and dropped like one
	                     * (Xen's RCU domain references): its name, the class it is held as */
	const char *file;   /* the rules file that lists it (rules.path or one of rules.includes) */
	char *global;       /* arg RULES_ARG_GLOBAL: the name of the lock ("global:rcu") */
	char *field_struct, *field;   /* "field": the lock is this field of the argument's object */
	int on_zero;        /* "success": "zero": a try that took the lock returns 0 (mutex_lock_interruptible) */
	int atomic;         /* "context": "atomic": holding it forbids sleeping (spinlocks, RCU) */
	int nowait;         /* "waits": false: taking it never waits (rcu_read_lock()): no deadlock */
	int reenter;        /* "reenter": true: taking it again while held changes nothing (a section
	                     * begin that spins until it may start: __seqprop_sequence()) */
	int indirect;       /* "indirect": true: the argument points to a pointer to the lock, which
	                     * the call fills in (follow_pte(mm, addr, &ptep, &ptl)) */
	int out;            /* "out": the argument through which the call says whether it took (or
	                     * released) the lock, instead of its value; -1 */
	int refcount;       /* "refcount": true: a resource that is a counted reference
	                     * (pci_dev_get()): the refcount-balance check's, not imbalance's */
	int drops;          /* "drops": an argument whose reference the call also drops
	                     * (pci_get_device(v, d, from)), or -1 */
	int returns;        /* "returns": the argument the call returns (rcu_lock_domain(d) returns d), or -1 */
} rules_primitive;

/* rules_primitive.arg of `"acquire": "return"` / `"try": "return"`: the
 * object the call returns (rcu_lock_domain_by_id()) */
#define RULES_ARG_RETURN (-2)
/* rules_primitive.arg of `"acquire": "global:NAME"`: the global lock NAME,
 * whatever the arguments (rcu_read_lock()) */
#define RULES_ARG_GLOBAL (-3)

/* A lock named in a rule: its class ("_pcidevs_lock", "domain.pci_lock")
 * and the modes that satisfy the rule. "CLASS:write" accepts exclusive and
 * recursive holds, "CLASS" or "CLASS:read" any. */
typedef struct rules_lockref {
	char *cls;
	int modes;          /* LOCK_* bits */
} rules_lockref;

/* "any": one of the locks suffices; otherwise all are needed. */
typedef struct rules_lockset {
	rules_lockref *locks;
	int nlocks;
	int any;
	int present;        /* the rule says something for this access mode */
} rules_lockset;

/* "guards": [{ "field": "pci_dev.vpci", "read": {...}, "write": {...} }] */
typedef struct rules_guard {
	char *sname;        /* struct name ("pci_dev") */
	char *field;        /* field name, or NULL for every field ("vpci.*") */
	char **except;      /* fields left out of a "STRUCT.*" guard */
	int nexcept;
	rules_lockset read, write;
	char *reason;       /* optional: why (shown in findings' notes) */
} rules_guard;

/* "forbidden_under_lock": [{ "function": "...", "locks": [...], "reason": "..." }] */
typedef enum rules_forbid_when {
	FORBID_ALWAYS,          /* under any lock, or one of `classes` */
	FORBID_SOFTIRQ_BLOCKS,  /* under a lock some softirq handler may wait for */
	FORBID_ATOMIC           /* in atomic context: under a lock of a "context": "atomic"
	                         * primitive (a spinlock), or with IRQs disabled */
} rules_forbid_when;

typedef struct rules_forbidden {
	char *function;
	rules_forbid_when when;
	char **classes;     /* the classes it may not be called under; NULL = any lock */
	int nclasses;
	int *skips;         /* softirq-blocks: softirq numbers the call does not run */
	int nskips;
	int if_arg;         /* "if_arg": forbidden only when argument if_arg (or -1: always) ... */
	unsigned long long if_bits;   /* ... is known to have one of these bits set (GFP_KERNEL) */
	char *reason;
} rules_forbidden;

/* "guarded_order": [{ "held": "irq_desc.lock", "acquired": "irq_ratelimit_lock", "reason": "..." }]:
 * an edge taken only under a condition that keeps the reverse edge off the
 * same objects, so no cycle through it can close. */
typedef struct rules_guarded_edge {
	char *held, *acquired;
	char *reason;
} rules_guarded_edge;
/* "nesting": [{ "class": "grant_table.lock", "function": "double_gt_lock", "reason": "..." }]:
 * `function` takes two instances of `class` in an order it defines (by
 * address, by domain id), so two CPUs cannot take them the other way round:
 * the class-nesting check does not report the second acquire in it. */
typedef struct rules_nesting {
	char *cls, *function;
	char *reason;
	char *versions;     /* for people: the versions that have the function; rules-check
	                     * then does not report it missing from a tree */
} rules_nesting;
/* "softirq": where the softirq handlers come from. A registration is a
 * function that hands a handler over (open_softirq(nr, handler),
 * init_timer(t, fn, data, cpu)): the handler is argument `handler`, and
 * `number` (or -1) the argument that says which softirq runs it. */
typedef struct rules_softirq_reg {
	char *function;
	int handler;
	int number;
	int irqs;           /* "irq" registrations: RULES_IRQS_* the handler runs with */
	char *holds;        /* "irq" registrations: a pseudo-lock the handler holds while it runs
	                     * (it runs only while registered: guards may accept that), or NULL */
} rules_softirq_reg;

/* "irq": the IRQ state functions are entered with where the code does not
 * show it (roots: interrupt entry, hypercall entry, handlers). */
enum { RULES_IRQS_UNSTATED, RULES_IRQS_OFF, RULES_IRQS_ON };

/* "asm": [{ "function": "enter_state", "save": "spin_debug_disable",
 * "restore": "spin_debug_enable", "reason": "..." }]: inline asm that
 * changes the IRQ state (Xen's local_irq_save()) next to a call the IR
 * shows: the change is made right after that call. */
typedef struct rules_irq_at {
	char *call;
	int irq;            /* IRQ_DISABLE, IRQ_ENABLE, IRQ_SAVE, IRQ_RESTORE */
} rules_irq_at;

typedef struct rules_irq_asm {
	char *function;
	rules_irq_at *at;
	int nat;
	char *reason;       /* required */
} rules_irq_asm;

typedef struct rules_irq {
	rules_irq_asm *asms;
	int nasms;
	char **off, **on;   /* functions entered with IRQs disabled / enabled */
	int noff, non;
	rules_softirq_reg *regs;   /* handlers registered by a call, with `irqs` */
	int nregs;
	int softirq;        /* RULES_IRQS_*: what the "softirq" section's handlers run with */
	int present;
} rules_irq;

typedef struct rules_softirq {
	rules_softirq_reg *regs;
	int nregs;
	char **handlers;    /* handlers registered without a call (static initialisers) */
	int nhandlers;
	int present;
} rules_softirq;

/* "ignore": [{ "check": "guard", "function": "f", "subject": "pci_dev.vpci", "reason": "..." }] */
typedef struct rules_ignore {
	char *check;        /* check id, or NULL for every check */
	char *function;     /* function name, or NULL for every function */
	char *subject;      /* field, callee or lock class the finding is about, or NULL */
	char *via;          /* only the call paths through this function: findings none
	                     * of whose witness chains avoids it (a path the analysis
	                     * cannot rule out, e.g. one an argument makes infeasible) */
	char *reason;       /* required */
} rules_ignore;

/* "single_cpu": [{ "function": "enter_state", "from": "disable_nonboot_cpus",
 * "until": "enable_nonboot_cpus", "reason": "..." }]: code of `function`
 * (after its call to `from`, when given; before its call to `until`, when
 * given), and every function it calls, runs with one CPU online. */
typedef struct rules_single_cpu {
	char *function;
	char *from;         /* NULL: from its entry */
	char *until;        /* NULL: to its end */
	char *reason;       /* required */
} rules_single_cpu;

/* "preconditions": [{ "function": "f", "requires": {"all": ["vpci.lock"]},
 * "reason": "..." }]: what a function requires of its callers when the code
 * says so only in a comment (Xen's are mostly assertions, which lockaudit
 * reads by itself). */
typedef struct rules_precondition {
	char *function;
	rules_lockset requires;
	char *reason;       /* required */
} rules_precondition;

/* "boot": { "sections": [".init.text"], "after": [{ "function":
 * "complete_domain_destroy", "reason": "..." }] }: code placed in one of the
 * sections runs only while the system boots (its memory is freed once boot
 * is over), and the functions "after" it never run then. */
typedef struct rules_after_boot {
	char *function;
	char *reason;       /* required */
} rules_after_boot;

typedef struct rules_boot {
	char **sections;
	int nsections;
	rules_after_boot *after;
	int nafter;
} rules_boot;

/* "scope": { "defines": ["__XEN__"], "reason": "..." }: a TU whose command
 * defines none of these macros is not part of the analysed program (a host
 * tool built alongside it): scanned, not analysed. */
typedef struct rules_scope {
	char **defines;
	int ndefines;
} rules_scope;

/* "constructors": [{ "slot": "vfio_device_ops.init", "arg": 0, "reason": "..." }]:
 * a call through the function-pointer slot gives its targets, as argument
 * `arg`, an object just allocated that no other CPU can reach yet. */
typedef struct rules_constructor {
	char *slot;
	int arg;
	char *reason;       /* required */
} rules_constructor;

/* "threads": [{ "function": "request_threaded_irq", "handler": 2, "object": 5,
 * "param": 1, "reason": "..." }]: the call starts one kernel thread that
 * runs `handler` with argument `object` as the handler's parameter `param`,
 * one invocation after another: the handler never runs twice at once for
 * one object (one thread per threaded IRQ handler and dev_id, one per
 * kthread_run()). */
typedef struct rules_thread {
	char *function;
	int handler, object, param;
	char *reason;       /* required */
} rules_thread;

/* "checks": { "inferred-guard": { "enabled": true, "severity": "warning" } } */
typedef struct rules_check_cfg {
	char *id;
	int enabled;        /* -1: the check's default */
	char *severity;     /* NULL: the check's default */
} rules_check_cfg;

typedef struct rules {
	char *path;
	char **includes;          /* the files "include" brought in, at any depth, in load order */
	int nincludes, capincludes;
	char hash[17];            /* of the bytes parsed: the file's, then each included file's */
	char *description;
	char **assert_macros;     /* macros whose argument is a contract */
	int nassert_macros;
	char **allocators;        /* functions returning a new object only their caller can reach */
	int nallocators;
	char **lock_members;      /* "STRUCT.FIELD": the lock inside a lock type (spinlock.rlock) */
	int nlock_members;
	rules_primitive *primitives;
	int nprimitives, capprimitives;
	la_strset primitive_index;  /* function names, index = position in primitives */
	rules_guard *guards;
	int nguards;
	char ***orders;           /* "order": [["a", "b", "c"], ...]: each chain, NULL-terminated */
	int norders;
	char **exclusive;         /* "exclusive": classes of which two instances may never be held */
	int nexclusive;
	rules_forbidden *forbidden;
	int nforbidden;
	rules_guarded_edge *guarded;
	int nguarded;
	rules_nesting *nesting;
	int nnesting;
	rules_softirq softirq;
	rules_ignore *ignores;
	int nignores;
	rules_check_cfg *checks;
	int nchecks;
	rules_single_cpu *single_cpu;
	int nsingle_cpu;
	rules_boot boot;
	rules_scope scope;
	rules_precondition *preconditions;
	int npreconditions;
	rules_constructor *constructors;
	int nconstructors;
	rules_thread *threads;
	int nthreads;
	rules_irq irq;
} rules;

/* The rules' precondition of a function, or NULL. */
const rules_precondition *rules_find_precondition(const rules *r, const char *function);
/* Whether a TU compiled with `args` (the stored command's arguments,
 * space-separated) is in the rules' "scope" (always, without one). */
int rules_in_scope(const rules *r, const char *args);
/* Whether code in `section` is boot code (rules "boot": "sections"). */
int rules_is_boot_section(const rules *r, const char *section);

/* The primitive for a function name, or NULL. */
const rules_primitive *rules_find_primitive(const rules *r, const char *function);

/* The guard for STRUCT.FIELD (an exact field rule before a STRUCT.* one), or NULL. */
const rules_guard *rules_find_guard(const rules *r, const char *sname, const char *field);
/* Position of a class in an order chain: *chain and *pos, or 0 when unordered. */
int rules_order_of(const rules *r, const char *cls, int *chain, int *pos);
int rules_is_exclusive(const rules *r, const char *cls);
int rules_is_allocator(const rules *r, const char *function);
/* Is cls a pseudo-lock that the handlers of an "irq" registration hold
 * ("holds")? Nothing acquires it; it is held all the same. */
int rules_is_registration_lock(const rules *r, const char *cls);
/* Is cls the name of a primitive's "resource" (a guard may accept a held
 * reference: "read under pcidevs_lock or while holding a pdev reference")? */
int rules_is_resource_name(const rules *r, const char *cls);
/* Is STRUCT.FIELD a "lock_members" entry (the lock is the object containing it)? */
int rules_is_lock_member(const rules *r, const char *sname, const char *field);
/* The "guarded_order" entry for `acquired` taken while `held` is held, or NULL. */
const rules_guarded_edge *rules_find_guarded_edge(const rules *r, const char *held, const char *acquired);
/* The "nesting" entry for two instances of `cls` taken in `function`, or NULL. */
const rules_nesting *rules_find_nesting(const rules *r, const char *cls, const char *function);
const rules_forbidden *rules_find_forbidden(const rules *r, const char *function);
/* The softirq registration function called `function`, or NULL. */
const rules_softirq_reg *rules_find_softirq_reg(const rules *r, const char *function);
/* Does the entry's check, function and subject match a finding's (each
 * missing member matches anything)? Its "via" is not looked at. */
int rules_ignore_matches(const rules_ignore *ig, const char *check, const char *function, const char *subject);
/* The first ignore entry without "via" matching a finding, or NULL. */
const rules_ignore *rules_find_ignore(const rules *r, const char *check, const char *function,
				      const char *subject);
const rules_check_cfg *rules_find_check(const rules *r, const char *id);

/* The hash of a rules file as an analysis records it (meta
 * analysis_rules_hash) and a later command compares it: of its bytes, as 16
 * hex digits. rules_load() records it in rules.hash from the same bytes it
 * parses, so a file that can be read only once (a pipe) is hashed right. */
void rules_text_hash(const char *text, size_t len, char hex[17]);

/* Errors name the file and the JSON path: "rules/xen-pci.json: $.assert_macros[2]:
 * expected a string". An unknown key is an error, and so is anything but
 * whitespace after the JSON document. The file is read once. */
int rules_load(const char *path, rules **out);
/* The same on text already in memory (LEN bytes); PATH is only for messages. */
int rules_parse(const char *path, const char *text, size_t len, rules **out);
void rules_free(rules *r);

#endif
