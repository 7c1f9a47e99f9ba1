/* imbalance: a function that returns with a lock it took held on some
 * paths and released on others (when the return value does not say which,
 * as it does for a trylock-like function), and the release of a lock that
 * is not held on that path (double unlock on an error path). */
#include "checks.h"

static spinlock_t bar_map_lock;       /* serialises BAR (un)mapping */
static spinlock_t rom_lock;

struct vpci *vpci_alloc(void);
int map_bars(struct pci_dev *pdev);

/* --- correct --- */

/* one unlock for every way out, through a label */
int good_goto_unwind(struct pci_dev *pdev)
{
	int rc;

	spin_lock(&bar_map_lock);
	rc = map_bars(pdev);
	if ( rc )
		goto out;
	rc = map_bars(pdev);
 out:
	spin_unlock(&bar_map_lock);
	return rc;
}

/* held only when the trylock succeeded */
int good_trylock(struct pci_dev *pdev)
{
	int rc;

	if ( !spin_trylock(&bar_map_lock) )
		return -EBUSY;
	rc = map_bars(pdev);
	spin_unlock(&bar_map_lock);
	return rc;
}

/* returns 0 with rom_lock held, -EBUSY without: the return value says */
int good_rom_lock_if_idle(struct vpci *v)
{
	spin_lock(&rom_lock);
	if ( v == NULL )
	{
		spin_unlock(&rom_lock);
		return -EBUSY;
	}
	return 0;
}

int good_rom_user(struct vpci *v)
{
	if ( good_rom_lock_if_idle(v) )
		return -EBUSY;
	spin_unlock(&rom_lock);
	return 0;
}

/* returns the device's vPCI state locked, or NULL: the lock travels with
 * the returned pointer (every caller holds d->pci_lock) */
struct vpci *good_vpci_get_locked(struct pci_dev *pdev)
{
	struct vpci *v = pdev->vpci;

	if ( !v )
		return NULL;
	spin_lock(&v->lock);
	return v;
}

void good_vpci_user(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = good_vpci_get_locked(pdev);
	if ( v )
	{
		v->cmd = 0;
		spin_unlock(&v->lock);
	}
	read_unlock(&d->pci_lock);
}

/* the same flag decides the lock and the unlock */
void good_flag_correlated(struct pci_dev *pdev, bool locked)
{
	if ( !locked )
		spin_lock(&bar_map_lock);
	map_bars(pdev);
	if ( !locked )
		spin_unlock(&bar_map_lock);
}

/* a NULL test decides the lock and the unlock */
void good_null_correlated_unlock(struct pci_dev *pdev)
{
	struct vpci *v = vpci_alloc();

	if ( v )
		spin_lock(&v->lock);
	map_bars(pdev);
	if ( v )
	{
		v->cmd = 0;
		spin_unlock(&v->lock);
	}
}

/* releases a lock its caller holds (an unlock wrapper) */
void good_vpci_unlock(struct vpci *v)
{
	spin_unlock(&v->lock);
}

void good_wrapper_user(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->cmd = 0;
	good_vpci_unlock(pdev->vpci);
	read_unlock(&d->pci_lock);
}

/* --- bugs --- */

/* the error path returns with the lock held (lockaudit today: missed, the
 * function is taken for a conditional acquire, held when it returns
 * non-zero, and it has no caller to show the leak) */
int known_miss_error_path_leak(struct pci_dev *pdev)
{
	int rc;

	spin_lock(&bar_map_lock);
	rc = map_bars(pdev);
	if ( rc )
		return rc;
	spin_unlock(&bar_map_lock);
	return 0;
}

/* a void function cannot tell its caller: the early return leaks */
void warn_void_early_return(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	if ( !pdev->vpci )
		return;
	map_bars(pdev);
	read_unlock(&d->pci_lock);
}

/* a new vPCI state locked while it is set up: the lock of a local object
 * cannot be handed to the caller, and the error path returns with it */
int warn_setup_leak(struct pci_dev *pdev)
{
	struct vpci *v = vpci_alloc();
	int rc;

	if ( !v )
		return -EINVAL;
	spin_lock(&v->lock);
	rc = map_bars(pdev);
	if ( rc )
		return rc;
	v->nr_bars = 6;
	spin_unlock(&v->lock);
	return 0;
}

/* the same with a constant error: like a function that returns 0 with the
 * lock held, except that its caller does not expect that (lockaudit today:
 * missed, the caller inherits the conditional acquire) */
static int rom_enable(struct vpci *v)
{
	spin_lock(&rom_lock);
	if ( !v )
		return -ENODEV;
	spin_unlock(&rom_lock);
	return 0;
}

int known_miss_rom_enable_caller(struct vpci *v)
{
	int rc = rom_enable(v);

	if ( rc )
		return rc;
	return 0;
}

/* locks only when the first mapping worked, unlocks in any case: on the
 * other path the lock is not held (or, if a caller held it, the lock above
 * was a double lock) (lockaudit today: missed, the release of a global or
 * parameter lock that is not held is taken for an unlock wrapper's) */
int known_miss_unlock_not_taken(struct pci_dev *pdev)
{
	int rc = map_bars(pdev);

	if ( !rc )
		spin_lock(&bar_map_lock);
	pdev->sbdf = 0;
	spin_unlock(&bar_map_lock);
	return rc;
}

/* the error path unlocks, then the common exit unlocks again (lockaudit
 * today: missed, as above) */
int known_miss_double_unlock(struct pci_dev *pdev)
{
	int rc;

	pcidevs_lock();
	rc = map_bars(pdev);
	if ( rc )
	{
		pcidevs_unlock();
		goto out;
	}
	pdev->sbdf = 0;
 out:
	pcidevs_unlock();
	return rc;
}

/*
 * check-findings-start
 * imbalance.c:155:3: warning: warn_void_early_return() returns with pdev->domain->pci_lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:153:2: note: pdev->domain->pci_lock acquired in warn_void_early_return()
 * imbalance.c:155:3: note: returns with pdev->domain->pci_lock held
 * imbalance.c:172:3: warning: warn_setup_leak() returns with v->lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:169:2: note: v->lock acquired in warn_setup_leak()
 * imbalance.c:172:3: note: returns with v->lock held
 * imbalance.c:168:3: note: returns without it
 * check-findings-end
 */
