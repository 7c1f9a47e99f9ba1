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

/*
 * check-findings-start
 * guard.c:11:5: warning: write to vdev.pm_engaged without vdev.memory_lock (write) held [lockaudit-guard]
 * guard.c:8:2: note: v->memory_lock acquired in warn_write_after_downgrade()
 * guard.c:11:5: note: written here (rule: power flags are under memory_lock)
 * guard.c:20:10: note: conflicting read in good_read_under_read(), holding vdev.memory_lock (read), can run at the same time as this access, holding vdev.memory_lock (read)
 * guard.c:38:7: warning: write to irq_ctx.masked without vdev.irqlock held [lockaudit-guard]
 * guard.c:38:7: note: written here (rule: masked while running is under irqlock)
 * guard.c:30:10: note: conflicting write in good_irqsave_masks(), holding vdev.irqlock, can run at the same time as this access, holding no lock
 * check-findings-end
 */
