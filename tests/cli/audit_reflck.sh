#!/usr/bin/env bash
# Issue 14: lockaudit audit of a replica of vfio-pci's open/release change
# (a global driver_lock replaced by a lock per bus, shared through a
# refcounted object, the "reflck"), in a git repository the test builds.
# Commit 1 moves the open count from the global mutex to the shared lock
# (protection changes, no finding); commit 2 leaks a reflck reference on an
# error path of probe (a new refcount-balance finding). The lock API is
# Linux's, from rules/linux-primitives.json (included by the test's rules).
. "$(dirname "$0")/lib.sh" "$@"

test_repo
cat > "$R/kernel.h" <<'C'
#define NULL ((void *)0)
struct mutex { int owner; };
struct kref { int refs; };
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
void kref_init(struct kref *k);
void kref_get(struct kref *k);
void kref_put(struct kref *k, void (*release)(struct kref *k));
void *kzalloc(unsigned long size, unsigned int flags);
int enable_device(void *pdev);
void disable_device(void *pdev);
struct reflck { struct kref kref; struct mutex lock; };
struct vdev { void *pdev; int refcnt; struct reflck *reflck; int bus; };
C
cat > "$R/vfio_pci.c" <<'C'
#include "kernel.h"
static struct mutex driver_lock;

int vdev_open(struct vdev *v)
{
	int ret = 0;

	mutex_lock(&driver_lock);
	if (!v->refcnt)
		ret = enable_device(v->pdev);
	if (!ret)
		v->refcnt++;
	mutex_unlock(&driver_lock);
	return ret;
}

void vdev_release(struct vdev *v)
{
	mutex_lock(&driver_lock);
	if (!--v->refcnt)
		disable_device(v->pdev);
	mutex_unlock(&driver_lock);
}
C
cat > "$R/compile_commands.json" <<JSON
[{"directory": "$R", "file": "vfio_pci.c", "arguments": ["cc", "-D__KERNEL__", "-c", "vfio_pci.c"]}]
JSON
cat > "$T/rules.json" <<JSON
{
  "include": ["$SRC/rules/linux-primitives.json"],
  "guards": [
    {"field": "vdev.refcnt", "access": {"any": ["driver_lock", "reflck.lock"]},
     "reason": "the open count: under the global driver_lock, or since the series under the lock its bus's reflck holds"}
  ]
}
JSON
git add kernel.h vfio_pci.c
git commit -qm "vfio-pci: open and release under a global lock"

# commit 1: the reflck, one per bus, refcounted; open and release take its lock
cat > "$R/vfio_pci.c" <<'C'
#include "kernel.h"
static struct mutex driver_lock;
static struct mutex reflck_lock;
static struct reflck *bus_reflck;   /* one bus in this model */

static void reflck_release(struct kref *kref)
{
	bus_reflck = NULL;
}

static struct reflck *reflck_alloc(void)
{
	struct reflck *r = kzalloc(sizeof(*r), 0xcc0);

	if (!r)
		return NULL;
	kref_init(&r->kref);
	return r;
}

int vdev_reflck_attach(struct vdev *v)
{
	mutex_lock(&reflck_lock);
	if (bus_reflck) {
		kref_get(&bus_reflck->kref);
		v->reflck = bus_reflck;
	} else {
		v->reflck = bus_reflck = reflck_alloc();
	}
	mutex_unlock(&reflck_lock);
	return v->reflck ? 0 : -12;
}

void vdev_reflck_put(struct reflck *r)
{
	mutex_lock(&reflck_lock);
	kref_put(&r->kref, reflck_release);
	mutex_unlock(&reflck_lock);
}

int vdev_open(struct vdev *v)
{
	int ret = 0;

	mutex_lock(&v->reflck->lock);
	if (!v->refcnt)
		ret = enable_device(v->pdev);
	if (!ret)
		v->refcnt++;
	mutex_unlock(&v->reflck->lock);
	return ret;
}

void vdev_release(struct vdev *v)
{
	mutex_lock(&v->reflck->lock);
	if (!--v->refcnt)
		disable_device(v->pdev);
	mutex_unlock(&v->reflck->lock);
}

void driver_lock_touch(void)
{
	mutex_lock(&driver_lock);
	mutex_unlock(&driver_lock);
}
C
git commit -qam "vfio-pci: a reflck per bus instead of the global driver_lock"

# commit 2: probe looks the bus's reflck up for a check, and forgets the
# reference on its error path
cat >> "$R/vfio_pci.c" <<'C'

static struct reflck *reflck_find_get(void)
{
	struct reflck *r;

	mutex_lock(&reflck_lock);
	r = bus_reflck;
	if (r)
		kref_get(&r->kref);
	mutex_unlock(&reflck_lock);
	return r;
}

int vdev_probe_check(int quirk)
{
	struct reflck *r = reflck_find_get();

	if (!r)
		return -19;
	if (quirk)
		return -22;
	vdev_reflck_put(r);
	return 0;
}
C
git commit -qam "vfio-pci: probe checks its reflck"

CACHE=$T/cache
run "$LA" audit --each-commit --rules "$T/rules.json" -p "$R" --cache "$CACHE" -j 1 master~2..master
expect_rc 2 "audit exits 2: commit 2 adds a finding"
expect_out out '^\[1/2\] [0-9a-f]{12} vfio-pci: a reflck per bus instead of the global driver_lock$' "commit 1 with its subject"
expect_out out '^  0 new findings, 0 resolved; [0-9]+ accesses changed protection' "commit 1: no finding"
expect_out out 'vdev_open\(\) write v->refcnt: lost driver_lock \(exclusive\); gained reflck\.lock \(exclusive\)' \
	"commit 1: the open count moved from driver_lock to reflck.lock"
expect_out out 'vdev_release\(\) (read|write) v->refcnt: lost driver_lock \(exclusive\); gained reflck\.lock \(exclusive\)' \
	"commit 1: so did the release's"
expect_out out '^\[2/2\] [0-9a-f]{12} vfio-pci: probe checks its reflck$' "commit 2 with its subject"
expect_out out '^  1 new finding, 0 resolved' "commit 2: one new finding"
expect_out out 'vfio_pci\.c:[0-9]+: .*is not dropped on this way out \[lockaudit-refcount-balance\] in vdev_probe_check\(\)' \
	"commit 2: the leaked kref in vdev_probe_check"
finish
