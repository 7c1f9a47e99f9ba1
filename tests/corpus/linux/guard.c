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

/* sequence counters: a read section, a write section under the writers'
 * lock; a seqlock's read and write sides */
struct irqfd_x { seqcount_spinlock_t entry_sc; int entry; };
struct kvm_x { spinlock_t irqfds_lock; seqlock_t clock_lock; int clock; };

int good_seqcount_read(struct irqfd_x *f)
{
	unsigned seq;
	int v;
	do {
		seq = read_seqcount_begin(&f->entry_sc);
		v = f->entry;
	} while (read_seqcount_retry(&f->entry_sc, seq));
	return v;
}

void good_seqcount_write(struct kvm_x *k, struct irqfd_x *f)
{
	spin_lock(&k->irqfds_lock);
	write_seqcount_begin(&f->entry_sc);
	f->entry = 1;
	write_seqcount_end(&f->entry_sc);
	spin_unlock(&k->irqfds_lock);
}

void warn_seqcount_write_outside_section(struct kvm_x *k, struct irqfd_x *f)
{
	spin_lock(&k->irqfds_lock);
	f->entry = 2;
	spin_unlock(&k->irqfds_lock);
}

int warn_seqcount_read_after_retry(struct irqfd_x *f)
{
	unsigned seq;
	int v;
	do {
		seq = read_seqcount_begin(&f->entry_sc);
		v = f->entry;
	} while (read_seqcount_retry(&f->entry_sc, seq));
	return v + f->entry;
}

int good_seqlock_read(struct kvm_x *k)
{
	unsigned seq;
	int v;
	do {
		seq = read_seqbegin(&k->clock_lock);
		v = k->clock;
	} while (read_seqretry(&k->clock_lock, seq));
	return v;
}

void good_seqlock_write(struct kvm_x *k)
{
	write_seqlock(&k->clock_lock);
	k->clock++;
	write_sequnlock(&k->clock_lock);
}

void warn_seqlock_write_in_read_section(struct kvm_x *k)
{
	unsigned seq;
	do {
		seq = read_seqbegin(&k->clock_lock);
		k->clock = 0;
	} while (read_seqretry(&k->clock_lock, seq));
}

/* scoped_cond_guard(): the block runs only when the lock was taken */
int good_scoped_cond_guard(struct vdev *v)
{
	scoped_cond_guard(mutex_intr, return -4, &v->igate) {
		v->num_ctx = 0;
	}
	return 0;
}

int warn_after_scoped_cond_guard(struct vdev *v)
{
	scoped_cond_guard(mutex_intr, return -4, &v->igate) {
		v->num_ctx = 0;
	}
	v->num_ctx = 1;
	return 0;
}

int warn_in_scoped_cond_guard_failure(struct vdev *v)
{
	scoped_cond_guard(mutex_intr, { v->num_ctx = 2; return -4; }, &v->igate) {
		v->num_ctx = 0;
	}
	return 0;
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
 * guard.c:115:5: warning: write to irqfd_x.entry without irqfd_x.entry_sc (write) held [lockaudit-guard]
 * guard.c:115:5: note: written here (rule: read in the counter's read section or under the writers' lock; written under the writers' lock inside a write section)
 * guard.c:98:10: note: conflicting read in good_seqcount_read(), holding irqfd_x.entry_sc (read), can run at the same time as this access, holding kvm_x.irqfds_lock
 * guard.c:127:16: warning: read of irqfd_x.entry without irqfd_x.entry_sc or kvm_x.irqfds_lock held [lockaudit-guard]
 * guard.c:127:16: note: read here (rule: read in the counter's read section or under the writers' lock; written under the writers' lock inside a write section)
 * guard.c:107:5: note: conflicting write in good_seqcount_write(), holding kvm_x.irqfds_lock, irqfd_x.entry_sc, can run at the same time as this access, holding no lock
 * guard.c:153:6: warning: write to kvm_x.clock without kvm_x.clock_lock (write) held [lockaudit-guard]
 * guard.c:152:9: note: k->clock_lock acquired in warn_seqlock_write_in_read_section()
 * guard.c:153:6: note: written here (rule: a seqlock: read in a read section, written in a write section)
 * guard.c:136:10: note: conflicting read in good_seqlock_read(), holding kvm_x.clock_lock (read), can run at the same time as this access, holding kvm_x.clock_lock (read)
 * guard.c:171:5: warning: write to vdev.num_ctx without vdev.igate held [lockaudit-guard]
 * guard.c:171:5: note: written here (rule: with ctx)
 * guard.c:161:6: note: conflicting write in good_scoped_cond_guard(), holding vdev.igate, can run at the same time as this access, holding no lock
 * guard.c:177:37: warning: write to vdev.num_ctx without vdev.igate held [lockaudit-guard]
 * guard.c:177:37: note: written here (rule: with ctx)
 * guard.c:161:6: note: conflicting write in good_scoped_cond_guard(), holding vdev.igate, can run at the same time as this access, holding no lock
 * check-findings-end
 */
