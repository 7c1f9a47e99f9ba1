#include "locks.h"

spinlock_t affinity_lock, resume_lock;
unsigned int affinity;

static void adjust_affinity(void)
{
    spin_lock_irq(&affinity_lock);
    affinity++;
    spin_unlock_irq(&affinity_lock);
}

void iommu_resume(void)
{
    unsigned long flags;

    spin_lock_irqsave(&resume_lock, flags);
    adjust_affinity();
    spin_unlock_irqrestore(&resume_lock, flags);
}
