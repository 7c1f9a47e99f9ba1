#include "locks.h"

spinlock_t pirq_lock;
struct domain dom;

/* interrupt path: IRQs are off */
static void pirq_eoi(struct domain *d)
{
    spin_lock(&pirq_lock);
    d->nr_pdevs--;
    spin_unlock(&pirq_lock);
}

void do_IRQ(struct cpu_user_regs *regs)
{
    pirq_eoi(&dom);
}

/* hypercall path: IRQs are on, so they are turned off for the lock */
static void pirq_bind(struct domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&pirq_lock, flags);
    d->nr_pdevs++;
    spin_unlock_irqrestore(&pirq_lock, flags);
}

void pv_hypercall(struct cpu_user_regs *regs)
{
    pirq_bind(&dom);
}
