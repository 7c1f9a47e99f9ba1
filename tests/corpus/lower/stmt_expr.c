/* GNU statement expressions: the statements run in place, the last
 * expression is the value. */
#include "prelude.h"

#define lock_and_get(p) ({ spin_lock(&(p)->vpci->lock); (p)->sbdf; })

unsigned int stmt_expr(struct pci_dev *pdev)
{
	unsigned int sbdf = lock_and_get(pdev);
	spin_unlock(&pdev->vpci->lock);
	return sbdf;
}

/*
 * check-ir-start
 * func stmt_expr($0 pdev)
 *  b0:
 *   read pci_dev.vpci $0 @9
 *   addr vpci.lock $0->vpci @9
 *   call#0 _spin_lock(&$0->vpci->lock) @9
 *   read pci_dev.sbdf $0 @9
 *   assign sbdf = $0->sbdf @9
 *   read pci_dev.vpci $0 @10
 *   addr vpci.lock $0->vpci @10
 *   call#1 _spin_unlock(&$0->vpci->lock) @10
 *   return sbdf @11
 *   -> exit
 * check-ir-end
 */
