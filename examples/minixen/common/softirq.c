/* Softirqs: a handler table indexed by number, run when polled. */
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/softirq.h>

static softirq_handler softirq_handlers[NR_SOFTIRQS];
static unsigned long softirq_pending;
static DEFINE_SPINLOCK(softirq_lock);   /* taken with IRQs off */
static DEFINE_SPINLOCK(timer_lock);
static unsigned long timer_ticks;

void open_softirq(int nr, softirq_handler handler)
{
    ASSERT(nr >= 0 && nr < NR_SOFTIRQS);
    softirq_handlers[nr] = handler;
}

void raise_softirq(unsigned int nr)
{
    unsigned long flags;

    spin_lock_irqsave(&softirq_lock, flags);
    softirq_pending |= 1UL << nr;
    spin_unlock_irqrestore(&softirq_lock, flags);
}

/* models the timer softirq: back off and retry if the lock is busy */
static void timer_softirq_action(void)
{
    if ( !spin_trylock(&timer_lock) )
    {
        raise_softirq(TIMER_SOFTIRQ);
        return;
    }
    timer_ticks++;
    spin_unlock(&timer_lock);
}

/* models process_pending_softirqs(): run whatever is pending, once */
void process_pending_softirqs(void)
{
    unsigned long flags, todo;
    unsigned int nr;

    spin_lock_irqsave(&softirq_lock, flags);
    todo = softirq_pending;
    softirq_pending = 0;
    spin_unlock_irqrestore(&softirq_lock, flags);

    for ( nr = 0; nr < NR_SOFTIRQS; nr++ )
        if ( (todo & (1UL << nr)) && softirq_handlers[nr] )
            softirq_handlers[nr]();
}

void softirq_init(void)
{
    open_softirq(TIMER_SOFTIRQ, timer_softirq_action);
}
