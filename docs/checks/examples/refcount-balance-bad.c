#include "locks.h"

int pdev_reset(unsigned int sbdf)
{
    struct pci_dev *pdev;

    pcidevs_lock();
    pdev = pcidev_get(pci_get_pdev_locked(sbdf));
    pcidevs_unlock();
    if ( vpci_reset(pdev) )
        return -16;
    pcidev_put(pdev);
    return 0;
}

unsigned int pdev_seg(unsigned int sbdf)
{
    struct pci_dev *pdev;

    pcidevs_lock();
    pdev = pcidev_get(pci_get_pdev_locked(sbdf));
    pcidevs_unlock();
    pcidev_put(pdev);
    return pdev->sbdf >> 16;
}
