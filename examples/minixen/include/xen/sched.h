/* Domains: each owns a pci_lock guarding its device list and vPCI state. */
#ifndef MINIXEN_SCHED_H
#define MINIXEN_SCHED_H

#include <xen/spinlock.h>
#include <xen/list.h>

/* Per-domain IOMMU state; mapping_lock serialises page-table updates. */
struct domain_iommu {
    spinlock_t mapping_lock;
    void *root_table;
    unsigned int nr_pages;
};

struct domain {
    rwlock_t pci_lock;              /* protects pdev_list and pdev->vpci */
    struct list_head pdev_list;
    spinlock_t lock;
    struct domain_iommu iommu;
    int domain_id;
};

struct vcpu {
    struct domain *domain;
    struct pci_dev *vpci_pending;   /* device with deferred BAR work */
    int vcpu_id;
};

extern struct domain *hardware_domain;
extern struct domain *dom_io;        /* owns quarantined devices */
extern struct vcpu *current;

#define dom_iommu(d)  (&(d)->iommu)

struct domain *domain_create(int domid);

#endif /* MINIXEN_SCHED_H */
