/*
 * vPCI: trap-and-emulate of guest config-space accesses.
 * Readers hold d->pci_lock for read so pdev->vpci cannot vanish, then the
 * device's own vpci->lock to walk its handler list.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <xen/list.h>
#include <xen/sched.h>
#include <xen/pci.h>
#include <xen/vpci.h>

#define PCI_VENDOR_ID        0x00
#define PCI_DEVICE_ID        0x02
#define PCI_COMMAND          0x04
#define PCI_COMMAND_MEMORY   0x2
#define PCI_BASE_ADDRESS_0   0x10

/* models vpci_add_register(): insert a handler under the device's lock */
int vpci_add_register(struct vpci *vpci, vpci_read_t *read,
                      vpci_write_t *write, unsigned int offset,
                      unsigned int size, void *data)
{
    struct vpci_register *r, *this;

    if ( !size || (offset & (size - 1)) )
        return -EINVAL;

    r = xzalloc(struct vpci_register);
    if ( !r )
        return -ENOMEM;

    r->read = read;
    r->write = write;
    r->offset = offset;
    r->size = size;
    r->private = data;

    spin_lock(&vpci->lock);
    list_for_each_entry ( this, &vpci->handlers, node )
    {
        if ( this->offset == offset )
        {
            spin_unlock(&vpci->lock);
            xfree(r);
            return -EEXIST;
        }
    }
    list_add(&r->node, &vpci->handlers);
    spin_unlock(&vpci->lock);

    return 0;
}

/* Pass-through read of a 16-bit register. */
static unsigned int vpci_hw_read16(const struct pci_dev *pdev,
                                   unsigned int reg, void *data)
{
    return pci_conf_read(pdev->sbdf, reg, 2);
}

static unsigned int bar_read(const struct pci_dev *pdev, unsigned int reg,
                             void *data)
{
    const unsigned long *bar = data;

    return *bar;
}

static void bar_write(const struct pci_dev *pdev, unsigned int reg,
                      unsigned int val, void *data)
{
    unsigned long *bar = data;

    /* BARs may not move while memory decoding is enabled. */
    if ( pdev->vpci->header.enabled )
        return;
    *bar = val & ~0xfUL;
}

/*
 * models modify_bars(): check the new BAR layout against every other
 * device of the domain.  It wants d->pci_lock held for write, and takes a
 * second device's vpci lock while the caller may already hold this
 * device's one (the nesting lockaudit reports).
 */
static int modify_bars(const struct pci_dev *pdev, uint16_t cmd)
{
    struct vpci *vpci = pdev->vpci;
    const struct pci_dev *tmp;
    unsigned int i, j;
    int rc = 0;

    ASSERT(rw_is_write_locked(&pdev->domain->pci_lock));

    list_for_each_entry ( tmp, &pdev->domain->pdev_list, domain_list )
    {
        if ( tmp == pdev || !tmp->vpci )
            continue;

        spin_lock(&tmp->vpci->lock);
        for ( i = 0; i < tmp->vpci->header.nr_bars; i++ )
            for ( j = 0; j < vpci->header.nr_bars; j++ )
                if ( tmp->vpci->header.bars[i] &&
                     tmp->vpci->header.bars[i] == vpci->header.bars[j] )
                    rc = -EBUSY;
        spin_unlock(&tmp->vpci->lock);
    }

    if ( !rc )
    {
        vpci->header.enabled = cmd & PCI_COMMAND_MEMORY;
        /* Mapping is deferred to vpci_process_pending(). */
        current->vpci_pending = (struct pci_dev *)pdev;
    }

    return rc;
}

/* Command register: toggling memory decoding (re)maps the BARs. */
static void cmd_write(const struct pci_dev *pdev, unsigned int reg,
                      unsigned int val, void *data)
{
    bool enable = val & PCI_COMMAND_MEMORY;

    if ( enable != pdev->vpci->header.enabled && modify_bars(pdev, val) )
        return;
    pci_conf_write(pdev->sbdf, reg, 2, val);
}

/* Handlers every device gets; BAR handlers are added per BAR below. */
static const struct vpci_register default_regs[] = {
    { .read = vpci_hw_read16, .offset = PCI_VENDOR_ID, .size = 2 },
    { .read = vpci_hw_read16, .offset = PCI_DEVICE_ID, .size = 2 },
    { .read = vpci_hw_read16, .write = cmd_write,
      .offset = PCI_COMMAND, .size = 2 },
};

/* models vpci_assign_device(): runs with d->pci_lock held for write */
int vpci_assign_device(struct pci_dev *pdev)
{
    struct vpci *vpci;
    unsigned int i;
    int rc = 0;

    ASSERT(rw_is_write_locked(&pdev->domain->pci_lock));

    vpci = xzalloc(struct vpci);
    if ( !vpci )
        return -ENOMEM;
    spin_lock_init(&vpci->lock);
    INIT_LIST_HEAD(&vpci->handlers);
    vpci->header.nr_bars = pdev->type == PCI_DEV_TYPE_BRIDGE ? 2 : 6;
    pdev->vpci = vpci;

    for ( i = 0; !rc && i < ARRAY_SIZE(default_regs); i++ )
        rc = vpci_add_register(vpci, default_regs[i].read,
                               default_regs[i].write, default_regs[i].offset,
                               default_regs[i].size, NULL);

    for ( i = 0; !rc && i < vpci->header.nr_bars; i++ )
        rc = vpci_add_register(vpci, bar_read, bar_write,
                               PCI_BASE_ADDRESS_0 + i * 4, 4,
                               &vpci->header.bars[i]);

    /* Devices come up with decoding on: establish the initial mappings. */
    if ( !rc )
        rc = modify_bars(pdev, PCI_COMMAND_MEMORY);
    if ( rc )
        vpci_deassign_device(pdev);

    return rc;
}

/* models vpci_deassign_device(): frees handlers; needs pci_lock (write) */
void vpci_deassign_device(struct pci_dev *pdev)
{
    struct vpci *vpci = pdev->vpci;

    ASSERT(rw_is_write_locked(&pdev->domain->pci_lock));
    if ( !vpci )
        return;

    spin_lock(&vpci->lock);
    while ( !list_empty(&vpci->handlers) )
    {
        struct vpci_register *r =
            list_entry(vpci->handlers.next, struct vpci_register, node);

        list_del(&r->node);
        xfree(r);
    }
    spin_unlock(&vpci->lock);

    xfree(vpci);
    pdev->vpci = NULL;
}

/* models the vPCI read path: d->pci_lock (read) then the device's vpci lock */
unsigned int vpci_read(unsigned int sbdf, unsigned int reg)
{
    struct domain *d = current->domain;
    const struct pci_dev *pdev;
    const struct vpci_register *r;
    unsigned int data = ~0u;

    read_lock(&d->pci_lock);
    pdev = pci_get_pdev(d, sbdf);
    if ( !pdev || !pdev->vpci )
    {
        read_unlock(&d->pci_lock);
        return data;
    }

    spin_lock(&pdev->vpci->lock);
    list_for_each_entry ( r, &pdev->vpci->handlers, node )
    {
        if ( reg >= r->offset && reg < r->offset + r->size )
        {
            data = r->read ? r->read(pdev, reg, r->private) : ~0u;
            break;
        }
    }
    spin_unlock(&pdev->vpci->lock);
    read_unlock(&d->pci_lock);

    return data;
}

/*
 * models the vPCI write path: same locks as the read path, but a command
 * register write reaches modify_bars() holding d->pci_lock only for read.
 */
void vpci_write(unsigned int sbdf, unsigned int reg, unsigned int val)
{
    struct domain *d = current->domain;
    const struct pci_dev *pdev;
    const struct vpci_register *r;

    read_lock(&d->pci_lock);
    pdev = pci_get_pdev(d, sbdf);
    if ( !pdev || !pdev->vpci )
    {
        read_unlock(&d->pci_lock);
        return;
    }

    spin_lock(&pdev->vpci->lock);
    list_for_each_entry ( r, &pdev->vpci->handlers, node )
        if ( r->write && reg >= r->offset && reg < r->offset + r->size )
        {
            r->write(pdev, reg, val, r->private);
            break;
        }
    spin_unlock(&pdev->vpci->lock);
    read_unlock(&d->pci_lock);
}

/* models deferred BAR mapping on return to guest: pdev->vpci under pci_lock */
bool vpci_process_pending(struct vcpu *v)
{
    struct pci_dev *pdev = v->vpci_pending;
    bool again = false;

    if ( !pdev )
        return false;

    read_lock(&v->domain->pci_lock);
    if ( pdev->vpci )
    {
        spin_lock(&pdev->vpci->lock);
        again = !pdev->vpci->header.enabled;
        spin_unlock(&pdev->vpci->lock);
    }
    read_unlock(&v->domain->pci_lock);

    if ( !again )
        v->vpci_pending = NULL;

    return again;
}
