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

struct irq_route {
	spinlock_t lock;
	unsigned int dest;
};

struct route_ops {
	void (*update)(struct irq_route *r);
};

struct irq_dev {
	spinlock_t lock;
	unsigned int events;
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
static struct irq_route the_route;
static struct irq_dev the_dev;
static spinlock_t asm_lock;
static unsigned int asm_count;

void ack_apic(int vector);

/* --- the roots: interrupt entry (IRQs off) and hypercall entry (on) --- */

static void good_chip_ack(struct irq_cfg *cfg);
static const struct irq_chip chip = { .ack = good_chip_ack };

static void good_handle_irq(struct irq_desc *desc, struct msi_table *tbl);
static void good_ack_cfg(struct irq_cfg *cfg);

static void good_route_irq(struct irq_route *r);
static void good_asm_irq(void);
static void warn_route_update(struct irq_route *r);
static const struct route_ops route_ops = { .update = warn_route_update };

void do_IRQ(struct cpu_user_regs *regs)
{
	(void)regs;
	good_handle_irq(&the_desc, &the_table);
	chip.ack(&the_cfg);
	good_route_irq(&the_route);
	good_asm_irq();
}

void warn_set_affinity(struct irq_desc *desc);
void warn_mask_entry(struct msi_table *tbl);
void warn_account(void);
static void rtc_hypercall(void);
static void known_fp_asm_cli(void);

void pv_hypercall(struct cpu_user_regs *regs)
{
	(void)regs;
	warn_set_affinity(&the_desc);
	warn_mask_entry(&the_table);
	warn_account();
	rtc_hypercall();
	route_ops.update(&the_route);
	known_fp_asm_cli();
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

/* a route lock taken on the interrupt path (IRQs off) ... */
static void good_route_irq(struct irq_route *r)
{
	spin_lock(&r->lock);
	r->dest++;
	spin_unlock(&r->lock);
}

/* ... and through an ops table from the hypercall (IRQs on) */
static void warn_route_update(struct irq_route *r)
{
	spin_lock(&r->lock);
	r->dest = 0;
	spin_unlock(&r->lock);
}

/* a request_irq() handler runs with IRQs on (do_IRQ() drops desc->lock
 * with spin_unlock_irq() before the action handlers) ... */
static void warn_dev_interrupt(int irq, void *dev)
{
	struct irq_dev *d = dev;

	(void)irq;
	spin_lock(&d->lock);
	d->events++;
	spin_unlock(&d->lock);
}

/* ... while the set-up takes the same lock with irqsave */
void good_dev_setup(unsigned int irq)
{
	unsigned long flags;

	request_irq(irq, 0, warn_dev_interrupt, "dev", &the_dev);
	spin_lock_irqsave(&the_dev.lock, flags);
	the_dev.events = 0;
	spin_unlock_irqrestore(&the_dev.lock, flags);
}

/* the interrupt path takes asm_lock with IRQs off ... */
static void good_asm_irq(void)
{
	spin_lock(&asm_lock);
	asm_count++;
	spin_unlock(&asm_lock);
}

/* ... and so does this hypercall helper, with inline asm the IR does not
 * show (Xen's local_irq_disable()): reported, unless the rules' irq.asm
 * names it */
static void known_fp_asm_cli(void)
{
	__asm__ volatile ( "cli" : : : "memory" );
	spin_lock(&asm_lock);
	asm_count = 0;
	spin_unlock(&asm_lock);
	__asm__ volatile ( "sti" : : : "memory" );
}

/*
 * check-findings-start
 * irq-safety.c:191:2: warning: irq_desc.lock taken with IRQs enabled here, and with IRQs disabled in good_handle_irq() [lockaudit-irq-safety]
 * irq-safety.c:78:2: note: do_IRQ() calls good_handle_irq() with IRQs disabled (rules: irq.off)
 * irq-safety.c:107:2: note: irq_desc.lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:93:2: note: pv_hypercall() calls warn_set_affinity() with IRQs enabled (rules: irq.on)
 * irq-safety.c:191:2: note: irq_desc.lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:200:2: warning: msi_table.lock taken with IRQs enabled here, and with IRQs disabled in good_handle_irq() [lockaudit-irq-safety]
 * irq-safety.c:78:2: note: do_IRQ() calls good_handle_irq() with IRQs disabled (rules: irq.off)
 * irq-safety.c:109:2: note: msi_table.lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:94:2: note: pv_hypercall() calls warn_mask_entry() with IRQs enabled (rules: irq.on)
 * irq-safety.c:200:2: note: msi_table.lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:209:2: warning: pending_eoi_lock taken with IRQs enabled here, and with IRQs disabled in good_flush_eoi() [lockaudit-irq-safety]
 * irq-safety.c:158:2: note: pending_eoi_lock taken with IRQs disabled
 * irq-safety.c:95:2: note: pv_hypercall() calls warn_account() with IRQs enabled (rules: irq.on)
 * irq-safety.c:209:2: note: pending_eoi_lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:218:2: warning: stats_lock taken with IRQs enabled here, and with IRQs disabled in good_stats_reset() [lockaudit-irq-safety]
 * irq-safety.c:228:2: note: stats_lock taken with IRQs disabled
 * irq-safety.c:215:13: note: warn_stats_tick() runs with IRQs enabled (it is a handler that runs with IRQs enabled: rules irq)
 * irq-safety.c:218:2: note: stats_lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:253:2: warning: irq_route.lock taken with IRQs enabled here, and with IRQs disabled in good_route_irq() [lockaudit-irq-safety]
 * irq-safety.c:80:2: note: do_IRQ() calls good_route_irq() with IRQs disabled (rules: irq.off)
 * irq-safety.c:245:2: note: irq_route.lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:97:2: note: pv_hypercall() calls warn_route_update() with IRQs enabled (rules: irq.on)
 * irq-safety.c:253:2: note: irq_route.lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:265:2: warning: irq_dev.lock taken with IRQs enabled here, and with IRQs disabled in good_dev_setup() [lockaudit-irq-safety]
 * irq-safety.c:276:2: note: irq_dev.lock taken with IRQs disabled
 * irq-safety.c:260:13: note: warn_dev_interrupt() runs with IRQs enabled (it is a handler that runs with IRQs enabled: rules irq)
 * irq-safety.c:265:2: note: irq_dev.lock taken with IRQs enabled (as its callers leave them)
 * irq-safety.c:295:2: warning: asm_lock taken with IRQs enabled here, and with IRQs disabled in good_asm_irq() [lockaudit-irq-safety]
 * irq-safety.c:81:2: note: do_IRQ() calls good_asm_irq() with IRQs disabled (rules: irq.off)
 * irq-safety.c:284:2: note: asm_lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:98:2: note: pv_hypercall() calls known_fp_asm_cli() with IRQs enabled (rules: irq.on)
 * irq-safety.c:295:2: note: asm_lock taken with IRQs enabled (as its callers leave them)
 * check-findings-end
 */
