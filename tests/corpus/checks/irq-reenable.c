/* irq-reenable: spin_lock_irq() where IRQs are already disabled. Xen's
 * _spin_lock_irq() asserts local_irq_is_enabled(), and the
 * spin_unlock_irq() that goes with it turns IRQs on behind the code that
 * turned them off. Reported at the call made with IRQs disabled, in the
 * function that disabled them, with the calls down to the spin_lock_irq()
 * (a few calls deep; a call through a vendor's ops table counts when one
 * implementation needs IRQs enabled).
 * The classes here are used in this file only. */
#include "checks.h"

struct iommu_unit {
	spinlock_t lock;
	spinlock_t reg_lock;
	unsigned int flags;
	unsigned int regs;
};

struct iommu_ops {
	void (*resume)(struct iommu_unit *u);
};

static spinlock_t resume_lock;
static spinlock_t irq_aff_lock;
static unsigned int irq_aff;

/* takes irq_aff_lock with spin_lock_irq(): needs IRQs enabled */
static void set_affinity_irq(void)
{
	spin_lock_irq(&irq_aff_lock);
	irq_aff++;
	spin_unlock_irq(&irq_aff_lock);
}

/* the same with irqsave: fine whatever the IRQ state */
static void set_affinity_save(void)
{
	unsigned long flags;

	spin_lock_irqsave(&irq_aff_lock, flags);
	irq_aff++;
	spin_unlock_irqrestore(&irq_aff_lock, flags);
}

static void unit_resume(struct iommu_unit *u)
{
	u->flags = 0;
	set_affinity_irq();
}

static void other_unit_resume(struct iommu_unit *u)
{
	u->flags = 1;
}

static const struct iommu_ops unit_ops = { .resume = unit_resume };
static const struct iommu_ops other_ops = { .resume = other_unit_resume };
const struct iommu_ops *iommu_ops_in_use(int vendor);

/* --- correct --- */

void good_resume_save(struct iommu_unit *u)
{
	unsigned long flags;

	spin_lock_irqsave(&resume_lock, flags);
	u->flags = 2;
	set_affinity_save();
	spin_unlock_irqrestore(&resume_lock, flags);
}

/* IRQs are back on when set_affinity_irq() runs */
void good_after_restore(struct iommu_unit *u)
{
	unsigned long flags;

	spin_lock_irqsave(&resume_lock, flags);
	u->flags = 3;
	spin_unlock_irqrestore(&resume_lock, flags);
	set_affinity_irq();
}

/* spin_lock_irq() with IRQs enabled: what it is for */
void good_plain(void)
{
	set_affinity_irq();
}

/* --- bugs --- */

/* the helper's spin_lock_irq() under the caller's irqsave */
void warn_resume_irq(struct iommu_unit *u)
{
	unsigned long flags;

	spin_lock_irqsave(&resume_lock, flags);
	u->flags = 4;
	set_affinity_irq();
	spin_unlock_irqrestore(&resume_lock, flags);
}

/* spin_lock_irq() right under another lock's irqsave */
void warn_nested_irq(struct iommu_unit *u)
{
	unsigned long flags;

	spin_lock_irqsave(&u->lock, flags);
	spin_lock_irq(&u->reg_lock);
	u->regs = 5;
	spin_unlock_irq(&u->reg_lock);
	spin_unlock_irqrestore(&u->lock, flags);
}

/* through an ops table: the resume of one vendor needs IRQs enabled */
void warn_resume_ops(struct iommu_unit *u, int vendor)
{
	unsigned long flags;
	const struct iommu_ops *ops = vendor ? &unit_ops : &other_ops;

	(void)ops;
	spin_lock_irqsave(&resume_lock, flags);
	iommu_ops_in_use(vendor)->resume(u);
	spin_unlock_irqrestore(&resume_lock, flags);
}

/*
 * check-findings-start
 * irq-reenable.c:97:2: warning: call to set_affinity_irq() with IRQs disabled: it reaches spin_lock_irq() in set_affinity_irq(), which needs them enabled [lockaudit-irq-reenable]
 * irq-reenable.c:97:2: note: IRQs disabled earlier in warn_resume_irq()
 * irq-reenable.c:97:2: note: warn_resume_irq() calls set_affinity_irq() with IRQs disabled
 * irq-reenable.c:29:2: note: spin_lock_irq() asserts that IRQs are enabled; the unlock that goes with it enables them
 * irq-reenable.c:107:2: warning: spin_lock_irq() with IRQs already disabled: it asserts they are enabled, and the unlock that goes with it enables them [lockaudit-irq-reenable]
 * irq-reenable.c:107:2: note: IRQs disabled earlier in warn_nested_irq()
 * irq-reenable.c:107:2: note: spin_lock_irq() asserts that IRQs are enabled; the unlock that goes with it enables them
 * irq-reenable.c:121:2: warning: call to unit_resume() with IRQs disabled: it reaches spin_lock_irq() in set_affinity_irq(), which needs them enabled [lockaudit-irq-reenable]
 * irq-reenable.c:121:2: note: IRQs disabled earlier in warn_resume_ops()
 * irq-reenable.c:121:2: note: warn_resume_ops() calls unit_resume() with IRQs disabled
 * irq-reenable.c:47:2: note: unit_resume() calls set_affinity_irq() with IRQs disabled
 * irq-reenable.c:29:2: note: spin_lock_irq() asserts that IRQs are enabled; the unlock that goes with it enables them
 * check-findings-end
 */
