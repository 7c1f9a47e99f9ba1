/* IOMMU vendor hooks, dispatched through one global, patchable ops table. */
#ifndef MINIXEN_ASM_IOMMU_H
#define MINIXEN_ASM_IOMMU_H

#include <xen/types.h>
#include <xen/lib.h>
#include <asm/alternative.h>

struct domain;
struct pci_dev;

struct iommu_ops {
    int (*init)(struct domain *d);
    int (*quarantine_init)(struct pci_dev *pdev, bool scratch_page);
    int (*add_device)(uint8_t devfn, struct pci_dev *pdev);
    int (*remove_device)(uint8_t devfn, struct pci_dev *pdev);
    void (*teardown)(struct domain *d);
};

extern struct iommu_ops iommu_ops;
extern bool iommu_enabled;

/* Only the installed table may be called through the patched sites. */
#define iommu_call(ops, fn, args...) ({                 \
    ASSERT((ops) == &iommu_ops);                        \
    alternative_call(iommu_ops.fn, args);               \
})

#define iommu_vcall(ops, fn, args...) ({                \
    ASSERT((ops) == &iommu_ops);                        \
    alternative_vcall(iommu_ops.fn, args);              \
})

const struct iommu_ops *amd_iommu_probe(void);
const struct iommu_ops *intel_iommu_probe(void);

int iommu_setup(void);
int iommu_domain_init(struct domain *d);
void iommu_domain_destroy(struct domain *d);
int iommu_add_device(struct pci_dev *pdev);
int iommu_remove_device(struct pci_dev *pdev);

#endif /* MINIXEN_ASM_IOMMU_H */
