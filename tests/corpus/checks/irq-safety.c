/* irq-safety: a lock class taken with IRQs known disabled somewhere and
 * with IRQs known enabled elsewhere: an interrupt arriving while the second
 * holder has it spins on a lock its own CPU holds (Xen's check_lock()
 * stops there). The IRQ state comes from the primitives (_irq, _irqsave),
 * from the callers (every call site), and from the roots of the rules:
 * do_IRQ() runs with IRQs off, pv_hypercall(), timers and softirq handlers
 * with IRQs on. A state that is not known (a function nobody here calls)
 * is no witness either way. One finding per class.
 * The classes here are used in this file only. */
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

struct irq_chip {
	void (*ack)(struct irq_cfg *cfg);
};

static spinlock_t pending_eoi_lock;
static unsigned int pending_eoi;
static spinlock_t rtc_lock;
static unsigned int rtc_ticks;
static spinlock_t stats_lock;
static unsigned int stats;
static struct timer rtc_timer;
static struct irq_desc the_desc;
static struct msi_table the_table;
static struct irq_cfg the_cfg;

void ack_apic(int vector);

/* --- the roots: interrupt entry (IRQs off) and hypercall entry (on) --- */

static void good_chip_ack(struct irq_cfg *cfg);
static const struct irq_chip chip = { .ack = good_chip_ack };

static void good_handle_irq(struct irq_desc *desc, struct msi_table *tbl);
static void good_ack_cfg(struct irq_cfg *cfg);

void do_IRQ(struct cpu_user_regs *regs)
{
	(void)regs;
	good_handle_irq(&the_desc, &the_table);
	chip.ack(&the_cfg);
}

void warn_set_affinity(struct irq_desc *desc);
void warn_mask_entry(struct msi_table *tbl);
void warn_account(void);
static void rtc_hypercall(void);

void pv_hypercall(struct cpu_user_regs *regs)
{
	(void)regs;
	warn_set_affinity(&the_desc);
	warn_mask_entry(&the_table);
	warn_account();
	rtc_hypercall();
}

/* --- correct --- */

/* desc->lock with IRQs off as the interrupt entry leaves them, and the MSI
 * table lock nested inside, also with IRQs off */
static void good_handle_irq(struct irq_desc *desc, struct msi_table *tbl)
{
	spin_lock(&desc->lock);
	desc->status |= 1;
	spin_lock(&tbl->lock);
	tbl->masked = 0;
	spin_unlock(&tbl->lock);
	spin_unlock(&desc->lock);
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

/* ... in a function whose every caller has disabled IRQs (irqsave in the
 * caller: inherited) ... */
static void good_ack_cfg(struct irq_cfg *cfg)
{
	spin_lock(&cfg->lock);
	ack_apic(cfg->vector);
	spin_unlock(&cfg->lock);
}

void good_end_irq(struct irq_desc *desc, struct irq_cfg *cfg)
{
	unsigned long flags;

	spin_lock_irqsave(&desc->lock, flags);
	good_ack_cfg(cfg);
	desc->status &= ~1u;
	spin_unlock_irqrestore(&desc->lock, flags);
}

/* ... and through an ops table called from the interrupt entry */
static void good_chip_ack(struct irq_cfg *cfg)
{
	spin_lock(&cfg->lock);
	cfg->vector = 0;
	spin_unlock(&cfg->lock);
}

/* the EOI lock with IRQs off by _irq, through the inline spin_lock_irq()
 * (a wrapper carries its callee's IRQ effect) */
void good_flush_eoi(void)
{
	spin_lock_irq(&pending_eoi_lock);
	pending_eoi = 0;
	spin_unlock_irq(&pending_eoi_lock);
}

/* a timer handler runs with IRQs on, and so does the hypercall: rtc_lock is
 * taken with IRQs on everywhere */
static void good_rtc_tick(void *data)
{
	(void)data;
	spin_lock(&rtc_lock);
	rtc_ticks++;
	spin_unlock(&rtc_lock);
}

static void rtc_hypercall(void)
{
	spin_lock(&rtc_lock);
	rtc_ticks = 0;
	spin_unlock(&rtc_lock);
}

void good_rtc_init(void)
{
	init_timer(&rtc_timer, good_rtc_tick, NULL, 0);
}

/* --- bugs --- */

/* desc->lock with IRQs enabled (from the hypercall): the interrupt may
 * arrive on this CPU while it is held, and good_handle_irq() spins forever */
void warn_set_affinity(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	desc->status |= 2;
	spin_unlock(&desc->lock);
}

/* the MSI table lock, taken with IRQs off under desc->lock in the
 * interrupt path, taken here with IRQs on */
void warn_mask_entry(struct msi_table *tbl)
{
	spin_lock(&tbl->lock);
	tbl->masked = 1;
	spin_unlock(&tbl->lock);
}

/* the EOI lock with IRQs on (hypercall), after the IRQs-off section of
 * good_flush_eoi() */
void warn_account(void)
{
	spin_lock(&pending_eoi_lock);
	pending_eoi++;
	spin_unlock(&pending_eoi_lock);
}

/* a lock taken in a timer handler (IRQs on) and with irqsave elsewhere */
static void warn_stats_tick(void *data)
{
	(void)data;
	spin_lock(&stats_lock);
	stats++;
	spin_unlock(&stats_lock);
}

void good_stats_reset(void)
{
	unsigned long flags;

	init_timer(&rtc_timer, warn_stats_tick, NULL, 0);
	spin_lock_irqsave(&stats_lock, flags);
	stats = 0;
	spin_unlock_irqrestore(&stats_lock, flags);
}

/* a function nobody here calls: its IRQ state is not known, so it is no
 * witness (lockaudit does not guess "enabled") */
void good_unknown_state(struct irq_desc *desc)
{
	spin_lock(&desc->lock);
	desc->status = 0;
	spin_unlock(&desc->lock);
}

/*
 * check-findings-start
 * irq-safety.c:163:2: warning: irq_desc.lock taken with IRQs enabled here, and with IRQs disabled in good_handle_irq() [lockaudit-irq-safety]
 * irq-safety.c:55:2: note: do_IRQ() calls good_handle_irq() with IRQs disabled (rules: irq.off)
 * irq-safety.c:79:2: note: irq_desc.lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:67:2: note: pv_hypercall() calls warn_set_affinity() with IRQs enabled (rules: irq.on)
 * irq-safety.c:163:2: note: irq_desc.lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:172:2: warning: msi_table.lock taken with IRQs enabled here, and with IRQs disabled in good_handle_irq() [lockaudit-irq-safety]
 * irq-safety.c:55:2: note: do_IRQ() calls good_handle_irq() with IRQs disabled (rules: irq.off)
 * irq-safety.c:81:2: note: msi_table.lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:68:2: note: pv_hypercall() calls warn_mask_entry() with IRQs enabled (rules: irq.on)
 * irq-safety.c:172:2: note: msi_table.lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:181:2: warning: pending_eoi_lock taken with IRQs enabled here, and with IRQs disabled in good_flush_eoi() [lockaudit-irq-safety]
 * irq-safety.c:130:2: note: pending_eoi_lock taken with IRQs disabled
 * irq-safety.c:69:2: note: pv_hypercall() calls warn_account() with IRQs enabled (rules: irq.on)
 * irq-safety.c:181:2: note: pending_eoi_lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:190:2: warning: stats_lock taken with IRQs enabled here, and with IRQs disabled in good_stats_reset() [lockaudit-irq-safety]
 * irq-safety.c:200:2: note: stats_lock taken with IRQs disabled
 * irq-safety.c:187:13: note: warn_stats_tick() runs with IRQs enabled (it is a handler that runs with IRQs enabled: rules irq)
 * irq-safety.c:190:2: note: stats_lock taken with IRQs enabled (as its callers leave them)
 * check-findings-end
 */
