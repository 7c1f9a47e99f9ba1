/* Xen-like lock API for the lock-analysis corpus: the underscore functions
 * are the primitives of rules/xen-pci.json; the others are wrappers the
 * analysis must infer from their bodies. Written for lockaudit's tests. */
#ifndef CORPUS_LOCKS_H
#define CORPUS_LOCKS_H

#define NULL ((void *)0)
typedef _Bool bool;

typedef struct { int raw; } spinlock_t;
typedef struct { int raw; } rwlock_t;
typedef struct { int raw; } rspinlock_t;

void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
bool _spin_trylock(spinlock_t *l);
unsigned long _spin_lock_irqsave(spinlock_t *l);
void _spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
void _read_lock(rwlock_t *l);
void _read_unlock(rwlock_t *l);
void _write_lock(rwlock_t *l);
void _write_unlock(rwlock_t *l);
int _rw_is_write_locked(const rwlock_t *l);
void _rspin_lock(rspinlock_t *l);
void _rspin_unlock(rspinlock_t *l);
bool _rspin_is_locked(const rspinlock_t *l);

static inline void spin_lock(spinlock_t *l) { _spin_lock(l); }
static inline void spin_unlock(spinlock_t *l) { _spin_unlock(l); }
static inline void read_lock(rwlock_t *l) { _read_lock(l); }
static inline void read_unlock(rwlock_t *l) { _read_unlock(l); }
static inline void write_lock(rwlock_t *l) { _write_lock(l); }
static inline void write_unlock(rwlock_t *l) { _write_unlock(l); }
/* like Xen's lock_evaluate_nospec(): returns a value as true as its
 * argument, through a barrier helper that returns constants */
static inline bool barrier_true(void) { return 1; }
static inline bool barrier_false(void) { return 0; }
static inline bool arch_evaluate_nospec(bool c)
{
	if ( c )
		return barrier_true();
	else
		return barrier_false();
}
static inline bool evaluate_nospec(bool c) { return arch_evaluate_nospec(c); }
#define spin_trylock(l) evaluate_nospec(_spin_trylock(l))
#define spin_lock_irqsave(l, f) ((f) = _spin_lock_irqsave(l))
#define rw_is_write_locked(l) _rw_is_write_locked(l)

_Noreturn void assert_failed(const char *msg);
#define ASSERT(p) do { if ( __builtin_expect(!(p), 0) ) assert_failed(#p); } while ( 0 )

struct vpci { spinlock_t lock; int nr; };
struct domain { rwlock_t pci_lock; spinlock_t lock; int count; };
struct pci_dev { struct domain *domain; struct vpci *vpci; int sbdf; };

void pcidevs_lock(void);
void pcidevs_unlock(void);
bool pcidevs_locked(void);

#endif
