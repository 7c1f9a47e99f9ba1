/*
 * Physical PCI device bookkeeping.  The global recursive pcidevs lock
 * protects the list of all devices; each domain's pci_lock protects its
 * own device list and the devices' vpci pointers.
 * Lock order: pcidevs_lock -> d->pci_lock -> vpci->lock.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <xen/list.h>
#include <xen/sched.h>
#include <xen/pci.h>
#include <xen/vpci.h>
#include <xen/softirq.h>
#include <asm/iommu.h>

static DEFINE_RSPINLOCK(_pcidevs_lock);
static LIST_HEAD(all_pdevs);            /* protected by _pcidevs_lock */

void pcidevs_lock(void)
{
    rspin_lock(&_pcidevs_lock);
}

void pcidevs_unlock(void)
{
    rspin_unlock(&_pcidevs_lock);
}

bool pcidevs_locked(void)
{
    return rspin_is_locked(&_pcidevs_lock);
}

/*
 * models pci_get_pdev(): a global lookup (d == NULL) needs pcidevs_lock;
 * a per-domain lookup needs pcidevs_lock or that domain's pci_lock.
 */
struct pci_dev *pci_get_pdev(const struct domain *d, unsigned int sbdf)
{
    struct pci_dev *pdev;

    ASSERT(d || pcidevs_locked());
    ASSERT(!d || pcidevs_locked() || rw_is_locked(&d->pci_lock));

    if ( !d )
    {
        list_for_each_entry ( pdev, &all_pdevs, alldevs_list )
            if ( pdev->sbdf == sbdf )
                return pdev;
    }
    else
    {
        list_for_each_entry ( pdev, &d->pdev_list, domain_list )
            if ( pdev->sbdf == sbdf )
                return pdev;
    }

    return NULL;
}

/* models the device-type policy; note the deliberate fallthrough */
static bool pdev_needs_quarantine(const struct pci_dev *pdev)
{
    switch ( pdev->type )
    {
    case PCI_DEV_TYPE_PHANTOM:
        /* Phantom functions share their parent's context. */
        return false;

    case PCI_DEV_TYPE_BRIDGE:
        if ( pdev->broken )
            return false;
        fallthrough;
    case PCI_DEV_TYPE_ENDPOINT:
        return true;

    case PCI_DEV_TYPE_HOST:
    default:
        return false;
    }
}

/* models setting up a device's quarantine page tables via the IOMMU hook */
int iommu_quarantine_dev_init(struct pci_dev *pdev)
{
    ASSERT(pcidevs_locked());

    if ( !iommu_enabled || !iommu_ops.quarantine_init )
        return 0;

    return iommu_call(&iommu_ops, quarantine_init, pdev, false);
}

/* models PHYSDEVOP_pci_device_add: pcidevs_lock, then hwdom's pci_lock */
int pci_add_device(unsigned int sbdf, uint8_t type)
{
    struct domain *d = hardware_domain;
    struct pci_dev *pdev;
    int rc = 0;

    pcidevs_lock();

    pdev = pci_get_pdev(NULL, sbdf);
    if ( pdev )
        goto out;                       /* already known: nothing to do */

    pdev = xzalloc(struct pci_dev);
    if ( !pdev )
    {
        rc = -ENOMEM;
        goto out;
    }
    pdev->sbdf = sbdf;
    pdev->type = type;
    pdev->domain = d;

    rc = iommu_add_device(pdev);
    if ( rc )
        goto out_free;

    list_add(&pdev->alldevs_list, &all_pdevs);

    write_lock(&d->pci_lock);
    list_add(&pdev->domain_list, &d->pdev_list);
    rc = vpci_assign_device(pdev);
    write_unlock(&d->pci_lock);

    if ( rc )
        printk("%04x: vPCI setup failed: %d\n", sbdf, rc);
    goto out;

 out_free:
    xfree(pdev);
 out:
    pcidevs_unlock();
    return rc;
}

/* models PHYSDEVOP_pci_device_remove: tears down vPCI under d->pci_lock */
int pci_remove_device(unsigned int sbdf)
{
    struct pci_dev *pdev;
    struct domain *d;
    int rc = -ENODEV;

    pcidevs_lock();

    pdev = pci_get_pdev(NULL, sbdf);
    if ( !pdev )
        goto out;

    d = pdev->domain;
    if ( d )
    {
        write_lock(&d->pci_lock);
        vpci_deassign_device(pdev);
        pdev->vpci = NULL;
        list_del(&pdev->domain_list);
        write_unlock(&d->pci_lock);
    }

    rc = iommu_remove_device(pdev);
    list_del(&pdev->alldevs_list);
    xfree(pdev);

 out:
    pcidevs_unlock();
    return rc;
}

/* a softirq that refreshes every device's state under pcidevs_lock */
static unsigned int pci_polls;

static void pci_poll_softirq(void)
{
    struct pci_dev *pdev;

    pcidevs_lock();
    list_for_each_entry ( pdev, &all_pdevs, alldevs_list )
        pci_polls++;
    pcidevs_unlock();
}

void pci_poll_init(void)
{
    open_softirq(PCI_POLL_SOFTIRQ, pci_poll_softirq);
}

/* models a boot-time walk: long loop under pcidevs_lock, softirqs polled;
 * the PCI poll softirq run inside process_pending_softirqs() waits for
 * pcidevs_lock for ever */
unsigned int pci_scan_devices(void)
{
    struct pci_dev *pdev;
    unsigned int quarantined = 0;

    pcidevs_lock();
    list_for_each_entry ( pdev, &all_pdevs, alldevs_list )
    {
        if ( pdev_needs_quarantine(pdev) && !iommu_quarantine_dev_init(pdev) )
            quarantined++;
        process_pending_softirqs();
    }
    pcidevs_unlock();

    return quarantined;
}
