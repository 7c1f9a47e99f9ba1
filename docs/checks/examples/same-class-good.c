#include "locks.h"

/* does another device of the domain map a BAR over this one's? d->pci_lock
 * held for writing keeps every vPCI user of the domain out, so no vpci->lock
 * is needed to look at both devices */
int bars_overlap(struct pci_dev *pdev, struct pci_dev *other)
{
    int overlap;

    write_lock(&pdev->domain->pci_lock);
    overlap = pdev->vpci->nr_bars && other->vpci->nr_bars;
    write_unlock(&pdev->domain->pci_lock);
    return overlap;
}
