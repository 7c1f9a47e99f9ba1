/* imbalance with the kernel's lock API: guards released at every way out,
 * conditional acquires whose success is 0 (mutex_lock_killable()), a
 * helper that takes two locks on one result, a result kept in a local as
 * `!= 0`, a conditional acquire whose argument makes it unconditional, and
 * locks taken or dropped one per turn of a loop. */
#include "linux.h"

/* both ways out return 0: nothing tells the callers which one kept it */
int warn_forgot_unlock(struct vdev *v, int n)
{
	mutex_lock(&v->igate);
	if (n)
		return 0;
	v->num_ctx = n;
	mutex_unlock(&v->igate);
	return 0;
}

int good_guard_every_return(struct vdev *v, int n)
{
	guard(mutex)(&v->igate);
	if (n)
		return -EINVAL;
	v->num_ctx = n;
	return 0;
}

int good_killable(struct vdev *v)
{
	if (mutex_lock_killable(&v->igate))
		return -EINTR;
	v->num_ctx = 0;
	mutex_unlock(&v->igate);
	return 0;
}

/* returns 0 with both mutexes held, non-zero (a constant kept in a local)
 * without either */
static int lock_two(struct vdev *a, struct vdev *b)
{
	int r = -EBUSY;

	if (a == b)
		return -EINVAL;
	r = -EINTR;
	if (mutex_lock_killable(&a->igate))
		goto out;
	if (mutex_lock_killable(&b->igate))
		goto unlock_a;
	return 0;
unlock_a:
	mutex_unlock(&a->igate);
out:
	return r;
}

int good_lock_two(struct vdev *a, struct vdev *b)
{
	int ret = lock_two(a, b);

	if (ret)
		return ret;
	a->num_ctx = b->num_ctx;
	mutex_unlock(&b->igate);
	mutex_unlock(&a->igate);
	return 0;
}

/* a trylock whose result is kept as a truth value */
static bool read_trylock_mem(struct vdev *v)
{
	bool ret = down_read_trylock(&v->memory_lock) != 0;

	return ret;
}

int good_truth_kept(struct vdev *v)
{
	if (!read_trylock_mem(v))
		return -EBUSY;
	up_read(&v->memory_lock);
	return 0;
}

/* returns 1 with the mutex held; 0 without it only when `try` is true */
static int maybe_lock(struct vdev *v, bool try)
{
	if (try) {
		if (!mutex_trylock(&v->igate))
			return 0;
	} else {
		mutex_lock(&v->igate);
	}
	return 1;
}

void good_untested_unconditional(struct vdev *v)
{
	maybe_lock(v, false);
	down_write(&v->memory_lock);
	mutex_unlock(&v->igate);
	up_write(&v->memory_lock);
}

/* lock every device of a bus, from the top down, and unlock them all in
 * another function */
void pdev_lock(struct pdev *d);
void pdev_unlock(struct pdev *d);

void good_unlock_bus(struct bus *bus)
{
	struct pdev *d;

	list_for_each_entry(d, &bus->devices, bus_list)
		pdev_unlock(d);
	mutex_unlock(&bus->self->dev_mutex);
}

/* one mutex per turn; on failure, those taken are dropped */
struct pdev *next_pdev(struct bus *bus, struct pdev *d);

int good_lock_each(struct bus *bus)
{
	struct pdev *d, *e;

	for (d = next_pdev(bus, NULL); d; d = next_pdev(bus, d))
		if (mutex_lock_killable(&d->dev_mutex))
			goto unwind;
	return 0;
unwind:
	for (e = next_pdev(bus, NULL); e && e != d; e = next_pdev(bus, e))
		mutex_unlock(&e->dev_mutex);
	return -EINTR;
}

/* follow_pte() returns 0 with the page table lock it stored in *ptlp held */
int good_follow_pte(struct mm_struct *mm, unsigned long addr, unsigned long *pfn)
{
	pte_t *ptep;
	spinlock_t *ptl;
	int ret = follow_pte(mm, addr, &ptep, &ptl);

	if (ret)
		return ret;
	*pfn = ptep->pte;
	spin_unlock(ptl);
	return 0;
}

/* get_user_pages_remote() drops mmap_lock when it clears *locked */
void good_gup_may_unlock(struct mm_struct *mm, unsigned long addr)
{
	int locked = 1;

	mmap_read_lock(mm);
	get_user_pages_remote(mm, addr, 1, 0, NULL, NULL, &locked);
	if (locked)
		mmap_read_unlock(mm);
}

/* a flag set only when the object is made: a call between two tests of it
 * does not change it */
struct ioevent { struct vdev *vdev; bool test_mem; };

struct ioevent *ioevent_new(struct vdev *v, bool test_mem)
{
	struct ioevent *ev = kzalloc(sizeof(*ev), GFP_KERNEL);

	if (!ev)
		return NULL;
	ev->vdev = v;
	ev->test_mem = test_mem;
	return ev;
}

void do_write(struct ioevent *ev);

int good_flag_tested_twice(struct ioevent *ev)
{
	if (ev->test_mem) {
		if (!down_read_trylock(&ev->vdev->memory_lock))
			return 1;
	}
	do_write(ev);
	if (ev->test_mem)
		up_read(&ev->vdev->memory_lock);
	return 0;
}

/* a step of a retry loop (scoped_seqlock_read()'s __scoped_seqlock_next()):
 * it ends the caller's read section, and on a retry begins the next one */
struct read_turn { int state; unsigned data; };

void good_next_read_turn(struct read_turn *t, seqlock_t *sl)
{
	if (!t->state)
		return;
	if (!read_seqretry(sl, t->data)) {
		t->state = 0;
		return;
	}
	t->data = read_seqbegin(sl);
}

/* the same step as a state machine over every state of an enum (no
 * default: a value outside the enum is no state) */
enum turn_state { turn_done, turn_locked, turn_lockless };
struct state_turn { enum turn_state state; unsigned data; spinlock_t *lock; };

void good_next_state_turn(struct state_turn *t, seqlock_t *sl, enum turn_state target)
{
	switch (t->state) {
	case turn_done:
		return;
	case turn_locked:
		t->state = turn_done;
		return;
	case turn_lockless:
		if (!read_seqretry(sl, t->data)) {
			t->state = turn_done;
			return;
		}
		break;
	}
	if (target == turn_lockless)
		t->data = read_seqbegin(sl);
}

/*
 * check-findings-start
 * imbalance.c:13:3: warning: warn_forgot_unlock() returns with v->igate held here but not on other paths [lockaudit-imbalance]
 * imbalance.c:11:2: note: v->igate acquired in warn_forgot_unlock()
 * imbalance.c:13:3: note: returns with v->igate held
 * imbalance.c:16:2: note: returns without it
 * check-findings-end
 */
