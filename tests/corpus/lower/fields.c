/* Field access modes: a->b loads a (read) then uses b as the context says;
 * s.f is part of s; &x is address-taken; ++ and op= write; arrays inside a
 * struct take the mode of the element access; anonymous members are
 * transparent. */
#include "prelude.h"

struct outer {
	struct vpci v;
	struct vpci *pv;
	union { int a; long b; };
	int counts[4];
};

void fields(struct outer *o, struct pci_dev *pdev, int i)
{
	o->v.header.nr = 1;
	o->pv->header.bars[i] = o->v.header.bars[i];
	o->counts[i]++;
	o->a += 2;
	spin_lock(&o->pv->lock);
	pdev->domain->lock.raw = o->b;
}

/*
 * check-ir-start
 * func fields($0 o, $1 pdev, $2 i)
 *  b0:
 *   write outer.v $0 @16
 *   write vpci.header $0->v @16
 *   write vpci.header.nr $0->v.header @16
 *   assign $0->v.header.nr = 1 @16
 *   read outer.v $0 @17
 *   read vpci.header $0->v @17
 *   read vpci.header.bars $0->v.header @17
 *   read outer.pv $0 @17
 *   write vpci.header $0->pv @17
 *   write vpci.header.bars $0->pv->header @17
 *   assign $0->pv->header.bars[$2] = $0->v.header.bars[$2] @17
 *   write outer.counts $0 @18
 *   assign $0->counts[$2] = ? @18
 *   write outer.a $0 @19
 *   assign $0->a = ? @19
 *   read outer.pv $0 @20
 *   addr vpci.lock $0->pv @20
 *   call#0 _spin_lock(&$0->pv->lock) @20
 *   read outer.b $0 @21
 *   read pci_dev.domain $1 @21
 *   write domain.lock $1->domain @21
 *   write spinlock_t.raw $1->domain->lock @21
 *   assign $1->domain->lock.raw = $0->b @21
 *   -> exit
 * check-ir-end
 */
