#include "locks.h"

/* sparse's annotations, empty for the compiler (as Linux defines them
 * without __CHECKER__) */
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

struct irq_table { spinlock_t lock; unsigned int nr; bool dying; };

void table_lock(struct irq_table *t)
    __acquires(&t->lock)
{
    if ( t->dying )
        return;
    spin_lock(&t->lock);
}

void table_unlock(struct irq_table *t, unsigned int nr)
    __releases(&t->lock)
{
    if ( !nr )
        return;
    t->nr = nr;
    spin_unlock(&t->lock);
}

spinlock_t map_lock;
int wait_for_map(struct irq_table *t);

/* drops map_lock while it waits */
int table_wait(struct irq_table *t)
    __must_hold(&map_lock)
{
    spin_unlock(&map_lock);
    if ( wait_for_map(t) )
        return -1;
    spin_lock(&map_lock);
    return 0;
}

int table_grow(struct irq_table *t)
{
    return table_wait(t);
}
