#include "locks.h"

unsigned int vpci_read_cmd(struct pci_dev *pdev)
{
    unsigned int cmd;

    read_lock(&pdev->domain->pci_lock);
    spin_lock(&pdev->vpci->lock);
    cmd = pdev->vpci->cmd;
    spin_unlock(&pdev->vpci->lock);
    read_unlock(&pdev->domain->pci_lock);
    return cmd;
}

void vpci_write_cmd(struct pci_dev *pdev, unsigned int cmd)
{
    read_lock(&pdev->domain->pci_lock);
    spin_lock(&pdev->vpci->lock);
    pdev->vpci->cmd = cmd;
    spin_unlock(&pdev->vpci->lock);
    read_unlock(&pdev->domain->pci_lock);
}

static void bars_reset(struct vpci *vpci)
{
    vpci->nr_bars = 0;
}

void vpci_reset(struct pci_dev *pdev)
{
    read_lock(&pdev->domain->pci_lock);
    spin_lock(&pdev->vpci->lock);
    bars_reset(pdev->vpci);
    spin_unlock(&pdev->vpci->lock);
    read_unlock(&pdev->domain->pci_lock);
}

void vpci_remove(struct pci_dev *pdev)
{
    pcidevs_lock();
    write_lock(&pdev->domain->pci_lock);
    pdev->vpci = NULL;
    write_unlock(&pdev->domain->pci_lock);
    pcidevs_unlock();
}
