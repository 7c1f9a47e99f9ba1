#include "locks.h"

/* the caller holds pdev->vpci->lock */
static void cmd_update(struct pci_dev *pdev, unsigned int cmd)
{
    pdev->vpci->cmd = cmd;
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
    n = d->nr_pdevs;
    read_unlock(&d->pci_lock);
    return n;
}

/* pcidevs_lock is recursive: taking it again is allowed */
void reassign(struct pci_dev *pdev)
{
    pcidevs_lock();
    pcidevs_lock();
    pdev->sbdf = 0;
    pcidevs_unlock();
    pcidevs_unlock();
}
