#include "locks.h"

spinlock_t affinity_lock, resume_lock;
unsigned int affinity;

static void adjust_affinity(void)
{
    unsigned long flags;

    spin_lock_irqsave(&affinity_lock, flags);
    affinity++;
    spin_unlock_irqrestore(&affinity_lock, flags);
}

void iommu_resume(void)
{
    unsigned long flags;

    spin_lock_irqsave(&resume_lock, flags);
    adjust_affinity();
    spin_unlock_irqrestore(&resume_lock, flags);
}
