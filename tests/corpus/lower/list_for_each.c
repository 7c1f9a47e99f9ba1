/* list_for_each_entry / container_of: the loop is a for with a head test;
 * typeof() and offsetof() inside container_of are not evaluated. */
#include "prelude.h"

int count_vpci(struct domain *d)
{
	struct pci_dev *pdev;
	int n = 0;

	_read_lock(&d->pci_lock);
	list_for_each_entry ( pdev, &d->pdev_list, domain_list )
	{
		if ( !pdev->vpci )
			continue;
		n++;
	}
	_read_unlock(&d->pci_lock);
	return n;
}

/*
 * check-ir-start
 * func count_vpci($0 d)
 *  b0:
 *   assign n = 0 @8
 *   addr domain.pci_lock $0 @10
 *   call#0 _read_lock(&$0->pci_lock) @10
 *   addr domain.pdev_list $0 @11
 *   read list_head.next &$0->pdev_list @11
 *   assign mptr_ = (&$0->pdev_list)->next @11
 *   assign pdev = mptr_ - ? @11
 *   -> b1
 *  b1:
 *   addr pci_dev.domain_list pdev @11
 *   addr domain.pdev_list $0 @11
 *   -> if &pdev->domain_list != &$0->pdev_list: true b2 false b3
 *  b2:
 *   read pci_dev.vpci pdev @13
 *   -> if pdev->vpci: true b5 false b4
 *  b3:
 *   addr domain.pci_lock $0 @17
 *   call#1 _read_unlock(&$0->pci_lock) @17
 *   return n @18
 *   -> exit
 *  b4:
 *   read pci_dev.domain_list pdev @11
 *   read list_head.next pdev->domain_list @11
 *   assign mptr_'2 = pdev->domain_list.next @11
 *   assign pdev = mptr_'2 - ? @11
 *   -> b1
 *  b5:
 *   assign n = n + 1 @15
 *   -> b4
 * check-ir-end
 */
