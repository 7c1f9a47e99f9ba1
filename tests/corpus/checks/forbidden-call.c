/* forbidden-call: process_pending_softirqs() with a lock held (rules
 * "forbidden_under_lock"): the softirq handlers it runs may take the same
 * locks. Long loops over devices call it to keep the watchdog quiet, and
 * must drop their locks around it. */
#include "checks.h"

static spinlock_t fc_map_lock;

int setup_device(struct pci_dev *pdev);

/* --- correct --- */

/* the domain's lock dropped around the call on every turn */
void good_drop_around(struct domain *d)
{
	struct pci_dev *pdev;

	read_lock(&d->pci_lock);
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
	{
		read_unlock(&d->pci_lock);
		process_pending_softirqs();
		read_lock(&d->pci_lock);
	}
	read_unlock(&d->pci_lock);
}

/* after the unlock */
int good_after_unlock(struct pci_dev *pdev)
{
	int rc;

	pcidevs_lock();
	rc = setup_device(pdev);
	pcidevs_unlock();
	process_pending_softirqs();
	return rc;
}

/* waits for a lock by trylock, running softirqs while it is not had */
void good_trylock_wait(struct pci_dev *pdev)
{
	while ( !spin_trylock(&fc_map_lock) )
		process_pending_softirqs();
	setup_device(pdev);
	spin_unlock(&fc_map_lock);
}

/* a NULL test decides the lock and the unlock */
void good_null_correlated_softirqs(struct domain *d, struct pci_dev *pdev)
{
	if ( d )
		read_lock(&d->pci_lock);
	setup_device(pdev);
	if ( d )
		read_unlock(&d->pci_lock);
	process_pending_softirqs();
}

/* returns pdev's vPCI state with its lock held: the caller unlocks it
 * (every caller holds d->pci_lock) */
struct vpci *good_fc_vpci_get_locked(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	return pdev->vpci;
}

/* the handed-back lock released under the returned name first */
void good_handed_back_then_softirqs(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = good_fc_vpci_get_locked(pdev);
	v->cmd = 0;
	spin_unlock(&v->lock);
	read_unlock(&d->pci_lock);
	process_pending_softirqs();
}

/* calls it; so do its callers, with no lock held */
static void good_callee_softirqs(struct pci_dev *pdev)
{
	setup_device(pdev);
	process_pending_softirqs();
}

void good_caller_unlocked(struct pci_dev *pdev)
{
	good_callee_softirqs(pdev);
	good_callee_softirqs(pdev);
}

/* --- bugs --- */

/* a long loop over every device under pcidevs_lock */
void warn_under_pcidevs(struct domain *d)
{
	struct pci_dev *pdev;

	pcidevs_lock();
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
	{
		setup_device(pdev);
		process_pending_softirqs();
	}
	pcidevs_unlock();
}

/* under the domain's lock, held for reading */
void warn_under_read_lock(struct domain *d)
{
	struct pci_dev *pdev;

	read_lock(&d->pci_lock);
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
		process_pending_softirqs();
	read_unlock(&d->pci_lock);
}

/* in a callee whose only caller holds the vPCI lock */
static void warn_map_slowly(struct pci_dev *pdev)
{
	setup_device(pdev);
	process_pending_softirqs();
}

void vpci_map_handler(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	warn_map_slowly(pdev);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the trylock succeeded: the lock is held */
void warn_after_trylock(struct pci_dev *pdev)
{
	if ( spin_trylock(&fc_map_lock) )
	{
		setup_device(pdev);
		process_pending_softirqs();
		spin_unlock(&fc_map_lock);
	}
}

/*
 * check-findings-start
 * forbidden-call.c:106:3: warning: call to process_pending_softirqs() with _pcidevs_lock held [lockaudit-forbidden-call]
 * forbidden-call.c:102:2: note: _pcidevs_lock acquired in warn_under_pcidevs()
 * forbidden-call.c:106:3: note: process_pending_softirqs() called (softirq handlers run inside it and may take the same locks, so it must be called with no lock held)
 * forbidden-call.c:118:3: warning: call to process_pending_softirqs() with d->pci_lock held [lockaudit-forbidden-call]
 * forbidden-call.c:116:2: note: d->pci_lock acquired in warn_under_read_lock()
 * forbidden-call.c:118:3: note: process_pending_softirqs() called (softirq handlers run inside it and may take the same locks, so it must be called with no lock held)
 * forbidden-call.c:126:2: warning: call to process_pending_softirqs() with $0->domain->pci_lock held [lockaudit-forbidden-call]
 * forbidden-call.c:135:2: note: vpci_map_handler() calls warn_map_slowly() holding it (it changed the lock itself)
 * forbidden-call.c:135:2: note: $0->domain->pci_lock held by every caller of warn_map_slowly()
 * forbidden-call.c:126:2: note: process_pending_softirqs() called (softirq handlers run inside it and may take the same locks, so it must be called with no lock held)
 * forbidden-call.c:126:2: warning: call to process_pending_softirqs() with $0->vpci->lock held [lockaudit-forbidden-call]
 * forbidden-call.c:135:2: note: vpci_map_handler() calls warn_map_slowly() holding it (it changed the lock itself)
 * forbidden-call.c:135:2: note: $0->vpci->lock held by every caller of warn_map_slowly()
 * forbidden-call.c:126:2: note: process_pending_softirqs() called (softirq handlers run inside it and may take the same locks, so it must be called with no lock held)
 * forbidden-call.c:146:3: warning: call to process_pending_softirqs() with fc_map_lock held [lockaudit-forbidden-call]
 * forbidden-call.c:143:7: note: fc_map_lock acquired in warn_after_trylock()
 * forbidden-call.c:146:3: note: process_pending_softirqs() called (softirq handlers run inside it and may take the same locks, so it must be called with no lock held)
 * check-findings-end
 */
