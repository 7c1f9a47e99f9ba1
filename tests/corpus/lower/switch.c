/* switch: one edge per case label and to default; fallthrough is an edge
 * from the end of one case to the next; no default means an edge to after,
 * unless the value is an enum and every enumerator has its case. */
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

enum state { st_done, st_lock, st_lockless };

void switch_every_enumerator(enum state s)
{
	switch ( s )
	{
	case st_done:
		note(0);
		return;
	case st_lock:
	case st_lockless:
		break;
	}
	note(1);
}

void switch_some_enumerators(enum state s)
{
	switch ( s )
	{
	case st_done:
	case st_lock:
		return;
	}
	note(2);
}

/*
 * check-ir-start
 * func switch_fallthrough($0 d, $1 op)
 *  b0:
 *   -> switch $1: 1 b2 2 b3 3 ... 5 b4 default b5
 *  b1:
 *   return 0 @23
 *   -> exit
 *  b2:
 *   addr domain.pci_lock $0 @13
 *   call#0 _read_lock(&$0->pci_lock) @13
 *   -> b3
 *  b3:
 *   call#1 note(2) @16
 *   -> b1
 *  b4:
 *   return 5 @19
 *   -> exit
 *  b5:
 *   call#2 note(0) @21
 *   -> b1
 * func switch_no_default($0 op)
 *  b0:
 *   -> switch $0: 7 b2 default b1
 *  b1:
 *   -> exit
 *  b2:
 *   call#0 note(7) @31
 *   -> b1
 * func switch_every_enumerator($0 s)
 *  b0:
 *   -> switch $0: 0 b2 1 b1 2 b1
 *  b1:
 *   call#1 note(1) @48
 *   -> exit
 *  b2:
 *   call#0 note(0) @42
 *   return @43
 *   -> exit
 * func switch_some_enumerators($0 s)
 *  b0:
 *   -> switch $0: 0 b2 1 b2 default b1
 *  b1:
 *   call#0 note(2) @59
 *   -> exit
 *  b2:
 *   return @57
 *   -> exit
 * check-ir-end
 */
