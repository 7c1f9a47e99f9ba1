/* same-class: two locks of the class the rules call "exclusive" (vpci.lock)
 * held at once. Two CPUs doing it for the same two devices in opposite
 * orders deadlock: Xen's modify_bars() took the other devices' vPCI locks
 * while holding its own device's. */
#include "checks.h"

/* returns pdev's vPCI state with its lock held: the caller unlocks it */
struct vpci *sc_vpci_get_locked(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	return pdev->vpci;
}

/* --- bugs --- */

/* the old modify_bars(): checks the domain's other devices for
 * overlapping BARs, taking each one's vPCI lock while holding pdev's */
int warn_check_overlap(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct pci_dev *tmp;
	int overlap = 0;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	for ( tmp = d->pdev_list; tmp; tmp = tmp->domain_list )
	{
		if ( tmp == pdev || !tmp->vpci )
			continue;
		spin_lock(&tmp->vpci->lock);
		overlap |= tmp->vpci->nr_bars == pdev->vpci->nr_bars;
		spin_unlock(&tmp->vpci->lock);
	}
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
	return overlap;
}

/* copies the command register of one device into another, holding both */
void warn_copy_cmd(struct domain *d, struct pci_dev *from, struct pci_dev *to)
{
	read_lock(&d->pci_lock);
	spin_lock(&from->vpci->lock);
	spin_lock(&to->vpci->lock);
	to->vpci->cmd = from->vpci->cmd;
	spin_unlock(&to->vpci->lock);
	spin_unlock(&from->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the second lock taken by a wrapper that returns it held (with two
 * vpci.lock held, spin_unlock(&v->lock) cannot be told apart from the
 * other; imbalance does not call it a release of a lock not held, as v
 * may be either) */
void warn_second_by_wrapper(struct domain *d, struct pci_dev *pdev, struct pci_dev *other)
{
	struct vpci *v;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	v = sc_vpci_get_locked(other);
	v->nr_bars = pdev->vpci->nr_bars;
	spin_unlock(&v->lock);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* takes another device's vPCI lock; its only caller holds its own */
static int warn_peek_other(struct pci_dev *other)
{
	int nr;

	spin_lock(&other->vpci->lock);
	nr = other->vpci->nr_bars;
	spin_unlock(&other->vpci->lock);
	return nr;
}

int vpci_bar_write(struct domain *d, struct pci_dev *pdev, struct pci_dev *other)
{
	int nr;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	nr = warn_peek_other(other);
	pdev->vpci->nr_bars = nr;
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
	return nr;
}

/* --- correct --- */

/* the fix: d->pci_lock held for writing keeps every other vPCI user of the
 * domain out, so the other devices are read without their locks */
int good_check_overlap(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct pci_dev *tmp;
	int overlap = 0;

	write_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	for ( tmp = d->pdev_list; tmp; tmp = tmp->domain_list )
	{
		if ( tmp == pdev || !tmp->vpci )
			continue;
		overlap |= tmp->vpci->nr_bars == pdev->vpci->nr_bars;
	}
	spin_unlock(&pdev->vpci->lock);
	write_unlock(&d->pci_lock);
	return overlap;
}

/* one device after the other */
void good_one_after_another(struct domain *d, struct pci_dev *from, struct pci_dev *to)
{
	unsigned int cmd;

	read_lock(&d->pci_lock);
	spin_lock(&from->vpci->lock);
	cmd = from->vpci->cmd;
	spin_unlock(&from->vpci->lock);
	spin_lock(&to->vpci->lock);
	to->vpci->cmd = cmd;
	spin_unlock(&to->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the handed-back lock released under the returned name before the next
 * device's lock is taken */
void good_handed_back_then_next(struct domain *d, struct pci_dev *from, struct pci_dev *to)
{
	struct vpci *v;
	unsigned int cmd;

	read_lock(&d->pci_lock);
	v = sc_vpci_get_locked(from);
	cmd = v->cmd;
	spin_unlock(&v->lock);
	spin_lock(&to->vpci->lock);
	to->vpci->cmd = cmd;
	spin_unlock(&to->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the same lock under two names: v is pdev->vpci; the callee asserts it
 * instead of taking it */
static void good_callee_same_device(struct pci_dev *pdev)
{
	ASSERT(spin_is_locked(&pdev->vpci->lock));
	pdev->vpci->cmd |= 1;
}

void good_same_device_two_names(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = pdev->vpci;
	spin_lock(&v->lock);
	good_callee_same_device(pdev);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* takes another device's vPCI lock; one of its callers holds its own
 * device's vPCI lock around the call (the shape of the modify_bars bug in
 * examples/minixen): only a call site shows it, not what every caller holds */
void warn_touch_other(struct pci_dev *other)
{
	spin_lock(&other->vpci->lock);
	spin_unlock(&other->vpci->lock);
}

void sc_handler(struct pci_dev *pdev, struct pci_dev *other)
{
	read_lock(&pdev->domain->pci_lock);
	spin_lock(&pdev->vpci->lock);
	warn_touch_other(other);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&pdev->domain->pci_lock);
}

void good_touch_alone(struct pci_dev *other)
{
	read_lock(&other->domain->pci_lock);
	warn_touch_other(other);
	read_unlock(&other->domain->pci_lock);
}

/*
 * check-findings-start
 * same-class.c:10:2: error: acquiring pdev->vpci->lock while vpci.lock may be held by the caller warn_second_by_wrapper(): two vpci.lock locks at once [lockaudit-same-class]
 * same-class.c:61:6: note: warn_second_by_wrapper() calls sc_vpci_get_locked() holding pdev->vpci->lock
 * same-class.c:10:2: note: pdev->vpci->lock acquired
 * same-class.c:30:3: error: acquiring tmp->vpci->lock while pdev->vpci->lock is held: two vpci.lock locks at once [lockaudit-same-class]
 * same-class.c:25:2: note: pdev->vpci->lock acquired in warn_check_overlap()
 * same-class.c:30:3: note: tmp->vpci->lock acquired
 * same-class.c:44:2: error: acquiring to->vpci->lock while from->vpci->lock is held: two vpci.lock locks at once [lockaudit-same-class]
 * same-class.c:43:2: note: from->vpci->lock acquired in warn_copy_cmd()
 * same-class.c:44:2: note: to->vpci->lock acquired
 * same-class.c:61:6: error: acquiring other->vpci->lock while pdev->vpci->lock is held: two vpci.lock locks at once [lockaudit-same-class]
 * same-class.c:60:2: note: pdev->vpci->lock acquired in warn_second_by_wrapper()
 * same-class.c:61:6: note: other->vpci->lock acquired
 * same-class.c:73:2: error: acquiring other->vpci->lock while vpci.lock is held: two vpci.lock locks at once [lockaudit-same-class]
 * same-class.c:85:7: note: vpci_bar_write() calls warn_peek_other() holding one (it changed the lock itself)
 * same-class.c:85:7: note: vpci.lock held by every caller of warn_peek_other()
 * same-class.c:73:2: note: other->vpci->lock acquired
 * same-class.c:173:2: error: acquiring other->vpci->lock while vpci.lock may be held by the caller sc_handler(): two vpci.lock locks at once [lockaudit-same-class]
 * same-class.c:181:2: note: sc_handler() calls warn_touch_other() holding pdev->vpci->lock
 * same-class.c:173:2: note: other->vpci->lock acquired
 * check-findings-end
 */
