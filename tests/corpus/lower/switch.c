/* switch: one edge per case label and to default; fallthrough is an edge
 * from the end of one case to the next; no default means an edge to after. */
#include "prelude.h"

void note(int x);

int switch_fallthrough(struct domain *d, int op)
{
	switch ( op )
	{
	case 1:
		_read_lock(&d->pci_lock);
		/* fallthrough */
	case 2:
		note(2);
		break;
	case 3 ... 5:
		return 5;
	default:
		note(0);
	}
	return 0;
}

void switch_no_default(int op)
{
	switch ( op )
	{
	case 7:
		note(7);
	}
}

/*
 * check-ir-start
 * func switch_fallthrough($0 d, $1 op)
 *  b0:
 *   -> switch $1: 1 b2 2 b3 3 ... 5 b4 default b5
 *  b1:
 *   return 0 @22
 *   -> exit
 *  b2:
 *   addr domain.pci_lock $0 @12
 *   call#0 _read_lock(&$0->pci_lock) @12
 *   -> b3
 *  b3:
 *   call#1 note(2) @15
 *   -> b1
 *  b4:
 *   return 5 @18
 *   -> exit
 *  b5:
 *   call#2 note(0) @20
 *   -> b1
 * func switch_no_default($0 op)
 *  b0:
 *   -> switch $0: 7 b2 default b1
 *  b1:
 *   -> exit
 *  b2:
 *   call#0 note(7) @30
 *   -> b1
 * check-ir-end
 */
