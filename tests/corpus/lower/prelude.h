/* Shared by the lowering corpus: a Xen-like lock API and macros, written for
 * lockaudit's tests. */
#ifndef CORPUS_PRELUDE_H
#define CORPUS_PRELUDE_H

#define NULL ((void *)0)
typedef _Bool bool;
#define true 1
#define false 0

typedef struct { int raw; } spinlock_t;
typedef struct { int raw; } rwlock_t;
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
int _spin_trylock(spinlock_t *l);
void _read_lock(rwlock_t *l);
void _read_unlock(rwlock_t *l);
void _write_lock(rwlock_t *l);
void _write_unlock(rwlock_t *l);
int _rw_is_write_locked(rwlock_t *l);
#define spin_lock(l) _spin_lock(l)
#define spin_unlock(l) _spin_unlock(l)

void pcidevs_lock(void);
void pcidevs_unlock(void);
bool pcidevs_locked(void);

_Noreturn void assert_failed(const char *msg);
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ASSERT(p) do { if ( unlikely(!(p)) ) assert_failed(#p); } while ( 0 )
#define BUG_ON(p) do { if ( unlikely(p) ) assert_failed(#p); } while ( 0 )

struct list_head { struct list_head *next, *prev; };
#define container_of(ptr, type, member) ({ \
	typeof(((type *)0)->member) *mptr_ = (ptr); \
	(type *)((char *)mptr_ - __builtin_offsetof(type, member)); })
#define list_for_each_entry(pos, head, member) \
	for ( pos = container_of((head)->next, typeof(*pos), member); \
	      &pos->member != (head); \
	      pos = container_of(pos->member.next, typeof(*pos), member) )

struct domain {
	rwlock_t pci_lock;
	spinlock_t lock;
	struct list_head pdev_list;
};

struct vpci {
	spinlock_t lock;
	struct { unsigned int nr; unsigned long bars[6]; } header;
};

struct pci_dev {
	struct list_head domain_list;
	struct domain *domain;
	struct vpci *vpci;
	unsigned int sbdf;
};

#endif
