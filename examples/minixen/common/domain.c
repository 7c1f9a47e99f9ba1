/* Domain lifetime and the few global domain pointers. */
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/list.h>
#include <xen/sched.h>
#include <asm/iommu.h>

struct domain *hardware_domain;
struct domain *dom_io;
struct vcpu *current;

/* models domain_create(): initialise the locks, then the IOMMU state */
struct domain *domain_create(int domid)
{
    struct domain *d;

    BUG_ON(domid < 0);
    d = xzalloc(struct domain);
    if ( !d )
        return NULL;

    rwlock_init(&d->pci_lock);
    spin_lock_init(&d->lock);
    INIT_LIST_HEAD(&d->pdev_list);
    d->domain_id = domid;

    if ( iommu_domain_init(d) )
    {
        xfree(d);
        return NULL;
    }

    return d;
}
