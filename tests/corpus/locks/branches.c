/* Branches, loops, goto unwinding, early returns, switch. */
#include "locks.h"

int work(int x);

int good_goto_unwind(struct pci_dev *pdev)
{
	int rc;

	spin_lock(&pdev->vpci->lock);
	rc = work(1);
	if ( rc )
		goto out;
	pdev->vpci->nr = rc;
 out:
	spin_unlock(&pdev->vpci->lock);
	return rc;
}

int warn_one_branch(struct pci_dev *pdev, int x)
{
	if ( x > 3 )
		spin_lock(&pdev->vpci->lock);
	pdev->vpci->nr = x;
	if ( x > 3 )
		spin_unlock(&pdev->vpci->lock);
	return pdev->vpci->nr;
}

void good_loop(struct domain *d, int n)
{
	for ( int i = 0; i < n; i++ )
	{
		spin_lock(&d->lock);
		d->count += i;
		spin_unlock(&d->lock);
	}
	d->count = 0;
}

int good_switch(struct domain *d, int op)
{
	switch ( op )
	{
	case 1:
		read_lock(&d->pci_lock);
		op = d->count;
		read_unlock(&d->pci_lock);
		break;
	default:
		return -1;
	}
	return op;
}

/*
 * check-held-start
 * 10 good_goto_unwind call spin_lock | -
 * 10 good_goto_unwind read pci_dev.vpci | -
 * 10 good_goto_unwind addr vpci.lock | -
 * 11 good_goto_unwind call work | vpci.lock=$0->vpci->lock:x
 * 14 good_goto_unwind read pci_dev.vpci | vpci.lock=$0->vpci->lock:x
 * 14 good_goto_unwind write vpci.nr | vpci.lock=$0->vpci->lock:x
 * 16 good_goto_unwind call spin_unlock | vpci.lock=$0->vpci->lock:x
 * 16 good_goto_unwind read pci_dev.vpci | vpci.lock=$0->vpci->lock:x
 * 16 good_goto_unwind addr vpci.lock | vpci.lock=$0->vpci->lock:x
 * 23 warn_one_branch call spin_lock | -
 * 23 warn_one_branch read pci_dev.vpci | -
 * 23 warn_one_branch addr vpci.lock | -
 * 24 warn_one_branch read pci_dev.vpci | vpci.lock=$0->vpci->lock:x?
 * 24 warn_one_branch write vpci.nr | vpci.lock=$0->vpci->lock:x?
 * 26 warn_one_branch call spin_unlock | vpci.lock=$0->vpci->lock:x
 * 26 warn_one_branch read pci_dev.vpci | vpci.lock=$0->vpci->lock:x
 * 26 warn_one_branch addr vpci.lock | vpci.lock=$0->vpci->lock:x
 * 27 warn_one_branch read pci_dev.vpci | -
 * 27 warn_one_branch read vpci.nr | -
 * 34 good_loop call spin_lock | -
 * 34 good_loop addr domain.lock | -
 * 35 good_loop write domain.count | domain.lock=$0->lock:x
 * 36 good_loop call spin_unlock | domain.lock=$0->lock:x
 * 36 good_loop addr domain.lock | domain.lock=$0->lock:x
 * 38 good_loop write domain.count | -
 * 46 good_switch call read_lock | -
 * 46 good_switch addr domain.pci_lock | -
 * 47 good_switch read domain.count | domain.pci_lock=$0->pci_lock:r
 * 48 good_switch call read_unlock | domain.pci_lock=$0->pci_lock:r
 * 48 good_switch addr domain.pci_lock | domain.pci_lock=$0->pci_lock:r
 * check-held-end
 */
