/* Lock instances: parameters, locals resolved through their one
 * assignment, fields through pointers, read vs write mode. */
#include "locks.h"

int good_local_alias(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	int n;

	read_lock(&d->pci_lock);
	n = pdev->domain->count;
	read_unlock(&pdev->domain->pci_lock);
	return n;
}

void good_write_mode(struct domain *d)
{
	write_lock(&d->pci_lock);
	d->count++;
	write_unlock(&d->pci_lock);
}

void good_nested(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	spin_lock(&pdev->domain->lock);
	pdev->vpci->nr = pdev->domain->count;
	spin_unlock(&pdev->domain->lock);
	spin_unlock(&pdev->vpci->lock);
}

/*
 * check-held-start
 * 7 good_local_alias read pci_dev.domain | -
 * 10 good_local_alias call read_lock | -
 * 10 good_local_alias addr domain.pci_lock | -
 * 11 good_local_alias read pci_dev.domain | domain.pci_lock=$0->domain->pci_lock:r
 * 11 good_local_alias read domain.count | domain.pci_lock=$0->domain->pci_lock:r
 * 12 good_local_alias call read_unlock | domain.pci_lock=$0->domain->pci_lock:r
 * 12 good_local_alias read pci_dev.domain | domain.pci_lock=$0->domain->pci_lock:r
 * 12 good_local_alias addr domain.pci_lock | domain.pci_lock=$0->domain->pci_lock:r
 * 18 good_write_mode call write_lock | -
 * 18 good_write_mode addr domain.pci_lock | -
 * 19 good_write_mode write domain.count | domain.pci_lock=$0->pci_lock:x
 * 20 good_write_mode call write_unlock | domain.pci_lock=$0->pci_lock:x
 * 20 good_write_mode addr domain.pci_lock | domain.pci_lock=$0->pci_lock:x
 * 25 good_nested call spin_lock | -
 * 25 good_nested read pci_dev.vpci | -
 * 25 good_nested addr vpci.lock | -
 * 26 good_nested call spin_lock | vpci.lock=$0->vpci->lock:x
 * 26 good_nested read pci_dev.domain | vpci.lock=$0->vpci->lock:x
 * 26 good_nested addr domain.lock | vpci.lock=$0->vpci->lock:x
 * 27 good_nested read pci_dev.vpci | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 27 good_nested write vpci.nr | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 27 good_nested read pci_dev.domain | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 27 good_nested read domain.count | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 28 good_nested call spin_unlock | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 28 good_nested read pci_dev.domain | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 28 good_nested addr domain.lock | domain.lock=$0->domain->lock:x vpci.lock=$0->vpci->lock:x
 * 29 good_nested call spin_unlock | vpci.lock=$0->vpci->lock:x
 * 29 good_nested read pci_dev.vpci | vpci.lock=$0->vpci->lock:x
 * 29 good_nested addr vpci.lock | vpci.lock=$0->vpci->lock:x
 * check-held-end
 */
