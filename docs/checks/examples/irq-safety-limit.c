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

/* hypercall path: IRQs turned off by inline asm, as Xen's
 * local_irq_disable() does */
static void pirq_bind(struct domain *d)
{
    asm volatile ( "cli" : : : "memory" );
    spin_lock(&pirq_lock);
    d->nr_pdevs++;
    spin_unlock(&pirq_lock);
    asm volatile ( "sti" : : : "memory" );
}

void pv_hypercall(struct cpu_user_regs *regs)
{
    pirq_bind(&dom);
}
