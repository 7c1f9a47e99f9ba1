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

/* hypercall path: IRQs are on */
static void pirq_bind(struct domain *d)
{
    spin_lock(&pirq_lock);
    d->nr_pdevs++;
    spin_unlock(&pirq_lock);
}

void pv_hypercall(struct cpu_user_regs *regs)
{
    pirq_bind(&dom);
}
