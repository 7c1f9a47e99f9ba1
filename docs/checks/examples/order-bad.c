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

spinlock_t log_lock, stats_lock;

/* the domain's event lock, then the log */
void log_event(struct domain *d)
{
    spin_lock(&d->event_lock);
    spin_lock(&log_lock);
    d->nr_pdevs++;
    spin_unlock(&log_lock);
    spin_unlock(&d->event_lock);
}

/* the log, then the statistics */
void flush_log(void)
{
    spin_lock(&log_lock);
    spin_lock(&stats_lock);
    spin_unlock(&stats_lock);
    spin_unlock(&log_lock);
}

/* the statistics, then a domain's event lock */
void count_domain(struct domain *d)
{
    spin_lock(&stats_lock);
    spin_lock(&d->event_lock);
    d->nr_pdevs = 0;
    spin_unlock(&d->event_lock);
    spin_unlock(&stats_lock);
}
