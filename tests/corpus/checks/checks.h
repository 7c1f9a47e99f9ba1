/* A small Xen-like world for the check corpus (tests/corpus/checks/*.c),
 * written for lockaudit's tests (not taken from Xen): the underscore lock
 * functions are the primitives of rules/xen-pci.json, everything else is a
 * wrapper the analysis infers from its body.
 *
 * The model follows the comment above pci_lock in Xen's struct domain:
 * - the global recursive _pcidevs_lock (pcidevs_lock()/pcidevs_unlock()/
 *   pcidevs_locked()),
 * - the per-domain rwlock d->pci_lock: walking d->pdev_list or reading a
 *   device's vpci needs pcidevs_lock or d->pci_lock, changing them needs
 *   d->pci_lock for writing (and pcidevs_lock for the list),
 * - the per-device pdev->vpci->lock over the vPCI state,
 * - taken in that order: pcidevs_lock, d->pci_lock, vpci->lock.
 * The device list is singly linked (d->pdev_list, pdev->domain_list) to keep
 * the accesses plain field reads and writes. */
#ifndef CORPUS_CHECKS_H
#define CORPUS_CHECKS_H

#define NULL ((void *)0)
typedef _Bool bool;
#define EBUSY 16
#define ENODEV 19
#define EINVAL 22

typedef struct { int raw; } spinlock_t;
typedef struct { int raw; } rwlock_t;
typedef struct { int raw; } rspinlock_t;

/* primitives (rules/xen-pci.json) */
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
bool _spin_trylock(spinlock_t *l);
bool _spin_is_locked(const spinlock_t *l);
void _spin_lock_irq(spinlock_t *l);
void _spin_unlock_irq(spinlock_t *l);
unsigned long _spin_lock_irqsave(spinlock_t *l);
void _spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
void _read_lock(rwlock_t *l);
void _read_unlock(rwlock_t *l);
bool _read_trylock(rwlock_t *l);
void _write_lock(rwlock_t *l);
void _write_unlock(rwlock_t *l);
int _rw_is_locked(const rwlock_t *l);
int _rw_is_write_locked(const rwlock_t *l);
void _rspin_lock(rspinlock_t *l);
void _rspin_unlock(rspinlock_t *l);
bool _rspin_trylock(rspinlock_t *l);
bool _rspin_is_locked(const rspinlock_t *l);

/* the wrappers: as in Xen's headers, the lock functions are inline
 * functions around the primitives (the analysis infers them), the unlocks
 * macros */
static inline void spin_lock(spinlock_t *l) { _spin_lock(l); }
static inline void spin_lock_irq(spinlock_t *l) { _spin_lock_irq(l); }
static inline void read_lock(rwlock_t *l) { _read_lock(l); }
static inline void write_lock(rwlock_t *l) { _write_lock(l); }
#define spin_unlock(l) _spin_unlock(l)
#define spin_unlock_irq(l) _spin_unlock_irq(l)
#define spin_unlock_irqrestore(l, f) _spin_unlock_irqrestore(l, f)
#define read_unlock(l) _read_unlock(l)
#define write_unlock(l) _write_unlock(l)

/* like lock_evaluate_nospec(): the result of a trylock through a barrier */
static inline bool barrier_lock_true(void) { return 1; }
static inline bool barrier_lock_false(void) { return 0; }
static inline bool lock_evaluate_nospec(bool c)
{
	if ( c )
		return barrier_lock_true();
	else
		return barrier_lock_false();
}
#define spin_trylock(l) lock_evaluate_nospec(_spin_trylock(l))
#define read_trylock(l) lock_evaluate_nospec(_read_trylock(l))
#define spin_lock_irqsave(l, f) ((f) = _spin_lock_irqsave(l))
#define spin_is_locked(l) _spin_is_locked(l)
#define rw_is_locked(l) _rw_is_locked(l)
#define rw_is_write_locked(l) _rw_is_write_locked(l)

/* boot code: in a section freed once boot is over (rules "boot") */
#define __init __attribute__((__section__(".init.text")))

_Noreturn void assert_failed(const char *msg);
#define ASSERT(p) do { if ( __builtin_expect(!(p), 0) ) assert_failed(#p); } while ( 0 )

/* the global recursive PCI lock and its wrappers */
extern rspinlock_t _pcidevs_lock;
static inline void pcidevs_lock(void) { _rspin_lock(&_pcidevs_lock); }
static inline void pcidevs_unlock(void) { _rspin_unlock(&_pcidevs_lock); }
static inline bool pcidevs_locked(void) { return _rspin_is_locked(&_pcidevs_lock); }
static inline bool pcidevs_trylock(void) { return _rspin_trylock(&_pcidevs_lock); }

/* runs the softirq handlers but the scheduler's (rules:
 * forbidden_under_lock, "softirq-blocks": a finding when a handler may wait
 * for a lock held at the call) */
void process_pending_softirqs(void);
/* runs every softirq, and may schedule: never under a lock ("always") */
void do_softirq(void);

/* where softirq handlers come from (rules: softirq.registrations); the
 * numbers as in Xen: 2 and 3 are the scheduler's, which
 * process_pending_softirqs() skips */
typedef void (*softirq_handler)(void);
void open_softirq(int nr, softirq_handler handler);
struct timer {
	void (*function)(void *data);
	void *data;
};
void init_timer(struct timer *timer, void (*function)(void *data), void *data, unsigned int cpu);
struct tasklet {
	void (*func)(void *data);
	void *data;
};
void softirq_tasklet_init(struct tasklet *t, void (*func)(void *data), void *data);

/* IRQ state (rules: primitives "local_irq_is_enabled", and "irq": do_IRQ()
 * is entered with IRQs off, pv_hypercall() and softirq handlers with IRQs
 * on, request_irq() handlers with IRQs on) */
int local_irq_is_enabled(void);
int request_irq(unsigned int irq, unsigned int flags, void (*handler)(int irq, void *dev), const char *name,
		void *dev);
struct cpu_user_regs;
void do_IRQ(struct cpu_user_regs *regs);
void pv_hypercall(struct cpu_user_regs *regs);

struct vpci {
	spinlock_t lock;
	unsigned int cmd;        /* vpci.*: under vpci->lock */
	int nr_bars;
	bool rom_enabled;
	unsigned int rebar_nbars;  /* set up and torn down only */
	unsigned int ext_caps;
};

struct pci_dev;

struct domain {
	rwlock_t pci_lock;
	spinlock_t event_lock;       /* no rule: event channels and pirqs */
	rwlock_t caps_lock;          /* no rule; two are nested in domain-id order */
	struct pci_dev *pdev_list;   /* devices assigned to the domain */
	int domain_id;
};

struct pci_dev {
	struct pci_dev *domain_list;  /* next device of the same domain */
	struct domain *domain;
	struct vpci *vpci;
	unsigned int sbdf;
};

/* Boot and S3 (rules "single_cpu"): __start_xen() (order.c) runs on one CPU
 * until it calls smp_prepare_cpus(), enter_state() (order.c) from
 * disable_nonboot_cpus() until enable_nonboot_cpus(). */
void smp_prepare_cpus(void);
int disable_nonboot_cpus(void);
void enable_nonboot_cpus(void);
int good_boot_count_devices(struct domain *d);   /* guard.c, called at boot */

#endif
