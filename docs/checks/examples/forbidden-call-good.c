#include "locks.h"

static void setup_one(struct pci_dev *pdev)
{
    pdev->sbdf = 0;
}

void setup_hwdom_devices(struct pci_dev **devs, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        pcidevs_lock();
        setup_one(devs[i]);
        pcidevs_unlock();
        process_pending_softirqs();
    }
}
