/* Entry contexts: a lock held by every caller is held in the callee,
 * mapped through the arguments; one caller without it is enough to lose
 * it; handlers called through a function pointer inherit from the call. */
#include "locks.h"

static void update(struct pci_dev *pdev)
{
	pdev->vpci->nr++;
}

void good_caller_a(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	update(pdev);
	spin_unlock(&pdev->vpci->lock);
}

void good_caller_b(struct pci_dev *p)
{
	spin_lock(&p->vpci->lock);
	update(p);
	spin_unlock(&p->vpci->lock);
}

static void sometimes(struct domain *d)
{
	d->count = 0;
}

void good_locked_call(struct domain *d)
{
	write_lock(&d->pci_lock);
	sometimes(d);
	write_unlock(&d->pci_lock);
}

void warn_unlocked_call(struct domain *d)
{
	sometimes(d);
}

struct handler_ops { int (*read)(struct pci_dev *pdev); };

static int handler_read(struct pci_dev *pdev)
{
	return pdev->vpci->nr;
}

static const struct handler_ops ops = { .read = handler_read };

int good_dispatch(struct pci_dev *pdev, const struct handler_ops *o)
{
	int v;

	read_lock(&pdev->domain->pci_lock);
	v = o->read(pdev);
	read_unlock(&pdev->domain->pci_lock);
	return v + (ops.read != NULL);
}

/*
 * check-held-start
 * 8 update read pci_dev.vpci | vpci.lock=$0->vpci->lock:x:i
 * 8 update write vpci.nr | vpci.lock=$0->vpci->lock:x:i
 * 13 good_caller_a call spin_lock | -
 * 13 good_caller_a read pci_dev.vpci | -
 * 13 good_caller_a addr vpci.lock | -
 * 14 good_caller_a call update | vpci.lock=$0->vpci->lock:x
 * 15 good_caller_a call spin_unlock | vpci.lock=$0->vpci->lock:x
 * 15 good_caller_a read pci_dev.vpci | vpci.lock=$0->vpci->lock:x
 * 15 good_caller_a addr vpci.lock | vpci.lock=$0->vpci->lock:x
 * 20 good_caller_b call spin_lock | -
 * 20 good_caller_b read pci_dev.vpci | -
 * 20 good_caller_b addr vpci.lock | -
 * 21 good_caller_b call update | vpci.lock=$0->vpci->lock:x
 * 22 good_caller_b call spin_unlock | vpci.lock=$0->vpci->lock:x
 * 22 good_caller_b read pci_dev.vpci | vpci.lock=$0->vpci->lock:x
 * 22 good_caller_b addr vpci.lock | vpci.lock=$0->vpci->lock:x
 * 27 sometimes write domain.count | -
 * 32 good_locked_call call write_lock | -
 * 32 good_locked_call addr domain.pci_lock | -
 * 33 good_locked_call call sometimes | domain.pci_lock=$0->pci_lock:x
 * 34 good_locked_call call write_unlock | domain.pci_lock=$0->pci_lock:x
 * 34 good_locked_call addr domain.pci_lock | domain.pci_lock=$0->pci_lock:x
 * 39 warn_unlocked_call call sometimes | -
 * 46 handler_read read pci_dev.vpci | domain.pci_lock=$0->domain->pci_lock:r:i
 * 46 handler_read read vpci.nr | domain.pci_lock=$0->domain->pci_lock:r:i
 * 55 good_dispatch call read_lock | -
 * 55 good_dispatch read pci_dev.domain | -
 * 55 good_dispatch addr domain.pci_lock | -
 * 56 good_dispatch call $1->read | domain.pci_lock=$0->domain->pci_lock:r
 * 56 good_dispatch read handler_ops.read | domain.pci_lock=$0->domain->pci_lock:r
 * 57 good_dispatch call read_unlock | domain.pci_lock=$0->domain->pci_lock:r
 * 57 good_dispatch read pci_dev.domain | domain.pci_lock=$0->domain->pci_lock:r
 * 57 good_dispatch addr domain.pci_lock | domain.pci_lock=$0->domain->pci_lock:r
 * 58 good_dispatch read handler_ops.read | -
 * check-held-end
 */
