#include "locks.h"

/* move the pirq count of one domain to another; both locks lowest address
 * first, whichever way the move goes (declared in the rules' "nesting") */
void evtchn_bind_interdomain(struct domain *from, struct domain *to)
{
    struct domain *first = from < to ? from : to, *second = from < to ? to : from;

    spin_lock(&first->event_lock);
    spin_lock(&second->event_lock);
    to->nr_pdevs += from->nr_pdevs;
    from->nr_pdevs = 0;
    spin_unlock(&second->event_lock);
    spin_unlock(&first->event_lock);
}
