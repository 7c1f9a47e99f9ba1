#include "locks.h"

static void cmd_update(struct pci_dev *pdev, unsigned int cmd)
{
    spin_lock(&pdev->vpci->lock);
    pdev->vpci->cmd = cmd;
    spin_unlock(&pdev->vpci->lock);
}

void cmd_write(struct pci_dev *pdev, unsigned int cmd)
{
    spin_lock(&pdev->vpci->lock);
    if ( cmd != pdev->vpci->cmd )
        cmd_update(pdev, cmd);
    spin_unlock(&pdev->vpci->lock);
}

unsigned int count_devs(struct domain *d)
{
    unsigned int n;

    read_lock(&d->pci_lock);
    read_lock(&d->pci_lock);
    n = d->nr_pdevs;
    read_unlock(&d->pci_lock);
    read_unlock(&d->pci_lock);
    return n;
}
