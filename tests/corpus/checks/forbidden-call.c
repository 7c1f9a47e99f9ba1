/* forbidden-call: process_pending_softirqs() with a lock held that a
 * softirq handler may wait for (rules "forbidden_under_lock", "when":
 * "softirq-blocks"): the handler runs inside the call and never gets the
 * lock. Long loops over devices call it to keep the watchdog quiet, and
 * must drop such locks around it. do_softirq() is forbidden under any lock
 * ("always"). The handlers below are registered with the rules' softirq
 * registration functions and take the locks through callees. */
#include "checks.h"

static spinlock_t fc_map_lock;      /* the softirq handler waits for it */
static spinlock_t fc_stats_lock;    /* the softirq handler only trylocks it */
static spinlock_t fc_log_lock;      /* no handler takes it */
static spinlock_t fc_sched_lock;    /* only the scheduler's softirq takes it */
static struct timer fc_poll_timer;
static struct tasklet fc_msi_tasklet;
static unsigned int fc_stats;

/* --- the handlers --- */

static void fc_refresh_map(void)
{
	spin_lock(&fc_map_lock);
	spin_unlock(&fc_map_lock);
	if ( spin_trylock(&fc_stats_lock) )
	{
		fc_stats++;
		spin_unlock(&fc_stats_lock);
	}
}

static void fc_map_softirq(void)
{
	fc_refresh_map();
}

/* a timer: pcidevs_lock, then the device's domain's pci_lock */
static void fc_poll_device(struct pci_dev *pdev)
{
	pcidevs_lock();
	read_lock(&pdev->domain->pci_lock);
	pdev->sbdf = 0;
	read_unlock(&pdev->domain->pci_lock);
	pcidevs_unlock();
}

static void fc_poll_timer_fn(void *data)
{
	fc_poll_device(data);
}

/* a softirq tasklet: a device's vPCI lock */
static void fc_msi_tasklet_fn(void *data)
{
	struct vpci *v = data;

	spin_lock(&v->lock);
	v->cmd = 0;
	spin_unlock(&v->lock);
}

/* the scheduler's softirq, which process_pending_softirqs() does not run */
static void fc_schedule(void)
{
	spin_lock(&fc_sched_lock);
	spin_unlock(&fc_sched_lock);
}

/* Sets of ranges with a lock each (Xen's rangesets): every one has class
 * fc_rangeset.lock, but which object a lock is depends on where the set
 * comes from. A timer removes ranges from a dying domain's irq_caps and
 * from the global read-only set. */
struct fc_rangeset {
	rwlock_t lock;
	unsigned long n;
};
struct fc_dom {
	struct fc_rangeset *irq_caps;
};
void *_xmalloc(unsigned long size, unsigned long align);   /* an allocator (rules) */
extern struct fc_rangeset *fc_ro_ranges;
static struct timer fc_reaper_timer;

static struct fc_rangeset *fc_rangeset_new(void)
{
	struct fc_rangeset *r = _xmalloc(sizeof(*r), 8);

	if ( !r )
		return NULL;
	r->n = 0;
	return r;
}

static void fc_rangeset_remove(struct fc_rangeset *r)
{
	write_lock(&r->lock);
	r->n--;
	write_unlock(&r->lock);
}

static int fc_rangeset_report(struct fc_rangeset *r, int (*cb)(unsigned long n, void *data), void *data)
{
	int rc;

	read_lock(&r->lock);
	rc = cb(r->n, data);
	read_unlock(&r->lock);
	return rc;
}

static void fc_reaper_fn(void *data)
{
	struct fc_dom *d = data;

	fc_rangeset_remove(d->irq_caps);
	fc_rangeset_remove(fc_ro_ranges);
}

/* Only a dying domain's teardown, which runs after boot (rules "boot":
 * "after"), write-locks the read-only MMIO set; a timer runs it here, an
 * RCU callback in Xen. */
extern struct fc_rangeset *fc_mmio_ro;
static struct timer fc_teardown_timer;

void complete_domain_destroy(struct fc_dom *d)
{
	fc_rangeset_remove(fc_mmio_ro);
	d->irq_caps = NULL;
}

static void fc_teardown_fn(void *data)
{
	complete_domain_destroy(data);
}

/* a timer that only reads a set */
extern struct fc_rangeset *fc_cfg_ranges;
static struct timer fc_cfg_timer;
static unsigned long fc_cfg_seen;

static void fc_cfg_timer_fn(void *data)
{
	read_lock(&fc_cfg_ranges->lock);
	fc_cfg_seen = fc_cfg_ranges->n;
	read_unlock(&fc_cfg_ranges->lock);
}

void fc_softirq_init(struct pci_dev *pdev, struct vpci *v)
{
	init_timer(&fc_teardown_timer, fc_teardown_fn, NULL, 0);
	init_timer(&fc_cfg_timer, fc_cfg_timer_fn, NULL, 0);
	init_timer(&fc_reaper_timer, fc_reaper_fn, NULL, 0);
	open_softirq(7, fc_map_softirq);
	open_softirq(3, fc_schedule);
	init_timer(&fc_poll_timer, fc_poll_timer_fn, pdev, 0);
	softirq_tasklet_init(&fc_msi_tasklet, fc_msi_tasklet_fn, v);
}

int setup_device(struct pci_dev *pdev);

/* --- correct --- */

/* the domain's lock dropped around the call on every turn */
void good_drop_around(struct domain *d)
{
	struct pci_dev *pdev;

	read_lock(&d->pci_lock);
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
	{
		read_unlock(&d->pci_lock);
		process_pending_softirqs();
		read_lock(&d->pci_lock);
	}
	read_unlock(&d->pci_lock);
}

/* after the unlock */
int good_after_unlock(struct pci_dev *pdev)
{
	int rc;

	pcidevs_lock();
	rc = setup_device(pdev);
	pcidevs_unlock();
	process_pending_softirqs();
	return rc;
}

/* waits for a lock by trylock, running softirqs while it is not had */
void good_trylock_wait(struct pci_dev *pdev)
{
	while ( !spin_trylock(&fc_map_lock) )
		process_pending_softirqs();
	setup_device(pdev);
	spin_unlock(&fc_map_lock);
}

/* a NULL test decides the lock and the unlock */
void good_null_correlated_softirqs(struct domain *d, struct pci_dev *pdev)
{
	if ( d )
		read_lock(&d->pci_lock);
	setup_device(pdev);
	if ( d )
		read_unlock(&d->pci_lock);
	process_pending_softirqs();
}

/* returns pdev's vPCI state with its lock held: the caller unlocks it
 * (every caller holds d->pci_lock) */
struct vpci *good_fc_vpci_get_locked(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	return pdev->vpci;
}

/* the handed-back lock released under the returned name first */
void good_handed_back_then_softirqs(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = good_fc_vpci_get_locked(pdev);
	v->cmd = 0;
	spin_unlock(&v->lock);
	read_unlock(&d->pci_lock);
	process_pending_softirqs();
}

/* calls it; so do its callers, with no lock held */
static void good_callee_softirqs(struct pci_dev *pdev)
{
	setup_device(pdev);
	process_pending_softirqs();
}

void good_caller_unlocked(struct pci_dev *pdev)
{
	good_callee_softirqs(pdev);
	good_callee_softirqs(pdev);
}

/* a lock the softirq handler only trylocks: it gives up, never waits */
void good_trylocked_by_handler(void)
{
	spin_lock(&fc_stats_lock);
	fc_stats = 0;
	process_pending_softirqs();
	spin_unlock(&fc_stats_lock);
}

/* a lock no softirq handler takes */
void good_no_handler_takes_it(void)
{
	spin_lock(&fc_log_lock);
	process_pending_softirqs();
	spin_unlock(&fc_log_lock);
}

/* only the scheduler's softirq takes it, and process_pending_softirqs()
 * skips that one (rules: skips_softirqs) */
void good_only_skipped_softirq(void)
{
	spin_lock(&fc_sched_lock);
	process_pending_softirqs();
	spin_unlock(&fc_sched_lock);
}

/* called back under the read lock of a set its caller has just made and
 * never stored anywhere: no handler can reach that set (Xen's
 * identity_map() under arch_iommu_hwdom_init()'s private rangeset) */
static int good_private_set_each(unsigned long n, void *data)
{
	process_pending_softirqs();
	return 0;
}

int fc_walk_private_set(void)
{
	struct fc_rangeset *map = fc_rangeset_new();

	if ( !map )
		return -1;
	return fc_rangeset_report(map, good_private_set_each, NULL);
}

/* Boot code (__init) walking the read-only MMIO set with softirqs run on
 * every range: only a domain's teardown write-locks that set, and no domain
 * dies while the system boots (Xen's identity_map() under
 * arch_iommu_hwdom_init() walking mmio_ro_ranges while building dom0) */
static int __init good_boot_ro_each(unsigned long n, void *data)
{
	process_pending_softirqs();
	return 0;
}

int __init fc_boot_map_ro(void)
{
	return fc_rangeset_report(fc_mmio_ro, good_boot_ro_each, NULL);
}

/* boot code by its callers: only __init code calls it */
static void good_boot_only_caller(struct fc_rangeset *r)
{
	read_lock(&r->lock);
	process_pending_softirqs();
	read_unlock(&r->lock);
}

void __init fc_boot_scan_ro(void)
{
	good_boot_only_caller(fc_mmio_ro);
}

/* boot code reading a set that a handler only reads: the handler's reader
 * could wait only behind a writer, and during boot no other CPU runs
 * anything but softirq work, none of which writes the set */
void __init good_boot_read_shared(void)
{
	read_lock(&fc_cfg_ranges->lock);
	process_pending_softirqs();
	read_unlock(&fc_cfg_ranges->lock);
}

/* --- bugs --- */

/* after boot, a writer on another CPU may queue between the two readers */
void warn_runtime_read_shared(void)
{
	read_lock(&fc_cfg_ranges->lock);
	process_pending_softirqs();
	read_unlock(&fc_cfg_ranges->lock);
}

/* boot code reading a set that a timer write-locks at any time */
void __init warn_boot_read_written(void)
{
	read_lock(&fc_ro_ranges->lock);
	process_pending_softirqs();
	read_unlock(&fc_ro_ranges->lock);
}

/* the same walk after boot: a domain may be dying on this CPU's softirq */
static int warn_runtime_ro_each(unsigned long n, void *data)
{
	process_pending_softirqs();
	return 0;
}

int fc_runtime_map_ro(void)
{
	return fc_rangeset_report(fc_mmio_ro, warn_runtime_ro_each, NULL);
}

/* boot code is no excuse for a lock that a softirq taking it at boot too */
void __init warn_boot_map_lock(void)
{
	spin_lock(&fc_map_lock);
	process_pending_softirqs();
	spin_unlock(&fc_map_lock);
}

/* called back under the read lock of the global set the timer write-locks */
static int warn_global_set_each(unsigned long n, void *data)
{
	process_pending_softirqs();
	return 0;
}

int fc_walk_global_set(void)
{
	return fc_rangeset_report(fc_ro_ranges, warn_global_set_each, NULL);
}

/* do_softirq() is forbidden under any lock, whoever takes it */
void warn_do_softirq_locked(void)
{
	spin_lock(&fc_log_lock);
	do_softirq();
	spin_unlock(&fc_log_lock);
}

/* a long loop over every device under pcidevs_lock */
void warn_under_pcidevs(struct domain *d)
{
	struct pci_dev *pdev;

	pcidevs_lock();
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
	{
		setup_device(pdev);
		process_pending_softirqs();
	}
	pcidevs_unlock();
}

/* under the domain's lock, held for reading */
void warn_under_read_lock(struct domain *d)
{
	struct pci_dev *pdev;

	read_lock(&d->pci_lock);
	for ( pdev = d->pdev_list; pdev; pdev = pdev->domain_list )
		process_pending_softirqs();
	read_unlock(&d->pci_lock);
}

/* in a callee whose only caller holds the vPCI lock */
static void warn_map_slowly(struct pci_dev *pdev)
{
	setup_device(pdev);
	process_pending_softirqs();
}

void vpci_map_handler(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	warn_map_slowly(pdev);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* the trylock succeeded: the lock is held */
void warn_after_trylock(struct pci_dev *pdev)
{
	if ( spin_trylock(&fc_map_lock) )
	{
		setup_device(pdev);
		process_pending_softirqs();
		spin_unlock(&fc_map_lock);
	}
}

/*
 * check-findings-start
 * forbidden-call.c:332:2: warning: call to process_pending_softirqs() with fc_cfg_ranges->lock held, which softirq handler fc_cfg_timer_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:331:2: note: fc_cfg_ranges->lock acquired in warn_runtime_read_shared()
 * forbidden-call.c:332:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:150:2: note: init_timer() registers softirq handler fc_cfg_timer_fn()
 * forbidden-call.c:142:2: note: fc_rangeset.lock acquired in fc_cfg_timer_fn() through read_lock() for reading, waiting for it
 * forbidden-call.c:332:2: note: the lock held here and the one a handler takes there may be one object: both may come from *fc_cfg_ranges
 * forbidden-call.c:340:2: warning: call to process_pending_softirqs() with fc_ro_ranges->lock held, which softirq handler fc_reaper_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:339:2: note: fc_ro_ranges->lock acquired in warn_boot_read_written()
 * forbidden-call.c:340:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:151:2: note: init_timer() registers softirq handler fc_reaper_fn()
 * forbidden-call.c:115:2: note: fc_reaper_fn() calls fc_rangeset_remove()
 * forbidden-call.c:95:2: note: fc_rangeset.lock acquired in fc_rangeset_remove() through write_lock(), waiting for it
 * forbidden-call.c:340:2: note: the lock held here and the one a handler takes there may be one object: both may come from *fc_ro_ranges
 * forbidden-call.c:347:2: warning: call to process_pending_softirqs() with fc_rangeset.lock held, which softirq handler fc_teardown_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:105:7: note: fc_rangeset_report() calls warn_runtime_ro_each() holding it (it changed the lock itself)
 * forbidden-call.c:105:7: note: fc_rangeset.lock held by every caller of warn_runtime_ro_each()
 * forbidden-call.c:347:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:149:2: note: init_timer() registers softirq handler fc_teardown_fn()
 * forbidden-call.c:132:2: note: fc_teardown_fn() calls complete_domain_destroy()
 * forbidden-call.c:126:2: note: complete_domain_destroy() calls fc_rangeset_remove()
 * forbidden-call.c:95:2: note: fc_rangeset.lock acquired in fc_rangeset_remove() through write_lock(), waiting for it
 * forbidden-call.c:347:2: note: the lock held here and the one a handler takes there may be one object: both may come from *fc_mmio_ro
 * forbidden-call.c:360:2: warning: call to process_pending_softirqs() with fc_map_lock held, which softirq handler fc_map_softirq() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:359:2: note: fc_map_lock acquired in warn_boot_map_lock()
 * forbidden-call.c:360:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:152:2: note: open_softirq() registers softirq handler fc_map_softirq()
 * forbidden-call.c:33:2: note: fc_map_softirq() calls fc_refresh_map()
 * forbidden-call.c:22:2: note: fc_map_lock acquired in fc_refresh_map() through spin_lock(), waiting for it
 * forbidden-call.c:360:2: note: the lock held here and the one a handler takes there may be one object: both may come from &fc_map_lock
 * forbidden-call.c:367:2: warning: call to process_pending_softirqs() with fc_rangeset.lock held, which softirq handler fc_reaper_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:105:7: note: fc_rangeset_report() calls warn_global_set_each() holding it (it changed the lock itself)
 * forbidden-call.c:105:7: note: fc_rangeset.lock held by every caller of warn_global_set_each()
 * forbidden-call.c:367:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:151:2: note: init_timer() registers softirq handler fc_reaper_fn()
 * forbidden-call.c:115:2: note: fc_reaper_fn() calls fc_rangeset_remove()
 * forbidden-call.c:95:2: note: fc_rangeset.lock acquired in fc_rangeset_remove() through write_lock(), waiting for it
 * forbidden-call.c:367:2: note: the lock held here and the one a handler takes there may be one object: both may come from *fc_ro_ranges
 * forbidden-call.c:380:2: warning: call to do_softirq() with fc_log_lock held [lockaudit-forbidden-call]
 * forbidden-call.c:379:2: note: fc_log_lock acquired in warn_do_softirq_locked()
 * forbidden-call.c:380:2: note: do_softirq() called (it may schedule (SCHEDULE_SOFTIRQ) and asserts it is not in atomic context, which any held spinlock or rwlock makes it)
 * forbidden-call.c:393:3: warning: call to process_pending_softirqs() with _pcidevs_lock held, which softirq handler fc_poll_timer_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:389:2: note: _pcidevs_lock acquired in warn_under_pcidevs()
 * forbidden-call.c:393:3: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:154:2: note: init_timer() registers softirq handler fc_poll_timer_fn()
 * forbidden-call.c:48:2: note: fc_poll_timer_fn() calls fc_poll_device()
 * forbidden-call.c:39:2: note: _pcidevs_lock acquired in fc_poll_device() through pcidevs_lock(), waiting for it
 * forbidden-call.c:393:3: note: the lock held here and the one a handler takes there may be one object: both may come from &_pcidevs_lock
 * forbidden-call.c:405:3: warning: call to process_pending_softirqs() with d->pci_lock held, which softirq handler fc_poll_timer_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:403:2: note: d->pci_lock acquired in warn_under_read_lock()
 * forbidden-call.c:405:3: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:154:2: note: init_timer() registers softirq handler fc_poll_timer_fn()
 * forbidden-call.c:48:2: note: fc_poll_timer_fn() calls fc_poll_device()
 * forbidden-call.c:40:2: note: domain.pci_lock acquired in fc_poll_device() through read_lock() for reading, waiting for it
 * forbidden-call.c:405:3: note: the lock held here and the one a handler takes there may be one object: both may come from pci_dev.domain
 * forbidden-call.c:413:2: warning: call to process_pending_softirqs() with pdev->domain->pci_lock held, which softirq handler fc_poll_timer_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:422:2: note: vpci_map_handler() calls warn_map_slowly() holding it (it changed the lock itself)
 * forbidden-call.c:422:2: note: pdev->domain->pci_lock held by every caller of warn_map_slowly()
 * forbidden-call.c:413:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:154:2: note: init_timer() registers softirq handler fc_poll_timer_fn()
 * forbidden-call.c:48:2: note: fc_poll_timer_fn() calls fc_poll_device()
 * forbidden-call.c:40:2: note: domain.pci_lock acquired in fc_poll_device() through read_lock() for reading, waiting for it
 * forbidden-call.c:413:2: note: the lock held here and the one a handler takes there may be one object: both may come from pci_dev.domain
 * forbidden-call.c:413:2: warning: call to process_pending_softirqs() with pdev->vpci->lock held, which softirq handler fc_msi_tasklet_fn() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:422:2: note: vpci_map_handler() calls warn_map_slowly() holding it (it changed the lock itself)
 * forbidden-call.c:422:2: note: pdev->vpci->lock held by every caller of warn_map_slowly()
 * forbidden-call.c:413:2: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:155:2: note: softirq_tasklet_init() registers softirq handler fc_msi_tasklet_fn()
 * forbidden-call.c:56:2: note: vpci.lock acquired in fc_msi_tasklet_fn() through spin_lock(), waiting for it
 * forbidden-call.c:413:2: note: the lock held here and the one a handler takes there may be one object: both may come from pci_dev.vpci
 * forbidden-call.c:433:3: warning: call to process_pending_softirqs() with fc_map_lock held, which softirq handler fc_map_softirq() may wait for [lockaudit-forbidden-call]
 * forbidden-call.c:430:7: note: fc_map_lock acquired in warn_after_trylock()
 * forbidden-call.c:433:3: note: process_pending_softirqs() called (softirq handlers run inside it: one that waits for a lock held here never returns)
 * forbidden-call.c:152:2: note: open_softirq() registers softirq handler fc_map_softirq()
 * forbidden-call.c:33:2: note: fc_map_softirq() calls fc_refresh_map()
 * forbidden-call.c:22:2: note: fc_map_lock acquired in fc_refresh_map() through spin_lock(), waiting for it
 * forbidden-call.c:433:3: note: the lock held here and the one a handler takes there may be one object: both may come from &fc_map_lock
 * check-findings-end
 */
