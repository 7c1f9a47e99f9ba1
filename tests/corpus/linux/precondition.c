/* precondition with the kernel's lock context annotations: a function
 * annotated __must_hold(x) requires x of its callers, as an assertion at
 * its entry would (annotation.c has the annotated functions' own side). */
#include "linux.h"

#define __must_hold(x)

spinlock_t pc_cfg_lock;

struct pc_dev {
	bool block_cfg_access;
	int val;
};

static void good_pc_wait_cfg(struct pc_dev *dev)
	__must_hold(&pc_cfg_lock)
{
	while (dev->block_cfg_access) {
		spin_unlock_irq(&pc_cfg_lock);
		msleep(10);
		spin_lock_irq(&pc_cfg_lock);
	}
}

int good_pc_read_config(struct pc_dev *dev, int *val)
{
	spin_lock_irq(&pc_cfg_lock);
	good_pc_wait_cfg(dev);
	*val = dev->val;
	spin_unlock_irq(&pc_cfg_lock);
	return 0;
}

/* waits for the device without taking the config lock first */
int warn_pc_read_config_unlocked(struct pc_dev *dev, int *val)
{
	good_pc_wait_cfg(dev);
	*val = dev->val;
	return 0;
}

/*
 * check-findings-start
 * precondition.c:37:2: warning: call to good_pc_wait_cfg() without pc_cfg_lock held: it requires held(pc_cfg_lock) [lockaudit-precondition]
 * precondition.c:37:2: note: warn_pc_read_config_unlocked() calls good_pc_wait_cfg() without pc_cfg_lock
 * precondition.c:16:2: note: good_pc_wait_cfg() is annotated __must_hold(&pc_cfg_lock)
 * check-findings-end
 */
