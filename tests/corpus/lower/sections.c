/* The section of a definition is recorded (Xen's __init is .init.text):
 * through macros, next to other attributes, and not for a function that
 * has attributes but no section. */
#include "prelude.h"

#define __section(s) __attribute__((__section__(s)))
#define __init __section(".init.text")
#define __hwdom_init __init
#define cf_check __attribute__((__unused__))

static int __hwdom_init cf_check boot_map(struct pci_dev *pdev)
{
	return pdev->sbdf;
}

void __init boot_setup(struct pci_dev *pdev)
{
	boot_map(pdev);
}

int cf_check run_time(struct pci_dev *pdev)
{
	return pdev->sbdf;
}

/*
 * check-ir-start
 * func boot_map($0 pdev) in .init.text
 *  b0:
 *   read pci_dev.sbdf $0 @13
 *   return $0->sbdf @13
 *   -> exit
 * func boot_setup($0 pdev) in .init.text
 *  b0:
 *   call#0 boot_map($0) @18
 *   -> exit
 * func run_time($0 pdev)
 *  b0:
 *   read pci_dev.sbdf $0 @23
 *   return $0->sbdf @23
 *   -> exit
 * check-ir-end
 */
