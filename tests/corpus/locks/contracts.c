/* Locks held by contract (asserted) or by the caller (inherited), dropped
 * and taken again; a parameter reassigned after a test. */
#include "locks.h"

int refill(struct domain *d);

/* holds d->lock by contract, drops it around a slow call, takes it back:
 * no net effect for callers, so no "acquires" summary */
int relock_around(struct domain *d)
{
	int rc;

	ASSERT(_spin_is_locked(&d->lock));
	spin_unlock(&d->lock);
	rc = refill(d);
	spin_lock(&d->lock);
	d->count = rc;
	return rc;
}

void good_caller_of_relock(struct domain *d)
{
	spin_lock(&d->lock);
	relock_around(d);
	d->count++;
	spin_unlock(&d->lock);
	d->count--;
}

/* the callers' lock is not nameable here (their domain is a local of
 * theirs); a named unlock of its class still releases it */
static void drop_current(struct domain *d)
{
	d->count = 0;
	spin_unlock(&d->lock);
	d->count = 1;
}

struct domain *current_domain(void);

void good_drop_caller(void)
{
	struct domain *cur = current_domain();

	spin_lock(&cur->lock);
	drop_current(current_domain());
}

/* a parameter tested, reassigned, tested again */
void good_param_reassigned(struct domain *d, struct domain *other)
{
	spin_lock(&other->lock);
	if ( d )
		d = 0;
	d = other;
	if ( d )
		other->count = 1;
	spin_unlock(&other->lock);
}

/*
 * check-held-start
 * 13 relock_around call _spin_is_locked | domain.lock=$0->lock:x:i
 * 13 relock_around addr domain.lock | domain.lock=$0->lock:x:i
 * 14 relock_around call spin_unlock | domain.lock=$0->lock:x:i
 * 14 relock_around addr domain.lock | domain.lock=$0->lock:x:i
 * 15 relock_around call refill | -
 * 16 relock_around call spin_lock | -
 * 16 relock_around addr domain.lock | -
 * 17 relock_around write domain.count | domain.lock=$0->lock:x
 * 23 good_caller_of_relock call spin_lock | -
 * 23 good_caller_of_relock addr domain.lock | -
 * 24 good_caller_of_relock call relock_around | domain.lock=$0->lock:x
 * 25 good_caller_of_relock write domain.count | domain.lock=$0->lock:x
 * 26 good_caller_of_relock call spin_unlock | domain.lock=$0->lock:x
 * 26 good_caller_of_relock addr domain.lock | domain.lock=$0->lock:x
 * 27 good_caller_of_relock write domain.count | -
 * 34 drop_current write domain.count | domain.lock:x:i
 * 35 drop_current call spin_unlock | domain.lock:x:i
 * 35 drop_current addr domain.lock | domain.lock:x:i
 * 36 drop_current write domain.count | -
 * 43 good_drop_caller call current_domain | -
 * 45 good_drop_caller call spin_lock | -
 * 45 good_drop_caller addr domain.lock | -
 * 46 good_drop_caller call drop_current | domain.lock=cur->lock:x
 * 46 good_drop_caller call current_domain | domain.lock=cur->lock:x
 * 52 good_param_reassigned call spin_lock | -
 * 52 good_param_reassigned addr domain.lock | -
 * 57 good_param_reassigned write domain.count | domain.lock=$1->lock:x
 * 58 good_param_reassigned call spin_unlock | domain.lock=$1->lock:x
 * 58 good_param_reassigned addr domain.lock | domain.lock=$1->lock:x
 * summary relock_around acquires $0->lock exclusive always
 * summary relock_around releases $0->lock  always
 * summary relock_around requires held($0->lock)
 * summary drop_current releases $0->lock  always
 * check-held-end
 */
