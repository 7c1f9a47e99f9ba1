/* Trylock results on the branch that tests them: directly, through a
 * local, through an identity wrapper, and a function that returns 0 when
 * it took the lock. */
#include "locks.h"

int good_trylock(struct domain *d)
{
	if ( !spin_trylock(&d->lock) )
		return -1;
	d->count++;
	spin_unlock(&d->lock);
	return 0;
}

int good_trylock_local(struct domain *d)
{
	bool got = _spin_trylock(&d->lock);

	if ( got )
	{
		d->count++;
		spin_unlock(&d->lock);
	}
	return got;
}

/* returns 0 with d->lock held */
int lock_if_idle(struct domain *d)
{
	if ( d->count )
		return -16;
	spin_lock(&d->lock);
	return 0;
}

void good_conditional_acquire(struct domain *d)
{
	if ( lock_if_idle(d) )
		return;
	d->count = 1;
	spin_unlock(&d->lock);
}

/*
 * check-held-start
 * 8 good_trylock call _spin_trylock | -
 * 8 good_trylock call evaluate_nospec | -
 * 8 good_trylock addr domain.lock | -
 * 10 good_trylock write domain.count | domain.lock=$0->lock:x
 * 11 good_trylock call spin_unlock | domain.lock=$0->lock:x
 * 11 good_trylock addr domain.lock | domain.lock=$0->lock:x
 * 17 good_trylock_local call _spin_trylock | -
 * 17 good_trylock_local addr domain.lock | -
 * 21 good_trylock_local write domain.count | domain.lock=$0->lock:x
 * 22 good_trylock_local call spin_unlock | domain.lock=$0->lock:x
 * 22 good_trylock_local addr domain.lock | domain.lock=$0->lock:x
 * 30 lock_if_idle read domain.count | -
 * 32 lock_if_idle call spin_lock | -
 * 32 lock_if_idle addr domain.lock | -
 * 38 good_conditional_acquire call lock_if_idle | -
 * 40 good_conditional_acquire write domain.count | domain.lock=$0->lock:x
 * 41 good_conditional_acquire call spin_unlock | domain.lock=$0->lock:x
 * 41 good_conditional_acquire addr domain.lock | domain.lock=$0->lock:x
 * summary lock_if_idle acquires $0->lock exclusive if-zero
 * check-held-end
 */
