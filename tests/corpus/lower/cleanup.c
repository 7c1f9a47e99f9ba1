/* Variables with __attribute__((cleanup(fn))): fn(&var) runs wherever the
 * variable goes out of scope, innermost first: at the end of its block, at
 * a return (after the value is computed), a break, a continue, a goto out
 * of its block, and when a for loop that declares it ends. These are the
 * shapes of Linux's guard(), scoped_guard() and __free(), written here
 * without the kernel's headers. A struct initialised from a list gets its
 * fields assigned (a lock guard's `_t = { .lock = l }`). */
#include "prelude.h"

typedef spinlock_t *guard_t;
static inline void guard_exit(guard_t *g) { spin_unlock(*g); }
static inline guard_t guard_enter(spinlock_t *l) { spin_lock(l); return l; }
#define guard(l) guard_t scope_ __attribute__((cleanup(guard_exit))) = guard_enter(l)
#define scoped(l) for (guard_t scope_ __attribute__((cleanup(guard_exit))) = guard_enter(l), *done_ = NULL; !done_; \
		       done_ = (void *)1)

typedef struct { spinlock_t *lock; int flags; } lock_box_t;
static inline void box_free(char **p) { (void)p; }

int cleanup_return(struct pci_dev *pdev, int n)
{
	guard(&pdev->vpci->lock);
	if ( n )
		return n + 1;
	pdev->sbdf = 0;
	return 0;
}

int cleanup_loop(struct pci_dev *pdev, int n)
{
	while ( n-- )
	{
		guard(&pdev->vpci->lock);
		if ( n == 3 )
			continue;
		if ( n == 5 )
			break;
		if ( n == 7 )
			goto out;
		pdev->sbdf = n;
	}
	scoped(&pdev->vpci->lock)
		pdev->sbdf = 1;
 out:
	return n;
}

int cleanup_nested(struct pci_dev *pdev)
{
	char *buf __attribute__((cleanup(box_free))) = NULL;
	{
		guard(&pdev->vpci->lock);
		lock_box_t box = { .lock = &pdev->vpci->lock, .flags = 1 };
		pdev->sbdf = box.flags;
	}
	return buf != NULL;
}

/*
 * check-ir-start
 * func guard_exit($0 g)
 *  b0:
 *   call#0 _spin_unlock(*$0) @11
 *   -> exit
 * func guard_enter($0 l)
 *  b0:
 *   call#0 _spin_lock($0) @12
 *   return $0 @12
 *   -> exit
 * func box_free($0 p)
 *  b0:
 *   -> exit
 * func cleanup_return($0 pdev, $1 n)
 *  b0:
 *   read pci_dev.vpci $0 @22
 *   addr vpci.lock $0->vpci @22
 *   call#0 guard_enter(&$0->vpci->lock) @22
 *   assign scope_ = guard_enter(&$0->vpci->lock) @22
 *   -> if $1: true b1 false b2
 *  b1:
 *   call#1 guard_exit(&scope_) @24
 *   return $1 + 1 @24
 *   -> exit
 *  b2:
 *   write pci_dev.sbdf $0 @25
 *   assign $0->sbdf = 0 @25
 *   call#2 guard_exit(&scope_) @26
 *   return 0 @26
 *   -> exit
 * func cleanup_loop($0 pdev, $1 n)
 *  b0:
 *   -> b1
 *  b1:
 *   assign $1 = ? @31
 *   -> if $1: true b2 false b3
 *  b2:
 *   read pci_dev.vpci $0 @33
 *   addr vpci.lock $0->vpci @33
 *   call#0 guard_enter(&$0->vpci->lock) @33
 *   assign scope_ = guard_enter(&$0->vpci->lock) @33
 *   -> if $1 == 3: true b4 false b5
 *  b3:
 *   read pci_dev.vpci $0 @42
 *   addr vpci.lock $0->vpci @42
 *   call#5 guard_enter(&$0->vpci->lock) @42
 *   assign scope_'2 = guard_enter(&$0->vpci->lock) @42
 *   assign done_ = NULL @42
 *   -> b11
 *  b4:
 *   call#1 guard_exit(&scope_) @35
 *   -> b1
 *  b5:
 *   -> if $1 == 5: true b6 false b7
 *  b6:
 *   call#2 guard_exit(&scope_) @37
 *   -> b3
 *  b7:
 *   -> if $1 == 7: true b8 false b9
 *  b8:
 *   call#3 guard_exit(&scope_) @39
 *   -> b10
 *  b9:
 *   write pci_dev.sbdf $0 @40
 *   assign $0->sbdf = $1 @40
 *   call#4 guard_exit(&scope_) @41
 *   -> b1
 *  b10:
 *   return $1 @45
 *   -> exit
 *  b11:
 *   -> if done_: true b13 false b12
 *  b12:
 *   write pci_dev.sbdf $0 @43
 *   assign $0->sbdf = 1 @43
 *   -> b14
 *  b13:
 *   call#6 guard_exit(&scope_'2) @43
 *   -> b10
 *  b14:
 *   assign done_ = 1 @42
 *   -> b11
 * func cleanup_nested($0 pdev)
 *  b0:
 *   assign buf = NULL @50
 *   read pci_dev.vpci $0 @52
 *   addr vpci.lock $0->vpci @52
 *   call#0 guard_enter(&$0->vpci->lock) @52
 *   assign scope_ = guard_enter(&$0->vpci->lock) @52
 *   read pci_dev.vpci $0 @53
 *   addr vpci.lock $0->vpci @53
 *   assign box = ? @53
 *   assign box.lock = &$0->vpci->lock @53
 *   read lock_box_t.flags box @54
 *   write pci_dev.sbdf $0 @54
 *   assign $0->sbdf = box.flags @54
 *   call#1 guard_exit(&scope_) @55
 *   call#2 box_free(&buf) @56
 *   return buf != NULL @56
 *   -> exit
 * check-ir-end
 */
