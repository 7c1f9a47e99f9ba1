/* refcount-balance: references taken by lookups (pci_get_slot(), the
 * pci_get_device() loop that drops the reference it starts from) and by
 * pci_dev_get(); a leak on an error path, a double put, a use after the
 * put; references handed over (returned, stored) or kept by a value that
 * says so. And a replica of Xen's proposed pdev refcounting: pcidev_get()
 * and pcidev_put() beside pcidevs_lock, the owner of a device read under
 * the lock or while holding a reference to it. */
#include "linux.h"

struct holder { struct pci_dev *dev; };

int warn_leak_on_error(int bus)
{
	struct pci_dev *d = pci_get_slot(bus, 0);
	unsigned short id;

	if (!d)
		return -EINVAL;
	if (pci_read_config_word(d, 0, &id))
		return -EINVAL;
	pci_dev_put(d);
	return id;
}

void warn_double_put(struct pci_dev *parent)
{
	struct pci_dev *d = pci_dev_get(parent);

	d->devfn = 0;
	pci_dev_put(d);
	pci_dev_put(d);
}

int warn_use_after_put(int bus)
{
	struct pci_dev *d = pci_get_slot(bus, 1);

	if (!d)
		return 0;
	pci_dev_put(d);
	return d->devfn;
}

/* known miss: the reference the loop kept when it broke out leaks, but a
 * reference named through a loop's iterator is not judged (one name for a
 * reference per turn) */
int known_miss_loop_break_leaks(unsigned int devfn)
{
	struct pci_dev *d = NULL;

	for_each_pci_dev(d)
		if (d->devfn == devfn)
			break;
	return d != NULL;
}

int good_loop(unsigned int devfn)
{
	struct pci_dev *d = NULL;
	int n = 0;

	for_each_pci_dev(d)
		n += d->devfn == devfn;
	return n;
}

struct pci_dev *good_lookup_returns(int bus)
{
	struct pci_dev *d = pci_get_slot(bus, 2);

	if (d && d->devfn)
		return d;
	pci_dev_put(d);
	return NULL;
}

int good_stored(struct holder *h, int bus)
{
	h->dev = pci_get_slot(bus, 3);
	return h->dev != NULL;
}

static void keep(struct holder *h, struct pci_dev *d)
{
	h->dev = d;
}

int good_given_to_keeper(struct holder *h, int bus)
{
	struct pci_dev *d = pci_get_slot(bus, 4);

	if (!d)
		return -EINVAL;
	keep(h, d);
	return 0;
}

/* keeps its reference exactly when it returns 0 */
int probe_one(struct pci_dev *d);
int good_kept_on_success(struct holder *h)
{
	struct pci_dev *d = pci_dev_get(h->dev);
	int err = probe_one(d);

	if (err)
		pci_dev_put(d);
	return err;
}

/* the Xen replica */
int good_owner_under_lock(struct xpdev *p)
{
	int id;

	pcidevs_lock();
	id = p->domain->id;
	pcidevs_unlock();
	return id;
}

int good_owner_with_reference(int sbdf)
{
	struct xpdev *p;
	int id;

	pcidevs_lock();
	p = pcidev_get(pci_get_pdev_locked(sbdf));
	pcidevs_unlock();
	id = p->domain->id;
	pcidev_put(p);
	return id;
}

int warn_owner_after_put(int sbdf)
{
	struct xpdev *p;

	pcidevs_lock();
	p = pcidev_get(pci_get_pdev_locked(sbdf));
	pcidevs_unlock();
	pcidev_put(p);
	return p->domain->id;
}

void set_owner(struct xpdev *p, struct xdomain *d)
{
	pcidevs_lock();
	p->domain = d;
	pcidevs_unlock();
}

/* a get helper that returns the container of what it took, or NULL */
struct wrapper { int x; struct pci_dev dev; };

struct wrapper *good_get_container(struct wrapper *w)
{
	return w ? container_of(pci_dev_get(&w->dev), struct wrapper, dev) : NULL;
}

/*
 * check-findings-start
 * refcount-balance.c:20:3: warning: the PCI device reference to *d taken at line 14 is not dropped on this way out [lockaudit-refcount-balance]
 * refcount-balance.c:14:22: note: the PCI device reference to *d acquired in warn_leak_on_error()
 * refcount-balance.c:20:3: note: returns with the PCI device reference to *d
 * refcount-balance.c:31:2: warning: the PCI device reference to *d dropped twice on this path [lockaudit-refcount-balance]
 * refcount-balance.c:31:2: note: the PCI device reference to *d dropped again: it was dropped earlier on this path
 * refcount-balance.c:41:12: warning: access through *d after its reference was dropped [lockaudit-refcount-balance]
 * refcount-balance.c:41:12: note: *d is used here; a path to here dropped the reference to it
 * refcount-balance.c:142:12: warning: read of xpdev.domain without _pcidevs_lock or pdev reference held [lockaudit-guard]
 * refcount-balance.c:142:12: note: read here (rule: the owner of a device changes under pcidevs_lock; a reference keeps the device, and its owner, from going away while it is read)
 * refcount-balance.c:148:5: note: conflicting write in set_owner(), holding _pcidevs_lock, can run at the same time as this access, holding no lock
 * refcount-balance.c:142:12: warning: access through *p after its reference was dropped [lockaudit-refcount-balance]
 * refcount-balance.c:142:12: note: *p is used here; a path to here dropped the reference to it
 * check-findings-end
 */
