/* precondition: a call to a function whose assertions require a lock, from
 * a path that does not hold it. Two bugs Xen had:
 * - a device removal tearing down the vPCI state, whose function asserts
 *   that the owner's pci_lock is write-locked, with pcidevs_lock only;
 * - the device lookup, which asserts d || pcidevs_locked(), called with
 *   NULL (any domain) down a chain of functions none of which took
 *   pcidevs_lock. */
#include "checks.h"

void vpci_free(struct vpci *v);
struct pci_dev *find_in_domain(struct domain *d, unsigned int sbdf);
struct pci_dev *find_in_any_domain(unsigned int sbdf);
extern struct domain dom_io;

/* tears down the vPCI state of a device: its owner's pci_lock must be
 * held for writing */
void deassign_vpci(struct pci_dev *pdev)
{
	struct vpci *v;

	ASSERT(rw_is_write_locked(&pdev->domain->pci_lock));
	v = pdev->vpci;
	pdev->vpci = NULL;
	vpci_free(v);
}

/* a device of d, or of any domain when d is NULL: looking into every
 * domain needs pcidevs_lock */
struct pci_dev *lookup_pdev(struct domain *d, unsigned int sbdf)
{
	ASSERT(d || pcidevs_locked());
	return d ? find_in_domain(d, sbdf) : find_in_any_domain(sbdf);
}

/* --- the removal --- */

/* the bug: pcidevs_lock only */
int warn_remove_device(unsigned int sbdf)
{
	struct pci_dev *pdev;

	pcidevs_lock();
	pdev = lookup_pdev(NULL, sbdf);
	if ( pdev )
		deassign_vpci(pdev);
	pcidevs_unlock();
	return pdev ? 0 : -ENODEV;
}

/* the fix: the owner's pci_lock for writing around the teardown */
int good_remove_device(unsigned int sbdf)
{
	struct pci_dev *pdev;

	pcidevs_lock();
	pdev = lookup_pdev(NULL, sbdf);
	if ( pdev )
	{
		write_lock(&pdev->domain->pci_lock);
		deassign_vpci(pdev);
		write_unlock(&pdev->domain->pci_lock);
	}
	pcidevs_unlock();
	return pdev ? 0 : -ENODEV;
}

/* the same lock by another name: d is the device's owner */
void good_deassign_owner(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	pcidevs_lock();
	write_lock(&d->pci_lock);
	deassign_vpci(pdev);
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
}

/* d's own device, found in d's list, torn down under d->pci_lock */
int good_deassign_from(struct domain *d, unsigned int sbdf)
{
	struct pci_dev *pdev;

	if ( !d )
		return -EINVAL;
	pcidevs_lock();
	write_lock(&d->pci_lock);
	pdev = lookup_pdev(d, sbdf);
	if ( pdev )
		deassign_vpci(pdev);
	write_unlock(&d->pci_lock);
	pcidevs_unlock();
	return pdev ? 0 : -ENODEV;
}

/* a read lock is not the write lock the teardown asserts */
void warn_deassign_read_locked(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	deassign_vpci(pdev);
	read_unlock(&d->pci_lock);
}

/* --- the lookup in every domain --- */

/* the bug: three levels of callers above the NULL lookup, none of them
 * takes pcidevs_lock */
int warn_lookup_any(unsigned int sbdf)
{
	struct pci_dev *pdev = lookup_pdev(NULL, sbdf);

	return pdev ? (int)pdev->sbdf : -ENODEV;
}

static int handle_device_op(unsigned int sbdf)
{
	return warn_lookup_any(sbdf);
}

static int dispatch_device_op(int cmd, unsigned int sbdf)
{
	if ( cmd == 1 )
		return handle_device_op(sbdf);
	return -EINVAL;
}

int hypercall_device_op(int cmd, unsigned int sbdf)
{
	return dispatch_device_op(cmd, sbdf);
}

/* the same bug with the NULL passed down as an argument: the lookup's
 * caller passes on its own parameter, so the top of the chain, which
 * passes NULL, is where pcidevs_lock is missing: (d || held(_pcidevs_lock))
 * is passed up to lookup_in() and lookup_mid() (inherited requirements) */
static int lookup_in(struct domain *d, unsigned int sbdf)
{
	return lookup_pdev(d, sbdf) != NULL;
}

static int lookup_mid(struct domain *d, unsigned int sbdf)
{
	return lookup_in(d, sbdf);
}

int warn_null_through_params(unsigned int sbdf)
{
	return lookup_mid(NULL, sbdf);
}

/* the chain with a domain passed at the top: the lookup needs no lock */
int good_lookup_in_domain(struct domain *d, unsigned int sbdf)
{
	return lookup_mid(d, sbdf);
}

/* ... or with pcidevs_lock held at the top */
int good_null_through_params_locked(unsigned int sbdf)
{
	int rc;

	pcidevs_lock();
	rc = lookup_mid(NULL, sbdf);
	pcidevs_unlock();
	return rc;
}

/* a lookup only on some paths passes nothing up: the caller's callers
 * cannot know whether it happens (precondition at the lookup itself) */
static int lookup_maybe(struct domain *d, unsigned int sbdf, int want)
{
	if ( want )
		return lookup_pdev(d, sbdf) != NULL;
	return 0;
}

int good_lookup_not_wanted(unsigned int sbdf)
{
	return lookup_maybe(NULL, sbdf, 0);
}

/* the same chain with pcidevs_lock taken at the top */
int good_lookup_any(unsigned int sbdf)
{
	struct pci_dev *pdev = lookup_pdev(NULL, sbdf);

	return pdev ? (int)pdev->sbdf : -ENODEV;
}

static int good_handle_locked(unsigned int sbdf)
{
	return good_lookup_any(sbdf);
}

int good_device_op_locked(int cmd, unsigned int sbdf)
{
	int rc = -EINVAL;

	pcidevs_lock();
	if ( cmd == 1 )
		rc = good_handle_locked(sbdf);
	pcidevs_unlock();
	return rc;
}

/* a contract of its own, met by its caller */
int good_lookup_asserted(unsigned int sbdf)
{
	ASSERT(pcidevs_locked());
	return lookup_pdev(NULL, sbdf) != NULL;
}

int good_calls_asserted(unsigned int sbdf)
{
	int rc;

	pcidevs_lock();
	rc = good_lookup_asserted(sbdf);
	pcidevs_unlock();
	return rc;
}

/* ... and not met */
int warn_calls_asserted_unlocked(unsigned int sbdf)
{
	return good_lookup_asserted(sbdf);
}

/* a NULL test excludes the path without the lock */
struct pci_dev *good_lookup_maybe_any(struct domain *d, unsigned int sbdf)
{
	struct pci_dev *pdev;

	if ( !d )
		pcidevs_lock();
	pdev = lookup_pdev(d, sbdf);
	if ( !d )
		pcidevs_unlock();
	return pdev;
}

/* a domain that cannot be NULL */
struct pci_dev *good_lookup_dom_io(unsigned int sbdf)
{
	return lookup_pdev(&dom_io, sbdf);
}

/* pcidevs_lock taken by trylock */
int good_try_lookup_any(unsigned int sbdf)
{
	struct pci_dev *pdev;

	if ( !pcidevs_trylock() )
		return -EBUSY;
	pdev = lookup_pdev(NULL, sbdf);
	pcidevs_unlock();
	return pdev ? 0 : -ENODEV;
}

/* --- patterns the analysis must understand (Xen staging) --- */

/* an iterator callback runs with what its registrar holds around the
 * iteration (pci_segment_iterate takes pcidevs_lock); the same iterator
 * used without the lock for another callback does not matter to this one */
struct seg_iter {
	int (*handler)(unsigned int sbdf);
};

static int iter_all(struct seg_iter *it, unsigned int sbdf)
{
	return it->handler(sbdf);
}

int seg_iterate_locked(int (*handler)(unsigned int sbdf), unsigned int sbdf)
{
	struct seg_iter it = { .handler = handler };
	int rc;

	pcidevs_lock();
	rc = iter_all(&it, sbdf);
	pcidevs_unlock();
	return rc;
}

int seg_iterate(int (*handler)(unsigned int sbdf), unsigned int sbdf)
{
	struct seg_iter it = { .handler = handler };

	return iter_all(&it, sbdf);
}

static int good_cb_lookup(unsigned int sbdf)
{
	return lookup_pdev(NULL, sbdf) != NULL;
}

static int count_cb(unsigned int sbdf)
{
	return sbdf != 0;
}

int good_register_lookup(unsigned int sbdf)
{
	return seg_iterate_locked(good_cb_lookup, sbdf);
}

int good_register_count(unsigned int sbdf)
{
	return seg_iterate(count_cb, sbdf);
}

/* only MSI mappings look the device up; the GSI caller cannot get there
 * (Xen: ioapic_guest_write -> map_domain_pirq(..., MAP_PIRQ_TYPE_GSI, NULL)) */
#define PIRQ_GSI 1
#define PIRQ_MSI 2

static int good_map_pirq(int type, unsigned int sbdf)
{
	if ( type == PIRQ_MSI )
		return lookup_pdev(NULL, sbdf) != NULL;
	return 0;
}

int good_map_gsi(unsigned int sbdf)
{
	return good_map_pirq(PIRQ_GSI, sbdf);
}

int good_map_msi_locked(unsigned int sbdf)
{
	int rc;

	pcidevs_lock();
	rc = good_map_pirq(PIRQ_MSI, sbdf);
	pcidevs_unlock();
	return rc;
}

/* a flag passed on unchanged through a parameter decides the branch one
 * call further down (Xen: console_init_preirq() and a key handler call
 * conring_flush(flags) without CONSOLE_RING; conring_flush() passes flags
 * to console_send(), which writes the ring, asserting console_lock, only
 * when flags & CONSOLE_RING). No chain: out_flush()'s parameter is a
 * constant without OUT_RING at every call. */
#define OUT_SERIAL 1
#define OUT_VIDEO 4
#define OUT_RING 16

void out_serial(unsigned int sbdf);

static void ring_put(unsigned int sbdf)
{
	ASSERT(pcidevs_locked());
	out_serial(sbdf);
}

static void good_out_send(unsigned int sbdf, unsigned int flags)
{
	if ( flags & OUT_SERIAL )
		out_serial(sbdf);
	if ( flags & OUT_RING )
		ring_put(sbdf);
}

static void out_flush(unsigned int flags)
{
	good_out_send(0, flags);
}

/* a local assigned constants only, on either path */
void good_out_init(bool early)
{
	unsigned int flags = OUT_SERIAL | OUT_VIDEO;

	if ( early )
		flags = OUT_VIDEO;
	out_flush(flags);
}

void good_out_dump(void)
{
	out_flush(OUT_SERIAL | OUT_VIDEO);
}

void good_out_puts_locked(unsigned int sbdf)
{
	pcidevs_lock();
	good_out_send(sbdf, OUT_SERIAL | OUT_RING);
	pcidevs_unlock();
}

/* the same, but one caller passes what its own caller gave it: not a
 * constant, so the ring branch may run without the lock */
static void warn_out_send_any(unsigned int sbdf, unsigned int flags)
{
	if ( flags & OUT_RING )
		ring_put(sbdf);
}

static void out_flush_any(unsigned int flags)
{
	warn_out_send_any(0, flags);
}

void out_dump_any(void)
{
	out_flush_any(OUT_SERIAL);
}

void out_flush_user(unsigned int flags)
{
	out_flush_any(flags);
}

/* a flag added with |= is not a constant the analysis follows */
static void warn_out_send_or(unsigned int sbdf, unsigned int flags)
{
	if ( flags & OUT_RING )
		ring_put(sbdf);
}

void out_flush_or(bool ring)
{
	unsigned int flags = OUT_SERIAL;

	if ( ring )
		flags |= OUT_RING;
	warn_out_send_or(0, flags);
}

/* an assertion on some paths only is no precondition of the function
 * (Xen: vpci_make_msix_hole asserts the vPCI lock only when a table is
 * mapped) */
static void good_unmap_tables(struct pci_dev *pdev, struct vpci *v)
{
	if ( pdev->sbdf )
		ASSERT(spin_is_locked(&v->lock));
}

void good_unmap_caller(struct pci_dev *pdev, struct vpci *v)
{
	good_unmap_tables(pdev, v);
}

/* The lock's mode depends on a value tested again later (Xen's hpet_read:
 * write-locked for the registers whose handler needs it, read-locked for
 * the rest). The callee cannot tell which mode it gets: not a finding. */
static void good_reg_access(struct pci_dev *pdev, unsigned int reg)
{
	if ( reg == 4 )
		deassign_vpci(pdev);
}

void good_mode_by_value(struct pci_dev *pdev, unsigned int reg)
{
	struct domain *d = pdev->domain;
	bool ro = reg != 4;

	if ( ro )
		read_lock(&d->pci_lock);
	else
		write_lock(&d->pci_lock);
	good_reg_access(pdev, reg);
	if ( ro )
		read_unlock(&d->pci_lock);
	else
		write_unlock(&d->pci_lock);
}

/* --- calls through a pointer ---
 * A directory's ->enter takes pcidevs_lock for one kind of directory and
 * nothing for the other, and keeps it only when it succeeds (Xen's hypfs:
 * cpupool_dir_enter() takes cpupool_lock). After the call the lock is held
 * on some paths only, so the ->find that needs it is not reported. */
struct pd_dir;
struct pd_dir_ops {
	int (*enter)(struct pd_dir *dir);
	struct pci_dev *(*find)(struct pd_dir *dir, unsigned int sbdf);
};
struct pd_dir {
	const struct pd_dir_ops *ops;
	struct domain *d;
};

static int pd_plain_enter(struct pd_dir *dir)
{
	return dir->d ? 0 : -EINVAL;
}

static int pd_locked_enter(struct pd_dir *dir)
{
	if ( !dir )
		return -EINVAL;
	pcidevs_lock();
	return 0;
}

static struct pci_dev *good_dir_find_any(struct pd_dir *dir, unsigned int sbdf)
{
	return lookup_pdev(NULL, sbdf);
}

static struct pci_dev *good_dir_find_own(struct pd_dir *dir, unsigned int sbdf)
{
	return lookup_pdev(dir->d, sbdf);
}

const struct pd_dir_ops pd_any_ops = { .enter = pd_locked_enter, .find = good_dir_find_any };
const struct pd_dir_ops pd_own_ops = { .enter = pd_plain_enter, .find = good_dir_find_own };

static int pd_dir_enter(struct pd_dir *dir)
{
	return dir->ops->enter(dir);
}

struct pci_dev *pd_dir_lookup(struct pd_dir *dir, unsigned int sbdf)
{
	if ( pd_dir_enter(dir) )
		return NULL;
	return dir->ops->find(dir, sbdf);
}

/* every target of ->lock takes pcidevs_lock: the call takes it */
struct pd_lock_ops {
	void (*lock)(void);
};

static void pd_lock_a(void)
{
	pcidevs_lock();
}

static void pd_lock_b(void)
{
	pcidevs_lock();
}

const struct pd_lock_ops pd_lock_first = { .lock = pd_lock_a };
const struct pd_lock_ops pd_lock_second = { .lock = pd_lock_b };

struct pci_dev *good_locked_by_every_target(const struct pd_lock_ops *ops, unsigned int sbdf)
{
	struct pci_dev *pdev;

	ops->lock();
	pdev = lookup_pdev(NULL, sbdf);
	pcidevs_unlock();
	return pdev;
}

/* no target of ->begin takes the lock: still reported */
struct pd_scan_ops {
	int (*begin)(void);
	struct pci_dev *(*find)(unsigned int sbdf);
};

static int pd_scan_begin(void)
{
	return 0;
}

static struct pci_dev *warn_scan_find_unlocked(unsigned int sbdf)
{
	return lookup_pdev(NULL, sbdf);
}

const struct pd_scan_ops pd_scan = { .begin = pd_scan_begin, .find = warn_scan_find_unlocked };

struct pci_dev *pd_scan_lookup(const struct pd_scan_ops *ops, unsigned int sbdf)
{
	if ( ops->begin() )
		return NULL;
	return ops->find(sbdf);
}

/* An is-locked wrapper written as !!query (Xen's pcidevs_locked() before
 * 4.19): still a query, so the assertion is a precondition. */
static spinlock_t pc_list_lock;
static int pc_list_len;

static bool pc_list_locked(void)
{
	return !!spin_is_locked(&pc_list_lock);
}

static void pc_list_grow(void)
{
	ASSERT(pc_list_locked());
	pc_list_len++;
}

void good_grow_locked(void)
{
	spin_lock(&pc_list_lock);
	pc_list_grow();
	spin_unlock(&pc_list_lock);
}

void warn_grow_unlocked(void)
{
	pc_list_grow();
}

/* --- a precondition the rules declare ("preconditions"): Xen says it in
 * a comment above setup_vector_irq(), not in an assertion --- */

static spinlock_t vector_lock;
static int vector_irq[8];

void setup_vector_irq(unsigned int cpu)
{
	vector_irq[cpu & 7] = -1;
}

void good_cpu_up_locked(unsigned int cpu)
{
	spin_lock(&vector_lock);
	setup_vector_irq(cpu);
	spin_unlock(&vector_lock);
}

void warn_cpu_up_unlocked(unsigned int cpu)
{
	setup_vector_irq(cpu);
}

/* an assertion written over two lines, through macros (rw_is_write_locked
 * is one): the trace quotes it as the source writes it, with the callee's
 * parameter names, not in the analysis's terms (held_exclusive($0->...)) */
static void pc_update_bars(struct pci_dev *pdev)
{
	ASSERT(pcidevs_locked() ||
	       rw_is_write_locked(&pdev->domain->pci_lock));
}

void warn_update_bars_unlocked(struct pci_dev *dev)
{
	pc_update_bars(dev);
}

/*
 * check-findings-start
 * precondition.c:23:8: warning: write to pci_dev.vpci without _pcidevs_lock held [lockaudit-guard]
 * precondition.c:102:2: note: warn_deassign_read_locked() calls deassign_vpci() without _pcidevs_lock (it has no analysed callers)
 * precondition.c:23:8: note: written here (rule: a field of a device on the domain's list: readers hold pcidevs_lock or d->pci_lock, writers (setting up or removing the vPCI state) hold both, d->pci_lock for writing (the comment above pci_lock in struct domain))
 * guard.c:29:14: note: conflicting read in good_has_vpci(), holding _pcidevs_lock, can run at the same time as this access, holding domain.pci_lock
 * precondition.c:45:3: warning: call to deassign_vpci() without domain.pci_lock (write) held: it requires held_exclusive(pdev->domain->pci_lock) [lockaudit-precondition]
 * precondition.c:45:3: note: warn_remove_device() calls deassign_vpci() without domain.pci_lock (write)
 * precondition.c:21:2: note: deassign_vpci() asserts ASSERT(rw_is_write_locked(&pdev->domain->pci_lock))
 * precondition.c:102:2: warning: call to deassign_vpci() without domain.pci_lock (write) held: it requires held_exclusive(pdev->domain->pci_lock) [lockaudit-precondition]
 * precondition.c:102:2: note: warn_deassign_read_locked() calls deassign_vpci() without domain.pci_lock (write)
 * precondition.c:21:2: note: deassign_vpci() asserts ASSERT(rw_is_write_locked(&pdev->domain->pci_lock))
 * precondition.c:112:25: warning: call to lookup_pdev() without _pcidevs_lock held: it requires (NULL || held(_pcidevs_lock)) [lockaudit-precondition]
 * precondition.c:131:9: note: hypercall_device_op() calls dispatch_device_op() without _pcidevs_lock (it has no analysed callers)
 * precondition.c:125:10: note: dispatch_device_op() calls handle_device_op() without _pcidevs_lock
 * precondition.c:119:9: note: handle_device_op() calls warn_lookup_any() without _pcidevs_lock
 * precondition.c:112:25: note: warn_lookup_any() calls lookup_pdev() without _pcidevs_lock
 * precondition.c:31:2: note: lookup_pdev() asserts ASSERT(d || pcidevs_locked())
 * precondition.c:150:9: warning: call to lookup_mid() without _pcidevs_lock held: it requires (NULL || held(_pcidevs_lock)) [lockaudit-precondition]
 * precondition.c:150:9: note: warn_null_through_params() calls lookup_mid() without _pcidevs_lock
 * precondition.c:145:9: note: lookup_mid() calls lookup_in() on every path, which requires (d || held(_pcidevs_lock))
 * precondition.c:140:9: note: lookup_in() calls lookup_pdev() on every path, which requires (d || held(_pcidevs_lock))
 * precondition.c:31:2: note: lookup_pdev() asserts ASSERT(d || pcidevs_locked())
 * precondition.c:228:9: warning: call to good_lookup_asserted() without _pcidevs_lock held: it requires held(_pcidevs_lock) [lockaudit-precondition]
 * precondition.c:228:9: note: warn_calls_asserted_unlocked() calls good_lookup_asserted() without _pcidevs_lock
 * precondition.c:211:2: note: good_lookup_asserted() asserts ASSERT(pcidevs_locked())
 * precondition.c:399:3: warning: call to ring_put() without _pcidevs_lock held: it requires held(_pcidevs_lock) [lockaudit-precondition]
 * precondition.c:409:2: note: out_dump_any() calls out_flush_any() without _pcidevs_lock (it has no analysed callers)
 * precondition.c:404:2: note: out_flush_any() calls warn_out_send_any() without _pcidevs_lock
 * precondition.c:399:3: note: warn_out_send_any() calls ring_put() without _pcidevs_lock
 * precondition.c:355:2: note: ring_put() asserts ASSERT(pcidevs_locked())
 * precondition.c:421:3: warning: call to ring_put() without _pcidevs_lock held: it requires held(_pcidevs_lock) [lockaudit-precondition]
 * precondition.c:430:2: note: out_flush_or() calls warn_out_send_or() without _pcidevs_lock (it has no analysed callers)
 * precondition.c:421:3: note: warn_out_send_or() calls ring_put() without _pcidevs_lock
 * precondition.c:355:2: note: ring_put() asserts ASSERT(pcidevs_locked())
 * precondition.c:566:9: warning: call to lookup_pdev() without _pcidevs_lock held: it requires (NULL || held(_pcidevs_lock)) [lockaudit-precondition]
 * precondition.c:575:9: note: pd_scan_lookup() calls warn_scan_find_unlocked() without _pcidevs_lock (it has no analysed callers)
 * precondition.c:566:9: note: warn_scan_find_unlocked() calls lookup_pdev() without _pcidevs_lock
 * precondition.c:31:2: note: lookup_pdev() asserts ASSERT(d || pcidevs_locked())
 * precondition.c:603:2: warning: call to pc_list_grow() without pc_list_lock held: it requires held(pc_list_lock) [lockaudit-precondition]
 * precondition.c:603:2: note: warn_grow_unlocked() calls pc_list_grow() without pc_list_lock
 * precondition.c:590:2: note: pc_list_grow() asserts ASSERT(pc_list_locked())
 * precondition.c:626:2: warning: call to setup_vector_irq() without vector_lock held: it requires held(vector_lock) [lockaudit-precondition]
 * precondition.c:626:2: note: warn_cpu_up_unlocked() calls setup_vector_irq() without vector_lock
 * precondition.c:612:6: note: setup_vector_irq() requires held(vector_lock) (rules: preconditions: its comment in arch/x86/irq.c: it must be called with vector_lock held (the set of online CPUs must not change while vectors are assigned), and may not take the IRQ descriptor locks itself)
 * precondition.c:640:2: warning: call to pc_update_bars() without _pcidevs_lock or domain.pci_lock (write) held: it requires (held(_pcidevs_lock) || held_exclusive(dev->domain->pci_lock)) [lockaudit-precondition]
 * precondition.c:640:2: note: warn_update_bars_unlocked() calls pc_update_bars() without _pcidevs_lock or domain.pci_lock (write)
 * precondition.c:634:2: note: pc_update_bars() asserts ASSERT(pcidevs_locked() || rw_is_write_locked(&pdev->domain->pci_lock))
 * check-findings-end
 */
