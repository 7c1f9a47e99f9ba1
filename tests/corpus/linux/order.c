/* order with the kernel's lock API: igate before memory_lock (the rules'
 * chain); RCU and SRCU read-side sections never wait, so taking one under a
 * lock and the lock inside one closes no cycle.
 *
 * A hotplug controller's IRQ thread (pciehp's pciehp_ist()) holds its
 * controller's reset_lock for reading, takes the global rescan lock, and
 * drops and retakes reset_lock around driver binding: reset_lock -> rescan
 * and rescan -> reset_lock. Both edges are on the controller's one thread
 * (its IRQ thread, or the poll thread in poll mode: one or the other), and
 * no other code takes reset_lock around the rescan lock, so no second
 * thread can close the cycle on the same controller. The same code also
 * called from a sysfs store, or with two threads per controller, can. */
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

/* one thread per controller: the IRQ thread, or the poll thread */
struct hp_ctrl { struct rw_semaphore reset_lock; int irq; int state; };
struct mutex hp_rescan_lock;
int hp_poll_mode;
void hp_bind_drivers(struct hp_ctrl *c);

static void good_hp_configure(struct hp_ctrl *c)
{
	mutex_lock(&hp_rescan_lock);
	up_read(&c->reset_lock);
	hp_bind_drivers(c);
	down_read(&c->reset_lock);
	mutex_unlock(&hp_rescan_lock);
}

static int hp_isr(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return 2;
}

static int good_hp_ist(int irq, void *dev_id)
{
	struct hp_ctrl *c = dev_id;
	(void)irq;
	down_read(&c->reset_lock);
	if (c->state)
		good_hp_configure(c);
	up_read(&c->reset_lock);
	return 1;
}

static int hp_poll(void *data)
{
	struct hp_ctrl *c = data;
	while (c->state)
		good_hp_ist(0, c);
	return 0;
}

int good_hp_init(struct hp_ctrl *c)
{
	if (hp_poll_mode) {
		kthread_run(hp_poll, c, "hp_poll");
		return 0;
	}
	return request_threaded_irq(c->irq, hp_isr, good_hp_ist, 0, "hp", c);
}

void good_hp_reset(struct hp_ctrl *c)
{
	down_write(&c->reset_lock);
	c->state = 0;
	up_write(&c->reset_lock);
}

/* the same, and a sysfs store runs the configure step on its own thread */
struct sw_ctrl { struct rw_semaphore reset_lock; int irq; int state; };
struct mutex sw_rescan_lock;
void sw_bind_drivers(struct sw_ctrl *c);

static void warn_sw_configure(struct sw_ctrl *c)
{
	mutex_lock(&sw_rescan_lock);
	up_read(&c->reset_lock);
	sw_bind_drivers(c);
	down_read(&c->reset_lock);
	mutex_unlock(&sw_rescan_lock);
}

static int sw_ist(int irq, void *dev_id)
{
	struct sw_ctrl *c = dev_id;
	(void)irq;
	down_read(&c->reset_lock);
	warn_sw_configure(c);
	up_read(&c->reset_lock);
	return 1;
}

int sw_init(struct sw_ctrl *c)
{
	return request_threaded_irq(c->irq, 0, sw_ist, 0, "sw", c);
}

void sw_enable_store(struct sw_ctrl *c)
{
	down_read(&c->reset_lock);
	warn_sw_configure(c);
	up_read(&c->reset_lock);
}

/* two poll threads on one controller: they can run the step at once */
struct tw_ctrl { struct rw_semaphore reset_lock; int state; };
struct mutex tw_rescan_lock;
void tw_bind_drivers(struct tw_ctrl *c);

static void warn_tw_configure(struct tw_ctrl *c)
{
	mutex_lock(&tw_rescan_lock);
	up_read(&c->reset_lock);
	tw_bind_drivers(c);
	down_read(&c->reset_lock);
	mutex_unlock(&tw_rescan_lock);
}

static int tw_poll(void *data)
{
	struct tw_ctrl *c = data;
	down_read(&c->reset_lock);
	warn_tw_configure(c);
	up_read(&c->reset_lock);
	return 0;
}

void tw_init(struct tw_ctrl *c)
{
	kthread_run(tw_poll, c, "tw_poll/0");
	kthread_run(tw_poll, c, "tw_poll/1");
}

/*
 * check-findings-start
 * order.c:18:2: warning: vdev.igate acquired while vdev.memory_lock is held: the rules order vdev.igate before vdev.memory_lock [lockaudit-order]
 * order.c:17:2: note: vdev.memory_lock acquired in warn_memory_then_igate()
 * order.c:18:2: note: vdev.igate acquired while vdev.memory_lock is held (1 place)
 * order.c:123:2: warning: lock order cycle: sw_rescan_lock acquired while sw_ctrl.reset_lock is held here, and the reverse in warn_sw_configure() [lockaudit-order]
 * order.c:135:2: note: sw_ist() calls warn_sw_configure() holding it (it changed the lock itself)
 * order.c:135:2: note: sw_ctrl.reset_lock held by every caller of warn_sw_configure()
 * order.c:123:2: note: sw_rescan_lock acquired while sw_ctrl.reset_lock is held (1 place)
 * order.c:123:2: note: sw_rescan_lock acquired in warn_sw_configure()
 * order.c:126:2: note: sw_ctrl.reset_lock acquired while sw_rescan_lock is held (1 place)
 * order.c:159:2: warning: lock order cycle: tw_rescan_lock acquired while tw_ctrl.reset_lock is held here, and the reverse in warn_tw_configure() [lockaudit-order]
 * order.c:170:2: note: tw_poll() calls warn_tw_configure() holding it (it changed the lock itself)
 * order.c:170:2: note: tw_ctrl.reset_lock held by every caller of warn_tw_configure()
 * order.c:159:2: note: tw_rescan_lock acquired while tw_ctrl.reset_lock is held (1 place)
 * order.c:159:2: note: tw_rescan_lock acquired in warn_tw_configure()
 * order.c:162:2: note: tw_ctrl.reset_lock acquired while tw_rescan_lock is held (1 place)
 * check-findings-end
 */
