#include "locks.h"

/* a timer: it runs in a softirq, and takes pcidevs_lock */
static struct timer scan_timer;

static void rescan(void)
{
    pcidevs_lock();
    pcidevs_unlock();
}

static void scan_timer_fn(void *data)
{
    rescan();
}

void scan_init(void)
{
    init_timer(&scan_timer, scan_timer_fn, 0, 0);
}

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
