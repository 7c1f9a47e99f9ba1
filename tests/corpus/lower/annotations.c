/* Lock context annotations after the declarator (sparse's, empty macros as
 * without __CHECKER__): kept on the function with their argument in its
 * terms, fields named as an access in the body names them; __must_hold is
 * also an assertion at the entry. An argument outside the grammar
 * ([&|*]* IDENT ((->|.) IDENT | [N])*), or naming something else than a
 * parameter or a file-scope variable, is left out with a warning. An
 * annotation on a declaration, or inside the body, is not the function's. */
#include "prelude.h"

#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

spinlock_t table_lock;
struct pcidevs { spinlock_t locks[4]; union { spinlock_t anon_lock; }; };

void declared_only(struct vpci *v) __acquires(&v->lock);

static void vpci_lock(struct vpci *v)
	__acquires(&v->lock)
{
	spin_lock(&v->lock);
}

static void pdev_unlock(struct pci_dev *pdev) __releases(&pdev->vpci->lock)
{
	spin_unlock(&pdev->vpci->lock);
}

int table_wait(struct pcidevs *t, spinlock_t *l)
	__must_hold(&table_lock) __must_hold(&t->locks[2]) __must_hold(l)
	__releases(*&t->anon_lock)
{
	spin_unlock(&table_lock);
	spin_lock(&table_lock);
	return 0;
}

void not_understood(struct domain *d, int i)
	__acquires(RCU) __must_hold(&d->nolock) __must_hold(&(d)->lock) __releases(d.lock)
	__releases(&d->lock[i])
{
	__acquires(&d->lock);
}

/*
 * check-ir-start
 * func vpci_lock($0 v)
 *  annot __acquires(&$0->lock) @20
 *  b0:
 *   addr vpci.lock $0 @22
 *   call#0 _spin_lock(&$0->lock) @22
 *   -> exit
 * func pdev_unlock($0 pdev)
 *  annot __releases(&$0->vpci->lock) @25
 *  b0:
 *   read pci_dev.vpci $0 @27
 *   addr vpci.lock $0->vpci @27
 *   call#0 _spin_unlock(&$0->vpci->lock) @27
 *   -> exit
 * func table_wait($0 t, $1 l)
 *  annot __must_hold(&table_lock) @31
 *  annot __must_hold(&$0->locks[2]) @31
 *  annot __must_hold($1) @31
 *  annot __releases(*&$0->anon_lock) @32
 *  b0:
 *   assert __must_hold(&table_lock) @31
 *   assert __must_hold(&$0->locks[2]) @31
 *   assert __must_hold($1) @31
 *   call#0 _spin_unlock(&table_lock) @34
 *   call#1 _spin_lock(&table_lock) @35
 *   return 0 @36
 *   -> exit
 * func not_understood($0 d, $1 i)
 *  b0:
 *   -> exit
 * warning @40: __acquires(RCU) on not_understood() not understood (RCU is neither a parameter nor a file-scope variable); the annotation is left out
 * warning @40: __must_hold(&d->nolock) on not_understood() not understood (domain has no field nolock); the annotation is left out
 * warning @40: __must_hold(&(d)->lock) on not_understood() not understood (expected a parameter or a variable at "("); the annotation is left out
 * warning @40: __releases(d.lock) on not_understood() not understood (. applied to something that is not a struct or union); the annotation is left out
 * warning @41: __releases(&d->lock[i]) on not_understood() not understood (expected an integer index at "i"); the annotation is left out
 * check-ir-end
 */
