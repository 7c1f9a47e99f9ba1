#include "locks.h"

static void cmd_update(struct vpci *vpci, unsigned int cmd)
{
    spin_lock(&vpci->lock);
    vpci->cmd = cmd;
    spin_unlock(&vpci->lock);
}

void cmd_write(struct pci_dev *pdev, unsigned int cmd)
{
    struct vpci *vpci;

    read_lock(&pdev->domain->pci_lock);
    vpci = pdev->vpci;
    spin_lock(&vpci->lock);
    if ( cmd != vpci->cmd )
        cmd_update(vpci, cmd);
    spin_unlock(&vpci->lock);
    read_unlock(&pdev->domain->pci_lock);
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
