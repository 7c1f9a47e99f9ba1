#include "locks.h"

struct pci_dev *pcidev_get(struct pci_dev *pdev);
void pcidev_put(struct pci_dev *pdev);
struct pci_dev *pci_get_pdev_locked(unsigned int sbdf);
int vpci_reset(struct pci_dev *pdev);

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
