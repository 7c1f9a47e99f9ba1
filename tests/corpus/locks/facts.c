/* Branch facts must die when what they test may change (bugs first seen on
 * Xen: amd_iommu_quarantine_init, mmconfig, hap guest walk, serial putc).
 * Every access below is reachable and under the lock. */
#include "locks.h"

struct table { void *root; int level; };
void *alloc_root(void);
int lookup_type(int gfn, int *type);
void *global_root;

/* the field tested, then assigned, then tested again */
int good_field_reassigned(struct domain *d, struct table *t)
{
	spin_lock(&d->lock);
	if ( t->root )
	{
		spin_unlock(&d->lock);
		return 0;
	}
	t->root = alloc_root();
	if ( !t->root )
	{
		spin_unlock(&d->lock);
		return -12;
	}
	t->level = 1;
	spin_unlock(&d->lock);
	return 0;
}

/* a global, the same way */
int good_global_reassigned(struct domain *d)
{
	spin_lock(&d->lock);
	if ( global_root )
		global_root = 0;
	global_root = alloc_root();
	if ( global_root )
		d->count = 1;
	spin_unlock(&d->lock);
	return 0;
}

/* a local whose address a call writes */
int good_addr_taken_local(struct domain *d, int gfn)
{
	int type = 0;

	spin_lock(&d->lock);
	if ( type )
		d->count = 2;
	lookup_type(gfn, &type);
	if ( type )
		d->count = 3;
	spin_unlock(&d->lock);
	return type;
}

/* a counter decremented in the loop condition */
void good_countdown(struct domain *d, int n)
{
	spin_lock(&d->lock);
	while ( n-- )
		d->count++;
	spin_unlock(&d->lock);
}

/* unlocks on one path only: not an unlock wrapper, callers keep the lock */
void maybe_unlock(struct domain *d, int drop)
{
	if ( drop > 5 )
		spin_unlock(&d->lock);
}

void good_not_a_wrapper(struct domain *d)
{
	spin_lock(&d->lock);
	maybe_unlock(d, d->count);
	d->count = 0;
	spin_unlock(&d->lock);
}

/*
 * check-held-start
 * 14 good_field_reassigned call spin_lock | -
 * 14 good_field_reassigned addr domain.lock | -
 * 15 good_field_reassigned read table.root | domain.lock=$0->lock:x
 * 17 good_field_reassigned call spin_unlock | domain.lock=$0->lock:x
 * 17 good_field_reassigned addr domain.lock | domain.lock=$0->lock:x
 * 20 good_field_reassigned write table.root | domain.lock=$0->lock:x
 * 20 good_field_reassigned call alloc_root | domain.lock=$0->lock:x
 * 21 good_field_reassigned read table.root | domain.lock=$0->lock:x
 * 23 good_field_reassigned call spin_unlock | domain.lock=$0->lock:x
 * 23 good_field_reassigned addr domain.lock | domain.lock=$0->lock:x
 * 26 good_field_reassigned write table.level | domain.lock=$0->lock:x
 * 27 good_field_reassigned call spin_unlock | domain.lock=$0->lock:x
 * 27 good_field_reassigned addr domain.lock | domain.lock=$0->lock:x
 * 34 good_global_reassigned call spin_lock | -
 * 34 good_global_reassigned addr domain.lock | -
 * 37 good_global_reassigned call alloc_root | domain.lock=$0->lock:x
 * 39 good_global_reassigned write domain.count | domain.lock=$0->lock:x
 * 40 good_global_reassigned call spin_unlock | domain.lock=$0->lock:x
 * 40 good_global_reassigned addr domain.lock | domain.lock=$0->lock:x
 * 49 good_addr_taken_local call spin_lock | -
 * 49 good_addr_taken_local addr domain.lock | -
 * 51 good_addr_taken_local write domain.count | unreachable
 * 52 good_addr_taken_local call lookup_type | domain.lock=$0->lock:x
 * 54 good_addr_taken_local write domain.count | domain.lock=$0->lock:x
 * 55 good_addr_taken_local call spin_unlock | domain.lock=$0->lock:x
 * 55 good_addr_taken_local addr domain.lock | domain.lock=$0->lock:x
 * 62 good_countdown call spin_lock | -
 * 62 good_countdown addr domain.lock | -
 * 64 good_countdown write domain.count | domain.lock=$0->lock:x
 * 65 good_countdown call spin_unlock | domain.lock=$0->lock:x
 * 65 good_countdown addr domain.lock | domain.lock=$0->lock:x
 * 72 maybe_unlock call spin_unlock | domain.lock=$0->lock:x:i
 * 72 maybe_unlock addr domain.lock | domain.lock=$0->lock:x:i
 * 77 good_not_a_wrapper call spin_lock | -
 * 77 good_not_a_wrapper addr domain.lock | -
 * 78 good_not_a_wrapper call maybe_unlock | domain.lock=$0->lock:x
 * 78 good_not_a_wrapper read domain.count | domain.lock=$0->lock:x
 * 79 good_not_a_wrapper write domain.count | domain.lock=$0->lock:x
 * 80 good_not_a_wrapper call spin_unlock | domain.lock=$0->lock:x
 * 80 good_not_a_wrapper addr domain.lock | domain.lock=$0->lock:x
 * check-held-end
 */
