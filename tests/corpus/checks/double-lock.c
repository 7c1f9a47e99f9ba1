/* double-lock: a non-recursive lock acquired while it may already be held,
 * directly, through a wrapper, or because every caller holds it. The
 * recursive pcidevs_lock may be taken again. */
#include "checks.h"

/* returns pdev's vPCI state with its lock held: the caller unlocks it
 * (every caller holds d->pci_lock, which pdev->vpci needs) */
struct vpci *dl_vpci_get_locked(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	return pdev->vpci;
}

/* takes and drops pdev's vPCI lock */
void dl_vpci_reset(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->nr_bars = 0;
	spin_unlock(&pdev->vpci->lock);
}

/* --- correct --- */

/* the recursive lock, taken again by a function its holder calls */
static void good_inner_pcidevs(struct pci_dev *pdev)
{
	pcidevs_lock();
	pdev->sbdf = 0;
	pcidevs_unlock();
}

void good_outer_pcidevs(struct pci_dev *pdev)
{
	pcidevs_lock();
	good_inner_pcidevs(pdev);
	pcidevs_unlock();
}

/* the lock handed back by the getter, released under the name the getter
 * returned, then taken again */
void good_relock_handed_back(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = dl_vpci_get_locked(pdev);
	v->cmd = 0;
	spin_unlock(&v->lock);
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->cmd = 1;
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the trylock failed, so the lock is not held when it is waited for */
void good_trylock_then_wait(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	if ( !spin_trylock(&pdev->vpci->lock) )
		spin_lock(&pdev->vpci->lock);
	pdev->vpci->cmd = 0;
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* dropped and taken again on every turn of a loop */
void good_loop_relock(struct domain *d)
{
	struct pci_dev *pdev;

	pcidevs_lock();
	write_lock(&d->pci_lock);
	while ( (pdev = d->pdev_list) != NULL )
	{
		d->pdev_list = pdev->domain_list;
		write_unlock(&d->pci_lock);
		pdev->sbdf = 0;
		write_lock(&d->pci_lock);
	}
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
}

/* the read lock given up before the write lock is taken, the two under
 * different names of the same lock */
void good_read_then_write(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	bool has;

	read_lock(&pdev->domain->pci_lock);
	has = pdev->vpci != NULL;
	read_unlock(&d->pci_lock);
	if ( !has )
		return;
	pcidevs_lock();
	write_lock(&d->pci_lock);
	pdev->vpci = NULL;
	write_unlock(&pdev->domain->pci_lock);
	pcidevs_unlock();
}

/* the lock held by every caller, and the callee asserts it instead of
 * taking it */
static void good_callee_asserts(struct pci_dev *pdev)
{
	ASSERT(spin_is_locked(&pdev->vpci->lock));
	pdev->vpci->rom_enabled = 0;
}

void good_caller_holds(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	good_callee_asserts(pdev);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the locks of two different domains */
void good_two_domains(struct domain *a, struct domain *b, unsigned int *n)
{
	read_lock(&a->pci_lock);
	*n = a->pdev_list != NULL;
	read_unlock(&a->pci_lock);
	read_lock(&b->pci_lock);
	*n += b->pdev_list != NULL;
	read_unlock(&b->pci_lock);
}

/* two domains' locks taken in domain-id order: the second read_lock of
 * `cur` is under the opposite comparison, never on the same path. Named
 * after Xen's helper, which the rules' "nesting" declares an ordered
 * nesting of domain.caps_lock (class-nesting does not report it) */
void iocaps_double_lock(struct domain *d, struct domain *cur)
{
	if (d->domain_id > cur->domain_id)
		read_lock(&cur->caps_lock);
	write_lock(&d->caps_lock);
	if (d->domain_id < cur->domain_id)
		read_lock(&cur->caps_lock);
	if (d->domain_id != cur->domain_id)
		read_unlock(&cur->caps_lock);
	write_unlock(&d->caps_lock);
}

/* a per-CPU lock reached through a macro temporary that gets a fresh name
 * at each use (Xen's per_cpu(): RELOC_HIDE hides the pointer in asm) */
struct pcpu_lock {
	spinlock_t lock;
	unsigned int lost;
};
extern struct pcpu_lock pcpu_locks;
extern unsigned long cpu_offset[8];
#define PER_CPU(var, cpu) (*({ unsigned long __ptr; \
	__asm__("" : "=r"(__ptr) : "0"(&(var))); \
	(typeof(&(var)))(__ptr + cpu_offset[cpu]); }))

void good_each_cpu(void)
{
	for (int i = 0; i < 8; i++) {
		spin_lock(&PER_CPU(pcpu_locks, i).lock);
		PER_CPU(pcpu_locks, i).lost = 0;
		spin_unlock(&PER_CPU(pcpu_locks, i).lock);
	}
}

/* calls the function that takes the vPCI lock without holding it */
void good_reset(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	dl_vpci_reset(pdev);
	read_unlock(&d->pci_lock);
}

/* --- bugs --- */

/* read-locked twice, once through a copy of pdev->domain: a writer
 * waiting in between deadlocks both */
bool warn_read_twice(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	bool has;

	read_lock(&d->pci_lock);
	read_lock(&pdev->domain->pci_lock);
	has = pdev->vpci != NULL;
	read_unlock(&pdev->domain->pci_lock);
	read_unlock(&d->pci_lock);
	return has;
}

/* an upgrade: the write lock waits for the reader, which is itself */
void warn_upgrade(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	if ( pdev->vpci )
	{
		write_lock(&d->pci_lock);
		pdev->vpci = NULL;
		write_unlock(&d->pci_lock);
	}
	read_unlock(&d->pci_lock);
}

/* the wrapper takes the lock the function already holds */
void warn_relock_by_wrapper(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	v = dl_vpci_get_locked(pdev);
	v->cmd = 0;
	spin_unlock(&v->lock);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the callee takes the vPCI lock again; it is also called (by good_reset)
 * without the lock, so the callers do not all hold it (lockaudit today:
 * missed, a callee that takes and drops a lock has no summary) */
void known_miss_relock_in_callee(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	dl_vpci_reset(pdev);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* takes the vPCI lock its only caller holds */
static void warn_callee_relocks(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->cmd = 0;
	spin_unlock(&pdev->vpci->lock);
}

void vpci_write_handler(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	warn_callee_relocks(pdev);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/*
 * check-findings-start
 * double-lock.c:193:2: error: acquiring pdev->domain->pci_lock, which is already held (read-locked twice: deadlocks when a writer waits in between) [lockaudit-double-lock]
 * double-lock.c:192:2: note: pdev->domain->pci_lock acquired in warn_read_twice()
 * double-lock.c:193:2: note: pdev->domain->pci_lock acquired again by read_lock()
 * double-lock.c:208:3: error: acquiring pdev->domain->pci_lock, which is already held [lockaudit-double-lock]
 * double-lock.c:205:2: note: pdev->domain->pci_lock acquired in warn_upgrade()
 * double-lock.c:208:3: note: pdev->domain->pci_lock acquired again by write_lock()
 * double-lock.c:209:9: warning: write to pci_dev.vpci without _pcidevs_lock held [lockaudit-guard]
 * double-lock.c:209:9: note: written here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * guard.c:29:14: note: conflicting read in good_has_vpci(), holding _pcidevs_lock, can run at the same time as this access, holding domain.pci_lock
 * double-lock.c:223:6: error: acquiring pdev->vpci->lock, which is already held [lockaudit-double-lock]
 * double-lock.c:222:2: note: pdev->vpci->lock acquired in warn_relock_by_wrapper()
 * double-lock.c:223:6: note: pdev->vpci->lock acquired again by dl_vpci_get_locked()
 * double-lock.c:247:2: error: acquiring pdev->vpci->lock, which is already held [lockaudit-double-lock]
 * double-lock.c:258:2: note: vpci_write_handler() calls warn_callee_relocks() holding it (it changed the lock itself)
 * double-lock.c:258:2: note: pdev->vpci->lock held by every caller of warn_callee_relocks()
 * double-lock.c:247:2: note: pdev->vpci->lock acquired again by spin_lock()
 * check-findings-end
 */
