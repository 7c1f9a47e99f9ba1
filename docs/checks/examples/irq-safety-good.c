#include "locks.h"

spinlock_t pirq_lock;

/* called from the interrupt handler */
void pirq_eoi(struct domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&pirq_lock, flags);
    d->nr_pdevs--;
    spin_unlock_irqrestore(&pirq_lock, flags);
}

void pirq_bind(struct domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&pirq_lock, flags);
    d->nr_pdevs++;
    spin_unlock_irqrestore(&pirq_lock, flags);
}
