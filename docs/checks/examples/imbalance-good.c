#include "locks.h"

void bar_set(struct pci_dev *pdev, unsigned int nr)
{
    read_lock(&pdev->domain->pci_lock);
    if ( nr <= 5 )
        pdev->domain->nr_pdevs = nr;
    read_unlock(&pdev->domain->pci_lock);
}

struct domain *get_domain_by_id(unsigned int id);

void evtchn_reset(unsigned int id)
{
    struct domain *d = get_domain_by_id(id);

    spin_lock(&d->event_lock);
    d->nr_pdevs = 0;
    spin_unlock(&d->event_lock);
}

/* returns with the lock held exactly when it returns non-zero: a
 * conditional acquire, as a trylock wrapper is */
int lock_if_assigned(struct pci_dev *pdev)
{
    read_lock(&pdev->domain->pci_lock);
    if ( pdev->vpci )
        return 1;
    read_unlock(&pdev->domain->pci_lock);
    return 0;
}
