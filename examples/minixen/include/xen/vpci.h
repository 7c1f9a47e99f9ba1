/* Virtual PCI config-space emulation for guests. */
#ifndef MINIXEN_VPCI_H
#define MINIXEN_VPCI_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/list.h>

struct pci_dev;
struct vcpu;

typedef unsigned int vpci_read_t(const struct pci_dev *pdev, unsigned int reg,
                                 void *data);
typedef void vpci_write_t(const struct pci_dev *pdev, unsigned int reg,
                          unsigned int val, void *data);

struct vpci {
    spinlock_t lock;                /* protects handlers and header */
    struct list_head handlers;
    struct {
        unsigned int nr_bars;
        unsigned long bars[6];
        bool enabled;
    } header;
};

struct vpci_register {
    vpci_read_t *read;
    vpci_write_t *write;
    unsigned int offset, size;
    void *private;
    struct list_head node;
};

int vpci_add_register(struct vpci *vpci, vpci_read_t *read,
                      vpci_write_t *write, unsigned int offset,
                      unsigned int size, void *data);
int vpci_assign_device(struct pci_dev *pdev);
unsigned int vpci_read(unsigned int sbdf, unsigned int reg);
void vpci_write(unsigned int sbdf, unsigned int reg, unsigned int val);
bool vpci_process_pending(struct vcpu *v);
void vpci_deassign_device(struct pci_dev *pdev);

#endif /* MINIXEN_VPCI_H */
