#include "locks.h"

int pdev_reset(unsigned int sbdf)
{
    struct pci_dev *pdev;
    int rc;

    pcidevs_lock();
    pdev = pcidev_get(pci_get_pdev_locked(sbdf));
    pcidevs_unlock();
    rc = vpci_reset(pdev);
    pcidev_put(pdev);
    return rc;
}

/* the lookup hands its reference to the caller */
struct pci_dev *pdev_find(unsigned int sbdf)
{
    struct pci_dev *pdev;

    pcidevs_lock();
    pdev = pcidev_get(pci_get_pdev_locked(sbdf));
    pcidevs_unlock();
    return pdev;
}
