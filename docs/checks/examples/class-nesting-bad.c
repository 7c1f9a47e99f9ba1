#include "locks.h"

/* move the pirq count of one domain to another */
void move_pdevs(struct domain *from, struct domain *to)
{
    spin_lock(&from->event_lock);
    spin_lock(&to->event_lock);
    to->nr_pdevs += from->nr_pdevs;
    from->nr_pdevs = 0;
    spin_unlock(&to->event_lock);
    spin_unlock(&from->event_lock);
}
