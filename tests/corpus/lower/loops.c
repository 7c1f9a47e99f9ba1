/* while / for with missing parts / continue / break / nested loops. */
#include "prelude.h"

int step(int i);

int loops(struct domain *d, int n)
{
	int i, sum = 0;

	for ( i = 0; i < n; i++ )
	{
		if ( step(i) )
			continue;
		if ( step(-i) )
			break;
		sum++;
	}
	for ( ; ; )
	{
		if ( step(sum) )
			break;
	}
	while ( step(n) )
		_read_lock(&d->pci_lock);
	return sum;
}

/*
 * check-ir-start
 * func loops($0 d, $1 n)
 *  b0:
 *   assign sum = 0 @8
 *   assign i = 0 @10
 *   -> b1
 *  b1:
 *   -> if i < $1: true b2 false b6
 *  b2:
 *   call#0 step(i) @12
 *   -> if step(i): true b3 false b4
 *  b3:
 *   assign i = i + 1 @10
 *   -> b1
 *  b4:
 *   call#1 step(-i) @14
 *   -> if step(-i): true b6 false b5
 *  b5:
 *   assign sum = sum + 1 @16
 *   -> b3
 *  b6:
 *   call#2 step(sum) @20
 *   -> if step(sum): true b7 false b6
 *  b7:
 *   call#3 step($1) @23
 *   -> if step($1): true b8 false b9
 *  b8:
 *   addr domain.pci_lock $0 @24
 *   call#4 _read_lock(&$0->pci_lock) @24
 *   -> b7
 *  b9:
 *   return sum @25
 *   -> exit
 * check-ir-end
 */
