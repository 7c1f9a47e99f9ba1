/* A small Linux-like world for the kernel corpus (tests/corpus/linux/*.c),
 * written for lockaudit's tests (not taken from Linux): the lock API has the
 * shapes of Linux 6.1's, so that the primitives of rules/linux-primitives.json
 * apply and the rest is inferred:
 * - spin_lock() and kin are inline functions over _raw_spin_lock() on the
 *   lock's `rlock` member; spin_lock_irqsave() is a macro through
 *   spinlock_check(), which returns &lock->rlock;
 * - mutexes, rw semaphores, RCU and SRCU read-side sections, with
 *   _interruptible/_killable acquisitions that return 0 when they took it;
 * - guard()/scoped_guard() classes as in <linux/cleanup.h>: a variable with
 *   __attribute__((cleanup)) whose constructor locks and destructor unlocks;
 * - kzalloc() with gfp flags, and the calls that sleep. */
#ifndef CORPUS_LINUX_H
#define CORPUS_LINUX_H

#define NULL ((void *)0)
typedef _Bool bool;
#define true 1
#define false 0
#define EINTR 4
#define EBUSY 16
#define EINVAL 22

struct raw_spinlock { int raw; };
typedef struct spinlock { union { struct raw_spinlock rlock; }; } spinlock_t;
typedef struct { int raw; } rwlock_t;
struct mutex { int owner; };
struct rw_semaphore { int count; };
struct srcu_struct { int idx; };

/* primitives */
void _raw_spin_lock(struct raw_spinlock *l);
void _raw_spin_unlock(struct raw_spinlock *l);
int _raw_spin_trylock(struct raw_spinlock *l);
void _raw_spin_lock_irq(struct raw_spinlock *l);
void _raw_spin_unlock_irq(struct raw_spinlock *l);
unsigned long _raw_spin_lock_irqsave(struct raw_spinlock *l);
void _raw_spin_unlock_irqrestore(struct raw_spinlock *l, unsigned long flags);
void mutex_lock(struct mutex *m);
int mutex_lock_interruptible(struct mutex *m);
int mutex_lock_killable(struct mutex *m);
int mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
void down_read(struct rw_semaphore *s);
int down_read_trylock(struct rw_semaphore *s);
void up_read(struct rw_semaphore *s);
void down_write(struct rw_semaphore *s);
void up_write(struct rw_semaphore *s);
void downgrade_write(struct rw_semaphore *s);
void rcu_read_lock(void);
void rcu_read_unlock(void);
int srcu_read_lock(struct srcu_struct *s);
void srcu_read_unlock(struct srcu_struct *s, int idx);

/* the wrappers, inferred */
static inline struct raw_spinlock *spinlock_check(spinlock_t *lock) { return &lock->rlock; }
static inline void spin_lock(spinlock_t *lock) { _raw_spin_lock(&lock->rlock); }
static inline void spin_unlock(spinlock_t *lock) { _raw_spin_unlock(&lock->rlock); }
static inline void spin_lock_irq(spinlock_t *lock) { _raw_spin_lock_irq(&lock->rlock); }
static inline void spin_unlock_irq(spinlock_t *lock) { _raw_spin_unlock_irq(&lock->rlock); }
static inline int spin_trylock(spinlock_t *lock) { return _raw_spin_trylock(&lock->rlock); }
#define spin_lock_irqsave(lock, flags) do { flags = _raw_spin_lock_irqsave(spinlock_check(lock)); } while (0)
static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	_raw_spin_unlock_irqrestore(&lock->rlock, flags);
}

/* sleeping calls */
void might_resched(void);
#define might_sleep() do { might_resched(); } while (0)
void msleep(unsigned int ms);
unsigned long copy_from_user(void *to, const void *from, unsigned long n);
typedef unsigned int gfp_t;
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define GFP_KERNEL (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | 0x40u | 0x80u)
#define GFP_ATOMIC (0x20u | 0x200u | __GFP_KSWAPD_RECLAIM)
void *__kmalloc(unsigned long size, gfp_t flags);
static inline void *kzalloc(unsigned long size, gfp_t flags) { return __kmalloc(size, flags | 0x100u); }
void kfree(const void *p);

/* <linux/cleanup.h>-shaped guards */
#define __cleanup(fn) __attribute__((cleanup(fn)))
typedef struct mutex *class_mutex_t;
static inline void class_mutex_destructor(struct mutex **p) { struct mutex *_T = *p; mutex_unlock(_T); }
static inline struct mutex *class_mutex_constructor(struct mutex *_T) { mutex_lock(_T); return _T; }
typedef struct { spinlock_t *lock; } class_spinlock_t;
static inline void class_spinlock_destructor(class_spinlock_t *_T) { if (_T->lock) { spin_unlock(_T->lock); } }
static inline class_spinlock_t class_spinlock_constructor(spinlock_t *l)
{
	class_spinlock_t _t = { .lock = l }, *_T = &_t;
	spin_lock(_T->lock);
	return _t;
}
/* a conditional class (the kernel's DEFINE_GUARD_COND shape): the
 * constructor gives the lock when it took it, NULL when interrupted */
typedef struct mutex *class_mutex_intr_t;
static inline void class_mutex_intr_destructor(struct mutex **p) { struct mutex *_T = *p; if (_T) mutex_unlock(_T); }
static inline struct mutex *class_mutex_intr_constructor(struct mutex *l)
{
	struct mutex *_t = l;
	if (l && mutex_lock_interruptible(l) != 0)
		_t = NULL;
	return _t;
}
#define guard(name) class_##name##_t __guard __cleanup(class_##name##_destructor) = class_##name##_constructor
#define scoped_guard(name, args...) \
	for (class_##name##_t scope __cleanup(class_##name##_destructor) = class_##name##_constructor(args), \
	     *done = NULL; !done; done = (void *)1)
/* the body runs with the lock, `fail` runs when the constructor gave NULL */
#define scoped_cond_guard(name, fail, args...) \
	for (class_##name##_t scope __cleanup(class_##name##_destructor) = class_##name##_constructor(args), \
	     *done = NULL; !done; done = (void *)1) \
		if (!scope) fail; \
		else

struct list_head { struct list_head *next, *prev; };
#define container_of(ptr, type, member) ({ \
	void *mptr_ = (void *)(ptr); \
	((type *)((char *)mptr_ - __builtin_offsetof(type, member))); })
#define list_for_each_entry(pos, head, member) \
	for (pos = container_of((head)->next, typeof(*pos), member); \
	     &pos->member != (head); \
	     pos = container_of(pos->member.next, typeof(*pos), member))

/* sequence counters, as <linux/seqlock.h> builds them (a model): a
 * seqcount_spinlock_t wraps a seqcount_t; _Generic picks the accessor for
 * the counter's type; a reader spins in __read_seqcount_begin() while the
 * count is odd and retries when it changed; seqlock_t bundles a counter
 * with the spinlock that serialises its writers */
typedef struct seqcount { unsigned sequence; } seqcount_t;
typedef struct seqcount_spinlock { seqcount_t seqcount; } seqcount_spinlock_t;
static inline seqcount_t *__seqprop_ptr(seqcount_t *s) { return s; }
static inline seqcount_t *__seqprop_spinlock_ptr(seqcount_spinlock_t *s) { return &s->seqcount; }
unsigned __seqprop_sequence(const seqcount_t *s);
unsigned __seqprop_spinlock_sequence(const seqcount_spinlock_t *s);
int do_read_seqcount_retry(const seqcount_t *s, unsigned start);
void do_write_seqcount_begin(seqcount_t *s);
void do_write_seqcount_end(seqcount_t *s);
void cpu_relax(void);
#define seqprop_ptr(s) _Generic(*(s), seqcount_t: __seqprop_ptr((void *)(s)), \
				seqcount_spinlock_t: __seqprop_spinlock_ptr((void *)(s)))
#define seqprop_sequence(s) _Generic(*(s), seqcount_t: __seqprop_sequence((void *)(s)), \
				     seqcount_spinlock_t: __seqprop_spinlock_sequence((void *)(s)))
#define read_seqcount_begin(s) ({ unsigned seq_; while ((seq_ = seqprop_sequence(s)) & 1) cpu_relax(); seq_; })
#define read_seqcount_retry(s, start) do_read_seqcount_retry(seqprop_ptr(s), start)
#define write_seqcount_begin(s) do_write_seqcount_begin(seqprop_ptr(s))
#define write_seqcount_end(s) do_write_seqcount_end(seqprop_ptr(s))
typedef struct { seqcount_spinlock_t seqcount; spinlock_t lock; } seqlock_t;
unsigned read_seqbegin(const seqlock_t *sl);
unsigned read_seqretry(const seqlock_t *sl, unsigned start);
void write_seqlock(seqlock_t *sl);
void write_sequnlock(seqlock_t *sl);

/* a vfio-pci-like device */
struct irq_ctx { bool masked; void *trigger; };
struct pdev {
	struct mutex dev_mutex;
	int block_cfg_access;
	struct list_head bus_list;
	struct pdev *parent;
};
struct bus { struct list_head devices; struct pdev *self; };
struct vdev {
	spinlock_t irqlock;
	struct mutex igate;
	struct rw_semaphore memory_lock;
	struct irq_ctx *ctx;
	int num_ctx;
	int irq_type;
	bool pm_engaged;
	int scratch;
	struct srcu_struct srcu;
};
/* locks taken through out-parameters (follow_pte(), get_user_pages_remote()) */
struct mm_struct { struct rw_semaphore mmap_lock; };
typedef struct { unsigned long pte; } pte_t;
int follow_pte(struct mm_struct *mm, unsigned long address, pte_t **ptepp, spinlock_t **ptlp);
long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
			   void **pages, void **vmas, int *locked);
static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }

/* counted references */
struct pci_dev { int refs; int devfn; struct pci_dev *next; };
struct pci_dev *pci_dev_get(struct pci_dev *d);
void pci_dev_put(struct pci_dev *d);
struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from);
struct pci_dev *pci_get_slot(int bus, unsigned int devfn);
int pci_read_config_word(struct pci_dev *d, int where, unsigned short *val);
#define for_each_pci_dev(d) while ((d = pci_get_device(0xffff, 0xffff, d)) != NULL)

/* a Xen-like proposal: pdevs with a reference count beside pcidevs_lock */
extern struct mutex _pcidevs_lock;
static inline void pcidevs_lock(void) { mutex_lock(&_pcidevs_lock); }
static inline void pcidevs_unlock(void) { mutex_unlock(&_pcidevs_lock); }
struct xdomain { int id; };
struct xpdev { struct xdomain *domain; int sbdf; };
struct xpdev *pcidev_get(struct xpdev *p);
void pcidev_put(struct xpdev *p);
struct xpdev *pci_get_pdev_locked(int sbdf);

/* an ops table whose init gets a new object, IRQ registration */
struct vdev_ops { int (*init)(struct vdev *v); };
int request_irq(unsigned int irq, int (*handler)(int, void *), unsigned long flags, const char *name, void *dev);
void free_irq(unsigned int irq, void *dev);
/* kernel threads: a threaded IRQ handler runs in the one thread of its
 * (irq, dev_id); kthread_run() starts one thread per call */
int request_threaded_irq(unsigned int irq, int (*handler)(int, void *), int (*thread_fn)(int, void *),
			 unsigned long flags, const char *name, void *dev);
struct task_struct;
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...);
int wake_up_process(struct task_struct *p);
#define kthread_run(threadfn, data, namefmt, ...) ({ \
	struct task_struct *k_ = kthread_create_on_node(threadfn, data, -1, namefmt, ##__VA_ARGS__); \
	wake_up_process(k_); \
	k_; })
#endif
