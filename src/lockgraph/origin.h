/* Where the object holding a lock comes from, as far as the code shows:
 * two locks of one class whose objects have no origin in common are never
 * the same lock. Xen's rangesets all have `rangeset.lock`; the one a softirq
 * handler write-locks is a dying domain's `d->irq_caps`, the ones
 * identity_map() runs under are `mmio_ro_ranges` and a rangeset its caller
 * has just made and never stored anywhere.
 *
 * An origin is a token:
 *   "domain.irq_caps"   a pointer loaded from that field (of any object);
 *   "*mmio_ro_ranges"   what a global pointer points to;
 *   "&irq_desc"         a global object itself (or an element of it);
 *   "new:F@G"           what F returned in G, never stored where another
 *                       CPU can reach it (a field of a non-local object, a
 *                       global, a return value): private to G's caller.
 * A pointer the analysis cannot follow (arithmetic, an unresolved local, a
 * parameter without recorded callers, too deep) has every origin. */
#ifndef LA_ORIGIN_H
#define LA_ORIGIN_H

#include "analysis.h"
#include "../util/strset.h"

typedef struct lk_origins {
	la_strset tokens;
	int any;                /* could be anything */
	/* per token: the call site of the function asked about through which
	 * it came in (a parameter's origin), NULL when it is the function's own */
	const lk_site **via;
	const lk_site *cur;     /* while walking: the site at the top of the walk */
} lk_origins;

/* Which callers a parameter's origins come from: every recorded call site
 * (callers NULL, bound_param -1), only those of functions flagged in
 * `callers`, and/or only call sites that pass function `bound_fn` as
 * argument `bound_param` (an iterator called with one callback). */
typedef struct lk_origin_scope {
	const char *callers;    /* per function: 1 if its call sites count; NULL: all */
	int bound_param, bound_fn;
	int calls_publish;      /* an object passed to any call (p, &p->f) may be published by it */
} lk_origin_scope;

/* Add the origins of the object holding lock `obj` (in fi's terms). */
void lk_origins_of_lock(const lk_prog *p, int fi, const ir_expr *obj, const lk_origin_scope *scope,
			lk_origins *out);
/* Add the origins of what a pointer expression (in fi's terms) points to. */
void lk_origins_of_pointer(const lk_prog *p, int fi, const ir_expr *ptr, const lk_origin_scope *scope,
			   lk_origins *out);
/* Only objects made here and not published: nobody else can reach them. */
int lk_origins_private(const lk_origins *o);
/* Add the origins of a lock of class `cls` that fi holds on entry, unnamed
 * (`?`): through the objects its call sites held it by. */
void lk_origins_of_entry(const lk_prog *p, int fi, const char *cls, lk_origins *out);
/* May the two sets name the same object? */
int lk_origins_meet(const lk_origins *a, const lk_origins *b);
/* What the two may have in common: "*mmio_ro_ranges", or "anything" when
 * one of them is unknown; malloc'd. When `via` is given, it gets the call
 * site through which the first common origin came into b (or NULL). */
char *lk_origins_common(const lk_origins *a, const lk_origins *b, const lk_site **via);
void lk_origins_free(lk_origins *o);

#endif
