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
 * 29 good_recursive call pcidevs_lock | -
 * 30 good_recursive call pcidevs_lock | _pcidevs_lock:R
 * 31 good_recursive write pci_dev.sbdf | _pcidevs_lock:R
 * 32 good_recursive call pcidevs_unlock | _pcidevs_lock:R
 * 33 good_recursive write pci_dev.sbdf | _pcidevs_lock:R
 * 34 good_recursive call pcidevs_unlock | _pcidevs_lock:R
 * 35 good_recursive write pci_dev.sbdf | -
 * check-held-end
 */
