/*
 * PHYSDEVOP hypercall dispatcher.  Several sub-ops end in a global
 * pci_get_pdev(NULL, ...) lookup, which is only safe under pcidevs_lock.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/pci.h>

#define PHYSDEVOP_pci_device_add     25
#define PHYSDEVOP_pci_device_remove  26
#define PHYSDEVOP_prepare_msix       30
#define PHYSDEVOP_dbgp_op            29

struct physdev_pci_device {
    uint32_t sbdf;
    uint8_t type;
};

/* Leaf of the locked chain: caller must hold pcidevs_lock. */
static int msix_capability_init(unsigned int sbdf)
{
    const struct pci_dev *pdev = pci_get_pdev(NULL, sbdf);

    return pdev && !pdev->broken ? 0 : -ENODEV;
}

/* models pci_prepare_msix(): takes pcidevs_lock around the lookup */
static int pci_prepare_msix(unsigned int sbdf)
{
    int rc;

    pcidevs_lock();
    rc = msix_capability_init(sbdf);
    pcidevs_unlock();

    return rc;
}

/* Leaf of the unlocked chain: same lookup, nobody holds the lock. */
static struct pci_dev *dbgp_find_dev(unsigned int sbdf)
{
    return pci_get_pdev(NULL, sbdf);
}

static int dbgp_reset(unsigned int sbdf)
{
    struct pci_dev *pdev = dbgp_find_dev(sbdf);

    if ( !pdev )
        return -ENODEV;
    pci_conf_write(sbdf, 0x20, 4, 0);
    return 0;
}

/* models the debug-port op: reaches pci_get_pdev(NULL) without the lock */
static int physdev_dbgp_op(unsigned int sbdf)
{
    return sbdf ? dbgp_reset(sbdf) : -EINVAL;
}

/* models do_physdev_op(): the guest-visible entry point */
long do_physdev_op(int cmd, void *arg)
{
    const struct physdev_pci_device *dev = arg;
    long ret;

    if ( !dev )
        return -EINVAL;

    switch ( cmd )
    {
    case PHYSDEVOP_pci_device_add:
        ret = pci_add_device(dev->sbdf, dev->type);
        break;

    case PHYSDEVOP_pci_device_remove:
        ret = pci_remove_device(dev->sbdf);
        break;

    case PHYSDEVOP_prepare_msix:
        ret = pci_prepare_msix(dev->sbdf);
        break;

    case PHYSDEVOP_dbgp_op:
        ret = physdev_dbgp_op(dev->sbdf);
        break;

    default:
        ret = -ENOSYS;
        break;
    }

    return ret;
}
