# Sourced by tests that audit a series (tests/cli/audit.sh, the browser
# test of the audit page). make_series DIR RULES makes in DIR a git
# repository with a three-commit series on a base commit (branch master),
# and RULES for it: commit 1 moves obj.count from a global lock to the
# object's own lock (a protection change, no new finding), commit 2 drops
# the lock on one path (a new guard finding), commit 3 changes no C file.
# It defines git() as `git -C DIR` with a committer.
make_series() {
local R=$1 rules=$2
mkdir -p "$R"
git() { command git -C "$R" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false \
	-c init.defaultBranch=master "$@"; }
git init -q
cat > "$R/locks.h" <<'C'
typedef struct { int raw; } spinlock_t;
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
struct obj { spinlock_t lock; int count; };
extern spinlock_t g_lock;
C
cat > "$R/obj.c" <<'C'
#include "locks.h"
spinlock_t g_lock;
/* the global lock stays in use: a guard naming a lock no code takes is
 * not applied (docs/checks/guard.md, "Rules of another version") */
void g_touch(void)
{
	_spin_lock(&(g_lock));
	_spin_unlock(&(g_lock));
}
void obj_get(struct obj *o)
{
	_spin_lock(&g_lock);
	o->count++;
	_spin_unlock(&g_lock);
}
void obj_put(struct obj *o)
{
	_spin_lock(&g_lock);
	o->count--;
	_spin_unlock(&g_lock);
}
C
cat > "$R/compile_commands.json" <<JSON
[{"directory": "$R", "file": "obj.c", "arguments": ["cc", "-c", "obj.c"]}]
JSON
cat > "$rules" <<'JSON'
{
  "primitives": {
    "_spin_lock": {"acquire": 0, "mode": "exclusive"},
    "_spin_unlock": {"release": 0}
  },
  "guards": [
    {"field": "obj.count", "read": {"any": ["g_lock", "obj.lock"]}, "write": {"any": ["g_lock", "obj.lock"]},
     "reason": "the count changes under the global lock or, since the series, the object's lock"}
  ]
}
JSON
git add locks.h obj.c
git commit -qm "obj: a counted object"
# commit 1: the per-object lock
sed -i 's/_spin_lock(&g_lock);/_spin_lock(\&o->lock);/; s/_spin_unlock(&g_lock);/_spin_unlock(\&o->lock);/' "$R/obj.c"
sed -i 's/_spin_lock(&g_lock);/_spin_lock(\&o->lock);/; s/_spin_unlock(&g_lock);/_spin_unlock(\&o->lock);/' "$R/obj.c"
git commit -qam "obj: protect count with the object's own lock"
# commit 2: one path without the lock
cat > "$R/obj.c" <<'C'
#include "locks.h"
spinlock_t g_lock;
/* the global lock stays in use: a guard naming a lock no code takes is
 * not applied (docs/checks/guard.md, "Rules of another version") */
void g_touch(void)
{
	_spin_lock(&(g_lock));
	_spin_unlock(&(g_lock));
}
void obj_get(struct obj *o)
{
	_spin_lock(&o->lock);
	o->count++;
	_spin_unlock(&o->lock);
}
void obj_put(struct obj *o)
{
	o->count--;
}
C
git commit -qam "obj: a lockless put"
# commit 3: no C file changes
echo "counted objects" > "$R/README"
git add README
git commit -qm "README: say what this is"
}
