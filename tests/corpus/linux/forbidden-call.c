/* forbidden-call in atomic context: a sleeping call under a spinlock (taken
 * directly, through spin_lock_irqsave()'s spinlock_check(), through a
 * scoped_guard()), in an RCU read-side section, or with IRQs disabled; not
 * under a mutex or in an SRCU section, and not an allocation that does not
 * sleep (GFP_ATOMIC). */
#include "linux.h"

void warn_mutex_under_spinlock(struct vdev *v)
{
	spin_lock(&v->irqlock);
	mutex_lock(&v->igate);
	mutex_unlock(&v->igate);
	spin_unlock(&v->irqlock);
}

void *warn_alloc_under_irqsave(struct vdev *v)
{
	unsigned long flags;
	void *p;

	spin_lock_irqsave(&v->irqlock, flags);
	p = kzalloc(64, GFP_KERNEL);
	spin_unlock_irqrestore(&v->irqlock, flags);
	return p;
}

void warn_sleep_in_scoped_guard(struct vdev *v)
{
	scoped_guard(spinlock, &v->irqlock) {
		v->scratch = 0;
		msleep(10);
	}
}

void warn_user_copy_in_rcu(struct vdev *v, const void *ubuf)
{
	rcu_read_lock();
	copy_from_user(&v->irq_type, ubuf, sizeof(v->irq_type));
	rcu_read_unlock();
}

/* its only caller calls it with IRQs disabled (and no lock held) */
static void warn_sleeps_with_irqs_off(void)
{
	might_sleep();
}

void irqs_off_caller(struct vdev *v)
{
	spin_lock_irq(&v->irqlock);
	spin_unlock(&v->irqlock);
	warn_sleeps_with_irqs_off();
	spin_unlock_irq(&v->irqlock);
}

void *good_atomic_alloc(struct vdev *v)
{
	unsigned long flags;
	void *p;

	spin_lock_irqsave(&v->irqlock, flags);
	p = kzalloc(64, GFP_ATOMIC);
	spin_unlock_irqrestore(&v->irqlock, flags);
	return p;
}

void good_sleep_under_mutex(struct vdev *v)
{
	guard(mutex)(&v->igate);
	v->ctx = kzalloc(sizeof(*v->ctx), GFP_KERNEL);
	msleep(1);
}

void good_sleep_after_guard(struct vdev *v)
{
	scoped_guard(spinlock, &v->irqlock)
		v->scratch = 1;
	msleep(1);
}

void good_srcu_sleeps(struct vdev *v)
{
	int idx = srcu_read_lock(&v->srcu);
	msleep(1);
	srcu_read_unlock(&v->srcu, idx);
}

/*
 * check-findings-start
 * forbidden-call.c:11:2: warning: call to mutex_lock() with v->irqlock held [lockaudit-forbidden-call]
 * forbidden-call.c:10:2: note: v->irqlock acquired in warn_mutex_under_spinlock()
 * forbidden-call.c:11:2: note: mutex_lock() called (a mutex acquisition sleeps)
 * forbidden-call.c:22:6: warning: call to kzalloc() with v->irqlock held [lockaudit-forbidden-call]
 * forbidden-call.c:21:2: note: v->irqlock acquired in warn_alloc_under_irqsave()
 * forbidden-call.c:22:6: note: kzalloc() called (GFP_KERNEL (__GFP_DIRECT_RECLAIM) may sleep to reclaim memory)
 * forbidden-call.c:31:3: warning: call to msleep() with v->irqlock held [lockaudit-forbidden-call]
 * forbidden-call.c:29:2: note: v->irqlock acquired in warn_sleep_in_scoped_guard()
 * forbidden-call.c:31:3: note: msleep() called (it schedules)
 * forbidden-call.c:38:2: warning: call to copy_from_user() with rcu held [lockaudit-forbidden-call]
 * forbidden-call.c:37:2: note: rcu acquired in warn_user_copy_in_rcu()
 * forbidden-call.c:38:2: note: copy_from_user() called (a user access may fault and sleep)
 * forbidden-call.c:45:2: warning: call to might_resched() with IRQs disabled [lockaudit-forbidden-call]
 * forbidden-call.c:52:2: note: irqs_off_caller() calls warn_sleeps_with_irqs_off() with IRQs disabled (it disabled IRQs itself)
 * forbidden-call.c:45:2: note: might_resched() called (might_sleep(): the code may sleep)
 * check-findings-end
 */
