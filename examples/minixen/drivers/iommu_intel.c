/* VT-d flavoured IOMMU hooks: same hd->mapping_lock, different tables. */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <xen/sched.h>
#include <xen/pci.h>
#include <asm/iommu.h>

bool intel_iommu_present;

static int intel_iommu_domain_init(struct domain *d)
{
    spin_lock_init(&dom_iommu(d)->mapping_lock);
    return 0;
}

/* models VT-d quarantine setup: a per-device context under mapping_lock */
static int intel_iommu_quarantine_init(struct pci_dev *pdev, bool scratch_page)
{
    struct domain_iommu *hd = dom_iommu(dom_io);
    int rc = 0;

    if ( !pdev )
        return -EINVAL;

    spin_lock(&hd->mapping_lock);
    if ( !hd->root_table && !(hd->root_table = xzalloc_bytes(4096)) )
        rc = -ENOMEM;
    else if ( scratch_page )
        hd->nr_pages++;
    spin_unlock(&hd->mapping_lock);

    return rc;
}

static int intel_iommu_add_device(uint8_t devfn, struct pci_dev *pdev)
{
    ASSERT(pcidevs_locked());
    /* Host bridges and phantom functions get no context entry. */
    return pdev->type == PCI_DEV_TYPE_HOST ? 0
           : pdev->type == PCI_DEV_TYPE_PHANTOM && !(devfn & 7) ? -EINVAL : 0;
}

static void intel_iommu_domain_destroy(struct domain *d)
{
    struct domain_iommu *hd = dom_iommu(d);

    spin_lock(&hd->mapping_lock);
    xfree(hd->root_table);
    hd->root_table = NULL;
    spin_unlock(&hd->mapping_lock);
}

static const struct iommu_ops intel_iommu_ops = {
    .init            = intel_iommu_domain_init,
    .quarantine_init = intel_iommu_quarantine_init,
    .add_device      = intel_iommu_add_device,
    .teardown        = intel_iommu_domain_destroy,
};

const struct iommu_ops *intel_iommu_probe(void)
{
    return intel_iommu_present ? &intel_iommu_ops : NULL;
}
