/* Calls that do not return end their block with no successor. */
#include "prelude.h"

_Noreturn void panic(const char *why);
__attribute__((noreturn)) void crash(void);

int noreturn_paths(struct pci_dev *pdev, int how)
{
	if ( how == 1 )
		panic("one");
	if ( how == 2 )
		crash();
	if ( how == 3 )
		__builtin_unreachable();
	return pdev->sbdf;
}

/*
 * check-ir-start
 * func noreturn_paths($0 pdev, $1 how)
 *  b0:
 *   -> if $1 == 1: true b1 false b2
 *  b1:
 *   call#0 panic("...") @10
 *   -> noreturn
 *  b2:
 *   -> if $1 == 2: true b3 false b4
 *  b3:
 *   call#1 crash() @12
 *   -> noreturn
 *  b4:
 *   -> if $1 == 3: true b5 false b6
 *  b5:
 *   -> noreturn
 *  b6:
 *   read pci_dev.sbdf $0 @15
 *   return $0->sbdf @15
 *   -> exit
 * check-ir-end
 */
