/* order with the kernel's lock API: igate before memory_lock (the rules'
 * chain); RCU and SRCU read-side sections never wait, so taking one under a
 * lock and the lock inside one closes no cycle. */
#include "linux.h"

void warn_memory_then_igate(struct vdev *v)
{
	down_write(&v->memory_lock);
	mutex_lock(&v->igate);
	mutex_unlock(&v->igate);
	up_write(&v->memory_lock);
}

void good_igate_then_memory(struct vdev *v)
{
	mutex_lock(&v->igate);
	down_read(&v->memory_lock);
	up_read(&v->memory_lock);
	mutex_unlock(&v->igate);
}

void good_rcu_under_lock(struct vdev *v)
{
	spin_lock(&v->irqlock);
	rcu_read_lock();
	rcu_read_unlock();
	spin_unlock(&v->irqlock);
}

void good_lock_under_rcu(struct vdev *v)
{
	rcu_read_lock();
	spin_lock(&v->irqlock);
	spin_unlock(&v->irqlock);
	rcu_read_unlock();
}

void good_srcu_both_ways(struct vdev *v)
{
	int idx = srcu_read_lock(&v->srcu);
	mutex_lock(&v->igate);
	mutex_unlock(&v->igate);
	srcu_read_unlock(&v->srcu, idx);
	mutex_lock(&v->igate);
	idx = srcu_read_lock(&v->srcu);
	srcu_read_unlock(&v->srcu, idx);
	mutex_unlock(&v->igate);
}

/*
 * check-findings-start
 * order.c:9:2: warning: vdev.igate acquired while vdev.memory_lock is held: the rules order vdev.igate before vdev.memory_lock [lockaudit-order]
 * order.c:8:2: note: vdev.memory_lock acquired in warn_memory_then_igate()
 * order.c:9:2: note: vdev.igate acquired while vdev.memory_lock is held (1 place)
 * check-findings-end
 */
