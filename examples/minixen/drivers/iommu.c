/* Generic IOMMU layer: installs one vendor's ops and calls through it. */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/pci.h>
#include <asm/iommu.h>

struct iommu_ops iommu_ops;
bool iommu_enabled;

/* models iommu_setup(): copy the chosen vendor table into iommu_ops */
int iommu_setup(void)
{
    const struct iommu_ops *ops = amd_iommu_probe();

    if ( !ops )
        ops = intel_iommu_probe();
    if ( !ops )
        return -ENODEV;

    iommu_ops = *ops;
    iommu_enabled = true;

    return iommu_domain_init(hardware_domain);
}

int iommu_domain_init(struct domain *d)
{
    return iommu_enabled ? iommu_call(&iommu_ops, init, d) : 0;
}

void iommu_domain_destroy(struct domain *d)
{
    if ( iommu_enabled )
        iommu_vcall(&iommu_ops, teardown, d);
}

int iommu_add_device(struct pci_dev *pdev)
{
    ASSERT(pcidevs_locked());

    if ( !iommu_enabled || !iommu_ops.add_device )
        return 0;
    return iommu_call(&iommu_ops, add_device, PCI_DEVFN(pdev->sbdf), pdev);
}

int iommu_remove_device(struct pci_dev *pdev)
{
    ASSERT(pcidevs_locked());

    if ( !iommu_enabled || !iommu_ops.remove_device )
        return 0;
    return iommu_call(&iommu_ops, remove_device, PCI_DEVFN(pdev->sbdf), pdev);
}
