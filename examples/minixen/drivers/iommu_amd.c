/* AMD-Vi flavoured IOMMU hooks: page tables guarded by hd->mapping_lock. */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <xen/sched.h>
#include <xen/pci.h>
#include <asm/iommu.h>

bool amd_iommu_present;

static int amd_iommu_domain_init(struct domain *d)
{
    struct domain_iommu *hd = dom_iommu(d);

    spin_lock_init(&hd->mapping_lock);
    hd->root_table = NULL;
    hd->nr_pages = 0;
    return 0;
}

/* models building dom_io's quarantine tables for one device */
static int amd_iommu_quarantine_init(struct pci_dev *pdev, bool scratch_page)
{
    struct domain_iommu *hd = dom_iommu(dom_io);
    int rc = 0;

    spin_lock(&hd->mapping_lock);
    if ( hd->root_table )
        goto out;                       /* shared tables already built */

    hd->root_table = xzalloc_bytes(4096);
    if ( !hd->root_table )
    {
        rc = -ENOMEM;
        goto out;
    }
    hd->nr_pages = scratch_page ? 2 : 1;

 out:
    spin_unlock(&hd->mapping_lock);
    return rc;
}

static int amd_iommu_add_device(uint8_t devfn, struct pci_dev *pdev)
{
    struct domain_iommu *hd = dom_iommu(pdev->domain);

    ASSERT(pcidevs_locked());
    spin_lock(&hd->mapping_lock);
    hd->nr_pages++;                     /* device table entry */
    spin_unlock(&hd->mapping_lock);
    return 0;
}

static int amd_iommu_remove_device(uint8_t devfn, struct pci_dev *pdev)
{
    return pdev->domain ? 0 : -ENODEV;
}

static void amd_iommu_domain_destroy(struct domain *d)
{
    struct domain_iommu *hd = dom_iommu(d);

    spin_lock(&hd->mapping_lock);
    xfree(hd->root_table);
    hd->root_table = NULL;
    spin_unlock(&hd->mapping_lock);
}

static const struct iommu_ops amd_iommu_ops = {
    .init            = amd_iommu_domain_init,
    .quarantine_init = amd_iommu_quarantine_init,
    .add_device      = amd_iommu_add_device,
    .remove_device   = amd_iommu_remove_device,
    .teardown        = amd_iommu_domain_destroy,
};

const struct iommu_ops *amd_iommu_probe(void)
{
    return amd_iommu_present ? &amd_iommu_ops : NULL;
}
