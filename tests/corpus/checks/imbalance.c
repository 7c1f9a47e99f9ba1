/* imbalance: a function that returns with a lock it took held on some
 * paths and released on others (when the return value does not say which,
 * as it does for a trylock-like function), and the release of a lock that
 * is not held on that path (double unlock on an error path). */
#include "checks.h"

static spinlock_t bar_map_lock;       /* serialises BAR (un)mapping */
static spinlock_t rom_lock;

struct vpci *vpci_alloc(void);
int map_bars(struct pci_dev *pdev);

/* --- correct --- */

/* one unlock for every way out, through a label */
int good_goto_unwind(struct pci_dev *pdev)
{
	int rc;

	spin_lock(&bar_map_lock);
	rc = map_bars(pdev);
	if ( rc )
		goto out;
	rc = map_bars(pdev);
 out:
	spin_unlock(&bar_map_lock);
	return rc;
}

/* held only when the trylock succeeded */
int good_trylock(struct pci_dev *pdev)
{
	int rc;

	if ( !spin_trylock(&bar_map_lock) )
		return -EBUSY;
	rc = map_bars(pdev);
	spin_unlock(&bar_map_lock);
	return rc;
}

/* returns 0 with rom_lock held, -EBUSY without: the return value says */
int good_rom_lock_if_idle(struct vpci *v)
{
	spin_lock(&rom_lock);
	if ( v == NULL )
	{
		spin_unlock(&rom_lock);
		return -EBUSY;
	}
	return 0;
}

int good_rom_user(struct vpci *v)
{
	if ( good_rom_lock_if_idle(v) )
		return -EBUSY;
	spin_unlock(&rom_lock);
	return 0;
}

/* returns the device's vPCI state locked, or NULL: the lock travels with
 * the returned pointer (every caller holds d->pci_lock) */
struct vpci *good_vpci_get_locked(struct pci_dev *pdev)
{
	struct vpci *v = pdev->vpci;

	if ( !v )
		return NULL;
	spin_lock(&v->lock);
	return v;
}

void good_vpci_user(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;
	struct vpci *v;

	read_lock(&d->pci_lock);
	v = good_vpci_get_locked(pdev);
	if ( v )
	{
		v->cmd = 0;
		spin_unlock(&v->lock);
	}
	read_unlock(&d->pci_lock);
}

/* the same flag decides the lock and the unlock */
void good_flag_correlated(struct pci_dev *pdev, bool locked)
{
	if ( !locked )
		spin_lock(&bar_map_lock);
	map_bars(pdev);
	if ( !locked )
		spin_unlock(&bar_map_lock);
}

/* a NULL test decides the lock and the unlock */
void good_null_correlated_unlock(struct pci_dev *pdev)
{
	struct vpci *v = vpci_alloc();

	if ( v )
		spin_lock(&v->lock);
	map_bars(pdev);
	if ( v )
	{
		v->cmd = 0;
		spin_unlock(&v->lock);
	}
}

/* releases a lock its caller holds (an unlock wrapper) */
void good_vpci_unlock(struct vpci *v)
{
	spin_unlock(&v->lock);
}

void good_wrapper_user(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	spin_lock(&pdev->vpci->lock);
	pdev->vpci->cmd = 0;
	good_vpci_unlock(pdev->vpci);
	read_unlock(&d->pci_lock);
}

/* --- bugs --- */

/* the error path returns with the lock held (lockaudit today: missed, the
 * function is taken for a conditional acquire, held when it returns
 * non-zero, and it has no caller to show the leak) */
int known_miss_error_path_leak(struct pci_dev *pdev)
{
	int rc;

	spin_lock(&bar_map_lock);
	rc = map_bars(pdev);
	if ( rc )
		return rc;
	spin_unlock(&bar_map_lock);
	return 0;
}

/* a void function cannot tell its caller: the early return leaks */
void warn_void_early_return(struct pci_dev *pdev)
{
	struct domain *d = pdev->domain;

	read_lock(&d->pci_lock);
	if ( !pdev->vpci )
		return;
	map_bars(pdev);
	read_unlock(&d->pci_lock);
}

/* a new vPCI state locked while it is set up: the lock of a local object
 * cannot be handed to the caller, and the error path returns with it */
int warn_setup_leak(struct pci_dev *pdev)
{
	struct vpci *v = vpci_alloc();
	int rc;

	if ( !v )
		return -EINVAL;
	spin_lock(&v->lock);
	rc = map_bars(pdev);
	if ( rc )
		return rc;
	v->nr_bars = 6;
	spin_unlock(&v->lock);
	return 0;
}

/* the same with a constant error: like a function that returns 0 with the
 * lock held, except that its caller does not expect that (lockaudit today:
 * missed, the caller inherits the conditional acquire) */
static int rom_enable(struct vpci *v)
{
	spin_lock(&rom_lock);
	if ( !v )
		return -ENODEV;
	spin_unlock(&rom_lock);
	return 0;
}

int known_miss_rom_enable_caller(struct vpci *v)
{
	int rc = rom_enable(v);

	if ( rc )
		return rc;
	return 0;
}

/* locks only when the first mapping worked, unlocks in any case: on the
 * other path the lock is not held (or, if a caller held it, the lock above
 * was a double lock) (lockaudit today: missed, the release of a global or
 * parameter lock that is not held is taken for an unlock wrapper's) */
int known_miss_unlock_not_taken(struct pci_dev *pdev)
{
	int rc = map_bars(pdev);

	if ( !rc )
		spin_lock(&bar_map_lock);
	pdev->sbdf = 0;
	spin_unlock(&bar_map_lock);
	return rc;
}

/* the error path unlocks, then the common exit unlocks again (lockaudit
 * today: missed, as above) */
int known_miss_double_unlock(struct pci_dev *pdev)
{
	int rc;

	pcidevs_lock();
	rc = map_bars(pdev);
	if ( rc )
	{
		pcidevs_unlock();
		goto out;
	}
	pdev->sbdf = 0;
 out:
	pcidevs_unlock();
	return rc;
}

/* --- issue 11: paths the analysis tells apart --- */

/* a trylock in a statement expression whose value is tested again
 * (Xen's spin_trylock_irqsave(): `trylock ? 1 : ({ restore; 0; })`) */
#define corpus_trylock_irqsave(l, f) \
	({ (f) = 0; spin_trylock(l) ? 1 : ({ (f) = 1; 0; }); })

int good_trylock_irqsave(struct vpci *v)
{
	unsigned long flags;

	if ( !corpus_trylock_irqsave(&v->lock, flags) )
		return -EBUSY;
	v->cmd = 0;
	spin_unlock_irqrestore(&v->lock, flags);
	return 0;
}

/* the same trylock retried in a loop until it works or there is no point */
void good_trylock_retry(struct vpci *v)
{
	unsigned long flags;

	while ( !corpus_trylock_irqsave(&v->lock, flags) )
		if ( map_bars(NULL) <= 0 )
			return;
	v->cmd = 0;
	spin_unlock_irqrestore(&v->lock, flags);
}

/* returns with the lock held exactly when rc is 0: rc says which, though
 * it is no constant (Xen's gnttab_map_frame_begin()) */
int good_lock_unless_error(struct pci_dev *pdev)
{
	int rc;

	read_lock(&pdev->domain->pci_lock);
	rc = map_bars(pdev);
	if ( rc )
		read_unlock(&pdev->domain->pci_lock);
	return rc;
}

/* a conditional acquire of a lock the callers cannot name (a per-CPU
 * lock found through a local): the value returned still says */
struct vpci *vpci_of_cpu(unsigned int cpu);

bool good_lock_cpu_vpci(unsigned int cpu)
{
	struct vpci *v = vpci_of_cpu(cpu);

	spin_lock(&v->lock);
	if ( v->nr_bars )
		return 1;
	spin_unlock(&v->lock);
	return 0;
}

/* the lock state follows an argument (Xen's spin_lock_if()) */
void good_lock_if(bool cond, spinlock_t *l)
{
	if ( cond )
		spin_lock(l);
}

/* taken under a global flag, left to a paired function that releases it
 * under the same flag (Xen's vtd_ops_preamble_quirk()) */
static bool rom_quirk;

void good_quirk_preamble(void)
{
	if ( rom_quirk )
	{
		spin_lock(&rom_lock);
		map_bars(NULL);
	}
}

/* a double-lock helper that takes one lock when both are the same (Xen's
 * sched_spin_lock_double()) */
void good_lock_pair(spinlock_t *a, spinlock_t *b)
{
	if ( a == b )
		spin_lock(a);
	else if ( a < b )
	{
		spin_lock(a);
		spin_lock(b);
	}
	else
	{
		spin_lock(b);
		spin_lock(a);
	}
}

/* two domains' locks in id order, one lock when it is one domain (Xen's
 * iocaps_double_lock()) */
void good_lock_two_domains(struct domain *d, struct domain *cur)
{
	if ( d->domain_id > cur->domain_id )
		read_lock(&cur->pci_lock);
	read_lock(&d->pci_lock);
	if ( d->domain_id < cur->domain_id )
		read_lock(&cur->pci_lock);
}

/* drops the callers' locks to let softirqs run, and returns an error when
 * it could not take them back (Xen's vpci_msix_arch_print()) */
int good_drop_callers_locks(struct vpci *v)
{
	ASSERT(spin_is_locked(&v->lock));
	spin_unlock(&v->lock);
	process_pending_softirqs();
	if ( !spin_trylock(&v->lock) )
		return -EBUSY;
	return 0;
}

/* a lock pointer set to NULL after the release, the release at the end
 * guarded by a NULL test (Xen's map_domain_pirq()) */
struct vpci *vpci_get(struct pci_dev *pdev);

int good_null_after_release(struct pci_dev *pdev)
{
	struct vpci *v = vpci_get(pdev);
	int rc = 0;

	spin_lock(&v->lock);
	if ( v->nr_bars )
	{
		spin_unlock(&v->lock);
		v = NULL;
		rc = map_bars(pdev);
		if ( rc < 0 )
			goto out;
		v = vpci_get(pdev);
		spin_lock(&v->lock);
	}
 out:
	if ( rc )
	{
		if ( v )
			spin_unlock(&v->lock);
		return rc;
	}
	spin_unlock(&v->lock);
	return 0;
}

/* pointers NULL until their object is locked, released if not NULL (Xen's
 * swap_grant_ref()) */
int good_null_until_locked(struct pci_dev *a, struct pci_dev *b)
{
	struct vpci *va = NULL;
	spinlock_t *lb = NULL;
	int rc = -EINVAL;

	if ( a == b )
		goto out;
	va = vpci_get(a);
	spin_lock(&va->lock);
	if ( va->cmd )
		goto out;
	lb = &rom_lock;
	spin_lock(lb);
	if ( !b->sbdf )
		goto out;
	rc = 0;
 out:
	if ( lb != NULL )
		spin_unlock(lb);
	if ( va != NULL )
		spin_unlock(&va->lock);
	return rc;
}

/* `break` out of a switch with the lock held (Xen's csched2_dom_cntl()
 * before 1fafc4b23c06) */
static spinlock_t cntl_lock;   /* the scheduler's private lock */
static unsigned int cntl_cap;

int warn_switch_break(unsigned int op, unsigned int val)
{
	unsigned long flags;
	int rc = 0;

	switch ( op )
	{
	case 0:
		spin_lock_irqsave(&cntl_lock, flags);
		cntl_cap = 0;
		spin_unlock_irqrestore(&cntl_lock, flags);
		break;
	case 1:
		spin_lock_irqsave(&cntl_lock, flags);
		if ( val > 100 )
		{
			rc = -EINVAL;
			break;
		}
		cntl_cap = val;
		spin_unlock_irqrestore(&cntl_lock, flags);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	return rc;
}

/* a callback (stored for a timer) whose early exit keeps the lock (Xen's
 * pt_irq_time_out() before 712db0f30134) */
void *domain_dpci(struct domain *d);

static void warn_timer_early_exit(void *data)
{
	struct pci_dev *pdev = data;

	spin_lock(&pdev->domain->event_lock);
	if ( !domain_dpci(pdev->domain) )
		return;
	pdev->sbdf = 0;
	spin_unlock(&pdev->domain->event_lock);
}

void good_arm_timer(struct timer *t, struct pci_dev *pdev)
{
	init_timer(t, warn_timer_early_exit, pdev, 0);
}

/* a lock taken under a condition, but released under another (the
 * condition-correlation must not hide it) */
void warn_unlock_other_flag(struct vpci *v, bool a, bool b)
{
	if ( a )
		spin_lock(&v->lock);
	map_bars(NULL);
	if ( b )
		spin_unlock(&v->lock);
}

/* an enter function with an early way out before the lock: it never
 * releases the lock, so nothing was forgotten (Xen's efi_rs_enter()) */
static bool fw_ready;
static spinlock_t fw_lock;

unsigned long good_fw_enter(void)
{
	if ( !fw_ready )
		return 0;
	spin_lock(&fw_lock);
	return 1;
}

/* a callee that drops its caller's lock when it returns NULL, and keeps
 * (or takes again) it otherwise (Xen's sched_wait_rendezvous_in()) */
static spinlock_t cpu_locks[4];

/* returns the CPU's lock, taken */
static spinlock_t *cpu_lock_get(unsigned int cpu)
{
	spinlock_t *l = &cpu_locks[cpu];

	spin_lock(l);
	return l;
}

static unsigned int *wait_peer(spinlock_t **lock, unsigned int cpu, unsigned int *peer)
{
	if ( !peer[0] )
		return peer;
	spin_unlock(*lock);
	if ( peer[1] )
		return NULL;
	*lock = cpu_lock_get(cpu);
	return peer;
}

void good_wait_caller(unsigned int cpu, unsigned int *peer)
{
	spinlock_t *lock = cpu_lock_get(cpu);

	if ( !wait_peer(&lock, cpu, peer) )
		return;
	spin_unlock(lock);
}

/* an unlock that tests its argument for NULL, given the untested value of
 * a lookup that returns its object locked or NULL (Xen's
 * lock_dom_exc_handler() / unlock_dom_exc_handler()) */
static struct domain *dom_find_locked(unsigned int id)
{
	struct domain *d = id ? domain_dpci(NULL) : NULL;

	if ( !d )
		return NULL;
	spin_lock(&d->event_lock);
	return d;
}

static void dom_unlock(struct domain *d)
{
	if ( !d )
		return;
	spin_unlock(&d->event_lock);
}

int good_dom_query(unsigned int id)
{
	struct domain *d = dom_find_locked(id);
	int rc = d == NULL;

	dom_unlock(d);
	return rc;
}

/* a callee that releases its caller's lock on its error path, and the
 * caller that releases it again there (Xen's hvm_ioreq_server_init() and
 * hvm_create_ioreq_server() before a608c40d4ffc) */
static int srv_init(struct domain *d)
{
	int rc = map_bars(NULL);

	if ( rc )
		goto fail;
	return 0;

 fail:
	spin_unlock(&d->event_lock);
	return rc;
}

int warn_srv_create(struct domain *d)
{
	int rc;

	spin_lock(&d->event_lock);
	rc = srv_init(d);
	if ( rc )
		goto fail;
	d->domain_id = 1;
	spin_unlock(&d->event_lock);
	return 0;

 fail:
	spin_unlock(&d->event_lock);
	return rc;
}

/* RCU domain references (rules "resource": "RCU domain reference"). The
 * declared primitives are rcu_lock_domain_by_id/by_any_id (the value
 * returned is held when non-NULL), rcu_lock_domain (returns its argument,
 * held) and rcu_unlock_domain; the wrappers below are analysed from their
 * bodies, as Xen's are. */
struct domain *rcu_lock_domain_by_id(unsigned int id);
struct domain *rcu_lock_domain_by_any_id(unsigned int id);
struct domain *rcu_lock_domain(struct domain *d);
void rcu_unlock_domain(struct domain *d);
int xsm_check_domain(struct domain *d);
int domctl_busy(void);
extern struct domain *current_domain, *dom_io, *dom_xen;

static inline int is_system_domain(const struct domain *d)
{
	return d->domain_id >= 0x7ff0;
}

/* Xen's rcu_lock_remote_domain_by_id(): the reference is handed over
 * through an out-parameter, held exactly when 0 is returned */
int lock_remote_domain(unsigned int id, struct domain **d)
{
	if ( (*d = rcu_lock_domain_by_id(id)) == NULL )
		return -ENODEV;
	if ( *d == current_domain )
	{
		rcu_unlock_domain(*d);
		return -EINVAL;
	}
	return 0;
}

/* rcu_lock_live_remote_domain_by_id(): a wrapper of the wrapper */
int lock_live_remote_domain(unsigned int id, struct domain **d)
{
	int rv = lock_remote_domain(id, d);

	if ( rv )
		return rv;
	if ( (*d)->domain_id == 0 )
	{
		rcu_unlock_domain(*d);
		return -EINVAL;
	}
	return 0;
}

int good_rcu_out_param(unsigned int id)
{
	struct domain *d;
	int rc = lock_remote_domain(id, &d);

	if ( rc )
		return rc;
	rc = xsm_check_domain(d);
	if ( rc )
		goto out;
	rc = map_bars(NULL);
 out:
	rcu_unlock_domain(d);
	return rc;
}

int good_rcu_live_out_param(unsigned int id)
{
	struct domain *d;
	int rc = lock_live_remote_domain(id, &d);

	if ( rc != 0 )
		return rc;
	rc = map_bars(NULL);
	rcu_unlock_domain(d);
	return rc;
}

/* Xen's get_pg_owner(): a reference to dom_io, to dom_xen, or to what the
 * lookup found (NULL when none), handed over in the value returned */
struct domain *get_owner_domain(unsigned int id)
{
	struct domain *owner = NULL;

	if ( id == (unsigned int)current_domain->domain_id )
		goto out;
	switch ( id )
	{
	case 0x7ff1:
		owner = rcu_lock_domain(dom_io);
		break;
	case 0x7ff2:
		owner = rcu_lock_domain(dom_xen);
		break;
	default:
		owner = rcu_lock_domain_by_any_id(id);
		break;
	}
 out:
	return owner;
}

static inline void put_owner_domain(struct domain *owner)
{
	rcu_unlock_domain(owner);
}

int good_rcu_owner(unsigned int id)
{
	struct domain *owner;

	if ( (owner = get_owner_domain(id)) == NULL )
		return -ENODEV;
	if ( xsm_check_domain(owner) )
	{
		put_owner_domain(owner);
		return -EINVAL;
	}
	put_owner_domain(owner);
	return 0;
}

/* p2m_add_foreign(): a reference from either of two sources, dropped
 * under a NULL test */
int good_rcu_either_source(unsigned int id, struct domain *target)
{
	struct domain *from;
	int rc;

	if ( id == 0x7ff2 )
		from = rcu_lock_domain(dom_xen);
	else
	{
		rc = lock_remote_domain(id, &from);
		if ( rc )
			return rc;
		rc = -EINVAL;
		if ( target == from )
			goto out;
	}
	rc = xsm_check_domain(from);
 out:
	if ( from )
		rcu_unlock_domain(from);
	return rc;
}

/* do_domctl(): system domains are used without a reference, and the
 * releases test the pointer's value (`d != dom_io`, is_system_domain()):
 * the value, not the path, says whether one is held */
int good_rcu_system_domains(unsigned int id, int cmd)
{
	struct domain *d;
	int ret;

	switch ( cmd )
	{
	case 1:
		d = NULL;
		break;
	case 2:
		d = dom_io;
		break;
	case 3:
		d = dom_xen;
		break;
	default:
		d = rcu_lock_domain_by_id(id);
		if ( !d )
			return -ENODEV;
		break;
	}
	if ( domctl_busy() )
	{
		if ( d && d != dom_io )
			rcu_unlock_domain(d);
		return -EINVAL;
	}
	ret = xsm_check_domain(d);
	if ( d && !is_system_domain(d) )
		rcu_unlock_domain(d);
	return ret;
}

/* evtchn_close(): the value rcu_lock_domain() returns is not used */
int good_rcu_value_unused(struct domain *d1, struct domain *remote)
{
	struct domain *d2 = NULL;

	if ( d1->domain_id )
	{
		d2 = remote;
		rcu_lock_domain(d2);
		xsm_check_domain(d2);
	}
	if ( d2 != NULL )
		rcu_unlock_domain(d2);
	return 0;
}

/* an RCU reference to a domain kept on an error path (Xen's
 * physdev_map_pirq() before 9581c4f9a553) */
int warn_rcu_ref_leak(unsigned int id)
{
	struct domain *d = rcu_lock_domain_by_any_id(id);
	int rc;

	if ( d == NULL )
		return -ENODEV;
	rc = xsm_check_domain(d);
	if ( rc )
		return rc;
	rc = map_bars(NULL);
	rcu_unlock_domain(d);
	return rc;
}

/* the same through the out-parameter wrapper */
int warn_rcu_out_param_leak(unsigned int id)
{
	struct domain *d;
	int rc = lock_remote_domain(id, &d);

	if ( rc )
		return rc;
	if ( xsm_check_domain(d) )
		return -EINVAL;
	rcu_unlock_domain(d);
	return 0;
}

/* a reference dropped twice on one path */
int warn_rcu_double_put(unsigned int id)
{
	struct domain *d = rcu_lock_domain_by_id(id);

	if ( !d )
		return -ENODEV;
	rcu_unlock_domain(d);
	if ( domctl_busy() )
		rcu_unlock_domain(d);
	return 0;
}

/* RCU read-side sections (Xen 4.14 and later: rcu_read_lock() is a
 * function there) */
typedef struct { int unused; } rcu_read_lock_t;
void rcu_read_lock(rcu_read_lock_t *l);
void rcu_read_unlock(rcu_read_lock_t *l);
extern rcu_read_lock_t sched_rculock;
spinlock_t *pcpu_lock_of(unsigned int cpu);

/* sched_wait_rendezvous_in(): returns NULL having dropped both the
 * caller's lock (through the out-parameter) and the RCU section */
struct pci_dev *wait_rendezvous(struct pci_dev *prev, spinlock_t **lock, unsigned int cpu)
{
	if ( prev->sbdf )
		return prev;
	spin_unlock(*lock);
	rcu_read_unlock(&sched_rculock);
	return NULL;
}

void good_rcu_section_dropped_by_callee(struct pci_dev *prev, unsigned int cpu)
{
	spinlock_t *lock;
	struct pci_dev *next;

	rcu_read_lock(&sched_rculock);
	lock = pcpu_lock_of(cpu);
	spin_lock(lock);
	next = wait_rendezvous(prev, &lock, cpu);
	if ( !next )
		return;
	spin_unlock(lock);
	rcu_read_unlock(&sched_rculock);
}

int warn_rcu_section_left_open(struct pci_dev *pdev)
{
	int rc;

	rcu_read_lock(&sched_rculock);
	if ( pdev->sbdf == 0 )
		return -ENODEV;
	rc = map_bars(pdev);
	rcu_read_unlock(&sched_rculock);
	return rc;
}

/* a lock taken in one switch on a value and dropped in a later switch on
 * the same value (Xen's xenmem_add_to_physmap_one(): the grant-table lock
 * of XENMAPSPACE_grant_table); a switch with one case and default is no
 * `if` */
int begin_map_frame(struct domain *d, unsigned int idx)
{
	int rc = 0;

	spin_lock(&d->event_lock);
	if ( idx > 3 )
		rc = -EINVAL;
	if ( rc )
		spin_unlock(&d->event_lock);
	return rc;
}

void end_map_frame(struct domain *d)
{
	spin_unlock(&d->event_lock);
}

int good_switch_twice(struct domain *d, int space, unsigned int idx)
{
	int rc = 0;

	switch ( space )
	{
	case 0:
		d->domain_id = 1;
		break;
	case 1:
		rc = begin_map_frame(d, idx);
		if ( rc )
			return rc;
		break;
	default:
		return -EINVAL;
	}
	rc = map_bars(NULL);
	switch ( space )
	{
	case 1:
		end_map_frame(d);
		break;
	default:
		break;
	}
	return rc;
}

/* a counted retry loop (Xen's evtchn_fifo_set_pending()): each turn locks
 * the queue, breaks out with it held when it is still the right one, else
 * drops it; after three turns the counter says the lock is not held, and
 * the function bails out before the unlock */
struct retry_q {
	spinlock_t lock;
	int tail;
};

int good_retry_counted(struct retry_q *qs, int (*pick)(void))
{
	struct retry_q *q;
	unsigned int try;

	for ( try = 0; try < 3; try++ )
	{
		q = &qs[pick()];
		spin_lock(&q->lock);
		if ( q == &qs[pick()] )
			break;
		spin_unlock(&q->lock);
	}
	if ( try == 3 )
		return -EBUSY;
	q->tail = 0;
	spin_unlock(&q->lock);
	return 0;
}

/* the same loop tested against the wrong count: the exit after three turns
 * releases a lock it does not hold */
int warn_retry_miscounted(struct retry_q *qs, int (*pick)(void))
{
	struct retry_q *q;
	unsigned int try;

	for ( try = 0; try < 3; try++ )
	{
		q = &qs[pick()];
		spin_lock(&q->lock);
		if ( q == &qs[pick()] )
			break;
		spin_unlock(&q->lock);
	}
	if ( try == 4 )
		return -EBUSY;
	q->tail = 0;
	spin_unlock(&q->lock);
	return 0;
}

/* Xen's scheduler before 4.13 (vcpu_schedule_lock_irq()): the lock comes
 * from per_cpu(), whose pointer an asm hides from the compiler
 * (RELOC_HIDE), so the local it is read into has no value the analysis
 * can name; the lock is taken, checked, and returned held, and the
 * caller unlocks what it got */
struct sched_res {
	spinlock_t *schedule_lock;
};
static struct sched_res sched_data;
extern unsigned long sched_offset[4];
static unsigned int sched_work;

static spinlock_t *good_sched_lock(unsigned int cpu)
{
	for ( ; ; )
	{
		struct sched_res *__ptr;
		asm ( "" : "=r" (__ptr) : "0" (&sched_data) );
		spinlock_t *lock = (__ptr + sched_offset[cpu & 3])->schedule_lock;

		spin_lock(lock);
		if ( lock == (__ptr + sched_offset[cpu & 3])->schedule_lock )
			return lock;
		spin_unlock(lock);
	}
}

void good_sched_lock_user(unsigned int cpu)
{
	spinlock_t *lock = good_sched_lock(cpu);

	sched_work++;
	spin_unlock(lock);
}

/*
 * check-findings-start
 * imbalance.c:155:3: warning: warn_void_early_return() returns with pdev->domain->pci_lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:153:2: note: pdev->domain->pci_lock acquired in warn_void_early_return()
 * imbalance.c:155:3: note: returns with pdev->domain->pci_lock held
 * imbalance.c:172:3: warning: warn_setup_leak() returns with v->lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:169:2: note: v->lock acquired in warn_setup_leak()
 * imbalance.c:172:3: note: returns with v->lock held
 * imbalance.c:175:2: note: returns without it
 * imbalance.c:441:2: warning: warn_switch_break() returns with cntl_lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:428:3: note: cntl_lock acquired in warn_switch_break()
 * imbalance.c:441:2: note: returns with cntl_lock held
 * imbalance.c:441:2: note: returns without it
 * imbalance.c:454:3: warning: warn_timer_early_exit() returns with data->domain->event_lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:452:2: note: data->domain->event_lock acquired in warn_timer_early_exit()
 * imbalance.c:454:3: note: returns with data->domain->event_lock held
 * imbalance.c:469:3: warning: warn_unlock_other_flag() returns with v->lock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:469:3: note: v->lock acquired in warn_unlock_other_flag()
 * imbalance.c:469:3: note: returns with v->lock held
 * imbalance.c:579:2: warning: release of d->event_lock, which the call at line 571 released already on this path [lockaudit-imbalance]
 * imbalance.c:571:7: note: d->event_lock released by the callee (its value says so)
 * imbalance.c:579:2: note: d->event_lock released again
 * imbalance.c:791:3: warning: warn_rcu_ref_leak() returns with the RCU domain reference to *d held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:784:21: note: the RCU domain reference to *d acquired in warn_rcu_ref_leak()
 * imbalance.c:791:3: note: returns with the RCU domain reference to *d held
 * imbalance.c:788:3: note: returns without it
 * imbalance.c:806:3: warning: warn_rcu_out_param_leak() returns with the RCU domain reference to *d held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:801:11: note: the RCU domain reference to *d acquired in warn_rcu_out_param_leak()
 * imbalance.c:806:3: note: returns with the RCU domain reference to *d held
 * imbalance.c:804:3: note: returns without it
 * imbalance.c:820:3: warning: release of the RCU domain reference to *d, which is not held on this path [lockaudit-imbalance]
 * imbalance.c:820:3: note: the RCU domain reference to *d released
 * imbalance.c:864:3: warning: warn_rcu_section_left_open() returns with the RCU read-side section of sched_rculock held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:862:2: note: the RCU read-side section of sched_rculock acquired in warn_rcu_section_left_open()
 * imbalance.c:864:3: note: returns with the RCU read-side section of sched_rculock held
 * imbalance.c:867:2: note: returns without it
 * imbalance.c:967:2: warning: release of q->lock, which is not held on this path [lockaudit-imbalance]
 * imbalance.c:967:2: note: q->lock released
 * check-findings-end
 */
