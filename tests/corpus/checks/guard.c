/* guard: a field read or written without the locks its rule demands
 * (rules/xen-pci.json "guards"). Reading d->pdev_list, pdev->domain_list or
 * pdev->vpci needs pcidevs_lock or d->pci_lock; writing the list needs both,
 * d->pci_lock for writing; clearing pdev->vpci needs d->pci_lock for
 * writing; the fields of struct vpci need the vpci's own lock. */
#include "checks.h"

void vpci_free(struct vpci *v);

/* a reader of the device list needs d->pci_lock for reading only */
int good_count_devices(struct domain *d)
{
	struct pci_dev *pdev;
	int n = 0;

	read_lock(&d->pci_lock);
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
		n++;
	read_unlock(&d->pci_lock);
	return n;
}

/* ... or pcidevs_lock instead */
bool good_has_vpci(struct pci_dev *pdev)
{
	bool ret;

	pcidevs_lock();
	ret = pdev->vpci != NULL;
	pcidevs_unlock();
	return ret;
}

/* the owner's lock named through a local copy: d = pdev->domain */
unsigned int good_read_cmd(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	unsigned int cmd = 0;

	read_lock(&d->pci_lock);
	if ( pdev->vpci )
	{
		spin_lock(&pdev->vpci->lock);
		cmd = pdev->vpci->cmd;
		spin_unlock(&pdev->vpci->lock);
	}
	read_unlock(&d->pci_lock);
	return cmd;
}

/* changing the list: both locks, d->pci_lock for writing */
void good_add_device(struct domain *d, struct pci_dev *pdev)
{
	pcidevs_lock();
	write_lock(&d->pci_lock);
	pdev->domain = d;
	pdev->domain_list = d->pdev_list;
	d->pdev_list = pdev;
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
}

/* clearing pdev->vpci with pcidevs_lock and the owner's lock held for
 * writing (the writers' rule of the comment above Xen's pci_lock) */
void good_clear_vpci(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	pcidevs_lock();
	write_lock(&d->pci_lock);
	v = pdev->vpci;
	pdev->vpci = NULL;
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
	vpci_free(v);
}

/* takes no lock: every caller holds d->pci_lock */
struct pci_dev *good_find_locked(struct domain *d, unsigned int sbdf)
{
	struct pci_dev *pdev;

	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
		if ( pdev->sbdf == sbdf )
			return pdev;
	return NULL;
}

bool good_caller_read(struct domain *d, unsigned int sbdf)
{
	bool found;

	read_lock(&d->pci_lock);
	found = good_find_locked(d, sbdf) != NULL;
	read_unlock(&d->pci_lock);
	return found;
}

void good_caller_write(struct domain *d, unsigned int sbdf)
{
	struct pci_dev *pdev;

	pcidevs_lock();
	write_lock(&d->pci_lock);
	pdev = good_find_locked(d, sbdf);
	if ( pdev )
		pdev->vpci = NULL;
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
}

/* takes no lock: its callers hold one or the other of the two locks that
 * each allow reading the list */
int good_count_either(struct domain *d)
{
	struct pci_dev *pdev;
	int n = 0;

	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
		n++;
	return n;
}

int good_either_pcidevs(struct domain *d)
{
	int n;

	pcidevs_lock();
	n = good_count_either(d);
	pcidevs_unlock();
	return n;
}

int good_either_pci_lock(struct domain *d)
{
	int n;

	read_lock(&d->pci_lock);
	n = good_count_either(d);
	read_unlock(&d->pci_lock);
	return n;
}

/* reads the list with no lock, itself and through good_count_either(),
 * but only at boot before the other CPUs are started (__start_xen() in
 * order.c): nothing can change the list meanwhile */
int good_boot_count_devices(struct domain *d)
{
	if ( !d->pdev_list )
		return 0;
	return good_count_either(d);
}

/* a contract instead of a lock */
bool good_asserted_pcidevs(struct pci_dev *pdev)
{
	ASSERT(pcidevs_locked());
	return pdev->vpci != NULL;
}

/* a contract naming both locks that allow reading (lockaudit today: a
 * true `a || b` assertion makes no lock held, so this read is reported) */
struct pci_dev *known_fp_asserted_either(struct domain *d)
{
	ASSERT(pcidevs_locked() || rw_is_locked(&d->pci_lock));
	return d->pdev_list;
}

/* a NULL test chooses the lock, the same test chooses the unlock */
int good_null_chooses_lock(struct domain *d, struct pci_dev *pdev)
{
	int has;

	if ( d )
		read_lock(&d->pci_lock);
	else
		pcidevs_lock();
	has = pdev->vpci != NULL;
	if ( d )
		read_unlock(&d->pci_lock);
	else
		pcidevs_unlock();
	return has;
}

/* a trylock that must succeed before the read */
int good_try_read(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	int has;

	if ( !read_trylock(&d->pci_lock) )
		return -EBUSY;
	has = pdev->vpci != NULL;
	read_unlock(&d->pci_lock);
	return has;
}

/* returns pdev's vPCI state with its lock held: the caller unlocks it
 * (every caller holds d->pci_lock for pdev->vpci) */
struct vpci *good_vpci_lock_get(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	return pdev->vpci;
}

void good_set_cmd(struct pci_dev *pdev, unsigned int cmd)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = good_vpci_lock_get(pdev);
	v->cmd = cmd;
	spin_unlock(&v->lock);
	read_unlock(&d->pci_lock);
}

/* vPCI state that only set-up and tear-down touch, and they always run
 * under pcidevs_lock: no two accesses can overlap, so the rule's
 * vpci->lock is not needed (Xen's ReBAR state, re-initialised under
 * pcidevs_lock only) */
void good_setup_only_field(struct pci_dev *pdev)
{
	pdev->vpci->rebar_nbars = 2;
}

unsigned int good_teardown_only_field(struct pci_dev *pdev)
{
	return pdev->vpci->rebar_nbars;
}

void guard_reinit_caps(struct pci_dev *pdev)
{
	pcidevs_lock();
	good_teardown_only_field(pdev);
	good_setup_only_field(pdev);
	pcidevs_unlock();
}

void guard_assign_caps(struct pci_dev *pdev)
{
	pcidevs_lock();
	write_lock(&pdev->domain->pci_lock);
	good_setup_only_field(pdev);
	write_unlock(&pdev->domain->pci_lock);
	pcidevs_unlock();
}

/* a vPCI state made here and never let out (not stored, returned or passed
 * to a call): nobody else can reach it, so it needs no lock */
void *_xzalloc(unsigned long size, unsigned long align);   /* an allocator (rules) */

unsigned int good_private_scratch(unsigned int cmd)
{
	struct vpci *v = _xzalloc(sizeof(*v), 8);

	if ( !v )
		return 0;
	v->cmd = cmd;
	v->nr_bars = 6;
	return v->cmd + v->nr_bars;
}

/* --- bugs --- */

/* made here, but published in the device before it is filled in */
void warn_published_then_filled(struct pci_dev *pdev, unsigned int cmd)
{
	struct vpci *v = _xzalloc(sizeof(*v), 8);

	if ( !v )
		return;
	pcidevs_lock();
	write_lock(&pdev->domain->pci_lock);
	pdev->vpci = v;
	write_unlock(&pdev->domain->pci_lock);
	pcidevs_unlock();
	v->cmd = cmd;
}

/* the same set-up reached under pcidevs_lock only on one path and under
 * d->pci_lock only on another: the two can run at once */
void warn_setup_two_lock_paths(struct pci_dev *pdev)
{
	pdev->vpci->ext_caps = 1;
}

void guard_reinit_ext(struct pci_dev *pdev)
{
	pcidevs_lock();
	warn_setup_two_lock_paths(pdev);
	pcidevs_unlock();
}

void guard_reset_device(struct pci_dev *pdev)
{
	write_lock(&pdev->domain->pci_lock);
	warn_setup_two_lock_paths(pdev);
	write_unlock(&pdev->domain->pci_lock);
}

/* walks the list with no lock */
int warn_count_unlocked(struct domain *d)
{
	struct pci_dev *pdev;
	int n = 0;

	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
		n++;
	return n;
}

/* a read lock is not enough to clear pdev->vpci */
void warn_clear_vpci_read_locked(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	pdev->vpci = NULL;
	read_unlock(&d->pci_lock);
}

/* unlinking the device under pcidevs_lock only: d->pci_lock is missing */
void warn_unlink_pcidevs_only(struct domain *d, struct pci_dev *pdev)
{
	pcidevs_lock();
	if ( d->pdev_list == pdev )
		d->pdev_list = pdev->domain_list;
	pcidevs_unlock();
}

/* the vPCI state changed with d->pci_lock but without the vpci's lock */
void warn_cmd_without_vpci_lock(struct pci_dev *pdev, unsigned int cmd)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	if ( pdev->vpci )
		pdev->vpci->cmd = cmd;
	read_unlock(&d->pci_lock);
}

/* tests pdev->vpci under the lock, uses it after dropping it: the device
 * can be removed in between (the vpci_read against pci_remove_device race) */
int warn_use_after_unlock(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	bool has;
	int nr = 0;

	read_lock(&d->pci_lock);
	has = pdev->vpci != NULL;
	read_unlock(&d->pci_lock);
	if ( has )
	{
		spin_lock(&pdev->vpci->lock);
		nr = pdev->vpci->nr_bars;
		spin_unlock(&pdev->vpci->lock);
	}
	return nr;
}

/* takes no lock, and its caller holds none either */
bool warn_callee_unlocked(struct pci_dev *pdev)
{
	return pdev->vpci != NULL;
}

bool guard_op_handler(struct pci_dev *pdev)
{
	return warn_callee_unlocked(pdev);
}

/*
 * check-findings-start
 * guard.c:167:12: warning: read of domain.pdev_list without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:167:12: note: read here (rule: the domain's device list: walking it needs either lock, changing it needs both)
 * double-lock.c:78:6: note: conflicting write in good_loop_relock(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding no lock
 * guard.c:280:5: warning: write to vpci.cmd without vpci.lock or domain.pci_lock (write) held [lockaudit-guard]
 * guard.c:280:5: note: written here (rule: a device's vPCI state (header, MSI, MSI-X) is under its own vpci->lock, or d->pci_lock held for writing, which keeps every vPCI user of the domain out (modify_bars walks other devices' BARs that way))
 * double-lock.c:48:5: note: conflicting write in good_relock_handed_back(), holding domain.pci_lock (read), vpci.lock, can run at the same time as this access, holding no lock
 * guard.c:287:14: warning: write to vpci.ext_caps without vpci.lock or domain.pci_lock (write) held [lockaudit-guard]
 * guard.c:293:2: note: guard_reinit_ext() calls warn_setup_two_lock_paths() without vpci.lock or domain.pci_lock (write) (it has no analysed callers)
 * guard.c:287:14: note: written here (rule: a device's vPCI state (header, MSI, MSI-X) is under its own vpci->lock, or d->pci_lock held for writing, which keeps every vPCI user of the domain out (modify_bars walks other devices' BARs that way))
 * guard.c:287:14: note: the same write in warn_setup_two_lock_paths(), holding domain.pci_lock, can run at the same time as this access, holding _pcidevs_lock
 * guard.c:310:18: warning: read of domain.pdev_list without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:310:18: note: read here (rule: the domain's device list: walking it needs either lock, changing it needs both)
 * double-lock.c:78:6: note: conflicting write in good_loop_relock(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding no lock
 * guard.c:310:48: warning: read of pci_dev.domain_list without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:310:48: note: read here (rule: the link of a device into its owner's pdev_list, under the same locks as the list)
 * guard.c:57:8: note: conflicting write in good_add_device(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding no lock
 * guard.c:321:8: warning: write to pci_dev.vpci without _pcidevs_lock and domain.pci_lock (write) held [lockaudit-guard]
 * guard.c:320:2: note: pdev->domain->pci_lock acquired in warn_clear_vpci_read_locked()
 * guard.c:321:8: note: written here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * double-lock.c:10:19: note: conflicting read in dl_vpci_get_locked(), holding domain.pci_lock (read), can run at the same time as this access, holding domain.pci_lock (read)
 * guard.c:330:6: warning: write to domain.pdev_list without domain.pci_lock (write) held [lockaudit-guard]
 * guard.c:330:6: note: written here (rule: the domain's device list: walking it needs either lock, changing it needs both)
 * double-lock.c:129:10: note: conflicting read in good_two_domains(), holding domain.pci_lock (read), can run at the same time as this access, holding _pcidevs_lock
 * guard.c:341:15: warning: write to vpci.cmd without vpci.lock or domain.pci_lock (write) held [lockaudit-guard]
 * guard.c:339:2: note: pdev->domain->pci_lock acquired in warn_cmd_without_vpci_lock()
 * guard.c:341:15: note: written here (rule: a device's vPCI state (header, MSI, MSI-X) is under its own vpci->lock, or d->pci_lock held for writing, which keeps every vPCI user of the domain out (modify_bars walks other devices' BARs that way))
 * double-lock.c:48:5: note: conflicting write in good_relock_handed_back(), holding domain.pci_lock (read), vpci.lock, can run at the same time as this access, holding domain.pci_lock (read)
 * guard.c:358:20: warning: read of pci_dev.vpci without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:358:20: note: read here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * double-lock.c:101:8: note: conflicting write in good_read_then_write(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding no lock
 * guard.c:359:14: warning: read of pci_dev.vpci without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:359:14: note: read here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * double-lock.c:101:8: note: conflicting write in good_read_then_write(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding vpci.lock
 * guard.c:360:22: warning: read of pci_dev.vpci without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:360:22: note: read here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * double-lock.c:101:8: note: conflicting write in good_read_then_write(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding vpci.lock
 * guard.c:368:15: warning: read of pci_dev.vpci without _pcidevs_lock or domain.pci_lock held [lockaudit-guard]
 * guard.c:373:9: note: guard_op_handler() calls warn_callee_unlocked() without _pcidevs_lock or domain.pci_lock (it has no analysed callers)
 * guard.c:368:15: note: read here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * double-lock.c:101:8: note: conflicting write in good_read_then_write(), holding _pcidevs_lock, domain.pci_lock, can run at the same time as this access, holding no lock
 * check-findings-end
 */
