/* guard with the kernel's lock API: rw_semaphore modes (downgrade_write()
 * keeps the lock, for reading), the irqsave spinlock named through
 * spinlock_check(), and a scoped_guard() that covers its block only. */
#include "linux.h"

void warn_write_after_downgrade(struct vdev *v)
{
	down_write(&v->memory_lock);
	v->pm_engaged = true;
	downgrade_write(&v->memory_lock);
	v->pm_engaged = false;
	up_read(&v->memory_lock);
}

bool good_read_under_read(struct vdev *v)
{
	bool on;

	down_read(&v->memory_lock);
	on = v->pm_engaged;
	up_read(&v->memory_lock);
	return on;
}

void good_irqsave_masks(struct vdev *v)
{
	unsigned long flags;

	spin_lock_irqsave(&v->irqlock, flags);
	v->ctx->masked = true;
	spin_unlock_irqrestore(&v->irqlock, flags);
}

void warn_after_scoped_guard(struct irq_ctx *ctx, struct vdev *v)
{
	scoped_guard(spinlock, &v->irqlock)
		ctx->masked = false;
	ctx->masked = true;
}

/* a constructor (rules "constructors": vdev_ops.init) writes the new
 * device's fields before anyone else can reach it */
static int good_init(struct vdev *v)
{
	v->irq_type = 0;
	return 0;
}

static const struct vdev_ops ops = { .init = good_init };

struct vdev *vdev_alloc(const struct vdev_ops *o, struct vdev *fresh)
{
	o->init(fresh);
	return fresh;
}

struct vdev *alloc_default(struct vdev *fresh)
{
	return vdev_alloc(&ops, fresh);
}

/* set under igate before request_irq(); the handler reads it while it is
 * registered; a reader elsewhere needs igate */
static int good_handler(int irq, void *arg)
{
	struct vdev *v = arg;

	return v->irq_type == irq;
}

int setup_irq(struct vdev *v, int irq)
{
	int ret;

	mutex_lock(&v->igate);
	v->irq_type = irq;
	ret = request_irq(irq, good_handler, 0, "vdev", v);
	mutex_unlock(&v->igate);
	return ret;
}

int warn_reads_type_unlocked(struct vdev *v)
{
	return v->irq_type;
}

/*
 * check-findings-start
 * guard.c:11:5: warning: write to vdev.pm_engaged without vdev.memory_lock (write) held [lockaudit-guard]
 * guard.c:8:2: note: v->memory_lock acquired in warn_write_after_downgrade()
 * guard.c:11:5: note: written here (rule: power flags are under memory_lock)
 * guard.c:20:10: note: conflicting read in good_read_under_read(), holding vdev.memory_lock (read), can run at the same time as this access, holding vdev.memory_lock (read)
 * guard.c:38:7: warning: write to irq_ctx.masked without vdev.irqlock held [lockaudit-guard]
 * guard.c:38:7: note: written here (rule: masked while running is under irqlock)
 * guard.c:30:10: note: conflicting write in good_irqsave_masks(), holding vdev.irqlock, can run at the same time as this access, holding no lock
 * guard.c:84:12: warning: read of vdev.irq_type without vdev.igate or handler registered held [lockaudit-guard]
 * guard.c:84:12: note: read here (rule: set under igate before request_irq(); stable while the handler is registered)
 * guard.c:76:5: note: conflicting write in setup_irq(), holding vdev.igate, can run at the same time as this access, holding no lock
 * check-findings-end
 */
