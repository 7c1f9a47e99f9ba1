/* irq-safety with the kernel's lock API: a spinlock taken in a hard IRQ
 * handler (IRQs off) and elsewhere with IRQs on can deadlock; a sleeping
 * lock (an rw_semaphore) tried with IRQs off is no such lock (and sleeping
 * with IRQs off is forbidden-call's). */
#include "linux.h"

struct dev2 { spinlock_t lock; struct rw_semaphore sem; int count; };

static int irq_handler(int irq, void *arg)
{
	struct dev2 *d = arg;

	spin_lock(&d->lock);
	d->count++;
	spin_unlock(&d->lock);
	if (down_read_trylock(&d->sem))
		up_read(&d->sem);
	return 1;
}

int dev2_setup(struct dev2 *d, int irq)
{
	return request_irq(irq, irq_handler, 0, "dev2", d);
}

void warn_spinlock_irqs_on(struct dev2 *d)
{
	spin_lock(&d->lock);
	d->count = 0;
	spin_unlock(&d->lock);
}

void good_sem_irqs_on(struct dev2 *d)
{
	down_read(&d->sem);
	up_read(&d->sem);
}

/*
 * check-findings-start
 * irq-safety.c:28:2: warning: dev2.lock taken with IRQs enabled here, and with IRQs disabled in irq_handler() [lockaudit-irq-safety]
 * irq-safety.c:9:12: note: irq_handler() runs with IRQs disabled (it is a handler that runs with IRQs disabled: rules irq)
 * irq-safety.c:13:2: note: dev2.lock taken with IRQs disabled (as its callers leave them)
 * irq-safety.c:26:6: note: warn_spinlock_irqs_on() runs with IRQs enabled (rules: irq.on)
 * irq-safety.c:28:2: note: dev2.lock taken with IRQs enabled (as its callers leave them)
 * check-findings-end
 */
