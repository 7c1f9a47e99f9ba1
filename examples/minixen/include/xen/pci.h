/* Physical PCI devices and the global pcidevs lock. */
#ifndef MINIXEN_PCI_H
#define MINIXEN_PCI_H

#include <xen/types.h>
#include <xen/list.h>

struct domain;
struct vpci;

struct pci_dev {
    struct list_head alldevs_list;  /* on the global list, pcidevs_lock */
    struct list_head domain_list;   /* on domain->pdev_list, d->pci_lock */
    struct domain *domain;
    struct vpci *vpci;
    unsigned int sbdf;
    bool broken;
    uint8_t type;
};

#define PCI_DEV_TYPE_ENDPOINT  0
#define PCI_DEV_TYPE_BRIDGE    1
#define PCI_DEV_TYPE_PHANTOM   2
#define PCI_DEV_TYPE_HOST      3

#define PCI_SBDF(b, d, f)   (((b) << 8) | ((d) << 3) | (f))
#define PCI_DEVFN(sbdf)     ((sbdf) & 0xff)

/* Raw config-space accessors (external, no locking of their own). */
uint32_t pci_conf_read(unsigned int sbdf, unsigned int reg, unsigned int size);
void pci_conf_write(unsigned int sbdf, unsigned int reg, unsigned int size,
                    uint32_t val);

void pcidevs_lock(void);
void pcidevs_unlock(void);
bool pcidevs_locked(void);

struct pci_dev *pci_get_pdev(const struct domain *d, unsigned int sbdf);
int pci_add_device(unsigned int sbdf, uint8_t type);
int pci_remove_device(unsigned int sbdf);
int iommu_quarantine_dev_init(struct pci_dev *pdev);
unsigned int pci_scan_devices(void);
void pci_poll_init(void);

#endif /* MINIXEN_PCI_H */
