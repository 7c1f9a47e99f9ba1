#include "locks.h"

/* does another device of the domain map a BAR over this one's? */
int bars_overlap(struct pci_dev *pdev, struct pci_dev *other)
{
    int overlap;

    read_lock(&pdev->domain->pci_lock);
    spin_lock(&pdev->vpci->lock);
    spin_lock(&other->vpci->lock);
    overlap = pdev->vpci->nr_bars && other->vpci->nr_bars;
    spin_unlock(&other->vpci->lock);
    spin_unlock(&pdev->vpci->lock);
    read_unlock(&pdev->domain->pci_lock);
    return overlap;
}
