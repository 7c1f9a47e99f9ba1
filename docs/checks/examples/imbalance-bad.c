#include "locks.h"

void bar_set(struct pci_dev *pdev, unsigned int nr)
{
    read_lock(&pdev->domain->pci_lock);
    if ( nr > 5 )
        return;
    pdev->domain->nr_pdevs = nr;
    read_unlock(&pdev->domain->pci_lock);
}

struct domain *get_domain_by_id(unsigned int id);

void evtchn_reset(unsigned int id)
{
    struct domain *d = get_domain_by_id(id);

    if ( d->nr_pdevs )
        spin_lock(&d->event_lock);
    d->nr_pdevs = 0;
    spin_unlock(&d->event_lock);
}
