/* inferred-guard (no rule): a field accessed under one lock almost
 * everywhere, but not at a few places. No rule speaks of struct
 * msix_table: the convention that used/max are under table_lock is
 * learnt from the accesses below (at least 5 under the lock, at most 3
 * without, 80% under it). Locks held by every caller, asserted, or taken
 * by trylock count as held. */
#include "checks.h"

struct msix_table {
	spinlock_t table_lock;
	unsigned int used;          /* entries in use, under table_lock */
	unsigned int max;
};

void msix_write_entry(struct msix_table *m, unsigned int nr);

/* --- correct --- */

int good_alloc_entry(struct msix_table *m)
{
	int nr = -1;

	spin_lock(&m->table_lock);
	if ( m->used < m->max )
	{
		nr = (int)m->used;
		m->used = m->used + 1;
	}
	spin_unlock(&m->table_lock);
	return nr;
}

void good_free_entry(struct msix_table *m)
{
	spin_lock(&m->table_lock);
	if ( m->used )
		m->used = m->used - 1;
	spin_unlock(&m->table_lock);
}

/* a contract instead of the lock */
unsigned int good_used_asserted(struct msix_table *m)
{
	ASSERT(spin_is_locked(&m->table_lock));
	return m->used;
}

/* takes no lock: every caller holds table_lock */
static void good_write_all_locked(struct msix_table *m)
{
	unsigned int i;

	for ( i = 0; i < m->used; i++ )
		msix_write_entry(m, i);
}

void good_restore(struct msix_table *m)
{
	spin_lock(&m->table_lock);
	good_write_all_locked(m);
	spin_unlock(&m->table_lock);
}

void good_resume(struct msix_table *m)
{
	spin_lock(&m->table_lock);
	good_write_all_locked(m);
	good_used_asserted(m);
	spin_unlock(&m->table_lock);
}

/* by trylock */
int good_try_used(struct msix_table *m)
{
	int used;

	if ( !spin_trylock(&m->table_lock) )
		return -EBUSY;
	used = (int)m->used;
	spin_unlock(&m->table_lock);
	return used;
}

/* --- bugs --- */

/* reads the count without the lock */
unsigned int warn_peek_used(struct msix_table *m)
{
	return m->used;
}

/* resets it without the lock */
void warn_reset_unlocked(struct msix_table *m)
{
	m->used = 0;
}

/*
 * check-findings-start
 * inferred-guard.c:89:12: warning: read of msix_table.used without msix_table.table_lock, which is held at 10 of its 12 accesses [lockaudit-inferred-guard]
 * inferred-guard.c:89:12: note: accessed here without msix_table.table_lock
 * inferred-guard.c:95:5: warning: write to msix_table.used without msix_table.table_lock, which is held at 10 of its 12 accesses [lockaudit-inferred-guard]
 * inferred-guard.c:95:5: note: accessed here without msix_table.table_lock
 * check-findings-end
 */
