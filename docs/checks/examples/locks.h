/* The lock API of the examples in docs/checks/: the underscore functions
 * are primitives of rules/xen-pci.json, everything else is a wrapper that
 * lockaudit infers from its body. Written for these docs. */
#ifndef DOC_LOCKS_H
#define DOC_LOCKS_H

#define NULL ((void *)0)
typedef _Bool bool;

typedef struct { int raw; } spinlock_t;
typedef struct { int raw; } rwlock_t;
typedef struct { int raw; } rspinlock_t;

/* primitives (rules/xen-pci.json "primitives") */
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
unsigned long _spin_lock_irqsave(spinlock_t *l);
void _spin_lock_irq(spinlock_t *l);
void _spin_unlock_irq(spinlock_t *l);
void _spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
bool _spin_is_locked(const spinlock_t *l);
void _read_lock(rwlock_t *l);
void _read_unlock(rwlock_t *l);
void _write_lock(rwlock_t *l);
void _write_unlock(rwlock_t *l);
int _rw_is_locked(const rwlock_t *l);
int _rw_is_write_locked(const rwlock_t *l);
void _rspin_lock(rspinlock_t *l);
void _rspin_unlock(rspinlock_t *l);
bool _rspin_is_locked(const rspinlock_t *l);

/* wrappers: inferred, no rule names them */
static inline void spin_lock(spinlock_t *l) { _spin_lock(l); }
static inline void spin_unlock(spinlock_t *l) { _spin_unlock(l); }
static inline void read_lock(rwlock_t *l) { _read_lock(l); }
static inline void read_unlock(rwlock_t *l) { _read_unlock(l); }
static inline void write_lock(rwlock_t *l) { _write_lock(l); }
static inline void write_unlock(rwlock_t *l) { _write_unlock(l); }
static inline void spin_lock_irq(spinlock_t *l) { _spin_lock_irq(l); }
#define spin_unlock_irq(l) _spin_unlock_irq(l)
#define spin_lock_irqsave(l, f) ((f) = _spin_lock_irqsave(l))
#define spin_unlock_irqrestore(l, f) _spin_unlock_irqrestore(l, f)
#define spin_is_locked(l) _spin_is_locked(l)
#define rw_is_locked(l) _rw_is_locked(l)
#define rw_is_write_locked(l) _rw_is_write_locked(l)

extern rspinlock_t _pcidevs_lock;
static inline void pcidevs_lock(void) { _rspin_lock(&_pcidevs_lock); }
static inline void pcidevs_unlock(void) { _rspin_unlock(&_pcidevs_lock); }
static inline bool pcidevs_locked(void) { return _rspin_is_locked(&_pcidevs_lock); }

_Noreturn void assert_failed(const char *msg);
#define ASSERT(p) do { if ( !(p) ) assert_failed(#p); } while ( 0 )

void process_pending_softirqs(void);
struct timer { void (*function)(void *data); void *data; };
/* a softirq handler registration (rules: softirq.registrations) */
void init_timer(struct timer *timer, void (*function)(void *data), void *data, unsigned int cpu);

/* the IRQ roots of rules/xen-pci.json ("irq"): the interrupt entry runs
 * with IRQs disabled, the hypercall entry with IRQs enabled */
struct cpu_user_regs;
void do_IRQ(struct cpu_user_regs *regs);
void pv_hypercall(struct cpu_user_regs *regs);

/* the structs and fields rules/xen-pci.json speaks about */
struct vpci { spinlock_t lock; unsigned int cmd; unsigned int nr_bars; };
struct domain { rwlock_t pci_lock; spinlock_t event_lock; unsigned int nr_pdevs; };
struct pci_dev { struct domain *domain; struct vpci *vpci; unsigned int sbdf; };

/* Xen's proposed pdev references (refcount-balance.rules.json declares them) */
struct pci_dev *pcidev_get(struct pci_dev *pdev);
void pcidev_put(struct pci_dev *pdev);
struct pci_dev *pci_get_pdev_locked(unsigned int sbdf);
int vpci_reset(struct pci_dev *pdev);

#endif
