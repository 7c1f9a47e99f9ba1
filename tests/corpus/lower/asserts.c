/* Assertion macros become assert events holding the macro's argument as a
 * condition tree; the macro body (its branch, assert_failed) is not lowered. */
#include "prelude.h"

#define CHECK_LOCKED() ASSERT(pcidevs_locked())

void asserts(struct domain *d, struct pci_dev *pdev)
{
	ASSERT(d || pcidevs_locked());
	ASSERT(_rw_is_write_locked(&pdev->domain->pci_lock));
	BUG_ON(!pdev->vpci);
	CHECK_LOCKED();
}

/*
 * check-ir-start
 * func asserts($0 d, $1 pdev)
 *  b0:
 *   -> if $0: true b1 false b2
 *  b1:
 *   assert ASSERT($0 || pcidevs_locked()) @9
 *   read pci_dev.domain $1 @10
 *   addr domain.pci_lock $1->domain @10
 *   call#1 _rw_is_write_locked(&$1->domain->pci_lock) @10
 *   assert ASSERT(_rw_is_write_locked(&$1->domain->pci_lock)) @10
 *   read pci_dev.vpci $1 @11
 *   assert BUG_ON(!$1->vpci) @11
 *   -> b3
 *  b2:
 *   call#0 pcidevs_locked() @9
 *   -> if pcidevs_locked(): true b1 false b1
 *  b3:
 *   call#2 pcidevs_locked() @12
 *   -> if pcidevs_locked(): true b4 false b5
 *  b4:
 *   -> exit
 *  b5:
 *   call#3 assert_failed("...") @12
 *   -> noreturn
 * check-ir-end
 */
