#include "locks.h"

/* sparse's annotations, empty for the compiler (as Linux defines them
 * without __CHECKER__) */
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

struct irq_table { spinlock_t lock; unsigned int nr; bool dying; };

/* the callers check t->dying under the lock */
void table_lock(struct irq_table *t)
    __acquires(&t->lock)
{
    spin_lock(&t->lock);
}

void table_unlock(struct irq_table *t, unsigned int nr)
    __releases(&t->lock)
{
    if ( nr )
        t->nr = nr;
    spin_unlock(&t->lock);
}

spinlock_t map_lock;
int wait_for_map(struct irq_table *t);

/* drops map_lock while it waits, and takes it back on every way out */
int table_wait(struct irq_table *t)
    __must_hold(&map_lock)
{
    int rc;

    spin_unlock(&map_lock);
    rc = wait_for_map(t);
    spin_lock(&map_lock);
    return rc;
}

int table_grow(struct irq_table *t)
{
    int rc;

    spin_lock(&map_lock);
    rc = table_wait(t);
    spin_unlock(&map_lock);
    return rc;
}
