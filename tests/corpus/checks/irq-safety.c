/* irq-safety: a lock class taken with IRQs disabled somewhere (an _irq or
 * _irqsave primitive, or nested in such a section) and with IRQs enabled
 * elsewhere: an interrupt arriving while the second holder has it spins on
 * a lock its own CPU holds. The check is whole program and reports a class
 * once, at a place where it is taken with IRQs enabled.
 * The classes here are used in this file only (the other files take no
 * lock with IRQs disabled). */
#include "checks.h"

struct irq_desc {
	spinlock_t lock;
	unsigned int status;
};

struct msi_table {
	spinlock_t lock;
	unsigned int masked;
};

struct irq_cfg {
	spinlock_t lock;
	int vector;
};

static spinlock_t pending_eoi_lock;
static unsigned int pending_eoi;

void ack_apic(int vector);

/* --- correct --- */

/* the interrupt handler side: desc->lock with IRQs off, and the MSI table
 * lock nested inside, so also with IRQs off */
void good_do_irq(struct irq_desc *desc, struct msi_table *tbl)
{
	unsigned long flags;

	spin_lock_irqsave(&desc->lock, flags);
	desc->status |= 1;
	spin_lock(&tbl->lock);
	tbl->masked = 0;
	spin_unlock(&tbl->lock);
	spin_unlock_irqrestore(&desc->lock, flags);
}

/* the EOI lock with IRQs off by _irq, through the inline spin_lock_irq()
 * (lockaudit today: the inferred wrapper loses the primitive's IRQ effect,
 * so this counts as taken with IRQs on, and known_miss_queue_eoi() is missed) */
void good_flush_eoi(void)
{
	spin_lock_irq(&pending_eoi_lock);
	pending_eoi = 0;
	spin_unlock_irq(&pending_eoi_lock);
}

/* irq_cfg.lock: always taken with IRQs off, by irqsave ... */
int good_cfg_vector(struct irq_cfg *cfg)
{
	unsigned long flags;
	int vector;

	spin_lock_irqsave(&cfg->lock, flags);
	vector = cfg->vector;
	spin_unlock_irqrestore(&cfg->lock, flags);
	return vector;
}

/* ... or in a function whose every caller has disabled IRQs (lockaudit
 * today: reported, the IRQ state is not passed on to callees) */
static void known_fp_cfg_ack_irqs_off(struct irq_cfg *cfg)
{
	spin_lock(&cfg->lock);
	ack_apic(cfg->vector);
	spin_unlock(&cfg->lock);
}

void good_end_irq(struct irq_desc *desc, struct irq_cfg *cfg)
{
	unsigned long flags;

	spin_lock_irqsave(&desc->lock, flags);
	known_fp_cfg_ack_irqs_off(cfg);
	desc->status &= ~1u;
	spin_unlock_irqrestore(&desc->lock, flags);
}

/* --- bugs --- */

/* desc->lock with IRQs enabled: good_do_irq() may interrupt it on the same
 * CPU and spin forever */
void warn_set_affinity(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	desc->status |= 2;
	spin_unlock(&desc->lock);
}

/* the MSI table lock, taken with IRQs off inside good_do_irq(), taken here
 * with IRQs on */
void warn_mask_entry(struct msi_table *tbl)
{
	spin_lock(&tbl->lock);
	tbl->masked = 1;
	spin_unlock(&tbl->lock);
}

/* the EOI lock with IRQs on, after the IRQs-off section is over */
void known_miss_queue_eoi(struct irq_desc *desc)
{
	unsigned long flags;

	spin_lock_irqsave(&desc->lock, flags);
	desc->status |= 4;
	spin_unlock_irqrestore(&desc->lock, flags);
	spin_lock(&pending_eoi_lock);
	pending_eoi++;
	spin_unlock(&pending_eoi_lock);
}

/*
 * check-findings-start
 * irq-safety.c:72:2: warning: irq_cfg.lock taken with IRQs enabled here, and with IRQs disabled in good_cfg_vector() [lockaudit-irq-safety]
 * irq-safety.c:62:2: note: irq_cfg.lock taken with IRQs disabled
 * irq-safety.c:72:2: note: irq_cfg.lock taken with IRQs enabled (as far as this function shows)
 * irq-safety.c:93:2: warning: irq_desc.lock taken with IRQs enabled here, and with IRQs disabled in good_do_irq() [lockaudit-irq-safety]
 * irq-safety.c:38:2: note: irq_desc.lock taken with IRQs disabled
 * irq-safety.c:93:2: note: irq_desc.lock taken with IRQs enabled (as far as this function shows)
 * irq-safety.c:102:2: warning: msi_table.lock taken with IRQs enabled here, and with IRQs disabled in good_do_irq() [lockaudit-irq-safety]
 * irq-safety.c:40:2: note: msi_table.lock taken with IRQs disabled
 * irq-safety.c:102:2: note: msi_table.lock taken with IRQs enabled (as far as this function shows)
 * check-findings-end
 */
