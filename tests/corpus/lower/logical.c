/* && / || / ?: : the right operand is evaluated in its own block, so an
 * access guarded by a NULL test sits only on the path where it is non-NULL. */
#include "prelude.h"

int use(int x);

int logical_and(struct pci_dev *pdev)
{
	if ( pdev && pdev->vpci )
		return 1;
	return 0;
}

int logical_or_trylock(struct pci_dev *pdev)
{
	if ( !pdev->vpci || !_spin_trylock(&pdev->vpci->lock) )
		return -1;
	spin_unlock(&pdev->vpci->lock);
	return 0;
}

int conditional_value(struct pci_dev *a, struct pci_dev *b, int first)
{
	struct vpci *v = first ? a->vpci : b->vpci;
	int both = a->vpci && b->vpci;
	return use(both) + (v != NULL);
}

/*
 * check-ir-start
 * func logical_and($0 pdev)
 *  b0:
 *   -> if $0: true b3 false b2
 *  b1:
 *   return 1 @10
 *   -> exit
 *  b2:
 *   return 0 @11
 *   -> exit
 *  b3:
 *   read pci_dev.vpci $0 @9
 *   -> if $0->vpci: true b1 false b2
 * func logical_or_trylock($0 pdev)
 *  b0:
 *   read pci_dev.vpci $0 @16
 *   -> if $0->vpci: true b3 false b1
 *  b1:
 *   return -1 @17
 *   -> exit
 *  b2:
 *   read pci_dev.vpci $0 @18
 *   addr vpci.lock $0->vpci @18
 *   call#1 _spin_unlock(&$0->vpci->lock) @18
 *   return 0 @19
 *   -> exit
 *  b3:
 *   read pci_dev.vpci $0 @16
 *   addr vpci.lock $0->vpci @16
 *   call#0 _spin_trylock(&$0->vpci->lock) @16
 *   -> if _spin_trylock(&$0->vpci->lock): true b2 false b1
 * func conditional_value($0 a, $1 b, $2 first)
 *  b0:
 *   -> if $2: true b1 false b2
 *  b1:
 *   read pci_dev.vpci $0 @24
 *   -> b3
 *  b2:
 *   read pci_dev.vpci $1 @24
 *   -> b3
 *  b3:
 *   assign v = $2 ? $0->vpci : $1->vpci @24
 *   read pci_dev.vpci $0 @25
 *   -> if $0->vpci: true b5 false b4
 *  b4:
 *   assign both = $0->vpci && $1->vpci @25
 *   call#0 use(both) @26
 *   return use(both) + (v != NULL) @26
 *   -> exit
 *  b5:
 *   read pci_dev.vpci $1 @25
 *   -> if $1->vpci: true b4 false b4
 * check-ir-end
 */
