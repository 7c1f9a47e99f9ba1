/* Recursive cycles: a cycle entered once without the lock holds nothing
 * inside; a cycle always entered with it holds it at every depth. */
#include "locks.h"

static void walk(struct domain *d, int depth);

static void step_in(struct domain *d, int depth)
{
	d->count = depth;
	if ( depth )
		walk(d, depth - 1);
}

static void walk(struct domain *d, int depth)
{
	step_in(d, depth);
}

void good_walk_locked(struct domain *d)
{
	spin_lock(&d->lock);
	walk(d, 3);
	spin_unlock(&d->lock);
}

void warn_walk_unlocked(struct domain *d)
{
	walk(d, 2);
}

static void ping(struct domain *d, int n);

static void pong(struct domain *d, int n)
{
	d->count++;
	if ( n )
		ping(d, n - 1);
}

static void ping(struct domain *d, int n)
{
	pong(d, n);
}

void good_pingpong(struct domain *d)
{
	write_lock(&d->pci_lock);
	ping(d, 4);
	write_unlock(&d->pci_lock);
}

/*
 * check-held-start
 * 9 step_in write domain.count | -
 * 11 step_in call walk | -
 * 16 walk call step_in | -
 * 21 good_walk_locked call spin_lock | -
 * 21 good_walk_locked addr domain.lock | -
 * 22 good_walk_locked call walk | domain.lock=$0->lock:x
 * 23 good_walk_locked call spin_unlock | domain.lock=$0->lock:x
 * 23 good_walk_locked addr domain.lock | domain.lock=$0->lock:x
 * 28 warn_walk_unlocked call walk | -
 * 35 pong write domain.count | domain.pci_lock=$0->pci_lock:x:i
 * 37 pong call ping | domain.pci_lock=$0->pci_lock:x:i
 * 42 ping call pong | domain.pci_lock=$0->pci_lock:x:i
 * 47 good_pingpong call write_lock | -
 * 47 good_pingpong addr domain.pci_lock | -
 * 48 good_pingpong call ping | domain.pci_lock=$0->pci_lock:x
 * 49 good_pingpong call write_unlock | domain.pci_lock=$0->pci_lock:x
 * 49 good_pingpong addr domain.pci_lock | domain.pci_lock=$0->pci_lock:x
 * check-held-end
 */
