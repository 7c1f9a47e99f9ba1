/* Wrappers around a global recursive lock: acquire, release and query
 * wrappers are inferred; asserting the query makes the lock held. */
#include "locks.h"

static rspinlock_t _pcidevs_lock;

void pcidevs_lock(void) { _rspin_lock(&_pcidevs_lock); }
void pcidevs_unlock(void) { _rspin_unlock(&_pcidevs_lock); }
bool pcidevs_locked(void) { return _rspin_is_locked(&_pcidevs_lock); }

int good_global_wrapper(struct pci_dev *pdev)
{
	int sbdf;

	pcidevs_lock();
	sbdf = pdev->sbdf;
	pcidevs_unlock();
	return sbdf + pdev->sbdf;
}

int good_asserted(struct pci_dev *pdev)
{
	ASSERT(pcidevs_locked());
	return pdev->sbdf;
}

/* a precondition with an argument test: callers passing NULL need the lock */
struct pci_dev *lookup(struct domain *d, int sbdf)
{
	ASSERT(d || pcidevs_locked());
	return sbdf ? (struct pci_dev *)0 : (struct pci_dev *)d;
}

void good_recursive(struct pci_dev *pdev)
{
	pcidevs_lock();
	pcidevs_lock();
	pdev->sbdf = 1;
	pcidevs_unlock();
	pdev->sbdf = 2;
	pcidevs_unlock();
	pdev->sbdf = 3;
}

/*
 * check-held-start
 * 7 pcidevs_lock call _rspin_lock | -
 * 8 pcidevs_unlock call _rspin_unlock | _pcidevs_lock:R:i
 * 9 pcidevs_locked call _rspin_is_locked | -
 * 15 good_global_wrapper call pcidevs_lock | -
 * 16 good_global_wrapper read pci_dev.sbdf | _pcidevs_lock:R
 * 17 good_global_wrapper call pcidevs_unlock | _pcidevs_lock:R
 * 18 good_global_wrapper read pci_dev.sbdf | -
 * 23 good_asserted call pcidevs_locked | -
 * 24 good_asserted read pci_dev.sbdf | _pcidevs_lock:r:s
 * 30 lookup call pcidevs_locked | -
 * 36 good_recursive call pcidevs_lock | -
 * 37 good_recursive call pcidevs_lock | _pcidevs_lock:R
 * 38 good_recursive write pci_dev.sbdf | _pcidevs_lock:R
 * 39 good_recursive call pcidevs_unlock | _pcidevs_lock:R
 * 40 good_recursive write pci_dev.sbdf | _pcidevs_lock:R
 * 41 good_recursive call pcidevs_unlock | _pcidevs_lock:R
 * 42 good_recursive write pci_dev.sbdf | -
 * summary pcidevs_lock acquires _pcidevs_lock recursive always
 * summary pcidevs_unlock releases _pcidevs_lock  always
 * summary pcidevs_locked queries _pcidevs_lock any
 * summary good_asserted requires held(_pcidevs_lock)
 * summary lookup requires ($0 || held(_pcidevs_lock))
 * check-held-end
 */
