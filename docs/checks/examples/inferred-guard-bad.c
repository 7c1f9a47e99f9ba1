#include "locks.h"

void dev_added(struct domain *d)
{
    spin_lock(&d->event_lock);
    d->nr_pdevs++;
    spin_unlock(&d->event_lock);
}

void dev_removed(struct domain *d)
{
    spin_lock(&d->event_lock);
    d->nr_pdevs--;
    spin_unlock(&d->event_lock);
}

unsigned int dev_count(struct domain *d)
{
    unsigned int n;

    spin_lock(&d->event_lock);
    n = d->nr_pdevs;
    spin_unlock(&d->event_lock);
    return n;
}

void dev_reset(struct domain *d)
{
    spin_lock(&d->event_lock);
    d->nr_pdevs = 0;
    spin_unlock(&d->event_lock);
}

int dev_any(struct domain *d)
{
    int any;

    spin_lock(&d->event_lock);
    any = d->nr_pdevs != 0;
    spin_unlock(&d->event_lock);
    return any;
}

void dev_dump(struct domain *d, unsigned int *out)
{
    *out = d->nr_pdevs;
}
