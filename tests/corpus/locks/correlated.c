/* The same condition decides the lock and the unlock; a pointer tested for
 * NULL on the path that never locked. */
#include "locks.h"

void good_correlated(struct domain *d, bool locked)
{
	if ( locked )
		spin_lock(&d->lock);
	d->count++;
	if ( locked )
		spin_unlock(&d->lock);
	d->count--;
}

int good_null_tested(struct pci_dev *pdev)
{
	struct vpci *v = pdev->vpci;

	if ( v )
		spin_lock(&v->lock);
	pdev->sbdf = 0;
	if ( v )
	{
		v->nr++;
		spin_unlock(&v->lock);
	}
	return pdev->sbdf;
}

/*
 * check-held-start
 * 8 good_correlated call spin_lock | -
 * 8 good_correlated addr domain.lock | -
 * 9 good_correlated write domain.count | domain.lock=$0->lock:x?
 * 11 good_correlated call spin_unlock | domain.lock=$0->lock:x
 * 11 good_correlated addr domain.lock | domain.lock=$0->lock:x
 * 12 good_correlated write domain.count | -
 * 17 good_null_tested read pci_dev.vpci | -
 * 20 good_null_tested call spin_lock | -
 * 20 good_null_tested addr vpci.lock | -
 * 21 good_null_tested write pci_dev.sbdf | vpci.lock=$0->vpci->lock:x?
 * 24 good_null_tested write vpci.nr | vpci.lock=$0->vpci->lock:x
 * 25 good_null_tested call spin_unlock | vpci.lock=$0->vpci->lock:x
 * 25 good_null_tested addr vpci.lock | vpci.lock=$0->vpci->lock:x
 * 27 good_null_tested read pci_dev.sbdf | -
 * check-held-end
 */
