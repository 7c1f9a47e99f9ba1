#include "locks.h"

void msix_update(struct vpci *vpci, struct domain *d)
{
    spin_lock(&vpci->lock);
    read_lock(&d->pci_lock);
    vpci->nr_bars = 0;
    read_unlock(&d->pci_lock);
    spin_unlock(&vpci->lock);
}

spinlock_t irq_map_lock;

void bind_pirq(struct domain *d)
{
    spin_lock(&d->event_lock);
    spin_lock(&irq_map_lock);
    d->nr_pdevs++;
    spin_unlock(&irq_map_lock);
    spin_unlock(&d->event_lock);
}

static void unbind_one(struct domain *d)
{
    spin_lock(&d->event_lock);
    d->nr_pdevs--;
    spin_unlock(&d->event_lock);
}

void unbind_all(struct domain *d)
{
    spin_lock(&irq_map_lock);
    unbind_one(d);
    spin_unlock(&irq_map_lock);
}
