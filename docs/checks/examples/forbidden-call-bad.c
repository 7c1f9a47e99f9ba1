#include "locks.h"

static void setup_one(struct pci_dev *pdev)
{
    pdev->sbdf = 0;
    process_pending_softirqs();
}

void setup_hwdom_devices(struct pci_dev **devs, unsigned int n)
{
    unsigned int i;

    pcidevs_lock();
    for ( i = 0; i < n; i++ )
        setup_one(devs[i]);
    pcidevs_unlock();
}
