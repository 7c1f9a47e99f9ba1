/* do { } while ( 0 ) macros have no back edge; a real do-while has one. */
#include "prelude.h"

#define LOCK_BOTH(d) do { pcidevs_lock(); _write_lock(&(d)->pci_lock); } while ( 0 )

int more(void);

void do_while0(struct domain *d)
{
	LOCK_BOTH(d);
	do {
		_write_unlock(&d->pci_lock);
	} while ( more() );
}

/*
 * check-ir-start
 * func do_while0($0 d)
 *  b0:
 *   -> b1
 *  b1:
 *   call#0 pcidevs_lock() @10
 *   addr domain.pci_lock $0 @10
 *   call#1 _write_lock(&$0->pci_lock) @10
 *   -> b2
 *  b2:
 *   addr domain.pci_lock $0 @12
 *   call#2 _write_unlock(&$0->pci_lock) @12
 *   -> b3
 *  b3:
 *   call#3 more() @13
 *   -> if more(): true b2 false b4
 *  b4:
 *   -> exit
 * check-ir-end
 */
