#include "locks.h"

struct pci_dev *find_pdev(struct domain *d, unsigned int sbdf)
{
    ASSERT(d || pcidevs_locked());
    return NULL;   /* the walk of d's list, or of all devices, left out */
}

int pci_dev_exists(unsigned int sbdf)
{
    int found;

    pcidevs_lock();
    found = find_pdev(NULL, sbdf) != NULL;
    pcidevs_unlock();
    return found;
}

int domain_has_dev(struct domain *d, unsigned int sbdf)
{
    return find_pdev(d, sbdf) != NULL;
}

static void setup_one(struct pci_dev *pdev)
{
    ASSERT(pcidevs_locked());
    pdev->sbdf = 0;
}

static void setup_all(struct pci_dev *pdev)
{
    setup_one(pdev);
}

void hwdom_init(struct pci_dev *pdev)
{
    pcidevs_lock();
    setup_all(pdev);
    pcidevs_unlock();
}
