/* Resolving indirect calls from the stored function-pointer flows: a slot
 * (struct field "vpci_register.read", parameter "param:USR#N", global
 * "var:USR", local "local:USR:name") holds every function that flows into
 * it, directly or through other slots. */
#ifndef LA_FNPTR_H
#define LA_FNPTR_H

#include "../store/store.h"
#include "../util/strset.h"

/* USRs of the functions that may be called through `key` (added to out). */
int lg_fnptr_targets(store *s, const char *key, la_strset *out);
/* Slots the function `usr` may reach (added to out). */
int lg_fnptr_slots(store *s, const char *usr, la_strset *out);

#endif
