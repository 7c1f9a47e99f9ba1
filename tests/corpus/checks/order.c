/* order: locks taken against the rules' order (pcidevs_lock, then
 * d->pci_lock, then pdev->vpci->lock), or two locks the rules do not order
 * taken in both orders somewhere in the program. The check is whole
 * program: a cycle is reported once, in the function that takes the locks
 * in the order whose first class sorts first, with both witnesses. */
#include "checks.h"

void pirq_bind(struct domain *d, int pirq);

/* returns pdev's vPCI state with its lock held: the caller unlocks it */
struct vpci *or_vpci_get_locked(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	return pdev->vpci;
}

/* takes and drops pcidevs_lock */
void or_refresh_all(void)
{
	pcidevs_lock();
	pcidevs_unlock();
}

/* --- correct --- */

/* all three, in the rules' order */
void good_full_order(struct domain *d, struct pci_dev *pdev)
{
	pcidevs_lock();
	write_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->cmd = 0;
	spin_unlock(&pdev->vpci->lock);
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
}

/* the vPCI lock in a callee whose every caller holds d->pci_lock */
static void good_callee_takes_vpci(struct pci_dev *pdev)
{
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->nr_bars++;
	spin_unlock(&pdev->vpci->lock);
}

void good_caller_holds_pci_lock(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	good_callee_takes_vpci(pdev);
	read_unlock(&d->pci_lock);
}

/* against the order, but only by trylock: it never waits, so it cannot
 * deadlock */
int good_reverse_trylock(struct domain *d)
{
	int n = 0;

	read_lock(&d->pci_lock);
	if ( pcidevs_trylock() )
	{
		n = d->pdev_list != NULL;
		pcidevs_unlock();
	}
	read_unlock(&d->pci_lock);
	return n;
}

/* the handed-back vPCI lock released under the returned name and
 * d->pci_lock dropped before pcidevs_lock is taken */
void good_handed_back_then_pcidevs(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = or_vpci_get_locked(pdev);
	v->cmd = 0;
	spin_unlock(&v->lock);
	read_unlock(&d->pci_lock);
	pcidevs_lock();
	pdev->sbdf = 0;
	pcidevs_unlock();
}

/* pcidevs_lock taken again (it is recursive) with d->pci_lock held: it is
 * already held, so the order is kept (lockaudit today: counted as one of
 * the places of the pci_lock -> pcidevs_lock edge below) */
void good_pcidevs_again(struct domain *d)
{
	pcidevs_lock();
	read_lock(&d->pci_lock);
	pcidevs_lock();
	d->domain_id = 0;
	pcidevs_unlock();
	read_unlock(&d->pci_lock);
	pcidevs_unlock();
}

/* --- bugs --- */

/* d->pci_lock taken with the vPCI lock held */
void warn_pci_lock_under_vpci(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	pcidevs_lock();
	spin_lock(&pdev->vpci->lock);
	read_lock(&d->pci_lock);
	pdev->vpci->cmd = 0;
	read_unlock(&d->pci_lock);
	spin_unlock(&pdev->vpci->lock);
	pcidevs_unlock();
}

/* pcidevs_lock taken with d->pci_lock held: a class pair is reported
 * once, at its first witness in file order (this one) */
void warn_pcidevs_under_pci_lock(struct domain *d)
{
	read_lock(&d->pci_lock);
	pcidevs_lock();
	d->domain_id = 0;
	pcidevs_unlock();
	read_unlock(&d->pci_lock);
}

/* pcidevs_lock taken in a callee whose only caller holds d->pci_lock
 * (lockaudit today: the pair is reported once, above; this place is only
 * counted in its "2 places") */
static void known_miss_callee_takes_pcidevs(struct pci_dev *pdev)
{
	pcidevs_lock();
	pdev->sbdf = 0;
	pcidevs_unlock();
}

void vpci_msix_handler(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	known_miss_callee_takes_pcidevs(pdev);
	read_unlock(&d->pci_lock);
}

/* a callee that takes pcidevs_lock, called with d->pci_lock held; the
 * callee has other callers that hold nothing: the call site gives the edge
 * (counted in the "3 places" of the pair reported above) */
void or_pcidevs_in_callee(struct domain *d)
{
	read_lock(&d->pci_lock);
	or_refresh_all();
	read_unlock(&d->pci_lock);
}

void or_periodic_refresh(void)
{
	or_refresh_all();
}

/* d->event_lock is not in the rules' order. Binding an MSI takes it with
 * the device's vPCI lock held ... */
void or_msi_bind(struct pci_dev *pdev, int pirq)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	spin_lock(&d->event_lock);
	pirq_bind(d, pirq);
	spin_unlock(&d->event_lock);
	spin_unlock(&pdev->vpci->lock);
	read_unlock(&d->pci_lock);
}

/* ... and this takes them the other way round: a cycle of two */
void warn_vpci_under_event_lock(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&d->event_lock);
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->rom_enabled = 0;
	spin_unlock(&pdev->vpci->lock);
	spin_unlock(&d->event_lock);
	read_unlock(&d->pci_lock);
}

/* Both orders of irq_desc.lock and irq_ratelimit_lock, but the rules call
 * the first edge guarded ("guarded_order"): it is taken only for a
 * descriptor that is not on the list, and the other side locks only
 * descriptors on the list. IRQs are off in both, as in Xen. */
struct irq_desc {
	spinlock_t lock;
	struct irq_desc *rl_next;
	bool rl_listed;
};
extern spinlock_t irq_ratelimit_lock;
extern struct irq_desc *irq_ratelimit_list;

void good_guarded_ratelimit(struct irq_desc *desc)
{
	unsigned long flags;

	spin_lock_irqsave(&desc->lock, flags);
	if ( !desc->rl_listed )
	{
		spin_lock(&irq_ratelimit_lock);
		desc->rl_next = irq_ratelimit_list;
		irq_ratelimit_list = desc;
		desc->rl_listed = 1;
		spin_unlock(&irq_ratelimit_lock);
	}
	spin_unlock_irqrestore(&desc->lock, flags);
}

void or_ratelimit_timer(void)
{
	struct irq_desc *desc;
	unsigned long flags;

	spin_lock_irqsave(&irq_ratelimit_lock, flags);
	for ( desc = irq_ratelimit_list; desc; desc = desc->rl_next )
	{
		spin_lock(&desc->lock);
		desc->rl_listed = 0;
		spin_unlock(&desc->lock);
	}
	irq_ratelimit_list = NULL;
	spin_unlock_irqrestore(&irq_ratelimit_lock, flags);
}

/* --- one CPU online (rules "single_cpu") --- */

struct iommu_unit {
	spinlock_t lock;
};

struct irq_line {
	spinlock_t lock;
};

struct smmu_unit {
	spinlock_t lock;
};

extern struct iommu_unit boot_unit;
extern struct irq_line boot_line;
extern struct smmu_unit boot_smmu;
extern struct domain boot_domain;

/* the IOMMU's interrupt is set up under the IOMMU's lock, and the
 * interrupt path takes the two the other way round; but this runs only at
 * boot before the other CPUs start, and on S3 resume with them offline, so
 * no other CPU can hold them in the other order (Xen: enable_iommu() and
 * iommu_msi_unmask()) */
static void good_iommu_enable(struct iommu_unit *u, struct irq_line *l)
{
	unsigned long flags;

	spin_lock_irqsave(&u->lock, flags);
	spin_lock(&l->lock);
	spin_unlock(&l->lock);
	spin_unlock_irqrestore(&u->lock, flags);
}

static void iommu_resume_units(void)
{
	good_iommu_enable(&boot_unit, &boot_line);
}

void or_irq_line_unmask(struct irq_line *l, struct iommu_unit *u)
{
	spin_lock(&l->lock);
	spin_lock(&u->lock);
	spin_unlock(&u->lock);
	spin_unlock(&l->lock);
}

/* the same pair of orders, but one of them also after the other CPUs are
 * started: a deadlock between two CPUs */
static void or_smmu_enable(struct smmu_unit *u, struct irq_line *l)
{
	spin_lock(&u->lock);
	spin_lock(&l->lock);
	spin_unlock(&l->lock);
	spin_unlock(&u->lock);
}

void warn_smmu_unmask(struct irq_line *l, struct smmu_unit *u)
{
	spin_lock(&l->lock);
	spin_lock(&u->lock);
	spin_unlock(&u->lock);
	spin_unlock(&l->lock);
}

void __start_xen(void)
{
	good_iommu_enable(&boot_unit, &boot_line);
	good_boot_count_devices(&boot_domain);
	smp_prepare_cpus();
	or_smmu_enable(&boot_smmu, &boot_line);
}

int enter_state(void)
{
	int rc = disable_nonboot_cpus();

	if ( rc )
		goto out;
	iommu_resume_units();
 out:
	enable_nonboot_cpus();
	return rc;
}

/* --- cycles through callees and of any length --- */

/* Xen a321abc6d812 (XSA-73), in a model of its own: a page transfer holds
 * the receiving domain's page allocation lock while a callee checks the
 * grant entry under the grant table lock; growing the grant table shares
 * new pages with the domain, which takes the page allocation lock under
 * the grant table lock. The callee sharing pages has callers that hold
 * nothing too: the call site under the grant table lock gives the edge. */
struct cy_grant_table {
	spinlock_t lock;
	unsigned int nr_frames;
};
struct cy_dom {
	spinlock_t page_alloc_lock;
	struct cy_grant_table *gt;
	unsigned int tot_pages;
};

static int warn_cy_prepare_for_transfer(struct cy_dom *e)
{
	int ok;

	spin_lock(&e->gt->lock);
	ok = e->gt->nr_frames != 0;
	spin_unlock(&e->gt->lock);
	return ok;
}

void cy_transfer(struct cy_dom *e)
{
	spin_lock(&e->page_alloc_lock);
	e->tot_pages++;
	if (!warn_cy_prepare_for_transfer(e))
		e->tot_pages--;
	spin_unlock(&e->page_alloc_lock);
}

static void cy_share_page(struct cy_dom *d)
{
	spin_lock(&d->page_alloc_lock);
	d->tot_pages++;
	spin_unlock(&d->page_alloc_lock);
}

static void cy_grow_table(struct cy_dom *d)
{
	d->gt->nr_frames++;
	cy_share_page(d);
}

void cy_set_version(struct cy_dom *d)
{
	spin_lock(&d->gt->lock);
	cy_grow_table(d);
	spin_unlock(&d->gt->lock);
}

void cy_alloc_heap_page(struct cy_dom *d)
{
	cy_share_page(d);
}

/* three locks, each pair in one order only, round in a circle: reported
 * once, at the edge out of the class that sorts first */
spinlock_t cy_alpha_lock, cy_beta_lock, cy_gamma_lock;

void warn_cy_alpha_then_beta(void)
{
	spin_lock(&cy_alpha_lock);
	spin_lock(&cy_beta_lock);
	spin_unlock(&cy_beta_lock);
	spin_unlock(&cy_alpha_lock);
}

void cy_beta_then_gamma(void)
{
	spin_lock(&cy_beta_lock);
	spin_lock(&cy_gamma_lock);
	spin_unlock(&cy_gamma_lock);
	spin_unlock(&cy_beta_lock);
}

void cy_gamma_then_alpha(void)
{
	spin_lock(&cy_gamma_lock);
	spin_lock(&cy_alpha_lock);
	spin_unlock(&cy_alpha_lock);
	spin_unlock(&cy_gamma_lock);
}

/* a cycle through a function pointer: the flush hook is called with the
 * unit's lock held, and takes the queue lock; elsewhere the unit's lock is
 * taken under the queue lock */
struct cy_unit_ops {
	void (*flush)(void);
};
spinlock_t cy_unit_lock, cy_queue_lock;

static void cy_flush_queue(void)
{
	spin_lock(&cy_queue_lock);
	spin_unlock(&cy_queue_lock);
}

const struct cy_unit_ops cy_ops = { .flush = cy_flush_queue };

void cy_unit_flush(const struct cy_unit_ops *ops)
{
	spin_lock(&cy_unit_lock);
	ops->flush();
	spin_unlock(&cy_unit_lock);
}

void warn_cy_queue_then_unit(void)
{
	spin_lock(&cy_queue_lock);
	spin_lock(&cy_unit_lock);
	spin_unlock(&cy_unit_lock);
	spin_unlock(&cy_queue_lock);
}

/* the same three classes as the ring above, with a fourth taken under each
 * of them only: no cycle through it */
spinlock_t cy_leaf_lock;

void good_cy_leaf_last(void)
{
	spin_lock(&cy_alpha_lock);
	spin_lock(&cy_leaf_lock);
	spin_unlock(&cy_leaf_lock);
	spin_unlock(&cy_alpha_lock);
}

/*
 * check-findings-start
 * order.c:111:2: warning: domain.pci_lock acquired while vpci.lock is held: the rules order domain.pci_lock before vpci.lock [lockaudit-order]
 * order.c:110:2: note: vpci.lock acquired in warn_pci_lock_under_vpci()
 * order.c:111:2: note: domain.pci_lock acquired while vpci.lock is held (1 place)
 * order.c:123:2: warning: _pcidevs_lock acquired while domain.pci_lock is held: the rules order _pcidevs_lock before domain.pci_lock [lockaudit-order]
 * order.c:122:2: note: domain.pci_lock acquired in warn_pcidevs_under_pci_lock()
 * order.c:123:2: note: _pcidevs_lock acquired while domain.pci_lock is held (3 places)
 * order.c:185:2: warning: lock order cycle: vpci.lock acquired while domain.event_lock is held here, and the reverse in or_msi_bind() [lockaudit-order]
 * order.c:184:2: note: domain.event_lock acquired in warn_vpci_under_event_lock()
 * order.c:185:2: note: vpci.lock acquired while domain.event_lock is held (1 place)
 * order.c:170:2: note: vpci.lock acquired in or_msi_bind()
 * order.c:171:2: note: domain.event_lock acquired while vpci.lock is held (1 place)
 * order.c:296:2: warning: lock order cycle: smmu_unit.lock acquired while irq_line.lock is held here, and the reverse in or_smmu_enable() [lockaudit-order]
 * order.c:295:2: note: irq_line.lock acquired in warn_smmu_unmask()
 * order.c:296:2: note: smmu_unit.lock acquired while irq_line.lock is held (1 place)
 * order.c:287:2: note: smmu_unit.lock acquired in or_smmu_enable()
 * order.c:288:2: note: irq_line.lock acquired while smmu_unit.lock is held (1 place)
 * order.c:343:2: warning: lock order cycle: cy_grant_table.lock acquired while cy_dom.page_alloc_lock is held here, and the reverse in cy_share_page() [lockaudit-order]
 * order.c:353:7: note: cy_transfer() calls warn_cy_prepare_for_transfer() holding it (it changed the lock itself)
 * order.c:353:7: note: cy_dom.page_alloc_lock held by every caller of warn_cy_prepare_for_transfer()
 * order.c:343:2: note: cy_grant_table.lock acquired while cy_dom.page_alloc_lock is held (1 place)
 * order.c:374:2: note: cy_set_version() calls cy_grow_table() holding it (it changed the lock itself)
 * order.c:368:2: note: cy_grow_table() calls cy_share_page() holding cy_grant_table.lock
 * order.c:360:2: note: cy_dom.page_alloc_lock acquired while cy_grant_table.lock is held (1 place)
 * order.c:390:2: warning: lock order cycle of 3 classes: cy_alpha_lock -> cy_beta_lock -> cy_gamma_lock -> cy_alpha_lock; cy_beta_lock acquired while cy_alpha_lock is held here [lockaudit-order]
 * order.c:389:2: note: cy_alpha_lock acquired in warn_cy_alpha_then_beta()
 * order.c:390:2: note: cy_beta_lock acquired while cy_alpha_lock is held (1 place)
 * order.c:397:2: note: cy_beta_lock acquired in cy_beta_then_gamma()
 * order.c:398:2: note: cy_gamma_lock acquired while cy_beta_lock is held (1 place)
 * order.c:405:2: note: cy_gamma_lock acquired in cy_gamma_then_alpha()
 * order.c:406:2: note: cy_alpha_lock acquired while cy_gamma_lock is held (1 place)
 * order.c:437:2: warning: lock order cycle: cy_unit_lock acquired while cy_queue_lock is held here, and the reverse in cy_flush_queue() [lockaudit-order]
 * order.c:436:2: note: cy_queue_lock acquired in warn_cy_queue_then_unit()
 * order.c:437:2: note: cy_unit_lock acquired while cy_queue_lock is held (1 place)
 * order.c:430:2: note: cy_unit_flush() calls cy_flush_queue() holding it (it changed the lock itself)
 * order.c:430:2: note: cy_unit_lock held by every caller of cy_flush_queue()
 * order.c:421:2: note: cy_queue_lock acquired while cy_unit_lock is held (1 place)
 * check-findings-end
 */
