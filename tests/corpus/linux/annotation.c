/* annotation: sparse's lock context annotations on function definitions.
 * Without __CHECKER__ the kernel defines them as nothing, as here; lockaudit
 * reads them from the macro expansions. Models (not kernel code) of the
 * i8259 PIC's lock wrappers and of the PCI config access that waits with
 * the config lock dropped, and of the ways such functions go wrong. */
#include "linux.h"

#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

struct an_pic {
	spinlock_t lock;
	bool wakeup_needed;
	int irr;
};

void an_kick_vcpus(struct an_pic *s);

/* a lock wrapper and its unlock, which does more after the unlock */
static void good_pic_lock(struct an_pic *s)
	__acquires(&s->lock)
{
	spin_lock(&s->lock);
}

static void good_pic_unlock(struct an_pic *s)
	__releases(&s->lock)
{
	bool wakeup = s->wakeup_needed;

	s->wakeup_needed = false;
	spin_unlock(&s->lock);
	if (!wakeup)
		return;
	an_kick_vcpus(s);
}

void good_pic_set_irq(struct an_pic *s, int irq)
{
	good_pic_lock(s);
	s->irr |= 1 << irq;
	good_pic_unlock(s);
}

/* the config lock, dropped around the wait for the device and taken back */
spinlock_t an_cfg_lock;

struct an_dev {
	bool block_cfg_access;
	int val;
};

void good_wait_cfg(struct an_dev *dev)
	__must_hold(&an_cfg_lock)
{
	do {
		spin_unlock_irq(&an_cfg_lock);
		msleep(10);
		spin_lock_irq(&an_cfg_lock);
	} while (dev->block_cfg_access);
}

int good_user_read_config(struct an_dev *dev, int *val)
{
	spin_lock_irq(&an_cfg_lock);
	if (dev->block_cfg_access)
		good_wait_cfg(dev);
	*val = dev->val;
	spin_unlock_irq(&an_cfg_lock);
	return 0;
}

/* an early way out before the lock is taken: its callers unlock a lock
 * they do not hold (the value returned would tell them, but the
 * annotation promises the lock on every way out) */
static int warn_pic_lock_early(struct an_pic *s)
	__acquires(&s->lock)
{
	if (!s->irr)
		return -EINVAL;
	spin_lock(&s->lock);
	return 0;
}

/* takes the lock only when asked to, and falls off its end without it */
static void warn_pic_lock_if(struct an_pic *s, bool take)
	__acquires(&s->lock)
{
	if (take)
		spin_lock(&s->lock);
}

/* one way out forgets the unlock: the caller's lock stays held */
static void warn_pic_unlock_forgets(struct an_pic *s, int irq)
	__releases(&s->lock)
{
	if (irq < 0)
		return;
	s->irr &= ~(1 << irq);
	spin_unlock(&s->lock);
}

void an_clear_irq(struct an_pic *s, int irq)
{
	good_pic_lock(s);
	warn_pic_unlock_forgets(s, irq);
}

/* an error path returns with the lock still dropped */
int an_wait_event_interruptible(struct an_dev *dev);

static int warn_wait_cfg_error(struct an_dev *dev)
	__must_hold(&an_cfg_lock)
{
	spin_unlock_irq(&an_cfg_lock);
	if (an_wait_event_interruptible(dev))
		return -EINTR;
	spin_lock_irq(&an_cfg_lock);
	return 0;
}

int an_user_write_config(struct an_dev *dev, int val)
{
	spin_lock_irq(&an_cfg_lock);
	if (dev->block_cfg_access && warn_wait_cfg_error(dev))
		return -EINTR;
	dev->val = val;
	spin_unlock_irq(&an_cfg_lock);
	return 0;
}

/*
 * check-findings-start
 * annotation.c:81:3: warning: warn_pic_lock_early() returns without s->lock held here, against its annotation __acquires(&s->lock) (line 78) [lockaudit-annotation]
 * annotation.c:78:2: note: warn_pic_lock_early() is annotated __acquires(&s->lock): it returns with s->lock held
 * annotation.c:81:3: note: returns without s->lock
 * annotation.c:92:1: warning: warn_pic_lock_if() returns without s->lock held here, against its annotation __acquires(&s->lock) (line 88) [lockaudit-annotation]
 * annotation.c:88:2: note: warn_pic_lock_if() is annotated __acquires(&s->lock): it returns with s->lock held
 * annotation.c:92:1: note: falls off its end without s->lock
 * annotation.c:99:3: warning: warn_pic_unlock_forgets() returns with s->lock still held here, against its annotation __releases(&s->lock) (line 96) [lockaudit-annotation]
 * annotation.c:96:2: note: warn_pic_unlock_forgets() is annotated __releases(&s->lock): its callers hand s->lock over, and it returns without it
 * annotation.c:107:2: note: s->lock held by every caller of warn_pic_unlock_forgets()
 * annotation.c:99:3: note: returns with s->lock held
 * annotation.c:118:3: warning: warn_wait_cfg_error() returns without an_cfg_lock held here, against its annotation __must_hold(&an_cfg_lock) (line 114) [lockaudit-annotation]
 * annotation.c:114:2: note: warn_wait_cfg_error() is annotated __must_hold(&an_cfg_lock): an_cfg_lock is held on entry and on every way out
 * annotation.c:118:3: note: returns without an_cfg_lock
 * check-findings-end
 */
