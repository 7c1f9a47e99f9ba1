/* class-nesting: two instances of one lock class held at once, in an order
 * the rules do not declare ("nesting"): two CPUs nesting the same two
 * objects the other way round deadlock. Exclusive classes are same-class's
 * (same-class.c), the same instance twice double-lock's. */
#include "checks.h"

/* two domains' event locks, in whatever order the arguments come */
void warn_two_event_locks(struct domain *a, struct domain *b)
{
	spin_lock(&a->event_lock);
	spin_lock(&b->event_lock);
	a->domain_id = b->domain_id;
	spin_unlock(&b->event_lock);
	spin_unlock(&a->event_lock);
}

/* the second instance in a callee, whose other callers hold nothing:
 * reported in the callee, with the caller that holds the first (passed to
 * the callee, so it can name both) */
static void warn_cn_bump(struct domain *cur, struct domain *d)
{
	spin_lock(&d->event_lock);
	d->domain_id = cur->domain_id;
	spin_unlock(&d->event_lock);
}

void cn_nested_through_callee(struct domain *cur, struct domain *d)
{
	spin_lock(&cur->event_lock);
	warn_cn_bump(cur, d);
	spin_unlock(&cur->event_lock);
}

void cn_bump_alone(struct domain *cur, struct domain *d)
{
	warn_cn_bump(cur, d);
}

/* the same, but the callee is not given the caller's domain: the lock
 * held is one it cannot name, and such locks are not reported (too often
 * an object nobody locks the other way round) */
static void known_miss_cn_bump_unnamed(struct domain *d)
{
	spin_lock(&d->event_lock);
	d->domain_id++;
	spin_unlock(&d->event_lock);
}

void cn_unnamed_caller(struct domain *cur, struct domain *d)
{
	spin_lock(&cur->event_lock);
	known_miss_cn_bump_unnamed(d);
	spin_unlock(&cur->event_lock);
}

void cn_unnamed_alone(struct domain *d)
{
	known_miss_cn_bump_unnamed(d);
}

/* two read locks of one class: readers do not wait for readers */
int good_two_readers(struct domain *a, struct domain *b)
{
	int n;

	read_lock(&a->pci_lock);
	read_lock(&b->pci_lock);
	n = a->domain_id != b->domain_id;
	read_unlock(&b->pci_lock);
	read_unlock(&a->pci_lock);
	return n;
}

/* a recursive lock taken again is one instance, not two */
void good_recursive_again(void)
{
	pcidevs_lock();
	pcidevs_lock();
	pcidevs_unlock();
	pcidevs_unlock();
}

/* Xen's rangeset_swap() locks the two lowest address first: the rules'
 * "nesting" declares it, so neither it nor its callers are reported */
struct rangeset {
	rwlock_t lock;
	int nr;
};

void rangeset_swap(struct rangeset *a, struct rangeset *b)
{
	int t;

	if (a < b) {
		write_lock(&a->lock);
		write_lock(&b->lock);
	} else {
		write_lock(&b->lock);
		write_lock(&a->lock);
	}
	t = a->nr;
	a->nr = b->nr;
	b->nr = t;
	write_unlock(&a->lock);
	write_unlock(&b->lock);
}

void good_swap_caller(struct rangeset *a, struct rangeset *b)
{
	rangeset_swap(a, b);
}

/* the same ordered pattern in a function the rules do not name: the check
 * cannot tell the order (the rules' "nesting" can, with a reason) */
void known_fp_ordered_by_address(struct domain *a, struct domain *b)
{
	if (a < b) {
		spin_lock(&a->event_lock);
		spin_lock(&b->event_lock);
	} else {
		spin_lock(&b->event_lock);
		spin_lock(&a->event_lock);
	}
	a->domain_id = b->domain_id;
	spin_unlock(&a->event_lock);
	spin_unlock(&b->event_lock);
}

/* Older spellings of the lock API (rules: primitives with "versions"):
 * grant tables behind a per-CPU rwlock (Xen 4.7 to 4.15: grant_write_lock()
 * over _percpu_write_lock()), and the recursive spinlock before 4.19. */
typedef struct percpu_rwlock { int raw; } percpu_rwlock_t;
void _percpu_write_lock(percpu_rwlock_t **per_cpudata, percpu_rwlock_t *l);
void _percpu_write_unlock(percpu_rwlock_t **per_cpudata, percpu_rwlock_t *l);
void _spin_lock_recursive(spinlock_t *l);
void _spin_unlock_recursive(spinlock_t *l);
extern percpu_rwlock_t *grant_rwlock;

struct grant_table {
	percpu_rwlock_t lock;
	unsigned int nr_frames;
};

static inline void grant_write_lock(struct grant_table *gt)
{
	_percpu_write_lock(&grant_rwlock, &gt->lock);
}
#define grant_write_unlock(gt) _percpu_write_unlock(&grant_rwlock, &(gt)->lock)

/* both tables, lowest address first: declared in the rules' "nesting" */
void double_gt_lock(struct grant_table *lgt, struct grant_table *rgt)
{
	if (lgt < rgt) {
		grant_write_lock(lgt);
		grant_write_lock(rgt);
	} else {
		grant_write_lock(rgt);
		grant_write_lock(lgt);
	}
	lgt->nr_frames = rgt->nr_frames;
	grant_write_unlock(lgt);
	grant_write_unlock(rgt);
}

/* both tables in the arguments' order */
void warn_gt_copy_unordered(struct grant_table *lgt, struct grant_table *rgt)
{
	grant_write_lock(lgt);
	grant_write_lock(rgt);
	rgt->nr_frames = lgt->nr_frames;
	grant_write_unlock(rgt);
	grant_write_unlock(lgt);
}

struct cn_old_dom {
	spinlock_t page_alloc_lock;
	unsigned int tot_pages;
};

/* the old recursive spinlock taken again: one instance */
void good_old_recursive_again(struct cn_old_dom *d)
{
	_spin_lock_recursive(&d->page_alloc_lock);
	_spin_lock_recursive(&d->page_alloc_lock);
	d->tot_pages++;
	_spin_unlock_recursive(&d->page_alloc_lock);
	_spin_unlock_recursive(&d->page_alloc_lock);
}

/*
 * check-findings-start
 * class-nesting.c:11:2: warning: acquiring b->event_lock while a->event_lock is held: two domain.event_lock locks at once in an order the rules do not declare ("nesting") [lockaudit-class-nesting]
 * class-nesting.c:10:2: note: a->event_lock acquired in warn_two_event_locks()
 * class-nesting.c:11:2: note: b->event_lock acquired
 * class-nesting.c:22:2: warning: acquiring d->event_lock while cur->event_lock may be held by the caller cn_nested_through_callee(): two domain.event_lock locks at once in an order the rules do not declare ("nesting") [lockaudit-class-nesting]
 * class-nesting.c:30:2: note: cn_nested_through_callee() calls warn_cn_bump() holding cur->event_lock
 * class-nesting.c:22:2: note: d->event_lock acquired
 * class-nesting.c:119:3: warning: acquiring b->event_lock while a->event_lock is held: two domain.event_lock locks at once in an order the rules do not declare ("nesting") [lockaudit-class-nesting]
 * class-nesting.c:118:3: note: a->event_lock acquired in known_fp_ordered_by_address()
 * class-nesting.c:119:3: note: b->event_lock acquired
 * class-nesting.c:122:3: warning: acquiring a->event_lock while b->event_lock is held: two domain.event_lock locks at once in an order the rules do not declare ("nesting") [lockaudit-class-nesting]
 * class-nesting.c:121:3: note: b->event_lock acquired in known_fp_ordered_by_address()
 * class-nesting.c:122:3: note: a->event_lock acquired
 * class-nesting.c:169:2: warning: acquiring rgt->lock while lgt->lock is held: two grant_table.lock locks at once in an order the rules do not declare ("nesting") [lockaudit-class-nesting]
 * class-nesting.c:168:2: note: lgt->lock acquired in warn_gt_copy_unordered()
 * class-nesting.c:169:2: note: rgt->lock acquired
 * check-findings-end
 */
