/* goto error paths: each label is a block, gotos are edges to it. */
#include "prelude.h"

int alloc_thing(void);

int goto_unwind(struct pci_dev *pdev)
{
	int rc;

	spin_lock(&pdev->vpci->lock);
	rc = alloc_thing();
	if ( rc )
		goto out;
	rc = alloc_thing();
	if ( rc < 0 )
		goto out;
	pdev->sbdf = 0;
 out:
	spin_unlock(&pdev->vpci->lock);
	return rc;
}

/*
 * check-ir-start
 * func goto_unwind($0 pdev)
 *  b0:
 *   read pci_dev.vpci $0 @10
 *   addr vpci.lock $0->vpci @10
 *   call#0 _spin_lock(&$0->vpci->lock) @10
 *   call#1 alloc_thing() @11
 *   assign rc = alloc_thing() @11
 *   -> if rc: true b2 false b1
 *  b1:
 *   call#2 alloc_thing() @14
 *   assign rc = alloc_thing() @14
 *   -> if rc < 0: true b2 false b3
 *  b2:
 *   read pci_dev.vpci $0 @19
 *   addr vpci.lock $0->vpci @19
 *   call#3 _spin_unlock(&$0->vpci->lock) @19
 *   return rc @20
 *   -> exit
 *  b3:
 *   write pci_dev.sbdf $0 @17
 *   assign $0->sbdf = 0 @17
 *   -> b2
 * check-ir-end
 */
