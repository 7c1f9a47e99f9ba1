/* _irqsave forms take the lock like the plain ones. */
#include "locks.h"

void good_irqsave(struct domain *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->count = 1;
	_spin_unlock_irqrestore(&d->lock, flags);
}

/*
 * check-held-start
 * 8 good_irqsave call _spin_lock_irqsave | -
 * 8 good_irqsave addr domain.lock | -
 * 9 good_irqsave write domain.count | (irqs-off):x domain.lock=$0->lock:x
 * 10 good_irqsave call _spin_unlock_irqrestore | (irqs-off):x domain.lock=$0->lock:x
 * 10 good_irqsave addr domain.lock | (irqs-off):x domain.lock=$0->lock:x
 * check-held-end
 */
